"""Loading and validating the evaluation tables.

:func:`load` reads a directory of CSV, XLSX or Parquet files (one file per table, named after
the table: ``units.csv``, ``reaction.xlsx``, ``tests.parquet`` …) into one
:class:`EvaluationData` of typed tables: categoricals for codes, small nullable integers for
answers, real dates and booleans. It checks every file against the schemas of
:mod:`toolkit.schema` (the checks of their pandera schemas, run vectorised over whole columns
and once per distinct code), then checks the tables against each other by joins on integer
codes (unknown ids, answers outside an item's scale, attended hours above the session's),
and raises one :class:`DataError` that lists every problem with file, row, column, value,
what was expected and the fix. It never writes to the user's files.

A plain UTF-8 CSV file is read by Arrow's CSV reader straight into the schema's types
(numbers, booleans and ISO dates parsed by Arrow; codes and text dictionary-coded, so that
each distinct text is cleaned and parsed once); anything else (XLSX, other encodings, blank
lines, decimal commas in a column …) takes the general reader of :mod:`toolkit.readers`,
column by column where it can. Two files are read and checked at a time (the largest ones
one after another beside the others), each with its own list of problems, merged in the
order of the tables. :func:`convert` checks a folder once and writes it as typed
Parquet, which :func:`load` then reads without repeating the checks while the files are
unchanged.

Raw rosters with NIPs are turned into pseudonymised participants by :func:`read_roster`.

Examples
--------
>>> import toolkit
>>> data = load(toolkit.SAMPLE_DATA)
>>> data.sizes().set_index("table").loc[["units", "participants", "sessions"], "rows"].tolist()
[20, 600, 40]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import DataError, OutputFolderError, ProblemLog
from toolkit.personal import PLACEHOLDER, looks_like_nip, scrub_series
from toolkit.privacy import age_band, nip_problems, parse_nip, pseudonymize_nip, resolve_key
from toolkit.readers import (
    MISSING_WORDS,
    SYNONYMS,
    ReadFailure,
    _smallest,
    arrow_as_text,
    arrow_text,
    csv_head,
    distinct_categorical,
    mapped,
    named_columns,
    normalise_header,
    parse_answers,
    parse_bools,
    parse_codes,
    parse_dates,
    parse_numbers,
    parse_periods,
    read_csv_typed,
    read_logged,
    read_text_table,
)
from toolkit.readers import _trim as _release_freed
from toolkit.schema import NA_CODE, TABLES, Column, Table
from toolkit.validation import check_one_of, closest

__all__ = [
    "DataError",
    "EvaluationData",
    "OutputFolderError",
    "PARQUET_MANIFEST",
    "as_typed",
    "convert",
    "empty_table",
    "load",
    "pseudonymize_nip",
    "read_roster",
    "read_table",
]

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".parquet")
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
    return _as_typed(name, df, trusted=False)


def _as_typed(name: str, df: pd.DataFrame, *, trusted: bool) -> pd.DataFrame:
    """:func:`as_typed`; ``trusted``: the loader built the categoricals itself, so sorted
    categories are known to be the values present (no pass over the codes to prove it)."""
    table = TABLES[name]
    df = df.reset_index(drop=True)
    out = {}
    for col in table.columns:
        s = df[col.name] if col.name in df.columns else pd.Series(pd.NA, index=df.index)
        if col.dtype == "category" and isinstance(s.dtype, pd.CategoricalDtype):
            cats = s.array.categories
            keep = (
                pd.Index(col.categories, dtype="str").equals(cats)
                if col.categories is not None
                else pd.api.types.is_string_dtype(cats.dtype) and _ascending(cats)
            )
            out[col.name] = s.array if trusted and keep else _recoded(s, col.categories)
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
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)), copy=False)


def _ascending(texts: pd.Index) -> bool:
    """Whether texts are in ascending order, compared by Arrow (pandas's
    ``is_monotonic_increasing`` would leave a hash table of the texts as Python objects on
    the index: half a megabyte for 6,000 ids, kept with every table that has them).

    >>> _ascending(pd.Index(["P-01", "P-02"], dtype="str")), _ascending(pd.Index(["b", "a"]))
    (True, False)
    """
    import pyarrow.compute as pc

    arr = arrow_text(texts)
    return len(arr) < 2 or bool(pc.all(pc.less_equal(arr[:-1], arr[1:])).as_py())


def _recoded(s: pd.Series, fixed) -> pd.Categorical:
    """A categorical already coded (e.g. by an importer) with the schema's categories: the
    fixed list, or the values present, sorted; integer codes are remapped, nothing re-hashed."""
    codes = s.cat.codes.to_numpy()
    present = s.cat.categories.astype("str")
    if fixed is not None and present.equals(pd.Index(fixed, dtype="str")):
        return s.array  # already the schema's categories: nothing to do
    used = np.bincount(codes[codes >= 0], minlength=len(present)) > 0
    if fixed is None and used.all() and present.is_monotonic_increasing:
        return s.array  # the values present, sorted
    cats = list(fixed) if fixed is not None else sorted(present[used].tolist())
    position = pd.Index(cats, dtype="str").get_indexer(present)
    recoded = np.where(codes >= 0, position[np.maximum(codes, 0)], -1).astype(codes.dtype)
    return pd.Categorical.from_codes(recoded, categories=pd.Index(cats, dtype="str"))


@functools.cache
def _dtypes(name: str) -> dict[str, str]:
    """The dtype of each column once loaded, by name ("category" for every categorical):
    what :func:`empty_table` has, read off the schema without building a table."""
    return {c.name: c.dtype for c in TABLES[name].columns}


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
    """Parse one text column by its kind; return (values, mask of unparseable cells).

    ``text`` is cleaned already (:func:`_clean_text`: trimmed, among other things)."""
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
    if col.kind in {"id", "category"} and col.name in SYNONYMS:
        text = parse_codes(text, col.name)
    return _blank_as_missing(text), pd.Series(False, index=text.index)


def _blank_as_missing(text: pd.Series) -> pd.Series:
    """Empty texts as missing values (``text.where(text.ne(""))``, by one Arrow kernel:
    pandas's ``where`` on Arrow strings goes through Python objects).

    >>> _blank_as_missing(pd.Series(["a", "", None], dtype="str")).tolist()
    ['a', nan, nan]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = arrow_text(text)
    kept = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)
    return pd.Series(pd.array(kept, dtype="str"), index=text.index, copy=False)


def _typed_for_validation(col: Column, values: pd.Series) -> pd.Series:
    """Values in the dtype they are checked in: the loaded dtype where the values allow it
    (codes are categoricals of the values present until they are validated)."""
    if col.kind == "small_int" and values.dtype != "Int16":
        fits = values.isna() | values.abs().le(np.iinfo(np.int16).max)
        return values.astype("Int16" if fits.all() else "Int64")
    if col.kind == "int" and values.dtype != "int64":
        return values.astype("Int64" if col.nullable or values.isna().any() else "int64")
    if col.kind == "bool" and values.dtype != "bool":
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
    import pyarrow.compute as pc

    s = text.astype("str")
    if not pc.all(pc.string_is_ascii(arrow_text(s))).as_py():
        s = s.str.normalize("NFC").str.replace(_INVISIBLE, "", regex=True)
        s = s.str.replace("\u00a0", " ", regex=False)
    return s.str.strip()


