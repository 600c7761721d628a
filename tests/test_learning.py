"""Tests of toolkit.learning against independent references.

References (source beside each expected value): R's ``wilcox.test`` outputs (help-page
example of Hollander & Wolfe; the ``sleep`` data), SciPy (``ttest_rel``, ``wilcoxon``),
pingouin 0.7 (paired ``cohen_d``), Lakens (2013) Table 1 with its published t, d_z and d_av,
MOTE's published d_z interval, statsmodels' Wilson interval, Hake (1998) definitions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from toolkit import learning as lrn

# Hollander & Wolfe (1973) p. 29, R ?wilcox.test: x first visit, y second visit
HW_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
HW_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
# R datasets::sleep, extra sleep with drug 1 (group 1) and drug 2 (group 2)
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# Lakens (2013) Table 1: movie 1 and movie 2 rated by the same ten people
MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]


def _wide(pre, post, **extra):
    return pd.DataFrame({"pre": pre, "post": post, **extra})


def _row(res, test):
    return res[res["test"] == test].iloc[0]


# ------------------------------------------------------------------------------------------
# prepost_scores
# ------------------------------------------------------------------------------------------
@pytest.fixture()
def tests_table():
    rows = []
    answers = {  # participant -> (pre answers, post answers) over items K1..K4
        "p1": ([1, 0, 0, 1], [1, 1, 1, 1]),
        "p2": ([0, 0, 0, 0], [1, 0, 1, None]),
        "p3": ([1, 1, 1, 1], [1, 1, 1, 1]),
        "p4": ([0, 1, 0, None], [1, 1, 0, 1]),
    }
    for pid, (pre, post) in answers.items():
        for phase, values in (("pre", pre), ("post", post)):
            for i, v in enumerate(values, start=1):
                rows.append((pid, "S1", phase, f"K{i}", v))
    df = pd.DataFrame(
        rows, columns=["participant_id", "session_id", "phase", "item_code", "correct"]
    )
    df["correct"] = df["correct"].astype("Int16")
    df["phase"] = pd.Categorical(df["phase"], categories=["pre", "post"])
    return df.assign(method="workshop")


def test_prepost_scores_percent_correct(tests_table):
    res = lrn.prepost_scores(tests_table)
    assert res.columns.tolist() == [
        "participant_id",
        "session_id",
        "pre",
        "post",
        "n_items_pre",
        "n_items_post",
    ]
    assert res["pre"].tolist() == [50.0, 0.0, 100.0, 25.0]  # unanswered counts as wrong
    assert res["post"].tolist() == [100.0, 50.0, 100.0, 75.0]
    omit = lrn.prepost_scores(tests_table, nan_policy="omit")
    assert omit["pre"].tolist()[3] == pytest.approx(100 / 3)
    assert omit["post"].tolist()[1] == pytest.approx(200 / 3)
    carried = lrn.prepost_scores(tests_table, by="method")
    assert carried.columns[0] == "method"


def test_long_table_accepted_everywhere(tests_table):
    scores = lrn.prepost_scores(tests_table)
    a = lrn.prepost_test(tests_table)
    b = lrn.prepost_test(scores)
    pd.testing.assert_frame_equal(a, b)
    g = lrn.normalized_gain(tests_table, by="session_id")
    assert g["session_id"].tolist() == ["S1"] and g["n"].iloc[0] == 4


# ------------------------------------------------------------------------------------------
# paired t-test
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_paired_t_matches_scipy(alternative):
    rng = np.random.default_rng(5)
    pre = rng.normal(50, 10, 25)
    post = pre + rng.normal(4, 8, 25)
    res = _row(
        lrn.prepost_test(_wide(pre, post), alternative=alternative, confidence=0.9), "paired_t"
    )
    ref = stats.ttest_rel(post, pre, alternative=alternative)
    ci = ref.confidence_interval(confidence_level=0.9)
    assert res["statistic"] == pytest.approx(ref.statistic)
    assert res["p_value"] == pytest.approx(ref.pvalue)
    assert res["df"] == ref.df
    assert res["estimate"] == pytest.approx(np.mean(post - pre))
    assert res["ci_low"] == pytest.approx(ci.low)
    assert res["ci_high"] == pytest.approx(ci.high)


@pytest.mark.parametrize("alternative", ["greater", "less"])
def test_one_sided_d_z_limit_against_brentq(alternative):
    # Reference: the limit solved directly with SciPy's brentq on the noncentral t CDF,
    # nct.cdf(t_obs; df, ncp) = 0.95 (lower limit) or 0.05 (upper), divided by sqrt(n).
    from scipy import optimize

    data = _wide(MOVIE_2, MOVIE_1)
    es = lrn.paired_effect_sizes(data, alternative=alternative).set_index("measure")
    t, n = es.loc["d_z", "t"], 10
    p = 0.95 if alternative == "greater" else 0.05
    ncp = optimize.brentq(lambda x: stats.nct.cdf(t, n - 1, x) - p, -20, 20, xtol=1e-12)
    if alternative == "greater":
        assert es.loc["d_z", "ci_low"] == pytest.approx(ncp / np.sqrt(n), rel=1e-8)
        assert es.loc["d_z", "ci_high"] == np.inf
    else:
        assert es.loc["d_z", "ci_high"] == pytest.approx(ncp / np.sqrt(n), rel=1e-8)
        assert es.loc["d_z", "ci_low"] == -np.inf


def test_lakens_table1_t_and_effect_sizes():
    data = _wide(MOVIE_2, MOVIE_1)  # movie 1 is rated higher: positive change
    t = _row(lrn.prepost_test(data), "paired_t")
    # Lakens (2013): t(9) = 4.74, p = .001 (also schoRsch/lsr tests: "t(9) = 4.74, p = .001,
    # d = 1.50")
    assert round(t["statistic"], 2) == 4.74 and t["df"] == 9 and round(t["p_value"], 3) == 0.001
    es = lrn.paired_effect_sizes(data).set_index("measure")
    assert round(es.loc["d_z", "estimate"], 2) == 1.50  # Lakens (2013): d_z = 1.50
    assert round(es.loc["d_av", "estimate"], 2) == 1.13  # Lakens (2013): d_av = 1.13
    assert es.loc["d_z", "estimate"] == pytest.approx(t["statistic"] / np.sqrt(10))
    # the trap: pingouin 0.7's paired cohen_d is d_av with sqrt((s1^2 + s2^2) / 2), not d_z
    pg_d = pg.ttest(MOVIE_1, MOVIE_2, paired=True)["cohen_d"].iloc[0]
    sd1, sd2 = np.std(MOVIE_1, ddof=1), np.std(MOVIE_2, ddof=1)
    assert pg_d == pytest.approx(1.0 / np.sqrt((sd1**2 + sd2**2) / 2))
    assert es.loc["d_av", "estimate"] == pytest.approx(1.0 / ((sd1 + sd2) / 2))
    assert abs(es.loc["d_z", "estimate"] - pg_d) > 0.3
    # d_rm = d_z * sqrt(2(1 - r)), r = Pearson correlation of the two ratings
    r = np.corrcoef(MOVIE_1, MOVIE_2)[0, 1]
    assert es.loc["d_rm", "estimate"] == pytest.approx(1.5 * np.sqrt(2 * (1 - r)))
    assert es.loc["d_rm", "r"] == pytest.approx(r)
    # Hedges (1981) J = 1 - 3 / (4 df - 1) with df = n - 1 = 9
    j = 1 - 3 / 35
    for key in ("z", "av", "rm"):
        assert es.loc[f"g_{key}", "estimate"] == pytest.approx(j * es.loc[f"d_{key}", "estimate"])
        assert es.loc[f"g_{key}", "hedges_j"] == pytest.approx(j)


def test_d_z_interval_matches_mote():
    # MOTE documentation, d.dep.t.diff.t(t = 1.429, n = 7): d_z = 0.54, 95% CI [-0.28, 1.32]
    diffs = np.array([-1.0, 2.0, 0.5, 3.0, -2.0, 1.5, 0.0])
    sd = diffs.std(ddof=1)
    diffs = diffs - diffs.mean() + 1.429 * sd / np.sqrt(7)  # shift so that t = 1.429
    es = lrn.paired_effect_sizes(_wide(np.zeros(7), diffs)).set_index("measure")
    assert es.loc["d_z", "t"] == pytest.approx(1.429)
    assert round(es.loc["d_z", "estimate"], 2) == 0.54
    assert round(es.loc["d_z", "ci_low"], 2) == -0.28
    assert round(es.loc["d_z", "ci_high"], 2) == 1.32
    # the limits are the noncentral t quantiles: check by direct evaluation of the nct cdf
    lo, hi = es.loc["d_z", "ci_low"] * np.sqrt(7), es.loc["d_z", "ci_high"] * np.sqrt(7)
    assert stats.nct.cdf(1.429, 6, lo) == pytest.approx(0.975, abs=1e-7)
    assert stats.nct.cdf(1.429, 6, hi) == pytest.approx(0.025, abs=1e-7)


# ------------------------------------------------------------------------------------------
# Wilcoxon signed-rank
# ------------------------------------------------------------------------------------------
def test_wilcoxon_exact_matches_r_hollander_wolfe():
    data = _wide(HW_Y, HW_X)  # post - pre = x - y
    # R: wilcox.test(x, y, paired = TRUE, alternative = "greater") -> V = 40, p-value = 0.01953
    w = _row(lrn.prepost_test(data, alternative="greater"), "wilcoxon")
    assert w["statistic"] == 40
    assert w["p_value"] == pytest.approx(10 / 512, abs=1e-12)
    assert w["p_method"] == "exact null distribution"
    # R: wilcox.test(y - x, alternative = "less", exact = FALSE, correct = FALSE) -> 0.01908
    w = _row(
        lrn.prepost_test(data, alternative="greater", method="approx", correction=False),
        "wilcoxon",
    )
    assert round(w["p_value"], 5) == 0.01908
    assert w["p_method"] == "normal approximation, tie-corrected variance"


def test_wilcoxon_ties_and_zeros_match_r_sleep():
    # R: wilcox.test(extra[1:10], extra[11:20], paired = TRUE) -> V = 0, p-value = 0.009091
    # ("cannot compute exact p-value with ties / with zeroes": normal approximation with
    # continuity correction, zeros dropped)
    w = _row(lrn.prepost_test(_wide(SLEEP_2, SLEEP_1)), "wilcoxon")
    assert w["statistic"] == 0
    assert round(w["p_value"], 6) == 0.009091
    assert w["zero_method"] == "wilcox"
    assert "continuity correction" in w["p_method"]


@pytest.mark.parametrize("zero_method", ["wilcox", "pratt", "zsplit"])
@pytest.mark.parametrize("correction", [True, False])
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_wilcoxon_normal_approximation_matches_scipy(zero_method, correction, alternative):
    pre = np.array([3, 5, 4, 6, 2, 5, 7, 4, 3, 6, 5, 5, 4, 2, 6], dtype=float)
    post = np.array([4, 7, 4, 6, 4, 6, 8, 3, 5, 8, 5, 7, 6, 2, 7], dtype=float)
    res = _row(
        lrn.prepost_test(
            _wide(pre, post),
            zero_method=zero_method,
            correction=correction,
            alternative=alternative,
            method="approx",
        ),
        "wilcoxon",
    )
    ref = stats.wilcoxon(
        post,
        pre,
        zero_method=zero_method,
        correction=correction,
        alternative=alternative,
        method="asymptotic",
    )
    assert res["p_value"] == pytest.approx(ref.pvalue, rel=1e-10)
    if alternative != "two-sided":
        assert res["z"] == pytest.approx(ref.zstatistic, rel=1e-10)


def test_wilcoxon_exact_matches_scipy_and_auto_rule():
    rng = np.random.default_rng(2)
    pre = rng.normal(size=20)
    post = pre + rng.normal(0.4, 1.0, 20)
    res = _row(lrn.prepost_test(_wide(pre, post)), "wilcoxon")
    ref = stats.wilcoxon(post, pre, method="exact")
    assert res["p_method"] == "exact null distribution"
    assert res["p_value"] == pytest.approx(ref.pvalue, rel=1e-12)
    big = rng.normal(size=60)  # 60 differences: the auto rule switches to the normal one
    res = _row(lrn.prepost_test(_wide(np.zeros(60), big)), "wilcoxon")
    assert res["p_method"].startswith("normal approximation")
    forced = _row(lrn.prepost_test(_wide(SLEEP_2, SLEEP_1), method="exact"), "wilcoxon")
    assert forced["p_method"].endswith("(exact impossible: ties or zeros)")


# ------------------------------------------------------------------------------------------
# grouping, missing data, bad input
# ------------------------------------------------------------------------------------------
def test_by_groups_equal_separate_calls():
    rng = np.random.default_rng(9)
    n = 90
    df = pd.DataFrame(
        {
            "method": pd.Categorical(rng.choice(["seminar", "workshop", "simulation"], n)),
            "pre": rng.integers(20, 80, n).astype(float),
        }
    )
    df["post"] = np.clip(df["pre"] + rng.integers(-10, 30, n), 0, 100)
    for fn in (lrn.prepost_test, lrn.paired_effect_sizes, lrn.normalized_gain):
        grouped = fn(df, by="method")
        for name, part in df.groupby("method", observed=True):
            alone = fn(part.drop(columns="method"))
            mine = grouped[grouped["method"] == name].drop(columns="method")
            mine = mine.rename(columns={"stat_method": "method"})  # by column kept its name
            pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone)


def test_missing_pairs_dropped_or_raise():
    df = _wide([50, 60, np.nan, 40, 55], [70, np.nan, 80, 60, 65])
    assert lrn.prepost_test(df)["n"].tolist() == [3, 3]
    with pytest.raises(ValueError, match="2 rows miss a 'pre' or 'post' score"):
        lrn.prepost_test(df, nan_policy="raise")


def test_bad_arguments():
    df = _wide([1, 2, 3], [2, 3, 5])
    with pytest.raises(ValueError, match="`alternative` must be one of 'two-sided'"):
        lrn.prepost_test(df, alternative="two.sided")
    with pytest.raises(ValueError, match="`zero_method` must be one of"):
        lrn.prepost_test(df, zero_method="drop")
    with pytest.raises(ValueError, match="`confidence` must be a number in"):
        lrn.paired_effect_sizes(df, confidence=1.5)
    with pytest.raises(KeyError, match="`df` names column 'before'"):
        lrn.prepost_test(df, pre="before")
    with pytest.raises(ValueError, match=r"Scores must lie in \[0, 100\]"):
        lrn.normalized_gain(_wide([10, 20], [120, 30]))
    with pytest.raises(TypeError):
        lrn.prepost_test([1, 2, 3])


# ------------------------------------------------------------------------------------------
# normalised gain
# ------------------------------------------------------------------------------------------
def test_hake_gain_class_vs_individual_and_ceiling():
    df = _wide([20, 50, 80, 100], [60, 65, 84, 100])
    res = lrn.normalized_gain(df).iloc[0]
    # Hake (1998) eq. 1 on class averages: (77.25 - 62.5) / (100 - 62.5)
    assert res["g_class"] == pytest.approx((77.25 - 62.5) / 37.5)
    # individual gains (Bao 2006): 40/80, 15/50, 4/20; pre = 100 is undefined and counted
    assert res["g_individual"] == pytest.approx(np.mean([0.5, 0.3, 0.2]))
    assert (res["n_ceiling"], res["n_individual"], res["n"]) == (1, 3, 4)
    assert res["g_class"] != pytest.approx(res["g_individual"])
    assert res["ngain_percent"] == pytest.approx(100 * res["g_individual"])
    all_top = lrn.normalized_gain(_wide([100, 100], [100, 100])).iloc[0]
    assert np.isnan(all_top["g_class"]) and np.isnan(all_top["g_individual"])
    assert all_top["hake_band"] is None


def test_individual_change_of_a_drop_is_bounded():
    # Marx & Cummings (2007), written out: rises use Hake's (post - pre) / (100 - pre),
    # drops (post - pre) / pre. 40 -> 70: 30/60; 50 -> 80: 30/50; 90 -> 60: -30/90.
    # Hake's individual gain of the drop would be -30/10 = -3 and the mean -0.63.
    res = lrn.normalized_gain(_wide([40, 50, 90], [70, 80, 60])).iloc[0]
    assert res["g_individual"] == pytest.approx((0.5 + 0.6 - 1 / 3) / 3)
    assert res["n_loss"] == 1 and res["n_ceiling"] == 0 and res["n_individual"] == 3
    assert res["g_class"] == pytest.approx((70 - 60) / (100 - 60))
    # from the top down is a loss, not undefined; the same score at the top is undefined
    top = lrn.normalized_gain(_wide([100, 100, 30], [80, 100, 30])).iloc[0]
    assert top["g_individual"] == pytest.approx((-0.2 + 0.0) / 2)
    assert (top["n_ceiling"], top["n_loss"], top["n_individual"]) == (1, 1, 2)


@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_individual_change_lies_in_minus_one_to_one(pairs):
    pre, post = zip(*pairs, strict=True)
    res = lrn.normalized_gain(_wide(list(pre), list(post))).iloc[0]
    if res["n_individual"]:
        assert -1 - 1e-12 <= res["g_individual"] <= 1 + 1e-12
    assert res["n_loss"] == sum(b < a for a, b in pairs)


def test_bands_boundaries():
    assert lrn._hake_band(np.array([0.29, 0.3, 0.69, 0.7, -0.2])).tolist() == [
        "low",
        "medium",
        "medium",
        "high",
        "low",
    ]
    pct = np.array([39.9, 40, 55, 55.5, 56, 75, 75.5, 76, 76.1, 100])
    assert lrn._ngain_band(pct).tolist() == [
        "not_effective",
        "less_effective",
        "less_effective",
        "less_effective",  # the 55-56 gap closed downwards
        "fairly_effective",
        "fairly_effective",
        "fairly_effective",  # the 75-76 gap closed downwards
        "fairly_effective",  # "> 76 effective": 76 itself is not
        "effective",
        "effective",
    ]


def test_pass_rate_and_wilson_interval():
    pre = [40, 55, 60, 70, 30, 65, 80, 50, 45, 60]
    post = [70, 75, 60, 85, 55, 90, 95, 65, 70, 80]
    res = lrn.normalized_gain(_wide(pre, post), cut_score=70, confidence=0.9).iloc[0]
    assert (res["n_pass_pre"], res["n_pass_post"]) == (2, 7)
    assert res["pass_rate_post"] == pytest.approx(0.7)
    # statsmodels proportion_confint(7, 10, alpha=0.1, method="wilson")
    low, high = proportion_confint(7, 10, alpha=0.1, method="wilson")
    assert (res["pass_ci_low"], res["pass_ci_high"]) == pytest.approx((low, high))
    none = lrn.normalized_gain(_wide(pre, post)).iloc[0]
    assert np.isnan(none["pass_rate_post"]) and np.isnan(none["cut_score"])


# ------------------------------------------------------------------------------------------
# properties
# ------------------------------------------------------------------------------------------
pairs = st.integers(3, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 100), min_size=n, max_size=n),
        st.lists(st.integers(0, 100), min_size=n, max_size=n),
    )
)


@settings(max_examples=60, deadline=None)
@given(pairs)
def test_effect_size_properties(data):
    pre, post = (np.array(v, dtype=float) for v in data)
    if np.std(post - pre) == 0 or np.std(pre) == 0 or np.std(post) == 0:
        return
    es = lrn.paired_effect_sizes(_wide(pre, post)).set_index("measure")
    ref = stats.ttest_rel(post, pre)
    assert es.loc["d_z", "estimate"] == pytest.approx(ref.statistic / np.sqrt(len(pre)))
    for _, row in es.iterrows():
        assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
    flipped = lrn.paired_effect_sizes(_wide(post, pre)).set_index("measure")
    np.testing.assert_allclose(flipped["estimate"], -es["estimate"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(flipped["ci_low"], -es["ci_high"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(flipped["ci_high"], -es["ci_low"], rtol=1e-6, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(pairs)
def test_prepost_test_properties(data):
    pre, post = (np.array(v, dtype=float) for v in data)
    res = lrn.prepost_test(_wide(pre, post))
    flip = lrn.prepost_test(_wide(post, pre))
    p = res["p_value"].dropna()
    assert ((p >= 0) & (p <= 1)).all()
    np.testing.assert_allclose(flip["estimate"], -res["estimate"], atol=1e-12)
    np.testing.assert_allclose(flip["p_value"], res["p_value"], rtol=1e-9)
    t = res.iloc[0]
    if np.isfinite(t["ci_low"]):
        assert t["ci_low"] <= t["estimate"] <= t["ci_high"]
    if np.isfinite(t["statistic"]):
        assert flip.iloc[0]["statistic"] == pytest.approx(-t["statistic"])


def test_by_method_keeps_group_column():
    df = _wide(
        [40, 50, 60, 45, 55, 65],
        [60, 55, 80, 50, 75, 70],
        method=["seminar"] * 3 + ["workshop"] * 3,
    )
    res = lrn.prepost_test(df, by="method")
    assert res["method"].tolist() == ["seminar", "seminar", "workshop", "workshop"]
    assert res["stat_method"].iloc[0] == "paired t-test (post - pre)"


def test_rows_without_a_group_are_dropped_like_groupby():
    # shared toolkit.grouping codes: a missing `by` value is not a group of its own
    df = _wide(
        [40, 50, 60, 45, 55, 65, 30],
        [60, 55, 80, 50, 75, 70, 90],
        method=["seminar", "seminar", "seminar", "workshop", "workshop", "workshop", None],
    )
    res = lrn.prepost_test(df, by="method")
    assert res["method"].tolist() == ["seminar", "seminar", "workshop", "workshop"]
    assert res["n"].tolist() == [3, 3, 3, 3]
    gain = lrn.normalized_gain(df, by="method")
    ref = df.dropna().groupby("method")[["pre", "post"]].mean()
    np.testing.assert_allclose(gain["mean_pre"], ref["pre"])
    assert lrn.paired_effect_sizes(df, by="method")["n"].tolist() == [3] * 12
