"""Attendance, reasons for absence and the 20 JP a year right (the article's first challenge).

Staff lack the time to attend because of their work schedules, says the article. This module
measures it from ``enrollments`` (one row per invitation, JP attended) joined to ``sessions``
and ``participants``:

* :func:`attendance_summary`: invited, attended, completed, missed, JP delivered against
  planned, per group (unit, method, schedule, grade, position type …), with intervals;
* :func:`absence_reasons`: shares of each reason for missed hours, and of groups of reasons:
  work and schedule (what scheduling can address) apart from personal ones (leave, illness);
* :func:`jp_fulfilment`: JP per civil servant per year against the right to at least 20 JP a
  year (PP 11/2017 as amended by PP 17/2020; Peraturan LAN 10/2018), classical (*klasikal*)
  and non-classical (*nonklasikal*, e.g. e-learning) both counted; distribution, share
  meeting it, by unit, and those furthest behind by pseudonym only;
* JP arithmetic: :func:`minutes_to_jp`, :func:`jp_to_minutes` (1 JP = 45 minutes),
  :func:`jp_by_year` (the calendar year a session's JP count in).

Conventions: ``by=`` names columns of the enrolments after the session and participant
columns are joined, all groups in one vectorised pass (:mod:`toolkit.grouping`); shares carry
Wilson intervals (:func:`toolkit.intervals.wilson_interval`), named in ``ci_method``; **a
group with fewer than** ``min_group`` **distinct people (default 5,
:data:`toolkit.disclosure.MIN_GROUP`) is suppressed**: it keeps its key, ``suppressed`` is True
and every figure is empty, so no table singles out a person; and since the groups of a table
add up to its total, the next-smallest groups are suppressed with it until no hidden group
can be worked out as the total minus the shown ones (complementary suppression,
:func:`toolkit.disclosure.suppress`).
Missing data: an unknown session raises; a missed invitation without a reason is counted in
``n_unrecorded`` and left out of the reason shares.

Examples
--------
>>> minutes_to_jp(90), jp_to_minutes(20)
(2.0, 900.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from toolkit.disclosure import MIN_GROUP, suppress
from toolkit.grouping import check_by, group_codes, group_sums
from toolkit.intervals import wilson_interval
from toolkit.jp_units import JP_MINUTES, jp_by_year, jp_to_minutes, minutes_to_jp
from toolkit.schema import ABSENCE_REASONS
from toolkit.validation import as_list, check_columns, check_number

__all__ = [
    "JP_MINUTES",
    "JP_TARGET",
    "LABELS",
    "NONCLASSICAL_METHODS",
    "REASON_GROUPS",
    "JPFulfilment",
    "absence_reasons",
    "attendance_summary",
    "jp_by_year",
    "jp_fulfilment",
    "jp_to_minutes",
    "minutes_to_jp",
]

#: Lesson hours (JP) of competency development every civil servant has a right to each year.
JP_TARGET = 20

#: Methods counted as non-classical (*nonklasikal*) development; the others are classical.
NONCLASSICAL_METHODS = ("e_learning",)

#: Groups of absence reasons: ``work`` (workload, schedule conflicts: what flexible scheduling
#: can address), ``duty`` (official travel), ``personal`` (leave, illness), ``other``.
REASON_GROUPS: dict[str, str] = {
    "workload": "work",
    "schedule_conflict": "work",
    "official_travel": "duty",
    "leave": "personal",
    "illness": "personal",
    "other": "other",
}

#: Labels of this module's codes and headings (``toolkit.i18n.label(..., extra=LABELS)``).
LABELS: dict[str, dict[str, str]] = {
    "work": {"id": "Pekerjaan dan jadwal", "en": "Work and schedule"},
    "duty": {"id": "Tugas kedinasan", "en": "Official duty"},
    "personal": {"id": "Alasan pribadi", "en": "Personal reasons"},
    "classical": {"id": "Klasikal", "en": "Classical"},
    "nonclassical": {"id": "Nonklasikal", "en": "Non-classical"},
    "jp_per_year": {"id": "JP per tahun", "en": "JP per year"},
    "jp_target": {"id": "Hak 20 JP per tahun", "en": "Right to 20 JP a year"},
    "share_meeting": {"id": "Proporsi memenuhi 20 JP", "en": "Share meeting 20 JP"},
    "absence_share": {"id": "Proporsi ketidakhadiran", "en": "Share of absences"},
    "attended_share": {"id": "Proporsi hadir", "en": "Share attending"},
    "completed_share": {"id": "Proporsi lulus", "en": "Share completing"},
    "missed_share": {"id": "Proporsi kehilangan JP", "en": "Share missing hours"},
    "suppressed": {"id": "Disembunyikan (< 5 orang)", "en": "Suppressed (< 5 people)"},
}


# --------------------------------------------------------------------------- joining
def _positions(keys: pd.Series, index_values) -> np.ndarray:
    """Position of each key in ``index_values`` (-1 when absent), fast for categoricals."""
    index = pd.Index(pd.Series(index_values).astype("str").to_numpy())
    if isinstance(keys.dtype, pd.CategoricalDtype):
        cat_pos = index.get_indexer(pd.Index(keys.cat.categories.astype("str")))
        codes = keys.cat.codes.to_numpy()
        return np.where(codes >= 0, cat_pos[np.maximum(codes, 0)], -1)
    return index.get_indexer(pd.Index(keys.astype("str").to_numpy()))


def _take(series: pd.Series, pos: np.ndarray) -> pd.Series:
    """``series`` at positions ``pos`` (missing where -1), keeping categorical dtypes."""
    values = series.reset_index(drop=True)
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = np.where(pos >= 0, values.cat.codes.to_numpy()[np.maximum(pos, 0)], -1)
        return pd.Series(pd.Categorical.from_codes(codes, dtype=values.dtype))
    out = values.take(np.maximum(pos, 0)).reset_index(drop=True)
    return out.where(pd.Series(pos >= 0)) if (pos < 0).any() else out


def _enrich(enrollments, sessions, participants, *, need_sessions=True) -> pd.DataFrame:
    """Enrolments with the session and participant columns joined (no pandas merge)."""
    check_columns(enrollments, ["participant_id", "session_id", "attended_jp"], param="enrollments")
    frame = {c: enrollments[c].reset_index(drop=True) for c in enrollments.columns}
    if sessions is not None:
        check_columns(sessions, ["session_id", "jp"], param="sessions")
        pos = _positions(enrollments["session_id"], sessions["session_id"])
        if (pos < 0).any():
            bad = enrollments["session_id"].astype("str")[pos < 0].unique()[:3].tolist()
            raise ValueError(
                f"`enrollments` names sessions {bad} that are not in `sessions`; pass the "
                "full sessions table."
            )
        for col in sessions.columns:
            if col != "session_id" and col not in frame:
                frame[col] = _take(sessions[col], pos)
    elif need_sessions:
        raise ValueError("`sessions` is needed (planned JP per session).")
    if participants is not None:
        check_columns(participants, ["participant_id"], param="participants")
        pos = _positions(enrollments["participant_id"], participants["participant_id"])
        for col in participants.columns:
            if col != "participant_id" and col not in frame:
                frame[col] = _take(participants[col], pos)
    return pd.DataFrame(frame)


def _distinct(codes: np.ndarray, person: np.ndarray, n_groups: int) -> np.ndarray:
    """Number of distinct people per group code (codes < 0 ignored)."""
    keep = codes >= 0
    pairs = np.unique(
        codes[keep].astype(np.int64) * (int(person.max(initial=0)) + 1) + person[keep]
    )
    return np.bincount(pairs // (int(person.max(initial=0)) + 1), minlength=n_groups)


def _person_codes(s: pd.Series) -> np.ndarray:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64)
    return pd.factorize(s)[0].astype(np.int64)


def _suppress(out: pd.DataFrame, people, keep: Sequence[str], min_group, within=None, force=None):
    """The groups of ``out`` under the disclosure policy: primary and complementary
    suppression by ``people`` per row, every column but ``keep`` blanked in hidden rows."""
    counted = out.assign(_people=np.asarray(people, dtype="float64"))
    counted = suppress(
        counted, "_people", within=within, min_group=min_group, keep=keep, force=force
    )
    return counted.drop(columns=["_people", "suppression", "total_suppressed"])


def _check_common(confidence, min_group):
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_number("min_group", min_group, low=0)


# --------------------------------------------------------------------------- attendance
ATTENDANCE_COLUMNS = (
    "n_invited", "n_participants", "n_attended", "attended_share", "attended_ci_low",
    "attended_ci_high", "n_completed", "completed_share", "completed_ci_low",
    "completed_ci_high", "n_missed", "missed_share", "missed_ci_low", "missed_ci_high",
    "n_no_show", "jp_planned", "jp_delivered", "jp_share", "jp_ci_low", "jp_ci_high",
    "suppressed", "confidence", "ci_method",
)  # fmt: skip


def attendance_summary(
    enrollments: pd.DataFrame,
    sessions: pd.DataFrame,
    *,
    participants: pd.DataFrame | None = None,
    by=None,
    confidence: float = 0.95,
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """Invited, attended, completed, missed, and JP delivered against planned, per group.

    Parameters
    ----------
    enrollments : DataFrame
        ``participant_id, session_id, attended_jp, completed``: one row per invitation.
    sessions : DataFrame
        ``session_id, jp`` and the session columns to group by (``method``, ``schedule`` …).
    participants : DataFrame, optional
        ``participant_id`` and the person columns to group by (``unit_id``, ``grade``,
        ``position_type`` …).
    by : str or list of str, optional
        Columns of the joined table; every group in one pass.
    confidence : float
        Level of the intervals.
    min_group : int
        Groups with fewer distinct people are suppressed (see the module docstring).

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, then ``n_invited`` (invitations),
        ``n_participants`` (distinct people), ``n_attended`` (attended at least one JP) with
        ``attended_share`` and Wilson limits, ``n_completed`` / ``completed_share`` (with
        limits), ``n_missed`` (attended fewer JP than planned) / ``missed_share`` (with limits),
        ``n_no_show`` (attended none), ``jp_planned``, ``jp_delivered`` (attended JP),
        ``jp_share`` (delivered / planned) with ``jp_ci_low``/``jp_ci_high``, ``suppressed``,
        ``confidence``, ``ci_method``.

    Notes
    -----
    Shares of invitations use Wilson intervals. The JP share is a ratio estimator
    :math:`R = \\sum a_i / \\sum p_i` (attended over planned JP); its interval is
    :math:`R \\pm t_{n-1} \\sqrt{\\sum (a_i - R p_i)^2 / (n(n-1))} / \\bar p` (Taylor
    linearisation, Cochran 1977, §6.4), treating invitations as independent: when
    invitations cluster in sessions this is too narrow, so read it as a lower bound on the
    uncertainty.

    References
    ----------
    Cochran, W. G. (1977). *Sampling Techniques* (3rd ed.). Wiley, ch. 6 (ratio estimators).

    Examples
    --------
    >>> enr = pd.DataFrame({"participant_id": list("abcdef"), "session_id": ["S1"] * 6,
    ...                     "attended_jp": [8, 8, 4, 0, 8, 8], "completed": [1, 1, 0, 0, 1, 1]})
    >>> ses = pd.DataFrame({"session_id": ["S1"], "jp": [8], "schedule": ["office_hours"]})
    >>> out = attendance_summary(enr, ses, by="schedule")
    >>> out[["schedule", "n_invited", "n_attended", "n_missed", "missed_share", "jp_share"]]
           schedule  n_invited  n_attended  n_missed  missed_share  jp_share
    0  office_hours          6           5         2      0.333333  0.750000
    """
    _check_common(confidence, min_group)
    check_columns(enrollments, ["completed"], param="enrollments")
    df = _enrich(enrollments, sessions, participants)
    by = check_by(df, by, reserved=ATTENDANCE_COLUMNS)
    codes, keys = group_codes(df, by)
    ng = len(keys)
    attended = pd.to_numeric(df["attended_jp"]).to_numpy(dtype="float64")
    planned = pd.to_numeric(df["jp"]).to_numpy(dtype="float64")
    if np.isnan(attended).any():
        raise ValueError("`enrollments.attended_jp` has missing values; use 0 for no-shows.")
    done = df["completed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    values = [np.ones_like(attended), attended > 0, done, attended < planned, attended == 0]
    values = np.column_stack([*values, planned, attended])
    n, n_att, n_done, n_miss, n_zero, jp_p, jp_a = group_sums(codes, ng, values).reshape(ng, -1).T
    people = _distinct(codes, _person_codes(df["participant_id"]), ng)
    out = keys.copy()
    out["n_invited"] = n.astype(np.int64)
    out["n_participants"] = people.astype(np.int64)
    for name, count in (("attended", n_att), ("completed", n_done), ("missed", n_miss)):
        low, high = wilson_interval(count, n, confidence=confidence)
        out[f"n_{name}"] = count.astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"{name}_share"] = count / n
        out[f"{name}_ci_low"], out[f"{name}_ci_high"] = low, high
    out["n_no_show"] = n_zero.astype(np.int64)
    out["jp_planned"], out["jp_delivered"] = jp_p, jp_a
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = jp_a / jp_p
        resid2 = group_sums(codes, ng, (attended - ratio[codes] * planned) ** 2)
        se = np.sqrt(resid2 / (n * (n - 1))) / (jp_p / n)
    t = stats.t.ppf(0.5 + confidence / 2, np.maximum(n - 1, 1))
    out["jp_share"] = ratio
    out["jp_ci_low"] = np.where(n > 1, ratio - t * se, np.nan)
    out["jp_ci_high"] = np.where(n > 1, ratio + t * se, np.nan)
    out = _suppress(out, people, by, min_group)
    out["confidence"] = confidence
    out["ci_method"] = "wilson (shares); ratio estimator, linearised, t (jp_share)"
    return out[[*by, *ATTENDANCE_COLUMNS]]


# --------------------------------------------------------------------------- reasons
REASON_COLUMNS = (
    "kind", "reason", "reason_group", "n_absences", "n", "share", "ci_low", "ci_high",
    "n_missed", "n_unrecorded", "suppressed", "confidence", "ci_method",
)  # fmt: skip


def absence_reasons(
    enrollments: pd.DataFrame,
    sessions: pd.DataFrame | None = None,
    *,
    participants: pd.DataFrame | None = None,
    by=None,
    groups: Mapping[str, str] | None = None,
    confidence: float = 0.95,
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """Share of each reason for missed hours, and of each group of reasons, with intervals.

    Parameters
    ----------
    enrollments : DataFrame
        ``participant_id, session_id, attended_jp, absence_reason``.
    sessions : DataFrame, optional
        ``session_id, jp`` and session columns to group by. Needed to count invitations with
        missed hours but no recorded reason (``n_missed``, ``n_unrecorded``); without it those
        columns are empty.
    participants : DataFrame, optional
        Person columns to group by.
    by : str or list of str, optional
        Columns of the joined table, e.g. ``"schedule"``.
    groups : mapping, optional
        Reason → group; :data:`REASON_GROUPS` by default (work and schedule, official duty,
        personal, other). Every reason present must have a group.
    confidence : float
        Level of the Wilson intervals.
    min_group : int
        Groups with fewer distinct people among the absences are suppressed.

    Returns
    -------
    DataFrame
        Per group of ``by``: one row per reason (``kind == "reason"``; every reason of the
        categories, zeros included) then one per group of reasons (``kind == "group"``, the
        group's code in ``reason``), with ``reason_group``, ``n_absences`` (invitations citing
        it), ``n`` (invitations with a recorded reason: the denominator), ``share``,
        ``ci_low``, ``ci_high`` (Wilson), ``n_missed`` (invitations with fewer JP attended
        than planned), ``n_unrecorded`` (of those, without a reason), ``suppressed``,
        ``confidence``, ``ci_method``.

    Notes
    -----
    The share of reason :math:`r` is :math:`\\hat p_r = x_r / n`, with :math:`n` the
    invitations whose reason is recorded; each share gets its own Wilson interval (not a
    simultaneous one). A reason recorded on an invitation without missed hours is counted
    as recorded: the reason column is taken as the truth about why hours were lost.

    Examples
    --------
    >>> enr = pd.DataFrame({"participant_id": list("abcdef"), "session_id": "S1",
    ...                     "attended_jp": [0, 4, 4, 6, 8, 2],
    ...                     "absence_reason": ["workload", "workload", "illness",
    ...                                        "schedule_conflict", None, "leave"]})
    >>> out = absence_reasons(enr, min_group=0)
    >>> out.loc[out["kind"] == "group", ["reason", "n_absences", "n", "share"]]
         reason  n_absences  n  share
    6      work           3  5    0.6
    7  personal           2  5    0.4
    8      duty           0  5    0.0
    9     other           0  5    0.0
    """
    _check_common(confidence, min_group)
    check_columns(enrollments, ["absence_reason"], param="enrollments")
    groups = dict(REASON_GROUPS if groups is None else groups)
    df = _enrich(enrollments, sessions, participants, need_sessions=False)
    by = check_by(df, by, reserved=REASON_COLUMNS)
    reason = df["absence_reason"]
    if isinstance(reason.dtype, pd.CategoricalDtype):
        cats = [str(c) for c in reason.cat.categories]
    else:
        present = sorted(set(reason.dropna().astype("str")))
        cats = [
            *[r for r in ABSENCE_REASONS if r in present or r in groups],
            *[r for r in present if r not in ABSENCE_REASONS],
        ]
    missing_group = [c for c in cats if c not in groups]
    if missing_group:
        raise ValueError(
            f"`groups` gives no group for reasons {missing_group}; add them, e.g. "
            f"groups={{**REASON_GROUPS, {missing_group[0]!r}: 'other'}}."
        )
    gnames = list(dict.fromkeys(groups[c] for c in cats))
    rcode = pd.Categorical(reason.astype("str").where(reason.notna()), categories=cats).codes
    rcode = np.asarray(rcode, dtype=np.int64)
    codes, keys = group_codes(df, by)
    ng = len(keys)
    recorded = rcode >= 0
    onehot = np.zeros((len(df), len(cats)))
    onehot[np.flatnonzero(recorded), rcode[recorded]] = 1.0
    counts = group_sums(codes, ng, onehot).reshape(ng, len(cats))
    gmap = np.array([gnames.index(groups[c]) for c in cats])
    gcounts = np.zeros((ng, len(gnames)))
    np.add.at(gcounts.T, gmap, counts.T)
    n = counts.sum(axis=1)
    if "jp" in df.columns:
        miss = pd.to_numeric(df["attended_jp"]).to_numpy(float) < pd.to_numeric(df["jp"]).to_numpy(
            float
        )
        n_missed = group_sums(codes, ng, miss)
        n_unrec = group_sums(codes, ng, miss & ~recorded)
    else:
        n_missed = n_unrec = np.full(ng, np.nan)
    people = _distinct(np.where(recorded, codes, -1), _person_codes(df["participant_id"]), ng)
    allc = np.concatenate([counts, gcounts], axis=1)
    k = allc.shape[1]
    nn = np.repeat(n, k)
    x = allc.ravel()
    low, high = wilson_interval(x, nn, confidence=confidence)
    out = keys.loc[np.repeat(np.arange(ng), k)].reset_index(drop=True)
    out["kind"] = np.tile(["reason"] * len(cats) + ["group"] * len(gnames), ng)
    out["reason"] = np.tile(cats + gnames, ng)
    out["reason_group"] = np.tile([groups[c] for c in cats] + gnames, ng)
    out["n_absences"] = x.astype(np.int64)
    out["n"] = nn.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = x / nn
    out["ci_low"], out["ci_high"] = low, high
    out["n_missed"] = np.repeat(n_missed, k)
    out["n_unrecorded"] = np.repeat(n_unrec, k)
    if "jp" in df.columns:
        out[["n_missed", "n_unrecorded"]] = out[["n_missed", "n_unrecorded"]].astype(np.int64)
    hide = _suppress(keys.copy(), people, by, min_group)["suppressed"].to_numpy()
    out = _suppress(out, np.full(len(out), np.inf), [*by, "kind", "reason"], 0,
                    force=np.repeat(hide, k))  # fmt: skip
    out["confidence"] = confidence
    out["ci_method"] = "wilson"
    return out[[*by, *REASON_COLUMNS]]


# --------------------------------------------------------------------------- 20 JP
@dataclass(frozen=True)
class JPFulfilment:
    """Result of :func:`jp_fulfilment`; ``to_frame()`` gives ``summary``.

    Attributes
    ----------
    per_person : DataFrame
        ``participant_id, year``, the ``by`` columns, ``jp_classical, jp_nonclassical,
        jp_total, meets, shortfall``: everyone in scope, zeros included.
    summary : DataFrame
        One row per year: ``n, mean_jp, median_jp, mean_classical, mean_nonclassical, n_zero,
        n_meeting, share_meeting, ci_low, ci_high, total_shortfall, target, confidence,
        ci_method``.
    groups : DataFrame or None
        The same per ``by`` group and year, with ``suppressed`` (groups of fewer than
        ``min_group`` people); None without ``by``.
    distribution : DataFrame
        ``year, bin, lower, upper, n, share``: people per band of JP.
    behind : DataFrame
        Those furthest behind, by pseudonym only: ``year, rank, participant_id``, the ``by``
        columns, ``jp_total, shortfall``.
    target : float
    year_by : str
    """

    per_person: pd.DataFrame
    summary: pd.DataFrame
    groups: pd.DataFrame | None
    distribution: pd.DataFrame
    behind: pd.DataFrame
    target: float
    year_by: str

    def to_frame(self) -> pd.DataFrame:
        """The per-year summary."""
        return self.summary


def _medians(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Median of ``values`` per group code (NaN for an empty group)."""
    if n_groups <= 32:  # few groups (years): one partition pass each
        out = np.full(n_groups, np.nan)
        for g in range(n_groups):
            v = values[codes == g]
            if v.size:
                out[g] = np.median(v)
        return out
    order = np.lexsort((values, codes))
    sv, sc = values[order], codes[order]
    start = np.searchsorted(sc, np.arange(n_groups), side="left")
    count = np.bincount(sc[sc >= 0], minlength=n_groups)
    lo = start + np.maximum(count - 1, 0) // 2
    hi = start + count // 2
    last = max(len(sv) - 1, 0)
    med = (sv[np.minimum(lo, last)] + sv[np.minimum(hi, last)]) / 2 if len(sv) else 0.0
    return np.where(count > 0, med, np.nan)