def _check_table(
    name: str,
    raw: pd.DataFrame | _Columns,
    file: str,
    log: ProblemLog,
    today: dt.date | None = None,
    *,
    named: bool = False,
) -> pd.DataFrame | None:
    """Parse and validate one table read as text; return it typed, or None if unusable.

    Columns that the fast reader already parsed (numbers, booleans, dates: any dtype that is
    neither text nor categorical) are only checked; text columns, plain or dictionary-coded
    (categorical), are cleaned and parsed once per distinct value. ``named``: the headers
    are already the schema's (:func:`_read_fast` checked them). Each column is taken out
    of ``raw`` as it is parsed (``raw`` is the loader's own).
    """
    table = TABLES[name]
    if name == "participants" and "nip" in {normalise_header(c) for c in raw}:
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
    raw = raw if named else named_columns(raw, file, log, columns, required)
    if raw is None:
        return None
    parsed: dict[str, pd.Series] = {}
    exact = isinstance(raw, _Columns)  # the fast reader's categoricals (see _column)
    for col in table.columns:
        # each column read is let go once parsed (raw is the loader's own)
        text = raw.pop(col.name) if col.name in raw else pd.Series("", index=raw.index)
        if _is_text(text):
            values, bad = _column(col, text, name, file, log, exact=exact)
        else:  # parsed by the fast reader: only checked below
            values, bad = text, np.zeros(len(text), dtype=bool)
        if not col.nullable:
            empty = values.isna().to_numpy() & ~bad
            if empty.any():
                log.add(
                    file,
                    col.name,
                    None,
                    f"a value in every row ({col.allowed()})",
                    "fill in the empty cells, or delete rows that are not data",
                    rows=raw.index[empty],
                )
        parsed[col.name] = _typed_for_validation(col, values)
    del raw
    df = pd.DataFrame(parsed, index=parsed[table.columns[0].name].index, copy=False)
    _check_future(table, df, file, log, today or dt.date.today())
    _validate_with_schema(table, df, file, log)
    _check_nip_like(table, df, file, log)
    return df


