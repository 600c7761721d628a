"""Loading and validating the evaluation tables.

:func:`load` reads a directory of CSV or XLSX files (one file per table, named after the
table: ``units.csv``, ``reaction.xlsx`` …) into one :class:`EvaluationData` of typed tables:
categoricals for codes, small nullable integers for answers, real dates and booleans. It
checks every file against the schemas of :mod:`toolkit.schema` (with pandera), then checks
the tables against each other (unknown ids, answers outside an item's scale, attended hours
above the session's), and raises one :class:`DataError` that lists every problem with file,
row, column, value, what was expected and the fix. It never writes to the user's files.

Raw rosters with NIPs are turned into pseudonymised participants by :func:`read_roster`.

Examples
--------
>>> import toolkit
>>> data = load(toolkit.SAMPLE_DATA)
>>> data.sizes().set_index("table").loc[["units", "participants", "sessions"], "rows"].tolist()
[20, 600, 40]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import DataError, ProblemLog
from toolkit.personal import PLACEHOLDER, looks_like_nip, scrub_series
from toolkit.privacy import age_band, nip_problems, parse_nip, pseudonymize_nip, resolve_key
from toolkit.readers import (
    MISSING_WORDS,
    ReadFailure,
    named_columns,
    normalise_header,
    parse_answers,
    parse_bools,
    parse_codes,
    parse_dates,
    parse_numbers,
    parse_periods,
    read_logged,
    read_text_table,
)
from toolkit.schema import NA_CODE, TABLES, Column, Table
from toolkit.validation import check_one_of, closest

__all__ = [
    "DataError",
    "EvaluationData",
    "as_typed",
    "empty_table",
    "load",
    "pseudonymize_nip",
    "read_roster",
    "read_table",
]

SUFFIXES = (".csv", ".xlsx", ".xlsm")
#: The tables every analysis needs rows of.
CORE_TABLES = ("units", "participants", "sessions", "enrollments")


def as_typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with the columns, order and dtypes of table ``name``.

    Values must already be of the right Python type (numbers as numbers, dates as dates);
    parsing text from files is the loader's job. Codes become categoricals whose categories
    are the schema's list (fixed vocabularies) or the sorted values present (open ones).

    Examples
    --------
    >>> df = pd.DataFrame({"unit_id": ["U02", "U01"], "unit_name": ["B", "A"],
    ...                    "service_type": ["health", "civil_registry"], "trained": [True, False],
    ...                    "first_trained_period": ["2024Q1", None]})
    >>> as_typed("units", df).dtypes.astype(str).tolist()
    ['category', 'str', 'category', 'bool', 'category']
    """
    table = TABLES[name]
    df = df.reset_index(drop=True)
    out = {}
    for col in table.columns:
        s = df[col.name] if col.name in df.columns else pd.Series(pd.NA, index=df.index)
        if col.dtype == "category" and isinstance(s.dtype, pd.CategoricalDtype):
            out[col.name] = _recoded(s, col.categories)
        elif col.dtype == "category":
            values = s.astype("str").where(s.notna())
            cats = col.categories
            if cats is None:
                cats = sorted(values.dropna().unique().tolist())
            out[col.name] = pd.Categorical(values, categories=list(cats))
        elif col.dtype == "str":
            out[col.name] = s.astype("str").where(s.notna())
        elif col.dtype.startswith("datetime64"):
            out[col.name] = pd.to_datetime(s).astype(col.dtype)
        else:
            out[col.name] = s.astype(col.dtype)
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def _recoded(s: pd.Series, fixed) -> pd.Categorical:
    """A categorical already coded (e.g. by an importer) with the schema's categories: the
    fixed list, or the values present, sorted; integer codes are remapped, nothing re-hashed."""
    codes = s.cat.codes.to_numpy()
    present = s.cat.categories.astype("str")
    used = np.bincount(codes[codes >= 0], minlength=len(present)) > 0
    cats = list(fixed) if fixed is not None else sorted(present[used].tolist())
    position = pd.Index(cats, dtype="str").get_indexer(present)
    recoded = np.where(codes >= 0, position[np.maximum(codes, 0)], -1)
    return pd.Categorical.from_codes(recoded, categories=pd.Index(cats, dtype="str"))


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the columns and dtypes of table ``name``.

    Examples
    --------
    >>> empty_table("sessions").columns.tolist()[:3]
    ['session_id', 'program', 'method']
    """
    return as_typed(name, pd.DataFrame({c: [] for c in TABLES[name].column_names}))


@dataclass
class EvaluationData:
    """All tables of one evaluation, validated and typed.

    One attribute per table of :data:`toolkit.schema.TABLES`. A table the user did not
    provide is an empty DataFrame with the right columns; ``present`` lists those read, and
    ``notes`` what the loader did that the user should know (the sheet read from a workbook,
    columns ignored, files skipped, personal data removed from comments …).
    """

    units: pd.DataFrame
    participants: pd.DataFrame
    sessions: pd.DataFrame
    enrollments: pd.DataFrame
    instruments: pd.DataFrame
    reaction: pd.DataFrame
    tests: pd.DataFrame
    behavior: pd.DataFrame
    ikm_responses: pd.DataFrame
    costs: pd.DataFrame
    benefit_estimates: pd.DataFrame
    availability: pd.DataFrame
    comments: pd.DataFrame
    present: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables as a dict, in schema order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in TABLES}

    def sizes(self) -> pd.DataFrame:
        """Rows and columns of every table, as a tidy DataFrame."""
        rows = [
            {"table": name, "rows": len(df), "columns": df.shape[1]}
            for name, df in self.tables().items()
        ]
        return pd.DataFrame(rows)


# --------------------------------------------------------------------------- single tables


def _parse_column(col: Column, text: pd.Series, answers: bool) -> tuple[pd.Series, pd.Series]:
    """Parse one text column by its kind; return (values, mask of unparseable cells)."""
    if col.kind in {"int", "float"}:
        return parse_numbers(text, integer=col.kind == "int", money=col.name.endswith("_idr"))
    if col.kind == "small_int":
        return parse_answers(text) if answers else parse_numbers(text, integer=True)
    if col.kind == "bool":
        return parse_bools(text)
    if col.kind == "date":
        return parse_dates(text)
    if col.kind == "period":
        return parse_periods(text)
    values = parse_codes(text, col.name) if col.kind in {"id", "category"} else text.str.strip()
    values = values.where(values.ne(""))
    return values, pd.Series(False, index=text.index)


def _typed_for_validation(col: Column, values: pd.Series) -> pd.Series:
    """Values in the dtype pandera checks (codes stay text until they are validated)."""
    if col.kind in {"int", "small_int"}:
        return values.astype("Int64" if col.nullable or values.isna().any() else "int64")
    if col.kind == "bool":
        return values if values.isna().any() else values.astype("bool")
    if col.kind == "date":
        return values.astype("datetime64[s]")
    return values


_EXPECTED = {
    "int": "a whole number",
    "small_int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": "a date",
    "period": "a quarter",
}
_FIXES = {
    "int": "write digits only (1500000 or 1.500.000); no units or text",
    "small_int": "write the answer's number; leave the cell empty if there was no answer",
    "float": "write a number such as 0.75 or 0,75",
    "bool": "write true/false (or ya/tidak, 1/0)",
    "date": "write the date as 2024-03-15 or 15/03/2024",
    "period": "write the quarter as 2024Q1",
}


_INVISIBLE = r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]"


def _clean_text(text: pd.Series) -> pd.Series:
    """NFC, no invisible characters, non-breaking spaces as spaces, trimmed."""
    s = text.astype("str")
    if s.str.contains(r"[^\x00-\x7f]", regex=True).any():
        s = s.str.normalize("NFC").str.replace(_INVISIBLE, "", regex=True)
        s = s.str.replace("\u00a0", " ", regex=False)
    return s.str.strip()


def _check_table(
    name: str, raw: pd.DataFrame, file: str, log: ProblemLog, today: dt.date | None = None
) -> pd.DataFrame | None:
    """Parse and validate one table read as text; return it typed, or None if unusable."""
    table = TABLES[name]
    if name == "participants" and "nip" in {normalise_header(c) for c in raw.columns}:
        log.add(
            file,
            "nip",
            None,
            "pseudonymised participant_id, never raw NIPs",
            "do not load NIPs: turn the roster into participants with "
            "toolkit.data.read_roster(path, key=...) and save its result",
        )
        return None
    columns = {c.name: c.description for c in table.columns}
    required = {c.name for c in table.columns if not c.nullable}
    raw = named_columns(raw, file, log, columns, required)
    if raw is None:
        return None
    parsed: dict[str, pd.Series] = {}
    for col in table.columns:
        text = raw[col.name] if col.name in raw.columns else pd.Series("", index=raw.index)
        values, bad = _column(col, text, name, file, log)
        if not col.nullable:
            empty = values.isna() & ~bad
            if empty.any():
                log.add(
                    file,
                    col.name,
                    None,
                    f"a value in every row ({col.allowed()})",
                    "fill in the empty cells, or delete rows that are not data",
                    rows=raw.index[empty.to_numpy()],
                )
        parsed[col.name] = _typed_for_validation(col, values)
    df = pd.DataFrame(parsed, index=raw.index)
    _check_future(table, df, file, log, today or dt.date.today())
    _validate_with_schema(table, df, file, log)
    _check_nip_like(table, df, file, log)
    return df


def _column(
    col: Column, text: pd.Series, table: str, file: str, log: ProblemLog
) -> tuple[pd.Series, pd.Series]:
    """Clean and parse one column; return (values, mask of unparseable cells).

    Each distinct text is cleaned, parsed and scrubbed once (a column of a million answers
    holds a handful of distinct ones), and the results are spread back to the rows.
    """
    codes, distinct = pd.factorize(text, sort=False)
    weight = np.bincount(codes, minlength=len(distinct))
    u = _clean_text(pd.Series(distinct, dtype="str"))
    if col.kind not in {"id", "category", "text"}:
        missing = (u.str.lower().isin(MISSING_WORDS) & u.ne("")).to_numpy()
        if missing.any():
            log.note(
                f"{file}, column {col.name!r}: {int(weight[missing].sum())} cell(s) written "
                f"{u[missing].iloc[0]!r} were read as empty"
                + (f" (no answer; write {NA_CODE} or 'tidak tahu' for tidak tahu)"
                   if table == "reaction" and col.name == "response" else "")
                + "."
            )  # fmt: skip
            u = u.where(~missing, "")
    values, bad = _parse_column(col, u, answers=table == "reaction")
    if col.kind == "text" and values.notna().any():
        scrubbed, n = scrub_series(values)
        if n:
            changed = (scrubbed != values).fillna(False).to_numpy(dtype=bool)
            log.note(
                f"{file}, column {col.name!r}: personal data (NIP, NIK, e-mail or phone "
                f"number) in {int(weight[changed].sum())} cell(s) was replaced by "
                f"{PLACEHOLDER!r}."
            )
            values = scrubbed
    if col.name.endswith("_idr"):
        ambiguous = u.str.fullmatch(r"(?:[Rr][Pp]\.?\s*)?\d{1,3}\.\d{3}")
        if ambiguous.any():
            log.note(
                f"{file}, column {col.name!r}: {u[ambiguous].iloc[0]!r} and similar "
                "amounts were read as thousands of rupiah (a dot separates thousands)."
            )
    values = values.take(codes).set_axis(text.index)
    bad = bad.take(codes).set_axis(text.index)
    if bad.any():
        _bad_cells(col, u.take(codes).set_axis(text.index), bad, file, log)
    return values, bad


def _bad_cells(col: Column, text: pd.Series, bad: pd.Series, file: str, log: ProblemLog) -> None:
    """Record unparseable cells; month-first (US) dates get their own message."""
    rows = text.index[bad.to_numpy()]
    first = text[bad].iloc[0]
    if col.kind == "date":
        parts = text.str.extract(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$").astype("float")
        us_only = ((parts[0] <= 12) & (parts[1] > 12)).fillna(False)
        if us_only.any():
            slashed = parts[0].notna()
            log.add(file, col.name, text[us_only].iloc[0],
                    "day-first dates (15/03/2024) or ISO dates (2024-03-15); this column "
                    "looks month-first (US), so none of its day/month dates can be trusted",
                    "export the dates as ISO (yyyy-mm-dd), or set the column's format to "
                    "day/month/year before exporting",
                    rows=text.index[slashed.to_numpy()])  # fmt: skip
            return
    expected, fix = _EXPECTED[col.kind], _FIXES[col.kind]
    if col.kind in {"int", "small_int", "float"}:
        number = pd.to_numeric(text[bad], errors="coerce")
        if number.notna().any():
            first = text[bad][number.notna()].iloc[0]
            expected = f"{expected} that a spreadsheet keeps exactly (finite, below 2^53)"
            fix = "check for a typing error or a formula result; write the plain number"
    log.add(file, col.name, first, expected, fix, rows=rows)


def _check_future(table: Table, df: pd.DataFrame, file: str, log: ProblemLog, today) -> None:
    """Dates and quarters beyond next year are typing errors (2099, 2204 for 2024)."""
    limit = today.year + 1
    for col in table.columns:
        if col.kind == "date":
            year = df[col.name].dt.year
        elif col.kind == "period":
            year = pd.to_numeric(df[col.name].str[:4], errors="coerce")
        else:
            continue
        late = (year > limit).fillna(False).to_numpy(dtype=bool)
        early = (year < 1950).fillna(False).to_numpy(dtype=bool)
        for mask, what in ((late, f"after {limit}"), (early, "before 1950")):
            if mask.any():
                log.add(file, col.name, str(df[col.name][mask].iloc[0])[:10],
                        f"a date of the evaluation, not {what}",
                        "check the year for a typing error", rows=df.index[mask])  # fmt: skip


def _validate_with_schema(table: Table, df: pd.DataFrame, file: str, log: ProblemLog) -> None:
    """Run the table's pandera schema and translate its failure cases into problems."""
    import pandera.pandas as pa

    schema = table.pandera_schema(values_only=True)
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        if cases["check"].eq("multiple_fields_uniqueness").any():
            key = ", ".join(table.key)
            log.add(
                file,
                key,
                None,
                f"each ({key}) combination once",
                "remove or merge the duplicated rows",
                rows=df.index[df.duplicated(list(table.key), keep=False).to_numpy()],
            )
        cases = cases[cases["check"].ne("multiple_fields_uniqueness")]
        for (column, _check), grp in cases.groupby(["column", "check"], sort=False, dropna=False):
            rows = sorted(int(i) for i in grp["index"].unique())
            value = grp["failure_case"].iloc[0]
            col = table.column(column)
            fix = "correct the value"
            if col.categories is not None and isinstance(value, str):
                near = closest(value, col.categories)
                fix = f"use {near!r}" if near else f"use one of {', '.join(col.categories)}"
            elif col.low is not None:
                fix = "check for typing errors; the value is outside the allowed range"
            log.add(file, column, value, col.allowed(), fix, rows=rows)


