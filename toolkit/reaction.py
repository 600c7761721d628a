"""Level 1 (reaction): Likert item summaries and the learning Net Promoter Score.

Reaction surveys are the end-of-session questionnaires of Kirkpatrick's first level. This
module turns the long ``reaction`` table (one row per respondent and item) into the
per-item figures a report needs, for every group at once:

* :func:`likert_summary`: counts and percentages of **every** scale point (zeros kept),
  shares below / at / above the neutral point, top-2 and bottom-2 box with Wilson
  intervals, mean, SD and the numbers behind them; "tidak tahu" answers counted apart.
* :func:`likert_points`: the same counts as a long table, one row per scale point.
* :func:`net_promoter_score`: the learning NPS of the 0–10 "would you recommend" item with a
  confidence interval (adjusted Wald, Wald or bootstrap).
* :func:`wilson_interval`: the Wilson score interval used throughout.

Missing-data policy (all functions)
-----------------------------------
A response equal to ``na_code`` (:data:`toolkit.schema.NA_CODE`, 99 = "tidak tahu" / not
applicable) is **not** an answer on the scale: it is counted in ``n_na`` and left out of
every percentage, mean and interval. An empty response is counted in ``n_missing`` and left
out likewise. ``n`` is always the number of answers on the scale, the denominator of every
percentage; ``n_total = n + n_na + n_missing``. Rows whose ``by`` value is missing are
dropped, as in ``pandas.DataFrame.groupby``. Only groups present in the data are reported.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"session_id": ["S1"] * 4 + ["S2"] * 3,
...                    "item_code": "R01",
...                    "response": pd.array([5, 4, 4, 99, 2, 3, None], dtype="Int16")})
>>> out = likert_summary(df, by="session_id", scale=(1, 5))
>>> out[["session_id", "n", "n_na", "n_missing", "count_1", "count_4", "top2_pct"]]
  session_id  n  n_na  n_missing  count_1  count_4  top2_pct
0         S1  3     1          0        0        2     100.0
1         S2  2     0          1        0        0       0.0
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from toolkit.schema import NA_CODE
from toolkit.validation import as_list, check_columns, check_number, check_one_of, closest

__all__ = [
    "LABELS",
    "NPS_METHODS",
    "SUMMARY_COLUMNS",
    "NPS_COLUMNS",
    "likert_summary",
    "likert_points",
    "net_promoter_score",
    "wilson_interval",
]

#: Labels of this module's headings (see :mod:`toolkit.i18n`).
LABELS: dict[str, dict[str, str]] = {
    "likert_share": {"id": "Persentase jawaban (%)", "en": "Share of answers (%)"},
    "below_neutral": {"id": "Di bawah netral", "en": "Below neutral"},
    "neutral": {"id": "Netral", "en": "Neutral"},
    "above_neutral": {"id": "Di atas netral", "en": "Above neutral"},
    "top2": {"id": "Dua kategori teratas (top-2 box)", "en": "Top-2 box"},
    "bottom2": {"id": "Dua kategori terbawah (bottom-2 box)", "en": "Bottom-2 box"},
    "not_applicable": {"id": "Tidak tahu / tidak berlaku", "en": "Don't know / not applicable"},
    "nps": {"id": "Net Promoter Score (NPS)", "en": "Net Promoter Score (NPS)"},
    "promoters": {"id": "Promotor (9–10)", "en": "Promoters (9–10)"},
    "passives": {"id": "Pasif (7–8)", "en": "Passives (7–8)"},
    "detractors": {"id": "Detraktor (0–6)", "en": "Detractors (0–6)"},
}

#: Interval methods of :func:`net_promoter_score`.
NPS_METHODS = ("adjusted_wald", "wald", "bootstrap")

#: Columns of :func:`likert_summary` that follow the group and item columns (the per-point
#: ``count_<p>`` and ``pct_<p>`` columns come after them).
SUMMARY_COLUMNS = (
    "scale_min", "scale_max", "reversed", "n", "n_na", "n_missing", "n_total", "mean", "sd",
    "pct_below_neutral", "pct_neutral", "pct_above_neutral", "bottom2_pct", "bottom2_ci_low",
    "bottom2_ci_high", "top2_pct", "top2_ci_low", "top2_ci_high", "confidence", "ci_method",
)  # fmt: skip

#: Columns of :func:`net_promoter_score` that follow the group columns.
NPS_COLUMNS = (
    "item_code", "n", "n_na", "n_missing", "n_total", "n_promoters", "n_passives",
    "n_detractors", "pct_promoters", "pct_passives", "pct_detractors", "estimate", "se",
    "ci_low", "ci_high", "confidence", "ci_method",
)  # fmt: skip


# --------------------------------------------------------------------------------------
# Wilson interval
# --------------------------------------------------------------------------------------
def wilson_interval(count, n, *, confidence: float = 0.95):
    r"""Wilson score interval for a binomial proportion, vectorised.

    Parameters
    ----------
    count : int or array-like of int
        Number of "successes" (e.g. answers in the top-2 box).
    n : int or array-like of int
        Number of trials (answers on the scale); broadcast against ``count``.
    confidence : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    low, high : float or numpy.ndarray
        Limits as proportions in [0, 1]; NaN where ``n`` is 0.

    Notes
    -----
    With :math:`\hat p = x/n` and :math:`z = \Phi^{-1}(1 - \alpha/2)`, the interval is

    .. math::

        \frac{\hat p + \frac{z^2}{2n} \pm z\sqrt{\frac{\hat p(1-\hat p)}{n}
        + \frac{z^2}{4n^2}}}{1 + z^2/n},

    the set of proportions not rejected by the score test (Wilson 1927). It never leaves
    [0, 1], always contains :math:`\hat p` and keeps close to nominal coverage for small
    :math:`n` and proportions near 0 or 1, where the Wald interval fails (Newcombe 1998;
    Brown, Cai & DasGupta 2001). The limits are set exactly to 0 when :math:`x = 0` and to
    1 when :math:`x = n`. Same values as ``statsmodels.stats.proportion.proportion_confint(
    method="wilson")``.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. JASA 22(158), 209–212. https://doi.org/10.1080/01621459.1927.10502953
    .. [2] Newcombe, R. G. (1998). Two-sided confidence intervals for the single
       proportion: comparison of seven methods. Statistics in Medicine 17(8), 857–872.
       https://doi.org/10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E
    .. [3] Brown, L. D., Cai, T. T., & DasGupta, A. (2001). Interval estimation for a
       binomial proportion. Statistical Science 16(2), 101–133.
       https://doi.org/10.1214/ss/1009213286

    Examples
    --------
    Newcombe's (1998) first illustrative example, 81 of 263:

    >>> low, high = wilson_interval(81, 263)
    >>> round(low, 4), round(high, 4)
    (0.2553, 0.3662)
    >>> wilson_interval([0, 5], [20, 5])[1]
    array([0.1611, 1.    ])
    """
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    x = np.asarray(count, dtype="float64")
    m = np.asarray(n, dtype="float64")
    x, m = np.broadcast_arrays(x, m)
    if np.any(x < 0) or np.any(x > m) or np.any(m < 0):
        raise ValueError(
            "`count` must lie between 0 and `n` (and `n` must not be negative), element by element."
        )
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / m
        denom = 1 + z**2 / m
        centre = (p + z**2 / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2)) / denom
    low = np.where(x == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(x == m, 1.0, np.clip(centre + half, 0.0, 1.0))
    low = np.where(m == 0, np.nan, low)
    high = np.where(m == 0, np.nan, high)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


# --------------------------------------------------------------------------------------
# Grouping in one vectorised pass
# --------------------------------------------------------------------------------------
def _group_index(columns: dict[str, object], n_rows: int) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group id of every row, and the observed groups in sorted order.

    ``columns`` maps output names to Series/Categoricals of length ``n_rows``. Categorical
    keys keep their category order (and dtype); other keys are sorted. Rows with a missing
    key get id -1. No Python loop runs over rows or groups: keys are combined with a mixed
    radix (or, for very large key spaces, by successive ``pandas.factorize``).
    """
    if not columns:
        return np.zeros(n_rows, dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    codes_list, levels, dtypes = [], [], []
    for s in columns.values():
        if isinstance(getattr(s, "dtype", None), pd.CategoricalDtype):
            cat = s.cat if isinstance(s, pd.Series) else s
            codes_list.append(np.asarray(cat.codes, dtype=np.int64))
            levels.append(cat.categories)
            dtypes.append(s.dtype)
        else:
            codes, uniques = pd.factorize(s, sort=True)
            codes_list.append(np.asarray(codes, dtype=np.int64))
            levels.append(pd.Index(uniques))
            dtypes.append(None)
    valid = np.logical_and.reduce([c >= 0 for c in codes_list])
    dims = [max(len(lv), 1) for lv in levels]
    size = math.prod(dims)
    if size <= max(4 * n_rows, 1 << 20):
        key = np.ravel_multi_index([np.where(valid, c, 0) for c in codes_list], dims)
        observed = np.flatnonzero(np.bincount(key[valid], minlength=size))
        remap = np.full(size, -1, dtype=np.int64)
        remap[observed] = np.arange(observed.size)
        gid = np.where(valid, remap[key], -1)
        parts = np.unravel_index(observed, dims)
    else:  # huge key space: combine keys step by step, keeping ranks small
        key = np.where(valid, codes_list[0], 0)
        for c, d in zip(codes_list[1:], dims[1:], strict=True):
            key = pd.factorize(key * d + np.where(valid, c, 0), sort=True)[0].astype(np.int64)
        ranks, _ = pd.factorize(np.where(valid, key, -1), sort=True)
        ranks = np.asarray(ranks, dtype=np.int64)
        gid = np.where(valid, ranks - (0 if valid.all() else 1), -1)
        n_groups = int(gid.max()) + 1 if gid.size else 0
        first = np.full(n_groups, -1, dtype=np.int64)
        rows = np.flatnonzero(gid >= 0)[::-1]
        first[gid[rows]] = rows
        parts = [c[first] for c in codes_list]
    keys = {}
    for name, part, level, dtype in zip(columns, parts, levels, dtypes, strict=True):
        if dtype is not None:
            keys[name] = pd.Categorical.from_codes(part, dtype=dtype)
        else:
            keys[name] = level.take(part)
    return gid.astype(np.int64), pd.DataFrame(keys)


def _check_by(by, df, reserved) -> list[str]:
    by = check_columns(df, by, param="by")
    clash = [b for b in by if b in reserved]
    if clash:
        raise ValueError(
            f"`by` names column {clash[0]!r}, which is also an output column of this "
            "function; rename it first, e.g. df.rename(columns={"
            f"{clash[0]!r}: {clash[0] + '_group'!r}}})."
        )
    return by


def _numeric_responses(s: pd.Series, param: str = "response") -> tuple[np.ndarray, np.ndarray]:
    """Answers as int64 (missing ones as -1) and the missing mask; whole numbers required."""
    missing = s.isna().to_numpy()
    if pd.api.types.is_integer_dtype(s.dtype):  # int64, Int16 …: no conversion check needed
        return s.to_numpy(dtype="int64", na_value=-1), missing
    try:
        values = s.to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"column {param!r} must hold whole numbers (or be empty), but has dtype "
            f"{s.dtype}; convert it with pd.to_numeric first."
        ) from err
    filled = np.where(missing, -1.0, values)
    frac = np.mod(filled, 1) != 0
    if frac.any():
        raise ValueError(
            f"column {param!r} must hold whole numbers, but has {values[frac][0]!r} "
            f"(row {int(np.flatnonzero(frac)[0])})."
        )
    return filled.astype(np.int64), missing


