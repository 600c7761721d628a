"""``python -m toolkit check``: what is wrong with a data folder, and what it can support.

:func:`check_folder` loads the folder; when it has problems, their :class:`DataError` text
is kept, and the tables that load cleanly are loaded again on their own so that the
readiness table still says which analyses those support (a table with problems counts as
absent until it is fixed). :func:`main_check` prints both.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

__all__ = ["check_folder", "format_readiness", "main_check"]


def check_folder(
    path: str | Path, *, lang: str = "en"
) -> tuple[str | None, pd.DataFrame | None, tuple[str, ...]]:
    """Data problems (the :class:`~toolkit.data.DataError` text, or None), readiness, notes.

    Returns
    -------
    problems : str or None
        The error text (it ends with the loader's notes).
    readiness : DataFrame or None
        See :func:`toolkit.report.readiness`; None when not a single table can be read.
    notes : tuple of str
        What the loader did that the user should know (sheet read, columns ignored …)
        when the data have no problems; empty otherwise (the notes are in the text).

    Examples
    --------
    >>> import toolkit
    >>> problems, table, notes = check_folder(toolkit.SAMPLE_DATA)
    >>> problems is None, bool(table["possible"].all()), notes
    (True, True, ())
    """
    from toolkit.data import DataError, load
    from toolkit.report.run import readiness
    from toolkit.schema import TABLES

    directory = Path(path)
    try:
        data = load(directory)
        return None, readiness(data, lang=lang, data_dir=directory), data.notes
    except DataError as exc:
        problems = str(exc)
        bad_files = set(exc.problems["file"].astype(str))
    if not directory.is_dir():
        return problems, None, ()
    stems = {Path(f).stem.lower() for f in bad_files}
    clean = [t for t in TABLES if t not in stems]
    while clean:  # references to a table with problems fail too: drop those tables as well
        try:
            data = load(directory, tables=clean)
            break
        except DataError as exc:
            more = {Path(f).stem.lower() for f in exc.problems["file"].astype(str)}
            left = [t for t in clean if t not in more]
            if len(left) == len(clean):
                return problems, None, ()
            clean = left
    else:
        return problems, None, ()
    return problems, readiness(data, lang=lang, data_dir=directory), ()


def format_readiness(table: pd.DataFrame, lang: str = "en") -> str:
    """The readiness table as plain text, one analysis a line."""
    from toolkit.report.run import LABELS

    lines = []
    for section, rows in table.groupby("section", sort=False):
        lines.append(section)
        for r in rows.itertuples():
            mark = "ok " if r.possible else "-- "
            line = f"  {mark}{r.analysis}: {r.status}"
            if not r.possible:
                line += f"\n       {LABELS['why'][lang]}: {r.why}"
                if r.add:
                    line += f"\n       {LABELS['add'][lang]}: {r.add}"
            lines.append(line)
    return "\n".join(lines)


def main_check(path: str | Path, *, lang: str = "en", out=None) -> int:
    """Print the problems and the readiness table; exit status 2 if the data have problems."""
    out = sys.stdout if out is None else out
    problems, table, notes = check_folder(path, lang=lang)
    if problems:
        print(f"The data in {path} cannot be used yet:\n{problems}\n", file=out)
    for text in notes:
        print(f"Note: {text}", file=out)
    if notes:
        print(file=out)
    if table is not None:
        n_ok = int(table["possible"].sum())
        head = {
            "en": f"Analyses these data support: {n_ok} of {len(table)}",
            "id": f"Analisis yang dapat dibuat dari data ini: {n_ok} dari {len(table)}",
        }[lang]
        print(head, file=out)
        print(format_readiness(table, lang), file=out)
    return 2 if problems else 0
