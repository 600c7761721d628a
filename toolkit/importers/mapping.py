"""The mapping file: which column of an export becomes what, and a draft of it from the headers.

A mapping file is a CSV with one row per column of the export:

==========  ===================================================================================
column      meaning
==========  ===================================================================================
``source``  the header exactly as the export writes it
``target``  what the column holds: ``item`` (an answer to an item of ``instruments``; its code
            in ``code``), ``element`` (an IKM element, ``u1`` … ``u9`` in ``code``),
            ``comment`` (free text, to ``comments``), ``slots`` (a checkbox question
            "when can you attend?", to ``availability``), ``participant_nip`` /
            ``participant_email`` / ``participant_name`` (who answered: pseudonymised on
            read, never written), ``participant_id`` (already a pseudonym), ``session``,
            ``unit``, ``period`` (a quarter), ``date`` (a date, turned into its quarter),
            ``respondent`` (an anonymous respondent number), or ``ignore``
``code``    the item code (``R01``), IKM element (``u2``) for ``item`` and ``element`` rows
``scale``   optional: how labels become numbers, a built-in scale of
            :mod:`toolkit.importers.labels` (``agree5``, ``quality5``, ``ikm``, ``correct``) or
            a custom one, ``Sangat puas=4|Puas=3|Kurang puas=2|Tidak puas=1``; for ``slots``
            the options offered and their slot codes, ``Selasa pagi=tue_0800|…`` (options
            written like ``Selasa 08.00`` or ``Tuesday 08:00`` need none)
==========  ===================================================================================

``python -m toolkit import SOURCE FILE --draft-map`` writes a draft: the export's own
columns (timestamp, e-mail, name, score …) are recognised by their headers, questions are
matched to the item bank by their text (``score``: the similarity, 0–1), Moodle's
``Q. 1 /1.00`` columns to the programme's test items in order, IKM columns to the nine
elements. The analyst checks and edits it; nothing is imported from a draft unchecked.

Examples
--------
>>> import pandas as pd
>>> bank = pd.DataFrame({"item_code": ["R01", "R02"], "instrument": "reaction",
...     "program": None, "text_id": ["Materi relevan dengan pekerjaan saya",
...     "Narasumber menguasai materi"], "text_en": ["The content is relevant", "The trainer"]})
>>> draft = draft_map(["Timestamp", "Email Address", "Narasumber menguasai materi",
...                    "Saran untuk pelatihan berikutnya"], "forms", bank)
>>> draft[["target", "code"]].values.tolist()
[['ignore', ''], ['participant_email', ''], ['item', 'R02'], ['comment', '']]
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import ProblemLog
from toolkit.importers.labels import SCALES, parse_choices, parse_scale
from toolkit.readers import ReadFailure, read_text_table

__all__ = ["TARGETS", "SOURCES", "Mapping", "read_map", "draft_map", "META"]

#: Sources the importer reads.
SOURCES = ("forms", "moodle", "ikm")
#: What a column of an export may become.
TARGETS = (
    "item", "element", "comment", "slots", "participant_nip", "participant_email",
    "participant_name", "participant_id", "session", "unit", "period", "date", "respondent",
    "ignore",
)  # fmt: skip
#: Identity and bookkeeping columns of each tool's export, by normalised header → target.
META = {
    # Google Forms (English and Indonesian UI), Microsoft Forms, KoboToolbox
    "timestamp": "ignore", "stempel waktu": "ignore", "cap waktu": "ignore",
    "email address": "participant_email", "alamat email": "participant_email",
    "email": "participant_email", "e-mail": "participant_email", "surel": "participant_email",
    "score": "ignore", "skor": "ignore", "nilai": "ignore", "id": "ignore",
    "start time": "ignore", "completion time": "ignore", "last modified time": "ignore",
    "waktu mulai": "ignore", "waktu penyelesaian": "ignore", "total points": "ignore",
    "quiz feedback": "ignore", "name": "participant_name", "nama": "participant_name",
    "nama lengkap": "participant_name", "full name": "participant_name",
    "nip": "participant_nip", "nomor induk pegawai": "participant_nip",
    "start": "ignore", "end": "ignore", "_id": "ignore", "_uuid": "ignore",
    "_submission_time": "ignore", "_validation_status": "ignore", "_notes": "ignore",
    "_status": "ignore", "_submitted_by": "ignore", "_tags": "ignore", "_index": "ignore",
    "__version__": "ignore",
    # Moodle quiz grades
    "surname": "participant_name", "last name": "participant_name",
    "first name": "participant_name", "nama depan": "participant_name",
    "nama belakang": "participant_name", "state": "ignore", "started on": "ignore",
    "completed": "ignore", "time taken": "ignore", "id number": "participant_nip",
    "nomor id": "participant_nip",
    # IKM survey apps
    "tanggal": "date", "tanggal survei": "date", "date": "date", "unit": "unit",
    "unit layanan": "unit", "unit_id": "unit", "periode": "period", "period": "period",
    "sesi": "session", "session": "session", "session_id": "session",
    "kode sesi": "session", "responden": "respondent", "no": "respondent",
}  # fmt: skip
_COMMENT_WORDS = ("saran", "komentar", "masukan", "kritik", "pesan", "comment", "suggestion")
_SLOT_WORDS = ("jadwal", "waktu yang", "kapan", "hari dan jam", "availability", "when can")
_MOODLE_Q = re.compile(r"^.+?\s(\d+)\s*/\s*(\d+(?:[.,]\d+)?)$")
_MOODLE_Q_BARE = re.compile(r"^(?:q|p|soal)\.?\s*(\d+)$")
_MOODLE_GRADE = re.compile(r"^(grade|nilai)\s*/\s*\d+(?:[.,]\d+)?$")
_IKM_ELEMENT = re.compile(r"^(?:u|unsur)\s*[-_ ]?\s*([1-9])\b")


@dataclass(frozen=True)
class Mapping:
    """A checked mapping: one row per export column (``source, target, code, scale``)."""

    table: pd.DataFrame

    def of(self, target: str) -> pd.DataFrame:
        """The rows of one target."""
        return self.table[self.table["target"] == target]

    def scale(self, source: str):
        """The scale for a column: a built-in name, a custom dict, or None."""
        spec = self.table.set_index("source").at[source, "scale"]
        if not spec:
            return None
        return spec if spec in SCALES else parse_scale(spec)


def read_map(path: str | Path, log: ProblemLog | None = None) -> Mapping:
    """Read and check a mapping file (see the module's description).

    Raises
    ------
    toolkit.data.DataError
        For a missing column, an unknown target, an ``item``/``element`` row without a code,
        a scale that cannot be read, or a header mapped twice.
    """
    path = Path(path)
    own = log is None
    log = ProblemLog() if own else log
    try:
        raw = read_text_table(path, "mapping")
    except (ReadFailure, OSError) as exc:
        fix = getattr(exc, "fix", "check the path")
        log.add(path.name, None, None, "a mapping CSV (source, target, code, scale)", fix)
        raise log.error(path.name) from None
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    for col in ("source", "target"):
        if col not in raw.columns:
            log.add(path.name, col, None, f"a column named {col!r}",
                    "the mapping file needs the columns source, target, code, scale")  # fmt: skip
    log.raise_if_any(path.name)
    table = pd.DataFrame(
        {
            "source": raw["source"].astype("str"),
            "target": raw["target"].astype("str").str.strip().str.lower(),
            "code": raw["code"].astype("str").str.strip() if "code" in raw else "",
            "scale": raw["scale"].astype("str").str.strip() if "scale" in raw else "",
        },
        index=raw.index,
    )
    bad = ~table["target"].isin(TARGETS)
    if bad.any():
        log.add(path.name, "target", table.loc[bad, "target"].iloc[0], "one of " + ", ".join(TARGETS),
                "write what the column holds, or 'ignore'", rows=table.index[bad])  # fmt: skip
    nocode = table["target"].isin(["item", "element"]) & table["code"].eq("")
    if nocode.any():
        log.add(path.name, "code", None, "the item code (e.g. R01) or IKM element (u1 … u9)",
                "fill the code of every item/element row", rows=table.index[nocode])  # fmt: skip
    twice = table["source"].duplicated(keep=False)
    if twice.any():
        log.add(path.name, "source", table.loc[twice, "source"].iloc[0], "each header once",
                "delete the repeated row", rows=table.index[twice])  # fmt: skip
    custom = table["scale"].ne("") & ~table["scale"].isin(SCALES)
    for row, spec in table.loc[custom, "scale"].items():
        try:
            if table.at[row, "target"] == "slots":
                parse_choices(spec)
                continue
            parse_scale(spec)
        except ValueError as exc:
            log.add(path.name, "scale", spec, "a built-in scale (" + ", ".join(SCALES) +
                    ") or labels like 'Sangat puas=4|Puas=3'", str(exc), rows=[row])  # fmt: skip
    if own:
        log.raise_if_any(path.name)
    return Mapping(table.reset_index(drop=True))


def _norm(text: str) -> str:
    return " ".join(str(text).replace("\ufeff", "").strip().lower().split())


def draft_map(
    headers: list[str], source: str, instruments: pd.DataFrame | None = None, *,
    program: str | None = None,
) -> pd.DataFrame:  # fmt: skip
    """A draft mapping for an export's ``headers`` (see the module's description).

    Returns
    -------
    pandas.DataFrame
        ``source, target, code, scale, score, note``: ``score`` is the similarity of a
        question's text to the matched item's (1 = identical), empty for recognised columns.
    """
    bank = pd.DataFrame() if instruments is None else instruments.astype({"item_code": "str"})
    rows = []
    tests = pd.DataFrame()
    if len(bank) and source == "moodle":
        tests = bank[bank["instrument"].astype("str") == "knowledge_test"]
        if program is not None:
            tests = tests[tests["program"].astype("str") == program]
    texts = {}
    if len(bank) and source == "forms":
        items = bank[bank["instrument"].astype("str").isin(["reaction", "behavior"])]
        for col in ("text_id", "text_en"):
            texts.update({_norm(t): c for t, c in zip(items[col], items["item_code"], strict=True)})
    for h in headers:
        n = _norm(re.sub(r"\s+\d+$", "", h)) if source == "forms" else _norm(h)
        row = {"source": h, "target": "", "code": "", "scale": "", "score": np.nan, "note": ""}
        q = _MOODLE_Q.match(n) or (_MOODLE_Q_BARE.match(n) if source == "moodle" else None)
        element = _IKM_ELEMENT.match(n)
        if n in META or _MOODLE_GRADE.match(n):
            row["target"] = META.get(n, "ignore")
        elif source == "moodle" and q:
            k = int(q.group(1))
            row["target"] = "item"  # the maximum mark is read from the header on import
            if k <= len(tests):
                row["code"] = tests["item_code"].iloc[k - 1]
                row["note"] = f"question {k} = the programme's test item {k} in item order"
            else:
                row["note"] = "fill the item code of this question"
        elif source == "ikm" and element:
            row.update(target="element", code=f"u{element.group(1)}", scale="ikm")
        elif texts:
            best = difflib.get_close_matches(n, list(texts), n=1, cutoff=0.0)
            score = difflib.SequenceMatcher(None, n, best[0]).ratio() if best else 0.0
            if any(w in n for w in _SLOT_WORDS) and score < 0.8:
                row["target"] = "slots"
            elif any(w in n for w in _COMMENT_WORDS) and score < 0.8:
                row["target"] = "comment"
            elif best and score >= 0.5:
                row.update(target="item", code=texts[best[0]], score=round(score, 3))
                if score < 0.9:
                    row["note"] = "check: the question text differs from the item's"
            else:
                row["target"], row["note"] = "ignore", "no item of the bank is close: map or ignore"
        elif any(w in n for w in _SLOT_WORDS):
            row["target"] = "slots"
        elif any(w in n for w in _COMMENT_WORDS):
            row["target"] = "comment"
        else:
            row["target"], row["note"] = "ignore", "not recognised: map it or leave it ignored"
        rows.append(row)
    return pd.DataFrame(rows, columns=["source", "target", "code", "scale", "score", "note"])
