"""Level 1 reaction statistics: references, invariants and bad input.

Independent references used here:

* Wilson intervals: ``statsmodels.stats.proportion.proportion_confint(method="wilson")`` and
  the published values of Newcombe (1998), Statistics in Medicine 17, 857–872, method 3
  (score interval without continuity correction) for his illustrative examples.
* Counts: ``pandas.crosstab``; mean and SD: ``pandas`` ``groupby().mean()/.std()``.
* NPS variance: the worked example of the Cross Validated answer "How can I calculate margin of
  error in a NPS (Net Promoter Score) result?" (promoters 1/2, passives 1/3, detractors 1/6 →
  NPS = 1/3, Var = (1-1/3)²·1/2 + (0-1/3)²·1/3 + (-1-1/3)²·1/6 = 5/9), and brute force on the
  expanded vector of +1/0/-1 scores; the adjusted Wald against
  ``statsmodels.stats.weightstats.DescrStatsW`` on pseudo-observation weights (3/4, 3/2, 3/4,
  the defaults of Rocks' R package NPS, ``nps_test(pseudo_observations = c(0.75, 1.5, 0.75))``).
* Differences of means: ``scipy.stats.ttest_ind(equal_var=False)`` (Welch, with its
  ``confidence_interval``) and statsmodels' OLS on group dummies with
  ``cov_type="cluster"``, ``use_t=True`` (CR1, G - 1 df).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from toolkit import reaction
from toolkit.i18n import LANGUAGES
from toolkit.reaction import (
    likert_points,
    likert_summary,
    net_promoter_score,
    wilson_interval,
)
from toolkit.schema import NA_CODE

HSET = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_answers(seed=0, n=400, sessions=("S1", "S2", "S3"), items=("R01", "R02"), na=0.05):
    rng = np.random.default_rng(seed)
    resp = rng.integers(1, 6, n).astype(float)
    resp[rng.random(n) < na] = NA_CODE
    resp[rng.random(n) < na] = np.nan
    return pd.DataFrame(
        {
            "participant_id": [f"P{i:03d}" for i in range(n)],
            "session_id": pd.Categorical(rng.choice(sessions, n), categories=list(sessions)),
            "item_code": pd.Categorical(rng.choice(items, n), categories=list(items)),
            "response": pd.array(resp, dtype="Int16"),
        }
    )


# --------------------------------------------------------------------------------------
# Wilson interval
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        # Newcombe (1998), illustrative examples, method 3 (Wilson score, no correction):
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998(x, n, low, high):
    got = wilson_interval(x, n)
    assert got == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_wilson_matches_statsmodels(confidence):
    n = np.repeat(np.arange(1, 41), 41)
    x = np.tile(np.arange(41), 40)
    x, n = x[x <= n], n[x <= n]
    low, high = wilson_interval(x, n, confidence=confidence)
    # statsmodels: proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    ref_low, ref_high = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    np.testing.assert_allclose(low, ref_low, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, atol=1e-12)


def test_wilson_bad_input_and_empty():
    with pytest.raises(ValueError, match="between 0 and `n`"):
        wilson_interval(5, 3)
    with pytest.raises(ValueError, match="confidence"):
        wilson_interval(1, 3, confidence=95)
    low, high = wilson_interval([0, 1], [0, 2])
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert low[1] < 0.5 < high[1]


# --------------------------------------------------------------------------------------
# likert_summary: references
# --------------------------------------------------------------------------------------
def test_counts_match_crosstab_and_zero_points_are_kept():
    df = make_answers()
    # point 1 never used in S1/R01: zero count must stay
    df.loc[(df.session_id == "S1") & (df.item_code == "R01") & (df.response == 1), "response"] = 2
    out = likert_summary(df, by="session_id", scale=(1, 5))
    valid = df[df.response.notna() & (df.response != NA_CODE)]
    ref = pd.crosstab([valid.session_id, valid.item_code], valid.response.astype(int))
    ref = ref.reindex(columns=range(1, 6), fill_value=0)
    got = out.set_index(["session_id", "item_code"])[[f"count_{p}" for p in range(1, 6)]]
    np.testing.assert_array_equal(got.to_numpy(dtype=int), ref.to_numpy())
    row = out[(out.session_id == "S1") & (out.item_code == "R01")].iloc[0]
    assert row["count_1"] == 0 and row["pct_1"] == 0.0


def test_mean_sd_na_and_missing_match_pandas():
    df = make_answers(seed=3)
    out = likert_summary(df, by="session_id", scale=(1, 5)).set_index(["session_id", "item_code"])
    is_na = df.response == NA_CODE
    valid = df[df.response.notna() & ~is_na.fillna(False)].astype({"response": float})
    g = valid.groupby(["session_id", "item_code"], observed=True)["response"]
    np.testing.assert_allclose(out["mean"], g.mean().reindex(out.index))
    np.testing.assert_allclose(out["sd"], g.std(ddof=1).reindex(out.index))
    np.testing.assert_array_equal(out["n"], g.size().reindex(out.index))
    keys = ["session_id", "item_code"]
    n_na = df[is_na.fillna(False)].groupby(keys, observed=True).size()
    n_missing = df[df.response.isna()].groupby(keys, observed=True).size()
    np.testing.assert_array_equal(out["n_na"], n_na.reindex(out.index, fill_value=0))
    np.testing.assert_array_equal(out["n_missing"], n_missing.reindex(out.index, fill_value=0))
    assert (out["n_total"] == df.groupby(keys, observed=True).size().reindex(out.index)).all()


def test_top2_bottom2_intervals_match_statsmodels():
    df = make_answers(seed=5)
    out = likert_summary(df, by="session_id", scale=(1, 5), confidence=0.9)
    top = out["count_4"].astype(int) + out["count_5"].astype(int)
    bottom = out["count_1"].astype(int) + out["count_2"].astype(int)
    lo, hi = proportion_confint(top, out["n"], alpha=0.1, method="wilson")
    np.testing.assert_allclose(out["top2_ci_low"], 100 * lo)
    np.testing.assert_allclose(out["top2_ci_high"], 100 * hi)
    lo, hi = proportion_confint(bottom, out["n"], alpha=0.1, method="wilson")
    np.testing.assert_allclose(out["bottom2_ci_low"], 100 * lo)
    np.testing.assert_allclose(out["bottom2_ci_high"], 100 * hi)
    np.testing.assert_allclose(out["top2_pct"], 100 * top / out["n"])
    assert (out["ci_method"] == "wilson").all() and (out["confidence"] == 0.9).all()


def test_hand_computed_example():
    # 10 answers 1..5 = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5] plus one 'tidak tahu' and one empty
    df = pd.DataFrame(
        {"item_code": "R01", "response": [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, NA_CODE, None]}
    )
    row = likert_summary(df, scale=(1, 5)).iloc[0]
    assert (row["n"], row["n_na"], row["n_missing"], row["n_total"]) == (10, 1, 1, 12)
    assert row["mean"] == pytest.approx(3.2)
    assert row["sd"] == pytest.approx(np.std([1, 2, 2, 3, 3, 3, 4, 4, 5, 5], ddof=1))
    assert row["pct_below_neutral"] == pytest.approx(30.0)
    assert row["pct_neutral"] == pytest.approx(30.0)
    assert row["pct_above_neutral"] == pytest.approx(40.0)
    assert row["top2_pct"] == pytest.approx(40.0)
    assert row["bottom2_pct"] == pytest.approx(30.0)
    # statsmodels: proportion_confint(4, 10, method="wilson") = (0.168180..., 0.687326...)
    assert row["top2_ci_low"] == pytest.approx(16.8180, abs=1e-4)
    assert row["top2_ci_high"] == pytest.approx(68.7326, abs=1e-4)


def test_even_scale_has_no_neutral_point():
    df = pd.DataFrame({"item_code": "R01", "response": [1, 2, 2, 3, 4, 4]})
    row = likert_summary(df, scale=(1, 4)).iloc[0]
    assert np.isnan(row["pct_neutral"])
    assert row["pct_below_neutral"] == pytest.approx(50.0)
    assert row["pct_above_neutral"] == pytest.approx(50.0)
    assert row["top2_pct"] == pytest.approx(50.0)  # points 3 and 4


def test_short_scale_has_no_boxes():
    df = pd.DataFrame({"item_code": "R01", "response": [1, 2, 3]})
    row = likert_summary(df, scale=(1, 3)).iloc[0]
    assert np.isnan(row["top2_pct"]) and np.isnan(row["top2_ci_low"])
    assert row["pct_neutral"] == pytest.approx(100 / 3)


def test_scales_from_instruments_and_reverse_keying():
    df = pd.DataFrame(
        {
            "item_code": ["R01"] * 4 + ["R02"] * 4 + ["NPS"] * 3,
            "response": [5, 4, 4, 1, 1, 1, 2, 5, 0, 9, 10],
        }
    )
    bank = pd.DataFrame(
        {
            "item_code": ["R01", "R02", "NPS"],
            "scale_min": [1, 1, 0],
            "scale_max": [5, 5, 10],
            "reverse_keyed": [False, True, False],
        }
    )
    out = likert_summary(df, instruments=bank).set_index("item_code")
    assert out.loc["R01", "count_0"] is pd.NA  # 0 is not on the 1–5 scale
    assert out.loc["NPS", "count_0"] == 1 and out.loc["NPS", "count_1"] == 0
    assert out.loc["R02", "mean"] == pytest.approx(9 / 4)
    rev = likert_summary(df, instruments=bank, reverse=True).set_index("item_code")
    assert rev.loc["R02", "mean"] == pytest.approx(6 - 9 / 4)
    assert rev.loc["R02", "count_5"] == 2 and bool(rev.loc["R02", "reversed"])
    assert not rev.loc["R01", "reversed"]
    # a scale= argument overrides the bank's scale but keeps its reverse_keyed
    sub = df[df.item_code != "NPS"]
    forced = likert_summary(sub, instruments=bank, scale=(1, 5), reverse=True)
    assert forced.set_index("item_code").loc["R02", "mean"] == pytest.approx(6 - 9 / 4)


def test_items_select_and_order_and_categorical_groups():
    df = make_answers(seed=1, items=("R01", "R02", "R03"))
    df = df[df.session_id != "S2"]  # an unobserved category is not reported
    out = likert_summary(df, items=["R03", "R01"], by="session_id", scale=(1, 5))
    assert out["item_code"].tolist() == ["R03", "R01", "R03", "R01"]
    assert out["session_id"].astype(str).tolist() == ["S1", "S1", "S3", "S3"]
    assert isinstance(out["session_id"].dtype, pd.CategoricalDtype)


def test_missing_group_values_are_dropped_like_groupby():
    df = make_answers(seed=2).astype({"session_id": "str"})
    df.loc[df.index[:10], "session_id"] = None
    out = likert_summary(df, by="session_id", scale=(1, 5))
    assert out["n_total"].sum() == len(df) - 10
    assert out["session_id"].notna().all()


def test_by_several_columns_and_huge_key_space_path():
    rng = np.random.default_rng(9)
    n = 300
    df = pd.DataFrame(
        {
            "a": rng.integers(0, 3000, n),
            "b": rng.integers(0, 3000, n).astype(str),
            "item_code": "R01",
            "response": rng.integers(1, 6, n),
        }
    )
    out = likert_summary(df, by=["a", "b"], scale=(1, 5))  # 9e6 keys: stepwise path
    ref = df.groupby(["a", "b"])["response"].agg(["mean", "size"])
    got = out.set_index(["a", "b"])
    assert got.index.tolist() == ref.index.tolist()
    np.testing.assert_allclose(got["mean"], ref["mean"])
    np.testing.assert_array_equal(got["n"], ref["size"])
    small = likert_summary(df.assign(a=df.a % 3), by=["a", "b"], scale=(1, 5))  # direct path
    ref = df.assign(a=df.a % 3).groupby(["a", "b"])["response"].mean()
    np.testing.assert_allclose(small.set_index(["a", "b"])["mean"], ref)


def test_empty_input_gives_empty_table_with_stable_columns():
    df = pd.DataFrame(
        {"item_code": pd.Series([], dtype="str"), "response": pd.Series([], dtype="Int16")}
    )
    out = likert_summary(df, scale=(1, 5))
    assert out.empty
    assert list(out.columns) == ["item_code", *reaction.SUMMARY_COLUMNS]


def test_likert_points_long_table():
    df = make_answers(seed=4)
    out = likert_summary(df, by="session_id", scale=(1, 5))
    long = likert_points(out)
    assert len(long) == 5 * len(out)
    assert list(long.columns) == ["session_id", "item_code", "point", "count", "pct"]
    assert long.groupby(["session_id", "item_code"], observed=True)["count"].sum().tolist() == (
        out["n"].tolist()
    )
    with pytest.raises(ValueError, match="likert_summary"):
        likert_points(pd.DataFrame({"x": [1]}))


# --------------------------------------------------------------------------------------
# likert_summary: bad input
# --------------------------------------------------------------------------------------
def test_bad_input_messages():
    df = pd.DataFrame({"session_id": "S1", "item_code": "R01", "response": [1, 7]})
    with pytest.raises(ValueError, match="off their item's scale"):
        likert_summary(df, scale=(1, 5))
    with pytest.raises(ValueError, match="instruments=data.instruments"):
        likert_summary(df)
    with pytest.raises(ValueError, match="`scale` must be"):
        likert_summary(df, scale=(5, 1))
    with pytest.raises(ValueError, match="`scale` must be"):
        likert_summary(df, scale=(1.0, 5.0))
    with pytest.raises(KeyError, match="Did you mean 'session_id'"):
        likert_summary(df, by="sesion_id", scale=(1, 7))
    with pytest.raises(KeyError, match="Did you mean 'R01'"):
        likert_summary(df, items="R1", scale=(1, 7))
    with pytest.raises(ValueError, match="`confidence`"):
        likert_summary(df, scale=(1, 7), confidence=1.5)
    with pytest.raises(ValueError, match="`reverse`"):
        likert_summary(df, scale=(1, 7), reverse="yes")
    with pytest.raises(ValueError, match="reverse=True needs"):
        likert_summary(df, scale=(1, 7), reverse=True)
    with pytest.raises(ValueError, match="output column"):
        likert_summary(df.assign(mean=1), by="mean", scale=(1, 7))
    with pytest.raises(ValueError, match="whole numbers"):
        likert_summary(df.assign(response=[1.5, 2.0]), scale=(1, 7))
    with pytest.raises(KeyError, match="not in `instruments`"):
        bank = pd.DataFrame({"item_code": ["R02"], "scale_min": [1], "scale_max": [5]})
        likert_summary(df, instruments=bank)
    with pytest.raises(KeyError, match="`df`"):
        likert_summary(df.drop(columns="response"), scale=(1, 7))


# --------------------------------------------------------------------------------------
# likert_summary: properties
# --------------------------------------------------------------------------------------
answers = st.lists(
    st.tuples(
        st.sampled_from(["S1", "S2", "S3"]),
        st.sampled_from(["R01", "R02"]),
        st.one_of(st.integers(1, 5), st.just(NA_CODE), st.none()),
    ),
    min_size=1,
    max_size=80,
)


def _frame(rows):
    s, i, r = zip(*rows, strict=True)
    return pd.DataFrame(
        {"session_id": list(s), "item_code": list(i), "response": pd.array(r, dtype="Int16")}
    )


@HSET
@given(answers)
def test_property_percentages_and_boxes(rows):
    out = likert_summary(_frame(rows), by="session_id", scale=(1, 5))
    pct = out[[f"pct_{p}" for p in range(1, 6)]].to_numpy()
    counts = out[[f"count_{p}" for p in range(1, 6)]]
    has = out["n"].to_numpy() > 0
    # zero counts are kept: no count on the scale is ever missing
    assert counts.notna().all().all()
    np.testing.assert_allclose(pct[has].sum(axis=1), 100.0)
    # top-2 + middle + bottom-2 = 100 on a 5-point scale
    total = out["top2_pct"] + out["pct_neutral"] + out["bottom2_pct"]
    np.testing.assert_allclose(total[has], 100.0)
    below_above = out["pct_below_neutral"] + out["pct_neutral"] + out["pct_above_neutral"]
    np.testing.assert_allclose(below_above[has], 100.0)
    for box in ("top2", "bottom2"):
        est, lo, hi = out[f"{box}_pct"][has], out[f"{box}_ci_low"][has], out[f"{box}_ci_high"][has]
        assert ((lo <= est) & (est <= hi)).all()
        assert ((lo >= 0) & (hi <= 100)).all()
    assert (out["n_total"] == out["n"] + out["n_na"] + out["n_missing"]).all()


@HSET
@given(answers, st.randoms(use_true_random=False))
def test_property_by_equals_per_group_and_order_free(rows, rnd):
    df = _frame(rows)
    grouped = likert_summary(df, by="session_id", scale=(1, 5))
    for session, part in df.groupby("session_id"):
        alone = likert_summary(part, scale=(1, 5))
        mine = grouped[grouped.session_id == session].drop(columns="session_id")
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone)
    shuffled = df.sample(frac=1, random_state=rnd.randint(0, 10**6))
    pd.testing.assert_frame_equal(likert_summary(shuffled, by="session_id", scale=(1, 5)), grouped)


# --------------------------------------------------------------------------------------
# Net Promoter Score
# --------------------------------------------------------------------------------------
def nps_frame(promoters, passives, detractors, *, group="G1", seed=0):
    rng = np.random.default_rng(seed)
    r = np.concatenate(
        [
            rng.integers(9, 11, promoters),
            rng.integers(7, 9, passives),
            rng.integers(0, 7, detractors),
        ]
    )
    return pd.DataFrame({"group": group, "item_code": "R10", "response": r})


def test_nps_cross_validated_worked_example():
    # Cross Validated, "How can I calculate margin of error in a NPS result?": shares
    # 1/2, 1/3, 1/6 give NPS = 1/3 and a per-answer variance of 5/9, so SE = sqrt(5/9 / n).
    out = net_promoter_score(nps_frame(30, 20, 10), method="wald").iloc[0]
    assert out["estimate"] == pytest.approx(100 / 3)
    assert out["se"] == pytest.approx(100 * np.sqrt(5 / 9 / 60))
    z = 1.959963984540054
    assert out["ci_low"] == pytest.approx(100 / 3 - z * out["se"])
    assert out["ci_high"] == pytest.approx(100 / 3 + z * out["se"])
    assert (out["n_promoters"], out["n_passives"], out["n_detractors"]) == (30, 20, 10)


def test_nps_talkstats_counts():
    # talkstats.com thread "Net Promoter Score - Calculating Confidence Intervals and Margin of
    # Error": 1162 answers, 291 promoters, 476 neutral, 395 detractors, reported NPS "-9".
    out = net_promoter_score(nps_frame(291, 476, 395), method="wald").iloc[0]
    assert round(out["estimate"]) == -9
    assert out["estimate"] == pytest.approx(100 * (291 - 395) / 1162)


@pytest.mark.parametrize(("pro", "pas", "det"), [(5, 3, 2), (40, 0, 1), (0, 7, 0), (13, 29, 51)])
def test_nps_wald_equals_brute_force(pro, pas, det):
    scores = np.r_[np.ones(pro), np.zeros(pas), -np.ones(det)]
    out = net_promoter_score(nps_frame(pro, pas, det), method="wald").iloc[0]
    assert out["estimate"] == pytest.approx(100 * scores.mean())
    assert out["se"] == pytest.approx(100 * np.sqrt(np.var(scores) / scores.size))


@pytest.mark.parametrize(("pro", "pas", "det"), [(5, 3, 2), (40, 0, 1), (1, 0, 0), (13, 29, 51)])
def test_nps_adjusted_wald_equals_weighted_statsmodels(pro, pas, det):
    out = net_promoter_score(nps_frame(pro, pas, det)).iloc[0]
    w = DescrStatsW([1.0, 0.0, -1.0], weights=[pro + 0.75, pas + 1.5, det + 0.75], ddof=0)
    se = np.sqrt(w.var / w.sum_weights)  # sum_weights = n + 3
    z = 1.959963984540054
    assert out["ci_se"] == pytest.approx(100 * se)
    assert out["ci_center"] == pytest.approx(100 * w.mean)
    # `se` belongs to `estimate`: the plain trinomial SE of the unweighted scores (issue 14)
    plain = DescrStatsW([1.0, 0.0, -1.0], weights=[pro, pas, det], ddof=0)
    assert out["estimate"] == pytest.approx(100 * plain.mean)
    assert out["se"] == pytest.approx(100 * np.sqrt(plain.var / plain.sum_weights))
    assert out["ci_low"] == pytest.approx(max(-100, 100 * (w.mean - z * se)))
    assert out["ci_high"] == pytest.approx(min(100, 100 * (w.mean + z * se)))
    assert out["ci_method"] == "adjusted_wald"


def test_nps_adjusted_wald_may_exclude_raw_estimate_for_tiny_n():
    # documented: one promoter -> NPS 100, but the adjusted interval stops below 100
    out = net_promoter_score(nps_frame(1, 0, 0)).iloc[0]
    assert out["estimate"] == 100 and out["ci_high"] < 100


def test_nps_bootstrap_reproducible_and_close_to_wald():
    df = nps_frame(120, 60, 70)
    a = net_promoter_score(df, method="bootstrap", seed=7, n_boot=4000)
    b = net_promoter_score(df, method="bootstrap", seed=7, n_boot=4000)
    pd.testing.assert_frame_equal(a, b)
    w = net_promoter_score(df, method="wald").iloc[0]
    assert a.loc[0, "se"] == pytest.approx(w["se"], rel=0.08)
    assert a.loc[0, "ci_low"] == pytest.approx(w["ci_low"], abs=2.0)
    assert a.loc[0, "ci_high"] == pytest.approx(w["ci_high"], abs=2.0)


def test_nps_na_missing_item_selection_and_groups():
    df = pd.concat([nps_frame(3, 1, 1, group="A"), nps_frame(0, 0, 2, group="B")])
    df = pd.concat(
        [
            df,
            pd.DataFrame({"group": "A", "item_code": ["R10", "R10"], "response": [NA_CODE, None]}),
            pd.DataFrame({"group": "A", "item_code": "R01", "response": [5]}),
        ]
    ).astype({"response": "Int16"})
    bank = pd.DataFrame({"item_code": ["R01", "R10"], "scale_min": [1, 0], "scale_max": [5, 10]})
    out = net_promoter_score(df, by="group", instruments=bank, method="wald")
    assert out["group"].tolist() == ["A", "B"]
    assert out["n"].tolist() == [5, 2] and out["n_na"].tolist() == [1, 0]
    assert out["n_missing"].tolist() == [1, 0] and out["n_total"].tolist() == [7, 2]
    assert out["estimate"].tolist() == pytest.approx([40.0, -100.0])
    with pytest.raises(ValueError, match="pass item="):
        net_promoter_score(df, by="group")
    with pytest.raises(ValueError, match="answered 0–10"):
        net_promoter_score(pd.DataFrame({"item_code": ["R10"], "response": [11]}))
    with pytest.raises(ValueError, match="`method`"):
        net_promoter_score(df, item="R10", method="wilson")
    with pytest.raises(KeyError, match="Did you mean 'R10'"):
        net_promoter_score(df, item="R1O")


def test_nps_empty_group_is_nan():
    df = pd.DataFrame({"g": ["A", "A", "B"], "item_code": "R10", "response": [10, 9, NA_CODE]})
    out = net_promoter_score(df, by="g").set_index("g")
    assert out.loc["B", "n"] == 0 and np.isnan(out.loc["B", "estimate"])
    assert np.isnan(out.loc["B", "ci_low"]) and out.loc["A", "estimate"] == 100


nps_answers = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(0, 10)), min_size=1, max_size=60
)


@HSET
@given(nps_answers, st.sampled_from(["wald", "bootstrap"]))
def test_property_nps_ci_contains_estimate_and_by_equals_per_group(rows, method):
    df = pd.DataFrame(
        {"g": [r[0] for r in rows], "item_code": "R10", "response": [r[1] for r in rows]}
    )
    out = net_promoter_score(df, by="g", method=method, n_boot=200, seed=1)
    assert ((out.ci_low <= out.estimate + 1e-9) & (out.estimate <= out.ci_high + 1e-9)).all()
    assert ((out.ci_low >= -100) & (out.ci_high <= 100)).all()
    np.testing.assert_allclose(out.pct_promoters + out.pct_passives + out.pct_detractors, 100)
    if method == "wald":
        for g, part in df.groupby("g"):
            alone = net_promoter_score(part, method="wald")
            mine = out[out.g == g].drop(columns="g").reset_index(drop=True)
            pd.testing.assert_frame_equal(mine, alone)


@HSET
@given(nps_answers)
def test_property_adjusted_wald_contains_adjusted_centre(rows):
    df = pd.DataFrame({"item_code": "R10", "response": [r[1] for r in rows]})
    out = net_promoter_score(df).iloc[0]
    pro, det, n = out["n_promoters"], out["n_detractors"], out["n"]
    centre = 100 * ((pro + 0.75) - (det + 0.75)) / (n + 3)
    assert out["ci_low"] <= centre <= out["ci_high"]
    assert out["ci_high"] - out["ci_low"] > 0


def test_labels_have_both_languages():
    for key, value in reaction.LABELS.items():
        assert set(value) == set(LANGUAGES), key


# --------------------------------------------------------------------------------------
# mean_differences: Welch (SciPy) and cluster-robust CR1 (statsmodels)
# --------------------------------------------------------------------------------------
def clustered(seed=0, n_clusters=12, per=15):
    """Ratings of three providers, each session (cluster) with its own shift."""
    rng = np.random.default_rng(seed)
    session = np.repeat(np.arange(n_clusters), per)
    provider = np.array(["internal", "professional_org", "university"])[session % 3]
    shift = rng.normal(0, 0.4, n_clusters)[session]
    y = np.clip(
        np.round(3.8 + 0.3 * (provider != "internal") + shift + rng.normal(0, 0.8, len(session))),
        1,
        5,
    )
    df = pd.DataFrame(
        {"session_id": [f"S{s:02d}" for s in session], "provider": provider, "response": y}
    )
    return pd.concat(
        [
            df.assign(item_code="R03"),
            df.assign(item_code="R01", response=df.response[::-1].to_numpy()),
        ]
    )


def test_mean_differences_welch_matches_scipy():
    from scipy import stats

    df = clustered()
    out = reaction.mean_differences(df[df.item_code == "R03"], by="provider", confidence=0.9)
    assert out["provider"].tolist() == ["professional_org", "university"]
    for _, row in out.iterrows():
        a = df[(df.item_code == "R03") & (df.provider == row["provider"])].response
        b = df[(df.item_code == "R03") & (df.provider == "internal")].response
        # scipy.stats.ttest_ind(a, b, equal_var=False) and its confidence_interval(0.9)
        ref = stats.ttest_ind(a, b, equal_var=False)
        ci = ref.confidence_interval(0.9)
        assert row["difference"] == pytest.approx(a.mean() - b.mean())
        assert row["difference"] / row["se"] == pytest.approx(ref.statistic)
        assert row["df"] == pytest.approx(ref.df)
        assert row["p_value"] == pytest.approx(ref.pvalue)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
        assert row["ci_method"].startswith("Welch") and row["n_clusters"] is pd.NA


def test_mean_differences_cluster_robust_matches_statsmodels():
    import statsmodels.formula.api as smf

    df = clustered(seed=3)
    out = reaction.mean_differences(
        df, by="provider", reference="internal", within="item_code", cluster="session_id"
    )
    assert out["item_code"].tolist() == ["R01", "R01", "R03", "R03"]
    for item, part in df.groupby("item_code"):
        # statsmodels: OLS on provider dummies, cov_type="cluster" (CR1), use_t=True (G - 1 df)
        fit = smf.ols('response ~ C(provider, Treatment("internal"))', part).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(part.session_id)[0]}, use_t=True
        )
        mine = out[out.item_code == item].set_index("provider")
        for prov in ("professional_org", "university"):
            term = f'C(provider, Treatment("internal"))[T.{prov}]'
            assert mine.loc[prov, "difference"] == pytest.approx(fit.params[term])
            assert mine.loc[prov, "se"] == pytest.approx(fit.bse[term])
            assert mine.loc[prov, "p_value"] == pytest.approx(fit.pvalues[term])
            low, high = fit.conf_int().loc[term]
            assert (mine.loc[prov, "ci_low"], mine.loc[prov, "ci_high"]) == pytest.approx(
                (low, high)
            )
            assert mine.loc[prov, "df"] == 11 and mine.loc[prov, "n_clusters"] == 12


def test_mean_differences_properties_and_input():
    df = clustered(seed=5)
    r03 = df[df.item_code == "R03"]
    two = r03[r03.provider != "university"]
    for cluster in (None, "session_id"):
        a = reaction.mean_differences(two, by="provider", cluster=cluster).iloc[0]
        b = reaction.mean_differences(
            two, by="provider", reference="professional_org", cluster=cluster
        ).iloc[0]
        assert b["difference"] == pytest.approx(-a["difference"])  # swapping flips the sign
        assert (b["ci_low"], b["ci_high"]) == pytest.approx((-a["ci_high"], -a["ci_low"]))
        assert a["ci_low"] <= a["difference"] <= a["ci_high"]
    coded = r03.assign(response=r03.response.where(r03.index % 7 != 0, NA_CODE))
    dropped = reaction.mean_differences(coded, by="provider", na_code=NA_CODE)
    clean = reaction.mean_differences(coded[coded.response != NA_CODE], by="provider")
    pd.testing.assert_frame_equal(dropped, clean)
    with pytest.raises(KeyError, match="`reference` 'govt'"):
        reaction.mean_differences(r03, by="provider", reference="govt")
    with pytest.raises(ValueError, match="output column"):
        reaction.mean_differences(r03.assign(n=1), by="provider", within="n")


def test_many_sparse_group_item_cells_match_groupby():
    # 1,000 groups x 1,000 items but only 2,000 answers: the tally numbers the observed
    # (group, item) cells first instead of allocating every combination
    rng = np.random.default_rng(8)
    n = 2000
    df = pd.DataFrame(
        {
            "unit": rng.integers(0, 1000, n),
            "item_code": [f"I{i:04d}" for i in rng.integers(0, 1000, n)],
            "response": rng.integers(1, 6, n),
        }
    )
    out = likert_summary(df, by="unit", scale=(1, 5)).set_index(["unit", "item_code"])
    ref = df.groupby(["unit", "item_code"])["response"].agg(["size", "mean"])
    assert out.index.tolist() == ref.index.tolist()
    np.testing.assert_array_equal(out["n"], ref["size"])
    np.testing.assert_allclose(out["mean"], ref["mean"])


diff_rows = st.lists(
    st.tuples(st.sampled_from(["A", "B"]), st.integers(0, 5), st.integers(1, 5)),
    min_size=4,
    max_size=60,
)


@HSET
@given(diff_rows, st.sampled_from([None, "cluster"]))
def test_property_mean_differences_flip_and_contain(rows, cluster):
    df = pd.DataFrame(rows, columns=["group", "cluster", "response"])
    if df["group"].nunique() < 2:
        return
    a = reaction.mean_differences(df, by="group", reference="A", cluster=cluster)
    b = reaction.mean_differences(df, by="group", reference="B", cluster=cluster)
    if a.empty or not (a.loc[0, "se"] > 0 and np.isfinite(a.loc[0, "ci_low"])):
        return  # no spread in the data, or a single cluster: nothing to test
    row, flip = a.iloc[0], b.iloc[0]
    assert flip["difference"] == pytest.approx(-row["difference"])
    assert flip["se"] == pytest.approx(row["se"])
    assert row["ci_low"] <= row["difference"] <= row["ci_high"]
    assert 0 <= row["p_value"] <= 1


def test_row_order_does_not_change_the_summary():
    # rows grouped by session (long runs: group codes computed once per run) or shuffled
    df = make_answers(seed=11, n=3000)
    runs = df.sort_values(["session_id", "participant_id"], kind="stable").reset_index(drop=True)
    shuffled = df.sample(frac=1.0, random_state=2).reset_index(drop=True)
    a = likert_summary(runs, by="session_id", scale=(1, 5))
    b = likert_summary(shuffled, by="session_id", scale=(1, 5))
    pd.testing.assert_frame_equal(a, b)
    missing = runs.assign(session_id=runs["session_id"].where(runs.index % 50 != 0))
    c = likert_summary(missing, by="session_id", scale=(1, 5))
    assert c["n_total"].sum() == len(runs) - missing["session_id"].isna().sum()
