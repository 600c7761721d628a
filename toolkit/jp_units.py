"""JP arithmetic: lesson hours (JP, 45 minutes) from minutes and back, and JP by year.

Used by :mod:`toolkit.participation` (the 20 JP right), which re-exports these functions:
import them from either module.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.roi import JP_MINUTES
from toolkit.validation import check_columns, check_one_of

__all__ = ["JP_MINUTES", "jp_by_year", "jp_to_minutes", "minutes_to_jp"]

_YEAR_BY = ("end", "start", "prorate")
_ROUNDING = ("exact", "floor", "nearest")


def minutes_to_jp(minutes, *, rounding: str = "exact"):
    """Convert minutes of development to lesson hours (JP): 1 JP = 45 minutes.

    Parameters
    ----------
    minutes : float or array-like
        Minutes (not negative).
    rounding : {"exact", "floor", "nearest"}
        ``"exact"`` keeps fractions (60 minutes = 1.33 JP); ``"floor"`` counts only complete
        JP (what a certificate usually states); ``"nearest"`` rounds half up.

    Returns
    -------
    float or numpy.ndarray

    Notes
    -----
    :math:`\\mathrm{JP} = \\text{minutes} / 45`. The floor is taken with a tolerance of
    :math:`10^{-9}` so that 90 minutes stored as 89.9999999999 still gives 2 JP.

    References
    ----------
    Peraturan LAN No. 10 Tahun 2018 tentang Pengembangan Kompetensi PNS (1 JP = 45 menit).

    Examples
    --------
    >>> minutes_to_jp(90), minutes_to_jp(60), minutes_to_jp(60, rounding="floor")
    (2.0, 1.3333333333333333, 1.0)
    >>> minutes_to_jp([45, 112.5, 0], rounding="nearest")
    array([1., 3., 0.])
    """
    check_one_of("rounding", rounding, _ROUNDING)
    m = np.asarray(minutes, dtype="float64")
    if np.any(m < 0) or np.any(np.isnan(m)):
        raise ValueError("`minutes` must be numbers of at least 0 (no missing values).")
    jp = m / JP_MINUTES
    if rounding == "floor":
        jp = np.floor(jp + 1e-9)
    elif rounding == "nearest":
        jp = np.floor(jp + 0.5 + 1e-9)
    return float(jp) if jp.ndim == 0 else jp


def jp_to_minutes(jp):
    """Convert lesson hours (JP) to minutes: 1 JP = 45 minutes.

    Examples
    --------
    >>> jp_to_minutes(20), jp_to_minutes([1, 2.5])
    (900.0, array([ 45. , 112.5]))
    """
    x = np.asarray(jp, dtype="float64") * JP_MINUTES
    return float(x) if x.ndim == 0 else x


def jp_by_year(sessions: pd.DataFrame, *, year_by: str = "end") -> pd.DataFrame:
    """The calendar year (or years) a session's JP count towards.

    Parameters
    ----------
    sessions : DataFrame
        ``session_id, start_date, end_date``.
    year_by : {"end", "start", "prorate"}
        ``"end"`` (default): the whole session counts in the year of its last day, when the
        certificate is issued and the hours are recorded; ``"start"``: the year of its first
        day; ``"prorate"``: JP are spread evenly over the calendar days of the session, so a
        session from 30 December to 2 January puts half of its JP in each year.

    Returns
    -------
    DataFrame
        ``session_id, year, share``: one row per session and year, ``share`` the fraction of
        the session's JP in that year (1 except with ``"prorate"``); shares sum to 1.

    Notes
    -----
    With ``"prorate"``, a session of :math:`D` calendar days (both ends included) with
    :math:`d_y` of them in year :math:`y` puts :math:`d_y / D` of its JP in year :math:`y`.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["S1", "S2"],
    ...                   "start_date": pd.to_datetime(["2024-12-30", "2024-03-01"]),
    ...                   "end_date": pd.to_datetime(["2025-01-02", "2024-03-02"])})
    >>> jp_by_year(s)
      session_id  year  share
    0         S1  2025    1.0
    1         S2  2024    1.0
    >>> jp_by_year(s, year_by="prorate")
      session_id  year  share
    0         S1  2024    0.5
    1         S1  2025    0.5
    2         S2  2024    1.0
    """
    check_one_of("year_by", year_by, _YEAR_BY)
    check_columns(sessions, ["session_id", "start_date", "end_date"], param="sessions")
    start = pd.to_datetime(sessions["start_date"]).to_numpy("datetime64[D]")
    end = pd.to_datetime(sessions["end_date"]).to_numpy("datetime64[D]")
    if np.any(np.isnat(start) | np.isnat(end)) or np.any(end < start):
        raise ValueError(
            "`sessions` needs a start_date and an end_date not before it on every row."
        )
    sid = sessions["session_id"].astype("str").to_numpy()
    y0 = start.astype("datetime64[Y]").astype(int) + 1970
    y1 = end.astype("datetime64[Y]").astype(int) + 1970
    if year_by != "prorate":
        year = y1 if year_by == "end" else y0
        return pd.DataFrame({"session_id": sid, "year": year, "share": 1.0})
    span = y1 - y0 + 1
    rep = np.repeat(np.arange(len(sid)), span)
    year = y0[rep] + (np.arange(rep.size) - np.repeat(np.cumsum(span) - span, span))
    first = np.maximum(start[rep], (year - 1970).astype("datetime64[Y]").astype("datetime64[D]"))
    last = np.minimum(end[rep], (year - 1969).astype("datetime64[Y]").astype("datetime64[D]") - 1)
    days = (last - first).astype(int) + 1
    total = (end - start).astype(int)[rep] + 1
    return pd.DataFrame({"session_id": sid[rep], "year": year, "share": days / total})
