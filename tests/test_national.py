"""National-shape synthetic data (toolkit.synth.write_national): determinism, chunking,
dtypes of load(), row-count targets, structure, and the engine over its Parquet folder."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from toolkit import data as data_module
from toolkit.data import EvaluationData, empty_table
from toolkit.schema import TABLES
from toolkit.synth import write_national
from toolkit.synth._national import (
    BLOCK,
    HIERARCHY_COLUMNS,
    NATIONAL_ENROLLMENTS,
    NATIONAL_IKM,
    NATIONAL_PARTICIPANTS,
    NATIONAL_REACTION,
    NATIONAL_TABLES,
    PROVINCES,
)

SMALL = {"participants": 20_000, "agencies": 60, "seed": 3}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    rows = write_national(out, chunk_people=BLOCK, **SMALL)
    return out, rows


def _read(path, name) -> pd.DataFrame:
    return pd.read_parquet(path / f"{name}.parquet")


def _decoded(df: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as text: row contents, whatever the dictionaries of the row groups."""
    return df.apply(lambda s: s.astype("str") if isinstance(s.dtype, pd.CategoricalDtype) else s)


def test_same_seed_same_bytes_other_seed_other_rows(folder, tmp_path):
    path, _ = folder
    write_national(tmp_path / "a", chunk_people=BLOCK, **SMALL)
    for name in NATIONAL_TABLES:
        assert (tmp_path / "a" / f"{name}.parquet").read_bytes() == (
            path / f"{name}.parquet"
        ).read_bytes(), name
    write_national(tmp_path / "b", chunk_people=BLOCK, **{**SMALL, "seed": 4})
    a, b = _read(path, "participants"), _read(tmp_path / "b", "participants")
    assert set(a["participant_id"]).isdisjoint(set(b["participant_id"]))


def test_chunk_boundaries_do_not_change_rows(folder, tmp_path):
    """One chunk of everyone, or chunks of 8192 people (three chunks), or 16384: same rows."""
    path, _ = folder
    for chunk in (10**6, 2 * BLOCK):
        other = tmp_path / f"chunk{chunk}"
        write_national(other, chunk_people=chunk, **SMALL)
        for name in NATIONAL_TABLES:
            a, b = _decoded(_read(path, name)), _decoded(_read(other, name))
            pd.testing.assert_frame_equal(a, b, obj=f"{name} (chunk_people={chunk})")
    # The chunking did differ: row groups of the small-chunk file are more numerous.
    assert pq.ParquetFile(path / "enrollments.parquet").metadata.num_row_groups == 3
    whole = tmp_path / f"chunk{10**6}" / "enrollments.parquet"
    assert pq.ParquetFile(whole).metadata.num_row_groups == 1


def test_columns_and_dtypes_are_those_of_load(folder):
    path, _ = folder
    for name in NATIONAL_TABLES:
        got = _read(path, name)
        want = empty_table(name)
        extra = list(HIERARCHY_COLUMNS) if name == "units" else []
        assert got.columns.tolist() == want.columns.tolist() + extra, name
        for col in want.columns:
            if TABLES[name].column(col).kind == "date":
                # Parquet has no second unit: seconds are stored (and read back) as ms.
                assert got[col].dtype == "datetime64[ms]", (name, col)
                continue
            assert str(got[col].dtype) == str(want[col].dtype), (name, col)
            fixed = TABLES[name].column(col).categories
            if fixed is not None:  # fixed vocabularies: the schema's categories, in order
                assert got[col].cat.categories.tolist() == list(fixed), (name, col)
        for col in extra:
            assert isinstance(got[col].dtype, pd.CategoricalDtype)
        # Pseudonyms have the toolkit's format; the key of every table is unique.
        key = list(TABLES[name].key)
        if key:
            assert not got.duplicated(key).any(), name
        if "participant_id" in got:
            assert got["participant_id"].astype("str").str.fullmatch(r"P-[0-9a-f]{16}").all()


def test_row_counts_hit_the_national_targets_at_small_scale(folder):
    _, rows = folder
    scale = SMALL["participants"] / NATIONAL_PARTICIPANTS
    assert rows["participants"] == SMALL["participants"]
    assert rows["ikm_responses"] == round(NATIONAL_IKM * scale)
    assert rows["enrollments"] == pytest.approx(NATIONAL_ENROLLMENTS * scale, rel=0.05)
    assert rows["reaction"] == pytest.approx(NATIONAL_REACTION * scale, rel=0.06)
    assert rows["reaction"] % 8 == 0  # eight items per respondent


