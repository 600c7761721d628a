"""Turn one export (form, quiz or IKM survey) into evaluation tables, with a mapping.

Every step is vectorised over the whole export (one ``melt`` of the answer columns, one
label lookup per column); problems are collected and raised together as one
:class:`~toolkit.data.DataError` naming file, spreadsheet row, column, value, what was
expected and the fix, as :func:`toolkit.data.load` does. Identity columns (NIP, e-mail,
name) are turned into keyed pseudonyms on read and never kept; free text is scrubbed of
personal data (:mod:`toolkit.personal`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.data import as_typed
from toolkit.errors import ProblemLog
from toolkit.importers.labels import (
    SCALES,
    normalise_label,
    parse_choices,
    parse_scale,
    slot_codes,
    to_numbers,
)
from toolkit.importers.mapping import SOURCES, Mapping
from toolkit.personal import scrub_series
from toolkit.privacy import (
    keyed_codes,
    nip_digits,
    nip_problems,
    pseudonymize_identity,
    resolve_key,
)
from toolkit.readers import parse_dates, parse_periods, read_logged
from toolkit.schema import NA_CODE
from toolkit.validation import check_one_of

__all__ = ["convert", "DEFAULT_SCALE", "TABLE_OF"]

#: "Tidak tahu" / not applicable: the reaction table's NA_CODE (99), on every form scale.
NA_ANSWERS = dict.fromkeys(("tidak tahu", "tt", "n/a", "tidak berlaku", "don't know"), NA_CODE)
#: Labels understood when a mapping row names no scale: agreement and quality, 1–5.
DEFAULT_SCALE = {**SCALES["quality5"], **SCALES["agree5"], **NA_ANSWERS}
#: The table each source writes by default.
TABLE_OF = {"forms": "reaction", "moodle": "tests", "ikm": "ikm_responses"}
_AVERAGE_ROWS = {"overall average", "group average", "rata-rata keseluruhan", "rata-rata grup"}


def _check_columns(raw: pd.DataFrame, mapping: Mapping, file: str, log: ProblemLog) -> None:
    headers = [str(c) for c in raw.columns]
    mapped = set(mapping.table["source"])
    for h in headers:
        if h not in mapped and h.strip():
            log.add(file, h, None, "a row for this column in the mapping file",
                    "add it to the mapping (target item, comment … or ignore); "
                    "`--draft-map` drafts every row")  # fmt: skip
    for h in mapping.table.loc[~mapping.table["source"].isin(headers), "source"]:
        log.add(file, h, None, "a column of the export named as in the mapping file",
                "correct the header in the mapping (it must match the export exactly)")  # fmt: skip


def _participants(raw, mapping, file, log, key) -> pd.Series | None:
    """Keyed pseudonyms of whoever answered each row, from the best identity column."""
    for target in ("participant_id", "participant_nip", "participant_email", "participant_name"):
        cols = mapping.of(target)["source"].tolist()
        if cols:
            break
    else:
        log.add(file, None, None, "a column that says who answered (NIP, e-mail, name or "
                "participant_id)", "map it in the mapping file (participant_nip …)")  # fmt: skip
        return None
    text = raw[cols[0]].astype("str")
    for c in cols[1:]:  # first and last name in two columns
        text = text.str.cat(raw[c].astype("str"), sep=" ")
    text = text.str.strip()
    empty = text.eq("")
    if empty.any():
        log.add(file, ", ".join(cols), None, "who answered, in every row",
                "fill it in or delete the rows that are not answers", rows=raw.index[empty])  # fmt: skip
    if target == "participant_id":
        return text.where(~empty)
    if target == "participant_nip":
        codes, distinct = pd.factorize(text, sort=False)  # each NIP checked once
        problems = nip_problems(pd.Series(distinct, dtype="str"))
        problems = problems[pd.Series(distinct).iloc[problems["position"] - 1].ne("").to_numpy()]
        if len(problems):
            for reason, grp in problems.groupby("reason", sort=False):
                bad = np.isin(codes, grp["position"].to_numpy() - 1)
                log.add(file, cols[0], None, f"a valid 18-digit NIP ({reason}; values not "
                        "shown)", "correct the NIP, stored as text (format the column as Text)",
                        rows=raw.index[bad])  # fmt: skip
            return None
        plain = nip_digits(pd.Series(distinct, dtype="str"))
        per_value = keyed_codes(plain, resolve_key(key))  # as pseudonymize_nip reads a NIP
    else:
        kind = "email" if target == "participant_email" else "name"
        codes, distinct = pd.factorize(text, sort=False)
        per_value = pseudonymize_identity(pd.Series(distinct, dtype="str"), kind=kind, key=key)
    # a categorical: one string per person, not per row (two spellings of one NIP merge)
    merged, names = pd.factorize(pd.Series(per_value, dtype="str"), sort=True)
    ids = pd.Categorical.from_codes(merged[codes], categories=pd.Index(names, dtype="str"))
    return pd.Series(ids, index=raw.index).where(~empty)


def _one_value(raw, mapping, target, given, name, file, log) -> pd.Series | None:
    """A per-row value (session, unit …) from its column, or the same given value for all."""
    cols = mapping.of(target)["source"].tolist()
    if cols:
        s = raw[cols[0]].astype("str").str.strip()
        if s.eq("").any():
            log.add(file, cols[0], None, f"the {name} in every row", f"fill in the {name}",
                    rows=raw.index[s.eq("")])  # fmt: skip
        return s
    if given is None:
        return None
    return pd.Series(str(given), index=raw.index, dtype="str")


def _long(raw: pd.DataFrame, sources: list[str], codes: list[str], values: list) -> pd.DataFrame:
    """Long answers: ``row`` (sheet row), ``pos`` (position in ``raw``), ``source`` and
    ``code`` (categoricals built from integer codes), ``value``; column after column."""
    n, k = len(raw), len(sources)
    if k == 0:
        return pd.DataFrame({"row": [], "pos": [], "source": [], "code": [], "value": []})
    unique_codes = list(dict.fromkeys(codes))
    which = np.repeat(np.arange(k), n)
    return pd.DataFrame(
        {
            "row": np.tile(raw.index.to_numpy(), k),
            "pos": np.tile(np.arange(n), k),
            "source": pd.Categorical.from_codes(which, categories=pd.Index(sources, dtype="str")),
            "code": pd.Categorical.from_codes(
                np.array([unique_codes.index(c) for c in codes])[which],
                categories=pd.Index(unique_codes, dtype="str"),
            ),
            "value": np.concatenate(values),
        }
    )


def _spread(values: pd.Series, pos: np.ndarray) -> pd.Categorical:
    """``values`` (one per export row) at positions ``pos``, as a categorical built once."""
    codes, cats = pd.factorize(values, sort=True)
    return pd.Categorical.from_codes(codes[pos], categories=pd.Index(cats, dtype="str"))


def _answers(raw, rows: pd.DataFrame, file, log, default_scale) -> pd.DataFrame:
    """Long answers of the mapped columns: one row per export row and column."""
    parts = []
    for r in rows.itertuples(index=False):  # one vectorised step per column, not per row
        scale = r.scale or None
        labels = (SCALES.get(scale) if scale in SCALES else None) if scale else default_scale
        if scale and scale not in SCALES:
            labels = parse_scale(scale)
        if default_scale is not None:  # a form: "tidak tahu" is understood on any scale
            labels = {**NA_ANSWERS, **(labels or {})}
        values, bad = to_numbers(raw[r.source], labels)
        if bad.any():
            known = ", ".join(sorted({k for k in (labels or {})})[:8]) or "numbers only"
            log.add(file, r.source, raw[r.source][bad].iloc[0],
                    f"a number or a label of the column's scale ({known} …)",
                    "add the label to the mapping's scale column (Label=number|…) or correct "
                    "the answer", rows=raw.index[bad.to_numpy()])  # fmt: skip
        parts.append(values.to_numpy(dtype="float64"))
    return _long(raw, rows["source"].tolist(), rows["code"].tolist(), parts)


def _check_scale(long, instruments, file, log, value_col="value"):
    if instruments is None or not len(long):
        return
    bank = instruments.astype({"item_code": "str"}).drop_duplicates("item_code")
    bank = bank.set_index("item_code")
    unknown = ~long["code"].isin(bank.index)
    for code in long.loc[unknown, "code"].unique():
        src = long.loc[long["code"] == code, "source"].iloc[0]
        log.add(file, src, code, "an item code of the instruments table",
                "correct the code in the mapping, or add the item to instruments")  # fmt: skip
    known = long[~unknown]
    lo = known["code"].map(bank["scale_min"]).astype("float64")
    hi = known["code"].map(bank["scale_max"]).astype("float64")
    v = known[value_col]
    out = (v.notna() & ((v < lo) | (v > hi)) & v.ne(99)).to_numpy()
    if out.any():
        first = known[out].iloc[0]
        log.add(file, first["source"], float(first[value_col]),
                f"an answer on item {first['code']}'s scale, {int(lo[out].iloc[0])} to "
                f"{int(hi[out].iloc[0])}", "check the item code in the mapping or the scale "
                "of the question (e.g. 1–5 asked, 0–10 in instruments)",
                rows=sorted(set(known.loc[out, "row"])))  # fmt: skip


def _slots(raw, rows: pd.DataFrame, ids: pd.Series, file, log) -> pd.DataFrame:
    """A checkbox question "when can you attend?" as ``availability``: every respondent x
    every slot offered, ``available`` for the options ticked (Google joins them with ", ",
    Microsoft with ";")."""
    picked, offered = [], []
    for r in rows.itertuples(index=False):
        chosen = raw[r.source].astype("str").str.split(r";\s*|,\s+", regex=True).explode()
        chosen = chosen[chosen.str.strip().ne("")]
        codes = slot_codes(chosen)
        if r.scale:  # the office's own options, besides slots written as 'Selasa 08.00'
            choices = parse_choices(r.scale)
            codes = normalise_label(chosen).map(choices).fillna(codes)
            offered += list(choices.values())
        bad = codes.isna().to_numpy()
        if bad.any():
            log.add(file, r.source, chosen[bad].iloc[0], "an option written as a slot "
                    "('Selasa 08.00', 'Tuesday 08:00') or listed in the mapping's scale",
                    "add 'option=slot_code' to the scale column of this row (e.g. "
                    "'Selasa pagi=tue_0800|…')", rows=sorted(set(chosen.index[bad])))  # fmt: skip
        picked.append(pd.DataFrame({"participant_id": ids.loc[chosen.index].to_numpy(),
                                    "slot": codes.to_numpy()}))  # fmt: skip
    chosen = pd.concat(picked, ignore_index=True).dropna()
    slots = sorted(set(offered) | set(chosen["slot"]))
    people = sorted(ids.dropna().unique())
    grid = pd.MultiIndex.from_product([people, slots], names=["participant_id", "slot"])
    ticked = pd.MultiIndex.from_frame(chosen.astype("str"))
    return grid.to_frame(index=False).assign(available=grid.isin(ticked))


def _repeated(ids: pd.Series, session: pd.Series) -> pd.Series:
    """Rows whose (person, session) pair occurs more than once, on integer codes."""
    p, _ = pd.factorize(ids)
    q, qs = pd.factorize(session)
    pair = pd.Series(p.astype(np.int64) * (len(qs) + 1) + q, index=ids.index)
    return pair.duplicated(keep=False) & ids.notna()


def _forms(raw, mapping, ids, session, file, log, table, rater, wave, instruments):
    items = mapping.of("item")
    long = _answers(raw, items, file, log, DEFAULT_SCALE)
    _check_scale(long, instruments, file, log)
    # a question left empty by someone who sent the form is a missing answer (a row), not
    # a question never asked
    pos = long["pos"].to_numpy(dtype=np.int64)
    base = {"participant_id": _spread(ids, pos), "session_id": _spread(session, pos)}
    if table == "behavior":
        out = pd.DataFrame({**base, "rater": rater, "wave": wave, "item_code": long["code"].array,
                            "rating": long["value"].to_numpy()})  # fmt: skip
    else:
        out = pd.DataFrame({**base, "item_code": long["code"].array,
                            "response": long["value"].to_numpy()})  # fmt: skip
    twice = _repeated(ids, session)
    if twice.any():
        log.add(file, None, None, "one response per person and session",
                "delete the repeated submission (forms let people answer twice)",
                rows=raw.index[twice.to_numpy()])  # fmt: skip
    tables = {table: out} if len(items) else {}
    if len(mapping.of("slots")):
        tables["availability"] = _slots(raw, mapping.of("slots"), ids, file, log)
    notes = mapping.of("comment")["source"].tolist()
    if notes:
        text = pd.DataFrame({c: raw[c].astype("str").str.strip() for c in notes})
        joined = text[notes[0]]
        for c in notes[1:]:  # several free-text questions: one comment, " | " between answers
            both = joined.ne("") & text[c].ne("")
            joined = (joined + np.where(both, " | ", "") + text[c]).astype("str")
        joined = joined[joined.ne("")]
        joined, _ = scrub_series(joined.astype("str"))
        tables["comments"] = pd.DataFrame({"participant_id": ids.reindex(joined.index).to_numpy(),
                                           "session_id": session.reindex(joined.index).to_numpy(),
                                           "text": joined.to_numpy()})  # fmt: skip
    return tables


def _moodle(raw, mapping, ids, session, phase, file, log, instruments):
    items = mapping.of("item")
    parts = []
    for r in items.itertuples(index=False):
        head = str(r.source)
        top = pd.to_numeric(pd.Series([head.rpartition("/")[2].strip().replace(",", ".")]),
                            errors="coerce").iloc[0] if "/" in head else np.nan  # fmt: skip
        if not np.isfinite(top) or top <= 0:
            log.add(file, head, None, "a quiz column with its maximum mark, e.g. 'Q. 1 /1.00'",
                    "download the grades report with marks per question")  # fmt: skip
            continue
        cell = raw[r.source].astype("str").str.strip()
        pending = normalise_label(cell).isin({"requires grading", "perlu dinilai"})
        marks = pd.to_numeric(cell.str.replace(",", ".", regex=False).where(~cell.isin(["-", ""]) & ~pending),
                              errors="coerce")  # fmt: skip
        bad = marks.isna() & ~cell.isin(["-", ""]) & ~pending
        if bad.any():
            log.add(file, head, cell[bad].iloc[0], "a mark, '-' (not answered) or 'Requires grading'",
                    "export the grades again; do not edit marks by hand",
                    rows=raw.index[bad.to_numpy()])  # fmt: skip
        over = (marks > top + 1e-9).fillna(False)
        if over.any():
            log.add(file, head, float(marks[over].iloc[0]), f"a mark of at most {top:g}",
                    "check the column's maximum mark", rows=raw.index[over.to_numpy()])  # fmt: skip
        if pending.any():
            log.note(f"{file}, column {head!r}: {int(pending.sum())} answer(s) await manual "
                     "grading and were left empty.")  # fmt: skip
        correct = (marks >= top - 1e-9).astype("float64").where(marks.notna())
        parts.append((head, r.code, correct.to_numpy(dtype="float64")))
    long = _long(raw, [p[0] for p in parts], [p[1] for p in parts], [p[2] for p in parts])
    if instruments is not None:
        _check_scale(long.assign(value=long["value"].fillna(0)), instruments, file, log)
    twice = _repeated(ids, session)
    if twice.any():
        log.add(file, None, None, "one attempt per person (in this session and phase)",
                "keep one attempt (Moodle: download the grades with 'highest grade' or one "
                "attempt per user)", rows=raw.index[twice.to_numpy()])  # fmt: skip
    pos = long["pos"].to_numpy(dtype=np.int64)
    out = pd.DataFrame({"participant_id": _spread(ids, pos), "session_id": _spread(session, pos),
                        "phase": phase, "item_code": long["code"].array,
                        "correct": long["value"].to_numpy()})  # fmt: skip
    return {"tests": out}


def _ikm(raw, mapping, file, log, unit, period):
    elements = mapping.of("element")
    long = _answers(
        raw, elements.assign(scale=elements["scale"].replace("", "ikm")), file, log, None
    )
    off = long["value"].notna() & ~long["value"].isin([1.0, 2.0, 3.0, 4.0])
    if off.any():
        first = long[off].iloc[0]
        log.add(file, first["source"], float(first["value"]), "an answer 1 to 4 (or its label)",
                "correct the answer; IKM elements are answered on four points",
                rows=sorted(set(long.loc[off, "row"])))  # fmt: skip
    wide = long.pivot(index="row", columns="code", values="value").reindex(raw.index)
    units = _one_value(raw, mapping, "unit", unit, "unit", file, log)
    dates = mapping.of("date")["source"].tolist()
    if mapping.of("period").empty and dates:
        d, bad = parse_dates(raw[dates[0]].astype("str").str.split(" ").str[0])
        if bad.any():
            log.add(file, dates[0], raw[dates[0]][bad].iloc[0], "a survey date (2024-03-15 or "
                    "15/03/2024)", "correct the date", rows=raw.index[bad.to_numpy()])  # fmt: skip
        periods = (
            d.dt.year.astype("Int64").astype("str")
            + "Q"
            + d.dt.quarter.astype("Int64").astype("str")
        )
    else:
        periods = _one_value(raw, mapping, "period", period, "period", file, log)
        if periods is not None:
            periods, bad = parse_periods(periods)
            if bad.any():
                log.add(file, None, None, "a quarter such as 2024Q1", "correct the period",
                        rows=raw.index[bad.to_numpy()])  # fmt: skip
    for what, value in (("unit", units), ("period", periods)):
        if value is None:
            log.add(file, None, None, f"the {what} of the survey", f"map a {what} column or pass "
                    f"--{what}")  # fmt: skip
    respondent = mapping.of("respondent")["source"].tolist()
    rid = (raw[respondent[0]].astype("str").str.strip() if respondent else
           pd.Series(raw.index, index=raw.index).map(lambda r: f"R{r:06d}"))  # fmt: skip
    if units is None or periods is None:
        return {}
    out = pd.DataFrame({"unit_id": units.to_numpy(), "period": periods.to_numpy(),
                        "respondent_id": rid.to_numpy()})  # fmt: skip
    for j in range(1, 10):
        code = f"u{j}"
        out[code] = wide[code].to_numpy() if code in wide.columns else np.nan
    return {"ikm_responses": out}


def convert(
    source: str,
    path: str | Path,
    mapping: Mapping,
    *,
    table: str | None = None,
    session: str | None = None,
    phase: str | None = None,
    rater: str | None = None,
    wave: str | None = None,
    unit: str | None = None,
    period: str | None = None,
    instruments: pd.DataFrame | None = None,
    key: str | bytes | None = None,
) -> tuple[dict[str, pd.DataFrame], tuple[str, ...]]:
    """Convert one export into typed evaluation tables.

    Returns
    -------
    tables : dict of str to DataFrame
        Typed tables (:func:`toolkit.data.as_typed`): ``reaction`` or ``behavior`` (and
        ``comments``) from forms, ``tests`` from Moodle, ``ikm_responses`` from IKM surveys.
    notes : tuple of str
        What the user should know (answers awaiting grading, the sheet read …).

    Raises
    ------
    toolkit.data.DataError
        Listing every problem of the export and the mapping; the export is never changed.
    """
    check_one_of("source", source, SOURCES)
    table = table or TABLE_OF[source]
    path = Path(path)
    log = ProblemLog()
    raw = read_logged(path, "responses", log)
    if raw is None:
        raise log.error(path.name)
    raw.columns = [str(c) for c in raw.columns]
    if source == "moodle" and len(raw.columns):
        first = normalise_label(raw.iloc[:, 0])
        raw = raw[~first.isin(_AVERAGE_ROWS)]
    _check_columns(raw, mapping, path.name, log)
    log.raise_if_any(path.name)
    if source == "ikm":
        tables = _ikm(raw, mapping, path.name, log, unit, period)
    else:
        ids = _participants(raw, mapping, path.name, log, key)
        sessions = _one_value(raw, mapping, "session", session, "session", path.name, log)
        per_session = source == "moodle" or len(mapping.of("item")) or len(mapping.of("comment"))
        if sessions is None and not per_session:
            sessions = pd.Series(pd.NA, index=raw.index, dtype="str")  # availability only
        if sessions is None:
            log.add(path.name, None, None, "the session the answers belong to",
                    "pass --session S01 or map a session column")  # fmt: skip
        if source == "moodle" and phase not in ("pre", "post"):
            log.add(
                path.name,
                None,
                phase,
                "the test phase, pre or post",
                "pass --phase pre or --phase post",
            )
        if table == "behavior" and (rater is None or wave is None):
            log.add(path.name, None, None, "the rater and wave of a follow-up form",
                    "pass --rater self|supervisor and --wave baseline|followup_3m|followup_6m")  # fmt: skip
        log.raise_if_any(path.name)
        if source == "forms":
            tables = _forms(
                raw, mapping, ids, sessions, path.name, log, table, rater, wave, instruments
            )
        else:
            tables = _moodle(raw, mapping, ids, sessions, phase, path.name, log, instruments)
    log.raise_if_any(path.name)
    return {name: as_typed(name, df) for name, df in tables.items()}, tuple(log.notes)
