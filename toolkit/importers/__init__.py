"""Read the data where offices collect it: form, quiz and IKM-survey exports into tables.

Three sources, each with a mapping file (:mod:`toolkit.importers.mapping`) that says which
column becomes what:

``forms``
    Google Forms (responses CSV, or the linked Sheet as XLSX) and Microsoft Forms ("Open in
    Excel" XLSX), and KoboToolbox exports: one row per submission, a column per question
    (grid questions as ``Question [Row]``), answers as numbers or labels (``Sangat Setuju``,
    ``STS/TS/N/S/SS``, ``Sangat Baik`` … and their English forms, see
    :mod:`toolkit.importers.labels`). They become ``reaction`` (or ``behavior`` for a
    follow-up form, with ``rater`` and ``wave``) plus ``comments`` for free-text questions,
    and ``availability`` for a checkbox question "when can you attend?" (options joined
    with ``", "`` by Google, ``";"`` by Microsoft; written as ``Selasa 08.00`` or listed
    in the mapping).
    The tools' own columns are recognised in the English and Indonesian interfaces
    (``Timestamp``/``Stempel waktu``, ``Email Address``/``Alamat email``, Microsoft's
    ``Id, Start time, Completion time, Email, Name``, Kobo's ``start, end, _id, _uuid …``).
``moodle``
    Moodle's quiz *Grades* report download (CSV or XLSX, Moodle 3.x and 4.x, English
    interface): ``Surname``/``Last name, First name, Email address, State, Started on,
    Completed, Time taken, Grade/10.00`` and one ``Q. n /max`` column per question (the
    maximum mark is read from the header); ``-`` means not answered, ``Requires grading``
    is left empty with a note, the ``Overall average`` row is dropped. A question counts as
    correct (1) with full marks, else 0. Becomes ``tests`` with the ``--phase`` and
    ``--session`` given.
``ikm``
    Public satisfaction (SKM/IKM) survey exports: one row per respondent, the nine elements
    as 1–4 or as the answers of the PermenPANRB 14/2017 questionnaire (``Sangat sesuai`` …
    ``Tidak sesuai``, ``Sangat mudah`` …, ``Gratis`` …), the unit and the survey date or
    quarter. Becomes ``ikm_responses``.

Identity columns are pseudonymised on read with the office's key (the NIP normalised
first, :func:`toolkit.privacy.pseudonymize_nip`; e-mail lower-cased or name,
:func:`toolkit.privacy.pseudonymize_identity`) and never written; comments are scrubbed
of personal data. Output tables are written atomically and an existing table is never
overwritten unless ``mode="append"`` or ``"replace"`` says so.

The header formats were taken from Moodle's source (``mod/quiz/report/overview``,
``mod/quiz/lang/en/quiz.php``) and KoboToolbox's export tests; Google's and Microsoft's
are not documented, so their columns are matched by the common English and Indonesian
headers listed in :data:`toolkit.importers.mapping.META`, and any other column can be
mapped by hand.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "form.csv").write_text(
...     "Timestamp,NIP,Materi relevan,Saran\\n"
...     "2024/03/15 10:00:00 AM GMT+7,198503122010012001,Sangat Setuju,Lebih banyak praktik\\n",
...     encoding="utf-8")
>>> _ = (folder / "map.csv").write_text(
...     "source,target,code,scale\\nTimestamp,ignore,,\\nNIP,participant_nip,,\\n"
...     "Materi relevan,item,R01,agree5\\nSaran,comment,,\\n", encoding="utf-8")
>>> tables, notes = import_export("forms", folder / "form.csv", folder / "map.csv",
...                               session="S01", key="kunci-rahasia-kantor-2024")
>>> tables["reaction"][["session_id", "item_code", "response"]].values.tolist()
[['S01', 'R01', 5]]
>>> tables["comments"]["text"].tolist()
['Lebih banyak praktik']
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from toolkit.errors import ProblemLog
from toolkit.importers.convert import TABLE_OF, convert
from toolkit.importers.mapping import SOURCES, draft_map, read_map
from toolkit.schema import TABLES

__all__ = ["SOURCES", "TABLE_OF", "draft_map", "import_export", "read_map", "write_tables"]


def import_export(
    source: str, path: str | Path, mapping: str | Path, **options
) -> tuple[dict[str, pd.DataFrame], tuple[str, ...]]:
    """Convert an export with a mapping file into typed tables (nothing is written).

    Parameters
    ----------
    source : {"forms", "moodle", "ikm"}
        The kind of export.
    path : str or Path
        The export (CSV or XLSX); only ever read.
    mapping : str or Path
        The mapping file (see :mod:`toolkit.importers.mapping`).
    **options
        ``table`` (``reaction`` or ``behavior`` for forms), ``session``, ``phase``,
        ``rater``, ``wave``, ``unit``, ``period``, ``instruments`` (a DataFrame, to check
        item codes and scales), ``key`` (the pseudonymisation key; else the
        ``TOOLKIT_PSEUDONYM_KEY`` environment variable).

    Returns
    -------
    tables : dict of str to DataFrame
    notes : tuple of str

    Raises
    ------
    toolkit.data.DataError
        Every problem of the mapping and the export, with file, row, column, value and fix.
    """
    return convert(source, path, read_map(mapping), **options)


def write_tables(
    tables: dict[str, pd.DataFrame], out: str | Path, *, mode: str | None = None
) -> list[Path]:
    """Write tables as ``out/<table>.csv``, atomically; never overwrite unless told.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Typed tables, as :func:`import_export` returns them.
    out : str or Path
        Folder (created if needed).
    mode : {None, "append", "replace"}
        What to do when a table's file exists: None refuses (nothing is written), "append"
        adds the rows (a row whose key is already there is refused), "replace" replaces it.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    toolkit.data.DataError
        When a file exists and ``mode`` is None, or appended rows repeat existing keys.
    """
    from toolkit.data import as_typed, read_table

    if mode not in (None, "append", "replace"):
        raise ValueError(f"`mode` must be None, 'append' or 'replace', but {mode!r} was passed.")
    out = Path(out)
    log = ProblemLog()
    final: dict[str, pd.DataFrame] = {}
    for name, df in tables.items():
        target = out / f"{name}.csv"
        if target.exists() and mode is None:
            log.add(target.name, None, None, "a new table file",
                    "pass --append to add these rows or --replace to replace the table")  # fmt: skip
            continue
        if target.exists() and mode == "append":
            old = read_table(target, name)
            both = as_typed(
                name, pd.concat([old.astype(object), df.astype(object)], ignore_index=True)
            )
            key = list(TABLES[name].key)
            repeated = both.duplicated(key, keep="first").to_numpy()[len(old) :] if key else []
            if len(repeated) and repeated.any():
                log.add(target.name, ", ".join(key), None, "rows that are not in the table yet",
                        "this export seems imported already; use --replace, or drop the "
                        "repeated rows", n_rows=int(repeated.sum()))  # fmt: skip
                continue
            df = both
        final[name] = df
    log.raise_if_any(str(out))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in final.items():
        target = out / f"{name}.csv"
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                df.to_csv(f, index=False, lineterminator="\n")
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append(target)
    return written
