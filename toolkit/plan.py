"""The evaluation plan as data: objectives, indicators at each level, and their checks.

An evaluation plan says, for every objective of the programme, which indicator will show
whether it was reached, at which Kirkpatrick level (and Phillips' fifth), measured with
which instrument, when, against which target, and from which data table. Written as a
table (one row per indicator, :data:`PLAN_COLUMNS`), the plan can be checked by machine:

* :func:`read_plan` reads it from CSV or XLSX and reports every structural problem at once,
  with file, row, column, value and fix (:class:`toolkit.errors.DataError`);
* :func:`check_plan` says which objectives have data behind them and which indicators are
  missing data (the table is absent or empty, items are not in the instrument bank, nobody
  answered them);
* :func:`smart_checks` runs the parts of the SMART test that a machine can run on the
  wording: Specific, Measurable, Achievable, Relevant, Time-bound, each as a boolean with
  its reason; :func:`parse_target` reads targets such as ``"IKM +3 points"`` or
  ``"top-2 ≥ 80 %"`` (both defined in :mod:`toolkit.smart`, importable from here);
* :func:`compare_with_targets` sets each indicator's estimate and interval against its
  target.

The sample programme's plan is ``sample_data/evaluation_plan.csv`` (:data:`SAMPLE_PLAN`).
It is written from Level 4 down, as the New World Kirkpatrick model advises: first the
result the organisation needs (citizens' satisfaction, IKM), then the critical behaviours
and required drivers on the job, then the learning and the reaction that make them likely.

Examples
--------
>>> plan = read_plan(SAMPLE_PLAN)
>>> plan[["indicator_code", "level", "data_table", "target"]].head(2)
  indicator_code  level     data_table            target
0          O1.4a      4  ikm_responses     IKM +3 points
1          O1.4b      4  ikm_responses  NRR +0.25 points
>>> bool(smart_checks(plan)["smart"].all())
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import toolkit
from toolkit import smart
from toolkit.errors import DataError, ProblemLog
from toolkit.readers import ReadFailure, normalise_header, parse_numbers, read_text_table
from toolkit.schema import NA_CODE, TABLES
from toolkit.smart import (
    ARTICLE_OBJECTIVES,
    SMART_CHECKS,
    _blank,
    _text,
    parse_target,
    smart_checks,
)
from toolkit.validation import check_columns, closest

__all__ = [
    "ARTICLE_OBJECTIVES",
    "LABELS",
    "PLAN_COLUMNS",
    "SAMPLE_PLAN",
    "SMART_CHECKS",
    "VERDICTS",
    "DataError",
    "PlanCheck",
    "check_plan",
    "compare_with_targets",
    "parse_target",
    "read_plan",
    "smart_checks",
]

#: Units a target may carry (:data:`toolkit.smart.UNITS`, importable from here too).
UNITS = smart.UNITS

#: The sample programme's evaluation plan (one row per indicator).
SAMPLE_PLAN = toolkit.SAMPLE_DATA / "evaluation_plan.csv"

#: Columns of a plan, in order: (name, required, meaning). ``*_id``/``*_en`` pairs need a
#: text in at least one of the two languages.
PLAN_COLUMNS: tuple[tuple[str, bool, str], ...] = (
    ("objective_id", True, "Objective code, e.g. O1; one wording per code"),
    ("article_objective", False, "Objective of the article it serves (ARTICLE_OBJECTIVES)"),
    ("objective_text_id", True, "The objective, in Indonesian"),
    ("objective_text_en", True, "The objective, in English"),
    ("indicator_code", True, "Indicator code, unique, e.g. O1.4a"),
    ("level", True, "Kirkpatrick level 1-4, or 5 for Phillips ROI"),
    ("indicator_text_id", True, "What is measured, in Indonesian"),
    ("indicator_text_en", True, "What is measured, in English"),
    ("population", False, "Who or what is measured (participants of …, trained units …)"),
    ("instrument", False, "Instrument of the item bank (reaction, knowledge_test, …)"),
    ("data_table", True, "Table that holds the data (a table of the data model)"),
    ("measure", False, "Items, 'construct:…', 'program:…' or 'column:…', separated by ;"),
    ("timing", False, "When it is measured (end of session, 3 months after, …)"),
    ("target", False, "Target: a number with a unit, e.g. 'IKM +3 points', 'top-2 ≥ 80 %'"),
    ("scale_min", False, "Lowest value the measure can take (empty: unbounded)"),
    ("scale_max", False, "Highest value the measure can take (empty: unbounded)"),
)
_COLUMNS = [c for c, _, _ in PLAN_COLUMNS]
_REQUIRED = [c for c, req, _ in PLAN_COLUMNS if req]
_PAIRS = {"objective_text": ("objective_text_id", "objective_text_en"),
          "indicator_text": ("indicator_text_id", "indicator_text_en")}  # fmt: skip

#: Labels of this module (see :mod:`toolkit.i18n`), with those of :mod:`toolkit.smart`
#: (the article's objectives and the SMART checks).
LABELS: dict[str, dict[str, str]] = {
    **smart.LABELS,
    # plan headings
    "objective": {"id": "Tujuan", "en": "Objective"},
    "article_objective": {"id": "Tujuan dalam artikel", "en": "Objective in the article"},
    "indicator": {"id": "Indikator", "en": "Indicator"},
    "level": {"id": "Level", "en": "Level"},
    "population": {"id": "Populasi", "en": "Population"},
    "instrument": {"id": "Instrumen", "en": "Instrument"},
    "data_table": {"id": "Tabel data", "en": "Data table"},
    "timing": {"id": "Waktu pengukuran", "en": "Timing"},
    "target": {"id": "Target", "en": "Target"},
    "has_data": {"id": "Ada data", "en": "Has data"},
    "objective_id": {"id": "Tujuan", "en": "Objective"},
    "n_indicators": {"id": "Jumlah indikator", "en": "Indicators"},
    "n_with_data": {"id": "Indikator dengan data", "en": "Indicators with data"},
    "levels": {"id": "Level", "en": "Levels"},
    "levels_with_data": {"id": "Level dengan data", "en": "Levels with data"},
    "missing": {"id": "Indikator tanpa data", "en": "Indicators without data"},
    "complete": {"id": "Lengkap", "en": "Complete"},
    "reason": {"id": "Alasan", "en": "Reason"},
    # verdicts of compare_with_targets
    "met": {"id": "Tercapai (seluruh IK memenuhi target)", "en": "Met (the whole CI)"},
    "met_estimate_only": {
        "id": "Estimasi memenuhi target, IK belum",
        "en": "Estimate meets it, the CI does not",
    },
    "not_met": {"id": "Belum tercapai", "en": "Not met"},
    "no_data": {"id": "Tidak ada data", "en": "No data"},
}

#: Verdicts of :func:`compare_with_targets`, from best to worst.
VERDICTS = ("met", "met_estimate_only", "not_met", "no_data")

# --------------------------------------------------------------------------- reading


_LEVEL = r"^(?:level|lvl|l)?\s*([1-5])$"


def read_plan(path: str | Path) -> pd.DataFrame:
    """Read an evaluation plan (CSV or XLSX, one row per indicator) and check its structure.

    Parameters
    ----------
    path : str or Path
        The plan file. CSV may be UTF-8 with or without BOM, comma- or semicolon-separated;
        an XLSX file's sheet ``evaluation_plan`` is read, else its first sheet. Headers are
        matched ignoring case and blanks (``"Indicator Code"`` is ``indicator_code``).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`PLAN_COLUMNS` in order (optional ones added empty when
        absent), then any other columns of the file. Text is stripped and empty cells are
        missing; ``level`` is an integer; ``scale_min``/``scale_max`` are floats (NaN:
        unbounded). Rows keep the file's order.

    Raises
    ------
    DataError
        Listing every problem with file, spreadsheet row (header = row 1), column, value,
        what was expected and the fix: a required column missing (with the closest header
        to rename), a required cell empty, a level that is not 1–5, a scale bound that is not
        a number or ``scale_min >= scale_max``, a repeated ``indicator_code``, an objective
        worded differently in two rows. Whether the wording is SMART and whether data
        exist are checked by :func:`smart_checks` and :func:`check_plan`, not here.

    Notes
    -----
    An objective may be worded once, in the first of its rows: its other rows take the
    same text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "plan.csv"
    >>> header = ",".join(c for c, _, _ in PLAN_COLUMNS)
    >>> _ = f.write_text(header + "\\n" + "O1,public_service,Tujuan,Objective,O1.4a,empat,"
    ...     "IKM,IKM,units,ikm,ikm_responses,u1,4 quarters after,IKM +3 points,25,100\\n")
    >>> read_plan(f)
    Traceback (most recent call last):
    ...
    toolkit.errors.DataError: 1 problem found in plan.csv; your files were not changed.
    - plan.csv, row 2, column 'level': 'empat' – expected a level from 1 to 5 (5 = ROI). Fix: write the level as a digit, e.g. 4.
    """
    path = Path(path)
    name = path.name
    log = ProblemLog()
    if not path.is_file():
        log.add(name, None, None, "an existing file", f"check the path {str(path)!r}")
        raise log.error(name)
    try:
        raw = read_text_table(path, "evaluation_plan")
    except ReadFailure as exc:
        log.add(name, None, exc.value, exc.expected, exc.fix, rows=[exc.row] if exc.row else [])
        raise log.error(name) from None
    headers = [normalise_header(c) for c in raw.columns]
    for h in sorted({h for h in headers if headers.count(h) > 1}):
        log.add(name, h, None, "each column once", "delete or rename the repeated column")
    raw = raw.set_axis(headers, axis=1).loc[:, ~pd.Index(headers).duplicated()]
    unused = [h for h in raw.columns if h not in _COLUMNS]
    for col in _REQUIRED:
        if col not in raw.columns:
            near = closest(col, unused)
            meaning = dict((c, m) for c, _, m in PLAN_COLUMNS)[col]
            fix = (
                f"rename column {near!r} to {col!r}" if near else f"add a column {col!r}: {meaning}"
            )
            log.add(name, col, None, f"a column named {col!r}", fix)
    log.raise_if_any(name)

    text = raw.apply(lambda s: s.str.strip())
    for col in _COLUMNS:
        if col not in text.columns:
            text[col] = ""
    # An objective may be worded once, in its first row: fill its other rows from it.
    for col in ("objective_text_id", "objective_text_en"):
        given = text[col].where(~_blank(text[col]))
        first = given.groupby(text["objective_id"]).transform("first")
        text[col] = given.fillna(first).fillna("")
    pairs = {c for pair in _PAIRS.values() for c in pair}
    for col in _REQUIRED:
        if col in pairs:
            continue
        empty = _blank(text[col])
        if empty.any():
            log.add(name, col, None, "a value in every row", "fill in the empty cells, or "
                    "delete rows that are not indicators", rows=text.index[empty.to_numpy()])  # fmt: skip
    for what, (col_id, col_en) in _PAIRS.items():
        empty = _blank(text[col_id]) & _blank(text[col_en])
        if empty.any():
            log.add(name, f"{col_id} / {col_en}", None, f"the {what.replace('_', ' ')} in at "
                    "least one language", "write it in Indonesian, English or both",
                    rows=text.index[empty.to_numpy()])  # fmt: skip

    level_text = text["level"].str.lower()
    digit = level_text.str.extract(_LEVEL, expand=False)
    bad = digit.isna() & ~_blank(text["level"])
    if bad.any():
        log.add(name, "level", text.loc[bad, "level"].iloc[0],
                "a level from 1 to 5 (5 = ROI)", "write the level as a digit, e.g. 4",
                rows=text.index[bad.to_numpy()])  # fmt: skip
    scales = {}
    for col in ("scale_min", "scale_max"):
        values, bad = parse_numbers(text[col], integer=False)
        if bad.any():
            log.add(name, col, text.loc[bad, col].iloc[0], "a number or an empty cell",
                    "write a number such as 1, 100 or -100; leave it empty when unbounded",
                    rows=text.index[bad.to_numpy()])  # fmt: skip
        scales[col] = values
    reversed_ = (scales["scale_min"] >= scales["scale_max"]).fillna(False)
    if reversed_.any():
        log.add(name, "scale_max", text.loc[reversed_, "scale_max"].iloc[0],
                "a value above scale_min", "swap or correct the scale bounds",
                rows=text.index[reversed_.to_numpy()])  # fmt: skip
    code = text["indicator_code"]
    dup = code.duplicated(keep=False) & ~_blank(code)
    if dup.any():
        log.add(name, "indicator_code", code[dup].iloc[0], "each indicator code once",
                "give every indicator its own code (O1.4a, O1.4b …)",
                rows=text.index[dup.to_numpy()])  # fmt: skip
    for col in ("objective_text_id", "objective_text_en"):
        wordings = text[col].where(~_blank(text[col])).groupby(text["objective_id"])
        wordings = wordings.transform("nunique")
        clash = wordings.gt(1) & ~_blank(text["objective_id"])
        if clash.any():
            log.add(name, col, text.loc[clash, "objective_id"].iloc[0],
                    "one wording per objective_id", "copy the same objective text into every "
                    "row of the objective", rows=text.index[clash.to_numpy()])  # fmt: skip
    log.raise_if_any(name)

    out = text[_COLUMNS + unused].copy()
    for col in out.columns:
        out[col] = _text(out[col])
    out["level"] = digit.astype("int64")
    out["scale_min"] = scales["scale_min"]
    out["scale_max"] = scales["scale_max"]
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- data behind it

#: Answer column of the long answer tables: a row counts as data when it is not missing.
_ANSWERS = {"reaction": "response", "tests": "correct", "behavior": "rating"}


def _tokens(measure: pd.Series) -> pd.DataFrame:
    """One row per token of ``measure``: plan row, kind (item, construct, program, column)."""
    split = measure.fillna("").astype("str").str.split(r"\s*[;,]\s*", regex=True)
    long = split.explode().str.strip()
    long = long[long.ne("")]
    parts = long.str.extract(r"^(?:(?P<kind>construct|program|column|item)\s*:\s*)?(?P<value>.+)$")
    kinds = parts["kind"].fillna("item").astype("str").to_numpy()
    return pd.DataFrame(
        {"row": long.index.to_numpy(), "kind": kinds, "value": parts["value"].to_numpy()},
        columns=["row", "kind", "value"],
    ).astype({"value": "str"})


@dataclass(frozen=True)
class PlanCheck:
    """What :func:`check_plan` found.

    Attributes
    ----------
    indicators : pandas.DataFrame
        One row per indicator of the plan: ``objective_id, indicator_code, level,
        data_table, table_known, table_rows, items, items_unknown, rows_with_data,
        has_data, reason``.
    objectives : pandas.DataFrame
        One row per objective: ``objective_id, n_indicators, n_with_data, levels,
        levels_with_data, missing`` (codes of the indicators without data), ``has_data``
        (at least one indicator has data) and ``complete`` (all have).
    """

    indicators: pd.DataFrame
    objectives: pd.DataFrame

    @property
    def missing(self) -> pd.DataFrame:
        """The indicators without data behind them, with the reason."""
        return self.indicators[~self.indicators["has_data"]].reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """The per-indicator table."""
        return self.indicators


def _tables_of(data) -> dict[str, pd.DataFrame]:
    if hasattr(data, "tables"):
        return dict(data.tables())
    if isinstance(data, Mapping):
        return dict(data)
    raise TypeError(
        "`data` must be the EvaluationData of toolkit.data.load(...) or a dict of DataFrames "
        f"by table name, but a {type(data).__name__} was passed."
    )


def _levels_text(levels: pd.Series) -> str:
    return ", ".join(str(v) for v in sorted(set(levels), reverse=True))


def check_plan(plan: pd.DataFrame, data, *, instruments: pd.DataFrame | None = None) -> PlanCheck:
    """Which objectives have data behind them, and which indicators are missing data.

    Parameters
    ----------
    plan : pandas.DataFrame
        The plan (:func:`read_plan`), with at least ``objective_id``, ``indicator_code``,
        ``level`` and ``data_table``; ``instrument`` and ``measure`` are used when present.
    data : EvaluationData or mapping of str to DataFrame
        The evaluation's tables, as :func:`toolkit.data.load` returns them (a table the
        user did not provide is empty), or a dict ``{table name: DataFrame}``.
    instruments : pandas.DataFrame, optional
        The item bank; default the ``instruments`` table of ``data``.

    Returns
    -------
    PlanCheck
        ``.indicators`` (one row per indicator), ``.objectives`` (one row per objective),
        ``.missing`` (indicators without data).

    Notes
    -----
    An indicator **has data** when (1) its ``data_table`` is a table of the data model
    (:data:`toolkit.schema.TABLES`) and has rows; (2) every token of its ``measure`` is
    known: an item code (``R03``, ``u6``) or ``construct:…`` / ``program:…`` found in the
    item bank (within the indicator's ``instrument`` when one is named), or ``column:…``
    naming a column of the table; and (3) at least one row of the table holds a
    non-missing answer for those items (long tables ``reaction``, ``tests``, ``behavior``:
    rows with one of the items and an answer; "tidak tahu" (99) does not count) or a
    value in those columns (wide tables such as ``ikm_responses``, whose items are
    columns). An empty ``measure`` asks only for rows in the table. ``rows_with_data``
    counts those rows; ``reason`` says what is missing and how to fix it.

    Examples
    --------
    >>> plan = pd.DataFrame({"objective_id": ["O1", "O1", "O2"],
    ...     "indicator_code": ["O1.3a", "O1.3b", "O2.1a"], "level": [3, 3, 1],
    ...     "instrument": ["behavior", None, "reaction"],
    ...     "data_table": ["behavior", "action_plans", "reaction"],
    ...     "measure": ["B01", "column:completed", "R09"]})
    >>> bank = pd.DataFrame({"instrument": ["behavior", "reaction"], "item_code": ["B01", "R01"],
    ...                      "construct": ["communication", "relevance"], "program": None})
    >>> data = {"instruments": bank,
    ...         "behavior": pd.DataFrame({"item_code": ["B01"], "rating": [4]}),
    ...         "reaction": pd.DataFrame({"item_code": ["R01"], "response": [5]})}
    >>> check = check_plan(plan, data)
    >>> check.indicators[["indicator_code", "has_data", "rows_with_data"]]
      indicator_code  has_data  rows_with_data
    0          O1.3a      True               1
    1          O1.3b     False               0
    2          O2.1a     False               0
    >>> print(check.missing.loc[1, "reason"])
    not in the instrument bank: R09; use codes of the instruments table or 'construct:…'
    >>> check.objectives[["objective_id", "n_indicators", "n_with_data", "has_data"]]
      objective_id  n_indicators  n_with_data  has_data
    0           O1             2            1      True
    1           O2             1            0     False
    """
    check_columns(plan, ["objective_id", "indicator_code", "level", "data_table"], param="plan")
    tables = _tables_of(data)
    bank = tables.get("instruments") if instruments is None else instruments
    if bank is None:
        bank = pd.DataFrame(columns=["instrument", "item_code", "construct", "program"])
    check_columns(bank, ["instrument", "item_code", "construct"], param="instruments")
    plan = plan.reset_index(drop=True)
    n = len(plan)
    table_name = plan["data_table"].astype("str").str.strip()
    instrument = (
        plan["instrument"].astype("str").where(~_blank(plan["instrument"]))
        if "instrument" in plan.columns
        else pd.Series(pd.NA, index=plan.index, dtype="str")
    )
    measure = plan["measure"] if "measure" in plan.columns else pd.Series(None, index=plan.index)
    sizes = {name: len(df) for name, df in tables.items()}
    table_known = table_name.isin(list(TABLES)).to_numpy()
    table_rows = table_name.map(sizes).fillna(0).astype("int64").to_numpy()
    table_rows = np.where(table_known, table_rows, 0)

    # Resolve every token of `measure`: items, constructs and programmes in the item bank
    # (within the indicator's instrument when one is named), columns in the table.
    tok = _tokens(measure)
    tok["instrument"] = instrument.to_numpy()[tok["row"].to_numpy(dtype="int64")]
    tok["table"] = table_name.to_numpy()[tok["row"].to_numpy(dtype="int64")]
    tok = tok.reset_index(names="token")
    keys = pd.concat(
        [
            pd.DataFrame({"kind": kind, "value": bank[col].astype("str"),
                          "bank_instrument": bank["instrument"].astype("str"),
                          "item": bank["item_code"].astype("str")})
            for kind, col in (("item", "item_code"), ("construct", "construct"),
                              ("program", "program"))
            if col in bank.columns
        ],
        ignore_index=True,
    ).dropna(subset=["value"])  # fmt: skip
    hits = tok.merge(keys, on=["kind", "value"], how="inner")
    hits = hits[hits["instrument"].isna() | hits["instrument"].eq(hits["bank_instrument"])]
    columns = pd.DataFrame(
        [(t, str(c)) for t, df in tables.items() for c in df.columns], columns=["table", "value"]
    )
    col_hits = tok[tok["kind"].eq("column")].merge(columns, on=["table", "value"], how="inner")
    col_hits = col_hits.assign(item=col_hits["value"])
    found = pd.concat([hits[["token", "row", "item"]], col_hits[["token", "row", "item"]]])
    unknown = tok[~tok["token"].isin(found["token"])]
    items_unknown = unknown.groupby("row")["value"].agg(", ".join).reindex(range(n)).fillna("")
    n_tokens = np.bincount(tok["row"].to_numpy(dtype="int64"), minlength=n)
    found = found.drop_duplicates(["row", "item"])
    items = found.groupby("row")["item"].agg(";".join).reindex(range(n)).fillna("")

    # Rows of each table holding an answer for the indicator's items or a value in its
    # columns. The loops run over the plan's tables and indicators (a few dozen); every
    # step inside is vectorised over the data rows.
    rows_with_data = np.where(n_tokens == 0, table_rows, 0).astype("int64")
    for name, here in found.groupby(table_name.to_numpy()[found["row"].to_numpy(dtype="int64")]):
        df = tables.get(name)
        if df is None or not len(df):
            continue
        names = [str(c) for c in df.columns]
        answered = pd.Series(True, index=df.index)
        if name in _ANSWERS and _ANSWERS[name] in df.columns:
            answer = df[_ANSWERS[name]]
            answered = answer.notna() & (answer.ne(NA_CODE) if name == "reaction" else True)
            answered = answered.fillna(False)
        codes = df["item_code"].astype("str") if "item_code" in df.columns else None
        for row, wanted in here.groupby("row")["item"]:  # one pass per indicator
            cols = [c for c in wanted if c in names]
            codes_wanted = [c for c in wanted if c not in names]
            hit = df[cols].notna().any(axis=1) if cols else pd.Series(False, index=df.index)
            if codes_wanted and codes is not None:
                hit = hit | (codes.isin(codes_wanted) & answered)
            rows_with_data[int(row)] = int(hit.sum())

    no_unknown = items_unknown.eq("").to_numpy()
    has_data = table_known & (table_rows > 0) & no_unknown & (rows_with_data > 0)
    near = pd.Series([closest(t, TABLES, cutoff=0.75) for t in table_name], dtype="object")
    reason = np.select(
        [
            ~table_known,
            table_rows == 0,
            ~no_unknown,
            rows_with_data == 0,
        ],
        [
            ("table " + table_name.map(repr) + " is not part of the data model"
             + near.map(lambda c: f" (did you mean {c!r}?)" if c else
                        ": collect it, or measure the indicator with a table that exists")
             .astype("str")),
            "no rows in " + table_name + ": the table was not provided or is empty",
            ("not in the instrument bank: " + items_unknown
             + "; use codes of the instruments table or 'construct:…'"),
            "the items exist but nobody answered them in " + table_name,
        ],
        default="data available",
    )  # fmt: skip
    indicators = pd.DataFrame(
        {
            "objective_id": plan["objective_id"].to_numpy(),
            "indicator_code": plan["indicator_code"].to_numpy(),
            "level": plan["level"].to_numpy(),
            "data_table": table_name.to_numpy(),
            "table_known": table_known,
            "table_rows": table_rows,
            "items": items.to_numpy(),
            "items_unknown": items_unknown.to_numpy(),
            "rows_with_data": rows_with_data,
            "has_data": has_data,
            "reason": reason,
        }
    )
    for col in ("objective_id", "indicator_code", "data_table", "items", "items_unknown", "reason"):
        indicators[col] = indicators[col].astype("str")
    return PlanCheck(indicators, _objectives(indicators))


def _objectives(ind: pd.DataFrame) -> pd.DataFrame:
    grouped = ind.groupby("objective_id", sort=False)
    with_data = ind[ind["has_data"]].groupby("objective_id", sort=False)
    without = ind[~ind["has_data"]].groupby("objective_id", sort=False)
    index = grouped.size().index

    def text(series: pd.Series) -> pd.Series:
        return series.reindex(index).astype("str").fillna("")

    out = pd.DataFrame(
        {
            "n_indicators": grouped.size(),
            "n_with_data": grouped["has_data"].sum(),
            "levels": text(grouped["level"].agg(_levels_text)),
            "levels_with_data": text(with_data["level"].agg(_levels_text)),
            "missing": text(without["indicator_code"].agg(", ".join)),
        }
    )
    out["has_data"] = out["n_with_data"] > 0
    out["complete"] = out["n_with_data"] == out["n_indicators"]
    out = out.astype({"n_indicators": "int64", "n_with_data": "int64"})
    return out.rename_axis("objective_id").reset_index()


# --------------------------------------------------------------------------- results vs targets
def compare_with_targets(estimates: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """Set each indicator's estimate and interval against the plan's target.

    Parameters
    ----------
    estimates : pandas.DataFrame
        One row per indicator: ``indicator_code``, ``estimate``, ``ci_low``, ``ci_high``, in
        the target's unit (percent for ``%`` targets, points of the scale for ``points``).
        NaN where the data could not answer.
    plan : pandas.DataFrame
        The plan (:func:`read_plan`), for the targets and levels.

    Returns
    -------
    pandas.DataFrame
        ``estimates``' rows in their order, with ``objective_id``, ``level`` and
        ``target`` from the plan, the parsed ``op`` and ``value``, and ``verdict``: one of
        :data:`VERDICTS`.

    Notes
    -----
    For a target to exceed (``≥``, ``>``, ``+``) the verdict is ``met`` when the whole
    confidence interval is at or above the target value (``ci_low ≥ value``),
    ``met_estimate_only`` when only the estimate is, and ``not_met`` otherwise; for a
    target to stay under (``≤``, ``<``, ``−``) the same with the upper limit; for ``=``,
    ``met`` when the interval contains the value. ``no_data`` when the estimate is NaN
    or the target cannot be parsed. The verdict says how sure the data are, not whether
    the training caused the result: that needs a comparison (notebook 06).

    Examples
    --------
    >>> plan = pd.DataFrame({"objective_id": "O1", "indicator_code": ["a", "b", "c", "d"],
    ...     "level": [4, 2, 1, 5], "target": ["IKM +3 points", "gain ≥ 10 percentage points",
    ...     "top-2 ≥ 70 %", "cost ≤ 5.000.000 IDR"]})
    >>> est = pd.DataFrame({"indicator_code": ["a", "b", "c", "d"],
    ...     "estimate": [3.9, 11.5, 58.5, np.nan], "ci_low": [3.4, 8.9, 54.1, np.nan],
    ...     "ci_high": [4.4, 14.1, 62.8, np.nan]})
    >>> compare_with_targets(est, plan)[["indicator_code", "op", "value", "verdict"]]
      indicator_code op  value            verdict
    0              a  +    3.0                met
    1              b  ≥   10.0  met_estimate_only
    2              c  ≥   70.0            not_met
    3              d  ≤  5000000.0            no_data
    """
    check_columns(estimates, ["indicator_code", "estimate", "ci_low", "ci_high"],
                  param="estimates")  # fmt: skip
    check_columns(plan, ["objective_id", "indicator_code", "level", "target"], param="plan")
    info = plan[["indicator_code", "objective_id", "level", "target"]].astype(
        {"indicator_code": "str"}
    )
    out = estimates.astype({"indicator_code": "str"}).merge(info, on="indicator_code", how="left")
    t = parse_target(out["target"].fillna(""))
    out["op"] = t["op"].to_numpy()
    out["value"] = t["value"].to_numpy()
    v, est = out["value"], out["estimate"]
    lo, hi = out["ci_low"], out["ci_high"]
    up = out["op"].isin(["≥", ">", "+"])
    down = out["op"].isin(["≤", "<", "−"])
    verdict = np.select(
        [
            est.isna() | v.isna(),
            up & (lo >= v),
            up & (est >= v),
            down & (hi <= v),
            down & (est <= v),
            out["op"].eq("=") & (lo <= v) & (v <= hi),
        ],
        ["no_data", "met", "met_estimate_only", "met", "met_estimate_only", "met"],
        default="not_met",
    )
    out["verdict"] = pd.Series(verdict, index=out.index, dtype="str")
    cols = ["indicator_code", "objective_id", "level", "target", "op", "value", "estimate",
            "ci_low", "ci_high", "verdict"]  # fmt: skip
    extra = [c for c in estimates.columns if c not in cols]
    return out[cols + extra]
