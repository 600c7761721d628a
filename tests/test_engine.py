"""The DuckDB engine gives the pandas functions' tables, and never loads tables into pandas.

The reference of every DuckDB result is the toolkit's own pandas function on the same
tables (:func:`toolkit.participation.jp_fulfilment`, :func:`~toolkit.participation.
attendance_summary`, :func:`~toolkit.participation.absence_reasons`,
:func:`toolkit.reaction.likert_summary`, :func:`~toolkit.reaction.net_promoter_score`,
:func:`toolkit.results.ikm`, :func:`toolkit.providers.session_table`), each tested against
independent references in its own test module; here the two engines must agree on columns,
dtypes, row order and values (to 1e-9) on the sample and on data of other shapes
(:mod:`tests.shapes`), for several groupings. A small hand-worked example checks the 20 JP
figures directly.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapes

import toolkit
from toolkit import data as data_module
from toolkit import engine, synth
from toolkit.engine import _duckdb

SHAPE_NAMES = ("methods_3", "other_codes", "tiny_3_sessions", "nps_would_recommend")


def _write(data: data_module.EvaluationData, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in data.tables().items():
        df.to_parquet(folder / f"{name}.parquet")
    return folder


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> dict[str, tuple[data_module.EvaluationData, Path]]:
    root = tmp_path_factory.mktemp("engine")
    out = {"sample": data_module.load(toolkit.SAMPLE_DATA)}
    out["synth_seed_31"] = synth.generate(seed=31, scale=0.6)
    for name in SHAPE_NAMES:
        out[name] = shapes.build(name)
    return {k: (d, _write(d, root / k)) for k, d in out.items()}


def _same(fn: str, data, folder: Path, **kw) -> pd.DataFrame:
    a = getattr(engine, fn)(data, engine="pandas", **kw)
    b = getattr(engine, fn)(folder, engine="duckdb", **kw)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-9)
    return b


CASES = [
    ("jp_fulfilment", {}),
    ("jp_fulfilment", {"by": "unit_id"}),
    ("jp_fulfilment", {"by": ["grade", "sex"]}),
    ("jp_fulfilment", {"by": "service_type"}),  # a column of units
    ("jp_fulfilment", {"by": "position_type", "year_by": "prorate", "target": 12}),
    ("jp_fulfilment", {"by": "unit_id", "year_by": "start", "min_group": 10}),
    ("jp_distribution", {}),
    ("jp_distribution", {"year_by": "prorate", "bins": (5, 20)}),
    ("attendance_summary", {}),
    ("attendance_summary", {"by": "unit_id"}),
    ("attendance_summary", {"by": ["method", "schedule"]}),
    ("attendance_summary", {"by": ["service_type", "grade"], "confidence": 0.9}),
    ("attendance_summary", {"by": ["trained", "first_trained_period"]}),  # bool, with NaN
    ("absence_reasons", {}),
    ("absence_reasons", {"by": "schedule"}),
    ("absence_reasons", {"by": ["unit_id", "provider"]}),
    ("likert_summary", {}),
    ("likert_summary", {"by": "program"}),
    ("likert_summary", {"by": ["provider", "unit_id"], "reverse": True}),
    ("likert_summary", {"by": "service_type", "confidence": 0.9}),
    ("net_promoter_score", {}),
    ("net_promoter_score", {"by": "provider"}),
    ("net_promoter_score", {"by": ["program", "unit_id"], "method": "wald"}),
    ("net_promoter_score", {"by": "method", "method": "bootstrap", "n_boot": 300}),
    ("ikm", {}),
    ("ikm", {"by": "unit_id"}),
    ("ikm", {"by": ["service_type", "period"]}),
    ("ikm", {"by": None}),
    ("ikm", {"by": ["trained", "period"]}),
    ("costs", {}),
    ("costs", {"by": "program"}),
    ("costs", {"by": ["method", "schedule"], "categories": "all"}),
    ("costs", {"by": None, "categories": ["materials", "facilitator_fees"]}),
]


#: On the other shapes: one grouping per function.
SHAPE_CASES = [CASES[i] for i in (2, 4, 7, 10, 15, 18, 22, 26, 30)]


def _cases():
    for name in ("sample", "synth_seed_31"):
        for i, (fn, kw) in enumerate(CASES):
            yield pytest.param(name, fn, kw, id=f"{name}-{fn}-{i}")
    for name in SHAPE_NAMES:
        for fn, kw in SHAPE_CASES:
            yield pytest.param(name, fn, kw, id=f"{name}-{fn}-{'-'.join(map(str, kw.values()))}")


@pytest.mark.parametrize(("name", "fn", "kw"), list(_cases()))
def test_duckdb_equals_pandas(datasets, name, fn, kw):
    data, folder = datasets[name]
    if fn in ("likert_summary", "net_promoter_score") and data.reaction.empty:
        pytest.skip("no reaction answers in this shape")
    out = _same(fn, data, folder, **kw)
    assert len(out) > 0


def test_other_options_agree(datasets):
    data, folder = datasets["sample"]
    items = sorted(data.reaction["item_code"].astype("str").unique())[:3][::-1]
    _same("likert_summary", data, folder, by="session_id", items=items)
    _same("jp_fulfilment", data, folder, by="unit_id", year=[2024], nonclassical=())
    weights = {f"u{j}": (0.2 if j == 1 else 0.1) for j in range(1, 10)}
    _same("ikm", data, folder, by="period", weights=weights)
    _same("ikm", data, folder, by="unit_id", elements=["u1", "u2", "u3"])
    nps_item = data.instruments.loc[data.instruments["scale_max"] == 10, "item_code"]
    _same("net_promoter_score", data, folder, item=str(nps_item.iloc[0]), by="grade")


def test_suppression_is_applied_in_both(datasets):
    """Small groups are blanked, with complementary suppression, identically."""
    data, folder = datasets["tiny_3_sessions"]
    out = _same("attendance_summary", data, folder, by=["unit_id", "grade"])
    assert out["suppressed"].any() and out.loc[out["suppressed"], "n_invited"].isna().all()
    out = _same("jp_fulfilment", data, folder, by=["unit_id", "age_band"])
    assert out["suppressed"].any() and out.loc[out["suppressed"], "mean_jp"].isna().all()


# --------------------------------------------------------------------------- by hand
def _hand_folder(tmp_path: Path) -> Path:
    """Six people in two units, three sessions: the 20 JP figures can be worked by hand."""
    ses = pd.DataFrame({
        "session_id": ["S1", "S2", "S3"], "program": "p",
        "method": pd.Categorical(["workshop", "e_learning", "seminar"]),
        "provider": "internal",
        "start_date": pd.to_datetime(["2024-03-01", "2024-05-01", "2024-12-30"]),
        "end_date": pd.to_datetime(["2024-03-03", "2024-05-02", "2025-01-02"]),
        "jp": [24, 12, 8], "schedule": "office_hours",
    })  # fmt: skip
    people = pd.DataFrame({
        "participant_id": [f"P-{i}" for i in "abcdef"], "unit_id": ["U1"] * 3 + ["U2"] * 3,
        "grade": "III", "sex": "F", "position_type": "executor", "age_band": "30-39",
    })  # fmt: skip
    enr = pd.DataFrame({
        "participant_id": ["P-a", "P-a", "P-b", "P-c", "P-d", "P-d", "P-e"],
        "session_id": ["S1", "S2", "S2", "S3", "S1", "S3", "S1"],
        "attended_jp": [24.0, 12.0, 12.0, 8.0, 16.0, 8.0, 0.0],
        "completed": True, "absence_reason": None,
    })  # fmt: skip
    for name, df in (("sessions", ses), ("participants", people), ("enrollments", enr)):
        df.to_parquet(tmp_path / f"{name}.parquet")
    return tmp_path


def test_jp_fulfilment_by_hand(tmp_path):
    folder = _hand_folder(tmp_path)
    out = engine.jp_fulfilment(folder, engine="duckdb", year=2024, min_group=0)
    # 2024 (sessions counted in the year they end; S3 ends in 2025):
    # a = 24 + 12 = 36, b = 12, c = 0, d = 16, e = 0, f = 0 -> n 6, 1 meets 20,
    # mean 64 / 6, median (0 + 12) / 2 = 6, 3 with zero, classical 24 + 16 = 40,
    # non-classical 24, shortfall 0 + 8 + 20 + 4 + 20 + 20 = 72.
    row = out.iloc[0]
    assert (row["year"], row["n"], row["n_meeting"], row["n_zero"]) == (2024, 6, 1, 3)
    assert row["mean_jp"] == pytest.approx(64 / 6, abs=1e-12)
    assert row["median_jp"] == pytest.approx(6.0, abs=1e-12)
    assert row["mean_classical"] == pytest.approx(40 / 6, abs=1e-12)
    assert row["mean_nonclassical"] == pytest.approx(24 / 6, abs=1e-12)
    assert row["total_shortfall"] == pytest.approx(72.0, abs=1e-12)
    # Wilson 1/6 at 95 %: statsmodels 0.14 proportion_confint(1, 6, method="wilson") gives
    # (0.030053369748306635, 0.5635028221864703).
    assert row["ci_low"] == pytest.approx(0.030053369748306635, abs=1e-12)
    assert row["ci_high"] == pytest.approx(0.5635028221864703, abs=1e-12)
    # bands of 2024: 0 JP c, e, f; [10, 20) b (12) and d (16); [20, 40) a (36)
    dist = engine.jp_distribution(folder, engine="duckdb", year=2024)
    assert dist["n"].tolist() == [3, 0, 2, 1, 0]
    assert dist["share"].tolist() == pytest.approx([0.5, 0, 1 / 3, 1 / 6, 0], abs=1e-12)
    # prorated: S3 runs 30 Dec - 2 Jan, 2 of its 4 days in 2024: 8 JP -> 4 in 2024
    pro = engine.jp_fulfilment(folder, engine="duckdb", year=2024, year_by="prorate",
                               min_group=0)  # fmt: skip
    assert pro.iloc[0]["mean_jp"] == pytest.approx((64 + 4 + 4) / 6, abs=1e-12)
    # by unit: U1 = {36, 12, 0}, U2 = {16, 0, 0}; three people each, so both suppressed
    by_unit = engine.jp_fulfilment(folder, engine="duckdb", year=2024, by="unit_id")
    assert by_unit["suppressed"].tolist() == [True, True]
    shown = engine.jp_fulfilment(folder, engine="duckdb", year=2024, by="unit_id", min_group=3)
    assert shown["mean_jp"].tolist() == pytest.approx([16.0, 16 / 3], abs=1e-12)


# --------------------------------------------------------------------------- no pandas load
def test_duckdb_path_never_loads_tables_into_pandas(datasets, monkeypatch):
    _, folder = datasets["sample"]

    def refuse(*args, **kwargs):
        raise AssertionError("the DuckDB engine called a pandas loader")

    monkeypatch.setattr(data_module, "load", refuse)
    monkeypatch.setattr(data_module, "read_table", refuse)
    monkeypatch.setattr(pd, "read_parquet", refuse)
    monkeypatch.setattr(pd, "read_csv", refuse)
    for fn, kw in CASES:
        out = getattr(engine, fn)(folder, engine="duckdb", **kw)
        assert len(out)
    monkeypatch.setattr(engine, "AUTO_THRESHOLD_BYTES", 0)  # auto picks DuckDB: no load
    assert len(engine.jp_fulfilment(folder, by="unit_id")) > 0


# --------------------------------------------------------------------------- choosing
def test_auto_threshold(datasets, monkeypatch):
    data, folder = datasets["sample"]
    tables = ["enrollments", "sessions", "participants"]
    size = engine.parquet_bytes(folder, tables)
    assert size == sum((folder / f"{t}.parquet").stat().st_size for t in tables) > 0
    monkeypatch.setattr(engine, "AUTO_THRESHOLD_BYTES", size)
    assert engine.choose_engine(folder, tables=tables) == "pandas"  # not above it
    monkeypatch.setattr(engine, "AUTO_THRESHOLD_BYTES", size - 1)
    assert engine.choose_engine(folder, tables=tables) == "duckdb"
    assert engine.choose_engine(folder, "pandas", tables=tables) == "pandas"
    assert engine.choose_engine(data, tables=tables) == "pandas"  # in memory: pandas
    assert engine.choose_engine(folder, tables=["no_such_table"]) == "pandas"
    with pytest.raises(ValueError, match="folder of Parquet"):
        engine.choose_engine(data, "duckdb")
    with pytest.raises(FileNotFoundError, match="no_such_table.parquet"):
        engine.choose_engine(folder, "duckdb", tables=["no_such_table"])
    with pytest.raises(ValueError, match="engine"):
        engine.choose_engine(folder, "spark")
    assert size - 1 == engine.AUTO_THRESHOLD_BYTES


def test_default_threshold_is_documented():
    assert engine.AUTO_THRESHOLD_BYTES == 32 * 2**20
    assert "(32 MiB)" in engine.__doc__


# --------------------------------------------------------------------------- resources
def test_connection_settings_and_temporary_folder(datasets, monkeypatch, tmp_path):
    _, folder = datasets["sample"]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with _duckdb.connect(folder, ["enrollments"], "123MB") as con:
        threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        temp = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
        assert int(threads) == 2
        assert limit.replace(" ", "").upper().startswith(("117", "123"))  # MiB or MB shown
        assert Path(temp).parent == tmp_path and Path(temp).is_dir()
        assert con.execute("SELECT count(*) FROM enrollments").fetchone()[0] > 0
    assert not list(tmp_path.iterdir())  # the spill folder is removed afterwards
    engine.ikm(folder, engine="duckdb", memory_limit="200MB")
    assert not list(tmp_path.iterdir())
    with pytest.raises(Exception, match="(?i)memory"):  # DuckDB refuses the setting
        engine.ikm(folder, engine="duckdb", memory_limit="plenty")
    assert not list(tmp_path.iterdir())  # removed even when DuckDB did not start


def test_import_is_lazy():
    import subprocess
    import sys

    code = "import sys, toolkit.engine; print('duckdb' in sys.modules, 'scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --------------------------------------------------------------------------- bad input
def test_errors_match(datasets, tmp_path):
    data, folder = datasets["sample"]
    for eng, d in (("pandas", data), ("duckdb", folder)):
        with pytest.raises(KeyError, match="unit_idx"):
            engine.attendance_summary(d, by="unit_idx", engine=eng)
    bad = _write(data, tmp_path / "bad")
    enr = data.enrollments.copy()
    enr["session_id"] = enr["session_id"].cat.rename_categories(
        lambda s: "S99" if s == enr["session_id"].iloc[0] else s
    )
    enr.to_parquet(bad / "enrollments.parquet")
    with pytest.raises(ValueError, match="sessions"):
        engine.attendance_summary(bad, engine="duckdb")
    with pytest.raises(ValueError, match="sessions"):
        engine.jp_fulfilment(bad, engine="duckdb")
    ikm = data.ikm_responses.copy()
    ikm["u3"] = ikm["u3"].astype("Int16").where(ikm.index != 5, 7)
    ikm.to_parquet(bad / "ikm_responses.parquet")
    for eng, d in (("pandas", ikm), ("duckdb", bad)):
        with pytest.raises(ValueError, match="'u3' must hold whole numbers 1-4.*e.g. 7"):
            if eng == "pandas":
                from toolkit import results

                results.ikm(d, by=["unit_id", "period"])
            else:
                engine.ikm(d, engine="duckdb")
    rx = data.reaction.copy()
    rx["response"] = rx["response"].where(rx.index != 0, 42).astype("Int16")
    rx.to_parquet(bad / "reaction.parquet")
    with pytest.raises(ValueError, match="off their item's scale"):
        engine.likert_summary(bad, engine="duckdb")


def test_nps_needs_an_item_in_both(datasets):
    data, folder = datasets["sample"]
    data2 = shapes.build("no_nps_item")
    folder2 = _write(data2, folder.parent / "no_nps_item")
    for eng, d in (("pandas", data2), ("duckdb", folder2)):
        with pytest.raises(ValueError, match="cannot tell which item"):
            engine.net_promoter_score(d, engine=eng)
    assert np.isfinite(engine.net_promoter_score(folder, engine="duckdb")["estimate"]).all()


def test_converted_folder(datasets, tmp_path):
    """The folder ``python -m toolkit convert`` writes: both engines read it alike."""
    convert = getattr(data_module, "convert", None)
    if convert is None:  # pragma: no cover - until the converter exists
        pytest.skip("toolkit.data.convert is not available")
    data, _ = datasets["sample"]
    folder = tmp_path / "sample.parquet"
    convert(toolkit.SAMPLE_DATA, folder)
    for fn, kw in [CASES[i] for i in (1, 6, 10, 15, 18, 22, 26, 30)]:
        b = getattr(engine, fn)(folder, engine="duckdb", **kw)
        for a in (
            getattr(engine, fn)(folder, engine="pandas", **kw),  # load() of the Parquet
            getattr(engine, fn)(data, engine="pandas", **kw),  # the CSV sample in memory
        ):
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-9)
