"""Tests of toolkit.reliability against independent references.

References used (source beside each expected value):
* pingouin 0.7 and its bundled datasets ``cronbach_alpha`` and ``cronbach_wide_missing``
  (pingouin's docstrings state the psych::alpha call each value matches);
* SciPy (pearsonr, pointbiserialr, the F distribution for Feldt's interval);
* R ``factanal`` output for ``ability.cov`` (2 factors, from the GPArotation test suite),
  statsmodels' ML factor analysis (itself tested against R), and psych's ``fa`` on
  ``sim.congeneric`` (loadings .8 .7 .6 .5, Revelle's course notes);
* reverse-keyed items, "tidak tahu" codes, respondents made of several columns and rows
  without a group: pingouin's alpha on the recoded or cleaned wide data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import optimize, stats

from toolkit import reliability as rel
from toolkit._items import fit_factors


@pytest.fixture(scope="module")
def likert_long():
    # pingouin.read_dataset("cronbach_alpha"): 15 subjects x 10 items, long format
    return pg.read_dataset("cronbach_alpha")


@pytest.fixture(scope="module")
def likert_wide(likert_long):
    return likert_long.pivot(index="Subj", columns="Items", values="Scores")


@pytest.fixture(scope="module")
def binary_missing():
    # pingouin.read_dataset("cronbach_wide_missing"): 12 x 11 binary, 4 missing cells
    return pg.read_dataset("cronbach_wide_missing")


def _with_cov(target: np.ndarray, n: int, seed: int = 1) -> pd.DataFrame:
    """Data whose sample covariance matrix (n - 1 divisor) equals ``target`` exactly."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, target.shape[0]))
    z -= z.mean(axis=0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False)).T)
    x = z @ np.linalg.cholesky(target).T
    return pd.DataFrame(x, columns=[f"v{j}" for j in range(target.shape[0])])


# ------------------------------------------------------------------------------------------
# Cronbach's alpha
# ------------------------------------------------------------------------------------------
def test_alpha_long_matches_pingouin_docstring(likert_long):
    res = rel.cronbach_alpha(likert_long, item="Items", value="Scores", subject="Subj")
    row = res.iloc[0]
    # pingouin 0.7 docstring: pg.cronbach_alpha(data, items="Items", scores="Scores",
    #   subject="Subj") -> (0.5917188485995826, array([0.195, 0.84 ]))
    assert row["estimate"] == pytest.approx(0.5917188485995826, abs=1e-12)
    assert row["ci_low"] == pytest.approx(0.195, abs=5e-4)
    assert row["ci_high"] == pytest.approx(0.84, abs=5e-4)
    assert (row["n"], row["k"], row["n_dropped"]) == (15, 10, 0)
    assert row["verdict"] == "poor"  # George & Mallery: .5 < alpha <= .6


