"""Hostile and unusual input: every case found by two adversarial probes of the loader.

Each test damages a copy of the sample data the way a real export or a careless edit does
and asserts what the user sees: a :class:`DataError` naming file, row, column and the fix
(never a raw traceback), or a note saying what the loader did; and that the input files
are byte for byte unchanged. Personal data (NIPs in any writing, NIKs, e-mail addresses,
phone numbers) never appears in a message, a ``.problems`` table or a loaded table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import read_raw, write_raw
from hypothesis import given
from hypothesis import strategies as st

from toolkit.data import DataError, load, read_roster
from toolkit.personal import PLACEHOLDER, contains, scrub
from toolkit.privacy import resolve_key

NIP = "198503122010011017"
KEY = "kunci-rahasia-kantor-2024"
#: Enough tables for most checks, read much faster than the whole sample.
CORE = ["units", "participants", "sessions", "enrollments"]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _load(folder: Path, tables=None):
    before = _digest(folder)
    try:
        return load(folder, tables=tables)
    finally:
        assert _digest(folder) == before, "the loader must never modify the user's files"


def _error(folder: Path, tables=None) -> DataError:
    with pytest.raises(DataError) as info:
        _load(folder, tables)
    return info.value


def _edit(folder: Path, table: str, fn) -> None:
    path = folder / f"{table}.csv"
    write_raw(fn(read_raw(path)), path)


def _put(folder: Path, table: str, column: str, row: int, value: str) -> None:
    """Write ``value`` into one cell (0-based data row) of a table's CSV."""
    _edit(folder, table, lambda d: d.assign(**{column: d[column].where(d.index != row, value)}))


def _plant(column: str, values: list[str]):
    """An edit that writes ``values`` into the first rows of ``column``."""

    def edit(d: pd.DataFrame) -> pd.DataFrame:
        d = d.copy()
        d.loc[: len(values) - 1, column] = values
        return d

    return edit


def _text(folder: Path, table: str) -> str:
    return (folder / f"{table}.csv").read_text(encoding="utf-8")


def _write(folder: Path, table: str, text: str) -> None:
    (folder / f"{table}.csv").write_text(text, encoding="utf-8", newline="")


#: SVG geometry: numbers that are coordinates, never data (they may look like a spaced NIK).
_GEOMETRY = {
    "d",
    "transform",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "points",
    "viewbox",
    "width",
    "height",
    "cx",
    "cy",
    "r",
    "style",
    "stroke-dasharray",
    "font-size",
    "rx",
    "ry",
}


def _readable(html: str) -> str:
    """Every text node and attribute value of a page, except SVG geometry."""
    from html.parser import HTMLParser

    parts: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            parts.extend(v or "" for k, v in attrs if k.lower() not in _GEOMETRY)

        def handle_data(self, data):
            parts.append(data)

    Collect().feed(html)
    return "\n".join(parts)


def _no_personal_data(*texts: object) -> None:
    for text in texts:
        assert not contains(text), text


# --------------------------------------------------------------------------- headers


def test_repeated_header_in_csv_is_an_error(data_copy):
    text = _text(data_copy, "sessions").replace("jp,schedule", "jp,jp", 1)
    _write(data_copy, "sessions", text)
    err = _error(data_copy, CORE)
    assert "sessions.csv, column 'jp': expected each column once" in str(err)
    assert "appears 2 times" in str(err)


def test_repeated_header_after_normalisation(data_copy):
    _edit(data_copy, "units", lambda d: d.assign(**{"Unit Name": d["unit_name"]}))
    err = _error(data_copy, CORE)
    assert "units.csv, column 'unit_name': expected each column once" in str(err)


def test_misspelt_optional_column_is_not_silently_empty(data_copy):
    _edit(data_copy, "costs", lambda d: d.rename(columns={"description": "descripton"}))
    err = _error(data_copy, [*CORE, "costs"])
    assert "costs.csv, column 'description'" in str(err)
    assert "rename column 'descripton' to 'description'" in str(err)


def test_misspelt_required_answer_column(data_copy):
    _edit(data_copy, "reaction", lambda d: d.rename(columns={"response": "respon"}))
    err = _error(data_copy, [*CORE, "instruments", "reaction"])
    assert "rename column 'respon' to 'response'" in str(err)