def _check_nip_like(table: Table, df: pd.DataFrame, file: str, log: ProblemLog) -> None:
    """Ids that are NIPs or NIKs in any writing (spaces, dots, 16–19 digits, ``E+``)."""
    for col in table.columns:
        if col.kind != "id":
            continue
        hit = looks_like_nip(df[col.name].dropna())
        if hit.any():
            log.add(
                file,
                col.name,
                None,
                "a pseudonym or code, not a NIP or NIK (values not shown: personal data)",
                "pseudonymise NIPs first with toolkit.data.pseudonymize_nip or read_roster",
                rows=df[col.name].dropna().index[hit],
            )


#: Other names offices give the tables' files (Indonesian names, British spellings).
FILE_NAMES = {
    "unit": "units", "unit_kerja": "units", "opd": "units", "satuan_kerja": "units",
    "peserta": "participants", "pegawai": "participants",
    "sesi": "sessions", "jadwal": "sessions", "kegiatan": "sessions",
    "pendaftaran": "enrollments", "kehadiran": "enrollments", "presensi": "enrollments",
    "enrolments": "enrollments",
    "instrumen": "instruments", "butir": "instruments",
    "reaksi": "reaction", "tes": "tests", "ujian": "tests", "nilai": "tests",
    "perilaku": "behavior", "behaviour": "behavior",
    "ikm": "ikm_responses", "skm": "ikm_responses", "survei_ikm": "ikm_responses",
    "biaya": "costs", "anggaran": "costs", "manfaat": "benefit_estimates",
    "ketersediaan": "availability", "komentar": "comments", "saran": "comments",
}  # fmt: skip
#: Files of the data folder that are not tables and are never mentioned.
KNOWN_FILES = {"readme.md", "report.toml", "truth.json", "evaluation_plan.csv",
               "evaluation_plan.xlsx", ".ds_store", "thumbs.db", "desktop.ini"}  # fmt: skip