def test_alpha_wide_equals_long(likert_long, likert_wide):
    a = rel.cronbach_alpha(likert_wide)
    b = rel.cronbach_alpha(likert_long, item="Items", value="Scores", subject="Subj")
    cols = ["estimate", "ci_low", "ci_high", "n", "k"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


def test_alpha_pairwise_and_listwise_match_psych_via_pingouin(binary_missing):
    # pingouin docstring: psych::alpha(data, use="pairwise") -> 0.732660835214447
    pair = rel.cronbach_alpha(binary_missing, nan_policy="pairwise").iloc[0]
    assert pair["estimate"] == pytest.approx(0.732660835214447, abs=1e-12)
    assert pair["nan_policy"] == "pairwise"
    # pingouin docstring: psych::alpha(data, use="complete.obs") -> 0.8016949152542373
    lw = rel.cronbach_alpha(binary_missing).iloc[0]
    assert lw["estimate"] == pytest.approx(0.8016949152542373, abs=1e-12)
    assert lw["nan_policy"] == "listwise"
    assert (lw["n"], lw["n_dropped"], lw["k"]) == (9, 3, 11)


def test_feldt_interval_uses_n_after_deletion(binary_missing):
    lw = rel.cronbach_alpha(binary_missing, confidence=0.90).iloc[0]
    a, n, k = lw["estimate"], 9, 11
    # Feldt et al. (1987) with scipy's F quantiles and the n after listwise deletion; pingouin
    # 0.7 uses the n before deletion (12) and gives [0.581, 0.933] at 95 %.
    low = 1 - (1 - a) * stats.f.ppf(0.95, n - 1, (n - 1) * (k - 1))
    high = 1 - (1 - a) * stats.f.ppf(0.05, n - 1, (n - 1) * (k - 1))
    assert lw["ci_low"] == pytest.approx(low, rel=1e-12)
    assert lw["ci_high"] == pytest.approx(high, rel=1e-12)
    assert lw["confidence"] == 0.90


def test_alpha_complete_data_ci_matches_pingouin(likert_wide):
    rng = np.random.default_rng(3)
    data = likert_wide.iloc[:, :6] + rng.integers(0, 2, size=(15, 6))
    expected, ci = pg.cronbach_alpha(data=data, ci=0.9)
    row = rel.cronbach_alpha(data, confidence=0.9).iloc[0]
    assert row["estimate"] == pytest.approx(expected, abs=1e-12)
    np.testing.assert_allclose([row["ci_low"], row["ci_high"]], ci, atol=5e-4)


def test_alpha_by_group_equals_separate_calls(likert_long):
    data = likert_long.assign(session=np.where(likert_long["Subj"] < 8, "S1", "S2"))
    res = rel.cronbach_alpha(data, item="Items", value="Scores", subject="Subj", by="session")
    assert res["session"].tolist() == ["S1", "S2"]
    for _, row in res.iterrows():
        part = data[data["session"] == row["session"]]
        wide = part.pivot(index="Subj", columns="Items", values="Scores")
        assert row["estimate"] == pytest.approx(pg.cronbach_alpha(data=wide)[0], abs=1e-12)
        assert row["n"] == len(wide)


def test_george_mallery_bands_and_boundaries():
    values = np.array([0.95, 0.9, 0.85, 0.8, 0.75, 0.65, 0.55, 0.5, 0.2, -1.0, np.nan])
    assert rel._george_mallery(values).tolist() == [
        "excellent",
        "good",  # .90 is not > .9
        "good",
        "acceptable",
        "acceptable",
        "questionable",
        "poor",
        "unacceptable",
        "unacceptable",
        "unacceptable",
        None,
    ]
    assert set(rel.LABELS) >= {"excellent", "unacceptable", "check_answer_key"}
    assert all(set(v) == {"id", "en"} for v in rel.LABELS.values())


def test_alpha_degenerate_groups_are_nan():
    df = pd.DataFrame({"a": [1.0, 1.0, 1.0], "b": [2.0, 2.0, 2.0]})
    row = rel.cronbach_alpha(df).iloc[0]
    assert np.isnan(row["estimate"]) and np.isnan(row["ci_low"]) and row["verdict"] is None


def test_alpha_bad_arguments(likert_wide, likert_long):
    with pytest.raises(ValueError, match="`nan_policy` must be one of 'listwise', 'pairwise'"):
        rel.cronbach_alpha(likert_wide, nan_policy="complete")
    with pytest.raises(ValueError, match="`confidence` must be a number in"):
        rel.cronbach_alpha(likert_wide, confidence=95)
    with pytest.raises(KeyError, match="Did you mean 'Items'"):
        rel.cronbach_alpha(likert_long, item="Item", value="Scores", subject="Subj")
    with pytest.raises(ValueError, match="needs both `item`"):
        rel.cronbach_alpha(likert_long, item="Items")
    twice = pd.concat([likert_long, likert_long.iloc[:1]])
    with pytest.raises(ValueError, match="answers an item twice"):
        rel.cronbach_alpha(twice, item="Items", value="Scores", subject="Subj")
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        rel.cronbach_alpha(likert_wide.to_numpy())


@settings(max_examples=60, deadline=None)
@given(
    x=arrays(
        np.int64, st.tuples(st.integers(3, 25), st.integers(2, 7)), elements=st.integers(1, 5)
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_alpha_properties(x, seed):
    df = pd.DataFrame(x, columns=[f"q{j}" for j in range(x.shape[1])])
    res = rel.cronbach_alpha(df).iloc[0]
    perm = np.random.default_rng(seed).permutation(x.shape[1])
    shuffled = rel.cronbach_alpha(df.iloc[:, perm]).iloc[0]
    if np.isnan(res["estimate"]):
        assert np.isnan(shuffled["estimate"])
        return
    assert shuffled["estimate"] == pytest.approx(res["estimate"], rel=1e-9, abs=1e-12)
    assert res["estimate"] <= 1 + 1e-12
    assert res["ci_low"] <= res["estimate"] <= res["ci_high"]


# ------------------------------------------------------------------------------------------
# KR-20
# ------------------------------------------------------------------------------------------
def test_kr20_textbook_formula_and_alpha(binary_missing):
    res = rel.kr20(binary_missing).iloc[0]
    complete = binary_missing.dropna()
    p = complete.mean()
    total = complete.sum(axis=1)
    k = complete.shape[1]
    # Kuder & Richardson (1937): k/(k-1) * (1 - sum(p q) / var(total)), population variances
    expected = k / (k - 1) * (1 - (p * (1 - p)).sum() / total.var(ddof=0))
    assert res["estimate"] == pytest.approx(expected, abs=1e-12)
    assert res["estimate"] == pytest.approx(0.8016949152542373, abs=1e-12)  # = psych alpha
    assert res["method"].startswith("KR-20")


def test_kr20_rejects_non_binary(likert_wide):
    with pytest.raises(ValueError, match="scored 0/1"):
        rel.kr20(likert_wide)


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(4, 30), st.integers(2, 8)), elements=st.integers(0, 1))
)
def test_kr20_equals_alpha_on_binary(x):
    df = pd.DataFrame(x, columns=[f"i{j}" for j in range(x.shape[1])])
    a, b = rel.kr20(df).iloc[0]["estimate"], rel.cronbach_alpha(df).iloc[0]["estimate"]
    assert (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b, abs=1e-12)


