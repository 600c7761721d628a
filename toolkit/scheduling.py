"""Flexible scheduling: which session slots would most staff be able to attend?

The article's first recommendation is a flexible training schedule. Given each civil
servant's weekly availability (table ``availability``: participant × slot such as
``"tue_1900"``), :func:`recommend_slots` chooses the ``k`` slots in which to run repeats of a
session so that the largest number of staff can attend at least one of them: the *maximum
coverage* problem. It is solved

* **exactly** as an integer programme with :func:`scipy.optimize.milp` (HiGHS) at the sizes an
  office has (hundreds to a few thousand staff, a few dozen slots), and
* by the **greedy** algorithm for large inputs, which is guaranteed to reach at least
  :math:`1 - (1 - 1/k)^k > 1 - 1/e \\approx 63\\,\\%` of the optimum (Nemhauser, Wolsey &
  Fisher 1978) and comes here with a data-dependent upper bound on the optimum, so that the
  report says how far from optimal it can be;

the choice is automatic (``method="auto"``) and reported. Options: a minimum coverage in every
unit, slots that must not be used (Friday prayer, a weekly staff meeting), and a comparison
with the current schedule: how many more staff it reaches and who is still left out (by
pseudonym only). :func:`slot_coverage` gives the share of staff available in each slot, the
data of the heatmap :func:`toolkit.plots.slot_heatmap`.

A warning that applies to every optimiser run on survey data: the chosen slots look best on
the same answers they were chosen from. When the availability survey is a sample of the staff,
the coverage reported for the chosen slots is optimistic (the winner's curse); the Wilson
interval beside it covers sampling error, not this selection effect.

Examples
--------
>>> avail = pd.DataFrame({"participant_id": list("aabbcc"), "slot": ["mon_0800", "sat_1000"] * 3,
...                       "available": [True, False, False, True, False, True]})
>>> rec = recommend_slots(avail, k=1, min_group=0)
>>> rec.slots, rec.n_covered, rec.method
(('sat_1000',), 2, 'exact')
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from toolkit.i18n import localize_numbers
from toolkit.intervals import wilson_interval
from toolkit.validation import as_list, check_columns, check_number, check_one_of

__all__ = [
    "LABELS",
    "METHODS",
    "SlotRecommendation",
    "availability_matrix",
    "coverage",
    "greedy_guarantee",
    "recommend_slots",
    "slot_coverage",
    "slot_schedule",
    "stated_vs_observed",
]

#: Solution methods of :func:`recommend_slots`.
METHODS = ("auto", "exact", "greedy")

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Labels of this module's codes (``toolkit.i18n.label(..., extra=LABELS)``).
LABELS: dict[str, dict[str, str]] = {
    "mon": {"id": "Senin", "en": "Monday"},
    "tue": {"id": "Selasa", "en": "Tuesday"},
    "wed": {"id": "Rabu", "en": "Wednesday"},
    "thu": {"id": "Kamis", "en": "Thursday"},
    "fri": {"id": "Jumat", "en": "Friday"},
    "sat": {"id": "Sabtu", "en": "Saturday"},
    "sun": {"id": "Minggu", "en": "Sunday"},
    "exact": {"id": "Eksak (pemrograman bilangan bulat)", "en": "Exact (integer programming)"},
    "greedy": {"id": "Greedy (jaminan 1 − 1/e)", "en": "Greedy (1 − 1/e guarantee)"},
    "current": {"id": "Jadwal sekarang", "en": "Current schedule"},
    "recommended": {"id": "Jadwal usulan", "en": "Recommended schedule"},
    "gain": {"id": "Tambahan", "en": "Gain"},
    "slot_share": {"id": "Proporsi pegawai yang bisa hadir", "en": "Share of staff available"},
    "day": {"id": "Hari", "en": "Day"},
    "time": {"id": "Jam", "en": "Time"},
}


# --------------------------------------------------------------------------- inputs
def _slot_order(slots: Sequence[str]) -> list[str]:
    """Slots named ``day_HHMM`` in weekday then time order; others after, as given."""

    def key(s: str):
        day, _, t = str(s).partition("_")
        return (_DAYS.index(day), t, "") if day in _DAYS else (len(_DAYS), "", str(s))

    return sorted(dict.fromkeys(str(s) for s in slots), key=key)


def availability_matrix(availability: pd.DataFrame) -> tuple[np.ndarray, pd.Index, pd.Index]:
    """Boolean people × slots matrix from the long ``availability`` table (or a wide one).

    Parameters
    ----------
    availability : DataFrame
        Long: ``participant_id, slot, available`` (one row per person and slot; a pair not
        listed counts as not available). Wide: one row per person (index = participant_id),
        one boolean column per slot.

    Returns
    -------
    matrix : numpy.ndarray of bool, shape (people, slots)
    people : pandas.Index of participant_id (sorted)
    slots : pandas.Index of slot names (weekday and time order for ``day_HHMM`` names)

    Examples
    --------
    >>> long = pd.DataFrame({"participant_id": ["b", "a", "a"],
    ...                      "slot": ["sat_1000", "tue_1900", "sat_1000"],
    ...                      "available": [True, True, False]})
    >>> m, people, slots = availability_matrix(long)
    >>> m.astype(int).tolist(), people.tolist(), slots.tolist()
    ([[1, 0], [0, 1]], ['a', 'b'], ['tue_1900', 'sat_1000'])
    """
    if {"participant_id", "slot", "available"} <= set(availability.columns):
        pid = availability["participant_id"].astype("str")
        slot = availability["slot"].astype("str")
        avail = availability["available"].astype("boolean")
        if avail.isna().any():
            raise ValueError("`availability.available` has missing values; use true or false.")
        people = pd.Index(sorted(set(pid)), name="participant_id")
        slots = pd.Index(_slot_order(slot.unique()), name="slot")
        matrix = np.zeros((len(people), len(slots)), dtype=bool)
        ok = avail.to_numpy(dtype=bool)
        matrix[people.get_indexer(pid[ok]), slots.get_indexer(slot[ok])] = True
        return matrix, people, slots
    wide = availability
    if not all(pd.api.types.is_bool_dtype(wide[c]) for c in wide.columns):
        raise ValueError(
            "`availability` must be the long table (participant_id, slot, available) or a wide "
            "table of booleans (one row per person, one column per slot)."
        )
    order = _slot_order(wide.columns)
    people = pd.Index(wide.index.astype("str"), name="participant_id")
    return wide[order].to_numpy(dtype=bool), people, pd.Index(order, name="slot")


def _units(people: pd.Index, participants, unit) -> np.ndarray | None:
    if participants is None:
        return None
    check_columns(participants, ["participant_id", unit], param="participants")
    lookup = pd.Series(
        participants[unit].astype("str").to_numpy(),
        index=participants["participant_id"].astype("str").to_numpy(),
    )
    out = lookup.reindex(people).to_numpy(dtype=object)
    if pd.isna(out).any():
        raise ValueError("`participants` lacks some people of `availability`; pass all of them.")
    return out


def coverage(matrix: np.ndarray, chosen) -> int:
    """Number of people (rows) available in at least one chosen slot (column positions).

    Examples
    --------
    >>> coverage(np.array([[1, 0], [0, 1], [0, 0]], bool), [1])
    1
    """
    chosen = list(chosen)
    if not chosen:
        return 0
    return int(matrix[:, chosen].any(axis=1).sum())


def greedy_guarantee(k: int) -> float:
    """The greedy algorithm's worst-case share of the optimum: :math:`1 - (1 - 1/k)^k`.

    It falls with :math:`k` towards :math:`1 - 1/e = 0.632\\ldots` and is 1 for :math:`k=1`.

    Examples
    --------
    >>> [round(greedy_guarantee(k), 4) for k in (1, 2, 4)]
    [1.0, 0.75, 0.6836]
    """
    check_number("k", k, low=1)
    return 1.0 - (1.0 - 1.0 / k) ** k


# --------------------------------------------------------------------------- slot shares
def slot_coverage(
    availability: pd.DataFrame,
    *,
    participants: pd.DataFrame | None = None,
    by=None,
    confidence: float = 0.95,
    min_group: int = 5,
) -> pd.DataFrame:
    """Share of staff available in each slot, with Wilson intervals, overall or per group.

    Parameters
    ----------
    availability : DataFrame
        The long ``availability`` table (or a wide one, see :func:`availability_matrix`).
    participants : DataFrame, optional
        Needed for ``by`` (e.g. ``"unit_id"``, ``"position_type"``).
    by : str or list of str, optional
        Columns of ``participants``.
    confidence, min_group
        Interval level; groups of fewer people are suppressed (figures empty).

    Returns
    -------
    DataFrame
        One row per group and slot: the ``by`` columns, ``slot, day, time, n, n_available,
        share, ci_low, ci_high, suppressed, confidence, ci_method``.

    Examples
    --------
    >>> avail = pd.DataFrame({"participant_id": list("aabb"), "slot": ["mon_0800", "sat_1000"] * 2,
    ...                       "available": [True, True, False, True]})
    >>> slot_coverage(avail, min_group=0)[["slot", "day", "time", "n_available", "share"]]
           slot day  time  n_available  share
    0  mon_0800 mon  0800            1    0.5
    1  sat_1000 sat  1000            2    1.0
    """
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_number("min_group", min_group, low=0)
    matrix, people, slots = availability_matrix(availability)
    by = as_list(by)
    if by:
        if participants is None:
            raise ValueError("`by` needs `participants` (the people and their columns).")
        check_columns(participants, ["participant_id", *by], param="by")
        info = participants.assign(participant_id=participants["participant_id"].astype("str"))
        info = info.set_index("participant_id").reindex(people)[by].reset_index(drop=True)
        codes, keys = pd.MultiIndex.from_frame(info.astype("str")).factorize(sort=True)
        keys = pd.DataFrame(list(keys), columns=by)
    else:
        codes, keys = np.zeros(len(people), dtype=np.int64), pd.DataFrame(index=[0])
    ng, m = len(keys), len(slots)
    n = np.bincount(codes, minlength=ng).astype(float)
    counts = np.zeros((ng, m))
    np.add.at(counts, codes, matrix.astype(float))
    out = keys.loc[np.repeat(np.arange(ng), m)].reset_index(drop=True)
    out["slot"] = np.tile(slots.to_numpy(dtype=object), ng)
    parts = out["slot"].str.partition("_")
    out["day"], out["time"] = parts[0], parts[2]
    nn, x = np.repeat(n, m), counts.ravel()
    out["n"], out["n_available"] = nn.astype(np.int64), x.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = x / nn
    out["ci_low"], out["ci_high"] = wilson_interval(x, nn, confidence=confidence)
    small = nn < min_group
    out["suppressed"] = small
    for col in ("n", "n_available", "share", "ci_low", "ci_high"):
        if small.any():
            out[col] = out[col].astype(float).where(~small)
    out["confidence"] = confidence
    out["ci_method"] = "wilson"
    return out


#: First hour (24 h clock) after office hours: a weekday slot starting earlier is in office
#: hours. Government offices work about 07:30-16:00 (Perpres 21/2023 sets 37.5 hours a week).
OFFICE_HOURS_END = 16


def slot_schedule(slots) -> pd.Series:
    """The schedule type of weekly slots, in the ``sessions.schedule`` codes.

    A ``day_HHMM`` slot on Saturday or Sunday is ``"weekend"``; on a weekday it is
    ``"office_hours"`` when it starts from 07:00 to before :data:`OFFICE_HOURS_END`, else
    ``"after_hours"``. Any other code gives a missing value: the function does not guess.

    Parameters
    ----------
    slots : sequence of str
        Slot codes such as ``"tue_1900"``.

    Returns
    -------
    pandas.Series
        One schedule code (string dtype, missing when unknown) per slot, indexed by slot.

    Examples
    --------
    >>> slot_schedule(["tue_0800", "tue_1530", "tue_1900", "sat_1000", "pagi"]).tolist()
    ['office_hours', 'office_hours', 'after_hours', 'weekend', nan]
    """
    codes = pd.Series(list(slots), dtype="str")
    parts = codes.str.extract(r"^(mon|tue|wed|thu|fri|sat|sun)_([01]\d|2[0-3])[0-5]\d$")
    hour = pd.to_numeric(parts[1])
    weekday = parts[0].isin(["mon", "tue", "wed", "thu", "fri"])
    office = weekday & (hour >= 7) & (hour < OFFICE_HOURS_END)
    out = pd.Series(None, index=codes.to_numpy(), dtype="str", name="schedule")
    out[(weekday & ~office).to_numpy()] = "after_hours"
    out[office.to_numpy()] = "office_hours"
    out[parts[0].isin(["sat", "sun"]).to_numpy()] = "weekend"
    return out


def stated_vs_observed(coverage_table: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """Weigh what staff *say* (availability) against what invitations *show* (lost hours).

    An availability survey asks whether a slot suits a person; the enrolment records show
    whether people invited to sessions of that schedule type actually stayed for the planned
    hours. A slot most staff call convenient can still lose hours (a Saturday competes with
    family duties; an evening with overtime). For each schedule type this sets the best slot's
    stated availability beside the observed share of invitations that lost hours, and their
    product ``stated x (1 - missed)``, the share of staff one may expect to attend in full
    under the (strong) assumption that saying yes and losing hours are independent.

    Parameters
    ----------
    coverage_table : DataFrame
        :func:`slot_coverage` without ``by`` (columns ``slot``, ``share``).
    attendance : DataFrame
        :func:`toolkit.participation.attendance_summary` with ``by="schedule"`` (columns
        ``schedule, n_invited, n_missed, missed_share, missed_ci_low, missed_ci_high``).

    Returns
    -------
    DataFrame
        One row per schedule type in ``attendance``: ``schedule, best_slot, stated_share``
        (``NaN`` for types that are not weekly slots, e.g. ``flexible``), ``n_invited,
        missed_share, missed_ci_low, missed_ci_high, expected_full_share`` (``NaN`` when
        ``stated_share`` is), sorted by ``missed_share``.

    Examples
    --------
    >>> cov = pd.DataFrame({"slot": ["tue_0800", "sat_1000"], "share": [0.2, 0.8]})
    >>> att = pd.DataFrame({"schedule": ["office_hours", "weekend", "flexible"],
    ...     "n_invited": [100, 100, 100], "n_missed": [35, 26, 13],
    ...     "missed_share": [0.35, 0.26, 0.13], "missed_ci_low": [0.26, 0.18, 0.08],
    ...     "missed_ci_high": [0.45, 0.36, 0.21]})
    >>> stated_vs_observed(cov, att)[["schedule", "stated_share", "missed_share"]]
           schedule  stated_share  missed_share
    0      flexible           NaN          0.13
    1       weekend           0.8          0.26
    2  office_hours           0.2          0.35
    """
    check_columns(coverage_table, ["slot", "share"], param="coverage_table")
    check_columns(
        attendance,
        ["schedule", "n_invited", "missed_share", "missed_ci_low", "missed_ci_high"],
        param="attendance",
    )
    cov = coverage_table[["slot", "share"]].assign(slot=lambda d: d["slot"].astype("str"))
    cov["schedule"] = slot_schedule(cov["slot"]).to_numpy()
    cov = cov.dropna(subset=["schedule", "share"]).sort_values(
        ["schedule", "share", "slot"], ascending=[True, False, True]
    )
    best = cov.drop_duplicates("schedule").set_index("schedule")
    att = attendance.assign(schedule=attendance["schedule"].astype("str"))
    cols = ["schedule", "n_invited", "missed_share", "missed_ci_low", "missed_ci_high"]
    out = att[cols].reset_index(drop=True)
    out.insert(1, "best_slot", best["slot"].reindex(out["schedule"]).to_numpy())
    out.insert(2, "stated_share", best["share"].reindex(out["schedule"]).to_numpy(dtype=float))
    out["expected_full_share"] = out["stated_share"] * (1 - out["missed_share"].astype(float))
    return out.sort_values(["missed_share", "schedule"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- solvers
def _greedy(pat: np.ndarray, w: np.ndarray, allowed: np.ndarray, k: int):
    """Greedy max coverage on weighted patterns: chosen columns, coverage, online upper bound.

    Always returns ``k`` columns: once nobody is left to cover, the first allowed slots (in
    weekday and time order) fill the remaining places.
    """
    uncovered = w.astype(float).copy()
    patf = pat.astype(float)
    chosen: list[int] = []
    covered, bound = 0.0, float(w.sum())
    for _ in range(k):
        gains = uncovered @ patf
        gains[~allowed] = -1.0
        gains[chosen] = -1.0
        top = np.sort(np.maximum(gains, 0.0))[::-1][:k]
        bound = min(bound, covered + float(top.sum()))  # Nemhauser–Wolsey online bound
        j = int(np.argmax(gains))  # ties: the first slot in weekday and time order
        chosen.append(j)
        covered += max(float(gains[j]), 0.0)
        uncovered[pat[:, j]] = 0.0
    return chosen, covered, max(bound, covered)


def _polish(
    pat: np.ndarray, w: np.ndarray, allowed: np.ndarray, chosen: list[int], feasible=None
) -> list[int]:
    """1-swap local search: more people covered, then more people with a second option.

    Never lowers coverage, so an optimum stays optimal and greedy keeps its guarantee; among
    sets of equal coverage it moves to the one where more staff can attend two or more of the
    chosen slots, so that ties are broken the same way whatever the solver returned. With
    ``feasible`` (a function of the candidate slot list), a swap is taken only when the new
    set still satisfies it (the minimum coverage per unit).
    """
    chosen = list(chosen)
    single = w @ pat.astype(float)  # people available in each slot
    for _ in range(4 * pat.shape[1]):
        times = pat[:, chosen].sum(axis=1)
        cov, second = float(w @ (times > 0)), float(single[chosen].sum())
        best = (cov, second, None, None)
        for pos, j in enumerate(chosen):
            lost = pat[:, j] & (times == 1)
            bare = (times - pat[:, j]) == 0
            new_cov = cov - float(w @ lost) + (w * bare) @ pat.astype(float)
            new_second = second - single[j] + single
            ok = allowed.copy()
            ok[chosen] = False
            for ll in np.flatnonzero(ok):
                cand = (float(new_cov[ll]), float(new_second[ll]))
                if cand > best[:2] and cand[0] >= cov - 1e-9:
                    swapped = [*chosen[:pos], int(ll), *chosen[pos + 1 :]]
                    if feasible is None or feasible(swapped):
                        best = (*cand, pos, int(ll))
        if best[2] is None:
            break
        chosen[best[2]] = best[3]
    return chosen


def _exact(pat, w, allowed, k, unit_of, n_unit, min_share, time_limit):
    """Max coverage as a MILP: max Σ w_p y_p, y_p ≤ Σ_{j∈p} x_j, Σ x_j = k, x binary."""
    n_pat, m = pat.shape
    c = np.concatenate([np.zeros(m), -w.astype(float)])
    link = sparse.hstack([-sparse.csr_matrix(pat.astype(float)), sparse.identity(n_pat)])
    cons = [
        LinearConstraint(link.tocsr(), -np.inf, 0.0),
        LinearConstraint(np.concatenate([np.ones(m), np.zeros(n_pat)])[None, :], k, k),
    ]
    if unit_of is not None and min_share:
        n_units = len(n_unit)
        rows = sparse.csr_matrix(
            (w.astype(float), (unit_of, m + np.arange(n_pat))), shape=(n_units, m + n_pat)
        )
        cons.append(LinearConstraint(rows, min_share * n_unit - 1e-9, np.inf))
    upper = np.concatenate([allowed.astype(float), np.ones(n_pat)])
    integrality = np.concatenate([np.ones(m), np.zeros(n_pat)])
    total = float(w.sum())
    options = {"mip_rel_gap": min(1e-4, 0.5 / max(total, 1.0)), "time_limit": float(time_limit)}
    res = milp(
        c,
        constraints=cons,
        integrality=integrality,
        bounds=Bounds(np.zeros(m + n_pat), upper),
        options=options,
    )
    if res.status == 2:
        return None, res
    if res.x is None:
        return [], res
    return [int(j) for j in np.flatnonzero(res.x[:m] > 0.5)], res


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class SlotRecommendation:
    """Result of :func:`recommend_slots`; ``to_frame()`` gives ``table``.

    Attributes
    ----------
    slots : tuple of str
        The recommended slots, in weekday and time order.
    k : int
    method : {"exact", "greedy"}
        How they were found; ``optimal`` says whether optimality is proven.
    optimal : bool
    status : str
        Solver message, or the reason greedy was used.
    n_staff, n_covered : int
        People in the availability data, and those available in at least one chosen slot.
    share, ci_low, ci_high : float
        ``n_covered / n_staff`` with a Wilson interval (meaningful when the availability
        survey is a sample of the staff; see the module docstring about optimism).
    upper_bound : float
        Proven upper bound on the best possible coverage (people): the optimum itself when
        exact, the MILP dual bound or the greedy online bound otherwise.
    guarantee : float
        Worst-case share of the optimum the method guarantees (1 for exact,
        :math:`1-(1-1/k)^k` for greedy); ``n_covered / upper_bound`` is the certified share.
    table : DataFrame
        Per chosen slot: ``order, slot, n_available, marginal, cumulative, cumulative_share``
        (slots ordered by what each adds to those before it).
    by_unit : DataFrame or None
        ``unit, n, n_covered, share, meets_minimum, suppressed`` (with ``participants``).
    left_out : DataFrame
        People still not covered, by pseudonym only: ``participant_id`` (and ``unit``),
        ``n_slots_available`` (slots they could attend at all; 0 = none in the survey).
    comparison : DataFrame or None
        With ``current``: rows ``current``, ``recommended``, ``gain``; columns ``slots,
        n_covered, share, expected_attendees, newly_covered, no_longer_covered``.
    seconds : float
        Solver time (not shown in tables, so that notebooks stay reproducible).
    """

    slots: tuple[str, ...]
    k: int
    method: str
    optimal: bool
    status: str
    n_staff: int
    n_covered: int
    share: float
    ci_low: float
    ci_high: float
    upper_bound: float
    guarantee: float
    table: pd.DataFrame
    by_unit: pd.DataFrame | None
    left_out: pd.DataFrame
    comparison: pd.DataFrame | None
    seconds: float = field(default=0.0, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """The per-slot table."""
        return self.table

    def summary(self, lang: str = "en") -> str:
        """One sentence with the slots and the share of staff they reach, in id or en."""
        check_one_of("lang", lang, ("id", "en"))
        slots = ", ".join(self.slots)
        pct = localize_numbers(f"{100 * self.share:.1f}", lang)
        if lang == "id":
            how = "optimal (eksak)" if self.optimal else f"greedy, ≥ {self.guarantee:.0%} optimum"
            return f"{self.k} slot ({slots}) menjangkau {pct} % pegawai ({how})."
        how = "proven optimal" if self.optimal else f"greedy, ≥ {self.guarantee:.0%} of optimum"
        return f"{self.k} slots ({slots}) reach {pct} % of staff ({how})."


def recommend_slots(
    availability: pd.DataFrame,
    k: int = 2,
    *,
    participants: pd.DataFrame | None = None,
    unit: str = "unit_id",
    min_unit_coverage: float | None = None,
    exclude: Sequence[str] | None = None,
    current: Sequence[str] | None = None,
    show_up: float = 1.0,
    method: str = "auto",
    exact_limit: int = 200_000,
    time_limit: float = 60.0,
    confidence: float = 0.95,
    min_group: int = 5,
) -> SlotRecommendation:
    """Choose ``k`` session slots that let the most staff attend at least one.

    Parameters
    ----------
    availability : DataFrame
        The long ``availability`` table (or a wide one, see :func:`availability_matrix`).
    k : int
        Number of slots (repeats of the session) to offer.
    participants : DataFrame, optional
        ``participant_id`` and ``unit``: for coverage per unit and ``min_unit_coverage``.
    unit : str
        Column of ``participants`` naming the unit.
    min_unit_coverage : float, optional
        Share in (0, 1] of every unit's staff that the slots must reach (a fairness
        constraint). Solved exactly; raises when no ``k`` slots can reach it.
    exclude : list of str, optional
        Slots that must not be used (e.g. ``"fri_1300"``, Friday prayer).
    current : list of str, optional
        The slots used now, for the comparison table.
    show_up : float
        Expected share of available staff who actually attend (1 by default), to turn
        coverage into expected attendees.
    method : {"auto", "exact", "greedy"}
        ``"auto"``: exact when (distinct availability patterns) × (slots) ≤ ``exact_limit`` or
        a unit minimum is asked for, greedy otherwise.
    exact_limit : int
        Size up to which ``"auto"`` solves exactly.
    time_limit : float
        Seconds the MILP solver may use; if it stops early, the better of its incumbent and
        the greedy solution is returned with ``optimal=False`` and a proven bound.
    confidence, min_group
        Interval level; units with fewer people are suppressed in ``by_unit``.

    Returns
    -------
    SlotRecommendation

    Notes
    -----
    With :math:`a_{ij} = 1` when person :math:`i` can attend slot :math:`j`, the exact model is

    .. math::

        \\max \\sum_i y_i \\quad\\text{s.t.}\\quad y_i \\le \\sum_j a_{ij} x_j,\\;
        \\sum_j x_j = k,\\; x_j \\in \\{0, 1\\},\\; 0 \\le y_i \\le 1,

    with :math:`x_j = 0` for excluded slots and, per unit :math:`u`,
    :math:`\\sum_{i \\in u} y_i \\ge c\\, n_u`. People with the same availability (and unit)
    are merged into one weighted row first. :math:`y` need not be integer: for integer
    :math:`x` an optimal :math:`y_i` is :math:`\\min(1, \\sum_j a_{ij}x_j) \\in \\{0, 1\\}`. The
    relative gap is set below :math:`0.5/n`, so an integer coverage within the gap is optimal.

    Greedy adds, :math:`k` times, the slot covering most people not yet covered. Coverage is
    monotone submodular, so greedy reaches at least :math:`1-(1-1/k)^k` of the optimum
    (Nemhauser, Wolsey & Fisher 1978). After step :math:`t`, the optimum is at most the
    coverage so far plus the :math:`k` largest marginal gains (Nemhauser & Wolsey 1981, the
    "online bound"); the smallest such bound is reported as ``upper_bound``.

    References
    ----------
    .. [1] Nemhauser, G. L., Wolsey, L. A., & Fisher, M. L. (1978). An analysis of
       approximations for maximizing submodular set functions—I. Mathematical Programming
       14, 265–294. https://doi.org/10.1007/BF01588971
    .. [2] Feige, U. (1998). A threshold of ln n for approximating set cover. Journal of the
       ACM 45(4), 634–652. https://doi.org/10.1145/285055.285059 (1 − 1/e is the best any
       polynomial algorithm can guarantee unless P = NP).
    .. [3] Huangfu, Q., & Hall, J. A. J. (2018). Parallelizing the dual revised simplex
       method. Mathematical Programming Computation 10, 119–142 (HiGHS, behind
       ``scipy.optimize.milp``).

    Examples
    --------
    >>> avail = pd.DataFrame({
    ...     "participant_id": np.repeat(list("abcde"), 3),
    ...     "slot": ["tue_0800", "tue_1900", "sat_1000"] * 5,
    ...     "available": [1, 0, 0,  0, 1, 0,  0, 1, 1,  0, 0, 1,  0, 1, 0]}).astype({"available": bool})
    >>> rec = recommend_slots(avail, k=2, current=["tue_0800"], min_group=0)
    >>> rec.slots, rec.n_covered, rec.optimal
    (('tue_1900', 'sat_1000'), 4, True)
    >>> rec.comparison[["schedule", "n_covered", "newly_covered", "no_longer_covered"]]
          schedule  n_covered  newly_covered  no_longer_covered
    0      current          1              0                  0
    1  recommended          4              4                  1
    2         gain          3              4                  1
    >>> rec.left_out["participant_id"].tolist()
    ['a']
    """
    k = _check_arguments(k, method, show_up, exact_limit, time_limit, confidence, min_group,
                         min_unit_coverage, participants)  # fmt: skip
    matrix, people, slots = availability_matrix(availability)
    slot_list = slots.tolist()
    for name, given in (("exclude", exclude), ("current", current)):
        for s in as_list(given):
            check_one_of(name, s, slot_list)
    allowed = ~slots.isin(as_list(exclude))
    if k > int(allowed.sum()):
        raise ValueError(f"`k` = {k} is more than the {int(allowed.sum())} slots allowed.")
    units = _units(people, participants, unit)
    usable = matrix & allowed
    pat, w, unit_codes, unit_names, unit_of, n_unit = _patterns(usable, units, len(slots))
    start = time.perf_counter()
    chosen, bound, used, status, optimal, guarantee = _solve(
        pat, w, allowed, usable, k, unit_of, n_unit, min_unit_coverage, method, exact_limit,
        time_limit,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    covered = usable[:, chosen].any(axis=1)
    n_staff, n_cov = len(people), int(covered.sum())
    low, high = wilson_interval(n_cov, n_staff, confidence=confidence)
    by_unit = None
    if units is not None:
        by_unit = _unit_table(unit, unit_codes, unit_names, n_unit, covered, min_unit_coverage,
                              confidence, min_group)  # fmt: skip
    left = pd.DataFrame({"participant_id": people[~covered].to_numpy(dtype=object)})
    if units is not None:
        left[unit] = units[~covered]
    left["n_slots_available"] = usable[~covered].sum(axis=1)
    comparison = None
    if current is not None:
        comparison = _comparison(matrix, covered, slot_list, chosen, current, show_up)
    return SlotRecommendation(
        slots=tuple(slot_list[j] for j in chosen),
        k=k,
        method=used,
        optimal=bool(optimal),
        status=status,
        n_staff=n_staff,
        n_covered=n_cov,
        share=n_cov / n_staff if n_staff else np.nan,
        ci_low=float(low),
        ci_high=float(high),
        upper_bound=float(bound),
        guarantee=float(guarantee),
        table=_slot_table(usable, chosen, slot_list, n_staff),
        by_unit=by_unit,
        left_out=left,
        comparison=comparison,
        seconds=seconds,
    )


# --------------------------------------------------------------- steps of recommend_slots
def _check_arguments(k, method, show_up, exact_limit, time_limit, confidence, min_group,
                     min_unit_coverage, participants) -> int:  # fmt: skip
    check_number("k", k, low=1)
    if isinstance(k, bool) or int(k) != k:
        raise ValueError(f"`k` must be a whole number of at least 1, but {k!r} was passed.")
    check_one_of("method", method, METHODS)
    check_number("show_up", show_up, low=0, high=1)
    check_number("exact_limit", exact_limit, low=0)
    check_number("time_limit", time_limit, low=0, low_open=True)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_number("min_group", min_group, low=0)
    if min_unit_coverage is not None:
        check_number("min_unit_coverage", min_unit_coverage, low=0, high=1, low_open=True)
        if participants is None:
            raise ValueError("`min_unit_coverage` needs `participants` (with the unit column).")
    return int(k)


def _patterns(usable, units, n_slots):
    """Identical rows (same availability and unit) merged into weighted patterns."""
    key = usable if units is None else np.column_stack([usable, pd.factorize(units)[0][:, None]])
    has_any = usable.any(axis=1)
    uniq, inverse, w = np.unique(key[has_any], axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    pat = uniq[:, :n_slots].astype(bool)
    if units is None:
        return pat, w, None, None, None, None
    unit_codes, unit_names = pd.factorize(units, sort=True)
    unit_of = unit_codes[has_any][np.unique(inverse, return_index=True)[1]]
    n_unit = np.bincount(unit_codes, minlength=len(unit_names))
    return pat, w, unit_codes, unit_names, unit_of, n_unit


def _solve(pat, w, allowed, usable, k, unit_of, n_unit, min_unit_coverage, method, exact_limit,
           time_limit):  # fmt: skip
    """The chosen slots, the bound, the method used, its status, optimality and guarantee."""
    size = pat.shape[0] * int(allowed.sum())
    use_exact = method == "exact" or (
        method == "auto" and (size <= exact_limit or min_unit_coverage is not None)
    )
    g_chosen, _, g_bound = _greedy(pat, w, allowed, k)
    if use_exact:
        chosen, res = _exact(pat, w, allowed, k, unit_of, n_unit, min_unit_coverage, time_limit)
        if chosen is None:
            raise ValueError(
                f"No {k} slots reach {min_unit_coverage:.0%} of every unit; lower "
                "`min_unit_coverage`, raise `k` or allow more slots."
            )
        optimal = res.status == 0 and len(chosen) == k
        used, status = "exact", str(res.message)
        if optimal:
            bound, guarantee = float(coverage(usable, chosen)), 1.0
        else:  # time limit: keep the better of the incumbent and greedy (without unit minimum)
            dual = res.mip_dual_bound
            bound = min(g_bound, -float(dual)) if dual is not None else g_bound
            guarantee = 0.0 if min_unit_coverage else greedy_guarantee(k)
            if not min_unit_coverage and coverage(usable, g_chosen) >= coverage(usable, chosen):
                chosen = g_chosen
    else:
        chosen, bound, used = g_chosen, g_bound, "greedy"
        guarantee = greedy_guarantee(k)
        status = (
            "greedy: asked for"
            if method == "greedy"
            else f"greedy: size {size:,} above exact_limit {exact_limit:,}"
        )
        optimal = coverage(usable, chosen) >= bound - 1e-9
        if optimal:
            guarantee = 1.0
    feasible = None
    if min_unit_coverage:

        def feasible(candidate):
            reached = np.bincount(unit_of, weights=w * pat[:, candidate].any(axis=1),
                                  minlength=len(n_unit))  # fmt: skip
            return bool(np.all(reached >= min_unit_coverage * n_unit - 1e-9))

    chosen = sorted(_polish(pat, w, allowed, chosen, feasible))
    if not optimal and coverage(usable, chosen) >= bound - 1e-9:
        optimal, guarantee = True, 1.0
    return chosen, bound, used, status, optimal, guarantee


def _slot_table(usable, chosen, slot_list, n_staff) -> pd.DataFrame:
    """Per chosen slot, in the order of its marginal contribution."""
    order, cum, rows = list(chosen), np.zeros(usable.shape[0], bool), []
    while order:
        gains = [int((usable[:, j] & ~cum).sum()) for j in order]
        j = order.pop(int(np.argmax(gains)))
        cum |= usable[:, j]
        rows.append((slot_list[j], int(usable[:, j].sum()), max(gains), int(cum.sum())))
    table = pd.DataFrame(rows, columns=["slot", "n_available", "marginal", "cumulative"])
    table.insert(0, "order", np.arange(1, len(table) + 1))
    table["cumulative_share"] = table["cumulative"] / n_staff
    return table


def _unit_table(unit, unit_codes, unit_names, n_unit, covered, min_unit_coverage, confidence,
                min_group) -> pd.DataFrame:  # fmt: skip
    """Coverage per unit, small units suppressed."""
    nu = n_unit.astype(float)
    cu = np.bincount(unit_codes, weights=covered, minlength=len(unit_names))
    by_unit = pd.DataFrame({unit: np.asarray(unit_names, dtype=object), "n": nu, "n_covered": cu})
    by_unit["share"] = cu / nu
    by_unit["ci_low"], by_unit["ci_high"] = wilson_interval(cu, nu, confidence=confidence)
    by_unit["meets_minimum"] = by_unit["share"] >= (min_unit_coverage or 0) - 1e-12
    small = nu < min_group
    by_unit["suppressed"] = small
    cols = ["n", "n_covered", "share", "ci_low", "ci_high"]
    by_unit[cols] = by_unit[cols].where(pd.Series(~small, index=by_unit.index), axis=0)
    return by_unit


def _comparison(matrix, covered, slot_list, chosen, current, show_up) -> pd.DataFrame:
    """The current schedule against the recommended one."""
    n_staff, n_cov = matrix.shape[0], int(covered.sum())
    cur_idx = [slot_list.index(s) for s in as_list(current)]
    cur = matrix[:, cur_idx].any(axis=1) if cur_idx else np.zeros(n_staff, bool)
    n_cur = int(cur.sum())
    new, lost = int((covered & ~cur).sum()), int((cur & ~covered).sum())
    return pd.DataFrame(
        {
            "schedule": ["current", "recommended", "gain"],
            "slots": [", ".join(as_list(current)), ", ".join(slot_list[j] for j in chosen), ""],
            "n_covered": [n_cur, n_cov, n_cov - n_cur],
            "share": [n_cur / n_staff, n_cov / n_staff, (n_cov - n_cur) / n_staff],
            "expected_attendees": [show_up * n_cur, show_up * n_cov, show_up * (n_cov - n_cur)],
            "newly_covered": [0, new, new],
            "no_longer_covered": [0, lost, lost],
        }
    )