def _item_series(df: pd.DataFrame, items) -> pd.Series:
    """The item column, restricted (and ordered) to ``items`` when given."""
    s = df["item_code"]
    if items is None:
        return s
    items = [str(i) for i in as_list(items)]
    if len(set(items)) != len(items):
        raise ValueError(f"`items` lists an item more than once: {items!r}.")
    present = set(pd.unique(s.dropna().astype("str")))
    absent = [i for i in items if i not in present]
    if absent:
        near = closest(absent[0], sorted(present))
        hint = f" Did you mean {near!r}?" if near else ""
        raise KeyError(f"`items` names item {absent[0]!r}, which has no rows in the data.{hint}")
    wanted = pd.Index(items)
    if isinstance(s.dtype, pd.CategoricalDtype):  # recode the categories, not the rows
        lookup = np.append(wanted.get_indexer(s.cat.categories.astype("str")), -1)
        codes = lookup[np.asarray(s.cat.codes)]
    else:
        codes = wanted.get_indexer(s.astype("str"))
    return pd.Series(pd.Categorical.from_codes(codes, categories=wanted), index=s.index)


def _scales(item_codes: pd.Index, instruments, scale) -> tuple[np.ndarray, ...]:
    """scale_min, scale_max and reverse_keyed for each item code."""
    k = len(item_codes)
    rev = np.zeros(k, dtype=bool)
    if instruments is not None:
        check_columns(instruments, ["item_code", "scale_min", "scale_max"], param="instruments")
        bank = instruments.assign(item_code=instruments["item_code"].astype("str"))
        bank = bank.drop_duplicates("item_code").set_index("item_code")
        missing = [c for c in item_codes if c not in bank.index]
        if missing and scale is None:
            raise KeyError(
                f"item {missing[0]!r} is not in `instruments`; add it to the item bank or "
                "pass scale=(min, max) for every item."
            )
        found = bank.reindex(item_codes)
        if "reverse_keyed" in found.columns:
            rev = found["reverse_keyed"].fillna(False).to_numpy(dtype=bool)
        if scale is None:
            return (
                found["scale_min"].to_numpy(dtype=np.int64),
                found["scale_max"].to_numpy(dtype=np.int64),
                rev,
            )
    return np.full(k, scale[0], dtype=np.int64), np.full(k, scale[1], dtype=np.int64), rev