# ------------------------------------------------------------------------------------------
# item statistics
# ------------------------------------------------------------------------------------------
def test_item_statistics_against_pingouin_and_scipy(likert_wide):
    res = rel.item_statistics(likert_wide).set_index("item")
    total = likert_wide.sum(axis=1)
    for col in likert_wide.columns:
        rest = total - likert_wide[col]
        row = res.loc[col]
        # corrected item-total r: scipy.stats.pearsonr(item, total of the other items)
        assert row["item_rest_r"] == pytest.approx(stats.pearsonr(likert_wide[col], rest)[0])
        assert row["item_total_r"] == pytest.approx(stats.pearsonr(likert_wide[col], total)[0])
        # alpha if item deleted: pingouin.cronbach_alpha without the item
        expected = pg.cronbach_alpha(data=likert_wide.drop(columns=col))[0]
        assert row["alpha_if_deleted"] == pytest.approx(expected, abs=1e-12)
        assert row["sd"] == pytest.approx(likert_wide[col].std())
        assert row["mean"] == pytest.approx(likert_wide[col].mean())
    assert res["alpha"].iloc[0] == pytest.approx(0.5917188485995826)


def test_item_statistics_by_group_long(likert_long):
    data = likert_long.assign(session=np.where(likert_long["Subj"] % 2 == 0, "A", "B"))
    res = rel.item_statistics(data, item="Items", value="Scores", subject="Subj", by="session")
    assert len(res) == 20 and list(res.columns[:2]) == ["session", "item"]
    part = data[data["session"] == "B"].pivot(index="Subj", columns="Items", values="Scores")
    row = res[(res["session"] == "B") & (res["item"] == "Q3")].iloc[0]
    rest = part.sum(axis=1) - part["Q3"]
    assert row["item_rest_r"] == pytest.approx(stats.pearsonr(part["Q3"], rest)[0])


# ------------------------------------------------------------------------------------------
# factor model and omega
# ------------------------------------------------------------------------------------------
ABILITY_COV = np.array(
    # R datasets::ability.cov$cov (Rdatasets csv/datasets/ability.cov.csv), n.obs = 112
    [
        [24.641, 5.991, 33.520, 6.023, 20.755, 29.701],
        [5.991, 6.700, 18.137, 1.782, 4.936, 7.204],
        [33.520, 18.137, 149.831, 19.424, 31.430, 50.753],
        [6.023, 1.782, 19.424, 12.711, 4.757, 9.075],
        [20.755, 4.936, 31.430, 4.757, 52.604, 66.762],
        [29.701, 7.204, 50.753, 9.075, 66.762, 135.292],
    ]
)


def _corr(cov):
    sd = np.sqrt(np.diag(cov))
    return cov / np.outer(sd, sd)


def test_ml_fit_matches_r_factanal_two_factors():
    # R: factanal(factors = 2, covmat = ability.cov) varimax loadings, as stored to 18 digits
    # in GPArotation's test script ("test MASS 4th ed. p 322-324"). Communalities are
    # rotation-invariant, so compare h2 = rowSums(loadings^2).
    r_loadings = np.array(
        [
            [0.499437829039896530, 0.54344904693111962],
            [0.156070079431279873, 0.62153798991197484],
            [0.205786989958578748, 0.85992588538426895],
            [0.108530754440558652, 0.46776101732283504],
            [0.956242470279811574, 0.18209631992182243],
            [0.784768183877880943, 0.22482213687364205],
        ]
    )
    load, psi, ok = fit_factors(_corr(ABILITY_COV), 2, "ml")
    assert ok
    np.testing.assert_allclose((load**2).sum(axis=1), (r_loadings**2).sum(axis=1), atol=2e-5)
    np.testing.assert_allclose(psi, 1 - (r_loadings**2).sum(axis=1), atol=2e-5)