def _table_files(directory: Path, log: ProblemLog) -> tuple[dict[str, Path], list[str], set[str]]:
    """Files named after a table, and the other data files (candidates for a rename).

    Every file that is not read is either a problem (named almost like a table, an old
    ``.xls`` workbook, a folder named like a file) or mentioned in a note (an Excel lock
    file, a file with another name), so that no table is skipped without a word.
    """
    found: dict[str, Path] = {}
    others: list[str] = []
    misnamed: set[str] = set()
    for path in sorted(directory.iterdir()):
        stem = normalise_header(path.stem)
        suffix = path.suffix.lower()
        if path.name.lower() in KNOWN_FILES or path.name.startswith("."):
            continue
        if path.is_dir():
            if suffix in SUFFIXES:
                misnamed.add(stem)
                log.add(path.name, None, None, "a file", "this is a folder named like a "
                        "table file: move the table file itself into the data folder")  # fmt: skip
            continue
        if path.name.startswith("~$"):
            log.note(f"{path.name} skipped: a lock file Excel leaves while a workbook is open "
                     "(close the workbook in Excel to make it disappear).")  # fmt: skip
            continue
        if suffix == ".xls" and stem in TABLES:
            misnamed.add(stem)
            log.add(path.name, None, None, "a .xlsx workbook or a CSV file", "this is the old "
                    "Excel format: open it in Excel and save it as .xlsx (Excel Workbook)")  # fmt: skip
            continue
        if suffix not in SUFFIXES:
            log.note(f"{path.name} skipped: not a .csv or .xlsx file.")
            continue
        if stem in TABLES:
            if stem in found:
                log.add(
                    path.name,
                    None,
                    None,
                    "one file per table",
                    f"keep either {found[stem].name} or {path.name}, not both",
                )
            found[stem] = path
            continue
        near = FILE_NAMES.get(stem) or closest(stem, TABLES, cutoff=0.75)
        if near is not None:
            misnamed.add(near)
            log.add(path.name, None, None, "a file named after its table (" + ", ".join(
                    f"{t}.csv" for t in TABLES) + ")",
                    f"{path.name} is not a table name; did you mean {near}{suffix}? "
                    "Rename it")  # fmt: skip
        else:
            others.append(path.name)
            log.note(f"{path.name} skipped: not named after a table (see the data dictionary).")
    return found, others, misnamed


