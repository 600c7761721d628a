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
def _fixed_width(index: pd.Index) -> np.ndarray | None:
    """The bytes of the strings of ``index``, a ``(n, width)`` view of their Arrow buffer (no
    copy), when all have one width in bytes and no NUL byte (pseudonyms: 18), else None."""
    import pyarrow as pa

    if not isinstance(index.dtype, pd.StringDtype) or index.dtype.storage != "pyarrow":
        return None
    arr = pa.array(index.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if len(arr) == 0 or arr.null_count or arr.type not in (pa.string(), pa.large_string()):
        return None
    off_type = np.int32 if arr.type == pa.string() else np.int64
    offsets = np.frombuffer(arr.buffers()[1], dtype=off_type)[
        arr.offset : arr.offset + len(arr) + 1
    ]
    width = int(offsets[1] - offsets[0])
    if width == 0 or np.any(np.diff(offsets) != width):
        return None
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8, count=width * len(arr),
                         offset=int(offsets[0]))  # fmt: skip
    if not data.all():  # a NUL byte: NumPy's S type would drop it at the end of a string
        return None
    return data.reshape(len(arr), width)


def _str_index(values) -> pd.Index:
    index = pd.Index(values)
    return index if index.dtype == "str" else index.astype("str")


def _hash64(fixed: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each fixed-width byte string (rows of a ``(n, width)`` uint8 array)."""
    n, width = fixed.shape
    words = -(-width // 8)
    if width % 8:
        padded = np.zeros((n, words * 8), dtype=np.uint8)
        padded[:, :width] = fixed
        fixed = padded
    w = np.ascontiguousarray(fixed).view("<u8")
    h = np.full(n, 0xCBF29CE484222325, dtype=np.uint64)
    for j in range(words):
        h ^= w[:, j]
        h *= np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(31)
    return h


def _match(values: pd.Index, index: pd.Index) -> np.ndarray:
    """Position of each of ``values`` in ``index`` (-1 when absent); strings, ``index`` unique.

    Identical indexes match position by position. Fixed-width strings (pseudonyms, the
    categories ``load()`` gives them) are matched on their bytes without building Python
    strings: by one binary search when ``index`` is sorted, otherwise by one hash table of
    their 64-bit hashes, every hit checked byte for byte. Anything else (or a collision of
    hashes) goes through pandas' string hash table.
    """
    if values is index or (len(values) == len(index) and values.equals(index)):
        return np.arange(len(values))
    fv, fi = _fixed_width(values), _fixed_width(index)
    if fv is not None and fi is not None and fv.shape[1] == fi.shape[1]:
        sv, si = (f.view(f"S{f.shape[1]}").ravel() for f in (fv, fi))
        if bool(np.all(si[1:] > si[:-1])):
            pos = np.minimum(np.searchsorted(si, sv), len(si) - 1)
            return np.where(si[pos] == sv, pos, -1)
        hashes = pd.Index(_hash64(fi))
        if hashes.is_unique:  # one hash table of the index's hashes, probed by the values'
            pos = hashes.get_indexer(_hash64(fv))
            hit = pos >= 0
            if bool(np.all(si[pos[hit]] == sv[hit])):  # no collision with another string
                return pos
    return pd.Index(index.to_numpy()).get_indexer(pd.Index(values.to_numpy()))


def _unique_codes(s: pd.Series) -> np.ndarray | None:
    """Category codes of a categorical ``s`` whose values are all present and distinct."""
    if not isinstance(s.dtype, pd.CategoricalDtype) or not isinstance(
        s.cat.categories.dtype, pd.StringDtype
    ):
        return None
    codes = s.cat.codes.to_numpy()
    if len(codes) and (codes.min() < 0 or np.bincount(codes).max() > 1):
        return None
    return codes


def _positions(keys: pd.Series, index_values) -> np.ndarray:
    """Position of each key in ``index_values`` (-1 when absent), fast for categoricals.

    With categorical keys only their categories are matched (on the strings), then the
    rows follow from the integer codes; when ``index_values`` is categorical too, its
    categories are matched and its codes give the rows. An ``Index`` of strings is matched
    as it is (no copy).
    """
    if isinstance(index_values, pd.Index) and isinstance(index_values.dtype, pd.StringDtype):
        if isinstance(keys.dtype, pd.CategoricalDtype):
            codes = keys.cat.codes.to_numpy()
            cat_pos = np.append(_match(_str_index(keys.cat.categories), index_values), -1)
            return cat_pos[codes]  # code -1 (missing) takes the -1 at the end
        return index_values.get_indexer(pd.Index(keys.astype("str").to_numpy(), dtype="str"))
    index_values = pd.Series(index_values).reset_index(drop=True)
    if isinstance(keys.dtype, pd.CategoricalDtype):
        codes = keys.cat.codes.to_numpy()
        cats = _str_index(keys.cat.categories)
        icodes = _unique_codes(index_values)
        if icodes is not None:
            row_of = np.full(len(index_values.cat.categories) + 1, -1, dtype=np.int64)
            row_of[icodes] = np.arange(len(icodes))
            cat_pos = row_of[_match(cats, _str_index(index_values.cat.categories))]
        else:
            cat_pos = _match(cats, _str_index(index_values.astype("str").to_numpy()))
        if len(codes) and codes.min() >= 0:
            return cat_pos[codes]
        return np.where(codes >= 0, cat_pos[np.maximum(codes, 0)], -1)
    index = pd.Index(index_values.astype("str").to_numpy())
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
    out["jp_share"], out["jp_ci_low"], out["jp_ci_high"] = jp_share_interval(
        jp_a, jp_p, resid2, n, confidence
    )
    out = _suppress(out, people, by, min_group)
    out["confidence"] = confidence
    out["ci_method"] = "wilson (shares); ratio estimator, linearised, t (jp_share)"
    return out[[*by, *ATTENDANCE_COLUMNS]]


def jp_share_interval(jp_delivered, jp_planned, resid2, n, confidence):
    """Share of planned JP delivered per group, with its linearised ratio-estimator interval.

    ``resid2`` is the group's sum of squared residuals ``(attended - share * planned) ** 2``
    over its ``n`` invitations; the interval uses t with ``n - 1`` degrees of freedom and is
    missing for a group of one. Shared by :func:`attendance_summary` and the DuckDB engine.

    Examples
    --------
    Four invitations, 30 of 40 JP delivered, residual sum of squares 8: se = sqrt(8 / (4 * 3))
    / (40 / 4) = 0.0816 and t(0.975, 3) = 3.1824, so 0.75 ± 0.2598:

    >>> share, low, high = jp_share_interval(np.array([30.0]), np.array([40.0]),
    ...                                      np.array([8.0]), np.array([4]), 0.95)
    >>> float(share[0]), round(float(low[0]), 4), round(float(high[0]), 4)
    (0.75, 0.4902, 1.0098)
    """
    from scipy import stats  # imported where used

    n = np.asarray(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = jp_delivered / jp_planned
        se = np.sqrt(resid2 / (n * (n - 1))) / (jp_planned / n)
    t = stats.t.ppf(0.5 + confidence / 2, np.maximum(n - 1, 1))
    return ratio, np.where(n > 1, ratio - t * se, np.nan), np.where(n > 1, ratio + t * se, np.nan)


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
    if "jp" in df.columns:
        miss = pd.to_numeric(df["attended_jp"]).to_numpy(float) < pd.to_numeric(df["jp"]).to_numpy(
            float
        )
        n_missed = group_sums(codes, ng, miss)
        n_unrec = group_sums(codes, ng, miss & ~recorded)
    else:
        n_missed = n_unrec = np.full(ng, np.nan)
    people = _distinct(np.where(recorded, codes, -1), _person_codes(df["participant_id"]), ng)
    return reasons_table(keys, by, counts, cats, groups, gnames, n_missed, n_unrec, people,
                         confidence, min_group, hours_known="jp" in df.columns)  # fmt: skip


def reasons_table(keys, by, counts, cats, groups, gnames, n_missed, n_unrec, people, confidence,
                  min_group, hours_known=True):  # fmt: skip
    """The table of :func:`absence_reasons` from the absences per group and reason.

    Shared by :func:`absence_reasons` and the DuckDB engine (:mod:`toolkit.engine`):
    ``counts`` (groups x ``cats``) are the recorded absences, ``groups`` maps each reason to
    its group among ``gnames``, ``n_missed`` / ``n_unrec`` the invitations that lost hours
    and those without a recorded reason (``hours_known=False``: unknown, NaN), ``people`` the
    distinct people with a recorded reason per group (for suppression).

    Examples
    --------
    >>> keys = pd.DataFrame(index=[0])
    >>> out = reasons_table(keys, [], np.array([[3.0, 1.0]]), ["tugas", "sakit"],
    ...                     {"tugas": "work", "sakit": "personal"}, ["work", "personal"],
    ...                     np.array([5.0]), np.array([1.0]), np.array([4.0]), 0.95, 0)
    >>> out[["kind", "reason", "n_absences", "n", "share"]].to_dict("records")[:3]
    [{'kind': 'reason', 'reason': 'tugas', 'n_absences': 3, 'n': 4, 'share': 0.75}, {'kind': 'reason', 'reason': 'sakit', 'n_absences': 1, 'n': 4, 'share': 0.25}, {'kind': 'group', 'reason': 'work', 'n_absences': 3, 'n': 4, 'share': 0.75}]
    """
    ng = len(keys)
    gmap = np.array([gnames.index(groups[c]) for c in cats])
    gcounts = np.zeros((ng, len(gnames)))
    np.add.at(gcounts.T, gmap, counts.T)
    n = counts.sum(axis=1)
    allc = np.concatenate([counts, gcounts], axis=1)
    k = allc.shape[1]
    nn = np.repeat(n, k)
    x = allc.ravel()
    low, high = wilson_interval(x, nn, confidence=confidence)
    out = keys.loc[np.repeat(np.arange(ng), k)].reset_index(drop=True)
    out["kind"] = np.tile(["reason"] * len(cats) + ["group"] * len(gnames), ng)
    out["reason"] = np.tile(list(cats) + list(gnames), ng)
    out["reason_group"] = np.tile([groups[c] for c in cats] + list(gnames), ng)
    out["n_absences"] = x.astype(np.int64)
    out["n"] = nn.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = x / nn
    out["ci_low"], out["ci_high"] = low, high
    out["n_missed"] = np.repeat(n_missed, k)
    out["n_unrecorded"] = np.repeat(n_unrec, k)
    if hours_known:
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
        jp_total, meets, shortfall``: everyone in scope, zeros included; year by year, the
        people in the order of their pseudonyms (whatever the order of the rows).
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


def _value_ranks(values: np.ndarray):
    """Rank of each value among the distinct values, and those sorted (None if any is NaN)."""
    if len(values) and values.min() >= 0 and values.max() < 4 * len(values) + 1_000_000:
        whole = values.astype(np.int64)
        if np.array_equal(whole, values):  # whole JP: the values index a table directly
            present = np.bincount(whole) > 0
            return (np.cumsum(present) - 1)[whole], np.flatnonzero(present).astype("float64")
    codes, uniq = pd.factorize(values)
    if (codes < 0).any():
        return None
    order = np.argsort(uniq)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], uniq[order]


def _medians(values: np.ndarray, codes: np.ndarray, n_groups: int, ranks=None) -> np.ndarray:
    """Median of ``values`` per group code (NaN for an empty group, codes < 0 ignored).

    ``ranks`` (from :func:`_value_ranks`) allows one pass: a histogram of the distinct values
    per group (JP totals take few distinct values), whose cumulative counts locate the
    middle order statistics; otherwise one sort by group and value.
    """
    n_values = len(ranks[1]) if ranks is not None else 0
    if ranks is not None and n_groups * n_values <= max(4 * len(values), 1_000_000):
        rank, uniq = ranks
        keep = codes >= 0
        cell = codes * n_values + rank if keep.all() else codes[keep] * n_values + rank[keep]
        hist = np.bincount(cell, minlength=n_groups * n_values).reshape(n_groups, n_values)
        cum = np.cumsum(hist, axis=1)
        count = cum[:, -1] if n_values else np.zeros(n_groups, dtype=np.int64)
        lo = (cum <= (np.maximum(count - 1, 0) // 2)[:, None]).sum(axis=1)
        hi = (cum <= (count // 2)[:, None]).sum(axis=1)
        last = max(n_values - 1, 0)
        med = (uniq[np.minimum(lo, last)] + uniq[np.minimum(hi, last)]) / 2 if n_values else 0.0
        return np.where(count > 0, med, np.nan)
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


def _fulfil_summary(keys: pd.DataFrame, codes, pp: dict, ranks, target, confidence):
    """Per group code (codes < 0 left out): people, means, median, meeting the target.

    ``codes`` may be an int instead: the rows are that many segments of equal length in
    order (the years of person-years) whose values are whole numbers, so that sums in any
    order are exact and each segment is summed in one vectorised pass.
    """
    if isinstance(codes, int):
        return _fulfil_segments(keys, codes, pp, ranks, target, confidence)
    ng = len(keys)
    keep = None if (codes >= 0).all() else codes >= 0
    c = codes if keep is None else codes[keep]

    def cut(a):
        return a if keep is None else a[keep]

    def total_of(name):  # float sums in row order, as group_sums
        return np.bincount(c, weights=cut(pp[name]), minlength=ng)

    n = np.bincount(c, minlength=ng)
    n_zero = np.bincount(c[cut(pp["jp_total"]) == 0], minlength=ng)
    n_meet = np.bincount(c[cut(pp["meets"])], minlength=ng)
    s_tot, s_cl, s_ncl, short = (total_of(name) for name in
                                 ("jp_total", "jp_classical", "jp_nonclassical", "shortfall"))  # fmt: skip
    low, high = wilson_interval(n_meet, n, confidence=confidence)
    median = _medians(pp["jp_total"], codes, ng, ranks)
    with np.errstate(invalid="ignore", divide="ignore"):
        return keys.assign(
            n=n.astype(np.int64), mean_jp=s_tot / n, median_jp=median,
            mean_classical=s_cl / n, mean_nonclassical=s_ncl / n, n_zero=n_zero.astype(np.int64),
            n_meeting=n_meet.astype(np.int64), share_meeting=n_meet / n, ci_low=low, ci_high=high,
            total_shortfall=short, target=float(target), confidence=confidence, ci_method="wilson",
        )  # fmt: skip


def _fulfil_segments(keys, n_segments: int, pp: dict, ranks, target, confidence):
    """:func:`_fulfil_summary` for equal, consecutive segments of whole-number values."""

    def seg(name):
        return np.asarray(pp[name]).reshape(n_segments, -1)

    total = seg("jp_total")
    n = np.full(n_segments, total.shape[1], dtype=np.int64)
    n_zero = np.count_nonzero(total == 0, axis=1)
    n_meet = np.count_nonzero(seg("meets"), axis=1)
    s_tot, s_cl, s_ncl, short = (seg(name).sum(axis=1) for name in
                                 ("jp_total", "jp_classical", "jp_nonclassical", "shortfall"))  # fmt: skip
    low, high = wilson_interval(n_meet, n, confidence=confidence)
    codes = np.repeat(np.arange(n_segments), total.shape[1])
    median = _medians(pp["jp_total"], codes, n_segments, ranks)
    with np.errstate(invalid="ignore", divide="ignore"):
        return keys.assign(
            n=n, mean_jp=s_tot / n, median_jp=median,
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
    ``numpy.bincount`` (no merge, no groupby): categorical ids, as ``load()`` gives them,
    are matched once per distinct pseudonym, on their bytes, and the id strings are only
    attached to the output; ``benchmarks/bench_challenges.py`` prints the time on 4 million
    records against one pandas ``groupby().sum()``. The result does not depend on the order
    of the rows or on how the ids are typed (categorical or text).

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
    by, people, person, row = _people(enrollments, participants, by)
    sess_pos = _positions(enrollments["session_id"], sessions["session_id"])
    for table, pos in (("participants", person), ("sessions", sess_pos)):
        if (pos < 0).any():
            row = int(np.flatnonzero(pos < 0)[0])
            raise ValueError(f"`enrollments` row {row} is missing from `{table}`; pass all of it.")
    years, sums = _person_year_sums(enrollments, sessions, extra, year, year_by, nonclassical,
                                    people, person, sess_pos)  # fmt: skip
    n_people, ny = len(people), len(years)
    total = sums.sum(axis=0)
    meets = total >= target - 1e-9
    year_arr = np.asarray(years, dtype=np.int64)
    values = {"jp_classical": sums[0], "jp_nonclassical": sums[1], "jp_total": total,
              "meets": meets, "shortfall": np.maximum(target - total, 0.0)}  # fmt: skip
    columns = {"participant_id": _repeat_ids(people, ny), "year": np.repeat(year_arr, n_people)}
    if by:
        who = np.tile(row, ny)  # each person-year's row of participants
        columns.update({col: _take(participants[col], who) for col in by})
    pp = pd.DataFrame({**columns, **values}, copy=False)  # the arrays are new: no copy
    # person-years are year-major; group codes from the (few) years and the people's groups
    uyears, yinv = np.unique(year_arr, return_inverse=True)
    ranks = _value_ranks(total)
    summary_keys = pd.DataFrame({"year": uyears})
    whole = (
        ranks is not None
        and ny > 0
        and n_people > 0
        and len(uyears) == ny
        and bool((np.diff(year_arr) > 0).all())
        and float(target).is_integer()
        and bool(np.array_equal(sums, np.round(sums)))
        and float(np.abs(sums).sum(initial=0.0)) < 2.0**52
    )  # whole JP (the usual case): sums exact in any order, each year summed in one pass
    year_codes = ny if whole else np.repeat(yinv, n_people)
    summary = _fulfil_summary(summary_keys, year_codes, values, ranks, target, confidence)
    groups = None
    if by:
        pg, by_keys = group_codes(participants.reset_index(drop=True), by)
        pg = pg[row]  # the people's group codes, in the order of the people
        cells = by_keys.take(np.repeat(np.arange(len(by_keys)), len(uyears)))
        cells = cells.reset_index(drop=True).assign(year=np.tile(uyears, len(by_keys)))
        cell_code, keys = group_codes(cells, [*by, "year"])
        code = np.where(np.tile(pg, ny) >= 0,
                        cell_code[np.maximum(np.tile(pg, ny), 0) * len(uyears)
                                  + np.repeat(yinv, n_people)], -1)  # fmt: skip
        groups = _fulfil_summary(keys, code, values, ranks, target, confidence)
        groups = _suppress(groups, groups["n"], [*by, "year", "target"], min_group, "year")
    dist = _distribution(total, edges, years, n_people)
    behind = _furthest_behind(pp, total, meets, by, ny, n_people, n_behind, ranks)
    return JPFulfilment(
        per_person=pp, summary=summary, groups=groups, distribution=dist, behind=behind,
        target=float(target), year_by=year_by,
    )  # fmt: skip


# ----------------------------------------------------------------- steps of jp_fulfilment
def _repeat_ids(people: pd.Series, times: int) -> pd.Series:
    """``people`` (strings) ``times`` over, end to end; Arrow chunks share one buffer."""
    import pyarrow as pa

    if isinstance(people.dtype, pd.StringDtype) and people.dtype.storage == "pyarrow":
        arr = pa.array(people.array)
        chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
        return pd.Series(pd.array(pa.chunked_array(chunks * times, type=arr.type),
                                  dtype=people.dtype))  # fmt: skip
    return pd.Series(np.tile(people.to_numpy(), times), dtype="str")


def _sorted_unique(index: pd.Index) -> bool:
    fixed = _fixed_width(index)
    if fixed is not None:
        fixed = fixed.view(f"S{fixed.shape[1]}").ravel()
        return bool(np.all(fixed[1:] > fixed[:-1]))
    return bool(index.is_monotonic_increasing and index.is_unique)


def _people(enrollments, participants, by):
    """The people in scope (``participants``, or those enrolled) in the order of their
    pseudonyms, each invitation's person (-1: not in scope) and each person's row of
    ``participants`` (None without it).

    Categorical ids, as ``load()`` gives them (sorted categories), are matched on their
    categories only and no id string is copied when every category is a person.
    """
    if participants is not None:  # everyone in scope, with zero JP if they attended nothing
        check_columns(participants, ["participant_id"], param="participants")
        by = check_by(participants, by, reserved=("participant_id", "year"))
        pid = participants["participant_id"].reset_index(drop=True)
        codes = _unique_codes(pid)
        if codes is not None:
            cats = _str_index(pid.cat.categories)
            if not _sorted_unique(cats):  # categories in another order: sort them once
                order = cats.argsort()
                cats, codes = cats.take(order), np.argsort(order)[codes]
            row = np.full(len(cats), -1, dtype=np.int64)
            row[codes] = np.arange(len(codes))
            if len(codes) == len(cats):  # every category is a person: the categories are they
                return by, pd.Series(cats), _positions(enrollments["participant_id"], cats), row
            used = row >= 0
            remap = np.append(np.cumsum(used) - 1, -1)  # position among the people; -1 absent
            person = remap[_positions(enrollments["participant_id"], cats)]
            return by, pd.Series(cats[used]), person, row[used]
        text = pid.astype("str")
        if text.duplicated().any():
            raise ValueError("`participants` has duplicated participant_id values.")
        order = np.argsort(text.to_numpy(), kind="stable")
        people = pd.Index(text.take(order).to_numpy(), dtype="str")
        return by, pd.Series(people), _positions(enrollments["participant_id"], people), order
    if as_list(by):
        raise ValueError("`by` needs `participants` (the people and their columns).")
    pid = enrollments["participant_id"]
    if isinstance(pid.dtype, pd.CategoricalDtype) and isinstance(
        pid.cat.categories.dtype, pd.StringDtype
    ):
        cats = _str_index(pid.cat.categories)
        if _sorted_unique(cats):  # the enrolled people, in the order of their pseudonyms
            codes = pid.cat.codes.to_numpy()
            used = np.bincount(codes[codes >= 0], minlength=len(cats)) > 0
            remap = np.cumsum(used) - 1
            person = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
            return [], pd.Series(cats[used]), person, None
    person, uniq = pd.factorize(pid.astype("str"), sort=True)
    people = pd.Series(np.asarray(uniq, dtype=object), dtype="str")
    return [], people, person, None


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
    sums = None  # classical, non-classical: (2, size)

    def add(idx, jp, nonclassical_row):
        nonlocal sums
        if sums is None:
            sums = np.zeros((2, size))
        for c in (0, 1):
            w = np.where(nonclassical_row == bool(c), jp, 0.0)
            sums[c] += np.bincount(idx, weights=w, minlength=size)

    attended = pd.to_numeric(enrollments["attended_jp"]).to_numpy(dtype="float64")
    session_ncl = sessions["method"].astype("str").isin(list(nonclassical)).to_numpy()
    in_year = share != 0
    if ny and not np.isnan(attended).any() and (in_year.sum(axis=1) <= 1).all():
        # each session in one reported year at most (by its end or start): one pass, the
        # classical and non-classical sums side by side (-1: no reported year)
        col = np.where(in_year.any(axis=1), in_year.argmax(axis=1), -1)
        offset = np.where(col >= 0, col * n_people + session_ncl * size, -1)[sess_pos]
        weight = attended * share[np.arange(len(col)), np.maximum(col, 0)][sess_pos]
        keep = offset >= 0
        if keep.all():
            idx = offset + person
        else:
            idx, weight = offset[keep] + person[keep], weight[keep]
        sums = np.bincount(idx, weights=weight, minlength=2 * size).reshape(2, size)
    else:
        is_ncl = session_ncl[sess_pos]
        for j in range(ny):  # loop over the (few) years only
            add(j * n_people + person, attended * share[sess_pos, j], is_ncl)
    if extra is not None:
        ep = _positions(extra["participant_id"], people)
        ey = pd.to_numeric(extra["year"]).astype(int).map(ycode)
        keep = (ep >= 0) & ey.notna().to_numpy()
        idx = ey[keep].astype(int).to_numpy() * n_people + ep[keep]
        add(idx, pd.to_numeric(extra["jp"]).to_numpy(float)[keep],
            ~extra["classical"].astype(bool).to_numpy()[keep])  # fmt: skip
    return years, np.zeros((2, size)) if sums is None else sums


def _distribution(total, edges, years, n_people) -> pd.DataFrame:
    """People per band of yearly JP: 0, (0, b1), [b1, b2), …, [bk, inf)."""
    ny = len(years)
    labels = ["0", f"(0, {edges[0]:g})"]
    labels += [f"[{a:g}, {b:g})" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    labels.append(f"≥ {edges[-1]:g}")
    nb = len(labels)
    if np.isnan(total).any():
        band = np.where(total <= 0, 0, 1 + np.searchsorted(edges, total, side="right"))
    else:  # the same band by comparisons with the few edges
        band = (total > 0).astype(np.int64)
        for edge in edges:
            band += total >= edge
    counts = np.zeros((ny, nb), dtype=np.int64)
    for j in range(ny):  # person-years are year-major
        counts[j] = np.bincount(band[j * n_people : (j + 1) * n_people], minlength=nb)
    with np.errstate(invalid="ignore", divide="ignore"):
        dist = pd.DataFrame({
            "year": np.repeat(years, nb), "bin": np.tile(labels, ny),
            "lower": np.tile([0.0, 0.0, *edges], ny), "upper": np.tile([0.0, *edges, np.inf], ny),
            "n": counts.ravel(), "share": (counts / counts.sum(axis=1, keepdims=True)).ravel(),
        })  # fmt: skip
    return dist


def _furthest_behind(pp, total, meets, by, ny, n_people, n_behind, ranks):
    """The ``n_behind`` people with the fewest JP per year, by pseudonym only (ties by it).

    The people are in the order of their pseudonyms, so a person's position orders the
    ties; ``ranks`` (from :func:`_value_ranks`) orders the totals.
    """
    pick = []
    for j in range(ny):
        start = j * n_people
        seg_total = total[start : start + n_people]
        cand = np.flatnonzero(~meets[start : start + n_people])
        k = min(int(n_behind), cand.size)
        if not k:
            continue
        if ranks is not None:  # the k-th total from a histogram of the values' ranks
            vr = ranks[0][start + cand]
            kth = np.searchsorted(np.cumsum(np.bincount(vr)), k)
            less, ties = cand[vr < kth], cand[vr == kth]
        else:
            kth = np.partition(seg_total[cand], k - 1)[k - 1]
            less = cand[seg_total[cand] < kth]
            ties = cand[seg_total[cand] == kth]
        cand = np.concatenate([less, ties[: k - less.size]])  # ties: the first pseudonyms
        order = np.lexsort((cand, seg_total[cand]))
        pick.extend(start + cand[order[:k]])
    behind = pp.iloc[pick][["year", "participant_id", *by, "jp_total", "shortfall"]]
    behind = behind.reset_index(drop=True)
    behind.insert(1, "rank", behind.groupby("year").cumcount().to_numpy() + 1)
    return behind
