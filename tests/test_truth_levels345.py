"""The planted truth of the sample data (sample_data/truth.json) recovered at Levels 3, 4 and 5.

truth.json holds the generator's population values (toolkit/synth/_truth.py): planted
parameters, exact expectations and large Monte Carlo runs of the generating model. Where a
value mixes subgroups, it mixes them in the *population* shares the generator plants, not in
the shares the 40 sampled sessions happen to have; those checks compare like with like.
Intervals are 95 % unless a comment says otherwise; the data are fixed, so each check either
always passes or always fails.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import toolkit
from toolkit import behavior as bh
from toolkit import results as rs
from toolkit import roi as R
from toolkit.data import load


@pytest.fixture(scope="module")
def data():
    return load(toolkit.SAMPLE_DATA)


@pytest.fixture(scope="module")
def truth():
    return json.loads((toolkit.SAMPLE_DATA / "truth.json").read_text())


@pytest.fixture(scope="module")
def behavior(data):
    return data.behavior.merge(data.sessions[["session_id", "method"]], on="session_id")


# --------------------------------------------------------------------------- Level 3
def test_change_by_rater_and_wave_recovered(data, truth):
    out = bh.behavior_change(data.behavior, instruments=data.instruments)
    planted = truth["behavior_change_points"]
    for row in out.itertuples():
        if (row.rater, row.wave_to) == ("supervisor", "followup_3m"):
            continue  # method mix matters here: see the next test
        value = planted[row.rater][row.wave_to]
        assert row.ci_low < value < row.ci_high, (row.rater, row.wave_to)


def test_pooled_supervisor_change_compared_like_with_like(data, truth, behavior):
    # truth.json's pooled value (0.572) mixes methods in the generator's population shares;
    # the sample over-represents project-based and simulation sessions, whose planted change
    # is largest. Weighting the planted change by method with the sample's own mix of
    # participants gives the value the pooled sample estimate is an estimate of.
    kw = dict(rater="supervisor", compare=("baseline", "followup_3m"))
    pooled = bh.behavior_change(data.behavior, instruments=data.instruments, **kw).iloc[0]
    by_method = bh.behavior_change(behavior, by="method", instruments=data.instruments, **kw)
    planted = (
        by_method["method"].astype(str).map(truth["behavior_supervisor_change_3m_by_method_points"])
    )
    assert by_method["n"].sum() == pooled["n"]
    sample_mix = float((planted * by_method["n"]).sum() / by_method["n"].sum())
    assert pooled["ci_low"] < sample_mix < pooled["ci_high"]
    population = truth["behavior_change_points"]["supervisor"]["followup_3m"]
    assert not pooled["ci_low"] < population < pooled["ci_high"]  # the mismatch explained
    assert sample_mix - population > 0.04
    # each method's own interval holds its planted value (99 %, five intervals at once)
    wide = bh.behavior_change(
        behavior, by="method", instruments=data.instruments, confidence=0.99, **kw
    )
    assert ((wide["ci_low"] < planted) & (planted < wide["ci_high"])).all()


def test_self_inflation_and_driver_slope_recovered(data, truth):
    gap = bh.rater_agreement(data.behavior, wave="baseline", instruments=data.instruments)
    row = gap.iloc[0]
    assert row["gap_ci_low"] < truth["behavior_self_inflation_points"] < row["gap_ci_high"]
    # truth: slope of the supervisor-rated 3-month change on the mean of the four driver
    # ratings at 3 months (the participants' own answers)
    slope = bh.drivers_slope(data.behavior, instruments=data.instruments, wave="followup_3m")
    row = slope.iloc[0]
    assert row["ci_low"] < truth["behavior_driver_slope_points"] < row["ci_high"]
    assert row["slope"] < truth["behavior_driver_slope_latent"] + 0.1


# --------------------------------------------------------------------------- Level 4
def test_element_effects_recovered_by_did(data, truth):
    panel = rs.ikm_panel(data.ikm_responses, units=data.units)
    elements = rs.ikm_elements(data.ikm_responses, by=["unit_id", "period"]).merge(
        panel[["unit_id", "period", "treated", "treated_post"]], on=["unit_id", "period"]
    )
    planted = truth["ikm_element_effects_points"]
    for element, part in elements.groupby("element"):  # nine regressions, one per element
        out = rs.did(part, outcome="converted", treated="treated", post="treated_post",
                     unit="unit_id", period="period").iloc[0]  # fmt: skip
        assert out["ci_low"] < planted[element] < out["ci_high"], element
    assert np.mean(list(planted.values())) == pytest.approx(truth["ikm_effect_points"])


def test_trained_units_started_lower_as_planted(data, truth):
    # balance of the first year (2023, before any training), SEs clustered by unit
    panel = rs.ikm_panel(data.ikm_responses, units=data.units)
    before = panel[panel["t"] < panel["t"].min() + 4]
    bt = rs.balance_table(before, group="treated", variables="converted", se="cluster",
                          cluster="unit_id")  # fmt: skip
    row = bt.table.iloc[0]
    crit = stats.t.ppf(0.975, len(data.units) - 1)  # CR1 t-tests on G - 1 df
    gap = truth["ikm_trained_baseline_gap_points"]
    assert row["difference"] - crit * row["se"] < gap < row["difference"] + crit * row["se"]


# --------------------------------------------------------------------------- Level 5
def test_overhead_is_the_planted_share_of_delivery(data, truth):
    costs = R.fully_loaded_costs(data.costs, by="program")
    wide = costs.pivot(index="program", columns="category", values="amount_idr")
    delivery = wide[["facilitator_fees", "materials", "venue_catering", "travel_accommodation"]]
    share = truth["cost_overhead_share_of_delivery"]
    # the generator rounds each overhead line to thousands of rupiah
    np.testing.assert_allclose(wide["overhead"], share * delivery.sum(axis=1), atol=500)


def test_design_is_prorated_over_the_planted_life(data, truth):
    design = data.costs[data.costs["category"] == "design_development"]
    assert set(design["prorate_years"]) <= set(map(float, truth["cost_design_prorate_years"]))
    year1 = R.fully_loaded_costs(data.costs, by=None).set_index("category")["amount_idr"]
    expected = (design["amount_idr"] / design["prorate_years"]).sum()
    assert year1["design_development"] == pytest.approx(expected)


def test_mean_attribution_and_confidence_recovered(data, truth):
    # the planted extreme claims are drawn apart (attribution 1, confidence 1): leave them out
    keys = pd.DataFrame(truth["benefit_extreme_claims"])[["participant_id", "program", "measure"]]
    est = data.benefit_estimates.astype({c: "str" for c in keys.columns})
    est = est.merge(keys, how="left", indicator=True)
    ordinary = est[est["_merge"] == "left_only"]
    assert len(est) - len(ordinary) == truth["benefit_extreme_claim_count"]
    for col, key in (("attribution", "benefit_mean_attribution"),
                     ("confidence", "benefit_mean_confidence")):  # fmt: skip
        x = ordinary[col].to_numpy(float)
        low, high = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
        assert low < truth[key] < high, col


def test_conservative_principles_change_the_sign_of_roi(data):
    costs = R.fully_loaded_costs(data.costs, by=None)
    cons = R.roi(R.isolated_benefits(data.benefit_estimates), costs)
    loose = R.roi(R.isolated_benefits(data.benefit_estimates, conservative=False), costs,
                  conservative=False)  # fmt: skip
    assert cons.roi_pct < 0 < loose.roi_pct
    assert cons.bcr == pytest.approx(cons.roi_pct / 100 + 1)


# --------------------------------------------------------------------------- second design


@pytest.mark.parametrize("seed", range(5))
def test_dynamic_design_twfe_misses_and_cohort_estimator_recovers_the_truth(seed):
    # toolkit.synth's dynamic design (issue 14): the IKM effect grows with time since
    # training and is larger for earlier cohorts. The planted average effect over trained
    # unit-quarters is what the cohort estimator's simple aggregation estimates; static TWFE
    # compares later cohorts with earlier, still-changing ones and is biased downwards.
    from toolkit import synth

    data = synth.generate(seed=seed, scale=4, tables=["ikm_responses"], design="dynamic")
    planted = synth.truth(seed=seed, scale=4, design="dynamic")
    assert planted["ikm_clipped_cells"] == 0  # the planted effect is the realised one
    target = planted["ikm_effect_simple_att_points"]
    panel = rs.ikm_panel(data.ikm_responses, units=data.units)
    res = rs.event_study(panel, outcome="converted", unit="unit_id", period="period",
                         first_treated="first_treated", window=(-4, 6))  # fmt: skip
    overall = res.overall.set_index("estimator")
    cohort, twfe = overall.loc["cohort"], overall.loc["twfe"]
    assert cohort["ci_low"] < target < cohort["ci_high"]
    assert not twfe["ci_low"] < target < twfe["ci_high"]
    assert twfe["estimate"] < cohort["estimate"]


def test_dynamic_design_leaves_every_other_table_and_the_sample_truth_alone():
    from toolkit import synth

    kw = {"seed": 7, "scale": 0.3, "tables": ["ikm_responses", "costs"]}
    a, b = synth.generate(**kw), synth.generate(**kw, design="dynamic")
    pd.testing.assert_frame_equal(a.costs, b.costs)
    assert not a.ikm_responses.equals(b.ikm_responses)
    constant = synth.truth(seed=7, scale=0.3)
    assert "ikm_effect_simple_att_points" not in constant
    effects = synth.truth(seed=7, scale=0.3, design="dynamic")["ikm_effect_by_cohort_event_points"]
    first, last = list(effects.values())[0], list(effects.values())[-1]
    assert first[0] > 0  # from the quarter of training on
    assert first[1] > first[0] and first[0] > last[0]  # grows with time, larger for earlier


@pytest.mark.parametrize("seed", range(5))
def test_before_after_misses_and_the_comparison_recovers_the_planted_effect(seed):
    # One more place where the naive estimate differs from the right one (issue 14): the
    # trained units' IKM after training minus before (per unit, then a one-sample t interval
    # across units, scipy) also carries the common trend and season, so it overshoots the
    # planted +4.0 points; the cohort estimator, which compares with untrained units, does not.
    from toolkit import synth

    data = synth.generate(seed=seed, scale=4, tables=["ikm_responses"])
    planted = synth.truth(seed=seed, scale=4)["ikm_effect_points"]
    panel = rs.ikm_panel(data.ikm_responses, units=data.units)
    trained = panel[panel["treated"] == 1]
    means = trained.groupby(["unit_id", "treated_post"], observed=True)["converted"].mean()
    per_unit = means.unstack()
    change = (per_unit[per_unit.columns.max()] - per_unit[per_unit.columns.min()]).dropna()
    naive = stats.ttest_1samp(change, 0.0).confidence_interval(0.95)
    assert not naive.low < planted < naive.high
    res = rs.event_study(panel, outcome="converted", unit="unit_id", period="period",
                         first_treated="first_treated", window=(-4, 6), estimator="cohort")  # fmt: skip
    cohort = res.overall.iloc[0]
    assert cohort["ci_low"] < planted < cohort["ci_high"]