def _read_checked(name: str, path: Path, log: ProblemLog) -> pd.DataFrame | None:
    raw = read_logged(path, name, log)
    if raw is None:
        return None
    if raw.empty and name in CORE_TABLES:
        log.add(path.name, None, None, "at least one data row under the header",
                "export the table again with its rows; every analysis needs "
                + ", ".join(f"{t}.csv" for t in CORE_TABLES))  # fmt: skip
    elif raw.empty:
        log.note(f"{path.name} has a header but no rows; it is treated as empty.")
    return _check_table(name, raw, path.name, log)


def read_table(path: str | Path, table: str | None = None) -> pd.DataFrame:
    """Read and validate one table file (CSV or XLSX) on its own.

    Parameters
    ----------
    path : str or Path
        The file.
    table : str, optional
        Which table of the data model it holds; by default the file name (``units.csv``).

    Returns
    -------
    pandas.DataFrame
        The typed table. Checks against other tables are done only by :func:`load`.

    Raises
    ------
    DataError
        Listing every problem found in the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "units.csv"
    >>> _ = f.write_text("unit_id;unit_name;service_type;trained;first_trained_period\\n"
    ...                  "U01;Dinas Kependudukan;civil_registry;ya;2024q1\\n", encoding="utf-8-sig")
    >>> units = read_table(f)
    >>> units.loc[0, "trained"], units.loc[0, "first_trained_period"]
    (np.True_, '2024Q1')
    """
    path = Path(path)
    name = normalise_header(path.stem) if table is None else table
    check_one_of("table", name, list(TABLES))
    log = ProblemLog()
    if not path.is_file():
        log.add(path.name, None, None, "an existing file", f"check the path {str(path)!r}")
        raise log.error(str(path))
    df = _read_checked(name, path, log)
    log.raise_if_any(path.name)
    return as_typed(name, df)