@pytest.mark.parametrize("form", ["unsur{}", "Unsur {}", "U-{}", "UNSUR_{}"])
def test_ikm_element_headers_written_as_unsur(data_copy, sample, form):
    def rename(d):
        return d.rename(columns={f"u{i}": form.format(i) for i in range(1, 10)})

    _edit(data_copy, "ikm_responses", rename)
    data = _load(data_copy, ["units", "ikm_responses"])
    pd.testing.assert_frame_equal(data.ikm_responses, sample.ikm_responses)


def test_unknown_column_is_ignored_with_a_note(data_copy, sample):
    _edit(data_copy, "units", lambda d: d.assign(kepala_dinas="Bapak X"))
    data = _load(data_copy, CORE)
    assert any("'kepala_dinas' ignored" in n for n in data.notes)
    pd.testing.assert_frame_equal(data.units, sample.units)


# --------------------------------------------------------------------------- values


def test_na_in_an_answer_column_is_missing_not_tidak_tahu(data_copy):
    _put(data_copy, "reaction", "response", 0, "NA")
    data = _load(data_copy, [*CORE, "instruments", "reaction"])
    assert pd.isna(data.reaction.loc[0, "response"])
    assert any("written 'NA' were read as empty" in n and "tidak tahu" in n for n in data.notes)


def test_tidak_tahu_is_still_the_na_code(data_copy):
    _put(data_copy, "reaction", "response", 0, "tidak tahu")
    data = _load(data_copy, [*CORE, "instruments", "reaction"])
    assert data.reaction.loc[0, "response"] == 99


def test_month_first_dates_are_refused(data_copy):
    def us(d):
        dates = pd.to_datetime(d["start_date"])
        return d.assign(start_date=dates.dt.strftime("%m/%d/%Y"))

    _edit(data_copy, "sessions", us)
    err = _error(data_copy, CORE)
    msg = str(err)
    assert "sessions.csv" in msg and "column 'start_date'" in msg
    assert "month-first (US)" in msg and "ISO (yyyy-mm-dd)" in msg
    hit = err.problems[err.problems["column"] == "start_date"].iloc[0]
    assert hit["n_rows"] == 40  # every day/month date of the column, not only the impossible ones


def test_day_first_dates_still_read(data_copy, sample):
    def dmy(d):
        return d.assign(start_date=pd.to_datetime(d["start_date"]).dt.strftime("%d/%m/%Y"))

    _edit(data_copy, "sessions", dmy)
    data = _load(data_copy, CORE)
    pd.testing.assert_series_equal(data.sessions["start_date"], sample.sessions["start_date"])


def test_date_far_in_the_future(data_copy):
    _put(data_copy, "sessions", "end_date", 2, "2099-01-05")
    err = _error(data_copy, CORE)
    limit = dt.date.today().year + 1
    assert "sessions.csv, row 4, column 'end_date': '2099-01-05'" in str(err)
    assert f"expected a date of the evaluation, not after {limit}" in str(err)


def test_period_far_in_the_future(data_copy):
    def late(d):
        i = d.index[d["trained"] == "true"][0]
        return d.assign(
            first_trained_period=d["first_trained_period"].where(d.index != i, "2204Q1")
        )

    _edit(data_copy, "units", late)
    err = _error(data_copy, CORE)
    assert "column 'first_trained_period': '2204Q1'" in str(err)
    assert "check the year for a typing error" in str(err)


def test_same_cost_line_twice(data_copy):
    _edit(data_copy, "costs", lambda d: pd.concat([d, d.iloc[[3]]], ignore_index=True))
    err = _error(data_copy, [*CORE, "costs"])
    n = len(read_raw(data_copy / "costs.csv"))
    assert f"costs.csv, rows 5, {n + 1}: expected each cost line once" in str(err)


def test_rupiah_with_a_thousands_dot_is_not_a_fraction(data_copy):
    _put(data_copy, "benefit_estimates", "annual_value_idr", 0, "1.500")
    data = _load(data_copy, [*CORE, "benefit_estimates"])
    assert data.benefit_estimates.loc[0, "annual_value_idr"] == 1500.0
    assert any("'1.500' and similar amounts were read as thousands" in n for n in data.notes)


@pytest.mark.parametrize(
    "written", ["Rp 5.897.000,-", "Rp5.897.000,00", "5.897.000", "Rp. 5897000"]
)
def test_rupiah_formats(data_copy, written):
    _put(data_copy, "costs", "amount_idr", 0, written)
    data = _load(data_copy, [*CORE, "costs"])
    assert data.costs.loc[0, "amount_idr"] == 5_897_000


