"""Key findings: the numbers are the level functions' own, worded in both languages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from toolkit import learning, results
from toolkit.data import EvaluationData
from toolkit.findings import conservative_did, key_findings


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
    args = dict(outcome="converted", treated="treated", post="treated_post", unit="unit_id",
                period="period")  # fmt: skip
    clustered = results.did(panel, **args).iloc[0]
    robust = results.did(panel, se="robust", **args).iloc[0]
    # with 20 clusters the clustered SE (0.256) is smaller than the robust one (0.311): the
    # finding quotes the larger, on G - 1 = 19 degrees of freedom (notebooks 02 and 06)
    assert round(clustered["se"], 3) == 0.256 and round(robust["se"], 3) == 0.311
    half = stats.t.ppf(0.975, 19) * max(clustered["se"], robust["se"])
    assert f.loc["ikm_did", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [clustered["estimate"], clustered["estimate"] - half, clustered["estimate"] + half]
    )
    assert f.loc["ikm_did", "ci_low"] < clustered["ci_low"]  # never narrower than CR1
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


def test_conservative_did_quotes_the_larger_se():
    """Reference: the 2x2 DiD by hand; CR1 and HC1 from statsmodels' OLS.

    statsmodels 0.14: ``smf.ols("y ~ treated * post").fit(cov_type="cluster",
    cov_kwds={"groups": unit})`` and ``.fit(cov_type="HC1")``; CR1 uses the same small-sample
    factor G/(G-1)(N-1)/(N-K) as Stata's ``vce(cluster)``.
    """
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(7)
    unit = np.repeat(np.arange(6), 10)
    t = np.tile(np.arange(10), 6)
    df = pd.DataFrame(
        {"unit": unit, "treated": (unit < 3).astype(int), "post": (t >= 5).astype(int)}
    )
    df["y"] = 0.3 * unit + 1.5 * df["treated"] * df["post"] + rng.normal(0, 1, len(df))
    row = conservative_did(df, outcome="y", treated="treated", post="post", cluster="unit").iloc[0]
    fit = smf.ols("y ~ treated * post", df)
    se_c = fit.fit(cov_type="cluster", cov_kwds={"groups": df["unit"]}).bse["treated:post"]
    se_r = fit.fit(cov_type="HC1").bse["treated:post"]
    cells = df.groupby(["treated", "post"])["y"].mean()
    by_hand = (cells[1, 1] - cells[1, 0]) - (cells[0, 1] - cells[0, 0])
    assert row["estimate"] == pytest.approx(by_hand)
    assert (row["se_cluster"], row["se_robust"]) == pytest.approx((se_c, se_r))
    assert row["se"] == pytest.approx(max(se_c, se_r)) and row["df"] == 5
    half = stats.t.ppf(0.975, 5) * max(se_c, se_r)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((by_hand - half, by_hand + half))
    with pytest.raises(ValueError):
        conservative_did(df, outcome="y", treated="treated", post="post", se="robust")
