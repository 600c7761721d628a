"""Reading CSV and XLSX exports as text, and parsing text cells into typed columns.

Indonesian spreadsheet exports vary: UTF-8 with or without a byte-order mark, comma or
semicolon separators, decimal commas and dots as thousands separators ("1.500.000,50"),
"ya/tidak" for booleans, day-first dates. The general reader (:func:`read_text_table`) reads
everything as text; each column is then parsed by its kind (see :mod:`toolkit.schema`),
vectorised, and every cell that cannot be parsed is reported with its row number. A plain
UTF-8 CSV file takes a fast path first (:func:`csv_head`, :func:`read_csv_typed`): Arrow's
streaming CSV reader parses numbers, booleans and ISO dates in their types and
dictionary-encodes text, and any column it cannot convert is read again as text.
:func:`arrow_as_text` shows a Parquet column as the texts its cells would have in a CSV
file. Files are only ever opened for reading.

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

import contextlib
import csv
import datetime as dt
import io
import mmap
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import ProblemLog
from toolkit.schema import NA_CODE
from toolkit.validation import closest

__all__ = [
    "ARROW_KINDS",
    "ReadFailure",
    "arrow_as_text",
    "csv_head",
    "read_csv_typed",
    "mapped",
    "distinct_categorical",
    "arrow_text",
    "read_text_table",
    "read_logged",
    "parse_numbers",
    "parse_bools",
    "parse_dates",
    "parse_periods",
    "normalise_header",
    "named_columns",
    "SYNONYMS",
    "NA_WORDS",
    "MISSING_WORDS",
]

TRUE_WORDS = {"true", "t", "1", "ya", "y", "yes", "benar", "iya"}
FALSE_WORDS = {"false", "f", "0", "tidak", "tdk", "n", "no", "salah", "bukan"}
#: Answers meaning "tidak tahu" / not applicable in survey columns; mapped to schema.NA_CODE.
NA_WORDS = {"tidak tahu", "tt", "n/a", "tidak berlaku", "don't know", "dont know"}

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


#: Headers written another common way: the IKM survey's "Unsur 1" … "Unsur 9", "U-1" ….
_HEADER_FORMS = ((re.compile(r"^(?:unsur|u)_?([1-9])$"), r"u\1"),)


def named_columns(
    raw: pd.DataFrame,
    file: str,
    log: ProblemLog,
    columns: Mapping[str, str],
    required: set[str] | frozenset[str],
) -> pd.DataFrame | None:
    """Give a table read as text the schema's column names, or record why it cannot.

    Headers are normalised (:func:`normalise_header`, "Unsur 1" → ``u1``). A header that
    appears twice, a required column that is missing, and an unknown header that resembles a
    known column not present (``respon`` for ``response``) are problems, each with its fix;
    other unknown columns are ignored with a note.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as :func:`read_text_table` returns it.
    file : str
        The file's name, for messages.
    log : ProblemLog
        Receives the problems and notes.
    columns : mapping of str to str
        Every known column and what it means.
    required : set of str
        The columns that must be present.

    Returns
    -------
    pandas.DataFrame or None
        The table with normalised, unique headers, or None when a required column is
        missing or a header is repeated.

    Examples
    --------
    >>> log = ProblemLog()
    >>> raw = pd.DataFrame([["U01", "4"]], columns=["Unit ID", "respon"])
    >>> named_columns(raw, "x.csv", log, {"unit_id": "", "response": ""}, {"unit_id"}) is None
    True
    >>> print(log.problems[0].fix)
    rename column 'respon' to 'response'
    """
    headers = [normalise_header(c) for c in raw.columns]
    for pattern, repl in _HEADER_FORMS:
        headers = [pattern.sub(repl, h) if h not in columns else h for h in headers]
    usable = True
    for h, n in Counter(headers).items():
        if n > 1 and h != "":
            usable = False
            log.add(file, h, None, "each column once",
                    f"the header {h!r} appears {n} times: delete or rename the repeats")  # fmt: skip
    known = [h for h in headers if h in columns]
    unknown = [h for h in dict.fromkeys(headers) if h not in columns]
    absent = [c for c in columns if c not in known]
    guessed: set[str] = set()
    for c in absent:
        cutoff = 0.6 if c in required else 0.75  # an optional column is guessed cautiously
        near = closest(c, [u for u in unknown if u not in guessed], cutoff=cutoff)
        if c in required and near is None:
            usable = False
            log.add(file, c, None, f"a column named {c!r}",
                    f"add a column {c!r}: {columns[c]}" if columns[c] else f"add a column {c!r}")  # fmt: skip
        elif near is not None:
            usable = False
            guessed.add(near)
            log.add(file, c, None, f"a column named {c!r}", f"rename column {near!r} to {c!r}")
    ignored = [u for u in unknown if u not in guessed]
    if ignored:
        shown = ", ".join(repr(u) for u in ignored[:8]) + (" …" if len(ignored) > 8 else "")
        log.note(f"{file}: column{'s' if len(ignored) > 1 else ''} {shown} ignored (not part "
                 "of the table; see the data dictionary).")  # fmt: skip
    if not usable:
        return None
    return raw.set_axis(headers, axis=1).loc[:, [h in columns for h in headers]]


def _sniff_separator(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


_SIGNATURES = (
    (b"PK\x03\x04", "an Excel .xlsx workbook (or another zip file)", ".xlsx"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook", ".xls"),
    (b"%PDF", "a PDF document", ".pdf"),
)


def _decode(raw: bytes, notes: list[str], name: str) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM) or UTF-16 (with BOM or without)."""
    for magic, what, suffix in _SIGNATURES:
        if raw.startswith(magic):
            fix = (
                f"this is {what}, not a CSV text file: rename it to {suffix}"
                if suffix == ".xlsx"
                else f"this is {what}, not a CSV text file: open it and save it as .xlsx "
                "or as 'CSV UTF-8 (Comma delimited)'"
            )
            raise ReadFailure(None, "a CSV text file", fix)
    head = raw[:4000]
    utf16 = raw[:2] in (b"\xff\xfe", b"\xfe\xff")
    if not utf16 and len(head) >= 4:
        zeros_odd, zeros_even = head[1::2].count(0), head[0::2].count(0)
        if max(zeros_odd, zeros_even) > 0.4 * (len(head) // 2):
            utf16 = True
            raw = (b"\xff\xfe" if zeros_odd > zeros_even else b"\xfe\xff") + raw
    if utf16:
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadFailure(
                None, "UTF-16 or UTF-8 text", "the file is damaged: export it again"
            ) from None
        notes.append(f"{name} is UTF-16 text (Excel's 'Unicode text'); it was read as such.")
        return text
    try:
        return raw.decode("utf-8-sig")
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


def _leading_lines(text: str) -> tuple[str, int, str | None]:
    """Drop blank lines and Excel's ``sep=;`` line before the header.

    Returns the rest of the text, how many physical lines were dropped, and the separator
    that a ``sep=`` line names (or None).
    """
    dropped, sep, start = 0, None, 0
    while True:  # walk the leading lines by offset: the large rest is copied once at most
        end = text.find("\n", start)
        if end < 0:
            break
        stripped = text[start:end].strip()
        if stripped == "":
            dropped, start = dropped + 1, end + 1
            continue
        if sep is None and stripped.lower().startswith("sep=") and len(stripped) == 5:
            sep, dropped, start = stripped[4], dropped + 1, end + 1
            continue
        break
    return (text[start:] if start else text), dropped, sep


def _ragged(text: str, sep: str, first_line: int) -> list[list[str]]:
    """Rows of a CSV whose lines do not all have the header's number of fields.

    Extra fields that are empty (a separator at the end of a line) are dropped; any other
    extra field is a :class:`ReadFailure` naming the physical line.
    """
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    width = len(rows[0]) if rows else 0
    line = first_line
    for row in rows:
        if len(row) > width and any(v.strip() for v in row[width:]):
            raise ReadFailure(
                None,
                f"{width} {sep!r}-separated fields, as in the header (this line has {len(row)})",
                "a value probably contains the separator: put it in double quotes, or use "
                "';' as separator when numbers have decimal commas; or add the missing "
                "column name to the header",
                row=line,
            )
        line += 1 + sum(v.count("\n") for v in row)
    return [row[:width] for row in rows]


def _arrow_csv(text: str, sep: str, first: str) -> pd.DataFrame | None:
    """The common case read by Arrow's CSV reader, every cell as text: a rectangular file
    without blank lines. None (and the C parser reads it) for anything else."""
    if "\n\n" in text or "\n\r\n" in text or "\n \n" in text:
        return None  # Arrow skips or rejects blank lines; rows must keep their line numbers
    import pyarrow as pa
    from pyarrow import csv as pacsv

    width = len(next(csv.reader([first], delimiter=sep)))
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None  # ragged lines, odd quoting …: the C parser and its messages take over
    text_dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    df = table.to_pandas(types_mapper={pa.string(): text_dtype}.get)
    df.columns = range(width)
    return df


def _read_csv(path: Path, notes: list[str]) -> pd.DataFrame:
    raw = path.read_bytes()
    if not raw or raw.isspace():  # (no stripped copy of a large file)
        raise ReadFailure(None, "a header row and data", "the file is empty; export it again")
    text = _decode(raw, notes, path.name)
    del raw
    if "\x00" in text:
        raise ReadFailure(None, "a text CSV file", "this looks like a binary file; export as CSV")
    text, dropped, sep = _leading_lines(text)
    if not text or text.isspace():
        raise ReadFailure(None, "a header row and data", "the file has no header row")
    cut = text.find("\n")
    first = text if cut < 0 else text[:cut]
    sep = sep or _sniff_separator(first)
    n_lines = text.count("\n") + (not text.endswith("\n"))
    # Arrow strings hold long tables compactly; for a table of thousands of (mostly empty)
    # columns, Python objects avoid building one Arrow array per column
    wide = first.count(sep) > 1000
    df = None if wide else _arrow_csv(text, sep, first)
    try:
        # the C parser reads UTF-8 bytes directly (a StringIO would hold 4 bytes a character)
        df = (
            df
            if df is not None
            else pd.read_csv(
                io.BytesIO(text.encode("utf-8")),
                sep=sep,
                header=None,
                dtype=object if wide else "str",
                encoding="utf-8",
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                quoting=csv.QUOTE_MINIMAL,
                engine="c",
            )
        )
    except pd.errors.ParserError:
        rows = _ragged(text, sep, dropped + 1)
        df = pd.DataFrame(rows[1:], columns=range(len(rows[0]))).fillna("")
        df = pd.concat([pd.DataFrame([rows[0]]), df], ignore_index=True)
        notes.append(
            f"{path.name}: some lines end with an extra empty field (a separator at the end "
            "of the line); it was ignored."
        )
    del text
    lines = df.index.to_numpy()
    if n_lines != len(df):
        # quoted values spanning lines: number rows by physical line
        multi = [c for c in df.columns if df[c].str.contains("\n", regex=False).any()]
        extra = df[multi].apply(lambda c: c.str.count("\n")).sum(axis=1)
        lines = lines + extra.cumsum().shift(fill_value=0).to_numpy()
    df.index = pd.Index(lines + dropped + 1)
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
    if isinstance(value, int | float) and abs(value) >= 1e15:
        # beyond 15 significant digits Excel has already rounded the number: show it the way
        # Excel does, so that a NIP stored as a number is recognised as damaged
        return f"{float(value):.14E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _has_formulas(path: Path) -> bool:
    import zipfile

    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with z.open(info) as f:
                    xml = f.read()
                if b"<f>" in xml or b"<f " in xml:
                    return True
    return False


def _pick_sheet(book, table: str, name: str, notes: list[str]):
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
    if not visible:
        raise ReadFailure(None, "a visible sheet", "unhide the sheet with the table")
    named = [ws for ws in visible if normalise_header(ws.title) == table]
    chosen = named[0] if named else visible[0]
    if len(book.worksheets) > 1:
        note = f"{name}: read sheet {chosen.title!r}"
        if not named:
            note += f" (the first visible one; no sheet is named {table!r})"
        if hidden:
            note += "; hidden sheets are never read (" + ", ".join(map(repr, hidden)) + ")"
        notes.append(note + ".")
    return chosen


def _read_xlsx(path: Path, table: str, notes: list[str]) -> pd.DataFrame:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise ReadFailure(
            None,
            "an Excel .xlsx workbook",
            f"the file could not be opened ({type(exc).__name__}); open it in Excel and save "
            "it again as .xlsx, or export the sheet as CSV UTF-8",
        ) from None
    try:
        ws = _pick_sheet(book, table, path.name, notes)
        ws.reset_dimensions()
        rows = [tuple(map(_cell_text, r)) for r in ws.iter_rows(min_row=1, values_only=True)]
        title = ws.title
    finally:
        book.close()
    lead = 0
    while lead < len(rows) and not any(v.strip() for v in rows[lead]):
        lead += 1
    rows = rows[lead:]
    if not rows:
        raise ReadFailure(None, "a header row and data", f"sheet {title!r} is empty")
    if _has_formulas(path):
        formulas = load_workbook(path, read_only=True, data_only=False)
        try:
            fws = formulas[title]
            fws.reset_dimensions()
            for i, r in enumerate(fws.iter_rows(min_row=1, values_only=True), start=1):
                for j, v in enumerate(r):
                    if isinstance(v, str) and v.startswith("="):
                        k = i - 1 - lead
                        if 0 <= k < len(rows) and j < len(rows[k]) and rows[k][j] == "":
                            cell = f"{get_column_letter(j + 1)}{i}"
                            raise ReadFailure(
                                cell,
                                "values, not formulas without a saved result",
                                "open the workbook in Excel, let it calculate, save it and "
                                "export again (or copy the sheet and paste values only)",
                                row=i,
                            )
        finally:
            formulas.close()
    width = max(len(r) for r in rows)
    rows = [r + ("",) * (width - len(r)) for r in rows]
    return pd.DataFrame(rows, index=pd.RangeIndex(lead + 1, lead + 1 + len(rows)))


def read_logged(path: Path, table: str, log: ProblemLog) -> pd.DataFrame | None:
    """:func:`read_text_table`, with a failure recorded in ``log`` (None returned) and the
    reader's notes added to it."""
    notes: list[str] = []
    try:
        return read_text_table(path, table, notes)
    except ReadFailure as exc:
        log.add(
            path.name, None, exc.value, exc.expected, exc.fix, rows=[exc.row] if exc.row else []
        )
        return None
    except OSError as exc:
        log.add(path.name, None, None, "a readable file", f"check the file ({exc.strerror})")
        return None
    finally:
        for text in notes:
            log.note(text)


def _blank_cells(body: pd.DataFrame) -> np.ndarray:
    """Which cells are empty or blank, as a boolean array (rows x columns)."""
    if not body.size:
        return np.zeros(body.shape, dtype=bool)
    if body.shape[1] > 1000:  # many columns: one pass over all cells beats one per column
        arr = body.to_numpy(dtype=object).ravel()
        flat = pd.Series(arr, dtype="str").str.strip().eq("").to_numpy()
        return flat.reshape(body.shape)

    def blank(c: pd.Series) -> np.ndarray:
        c = c.astype("str")
        return (c.eq("") | c.str.isspace()).to_numpy(dtype=bool)  # no stripped copies made

    return np.column_stack([blank(body[c]) for c in body.columns])


def read_text_table(path: Path, table: str, notes: list[str] | None = None) -> pd.DataFrame:
    """Read a CSV or XLSX file with every cell as text (``""`` for empty cells).

    The columns are the header row's texts as written (repeated names stay repeated); the
    index holds the physical line (CSV) or sheet row (XLSX) of each row, header = 1, so that
    a message points at the line a text editor or Excel shows. Blank lines are dropped, and so
    are columns without a header and without any value.

    Parameters
    ----------
    path : Path
        The file (``.csv``, ``.txt`` or ``.xlsx``/``.xlsm``).
    table : str
        The table's name: the sheet of that name is read from a workbook, else the first
        visible sheet. Hidden sheets are never read.
    notes : list of str, optional
        Receives what the user should know (the sheet read, an encoding other than UTF-8 …).

    Raises
    ------
    ReadFailure
        When the file is empty, not text, not UTF-8/UTF-16, ragged, not a workbook, or holds
        formulas without saved values.
    """
    notes = [] if notes is None else notes
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        grid = _read_xlsx(path, table, notes)
    else:
        grid = _read_csv(path, notes)
    header, body = grid.iloc[0], grid.iloc[1:]
    blank = _blank_cells(body)
    names = header.astype("str").str.replace("\ufeff", "").str.strip()
    keep_col = ~(names.eq("").to_numpy() & blank.all(axis=0))
    keep_row = ~blank.all(axis=1) if body.size else np.ones(len(body), dtype=bool)
    df = body if keep_row.all() and keep_col.all() else body.loc[keep_row, keep_col]
    df = df.astype("str")
    df.columns = pd.Index(header[keep_col].astype("str").tolist(), dtype=object)
    df.index = pd.Index(body.index[keep_row], name="row")
    return df


def _strip(text: pd.Series) -> pd.Series:
    return text.astype("str").str.strip()


#: Cells that mean "no value" in exports from R, Excel or SPSS; read as empty.
MISSING_WORDS = {"na", "nan", "#n/a", "n.a.", "null", "none", "-", "—"}
#: Whole numbers beyond this are not exact in a spreadsheet (Excel keeps 15 digits).
_EXACT = 2.0**53


def parse_numbers(
    text: pd.Series, *, integer: bool, money: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Parse numbers written the Indonesian or the English way.

    Returns the values (float, NaN for empty) and a mask of cells that are not numbers.

    Parameters
    ----------
    text : pandas.Series
        The cells as text.
    integer : bool
        Whole numbers only (a fraction is reported).
    money : bool
        Rupiah amounts: "1.500" is fifteen hundred, as in whole-number columns (a rupiah
        amount with three decimals does not exist), "Rp 5.897.000,-" is 5,897,000.

    Notes
    -----
    If any cell of the column has a comma, the column is read the Indonesian way: ``.``
    separates thousands and ``,`` decimals ("1.500,5" = 1500.5); a cell that then has a dot
    outside thousands groups is reported rather than guessed. Otherwise ``.`` is the decimal
    point, except that "1.500.000" (several groups) is read as thousands everywhere and
    "1.500" as 1500 in whole-number and rupiah columns.
    A leading "Rp", a trailing ",-" and blanks are ignored. Infinite values, and whole numbers
    too large to be exact (beyond 2**53), are reported.

    Examples
    --------
    >>> parse_numbers(pd.Series(["1.500", "Rp 5.897.000,-", "inf"]), integer=False,
    ...               money=True)[0].tolist()
    [1500.0, 5897000.0, nan]
    """
    text = text.astype("str")
    if not text.str.contains(",", regex=False).any():
        # fast path: plain numbers parse directly; only the others go the slow way
        values = pd.to_numeric(text.where(text.ne("")), errors="coerce").astype("float64")
        redo = values.isna() & text.ne("")
        if integer or money:  # "1.500" is fifteen hundred in a whole-number column
            redo |= text.str.contains(".", regex=False)
        if redo.any():
            slow, bad = _parse_numbers_slow(text[redo], integer=integer, money=money)
            values[redo] = slow
            bad = bad.reindex(text.index, fill_value=False)
        else:
            bad = redo
    else:
        values, bad = _parse_numbers_slow(text, integer=integer, money=money)
    wild = values.notna() & ~np.isfinite(values)
    if integer:
        wild |= values.abs() >= _EXACT
    if wild.any():
        values, bad = values.where(~wild), bad | wild
    return values, bad


def _parse_numbers_slow(
    text: pd.Series, *, integer: bool, money: bool
) -> tuple[pd.Series, pd.Series]:
    s = _strip(text).str.replace(r"^[Rr][Pp]\.?\s*", "", regex=True).str.replace(" ", "")
    s = s.str.replace(r"[.,][-\u2013\u2014]$", "", regex=True)
    empty = s.eq("")
    grouped = s.str.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
    if s.str.contains(",", regex=False).any():
        wrong_dot = s.str.contains(".", regex=False) & ~grouped
        s = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        wrong_dot = pd.Series(False, index=s.index)
        # "1.500.000" cannot be a decimal number; "1.500" is one, except in whole-number columns
        thousands = grouped if (integer or money) else grouped & (s.str.count(r"\.") > 1)
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
    """Normalise quarters (2024Q1, 2024-Q1, 2024 q1, Q1 2024, Q1-2024) to ``YYYYQn``.

    >>> values, bad = parse_periods(pd.Series(["2024Q1", " q2-2024", "", "2024Q5"]))
    >>> values.tolist(), bad.tolist()
    (['2024Q1', '2024Q2', nan, nan], [False, False, False, True])
    """
    import pyarrow.compute as pc

    s = _strip(text)
    arr = arrow_text(s)
    written = pc.or_(pc.equal(arr, ""), pc.match_substring_regex(arr, "^[0-9]{4}Q[1-4]$"))
    if not arr.null_count and pc.all(written).as_py() is not False:
        # every quarter written as it is kept (the usual case): nothing to rewrite
        return s.where(s.ne("")), pd.Series(False, index=s.index)
    s = s.str.upper().str.replace(r"[\s\-_/]", "", regex=True)
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


# --------------------------------------------------------------------------- typed fast path

#: The Arrow reading of each column kind in :func:`read_csv_typed`; "text" columns are read
#: dictionary-encoded (each distinct text once, an integer code per row).
ARROW_KINDS = ("text", "int16", "int64", "float64", "bool", "date")
_BLOCK = 1 << 19  # 512 KiB blocks: parser speed with a small working set
_COLUMN_ERROR = re.compile(r"In CSV column #(\d+)")


def csv_head(path: Path) -> tuple[list[str], str] | None:
    """The header cells and separator of a plain UTF-8 CSV file, read from its first bytes.

    None when the file needs the general reader (:func:`read_text_table`): empty, a
    workbook or other binary file, UTF-16, blank or ``sep=`` lines before the header, a
    header cell that is empty, or a very wide header.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "units.csv"
    >>> _ = f.write_bytes("\\ufeffunit_id;unit_name\\nU01;A\\n".encode())
    >>> csv_head(f)
    (['unit_id', 'unit_name'], ';')
    """
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    cut = head.find(b"\n")
    if cut < 0 or b"\x00" in head or any(head.startswith(m) for m, _, _ in _SIGNATURES):
        return None
    try:
        first = head[:cut].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if not first.strip() or first.strip().lower().startswith("sep="):
        return None
    sep = _sniff_separator(first)
    if first.count(sep) > 1000:
        return None
    cells = next(csv.reader([first], delimiter=sep))
    if any(not c.strip() for c in cells):
        return None  # an unnamed column: the general reader drops it when it is empty
    return cells, sep


class _Retry(Exception):
    """A column that Arrow could not convert to its type: read it as text instead."""

    def __init__(self, position: int):
        super().__init__(position)
        self.position = position


def _trim() -> None:
    """Hand the heap's free pages back to the system (glibc), so that the temporaries of
    reading and checking one table do not stay resident while the next is read."""
    global _LIBC
    if _LIBC is None:
        import ctypes
        import ctypes.util

        try:
            _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _LIBC = False
    if _LIBC:
        _LIBC(0)


_LIBC = None


def _smallest(n: int) -> type:
    for t in (np.int8, np.int16, np.int32):
        if n < np.iinfo(t).max:
            return t
    return np.int64


def _arrow_type(kind: str):
    import pyarrow as pa

    return {
        "text": pa.dictionary(pa.int32(), pa.string()),
        "int16": pa.int16(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
    }[kind]


def _words(words: set[str]) -> list[str]:
    return sorted({v for w in words for v in (w, w.upper(), w.capitalize())})


def _stream(path: Path, sep: str, width: int, kinds: dict[int, str]) -> tuple[dict, int] | None:
    """Arrow's streaming CSV reader over the file: every column read, filled in place; a
    column Arrow cannot convert to its type, or whose numbers need a closer look
    (:func:`_inexact`), is read again as text (``kinds`` is updated). None if Arrow cannot
    read the file.

    The file is mapped into memory (read-only) once, rather than read: its lines are
    counted and Arrow parses it where the system keeps it, with no copy of every block into
    new memory (a quarter to a third of the page faults of a load at scale 10), and the
    pages parsed are let go as the batches come, so that they do not stay resident (they
    stay in the system's file cache).
    """
    import pyarrow as pa

    names = [f"c{i}" for i in range(width)]
    try:
        with mapped(path) as view:
            capacity = _line_feeds(view) + 1
            for _ in range(len(kinds) + 1):
                try:
                    filled, rows = _stream_from(view, sep, names, kinds, capacity)
                except _Retry as retry:
                    kinds[retry.position] = "text"
                    continue
                redo = [i for i, k in kinds.items()
                        if k in {"float64", "int64"} and _inexact(filled[i])]  # fmt: skip
                if not redo:
                    return filled, rows
                kinds.update(dict.fromkeys(redo, "text"))
    except (pa.ArrowInvalid, OSError, ValueError):
        return None
    return None  # pragma: no cover - every retry turns one more column into text


@contextlib.contextmanager
def mapped(path: Path):
    """A file mapped into memory, read-only (:class:`mmap.mmap`), unmapped afterwards.

    Arrow's read-ahead or an error's traceback may still hold a part of it for a moment:
    it is then unmapped when the last reference to it goes. An empty file cannot be mapped
    (``ValueError``).

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_bytes(b"a,b\\n1,2\\n")
    >>> with mapped(f) as view:
    ...     view[:4]
    b'a,b\\n'
    """
    with open(path, "rb") as source:
        view = mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        yield view
    finally:
        with contextlib.suppress(BufferError):
            view.close()


_COUNTED = 1 << 16  # bytes of a file whose line feeds are counted at a time


def _line_feeds(view: mmap.mmap) -> int:
    """The line feeds in a mapped file, counted by NumPy (which lets go of Python's lock
    meanwhile: ``bytes.count`` holds it), each part's pages let go once counted."""
    data = np.frombuffer(view, dtype=np.uint8)
    feeds = np.empty(_COUNTED, dtype=bool)
    lines = 0
    for start in range(0, len(data), _COUNTED):
        part = np.equal(data[start : start + _COUNTED], 10, out=feeds[: len(data) - start])
        lines += int(np.count_nonzero(part))
        _let_go(view, start, start + len(part))
    del data
    return lines


def _let_go(view: mmap.mmap, start: int, stop: int) -> None:
    """The pages of ``view[start:stop]`` no longer resident: from the first page that
    starts in it to the last that ends in it (or the end of the file). Where the system
    can; they are read again from its file cache if touched."""
    page = mmap.PAGESIZE
    start = -(-start // page) * page
    stop = len(view) if stop >= len(view) else stop // page * page
    if stop > start and hasattr(view, "madvise"):
        view.madvise(mmap.MADV_DONTNEED, start, stop - start)


_NUMPY_KIND = {"int16": np.int16, "int64": np.int64, "float64": np.float64, "bool": np.bool_,
               "date": np.int32}  # fmt: skip


class _Filled:
    """One column as Arrow's batches come: values (or, for text, each batch's dictionary
    codes) written into one array sized for every row of the file, and where values are
    missing; no piece per batch to be joined afterwards (each join a copy of the column,
    and pieces let go between other columns' pieces: memory the heap cannot reuse)."""

    def __init__(self, kind: str, capacity: int):
        self.kind = kind
        # text: codes in 16 bits while they fit (a batch's own dictionary rarely holds more
        # than 32,767 texts; see _wide)
        dtype = np.int16 if kind == "text" else _NUMPY_KIND[kind]
        self.values = np.empty(capacity, dtype=dtype)
        self.mask: np.ndarray | None = None
        self.dictionaries: list = []  # text: each batch's distinct texts
        self.bounds = [0]  # text: where each batch's rows begin

    def add(self, arr, start: int) -> None:
        import pyarrow as pa

        stop = start + len(arr)
        if stop > len(self.values):  # more rows than lines counted: never, but not fatal
            self._grow(max(stop, 2 * len(self.values)))
        if self.kind == "text":
            self._wide(len(arr.dictionary))
            self.values[start:stop] = arr.indices.to_numpy(zero_copy_only=False)
            self.dictionaries.append(arr.dictionary)
            self.bounds.append(stop)
            return
        if arr.null_count:
            if self.mask is None:
                self.mask = np.zeros(len(self.values), dtype=bool)
            self.mask[start:stop] = arr.is_null().to_numpy(zero_copy_only=False)
        if self.kind == "date":
            arr = arr.cast(pa.int32())
        if self.kind != "float64":  # (missing floats come as NaN)
            arr = arr.fill_null(False if self.kind == "bool" else 0)
        self.values[start:stop] = arr.to_numpy(zero_copy_only=False)

    def _wide(self, n: int) -> None:
        """Text codes in 32 bits from now on if ``n`` codes do not fit in 16."""
        if n > np.iinfo(np.int16).max and self.values.dtype == np.int16:
            self.values = self.values.astype(np.int32)

    def _grow(self, capacity: int) -> None:
        values = np.empty(capacity, dtype=self.values.dtype)
        values[: len(self.values)] = self.values
        self.values = values
        if self.mask is not None:
            mask = np.zeros(capacity, dtype=bool)
            mask[: len(self.mask)] = self.mask
            self.mask = mask

    def finish(self, rows: int) -> None:
        """Keep the first ``rows`` (a copy only when many lines were not rows)."""
        for name in ("values", "mask"):
            full = getattr(self, name)
            if full is not None and len(full) != rows:
                setattr(self, name, full[:rows].copy() if len(full) > rows + rows // 16 + 64
                        else full[:rows])  # fmt: skip


def _stream_from(
    view: mmap.mmap, sep: str, names: list[str], kinds: dict[int, str], capacity: int
) -> tuple[dict, int]:
    import pyarrow as pa
    from pyarrow import csv as pacsv

    reader = pacsv.open_csv(
        pa.BufferReader(pa.py_buffer(view)),
        read_options=pacsv.ReadOptions(
            column_names=names, skip_rows=1, block_size=_BLOCK, use_threads=False
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=sep, newlines_in_values=True, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={names[i]: _arrow_type(k) for i, k in kinds.items()},
            include_columns=[names[i] for i in kinds],
            null_values=[""],
            true_values=_words(TRUE_WORDS),
            false_values=_words(FALSE_WORDS),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    columns = {i: _Filled(k, capacity) for i, k in kinds.items()}
    rows = 0
    positions = list(kinds)
    try:
        for parsed, batch in enumerate(reader):
            for j, i in enumerate(positions):
                columns[i].add(batch.column(j), rows)
            rows += batch.num_rows
            # the blocks before this batch's are parsed (a batch is one block's lines)
            _let_go(view, max(parsed - 1, 0) * _BLOCK, parsed * _BLOCK)
    except pa.ArrowInvalid as exc:
        hit = _COLUMN_ERROR.search(str(exc))
        if hit is not None and kinds.get(int(hit.group(1))) not in {None, "text"}:
            raise _Retry(int(hit.group(1))) from None
        raise
    finally:
        del reader  # (the blocks parsed are handed back by the loader, after the table)
    for column in columns.values():
        column.finish(rows)
    return columns, rows


def arrow_text(values):
    """Text values (a pandas Series, Index or array of ``str`` dtype) as an Arrow
    ``large_string`` array, the type pandas keeps them in (no copy then), for Arrow's kernels.

    >>> arrow_text(pd.Series(["a", None], dtype="str")).to_pylist()
    ['a', None]
    """
    import pyarrow as pa

    return pa.array(getattr(values, "array", values), type=pa.large_string())


def distinct_categorical(codes: np.ndarray, categories: pd.Index, ordered: bool = False):
    """A categorical from integer codes and categories already known to be distinct.

    For categories that come distinct by construction (an Arrow dictionary, the result of
    a factorisation or of ``pyarrow.compute.unique``): pandas's own check of them builds a
    hash table of every category as a Python object (half a millisecond for a few
    thousand ids), which is skipped where pandas offers that (``_from_fastpath``), as it
    is for the codes (``validate=False``: they must be -1 or positions in ``categories``).

    Examples
    --------
    >>> cat = distinct_categorical(np.array([1, -1, 0], dtype=np.int8),
    ...                            pd.Index(["a", "b"], dtype="str"))
    >>> cat.tolist(), cat.categories.tolist()
    (['b', nan, 'a'], ['a', 'b'])
    """
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    dtype = fast(categories, ordered) if fast else pd.CategoricalDtype(categories, ordered)
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _inexact(column: _Filled) -> bool:
    """Numbers that need a closer look than Arrow's (infinite or missing floats, whole
    numbers beyond 2**53): the column is read again as text."""
    v = column.values
    return bool((~np.isfinite(v) if column.kind == "float64" else np.abs(v) >= _EXACT).any())


def _text_column(column: _Filled) -> pd.Categorical:
    """A text column's batches as one categorical (categories: its distinct texts)."""
    import pyarrow as pa

    text_dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    codes = column.values
    if not column.dictionaries:
        return pd.Categorical.from_codes(
            np.zeros(0, dtype=np.int8), dtype=pd.CategoricalDtype(pd.Index([], dtype="str"))
        )
    if len(column.dictionaries) == 1:
        categories = pd.Index(pd.array(column.dictionaries[0], dtype=text_dtype))
    else:
        # every batch's dictionary hashed in one pass; each batch's codes then remapped
        joined = pa.concat_arrays(column.dictionaries)
        where, categories = pd.factorize(
            joined.to_pandas(types_mapper={pa.string(): text_dtype}.get), sort=False
        )
        column._wide(len(categories))
        codes = column.values
        where = where.astype(codes.dtype, copy=False)
        offset = 0
        for d, start, stop in zip(
            column.dictionaries, column.bounds[:-1], column.bounds[1:], strict=True
        ):
            codes[start:stop] = where[offset : offset + len(d)][codes[start:stop]]
            offset += len(d)
        categories = pd.Index(categories, dtype=text_dtype)
    column.dictionaries = []
    codes = codes.astype(_smallest(len(categories)), copy=False)
    return distinct_categorical(codes, categories)


def _typed_column(column: _Filled) -> pd.api.extensions.ExtensionArray | np.ndarray:
    data, mask = column.values, column.mask
    if column.kind == "date":
        days = data.astype("datetime64[D]").astype("datetime64[s]")
        if mask is not None:
            days[mask] = np.datetime64("NaT")
        return days
    if mask is None or column.kind == "float64":
        return data
    if column.kind == "bool":
        return pd.arrays.BooleanArray(data, mask)
    return pd.arrays.IntegerArray(data, mask)


def read_csv_typed(
    path: Path, sep: str, width: int, kinds: dict[int, str]
) -> tuple[dict[int, object], pd.Index] | None:
    """Read chosen columns of a plain UTF-8 CSV with Arrow, each in its own type.

    The fast path of :func:`toolkit.data.load`: numbers, booleans and ISO dates are parsed
    by Arrow's CSV reader as the file streams by (512 KiB at a time), and text columns are
    dictionary-encoded, so that the cleaning and parsing of text is done once per distinct
    value. A column whose cells Arrow cannot convert (decimal commas, "tidak tahu", day-first
    dates, blanks around a number …), or whose numbers need a closer look (infinite, beyond
    2**53), is read again as text. None means the file needs the general reader
    (:func:`read_text_table`): not UTF-8, ragged or blank lines, NUL characters, or rows
    that are entirely blank next to columns not read.

    Parameters
    ----------
    path : Path
        The CSV file (header on its first line, see :func:`csv_head`).
    sep : str
        The separator.
    width : int
        The number of header cells.
    kinds : dict of int to str
        The columns to read (header position) and how (one of :data:`ARROW_KINDS`).

    Returns
    -------
    (dict, pandas.Index) or None
        The columns by position: text as a categorical (no missing value, every category
        the text of some row), numbers as NumPy arrays or pandas masked arrays; and the
        physical line of each row (header = line 1), a RangeIndex when every row is one line.
    """
    import pyarrow.compute as pc

    kinds = dict(kinds)
    read = _stream(path, sep, width, kinds)
    if read is None:
        return None
    filled, rows = read
    columns: dict[int, object] = {}
    extra = np.zeros(rows, dtype=np.int32)
    blank = np.ones(rows, dtype=bool)
    for i, k in kinds.items():
        if k != "text":
            col = _typed_column(filled.pop(i))
            columns[i] = col
            if k in {"float64", "date"} or not isinstance(col, np.ndarray):
                blank &= np.asarray(pd.isna(col), dtype=bool)
            else:
                blank[:] = False
            continue
        cat = _text_column(filled.pop(i))
        cats = arrow_text(cat.categories)  # the distinct texts
        if pc.any(pc.match_substring(cats, "\x00")).as_py():
            return None
        codes = cat.codes
        empty = pc.equal(pc.utf8_trim_whitespace(cats), "").to_numpy(zero_copy_only=False)
        if empty.any():
            blank &= empty[codes]
        else:  # the usual case: no pass over the rows
            blank[:] = False
        newlines = pc.count_substring(cats, "\n").to_numpy(zero_copy_only=False)
        if newlines.any():
            extra += newlines[codes]
        columns[i] = cat
    lines: pd.Index = pd.RangeIndex(2, rows + 2)
    if extra.any():  # quoted values spanning lines: number rows by physical line
        lines = pd.Index(np.arange(rows, dtype=np.int64) + 2 + np.concatenate(
            [[0], np.cumsum(extra, dtype=np.int64)[:-1]]))  # fmt: skip
    del extra
    if blank.any():
        if len(kinds) < width:
            return None  # the general reader decides with the columns not read
        keep = ~blank
        lines = lines[keep]
        columns = {
            i: c[keep].remove_unused_categories() if isinstance(c, pd.Categorical) else c[keep]
            for i, c in columns.items()
        }
    return columns, lines


def arrow_as_text(column) -> pd.Categorical:
    """An Arrow column of any type as a categorical of the texts its cells would show.

    How :func:`toolkit.data.load` reads a Parquet file that it did not write itself: every
    distinct value is written out once (numbers as digits, booleans as ``true``/``false``,
    dates as ``2024-03-15``, missing as ``""``) and the table is then checked exactly as a
    CSV file with the same cells would be.

    Examples
    --------
    >>> import pyarrow as pa
    >>> arrow_as_text(pa.chunked_array([[3.0, None, 2.5, 3.0]])).tolist()
    ['3', '', '2.5', '3']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], column.type)
    encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
    dictionary = encoded.dictionary
    if pa.types.is_string(dictionary.type) or pa.types.is_large_string(dictionary.type):
        texts = pd.Series(dictionary.to_pylist(), dtype="str").fillna("")
    else:
        texts = pd.Series([_cell_text(v) for v in dictionary.to_pylist()], dtype="str")
    where, uniq = pd.factorize(pd.concat([texts, pd.Series([""], dtype="str")]), sort=False)
    indices = encoded.indices.fill_null(len(texts)).to_numpy(zero_copy_only=False)
    codes = where[indices].astype(_smallest(len(uniq)))
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(uniq, dtype="str")))