def test_structure_is_nested_and_consistent(folder):
    path, _ = folder
    t = {n: _read(path, n) for n in NATIONAL_TABLES}
    units = t["units"]
    # Agencies nest in regions; units in agencies (the unit code starts with its agency's).
    assert units.groupby("agency_id", observed=True)["region_id"].nunique().eq(1).all()
    prefix = units["unit_id"].astype("str").str.rsplit("-U", n=1).str[0]
    assert prefix.eq(units["agency_id"].astype("str")).all()
    assert units["agency_id"].nunique() == SMALL["agencies"]
    kinds = units.drop_duplicates("agency_id")["agency_type"].value_counts()
    assert kinds["central"] == round(SMALL["agencies"] * 78 / 624)
    assert kinds["province"] == min(len(PROVINCES), SMALL["agencies"] - kinds["central"])
    central = units["agency_type"].eq("central")
    assert units.loc[central, "region_id"].eq("00").all()
    assert units.loc[~central, "region_id"].isin([p[0] for p in PROVINCES]).all()
    # References hold, attended hours stay within the session's JP, sessions stay in a year.
    enr, ses = t["enrollments"], t["sessions"]
    assert enr["participant_id"].isin(t["participants"]["participant_id"]).all()
    assert t["participants"]["unit_id"].isin(units["unit_id"]).all()
    jp = enr["session_id"].astype("str").map(ses.set_index(ses["session_id"].astype("str"))["jp"])
    assert (enr["attended_jp"] <= jp).all() and jp.notna().all()
    assert (enr["absence_reason"].isna() == (enr["attended_jp"] == jp)).all()
    assert (ses["start_date"].dt.year == ses["end_date"].dt.year).all()
    assert set(ses["start_date"].dt.year) == {2024, 2025}
    keys = ["participant_id", "session_id"]
    pairs = pd.MultiIndex.from_frame(enr[keys].astype("str"))
    assert pd.MultiIndex.from_frame(t["reaction"][keys].astype("str")).isin(pairs).all()
    resp = t["reaction"]
    r08 = resp.loc[resp["item_code"].eq("R08"), "response"].dropna()
    assert r08.between(0, 10).all() and r08.nunique() == 11  # the 0-10 NPS item
    assert t["ikm_responses"]["unit_id"].isin(units["unit_id"]).all()
    assert t["costs"]["session_id"].dropna().isin(ses["session_id"]).all()


def test_fulfilment_varies_by_agency_and_is_lower_for_pppk(folder):
    """Honest structure: the 20 JP share differs between agencies, PPPK below PNS."""
    from toolkit import participation

    path, _ = folder
    t = {n: _read(path, n) for n in ("units", "participants", "sessions", "enrollments")}
    people = t["participants"].merge(t["units"][["unit_id", "agency_id"]], on="unit_id")
    res = participation.jp_fulfilment(
        t["enrollments"], t["sessions"], participants=people, by=["agency_id"]
    )
    share = res.groups.loc[res.groups["year"] == 2025, "share_meeting"]
    assert share.max() - share.min() > 0.25
    people["pppk"] = people["grade"].eq("PPPK")
    by = participation.jp_fulfilment(
        t["enrollments"], t["sessions"], participants=people, by=["pppk"]
    ).groups.set_index(["pppk", "year"])["share_meeting"]
    assert (by.loc[True] < by.loc[False] - 0.1).all()


def test_duckdb_engine_matches_pandas_on_the_national_folder(folder):
    engine = pytest.importorskip("toolkit.engine", reason="toolkit.engine is not available")
    path, _ = folder
    frames = {n: empty_table(n) for n in TABLES}
    frames.update({n: _read(path, n) for n in NATIONAL_TABLES})
    mem = EvaluationData(**frames, present=NATIONAL_TABLES)
    for by in ("region_name", "agency_id", "grade"):
        a = engine.jp_fulfilment(path, by=by, engine="duckdb")
        b = engine.jp_fulfilment(mem, by=by, engine="pandas")
        a, b = (x.astype({by: "str"}).sort_values([by, "year"], ignore_index=True) for x in (a, b))
        assert a[by].tolist() == b[by].tolist()
        assert a["n"].tolist() == b["n"].tolist()
        for col in ("share_meeting", "mean_jp", "median_jp"):
            np.testing.assert_allclose(a[col], b[col], atol=1e-9, err_msg=f"{by}: {col}")


def test_load_reads_the_national_folder(folder):
    if ".parquet" not in getattr(data_module, "SUFFIXES", ()):
        pytest.skip("toolkit.data.load() does not read Parquet yet (issue 16, item 2)")
    path, rows = folder
    loaded = data_module.load(path)
    for name in NATIONAL_TABLES:
        df = getattr(loaded, name)
        assert len(df) == rows[name], name
        want = empty_table(name)
        assert df.columns.tolist() == want.columns.tolist(), name  # hierarchy columns dropped
        assert [str(d) for d in df.dtypes] == [str(d) for d in want.dtypes], name


def test_bad_arguments_and_existing_files(tmp_path):
    with pytest.raises(ValueError, match="agencies"):
        write_national(tmp_path, participants=1000, agencies=5)
    with pytest.raises(ValueError, match="at least 10 per agency"):
        write_national(tmp_path, participants=500, agencies=60)
    with pytest.raises(ValueError, match="whole number"):
        write_national(tmp_path, participants=2000.5, agencies=60)
    mine = tmp_path / "units.parquet"
    mine.write_bytes(b"not mine")
    other = tmp_path / "notes.txt"
    other.write_text("keep")
    with pytest.raises(FileExistsError, match="units.parquet"):
        write_national(tmp_path, participants=1000, agencies=10)
    assert mine.read_bytes() == b"not mine" and other.read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "units.parquet"]
    rows = write_national(tmp_path, participants=1000, agencies=10, overwrite=True)
    assert rows["participants"] == 1000 and other.read_text() == "keep"
