"""SMART checks of an evaluation plan's wording, and the reader of its targets.

A machine cannot judge whether an objective is wise, but it can check whether the wording of
each indicator is complete enough to be judged (Doran 1981):

* :func:`smart_checks` runs the parts of the SMART test that can be run on the wording:
  Specific, Measurable, Achievable, Relevant, Time-bound (:data:`SMART_CHECKS`), each as a
  boolean with its reason; the *Relevant* check maps every indicator to one of the source
  article's objectives (:data:`ARTICLE_OBJECTIVES`);
* :func:`parse_target` reads targets such as ``"IKM +3 points"`` or ``"top-2 ≥ 80 %"``
  into operator, value and unit (:data:`UNITS`).

Everything here is also importable from :mod:`toolkit.plan`, which reads the plan these
functions check (:func:`toolkit.plan.read_plan`) and compares results with its targets.

Examples
--------
>>> parse_target("top-2 ≥ 80 %")[["op", "value", "unit", "kind"]]
  op  value unit   kind
0  ≥   80.0    %  level
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.validation import check_columns, closest

__all__ = [
    "ARTICLE_OBJECTIVES",
    "LABELS",
    "SMART_CHECKS",
    "UNITS",
    "parse_target",
    "smart_checks",
]

#: The objectives the source article names (BKN Tanjungpinang, February 2025), as codes:
#: (section of the article, its words in Indonesian, an English gloss). The *Relevant*
#: check asks that every indicator maps to one of them.
ARTICLE_OBJECTIVES: dict[str, tuple[str, str, str]] = {
    "competence": (
        "Tujuan",
        "meningkatkan kompetensi pegawai dalam menjalankan tugas dan fungsinya",
        "raise staff competence to carry out their duties and functions",
    ),
    "technical_skills": ("Tujuan", "aspek teknis", "technical skills"),
    "leadership": ("Tujuan", "soft skills: kepemimpinan", "soft skills: leadership"),
    "communication": ("Tujuan", "soft skills: komunikasi", "soft skills: communication"),
    "collaboration": ("Tujuan", "soft skills: kolaborasi", "soft skills: collaboration"),
    "public_service": (
        "Tujuan",
        "memberikan pelayanan yang lebih baik kepada masyarakat",
        "serve the public better",
    ),
    "efficiency": (
        "Pendahuluan",
        "memastikan efektivitas dan efisiensi dari pelatihan yang diberikan",
        "make sure the training is effective and efficient",
    ),
}

#: The five SMART checks, in order.
SMART_CHECKS = ("specific", "measurable", "achievable", "relevant", "time_bound")

#: Labels of this module (see :mod:`toolkit.i18n`); :data:`toolkit.plan.LABELS` includes them.
LABELS: dict[str, dict[str, str]] = {
    # article objectives
    "competence": {"id": "Kompetensi pegawai", "en": "Staff competence"},
    "technical_skills": {"id": "Keterampilan teknis", "en": "Technical skills"},
    "leadership": {"id": "Kepemimpinan", "en": "Leadership"},
    "communication": {"id": "Komunikasi", "en": "Communication"},
    "collaboration": {"id": "Kolaborasi", "en": "Collaboration"},
    "public_service": {"id": "Pelayanan publik", "en": "Public service"},
    "efficiency": {"id": "Efisiensi", "en": "Efficiency"},
    # SMART
    "specific": {"id": "Spesifik", "en": "Specific"},
    "measurable": {"id": "Terukur", "en": "Measurable"},
    "achievable": {"id": "Dapat dicapai", "en": "Achievable"},
    "relevant": {"id": "Relevan", "en": "Relevant"},
    "time_bound": {"id": "Berbatas waktu", "en": "Time-bound"},
    "smart": {"id": "Memenuhi SMART", "en": "SMART"},
}


# --------------------------------------------------------------------------- helpers
def _blank(s: pd.Series) -> pd.Series:
    """True where a cell is missing or only blanks."""
    return s.isna() | s.astype("str").str.strip().eq("")


def _text(s: pd.Series) -> pd.Series:
    """The cells as stripped text, missing where blank."""
    return s.astype("str").str.strip().where(~_blank(s))


def _choose(index: pd.Index, conditions, texts, default) -> pd.Series:
    """The text of the first true condition per row, else ``default`` (:func:`numpy.select`)."""
    return pd.Series(np.select(conditions, texts, default=default), index=index, dtype="str")


def _fmt(x: float) -> str:
    """A bound for a reason text: '…' when unbounded, no trailing '.0'."""
    if x != x:
        return "…"
    return f"{x:,.0f}" if abs(x) >= 10_000 else f"{x:g}"


def _reasons(*parts: tuple[pd.Series, str]) -> pd.Series:
    """Join the texts of the parts whose mask is True with '; ' (vectorised)."""
    index = parts[0][0].index
    out = pd.Series("", index=index, dtype="str")
    for mask, text in parts:
        m = mask.to_numpy(dtype=bool)
        sep = np.where(m & out.ne("").to_numpy(dtype=bool), "; ", "")
        out = out + sep + np.where(m, text, "")
    return out


# --------------------------------------------------------------------------- targets
#: Units a target may carry, normalised (lower case): the written forms on the left.
UNITS: dict[str, str] = {
    "%": "%", "persen": "%", "percent": "%",
    "pp": "percentage points", "percentage point": "percentage points",
    "percentage points": "percentage points", "poin persentase": "percentage points",
    "point": "points", "points": "points", "poin": "points",
    "jp": "JP", "idr": "IDR", "rp": "IDR", "rupiah": "IDR",
    "day": "days", "days": "days", "hari": "days", "minute": "minutes", "minutes": "minutes",
    "menit": "minutes", "hour": "hours", "hours": "hours", "jam": "hours",
}  # fmt: skip

_OPS = {">=": "≥", "=>": "≥", "<=": "≤", "=<": "≤", "-": "−", "–": "−"}
_TARGET = (
    r"^\s*(?P<metric>.*?)\s*(?P<op>≥|>=|=>|≤|<=|=<|>|<|=|\+|−|–|-)\s*"
    r"(?P<value>\d[\d.,]*)\s*(?P<unit>[^\d\s≥≤<>=+−–-][^\d≥≤<>=]*?)?\s*$"
)
_TIME = (
    r"(?P<span>\d+\s*(?:days?|hari|weeks?|minggu|months?|bulan|quarters?|triwulan|years?|tahun)\b)"
    r"|(?P<period>\b(?:19|20)\d{2}\s*-?\s*Q[1-4]\b|\bQ[1-4]\s*-?\s*(?:19|20)\d{2}\b)"
    r"|(?P<date>\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b)"
    r"|(?P<anchor>end of (?:the |each |every )?(?:session|training|course)|akhir (?:sesi|pelatihan)"
    r"|before and (?:at the end|after)|sebelum dan sesudah|pre-?test|post-?test"
    r"|first year|tahun pertama|budget year|tahun anggaran|followup_\d+m)"
)


def _number(text: pd.Series) -> pd.Series:
    """Numbers as written in targets: 0.25, 0,5, 6.000.000, 6,000,000 (thousands need 2 groups)."""
    s = text.astype("str").str.strip().str.rstrip(".,")
    grouped = s.str.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:,\d{3}){2,}").fillna(False)
    s = s.where(~grouped, s.str.replace(r"[.,]", "", regex=True))
    s = s.str.replace(",", ".", regex=False)
    return pd.to_numeric(s, errors="coerce").astype("float64")


def parse_target(target) -> pd.DataFrame:
    """Split targets such as ``"IKM +3 points"`` into metric, operator, value and unit.

    Parameters
    ----------
    target : str or sequence of str
        Targets as written in a plan: an optional metric name, an operator, a number and a
        unit: ``"top-2 ≥ 80 %"``, ``"IKM +3 points"``, ``"mean gain ≥ 10 percentage
        points"``, ``"cost per completer ≤ 5.000.000 IDR"``.

    Returns
    -------
    pandas.DataFrame
        One row per target: ``target`` (as given), ``metric``, ``op`` (``≥ ≤ > < =`` for a
        level to reach, ``+``/``−`` for a change from baseline), ``value`` (float, signed
        for changes), ``unit`` (normalised through :data:`UNITS` when known, else as
        written), ``kind`` (``"level"`` or ``"change"``), ``parsed`` (False when no
        operator and number were found). Decimal commas are read (``0,5``); dots or
        commas between thousands need at least two groups (``6.000.000``).

    Examples
    --------
    >>> parse_target(["IKM +3 points", "top-2 ≥ 80 %", "complaints -20 %", "better service"])
                 target      metric   op  value    unit    kind  parsed
    0     IKM +3 points         IKM    +    3.0  points  change    True
    1      top-2 ≥ 80 %       top-2    ≥   80.0       %   level    True
    2  complaints -20 %  complaints    −  -20.0       %  change    True
    3    better service         NaN  NaN    NaN     NaN     NaN   False
    """
    s = pd.Series([target] if isinstance(target, str) else list(target), dtype="str")
    parts = s.fillna("").str.extract(_TARGET)
    op = parts["op"].replace(_OPS)
    value = _number(parts["value"])
    change = op.isin(["+", "−"])
    value = value.where(~op.eq("−"), -value)
    unit_text = parts["unit"].str.strip().str.lower()
    unit = unit_text.map(UNITS).fillna(parts["unit"].str.strip())
    parsed = op.notna() & value.notna()
    out = pd.DataFrame(
        {
            "target": s,
            "metric": parts["metric"].str.strip().where(parsed),
            "op": op.where(parsed),
            "value": value.where(parsed),
            "unit": unit.where(parsed),
            "kind": pd.Series(np.where(change, "change", "level"), dtype="str").where(parsed),
            "parsed": parsed.to_numpy(dtype=bool),
        }
    )
    out["metric"] = out["metric"].where(out["metric"].ne(""))
    return out


# --------------------------------------------------------------------------- SMART
def smart_checks(plan: pd.DataFrame) -> pd.DataFrame:
    """The parts of the SMART test a machine can run on each indicator of a plan.

    Parameters
    ----------
    plan : pandas.DataFrame
        The plan (:func:`toolkit.plan.read_plan`); missing optional columns count as empty.

    Returns
    -------
    pandas.DataFrame
        One row per indicator: ``objective_id, indicator_code, level``; for each check of
        :data:`SMART_CHECKS` a boolean column and a ``<check>_reason`` column saying why it
        passed or failed (and how to fix it); ``smart`` (all five pass) and ``n_passed``.

    Notes
    -----
    What each check asks, automated as far as wording allows:

    * **Specific**: the indicator names a level (1–5), what is measured
      (``indicator_text_*`` and a ``measure`` of items, constructs or columns) and who
      (``population``).
    * **Measurable**: the ``target`` has a number with a unit (:func:`parse_target`):
      ``"top-2 ≥ 80 %"`` passes, ``"top-2 ≥ 80"`` and ``"better service"`` do not.
    * **Achievable**: the target lies inside the measure's range (``scale_min``,
      ``scale_max``; 0–100 when both are empty and the unit is % or percentage points): a
      level target strictly inside the range (a target at the very top, "≥ 100 %", demands
      perfection), a change no larger than the range's width, a relative decrease below
      100 %. Whether the target is realistic for *this* programme is a judgement the
      check cannot make: compare with the baseline.
    * **Relevant**: ``article_objective`` is one of the article's objectives
      (:data:`ARTICLE_OBJECTIVES`).
    * **Time-bound**: ``timing`` names a point in time: a span ("3 months after"), a
      quarter or date ("by 2025Q4"), or an event ("end of session", "pre-test", "first
      year"). "Regularly" or "ongoing" do not.

    References
    ----------
    Doran, G. T. (1981). There's a S.M.A.R.T. way to write management's goals and
    objectives. *Management Review*, 70(11), 35–36.

    Examples
    --------
    >>> plan = pd.DataFrame({"objective_id": ["O1", "O2"], "indicator_code": ["O1.1a", "O2.1a"],
    ...     "level": [1, 4], "article_objective": ["competence", None],
    ...     "indicator_text_en": ["Relevance (R01), top-2 box", "Better service"],
    ...     "population": ["all participants", None], "measure": ["R01", None],
    ...     "timing": ["end of session", "regularly"],
    ...     "target": ["top-2 ≥ 80 %", "improve"], "scale_min": [0, None],
    ...     "scale_max": [100, None]})
    >>> out = smart_checks(plan)
    >>> out[["indicator_code", *SMART_CHECKS, "smart"]]
      indicator_code  specific  measurable  achievable  relevant  time_bound  smart
    0          O1.1a      True        True        True      True        True   True
    1          O2.1a     False       False       False     False       False  False
    >>> print(out.loc[1, "specific_reason"])
    no measure (items, 'construct:…' or 'column:…'); no population: say who is measured
    """
    check_columns(plan, ["objective_id", "indicator_code", "level"], param="plan")
    plan = plan.reset_index(drop=True)
    idx = plan.index

    def col(name) -> pd.Series:
        if name not in plan.columns:
            return pd.Series(pd.NA, index=idx, dtype="str")
        return _text(plan[name])

    def num(name) -> pd.Series:
        if name not in plan.columns:
            return pd.Series(np.nan, index=idx)
        return pd.to_numeric(plan[name], errors="coerce").astype("float64")

    level = pd.to_numeric(plan["level"], errors="coerce")
    level_ok = level.isin([1, 2, 3, 4, 5])
    text_ok = col("indicator_text_en").notna() | col("indicator_text_id").notna()
    measure_ok = col("measure").notna()
    population_ok = col("population").notna()
    specific = level_ok & text_ok & measure_ok & population_ok
    specific_reason = _reasons(
        (~level_ok, "no level from 1 to 5"),
        (~text_ok, "no indicator text: say what is measured"),
        (~measure_ok, "no measure (items, 'construct:…' or 'column:…')"),
        (~population_ok, "no population: say who is measured"),
    )
    specific_reason = specific_reason.where(
        ~specific, "level " + level.astype("Int64").astype("str") + ", measure "
        + col("measure").fillna("") + ", population: " + col("population").fillna("")
    )  # fmt: skip

    target_text = col("target")
    t = parse_target(target_text.fillna(""))
    has_target = target_text.notna()
    unit_ok = t["unit"].notna()
    measurable = has_target & t["parsed"] & unit_ok
    measurable_reason = _choose(
        idx,
        [~has_target, ~t["parsed"], ~unit_ok],
        ["no target: write a number with a unit, e.g. 'top-2 ≥ 80 %'",
         "no operator and number in the target ('≥ 80 %', '+3 points')",
         "a number without a unit: add one ('%', 'points', 'percentage points', 'IDR')"],
        default="target " + t["op"].fillna("")
        + np.where(t["kind"].eq("change"), "", " ") + t["value"].abs().map(_fmt)
        + " " + t["unit"].fillna(""),
    )  # fmt: skip

    lo, hi = num("scale_min"), num("scale_max")
    pct = t["unit"].isin(["%", "percentage points"]) & lo.isna() & hi.isna()
    lo = lo.where(~pct, 0.0)
    hi = hi.where(~pct, 100.0)
    v, op = t["value"], t["op"]
    relative = t["kind"].eq("change") & t["unit"].eq("%")
    width = hi - lo
    no_scale = lo.isna() & hi.isna() & ~relative
    above_floor = lo.isna() | (v > lo)
    below_ceiling = hi.isna() | (v < hi)
    inside = (lo.isna() | (v >= lo)) & (hi.isna() | (v <= hi))
    fits = np.select(
        [
            ~measurable,
            relative,
            t["kind"].eq("change"),
            op.isin(["≥", ">"]),
            op.isin(["≤", "<"]),
        ],
        [False, v > -100, width.isna() | (v.abs() <= width),
         inside & below_ceiling, inside & above_floor],
        default=inside,
    ).astype(bool)  # fmt: skip
    achievable = measurable & ~no_scale & pd.Series(fits, index=idx)
    range_text = "[" + lo.map(_fmt) + ", " + hi.map(_fmt) + "]"
    achievable_reason = _choose(
        idx,
        [~measurable, no_scale, relative & ~achievable, t["kind"].eq("change") & ~achievable,
         op.isin(["≥", ">"]) & inside & ~below_ceiling,
         op.isin(["≤", "<"]) & inside & ~above_floor, ~achievable, relative],
        ["no target to check (see measurable)",
         "no scale range (scale_min, scale_max): cannot check the target against it",
         "a decrease of 100 % or more is impossible",
         "a change larger than the width of the range " + range_text,
         "a target at the top of the range " + range_text + " demands perfection",
         "a target at the bottom of the range " + range_text + " demands perfection",
         "outside the range " + range_text,
         "a relative change; compare it with the baseline"],
        default="inside the range " + range_text,
    )  # fmt: skip

    article = col("article_objective")
    relevant = article.isin(list(ARTICLE_OBJECTIVES)).fillna(False).astype(bool)
    words = article.map(lambda a: ARTICLE_OBJECTIVES[a][1] if a in ARTICLE_OBJECTIVES else "")
    hint = article.map(lambda a: closest(a, ARTICLE_OBJECTIVES) if isinstance(a, str) else None)
    relevant_reason = _choose(
        idx,
        [relevant, article.isna(), hint.notna()],
        ["serves the article's objective " + article.fillna("") + " ('" + words + "')",
         "no article_objective: say which of the article's objectives it serves",
         "not one of the article's objectives: did you mean " + hint.fillna("") + "?"],
        default="not one of the article's objectives (" + ", ".join(ARTICLE_OBJECTIVES) + ")",
    )  # fmt: skip

    timing = col("timing")
    when = timing.fillna("").str.extract(f"(?i)(?:{_TIME})")
    found_time = when.bfill(axis=1).iloc[:, 0]
    time_bound = found_time.notna()
    time_bound_reason = _choose(
        idx,
        [timing.isna(), ~time_bound],
        ["no timing: say when it is measured ('3 months after the session', 'end of "
         "session', 'by 2025Q4')",
         "no point in time ('3 months after', 'end of session', 'by 2025Q4'); "
         "'regularly' or 'ongoing' cannot be checked"],
        default="measured at: " + found_time.fillna(""),
    )  # fmt: skip

    out = pd.DataFrame(
        {
            "objective_id": col("objective_id"),
            "indicator_code": col("indicator_code"),
            "level": level.astype("Int64"),
        }
    )
    checks = {
        "specific": (specific, specific_reason),
        "measurable": (measurable, measurable_reason),
        "achievable": (achievable, achievable_reason),
        "relevant": (relevant, relevant_reason),
        "time_bound": (time_bound, time_bound_reason),
    }
    for name, (ok, why) in checks.items():
        out[name] = ok.to_numpy(dtype=bool)
        out[f"{name}_reason"] = why.astype("str").to_numpy()
    passed = out[list(SMART_CHECKS)]
    out["smart"] = passed.all(axis=1)
    out["n_passed"] = passed.sum(axis=1).astype("int64")
    return out
