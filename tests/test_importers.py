"""Imports of form, quiz and IKM-survey exports: round trips, the CLI, privacy, bad exports.

The exports are made from the sample's own tables by :mod:`toolkit.synth._exports` (the NIPs
from the generator's roster), so an import must give the tables back exactly, with the
pseudonyms the roster gives under the sample's key. Every bad-export test asserts the
message a user needs and that the export and mapping files are byte for byte unchanged.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import toolkit
from toolkit import synth
from toolkit.__main__ import main
from toolkit.data import DataError, load
from toolkit.importers import draft_map, import_export, write_tables
from toolkit.personal import contains
from toolkit.synth._exports import availability_export, forms_export, ikm_export, moodle_export

KEY = synth.SAMPLE_KEY


@pytest.fixture(scope="module")
def sample():
    return load(toolkit.SAMPLE_DATA)


@pytest.fixture(scope="module")
def roster():
    return synth.roster(n=600)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _sorted(df: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    return df.astype(object).sort_values(key).reset_index(drop=True)


@pytest.fixture
def forms(tmp_path, sample, roster):
    export = forms_export(sample, roster, KEY)
    export.to_csv(tmp_path / "form.csv", index=False)
    draft_map(list(export.columns), "forms", sample.instruments).to_csv(
        tmp_path / "map.csv", index=False
    )
    return tmp_path


def _import_forms(folder: Path, **kw):
    return import_export("forms", folder / "form.csv", folder / "map.csv", key=KEY, **kw)


# --------------------------------------------------------------------------- round trips


def test_forms_round_trip(forms, sample):
    tables, notes = _import_forms(forms, instruments=sample.instruments)
    key = ["participant_id", "session_id", "item_code"]
    pd.testing.assert_frame_equal(_sorted(tables["reaction"], key), _sorted(sample.reaction, key))
    pd.testing.assert_frame_equal(
        _sorted(tables["comments"], key[:2]), _sorted(sample.comments, key[:2])
    )
    assert notes == ()


def test_draft_map_matches_every_question_to_its_item(forms, sample):
    draft = pd.read_csv(forms / "map.csv", keep_default_na=False)
    items = draft[draft["target"] == "item"]
    bank = sample.instruments[sample.instruments["instrument"] == "reaction"]
    assert sorted(items["code"]) == sorted(bank["item_code"].astype(str))
    assert (pd.to_numeric(items["score"]) == 1.0).all()
    roles = dict(zip(draft["source"], draft["target"], strict=True))
    assert roles["NIP"] == "participant_nip" and roles["Kode sesi"] == "session"
    assert roles["Timestamp"] == "ignore"
    assert roles["Saran untuk pelatihan berikutnya"] == "comment"


def test_moodle_round_trip(tmp_path, sample, roster):
    tests = sample.tests.astype({"session_id": "str", "phase": "str"})
    for session, phase in tests[["session_id", "phase"]].drop_duplicates().head(4).values:
        export = moodle_export(sample, roster, KEY, session, phase)
        export.to_csv(tmp_path / "quiz.csv", index=False)
        program = str(sample.sessions.set_index("session_id").loc[session, "program"])
        draft = draft_map(list(export.columns), "moodle", sample.instruments, program=program)
        draft.to_csv(tmp_path / "qmap.csv", index=False)
        tables, _ = import_export("moodle", tmp_path / "quiz.csv", tmp_path / "qmap.csv",
                                  session=session, phase=phase, key=KEY,
                                  instruments=sample.instruments)  # fmt: skip
        want = tests[(tests["session_id"] == session) & (tests["phase"] == phase)]
        key = ["participant_id", "item_code"]
        pd.testing.assert_frame_equal(_sorted(tables["tests"], key), _sorted(want, key))


def test_ikm_round_trip(tmp_path, sample):
    ikm_export(sample).to_csv(tmp_path / "ikm.csv", index=False)
    draft_map(list(ikm_export(sample).columns), "ikm").to_csv(tmp_path / "imap.csv", index=False)
    tables, _ = import_export("ikm", tmp_path / "ikm.csv", tmp_path / "imap.csv")
    key = ["unit_id", "period", "respondent_id"]
    pd.testing.assert_frame_equal(
        _sorted(tables["ikm_responses"], key), _sorted(sample.ikm_responses, key)
    )


def test_availability_checkbox_round_trip(tmp_path, sample, roster):
    export = availability_export(sample, roster, KEY)
    export.to_csv(tmp_path / "slots.csv", index=False)
    draft = draft_map(list(export.columns), "forms", sample.instruments)
    assert draft["target"].tolist() == ["ignore", "participant_nip", "slots"]
    draft.to_csv(tmp_path / "map.csv", index=False)
    tables, _ = import_export("forms", tmp_path / "slots.csv", tmp_path / "map.csv", key=KEY)
    assert list(tables) == ["availability"]  # no session needed for an availability survey
    key = ["participant_id", "slot"]
    pd.testing.assert_frame_equal(
        _sorted(tables["availability"], key), _sorted(sample.availability, key)
    )


def test_checkbox_option_that_is_no_slot(tmp_path, sample, roster):
    export = availability_export(sample, roster, KEY).head(30)
    export.iloc[4, 2] = "Selasa 08.00; Setiap sore"  # Microsoft Forms joins with ';'
    export.to_csv(tmp_path / "slots.csv", index=False)
    draft_map(list(export.columns), "forms").to_csv(tmp_path / "map.csv", index=False)
    msg = _fails(tmp_path, "forms", "slots.csv", "map.csv")
    assert "row 6" in msg and "'Setiap sore'" in msg and "option=slot_code" in msg
    _edit_map(tmp_path, lambda m: m.assign(scale=m["scale"].where(
        m["target"] != "slots", "Setiap sore=weekday_pm")))  # fmt: skip
    tables, _ = import_export("forms", tmp_path / "slots.csv", tmp_path / "map.csv", key=KEY)
    slots = tables["availability"]
    assert slots.loc[slots["available"], "slot"].astype(str).isin(["weekday_pm", "tue_0800"]).any()
    assert (slots["slot"].astype(str) == "weekday_pm").sum() == slots["participant_id"].nunique()


def test_xlsx_export_and_email_identity(tmp_path, sample, roster):
    export = forms_export(sample, roster, KEY).head(40)
    export = export.rename(columns={"NIP": "Email Address"})
    export["Email Address"] = [f"Pegawai{i}@Kantor.go.id" for i in range(len(export))]
    export.to_excel(tmp_path / "form.xlsx", index=False)
    draft_map(list(export.columns), "forms", sample.instruments).to_csv(
        tmp_path / "map.csv", index=False
    )
    tables, _ = import_export("forms", tmp_path / "form.xlsx", tmp_path / "map.csv", key=KEY)
    ids = tables["reaction"]["participant_id"].astype(str)
    assert ids.str.fullmatch(r"P-[0-9a-f]{16}").all() and ids.nunique() == 40


# --------------------------------------------------------------------------- CLI and writing


def test_cli_drafts_imports_and_writes_no_personal_data(forms, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TOOLKIT_PSEUDONYM_KEY", KEY)
    (forms / "map.csv").unlink()
    args = ["import", "forms", str(forms / "form.csv"), "--map", str(forms / "map.csv")]
    assert main([*args, "--draft-map", "--data", str(toolkit.SAMPLE_DATA)]) == 0
    out = tmp_path / "tables"
    assert main([*args, "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {"reaction.csv", "comments.csv"}
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not contains(text) and "@" not in text, path.name
    assert main([*args, "--out", str(out)]) == 2  # never overwrites without being told
    assert "--append" in capsys.readouterr().err
    assert main([*args, "--out", str(out), "--append"]) == 2  # the same rows again
    assert main([*args, "--out", str(out), "--replace"]) == 0
    assert not list(out.glob(".*.tmp"))


def test_written_tables_load_with_the_rest(forms, tmp_path, sample):
    tables, _ = _import_forms(forms)
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("units", "participants", "sessions", "enrollments", "instruments"):
        (folder / f"{name}.csv").write_bytes((toolkit.SAMPLE_DATA / f"{name}.csv").read_bytes())
    write_tables(tables, folder)
    data = load(folder)
    assert len(data.reaction) == len(sample.reaction) and len(data.comments) == len(sample.comments)


# --------------------------------------------------------------------------- bad exports


def _fails(folder: Path, source: str, export: str, mapping: str, **kw) -> str:
    before = _digest(folder)
    with pytest.raises(DataError) as info:
        import_export(source, folder / export, folder / mapping, key=KEY, **kw)
    assert _digest(folder) == before, "the import must never change the user's files"
    assert not contains(str(info.value)) and not contains(info.value.problems.to_csv())
    return str(info.value)


def _edit_map(folder: Path, fn, name: str = "map.csv") -> None:
    m = pd.read_csv(folder / name, keep_default_na=False, dtype=str)
    fn(m).to_csv(folder / name, index=False)


def _edit_export(folder: Path, fn, name: str = "form.csv") -> None:
    e = pd.read_csv(folder / name, keep_default_na=False, dtype=str)
    fn(e).to_csv(folder / name, index=False)


def test_unmapped_question(forms):
    _edit_export(forms, lambda e: e.assign(**{"Pertanyaan baru": "Setuju"}))
    msg = _fails(forms, "forms", "form.csv", "map.csv")
    assert "form.csv, column 'Pertanyaan baru'" in msg and "--draft-map" in msg


def test_mapped_header_missing_from_the_export(forms):
    _edit_export(forms, lambda e: e.drop(columns=["Saran untuk pelatihan berikutnya"]))
    msg = _fails(forms, "forms", "form.csv", "map.csv")
    assert "column 'Saran untuk pelatihan berikutnya'" in msg and "must match the export" in msg


def test_unknown_label(forms):
    col = "Materi pelatihan relevan dengan pekerjaan saya."
    _edit_export(forms, lambda e: e.assign(**{col: e[col].where(e.index != 3, "Mantap")}))
    msg = _fails(forms, "forms", "form.csv", "map.csv")
    assert f"form.csv, row 5, column '{col}': 'Mantap'" in msg and "Label=number" in msg


def test_custom_scale_in_the_map_reads_its_labels(forms, sample):
    col = "Materi pelatihan relevan dengan pekerjaan saya."
    _edit_export(forms, lambda e: e.assign(**{col: e[col].replace("Sangat Setuju", "Mantap")}))
    _edit_map(forms, lambda m: m.assign(scale=m["scale"].where(
        m["source"] != col, "Mantap=5|Setuju=4|Netral=3|Tidak Setuju=2|Sangat Tidak Setuju=1")))  # fmt: skip
    tables, _ = _import_forms(forms)
    assert len(tables["reaction"]) == len(sample.reaction)


def test_answer_outside_the_items_scale(forms, sample):
    col = [c for c in pd.read_csv(forms / "form.csv", nrows=0).columns if "merekomendasikan" in c][
        0
    ]
    _edit_export(forms, lambda e: e.assign(**{col: e[col].where(e.index != 0, "12")}))
    msg = _fails(forms, "forms", "form.csv", "map.csv", instruments=sample.instruments)
    assert "row 2" in msg and "an answer on item R08's scale, 0 to 10" in msg


def test_item_code_not_in_the_bank(forms, sample):
    _edit_map(forms, lambda m: m.assign(code=m["code"].replace("R01", "R99")))
    msg = _fails(forms, "forms", "form.csv", "map.csv", instruments=sample.instruments)
    assert "'R99' – expected an item code of the instruments table" in msg


def test_respondent_twice_in_a_session(forms):
    _edit_export(forms, lambda e: pd.concat([e, e.iloc[[0]]], ignore_index=True))
    msg = _fails(forms, "forms", "form.csv", "map.csv")
    assert "expected one response per person and session" in msg and "rows 2, " in msg


def test_no_identity_column(forms):
    _edit_map(forms, lambda m: m.assign(target=m["target"].replace("participant_nip", "ignore")))
    msg = _fails(forms, "forms", "form.csv", "map.csv")
    assert "a column that says who answered" in msg


def test_invalid_nip_is_named_by_row_never_shown(forms):
    _edit_export(forms, lambda e: e.assign(NIP=e["NIP"].where(e.index != 2, "198503122010012")))
    msg = _fails(forms, "forms", "form.csv", "map.csv")
    assert "row 4, column 'NIP'" in msg and "198503122010012" not in msg


def test_session_missing(forms):
    _edit_map(forms, lambda m: m.assign(target=m["target"].replace("session", "ignore")))
    msg = _fails(forms, "forms", "form.csv", "map.csv")
    assert "--session S01" in msg


def test_map_with_an_unknown_target_and_a_missing_code(forms):
    def damage(m):
        m = m.copy()
        m.loc[0, "target"] = "tanggal"
        m.loc[m["target"] == "item", "code"] = m.loc[m["target"] == "item", "code"].where(
            m.loc[m["target"] == "item", "code"] != "R02", ""
        )
        return m

    _edit_map(forms, damage)
    msg = _fails(forms, "forms", "form.csv", "map.csv")
    assert "map.csv, row 2, column 'target': 'tanggal'" in msg
    assert "column 'code'" in msg and "fill the code" in msg


def test_map_with_a_repeated_header_and_a_bad_scale(forms):
    def damage(m):
        m = pd.concat([m, m.iloc[[3]]], ignore_index=True)
        m.loc[4, "scale"] = "Sangat puas"
        return m

    _edit_map(forms, damage)
    msg = _fails(forms, "forms", "form.csv", "map.csv")
    assert "expected each header once" in msg and "'Sangat puas' is not 'label=number'" in msg


def test_moodle_without_phase_and_column_without_maximum(tmp_path, sample, roster):
    export = moodle_export(sample, roster, KEY, "S01", "pre").rename(columns={"Q. 2 /1.00": "Q. 2"})
    export.to_csv(tmp_path / "quiz.csv", index=False)
    draft_map(
        list(export.columns), "moodle", sample.instruments, program="disaster_response"
    ).to_csv(tmp_path / "qmap.csv", index=False)
    msg = _fails(tmp_path, "moodle", "quiz.csv", "qmap.csv", session="S01")
    assert "expected the test phase, pre or post" in msg
    msg = _fails(tmp_path, "moodle", "quiz.csv", "qmap.csv", session="S01", phase="pre")
    assert "column 'Q. 2'" in msg and "maximum mark" in msg


def test_moodle_mark_above_the_maximum_and_not_a_mark(tmp_path, sample, roster):
    export = moodle_export(sample, roster, KEY, "S01", "post")
    export.loc[0, "Q. 1 /1.00"] = "2.00"
    export.loc[1, "Q. 3 /1.00"] = "benar"
    export.to_csv(tmp_path / "quiz.csv", index=False)
    draft_map(
        list(export.columns), "moodle", sample.instruments, program="disaster_response"
    ).to_csv(tmp_path / "qmap.csv", index=False)
    msg = _fails(tmp_path, "moodle", "quiz.csv", "qmap.csv", session="S01", phase="post")
    assert "row 2, column 'Q. 1 /1.00': 2 – expected a mark of at most 1" in msg
    assert "row 3, column 'Q. 3 /1.00': 'benar'" in msg


def test_ikm_answer_outside_four_points_and_unknown_label(tmp_path, sample):
    export = ikm_export(sample).head(200)
    export.loc[5, "U3"] = "5"
    export.loc[6, "U7"] = "Ramah sekali"
    export.to_csv(tmp_path / "ikm.csv", index=False)
    draft_map(list(export.columns), "ikm").to_csv(tmp_path / "imap.csv", index=False)
    msg = _fails(tmp_path, "ikm", "ikm.csv", "imap.csv")
    assert "row 7, column 'U3': 5 – expected an answer 1 to 4" in msg
    assert "row 8, column 'U7': 'Ramah sekali'" in msg


def test_ikm_without_unit(tmp_path, sample):
    export = ikm_export(sample).head(50).drop(columns=["Unit layanan"])
    export.to_csv(tmp_path / "ikm.csv", index=False)
    draft_map(list(export.columns), "ikm").to_csv(tmp_path / "imap.csv", index=False)
    msg = _fails(tmp_path, "ikm", "ikm.csv", "imap.csv")
    assert "expected the unit of the survey" in msg and "--unit" in msg
    tables, _ = import_export("ikm", tmp_path / "ikm.csv", tmp_path / "imap.csv", unit="U01")
    assert (tables["ikm_responses"]["unit_id"] == "U01").all()


def test_empty_export(tmp_path, sample):
    (tmp_path / "form.csv").write_text("", encoding="utf-8")
    (tmp_path / "map.csv").write_text("source,target,code,scale\n", encoding="utf-8")
    msg = _fails(tmp_path, "forms", "form.csv", "map.csv")
    assert "form.csv: expected a header row and data" in msg


def test_personal_data_in_a_comment_is_scrubbed(forms):
    col = "Saran untuk pelatihan berikutnya"
    _edit_export(forms, lambda e: e.assign(**{col: e[col].where(e.index != 0,
                 "hubungi saya di budi@kantor.go.id atau 0812-3456-7890")}))  # fmt: skip
    tables, _ = _import_forms(forms)
    assert not tables["comments"]["text"].map(contains).any()


@pytest.mark.parametrize("shape", ["other_codes", "tiny_3_sessions", "no_nps_item"])
def test_forms_round_trip_on_other_shapes(tmp_path, shape):
    # An office with other codes, a tiny one, one without the 0-10 item: a form export with
    # the question texts as headers and pseudonyms as identity imports back exactly.
    from shapes import build

    data = build(shape)
    text = dict(zip(data.instruments["item_code"].astype(str), data.instruments["text_id"],
                    strict=True))  # fmt: skip
    wide = data.reaction.astype({"item_code": "str"}).pivot_table(
        index=["participant_id", "session_id"], columns="item_code", values="response",
        aggfunc="first", observed=True,
    ).rename(columns=text)  # fmt: skip
    export = wide.astype("Int64").astype("str").replace("<NA>", "").reset_index()
    export.to_csv(tmp_path / "form.csv", index=False)
    draft = draft_map(list(export.columns), "forms", data.instruments)
    draft.loc[draft["source"] == "participant_id", "target"] = "participant_id"
    draft.loc[draft["source"] == "session_id", "target"] = "session"
    draft.to_csv(tmp_path / "map.csv", index=False)
    tables, _ = import_export("forms", tmp_path / "form.csv", tmp_path / "map.csv",
                              instruments=data.instruments)  # fmt: skip
    key = ["participant_id", "session_id", "item_code"]
    pd.testing.assert_frame_equal(_sorted(tables["reaction"], key), _sorted(data.reaction, key))
