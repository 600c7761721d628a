"""IKM (PermenPANRB 14/2017): reference values, grade boundaries, missing data, by=, weights.

Reference: the regulation's formulas (NRR per element = sum / respondents who answered it;
IKM = sum of NRR x weight; converted = IKM x 25) and its grade table, as restated in
``shared/reference/methods-and-standards.md``; the worked example
sum of NRR = 32.9311 -> 91.48 (exact weights 1/9) and 90.56 (printed weight 0,11) is
verified arithmetic: 32.9311 / 9 * 25 = 91.4753 and 32.9311 * 0.11 * 25 = 90.5605.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.results import IKM_GRADES, ikm, ikm_elements, ikm_grade, ikm_panel, ikm_priorities

ELEMENTS = [f"u{j}" for j in range(1, 10)]


def _one_respondent_per_nrr(nrr: list[float], copies: int = 10_000) -> pd.DataFrame:
    """Responses whose element averages are exactly ``nrr`` (each NRR a multiple of 1/copies)."""
    cols = {}
    for code, target in zip(ELEMENTS, nrr, strict=True):
        low = int(np.floor(target))
        n_high = round((target - low) * copies)
        cols[code] = pd.array([low + 1] * n_high + [low] * (copies - n_high), dtype="Int16")
    return pd.DataFrame(cols)


# NRR per element chosen so that their sum is the worked example's 32.9311.
WORKED_NRR = [3.6523, 3.7012, 3.5511, 3.8800, 3.6315, 3.7120, 3.6900, 3.5530, 3.5600]


def test_worked_example_exact_weights():
    assert sum(WORKED_NRR) == pytest.approx(32.9311, abs=1e-12)
    out = ikm(_one_respondent_per_nrr(WORKED_NRR))
    assert out["ikm"].iloc[0] * 9 == pytest.approx(32.9311, abs=1e-9)
    assert round(out["converted"].iloc[0], 2) == 91.48  # reference: 32.9311 / 9 * 25
    assert out["grade"].iloc[0] == "A"
    assert out["label_id"].iloc[0] == "Sangat baik"
    assert out["weights"].iloc[0] == "exact"


def test_worked_example_literal_weights_warn_and_cap():
    df = _one_respondent_per_nrr(WORKED_NRR)
    with pytest.warns(UserWarning, match=r"0\.11.*sum to 0\.99.*cannot exceed 99"):
        out = ikm(df, weights="literal")
    assert round(out["converted"].iloc[0], 2) == 90.56  # reference: 32.9311 * 0.11 * 25
    perfect = pd.DataFrame({c: pd.array([4, 4], dtype="Int16") for c in ELEMENTS})
    with pytest.warns(UserWarning, match="0.11"):
        capped = ikm(perfect, weights="literal")
    assert capped["converted"].iloc[0] == pytest.approx(99.0)
    assert ikm(perfect)["converted"].iloc[0] == pytest.approx(100.0)


def test_worked_example_survey_report_weight_0111():
    # Survey reports print the weight as 0,111 (1/9 to three decimals): reference
    # 32.9311 * 0.111 * 25 = 91.3838; the regulation's exact 1/9 gives 91.4753.
    df = _one_respondent_per_nrr(WORKED_NRR)
    with pytest.warns(UserWarning, match=r"0\.111.*sum to 0\.999.*cannot exceed 99\.9"):
        out = ikm(df, weights="report_0111")
    assert round(out["converted"].iloc[0], 4) == 91.3838
    assert out["weights"].iloc[0] == "report_0111"
    assert round(ikm(df)["converted"].iloc[0], 4) == 91.4753


def test_n_counts_respondents_who_answered_something():
    # three forms: complete, one element skipped, blank (written out: n = 2, n_complete = 1)
    rows = [dict.fromkeys(ELEMENTS, 3), {**dict.fromkeys(ELEMENTS, 4), "u9": None},
            dict.fromkeys(ELEMENTS, None)]  # fmt: skip
    df = pd.DataFrame(rows).astype("Int16")
    out = ikm(df).iloc[0]
    assert (out["n"], out["n_complete"]) == (2, 1)
    assert out["nrr_u1"] == 3.5 and out["nrr_u9"] == 3.0


@pytest.mark.parametrize(
    ("score", "grade", "label_id"),
    [
        (25.00, "D", "Tidak baik"),
        (64.99, "D", "Tidak baik"),
        (65.00, "C", "Kurang baik"),
        (76.60, "C", "Kurang baik"),
        (76.61, "B", "Baik"),
        (88.30, "B", "Baik"),
        (88.31, "A", "Sangat baik"),
        (100.0, "A", "Sangat baik"),
        # rounding to 2 decimals, half up (documented in ikm_grade):
        (64.994, "D", "Tidak baik"),  # 64.99
        (64.995, "C", "Kurang baik"),  # 65.00 (half up)
        (76.604, "C", "Kurang baik"),  # 76.60
        (76.605, "B", "Baik"),  # 76.61, although numpy.round gives 76.6
        (88.304, "B", "Baik"),  # 88.30
        (88.305, "A", "Sangat baik"),  # 88.31, although numpy.round gives 88.3 (B)
    ],
)
def test_grade_boundaries(score, grade, label_id):
    res = ikm_grade(score)
    assert (res.grade, res.label_id) == (grade, label_id)


def test_rounding_trap_is_real():
    # The reason for rounding half up ourselves: numpy and pandas round half to even.
    assert np.round(88.305, 2) == 88.3
    assert ikm_grade(88.305).score_rounded == 88.31
    # binary noise: 76.615 is stored as 76.61499...; the decimal number decides.
    assert ikm_grade(76.615).score_rounded == 76.62


def test_grade_on_index_scale_and_arrays():
    table = ikm_grade([1.0, 2.5996, 2.60, 3.0644, 3.5324, 4.0, np.nan], scale="index")
    assert table["grade"].tolist()[:6] == ["D", "D", "C", "B", "A", "A"]
    assert pd.isna(table["grade"].iloc[6])
    assert list(table.columns) == ["score", "score_rounded", "grade", "label_id", "label_en"]


def test_grade_out_of_range():
    with pytest.raises(ValueError, match=r"\[25, 100\].*scale='index'"):
        ikm_grade(3.4)
    with pytest.raises(ValueError, match="must be one of"):
        ikm_grade(90, scale="percent")


@given(st.lists(st.floats(25, 100), min_size=2, max_size=30))
def test_grades_monotone_in_score(scores):
    order = np.sort(np.asarray(scores))
    rank = {"D": 0, "C": 1, "B": 2, "A": 3}
    grades = [rank[g] for g in ikm_grade(order)["grade"]]
    assert grades == sorted(grades)


@settings(max_examples=50)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=9, max_size=9),
        min_size=1,
        max_size=40,
    )
)
def test_converted_is_25_times_ikm_and_in_range(rows):
    df = pd.DataFrame(rows, columns=ELEMENTS).astype("Int16")
    out = ikm(df)
    value = out["converted"].iloc[0]
    if df.notna().any().all():
        assert value == pytest.approx(25 * out["ikm"].iloc[0])
        assert 25 - 1e-9 <= value <= 100 + 1e-9
        assert out["grade"].iloc[0] in {"A", "B", "C", "D"}
    else:  # an element nobody answered: no index
        assert np.isnan(value) and pd.isna(out["grade"].iloc[0])


def test_missing_answers_handled_per_element():
    df = pd.DataFrame(
        {
            "u1": [4, 2, None, 3],
            "u2": [None, None, None, 1],
            **{c: [3, 3, 3, 3] for c in ELEMENTS[2:]},
        }
    ).astype("Int16")
    out = ikm(df)
    assert out["n"].iloc[0] == 4
    assert out["nrr_u1"].iloc[0] == pytest.approx(3.0)  # (4 + 2 + 3) / 3, not / 4
    assert out["nrr_u2"].iloc[0] == pytest.approx(1.0)  # one answer
    expected = (3.0 + 1.0 + 7 * 3.0) / 9
    assert out["ikm"].iloc[0] == pytest.approx(expected)
    el = ikm_elements(df)
    assert el.loc[el["element"] == "u1", "n_answered"].item() == 3
    assert el.loc[el["element"] == "u2", "n_answered"].item() == 1
    # float NaN input behaves the same as the nullable integer dtype
    assert ikm(df.astype("float64"))["ikm"].iloc[0] == pytest.approx(expected)


def test_element_nobody_answered_gives_no_index():
    df = pd.DataFrame({c: [3, 4] for c in ELEMENTS}).astype("Int16")
    df["u5"] = pd.array([None, None], dtype="Int16")
    out = ikm(df)
    assert np.isnan(out["ikm"].iloc[0]) and pd.isna(out["grade"].iloc[0])


def _random_responses(seed=0, n=3000):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "unit_id": pd.Categorical(rng.choice(["U01", "U02", "U03", "U04"], n)),
            "period": pd.Categorical(rng.choice(["2024Q1", "2024Q2", "2024Q3"], n)),
        }
    )
    for c in ELEMENTS:
        values = pd.array(rng.integers(1, 5, n), dtype="Int16")
        values[rng.random(n) < 0.05] = pd.NA
        df[c] = values
    return df


def test_by_equals_per_group_computation():
    df = _random_responses()
    df = df[~((df["unit_id"] == "U04") & (df["period"] == "2024Q3"))]  # an unobserved cell
    out = ikm(df, by=["unit_id", "period"])
    assert len(out) == 11  # observed combinations only
    for _, row in out.iterrows():
        sub = df[(df["unit_id"] == row["unit_id"]) & (df["period"] == row["period"])]
        alone = ikm(sub)
        assert row["n"] == len(sub)
        assert row["ikm"] == pytest.approx(alone["ikm"].iloc[0], rel=1e-12)
        expected_nrr = sub[ELEMENTS].astype("float64").mean()  # pandas skips NA per column
        got = row[[f"nrr_{c}" for c in ELEMENTS]].to_numpy(dtype="float64")
        np.testing.assert_allclose(got, expected_nrr.to_numpy(), rtol=1e-12)
    # the same with plain string keys instead of categoricals
    plain = df.assign(unit_id=df["unit_id"].astype("str"), period=df["period"].astype("str"))
    out2 = ikm(plain, by=["unit_id", "period"])
    np.testing.assert_allclose(out2["ikm"], out["ikm"], rtol=1e-12)
    assert out2["unit_id"].tolist() == out["unit_id"].astype("str").tolist()


def test_custom_weights():
    df = _random_responses(n=500)
    w = {c: (0.2 if c == "u3" else 0.1) for c in ELEMENTS}
    out = ikm(df, weights=w)
    nrr = df[ELEMENTS].astype("float64").mean().to_numpy()
    assert out["ikm"].iloc[0] == pytest.approx(nrr @ np.array(list(w.values())))
    assert out["weights"].iloc[0] == "custom"


def test_custom_weights_must_sum_to_one():
    df = _random_responses(n=50)
    with pytest.raises(ValueError, match=r"must sum to 1.*sum to 0\.9"):
        ikm(df, weights={c: 0.1 for c in ELEMENTS})
    with pytest.raises(ValueError, match="missing"):
        ikm(df, weights={c: 1 / 8 for c in ELEMENTS[:8]})
    with pytest.raises(ValueError, match="must be one of 'exact', 'literal', 'report_0111'"):
        ikm(df, weights="exakt")


def test_bad_inputs():
    df = _random_responses(n=20)
    with pytest.raises(KeyError, match="Did you mean 'unit_id'"):
        ikm(df, by="unit")
    bad = df.assign(u4=df["u4"].astype("float64").fillna(1) + 4)
    with pytest.raises(ValueError, match="'u4' must hold whole numbers 1-4"):
        ikm(bad)


def test_additional_elements():
    df = _random_responses(n=200).assign(u10=3)
    out = ikm(df, elements=[*ELEMENTS, "u10"])
    assert "nrr_u10" in out.columns
    # ten elements: the printed weight would be 0.10, which sums to 1: no warning
    ikm(df, elements=[*ELEMENTS, "u10"], weights="literal")


def test_priorities_flag_lowest_and_below_b():
    df = pd.DataFrame({c: [4, 4, 4, 3] for c in ELEMENTS}).astype("Int16")
    df["u3"] = pd.array([2, 2, 3, 2], dtype="Int16")  # 2.25: grade D
    df["u8"] = pd.array([3, 3, 4, 3], dtype="Int16")  # 3.25: grade B
    pr = ikm_priorities(df, n_lowest=1)
    assert pr["element"].iloc[0] == "u3" and pr["rank"].iloc[0] == 1
    assert pr.loc[pr["priority"], "element"].tolist() == ["u3"]
    pr2 = ikm_priorities(df, n_lowest=2)
    assert pr2.loc[pr2["priority"], "element"].tolist() == ["u3", "u8"]


def test_priorities_by_group():
    df = _random_responses(n=800)
    pr = ikm_priorities(df, by="unit_id", n_lowest=3)
    assert (pr.groupby("unit_id", observed=True)["priority"].sum() >= 3).all()
    first = pr.groupby("unit_id", observed=True).head(1)
    lowest = pr.groupby("unit_id", observed=True)["nrr"].min()
    np.testing.assert_allclose(first["nrr"].to_numpy(), lowest.to_numpy())


def test_ikm_panel_joins_treatment_timing():
    df = _random_responses(n=1200)
    units = pd.DataFrame(
        {
            "unit_id": ["U01", "U02", "U03", "U04"],
            "trained": [True, True, False, False],
            "first_trained_period": ["2024Q2", "2024Q3", None, None],
        }
    )
    panel = ikm_panel(df, units=units)
    assert len(panel) == 12
    assert panel["t"].min() == 2024 * 4
    on = panel[panel["treated_post"]]
    assert set(zip(on["unit_id"].astype("str"), on["period"].astype("str"), strict=True)) == {
        ("U01", "2024Q2"),
        ("U01", "2024Q3"),
        ("U02", "2024Q3"),
    }
    ref = ikm(df, by=["unit_id", "period"])
    np.testing.assert_allclose(panel["converted"], ref["converted"])


def test_grade_table_is_contiguous():
    # every rounded score from 25.00 to 100.00 belongs to exactly one band
    lows = [round(low * 100) for _, low, _, _ in IKM_GRADES]
    assert lows == sorted(lows, reverse=True) and lows[-1] == 2500
    grades = ikm_grade(np.arange(2500, 10001) / 100)["grade"]
    assert grades.notna().all()
    assert grades.value_counts().to_dict() == {"A": 1170, "B": 1170, "C": 1161, "D": 4000}


# ------------------------------ whole-number answers: one integer tally per element (issue 16)
@pytest.mark.parametrize("weights", ["exact", "report_0111"])
def test_integer_tally_equals_float_path_in_any_row_order(weights):
    """Int16 answers (as load() types them) go through one integer bincount of group x
    answer; float answers through float sums. Same output to the last bit, and shuffled
    rows with categories in order of appearance give it too."""
    df = _random_responses(n=3000, seed=5)
    as_float = df.astype({c: "float64" for c in ELEMENTS})
    shuffled = df.sample(frac=1.0, random_state=9).reset_index(drop=True)
    shuffled = shuffled.assign(
        unit_id=lambda d: d["unit_id"].astype(pd.CategoricalDtype(pd.unique(d["unit_id"]))),
        period=lambda d: d["period"].astype(pd.CategoricalDtype(pd.unique(d["period"]))),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the 0.111 weight's warning
        expected = ikm(as_float, by=["unit_id", "period"], weights=weights)
        got = ikm(df, by=["unit_id", "period"], weights=weights)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        again = ikm(shuffled, by=["unit_id", "period"], weights=weights)
    keys = {"unit_id": "str", "period": "str"}
    again = again.astype(keys).sort_values(["unit_id", "period"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(again, expected.astype(keys), check_exact=True)


@pytest.mark.parametrize("bad_value", [0, 5, -1])
def test_integer_tally_rejects_off_scale_answers_like_the_float_path(bad_value):
    df = _random_responses(n=50, seed=2)
    bad = df.assign(u3=df["u3"].fillna(1).where(df.index != 7, bad_value).astype("Int16"))
    messages = []
    for frame in (bad, bad.astype({"u3": "float64"})):
        with pytest.raises(ValueError, match="'u3' must hold whole numbers 1-4") as err:
            ikm(frame)
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert f"e.g. {bad_value}." in messages[0]
