"""Writing the synthetic data: CSV tables, truth.json and the raw roster workbook.

Everything written here is byte-deterministic: fixed formats for every column kind, "\\n"
line endings, sorted JSON keys, and a workbook whose time stamps and zip entries are fixed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.data import EvaluationData
from toolkit.schema import GRADES, POSITION_TYPES, TABLES
from toolkit.synth import _bank as bank

#: Time stamp written into the workbook (its properties and every zip entry).
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)


# ----------------------------------------------------------------------------- CSV
def _format_floats(x: np.ndarray) -> np.ndarray:
    """Shortest plain text of each number, at most 6 decimals; whole numbers without ".0"."""
    missing = np.isnan(x)
    r = np.round(np.where(missing, 0.0, x), 6)
    whole = r == np.floor(r)
    ints = np.where(whole, r, 0.0).astype(np.int64).astype(str)
    decimals = np.char.rstrip(np.char.rstrip(np.char.mod("%.6f", r), "0"), ".")
    return np.where(missing, "", np.where(whole, ints, decimals)).astype(object)


def csv_frame(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The table as text cells, in the file format of the data model."""
    out = {}
    for col in TABLES[name].columns:
        s = df[col.name]
        missing = s.isna().to_numpy()
        if col.kind == "bool":
            text = np.where(s.to_numpy(bool), "true", "false").astype(object)
        elif col.kind == "date":
            text = np.asarray(s.dt.strftime("%Y-%m-%d").to_numpy(object))
        elif col.kind == "float":
            text = _format_floats(s.to_numpy(float, na_value=np.nan))
        elif col.kind in {"int", "small_int"}:
            text = s.to_numpy("int64", na_value=0).astype(str).astype(object)
        else:
            text = s.astype(object).to_numpy(object)
        out[col.name] = np.where(missing, "", text).astype(object)
    return pd.DataFrame(out)


def csv_bytes(name: str, df: pd.DataFrame) -> bytes:
    """UTF-8 (no BOM), comma-separated, "\\n" line endings, no index."""
    buf = io.StringIO()
    csv_frame(name, df).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


# ----------------------------------------------------------------------------- JSON
def _plain(obj):
    """JSON-ready copy: numpy types to Python, floats rounded to 6 decimals, NaN to None."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | np.ndarray):
        return [_plain(v) for v in obj]
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        v = float(obj)
        if math.isnan(v):
            return None
        v = round(v, 6)
        return 0.0 if v == 0 else v
    return obj


def json_bytes(obj: dict) -> bytes:
    text = json.dumps(_plain(obj), sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


# ----------------------------------------------------------------------------- roster
def make_roster(builder, n: int) -> pd.DataFrame:
    """First ``n`` participants (table order) with NIP, a fake name, unit, position, grade."""
    people, units = builder.people, builder.units
    n = min(n, people.n)
    rng = builder.rng("names")
    u = rng.random((n, 3))  # row i uses draws 3i..3i+2: a longer roster keeps the first rows
    female = people.female[:n]
    names = []
    for sex in ("M", "F"):
        first = np.array(bank.FIRST_NAMES[sex], dtype=object)
        last = np.array(bank.LAST_NAMES[sex], dtype=object)
        names.append(
            first[(u[:, 0] * first.size).astype(int)]
            + " "
            + last[(u[:, 1] * last.size).astype(int)]
        )
    nama = np.where(female, names[1], names[0])
    degrees = np.array(
        ["", "", ", S.E.", ", S.Sos.", ", S.H.", ", S.Kom.", ", A.Md."], dtype=object
    )
    nama = nama + degrees[(u[:, 2] * degrees.size).astype(int)]
    return pd.DataFrame(
        {
            "nip": people.nip[:n].astype(str),
            "nama": nama.astype(str),
            "unit_id": units.id[people.unit[:n]].astype(str),
            "position_type": np.array(POSITION_TYPES)[people.pos[:n]],
            "grade": np.array(GRADES)[people.grade[:n]],
        }
    )


def xlsx_bytes(df: pd.DataFrame, sheet: str = "roster") -> bytes:
    """A small workbook of ``df`` (every cell text), byte-deterministic (:func:`fixed_zip`)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(df.columns))
    for row in df.itertuples(index=False, name=None):
        ws.append([str(v) for v in row])
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            cell.number_format = "@"
    for letter, width in zip("ABCDE", (22, 34, 10, 14, 8), strict=False):
        ws.column_dimensions[letter].width = width
    wb.properties.creator = "toolkit.synth"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    wb.save(raw)
    return fixed_zip(raw.getvalue())


def fixed_zip(workbook: bytes) -> bytes:
    """An .xlsx (a zip) with every time stamp set to :data:`FIXED_TIME`, re-packed stored.

    openpyxl writes the current time into ``docProps/core.xml`` and the zip entries; both
    are replaced, and the archive is re-packed uncompressed in openpyxl's entry order, so
    that the bytes depend neither on the clock nor on the zlib build.
    """
    raw = io.BytesIO(workbook)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(
                        rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)",
                        rf"\g<1>{stamp}\g<2>",
                        text,
                    )
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_STORED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            zout.writestr(entry, data)
    return out.getvalue()


# ----------------------------------------------------------------------------- files
def write_files(
    data: EvaluationData,
    directory: Path,
    *,
    truth: dict | None = None,
    roster: pd.DataFrame | None = None,
    exports: dict[str, pd.DataFrame] | None = None,
) -> list[Path]:
    """Write tables, truth.json, raw/roster.xlsx and raw/ exports; never touches other files."""
    directory.mkdir(parents=True, exist_ok=True)
    names = list(data.present) or list(TABLES)
    written = []
    for name in names:
        path = directory / f"{name}.csv"
        path.write_bytes(csv_bytes(name, getattr(data, name)))
        written.append(path)
    if truth is not None:
        path = directory / "truth.json"
        path.write_bytes(json_bytes(truth))
        written.append(path)
    if roster is not None:
        path = directory / "raw" / "roster.xlsx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(xlsx_bytes(roster))
        written.append(path)
    for name, df in (exports or {}).items():
        path = directory / "raw" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(df.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        written.append(path)
    return written