def test_ml_one_factor_matches_statsmodels_and_factanal():
    from statsmodels.multivariate.factor import Factor

    load, psi, _ = fit_factors(_corr(ABILITY_COV), 1, "ml")
    sm = Factor(corr=_corr(ABILITY_COV), n_factor=1, method="ml", nobs=112).fit()
    np.testing.assert_allclose(psi, sm.uniqueness, atol=1e-5)
    # R: factanal(factors = 1, covmat = ability.cov) prints uniquenesses
    # 0.535 0.853 0.748 0.910 0.232 0.280 (Venables & Ripley, MASS 4th ed., p. 323)
    np.testing.assert_allclose(psi, [0.535, 0.853, 0.748, 0.910, 0.232, 0.280], atol=5e-4)


def test_omega_from_data_with_ability_covariance():
    data = _with_cov(ABILITY_COV, 112)
    res = rel.mcdonald_omega(data).iloc[0]
    from statsmodels.multivariate.factor import Factor

    sm = Factor(corr=_corr(ABILITY_COV), n_factor=1, method="ml", nobs=112).fit()
    sd = np.sqrt(np.diag(ABILITY_COV))
    lam = np.abs(sm.loadings[:, 0]) * sd
    psi = sm.uniqueness * sd**2
    expected = lam.sum() ** 2 / (lam.sum() ** 2 + psi.sum())  # McDonald (1999) omega total
    assert res["estimate"] == pytest.approx(expected, abs=1e-5)
    assert res["converged"] and not res["heywood"] and res["n"] == 112


@pytest.mark.parametrize("method", ["ml", "minres"])
def test_omega_congeneric_exact_structure(method):
    # psych::sim.congeneric() default loadings .8 .7 .6 .5; psych::fa(R) (minres) recovers
    # exactly 0.8 0.7 0.6 0.5 (Revelle, personality-project.org course notes, wk.4.fa)
    lam = np.array([0.8, 0.7, 0.6, 0.5])
    target = np.outer(lam, lam)
    np.fill_diagonal(target, 1.0)
    data = _with_cov(target, 200)
    res = rel.mcdonald_omega(data, method=method).iloc[0]
    np.testing.assert_allclose(list(res["loadings"].values()), lam, atol=1e-5)
    # omega = (sum lambda)^2 / ((sum lambda)^2 + sum(1 - lambda^2)) = 6.76 / 9.02
    assert res["estimate"] == pytest.approx(6.76 / 9.02, abs=1e-6)
    alpha = rel.cronbach_alpha(data).iloc[0]["estimate"]
    assert res["estimate"] > alpha  # congeneric items: alpha is a lower bound


def test_omega_equals_alpha_when_tau_equivalent():
    target = np.full((5, 5), 0.42)
    np.fill_diagonal(target, 1.0)
    data = _with_cov(target * 4.0, 150)
    omega = rel.mcdonald_omega(data).iloc[0]["estimate"]
    alpha = rel.cronbach_alpha(data).iloc[0]["estimate"]
    assert omega == pytest.approx(alpha, abs=1e-6)


def test_minres_matches_off_diagonal_least_squares():
    corr = _corr(ABILITY_COV)
    load, _, ok = fit_factors(corr, 1, "minres")
    iu = np.triu_indices(6, 1)

    def resid(lam):  # unweighted least squares on the off-diagonal correlations
        return (corr - np.outer(lam, lam))[iu]

    ref = optimize.least_squares(resid, np.full(6, 0.5), xtol=1e-14, ftol=1e-14).x
    assert ok
    np.testing.assert_allclose(load[:, 0], np.abs(ref), atol=1e-5)


def test_omega_by_group_and_small_groups():
    data = _with_cov(ABILITY_COV, 112).assign(session=["A"] * 100 + ["B"] * 12)
    data.loc[100:, "v1"] = 1.0  # constant item: omega undefined in group B
    res = rel.mcdonald_omega(data, by="session")
    assert res["session"].tolist() == ["A", "B"]
    assert np.isfinite(res["estimate"].iloc[0]) and np.isnan(res["estimate"].iloc[1])
    with pytest.raises(ValueError, match="`method` must be one of 'ml', 'minres'"):
        rel.mcdonald_omega(data, method="pca")


# ------------------------------------------------------------------------------------------
# item analysis
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def binary_test():
    rng = np.random.default_rng(11)
    ability = rng.normal(size=60)
    difficulty = np.array([-1.5, -0.5, 0.0, 0.5, 1.2, -1.0, 0.3, 0.8, -0.2, 0.0])
    p = 1 / (1 + np.exp(-2 * (ability[:, None] - difficulty)))
    x = (rng.random((60, 10)) < p).astype(int)
    x[:, 9] = 1 - x[:, 9]  # a miskeyed item
    return pd.DataFrame(x, columns=[f"K{j:02d}" for j in range(1, 11)])


