"""Tests of toolkit.behavior (Kirkpatrick Level 3) against independent references.

References: scipy.stats.ttest_rel (paired t), pingouin 0.7 intraclass_corr (ICC),
Shrout & Fleiss (1979) Table 2 data and the ICCs they publish for it, statsmodels proportion_confint
(Wilson) and confint_proportions_2indep (Newcombe), and hand-worked small cases.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from toolkit import behavior as bh

COMPETENCY = ["B01", "B02", "B03", "B04"]
DRIVERS = {
    "D01": "driver_supervisor_support",
    "D02": "driver_opportunity_to_apply",
}
WAVES = ["baseline", "followup_3m", "followup_6m"]


def instruments():
    codes = COMPETENCY + list(DRIVERS)
    constructs = ["service_communication", "explaining_procedures", "collaboration", "leadership"]
    return pd.DataFrame({"item_code": codes, "construct": constructs + list(DRIVERS.values())})


def make_behavior(n=40, seed=1, missing=0.05, units=("U1", "U2")):
    """Long behaviour table: competency items at every wave, driver items at follow-ups."""
    rng = np.random.default_rng(seed)
    pid = np.array([f"P{i:03d}" for i in range(n)])
    ability = rng.normal(0, 0.7, n)
    unit = np.array(units)[np.arange(n) % len(units)]
    idx = pd.MultiIndex.from_product(
        [range(n), ["self", "supervisor"], WAVES, COMPETENCY + list(DRIVERS)],
        names=["i", "rater", "wave", "item_code"],
    ).to_frame(index=False)
    idx = idx[~((idx["wave"] == "baseline") & idx["item_code"].isin(list(DRIVERS)))]
    i = idx["i"].to_numpy()
    gain = idx["wave"].map({"baseline": 0.0, "followup_3m": 0.6, "followup_6m": 0.8}).to_numpy()
    lenient = np.where(idx["rater"] == "self", 0.4, 0.0)
    latent = 2.8 + ability[i] + gain + lenient + rng.normal(0, 0.6, len(idx))
    rating = np.clip(np.rint(latent), 1, 5)
    rating[rng.random(len(idx)) < missing] = np.nan
    return pd.DataFrame(
        {
            "participant_id": pid[i],
            "session_id": "S01",
            "unit_id": unit[i],
            "rater": idx["rater"].to_numpy(),
            "wave": idx["wave"].to_numpy(),
            "item_code": idx["item_code"].to_numpy(),
            "rating": pd.array(rating, dtype="Float64").astype("Int16"),
        }
    )


def typed(df):
    """The dtypes toolkit.data gives a loaded table: categoricals and nullable Int16."""
    out = df.copy()
    for c in ["participant_id", "session_id", "unit_id", "item_code"]:
        out[c] = out[c].astype("category")
    out["rater"] = pd.Categorical(out["rater"], categories=["self", "supervisor"])
    out["wave"] = pd.Categorical(out["wave"], categories=WAVES)
    return out


def person_scores(df, rater, wave, items=COMPETENCY, min_items=2):
    """Independent scoring: a plain pandas pivot, then the mean of rated items."""
    sub = df[(df["rater"] == rater) & (df["wave"] == wave) & df["item_code"].isin(items)]
    wide = sub.pivot(index="participant_id", columns="item_code", values="rating").astype(float)
    return wide.mean(axis=1).where(wide.notna().sum(axis=1) >= min_items)


# --------------------------------------------------------------------------- ICC
SF_TABLE2 = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
)


def sf_long():
    return pd.DataFrame(
        [(f"t{t}", f"j{j}", SF_TABLE2[t, j]) for t in range(6) for j in range(4)],
        columns=["target", "judge", "rating"],
    )


def test_icc_shrout_fleiss_published_values():
    # Shrout & Fleiss (1979), Psychological Bulletin 86(2), Table 2 data (6 targets x 4
    # judges) and the estimates they publish for it:
    # ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71, ICC(1,4) = .44, ICC(2,4) = .62,
    # ICC(3,4) = .91.
    out = bh.icc(sf_long(), target="target", rater="judge", rating="rating")
    published = {
        "ICC1": 0.17,
        "ICC2": 0.29,
        "ICC3": 0.71,
        "ICC1k": 0.44,
        "ICC2k": 0.62,
        "ICC3k": 0.91,
    }
    got = out.set_index("shrout_fleiss")["estimate"]
    for key, value in published.items():
        assert got[key] == pytest.approx(value, abs=0.005), key
    assert (out["n_targets"] == 6).all() and (out["n_raters"] == 4).all()


def _pingouin(long, target, rater, rating):
    old = pg.options.get("round")
    pg.options["round"] = None
    try:
        with warnings.catch_warnings():
            # pingouin 0.7 itself calls pandas APIs that pandas 3.1 deprecates
            warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
            ref = pg.intraclass_corr(
                long, targets=target, raters=rater, ratings=rating, nan_policy="omit"
            )
    finally:
        pg.options["round"] = old
    return ref.set_index("Type")


@pytest.mark.parametrize("data", ["sf", "random3", "random2_missing"])
def test_icc_matches_pingouin(data):
    if data == "sf":
        long = sf_long()
    else:
        rng = np.random.default_rng(7)
        n, k = (15, 3) if data == "random3" else (25, 2)
        truth = rng.normal(size=(n, 1)) + rng.normal(0, 0.6, size=(n, k)) + np.arange(k) * 0.3
        long = pd.DataFrame(
            [(f"t{t}", f"r{j}", truth[t, j]) for t in range(n) for j in range(k)],
            columns=["target", "judge", "rating"],
        )
        if data == "random2_missing":
            long.loc[[3, 10], "rating"] = np.nan  # two targets lose a rating: listwise deletion
    ours = bh.icc(long, target="target", rater="judge", rating="rating").set_index("type")
    # pingouin 0.7: pg.intraclass_corr(data, targets=, raters=, ratings=, nan_policy="omit");
    # its CI95 column is always rounded to 2 decimals.
    ref = _pingouin(long, "target", "judge", "rating")
    for t in ref.index:
        assert ours.loc[t, "estimate"] == pytest.approx(ref.loc[t, "ICC"], rel=1e-10)
        assert ours.loc[t, "f"] == pytest.approx(ref.loc[t, "F"], rel=1e-10)
        assert ours.loc[t, "df2"] == ref.loc[t, "df2"]
        assert ours.loc[t, "p_value"] == pytest.approx(ref.loc[t, "pval"], rel=1e-8)
        lo, hi = ref.loc[t, "CI95"]
        assert ours.loc[t, "ci_low"] == pytest.approx(lo, abs=0.0051)
        assert ours.loc[t, "ci_high"] == pytest.approx(hi, abs=0.0051)


def test_icc_by_groups_equals_separate_runs():
    a, b = sf_long(), sf_long()
    b["rating"] = b["rating"] * 2 + (b["judge"] == "j1") * 3  # a different group
    both = pd.concat([a.assign(g="a"), b.assign(g="b")], ignore_index=True)
    grouped = bh.icc(both, target="target", rater="judge", rating="rating", by="g")
    for g, part in (("a", a), ("b", b)):
        alone = bh.icc(part, target="target", rater="judge", rating="rating")
        mine = grouped[grouped["g"] == g].drop(columns="g").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone, check_dtype=False)


def test_icc_rejects_duplicate_ratings_and_bad_arguments():
    long = pd.concat([sf_long(), sf_long().head(1)])
    with pytest.raises(ValueError, match="more than once"):
        bh.icc(long, target="target", rater="judge", rating="rating")
    with pytest.raises(KeyError, match="Did you mean 'rating'"):
        bh.icc(sf_long(), target="target", rater="judge", rating="ratings")
    with pytest.raises(ValueError, match="`confidence` must be a number"):
        bh.icc(sf_long(), target="target", rater="judge", rating="rating", confidence=95)


# --------------------------------------------------------------------------- behaviour change
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_behavior_change_matches_scipy_ttest_rel(alternative):
    df = make_behavior()
    out = bh.behavior_change(typed(df), instruments=instruments(), alternative=alternative)
    assert len(out) == 4  # 2 raters x 2 comparisons
    for rater in ["self", "supervisor"]:
        for to in ["followup_3m", "followup_6m"]:
            pair = pd.concat(
                [person_scores(df, rater, "baseline"), person_scores(df, rater, to)], axis=1
            ).dropna()
            ref = stats.ttest_rel(pair.iloc[:, 1], pair.iloc[:, 0], alternative=alternative)
            ci = ref.confidence_interval(0.95)
            row = out[(out["rater"] == rater) & (out["wave_to"] == to)].iloc[0]
            assert row["n"] == len(pair)
            assert row["t"] == pytest.approx(ref.statistic, rel=1e-10)
            assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
            assert row["df"] == ref.df
            assert row["ci_low"] == pytest.approx(ci.low, rel=1e-10)
            assert row["ci_high"] == pytest.approx(ci.high, rel=1e-10)
            diff = pair.iloc[:, 1] - pair.iloc[:, 0]
            assert row["estimate"] == pytest.approx(diff.mean())
            assert row["d_z"] == pytest.approx(diff.mean() / diff.std(ddof=1))
            assert row["d_z"] == pytest.approx(ref.statistic / np.sqrt(len(pair)))
            # d_z's interval is one-sided exactly when the test is (issue 14, item 2)
            assert (row["d_z_ci_high"] == np.inf) == (alternative == "greater")
            assert (row["d_z_ci_low"] == -np.inf) == (alternative == "less")


def test_one_sided_d_z_limit_is_the_two_sided_limit_at_twice_alpha():
    # Duality of confidence limits: the one-sided 95 % lower limit is the lower limit of the
    # two-sided 90 % interval (both invert the noncentral t; Cumming & Finch 2001).
    df = typed(make_behavior())
    one = bh.behavior_change(df, instruments=instruments(), alternative="greater")
    two = bh.behavior_change(df, instruments=instruments(), confidence=0.90)
    np.testing.assert_allclose(one["d_z_ci_low"], two["d_z_ci_low"], rtol=1e-9)
    less = bh.behavior_change(df, instruments=instruments(), alternative="less")
    np.testing.assert_allclose(less["d_z_ci_high"], two["d_z_ci_high"], rtol=1e-9)
    assert np.all(one["d_z_ci_low"] < one["d_z"]) and np.all(less["d_z_ci_high"] > less["d_z"])


def test_behavior_change_hand_worked_and_min_items():
    # p1: baseline (2+3)/2 = 2.5 -> 3m (4+4)/2 = 4; p2: 3 -> 3.5; p3 baseline 2, 3m: only one
    # item rated, so with min_items=2 p3 has no 3m score and drops out.
    df = pd.DataFrame(
        {
            "participant_id": ["p1"] * 4 + ["p2"] * 4 + ["p3"] * 4,
            "session_id": "S01",
            "rater": "self",
            "wave": ["baseline", "baseline", "followup_3m", "followup_3m"] * 3,
            "item_code": ["B01", "B02"] * 6,
            "rating": pd.array([2, 3, 4, 4, 3, 3, 3, 4, 2, 2, 5, None], dtype="Int16"),
        }
    )
    out = bh.behavior_change(df, compare=("baseline", "followup_3m"), min_items=2)
    row = out.iloc[0]
    assert (row["n"], row["mean_from"], row["mean_to"]) == (2, 2.75, 3.75)
    assert row["estimate"] == pytest.approx(1.0)  # changes 1.5 and 0.5
    assert row["sd_diff"] == pytest.approx(np.sqrt(0.5))
    # default rule (half of 2 items, i.e. 1) keeps p3 with 3m score 5: changes 1.5, 0.5, 3
    out1 = bh.behavior_change(df, compare=("baseline", "followup_3m"))
    assert out1["n"].item() == 3
    assert out1["estimate"].item() == pytest.approx(5 / 3)


def test_behavior_change_by_groups_in_one_pass_equals_subsets():
    df = typed(make_behavior(n=60))
    grouped = bh.behavior_change(df, by="unit_id", instruments=instruments())
    for unit in ["U1", "U2"]:
        alone = bh.behavior_change(df[df["unit_id"] == unit], instruments=instruments())
        mine = grouped[grouped["unit_id"] == unit].drop(columns="unit_id")
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone, check_dtype=False)


def test_driver_items_are_not_scored():
    df = make_behavior()
    with_drivers = bh.behavior_change(df, items=COMPETENCY + list(DRIVERS), min_items=1)
    without = bh.behavior_change(df, instruments=instruments(), min_items=1)
    explicit = bh.behavior_change(df, items=COMPETENCY, min_items=1)
    pd.testing.assert_frame_equal(without, explicit)
    assert not np.allclose(with_drivers["mean_to"], without["mean_to"])


def test_behavior_change_bad_arguments():
    df = make_behavior(n=5)
    with pytest.raises(ValueError, match="`rater` must be one of 'self', 'supervisor'"):
        bh.behavior_change(df, rater="atasan")
    with pytest.raises(ValueError, match="Did you mean 'followup_3m'"):
        bh.behavior_change(df, compare=("baseline", "followup3m"))
    with pytest.raises(ValueError, match="at least one more"):
        bh.behavior_change(df, compare="baseline")
    with pytest.raises(ValueError, match="`min_items`"):
        bh.behavior_change(df, min_items=0)
    with pytest.raises(KeyError, match="`df` names column 'rating'"):
        bh.behavior_change(df.drop(columns="rating"))
    with pytest.raises(KeyError, match="`by` names column 'unit'"):
        bh.behavior_change(df, by="unit")


def test_single_pair_gives_nan_statistics_not_errors():
    df = make_behavior(n=1, missing=0)
    out = bh.behavior_change(df, instruments=instruments())
    assert (out["n"] == 1).all()
    assert out["t"].isna().all() and out["p_value"].isna().all()


# --------------------------------------------------------------------------- agreement
@pytest.mark.parametrize("form,kind", [("agreement", "ICC(A,1)"), ("consistency", "ICC(C,1)")])
def test_rater_agreement_gap_and_icc(form, kind):
    df = make_behavior(n=50)
    out = bh.rater_agreement(typed(df), instruments=instruments(), form=form)
    assert out["wave"].tolist() == WAVES
    for wave in WAVES:
        pair = pd.concat(
            [person_scores(df, "self", wave), person_scores(df, "supervisor", wave)], axis=1
        ).dropna()
        pair.columns = ["self", "supervisor"]
        row = out[out["wave"] == wave].iloc[0]
        ref = stats.ttest_rel(pair["self"], pair["supervisor"])
        ci = ref.confidence_interval(0.95)
        assert row["n"] == len(pair)
        assert row["gap"] == pytest.approx((pair["self"] - pair["supervisor"]).mean())
        assert (row["gap_ci_low"], row["gap_ci_high"]) == pytest.approx((ci.low, ci.high))
        assert row["gap_p_value"] == pytest.approx(ref.pvalue)
        long = pair.stack().rename("score").rename_axis(["pid", "rater"]).reset_index()
        icc_ref = _pingouin(long, "pid", "rater", "score").loc[kind]
        assert row["icc_type"] == kind
        assert row["icc"] == pytest.approx(icc_ref["ICC"], rel=1e-10)
        assert row["icc_p_value"] == pytest.approx(icc_ref["pval"], rel=1e-8)
        assert row["icc_ci_low"] == pytest.approx(icc_ref["CI95"][0], abs=0.0051)
        assert row["icc_ci_high"] == pytest.approx(icc_ref["CI95"][1], abs=0.0051)
    assert (out["gap"] > 0).all()  # the generator makes self-ratings lenient by 0.4


def test_rater_agreement_by_unit():
    df = make_behavior(n=60)
    out = bh.rater_agreement(df, by="unit_id", wave="followup_3m", instruments=instruments())
    assert out["unit_id"].tolist() == ["U1", "U2"]
    alone = bh.rater_agreement(
        df[df["unit_id"] == "U2"], wave="followup_3m", instruments=instruments()
    )
    assert out["icc"].iloc[1] == pytest.approx(alone["icc"].item())
    with pytest.raises(ValueError, match="`form` must be one of"):
        bh.rater_agreement(df, form="absolute")


# --------------------------------------------------------------------------- transfer
def test_wilson_matches_statsmodels():
    counts = np.array([0, 1, 5, 9, 10, 37])
    nobs = np.array([10, 10, 10, 10, 10, 80])
    for conf in (0.9, 0.95, 0.99):
        lo, hi = bh.wilson_interval(counts, nobs, confidence=conf)
        # statsmodels: proportion_confint(count, nobs, alpha=1 - conf, method="wilson")
        ref_lo, ref_hi = proportion_confint(counts, nobs, alpha=1 - conf, method="wilson")
        np.testing.assert_allclose(lo, ref_lo, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(hi, ref_hi, rtol=1e-12, atol=1e-15)


def test_transfer_summary_rules_and_wilson():
    df = make_behavior(n=80)
    out = bh.transfer_summary(typed(df), instruments=instruments(), wave="followup_6m")
    for rater in ["self", "supervisor"]:
        s = person_scores(df, rater, "followup_6m").dropna()
        row = out[out["rater"] == rater].iloc[0]
        k = int((s >= 4).sum())
        assert (row["n"], row["n_applied"]) == (len(s), k)
        lo, hi = proportion_confint(k, len(s), method="wilson")
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi))
        assert row["scrap_share"] == pytest.approx(1 - k / len(s))
        assert row["scrap_basis"] == "all rated"
    gain = bh.transfer_summary(df, instruments=instruments(), rule="gain", min_gain=0.5)
    both = bh.transfer_summary(df, instruments=instruments(), rule="both")
    either = bh.transfer_summary(df, instruments=instruments(), rule="either")
    for rater in ["self", "supervisor"]:
        base = person_scores(df, rater, "baseline")
        post = person_scores(df, rater, "followup_6m")
        ok = base.notna() & post.notna()
        g = (post - base)[ok] >= 0.5
        row = gain[gain["rater"] == rater].iloc[0]
        assert (row["n"], row["n_applied"]) == (ok.sum(), g.sum())
        b = ((post >= 4) & (post - base >= 0.5))[ok]
        assert both.loc[both["rater"] == rater, "n_applied"].item() == b.sum()
        e_ok = post.notna() & (base.notna() | (post >= 4))
        e = ((post >= 4) | (post - base >= 0.5))[e_ok]
        row = either[either["rater"] == rater].iloc[0]
        assert (row["n"], row["n_applied"]) == (e_ok.sum(), e.sum())


def test_scrap_learning_among_those_who_learned():
    df = pd.DataFrame(
        {
            "participant_id": ["p1", "p2", "p3", "p4", "p5"],
            "session_id": "S01",
            "rater": "supervisor",
            "wave": "followup_6m",
            "item_code": "B01",
            "rating": [5, 2, 2, 4, 1],
        }
    )
    learned = pd.DataFrame({"participant_id": ["p1", "p2", "p3", "p4"], "learned": [1, 1, 0, 1]})
    learned["learned"] = learned["learned"].astype(bool)  # p5 absent: not known to have learned
    out = bh.transfer_summary(df, rater="supervisor", learned=learned).iloc[0]
    # learned: p1, p2, p4; of these p2 did not apply (rating 2 < 4): scrap = 1/3
    assert (out["n"], out["n_applied"], out["n_basis"], out["n_scrap"]) == (5, 2, 3, 1)
    assert out["scrap_share"] == pytest.approx(1 / 3)
    assert out["scrap_basis"] == "learned"
    lo, hi = proportion_confint(1, 3, method="wilson")
    assert (out["scrap_ci_low"], out["scrap_ci_high"]) == pytest.approx((lo, hi))


# --------------------------------------------------------------------------- drivers
def test_drivers_summary_against_hand_counts_and_newcombe():
    df = make_behavior(n=120, seed=3)
    out = bh.drivers_summary(typed(df), instruments=instruments(), wave="followup_6m")
    assert sorted(out["driver"]) == sorted(DRIVERS.values())
    applied = person_scores(df, "supervisor", "followup_6m") >= 4
    judged = person_scores(df, "supervisor", "followup_6m").notna()
    for code, construct in DRIVERS.items():
        d = person_scores(df, "self", "followup_6m", items=[code], min_items=1).dropna()
        high = d >= 4
        row = out[out["driver"] == construct].iloc[0]
        assert row["n"] == len(d)
        assert row["mean"] == pytest.approx(d.mean())
        assert row["share_agree"] == pytest.approx(high.mean())
        hi_ids, lo_ids = d.index[high], d.index[~high]
        hi_ids, lo_ids = hi_ids[judged[hi_ids]], lo_ids[judged[lo_ids]]
        x1, n1 = int(applied[hi_ids].sum()), len(hi_ids)
        x2, n2 = int(applied[lo_ids].sum()), len(lo_ids)
        assert (row["n_high"], row["n_low"]) == (n1, n2)
        assert row["difference"] == pytest.approx(x1 / n1 - x2 / n2)
        # statsmodels: confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
        assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((lo, hi))


def test_drivers_slope_matches_statsmodels_ols():
    # statsmodels: smf.ols("change ~ index", data).fit() on an independent pandas scoring
    import statsmodels.formula.api as smf

    df = make_behavior(n=90, seed=5)
    out = bh.drivers_slope(typed(df), instruments=instruments(), wave="followup_3m")
    index = (
        df[df["item_code"].isin(list(DRIVERS)) & (df["rater"] == "self")]
        .query("wave == 'followup_3m'")
        .pivot(index="participant_id", columns="item_code", values="rating")
        .astype(float)
    )
    index = index.mean(axis=1).where(index.notna().sum(axis=1) >= 1).rename("index")
    change = person_scores(df, "supervisor", "followup_3m") - person_scores(
        df, "supervisor", "baseline"
    )
    data = pd.concat([index, change.rename("change")], axis=1).dropna()
    ref = smf.ols("change ~ index", data=data).fit()
    row = out.iloc[0]
    assert row["n"] == len(data)
    assert row["slope"] == pytest.approx(ref.params["index"], rel=1e-10)
    assert row["intercept"] == pytest.approx(ref.params["Intercept"], rel=1e-10)
    assert row["se"] == pytest.approx(ref.bse["index"], rel=1e-10)
    assert row["p_value"] == pytest.approx(ref.pvalues["index"], rel=1e-8)
    lo, hi = ref.conf_int().loc["index"]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), rel=1e-10)
    assert row["r"] == pytest.approx(np.sign(ref.params["index"]) * np.sqrt(ref.rsquared))


def test_drivers_slope_by_group_equals_subsets_and_bad_arguments():
    df = typed(make_behavior(n=80, seed=6))
    grouped = bh.drivers_slope(df, instruments=instruments(), by="unit_id")
    for unit in ["U1", "U2"]:
        alone = bh.drivers_slope(df[df["unit_id"] == unit], instruments=instruments())
        mine = grouped[grouped["unit_id"] == unit].drop(columns="unit_id")
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone, check_dtype=False)
    with pytest.raises(ValueError, match="`change_rater` must be one of"):
        bh.drivers_slope(df, instruments=instruments(), change_rater="atasan")
    inst = instruments()
    with pytest.raises(ValueError, match="driver_"):
        bh.drivers_slope(df, instruments=inst[~inst["construct"].str.startswith("driver_")])


def test_behavior_scores_are_the_scores_every_analysis_uses():
    df = make_behavior(n=30, seed=2)
    out = bh.behavior_scores(typed(df), instruments=instruments())
    assert len(out) == len(out.drop_duplicates(["participant_id", "rater", "wave"]))
    for rater in ["self", "supervisor"]:
        for wave in WAVES:
            ref = person_scores(df, rater, wave).dropna()
            mine = out[(out["rater"] == rater) & (out["wave"] == wave)]
            mine = mine.set_index(mine["participant_id"].astype(str))["score"]
            pd.testing.assert_series_equal(
                mine.sort_index(), ref.sort_index(), check_names=False, check_index_type=False
            )
    # the paired change is the mean difference of these very scores
    wide = out[out["rater"] == "self"].pivot(index="participant_id", columns="wave", values="score")
    change = bh.behavior_change(df, instruments=instruments(), rater="self")
    d = (wide["followup_3m"] - wide["baseline"]).dropna()
    assert change.iloc[0]["estimate"] == pytest.approx(d.mean())


def test_transfer_functions_importable_from_both_modules():
    from toolkit import intervals, transfer

    assert bh.transfer_summary is transfer.transfer_summary
    assert bh.drivers_summary is transfer.drivers_summary
    assert bh.wilson_interval is intervals.wilson_interval
    assert {"transfer_summary", "drivers_summary", "drivers_slope"} <= set(bh.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        bh.nothing  # noqa: B018


def test_drivers_summary_needs_driver_items():
    df = make_behavior(n=5)
    inst = instruments()
    inst = inst[~inst["construct"].str.startswith("driver_")]
    with pytest.raises(ValueError, match="driver_"):
        bh.drivers_summary(df, instruments=inst)


# --------------------------------------------------------------------------- properties
@settings(max_examples=25, deadline=None)
@given(
    ratings=st.lists(st.integers(1, 5), min_size=12, max_size=12),
    more=st.lists(st.integers(1, 5), min_size=12, max_size=12),
    conf=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_property_ci_contains_estimate(ratings, more, conf):
    n = 12
    df = pd.DataFrame(
        {
            "participant_id": [f"p{i}" for i in range(n)] * 2,
            "session_id": "S01",
            "rater": "self",
            "wave": ["baseline"] * n + ["followup_3m"] * n,
            "item_code": "B01",
            "rating": ratings + more,
        }
    )
    out = bh.behavior_change(df, rater="self", compare=("baseline", "followup_3m"), confidence=conf)
    row = out.iloc[0]
    if row["sd_diff"] > 0:
        assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
        assert row["d_z_ci_low"] <= row["d_z"] <= row["d_z_ci_high"]
        assert 0 <= row["p_value"] <= 1
    # swapping the waves flips the sign of the change and of t
    swapped = df.assign(wave=df["wave"].map({"baseline": "followup_3m", "followup_3m": "baseline"}))
    back = bh.behavior_change(swapped, rater="self", compare=("baseline", "followup_3m")).iloc[0]
    assert back["estimate"] == pytest.approx(-row["estimate"])
    lo, hi = bh.wilson_interval(sum(r >= 4 for r in ratings), n, confidence=conf)
    assert 0 <= lo <= sum(r >= 4 for r in ratings) / n <= hi <= 1


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_property_icc_invariant_to_rater_labels(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(8, 3)) + rng.normal(size=(8, 1))
    long = pd.DataFrame(
        [(t, j, x[t, j]) for t in range(8) for j in range(3)], columns=["t", "j", "x"]
    )
    a = bh.icc(long, target="t", rater="j", rating="x")
    b = bh.icc(
        long.assign(j=long["j"].map({0: "c", 1: "a", 2: "b"})), target="t", rater="j", rating="x"
    )
    np.testing.assert_allclose(a["estimate"], b["estimate"], rtol=1e-10)
    inside = a["ci_low"].le(a["estimate"] + 1e-12) & a["ci_high"].ge(a["estimate"] - 1e-12)
    assert inside.all()


def test_default_min_items_is_half_the_items_rounded_up():
    # 4 competency items -> at least 2 rated. p2 rated one item at 3 months: no score.
    rows = [("p1", "baseline", c, 3) for c in COMPETENCY] + [
        ("p1", "followup_3m", c, 4) for c in COMPETENCY
    ]
    rows += [("p2", "baseline", c, 2) for c in COMPETENCY] + [("p2", "followup_3m", "B01", 5)]
    rows += [("p3", "baseline", c, 3) for c in COMPETENCY] + [("p3", "followup_3m", "B01", 5)]
    rows += [("p3", "followup_3m", "B02", 4)]
    df = pd.DataFrame(rows, columns=["participant_id", "wave", "item_code", "rating"])
    df = df.assign(session_id="S01", rater="self")
    out = bh.behavior_change(df, instruments=instruments(), compare=("baseline", "followup_3m"))
    assert out["n"].item() == 2  # p1 and p3 (two items rated); p2 dropped
    assert out["estimate"].item() == pytest.approx((1 + 1.5) / 2)
    loose = bh.behavior_change(
        df, items=COMPETENCY, min_items=1, compare=("baseline", "followup_3m")
    )
    assert loose["n"].item() == 3


def test_either_rule_needs_no_baseline_when_level_is_met():
    # p1: no baseline, 6m score 5 -> applies under "level" and "either", unclassified under
    # "gain"; p2: baseline 2, 6m 3 -> gain 1 (applies by gain), level not met.
    df = pd.DataFrame(
        {
            "participant_id": ["p1", "p2", "p2"],
            "session_id": "S01",
            "rater": "supervisor",
            "wave": ["followup_6m", "baseline", "followup_6m"],
            "item_code": "B01",
            "rating": [5, 2, 3],
        }
    )
    got = {
        rule: tuple(
            bh.transfer_summary(df, rater="supervisor", rule=rule).iloc[0][["n", "n_applied"]]
        )
        for rule in ["level", "gain", "both", "either"]
    }
    assert got == {"level": (2, 1), "gain": (1, 1), "both": (1, 0), "either": (2, 2)}


def test_default_min_items_follows_the_items_each_participant_was_asked():
    # programmes ask different items: q was asked 2 items (needs 1), r was asked 4 (needs 2)
    rows = [("q", w, c, 4) for w in ("baseline", "followup_3m") for c in ("B01", "B02")]
    rows[-1] = ("q", "followup_3m", "B02", None)  # q: one of two rated at 3 months -> kept
    rows += [("r", "baseline", c, 3) for c in COMPETENCY]
    rows += [
        ("r", "followup_3m", c, v) for c, v in zip(COMPETENCY, [5, None, None, None], strict=True)
    ]
    df = pd.DataFrame(rows, columns=["participant_id", "wave", "item_code", "rating"])
    df = df.assign(session_id="S01", rater="self", rating=df["rating"].astype("Float64"))
    out = bh.behavior_change(df, instruments=instruments(), compare=("baseline", "followup_3m"))
    assert out["n"].item() == 1  # r rated 1 of 4 items at 3 months: no score
    assert out["estimate"].item() == 0.0


def test_by_column_named_method_keeps_the_group():
    df = make_behavior(n=20).assign(method="workshop")
    out = bh.behavior_change(df, by="method", instruments=instruments())
    assert (out["method"] == "workshop").all()
    assert out["stat_method"].str.startswith("paired t-test").all()
    with pytest.raises(ValueError, match="also an output column"):
        bh.behavior_change(df.assign(n=1), by="n")


# --------------------------------------------------------------------------- sample data
def _sample(name):
    import toolkit

    return pd.read_csv(toolkit.SAMPLE_DATA / f"{name}.csv")


def _truth():
    import json

    import toolkit

    return json.loads((toolkit.SAMPLE_DATA / "truth.json").read_text())


def test_planted_behaviour_effects_recovered_on_sample_data():
    # truth.json holds Monte Carlo population values of the generator (toolkit.synth).
    # The pooled change mixes methods in population proportions, so it is checked per method
    # (supervisor, 3 months) where the sample's method mix does not matter; 99 % intervals,
    # so that all five contain their truth with probability about 0.95.
    truth = _truth()
    beh = _sample("behavior").merge(_sample("sessions")[["session_id", "method"]])
    inst = _sample("instruments")
    out = bh.behavior_change(
        beh,
        by="method",
        rater="supervisor",
        compare=("baseline", "followup_3m"),
        instruments=inst,
        confidence=0.99,
    )
    planted = out["method"].map(truth["behavior_supervisor_change_3m_by_method_points"])
    assert planted.notna().all() and len(out) == 5
    assert ((out["ci_low"] <= planted) & (planted <= out["ci_high"])).all()
    # self-ratings are inflated by a planted amount: the baseline gap recovers it
    gap = bh.rater_agreement(beh, wave="baseline", instruments=inst, confidence=0.99).iloc[0]
    assert gap["gap_ci_low"] <= truth["behavior_self_inflation_points"] <= gap["gap_ci_high"]