# --------------------------------------------------------------------------- across tables


def _rows(df: pd.DataFrame, mask) -> pd.Index:
    return df.index[np.asarray(mask, dtype=bool)]


def _check_references(
    frames: dict[str, pd.DataFrame],
    files: dict[str, str],
    log: ProblemLog,
    others=(),
    misnamed: set[str] | frozenset[str] = frozenset(),
):
    for name, df in frames.items():
        for fk in TABLES[name].foreign_keys:
            cols = list(fk.columns)
            sub = df[cols].dropna()
            if sub.empty:
                continue
            parent = frames.get(fk.table)
            if parent is None and (fk.table in misnamed or fk.table in files):
                continue  # its file is there but misnamed or unreadable: that is reported
            if parent is None:
                log.add(
                    files[name],
                    ", ".join(cols),
                    None,
                    f"a {fk.table} table to look these ids up in",
                    f"add {fk.table}.csv to the folder"
                    + (
                        f" (or rename the file that holds it: {', '.join(others)})"
                        if others
                        else ""
                    ),
                )
                continue
            keys = pd.MultiIndex.from_frame(parent[list(fk.ref_columns)].astype("str"))
            here = pd.MultiIndex.from_frame(sub.astype("str"))
            unknown = ~here.isin(keys)
            if unknown.any():
                first = sub[unknown].iloc[0]
                value = first.iloc[0] if len(cols) == 1 else tuple(first)
                what = "enrolled in that session" if fk.table == "enrollments" else ""
                log.add(
                    files[name],
                    ", ".join(cols),
                    value,
                    f"an id listed in {files.get(fk.table, fk.table + '.csv')}"
                    + (f" ({what})" if what else ""),
                    f"add the missing row to {fk.table} or correct the id",
                    rows=sub.index[unknown],
                )