def _naive_d(x: pd.DataFrame, share=0.27):
    total = x.sum(axis=1).to_numpy()
    order = np.lexsort((np.arange(len(x)), -total))  # by total, ties in data order
    size = max(int(np.floor(share * len(x) + 0.5)), 1)
    up, low = x.iloc[order[:size]], x.iloc[order[-size:]]
    return up.mean() - low.mean()


def test_item_analysis_against_scipy_and_naive(binary_test):
    res = rel.item_analysis(binary_test).set_index("item")
    total = binary_test.sum(axis=1)
    d = _naive_d(binary_test)
    for col in binary_test.columns:
        row = res.loc[col]
        assert row["difficulty"] == pytest.approx(binary_test[col].mean())
        assert row["discrimination"] == pytest.approx(d[col])
        pb = stats.pointbiserialr(binary_test[col], total)[0]
        assert row["point_biserial"] == pytest.approx(pb)
        rest = stats.pearsonr(binary_test[col], total - binary_test[col])[0]
        assert row["item_rest_r"] == pytest.approx(rest)
    assert res.loc["K10", "verdict"] == "check_answer_key" and res.loc["K10", "flag_negative"]
    assert res["n_upper_lower"].iloc[0] == 16  # round(0.27 * 60)


def test_ebel_bands_boundaries():
    d = np.array([0.55, 0.40, 0.39, 0.30, 0.29, 0.20, 0.19, 0.0, -0.05, np.nan])
    assert rel._ebel(d).tolist() == [
        "very_good",
        "very_good",
        "good",
        "good",
        "revise",
        "revise",
        "discard",
        "discard",
        "check_answer_key",
        None,
    ]


def test_item_analysis_long_tests_table_by_phase(binary_test):
    long = binary_test.assign(participant_id=[f"P{i:02d}" for i in range(60)]).melt(
        id_vars="participant_id", var_name="item_code", value_name="correct"
    )
    long = pd.concat([long.assign(phase="pre"), long.assign(phase="post")], ignore_index=True)
    long["correct"] = long["correct"].astype("Int16")
    long.loc[long.index[0], "correct"] = pd.NA  # one unanswered item in one phase
    res = rel.item_analysis(long, item="item_code", value="correct", by="phase")
    assert res["phase"].tolist() == ["post"] * 10 + ["pre"] * 10
    wide = rel.item_analysis(binary_test)
    post = res[res["phase"] == "post"].reset_index(drop=True)
    cols = ["item", "difficulty", "discrimination", "point_biserial", "item_rest_r"]
    pd.testing.assert_frame_equal(post[cols], wide[cols])
    pre = res[res["phase"] == "pre"].set_index("item")
    assert pre.loc["K01", "difficulty"] == pytest.approx((binary_test["K01"].sum() - 1) / 60)
    omit = rel.item_analysis(long, item="item_code", value="correct", by="phase", nan_policy="omit")
    assert omit[omit["phase"] == "pre"]["n"].iloc[0] == 59


def test_item_analysis_bad_arguments(binary_test):
    with pytest.raises(ValueError, match="`group_share` must be a number in"):
        rel.item_analysis(binary_test, group_share=0.6)
    with pytest.raises(ValueError, match="`nan_policy` must be one of 'incorrect', 'omit'"):
        rel.item_analysis(binary_test, nan_policy="listwise")
    with pytest.raises(ValueError, match="scored 0/1"):
        rel.item_analysis(binary_test * 2)


def test_by_column_named_like_a_result_column(likert_long):
    data = likert_long.assign(method=np.where(likert_long["Subj"] < 8, "seminar", "workshop"))
    res = rel.cronbach_alpha(data, item="Items", value="Scores", subject="Subj", by="method")
    assert res["method"].tolist() == ["seminar", "workshop"]
    assert res["stat_method"].str.startswith("Cronbach").all()


def test_item_analysis_items_not_given_are_not_wrong(binary_test):
    # two programmes with different tests pooled in one group: an item nobody was given is
    # not scored as wrong; its statistics use only the respondents who were given it
    a = binary_test.iloc[:30, :5].assign(participant_id=[f"A{i}" for i in range(30)])
    b = binary_test.iloc[30:, 5:].assign(participant_id=[f"B{i}" for i in range(30)])
    long = pd.concat(
        [
            a.melt(id_vars="participant_id", var_name="item_code", value_name="correct"),
            b.melt(id_vars="participant_id", var_name="item_code", value_name="correct"),
        ]
    )
    res = rel.item_analysis(long, item="item_code", value="correct").set_index("item")
    assert (res["n"] == 30).all()
    assert res.loc["K02", "difficulty"] == pytest.approx(binary_test["K02"].iloc[:30].mean())
    assert res.loc["K07", "difficulty"] == pytest.approx(binary_test["K07"].iloc[30:].mean())
    part = binary_test.iloc[30:, 5:]
    total = part.sum(axis=1)
    expected = stats.pearsonr(part["K07"], total - part["K07"])[0]
    assert res.loc["K07", "item_rest_r"] == pytest.approx(expected)


