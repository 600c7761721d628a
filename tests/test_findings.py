"""Key findings: the numbers are the level functions' own, worded in both languages."""

from __future__ import annotations

import numpy as np
import pytest

from toolkit import learning, results
from toolkit.data import EvaluationData
from toolkit.findings import key_findings


@pytest.fixture(scope="module")
def findings(sample):
    return {lang: key_findings(sample, lang=lang) for lang in ("id", "en")}


def test_one_finding_per_level_at_least(findings):
    assert set(findings["en"]["level"]) == {1, 2, 3, 4, 5}
    assert findings["en"]["key"].tolist() == findings["id"]["key"].tolist()
    assert (findings["en"]["text"] != findings["id"]["text"]).all()


def test_numbers_come_from_the_level_functions(sample, findings):
    f = findings["en"].set_index("key")
    scores = learning.prepost_scores(sample.tests).dropna(subset=["pre", "post"])
    assert f.loc["hake_gain", "estimate"] == pytest.approx(
        learning.normalized_gain(scores)["g_class"].iloc[0]
    )
    panel = results.ikm_panel(sample.ikm_responses, units=sample.units)
    did = results.did(panel, outcome="converted", treated="treated", post="treated_post",
                      unit="unit_id", period="period").iloc[0]  # fmt: skip
    assert f.loc["ikm_did", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [did["estimate"], did["ci_low"], did["ci_high"]]
    )
    # every interval contains its estimate
    ci = f.dropna(subset=["ci_low"])
    assert ((ci["ci_low"] <= ci["estimate"]) & (ci["estimate"] <= ci["ci_high"])).all()


def test_planted_ikm_effect_inside_the_reported_interval(findings, sample):
    import json

    import toolkit

    truth = json.loads((toolkit.SAMPLE_DATA / "truth.json").read_text())
    f = findings["en"].set_index("key")
    assert f.loc["ikm_did", "ci_low"] <= truth["ikm_effect_points"] <= f.loc["ikm_did", "ci_high"]


def test_indonesian_number_format(findings):
    roi = findings["id"].set_index("key").loc["roi", "text"]
    assert "Rp1.231.722.375" in roi and "BCR 0,42" in roi
    assert "Rp1,231,722,375" in findings["en"].set_index("key").loc["roi", "text"]


def test_missing_tables_say_why(sample):
    empty = {name: df.iloc[0:0] for name, df in sample.tables().items()}
    only_units = EvaluationData(**{**empty, "units": sample.units}, present=("units",))
    table = key_findings(only_units, lang="en")
    assert set(table["level"]) == {1, 2, 3, 4, 5}
    assert table["text"].str.startswith("Not available").all()
    assert np.isnan(table["estimate"]).all()
