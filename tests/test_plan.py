"""The evaluation plan: reading with clear errors, data behind each objective, SMART checks.

Bad-input tests write a crafted plan file and assert what a user needs from the message:
file, row (spreadsheet numbering, header = row 1), column, value and the fix. SMART tests
change one thing in a good indicator and check that exactly the matching check fires.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.data import load
from toolkit.plan import (
    ARTICLE_OBJECTIVES,
    LABELS,
    PLAN_COLUMNS,
    SAMPLE_PLAN,
    SMART_CHECKS,
    VERDICTS,
    DataError,
    check_plan,
    compare_with_targets,
    parse_target,
    read_plan,
    smart_checks,
)

COLUMNS = [c for c, _, _ in PLAN_COLUMNS]


@pytest.fixture(scope="module")
def plan():
    return read_plan(SAMPLE_PLAN)


def _raw() -> pd.DataFrame:
    return pd.read_csv(SAMPLE_PLAN, dtype=str, keep_default_na=False)


def _write(df: pd.DataFrame, path: Path, **kw) -> Path:
    df.to_csv(path, index=False, lineterminator="\n", **kw)
    return path


def _error(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        read_plan(path)
    return info.value


def _problem(err: DataError, column: str) -> pd.Series:
    rows = err.problems[err.problems["column"].eq(column)]
    assert len(rows) == 1, err.problems
    return rows.iloc[0]


# --------------------------------------------------------------------------- the sample plan
def test_sample_plan_reads_and_starts_from_level_4(plan):
    assert plan.columns.tolist() == COLUMNS
    assert len(plan) == 18 and plan["indicator_code"].is_unique
    assert plan["level"].dtype == "int64" and set(plan["level"]) == {1, 2, 3, 4, 5}
    assert plan["level"].iloc[0] == 4  # New World Kirkpatrick: plan from the result down
    assert set(plan["article_objective"]) == set(ARTICLE_OBJECTIVES)
    assert plan["scale_max"].isna().sum() == 2  # ROI and cost per completer: unbounded
    assert plan["target"].notna().all()


def test_loader_ignores_the_plan_file(data_copy):
    # toolkit.data.load complains only about files whose names are close to a table's
    assert (data_copy / "evaluation_plan.csv").exists()
    data = load(data_copy)
    assert "evaluation_plan" not in data.present and len(data.sessions) == 40


def test_semicolons_and_xlsx_are_read(tmp_path, plan):
    semi = _write(_raw(), tmp_path / "rencana.csv", sep=";")
    pd.testing.assert_frame_equal(read_plan(semi), plan)
    book = tmp_path / "plan.xlsx"
    _raw().to_excel(book, sheet_name="evaluation_plan", index=False)
    pd.testing.assert_frame_equal(read_plan(book), plan)


def test_headers_are_normalised_and_levels_may_be_written_l4(tmp_path):
    raw = _raw().rename(columns={"indicator_code": "Indicator Code ", "data_table": "Data-Table"})
    raw.loc[0, "level"] = "L4"
    raw.loc[1, "level"] = "Level 4"
    out = read_plan(_write(raw, tmp_path / "p.csv"))
    assert out["level"].iloc[:2].tolist() == [4, 4]
    assert "indicator_code" in out.columns


# --------------------------------------------------------------------------- read_plan errors
def test_missing_file_and_empty_file(tmp_path):
    err = _error(tmp_path / "nowhere.csv")
    assert "nowhere.csv" in str(err) and "an existing file" in str(err)
    (tmp_path / "empty.csv").write_text("")
    assert "the file is empty" in str(_error(tmp_path / "empty.csv"))


def test_missing_column_suggests_the_rename(tmp_path):
    raw = _raw().rename(columns={"level": "levels"}).drop(columns="data_table")
    err = _error(_write(raw, tmp_path / "p.csv"))
    assert err.problems["column"].tolist() == ["level", "data_table"]
    assert _problem(err, "level")["fix"] == "rename column 'levels' to 'level'"
    assert "add a column 'data_table'" in _problem(err, "data_table")["fix"]


def test_bad_level_names_row_column_value_and_fix(tmp_path):
    raw = _raw()
    raw.loc[3, "level"] = "tiga"
    raw.loc[7, "level"] = "6"
    err = _error(_write(raw, tmp_path / "p.csv"))
    p = _problem(err, "level")
    assert (p["file"], p["row"], p["value"], p["n_rows"]) == ("p.csv", 5, "tiga", 2)
    assert "rows 5, 9" in str(err) and "from 1 to 5" in str(err)


def test_empty_required_cells_and_missing_texts(tmp_path):
    raw = _raw()
    raw.loc[2, "data_table"] = " "
    raw.loc[4, ["indicator_text_id", "indicator_text_en"]] = ""
    raw.loc[5, "objective_text_en"] = ""  # filled from the objective's other rows
    err = _error(_write(raw, tmp_path / "p.csv"))
    assert _problem(err, "data_table")["row"] == 4
    texts = _problem(err, "indicator_text_id / indicator_text_en")
    assert texts["row"] == 6 and "at least one language" in texts["expected"]
    assert len(err.problems) == 2


def test_duplicate_code_bad_scale_and_two_wordings(tmp_path):
    raw = _raw()
    raw.loc[1, "indicator_code"] = raw.loc[0, "indicator_code"]
    raw.loc[2, "scale_min"] = "nol"
    raw.loc[3, ["scale_min", "scale_max"]] = ["100", "0"]
    raw.loc[4, "objective_text_en"] = "Something else"
    err = _error(_write(raw, tmp_path / "p.csv"))
    dup = _problem(err, "indicator_code")
    assert (dup["row"], dup["value"], dup["n_rows"]) == (2, "O1.4a", 2)
    assert _problem(err, "scale_min")["value"] == "nol"
    assert _problem(err, "scale_max")["row"] == 5
    wording = _problem(err, "objective_text_en")
    assert wording["value"] == "O2" and "one wording per objective_id" in wording["expected"]
    assert str(err).startswith("4 problems found in p.csv; your files were not changed.")


def test_read_plan_never_changes_the_file(tmp_path):
    raw = _raw()
    raw.loc[0, "level"] = "x"
    path = _write(raw, tmp_path / "p.csv")
    before = path.read_bytes()
    _error(path)
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- check_plan
def test_sample_plan_has_data_except_action_plans(plan, sample):
    check = check_plan(plan, sample)
    assert check.missing["indicator_code"].tolist() == ["O1.3b"]
    assert "'action_plans' is not part of the data model" in check.missing["reason"].iloc[0]
    obj = check.objectives.set_index("objective_id")
    assert obj["has_data"].all()
    assert obj.loc["O1", ["n_indicators", "n_with_data", "complete"]].tolist() == [4, 3, False]
    assert obj.loc["O1", "missing"] == "O1.3b"
    assert obj.drop("O1")["complete"].all()
    ind = check.indicators.set_index("indicator_code")
    # a construct resolves to its items; a programme to its test's items
    assert ind.loc["O3.3a", "items"] == "B07;B08"
    assert ind.loc["O2.2a", "items"] == ";".join(f"PC{i:02d}" for i in range(1, 11))
    # IKM items are columns of a wide table: every respondent who answered u6 or u7
    ikm = sample.ikm_responses
    assert ind.loc["O1.4b", "rows_with_data"] == int(ikm[["u6", "u7"]].notna().any(axis=1).sum())


def _crafted():
    bank = pd.DataFrame(
        {
            "instrument": ["reaction", "reaction", "behavior", "behavior", "knowledge_test"],
            "item_code": ["R01", "R02", "B01", "B02", "K01"],
            "construct": ["relevance", "trainer", "leadership", "leadership", "knowledge"],
            "program": [None, None, None, None, "leadership"],
        }
    )
    tables = {
        "instruments": bank,
        "reaction": pd.DataFrame({"item_code": ["R01", "R01", "R02"], "response": [5, 99, 99]}),
        "behavior": pd.DataFrame({"item_code": ["B01", "B02"], "rating": [4, None]}),
        "tests": pd.DataFrame({"item_code": pd.Series([], dtype="str"), "correct": []}),
        "ikm_responses": pd.DataFrame({"u6": [3, None], "u7": [None, None]}),
    }
    rows = [
        # code, table, instrument, measure
        ("A", "reaction", "reaction", "R01"),  # one real answer (the 99 does not count)
        ("B", "reaction", "reaction", "R02"),  # only "tidak tahu": no data
        ("C", "reaction", "reaction", "R07"),  # not in the bank
        ("D", "behavior", "behavior", "construct:leadership"),  # B01 rated, B02 empty
        ("E", "tests", "knowledge_test", "program:leadership"),  # table empty
        ("F", "behaviour", "behavior", "B01"),  # misspelt table
        ("G", "ikm_responses", "ikm", "column:u6;column:u7"),
        ("H", "ikm_responses", "ikm", "column:u7"),  # column never answered
        ("I", "behavior", "reaction", "B01"),  # item of another instrument
        ("J", "behavior", None, ""),  # no measure: any row will do
        ("K", "costs", None, "column:amount_idr"),  # table not provided
    ]
    plan = pd.DataFrame(rows, columns=["indicator_code", "data_table", "instrument", "measure"])
    plan.insert(0, "objective_id", ["O1"] * 4 + ["O2"] * 3 + ["O3"] * 4)
    plan.insert(2, "level", [1, 1, 1, 3, 2, 3, 4, 4, 3, 3, 5])
    return plan, tables


def test_check_plan_on_crafted_data():
    plan, tables = _crafted()
    out = check_plan(plan, tables).indicators.set_index("indicator_code")
    assert out["has_data"].to_dict() == {
        "A": True, "B": False, "C": False, "D": True, "E": False, "F": False, "G": True,
        "H": False, "I": False, "J": True, "K": False,
    }  # fmt: skip
    assert out["rows_with_data"].to_dict() == {
        "A": 1, "B": 0, "C": 0, "D": 1, "E": 0, "F": 0, "G": 1, "H": 0, "I": 0, "J": 2, "K": 0,
    }  # fmt: skip
    reason = out["reason"]
    assert reason["B"] == "the items exist but nobody answered them in reaction"
    assert reason["C"].startswith("not in the instrument bank: R07")
    assert out.loc["C", "items_unknown"] == "R07"
    assert reason["E"] == "no rows in tests: the table was not provided or is empty"
    assert (
        reason["F"] == "table 'behaviour' is not part of the data model (did you mean 'behavior'?)"
    )
    assert out.loc["I", "items_unknown"] == "B01"
    assert reason["K"].startswith("no rows in costs")
    assert out.loc["D", "items"] == "B01;B02"


def test_columns_of_a_long_table_count_non_missing_cells():
    _, tables = _crafted()
    plan = pd.DataFrame(
        {"objective_id": "O1", "indicator_code": ["a", "b"], "level": 1,
         "data_table": "reaction", "measure": ["column:response", "column:response;R01"]}
    )  # fmt: skip
    out = check_plan(plan, tables).indicators
    assert out["rows_with_data"].tolist() == [3, 3]  # any value, 99 included; rows counted once
    assert out["has_data"].all()


def test_objectives_summary_on_crafted_data():
    plan, tables = _crafted()
    obj = check_plan(plan, tables).objectives.set_index("objective_id")
    assert obj["n_with_data"].to_dict() == {"O1": 2, "O2": 1, "O3": 1}
    assert obj.loc["O1", "missing"] == "B, C"
    assert obj.loc["O3", "levels"] == "5, 4, 3" and obj.loc["O3", "levels_with_data"] == "3"
    assert not obj["complete"].any() and obj["has_data"].all()
    none = check_plan(plan[plan["objective_id"].eq("O2")].iloc[[0, 1]], tables)
    assert not none.objectives["has_data"].iloc[0]


def test_check_plan_refuses_other_data():
    plan, _ = _crafted()
    with pytest.raises(TypeError, match="EvaluationData"):
        check_plan(plan, [1, 2])
    with pytest.raises(KeyError, match="data_table"):
        check_plan(plan.drop(columns="data_table"), {})


# --------------------------------------------------------------------------- SMART
GOOD = {
    "objective_id": "O9",
    "indicator_code": "O9.3a",
    "level": 3,
    "article_objective": "communication",
    "indicator_text_en": "Supervisor rating of explaining procedures, change from baseline",
    "population": "participants of public_communication sessions",
    "measure": "construct:explaining_procedures",
    "timing": "baseline and 3 months after the session",
    "target": "supervisor rating +0.5 points",
    "scale_min": 1,
    "scale_max": 5,
}

#: (check that must fire, changes to the good indicator, words the reason must contain)
BAD = [
    ("specific", {"population": ""}, "no population"),
    ("specific", {"measure": None}, "no measure"),
    ("specific", {"level": 7}, "no level from 1 to 5"),
    ("measurable", {"target": "better explanations"}, "no operator and number"),
    ("measurable", {"target": "rating +0.5"}, "a number without a unit"),
    ("measurable", {"target": None}, "no target"),
    ("achievable", {"target": "rating +5 points"}, "larger than the width of the range [1, 5]"),
    ("achievable", {"target": "top-2 ≥ 100 %", "scale_min": None, "scale_max": None},
     "at the top of the range [0, 100] demands perfection"),
    ("achievable", {"target": "mean ≥ 6 points"}, "outside the range [1, 5]"),
    ("achievable", {"target": "complaints −100 %"}, "a decrease of 100 % or more"),
    ("achievable", {"scale_min": None, "scale_max": None}, "no scale range"),
    ("relevant", {"article_objective": "komunikasi"}, "not one of the article's objectives"),
    ("relevant", {"article_objective": "comunication"}, "did you mean communication?"),
    ("relevant", {"article_objective": None}, "no article_objective"),
    ("time_bound", {"timing": "regularly"}, "no point in time"),
    ("time_bound", {"timing": ""}, "no timing"),
]  # fmt: skip


def test_good_indicator_passes_every_check():
    out = smart_checks(pd.DataFrame([GOOD]))
    assert out[list(SMART_CHECKS)].iloc[0].all() and out["smart"].iloc[0]
    assert out["n_passed"].iloc[0] == 5
    assert out["measurable_reason"].iloc[0] == "target +0.5 points"
    assert out["time_bound_reason"].iloc[0] == "measured at: 3 months"
    assert "komunikasi" in out["relevant_reason"].iloc[0]


@pytest.mark.parametrize(("check", "change", "words"), BAD)
def test_each_smart_check_fires_alone(check, change, words):
    bad = {**GOOD, **change}
    out = smart_checks(pd.DataFrame([GOOD, bad]))
    fired = [c for c in SMART_CHECKS if not out[c].iloc[1]]
    expected = [check, "achievable"] if check == "measurable" else [check]
    assert fired == expected
    assert words in out[f"{check}_reason"].iloc[1]
    assert out[list(SMART_CHECKS)].iloc[0].all()  # the good row is untouched


@pytest.mark.parametrize(
    "timing",
    ["end of session", "akhir sesi", "pre-test and post-test", "by 2025Q4", "6 bulan setelah",
     "2 triwulan", "first year after training", "31/12/2025", "each budget year"],
)  # fmt: skip
def test_time_expressions_are_recognised(timing):
    assert smart_checks(pd.DataFrame([{**GOOD, "timing": timing}]))["time_bound"].iloc[0]


@pytest.mark.parametrize("timing", ["ongoing", "secara berkala", "as soon as possible", "often"])
def test_vague_timing_is_not_time_bound(timing):
    assert not smart_checks(pd.DataFrame([{**GOOD, "timing": timing}]))["time_bound"].iloc[0]


def test_the_articles_own_wording_is_not_smart(plan):
    # The article's objectives, as written, name no number, unit, population or time.
    draft = pd.DataFrame(
        {
            "objective_id": ["A1", "A2"],
            "indicator_code": ["A1", "A2"],
            "level": [4, 3],
            "article_objective": ["public_service", "leadership"],
            "indicator_text_id": [
                "pelayanan yang lebih baik kepada masyarakat",
                "pengembangan soft skills seperti kepemimpinan",
            ],
            "target": ["lebih baik", "meningkat"],
        }
    )
    out = smart_checks(draft)
    assert out[["specific", "measurable", "achievable", "time_bound"]].eq(False).all().all()
    assert out["relevant"].all()
    assert smart_checks(plan)["smart"].all()


def test_parse_target_reads_indonesian_numbers_and_units():
    out = parse_target(
        ["+0,5 poin", "biaya ≤ 6.000.000 IDR", "gain ≥ 10 pp", "≥ 80 persen", "top-2 ≥ 80"]
    )
    assert out["value"].tolist() == [0.5, 6_000_000, 10, 80, 80]
    assert out["unit"].tolist()[:4] == ["points", "IDR", "percentage points", "%"]
    assert pd.isna(out["unit"].iloc[4])
    assert out["kind"].tolist() == ["change", "level", "level", "level", "level"]
    assert parse_target("IKM −3 points")["value"].iloc[0] == -3
    assert not parse_target("naik")["parsed"].iloc[0]


def test_labels_cover_objectives_and_checks():
    for key in (*ARTICLE_OBJECTIVES, *SMART_CHECKS, "smart"):
        assert set(LABELS[key]) == {"id", "en"}


def test_plan_file_is_tidy_csv():
    raw = SAMPLE_PLAN.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
    with SAMPLE_PLAN.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == COLUMNS and {len(r) for r in rows} == {len(COLUMNS)}


def test_objective_worded_once_is_filled_down(tmp_path, plan):
    raw = _raw()
    later = raw["objective_id"].eq("O2") & raw["objective_id"].duplicated()
    raw.loc[later, ["objective_text_id", "objective_text_en"]] = ""
    out = read_plan(_write(raw, tmp_path / "p.csv"))
    pd.testing.assert_frame_equal(out, plan)
    raw.loc[raw["objective_id"].eq("O3"), ["objective_text_id", "objective_text_en"]] = ""
    err = _error(_write(raw, tmp_path / "p.csv"))
    problem = _problem(err, "objective_text_id / objective_text_en")
    assert (problem["row"], problem["n_rows"]) == (9, 2)


# --------------------------------------------------------------------------- targets
def test_compare_with_targets_gives_each_verdict():
    plan = pd.DataFrame(
        {
            "objective_id": "O1",
            "indicator_code": list("abcdefghij"),
            "level": 3,
            "target": ["x ≥ 10 %", "x ≥ 10 %", "x ≥ 10 %", "x +1 points", "y ≤ 5 days",
                       "y ≤ 5 days", "z −20 %", "w = 3 points", "w = 3 points", "better"],
        }
    )  # fmt: skip
    est = pd.DataFrame(
        {
            "indicator_code": list("abcdefghij"),
            "estimate": [12, 11, 9, np.nan, 4.0, 4.5, -25, 3.2, 4.0, 1],
            "ci_low": [10, 9, 8, np.nan, 3.0, 4.0, -30, 2.9, 3.5, 0],
            "ci_high": [14, 13, 10, np.nan, 5.0, 6.0, -21, 3.5, 4.5, 2],
            "note": list("ABCDEFGHIJ"),
        }
    )
    out = compare_with_targets(est.iloc[::-1], plan)
    assert out["indicator_code"].tolist() == list("jihgfedcba")  # the estimates' order
    assert out.set_index("indicator_code")["verdict"].to_dict() == {
        "a": "met", "b": "met_estimate_only", "c": "not_met", "d": "no_data", "e": "met",
        "f": "met_estimate_only", "g": "met", "h": "met", "i": "not_met", "j": "no_data",
    }  # fmt: skip
    assert set(out["verdict"]) <= set(VERDICTS)
    assert out.columns[-1] == "note"