# ------------------------------------------------------------------------------------------
# long layouts, respondents, missing groups
# ------------------------------------------------------------------------------------------
def _layouts(long: pd.DataFrame, subject: str, item: str) -> dict[str, pd.DataFrame]:
    """The same long answers in three row orders: by respondent (each respondent's items
    together and in item order: the reshape path), by item (pingouin's order) and shuffled."""
    by_resp = long.sort_values([subject, item], kind="stable").reset_index(drop=True)
    shuffled = long.sample(frac=1.0, random_state=4).reset_index(drop=True)
    return {"respondent": by_resp, "item": long, "shuffled": shuffled}


def test_long_row_order_does_not_matter(likert_long, binary_test):
    data = likert_long.assign(session=np.where(likert_long["Subj"] % 3 == 0, "A", "B"))
    kw = {"item": "Items", "value": "Scores", "subject": "Subj", "by": "session"}
    results = {
        name: (rel.cronbach_alpha(df, **kw), rel.item_statistics(df, **kw))
        for name, df in _layouts(data, "Subj", "Items").items()
    }
    for alpha, stats_ in results.values():
        pd.testing.assert_frame_equal(alpha, results["item"][0])
        pd.testing.assert_frame_equal(stats_, results["item"][1])
    # item_analysis breaks ties by respondent order (sorted by subject): every order agrees
    tests = binary_test.assign(participant_id=[f"P{i:02d}" for i in range(60)]).melt(
        id_vars="participant_id", var_name="item_code", value_name="correct"
    )
    ref = rel.item_analysis(binary_test)
    for df in _layouts(tests, "participant_id", "item_code").values():
        got = rel.item_analysis(df, item="item_code", value="correct")
        pd.testing.assert_frame_equal(got, ref)


def test_same_participant_in_two_sessions_needs_both_in_subject(likert_long):
    # 15 people answered in two sessions; pooled without `by`, each answer sheet is a
    # respondent: subject=["Subj", "session"]
    two = pd.concat([likert_long.assign(session="S1"), likert_long.assign(session="S2")])
    with pytest.raises(ValueError, match="answers an item twice"):
        rel.cronbach_alpha(two, item="Items", value="Scores", subject="Subj")
    pooled = rel.cronbach_alpha(two, item="Items", value="Scores", subject=["Subj", "session"])
    wide = two.pivot_table(index=["Subj", "session"], columns="Items", values="Scores")
    # pingouin 0.7 on the 30 answer sheets
    assert pooled.loc[0, "estimate"] == pytest.approx(pg.cronbach_alpha(data=wide)[0], abs=1e-12)
    assert pooled.loc[0, "n"] == 30


def test_rows_without_a_group_are_dropped(likert_long):
    data = likert_long.assign(session=np.where(likert_long["Subj"] < 8, "S1", None))
    res = rel.cronbach_alpha(data, item="Items", value="Scores", subject="Subj", by="session")
    assert res["session"].tolist() == ["S1"]
    part = data[data["session"] == "S1"].pivot(index="Subj", columns="Items", values="Scores")
    assert res.loc[0, "estimate"] == pytest.approx(pg.cronbach_alpha(data=part)[0], abs=1e-12)
    wide = likert_long.pivot(index="Subj", columns="Items", values="Scores")
    wide["unit"] = pd.Series(np.where(wide.index < 8, "A", None), index=wide.index)
    assert rel.cronbach_alpha(wide, by="unit")["n"].tolist() == [8]


# ------------------------------------------------------------------------------------------
# "tidak tahu" answers, scales and reverse-keyed items
# ------------------------------------------------------------------------------------------
def test_tidak_tahu_code_is_missing_not_a_score(likert_wide):
    coded = likert_wide.astype(float).copy()
    coded.iloc[2, 1] = 99  # "tidak tahu"
    blank = coded.replace(99, np.nan)
    a = rel.cronbach_alpha(coded).iloc[0]
    b = rel.cronbach_alpha(blank).iloc[0]
    assert a["estimate"] == pytest.approx(b["estimate"]) and a["n"] == b["n"] == 14
    # with na_code=None, 99 is a score: alpha is different (and wrong for a 1-7 scale)
    assert rel.cronbach_alpha(coded, na_code=None).iloc[0]["estimate"] != pytest.approx(
        a["estimate"]
    )
    percent = likert_wide * 14.0  # scores up to 98 ... and 100 would be above the code
    percent.iloc[0, 0] = 100.0
    with pytest.raises(ValueError, match="Pass na_code=None"):
        rel.cronbach_alpha(percent)
    assert np.isfinite(rel.cronbach_alpha(percent, na_code=None).iloc[0]["estimate"])


