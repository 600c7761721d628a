"""Figures of Levels 3 and 5, tested through the data they drew (``ax.drawn``) and their artists."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from toolkit import behavior as bh
from toolkit import roi as R
from toolkit.plots import behavior as pb
from toolkit.plots import roi as pr


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def change_table():
    rng = np.random.default_rng(5)
    n = 30
    rows = []
    for rater, lift in (("self", 0.8), ("supervisor", 0.4)):
        base = rng.normal(3, 0.5, n)
        for wave, extra in (("baseline", 0.0), ("followup_3m", lift), ("followup_6m", lift + 0.2)):
            score = np.clip(np.rint(base + extra + rng.normal(0, 0.4, n)), 1, 5)
            rows.append(
                pd.DataFrame(
                    {
                        "participant_id": [f"p{i}" for i in range(n)],
                        "session_id": "S01",
                        "rater": rater,
                        "wave": wave,
                        "item_code": "B01",
                        "rating": score,
                    }
                )
            )
    return bh.behavior_change(pd.concat(rows, ignore_index=True))


def test_behavior_change_plot_draws_every_estimate_and_ci():
    res = change_table()
    ax = pb.behavior_change_plot(res, lang="en")
    d = ax.drawn
    assert len(d) == 4
    merged = d.merge(res, on=["rater", "wave_to"], suffixes=("", "_res"))
    np.testing.assert_allclose(merged["estimate"], merged["estimate_res"])
    np.testing.assert_allclose(merged["ci_low"], merged["ci_low_res"])
    # the artists hold the same numbers: one errorbar container per rater
    for container, rater in zip(ax.containers, ["self", "supervisor"], strict=True):
        x, y = (np.asarray(v, dtype=float) for v in container.lines[0].get_data())
        part = d[d["rater"] == rater]
        np.testing.assert_allclose(x, part["x"])
        np.testing.assert_allclose(y, part["estimate"])
    # self is dodged left of supervisor at each wave
    wide = d.pivot(index="wave_to", columns="rater", values="x")
    assert (wide["self"] < wide["supervisor"]).all()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["3 months after", "6 months after"]
    assert ax.get_legend().get_texts()[1].get_text() == "Supervisor"


def test_behavior_change_plot_indonesian_and_group_check():
    res = change_table()
    ax = pb.behavior_change_plot(res)
    assert ax.get_ylabel() == pb.LABELS["mean_change"]["id"]
    assert ax.get_xticklabels()[0].get_text() == "3 bulan setelah"
    two = pd.concat([res.assign(unit_id="U1"), res.assign(unit_id="U2")])
    two = two[["unit_id", *res.columns]]  # behavior_change(by=...) puts the groups first
    with pytest.raises(ValueError, match="several groups"):
        pb.behavior_change_plot(two)
    one = pb.behavior_change_plot(two[two["unit_id"] == "U1"])
    assert len(one.drawn) == 4


def test_roi_waterfall_runs_from_benefits_to_net():
    costs_tab = pd.DataFrame(
        {
            "program": "lead",
            "category": ["design_development", "facilitator_fees", "overhead"],
            "amount_idr": [90e6, 40e6, 10e6],
            "prorate_years": [3, 1, 1],
        }
    )
    costs = R.fully_loaded_costs(costs_tab, by=None)
    est = pd.DataFrame(
        {
            "participant_id": list("abcd"),
            "measure": ["time_saved", "time_saved", "fewer_errors", "fewer_errors"],
            "annual_value_idr": [100e6, 80e6, 60e6, 40e6],
            "attribution": 0.5,
            "confidence": 0.8,
        }
    )
    benefits = R.isolated_benefits(est, by="measure")
    ax = pr.roi_waterfall(benefits, costs, lang="en")
    d = ax.drawn
    assert d["kind"].tolist() == ["benefit", "benefit", "cost", "cost", "cost", "net"]
    with pytest.warns(UserWarning, match="not fully loaded"):
        net = R.roi(benefits, costs).net_benefit_idr
    assert d["end_idr"].iloc[-1] == pytest.approx(net)  # 112M - 80M = 32M
    assert net == pytest.approx(32e6)
    # each bar starts where the previous ended; heights in millions match the patches
    np.testing.assert_allclose(d["start_idr"].iloc[1:5], d["end_idr"].iloc[:4])
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, (d["end_idr"] - d["start_idr"]).abs() / 1e6)
    assert ax.get_xticklabels()[2].get_text() == "Design and development"


def test_roi_waterfall_accepts_numbers():
    ax = pr.roi_waterfall(581_000.0, 229_000.0, scale=1.0)
    assert ax.drawn["end_idr"].tolist() == [581_000.0, 352_000.0, 352_000.0]
    with pytest.raises(ValueError, match="`scale`"):
        pr.roi_waterfall(1.0, 1.0, scale=0)


def test_roi_tornado_orders_by_swing():
    base = {
        "annual_value_idr": 200.0,
        "attribution": 0.5,
        "confidence": 0.8,
        "direct_costs_idr": 50.0,
    }
    ranges = {
        "confidence": (0.7, 0.9),
        "attribution": (0.3, 0.7),
        "direct_costs_idr": (40.0, 80.0),
    }
    table = R.roi_sensitivity(base, ranges)
    ax = pr.roi_tornado(table.iloc[::-1])  # order of the input must not matter
    d = ax.drawn
    assert (
        d.sort_values("y", ascending=False)["assumption"].tolist() == table["assumption"].tolist()
    )
    base_roi = table["base_roi_pct"].iloc[0]
    assert base_roi == pytest.approx((80 - 50) / 50 * 100)
    # bars start at the base ROI and end at the ROI for the low / high value
    lows = ax.patches[: len(d)]
    np.testing.assert_allclose([p.get_x() for p in lows], base_roi)
    np.testing.assert_allclose([p.get_x() + p.get_width() for p in lows], d["roi_low"])
    assert ax.get_xlabel() == "ROI (%)"


def test_every_label_has_both_languages():
    for labels in (pb.LABELS, pr.LABELS):
        for key, value in labels.items():
            assert set(value) == {"id", "en"}, key
            assert all(value.values()), key