def _check_rules(frames: dict[str, pd.DataFrame], files: dict[str, str], log: ProblemLog):
    frames = {name: df for name, df in frames.items() if len(df)}
    units = frames.get("units")
    if units is not None:
        bad = units["trained"].astype("boolean") != units["first_trained_period"].notna()
        bad = bad.fillna(False)
        if bad.any():
            log.add(files["units"], "first_trained_period", None,
                    "a quarter exactly when trained is true",
                    "fill first_trained_period for trained units, leave it empty otherwise",
                    rows=_rows(units, bad))  # fmt: skip
    sessions = frames.get("sessions")
    if sessions is not None:
        by_id = sessions.drop_duplicates("session_id").set_index("session_id")
        bad = (sessions["end_date"] < sessions["start_date"]).fillna(False)
        if bad.any():
            log.add(files["sessions"], "end_date", str(sessions.loc[bad, "end_date"].iloc[0])[:10],
                    "a date on or after start_date", "swap or correct the dates",
                    rows=_rows(sessions, bad))  # fmt: skip
    enr = frames.get("enrollments")
    if enr is not None and sessions is not None:
        jp = enr["session_id"].map(by_id["jp"])
        bad = (enr["attended_jp"] > jp).fillna(False)
        if bad.any():
            log.add(files["enrollments"], "attended_jp", float(enr.loc[bad, "attended_jp"].iloc[0]),
                    "at most the session's jp (sessions table)",
                    "attended hours cannot exceed the planned JP; check both tables",
                    rows=_rows(enr, bad))  # fmt: skip
    inst = frames.get("instruments")
    if inst is not None:
        bad = (inst["scale_min"] >= inst["scale_max"]).fillna(False)
        if bad.any():
            log.add(files["instruments"], "scale_max", None, "a value above scale_min",
                    "correct the scale", rows=_rows(inst, bad))  # fmt: skip
        _check_answers(frames, files, inst, log)
    costs = frames.get("costs")
    if costs is not None:
        twice = costs.duplicated(keep=False).to_numpy()
        if twice.any():
            log.add(files["costs"], None, None, "each cost line once",
                    "delete the repeated line; if two real costs are identical, write them as "
                    "one line with the summed amount (or tell them apart in description)",
                    rows=costs.index[twice])  # fmt: skip
    if costs is not None and sessions is not None:
        prog = costs["session_id"].map(by_id["program"])
        bad = (prog.notna() & (prog != costs["program"])).fillna(False)
        if bad.any():
            log.add(files["costs"], "program", costs.loc[bad, "program"].iloc[0],
                    "the programme of the session named in session_id",
                    "correct program or session_id", rows=_rows(costs, bad))  # fmt: skip


