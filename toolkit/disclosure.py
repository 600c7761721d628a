"""Small-cell protection: one policy for every group table the toolkit publishes.

A figure computed from a handful of people singles them out: with a group of two, a mean
score is almost their own score, and a group of one is one person. Every table of groups
that the report, the explorer or a notebook shows therefore goes through :func:`suppress`:

* **primary suppression**: a group of fewer than :data:`MIN_GROUP` people (5 unless changed)
  keeps its key but shows no figure;
* **complementary (secondary) suppression**: when the groups of a table add up to a total
  shown elsewhere (units within a cohort, the rows of a table with a total row, shares that
  sum to 100 %), hiding one small group is not enough: the total minus the shown groups
  gives it back. So further groups, the smallest first, are hidden with it until the hidden
  groups of every such partition are at least two and hold at least :data:`MIN_GROUP`
  people together. What can still be derived is then only the sum of several hidden groups,
  never one of them.

Change the threshold per call with ``min_group=`` (every public function that publishes a
group table takes it, defaulting to :data:`MIN_GROUP`), for the report with
``python -m toolkit report --min-group N``; the threshold is a policy of the office that
publishes (5 is the usual floor of statistical offices; some use 10).

Examples
--------
>>> import pandas as pd
>>> units = pd.DataFrame({"cohort": ["A", "A", "A", "B", "B"],
...                       "unit": ["U1", "U2", "U3", "U4", "U5"],
...                       "n": [3, 40, 12, 30, 25], "jp": [24.0, 320.0, 96.0, 240.0, 200.0]})
>>> suppress(units, "n", within="cohort")[["unit", "n", "jp", "suppressed", "suppression"]]
  unit     n     jp  suppressed    suppression
0   U1   NaN    NaN        True        primary
1   U2  40.0  320.0       False           none
2   U3   NaN    NaN        True  complementary
3   U4  30.0  240.0       False           none
4   U5  25.0  200.0       False           none
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["MIN_GROUP", "SUPPRESSION_COLUMNS", "check_min_group", "suppress"]

#: Fewest distinct people a published figure may rest on (the default of every ``min_group``).
MIN_GROUP = 5

#: Columns :func:`suppress` adds (or overwrites), in this order.
SUPPRESSION_COLUMNS = ("suppressed", "suppression", "total_suppressed")


def check_min_group(min_group) -> int:
    """``min_group`` as an int, or a ValueError/TypeError naming it.

    Examples
    --------
    >>> check_min_group(5), check_min_group(10.0)
    (5, 10)
    >>> check_min_group(2.5)
    Traceback (most recent call last):
    ...
    ValueError: `min_group` must be a whole number of people (0 or more), but 2.5 was passed.
    """
    if isinstance(min_group, bool) or not isinstance(min_group, int | float | np.number):
        raise TypeError(
            f"`min_group` must be a whole number, but {type(min_group).__name__} was passed."
        )
    if not np.isfinite(min_group) or min_group < 0 or int(min_group) != min_group:
        raise ValueError(
            "`min_group` must be a whole number of people (0 or more), but "
            f"{min_group!r} was passed."
        )
    return int(min_group)


def _partitionings(table: pd.DataFrame, within) -> list[list[str]]:
    """``within`` as a list of column lists (``[[]]``: the whole table is one partition)."""
    if within is None:
        return [[]]
    if isinstance(within, str):
        return [[within]]
    within = list(within)
    if within and all(isinstance(w, str) for w in within):
        return [within]
    out = [[w] if isinstance(w, str) else list(w) for w in within]
    missing = sorted({c for cols in out for c in cols} - set(table.columns))
    if missing:
        raise KeyError(f"`within` names columns that are not in the table: {missing}.")
    return out or [[]]


def _codes(table: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """Partition code of every row (-1 where a partition column is missing)."""
    if not cols:
        return np.zeros(len(table), dtype=np.int64)
    missing = sorted(set(cols) - set(table.columns))
    if missing:
        raise KeyError(f"`within` names columns that are not in the table: {missing}.")
    keys = table[cols].reset_index(drop=True)
    codes = keys.groupby(cols, sort=False, dropna=True, observed=True).ngroup()
    return codes.fillna(-1).to_numpy(dtype=np.int64)


def _complement(
    counts: np.ndarray, people: np.ndarray, hidden: np.ndarray, codes: np.ndarray, m: int
) -> np.ndarray:
    """Rows to hide as well so that each partition's hidden rows are 0, or ≥ 2 and ≥ m people.

    One vectorised pass: the candidates of each partition (shown, non-empty rows) are ranked
    by count (ties: table order), and the j-th is hidden while, before it, fewer than two rows
    or fewer than ``m`` people are hidden.
    """
    ok = codes >= 0
    ng = int(codes.max(initial=-1)) + 1
    if ng == 0:
        return np.zeros(len(counts), dtype=bool)
    g = np.where(ok, codes, 0)
    protects = hidden & people & ok  # hidden rows about somebody (or an unknown count)
    n_hidden = np.bincount(g, weights=protects, minlength=ng)
    sum_hidden = np.bincount(g, weights=np.where(protects, counts, 0.0), minlength=ng)
    need = (n_hidden >= 1) & ((n_hidden < 2) | (sum_hidden < m))
    cand = np.flatnonzero(ok & ~hidden & (counts > 0) & need[g])
    if cand.size == 0:
        return np.zeros(len(counts), dtype=bool)
    order = cand[np.lexsort((cand, counts[cand], g[cand]))]
    grp = g[order]
    first = np.r_[True, grp[1:] != grp[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(order.size), 0))
    rank = np.arange(order.size) - start  # 0 for the smallest candidate of its partition
    csum = np.cumsum(counts[order])
    before = csum - counts[order] - np.where(start > 0, csum[start - 1], 0.0)
    take = (n_hidden[grp] + rank < 2) | (sum_hidden[grp] + before < m)
    out = np.zeros(len(counts), dtype=bool)
    out[order[take]] = True
    return out


def _unprotected(counts, people, hidden, codes, m) -> np.ndarray:
    """Rows of partitions whose total would give a hidden row back (or is below ``m``)."""
    ok = codes >= 0
    ng = int(codes.max(initial=-1)) + 1
    if ng == 0 or m <= 1:
        return np.zeros(len(counts), dtype=bool)
    g = np.where(ok, codes, 0)
    protects = hidden & people & ok
    n_hidden = np.bincount(g, weights=protects, minlength=ng)
    sum_hidden = np.bincount(g, weights=np.where(protects, counts, 0.0), minlength=ng)
    total = np.bincount(g, weights=np.where(ok, counts, 0.0), minlength=ng)
    bad = ((n_hidden >= 1) & ((n_hidden < 2) | (sum_hidden < m))) | ((total > 0) & (total < m))
    return ok & bad[g]


def suppress(
    table: pd.DataFrame,
    count: str,
    *,
    within=None,
    min_group: int = MIN_GROUP,
    complementary: bool = True,
    keep: Sequence[str] = (),
    force=None,
) -> pd.DataFrame:
    """Primary and complementary suppression of a table of groups, in one vectorised pass.

    Parameters
    ----------
    table : DataFrame
        One row per group: its keys, a count of people and its figures.
    count : str
        Column with the number of distinct people behind each row (for citizen surveys:
        respondents). A missing count is treated as too small.
    within : None, str, list of str, or list of lists of str
        The partitions whose rows add up to a total that is shown (or can be worked out):
        ``None`` (default) treats the whole table as one partition (its rows add up to the
        table's total, a total row, or shares summing to 100 %); a column or list of columns
        gives one partitioning (e.g. ``"cohort"``: units within each cohort); a list of lists
        gives several partitionings of the same rows (a two-way table: rows within columns
        and columns within rows), applied in rounds until nothing changes. A row with a
        missing value in a partition column belongs to no partition of that partitioning.
    min_group : int, default :data:`MIN_GROUP`
        Fewest people a shown row may rest on; 0 or 1 switches suppression off.
    complementary : bool, default True
        False applies the primary rule only: for rows that add up to no shown total.
    keep : sequence of str
        Numeric columns that are keys, not figures (a year, a wave number): never blanked.
    force : array-like of bool, optional
        Rows to suppress whatever their count (e.g. hidden by a policy elsewhere); a
        ``suppressed`` column already in ``table`` counts as ``force`` too.

    Returns
    -------
    DataFrame
        A copy of ``table`` (same index and row order) in which every numeric, non-boolean
        column of a suppressed row, the count included, is NaN (float), except the ``keep``
        and partition columns; with three columns added at the end (or overwritten where
        they are):

        * ``suppressed`` (bool): the row's figures are hidden;
        * ``suppression`` (str): ``"primary"`` (fewer than ``min_group`` people, or forced),
          ``"complementary"`` (hidden to protect another row) or ``"none"``;
        * ``total_suppressed`` (bool): the row's partition holds fewer than ``min_group``
          people in all, or its hidden rows could not be given enough company (too few
          rows with people); **the caller must then hide that partition's total as well**
          (wherever it is printed), since no choice of its rows can protect it.

    Notes
    -----
    The rule, for ``m = min_group``:

    1. *Primary*: a row with ``0 < count < m`` (or a missing count, or forced) is hidden.
       Empty rows (count 0) stay: they describe nobody, and hiding them protects nobody. A
       row with a missing count is hidden and protected as a small one.
    2. *Complementary*: within each partition, let ``k`` be the number of hidden non-empty
       rows and ``s`` their people. While ``k >= 1`` and (``k < 2`` or ``s < m``), the
       shown non-empty row with the fewest people (ties: the first in table order) is hidden
       too. Afterwards every partition hides no row, or at least two rows holding at least
       ``m`` people; "total minus shown rows" then gives only a sum over ``m`` or more people
       in two or more groups, never one group.
    3. With several partitionings, step 2 runs on each in turn until no row changes (at
       most as many rounds as rows; each round is one vectorised pass).
    4. A partition whose total is below ``m``, or whose hidden rows still number one or
       hold fewer than ``m`` people when no shown row is left to add, cannot be protected
       by its rows: ``total_suppressed`` tells the caller to hide its total.

    This is the minimum-frequency rule with the usual heuristic for secondary suppression
    (hide the smallest cells first); it guards against differencing with the totals of the
    partitions given, not against every linear combination of all published tables (which
    needs an optimal cell-suppression solver such as tau-ARGUS' modular method).

    References
    ----------
    Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte Nordholt, E.,
    Spicer, K. & de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley, ch. 5
    (magnitude and frequency tables; secondary suppression, §5.2 and §5.5).

    Examples
    --------
    One small group among shown groups whose total is printed: the next-smallest goes too.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"method": ["workshop", "seminar", "simulation"],
    ...                   "n": [40, 2, 9], "mean_post": [81.0, 55.0, 77.5]})
    >>> suppress(t, "n")
           method     n  mean_post  suppressed    suppression  total_suppressed
    0    workshop  40.0       81.0       False           none             False
    1     seminar   NaN        NaN        True        primary             False
    2  simulation   NaN        NaN        True  complementary             False

    Two small groups that together hold ``min_group`` people protect each other:

    >>> suppress(t.assign(n=[40, 2, 3]), "n")["suppression"].tolist()
    ['none', 'primary', 'primary']

    A partition whose total is too small: every row hidden, and the caller learns that the
    total must go as well.

    >>> u = pd.DataFrame({"cohort": ["A", "A", "B"], "n": [2, 1, 50], "jp": [16.0, 8.0, 400.0]})
    >>> out = suppress(u, "n", within="cohort")
    >>> out[["cohort", "suppressed", "total_suppressed"]]
      cohort  suppressed  total_suppressed
    0      A        True              True
    1      A        True              True
    2      B       False             False

    Rows that add up to no shown total (items answered by the same people) need the primary
    rule only:

    >>> items = pd.DataFrame({"item": ["R01", "R02"], "n": [3, 30], "top2": [66.7, 80.0]})
    >>> suppress(items, "n", complementary=False)["suppressed"].tolist()
    [True, False]
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"`table` must be a DataFrame, but {type(table).__name__} was passed.")
    if count not in table.columns:
        raise KeyError(f"`count` column {count!r} is not in the table.")
    m = check_min_group(min_group)
    parts = _partitionings(table, within)
    raw = pd.to_numeric(table[count], errors="coerce").to_numpy(dtype="float64")
    counts = np.nan_to_num(raw, nan=0.0)
    primary = np.isnan(raw) | ((counts > 0) & (counts < m))
    if force is not None:
        primary |= np.asarray(force, dtype=bool).reshape(-1)
    if "suppressed" in table.columns:
        primary |= table["suppressed"].fillna(True).to_numpy(dtype=bool)
    hidden = primary.copy()
    people = (counts > 0) | np.isnan(raw)
    codes = [_codes(table, cols) for cols in parts]
    if complementary and m > 1:
        for _ in range(len(table) + 1):  # each round hides at least one more row, or stops
            added = np.zeros(len(table), dtype=bool)
            for g in codes:
                more = _complement(counts, people, hidden | added, g, m)
                added |= more
            if not added.any():
                break
            hidden |= added
    short = np.zeros(len(table), dtype=bool)
    for g in codes:
        short |= _unprotected(counts, people, hidden, g, m)
    out = table.copy()
    fixed = {*keep, *(c for cols in parts for c in cols), *SUPPRESSION_COLUMNS}
    if hidden.any():
        mask = pd.Series(hidden, index=out.index)
        for col in out.columns:
            s = out[col]
            if col in fixed or pd.api.types.is_bool_dtype(s):
                continue
            if pd.api.types.is_numeric_dtype(s):
                out[col] = s.astype("float64").mask(mask)
    out["suppressed"] = hidden  # in place when the table had it, else at the end
    out["suppression"] = pd.Series(
        np.where(primary, "primary", np.where(hidden, "complementary", "none")),
        index=out.index,
        dtype="str",
    )
    out["total_suppressed"] = short
    return out
