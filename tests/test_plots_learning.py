"""Level 2 figures, tested through the data they draw (``ax.drawn``) and their labels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from toolkit import reliability
from toolkit.plots import learning as plots


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture()
def scores():
    rng = np.random.default_rng(4)
    n = 24
    pre = rng.integers(20, 70, n).astype(float)
    return pd.DataFrame(
        {
            "session_id": np.repeat(["S1", "S2"], n // 2),
            "pre": pre,
            "post": np.clip(pre + rng.integers(0, 35, n), 0, 100),
        }
    )


def test_prepost_plot_draws_participants_and_means(scores):
    ax = plots.prepost_plot(scores, lang="en")
    drawn = ax.drawn
    part = drawn[drawn["layer"] == "participant"]
    assert len(part) == 2 * len(scores)
    np.testing.assert_array_equal(part["y"].to_numpy(), scores[["pre", "post"]].to_numpy().ravel())
    means = drawn[drawn["layer"] == "mean"].set_index("phase")
    assert means.loc["pre", "y"] == pytest.approx(scores["pre"].mean())
    assert means.loc["post", "y"] == pytest.approx(scores["post"].mean())
    # t interval of each phase's mean (scipy.stats.t.interval)
    lo, hi = stats.t.interval(0.95, 23, loc=scores["post"].mean(), scale=stats.sem(scores["post"]))
    assert (means.loc["post", "ci_low"], means.loc["post", "ci_high"]) == pytest.approx((lo, hi))
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Before (pre-test)",
        "After (post-test)",
    ]
    # one LineCollection holds every participant's line
    assert any(len(c.get_segments()) == len(scores) for c in ax.collections)


def test_prepost_plot_groups_and_summary_indonesian(scores):
    ax = plots.prepost_plot(scores, by="session_id", kind="summary")
    drawn = ax.drawn
    assert set(drawn["layer"]) == {"mean"}
    assert drawn["group"].tolist() == ["S1", "S1", "S2", "S2"]
    s2 = scores[scores["session_id"] == "S2"]
    got = drawn[(drawn["group"] == "S2") & (drawn["phase"] == "post")]["y"].iloc[0]
    assert got == pytest.approx(s2["post"].mean())
    assert drawn["n"].tolist() == [12, 12, 12, 12]
    assert ax.get_ylabel() == "Nilai (% benar)"
    assert ax.get_xticklabels()[0].get_text() == "Sebelum (pre-test)"
    assert not any(len(c.get_segments()) == len(scores) for c in ax.collections)


def test_prepost_plot_accepts_long_tests_table():
    long = pd.DataFrame(
        {
            "participant_id": ["p1"] * 4 + ["p2"] * 4,
            "session_id": "S1",
            "phase": ["pre", "pre", "post", "post"] * 2,
            "item_code": ["K1", "K2"] * 4,
            "correct": [0, 1, 1, 1, 0, 0, 1, 0],
        }
    )
    ax = plots.prepost_plot(long)
    means = ax.drawn[ax.drawn["layer"] == "mean"].set_index("phase")["y"]
    assert means.to_dict() == {"pre": 25.0, "post": 75.0}


def test_prepost_plot_bad_kind(scores):
    with pytest.raises(ValueError, match="`kind` must be one of 'lines', 'summary'"):
        plots.prepost_plot(scores, kind="violin")


def test_item_map_draws_item_analysis_and_flags():
    rng = np.random.default_rng(8)
    ability = rng.normal(size=80)
    b = np.linspace(-1.5, 1.5, 8)
    x = (rng.random((80, 8)) < 1 / (1 + np.exp(-2 * (ability[:, None] - b)))).astype(int)
    x[:, 7] = 1 - x[:, 7]  # miskeyed
    items = reliability.item_analysis(pd.DataFrame(x, columns=[f"K{j}" for j in range(8)]))
    ax = plots.item_map(items, lang="en")
    drawn = ax.drawn
    np.testing.assert_allclose(drawn["difficulty"], items["difficulty"])
    np.testing.assert_allclose(drawn["discrimination"], items["discrimination"])
    assert drawn["verdict"].tolist() == items["verdict"].tolist()
    assert drawn.set_index("item").loc["K7", "flagged"]
    assert drawn["flagged"].tolist() == (items["discrimination"] < 0.2).tolist()
    labels = {t.get_text() for t in ax.texts}
    assert "K7" in labels and {"Very good", "Good", "Revise"} <= labels
    ebel = sorted(line.get_ydata()[0] for line in ax.lines if np.allclose(*line.get_ydata()[:2]))
    assert ebel == pytest.approx([0.0, 0.2, 0.3, 0.4])
    assert ax.get_xlabel() == "Difficulty (p)"


def test_item_map_needs_one_group():
    items = pd.DataFrame(
        {"item": ["a", "a"], "difficulty": [0.5, 0.6], "discrimination": [0.3, 0.1]}
    )
    with pytest.raises(ValueError, match="filter item_analysis"):
        plots.item_map(items)
    with pytest.raises(KeyError, match="`items` names column 'p'"):
        plots.item_map(items, difficulty="p")


def test_labels_have_both_languages():
    assert all(set(v) == {"id", "en"} for v in plots.LABELS.values())