_ANSWER_TABLES = {
    "reaction": ("response", "reaction"),
    "tests": ("correct", "knowledge_test"),
    "behavior": ("rating", "behavior"),
}


def _check_answers(frames, files, inst: pd.DataFrame, log: ProblemLog) -> None:
    lookup = inst.drop_duplicates("item_code").set_index("item_code")
    for name, (column, instrument) in _ANSWER_TABLES.items():
        df = frames.get(name)
        if df is None:
            continue
        code = df["item_code"]
        kind = code.map(lookup["instrument"])
        wrong = (kind.notna() & (kind != instrument)).to_numpy()
        if wrong.any():
            log.add(files[name], "item_code", code[wrong].iloc[0],
                    f"an item of the {instrument} instrument",
                    f"move these answers to the table for {kind[wrong].iloc[0]} items",
                    rows=df.index[wrong])  # fmt: skip
        lo = code.map(lookup["scale_min"])
        hi = code.map(lookup["scale_max"])
        value = df[column]
        outside = (value < lo) | (value > hi)
        if name == "reaction":
            outside &= value.ne(NA_CODE)
        out = outside.fillna(False).to_numpy(dtype=bool)
        if out.any():
            i = np.flatnonzero(out)[0]
            extra = f", or {NA_CODE} for tidak tahu" if name == "reaction" else ""
            log.add(files[name], column, int(value.iloc[i]),
                    f"an answer on item {code.iloc[i]}'s scale, {int(lo.iloc[i])} to "
                    f"{int(hi.iloc[i])}{extra}",
                    "check for typing errors or a different scale (e.g. 0–10 entered on 1–5)",
                    rows=df.index[out])  # fmt: skip


def load(path: str | Path, *, tables: Iterable[str] | None = None) -> EvaluationData:
    """Read a directory of evaluation tables, check them, and return typed tables.

    Parameters
    ----------
    path : str or Path
        Directory with one file per table, named after the table (``units.csv``,
        ``participants.xlsx`` …). CSV files may be UTF-8 with or without BOM, comma- or
        semicolon-separated, with decimal commas. An XLSX file's sheet named after the
        table is read, else its first sheet.
    tables : iterable of str, optional
        Read only these tables (and check references among them).

    Returns
    -------
    EvaluationData
        One typed DataFrame per table; tables without a file are empty.

    Raises
    ------
    DataError
        Listing every problem found (file, row, column, value, expected, fix). Nothing is
        written anywhere.

    Examples
    --------
    >>> import toolkit
    >>> data = load(toolkit.SAMPLE_DATA)
    >>> data.sessions["method"].cat.categories.tolist()
    ['workshop', 'seminar', 'project_based', 'simulation', 'e_learning']
    """
    directory = Path(path)
    log = ProblemLog()
    if not directory.is_dir():
        log.add(str(directory), None, None, "a folder with the data files",
                "check the path; pass the folder, not a file")  # fmt: skip
        raise log.error(str(directory))
    wanted = (
        list(TABLES)
        if tables is None
        else [check_one_of("tables", t, list(TABLES)) for t in tables]
    )
    found, others, misnamed = _table_files(directory, log)
    found = {k: v for k, v in found.items() if k in wanted}
    if not found and not len(log):
        log.add(str(directory), None, None,
                "files named after the tables (" + ", ".join(f"{t}.csv" for t in TABLES) + ")",
                "put the exported tables in this folder")  # fmt: skip
    frames: dict[str, pd.DataFrame] = {}
    files = {name: p.name for name, p in found.items()}
    for name, p in found.items():
        df = _read_checked(name, p, log)
        if df is not None:
            frames[name] = df
    _check_references(frames, files, log, others, misnamed)
    _check_rules(frames, files, log)
    log.raise_if_any(str(directory))
    typed = {name: as_typed(name, frames[name]) if name in frames else empty_table(name)
             for name in TABLES}  # fmt: skip
    present = tuple(n for n in TABLES if n in frames)
    return EvaluationData(**typed, present=present, notes=tuple(log.notes))


