"""Delivery-method comparisons: reference checks against statsmodels, invariants, bad input.

The regression and the per-group means are checked against ``statsmodels`` 0.15 formula OLS
with ``cov_type="cluster"`` and ``use_t=True`` (CR1 with Stata's small-sample factor and
G - 1 degrees of freedom), the outcome frames against the toolkit's level functions, and the
sample's planted method differences (``sample_data/truth.json``) are recovered.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from conftest import SAMPLE

from toolkit.behavior import behavior_change
from toolkit.learning import prepost_scores
from toolkit.methods import (
    LABELS,
    cluster_ols,
    method_comparison,
    method_effects,
    method_frame,
    method_plot,
)
from toolkit.reaction import likert_summary

matplotlib.use("Agg")

TRUTH = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
ADJUST = ["program", "grade", "position_type", "baseline"]


@pytest.fixture(scope="module")
def gain(sample):
    return method_frame(sample, "learning")


@pytest.fixture(scope="module")
def change(sample):
    return method_frame(sample, "behavior")


def _statsmodels(frame, formula):
    """statsmodels formula OLS, CR1 by session, t with G - 1 df (the reference)."""
    d = frame.copy()
    for col in ("method", "program", "grade", "position_type", "provider"):
        d[col] = d[col].astype("str")
    groups = pd.factorize(d["session_id"])[0]
    return smf.ols(formula, d).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)


def _sm_name(name: str) -> str:
    """Our column name 'method[seminar]' as patsy writes it."""
    refs = {"method": "workshop", "program": "collaboration", "grade": "I",
            "position_type": "structural"}  # fmt: skip
    if "[" not in name:
        return name
    term, level = name[:-1].split("[")
    return f"C({term}, Treatment('{refs[term]}'))[T.{level}]"


# --------------------------------------------------------------------------- reference checks
def test_cluster_ols_matches_statsmodels_formula(gain):
    fit = cluster_ols(gain, y="y", terms=["method", *ADJUST])
    ref = _statsmodels(
        gain,
        "y ~ C(method, Treatment('workshop')) + C(program, Treatment('collaboration'))"
        " + C(grade, Treatment('I')) + C(position_type, Treatment('structural')) + baseline",
    )
    ours = fit.coefficients.set_index("name")
    names = [_sm_name(n) for n in ours.index]
    assert sorted(names) == sorted(ref.params.index)
    np.testing.assert_allclose(ours["estimate"], ref.params[names], rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(ours["se"], ref.bse[names], rtol=1e-8)
    np.testing.assert_allclose(ours["p_value"], ref.pvalues[names], rtol=1e-6, atol=1e-12)
    ci = ref.conf_int().loc[names]
    np.testing.assert_allclose(ours["ci_low"], ci[0], rtol=1e-8)
    np.testing.assert_allclose(ours["ci_high"], ci[1], rtol=1e-8)
    assert fit.r_squared == pytest.approx(ref.rsquared, rel=1e-10)
    assert (fit.n, fit.n_clusters) == (int(ref.nobs), 40)
    assert (ours["df"] == 39).all()
    # joint test of the method term: statsmodels' F with (q, G - 1) df
    terms = [n for n in ref.params.index if n.startswith("C(method")]
    w = ref.wald_test(", ".join(f"{t} = 0" for t in terms), use_f=True, scalar=True)
    ours_w = fit.wald("method")
    assert ours_w["f"] == pytest.approx(w.statistic, rel=1e-8)
    assert (ours_w["df_num"], ours_w["df_den"]) == (w.df_num, w.df_denom)
    assert ours_w["p_value"] == pytest.approx(w.pvalue, rel=1e-6)


def test_method_comparison_matches_statsmodels_intercept_only(change):
    out = method_comparison(change).set_index("method")
    for method, grp in change.groupby("method", observed=True):
        ref = _statsmodels(grp, "y ~ 1")
        row = out.loc[method]
        assert row["estimate"] == pytest.approx(ref.params.iloc[0], rel=1e-12)
        assert row["se"] == pytest.approx(ref.bse.iloc[0], rel=1e-9)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(
            tuple(ref.conf_int().iloc[0]), rel=1e-9
        )
        assert row["n_clusters"] == grp["session_id"].nunique() == row["df"] + 1
        iid = smf.ols("y ~ 1", grp).fit()
        assert row["se_iid"] == pytest.approx(iid.bse.iloc[0], rel=1e-9)


# --------------------------------------------------------------------------- outcome frames
def test_learning_frame_is_post_minus_pre(sample, gain):
    scores = prepost_scores(sample.tests).dropna(subset=["pre", "post"])
    assert len(gain) == len(scores)
    merged = gain.merge(
        scores.astype({"participant_id": "str", "session_id": "str"}),
        on=["participant_id", "session_id"],
    )
    np.testing.assert_allclose(merged["y"], merged["post"] - merged["pre"])
    np.testing.assert_allclose(merged["baseline"], merged["pre"])
    assert gain[["method", "program", "grade", "position_type"]].notna().all().all()


def test_behavior_frame_agrees_with_behavior_change(sample, change):
    beh = sample.behavior.merge(sample.sessions[["session_id", "method"]], on="session_id")
    ref = behavior_change(
        beh, by="method", rater="supervisor", compare=("baseline", "followup_3m"),
        instruments=sample.instruments,
    ).set_index("method")  # fmt: skip
    ours = method_comparison(change).set_index("method")
    np.testing.assert_allclose(ours["estimate"], ref.loc[ours.index, "estimate"], rtol=1e-12)
    assert (ours["n"] == ref.loc[ours.index, "n"]).all()
    # the iid interval is behavior_change's paired-t interval
    np.testing.assert_allclose(ours["ci_low_iid"], ref.loc[ours.index, "ci_low"], rtol=1e-9)


def test_reaction_frame_top2_and_mean(sample):
    one = method_frame(sample, "reaction", items="R04")
    summary = likert_summary(
        sample.reaction[sample.reaction["item_code"].eq("R04")].merge(
            sample.sessions[["session_id", "method"]], on="session_id"
        ),
        by="method",
        instruments=sample.instruments,
    ).set_index("method")
    ours = method_comparison(one).set_index("method")
    np.testing.assert_allclose(100 * ours["estimate"], summary.loc[ours.index, "top2_pct"])
    assert (ours["n"] == summary.loc[ours.index, "n"]).all()  # 99 and empty answers left out
    means = method_frame(sample, "reaction", items="R04", score="mean")
    np.testing.assert_allclose(
        method_comparison(means).set_index("method")["estimate"], summary.loc[ours.index, "mean"]
    )
    # default items: the 1-5 items, not the 0-10 recommendation item
    every = method_frame(sample, "reaction")
    assert every["n_items"].max() == 7 and set(every["y"].unique()) - {0.0, 1.0}


def test_frames_are_empty_without_their_table(sample):
    empty = SimpleNamespace(**{**sample.__dict__, "tests": sample.tests.iloc[:0],
                               "behavior": sample.behavior.iloc[:0]})  # fmt: skip
    for outcome in ("learning", "behavior"):
        frame = method_frame(empty, outcome)
        assert len(frame) == 0 and "y" in frame.columns
        assert len(method_comparison(frame)) == 0
        effects = method_effects(frame)
        assert len(effects) == 0 and "estimate" in effects.columns


# --------------------------------------------------------------------------- invariants
def test_one_participant_per_cluster_gives_design_effect_one(gain):
    alone = gain.assign(session_id=np.arange(len(gain)).astype(str))
    out = method_comparison(alone)
    np.testing.assert_allclose(out["design_effect"], 1.0, rtol=1e-12)
    np.testing.assert_allclose(out["ci_low"], out["ci_low_iid"], rtol=1e-12)


def test_intervals_contain_estimates_and_p_values_are_probabilities(gain):
    out = method_comparison(gain)
    assert ((out["ci_low"] < out["estimate"]) & (out["estimate"] < out["ci_high"])).all()
    eff = method_effects(gain)
    assert eff["p_value"].dropna().between(0, 1).all()
    assert eff.loc[eff["reference"], "estimate"].eq(0).all()


def test_raw_model_is_the_difference_of_means(gain):
    eff = method_effects(gain, reference="seminar")
    raw = eff[eff["model"].eq("raw")].set_index("method")["estimate"]
    means = gain.groupby("method", observed=True)["y"].mean()
    np.testing.assert_allclose(raw, (means - means["seminar"]).loc[raw.index], atol=1e-10)


def test_changing_the_reference_flips_the_sign(gain):
    a = method_effects(gain, reference="workshop").set_index(["model", "method"])["estimate"]
    b = method_effects(gain, reference="simulation").set_index(["model", "method"])["estimate"]
    for model in ("raw", "adjusted"):
        assert a[(model, "simulation")] == pytest.approx(-b[(model, "workshop")], rel=1e-9)


def test_collinear_column_is_aliased_not_absorbed(gain):
    dup = gain.assign(pre_copy=gain["baseline"] * 2.0)
    fit = cluster_ols(dup, y="y", terms=["method", "baseline", "pre_copy"])
    assert fit.aliased == ("pre_copy",)
    assert np.isnan(fit.coefficients.set_index("name").loc["pre_copy", "estimate"])
    ref = cluster_ols(gain, y="y", terms=["method", "baseline"]).coefficients
    np.testing.assert_allclose(fit.coefficients["estimate"].dropna(), ref["estimate"])


def test_adjusted_sample_is_shared_and_reported(sample):
    reaction = method_frame(sample, "reaction", items="R03")
    eff = method_effects(reaction, adjust=["program", "baseline", "provider"])
    assert eff["adjusted_for"].iloc[-1] == "program, provider"  # baseline is empty: left out
    assert eff.groupby("model")["n"].nunique().eq(1).all()
    assert eff["n"].nunique() == 1


# --------------------------------------------------------------------------- bad input
def test_bad_arguments_are_refused(sample, gain):
    with pytest.raises(ValueError, match="`outcome` must be one of 'reaction', 'learning'"):
        method_frame(sample, "learn")
    with pytest.raises(KeyError, match="'R99', which is not a reaction item"):
        method_frame(sample, "reaction", items="R99")
    with pytest.raises(ValueError, match="at least 2 clusters"):
        cluster_ols(gain.assign(session_id="S01"), y="y", terms="method")
    with pytest.raises(ValueError, match=r"`reference\['method'\]` must be one of"):
        cluster_ols(gain, y="y", terms="method", reference={"method": "lecture"})
    with pytest.raises(KeyError, match="Did you mean 'method'"):
        method_comparison(gain, by="metod")
    with pytest.raises(ValueError, match="No complete rows"):
        cluster_ols(gain.assign(y=np.nan), y="y", terms="method")


# --------------------------------------------------------------------------- planted truth
def test_raw_learning_means_cover_the_planted_gain(gain):
    # truth.json: expected post - pre (percentage points) by method, for each method's
    # programme mix; the raw means estimate exactly that.
    out = method_comparison(gain).set_index("method")
    planted = pd.Series(TRUTH["learning_gain_pct_points_by_method"])
    assert ((out["ci_low"] < planted[out.index]) & (planted[out.index] < out["ci_high"])).all()


def test_adjustment_recovers_the_planted_ordering(gain, change):
    # The planted method effects live on a latent scale (logits for learning); adjusting
    # for programme and starting level restores their order, which the raw means do not.
    for frame, key in ((gain, "learning_method_gain_logits"), (change, None)):
        eff = method_effects(frame)
        adjusted = eff[eff["model"].eq("adjusted")].set_index("method")["estimate"]
        if key is None:  # behaviour: project-based and simulation above workshop above rest
            assert min(adjusted["project_based"], adjusted["simulation"]) > adjusted["workshop"]
            assert adjusted["workshop"] > max(adjusted["seminar"], adjusted["e_learning"])
            continue
        planted = pd.Series(TRUTH[key])[adjusted.index]
        assert adjusted.rank().tolist() == planted.rank().tolist()
        raw = eff[eff["model"].eq("raw")].set_index("method")["estimate"]
        assert raw.rank().tolist() != planted.rank().tolist()


# --------------------------------------------------------------------------- figure
def test_method_plot_draws_every_estimate(gain):
    import matplotlib.pyplot as plt

    eff = method_effects(gain)
    ax = method_plot(eff, hue="model", lang="en")
    drawn = ax.drawn
    assert len(drawn) == len(eff)
    np.testing.assert_allclose(drawn["estimate"], eff["estimate"])
    assert (drawn.groupby("model")["y"].diff().dropna() == 1).all()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [LABELS["raw"]["en"], LABELS["adjusted"]["en"]]
    with pytest.raises(KeyError, match="model"):
        method_plot(method_comparison(gain), hue="model")
    plt.close("all")
