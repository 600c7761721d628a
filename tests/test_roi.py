"""Tests of toolkit.roi (Phillips Level 5) against hand-worked and published examples.

Published example used (found with the project's search tool, corpus "pages"):
    https://vdocuments.site/1-overview-calculating-benefit-cost-analysis-bcr-return-on-investment-roi.html
    "if the total dollar value of improvement is $60,000 and the program costs are $20,000 ...
    the benefit-to-cost ratio would be 3-to-1 ... the net program benefits would be $40,000
    ... the return on investment is 200%. ... A shortcut to calculate ROI from BCR is to
    subtract 1 from the BCR ratio and multiply the difference by 100."
    Source cited there: Phillips, P. P., & Phillips, J. J. (2005). Return on Investment (ROI)
    Basics. Alexandria, VA: ASTD Press.
The "classic" 581,000 / 229,000 example (BCR 2.54, ROI 154 %) is checked by hand arithmetic:
    581,000 / 229,000 = 2.5371...; (581,000 - 229,000) / 229,000 x 100 = 153.71... %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import roi as R
from toolkit.schema import COST_CATEGORIES


def costs_table():
    return pd.DataFrame(
        {
            "session_id": [None, None, "S1", "S1", "S2", None, None],
            "program": ["lead", "lead", "lead", "lead", "lead", "lead", "svc"],
            "category": [
                "needs_analysis",
                "design_development",
                "facilitator_fees",
                "venue_catering",
                "materials",
                "evaluation",
                "overhead",
            ],
            "amount_idr": [5e6, 60e6, 20e6, 12e6, 3e6, 8e6, 4e6],
            "prorate_years": [1, 3, 1, 1, 1, 1, 1],
        }
    )


# --------------------------------------------------------------------------- ROI arithmetic
def test_phillips_roi_basics_published_example():
    # Phillips & Phillips (2005), ROI Basics: 60,000 benefits / 20,000 costs -> 3:1, 200 %.
    r = R.roi(60_000, 20_000)
    assert r.bcr == pytest.approx(3.0)
    assert r.roi_pct == pytest.approx(200.0)
    assert r.net_benefit_idr == pytest.approx(40_000)


def test_classic_581_229_example():
    r = R.roi(581_000, 229_000)
    assert round(r.bcr, 2) == 2.54
    assert round(r.roi_pct) == 154
    assert r.roi_pct == pytest.approx(352_000 / 229_000 * 100)
    # payback: 229,000 / 581,000 x 12 = 4.7298 months
    assert r.payback_months == pytest.approx(4.72977625, rel=1e-8)


@pytest.mark.parametrize(
    "benefits,costs,months",
    [(60e6, 120e6, 24.0), (120e6, 30e6, 3.0), (0.0, 10e6, np.inf), (-5e6, 10e6, np.inf)],
)
def test_payback_arithmetic(benefits, costs, months):
    assert R.roi(benefits, costs).payback_months == months


def test_roi_by_group_missing_benefits_count_as_zero():
    costs = R.fully_loaded_costs(costs_table(), by="program")
    benefits = pd.DataFrame({"program": ["lead"], "benefits_idr": [100e6]})
    with pytest.warns(UserWarning, match="not fully loaded"):
        r = R.roi(benefits, costs, by="program")
    t = r.to_frame().set_index("program")
    # lead: 5 + 60/3 + 20 + 12 + 3 + 8 = 68 million; svc: 4 million with no benefits
    assert t.loc["lead", "costs_idr"] == pytest.approx(68e6)
    assert t.loc["svc", "benefits_idr"] == 0.0
    assert t.loc["svc", "roi_pct"] == pytest.approx(-100.0)
    assert t.loc["lead", "bcr"] == pytest.approx(100 / 68)
    with pytest.raises(ValueError, match="2 groups"):
        _ = r.bcr


def test_roi_result_intangibles_and_summary():
    r = R.roi(150e6, 100e6, intangibles=["kepuasan kerja", "teamwork"])
    frame = r.to_frame()
    assert frame["intangibles"].item() == "kepuasan kerja; teamwork"
    assert "ROI 50%" in r.summary()
    assert "balik modal 8,0 bulan" in r.summary(lang="id")  # Indonesian decimal comma
    assert "manfaat Rp 150.000.000; biaya Rp 100.000.000" in r.summary(lang="id")
    assert "BCR 1,50" in r.summary(lang="id") and "BCR 1.50" in r.summary()
    assert "kepuasan kerja; teamwork" in r.summary()
    with pytest.raises(ValueError, match="`lang` must be one of"):
        r.summary(lang="fr")


def test_conservative_mode_first_year_only():
    with pytest.raises(ValueError, match="first-year"):
        R.roi(100.0, 50.0, years=3)
    liberal = R.roi(100.0, 50.0, years=3, conservative=False)
    assert liberal.table["benefits_idr"].item() == 300.0
    assert liberal.payback_months == pytest.approx(6.0)  # payback uses annual benefits
    with pytest.raises(ValueError, match="`years` must be a whole number"):
        R.roi(100.0, 50.0, years=0)
    with pytest.raises(ValueError, match="Costs must be positive"):
        R.roi(100.0, 0.0)
    with pytest.raises(TypeError, match="`benefits` must be a number or a DataFrame"):
        R.roi("100", 50.0)


# --------------------------------------------------------------------------- costs
def test_prorating_arithmetic():
    costs = pd.DataFrame(
        {
            "program": "lead",
            "category": ["design_development", "facilitator_fees"],
            "amount_idr": [90_000_000, 15_000_000],
            "prorate_years": [3, 1],
        }
    )
    for year, design, fees in [(1, 30e6, 15e6), (3, 30e6, 0.0), (4, 0.0, 0.0)]:
        out = R.fully_loaded_costs(costs, year=year, by=None).set_index("category")
        assert out.loc["design_development", "amount_idr"] == design
        assert out.loc["design_development", "gross_idr"] == 90e6
        assert out.loc["facilitator_fees", "amount_idr"] == fees
        assert out.loc["total", "amount_idr"] == design + fees
    with pytest.raises(ValueError, match="`year` must be a whole number"):
        R.fully_loaded_costs(costs, year=0)


def test_later_year_does_not_charge_the_first_years_time_again():
    # Written out (issue 14, item 4): design 30 M over 3 years, fees 10 M once; two people
    # attend 24 + 16 JP at Rp 50,000 an hour: 40 JP x 45/60 h x 50,000 = 1.5 M.
    costs = pd.DataFrame({"session_id": [None, "S1"], "program": "lead",
                          "category": ["design_development", "facilitator_fees"],
                          "amount_idr": [30_000_000, 10_000_000], "prorate_years": [3, 1]})  # fmt: skip
    enr = pd.DataFrame({"participant_id": ["a", "b"], "session_id": "S1", "attended_jp": [24, 16]})
    kw = {"enrollments": enr, "hourly_compensation": 50_000, "by": None}

    def total(**more):
        out = R.fully_loaded_costs(costs, **kw, **more).set_index("category")
        return out.loc["total", "amount_idr"], out.loc["participant_salaries", "amount_idr"]

    assert total() == (10e6 + 10e6 + 1.5e6, 1.5e6)  # year 1
    assert total(year=2) == (10e6, 0.0)  # only the recurring third of the design
    assert total(year=2, enrollments_year=2) == (10e6 + 1.5e6, 1.5e6)  # year 2's own time
    with pytest.raises(ValueError, match="`enrollments_year` must be a whole number"):
        R.fully_loaded_costs(costs, enrollments_year=0)


def test_breakdown_has_every_category_in_order_and_total():
    out = R.fully_loaded_costs(costs_table())
    lead = out[out["program"] == "lead"]
    assert lead["category"].tolist() == [*COST_CATEGORIES, "total"]
    assert lead["amount_idr"].iloc[:-1].sum() == lead["amount_idr"].iloc[-1] == 68e6
    assert lead["share"].iloc[-1] == 1.0
    assert lead["share"].iloc[:-1].sum() == pytest.approx(1.0)
    assert out["amount_idr"].iloc[-1] == 4e6  # svc total


def test_participant_time_valued_at_jp_times_45_minutes():
    costs = costs_table()
    enr = pd.DataFrame(
        {
            "participant_id": ["a", "b", "c"],
            "session_id": ["S1", "S1", "S2"],
            "attended_jp": [24.0, 20.0, 8.0],
        }
    )
    out = R.fully_loaded_costs(costs, enrollments=enr, hourly_compensation=60_000)
    sal = out.set_index(["program", "category"]).loc[("lead", "participant_salaries")]
    # (24 + 20 + 8) JP x 45/60 h x Rp 60,000 = 52 x 0.75 x 60,000 = 2,340,000
    assert sal["computed_idr"] == 2_340_000
    assert sal["amount_idr"] == 2_340_000
    # by grade: a (III) 24 x 0.75 x 70,000 = 1,260,000; b, c (II) 28 x 0.75 x 50,000 = 1,050,000
    people = pd.DataFrame({"participant_id": ["a", "b", "c"], "grade": ["III", "II", "II"]})
    by_grade = R.fully_loaded_costs(
        costs,
        enrollments=enr,
        participants=people,
        hourly_compensation={"II": 50_000, "III": 70_000},
    )
    total = by_grade.query("program == 'lead' and category == 'participant_salaries'")
    assert total["amount_idr"].item() == 1_260_000 + 1_050_000
    per_person = pd.Series({"a": 10_000.0, "b": 20_000.0, "c": 40_000.0})
    s = R.fully_loaded_costs(
        costs, enrollments=enr, hourly_compensation=per_person, by="session_id"
    )
    s = s[s["category"] == "participant_salaries"].set_index("session_id")["amount_idr"]
    assert s["S1"] == 24 * 0.75 * 10_000 + 20 * 0.75 * 20_000
    assert s["S2"] == 8 * 0.75 * 40_000


def test_participant_time_not_double_counted():
    costs = pd.concat(
        [
            costs_table(),
            pd.DataFrame(
                {
                    "session_id": ["S1"],
                    "program": ["lead"],
                    "category": ["participant_salaries"],
                    "amount_idr": [1_000_000.0],
                    "prorate_years": [1],
                }
            ),
        ],
        ignore_index=True,
    )
    enr = pd.DataFrame(
        {"participant_id": ["a", "b"], "session_id": ["S1", "S2"], "attended_jp": [24.0, 8.0]}
    )
    out = R.fully_loaded_costs(costs, enrollments=enr, hourly_compensation=60_000)
    sal = out.set_index(["program", "category"]).loc[("lead", "participant_salaries")]
    # S1 already has a salary line: only S2's time is computed (8 x 0.75 x 60,000)
    assert sal["lines_idr"] == 1_000_000
    assert sal["computed_idr"] == 360_000
    # a programme-level salary line covers every session of the programme
    costs.loc[costs.index[-1], "session_id"] = None
    out = R.fully_loaded_costs(costs, enrollments=enr, hourly_compensation=60_000)
    sal = out.set_index(["program", "category"]).loc[("lead", "participant_salaries")]
    assert sal["computed_idr"] == 0.0


def test_cost_input_errors():
    bad = costs_table().assign(category="catering")
    with pytest.raises(ValueError, match="not Phillips categories"):
        R.fully_loaded_costs(bad)
    enr = pd.DataFrame({"participant_id": ["a"], "session_id": ["S9"], "attended_jp": [8.0]})
    with pytest.raises(ValueError, match="without `hourly_compensation`"):
        R.fully_loaded_costs(costs_table(), enrollments=enr)
    with pytest.raises(ValueError, match="without `enrollments`"):
        R.fully_loaded_costs(costs_table(), hourly_compensation=50_000)
    with pytest.raises(ValueError, match="pass `sessions=`"):
        R.fully_loaded_costs(costs_table(), enrollments=enr, hourly_compensation=1.0)
    enr["session_id"] = "S1"
    with pytest.raises(ValueError, match="needs the `participants` table"):
        R.fully_loaded_costs(costs_table(), enrollments=enr, hourly_compensation={"III": 1.0})
    people = pd.DataFrame({"participant_id": ["a"], "grade": ["IV"]})
    with pytest.raises(ValueError, match="no rate for some participants"):
        R.fully_loaded_costs(
            costs_table(), enrollments=enr, participants=people, hourly_compensation={"III": 1.0}
        )
    with pytest.raises(ValueError, match="`by` must be one of"):
        R.fully_loaded_costs(costs_table(), by="unit")


# --------------------------------------------------------------------------- benefits
def estimates_table():
    return pd.DataFrame(
        {
            "participant_id": list("abcdefg"),
            "program": ["lead"] * 7,
            "measure": ["time_saved"] * 6 + ["fewer_errors"],
            "annual_value_idr": [10e6, 8e6, 6e6, None, 12e6, 500e6, 3e6],
            "attribution": [0.5, 0.6, 0.4, 0.5, 0.5, 0.9, 1.0],
            "confidence": [0.8, 0.5, 0.9, 0.7, 0.6, 0.9, 0.5],
        }
    )


def test_isolated_benefits_conservative_hand_worked():
    out = R.isolated_benefits(estimates_table(), detail=True)
    # time_saved median of claims (10, 8, 6, 12, 500) = 10 million; 500 > 10 x 10: extreme
    assert out["status"].tolist() == ["used", "used", "used", "no_data", "used", "extreme", "used"]
    expected = [
        10e6 * 0.5 * 0.8,
        8e6 * 0.6 * 0.5,
        6e6 * 0.4 * 0.9,
        0.0,
        12e6 * 0.5 * 0.6,
        0.0,
        1.5e6,
    ]
    np.testing.assert_allclose(out["isolated_idr"], expected)
    tot = R.isolated_benefits(estimates_table()).iloc[0]
    assert tot["benefits_idr"] == pytest.approx(
        sum(expected)
    )  # 4 + 2.4 + 2.16 + 3.6 + 1.5 = 13.66M
    assert tot["benefits_idr"] == pytest.approx(13.66e6)
    assert (tot["n"], tot["n_with_value"], tot["n_no_data"], tot["n_extreme"]) == (7, 6, 1, 1)
    # boundary: a claim of exactly extreme_multiple x the median is kept ("above" drops)
    edge = estimates_table().assign(annual_value_idr=[10e6, 10e6, 10e6, None, 10e6, 100e6, 3e6])
    assert R.isolated_benefits(edge, detail=True)["status"].iloc[5] == "used"
    capped = R.isolated_benefits(estimates_table(), cap_idr=9e6, detail=True)
    assert capped["status"].tolist()[:5] == ["extreme", "used", "used", "no_data", "extreme"]


def test_isolated_benefits_non_conservative_extrapolates():
    out = R.isolated_benefits(estimates_table(), conservative=False, by="measure")
    out = out.set_index("measure")
    # time_saved: value x attribution of the 5 who gave a figure, mean extrapolated to 6 rows
    claims = np.array([10 * 0.5, 8 * 0.6, 6 * 0.4, 12 * 0.5, 500 * 0.9]) * 1e6
    assert out.loc["time_saved", "benefits_idr"] == pytest.approx(claims.mean() * 6)
    wide = R.isolated_benefits(
        estimates_table(),
        conservative=False,
        by="measure",
        n_participants={"time_saved": 10, "fewer_errors": 1},
    ).set_index("measure")
    assert wide.loc["time_saved", "benefits_idr"] == pytest.approx(claims.mean() * 10)
    with pytest.raises(ValueError, match="`conservative` must be one of"):
        R.isolated_benefits(estimates_table(), conservative="yes")


def test_isolated_benefits_control_group():
    # e.g. a DiD effect of 0.3 IKM points worth Rp 50 million per point in 4 units
    row = pd.DataFrame({"estimate": [0.3], "ci_low": [0.1], "ci_high": [0.5]})
    cons = R.isolated_benefits(row, method="control_group", value_per_unit=50e6, units=4)
    assert cons["effect_used"].item() == 0.1
    assert cons["benefits_idr"].item() == pytest.approx(0.1 * 50e6 * 4)
    lib = R.isolated_benefits(
        row, method="control_group", value_per_unit=50e6, units=4, conservative=False
    )
    assert lib["benefits_idr"].item() == pytest.approx(0.3 * 50e6 * 4)
    plain = R.isolated_benefits(0.3, method="control_group", value_per_unit=50e6, units=4)
    assert plain["benefits_idr"].item() == pytest.approx(60e6)
    with pytest.raises(ValueError, match="needs `value_per_unit`"):
        R.isolated_benefits(0.3, method="control_group")


# --------------------------------------------------------------------------- sensitivity
def test_roi_sensitivity_hand_worked_and_sorted():
    base = {
        "annual_value_idr": 200e6,
        "attribution": 0.5,
        "confidence": 0.8,
        "direct_costs_idr": 40e6,
        "participant_hours": 600.0,
        "hourly_compensation_idr": 50_000.0,
        "design_idr": 30e6,
        "prorate_years": 3.0,
    }
    # base: B = 80M; C = 40M + 30M + 10M = 80M; ROI 0 %
    ranges = {
        "attribution": (0.25, 0.75),
        "prorate_years": (1.0, 5.0),
        "hourly_compensation_idr": (40_000.0, 60_000.0),
    }
    out = R.roi_sensitivity(base, ranges)
    assert out["base_roi_pct"].eq(0.0).all()
    assert out["assumption"].tolist() == ["attribution", "prorate_years", "hourly_compensation_idr"]
    a = out.iloc[0]
    assert (a["roi_low"], a["roi_high"]) == pytest.approx((-50.0, 50.0))
    p = out.iloc[1]  # C = 100M at 1 year, 76M at 5 years
    assert (p["roi_low"], p["roi_high"]) == pytest.approx((-20.0, (80 / 76 - 1) * 100))
    assert p["bcr_low"] == pytest.approx(0.8)
    assert out["swing"].is_monotonic_decreasing

    def model(*, b, c):
        return R.roi(b, c)

    custom = R.roi_sensitivity({"b": 10.0, "c": 5.0}, {"c": (4.0, 10.0)}, model=model)
    assert (custom["roi_low"].item(), custom["roi_high"].item()) == pytest.approx((150.0, 0.0))
    with pytest.raises(KeyError, match="Did you mean 'attribution'"):
        R.roi_sensitivity(base, {"atribution": (0.1, 0.2)})


# --------------------------------------------------------------------------- properties
money = st.floats(min_value=1e3, max_value=1e12, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(b=st.floats(min_value=0, max_value=1e12, allow_nan=False), c=money)
def test_property_roi_is_bcr_minus_one(b, c):
    r = R.roi(b, c)
    assert r.roi_pct == pytest.approx((r.bcr - 1) * 100, rel=1e-9, abs=1e-9)
    assert r.net_benefit_idr == pytest.approx(b - c, rel=1e-9, abs=1e-3)
    doubled = R.roi(b, 2 * c)
    assert doubled.bcr == pytest.approx(r.bcr / 2, rel=1e-12, abs=1e-15)
    if b >= 1:  # payback of subnormal benefits overflows to inf
        assert r.payback_months * b / 12 == pytest.approx(c, rel=1e-9)


def test_doubling_every_cost_line_halves_bcr():
    costs = costs_table()
    enr = pd.DataFrame({"participant_id": ["a"], "session_id": ["S1"], "attended_jp": [10.0]})
    one = R.fully_loaded_costs(costs, enrollments=enr, hourly_compensation=50_000, by=None)
    two = R.fully_loaded_costs(
        costs.assign(amount_idr=costs["amount_idr"] * 2),
        enrollments=enr,
        hourly_compensation=100_000,
        by=None,
    )
    assert R.roi(90e6, two).bcr == pytest.approx(R.roi(90e6, one).bcr / 2)


estimate_rows = st.lists(
    st.tuples(
        st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False)),
        st.floats(min_value=0, max_value=1),
        st.floats(min_value=0, max_value=1),
        st.sampled_from(["time_saved", "fewer_errors"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(
    rows=estimate_rows,
    multiple=st.floats(min_value=1, max_value=20),
    cap=st.one_of(st.none(), st.floats(min_value=0, max_value=1e9)),
    reach=st.integers(0, 40),
    costs=money,
)
def test_property_conservative_mode_never_raises_roi(rows, multiple, cap, reach, costs):
    est = pd.DataFrame(rows, columns=["annual_value_idr", "attribution", "confidence", "measure"])
    est["annual_value_idr"] = est["annual_value_idr"].astype(float)
    kw = {"extreme_multiple": multiple, "cap_idr": cap}
    cons = R.isolated_benefits(est, conservative=True, **kw)
    lib = R.isolated_benefits(est, conservative=False, n_participants=reach, **kw)
    assert cons["benefits_idr"].item() <= lib["benefits_idr"].item() * (1 + 1e-12) + 1e-6
    r_cons = R.roi(cons, costs)
    r_lib = R.roi(lib, costs, conservative=False, years=2)
    assert r_cons.roi_pct <= r_lib.roi_pct + 1e-9
    assert cons["benefits_idr"].item() >= 0


# --------------------------------------------------------------------------- sample data
def _sample(name):
    import toolkit

    return pd.read_csv(toolkit.SAMPLE_DATA / f"{name}.csv")


def _truth():
    import json

    import toolkit

    return json.loads((toolkit.SAMPLE_DATA / "truth.json").read_text())


def test_participant_time_reproduces_the_sample_salary_lines():
    # The generator writes one participant_salaries line per session ("JP hadir x tarif").
    # Dropping those lines and valuing attended JP x 45 min x the planted grade rates must
    # give the same amounts, session by session.
    costs, truth = _sample("costs"), _truth()
    is_sal = costs["category"] == "participant_salaries"
    written = costs[is_sal].groupby("session_id")["amount_idr"].sum()
    ours = R.fully_loaded_costs(
        costs[~is_sal],
        enrollments=_sample("enrollments"),
        participants=_sample("participants"),
        sessions=_sample("sessions"),
        hourly_compensation=truth["cost_hourly_compensation_idr_by_grade"],
        by="session_id",
    )
    ours = ours[ours["category"] == "participant_salaries"].set_index("session_id")["amount_idr"]
    pd.testing.assert_series_equal(
        ours.loc[written.index], written.astype(float), check_names=False
    )
    # with the lines kept, nothing is computed twice
    full = R.fully_loaded_costs(
        costs,
        enrollments=_sample("enrollments"),
        participants=_sample("participants"),
        sessions=_sample("sessions"),
        hourly_compensation=truth["cost_hourly_compensation_idr_by_grade"],
    )
    assert full["computed_idr"].sum() == 0.0


def test_planted_extreme_claims_are_dropped_on_sample_data():
    truth = _truth()
    det = R.isolated_benefits(_sample("benefit_estimates"), detail=True)
    flagged = det[det["status"] == "extreme"]
    keys = ["participant_id", "program", "measure"]
    planted = pd.DataFrame(truth["benefit_extreme_claims"])[keys]
    assert len(planted) == truth["benefit_extreme_claim_count"]
    assert len(planted.merge(flagged[keys])) == len(planted)
    missing = det["annual_value_idr"].isna()
    assert (det.loc[missing, "status"] == "no_data").all()
    assert (det.loc[missing, "isolated_idr"] == 0).all()
