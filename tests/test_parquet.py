"""Parquet in and out: ``load()`` of a Parquet folder, ``convert`` and its command line.

A folder written by :func:`toolkit.data.convert` must load to exactly the tables the CSV
folder loads to (values, dtypes, category order), for the sample and for other shapes of
data; a Parquet file the toolkit did not write (or that changed since) must be checked like
a CSV file with the same cells and give the same problems; ``convert`` must write nothing
when the data or the output folder cannot be used. The fast CSV reader is checked against
the general reader on the same cells.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import read_raw, write_raw
from shapes import make_shape

import toolkit
from toolkit.__main__ import main
from toolkit.data import PARQUET_MANIFEST, DataError, OutputFolderError, convert, load

SAMPLE = toolkit.SAMPLE_DATA


def assert_same(a, b) -> None:
    """Two EvaluationData hold the same tables: values, dtypes and category order."""
    assert a.present == b.present
    for name, left in a.tables().items():
        right = getattr(b, name)
        pd.testing.assert_frame_equal(left, right, check_exact=True)
        for col in left.columns:
            if isinstance(left[col].dtype, pd.CategoricalDtype):
                assert left[col].cat.categories.tolist() == right[col].cat.categories.tolist()
                assert left[col].cat.categories.dtype == right[col].cat.categories.dtype


def problems(exc: DataError) -> pd.DataFrame:
    """The problems without the file names (which differ between formats)."""
    return exc.problems.drop(columns="file").reset_index(drop=True)


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pq") / "sample.parquet"
    convert(SAMPLE, out)
    return out


# --------------------------------------------------------------------------- round trips


def test_sample_round_trip_equals_the_csv_load(converted, sample):
    again = load(converted)
    assert_same(sample, again)
    assert any("convert" in note for note in again.notes)
    files = sorted(p.name for p in converted.iterdir())
    assert files == sorted([PARQUET_MANIFEST] + [f"{n}.parquet" for n in sample.present])


@pytest.mark.parametrize(
    "source", ["csv", "parquet", "parquet:other_codes", "parquet:tiny_3_sessions"]
)
def test_loaded_tables_can_be_edited_in_place(converted, source, tmp_path):
    """Every column of a loaded table takes a cell assignment: no array pandas holds is a
    read-only view of Arrow's memory (the converted Parquet path once gave categorical codes
    and nullable integers that way: ``df.loc[0, "unit_id"] = ...`` raised ValueError). On
    the sample, as CSV and converted, and on converted data of two other shapes."""
    if ":" in source:
        shape = source.split(":")[1]
        folder = tmp_path / f"{shape}.parquet"
        convert(make_shape(shape, tmp_path / shape), folder)
    else:
        folder = converted if source == "parquet" else SAMPLE
    data = load(folder)
    edited = 0
    for df in data.tables().values():
        for j in range(df.shape[1] if len(df) else 0):
            df.iloc[0, j] = df.iloc[-1, j]
            first, last = df.iloc[0, j], df.iloc[-1, j]
            assert (pd.isna(first) and pd.isna(last)) or first == last
            edited += 1
    assert edited >= 75


def test_manifest_describes_every_file(converted):
    manifest = json.loads((converted / PARQUET_MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tool"] == "asn-training-toolkit"
    assert manifest["toolkit_version"] == toolkit.__version__
    for name, entry in manifest["tables"].items():
        path = converted / entry["file"]
        assert entry["file"] == f"{name}.parquet"
        assert entry["bytes"] == path.stat().st_size
        assert entry["rows"] == pq.ParquetFile(path).metadata.num_rows


def test_parquet_layout_is_the_documented_contract(converted, sample):
    """Columns in schema order, dictionary-encoded codes, int16 answers, timestamps."""
    from toolkit.schema import TABLES

    for name in sample.present:
        schema = pq.read_schema(converted / f"{name}.parquet")
        assert schema.names == TABLES[name].column_names
    reaction = pq.read_schema(converted / "reaction.parquet")
    assert pa.types.is_dictionary(reaction.field("item_code").type)
    assert reaction.field("response").type == pa.int16()
    sessions = pq.read_schema(converted / "sessions.parquet")
    assert pa.types.is_timestamp(sessions.field("start_date").type)


@pytest.mark.parametrize("shape", ["mixed_xlsx_csv", "other_codes", "core_only"])
def test_shapes_round_trip(shape, tmp_path):
    folder = make_shape(shape, tmp_path / shape)
    out = tmp_path / f"{shape}.parquet"
    convert(folder, out)
    assert_same(load(folder), load(out))


def test_subset_of_a_converted_folder(converted, sample):
    """``tables=`` reads a subset; the references among them are checked as for CSV."""
    part = load(converted, tables=["units", "participants"])
    pd.testing.assert_frame_equal(part.participants, sample.participants)
    assert part.present == ("units", "participants")


def test_mixed_formats_in_one_folder(converted, tmp_path, sample):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in sample.present:
        source = converted / f"{name}.parquet" if name in {"reaction", "sessions"} else None
        if source is None:
            shutil.copy(SAMPLE / f"{name}.csv", folder / f"{name}.csv")
        else:
            shutil.copy(source, folder / source.name)
    assert_same(sample, load(folder))


# --------------------------------------------------------------------------- bad Parquet


def _bad_sample(folder: Path) -> Path:
    """A copy of the sample with three problems: a method outside the list, an answer off
    its scale, attended hours above the session's."""
    folder.mkdir()
    for f in SAMPLE.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    sessions = read_raw(folder / "sessions.csv")
    sessions.loc[3, "method"] = "lokakarya2"
    write_raw(sessions, folder / "sessions.csv")
    reaction = read_raw(folder / "reaction.csv")
    reaction.loc[10, "response"] = "7"
    write_raw(reaction, folder / "reaction.csv")
    enr = read_raw(folder / "enrollments.csv")
    enr.loc[5, "attended_jp"] = "400"
    write_raw(enr, folder / "enrollments.csv")
    return folder