def _check_scale(scale, na_code):
    if scale is None:
        return None
    ok = (
        isinstance(scale, tuple | list)
        and len(scale) == 2
        and all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in scale)
        and 0 <= scale[0] < scale[1] < na_code
    )
    if not ok:
        raise ValueError(
            f"`scale` must be a pair of whole numbers (min, max) with 0 <= min < max < "
            f"{na_code}, such as (1, 5), but {scale!r} was passed."
        )
    return (int(scale[0]), int(scale[1]))


# --------------------------------------------------------------------------------------
# Likert summary
# --------------------------------------------------------------------------------------
def likert_summary(
    df: pd.DataFrame,
    *,
    items=None,
    by=None,
    instruments: pd.DataFrame | None = None,
    scale: tuple[int, int] | None = None,
    reverse: bool = False,
    confidence: float = 0.95,
    na_code: int = NA_CODE,
) -> pd.DataFrame:
    r"""Per-item (and per-group) summary of Likert answers, every scale point included.

    Parameters
    ----------
    df : DataFrame
        Long answers, one row per respondent and item, with columns ``item_code`` and
        ``response`` (the ``reaction`` table of :mod:`toolkit.data`) and the ``by`` columns.
        To group by a session attribute such as ``method``, merge ``sessions`` in first.
    items : str or list of str, optional
        Items to summarise, in this order. Default: every item with rows, in the order of
        the ``item_code`` categories (sorted when not categorical).
    by : str or list of str, optional
        Columns of ``df`` to group by; every group is computed in one vectorised pass.
    instruments : DataFrame, optional
        Item bank with ``item_code``, ``scale_min``, ``scale_max`` (and ``reverse_keyed``),
        giving each item its scale. Required unless ``scale`` is given.
    scale : (int, int), optional
        ``(min, max)`` of the scale, applied to every item; takes precedence over the
        scale columns of ``instruments`` (which then only supplies ``reverse_keyed``).
    reverse : bool, default False
        If True, reverse-keyed items (``instruments.reverse_keyed``) are recoded
        :math:`x \mapsto \min + \max - x` before anything is counted, so that a high answer
        is favourable for every item; the ``reversed`` column says where this happened.
    confidence : float, default 0.95
        Level of the Wilson intervals of the top-2 and bottom-2 boxes.
    na_code : int, default 99
        The "tidak tahu" / not-applicable code, kept outside the scale.

    Returns
    -------
    DataFrame
        One row per group and item (groups in sorted or category order, then items), with
        the ``by`` columns, ``item_code``, then:

        * ``scale_min``, ``scale_max``, ``reversed`` (bool);
        * ``n`` answers on the scale (the denominator of every percentage), ``n_na``
          ("tidak tahu"), ``n_missing`` (empty), ``n_total``;
        * ``mean`` and ``sd`` (sample SD, divisor n − 1; NaN below n = 2);
        * ``pct_below_neutral``, ``pct_neutral``, ``pct_above_neutral`` in percent (on an
          even scale there is no neutral point: ``pct_neutral`` is NaN and below/above are
          the lower and upper halves);
        * ``bottom2_pct`` / ``top2_pct`` (two lowest / highest points) with Wilson limits
          ``bottom2_ci_low`` … ``top2_ci_high``, in percent (NaN on scales of fewer than
          four points, where two points are half the scale or more);
        * ``confidence``, ``ci_method`` (``"wilson"``);
        * ``count_<p>`` (Int64) and ``pct_<p>`` (float) for every point ``p`` of the
          scales present, in scale order. A point on an item's scale that nobody chose
          has count 0; a point that is not on the item's scale (when items of different
          scales are summarised together) is ``<NA>``/NaN.

        :func:`likert_points` reshapes the per-point columns to a long table.

    Raises
    ------
    ValueError
        If an answer is neither on its item's scale, nor ``na_code``, nor empty.
    KeyError
        If a column, an item of ``items`` or an item of the bank is missing.

    Notes
    -----
    With :math:`c_p` the count of point :math:`p` and :math:`n = \sum_p c_p`: percentage
    :math:`100\,c_p/n`; mean :math:`\bar x = \sum_p p\,c_p/n`;
    :math:`s = \sqrt{\sum_p c_p (p-\bar x)^2/(n-1)}`. The neutral point of a scale
    :math:`[a, b]` is :math:`(a+b)/2` when :math:`b-a` is even. Top-2 box = share of
    :math:`\{b-1, b\}`, bottom-2 box = share of :math:`\{a, a+1\}`; their intervals are
    Wilson score intervals (see :func:`wilson_interval`). All figures are computed from
    one ``numpy.bincount`` of (group, item, point) codes, so grouping costs one pass.

    The missing-data policy is in the module docstring: "tidak tahu" and empty answers
    are reported (``n_na``, ``n_missing``) but never enter a percentage.

    References
    ----------
    .. [1] Robbins, N. B., & Heiberger, R. M. (2011). Plotting Likert and other rating
       scales. Proceedings of the 2011 Joint Statistical Meeting, Section on Survey
       Research Methods, 1058–1066.
    .. [2] Wilson, E. B. (1927). https://doi.org/10.1080/01621459.1927.10502953

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"item_code": ["R01"] * 6 + ["R02"] * 6,
    ...                    "response": [5, 4, 4, 3, 99, 4,  1, 2, 2, 5, 4, None]})
    >>> bank = pd.DataFrame({"item_code": ["R01", "R02"], "scale_min": 1, "scale_max": 5,
    ...                      "reverse_keyed": [False, True]})
    >>> out = likert_summary(df, instruments=bank)
    >>> out[["item_code", "n", "n_na", "n_missing", "mean", "top2_pct", "pct_neutral"]]
      item_code  n  n_na  n_missing  mean  top2_pct  pct_neutral
    0       R01  5     1          0   4.0      80.0         20.0
    1       R02  5     0          1   2.8      40.0          0.0
    >>> out.filter(like="count_").to_numpy().tolist()
    [[0, 0, 1, 3, 1], [1, 2, 0, 1, 1]]
    >>> likert_summary(df, instruments=bank, reverse=True).loc[1, "mean"]
    np.float64(3.2)
    """
    check_columns(df, ["item_code", "response"], param="df")
    reserved = ("item_code", *SUMMARY_COLUMNS)
    by = _check_by(by, df, reserved)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_one_of("reverse", reverse, (False, True))
    scale = _check_scale(scale, na_code)
    if scale is None and instruments is None:
        raise ValueError(
            "the scale of the items is unknown: pass instruments=data.instruments (the item "
            "bank) or scale=(min, max), e.g. scale=(1, 5)."
        )
    if reverse and instruments is None:
        raise ValueError("reverse=True needs `instruments` with a reverse_keyed column.")

    item_s = _item_series(df, items)
    gid, keys = _group_index({**{b: df[b] for b in by}, "item_code": item_s}, len(df))
    n_groups = len(keys)
    item_level = keys["item_code"].astype("str")
    lo_g, hi_g, rev_g = _scales(pd.Index(item_level), instruments, scale)
    rev_g = rev_g & bool(reverse)

    v, missing = _numeric_responses(df["response"])  # one pass per row-level array below
    keep = gid >= 0
    is_na = keep & (v == na_code)
    is_missing = keep & missing
    is_valid = keep & ~missing & (v != na_code)
    one_scale = n_groups == 0 or (lo_g.min() == lo_g.max() and hi_g.min() == hi_g.max())
    if one_scale:  # the usual case: no per-row scale lookup
        lo_r = hi_r = None
        bad = is_valid & ((v < (lo_g[0] if n_groups else 0)) | (v > (hi_g[0] if n_groups else 0)))
    else:
        g = np.where(keep, gid, 0)
        lo_r, hi_r = lo_g[g], hi_g[g]
        bad = is_valid & ((v < lo_r) | (v > hi_r))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{int(bad.sum())} answer(s) lie off their item's scale and are not the "
            f"'tidak tahu' code {na_code}: e.g. item {item_level.iloc[gid[row]]!r} "
            f"(scale {lo_g[gid[row]]}–{hi_g[gid[row]]}) has response {v[row]} in row {row}. "
            "Correct the data, or set the right scale in the item bank."
        )
    if rev_g.any():
        g = np.where(keep, gid, 0)
        v = np.where(rev_g[g], lo_g[g] + hi_g[g] - v, v)

    vmin = int(lo_g.min()) if n_groups else 0
    vmax = int(hi_g.max()) if n_groups else 0
    k = vmax - vmin + 1 if n_groups else 0
    cell = (gid * k + (v - vmin))[is_valid]
    counts = np.bincount(cell, minlength=n_groups * k).reshape(n_groups, k)
    n_na = np.bincount(gid[is_na], minlength=n_groups)
    n_missing = np.bincount(gid[is_missing], minlength=n_groups)

    points = np.arange(vmin, vmin + k)
    on_scale = (points >= lo_g[:, None]) & (points <= hi_g[:, None])
    n = counts.sum(axis=1)
    width = hi_g - lo_g + 1
    mid = (lo_g + hi_g) / 2
    box_ok = width >= 4
    top2 = (counts * (points >= (hi_g - 1)[:, None])).sum(axis=1)
    bottom2 = (counts * (points <= (lo_g + 1)[:, None])).sum(axis=1)
    t_low, t_high = wilson_interval(top2, n, confidence=confidence)
    b_low, b_high = wilson_interval(bottom2, n, confidence=confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (counts * points).sum(axis=1) / n
        ss = (counts * (points - mean[:, None]) ** 2).sum(axis=1)
        sd = np.where(n >= 2, np.sqrt(ss / (n - 1)), np.nan)
        pct = 100 * counts / n[:, None]
        below = 100 * (counts * (points < mid[:, None])).sum(axis=1) / n
        above = 100 * (counts * (points > mid[:, None])).sum(axis=1) / n
        neutral = np.where(
            width % 2 == 1, 100 * (counts * (points == mid[:, None])).sum(1) / n, np.nan
        )
        top2_pct = np.where(box_ok, 100 * top2 / n, np.nan)
        bottom2_pct = np.where(box_ok, 100 * bottom2 / n, np.nan)

    cols = {
        "scale_min": lo_g,
        "scale_max": hi_g,
        "reversed": rev_g,
        "n": n,
        "n_na": n_na,
        "n_missing": n_missing,
        "n_total": n + n_na + n_missing,
        "mean": mean,
        "sd": sd,
        "pct_below_neutral": below,
        "pct_neutral": neutral,
        "pct_above_neutral": above,
        "bottom2_pct": bottom2_pct,
        "bottom2_ci_low": np.where(box_ok, 100 * b_low, np.nan),
        "bottom2_ci_high": np.where(box_ok, 100 * b_high, np.nan),
        "top2_pct": top2_pct,
        "top2_ci_low": np.where(box_ok, 100 * t_low, np.nan),
        "top2_ci_high": np.where(box_ok, 100 * t_high, np.nan),
        "confidence": np.full(n_groups, float(confidence)),
        "ci_method": np.full(n_groups, "wilson", dtype=object),
    }
    for j, p in enumerate(points):
        cols[f"count_{p}"] = pd.arrays.IntegerArray(counts[:, j].astype(np.int64), ~on_scale[:, j])
    for j, p in enumerate(points):
        cols[f"pct_{p}"] = np.where(on_scale[:, j], pct[:, j], np.nan)
    out = pd.concat([keys, pd.DataFrame(cols, index=keys.index)], axis=1)
    out["ci_method"] = out["ci_method"].astype("str")
    return out


def likert_points(summary: pd.DataFrame) -> pd.DataFrame:
    """Reshape the per-point columns of :func:`likert_summary` to a long table.

    Parameters
    ----------
    summary : DataFrame
        Output of :func:`likert_summary` (possibly filtered or sorted).

    Returns
    -------
    DataFrame
        The group columns and ``item_code`` of ``summary``, then ``point`` (int),
        ``count`` (int) and ``pct`` (percent of ``n``), one row per point **on each
        item's scale** (unused points kept with count 0), in the row order of ``summary``
        and ascending point order.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"item_code": "R01", "response": [4, 4, 5, 99]})
    >>> likert_points(likert_summary(df, scale=(1, 5)))
      item_code  point  count   pct
    0       R01      1      0   0.0
    1       R01      2      0   0.0
    2       R01      3      0   0.0
    3       R01      4      2  66.7
    4       R01      5      1  33.3
    """
    count_cols = [c for c in summary.columns if c.startswith("count_")]
    if "item_code" not in summary.columns or not count_cols:
        raise ValueError(
            "`summary` must be the output of likert_summary (it needs item_code and the "
            "count_<point> columns)."
        )
    id_cols = [
        c
        for c in summary.columns
        if c not in SUMMARY_COLUMNS and not c.startswith(("count_", "pct_"))
    ]
    points = np.array([int(c.removeprefix("count_")) for c in count_cols])
    counts = summary[count_cols].to_numpy(dtype="float64", na_value=np.nan)
    pcts = summary[[f"pct_{p}" for p in points]].to_numpy(dtype="float64")
    rows, cols = np.nonzero(~np.isnan(counts))
    out = summary[id_cols].iloc[rows].reset_index(drop=True)
    out["point"] = points[cols]
    out["count"] = counts[rows, cols].astype(np.int64)
    out["pct"] = pcts[rows, cols]
    return out


# --------------------------------------------------------------------------------------
# Net Promoter Score
# --------------------------------------------------------------------------------------
def _pick_nps_item(df, item, instruments) -> str:
    codes = pd.unique(df["item_code"].dropna().astype("str"))
    if item is not None:
        item = str(item)
        if item not in set(codes):
            near = closest(item, sorted(codes))
            hint = f" Did you mean {near!r}?" if near else ""
            raise KeyError(f"`item` {item!r} has no rows in the data.{hint}")
        return item
    if len(codes) == 1:
        return str(codes[0])
    if instruments is not None:
        check_columns(instruments, ["item_code", "scale_min", "scale_max"], param="instruments")
        bank = instruments[(instruments["scale_min"] == 0) & (instruments["scale_max"] == 10)]
        cand = sorted(set(bank["item_code"].astype("str")) & set(codes))
        if len(cand) == 1:
            return cand[0]
    raise ValueError(
        "cannot tell which item is the 0–10 'would you recommend' item: pass item=..., "
        f"one of {sorted(codes)!r}."
    )


def net_promoter_score(
    df: pd.DataFrame,
    *,
    item: str | None = None,
    by=None,
    instruments: pd.DataFrame | None = None,
    confidence: float = 0.95,
    method: str = "adjusted_wald",
    n_boot: int = 2000,
    seed: int | None = 0,
    na_code: int = NA_CODE,
) -> pd.DataFrame:
    r"""Learning Net Promoter Score of a 0–10 item, with a confidence interval, per group.

    Parameters
    ----------
    df : DataFrame
        Long answers with ``item_code``, ``response`` and the ``by`` columns.
    item : str, optional
        Item code of the 0–10 "would you recommend this training" question. Optional when
        ``df`` holds one item, or when ``instruments`` has exactly one 0–10 item in ``df``.
    by : str or list of str, optional
        Grouping columns; every group in one vectorised pass.
    instruments : DataFrame, optional
        Item bank, only used to find ``item``.
    confidence : float, default 0.95
        Confidence level.
    method : {"adjusted_wald", "wald", "bootstrap"}, default "adjusted_wald"
        Interval method (see Notes).
    n_boot : int, default 2000
        Bootstrap resamples (``method="bootstrap"``).
    seed : int or None, default 0
        Seed of ``numpy.random.default_rng`` for the bootstrap.
    na_code : int, default 99
        "Tidak tahu" code, kept out of the score.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``item_code``, ``n`` (answers 0–10),
        ``n_na``, ``n_missing``, ``n_total``, ``n_promoters`` (9–10), ``n_passives`` (7–8),
        ``n_detractors`` (0–6), their ``pct_*`` shares, ``estimate`` = NPS in points
        (−100 to 100), ``se`` (standard error, same units), ``ci_low``, ``ci_high``,
        ``confidence``, ``ci_method``. Groups with ``n = 0`` have NaN estimates.

    Notes
    -----
    Score each answer +1 (promoter), 0 (passive), −1 (detractor). With shares
    :math:`\hat p` (promoters) and :math:`\hat d` (detractors), NPS
    :math:`= 100(\hat p - \hat d)` is the mean score, whose per-answer (trinomial)
    variance is

    .. math:: v = \hat p + \hat d - (\hat p - \hat d)^2,

    so that :math:`SE = 100\sqrt{v/n}` (Rocks 2016).

    * ``"wald"``: :math:`NPS \pm z\,SE`.
    * ``"adjusted_wald"`` (default; the best of six methods in Rocks' 2016 simulations):
      add pseudo-answers, 3/4 promoter, 3/4 detractor and 3/2 passive (``n + 3``), then
      a Wald interval around the adjusted score. ``estimate`` stays the plain NPS; with
      very few answers (e.g. one promoter) the adjusted interval may not contain it.
    * ``"bootstrap"``: percentile interval of ``n_boot`` resampled scores; resampling
      respondents is drawing multinomial counts from the observed shares, done for all
      groups at once; ``se`` is the SD of the resampled scores.

    Intervals are clipped to [−100, 100].

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American
       Statistician 70(4), 365–372. https://doi.org/10.1080/00031305.2016.1158124
    .. [2] Reichheld, F. F. (2003). The one number you need to grow. Harvard Business
       Review 81(12), 46–54.
    .. [3] Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap.
       Chapman & Hall. https://doi.org/10.1201/9780429246593

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"item_code": "R09",
    ...                    "response": [10, 9, 9, 8, 7, 6, 3, 10, 99, 9]})
    >>> out = net_promoter_score(df, method="wald")
    >>> out[["n", "n_na", "n_promoters", "n_detractors", "estimate"]]
       n  n_na  n_promoters  n_detractors  estimate
    0  9     1            5             2  33.33...
    >>> round(out.loc[0, "se"], 2), round(out.loc[0, "ci_low"], 1), round(out.loc[0, "ci_high"], 1)
    (np.float64(27.22), np.float64(-20.0), np.float64(86.7))
    """
    check_columns(df, ["item_code", "response"], param="df")
    by = _check_by(by, df, NPS_COLUMNS)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_one_of("method", method, NPS_METHODS)
    if method == "bootstrap":
        check_number("n_boot", n_boot, low=100)
        if int(n_boot) != n_boot:
            raise ValueError(f"`n_boot` must be a whole number, but {n_boot!r} was passed.")
    item = _pick_nps_item(df, item, instruments)

    sub = df.loc[(df["item_code"].astype("str") == item).to_numpy(), [*by, "response"]]
    gid, keys = _group_index({b: sub[b] for b in by}, len(sub))
    n_groups = len(keys)
    values, missing = _numeric_responses(sub["response"])
    keep = gid >= 0
    is_na = keep & ~missing & (values == na_code)
    is_missing = keep & missing
    is_valid = keep & ~missing & ~is_na
    off = is_valid & ((values < 0) | (values > 10))
    if off.any():
        raise ValueError(
            f"the NPS item {item!r} must be answered 0–10 (or {na_code} = tidak tahu), but "
            f"has {values[off][0]:g}. Is {item!r} the 'would you recommend' item?"
        )
    cat = np.where(values >= 9, 2, np.where(values >= 7, 1, 0))
    counts = np.bincount(
        gid[is_valid] * 3 + cat[is_valid].astype(np.int64), minlength=n_groups * 3
    ).reshape(n_groups, 3)
    det, pas, pro = counts[:, 0], counts[:, 1], counts[:, 2]
    n = counts.sum(axis=1)
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p, d = pro / n, det / n
        nps = p - d
        se = np.sqrt((p + d - (p - d) ** 2) / n)
        if method == "wald":
            low, high = nps - z * se, nps + z * se
        elif method == "adjusted_wald":
            na = n + 3.0
            pa, da = (pro + 0.75) / na, (det + 0.75) / na
            se = np.sqrt((pa + da - (pa - da) ** 2) / na)
            low, high = (pa - da) - z * se, (pa - da) + z * se
        else:
            rng = np.random.default_rng(seed)
            probs = np.where(n[:, None] > 0, counts / n[:, None], np.array([0.0, 1.0, 0.0]))
            draws = rng.multinomial(n, probs, size=(int(n_boot), n_groups))
            boot = (draws[..., 2] - draws[..., 0]) / n
            alpha = 1 - confidence
            if n_groups:
                low, high = np.quantile(boot, [alpha / 2, 1 - alpha / 2], axis=0)
                se = boot.std(axis=0, ddof=1)
            else:
                low = high = se = np.zeros(0)
    empty = n == 0
    low = np.where(empty, np.nan, np.clip(low, -1, 1))
    high = np.where(empty, np.nan, np.clip(high, -1, 1))
    se = np.where(empty, np.nan, se)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = 100 * counts / n[:, None]
    n_na = np.bincount(gid[is_na], minlength=n_groups)
    n_missing = np.bincount(gid[is_missing], minlength=n_groups)
    cols = {
        "item_code": np.full(n_groups, item, dtype=object),
        "n": n,
        "n_na": n_na,
        "n_missing": n_missing,
        "n_total": n + n_na + n_missing,
        "n_promoters": pro,
        "n_passives": pas,
        "n_detractors": det,
        "pct_promoters": shares[:, 2],
        "pct_passives": shares[:, 1],
        "pct_detractors": shares[:, 0],
        "estimate": 100 * nps,
        "se": 100 * se,
        "ci_low": 100 * low,
        "ci_high": 100 * high,
        "confidence": np.full(n_groups, float(confidence)),
        "ci_method": np.full(n_groups, method, dtype=object),
    }
    out = pd.concat([keys, pd.DataFrame(cols, index=keys.index)], axis=1)
    return out.astype({"item_code": "str", "ci_method": "str"})