def test_reverse_keyed_item_recoded(likert_wide):
    # Q3 asked the other way round on the 1-7 scale: x -> 1 + 7 - x
    flipped = likert_wide.assign(Q3=8 - likert_wide["Q3"])
    expected = pg.cronbach_alpha(data=likert_wide)[0]  # pingouin on the original wording
    assert rel.cronbach_alpha(flipped).iloc[0]["estimate"] < expected - 0.1
    got = rel.cronbach_alpha(flipped, reverse=["Q3"], scale=(1, 7)).iloc[0]["estimate"]
    assert got == pytest.approx(expected, abs=1e-12)
    bank = pd.DataFrame(
        {
            "item_code": list(likert_wide.columns),
            "scale_min": 1,
            "scale_max": 7,
            "reverse_keyed": [c == "Q3" for c in likert_wide.columns],
        }
    )
    by_bank = rel.cronbach_alpha(flipped, reverse=True, instruments=bank).iloc[0]["estimate"]
    assert by_bank == pytest.approx(expected, abs=1e-12)
    items = rel.item_statistics(flipped, reverse=True, instruments=bank).set_index("item")
    assert items["reversed"].sum() == 1 and items.loc["Q3", "reversed"]
    assert items.loc["Q3", "mean"] == pytest.approx(likert_wide["Q3"].mean())
    omega = rel.mcdonald_omega(flipped, reverse=["Q3"], scale=(1, 7)).iloc[0]
    assert omega["loadings"]["Q3"] > 0
    # 0/1 items: reversing is re-keying (1 - x), scale (0, 1) implied
    test = pd.DataFrame({"i1": [1, 1, 0, 1, 0, 1, 1], "i2": [1, 0, 0, 1, 0, 1, 1]})
    keyed = rel.kr20(test.assign(i2=1 - test["i2"]), reverse=["i2"]).iloc[0]["estimate"]
    assert keyed == pytest.approx(rel.kr20(test).iloc[0]["estimate"])


def test_scale_and_bank_checks(likert_wide):
    with pytest.raises(ValueError, match="needs its scale"):
        rel.cronbach_alpha(likert_wide, reverse=["Q3"])
    with pytest.raises(ValueError, match="reverse=True takes"):
        rel.cronbach_alpha(likert_wide, reverse=True)
    with pytest.raises(KeyError, match="Did you mean 'Q3'"):
        rel.cronbach_alpha(likert_wide, reverse=["Q33"], scale=(1, 7))
    with pytest.raises(ValueError, match="off its scale 1–5"):
        rel.cronbach_alpha(likert_wide, scale=(1, 5))
    bank = pd.DataFrame({"item_code": list(likert_wide.columns), "scale_min": 1, "scale_max": 7})
    bank.loc[bank["item_code"] == "Q10", ["scale_min", "scale_max"]] = (0, 10)
    with pytest.raises(ValueError, match=r"different scales \(0–10: Q10; 1–7: Q1"):
        rel.cronbach_alpha(likert_wide, instruments=bank)
    with pytest.raises(KeyError, match="not in `instruments`"):
        rel.cronbach_alpha(likert_wide, instruments=bank.iloc[1:])
    with pytest.raises(ValueError, match="`scale` must be a pair"):
        rel.cronbach_alpha(likert_wide, scale=(7, 1))


# ------------------------------------------------------------------------------------------
# rows in export order: respondents coded row by row (toolkit._items._rows / _pairs)
# ------------------------------------------------------------------------------------------
def _export_order(df: pd.DataFrame, seed: int, categorical: bool) -> pd.DataFrame:
    """``df`` with rows shuffled; codes as categoricals of the values present in order of
    appearance (as ``load()`` types them) or as plain strings."""
    out = df.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    if categorical:
        for col in ("participant_id", "session_id", "item_code"):
            out[col] = out[col].astype(pd.CategoricalDtype(pd.unique(out[col].dropna())))
    return out


