"""The planted truth of the sample data is recovered by the Level 1 and Level 2 analyses.

``sample_data/truth.json`` holds the population values that :mod:`toolkit.synth` planted;
each test computes the estimate from ``toolkit.data.load(toolkit.SAMPLE_DATA)`` with the
toolkit's own functions and checks that the reported 95 % interval contains the truth.

Interval methods
----------------
* Provider effect on the trainer item (R03): difference of mean ratings from the office's
  own (internal) trainers, :func:`toolkit.reaction.mean_differences` with ``cluster=
  "session_id"``: cluster-robust CR1 (Stata/statsmodels factor), t on G - 1 df. Answers of
  one session share its trainer and room; the naive Welch interval ignores that.
* Method differences in learning gain (post - pre, percent correct): the same function on
  the participants' gains, clustered by session.

Investigation (done once, 400 regenerated samples ``generate(seed=0..399)``, recorded here)
---------------------------------------------------------------------------------------------
* Provider effect: CR1 intervals covered the truth in 94 % of samples for both providers;
  Welch intervals only in 75 % and 67 %: clustering matters, and CR1 is calibrated.
  :func:`test_provider_interval_is_calibrated` repeats a smaller version of this study.
* Learning gains: over all ten method pairs, CR1 intervals covered the truth in 81 % of
  samples. Two causes. (1) ``learning_gain_pct_points_by_method["simulation"]`` (13.35) is
  not the expectation of the participants' mean gain in simulation sessions: over 200
  samples that mean averaged 16.0 (SD 1.9), while the other four methods averaged within
  0.2 points of their truth (e.g. workshop 10.88 against 10.91). The truth mixes
  programmes with the session-level weights, but participants enrol with programme and
  position affinities; the pairs with simulation were covered in only 67–73 % of samples.
  This is a property of the generator's truth, reported to its owner, not of the interval.
  (2) The other pairs compare 5–13 sessions per method; CR1 with few clusters is known to
  be somewhat narrow (Cameron & Miller 2015): 86–91 % coverage.
* In this sample, 9 of the 10 method differences lie inside their intervals. The miss,
  project-based minus workshop (estimate 0.5, truth 3.7, interval -2.6 to 3.5), is sample
  noise: both methods are unbiased over the 400 samples, and this sample's workshop
  sessions gained 1.2 SD more than expected while its project-based sessions gained 0.9 SD
  less. Nothing was widened; :func:`test_method_differences_all_pairs` pins the miss so
  that any change to the data or the method is noticed.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

import toolkit
from toolkit.data import load
from toolkit.learning import prepost_scores
from toolkit.reaction import mean_differences, net_promoter_score
from toolkit.reliability import cronbach_alpha, item_analysis
from toolkit.schema import NA_CODE

METHODS = ("workshop", "seminar", "project_based", "simulation", "e_learning")


@pytest.fixture(scope="module")
def data():
    return load(toolkit.SAMPLE_DATA)


@pytest.fixture(scope="module")
def truth():
    return json.loads((toolkit.SAMPLE_DATA / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gains(data):
    tests = data.tests.merge(data.sessions[["session_id", "method"]], on="session_id")
    scores = prepost_scores(tests, by="method").dropna(subset=["pre", "post"])
    return scores.assign(gain=scores["post"] - scores["pre"])


def _inside(table, truth_of):
    """The rows of ``table`` with the truth, and whether the interval contains it."""
    out = table.assign(truth=[truth_of(row) for _, row in table.iterrows()])
    return out.assign(inside=(out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"]))


# ------------------------------------------------------------------------------------------
# Level 1
# ------------------------------------------------------------------------------------------
def test_provider_effect_on_trainer_item(data, truth):
    effect = truth["reaction_trainer_provider_effect_points"]  # professional_org, university
    r03 = data.reaction[data.reaction["item_code"] == "R03"]
    r03 = r03.merge(data.sessions[["session_id", "provider"]], on="session_id")
    res = mean_differences(
        r03, by="provider", reference="internal", cluster="session_id", na_code=NA_CODE
    )
    res = _inside(res, lambda row: effect[str(row["provider"])])
    assert sorted(res["provider"].astype(str)) == ["professional_org", "university"]
    assert res["inside"].all(), res[["provider", "difference", "ci_low", "ci_high", "truth"]]
    assert (res["ci_low"] > 0).all()  # both providers' trainers are rated higher
    assert res["n_clusters"].tolist() == [40, 40]


def test_provider_effect_sits_on_the_trainer_item(data):
    answers = data.reaction[data.reaction["item_code"] != "R08"]
    answers = answers.merge(data.sessions[["session_id", "provider"]], on="session_id")
    res = mean_differences(
        answers, by="provider", within="item_code", cluster="session_id", na_code=NA_CODE,
        reference="internal",
    )  # fmt: skip
    largest = res.loc[res.groupby("provider", observed=True)["difference"].idxmax()]
    assert set(largest["item_code"].astype(str)) == {"R03"}


def test_nps_and_alpha(data, truth):
    nps = net_promoter_score(data.reaction, instruments=data.instruments).iloc[0]
    assert nps["ci_low"] <= truth["reaction_nps"] <= nps["ci_high"]  # adjusted Wald
    scale = data.reaction[data.reaction["item_code"] != "R08"]  # the seven 1–5 items
    alpha = cronbach_alpha(
        scale, item="item_code", value="response", subject=["participant_id", "session_id"]
    ).iloc[0]
    assert alpha["ci_low"] <= truth["reaction_cronbach_alpha"] <= alpha["ci_high"]  # Feldt


@pytest.mark.slow
def test_provider_interval_is_calibrated(truth):
    # A small version of the 400-sample study in the module docstring: regenerate the
    # reaction table with other seeds and count how often each interval covers the truth.
    from toolkit.synth import generate

    effect = truth["reaction_trainer_provider_effect_points"]
    hits = {"session_id": [], None: []}
    for seed in range(40):
        d = generate(seed=seed, tables=["reaction"])
        r03 = d.reaction[d.reaction["item_code"] == "R03"]
        r03 = r03.merge(d.sessions[["session_id", "provider"]], on="session_id")
        for cluster in hits:
            res = mean_differences(r03, by="provider", cluster=cluster, na_code=NA_CODE)
            res = _inside(res, lambda row: effect[str(row["provider"])])
            hits[cluster] += res["inside"].tolist()
    cr1, welch = np.mean(hits["session_id"]), np.mean(hits[None])
    assert cr1 >= 0.85 and cr1 > welch + 0.1, (cr1, welch)


# ------------------------------------------------------------------------------------------
# Level 2
# ------------------------------------------------------------------------------------------
def test_method_differences_against_seminar(gains, truth):
    # Reference fixed in advance: the seminar, the lecture format the active methods are
    # meant to beat (Hake 1998 compares interactive engagement with traditional lectures).
    gain = truth["learning_gain_pct_points_by_method"]
    res = mean_differences(
        gains, value="gain", by="method", reference="seminar", cluster="session_id"
    )
    res = _inside(res, lambda row: gain[str(row["method"])] - gain["seminar"])
    assert len(res) == 4 and res["inside"].all(), res
    active = res[res["method"].isin(["workshop", "project_based", "simulation"])]
    assert (active["ci_low"] > 0).all()  # each active method gains more than the seminar


def test_method_differences_all_pairs(gains, truth):
    gain = truth["learning_gain_pct_points_by_method"]
    missed = []
    for ref in METHODS:
        res = mean_differences(
            gains, value="gain", by="method", reference=ref, cluster="session_id"
        )
        res = _inside(res, lambda row, ref=ref: gain[str(row["method"])] - gain[ref])
        missed += [tuple(sorted((ref, str(m)))) for m in res.loc[~res["inside"], "method"]]
    pairs = set(itertools.combinations(sorted(METHODS), 2))
    assert set(missed) <= pairs
    # each pair appears twice (either way round); the one miss is explained in the docstring
    assert sorted(set(missed)) == [("project_based", "workshop")]


# ------------------------------------------------------------------------------------------
# the mis-keyed item
# ------------------------------------------------------------------------------------------
def test_miskeyed_item_is_flagged(data, truth):
    miskeyed = truth["learning_miskeyed_item"]  # SE07
    tests = data.tests.merge(data.sessions[["session_id", "program"]], on="session_id")
    res = item_analysis(
        tests, item="item_code", value="correct", by=["program", "phase"],
        subject=["participant_id", "session_id"],
    )  # fmt: skip
    for phase, part in res.groupby("phase", observed=True):
        assert part.set_index("item").loc[miskeyed, "flag_negative"], phase
        # the lowest item-rest correlation of all 60 items
        assert part.loc[part["item_rest_r"].idxmin(), "item"] == miskeyed, phase
    post = res[(res["phase"] == "post") & (res["item"] == miskeyed)].iloc[0]
    # D of the 27 % groups, whose total includes the item itself, barely moves (Ebel:
    # "discard"); the item-rest correlation is clearly negative
    assert post["discrimination"] < 0.2 and post["verdict"] in ("discard", "check_answer_key")
    assert post["item_rest_r"] < -0.2
    # both administrations together (one answer sheet per participant, session and phase):
    # the mis-keyed item is the only item flagged
    both = item_analysis(
        tests, item="item_code", value="correct", by="program",
        subject=["participant_id", "session_id", "phase"],
    )  # fmt: skip
    assert both.loc[both["flag_negative"], "item"].tolist() == [miskeyed]
    assert pd.api.types.is_bool_dtype(both["flag_negative"])
