"""Figures of notebook 08/09, tested through the data they drew (``ax.drawn``)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from toolkit import participation as pa
from toolkit import providers as pv
from toolkit import scheduling as sc
from toolkit.plots import participation as pp


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_labels_have_both_languages():
    for key, entry in pp.LABELS.items():
        assert set(entry) == {"id", "en"}, key
    for mod in (pa, pv, sc):
        assert all(set(v) == {"id", "en"} for v in mod.LABELS.values())


def test_absence_bars_draw_the_shares(sample):
    res = pa.absence_reasons(sample.enrollments, sample.sessions)
    ax = pp.absence_bars(res, lang="en")
    d = ax.drawn
    want = res[res["kind"] == "reason"]
    np.testing.assert_allclose(d["pct"], 100 * want["share"].to_numpy())
    np.testing.assert_allclose(d["pct_low"], 100 * want["ci_low"].to_numpy())
    widths = sorted(p.get_width() for p in ax.patches)
    np.testing.assert_allclose(widths, sorted(d["pct"]))
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Workload"
    by = pa.absence_reasons(sample.enrollments, sample.sessions, by="schedule")
    ax2 = pp.absence_bars(by, kind="group")
    assert set(ax2.drawn["schedule"].astype(str)) == {
        "office_hours",
        "after_hours",
        "weekend",
        "flexible",
    }
    assert len(ax2.drawn) == 16 and ax2.get_legend() is not None


def test_jp_histogram_counts_everyone(sample):
    res = pa.jp_fulfilment(sample.enrollments, sample.sessions, participants=sample.participants)
    ax = pp.jp_histogram(res, year=2024)
    d = ax.drawn
    assert d["n"].sum() == 600 and d.loc[0, "n"] == 214  # the first bar: nobody trained
    assert d["target"].iloc[0] == 20.0
    assert any(line.get_xdata()[0] == 20 for line in ax.get_lines())  # the 20 JP line
    jp = res.per_person.loc[res.per_person["year"] == 2024, "jp_total"]
    # reference: numpy's histogram of the people with some JP, on the drawn edges
    edges = np.append(d["left"].iloc[1:].to_numpy(), d["right"].iloc[-1])
    np.testing.assert_array_equal(d["n"].iloc[1:], np.histogram(jp[jp > 0], bins=edges)[0])
    assert pp.jp_histogram(res, lang="en").get_xlabel() == "JP per year"


def test_cost_outcome_plot_draws_estimates_and_intervals(sample):
    table = pv.session_table(sample.costs, sample.enrollments, sample.sessions,
                             tests=sample.tests, reaction=sample.reaction)  # fmt: skip
    q = pv.speaker_quality(table)
    ax = pp.cost_outcome_plot(q)
    d = ax.drawn.set_index("provider")
    ref = q.set_index(["provider", "measure"])
    for prov in d.index:
        assert d.loc[prov, "x"] == ref.loc[(prov, "fee_per_jp"), "estimate"]
        assert d.loc[prov, "y_high"] == ref.loc[(prov, "trainer_rating"), "ci_high"]
    xs = sorted(c.lines[0].get_xdata()[0] for c in ax.containers)
    np.testing.assert_allclose(xs, sorted(d["x"]))
    with pytest.raises(ValueError, match="`x` must be one of"):
        pp.cost_outcome_plot(q, x="fee")


def test_slot_heatmap_grid_and_highlight(sample):
    cov = sc.slot_coverage(sample.availability)
    rec = sc.recommend_slots(sample.availability, k=2)
    ax = pp.slot_heatmap(cov, highlight=rec, lang="en")
    d = ax.drawn
    assert len(d) == 30 and d["highlighted"].sum() == 2
    assert set(d.loc[d["highlighted"], "slot"]) == set(rec.slots)
    grid = ax.images[0].get_array()
    for r in d.itertuples():
        assert grid[r.row, r.col] == pytest.approx(100 * r.share)
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Monday"
    with pytest.raises(ValueError, match="without `by`"):
        pp.slot_heatmap(sc.slot_coverage(sample.availability, participants=sample.participants,
                                         by="position_type"))  # fmt: skip