def _is_text(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(s.dtype)


def _column(
    col: Column, text: pd.Series, table: str, file: str, log: ProblemLog, *, exact: bool = False
) -> tuple[pd.Series, np.ndarray]:
    """Clean and parse one column; return (values, mask of unparseable cells).

    Each distinct text is cleaned, parsed and scrubbed once (a column of a million answers
    holds a handful of distinct ones), and the results are spread back to the rows. A text
    column read dictionary-coded (a categorical) brings its distinct values with it; one
    that is ``exact`` (:func:`toolkit.readers.read_csv_typed`'s) has no missing row and
    every category used by some row, so the rows of each are counted only for a note.
    Codes come back as a categorical of the parsed values present (no text per row is built).
    """
    if isinstance(text.dtype, pd.CategoricalDtype):
        codes, distinct = text.array.codes, text.array.categories
    else:
        codes, distinct = pd.factorize(text, sort=False)
        exact = False
    weight = None if exact else _counts(codes, len(distinct))

    def rows_with(flags: np.ndarray) -> int:
        nonlocal weight
        if weight is None:
            weight = _counts(codes, len(distinct))
        return int(weight[flags].sum())

    original = pd.Series(distinct, dtype="str")
    u = _clean_text(original)
    if col.kind not in {"id", "category", "text"}:
        missing = (u.str.lower().isin(MISSING_WORDS) & u.ne("")).to_numpy()
        if missing.any():
            log.note(
                f"{file}, column {col.name!r}: {rows_with(missing)} cell(s) written "
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
                f"number) in {rows_with(changed)} cell(s) was replaced by "
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
    bad_rows = _spread(bad.to_numpy(dtype=bool), codes)
    if bad_rows.any():
        _bad_cells(col, u.take(codes).set_axis(text.index), pd.Series(bad_rows, text.index),
                   file, log)  # fmt: skip
    if col.kind in {"id", "category", "period"}:
        # distinct texts that cleaning left as they were stay distinct codes (synonyms
        # may merge codes, and two writings of a quarter one quarter)
        unchanged = (col.kind != "period" and col.name not in SYNONYMS
                     and _same_texts(u, original))  # fmt: skip
        present, where = _present(values, None if weight is None else weight > 0,
                                  col.categories, distinct=unchanged)  # fmt: skip
        if weight is None or weight.sum() == len(codes):  # no missing row: one pass
            row_codes = where[codes]
        else:
            row_codes = np.where(codes >= 0, where[np.maximum(codes, 0)], -1).astype(where.dtype)
        return pd.Series(distinct_categorical(row_codes, present), index=text.index), bad_rows
    return values.take(np.maximum(codes, 0)).set_axis(text.index), bad_rows


def _same_texts(a: pd.Series, b: pd.Series) -> bool:
    """Whether two text columns of the same length hold the same texts, row by row.

    >>> _same_texts(pd.Series(["a", "b"], dtype="str"), pd.Series(["a", " b"], dtype="str"))
    False
    """
    import pyarrow.compute as pc

    same = pc.equal(arrow_text(a), arrow_text(b))
    return same.null_count == 0 and bool(pc.all(same).as_py())


def _present(
    values: pd.Series, used: np.ndarray | None, fixed, *, distinct: bool = False
) -> tuple[pd.Index, np.ndarray]:
    """The categories a loaded code column will have, and where each distinct value is.

    The categories are the schema's list (``fixed``; then any value outside it, which is
    reported) or the values present in some row (``used``; None: every value is), sorted;
    the positions are -1 for a missing value. Done by Arrow's kernels on the distinct
    values: no Python object or hash table per value. ``distinct``: the values not missing
    are known to be distinct (the column's distinct texts, unchanged by cleaning), so that
    each one's position follows from the sort alone (no hash table of them).

    Examples
    --------
    >>> values = pd.Series(["U02", None, "U01", "U03"], dtype="str")
    >>> used = np.array([4, 1, 2, 0]) > 0
    >>> present, where = _present(values, used, None)
    >>> present.tolist(), where.tolist()
    (['U01', 'U02'], [1, -1, 0, -1])
    >>> _present(values, used, None, distinct=True)[1].tolist()
    [1, -1, 0, -1]
    >>> _present(values, used, ["U02", "U09"])[0].tolist()
    ['U02', 'U09', 'U01']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = arrow_text(values)
    kept = text.is_valid() if used is None else pc.and_(pa.array(used), text.is_valid())
    if distinct and fixed is None:
        rows = np.flatnonzero(kept.to_numpy(zero_copy_only=False))
        order = rows[pc.array_sort_indices(text.take(rows)).to_numpy()]
        present = text.take(order)
        where = np.full(len(text), -1, dtype=_smallest(len(present)))
        where[order] = np.arange(len(order))
        return pd.Index(pd.array(present, dtype="str")), where
    found = pc.unique(text.filter(kept))
    present = found.take(pc.array_sort_indices(found))
    if fixed is not None:
        listed = pa.array(list(fixed), type=pa.large_string())
        present = pa.concat_arrays(
            [listed, present.filter(pc.invert(pc.is_in(present, value_set=listed)))]
        )
    where = pc.index_in(text, value_set=present).fill_null(-1)
    where = where.to_numpy(zero_copy_only=False).astype(_smallest(len(present)))
    return pd.Index(pd.array(present, dtype="str")), where


def _counts(codes: np.ndarray, n: int, chunk: int | None = None) -> np.ndarray:
    """How many rows have each code (-1, missing, not counted), :data:`_CHUNK` rows at a
    time (``np.bincount`` first copies small codes into 8-byte integers: a million rows
    at a time took 8 MB for a moment, more than the column of a table of 360,000 rows)."""
    chunk = chunk or _CHUNK
    total = np.zeros(n, dtype=np.int64)
    for start in range(0, len(codes), chunk):
        part = codes[start : start + chunk]
        total += np.bincount(part[part >= 0], minlength=n)[:n]
    return total


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


def _distinct(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The distinct values of a column and each row's code among them (-1: missing).

    A categorical brings both; other columns are factorised once.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        return pd.Series(s.array.categories), s.array.codes  # (the .cat accessor costs more)
    codes, uniq = pd.factorize(s, sort=False)
    return pd.Series(uniq), codes


def _numbers(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A numeric column's values in its own NumPy dtype (no float copy of a small-integer
    column) and where they are present."""
    if isinstance(s.dtype, pd.api.extensions.ExtensionDtype) and hasattr(s.dtype, "numpy_dtype"):
        filled = ~np.asarray(s.isna(), dtype=bool)
        return s.to_numpy(dtype=s.dtype.numpy_dtype, na_value=0), filled
    values = s.to_numpy()
    filled = ~np.isnan(values) if values.dtype.kind == "f" else np.ones(len(values), bool)
    return values, filled


def _duplicated(df: pd.DataFrame, key: list[str]) -> np.ndarray:
    """Rows whose key occurs more than once, on integer codes: one integer per row (the
    codes of the key's columns combined) and a count per possible key when those are few,
    else the combined keys sorted in place (no hash table)."""
    parts = [_distinct(df[k]) for k in key]
    space = 1
    for distinct, _ in parts:
        space *= len(distinct) + 1
    if space >= 2**62:
        return df.duplicated(key, keep=False).to_numpy()
    combined = _combined_key(parts)
    if space <= 2 * len(df) + 1024:
        repeated = np.bincount(combined, minlength=space) > 1  # one flag per possible key
        return repeated[combined]
    # sorted in place (no hash table, no index per row): the keys that repeat, if any
    combined.sort()
    twice = combined[1:] == combined[:-1]
    if not twice.any():
        return np.zeros(len(df), dtype=bool)
    repeated = np.unique(combined[1:][twice])
    del combined, twice
    return np.isin(_combined_key(parts), repeated)


def _combined_key(parts: list[tuple[pd.Series, np.ndarray]]) -> np.ndarray:
    """One integer per row from the codes of a key's columns (-1, missing, its own value):
    int32 when every combination fits, else int64."""
    space = 1
    for distinct, _ in parts:
        space *= len(distinct) + 1
    combined = np.zeros(len(parts[0][1]), dtype=np.int32 if space < 2**31 else np.int64)
    for distinct, codes in parts:
        combined *= len(distinct) + 1
        combined += codes
        combined += 1
    return combined


def _spread(flags: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """A flag per distinct value as a flag per row (False where the row is missing)."""
    flags = np.asarray(flags, dtype=bool)
    if not flags.any():  # the usual case: nothing to spread, no pass over the rows
        return np.zeros(len(codes), dtype=bool)
    return flags[np.maximum(codes, 0)] & (codes >= 0)


def _check_future(table: Table, df: pd.DataFrame, file: str, log: ProblemLog, today) -> None:
    """Dates and quarters beyond next year are typing errors (2099, 2204 for 2024)."""
    limit = today.year + 1
    for col in table.columns:
        s = df[col.name]
        if col.kind == "date":
            year = s.dt.year.to_numpy(dtype=float, na_value=np.nan)
            late, early = year > limit, year < 1950
        elif col.kind == "period":
            distinct, codes = _distinct(s)
            y = pd.to_numeric(distinct.astype("str").str[:4], errors="coerce").to_numpy(float)
            late, early = _spread(y > limit, codes), _spread(y < 1950, codes)
        else:
            continue
        for mask, what in ((late, f"after {limit}"), (early, "before 1950")):
            if mask.any():
                log.add(file, col.name, str(s.iloc[int(np.flatnonzero(mask)[0])])[:10],
                        f"a date of the evaluation, not {what}",
                        "check the year for a typing error", rows=df.index[mask])  # fmt: skip


_PERIOD = r"\d{4}Q[1-4]"


def _validate_with_schema(table: Table, df: pd.DataFrame, file: str, log: ProblemLog) -> None:
    """Check the values present against the table's schema, whole columns at a time.

    The same checks as ``table.pandera_schema(values_only=True)`` (allowed codes, ranges,
    quarters, non-empty ids, a unique key), computed per distinct value for codes and on
    the arrays for numbers, and reported in the same order and words.
    """
    key = list(table.key)
    if key and all(k in df.columns for k in key):
        dup = _duplicated(df, key)
        if dup.any():
            joined = ", ".join(key)
            log.add(file, joined, None, f"each ({joined}) combination once",
                    "remove or merge the duplicated rows", rows=df.index[dup])  # fmt: skip
    for col in table.columns:
        if col.name not in df.columns:
            continue
        s = df[col.name]
        fails: list[np.ndarray] = []
        if col.categories is not None or col.kind in {"period", "id"}:
            distinct, codes = _distinct(s)
            text = distinct.astype("str")
            if col.categories is not None:
                fails.append(_spread(~text.isin(col.categories).to_numpy(), codes))
            if col.kind == "period":
                fails.append(_spread(~text.str.fullmatch(_PERIOD).to_numpy(bool), codes))
            if col.kind == "id":
                fails.append(_spread(text.str.len().lt(1).to_numpy(bool), codes))
        if col.low is not None and pd.api.types.is_numeric_dtype(s.dtype):
            v, filled = _numbers(s)
            out = v < col.low
            if col.high is not None:
                out |= v > col.high
            fails.append(out & filled)
        for fail in fails:
            if not fail.any():
                continue
            rows = df.index[fail]
            value = s.iloc[int(np.flatnonzero(fail)[0])]
            fix = "correct the value"
            if col.categories is not None and isinstance(value, str):
                near = closest(value, col.categories)
                fix = f"use {near!r}" if near else f"use one of {', '.join(col.categories)}"
            elif col.low is not None:
                fix = "check for typing errors; the value is outside the allowed range"
            log.add(file, col.name, value, col.allowed(), fix, rows=rows)


def _check_nip_like(table: Table, df: pd.DataFrame, file: str, log: ProblemLog) -> None:
    """Ids that are NIPs or NIKs in any writing (spaces, dots, 16–19 digits, ``E+``)."""
    for col in table.columns:
        if col.kind != "id":
            continue
        distinct, codes = _distinct(df[col.name])
        first = distinct.astype("str").str.lstrip().str[:1]
        maybe = first.str.isdigit().fillna(False).to_numpy(dtype=bool)
        flags = np.zeros(len(distinct), dtype=bool)  # a NIP in any writing starts with a digit
        if maybe.any():
            flags[maybe] = looks_like_nip(distinct[maybe])
        hit = _spread(flags, codes)
        if hit.any():
            log.add(
                file,
                col.name,
                None,
                "a pseudonym or code, not a NIP or NIK (values not shown: personal data)",
                "pseudonymise NIPs first with toolkit.data.pseudonymize_nip or read_roster",
                rows=df.index[hit],
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


#: Arrow's reading of each column kind on the fast path (see :func:`_read_fast`).
_ARROW_KIND = {"small_int": "int16", "int": "int64", "float": "float64", "bool": "bool",
               "date": "date"}  # fmt: skip


def _read_fast(name: str, path: Path, log: ProblemLog) -> _Columns | None:
    """A plain UTF-8 CSV read by Arrow in the schema's types; None for the general reader.

    Only the table's columns are read: numbers, booleans and ISO dates are parsed by Arrow
    as the file streams by, codes and text come dictionary-coded (categoricals) and are
    cleaned and parsed once per distinct value by :func:`_check_table`. A header the schema
    does not know gets the note :func:`named_columns` gives it; anything unusual (a repeated
    or missing column, a ``nip`` column, an unnamed column, blank lines, another encoding, a
    ragged line …) goes to the general reader, which reports it as it always has.
    """
    head = csv_head(path)
    if head is None:
        return None
    cells, sep = head
    table = TABLES[name]
    if name == "participants" and "nip" in {normalise_header(c) for c in cells}:
        return None
    scratch = ProblemLog()
    required = {c.name for c in table.columns if not c.nullable}
    names = {c.name for c in table.columns}
    if len(set(cells)) == len(cells) and required <= set(cells) <= names:
        # the schema's own headers, each once: nothing to rename, report or ignore
        position = {cell: i for i, cell in enumerate(cells)}
    else:
        probe = pd.DataFrame([list(range(len(cells)))], columns=pd.Index(cells, dtype=object))
        described = {c.name: c.description for c in table.columns}
        named = named_columns(probe, path.name, scratch, described, required)
        if named is None:
            return None
        position = dict(zip(named.columns, named.iloc[0].tolist(), strict=True))
    kinds = {}
    for c in table.columns:
        if c.name in position:
            money = c.name.endswith("_idr") and c.kind == "float"  # "1.500" is 1500 here
            kinds[position[c.name]] = "text" if money else _ARROW_KIND.get(c.kind, "text")
    read = read_csv_typed(path, sep, len(cells), kinds)
    if read is None:
        return None
    columns, lines = read
    for text in scratch.notes:
        log.note(text)
    return _Columns({c: columns[i] for c, i in position.items()}, lines.rename("row"))


class _Columns(dict):
    """The columns :func:`_read_fast` read, by name, with their rows' index: what
    :func:`_check_table` takes (and lets go of) one column at a time, as it does a frame's
    (without a DataFrame built only to be taken apart: each ``pop`` of one rebuilds it)."""

    def __init__(self, columns: dict, index: pd.Index):
        super().__init__(
            (name, pd.Series(values, index=index, copy=False)) for name, values in columns.items()
        )
        self.index = index

    @property
    def empty(self) -> bool:
        return len(self.index) == 0


def _read_parquet(name: str, path: Path, log: ProblemLog) -> pd.DataFrame | None:
    """A Parquet file the loader did not write (or that changed since): every column as the
    texts its cells show, to be checked exactly like a CSV file with those cells. Row ``n``
    of a message is the ``n - 1``-th row of the file, as if it had a header line."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path, use_pandas_metadata=False)
    except (pa.ArrowException, OSError) as exc:
        log.add(path.name, None, None, "a Parquet file that can be read",
                f"the file could not be read ({type(exc).__name__}); write it again, e.g. "
                "with python -m toolkit convert")  # fmt: skip
        return None
    index = pd.RangeIndex(2, 2 + table.num_rows, name="row")
    columns = {}
    for field in table.schema:
        if field.name.startswith("__index_level_"):
            continue  # a pandas index written along: not a column of the table
        columns[field.name] = pd.Series(arrow_as_text(table.column(field.name)), index=index)
    del table
    raw = pd.DataFrame(columns, index=index, copy=False)
    raw.columns = pd.Index(list(columns), dtype=object)
    return raw


#: The manifest ``convert`` writes next to the Parquet files (hidden: never read as a table).
PARQUET_MANIFEST = ".asn-toolkit-parquet.json"
#: Changes whenever the loader's checks change: a folder converted under other checks is
#: checked again row by row.
_CHECKS_VERSION = 1


def _manifest(directory: Path) -> dict | None:
    import json

    path = directory / PARQUET_MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = (
        isinstance(manifest, dict)
        and manifest.get("tool") == "asn-training-toolkit"
        and manifest.get("checks") == _CHECKS_VERSION
        and isinstance(manifest.get("tables"), dict)
    )
    return manifest if ok else None


def _digest(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _verified(directory: Path, found: dict[str, Path]) -> tuple[dict[str, str], dict | None]:
    """Tables whose Parquet file may be exactly as :func:`convert` wrote it (its name and
    size in the manifest), with the SHA-256 the manifest gives: :func:`_read_verified`
    compares it with the bytes it reads. Their row-level checks passed then and are not
    repeated."""
    manifest = _manifest(directory)
    if manifest is None:
        return {}, None
    verified = {}
    for name, path in found.items():
        entry = manifest["tables"].get(name)
        if (
            path.suffix.lower() == ".parquet"
            and isinstance(entry, dict)
            and entry.get("file") == path.name
            and entry.get("bytes") == path.stat().st_size
            and isinstance(entry.get("sha256"), str)
        ):
            verified[name] = entry["sha256"]
    return verified, manifest


def _categorical(column) -> pd.Categorical:
    """A dictionary-encoded Arrow column as a categorical: its dictionary becomes the
    categories and its indices the codes (pyarrow's own conversion checks every code)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = column.chunks
    if any(not c.dictionary.equals(chunks[0].dictionary) for c in chunks[1:]):
        chunks = column.unify_dictionaries().chunks
    if not chunks:
        dictionary, indices = pa.array([], pa.string()), np.zeros(0, dtype=np.int8)
    else:
        dictionary = chunks[0].dictionary
        indices = pa.chunked_array([c.indices for c in chunks])
        if indices.null_count:
            indices = pc.fill_null(indices, -1)
        indices = _numpy(indices)  # (pandas writes to the codes of a cell set in place)
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    categories = pd.Index(pd.array(dictionary, dtype=text))
    return distinct_categorical(indices, categories, ordered=column.type.ordered)


def _read_verified(name: str, path: Path, sha256: str) -> pd.DataFrame | None:
    """A Parquet file :func:`convert` wrote: read in its stored types; None if its bytes are
    not those whose SHA-256 the manifest gives, or its columns or types are not the table's
    after all (it is then checked row by row). The bytes hashed are the bytes read (the file
    is mapped once: hashed, in the lane's own thread, then decoded from memory)."""
    import hashlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    expected = _dtypes(name)
    try:
        with mapped(path) as view:
            if hashlib.sha256(view).hexdigest() != sha256:
                return None
            source = pq.ParquetFile(pa.BufferReader(pa.py_buffer(view)))
            if source.schema_arrow.names != list(expected):
                return None
            table = source.read()
            del source
    except (OSError, ValueError, pa.ArrowException):  # changed or unreadable since: checked
        return None
    large = table.nbytes >= _TRIM_BYTES
    rows = pd.RangeIndex(2, 2 + table.num_rows, name="row")
    columns = {}
    for col, want in expected.items():
        # each Arrow column is let go as soon as pandas has its own
        values = _pandas_column(table.column(col), want)
        table = table.drop_columns([col])
        if values is None:
            return None
        columns[col] = values
    del table
    if large:  # (as after a CSV file, see _TRIM_BYTES)
        pa.default_memory_pool().release_unused()
    return pd.DataFrame(columns, index=rows, copy=False)


def _pandas_column(column, want: str):
    """An Arrow column that :func:`convert` wrote as the pandas array of dtype ``want``
    (``"category"`` for any categorical); None if it is of another type.

    Built from the Arrow buffers directly (pyarrow's ``to_pandas`` first rebuilds the
    frame from its pandas metadata); each array is pandas's own, so that a cell can be set
    in place (:func:`_numpy`).

    Examples
    --------
    >>> import pyarrow as pa
    >>> _pandas_column(pa.chunked_array([pa.array([3, None], pa.int16())]), "Int16").tolist()
    [3, <NA>]
    >>> _pandas_column(pa.chunked_array([pa.array([0], pa.timestamp("ms"))]), "datetime64[s]")
    array(['1970-01-01T00:00:00'], dtype='datetime64[s]')
    >>> _pandas_column(pa.chunked_array([pa.array(["a", None])]), "str").tolist()
    ['a', nan]
    >>> _pandas_column(pa.chunked_array([pa.array([1.5])]), "Int16") is None
    True
    """
    import pyarrow as pa

    kind = column.type
    if want == "category":
        return _categorical(column) if pa.types.is_dictionary(kind) else None
    if want == "str":
        ok = pa.types.is_string(kind) or pa.types.is_large_string(kind)
        return pd.array(column, dtype="str") if ok else None
    if want.startswith("datetime64"):
        if not pa.types.is_timestamp(kind) or kind.tz is not None:
            return None
        unit = want[len("datetime64[") : -1]  # Parquet keeps milliseconds, not seconds
        return _numpy(column.cast(pa.timestamp(unit)))
    arrow = {"Int16": pa.int16(), "int64": pa.int64(), "bool": pa.bool_(),
             "float64": pa.float64()}.get(want)  # fmt: skip
    if arrow is None or kind != arrow:
        return None
    if want == "float64":
        return _numpy(column)  # missing values as NaN
    if want == "Int16":
        mask = _numpy(column.is_null())
        return pd.arrays.IntegerArray(_numpy(column.fill_null(0)), mask)
    return None if column.null_count else _numpy(column)


def _numpy(column) -> np.ndarray:
    """An Arrow column as a NumPy array that pandas may write to (a read-only view of
    Arrow's memory would make ``df.loc[0, "rating"] = 2`` fail).

    Numbers without missing values in memory Arrow allocated for them (``is_mutable``: a
    column just decoded, or joined from its chunks here) are taken over as they are, with
    no copy: the Arrow table they come from is let go (:func:`_read_verified`), so that
    nothing else sees them. Any other column is copied.

    >>> import pyarrow as pa
    >>> values = _numpy(pa.chunked_array([pa.array([1, 2]), pa.array([3], pa.int64())]))
    >>> values.tolist(), values.flags.writeable
    ([1, 2, 3], True)
    """
    import pyarrow as pa

    array = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    kind = array.type
    if not array.null_count and (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
        data = array.buffers()[1]
        dtype = np.dtype(kind.to_pandas_dtype())
        if data is not None and data.is_mutable:
            values = np.frombuffer(data, dtype, len(array), array.offset * dtype.itemsize)
            if values.flags.writeable:
                return values
    return array.to_numpy(zero_copy_only=False, writable=True)


def _read_checked(name: str, path: Path, log: ProblemLog) -> pd.DataFrame | None:
    raw, named = None, False
    if path.suffix.lower() == ".parquet":
        raw = _read_parquet(name, path, log)
        if raw is None:
            return None
    elif path.suffix.lower() in {".csv", ".txt"}:
        raw = _read_fast(name, path, log)
        named = raw is not None
    raw = read_logged(path, name, log) if raw is None else raw
    if raw is None:
        return None
    if raw.empty and name in CORE_TABLES:
        log.add(path.name, None, None, "at least one data row under the header",
                "export the table again with its rows; every analysis needs "
                + ", ".join(f"{t}.csv" for t in CORE_TABLES))  # fmt: skip
    elif raw.empty:
        log.note(f"{path.name} has a header but no rows; it is treated as empty.")
    return _check_table(name, raw, path.name, log, named=named)


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


def _index_in(values: pd.Series, ref: pd.Series) -> np.ndarray:
    """Where each value's text is among ``ref``'s distinct texts (-1: not there), by
    Arrow's hash kernel (no Python object per value).

    >>> _index_in(pd.Series(["b", "x", None]), pd.Series(["a", "b"])).tolist()
    [1, -1, -1]
    """
    import pyarrow.compute as pc

    text, known = (arrow_text(s.astype("str")) for s in (values, ref))
    return pc.index_in(text, value_set=known).fill_null(-1).to_numpy(zero_copy_only=False)


def _positions(keys: pd.Series, ref: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Where each distinct value of ``keys`` first occurs in ``ref`` (-1: absent), and the
    row codes of ``keys`` (-1: missing). Joins on integer codes: text is compared once per
    distinct value, never per row."""
    distinct, codes = _distinct(keys)
    ref_distinct, ref_codes = _distinct(ref)
    first = np.full(len(ref_distinct), -1, dtype=np.int64)
    seen, at_row = np.unique(ref_codes, return_index=True)
    first[seen[seen >= 0]] = at_row[seen >= 0]
    at = _index_in(distinct, ref_distinct)
    pos = np.where(at >= 0, first[np.maximum(at, 0)] if len(first) else -1, -1)
    return pos, codes


def _looked_up(keys: pd.Series, ref: pd.DataFrame, key: str, column: str) -> np.ndarray:
    """``ref[column]`` of the first ``ref`` row whose ``key`` equals each row's key, as an
    array (NaN, or None for text, where there is none)."""
    pos, codes = _positions(keys, ref[key])
    hit = pos[np.maximum(codes, 0)] if len(pos) else np.full(len(codes), -1)
    hit = np.where(codes >= 0, hit, -1)
    values = ref[column]
    if pd.api.types.is_numeric_dtype(values.dtype) and not isinstance(
        values.dtype, pd.CategoricalDtype
    ):
        arr = values.to_numpy(dtype=float, na_value=np.nan)
        return np.where(hit >= 0, arr[np.maximum(hit, 0)] if len(arr) else np.nan, np.nan)
    arr = values.astype(object).where(values.notna(), None).to_numpy(dtype=object)
    out = np.full(len(hit), None, dtype=object)
    out[hit >= 0] = arr[hit[hit >= 0]]
    return out


def _unknown_keys(child: pd.DataFrame, parent: pd.DataFrame, cols, ref_cols) -> np.ndarray:
    """Rows of ``child`` (all key columns filled) whose key is not in ``parent``.

    Each column's distinct values are looked up in the parent's once; a one-column key is
    then a flag per distinct value spread to the rows. A combined key is built from the
    parent's codes :data:`_CHUNK` rows at a time (its temporaries stay small on long
    tables) and looked up in a flag per possible key when those are few
    (:data:`_DENSE_KEYS`), else among the parent's keys, sorted.
    """
    lookups = []
    ref_key = np.zeros(len(parent), dtype=np.int64)
    space = 1
    for c, r in zip(cols, ref_cols, strict=True):
        distinct, codes = _distinct(child[c])
        ref_distinct, ref_codes = _distinct(parent[r])
        at = _index_in(distinct, ref_distinct)
        n = max(len(ref_distinct), 1)
        # the parent's code of each child code, and -1 last: for a missing value (code -1)
        lookups.append((np.append(at, -1), codes, n))
        ref_key = ref_key * n + np.maximum(ref_codes, 0)
        ref_key[ref_codes < 0] = -1
        space *= n
    if len(lookups) == 1:
        return _spread(at < 0, codes)
    known = ref_key[ref_key >= 0]
    dense = space <= _DENSE_KEYS
    if dense:
        listed = np.zeros(space, dtype=bool)
        listed[known] = True
    else:
        known = np.unique(known)
    dtype = np.int32 if space < 2**31 else np.int64
    unknown = np.zeros(len(child), dtype=bool)
    for start in range(0, len(child), _CHUNK):
        rows = slice(start, start + _CHUNK)
        m = len(unknown[rows])
        key, absent, filled = np.zeros(m, dtype), np.zeros(m, bool), np.ones(m, bool)
        for parent_code, codes, n in lookups:
            part = codes[rows]
            here = parent_code[part]
            filled &= part >= 0
            absent |= here < 0
            key *= n
            key += here.astype(dtype, copy=False)
        absent |= ~filled
        if dense:
            key[absent] = 0
            missing = ~listed[key]
        elif len(known):
            missing = known[np.minimum(np.searchsorted(known, key), len(known) - 1)] != key
        else:
            missing = np.ones(m, dtype=bool)
        unknown[rows] = filled & (absent | missing)
    return unknown


#: Combined keys with at most this many possible values are looked up in a flag per value.
_DENSE_KEYS = 1 << 22
#: Rows per step where a check builds temporaries per row.
_CHUNK = 1 << 16


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
            if not np.logical_and.reduce([df[c].notna().to_numpy() for c in cols]).any():
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
            unknown = _unknown_keys(df, parent, cols, fk.ref_columns)
            if unknown.any():
                first = df[cols].iloc[int(np.flatnonzero(unknown)[0])]
                value = first.iloc[0] if len(cols) == 1 else tuple(first)
                what = "enrolled in that session" if fk.table == "enrollments" else ""
                log.add(
                    files[name],
                    ", ".join(cols),
                    value,
                    f"an id listed in {files.get(fk.table, fk.table + '.csv')}"
                    + (f" ({what})" if what else ""),
                    f"add the missing row to {fk.table} or correct the id",
                    rows=df.index[unknown],
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
        bad = (sessions["end_date"] < sessions["start_date"]).fillna(False)
        if bad.any():
            log.add(files["sessions"], "end_date", str(sessions.loc[bad, "end_date"].iloc[0])[:10],
                    "a date on or after start_date", "swap or correct the dates",
                    rows=_rows(sessions, bad))  # fmt: skip
    enr = frames.get("enrollments")
    if enr is not None and sessions is not None:
        jp = _looked_up(enr["session_id"], sessions, "session_id", "jp")
        bad = enr["attended_jp"].to_numpy(dtype=float, na_value=np.nan) > jp
        if bad.any():
            log.add(files["enrollments"], "attended_jp",
                    float(enr["attended_jp"].iloc[int(np.flatnonzero(bad)[0])]),
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
        prog = _looked_up(costs["session_id"], sessions, "session_id", "program")
        given = costs["program"].astype(object).to_numpy(dtype=object)
        bad = np.array([p is not None and p != g for p, g in zip(prog, given, strict=True)],
                       dtype=bool)  # fmt: skip
        if bad.any():
            log.add(files["costs"], "program", given[bad][0],
                    "the programme of the session named in session_id",
                    "correct program or session_id", rows=_rows(costs, bad))  # fmt: skip


_ANSWER_TABLES = {
    "reaction": ("response", "reaction"),
    "tests": ("correct", "knowledge_test"),
    "behavior": ("rating", "behavior"),
}


def _check_answers(frames, files, inst: pd.DataFrame, log: ProblemLog) -> None:
    """Answers against the item bank, per distinct item code (joined on integer codes)."""
    for name, (column, instrument) in _ANSWER_TABLES.items():
        df = frames.get(name)
        if df is None:
            continue
        code = df["item_code"]
        pos, codes = _positions(code, inst["item_code"])
        known = pos >= 0
        kinds = inst["instrument"].astype(object).to_numpy(dtype=object)
        kind = np.where(known, kinds[np.maximum(pos, 0)] if len(kinds) else None, None)
        wrong = _spread(known & (kind != instrument), codes)
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            log.add(files[name], "item_code", code.iloc[i],
                    f"an item of the {instrument} instrument",
                    f"move these answers to the table for {kind[codes[i]]} items",
                    rows=df.index[wrong])  # fmt: skip
        # each item's scale, per distinct code; rows compared in small integers
        lo_d, hi_d = (np.where(known, inst[side].to_numpy(dtype=float, na_value=np.nan)[
            np.maximum(pos, 0)] if len(inst) else np.nan, np.nan)
            for side in ("scale_min", "scale_max"))  # fmt: skip
        scaled = known & np.isfinite(lo_d) & np.isfinite(hi_d)
        lo_d = np.where(scaled, lo_d, 0).astype(np.int16)
        hi_d = np.where(scaled, hi_d, 0).astype(np.int16)
        value, filled = _numbers(df[column])
        rows_scaled = _spread(scaled, codes) & filled
        at = np.maximum(codes, 0)
        lo, hi = lo_d[at], hi_d[at]
        out = ((value < lo) | (value > hi)) & rows_scaled
        if name == "reaction":
            out &= value != NA_CODE
        if out.any():
            i = int(np.flatnonzero(out)[0])
            extra = f", or {NA_CODE} for tidak tahu" if name == "reaction" else ""
            log.add(files[name], column, int(value[i]),
                    f"an answer on item {code.iloc[i]}'s scale, {int(lo[i])} to "
                    f"{int(hi[i])}{extra}",
                    "check for typing errors or a different scale (e.g. 0–10 entered on 1–5)",
                    rows=df.index[out])  # fmt: skip


#: Tables are read and checked two at a time (Arrow's parser and most NumPy and pandas
#: work release the GIL) when their files hold more than this together.
_ALONE_BYTES = 8 << 20
#: The memory freed by reading and checking a file is handed back to the system before the
#: next table, unless the file is a CSV file smaller than this: its temporaries are reused
#: (handing back a small table's and faulting them in again cost about 5 % of a load's
#: time at scale 10 of the synthetic data, for a peak about as high).
_TRIM_BYTES = 1 << 20
#: How many bytes of CSV a byte of Parquet stands for when tables are shared between threads.
_PARQUET_WEIGHT = 8


def _read_one(
    name: str, path: Path, verified: dict[str, str]
) -> tuple[pd.DataFrame | None, ProblemLog]:
    """One table read and checked with its own log (merged by :func:`_read_all`).

    A table without problems comes typed as it will be loaded (each checked column let
    go as its typed one exists), still indexed by file line for the checks across tables.
    A table in ``verified`` (:func:`_verified`) that is not as convert wrote it after all
    is taken out of it and checked.
    """
    own = ProblemLog()
    df = _read_verified(name, path, verified[name]) if name in verified else None
    if df is None:
        verified.pop(name, None)
        df = _read_checked(name, path, own)
        if df is not None and not own.problems:
            df = _as_typed(name, df, trusted=True).set_axis(df.index)
        if path.suffix.lower() != ".csv" or path.stat().st_size >= _TRIM_BYTES:
            _release_freed()  # the reading's and checks' temporaries, before the next table
    return df, own


def _read_all(
    found: dict[str, Path], verified: dict[str, str], alone_bytes: int = _ALONE_BYTES
) -> dict[str, tuple[pd.DataFrame | None, ProblemLog]]:
    """Every table file read and checked, in ``found``'s order, each with its own log.

    Two lanes read at once: a second thread reads the largest files, up to half of all
    bytes, one after the other, largest first (so the two largest tables are not read at
    the same time when they fit in half), while this thread takes the other files, largest
    first; whichever lane is free takes the next of them (a small table costs more per byte
    than a large one: its columns' set-up is the same). A folder of one file, or of files
    below ``alone_bytes`` together, is read in this thread alone. A Parquet file counts
    :data:`_PARQUET_WEIGHT` times its size (it is compressed: its tables are about that
    much larger in memory, and Arrow decodes them outside Python's lock).

    Examples
    --------
    Two at a time or one by one, the same tables, problems and notes, in the same order:

    >>> import shutil, tempfile, toolkit
    >>> folder = Path(shutil.copytree(toolkit.SAMPLE_DATA, Path(tempfile.mkdtemp()) / "d"))
    >>> for name in ("units", "tests"):  # a repeated last row: a duplicated key in each
    ...     lines = (folder / f"{name}.csv").read_text(encoding="utf-8").splitlines()
    ...     _ = (folder / f"{name}.csv").write_text("\\n".join(lines + lines[-1:]) + "\\n")
    >>> found, _, _ = _table_files(folder, ProblemLog())
    >>> alone, together = _read_all(found, {}), _read_all(found, {}, alone_bytes=0)
    >>> [p.file for _, log in together.values() for p in log.problems]
    ['tests.csv', 'units.csv']
    >>> all(a[1] == b[1] and a[0].equals(b[0]) for a, b in zip(alone.values(),
    ...                                                      together.values(), strict=True))
    True
    >>> list(together) == list(found)
    True
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    sizes = {
        name: p.stat().st_size * (_PARQUET_WEIGHT if p.suffix.lower() == ".parquet" else 1)
        for name, p in found.items()
    }
    if len(found) < 2 or sum(sizes.values()) < alone_bytes:
        return {name: _read_one(name, p, verified) for name, p in found.items()}
    big: list[str] = []
    for n in sorted(found, key=sizes.get, reverse=True):
        if sum(sizes[b] for b in big) >= sum(sizes.values()) / 2:
            break
        big.append(n)
    rest = iter(sorted((n for n in found if n not in big), key=sizes.get, reverse=True))
    taking = threading.Lock()
    done: dict[str, tuple[pd.DataFrame | None, ProblemLog]] = {}

    def lane(first: list[str]) -> None:
        for n in first:
            done[n] = _read_one(n, found[n], verified)
        while True:
            with taking:
                n = next(rest, None)
            if n is None:
                return
            done[n] = _read_one(n, found[n], verified)

    with ThreadPoolExecutor(1) as pool:
        second = pool.submit(lane, big)
        lane([])
        second.result()
    return {name: done[name] for name in found}


def load(path: str | Path, *, tables: Iterable[str] | None = None) -> EvaluationData:
    """Read a directory of evaluation tables, check them, and return typed tables.

    Parameters
    ----------
    path : str or Path
        Directory with one file per table, named after the table (``units.csv``,
        ``participants.xlsx``, ``reaction.parquet`` …); formats may be mixed, one file per
        table. CSV files may be UTF-8 with or without BOM, comma- or semicolon-separated,
        with decimal commas. An XLSX file's sheet named after the table is read, else its
        first sheet. A Parquet file is checked like a CSV file with the same cells, unless
        :func:`convert` wrote it and it is unchanged (size and SHA-256 in the folder's
        manifest): its rows were checked then, and it is read in its stored types.
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

    Notes
    -----
    Plain CSV files and converted Parquet files are mapped into memory (read-only) while
    they are read. Do not rewrite a data file in place during a load: a file cut short
    under its mapping stops the Python process (``SIGBUS``). Saving a new file over it, as
    spreadsheet programs and ``convert`` do, is safe.

    Examples
    --------
    >>> import toolkit
    >>> data = load(toolkit.SAMPLE_DATA)
    >>> data.sessions["method"].cat.categories.tolist()
    ['workshop', 'seminar', 'project_based', 'simulation', 'e_learning']
    """
    return _load(Path(path), tables)


@contextlib.contextmanager
def _c_allocator():
    """Arrow allocates from the C library's allocator inside (``pyarrow.system_memory_pool``),
    its default pool again afterwards. mimalloc, Arrow's default, keeps the memory that
    reading and checking files frees for later use: the peak of a CSV load was 2.1–2.3× the
    loaded tables at scale 50 of the synthetic data, 1.7–1.9× with the C allocator, at the
    same speed (``benchmarks/bench_load.py``); the checks across tables, run inside too,
    left 8–12 MB more resident with mimalloc at scale 10. Converted Parquet, read without
    checks, is read faster with mimalloc and keeps it."""
    import pyarrow as pa

    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _load(directory: Path, tables: Iterable[str] | None) -> EvaluationData:
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
    verified, manifest = _verified(directory, found) if not len(log) else ({}, None)
    with _c_allocator() if set(found) - set(verified) else contextlib.nullcontext():
        read = _read_all(found, verified)  # (which keeps in verified only the files that are)
        # a folder exactly as convert wrote it passed the checks across tables then
        checked = not (
            manifest is not None
            and verified
            and set(verified) == set(manifest["tables"]) == set(found)
        )
        for name, (df, own) in read.items():
            log.problems.extend(own.problems)  # in table order, as if read one by one
            for text in own.notes:
                log.note(text)
            if df is not None:
                frames[name] = df
        del read
        if checked:
            _check_references(frames, files, log, others, misnamed)
            _check_rules(frames, files, log)
    if not checked:
        for text in manifest.get("notes", []):
            log.note(str(text))
        log.note(f"{directory.name}: Parquet tables written by `python -m toolkit convert` "
                 "and unchanged since; their checks were not repeated.")  # fmt: skip
    log.raise_if_any(str(directory))
    present = tuple(n for n in TABLES if n in frames)

    # every table is typed by now (by _read_one; one convert wrote, unchanged, was read in
    # its types): only the file lines give way to row numbers
    typed = {
        name: frames[name].set_axis(pd.RangeIndex(len(frames[name])))
        if name in frames
        else empty_table(name)
        for name in TABLES
    }
    return EvaluationData(**typed, present=present, notes=tuple(log.notes))


# --------------------------------------------------------------------------- Parquet out


def _within(a: Path, b: Path) -> bool:
    return a == b or b in a.parents


def _check_out(out: Path, data: Path) -> None:
    """The policy of ``report --out``: never write over what this command did not write."""
    if _within(out, data) or _within(data, out):
        raise OutputFolderError(
            f"The Parquet folder {out} is, contains or lies inside the data folder {data}. "
            "Choose a folder outside the data, e.g. --out data.parquet beside it."
        )
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"{out} is a file, not a folder. Choose another --out.")
    if not out.exists():
        return
    content = {p.name for p in out.iterdir()}
    if not content:
        return
    manifest = _manifest(out)
    if PARQUET_MANIFEST not in content or manifest is None:
        raise OutputFolderError(
            f"{out} already exists and is not a Parquet folder written by this toolkit "
            f"({len(content)} item(s) in it, e.g. {sorted(content)[0]}). Nothing was "
            "changed. Choose a new or empty folder for --out."
        )
    written = {str(e.get("file")) for e in manifest["tables"].values() if isinstance(e, dict)}
    foreign = sorted(content - written - {PARQUET_MANIFEST})
    if foreign:
        raise OutputFolderError(
            f"{out} was written by convert, but holds files it did not write: "
            f"{', '.join(foreign[:5])}. Move them elsewhere, or choose another --out."
        )


def convert(data: str | Path, out: str | Path) -> list[Path]:
    """Check a data folder once and write its tables as typed Parquet files.

    The folder is loaded with :func:`load` (every check; a :class:`DataError` and nothing
    written when the data are not usable) and each table present is written as
    ``<out>/<table>.parquet``. The files are built in a hidden temporary folder beside
    ``out`` and put in place only when all are written. ``out`` must be new, empty or a
    previous result of ``convert`` (which it replaces); it may not be, contain or lie inside
    ``data``.

    The layout is a contract that other readers (the DuckDB engine) rely on:

    * one file per table present, ``<out>/<table>.parquet``, named after the tables of
      :data:`toolkit.schema.TABLES`; tables without rows in the source are not written;
    * the columns of ``TABLES[table].column_names``, in that order, and nothing else; one
      row per row of the table, in the source's order;
    * the types :func:`load` gives: codes as dictionary-encoded strings (the categories in
      the loaded order, pandas metadata included), text as strings, answers as nullable
      int16, other whole numbers as int64, amounts and shares as double, booleans as bool,
      dates as timestamp[s];
    * the manifest ``.asn-toolkit-parquet.json`` (JSON): ``tool``, ``checks`` (the version
      of the loader's checks), ``toolkit_version``, ``notes`` (the load's notes) and
      ``tables``: for each table ``file``, ``rows``, ``bytes`` and ``sha256`` of its file.

    :func:`load` of such a folder skips the row-level checks and the checks across tables
    when every file still has the size and SHA-256 of the manifest (and ``checks`` is the
    current version); any other Parquet file is checked like a CSV file.

    Parameters
    ----------
    data : str or Path
        The folder of tables (CSV, XLSX or Parquet).
    out : str or Path
        The folder to write.

    Returns
    -------
    list of Path
        The files written (the manifest last).

    Raises
    ------
    DataError
        When the data do not pass the checks (nothing is written).
    OutputFolderError
        When ``out`` holds files that ``convert`` did not write, or overlaps ``data``.

    Examples
    --------
    >>> import tempfile, toolkit
    >>> out = Path(tempfile.mkdtemp()) / "sample.parquet"
    >>> [p.name for p in convert(toolkit.SAMPLE_DATA, out)][:3]
    ['units.parquet', 'participants.parquet', 'sessions.parquet']
    >>> load(out).units.equals(load(toolkit.SAMPLE_DATA).units)
    True
    """
    import json
    import shutil
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit import __version__

    data_dir, target = Path(data).resolve(), Path(out).resolve()
    _check_out(target, data_dir)
    loaded = load(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-converting-", dir=target.parent))
    old = target.with_name(f".{target.name}-previous-{tmp.name.rsplit('-', 1)[-1]}")
    try:
        entries = {}
        for name in loaded.present:
            df = getattr(loaded, name)
            path = tmp / f"{name}.parquet"
            pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path)
            entries[name] = {"file": path.name, "rows": len(df),
                             "bytes": path.stat().st_size, "sha256": _digest(path)}  # fmt: skip
        manifest = {"tool": "asn-training-toolkit", "checks": _CHECKS_VERSION,
                    "toolkit_version": __version__, "notes": list(loaded.notes),
                    "tables": entries}  # fmt: skip
        (tmp / PARQUET_MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
        if target.exists() and any(target.iterdir()):
            target.rename(old)
        elif target.exists():
            target.rmdir()
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not target.exists():
            old.rename(target)  # put the previous conversion back
        raise
    if old.exists():
        shutil.rmtree(old)
    return [target / e["file"] for e in entries.values()] + [target / PARQUET_MANIFEST]


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
