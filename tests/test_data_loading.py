"""Loading: typed tables from the sample data, Indonesian export formats, and bad input.

Each bad-input test damages one thing in a copy of the sample data and asserts the parts
of the message a user needs: file, row, column, value, what was expected, and the fix.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE, read_raw, write_raw
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.data import DataError, load, read_table
from toolkit.schema import NA_CODE, TABLES


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _edit(folder: Path, table: str, fn) -> None:
    path = folder / f"{table}.csv"
    df = read_raw(path)
    df = fn(df)
    write_raw(df, path)


def _error(folder: Path) -> DataError:
    before = _digest(folder)
    with pytest.raises(DataError) as info:
        load(folder)
    assert _digest(folder) == before, "the loader must never modify the user's files"
    return info.value


def _set(df: pd.DataFrame, row: int, column: str, value: str) -> pd.DataFrame:
    df = df.copy()
    df.loc[row, column] = value
    return df


# --------------------------------------------------------------------------- good input


def test_sample_data_loads_with_schema_dtypes(sample):
    assert set(sample.present) == set(TABLES)
    for name, df in sample.tables().items():
        assert df.columns.tolist() == TABLES[name].column_names, name
        assert len(df) > 0, name
        for col in TABLES[name].columns:
            assert str(df[col.name].dtype) == col.dtype, (name, col.name)
    assert sample.reaction["response"].dtype == "Int16"
    assert sample.sessions["method"].cat.categories.tolist() == list(
        TABLES["sessions"].column("method").categories
    )


def test_sample_data_equals_the_generator(sample):
    from toolkit import synth

    generated = synth.generate()
    for name, df in sample.tables().items():
        pd.testing.assert_frame_equal(df, generated.tables()[name], obj=name)


def test_indonesian_excel_export_reads_the_same(data_copy, sample):
    # semicolon separators, decimal commas, BOM, ya/tidak booleans, day-first dates
    for table in ("enrollments", "sessions", "benefit_estimates"):
        df = read_raw(data_copy / f"{table}.csv")
        for col in TABLES[table].columns:
            if col.kind == "float":
                df[col.name] = df[col.name].str.replace(".", ",", regex=False)
            if col.kind == "bool":
                df[col.name] = df[col.name].map({"true": "ya", "false": "tidak"})
            if col.kind == "date":
                df[col.name] = pd.to_datetime(df[col.name]).dt.strftime("%d/%m/%Y")
        df.to_csv(data_copy / f"{table}.csv", sep=";", index=False, encoding="utf-8-sig")
    again = load(data_copy)
    for table in ("enrollments", "sessions", "benefit_estimates"):
        pd.testing.assert_frame_equal(again.tables()[table], sample.tables()[table], obj=table)


def test_xlsx_reads_the_same(data_copy, sample):
    df = read_raw(data_copy / "sessions.csv")
    (data_copy / "sessions.csv").unlink()
    df["jp"] = df["jp"].astype(int)  # numbers stored as numbers, as Excel does
    df.to_excel(data_copy / "sessions.xlsx", sheet_name="sessions", index=False)
    pd.testing.assert_frame_equal(load(data_copy).sessions, sample.sessions)


def test_thousands_separators_and_rupiah_prefix(data_copy, sample):
    def dotted(d):
        grouped = d["amount_idr"].astype(int).map(lambda v: f"Rp {v:,}".replace(",", "."))
        return d.assign(amount_idr=grouped)

    _edit(data_copy, "costs", dotted)
    assert read_raw(data_copy / "costs.csv")["amount_idr"].str.contains(r"Rp \d+\.\d{3}").any()
    pd.testing.assert_frame_equal(load(data_copy).costs, sample.costs)


def test_tidak_tahu_becomes_the_na_code(data_copy):
    _edit(data_copy, "reaction", lambda d: _set(d, 0, "response", "Tidak tahu"))
    assert load(data_copy).reaction.loc[0, "response"] == NA_CODE


def test_synonyms_for_codes(data_copy, sample):
    mapping = {"F": "P", "M": "L"}  # perempuan / laki-laki
    _edit(data_copy, "participants", lambda d: d.assign(sex=d["sex"].map(mapping)))
    pd.testing.assert_frame_equal(load(data_copy).participants, sample.participants)


def test_read_table_alone():
    units = read_table(SAMPLE / "units.csv")
    assert units["trained"].dtype == bool
    assert units.columns.tolist() == TABLES["units"].column_names


# --------------------------------------------------------------------------- bad input


def test_misspelled_column_suggests_the_name(data_copy):
    _edit(data_copy, "enrollments", lambda d: d.rename(columns={"participant_id": "partcipant_id"}))
    msg = str(_error(data_copy))
    assert "enrollments.csv" in msg
    assert "rename column 'partcipant_id' to 'participant_id'" in msg


def test_missing_column_says_what_to_add(data_copy):
    _edit(data_copy, "sessions", lambda d: d.drop(columns=["schedule"]))
    msg = str(_error(data_copy))
    assert "sessions.csv, column 'schedule'" in msg
    assert "add a column 'schedule'" in msg


def test_out_of_range_response(data_copy):
    def damage(d):
        i = d.index[d["item_code"] == d["item_code"].iloc[0]][3]
        return _set(d, i, "response", "7")

    _edit(data_copy, "reaction", damage)
    err = _error(data_copy)
    row = err.problems.iloc[0]
    assert row["file"] == "reaction.csv"
    assert row["column"] == "response"
    assert row["value"] == 7
    assert "scale" in row["expected"]
    assert f"or {NA_CODE} for tidak tahu" in row["expected"]


def test_text_in_numeric_column(data_copy):
    _edit(data_copy, "sessions", lambda d: _set(d, 4, "jp", "dua puluh"))
    msg = str(_error(data_copy))
    assert "sessions.csv, row 6, column 'jp': 'dua puluh' – expected a whole number" in msg


def test_fraction_in_whole_number_column(data_copy):
    _edit(data_copy, "sessions", lambda d: _set(d, 0, "jp", "12.5"))
    err = _error(data_copy)
    assert err.problems.iloc[0][["row", "column", "value"]].tolist() == [2, "jp", "12.5"]


def test_unknown_id_across_tables(data_copy):
    _edit(data_copy, "enrollments", lambda d: _set(d, 9, "participant_id", "P-0000000000000000"))
    err = _error(data_copy)
    hit = err.problems[err.problems["value"] == "P-0000000000000000"].iloc[0]
    assert hit["file"] == "enrollments.csv"
    assert hit["row"] == 11
    assert "participants.csv" in hit["expected"]


def test_answer_from_someone_not_enrolled(data_copy):
    enr = read_raw(data_copy / "enrollments.csv")
    other = enr.loc[enr["session_id"] != enr.loc[0, "session_id"], "participant_id"]
    outsider = sorted(set(other) - set(enr.loc[enr["session_id"] == enr.loc[0, "session_id"],
                                                "participant_id"]))[0]  # fmt: skip

    def damage(d):
        i = d.index[d["session_id"] == enr.loc[0, "session_id"]][0]
        return _set(d, i, "participant_id", outsider)

    _edit(data_copy, "reaction", damage)
    msg = str(_error(data_copy))
    assert "reaction.csv" in msg and "enrolled in that session" in msg


def test_duplicate_key(data_copy):
    _edit(data_copy, "sessions", lambda d: pd.concat([d, d.iloc[[2]]], ignore_index=True))
    err = _error(data_copy)
    hit = err.problems.iloc[0]
    assert hit["file"] == "sessions.csv"
    assert hit["column"] == "session_id"
    assert "once" in hit["expected"]
    assert hit["n_rows"] == 2  # both copies are listed
    assert hit["row"] == 4


def test_empty_file(data_copy):
    (data_copy / "units.csv").write_bytes(b"")
    msg = str(_error(data_copy))
    assert "units.csv" in msg and "empty" in msg


def test_header_only_file_gives_an_empty_table(data_copy):
    path = data_copy / "comments.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    assert len(load(data_copy).comments) == 0


def test_wrong_encoding(data_copy):
    path = data_copy / "units.csv"
    text = path.read_text(encoding="utf-8").replace("Dinas", "Dinas Ké", 1)
    path.write_bytes(text.encode("cp1252"))
    err = _error(data_copy)
    hit = err.problems.iloc[0]
    assert hit["file"] == "units.csv"
    assert "UTF-8" in hit["expected"]
    assert "CSV UTF-8" in hit["fix"]
    assert hit["value"] == "byte 0xe9"


def test_unreadable_workbook(data_copy):
    (data_copy / "units.csv").unlink()
    (data_copy / "units.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    msg = str(_error(data_copy))
    assert "units.xlsx" in msg and "could not be opened" in msg


def test_unknown_code_lists_the_allowed_ones(data_copy):
    _edit(data_copy, "sessions", lambda d: _set(d, 1, "method", "webinar"))
    msg = str(_error(data_copy))
    assert "sessions.csv, row 3, column 'method': 'webinar'" in msg
    assert "workshop, seminar, project_based, simulation, e_learning" in msg


def test_misspelled_code_suggests_the_closest(data_copy):
    _edit(data_copy, "sessions", lambda d: _set(d, 1, "provider", "universty"))
    assert "Fix: use 'university'" in str(_error(data_copy))


def test_impossible_date(data_copy):
    _edit(data_copy, "sessions", lambda d: _set(d, 0, "start_date", "31/02/2024"))
    msg = str(_error(data_copy))
    assert "row 2, column 'start_date': '31/02/2024' – expected a date" in msg


def test_end_before_start(data_copy):
    def damage(d):
        d = d.copy()
        d.loc[0, ["start_date", "end_date"]] = ["2024-05-10", "2024-05-01"]
        return d

    _edit(data_copy, "sessions", damage)
    err = _error(data_copy)
    hit = err.problems.iloc[0]
    assert (hit["file"], hit["row"], hit["column"]) == ("sessions.csv", 2, "end_date")
    assert "after start_date" in hit["expected"]


def test_more_hours_than_planned(data_copy):
    sessions = read_raw(data_copy / "sessions.csv").set_index("session_id")
    enr = read_raw(data_copy / "enrollments.csv")
    too_many = str(int(sessions.loc[enr.loc[0, "session_id"], "jp"]) + 4)
    _edit(data_copy, "enrollments", lambda d: _set(d, 0, "attended_jp", too_many))
    err = _error(data_copy)
    hit = err.problems.iloc[0]
    assert (hit["file"], hit["row"], hit["column"]) == ("enrollments.csv", 2, "attended_jp")
    assert hit["value"] == float(too_many)
    assert "at most the session's jp" in hit["expected"]


def test_item_of_the_wrong_instrument(data_copy):
    inst = read_raw(data_copy / "instruments.csv")
    test_item = inst.loc[inst["instrument"] == "knowledge_test", "item_code"].iloc[0]
    _edit(data_copy, "reaction", lambda d: _set(d, 0, "item_code", test_item))
    msg = str(_error(data_copy))
    assert "an item of the reaction instrument" in msg
    assert f"'{test_item}'" in msg


def test_raw_nip_as_participant_id_is_refused_without_echo(data_copy):
    nip = "198503122010012001"
    _edit(data_copy, "participants", lambda d: _set(d, 0, "participant_id", nip))
    msg = str(_error(data_copy))
    assert "participants.csv, row 2, column 'participant_id'" in msg
    assert "not a NIP or NIK" in msg
    assert nip not in msg


def test_nip_column_is_refused(data_copy):
    _edit(data_copy, "participants", lambda d: d.assign(nip="198503122010012001"))
    msg = str(_error(data_copy))
    assert "read_roster" in msg and "198503122010012001" not in msg


def test_bad_quarter(data_copy):
    _edit(data_copy, "ikm_responses", lambda d: _set(d, 0, "period", "2024Q5"))
    msg = str(_error(data_copy))
    assert "ikm_responses.csv, row 2, column 'period': '2024Q5' – expected a quarter" in msg


def test_ikm_answer_outside_one_to_four(data_copy):
    _edit(data_copy, "ikm_responses", lambda d: _set(d, 3, "u6", "5"))
    err = _error(data_copy)
    hit = err.problems.iloc[0]
    assert (hit["row"], hit["column"], hit["value"]) == (5, "u6", 5)
    assert "from 1 to 4" in hit["expected"]


def test_ragged_row(data_copy):
    path = data_copy / "units.csv"
    lines = path.read_text().splitlines()
    lines[3] = lines[3] + ",extra"
    path.write_text("\n".join(lines) + "\n")
    msg = str(_error(data_copy))
    assert "units.csv" in msg and "double quotes" in msg


def test_unclear_boolean(data_copy):
    _edit(data_copy, "enrollments", lambda d: _set(d, 2, "completed", "mungkin"))
    msg = str(_error(data_copy))
    assert "row 4, column 'completed': 'mungkin' – expected true or false" in msg


def test_two_files_for_one_table(data_copy):
    read_raw(data_copy / "units.csv").to_excel(data_copy / "units.xlsx", index=False)
    msg = str(_error(data_copy))
    assert "keep either units.csv or units.xlsx" in msg


def test_misnamed_file(data_copy):
    (data_copy / "participants.csv").rename(data_copy / "participant.csv")
    msg = str(_error(data_copy))
    assert "participant.csv is not a table name; did you mean participants.csv?" in msg


def test_trained_unit_without_period(data_copy):
    def damage(d):
        i = d.index[d["trained"] == "true"][0]
        return _set(d, i, "first_trained_period", "")

    _edit(data_copy, "units", damage)
    msg = str(_error(data_copy))
    assert "first_trained_period" in msg and "exactly when trained is true" in msg


def test_negative_amount(data_copy):
    _edit(data_copy, "costs", lambda d: _set(d, 0, "amount_idr", "-500000"))
    err = _error(data_copy)
    hit = err.problems.iloc[0]
    assert (hit["file"], hit["row"], hit["column"], hit["value"]) == (
        "costs.csv",
        2,
        "amount_idr",
        -500000,
    )


def test_empty_required_cell(data_copy):
    _edit(data_copy, "participants", lambda d: _set(d, 5, "grade", ""))
    msg = str(_error(data_copy))
    assert "participants.csv, row 7, column 'grade': expected a value in every row" in msg


def test_missing_parent_table(data_copy):
    (data_copy / "instruments.csv").unlink()
    msg = str(_error(data_copy))
    assert "add instruments.csv to the folder" in msg


def test_not_a_folder(tmp_path):
    with pytest.raises(DataError, match="pass the folder, not a file"):
        load(tmp_path / "nothing-here")


def test_many_problems_are_all_kept_but_the_message_is_capped(data_copy):
    def damage(d):
        d = d.copy()
        d["rating"] = "x"
        d["wave"] = "later"
        return d

    _edit(data_copy, "behavior", damage)
    err = _error(data_copy)
    rating = err.problems[err.problems["column"] == "rating"].iloc[0]
    n = len(read_raw(data_copy / "behavior.csv"))
    assert rating["n_rows"] == n
    assert f"and {n - 5:,} more" in str(err)


def test_load_gives_arrow_its_default_memory_pool_back(tmp_path):
    """load() allocates from the C library's allocator while it runs (a lower peak than
    mimalloc's, see benchmarks/bench_load.py) and restores Arrow's default pool afterwards,
    also when the folder is refused."""
    import pyarrow as pa

    before = pa.default_memory_pool().backend_name
    data = load(SAMPLE)
    assert pa.default_memory_pool().backend_name == before
    assert data.participants["participant_id"].cat.categories[0].startswith("P-")
    (tmp_path / "units.csv").write_text("unit_id,unit_name\nU01,A\nU01,B\n", encoding="utf-8")
    with pytest.raises(DataError):
        load(tmp_path)
    assert pa.default_memory_pool().backend_name == before


@settings(max_examples=150, deadline=None)
@given(
    parent=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 4)), max_size=25),
    child=st.lists(
        st.tuples(st.one_of(st.none(), st.integers(0, 8)), st.one_of(st.none(), st.integers(0, 5))),
        max_size=60,
    ),
    chunk=st.sampled_from([3, 1 << 16]),
    dense=st.sampled_from([0, 1 << 22]),
)
def test_unknown_keys_is_a_left_anti_join(parent, child, chunk, dense):
    """The reference check's combined keys (a flag per possible key, or the parent's keys
    sorted; a few rows or all at a time) flag exactly the rows with every key column filled
    whose key a pandas merge does not find in the parent."""
    from unittest import mock

    import toolkit.data as data

    def frame(rows):
        ids = {"participant_id": "P", "session_id": "S"}
        return pd.DataFrame(
            {
                c: pd.Series([None if r[i] is None else f"{p}{r[i]}" for r in rows], dtype="str")
                for i, (c, p) in enumerate(ids.items())
            }
        ).astype("category")

    kids, parents = frame(child), frame(parent)
    key = ["participant_id", "session_id"]
    found = kids.merge(parents.drop_duplicates(), on=key, how="left", indicator=True)
    expected = (found["_merge"] == "left_only").to_numpy() & kids.notna().all(axis=1).to_numpy()
    with mock.patch.object(data, "_CHUNK", chunk), mock.patch.object(data, "_DENSE_KEYS", dense):
        got = data._unknown_keys(kids, parents, key, key)
    assert got.tolist() == expected.tolist()


@pytest.mark.parametrize("distinct", [40, 5_000, 120_000])
def test_fast_reader_codes_over_many_batches(tmp_path, distinct):
    """The typed CSV reader's text columns over several of Arrow's blocks, with few and with
    more distinct texts than 16-bit codes hold (codes then widened, in a batch and across
    batches): every row's text and the categories equal pandas's own reading of the file."""
    import numpy as np

    from toolkit.readers import read_csv_typed

    rng = np.random.default_rng(distinct)
    n = 150_000
    ids = np.array([f"K{i:06d}" for i in range(distinct)])[rng.integers(0, distinct, n)]
    ids[: min(distinct, n)] = np.array([f"K{i:06d}" for i in range(min(distinct, n))])
    frame = pd.DataFrame({"code": ids, "group": rng.choice(["a", "b", "c"], n), "n": np.arange(n)})
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    assert path.stat().st_size > 3 * (1 << 19)  # several blocks of the reader
    columns, lines = read_csv_typed(path, ",", 3, {0: "text", 1: "text", 2: "int64"})
    code = pd.Series(columns[0])
    assert code.tolist() == frame["code"].tolist()
    assert sorted(code.cat.categories) == sorted(set(frame["code"]))
    assert pd.Series(columns[1]).tolist() == frame["group"].tolist()
    assert columns[2].tolist() == frame["n"].tolist()
    assert lines.equals(pd.RangeIndex(2, n + 2))


def test_fast_reader_rows_beyond_the_lines_counted(tmp_path):
    """Rows ended by a lone carriage return (old Mac exports) after a header ended by a line
    feed: Arrow reads more rows than the file has line feeds, and the typed reader's columns,
    sized by that count, grow to hold them all, and the table loads with every row."""
    from toolkit.readers import csv_head, read_csv_typed

    path = tmp_path / "units.csv"
    path.write_bytes(b"unit_id,unit_name,service_type,trained,first_trained_period\n"
                     b"U01,A,health,true,2024Q1\rU02,B,health,false,\rU03,C,education,false,\r")  # fmt: skip
    cells, sep = csv_head(path)
    columns, lines = read_csv_typed(path, sep, len(cells), {0: "text", 3: "bool", 4: "text"})
    assert list(columns[0]) == ["U01", "U02", "U03"]
    assert columns[3].tolist() == [True, False, False]
    assert lines.tolist() == [2, 3, 4]
    units = read_table(path)
    assert units["unit_id"].tolist() == ["U01", "U02", "U03"]
    assert units["first_trained_period"].isna().tolist() == [False, True, True]


def test_fast_reader_categoricals_are_exact(tmp_path):
    """Every text column of the typed CSV reader is a categorical with no missing row and
    every category the text of some row, also after rows that are entirely blank were
    dropped (their empty text is then no category): what the loader relies on to skip
    counting rows per category (``_column(exact=True)``)."""
    import numpy as np

    from toolkit.readers import read_csv_typed

    path = tmp_path / "t.csv"
    path.write_text("a,b\nx,p\n,\ny,p\n ,  \nx,q\n", encoding="utf-8")
    columns, lines = read_csv_typed(path, ",", 2, {0: "text", 1: "text"})
    assert lines.tolist() == [2, 4, 6]
    for cat in columns.values():
        codes = np.asarray(cat.codes)
        assert (codes >= 0).all()
        assert (np.bincount(codes, minlength=len(cat.categories)) > 0).all()
        assert cat.categories.is_unique and "" not in set(cat.categories)
    assert list(columns[0]) == ["x", "y", "x"]


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(max_size=4), unique=True, max_size=12),
    data=st.data(),
)
def test_present_of_distinct_values_equals_hashing(texts, data):
    """``_present(distinct=True)`` (positions from the sort alone) gives the categories
    and positions that hashing the values gives, with missing and unused values."""
    import numpy as np

    from toolkit.data import _present

    values = pd.Series(texts + [None] * data.draw(st.integers(0, 2)), dtype="str")
    values = values.sample(frac=1, random_state=data.draw(st.integers(0, 9))).reset_index(drop=True)
    used = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values))), dtype=bool
    )
    for mask in (used, None):
        fast = _present(values, mask, None, distinct=True)
        hashed = _present(values, mask, None)
        assert fast[0].tolist() == hashed[0].tolist()
        assert fast[1].tolist() == hashed[1].tolist()


@pytest.mark.parametrize(
    "table, column, texts",
    [
        ("reaction", "response", ["3", "NA", "4", "na", "NA", "5"]),  # a note counting rows
        ("participants", "participant_id", ["P02", "P01", " P01", "P03", "P02"]),  # merged
        ("participants", "participant_id", ["P02", "P01", "P03", "P02"]),  # distinct path
        ("participants", "sex", ["L", "M", "P", "perempuan", "L"]),  # synonyms merge codes
        ("units", "first_trained_period", ["2024Q1", "2024 Q1", "Q2 2024", "2024Q1"]),
        ("comments", "text", ["baik", "hubungi 081234567890", "baik", "hubungi 081234567890"]),
    ],
)
def test_column_exact_equals_counted(table, column, texts):
    """A column the fast reader marks exact (no row counted per category unless a note
    needs it, positions from the sort when cleaning changed nothing) is parsed as it is
    when every category's rows are counted: the same values, categories, codes and notes
    (with the same numbers of cells)."""
    import numpy as np

    from toolkit.data import ProblemLog, _column

    col = next(c for c in TABLES[table].columns if c.name == column)
    distinct = list(dict.fromkeys(texts))
    cat = pd.Categorical.from_codes(
        np.array([distinct.index(t) for t in texts], dtype=np.int8),
        categories=pd.Index(distinct, dtype="str"),
    )
    results = []
    for exact in (True, False):
        log = ProblemLog()
        values, bad = _column(col, pd.Series(cat), table, f"{table}.csv", log, exact=exact)
        results.append((values, bad, list(log.notes), list(log.problems)))
    (v1, b1, n1, p1), (v2, b2, n2, p2) = results
    pd.testing.assert_series_equal(v1, v2, check_exact=True)
    if isinstance(v1.dtype, pd.CategoricalDtype):
        assert v1.cat.categories.tolist() == v2.cat.categories.tolist()
        assert v1.cat.codes.tolist() == v2.cat.codes.tolist()
    assert b1.tolist() == b2.tolist() and n1 == n2 and p1 == p2
    if column == "response":
        assert any("3 cell(s) written 'NA'" in n for n in n1)
    if column == "text":  # the phone number, in two rows
        assert any("in 2 cell(s) was replaced" in n for n in n1)
    if column == "participant_id":  # one code for " P01" and "P01"
        assert v1.cat.categories.tolist() == ["P01", "P02", "P03"]
    if column == "first_trained_period":
        assert v1.cat.categories.tolist() == ["2024Q1", "2024Q2"]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_line_feeds_of_a_mapped_file(tmp_path_factory, data):
    """The typed reader's count of line feeds in a mapped file, part by part (sizes around
    the parts' edges), equals ``bytes.count``; the pages let go as counted still read the
    same bytes."""
    import mmap

    from toolkit import readers

    size = data.draw(st.sampled_from([1, 2, 4095, 4097, (1 << 16) - 1, 1 << 16, (1 << 16) + 1,
                                      3 * (1 << 16) + 17]))  # fmt: skip
    import numpy as np

    seed = data.draw(st.integers(0, 2**32 - 1))
    raw = bytes(np.random.default_rng(seed).choice([10, 13, 44, 65], size=size).astype("u1"))
    path = tmp_path_factory.mktemp("lf") / "f.csv"
    path.write_bytes(raw)
    with open(path, "rb") as f:
        view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        assert readers._line_feeds(view) == raw.count(b"\n")
        assert view[:] == raw
    finally:
        view.close()


def _periods_rewritten(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Every quarter rewritten, as ``parse_periods`` does when one is not ``YYYYQn``."""
    s = text.astype("str").str.strip().str.upper().str.replace(r"[\s\-_/]", "", regex=True)
    year_first = s.str.extract(r"^(\d{4})Q([1-4])$")
    q_first = s.str.extract(r"^Q([1-4])(\d{4})$")
    values = year_first[0].fillna(q_first[1]) + "Q" + year_first[1].fillna(q_first[0])
    return values.astype("str"), values.isna() & s.ne("")


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.from_regex(r"\A[0-9]{4}Q[1-4]\Z"),
            st.sampled_from(
                ["", " ", "2024 q1", "Q3-2023", "2024Q5", "2024Q1 ", "٢٠٢٤Q1", "abcdQ1", "20x4Q3"]
            ),
            st.text(max_size=7),
        ),
        max_size=8,
    )
)
def test_parse_periods_written_as_kept_or_not(texts):
    """Quarters all written as they are kept (``YYYYQn``, or blank) skip the rewriting and
    give what rewriting every one gives; any other writing takes the rewriting."""
    from toolkit.readers import parse_periods

    text = pd.Series(texts, dtype="str")
    values, bad = parse_periods(text)
    expected_values, expected_bad = _periods_rewritten(text)
    pd.testing.assert_series_equal(values, expected_values, check_exact=True)
    assert bad.tolist() == expected_bad.tolist()