def test_hand_made_parquet_gets_the_csv_errors(tmp_path):
    csv_dir = _bad_sample(tmp_path / "csv")
    pq_dir = tmp_path / "pq"
    pq_dir.mkdir()
    for f in csv_dir.glob("*.csv"):
        read_raw(f).to_parquet(pq_dir / f"{f.stem}.parquet", index=False)
    with pytest.raises(DataError) as from_csv:
        load(csv_dir)
    with pytest.raises(DataError) as from_parquet:
        load(pq_dir)
    pd.testing.assert_frame_equal(problems(from_csv.value), problems(from_parquet.value))
    assert len(from_csv.value.problems) == 3
    assert set(from_parquet.value.problems["file"]) == {
        "sessions.parquet", "reaction.parquet", "enrollments.parquet"
    }  # fmt: skip
    assert "lokakarya2" in str(from_parquet.value)


def test_typed_hand_made_parquet_gets_the_same_errors(tmp_path):
    """Numbers stored as numbers (not text) are checked the same way."""
    csv_dir = _bad_sample(tmp_path / "csv")
    pq_dir = tmp_path / "pq"
    pq_dir.mkdir()
    for f in csv_dir.glob("*.csv"):
        pd.read_csv(f).to_parquet(pq_dir / f"{f.stem}.parquet", index=True)  # an index too
    with pytest.raises(DataError) as from_csv:
        load(csv_dir)
    with pytest.raises(DataError) as from_parquet:
        load(pq_dir)
    pd.testing.assert_frame_equal(problems(from_csv.value), problems(from_parquet.value))


def test_a_changed_converted_file_is_checked_again(converted, tmp_path):
    folder = tmp_path / "changed"
    shutil.copytree(converted, folder)
    reaction = pd.read_parquet(folder / "reaction.parquet")
    reaction["response"] = reaction["response"].where(reaction.index != 4, 42)
    reaction.to_parquet(folder / "reaction.parquet", index=False)
    with pytest.raises(DataError) as err:
        load(folder)
    bad = err.value.problems
    assert bad["file"].tolist() == ["reaction.parquet"]
    assert bad["row"].tolist() == [6]  # the fifth row, numbered as if under a header
    assert bad["value"].tolist() == [42]


