"""Level 5 (Phillips): were the programme's benefits worth its fully loaded cost?

The chain is

1. :func:`fully_loaded_costs`: every cost of the programme, by Phillips category, with design
   costs prorated over their life and participants' time in training valued at salary plus
   allowances (*gaji dan tunjangan*);
2. :func:`isolated_benefits`: first-year monetary benefits isolated from other causes, either
   from participants' own estimates (value × attribution × confidence) or from a control-group
   effect (e.g. :func:`toolkit.results.did`) monetised;
3. :func:`roi`: benefit–cost ratio, ROI %, payback and net benefit, with the intangible
   benefits listed beside the numbers (never monetised);
4. :func:`roi_sensitivity`: how far ROI moves when each assumption moves (a tornado table).

Conservative mode (the default) enforces Phillips's guiding principles: no data means no
improvement (a participant who gave no figure counts as zero, never as the average), extreme
and unsupported claims are dropped, estimates are adjusted for error with the respondent's
confidence, only first-year benefits count, and costs are fully loaded. Switching it off can
only raise the ROI, never lower it; a test checks this.

Result types: :func:`fully_loaded_costs`, :func:`isolated_benefits` and
:func:`roi_sensitivity` return tidy DataFrames; :func:`roi` returns a small frozen
:class:`ROIResult` (a table plus the intangibles and the settings used), because a ROI figure
should never travel without its intangibles and assumptions.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.i18n import localize_numbers
from toolkit.schema import COST_CATEGORIES
from toolkit.validation import as_list, check_columns, check_number, check_one_of, closest

__all__ = [
    "JP_MINUTES",
    "ROIResult",
    "fully_loaded_costs",
    "isolated_benefits",
    "phillips_model",
    "roi",
    "roi_sensitivity",
]

#: Minutes in one lesson hour (jam pelajaran, JP).
JP_MINUTES = 45


# --------------------------------------------------------------------------- costs
def _hourly_rates(enr, participants, hourly_compensation):
    """Hourly compensation per enrollment row: a number, a grade mapping or a per-person Series."""
    if isinstance(hourly_compensation, pd.Series):
        rates = enr["participant_id"].astype("str").map(hourly_compensation.rename(str))
        what = "participant_id"
    elif isinstance(hourly_compensation, Mapping):
        if participants is None:
            raise ValueError(
                "`hourly_compensation` by grade needs the `participants` table (with `grade`)."
            )
        check_columns(participants, ["participant_id", "grade"], param="participants")
        grade = participants.set_index(participants["participant_id"].astype("str"))["grade"]
        rates = enr["participant_id"].astype("str").map(grade.astype("str"))
        rates = rates.map(dict(hourly_compensation))
        what = "grade"
    else:
        check_number("hourly_compensation", hourly_compensation, low=0)
        return pd.Series(float(hourly_compensation), index=enr.index)
    rates = pd.to_numeric(rates)
    if rates.isna().any():
        bad = enr.loc[rates.isna(), "participant_id"].astype("str").unique()[:3].tolist()
        raise ValueError(
            f"`hourly_compensation` has no rate for some participants (by {what}), e.g. "
            f"{bad}; give a rate for every {what}."
        )
    return rates.astype(float)


def fully_loaded_costs(
    costs: pd.DataFrame,
    *,
    enrollments: pd.DataFrame | None = None,
    participants: pd.DataFrame | None = None,
    sessions: pd.DataFrame | None = None,
    hourly_compensation=None,
    year: int = 1,
    by="program",
    enrollments_year: int = 1,
) -> pd.DataFrame:
    """Fully loaded programme costs by Phillips category, with design costs prorated.

    Parameters
    ----------
    costs : DataFrame
        The ``costs`` table: ``program, category, amount_idr`` and optionally ``session_id``
        and ``prorate_years`` (missing means 1).
    enrollments : DataFrame, optional
        ``participant_id, session_id, attended_jp``; with ``hourly_compensation``, the time
        participants spent in training is valued and added as ``participant_salaries``.
    participants : DataFrame, optional
        ``participant_id, grade``; needed when ``hourly_compensation`` is given by grade.
    sessions : DataFrame, optional
        ``session_id, program``; tells which programme each enrollment belongs to. Without it
        the programme is read from the cost lines that name a session.
    hourly_compensation : float, mapping or Series, optional
        Salary plus allowances per hour, in rupiah: one number for everyone, a mapping
        grade → rate (e.g. ``{"III": 60_000}``) or a Series indexed by participant_id.
    year : int
        Programme year being costed. A line spread over ``prorate_years`` years is charged
        ``amount_idr / prorate_years`` in each of years 1 … ``prorate_years`` and nothing
        after. Keep 1 for a first-year ROI.
    by : str or list of str, optional
        ``"program"`` (default), ``"session_id"``, both, or None for one total.
    enrollments_year : int, default 1
        The programme year the ``enrollments`` belong to. Participants' time is valued only
        when it is the year being costed: in a later year the cost lines carry only what
        recurs (the prorated design costs), and that year's time is added only when the
        caller passes that year's enrollments and says so (``enrollments_year=year``). So
        costing year 2 with year 1's enrollments never charges year 1's time again.

    Returns
    -------
    DataFrame
        Per group, one row per cost category (in :data:`toolkit.schema.COST_CATEGORIES`
        order, zeros included) and a last row ``category == "total"``; columns ``*by,
        category, amount_idr`` (charged this year), ``lines_idr`` (from cost lines, after
        prorating), ``computed_idr`` (participants' time valued here), ``gross_idr`` (cost
        lines before prorating), ``n_lines, share`` (of the group's total).

    Notes
    -----
    Charged amount of a line: :math:`a / p` for :math:`1 \\le y \\le p`, where :math:`a` is
    ``amount_idr`` and :math:`p` is ``prorate_years`` (Phillips & Phillips 2007 prorate
    development costs over the programme's life). Participants' time:

    .. math:: \\text{attended JP} \\times \\tfrac{45}{60}\\,\\text{h} \\times
              \\text{hourly salary and allowances}

    (1 JP = 45 minutes). Attended hours, not planned ones, are valued: they are the time away
    from work. **No double counting:** computed time is not added for a session that already
    has a ``participant_salaries`` cost line, nor for any session of a programme that has a
    programme-level ``participant_salaries`` line (empty ``session_id``). A programme-level
    line with ``by="session_id"`` stays in a group whose ``session_id`` is missing.

    References
    ----------
    Phillips, J. J., & Phillips, P. P. (2007). *Show Me the Money*. Berrett-Koehler, ch. 7
    (fully loaded costs).

    Examples
    --------
    >>> costs = pd.DataFrame({"session_id": [None, "S1"], "program": "lead",
    ...     "category": ["design_development", "facilitator_fees"],
    ...     "amount_idr": [30_000_000, 10_000_000], "prorate_years": [3, 1]})
    >>> enr = pd.DataFrame({"participant_id": ["a", "b"], "session_id": "S1",
    ...                     "attended_jp": [24, 16]})
    >>> out = fully_loaded_costs(costs, enrollments=enr, hourly_compensation=50_000)
    >>> out.loc[out["amount_idr"] > 0, ["category", "amount_idr"]]
                  category  amount_idr
    1   design_development  10000000.0
    2     facilitator_fees  10000000.0
    6 participant_salaries   1500000.0
    9                total  21500000.0

    Year 2: a third of the design costs recurs; the one-off fees and year 1's time do not.

    >>> two = fully_loaded_costs(costs, enrollments=enr, hourly_compensation=50_000, year=2)
    >>> two.loc[two["category"] == "total", "amount_idr"].item()
    10000000.0
    """
    check_columns(costs, ["program", "category", "amount_idr"], param="costs")
    by = as_list(by)
    for b in by:
        check_one_of("by", b, ("program", "session_id"))
    for name, value in (("year", year), ("enrollments_year", enrollments_year)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(
                f"`{name}` must be a whole number of at least 1, but {value!r} was passed."
            )
    cat = costs["category"].astype("str")
    bad = sorted(set(cat[~cat.isin(COST_CATEGORIES)].dropna()))
    if bad:
        raise ValueError(
            f"`costs` has categories {bad} that are not Phillips categories; use one of "
            f"{', '.join(COST_CATEGORIES)}."
        )
    amount = pd.to_numeric(costs["amount_idr"]).astype(float)
    if "prorate_years" in costs.columns:
        years = pd.to_numeric(costs["prorate_years"]).astype(float).fillna(1.0)
    else:
        years = pd.Series(1.0, index=costs.index)
    if (years < 1).any() or (amount < 0).any():
        raise ValueError("`costs` needs amount_idr >= 0 and prorate_years >= 1 on every line.")
    session = (
        costs["session_id"].astype("str").where(costs["session_id"].notna())
        if "session_id" in costs.columns
        else pd.Series(np.nan, index=costs.index, dtype="str")
    )
    lines = pd.DataFrame({"program": costs["program"].astype("str"), "session_id": session}).assign(
        category=cat, lines_idr=np.where(year <= years, amount / years, 0.0), gross_idr=amount,
        computed_idr=0.0, n_lines=1,
    )  # fmt: skip
    if (enrollments is None) != (hourly_compensation is None):
        given, need = ("enrollments", "hourly_compensation")[
            :: 1 if enrollments is not None else -1
        ]
        raise ValueError(
            f"`{given}` was given without `{need}`: participants' time is valued from both "
            "(attended JP x 45 minutes x salary and allowances per hour); pass both or neither."
        )
    parts = [lines]
    if enrollments is not None and enrollments_year == year:
        parts.append(
            _participant_time(lines, enrollments, participants, sessions, hourly_compensation)
        )
    allrows = pd.concat(parts, ignore_index=True)
    allrows["category"] = pd.Categorical(allrows["category"], categories=list(COST_CATEGORIES))
    value_cols = ["lines_idr", "computed_idr", "gross_idr", "n_lines"]
    g = allrows.groupby([*by, "category"], observed=False, dropna=False)[value_cols].sum()
    g = g.reset_index()
    g["amount_idr"] = g["lines_idr"] + g["computed_idr"]
    g["category"] = g["category"].astype("str")
    if by:
        total = g.groupby(by, dropna=False, sort=False)[[*value_cols, "amount_idr"]].sum()
        total = total.reset_index().assign(category="total")
    else:
        total = g[[*value_cols, "amount_idr"]].sum().to_frame().T.assign(category="total")
    g = pd.concat([g, total], ignore_index=True)
    order = {c: i for i, c in enumerate([*COST_CATEGORIES, "total"])}
    g = g.sort_values([*by, "category"], key=lambda s: s.map(order) if s.name == "category" else s)
    g = g.reset_index(drop=True)
    tot = (
        g.groupby(by, dropna=False)["amount_idr"].transform("max") if by else g["amount_idr"].max()
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        g["share"] = g["amount_idr"] / tot
    g["n_lines"] = g["n_lines"].astype("int64")
    cols = [*by, "category", "amount_idr", "lines_idr", "computed_idr", "gross_idr", "n_lines"]
    return g[[*cols, "share"]]


def _participant_time(lines, enrollments, participants, sessions, hourly_compensation):
    """Cost rows valuing attended JP, skipping sessions whose time is already costed."""
    check_columns(enrollments, ["participant_id", "session_id", "attended_jp"], param="enrollments")
    enr = enrollments.reset_index(drop=True)
    sid = enr["session_id"].astype("str")
    if sessions is not None:
        check_columns(sessions, ["session_id", "program"], param="sessions")
        known = sessions.astype({"session_id": "str", "program": "str"})
    else:
        known = lines.dropna(subset=["session_id"])
    program = sid.map(dict(zip(known["session_id"], known["program"], strict=False)))
    if program.isna().any():
        bad = sid[program.isna()].unique()[:3].tolist()
        raise ValueError(
            f"Cannot tell the programme of sessions {bad}: pass `sessions=` (session_id, program)."
        )
    sal = lines.loc[lines["category"] == "participant_salaries"]
    costed_programs = set(sal.loc[sal["session_id"].isna(), "program"])
    costed_sessions = set(sal["session_id"].dropna())
    keep = ~(sid.isin(costed_sessions) | program.isin(costed_programs))
    hours = pd.to_numeric(enr["attended_jp"]).astype(float).fillna(0.0) * JP_MINUTES / 60
    rate = _hourly_rates(enr.loc[keep], participants, hourly_compensation)
    return pd.DataFrame({"program": program[keep], "session_id": sid[keep]}).assign(
        category="participant_salaries", lines_idr=0.0, gross_idr=0.0,
        computed_idr=hours[keep] * rate, n_lines=0,
    )  # fmt: skip


# --------------------------------------------------------------------------- benefits
def isolated_benefits(
    estimates,
    *,
    method: str = "estimates",
    conservative: bool = True,
    by=None,
    extreme_multiple: float = 10.0,
    cap_idr: float | None = None,
    n_participants=None,
    value_per_unit: float | None = None,
    units: float | None = None,
    detail: bool = False,
) -> pd.DataFrame:
    """First-year monetary benefits isolated from other causes.

    Parameters
    ----------
    estimates : DataFrame, float or Series
        ``method="estimates"``: the ``benefit_estimates`` table (participant_id, measure,
        annual_value_idr, attribution, confidence). ``method="control_group"``: the effect of
        training on an outcome, as a number or a row with ``estimate`` and optionally
        ``ci_low`` (e.g. a row of :func:`toolkit.results.did`).
    method : {"estimates", "control_group"}
        Isolation by participants' adjusted estimates, or by a comparison group.
    conservative : bool
        Apply Phillips's guiding principles (see Notes). Default True.
    by : str or list of str, optional
        Grouping columns of ``estimates`` (e.g. ``"program"`` or ``"measure"``).
    extreme_multiple : float
        Conservative mode drops a claim above this multiple of the median claim of the same
        measure (within the group). Default 10.
    cap_idr : float, optional
        Conservative mode also drops claims above this amount.
    n_participants : int or mapping, optional
        Participants the programme reached. Only the non-conservative mode uses it: it
        extrapolates the respondents' mean to everyone (a mapping gives it per value of a
        single ``by`` column).
    value_per_unit, units : float
        ``method="control_group"``: rupiah per unit of the outcome, and units affected in the
        first year (e.g. services delivered, or trained units).
    detail : bool
        Return one row per estimate (with ``isolated_idr`` and ``status``) instead of totals.

    Returns
    -------
    DataFrame
        Totals: ``*by, method, conservative, n, n_with_value, n_no_data, n_extreme,
        claimed_idr`` (sum of the figures given), ``benefits_idr``. For
        ``"control_group"``: ``method, conservative, effect, effect_used, value_per_unit,
        units, benefits_idr``.

    Notes
    -----
    Estimates, conservative (default), per respondent *i*:

    .. math:: B_i = v_i \\times a_i \\times c_i

    with :math:`v_i` the claimed annual value, :math:`a_i` the share attributed to training
    and :math:`c_i` the confidence in the estimate (the adjustment for error); a missing
    :math:`v_i` counts as 0 ("no data, no improvement"); a claim above
    ``extreme_multiple`` × the median of its measure or above ``cap_idr`` counts as 0
    (extreme, unsupported); total :math:`\\sum_i B_i`. Non-conservative: :math:`B_i = v_i a_i`
    (no confidence adjustment), extremes kept, and the mean over respondents who gave a figure
    is extrapolated to every row (or to ``n_participants``). Every conservative step can only
    lower the total.

    Control group: benefits = effect × ``value_per_unit`` × ``units``, where the effect is the
    point estimate, or in conservative mode the lower confidence bound when one is given
    (the most conservative alternative; a bound below 0 gives a negative benefit).

    References
    ----------
    Phillips, J. J., & Phillips, P. P. (2007). *Show Me the Money*, ch. 5–6 and the twelve
    guiding principles. Berrett-Koehler.

    Examples
    --------
    >>> est = pd.DataFrame({"participant_id": ["a", "b", "c"], "measure": "time_saved",
    ...     "annual_value_idr": [10e6, 4e6, None], "attribution": [0.5, 0.5, 0.5],
    ...     "confidence": [0.8, 0.5, 0.9]})
    >>> isolated_benefits(est)[["n", "n_no_data", "benefits_idr"]]
       n  n_no_data  benefits_idr
    0  3          1     5000000.0
    >>> isolated_benefits(est, conservative=False)["benefits_idr"].item()
    10500000.0
    """
    check_one_of("method", method, ("estimates", "control_group"))
    check_one_of("conservative", conservative, (True, False))
    if method == "control_group":
        return _control_group(estimates, conservative, value_per_unit, units)
    check_columns(estimates, ["annual_value_idr", "attribution", "confidence"], param="estimates")
    by = check_columns(estimates, by, param="by")
    check_number("extreme_multiple", extreme_multiple, low=1)
    if cap_idr is not None:
        check_number("cap_idr", cap_idr, low=0)
    est = estimates.reset_index(drop=True)
    v = pd.to_numeric(est["annual_value_idr"]).astype(float)
    a = pd.to_numeric(est["attribution"]).astype(float)
    c = pd.to_numeric(est["confidence"]).astype(float)
    if ((a < 0) | (a > 1) | (c < 0) | (c > 1)).any() or (v < 0).any():
        raise ValueError("`estimates` needs attribution and confidence in [0, 1] and values >= 0.")
    has = v.notna()
    mkeys = list(dict.fromkeys([*by, "measure"])) if "measure" in est.columns else by
    if mkeys:
        med = v.groupby([est[k] for k in mkeys], observed=True, dropna=False).transform("median")
    else:
        med = pd.Series(v.median(), index=v.index)
    extreme = has & (v > extreme_multiple * med)
    if cap_idr is not None:
        extreme |= has & (v > cap_idr)
    if conservative:
        iso = (v * a * c).where(has & ~extreme, 0.0)
        status = np.where(~has, "no_data", np.where(extreme, "extreme", "used"))
    else:
        iso = v * a
        status = np.where(~has, "no_data", "used")
    if detail:
        return est.assign(isolated_idr=iso, status=status)
    frame = est[by].assign(iso=iso.fillna(0.0), claimed=v.fillna(0.0), has=has)
    frame["ext"] = extreme & conservative
    keys = by if by else (lambda _: 0)
    g = frame.groupby(keys, observed=True, dropna=False).agg(
        n=("iso", "size"),
        n_with_value=("has", "sum"),
        n_extreme=("ext", "sum"),
        claimed_idr=("claimed", "sum"),
        total=("iso", "sum"),
    )
    g["n_no_data"] = g["n"] - g["n_with_value"]
    if conservative:
        g["benefits_idr"] = g["total"]
    else:
        reach = g["n"].astype(float)
        if n_participants is not None:
            reach = np.maximum(reach, _reach(n_participants, g.index, by))
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = g["total"] / g["n_with_value"]
        g["benefits_idr"] = (mean * reach).where(g["n_with_value"] > 0, 0.0)
    g = g.reset_index(drop=not by)
    g["method"], g["conservative"] = "estimates", conservative
    cols = [*by, "method", "conservative", "n", "n_with_value", "n_no_data", "n_extreme"]
    out = g[[*cols, "claimed_idr", "benefits_idr"]]
    return out.astype({c: "int64" for c in ["n", "n_with_value", "n_no_data", "n_extreme"]})


def _reach(n_participants, index, by):
    if isinstance(n_participants, Mapping | pd.Series):
        if len(by) != 1:
            raise ValueError("`n_participants` as a mapping needs exactly one `by` column.")
        reach = pd.Series(index, index=index).map(dict(n_participants))
        if reach.isna().any():
            raise ValueError(f"`n_participants` has no count for {list(index[reach.isna()])}.")
        return reach.astype(float)
    return float(check_number("n_participants", n_participants, low=0))


def _control_group(effect, conservative, value_per_unit, units):
    if value_per_unit is None or units is None:
        raise ValueError(
            '`method="control_group"` needs `value_per_unit` (rupiah per unit of the outcome) '
            "and `units` (units affected in the first year)."
        )
    check_number("value_per_unit", value_per_unit)
    check_number("units", units, low=0)
    if isinstance(effect, pd.DataFrame) and len(effect) != 1:
        raise ValueError(
            "Pass the single row of the effect to monetise (e.g. `did_row.iloc[[0]]`)."
        )
    effect = effect.iloc[0] if isinstance(effect, pd.DataFrame) else effect
    if isinstance(effect, pd.Series | Mapping):
        point = float(effect["estimate"])
        low = float(effect["ci_low"]) if "ci_low" in effect else np.nan
    else:
        point, low = float(check_number("estimates", effect)), np.nan
    used = min(point, low) if conservative and not np.isnan(low) else point
    return pd.DataFrame({"method": ["control_group"]}).assign(
        conservative=conservative, effect=point, effect_used=used,
        value_per_unit=float(value_per_unit), units=float(units),
        benefits_idr=used * value_per_unit * units,
    )  # fmt: skip


# --------------------------------------------------------------------------- ROI
@dataclass(frozen=True, eq=False)
class ROIResult:
    """Benefit–cost ratio, ROI and payback, with the intangibles listed beside them.

    Attributes
    ----------
    table : DataFrame
        One row per group (one row without ``by``): ``*by, benefits_idr, costs_idr,
        net_benefit_idr, bcr, roi_pct, payback_months``.
    intangibles : tuple of str
        Benefits not converted to money (listed, never monetised).
    conservative : bool
        Whether the guiding principles were enforced.
    years : int
        Years of benefits counted (1 in conservative mode).
    """

    table: pd.DataFrame
    intangibles: tuple[str, ...] = ()
    conservative: bool = True
    years: int = 1

    def _one(self, col):
        if len(self.table) != 1:
            raise ValueError(f"{len(self.table)} groups: read `{col}` from `.to_frame()`.")
        return float(self.table[col].iloc[0])

    bcr = property(lambda self: self._one("bcr"), doc="Benefit–cost ratio (single group).")
    roi_pct = property(lambda self: self._one("roi_pct"), doc="ROI in percent (single group).")
    payback_months = property(
        lambda self: self._one("payback_months"), doc="Payback in months (single group)."
    )
    net_benefit_idr = property(
        lambda self: self._one("net_benefit_idr"), doc="Net benefit in rupiah (single group)."
    )

    def to_frame(self) -> pd.DataFrame:
        """The table with the intangibles (``"; "``-joined) and settings as columns."""
        return self.table.assign(
            intangibles="; ".join(self.intangibles),
            conservative=self.conservative,
            years=self.years,
        )

    def summary(self, lang: str = "en") -> str:
        """A readable account of each group's ROI, in English or Indonesian.

        Indonesian numbers use the dot between thousands and the decimal comma
        (Rp 1.500.000; BCR 2,54).
        """
        check_one_of("lang", lang, ("id", "en"))
        t = _SUMMARY[lang]
        lines = []
        keys = [c for c in self.table.columns if c not in _ROI_COLS]
        for _, r in self.table.iterrows():  # one line per group of the result, not per data row
            head = ", ".join(f"{k}={r[k]}" for k in keys)
            line = t["line"].format(**r[_ROI_COLS])
            line = localize_numbers(line, lang)  # Indonesian: 1.500.000,50
            lines.append((f"[{head}] " if head else "") + line)
        mode = t["cons"] if self.conservative else t["liberal"].format(y=self.years)
        lines.append(mode)
        lines.append(t["intang"] + ("; ".join(self.intangibles) or "-"))
        return "\n".join(lines)


_ROI_COLS = ["benefits_idr", "costs_idr", "net_benefit_idr", "bcr", "roi_pct", "payback_months"]
_SUMMARY = {
    "en": {
        "line": "benefits Rp {benefits_idr:,.0f}; costs Rp {costs_idr:,.0f}; "
        "net Rp {net_benefit_idr:,.0f}; BCR {bcr:.2f}; ROI {roi_pct:.0f}%; "
        "payback {payback_months:.1f} months",
        "cons": "Conservative (Phillips guiding principles): first-year benefits only.",
        "liberal": "Not conservative: {y} year(s) of benefits counted.",
        "intang": "Intangible benefits (not monetised): ",
    },
    "id": {
        "line": "manfaat Rp {benefits_idr:,.0f}; biaya Rp {costs_idr:,.0f}; "
        "bersih Rp {net_benefit_idr:,.0f}; BCR {bcr:.2f}; ROI {roi_pct:.0f}%; "
        "balik modal {payback_months:.1f} bulan",
        "cons": "Konservatif (prinsip Phillips): hanya manfaat tahun pertama.",
        "liberal": "Tidak konservatif: manfaat {y} tahun dihitung.",
        "intang": "Manfaat tak berwujud (tidak dirupiahkan): ",
    },
}


def _totals(obj, col, by, param):
    """A number, or a frame's column summed per group."""
    if isinstance(obj, int | float | np.number) and not isinstance(obj, bool):
        return float(obj)
    if not isinstance(obj, pd.DataFrame):
        raise TypeError(f"`{param}` must be a number or a DataFrame, not {type(obj).__name__}.")
    if param == "costs" and "category" in obj.columns:
        obj = obj.loc[obj["category"].astype("str") != "total"]
        col = "amount_idr"
    check_columns(obj, [*by, col], param=param)
    if by:
        return obj.groupby(by, observed=True, dropna=False)[col].sum()
    return float(obj[col].sum())


def roi(
    benefits,
    costs,
    *,
    by=None,
    intangibles=(),
    conservative: bool = True,
    years: int = 1,
) -> ROIResult:
    """Benefit–cost ratio, ROI %, payback months and net benefit (Phillips Level 5).

    Parameters
    ----------
    benefits : float or DataFrame
        First-year (annual) monetary benefits in rupiah: a number, or a frame with
        ``benefits_idr`` (e.g. from :func:`isolated_benefits`).
    costs : float or DataFrame
        Fully loaded costs: a number, the output of :func:`fully_loaded_costs` (the category
        rows are summed; the ``total`` row is ignored) or a frame with ``amount_idr``.
    by : str or list of str, optional
        Group columns present in both frames. A group with costs but no benefits gets
        benefits 0 (no data, no improvement).
    intangibles : sequence of str
        Benefits not converted to money, listed in the result.
    conservative : bool
        Enforce first-year benefits only (``years`` must be 1) and warn when the costs table
        holds no participants' time (costs not fully loaded).
    years : int
        Years of annual benefits to count when ``conservative=False`` (undiscounted).

    Returns
    -------
    ROIResult
        ``.table`` with ``*by, benefits_idr, costs_idr, net_benefit_idr, bcr, roi_pct,
        payback_months``; ``.intangibles``; ``.summary()``.

    Notes
    -----
    .. math::
        BCR = \\frac{B}{C},\\qquad
        ROI\\,\\% = \\frac{B - C}{C} \\times 100 = (BCR - 1) \\times 100,\\qquad
        \\text{payback (months)} = \\frac{C}{B_{\\text{annual}}} \\times 12

    with :math:`B` the isolated benefits counted and :math:`C` the fully loaded costs.
    Payback is infinite when annual benefits are zero or negative. Costs must be positive.

    References
    ----------
    Phillips, P. P., & Phillips, J. J. (2005). *Return on Investment (ROI) Basics*. ASTD
    Press (benefits 60,000 and costs 20,000 give BCR 3:1 and ROI 200 %).

    Examples
    --------
    >>> r = roi(581_000, 229_000, intangibles=["better teamwork"])
    >>> round(r.bcr, 2), round(r.roi_pct), round(r.payback_months, 2)
    (2.54, 154, 4.73)
    >>> print(r.summary())
    benefits Rp 581,000; costs Rp 229,000; net Rp 352,000; BCR 2.54; ROI 154%; payback 4.7 months
    Conservative (Phillips guiding principles): first-year benefits only.
    Intangible benefits (not monetised): better teamwork
    """
    by = as_list(by)
    check_one_of("conservative", conservative, (True, False))
    if isinstance(years, bool) or not isinstance(years, int | np.integer) or years < 1:
        raise ValueError(f"`years` must be a whole number of at least 1, but {years!r} was passed.")
    if conservative and years != 1:
        raise ValueError(
            "Conservative mode counts first-year benefits only (Phillips's guiding principle); "
            "pass `conservative=False` to count more years."
        )
    intangibles = tuple(as_list(intangibles))
    if conservative and isinstance(costs, pd.DataFrame) and "category" in costs.columns:
        sal = costs.loc[costs["category"].astype("str") == "participant_salaries", "amount_idr"]
        if float(pd.to_numeric(sal).sum()) <= 0:
            warnings.warn(
                "The costs hold no participants' time (participant_salaries is 0), so they are "
                "not fully loaded; pass `enrollments` and `hourly_compensation` to "
                "fully_loaded_costs.",
                UserWarning,
                stacklevel=2,
            )
    b = _totals(benefits, "benefits_idr", by, "benefits")
    c = _totals(costs, "amount_idr", by, "costs")
    if by:
        if not isinstance(c, pd.Series):
            raise ValueError("With `by`, `costs` must be a DataFrame holding the `by` columns.")
        b = (
            b.reindex(c.index, fill_value=0.0)
            if isinstance(b, pd.Series)
            else pd.Series(b, c.index)
        )
        table = pd.DataFrame({"benefits_idr": b.astype(float), "costs_idr": c.astype(float)})
    else:
        table = pd.DataFrame({"benefits_idr": [b], "costs_idr": [c]})
    if (table["costs_idr"] <= 0).any() or table["costs_idr"].isna().any():
        raise ValueError("Costs must be positive in every group to compute a ratio.")
    table["benefits_idr"] = table["benefits_idr"] * years
    annual = table["benefits_idr"] / years
    table["net_benefit_idr"] = table["benefits_idr"] - table["costs_idr"]
    table["bcr"] = table["benefits_idr"] / table["costs_idr"]
    table["roi_pct"] = table["net_benefit_idr"] / table["costs_idr"] * 100
    with np.errstate(divide="ignore"):
        table["payback_months"] = np.where(annual > 0, table["costs_idr"] / annual * 12, np.inf)
    table = table.reset_index() if by else table
    return ROIResult(table=table, intangibles=intangibles, conservative=conservative, years=years)


# --------------------------------------------------------------------------- sensitivity
def phillips_model(
    *,
    annual_value_idr: float,
    attribution: float = 1.0,
    confidence: float = 1.0,
    direct_costs_idr: float = 0.0,
    participant_hours: float = 0.0,
    hourly_compensation_idr: float = 0.0,
    design_idr: float = 0.0,
    prorate_years: float = 1.0,
) -> tuple[float, float]:
    """The default model of :func:`roi_sensitivity`: (benefits, costs) from named assumptions.

    Notes
    -----
    .. math::
        B = V \\times a \\times c,\\qquad
        C = C_{\\text{direct}} + h \\times w + D / p

    with :math:`V` the claimed annual value, :math:`a` attribution, :math:`c` confidence,
    :math:`h` participant hours in training, :math:`w` hourly salary and allowances,
    :math:`D` design cost and :math:`p` its prorating years.

    Examples
    --------
    >>> phillips_model(annual_value_idr=100.0, attribution=0.5, confidence=0.8,
    ...                direct_costs_idr=20.0, design_idr=30.0, prorate_years=3)
    (40.0, 30.0)
    """
    benefits = annual_value_idr * attribution * confidence
    costs = (
        direct_costs_idr + participant_hours * hourly_compensation_idr + design_idr / prorate_years
    )
    return float(benefits), float(costs)


def roi_sensitivity(
    base: Mapping[str, float],
    ranges: Mapping[str, tuple[float, float]],
    *,
    model: Callable[..., object] | None = None,
) -> pd.DataFrame:
    """Tornado table: ROI when each assumption alone moves to its low and high value.

    Parameters
    ----------
    base : mapping
        Base value of every assumption, passed to ``model`` as keyword arguments.
    ranges : mapping
        Assumption → (low, high) values; every key must be in ``base``.
    model : callable, optional
        ``model(**assumptions)`` returning ``(benefits, costs)`` or an :class:`ROIResult`.
        Default :func:`phillips_model`.

    Returns
    -------
    DataFrame
        One row per assumption, largest swing first: ``assumption, base, low, high,
        roi_low, roi_high`` (ROI % with the assumption at its low and at its high value),
        ``bcr_low, bcr_high, swing`` (\\|roi_high − roi_low\\| in percentage points),
        ``base_roi_pct``.

    Notes
    -----
    One-way sensitivity: the others stay at their base values, so interactions are not
    shown. ROI % = (B − C)/C × 100 at each setting.

    Examples
    --------
    >>> base = {"annual_value_idr": 1000.0, "attribution": 0.5, "direct_costs_idr": 250.0}
    >>> ranges = {"attribution": (0.25, 0.75), "direct_costs_idr": (200.0, 300.0)}
    >>> roi_sensitivity(base, ranges)[["assumption", "roi_low", "roi_high", "swing"]].round(1)
             assumption  roi_low  roi_high  swing
    0       attribution      0.0     200.0  200.0
    1  direct_costs_idr    150.0      66.7   83.3
    """
    model = phillips_model if model is None else model
    for key in ranges:
        if key not in base:
            near = closest(key, list(base))
            hint = f" Did you mean {near!r}?" if near else ""
            raise KeyError(f"`ranges` names {key!r}, which has no base value.{hint}")

    def evaluate(params):
        res = model(**params)
        if isinstance(res, ROIResult):
            return res.bcr, res.roi_pct
        b, c = res
        return b / c, (b - c) / c * 100

    _, base_roi = evaluate(dict(base))
    rows = []
    for key, (low, high) in ranges.items():  # one model run per assumption and end
        bl, rl = evaluate({**base, key: low})
        bh, rh = evaluate({**base, key: high})
        rows.append((key, base[key], low, high, rl, rh, bl, bh))
    out = pd.DataFrame(
        rows,
        columns=["assumption", "base", "low", "high", "roi_low", "roi_high", "bcr_low", "bcr_high"],
    )
    out["swing"] = (out["roi_high"] - out["roi_low"]).abs()
    out["base_roi_pct"] = base_roi
    return out.sort_values("swing", ascending=False, kind="stable", ignore_index=True)