def test_ids_differing_by_a_zero_width_space(data_copy):
    _edit(data_copy, "units", lambda d: pd.concat([d, d.iloc[[0]].assign(unit_id="U01\u200b")]))
    err = _error(data_copy, CORE)
    assert "units.csv" in str(err) and "each (unit_id) combination once" in str(err)


def test_ids_in_another_unicode_normalisation_match(data_copy):
    composed, decomposed = "Ü01", "U\u0308" + "01"
    _edit(data_copy, "units", lambda d: d.assign(unit_id=d["unit_id"].replace("U01", composed)))
    _edit(
        data_copy,
        "participants",
        lambda d: d.assign(unit_id=d["unit_id"].replace("U01", decomposed)),
    )
    data = _load(data_copy, CORE)
    assert (data.participants["unit_id"] == composed).sum() > 0


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400", "99999999999999999999", "NaN-ish"])
def test_wild_numbers_in_a_whole_number_column(data_copy, value):
    _put(data_copy, "enrollments", "attended_jp", 4, value)
    err = _error(data_copy, CORE)
    assert "enrollments.csv, row 6, column 'attended_jp'" in str(err)
    assert "Traceback" not in str(err)


def test_values_print_as_plain_numbers(data_copy):
    _put(data_copy, "enrollments", "attended_jp", 0, "499")
    err = _error(data_copy, CORE)
    assert "'attended_jp': 499 – expected at most the session's jp" in str(err)
    assert "np." not in str(err)
    assert err.problems.loc[0, "value"] == 499


# --------------------------------------------------------------------------- reading files


def test_separator_problem_on_the_first_data_row(data_copy):
    lines = _text(data_copy, "units").splitlines(keepends=True)
    lines[1] = lines[1].replace(",", ",extra,", 1)
    _write(data_copy, "units", "".join(lines))
    err = _error(data_copy, CORE)
    assert "units.csv, row 2: expected 5 ','-separated fields" in str(err)
    assert "this line has 6" in str(err)


def test_a_row_with_one_field_too_many_deep_in_the_file(data_copy):
    lines = _text(data_copy, "participants").splitlines(keepends=True)
    lines[300] = lines[300].rstrip("\n") + ",oops\n"
    _write(data_copy, "participants", "".join(lines))
    err = _error(data_copy, CORE)
    assert "participants.csv, row 301" in str(err)


def test_trailing_separator_on_data_lines_is_ignored(data_copy, sample):
    lines = _text(data_copy, "units").splitlines()
    _write(data_copy, "units", "\n".join([lines[0], *(x + "," for x in lines[1:])]) + "\n")
    data = _load(data_copy, CORE)
    pd.testing.assert_frame_equal(data.units, sample.units)
    assert any("extra empty field" in n for n in data.notes)


def test_row_numbers_count_physical_lines_after_blank_lines(data_copy):
    _put(data_copy, "sessions", "jp", 2, "dua")
    lines = _text(data_copy, "sessions").splitlines(keepends=True)
    _write(data_copy, "sessions", "".join([lines[0], "\n", lines[1], "\n", *lines[2:]]))
    err = _error(data_copy, CORE)
    # the third data row is on physical line 6 (header, blank, row, blank, row, row)
    assert "sessions.csv, row 6, column 'jp': 'dua'" in str(err)


def test_row_numbers_after_a_comment_spanning_lines(data_copy):
    _edit(data_copy, "comments", _plant("text", ["Baris satu\nbaris dua\nbaris tiga"]))
    _put(data_copy, "comments", "session_id", 5, "S99")
    err = _error(data_copy, [*CORE, "comments"])
    assert "comments.csv, row 9, column 'participant_id, session_id'" in str(err)


def test_crlf_and_sep_line_from_excel(data_copy, sample):
    text = _text(data_copy, "units").replace(",", ";")
    _write(data_copy, "units", "sep=;\r\n" + text.replace("\n", "\r\n"))
    data = _load(data_copy, CORE)
    pd.testing.assert_frame_equal(data.units, sample.units)