def test_a_file_of_the_same_size_but_other_bytes_is_checked_again(converted, tmp_path):
    """The SHA-256 in the manifest is compared with the bytes read: a file of the recorded
    size whose digest differs is not trusted (its rows and the checks across tables run)."""
    folder = tmp_path / "other_bytes"
    shutil.copytree(converted, folder)
    manifest = json.loads((folder / PARQUET_MANIFEST).read_text(encoding="utf-8"))
    manifest["tables"]["units"]["sha256"] = "0" * 64
    (folder / PARQUET_MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    data = load(folder)
    assert not any("checks were not repeated" in note for note in data.notes)
    assert_same(load(converted), data)


def test_manifest_of_other_checks_is_not_trusted(converted, tmp_path, monkeypatch):
    folder = tmp_path / "old"
    shutil.copytree(converted, folder)
    manifest = json.loads((folder / PARQUET_MANIFEST).read_text(encoding="utf-8"))
    manifest["checks"] = 0
    (folder / PARQUET_MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    data = load(folder)
    assert not any("convert" in note for note in data.notes)
    assert_same(load(converted), data)


def test_unreadable_parquet_file(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    for f in SAMPLE.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    (folder / "reaction.csv").unlink()
    (folder / "reaction.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(DataError) as err:
        load(folder)
    assert err.value.problems["file"].tolist() == ["reaction.parquet"]
    assert "a Parquet file that can be read" in str(err.value)


def test_same_table_in_two_formats_names_both_files(converted, tmp_path):
    folder = tmp_path / "both"
    folder.mkdir()
    for f in SAMPLE.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    shutil.copy(converted / "units.parquet", folder / "units.parquet")
    with pytest.raises(DataError) as err:
        load(folder)
    assert "keep either units.csv or units.parquet, not both" in str(err.value)


def test_missing_column_in_parquet(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    for f in SAMPLE.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    read_raw(SAMPLE / "units.csv").drop(columns="trained").to_parquet(folder / "units.parquet")
    (folder / "units.csv").unlink()
    with pytest.raises(DataError) as err:
        load(folder)
    assert "units.parquet, column 'trained': expected a column named 'trained'" in str(err.value)


# --------------------------------------------------------------------------- convert


def test_convert_refuses_bad_data_and_writes_nothing(tmp_path):
    bad = _bad_sample(tmp_path / "bad")
    out = tmp_path / "out"
    with pytest.raises(DataError):
        convert(bad, out)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_convert_refuses_a_folder_it_did_not_write(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="not a Parquet folder written by this toolkit"):
        convert(SAMPLE, out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_convert_refuses_the_data_folder_and_its_insides(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    before = sorted(p.name for p in data.iterdir())
    for out in (data, data / "parquet", tmp_path):
        with pytest.raises(OutputFolderError, match="inside the data folder"):
            convert(data, out)
    assert sorted(p.name for p in data.iterdir()) == before


def test_convert_replaces_its_own_output_but_not_foreign_files(converted, tmp_path):
    out = tmp_path / "again"
    shutil.copytree(converted, out)
    convert(SAMPLE, out)  # a previous conversion: replaced
    assert (out / PARQUET_MANIFEST).exists()
    (out / "mine.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="mine.txt"):
        convert(SAMPLE, out)
    assert (out / "mine.txt").read_text(encoding="utf-8") == "x"


def test_convert_into_an_empty_folder(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    written = convert(SAMPLE, out)
    assert all(p.parent == out.resolve() for p in written)
    assert not any(p.name.startswith(".") and p.is_dir() for p in tmp_path.iterdir())


def test_cli_convert(tmp_path, capsys):
    out = tmp_path / "cli.parquet"
    assert main(["convert", "--data", str(SAMPLE), "--out", str(out)]) == 0
    assert "wrote 13 Parquet tables" in capsys.readouterr().out
    bad = _bad_sample(tmp_path / "bad")
    assert main(["convert", "--data", str(bad), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "cannot be used yet" in err and "lokakarya2" in err
    assert not (tmp_path / "x").exists()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.txt").write_text("a", encoding="utf-8")
    assert main(["convert", "--data", str(SAMPLE), "--out", str(tmp_path / "other")]) == 2
    assert "Nothing was converted" in capsys.readouterr().err


# --------------------------------------------------------------------------- fast CSV path


def _general_reader_copy(source: Path, target: Path) -> Path:
    """The same cells behind an Excel ``sep=,`` line, which only the general reader reads."""
    target.mkdir()
    for f in source.glob("*.csv"):
        (target / f.name).write_bytes(b"sep=,\n" + f.read_bytes())
    return target


def test_fast_reader_equals_general_reader_on_the_sample(tmp_path, sample):
    general = load(_general_reader_copy(SAMPLE, tmp_path / "general"))
    assert_same(sample, general)


def test_fast_reader_reports_like_the_general_reader(tmp_path):
    bad = _bad_sample(tmp_path / "bad")
    general = _general_reader_copy(bad, tmp_path / "general")
    with pytest.raises(DataError) as fast:
        load(bad)
    with pytest.raises(DataError) as slow:
        load(general)
    a, b = problems(fast.value), problems(slow.value)
    # the general copy has one line more above the header
    b["row"] = b["row"].astype("Int64") - 1
    pd.testing.assert_frame_equal(a.astype({"row": "Int64"}), b)


def test_fast_reader_falls_back_column_by_column(tmp_path, sample):
    """Decimal commas and 'tidak tahu' are not Arrow numbers: those columns are read as text
    and parsed as before, the others stay on the fast path."""
    folder = tmp_path / "data"
    folder.mkdir()
    for f in SAMPLE.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    enr = read_raw(folder / "enrollments.csv")
    enr["attended_jp"] = enr["attended_jp"].str.replace(".", ",", regex=False)
    write_raw(enr, folder / "enrollments.csv", sep=";")
    reaction = read_raw(folder / "reaction.csv")
    reaction["response"] = reaction["response"].replace("99", "tidak tahu")
    write_raw(reaction, folder / "reaction.csv")
    data = load(folder)
    pd.testing.assert_frame_equal(data.enrollments, sample.enrollments)
    pd.testing.assert_frame_equal(data.reaction, sample.reaction)
    assert np.array_equal(data.reaction["response"].isna(), sample.reaction["response"].isna())


def test_sample_tables_take_the_fast_path():
    """Every sample table is read by the Arrow reader in its types (else the equality tests
    above would compare the general reader with itself)."""
    from toolkit.data import _read_fast
    from toolkit.errors import ProblemLog

    for path in sorted(SAMPLE.glob("*.csv")):
        if path.stem in {"evaluation_plan"}:
            continue
        raw = _read_fast(path.stem, path, ProblemLog())
        assert raw is not None, path.name
        assert not any(pd.api.types.is_object_dtype(s.dtype) for s in raw.values())
    raw = _read_fast("reaction", SAMPLE / "reaction.csv", ProblemLog())
    assert str(raw["response"].dtype) == "Int16"
    assert isinstance(raw["item_code"].dtype, pd.CategoricalDtype)