def _fulfil_summary(pp: pd.DataFrame, keys_cols: list[str], target, confidence) -> pd.DataFrame:
    codes, keys = group_codes(pp, keys_cols)
    ng = len(keys)
    total = pp["jp_total"].to_numpy()
    cols = ["jp_total", "jp_classical", "jp_nonclassical", "meets", "shortfall"]
    vals = np.column_stack([np.ones(len(pp)), total == 0, pp[cols].to_numpy(float)])
    n, n_zero, s_tot, s_cl, s_ncl, n_meet, short = group_sums(codes, ng, vals).reshape(ng, -1).T
    low, high = wilson_interval(n_meet, n, confidence=confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        return keys.assign(
            n=n.astype(np.int64), mean_jp=s_tot / n, median_jp=_medians(total, codes, ng),
            mean_classical=s_cl / n, mean_nonclassical=s_ncl / n, n_zero=n_zero.astype(np.int64),
            n_meeting=n_meet.astype(np.int64), share_meeting=n_meet / n, ci_low=low, ci_high=high,
            total_shortfall=short, target=float(target), confidence=confidence, ci_method="wilson",
        )  # fmt: skip


def jp_fulfilment(
    enrollments: pd.DataFrame,
    sessions: pd.DataFrame,
    *,
    participants: pd.DataFrame | None = None,
    year=None,
    target: float = JP_TARGET,
    year_by: str = "end",
    by=None,
    nonclassical: Sequence[str] = NONCLASSICAL_METHODS,
    extra: pd.DataFrame | None = None,
    bins: Sequence[float] = (10, 20, 40),
    n_behind: int = 10,
    confidence: float = 0.95,
    min_group: int = MIN_GROUP,
) -> JPFulfilment:
    """Lesson hours (JP) per civil servant per year against the right to 20 JP a year.

    Parameters
    ----------
    enrollments : DataFrame
        ``participant_id, session_id, attended_jp``.
    sessions : DataFrame
        ``session_id, method, start_date, end_date``.
    participants : DataFrame, optional
        Everyone in scope (``participant_id`` and the ``by`` columns, e.g. ``unit_id``). People
        without any attended JP in a year count with 0 JP. Without it, the people in
        ``enrollments`` are the population.
    year : int or list of int, optional
        Years to report; every year with sessions by default.
    target : float
        JP a year to meet (20).
    year_by : {"end", "start", "prorate"}
        Which year a session's JP count in (see :func:`jp_by_year`); by its end date by
        default.
    by : str or list of str, optional
        Columns of ``participants`` for the ``groups`` table, e.g. ``"unit_id"``.
    nonclassical : sequence of str
        Methods counted as non-classical development (e-learning by default); JP of the other
        methods are classical. Both count towards the target.
    extra : DataFrame, optional
        Development recorded elsewhere (coaching, mentoring, self-study …):
        ``participant_id, year, jp, classical`` (bool).
    bins : sequence of float
        Inner edges of the distribution's bands; the bands are 0, (0, b1), [b1, b2) … [bk, ∞).
    n_behind : int
        How many of those furthest behind to list per year.
    confidence, min_group
        Level of the Wilson intervals; groups of fewer people are suppressed.

    Returns
    -------
    JPFulfilment
        ``per_person``, ``summary``, ``groups``, ``distribution``, ``behind`` (see
        :class:`JPFulfilment`).

    Notes
    -----
    For person :math:`i` and year :math:`y`,
    :math:`\\mathrm{JP}_{iy} = \\sum_{s:\\,\\mathrm{year}(s)=y} a_{is}` (attended JP, or the
    prorated part), plus ``extra``; the person meets the right when
    :math:`\\mathrm{JP}_{iy} \\ge 20` and the shortfall is :math:`\\max(0, 20 -
    \\mathrm{JP}_{iy})`. The share meeting it gets a Wilson interval. The right (PP 11/2017 as
    amended by PP 17/2020, Peraturan LAN 10/2018) is for PNS; PPPK staff are included unless
    left out of ``participants``. Everything is computed with integer codes and
    ``numpy.bincount`` (no merge, no groupby), so 4 million records take about as long as
    two pandas ``groupby().sum()`` passes.

    References
    ----------
    .. [1] Peraturan Pemerintah No. 17 Tahun 2020 tentang Perubahan atas PP No. 11 Tahun 2017
       tentang Manajemen PNS.
    .. [2] Peraturan Lembaga Administrasi Negara No. 10 Tahun 2018 tentang Pengembangan
       Kompetensi PNS.

    Examples
    --------
    >>> ses = pd.DataFrame({"session_id": ["S1", "S2"], "method": ["workshop", "e_learning"],
    ...     "start_date": pd.to_datetime(["2024-03-01", "2024-12-23"]),
    ...     "end_date": pd.to_datetime(["2024-03-03", "2025-01-03"])})
    >>> enr = pd.DataFrame({"participant_id": ["a", "a", "b"], "session_id": ["S1", "S2", "S1"],
    ...                     "attended_jp": [16.0, 12.0, 24.0]})
    >>> people = pd.DataFrame({"participant_id": ["a", "b", "c"]})
    >>> res = jp_fulfilment(enr, ses, participants=people, year=2024, min_group=0)
    >>> res.per_person[["participant_id", "jp_classical", "jp_nonclassical", "jp_total", "meets"]]
      participant_id  jp_classical  jp_nonclassical  jp_total  meets
    0              a          16.0              0.0      16.0  False
    1              b          24.0              0.0      24.0   True
    2              c           0.0              0.0       0.0  False
    >>> res.summary[["year", "n", "n_meeting", "share_meeting", "median_jp"]]
       year  n  n_meeting  share_meeting  median_jp
    0  2024  3          1       0.333333       16.0
    >>> jp_fulfilment(enr, ses, participants=people, year=2024, year_by="prorate",
    ...               min_group=0).per_person["jp_nonclassical"].tolist()
    [9.0, 0.0, 0.0]
    """
    check_number("target", target, low=0, low_open=True)
    check_number("n_behind", n_behind, low=0)
    _check_common(confidence, min_group)
    check_columns(sessions, ["session_id", "method", "start_date", "end_date"], param="sessions")
    check_columns(enrollments, ["participant_id", "session_id", "attended_jp"], param="enrollments")
    edges = [float(b) for b in bins]
    if not edges or edges[0] <= 0 or edges != sorted(set(edges)):
        raise ValueError("`bins` must be increasing positive numbers, e.g. (10, 20, 40).")
    by, people, person = _people(enrollments, participants, by)
    sess_pos = _positions(enrollments["session_id"], sessions["session_id"])
    for table, pos in (("participants", person), ("sessions", sess_pos)):
        if (pos < 0).any():
            row = int(np.flatnonzero(pos < 0)[0])
            raise ValueError(f"`enrollments` row {row} is missing from `{table}`; pass all of it.")
    years, sums = _person_year_sums(enrollments, sessions, extra, year, year_by, nonclassical,
                                    people, person, sess_pos)  # fmt: skip
    n_people, ny = len(people), len(years)
    total = sums.sum(axis=0)
    who = np.tile(np.arange(n_people), ny)
    pp = pd.DataFrame({"participant_id": people.to_numpy()[who],
                       "year": np.repeat(np.asarray(years, dtype=np.int64), n_people)})  # fmt: skip
    for col in by:
        pp[col] = _take(participants[col], who)
    meets = total >= target - 1e-9
    pp = pp.assign(jp_classical=sums[0], jp_nonclassical=sums[1], jp_total=total, meets=meets,
                   shortfall=np.maximum(target - total, 0.0))  # fmt: skip
    groups = None
    if by:
        groups = _fulfil_summary(pp, [*by, "year"], target, confidence)
        groups = _suppress(groups, groups["n"], [*by, "year", "target"], min_group, "year")
    dist = _distribution(total, edges, years, n_people)
    behind = _furthest_behind(pp, total, meets, by, ny, n_people, n_behind)
    return JPFulfilment(
        per_person=pp, summary=_fulfil_summary(pp, ["year"], target, confidence), groups=groups,
        distribution=dist, behind=behind, target=float(target), year_by=year_by,
    )  # fmt: skip


# ----------------------------------------------------------------- steps of jp_fulfilment
def _people(enrollments, participants, by):
    """The people in scope (``participants``, or those enrolled) and each invitation's person."""
    if participants is not None:  # everyone in scope, with zero JP if they attended nothing
        check_columns(participants, ["participant_id"], param="participants")
        by = check_by(participants, by, reserved=("participant_id", "year"))
        people = participants["participant_id"].astype("str").reset_index(drop=True)
        if people.duplicated().any():
            raise ValueError("`participants` has duplicated participant_id values.")
        return by, people, _positions(enrollments["participant_id"], people)
    if as_list(by):
        raise ValueError("`by` needs `participants` (the people and their columns).")
    person, uniq = pd.factorize(enrollments["participant_id"].astype("str"), sort=True)
    return [], pd.Series(np.asarray(uniq, dtype=object), dtype="str"), person


def _person_year_sums(enrollments, sessions, extra, year, year_by, nonclassical, people, person,
                      sess_pos):  # fmt: skip
    """The reported years and the classical / non-classical JP of every person-year.

    Person-years are year-major: index ``j * n_people + person``.
    """
    years_tab = jp_by_year(sessions, year_by=year_by)
    all_years = set(years_tab["year"].tolist())
    if extra is not None:
        check_columns(extra, ["participant_id", "year", "jp", "classical"], param="extra")
        all_years |= set(pd.to_numeric(extra["year"]).astype(int))
    years = sorted(all_years) if year is None else [int(y) for y in np.atleast_1d(year)]
    n_people, ny = len(people), len(years)
    ycode = {y: i for i, y in enumerate(years)}
    share = np.zeros((len(sessions), ny))  # share of each session's JP in each reported year
    yc = years_tab["year"].map(ycode)
    ok = yc.notna().to_numpy()
    row_of = pd.Index(sessions["session_id"].astype("str")).get_indexer(years_tab["session_id"])
    np.add.at(share, (row_of[ok], yc[ok].astype(int).to_numpy()), years_tab["share"].to_numpy()[ok])
    size = n_people * ny  # person-years, year-major: index j * n_people + person
    sums = np.zeros((2, size))  # classical, non-classical

    def add(idx, jp, nonclassical_row):
        for c in (0, 1):
            w = np.where(nonclassical_row == bool(c), jp, 0.0)
            sums[c] += np.bincount(idx, weights=w, minlength=size)

    attended = pd.to_numeric(enrollments["attended_jp"]).to_numpy(dtype="float64")
    is_ncl = sessions["method"].astype("str").isin(list(nonclassical)).to_numpy()[sess_pos]
    for j in range(ny):  # loop over the (few) years only
        add(j * n_people + person, attended * share[sess_pos, j], is_ncl)
    if extra is not None:
        ep = _positions(extra["participant_id"], people)
        ey = pd.to_numeric(extra["year"]).astype(int).map(ycode)
        keep = (ep >= 0) & ey.notna().to_numpy()
        idx = ey[keep].astype(int).to_numpy() * n_people + ep[keep]
        add(idx, pd.to_numeric(extra["jp"]).to_numpy(float)[keep],
            ~extra["classical"].astype(bool).to_numpy()[keep])  # fmt: skip
    return years, sums


def _distribution(total, edges, years, n_people) -> pd.DataFrame:
    """People per band of yearly JP: 0, (0, b1), [b1, b2), …, [bk, inf)."""
    ny = len(years)
    labels = ["0", f"(0, {edges[0]:g})"]
    labels += [f"[{a:g}, {b:g})" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    labels.append(f"≥ {edges[-1]:g}")
    nb = len(labels)
    band = np.where(total <= 0, 0, 1 + np.searchsorted(edges, total, side="right"))
    counts = np.bincount(np.repeat(np.arange(ny), n_people) * nb + band, minlength=ny * nb)
    counts = counts.reshape(ny, nb)
    with np.errstate(invalid="ignore", divide="ignore"):
        dist = pd.DataFrame({
            "year": np.repeat(years, nb), "bin": np.tile(labels, ny),
            "lower": np.tile([0.0, 0.0, *edges], ny), "upper": np.tile([0.0, *edges, np.inf], ny),
            "n": counts.ravel(), "share": (counts / counts.sum(axis=1, keepdims=True)).ravel(),
        })  # fmt: skip
    return dist


def _furthest_behind(pp, total, meets, by, ny, n_people, n_behind) -> pd.DataFrame:
    """The ``n_behind`` people with the fewest JP per year, by pseudonym only (ties by it)."""
    pick = []
    for j in range(ny):
        seg = np.arange(j * n_people, (j + 1) * n_people)
        seg = seg[~meets[seg]]
        k = min(int(n_behind), seg.size)
        if k:
            cand = seg[total[seg] <= np.partition(total[seg], k - 1)[k - 1]]
            order = np.lexsort((pp["participant_id"].to_numpy()[cand], total[cand]))
            pick.extend(cand[order[:k]])
    behind = pp.iloc[pick][["year", "participant_id", *by, "jp_total", "shortfall"]]
    behind = behind.reset_index(drop=True)
    behind.insert(1, "rank", behind.groupby("year").cumcount().to_numpy() + 1)
    return behind