@settings(max_examples=40, deadline=None)
@given(
    n_people=st.integers(2, 12),
    n_sessions=st.integers(1, 14),
    k=st.integers(2, 5),
    seed=st.integers(0, 10**6),
    categorical=st.booleans(),
    integers=st.booleans(),
)
def test_export_order_gives_the_sorted_result(n_people, n_sessions, k, seed, categorical,
                                              integers):  # fmt: skip
    # people answer in up to 14 sessions (more than _pairs' 8 table rounds: the hash-table
    # rest is used too), with missing answers and sessions without a name
    rng = np.random.default_rng(seed)
    pairs = [(p, s) for p in range(n_people) for s in range(n_sessions) if rng.random() < 0.7]
    if not pairs:
        pairs = [(0, 0)]
    rows = [(f"P{p}", f"S{s}", f"I{j}") for p, s in pairs for j in range(k)]
    df = pd.DataFrame(rows, columns=["participant_id", "session_id", "item_code"])
    answers = rng.integers(1, 6, len(df)).astype(float)
    answers[rng.random(len(df)) < 0.1] = np.nan
    df["response"] = pd.array(answers, dtype="Int16") if integers else answers + 0.5
    df.loc[df["session_id"] == "S0", "session_id"] = None  # rows without a group: dropped
    kw = {"item": "item_code", "value": "response", "by": "session_id"}
    ref = rel.cronbach_alpha(df, **kw)
    got = rel.cronbach_alpha(_export_order(df, seed, categorical), **kw)
    got["session_id"] = got["session_id"].astype("str")  # categories: in order of appearance
    got = got.sort_values("session_id", ignore_index=True)
    pd.testing.assert_frame_equal(got[["session_id", "n", "n_dropped", "k"]],
                                  ref[["session_id", "n", "n_dropped", "k"]])  # fmt: skip
    np.testing.assert_allclose(got["estimate"], ref["estimate"], rtol=1e-12, atol=1e-12)
    # an independent reference: each session's complete answer sheets, alpha by its formula
    for _, r in ref.iterrows():
        part = df[df["session_id"] == r["session_id"]]
        wide = part.pivot(index="participant_id", columns="item_code", values="response")
        wide = wide.astype(float).dropna(axis=1, how="all").dropna()
        assert r["n"] == len(wide) and r["k"] == wide.shape[1]
        if len(wide) >= 2 and wide.shape[1] >= 2 and wide.sum(axis=1).var() > 0:
            kk = wide.shape[1]
            alpha = kk / (kk - 1) * (1 - wide.var().sum() / wide.sum(axis=1).var())
            assert r["estimate"] == pytest.approx(alpha, rel=1e-9, abs=1e-12)


def test_export_order_item_analysis_and_twice():
    rng = np.random.default_rng(3)
    wide = pd.DataFrame(rng.integers(0, 2, (40, 6)), columns=[f"K{j}" for j in range(6)])
    wide["participant_id"] = [f"P{i:02d}" for i in range(40)]
    long = wide.melt(id_vars="participant_id", var_name="item_code", value_name="correct")
    ref = rel.item_analysis(wide.drop(columns="participant_id"))
    for categorical in (False, True):
        rows = long.sample(frac=1.0, random_state=5).reset_index(drop=True)
        if categorical:  # sorted categories: item_analysis breaks ties in subject order
            rows = rows.astype({"participant_id": "category", "item_code": "category"})
        got = rel.item_analysis(rows, item="item_code", value="correct")
        pd.testing.assert_frame_equal(got, ref)
        with pytest.raises(ValueError, match="answers an item twice"):
            rel.cronbach_alpha(pd.concat([rows, rows.iloc[:1]]), item="item_code",
                               value="correct")  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    n_a=st.integers(1, 40),
    n_b=st.integers(1, 40),
    n=st.integers(0, 400),
    rounds=st.integers(1, 8),
    seed=st.integers(0, 10**6),
)
def test_pairs_numbers_the_distinct_pairs(n_a, n_b, n, rounds, seed):
    """toolkit._items._pairs against numpy.unique: every distinct (a, b) pair gets one dense
    code, whatever the number of table rounds (few rounds: the hash-table rest is used)."""
    from toolkit._items import _pairs

    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, n_a, n), rng.integers(0, n_b, n)
    code, ca, cb = _pairs(a, n_a, b, n_b, rounds)
    keys = np.unique(a * n_b + b)
    assert len(ca) == len(cb) == len(keys)
    assert code.min(initial=0) >= 0 and code.max(initial=-1) < len(keys)
    np.testing.assert_array_equal(ca[code], a)
    np.testing.assert_array_equal(cb[code], b)
    assert len(np.unique(ca * n_b + cb)) == len(keys)  # one code per pair


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 30_000), k=st.integers(1, 13), seed=st.integers(0, 10**6))
def test_columns_any_is_any_over_rows(n, k, seed):
    from toolkit._items import _columns_any

    rng = np.random.default_rng(seed)
    m = rng.random((n, k)) < rng.choice([0.0, 1e-4, 0.5])
    np.testing.assert_array_equal(_columns_any(m), m.any(axis=0))
