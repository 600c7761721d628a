"""Level 4 figures, checked through the data they draw (``ax.drawn``)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from toolkit.plots.impact import LABELS, did_plot, event_study_plot, ikm_profile
from toolkit.results import did, event_study, ikm_elements

ELEMENTS = [f"u{j}" for j in range(1, 10)]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_labels_have_both_languages():
    for key, entry in LABELS.items():
        assert set(entry) == {"id", "en"}, key
        assert all(entry.values()), key


def test_ikm_profile_draws_element_scores_and_grades():
    df = pd.DataFrame({c: [4, 3] for c in ELEMENTS}).astype("Int16")
    df["u3"] = pd.array([2, 2], dtype="Int16")
    elements = ikm_elements(df)
    ax = ikm_profile(elements, lang="en")
    drawn = ax.drawn
    assert drawn["element"].tolist() == ELEMENTS
    np.testing.assert_allclose(drawn["value"], 25 * elements["nrr"])
    assert drawn.set_index("element").loc["u3", "grade"] == "D"
    assert drawn.set_index("element").loc["u1", "grade"] == "B"  # 3.5 * 25 = 87.5
    assert drawn["label"].iloc[0] == "U1 Requirements"
    assert ax.get_xlim() == (25.0, 100.0)
    assert len(ax.patches) >= 9
    ax_id = ikm_profile(elements, scale="index")
    np.testing.assert_allclose(ax_id.drawn["value"], elements["nrr"])
    assert ax_id.drawn["label"].iloc[0] == "U1 Persyaratan"
    assert ax_id.get_xlabel() == LABELS["nrr_index"]["id"]


def test_ikm_profile_rejects_several_groups():
    df = pd.DataFrame({"unit_id": ["A", "B"], **{c: [4, 3] for c in ELEMENTS}})
    with pytest.raises(ValueError, match="filter it to one unit"):
        ikm_profile(ikm_elements(df, by="unit_id"))


def _panel(seed=0):
    rng = np.random.default_rng(seed)
    n, T = 40, 8
    unit, t = np.repeat(np.arange(n), T), np.tile(np.arange(T), n)
    treated = (unit < 15).astype(int)
    post = (t >= 4).astype(int)
    y = 70 + rng.normal(0, 2, n)[unit] + 0.5 * t + 5 * treated * post + rng.normal(0, 0.5, n * T)
    quarters = np.array([f"2023Q{q}" for q in range(1, 5)] + [f"2024Q{q}" for q in range(1, 5)])
    return pd.DataFrame(
        {
            "unit": unit,
            "period": quarters[t],
            "tr": treated,
            "post": post,
            "y": y,
            "g": np.where(treated == 1, "2024Q1", None),
        }
    )


def test_did_plot_counterfactual_gap_is_the_did_estimate():
    df = _panel()
    ax = did_plot(df, outcome="y", period="period", treated="tr", post="post", lang="en")
    drawn = ax.drawn
    assert set(drawn["group"]) == {"treated", "comparison", "counterfactual"}
    treated = drawn[drawn["group"] == "treated"].set_index("period")["value"]
    comparison = drawn[drawn["group"] == "comparison"].set_index("period")["value"]
    expected = df[df["tr"] == 1].groupby("period")["y"].mean()
    np.testing.assert_allclose(treated.loc[expected.index], expected)
    cf = drawn[drawn["group"] == "counterfactual"].set_index("period")["value"]
    assert cf.index[0] == "2023Q4"  # drawn from the last period before training
    gap = (
        treated.loc[["2024Q1", "2024Q2", "2024Q3", "2024Q4"]]
        - cf.loc[["2024Q1", "2024Q2", "2024Q3", "2024Q4"]]
    )
    est = did(df, outcome="y", treated="tr", post="post", se="robust")
    assert gap.mean() == pytest.approx(est.set_index("term").loc["did", "estimate"])
    assert comparison.index.tolist() == sorted(df["period"].unique())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert LABELS["counterfactual"]["en"] in labels


def test_event_study_plot_draws_every_estimate():
    df = _panel()
    res = event_study(df, outcome="y", unit="unit", period="period", first_treated="g",
                      window=(-3, 3))  # fmt: skip
    ax = event_study_plot(res, lang="id")
    drawn = ax.drawn
    assert len(drawn) == len(res.estimates)
    pd.testing.assert_series_equal(drawn["estimate"], res.estimates["estimate"], check_names=False)
    assert set(drawn["estimator"]) == {"twfe", "cohort"}
    offset = (drawn["x"] - drawn["rel_time"]).round(9)
    assert offset.groupby(drawn["estimator"]).nunique().eq(1).all()  # one shift per estimator
    assert offset.nunique() == 2
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert LABELS["cohort"]["id"] in legend and LABELS["training_start"]["id"] in legend
    assert ax.get_xlabel() == LABELS["event_time"]["id"]
    # also accepts the estimates table itself
    assert len(event_study_plot(res.estimates).drawn) == len(drawn)
