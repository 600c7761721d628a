"""The one error type for problems in the user's data files, and the log that collects them.

The loader checks everything it can before raising, so that a user fixes all problems in one
round instead of one per run. Each problem names the file, the row (as the spreadsheet shows
it: the header is row 1), the column, the value, what was expected and how to fix it.

Examples
--------
>>> log = ProblemLog()
>>> log.add("units.csv", "trained", "maybe", "true or false", "write true or false",
...         rows=[5])
>>> err = log.error("sample_data")
>>> print(err)  # doctest: +NORMALIZE_WHITESPACE
1 problem found in sample_data; your files were not changed.
- units.csv, row 5, column 'trained': 'maybe' – expected true or false. Fix: write true or false.
>>> err.problems.columns.tolist()
['file', 'row', 'column', 'value', 'expected', 'fix', 'n_rows']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.personal import redact

__all__ = ["DataError", "OutputFolderError", "Problem", "ProblemLog", "plain"]

#: Rows shown for one kind of problem in one column before "and N more rows".
ROWS_SHOWN = 5
#: Problems listed in the message; all are kept in ``DataError.problems``.
MESSAGE_CAP = 60


def plain(value: object) -> object:
    """A value as the user typed it: NumPy scalars as Python ones, 3.0 as 3, NaN as None.

    Examples
    --------
    >>> plain(np.int64(7)), plain(np.float64(2.0)), plain(2.5), plain(float("nan"))
    (7, 2, 2.5, None)
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return value


@dataclass(frozen=True)
class Problem:
    """One problem: where it is, what was found, what was expected, and the fix."""

    file: str
    column: str | None
    value: object
    expected: str
    fix: str
    rows: tuple[int, ...] = ()
    n_rows: int = 0

    def line(self) -> str:
        """The problem as one readable line."""
        where = [self.file]
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:ROWS_SHOWN])
            word = "row" if len(self.rows) == 1 else "rows"
            more = self.n_rows - min(len(self.rows), ROWS_SHOWN)
            where.append(f"{word} {shown}" + (f" and {more:,} more" if more > 0 else ""))
        if self.column is not None:
            where.append(f"column {self.column!r}")
        value = "" if self.value is None else f"{self.value!r} – "
        return f"- {', '.join(where)}: {value}expected {self.expected}. Fix: {self.fix}."


class DataError(ValueError):
    """Problems found in the user's data files.

    Attributes
    ----------
    problems : pandas.DataFrame
        One row per problem: file, row (first row where it occurs, spreadsheet numbering),
        column, value, expected, fix, n_rows (how many rows share it).
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.problems = pd.DataFrame(
            [
                {
                    "file": p.file,
                    "row": p.rows[0] if p.rows else pd.NA,
                    "column": p.column,
                    "value": p.value,
                    "expected": p.expected,
                    "fix": p.fix,
                    "n_rows": p.n_rows,
                }
                for p in problems
            ],
            columns=["file", "row", "column", "value", "expected", "fix", "n_rows"],
        )


@dataclass
class ProblemLog:
    """Collects problems while files are checked; :meth:`error` turns them into a DataError."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self,
        file: str,
        column: str | None,
        value: object,
        expected: str,
        fix: str,
        *,
        rows: Sequence[int] = (),
        n_rows: int | None = None,
    ) -> None:
        """Record a problem. ``rows`` are spreadsheet row numbers (header = row 1).

        A value that contains personal data (a NIP in any writing, a NIK, an e-mail address,
        a phone number) is replaced by ``"(not shown: personal data)"``.
        """
        rows = tuple(int(r) for r in rows)
        value = redact(plain(value))
        self.problems.append(
            Problem(
                file,
                column,
                value,
                expected,
                fix,
                rows[:ROWS_SHOWN],
                len(rows) if n_rows is None else n_rows,
            )
        )

    def note(self, text: str) -> None:
        """Record something the user should know that is not a problem (a sheet chosen …)."""
        if text not in self.notes:
            self.notes.append(text)

    def __len__(self) -> int:
        return len(self.problems)

    def error(self, where: str) -> DataError:
        """Build the DataError that lists every problem (the message shows the first 60)."""
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found in {where}; your files were not changed."
        lines = [p.line() for p in self.problems[:MESSAGE_CAP]]
        if n > MESSAGE_CAP:
            lines.append(f"… and {n - MESSAGE_CAP} more (see the error's .problems table).")
        lines += [f"Note: {text}" for text in self.notes]
        return DataError("\n".join([head, *lines]), self.problems)

    def raise_if_any(self, where: str) -> None:
        """Raise :class:`DataError` when any problem was recorded."""
        if self.problems:
            raise self.error(where)


class OutputFolderError(ValueError):
    """A folder cannot be written where asked (it holds files the toolkit did not write, or
    lies inside the data); nothing was written or removed."""