# --------------------------------------------------------------------------- raw rosters


def read_roster(
    path: str | Path, *, key: str | bytes | None = None, on: str = "2024-01-01"
) -> pd.DataFrame:
    """Turn a raw roster with NIPs into the pseudonymised ``participants`` table.

    Parameters
    ----------
    path : str or Path
        CSV or XLSX with columns ``nip``, ``unit_id``, ``position_type``, ``grade`` and
        optionally ``nama``/``name`` and ``sex`` (dropped or cross-checked).
    key : str or bytes, optional
        Pseudonymisation key (see :func:`toolkit.privacy.pseudonymize_nip`).
    on : str
        Reference date for age bands (birth date from the NIP).

    Returns
    -------
    pandas.DataFrame
        The participants table: ``participant_id`` is the keyed pseudonym, sex comes from
        NIP digit 15 and age_band from the NIP's birth date. Names and NIPs are dropped.

    Raises
    ------
    DataError
        For invalid NIPs (row numbers only, never the NIP itself), missing columns or a sex
        column that contradicts the NIP.
    """
    path = Path(path)
    log = ProblemLog()
    resolve_key(key)  # a missing or weak key is refused before the roster is read
    notes: list[str] = []
    try:
        raw = read_text_table(path, "roster", notes)
    except ReadFailure as exc:
        log.add(
            path.name, None, exc.value, exc.expected, exc.fix, rows=[exc.row] if exc.row else []
        )
        raise log.error(path.name) from None
    columns = dict.fromkeys(("nip", "unit_id", "position_type", "grade", "sex", "nama", "name"), "")
    raw = named_columns(raw, path.name, log, columns, {"nip", "unit_id", "position_type", "grade"})
    log.raise_if_any(path.name)
    nip = raw["nip"].str.strip()
    damaged = nip.str.contains(r"[eE]\+?\d+$", regex=True) | (
        nip.str.fullmatch(r"\d{15,18}") & nip.str.endswith("000")
    )
    if damaged.any():
        log.add(path.name, "nip", None,
                "NIPs stored as text (values not shown: personal data); these were stored as "
                "numbers, and a spreadsheet keeps only 15 significant digits, so their last "
                "digits are lost",
                "format the NIP column as Text in Excel and type or paste the NIPs again from "
                "SIASN (a NIP can never be recovered from the rounded number)",
                rows=raw.index[damaged.to_numpy()])  # fmt: skip
        raise log.error(path.name)
    problems = nip_problems(nip)
    if len(problems):
        for reason, grp in problems.groupby("reason", sort=False):
            log.add(path.name, "nip", None, f"a valid 18-digit NIP ({reason})",
                    "correct the NIP from the personnel record (SIASN)",
                    rows=raw.index[grp["position"].to_numpy() - 1])  # fmt: skip
        raise log.error(path.name)
    parts = parse_nip(nip)
    sex = parts["sex"].to_numpy()
    if "sex" in raw.columns:
        given = parse_codes(raw["sex"], "sex").to_numpy()
        bad = (given != "") & (given != sex)
        if bad.any():
            log.add(path.name, "sex", None, "the sex coded in NIP digit 15",
                    "check the sex column against the NIP", rows=raw.index[bad])  # fmt: skip
            raise log.error(path.name)
    out = pd.DataFrame(
        {
            "participant_id": pseudonymize_nip(nip, key=key),
            "unit_id": raw["unit_id"].str.strip().to_numpy(),
            "position_type": parse_codes(raw["position_type"], "position_type").to_numpy(),
            "grade": raw["grade"].str.strip().to_numpy(),
            "sex": sex,
            "age_band": age_band(parts["birth_date"], on=on).to_numpy(),
        }
    )
    frame = out.set_axis(raw.index)
    _validate_with_schema(TABLES["participants"], frame, path.name, log)
    log.raise_if_any(path.name)
    return as_typed("participants", out)