def test_every_table_header_only(data_copy):
    for f in data_copy.glob("*.csv"):
        f.write_text(f.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    err = _error(data_copy)
    assert "units.csv: expected at least one data row under the header" in str(err)
    assert "Note: comments.csv has a header but no rows" in str(err)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_csv_is_read(data_copy, sample, encoding):
    text = _text(data_copy, "units")
    (data_copy / "units.csv").write_bytes(text.encode(encoding))
    data = _load(data_copy, CORE)
    pd.testing.assert_frame_equal(data.units, sample.units)
    assert any("UTF-16" in n for n in data.notes)


def test_windows_1252_still_named(data_copy):
    text = _text(data_copy, "units").replace("Dinas Pendidikan", "Dinas Pendidikan é")
    (data_copy / "units.csv").write_bytes(text.encode("cp1252"))
    err = _error(data_copy, CORE)
    assert "units.csv, row 3: 'byte 0xe9' – expected UTF-8 text" in str(err)


def test_xlsx_saved_under_a_csv_name(data_copy):
    df = read_raw(data_copy / "units.csv")
    (data_copy / "units.csv").unlink()
    df.to_excel(data_copy / "units.xlsx", index=False)
    (data_copy / "units.xlsx").rename(data_copy / "units.csv")
    err = _error(data_copy, CORE)
    assert "this is an Excel .xlsx workbook" in str(err) and "rename it to .xlsx" in str(err)
    assert "Windows-1252" not in str(err)


def test_old_xls_file_is_named_not_skipped(data_copy):
    (data_copy / "units.csv").rename(data_copy / "units.xls")
    err = _error(data_copy, CORE)
    assert "units.xls: expected a .xlsx workbook or a CSV file" in str(err)
    assert "add units.csv" not in str(err)


def test_folder_named_like_a_table_file(data_copy):
    (data_copy / "units.csv").rename(data_copy / "spare.csv")
    (data_copy / "units.csv").mkdir()
    err = _error(data_copy, CORE)
    assert "units.csv: expected a file" in str(err)
    assert "add units.csv" not in str(err)


def test_indonesian_file_name_is_suggested(data_copy):
    (data_copy / "comments.csv").rename(data_copy / "komentar.csv")
    err = _error(data_copy)
    assert "komentar.csv is not a table name; did you mean comments.csv?" in str(err)


def test_other_files_are_named_in_a_note(data_copy):
    (data_copy / "catatan rapat.txt").write_text("x", encoding="utf-8")
    (data_copy / "lampiran.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    data = _load(data_copy, CORE)
    assert any(n.startswith("catatan rapat.txt skipped") for n in data.notes)
    assert any(n.startswith("lampiran.csv skipped: not named after a table") for n in data.notes)


def test_excel_lock_file_is_skipped_with_a_note(data_copy):
    (data_copy / "~$units.xlsx").write_bytes(b"\x00" * 165)
    data = _load(data_copy, CORE)
    assert any(n.startswith("~$units.xlsx skipped: a lock file") for n in data.notes)


def _workbook(path: Path, sheets: list[tuple[str, pd.DataFrame, str]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, df, state in sheets:
        ws = book.create_sheet(title)
        ws.append(list(df.columns))
        for row in df.itertuples(index=False):
            ws.append(list(row))
        ws.sheet_state = state
    book.save(path)


@pytest.mark.parametrize(
    ("hidden", "visible"), [("lama", "Sheet2"), ("units", "Data")], ids=["first", "named"]
)
def test_hidden_out_of_date_sheet_is_never_read(data_copy, sample, hidden, visible):
    # a hidden sheet is skipped even when it comes first or is named after the table
    units = read_raw(data_copy / "units.csv")
    (data_copy / "units.csv").unlink()
    old = units.assign(unit_name="LAMA")
    _workbook(data_copy / "units.xlsx", [(hidden, old, "hidden"), (visible, units, "visible")])
    data = _load(data_copy, CORE)
    pd.testing.assert_frame_equal(data.units, sample.units)
    note = next(n for n in data.notes if n.startswith("units.xlsx: read sheet"))
    assert f"'{visible}'" in note and f"hidden sheets are never read ('{hidden}')" in note


def _to_workbook(folder: Path, table: str, *, blank_row: bool = False):
    """Move a table's CSV into a one-sheet workbook (saved by the caller): (book, sheet)."""
    df = read_raw(folder / f"{table}.csv")
    (folder / f"{table}.csv").unlink()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = table
    ws.append(list(df.columns))
    if blank_row:
        ws.append([None] * len(df.columns))
    for row in df.itertuples(index=False):
        ws.append(list(row))
    return book, ws


def test_formula_without_a_saved_value(data_copy):
    book, ws = _to_workbook(data_copy, "units")
    ws["B4"] = '=UPPER("dinas")'  # openpyxl saves formulas without a cached value
    book.save(data_copy / "units.xlsx")
    err = _error(data_copy, CORE)
    msg = str(err)
    assert "units.xlsx, row 4: 'B4' – expected values, not formulas without a saved result" in msg


def test_xlsx_blank_row_keeps_sheet_row_numbers(data_copy):
    book, ws = _to_workbook(data_copy, "sessions", blank_row=True)
    ws.cell(row=5, column=7).value = "dua"
    book.save(data_copy / "sessions.xlsx")
    err = _error(data_copy, CORE)
    assert "sessions.xlsx, row 5, column 'jp': 'dua'" in str(err)


# --------------------------------------------------------------------------- personal data


@pytest.mark.parametrize(
    "written",
    [
        NIP,
        "19850312 201001 1 017",
        "1985.0312.2010.01.1.017",
        NIP[:-1],
        NIP + "5",
        "1.98503E+17",
        "3171012345678901",
    ],
)
def test_nip_as_an_id_is_never_printed(data_copy, written):
    _put(data_copy, "enrollments", "participant_id", 3, written)
    err = _error(data_copy, CORE)
    msg = str(err)
    assert "enrollments.csv, row 5, column 'participant_id'" in msg
    assert "not a NIP or NIK" in msg
    digits = re.sub(r"\D", "", written)
    assert written not in msg and digits not in re.sub(r"\D", "", msg)
    _no_personal_data(msg, err.problems.to_csv())


def test_personal_data_in_comments_is_scrubbed_on_load(data_copy):
    hostile = [
        "NIP saya 19850312 201001 1 017, mohon sertifikat",
        "NIK 3171 0123 4567 8901",
        "hubungi saya di budi.santoso@kemenkeu.go.id",
        "WA +62 812-3456-7890",
        "telp kantor (0771) 312345",
        "NIP:198503122010011017",
    ]

    _edit(data_copy, "comments", _plant("text", hostile))
    data = _load(data_copy, [*CORE, "comments"])
    texts = data.comments["text"].head(len(hostile)).tolist()
    assert all(PLACEHOLDER in t for t in texts), texts
    _no_personal_data(*data.comments["text"])
    assert texts[0] == f"NIP saya {PLACEHOLDER}, mohon sertifikat"
    assert any("personal data" in n and "6 cell(s)" in n for n in data.notes)


def test_ordinary_comments_are_not_scrubbed(sample):
    assert not sample.comments["text"].str.contains(PLACEHOLDER, regex=False).any()
    _no_personal_data(*sample.comments["text"])


def _roster(path: Path, nips: list, **kw) -> Path:
    df = pd.DataFrame(
        {"nip": nips, "unit_id": "U01", "position_type": "executor", "grade": "III", **kw}
    )
    if path.suffix == ".xlsx":
        df.to_excel(path, index=False)
    else:
        df.to_csv(path, index=False)
    return path


def test_nip_typed_as_a_number_in_excel_is_refused(tmp_path):
    path = _roster(tmp_path / "roster.xlsx", [int(NIP), "198503122010012001"])
    with pytest.raises(DataError) as info:
        read_roster(path, key=KEY)
    msg = str(info.value)
    assert "roster.xlsx, row 2, column 'nip'" in msg and "format the NIP column as Text" in msg
    _no_personal_data(msg, info.value.problems.to_csv())


def test_nip_in_scientific_notation_in_a_csv_roster(tmp_path):
    path = _roster(tmp_path / "roster.csv", ["198503122010012001", "1.98503E+17"])
    with pytest.raises(DataError, match=r"roster.csv, row 3, column 'nip'.*15 significant digits"):
        read_roster(path, key=KEY)


def test_nip_rounded_to_fifteen_digits_in_a_csv_roster(tmp_path):
    path = _roster(tmp_path / "roster.csv", ["198503122010011000"])
    with pytest.raises(DataError, match="format the NIP column as Text"):
        read_roster(path, key=KEY)


def test_spaced_nip_text_in_a_roster_is_accepted(tmp_path):
    a = read_roster(_roster(tmp_path / "a.csv", ["19850312 201001 1 017"]), key=KEY)
    b = read_roster(_roster(tmp_path / "b.csv", [NIP]), key=KEY)
    assert a["participant_id"].tolist() == b["participant_id"].tolist()


@pytest.mark.parametrize("key", ["", "   ", "x", "kunci-pendek", "\n"])
def test_short_or_blank_keys_are_refused(key):
    with pytest.raises(ValueError, match="key"):
        resolve_key(key)


def test_key_is_normalised():
    nfc = "kunci-rahasia-kantor-\u00e9-2024"
    nfd = "kunci-rahasia-kantor-e\u0301-2024"
    assert resolve_key(nfc) == resolve_key(nfd + "\n") == resolve_key(f"  {nfc}\r\n")


def test_roster_with_a_weak_key_is_refused_before_reading(tmp_path):
    path = _roster(tmp_path / "roster.csv", [NIP])
    with pytest.raises(ValueError, match="at least 16"):
        read_roster(path, key="k")


def test_problems_table_never_holds_personal_data(data_copy):
    _edit(data_copy, "enrollments", _plant("session_id", ["budi@mail.go.id", "0812 3456 7890"]))
    err = _error(data_copy, CORE)
    _no_personal_data(str(err), err.problems.to_csv())
    assert (err.problems["value"] == "(not shown: personal data)").any()


def test_loaded_tables_after_scrubbing_have_no_personal_data(sample):
    for name, df in sample.tables().items():
        for col in df.columns:
            if df[col].dtype == "str" or isinstance(df[col].dtype, pd.CategoricalDtype):
                values = df[col].dropna().astype("str").unique()
                assert not any(contains(v) for v in values), (name, col)
    assert np.all(sample.participants["participant_id"].astype("str").str.startswith("P-"))


# --------------------------------------------------------------------------- everything written


HOSTILE_COMMENTS = [
    "NIP saya 19850312 201001 1 017, mohon sertifikat dikirim",
    "NIK 3171012345678901",
    "kirim materi ke budi.santoso@kemenkeu.go.id",
    "WA 0812-3456-7890 untuk info",
    "NIP 1985.0312.2010.01.1.017",
]


def test_report_and_check_on_hostile_data_write_no_personal_data(data_copy, tmp_path, capsys):
    from toolkit.report.build import build_report
    from toolkit.report.check import main_check

    _edit(data_copy, "comments", _plant("text", HOSTILE_COMMENTS))
    before = _digest(data_copy)
    out = build_report(data_copy, tmp_path / "report", generated="2026-01-01 00:00", log=None).out
    assert _digest(data_copy) == before
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in written} >= {"index.html", "key_figures.csv", "readiness.csv"}
    for path in written:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            text = _readable(text)
        assert not contains(text), path.name
    assert not list(tmp_path.glob(".*")), "no temporary folder may be left behind"
    main_check(data_copy, out=None)
    captured = capsys.readouterr()
    _no_personal_data(captured.out, captured.err)
    assert "personal data (NIP, NIK, e-mail or phone number) in 5 cell(s)" in captured.out


# --------------------------------------------------------------------------- properties

_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,!?", max_size=30)


@st.composite
def _written_nip(draw) -> tuple[str, str]:
    digits = draw(st.text(alphabet="0123456789", min_size=16, max_size=19))
    sep = draw(st.sampled_from(["", " ", ".", "-", "/"]))
    # one dot between two digit runs is a decimal number, not a NIP: dotted NIPs have several
    fewest = 2 if sep == "." else 0
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), min_size=fewest, max_size=6)))
    parts = [digits[i:j] for i, j in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    return digits, sep.join(parts)


@given(before=_words, nip=_written_nip(), after=_words)
def test_any_written_nip_or_nik_is_scrubbed(before, nip, after):
    digits, written = nip
    out = scrub(f"{before} {written} {after}")
    assert PLACEHOLDER in out and digits not in re.sub(r"\D", "", out)
    assert not contains(out)


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"], blacklist_characters="@")))
def test_text_without_digits_or_at_is_never_changed(text):
    assert scrub(text) == text


@given(text=_words, number=st.integers(0, 99_999_999), decimals=st.integers(0, 10**12))
def test_ordinary_numbers_are_never_changed(text, number, decimals):
    line = f"{text} {number} JP, skor {number}.{decimals} {text}"
    assert scrub(line) == line
