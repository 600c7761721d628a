"""Budget and speakers: session table, cost per outcome, speaker quality, model, scenario."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import toolkit
from toolkit import providers as pv
from toolkit.learning import prepost_scores


@pytest.fixture(scope="module")
def truth():
    with open(toolkit.SAMPLE_DATA / "truth.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def table(sample):
    return pv.session_table(
        sample.costs,
        sample.enrollments,
        sample.sessions,
        tests=sample.tests,
        reaction=sample.reaction,
    )


@pytest.fixture(scope="module")
def ratings(sample):
    r = sample.reaction[sample.reaction["item_code"] == "R03"]
    r = r[r["response"].notna() & (r["response"] != 99)]
    frame = r.merge(sample.sessions, on="session_id").merge(
        sample.participants, on="participant_id"
    )
    return frame.assign(rating=frame["response"].astype(float))


@pytest.fixture(scope="module")
def gains(sample):
    s = prepost_scores(sample.tests).dropna(subset=["pre", "post"])
    frame = s.merge(sample.sessions, on="session_id").merge(
        sample.participants, on="participant_id"
    )
    return frame.assign(gain=frame["post"] - frame["pre"])


# ----------------------------------------------------------------------------- session table
def test_session_table_matches_pandas(sample, table):
    c = sample.costs.dropna(subset=["session_id"])
    budget = c[c["category"].isin(pv.BUDGET_CATEGORIES)].groupby("session_id", observed=True)
    ref = budget["amount_idr"].sum()
    got = table.set_index("session_id")
    np.testing.assert_allclose(got.loc[ref.index.astype(str), "cost_idr"], ref.to_numpy())
    e = sample.enrollments
    att = e.groupby("session_id", observed=True)["attended_jp"].agg(
        ["sum", lambda s: (s > 0).sum()]
    )
    np.testing.assert_allclose(got.loc[att.index.astype(str), "jp_delivered"], att["sum"])
    np.testing.assert_allclose(got.loc[att.index.astype(str), "n_attended"], att.iloc[:, 1])
    assert table["n_enrolled"].sum() == len(e)
    full = pv.session_table(sample.costs, e, sample.sessions, categories="all")
    sal = c[c["category"] == "participant_salaries"]["amount_idr"].sum()
    assert full["cost_idr"].sum() - table["cost_idr"].sum() == pytest.approx(sal)


# ----------------------------------------------------------------------------- speaker quality
def test_speaker_quality_equals_statsmodels_cluster_mean(table, ratings):
    out = pv.speaker_quality(table).set_index(["provider", "measure"])
    for prov, part in ratings.groupby("provider", observed=True):
        # reference: statsmodels OLS of the rating on a constant, SEs clustered by session
        groups = pd.factorize(part["session_id"])[0]
        fit = sm.OLS(part["rating"].to_numpy(), np.ones(len(part))).fit(
            cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
        )
        row = out.loc[(prov, "trainer_rating")]
        assert row["estimate"] == pytest.approx(fit.params[0])
        assert row["se"] == pytest.approx(fit.bse[0], rel=1e-10)
        low, high = fit.conf_int()[0]
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))


def test_planted_fees_and_trainer_means_recovered(table, truth):
    out = pv.speaker_quality(table).set_index(["provider", "measure"])
    for prov, fee in truth["cost_facilitator_fee_per_jp_idr"].items():
        low, high = out.loc[(prov, "fee_per_jp"), ["ci_low", "ci_high"]]
        assert low <= fee <= high, prov
    for prov, mean in truth["reaction_trainer_mean_by_provider"].items():
        low, high = out.loc[(prov, "trainer_rating"), ["ci_low", "ci_high"]]
        assert low <= mean <= high, prov


# ----------------------------------------------------------------------------- regression
def test_provider_model_equals_statsmodels(ratings):
    m = pv.provider_model(ratings, outcome="rating")
    # reference: the same dummies through statsmodels' formula interface, clustered by session
    d = ratings[["rating", "provider", "program", "method", "grade", "position_type", "session_id"]]
    d = d.astype({c: "str" for c in d.columns if c != "rating"})
    fit = sm.OLS.from_formula(
        "rating ~ C(provider, Treatment('internal')) + C(program) + C(method) + C(grade)"
        " + C(position_type)",
        data=d,
    ).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(d["session_id"])[0]}, use_t=True)
    ours = m.table.set_index("term")
    for name, theirs in (
        ("provider[university]", "C(provider, Treatment('internal'))[T.university]"),
        ("provider[professional_org]", "C(provider, Treatment('internal'))[T.professional_org]"),
        ("method[simulation]", "C(method)[T.simulation]"),
        ("grade[IV]", "C(grade)[T.IV]"),
    ):
        assert ours.loc[name, "estimate"] == pytest.approx(fit.params[theirs], rel=1e-8)
        assert ours.loc[name, "se"] == pytest.approx(fit.bse[theirs], rel=1e-8)
        assert ours.loc[name, "p_value"] == pytest.approx(fit.pvalues[theirs], rel=1e-6)
    assert m.r_squared == pytest.approx(fit.rsquared)
    assert (m.n, m.n_clusters, m.n_params) == (int(fit.nobs), 40, len(fit.params))


def test_planted_provider_effects_recovered(ratings, gains, truth):
    """Trainer-item effects inside their intervals; no planted effect on learning gain."""
    eff = pv.provider_model(ratings, outcome="rating").provider_effects().set_index("term")
    for prov, true in truth["reaction_trainer_provider_effect_points"].items():
        low, high = eff.loc[f"provider[{prov}]", ["ci_low", "ci_high"]]
        assert low <= true <= high, prov
        assert low > 0  # and distinguishable from internal
    learn = pv.provider_model(gains, outcome="gain").provider_effects()
    assert ((learn["ci_low"] <= 0) & (learn["ci_high"] >= 0)).all()


def test_provider_model_limits_and_aliased_controls(ratings):
    d = ratings.assign(program_copy=ratings["program"])
    m = pv.provider_model(d, outcome="rating", controls=["program", "program_copy"])
    assert all(t.startswith("program_copy[") for t in m.dropped) and m.dropped
    assert "40 sessions" in m.limits_en[1] and "40 sesi" in m.limits_id[1]
    assert "provider[university]" in m.summary("en")
    with pytest.raises(ValueError, match="not a value of 'provider'"):
        pv.provider_model(ratings, outcome="rating", reference="intern")


# ----------------------------------------------------------------------------- cost per outcome
def test_cost_per_outcome_against_pandas(table):
    out = pv.cost_per_outcome(table, n_boot=300)
    g = table.groupby("provider", observed=True)[
        ["cost_idr", "n_attended", "jp_delivered", "n_completed", "n_tested", "gain_sum"]
    ].sum()
    got = out.set_index(["provider", "measure"])["estimate"]
    for prov, r in g.iterrows():
        assert got[(prov, "cost_per_participant")] == pytest.approx(r["cost_idr"] / r["n_attended"])
        assert got[(prov, "cost_per_jp_delivered")] == pytest.approx(
            r["cost_idr"] / r["jp_delivered"]
        )
        assert got[(prov, "cost_per_completion")] == pytest.approx(r["cost_idr"] / r["n_completed"])
        per_gain = r["cost_idr"] / r["n_attended"] / (r["gain_sum"] / r["n_tested"])
        assert got[(prov, "cost_per_gain_point")] == pytest.approx(per_gain)
    assert (out["ci_low"] <= out["estimate"]).all() and (out["estimate"] <= out["ci_high"]).all()
    ref = out[out["provider"] == "internal"]
    assert (ref["ratio"] == 1).all()
    again = pv.cost_per_outcome(table, n_boot=300)
    pd.testing.assert_frame_equal(out, again)  # the seed makes it reproducible


def test_cost_per_ikm_point(table):
    with pytest.raises(ValueError, match="needs `n_units`"):
        pv.cost_per_outcome(table, ikm_effect=4.0)
    out = pv.cost_per_outcome(table, ikm_effect=(4.0, 3.0, 5.0), n_units=14, n_boot=200)
    ikm = out[out["measure"] == "cost_per_ikm_point"].set_index("provider")
    jp_share = table.groupby("provider", observed=True)["jp_delivered"].sum()
    jp_share = jp_share / jp_share.sum()
    cost = table.groupby("provider", observed=True)["cost_idr"].sum()
    np.testing.assert_allclose(ikm["estimate"], (cost / (4.0 * 14 * jp_share))[ikm.index])


# ----------------------------------------------------------------------------- scenario
def test_partnership_scenario_identities(table):
    none = pv.partnership_scenario(table, shift=0.0, n_boot=100)
    np.testing.assert_allclose(none["scenario"], none["current"])
    out = pv.partnership_scenario(table, shift=0.25, n_boot=300)
    tot = out[out["provider"] == "total"].set_index("measure")
    assert tot.loc["budget_idr", "change"] == pytest.approx(0.0, abs=1e-3)
    assert tot.loc["participants", "current"] == table["n_attended"].sum()
    per = out[(out["provider"] != "total") & (out["measure"] == "budget_idr")].set_index("provider")
    internal = table.loc[table["provider"] == "internal", "cost_idr"].sum()
    assert per.loc["internal", "scenario"] == pytest.approx(0.75 * internal)
    assert per.loc["university", "change"] == pytest.approx(0.125 * internal)
    rows = out[out["measure"] != "budget_idr"]
    assert ((rows["ci_low"] <= rows["scenario"]) & (rows["scenario"] <= rows["ci_high"])).all()
    # partners cost more per participant: fewer people trained, higher mean rating
    assert tot.loc["participants", "change"] < 0 < tot.loc["mean_trainer_rating", "change"]
    with pytest.raises(ValueError, match="`partners` must be one of"):
        pv.partnership_scenario(table, partners={"internal": 1.0})
