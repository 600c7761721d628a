"""Reading CSV and XLSX exports as text, and parsing text cells into typed columns.

Indonesian spreadsheet exports vary: UTF-8 with or without a byte-order mark, comma or
semicolon separators, decimal commas and dots as thousands separators ("1.500.000,50"),
"ya/tidak" for booleans, day-first dates. Everything is read as text first; each column is
then parsed by its kind (see :mod:`toolkit.schema`), vectorised, and every cell that cannot
be parsed is reported with its row number. Files are only ever opened for reading.

Examples
--------
>>> parse_numbers(pd.Series(["1.500.000", "2.000", "750"]), integer=True)[0].tolist()
[1500000.0, 2000.0, 750.0]
>>> parse_numbers(pd.Series(["0,8", "1,25"]), integer=False)[0].tolist()
[0.8, 1.25]
>>> parse_bools(pd.Series(["ya", "Tidak", "TRUE", "0"]))[0].tolist()
[True, False, True, False]
>>> parse_periods(pd.Series(["2024q1", "2024-Q2", "Q3 2024", "2024 Q4"]))[0].tolist()
['2024Q1', '2024Q2', '2024Q3', '2024Q4']
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.schema import NA_CODE

__all__ = [
    "ReadFailure",
    "read_text_table",
    "parse_numbers",
    "parse_bools",
    "parse_dates",
    "parse_periods",
    "normalise_header",
    "SYNONYMS",
    "NA_WORDS",
]

TRUE_WORDS = {"true", "t", "1", "ya", "y", "yes", "benar", "iya"}
FALSE_WORDS = {"false", "f", "0", "tidak", "tdk", "n", "no", "salah", "bukan"}
#: Answers meaning "tidak tahu" / not applicable in survey columns; mapped to schema.NA_CODE.
NA_WORDS = {"tidak tahu", "tt", "n/a", "na", "tidak berlaku", "don't know", "dont know"}

#: Indonesian and common alternative spellings of the data model's codes.
SYNONYMS = {
    "sex": {"l": "M", "laki-laki": "M", "laki laki": "M", "pria": "M", "male": "M",
            "p": "F", "perempuan": "F", "wanita": "F", "female": "F", "m": "M", "f": "F"},
    "phase": {"pretest": "pre", "pre-test": "pre", "pre test": "pre", "sebelum": "pre",
              "posttest": "post", "post-test": "post", "post test": "post", "sesudah": "post"},
    "rater": {"atasan": "supervisor", "atasan langsung": "supervisor", "diri sendiri": "self",
              "sendiri": "self", "peserta": "self"},
    "method": {"lokakarya": "workshop", "simulasi": "simulation", "pbl": "project_based",
               "project-based": "project_based", "project based": "project_based",
               "e-learning": "e_learning", "elearning": "e_learning", "daring": "e_learning"},
    "provider": {"universitas": "university", "perguruan tinggi": "university",
                 "organisasi profesi": "professional_org", "professional organisation":
                 "professional_org", "professional organization": "professional_org"},
    "position_type": {"struktural": "structural", "fungsional": "functional",
                      "pelaksana": "executor"},
}  # fmt: skip


class ReadFailure(Exception):
    """A whole file could not be read; ``expected`` and ``fix`` explain it."""

    def __init__(self, value, expected: str, fix: str, row: int | None = None):
        super().__init__(expected)
        self.value, self.expected, self.fix, self.row = value, expected, fix, row


def normalise_header(name: object) -> str:
    """Header as the schema spells it: trimmed, lower case, blanks and hyphens as ``_``.

    Examples
    --------
    >>> normalise_header("\\ufeffParticipant ID ")
    'participant_id'
    """
    text = str(name).replace("\ufeff", "").strip().lower()
    return "_".join(text.replace("-", " ").split())


def _sniff_separator(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    if not raw.strip():
        raise ReadFailure(None, "a header row and data", "the file is empty; export it again")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        raise ReadFailure(
            f"byte 0x{byte}",
            "UTF-8 text",
            "save the file as 'CSV UTF-8 (Comma delimited)' in Excel, or re-encode it to "
            "UTF-8 (it looks like Windows-1252 or Latin-1)",
            row=line,
        ) from None
    if "\x00" in text:
        raise ReadFailure(None, "a text CSV file", "this looks like a binary file; export as CSV")
    first = text.lstrip("\r\n").split("\n", 1)[0]
    sep = _sniff_separator(first)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        msg = str(exc)
        row = None
        if "line" in msg:
            digits = [int(t) for t in msg.replace(",", " ").split() if t.isdigit()]
            row = digits[-2] if len(digits) >= 2 else None
        raise ReadFailure(
            None,
            f"the same number of {sep!r}-separated fields on every line ({msg})",
            "a value probably contains the separator: put it in double quotes, or use ';' "
            "as separator when numbers have decimal commas",
            row=row,
        ) from None
    return df


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path, sheet: str) -> pd.DataFrame:
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = book.sheet_names
            chosen = sheet if sheet in names else names[0]
            df = pd.read_excel(book, sheet_name=chosen, dtype=object, header=0)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise ReadFailure(
            None,
            "an Excel .xlsx workbook",
            f"the file could not be opened ({type(exc).__name__}); open it in Excel and save "
            "it again as .xlsx, or export the sheet as CSV UTF-8",
        ) from None
    if df.shape[1] == 0:
        raise ReadFailure(None, "a header row and data", f"sheet {chosen!r} is empty")
    out = pd.DataFrame({col: df[col].map(_cell_text).astype("str") for col in df.columns})
    return out.dropna(how="all")


def read_text_table(path: Path, table: str) -> pd.DataFrame:
    """Read a CSV or XLSX file with every cell as text (``""`` for empty cells).

    The index holds the spreadsheet row number of each row (header = row 1).

    Raises
    ------
    ReadFailure
        When the file is empty, not UTF-8, ragged or not a workbook.
    """
    suffix = path.suffix.lower()
    df = _read_xlsx(path, table) if suffix in {".xlsx", ".xlsm"} else _read_csv(path)
    df = df.astype("str")
    # drop fully blank lines (spreadsheets leave them at the end)
    blank = (df.apply(lambda c: c.str.strip()) == "").all(axis=1)
    df = df.loc[~blank]
    df.index = pd.Index(df.index.to_numpy() + 2, name="row")
    return df


def _strip(text: pd.Series) -> pd.Series:
    return text.astype("str").str.strip()


def parse_numbers(text: pd.Series, *, integer: bool) -> tuple[pd.Series, pd.Series]:
    """Parse numbers written the Indonesian or the English way.

    Returns the values (float, NaN for empty) and a mask of cells that are not numbers.

    Notes
    -----
    If any cell of the column has a comma, the column is read the Indonesian way: ``.``
    separates thousands and ``,`` decimals ("1.500,5" = 1500.5); a cell that then has a dot
    outside thousands groups is reported rather than guessed. Otherwise ``.`` is the decimal
    point, except that "1.500.000" (several groups) is read as thousands everywhere and
    "1.500" as 1500 in whole-number columns.
    A leading "Rp" and blanks are ignored.
    """
    text = text.astype("str")
    if not text.str.contains(",", regex=False).any():
        # fast path: plain numbers parse directly; only the others go the slow way
        values = pd.to_numeric(text.where(text.ne("")), errors="coerce").astype("float64")
        redo = values.isna() & text.ne("")
        if integer:  # "1.500" is fifteen hundred in a whole-number column
            redo |= text.str.contains(".", regex=False)
        if not redo.any():
            return values, redo
        slow, bad = _parse_numbers_slow(text[redo], integer=integer)
        values[redo] = slow
        return values, bad.reindex(text.index, fill_value=False)
    return _parse_numbers_slow(text, integer=integer)


def _parse_numbers_slow(text: pd.Series, *, integer: bool) -> tuple[pd.Series, pd.Series]:
    s = _strip(text).str.replace(r"^[Rr][Pp]\.?\s*", "", regex=True).str.replace(" ", "")
    empty = s.eq("")
    grouped = s.str.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
    if s.str.contains(",", regex=False).any():
        wrong_dot = s.str.contains(".", regex=False) & ~grouped
        s = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        wrong_dot = pd.Series(False, index=s.index)
        # "1.500.000" cannot be a decimal number; "1.500" is one, except in whole-number columns
        thousands = grouped & (s.str.count(r"\.") > 1) if not integer else grouped
        s = s.where(~thousands, s.str.replace(".", "", regex=False))
    values = pd.to_numeric(s.where(~empty), errors="coerce").astype("float64")
    bad = (~empty & values.isna()) | wrong_dot
    if integer:
        bad |= values.notna() & (values % 1 != 0)
    return values.where(~bad), bad


def parse_bools(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse true/false, 1/0, ya/tidak, yes/no; returns (values as object, bad mask)."""
    s = _strip(text).str.lower()
    values = pd.Series(pd.NA, index=s.index, dtype="boolean")
    values[s.isin(TRUE_WORDS)] = True
    values[s.isin(FALSE_WORDS)] = False
    bad = values.isna() & s.ne("")
    return values, bad


def parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse ISO dates (2024-03-15) or day-first ones (15/03/2024, 15-03-2024)."""
    s = _strip(text)
    iso = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    dmy = pd.to_datetime(s.str.replace("-", "/", regex=False), format="%d/%m/%Y", errors="coerce")
    values = iso.fillna(dmy)
    bad = values.isna() & s.ne("")
    return values, bad


def parse_periods(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalise quarters (2024Q1, 2024-Q1, 2024 q1, Q1 2024, Q1-2024) to ``YYYYQn``."""
    s = _strip(text).str.upper().str.replace(r"[\s\-_/]", "", regex=True)
    year_first = s.str.extract(r"^(\d{4})Q([1-4])$")
    q_first = s.str.extract(r"^Q([1-4])(\d{4})$")
    year = year_first[0].fillna(q_first[1])
    quarter = year_first[1].fillna(q_first[0])
    values = (year + "Q" + quarter).astype("str")
    bad = values.isna() & s.ne("")
    return values, bad


def parse_codes(text: pd.Series, column: str) -> pd.Series:
    """Trim codes and map known synonyms (e.g. sex ``L``/``P``, rater ``atasan``)."""
    s = _strip(text)
    synonyms = SYNONYMS.get(column)
    if synonyms:
        mapped = s.str.lower().map(synonyms)
        s = mapped.where(mapped.notna(), s).astype("str")
    return s


def parse_answers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse survey answers: whole numbers, with "tidak tahu"/N/A mapped to ``NA_CODE``."""
    s = _strip(text)
    na_word = s.str.lower().isin(NA_WORDS)
    values, bad = parse_numbers(s.where(~na_word, ""), integer=True)
    values = values.where(~na_word, float(NA_CODE))
    return values, bad & ~na_word
