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
* :func:`mean_differences`: differences of group means (a provider's trainer rating
  against the office's own trainers) with Welch or cluster-robust intervals.
* :func:`wilson_interval`: the Wilson score interval used throughout, the one of
  :mod:`toolkit.intervals` (re-exported here).

Missing-data policy
-------------------
A response equal to ``na_code`` (:data:`toolkit.schema.NA_CODE`, 99 = "tidak tahu" / not
applicable) is **not** an answer on the scale (in :func:`mean_differences`, whose values
need not be answers, pass ``na_code=99`` for the ``reaction`` table): it is counted in ``n_na`` and left out of
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

import numpy as np
import pandas as pd

from toolkit.grouping import check_by, group_codes
from toolkit.intervals import wilson_interval
from toolkit.schema import NA_CODE
from toolkit.validation import check_columns, check_number, check_one_of, closest

__all__ = [
    "LABELS",
    "NPS_METHODS",
    "SUMMARY_COLUMNS",
    "NPS_COLUMNS",
    "likert_summary",
    "likert_points",
    "mean_differences",
    "net_promoter_score",
    "nps_items",
    "scale_items",
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

#: Columns of :func:`mean_differences` after the ``within``, ``by`` and ``reference`` columns.
_DIFF_COLUMNS = (
    "n", "n_reference", "mean", "mean_reference", "difference", "se", "df", "ci_low",
    "ci_high", "p_value", "confidence", "n_clusters", "ci_method",
)  # fmt: skip

#: Columns of :func:`net_promoter_score` that follow the group columns.
NPS_COLUMNS = (
    "item_code", "n", "n_na", "n_missing", "n_total", "n_promoters", "n_passives",
    "n_detractors", "pct_promoters", "pct_passives", "pct_detractors", "estimate", "se",
    "ci_low", "ci_high", "confidence", "ci_method",
)  # fmt: skip


# --------------------------------------------------------------------------------------
# Input helpers
# --------------------------------------------------------------------------------------
def _is_item(s: pd.Series, item: str) -> np.ndarray:
    """Rows of one item (categorical: compare the categories, not every row's label)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        hit = np.asarray(s.cat.categories.astype("str") == item)
        return np.append(hit, False)[s.cat.codes.to_numpy()]
    return (s.astype("str") == item).to_numpy()


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
# Which reaction items are which
# --------------------------------------------------------------------------------------
def _reaction_items(instruments: pd.DataFrame, reaction: pd.DataFrame | None) -> pd.DataFrame:
    inst = instruments[instruments["instrument"].astype("str") == "reaction"]
    if reaction is not None and len(reaction):
        answered = set(reaction["item_code"].astype("str").unique())
        inst = inst[inst["item_code"].astype("str").isin(answered)]
    return inst


def nps_items(instruments: pd.DataFrame, reaction: pd.DataFrame | None = None) -> list[str]:
    """The reaction items that are Net Promoter items: those on a 0–10 scale.

    The convention of the data dictionary: the "how likely are you to recommend" question
    is the reaction item whose scale runs from 0 to 10, whatever its construct is called.
    An item whose construct is ``recommend`` comes first; the others follow in item order.
    With ``reaction``, only items that were answered count.

    Examples
    --------
    >>> inst = pd.DataFrame({"instrument": ["reaction"] * 3, "item_code": ["Q1", "Q2", "Q3"],
    ...     "construct": ["content", "would_recommend", "trainer"],
    ...     "scale_min": [1, 0, 1], "scale_max": [5, 10, 5]})
    >>> nps_items(inst), scale_items(inst)
    (['Q2'], ['Q1', 'Q3'])
    """
    inst = _reaction_items(instruments, reaction)
    zero_ten = inst[(inst["scale_min"] == 0) & (inst["scale_max"] == 10)]
    first = zero_ten["construct"].astype("str").eq("recommend")
    ordered = pd.concat([zero_ten[first], zero_ten[~first]])
    return ordered["item_code"].astype("str").tolist()


def scale_items(instruments: pd.DataFrame, reaction: pd.DataFrame | None = None) -> list[str]:
    """The reaction items that are rating-scale (Likert) items: every one but the NPS items."""
    inst = _reaction_items(instruments, reaction)
    nps = set(nps_items(instruments, reaction))
    return [c for c in inst["item_code"].astype("str") if c not in nps]


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
    by = check_by(df, by, reserved)
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

    from toolkit._items import likert_tally  # scipy.optimize: imported where used

    keys, item_idx, lo_i, hi_i, rev_i, tally = likert_tally(
        df, by, items, instruments, scale, na_code
    )
    return likert_frame(keys, item_idx, lo_i, hi_i, rev_i, tally, reverse, confidence)


def likert_frame(keys, item_idx, lo_i, hi_i, rev_i, tally, reverse, confidence):
    """The table of :func:`likert_summary` from its tally of answers per group, item and point.

    Shared by :func:`likert_summary` (tally from :func:`toolkit._items.likert_tally`) and the
    DuckDB engine (:mod:`toolkit.engine`, tally counted in SQL).

    Parameters
    ----------
    keys : DataFrame
        One row per (group, item): the ``by`` columns and ``item_code``.
    item_idx : ndarray
        Each row's item, an index into ``lo_i``, ``hi_i``, ``rev_i``.
    lo_i, hi_i, rev_i : ndarray
        Each item's scale minimum and maximum, and whether it is reverse-keyed.
    tally : ndarray, shape (len(keys), k + 3)
        Answers at each of the ``k`` points from ``lo_i.min()``, then "tidak tahu", missing
        and off-scale answers.
    reverse : bool
        Mirror reverse-keyed items.
    confidence : float
        Level of the Wilson intervals.

    Returns
    -------
    DataFrame
        ``keys`` with the summary columns of :func:`likert_summary`.

    Examples
    --------
    >>> keys = pd.DataFrame({"item_code": ["R01"]})
    >>> tally = np.array([[0, 1, 1, 4, 4, 1, 0, 0]])  # points 1-5, tidak tahu, missing, off
    >>> out = likert_frame(keys, np.array([0]), np.array([1]), np.array([5]),
    ...                    np.array([False]), tally, False, 0.95)
    >>> out[["n", "n_na", "mean", "top2_pct"]].to_dict("records")
    [{'n': 10, 'n_na': 1, 'mean': 4.1, 'top2_pct': 80.0}]
    """
    n_groups = len(keys)
    lo_g, hi_g = lo_i[item_idx], hi_i[item_idx]
    rev_g = rev_i[item_idx] & bool(reverse)
    vmin = int(lo_i.min()) if len(lo_i) else 0
    k = tally.shape[1] - 3
    counts, n_na, n_missing = tally[:, :k], tally[:, k], tally[:, k + 1]
    points = np.arange(vmin, vmin + k)
    on_scale = (points >= lo_g[:, None]) & (points <= hi_g[:, None])
    if rev_g.any():  # x -> min + max - x, on the counts of each reversed item
        mirror = np.clip((lo_g + hi_g)[:, None] - points - vmin, 0, k - 1)
        flipped = np.where(on_scale, np.take_along_axis(counts, mirror, axis=1), 0)
        counts = np.where(rev_g[:, None], flipped, counts)
    # per-group sums for every statistic: one small matrix product per distinct scale
    n = counts.sum(axis=1)
    width = hi_g - lo_g + 1
    box_ok = width >= 4
    scales, scale_of_item = np.unique(np.column_stack([lo_i, hi_i]), axis=0, return_inverse=True)
    scale_of_group = scale_of_item.ravel()[item_idx]
    sums = np.zeros((n_groups, 7))
    counts_f = counts.astype(float)  # float: the products below run in BLAS
    for s, (lo, hi) in enumerate(scales):  # a loop over scales (one or two), not groups
        mid = (lo + hi) / 2
        weights = np.column_stack(
            [points, points**2, points >= hi - 1, points <= lo + 1, points < mid,
             points > mid, points == mid]
        ).astype(float)  # fmt: skip
        if len(scales) == 1:
            sums = counts_f @ weights
        else:
            rows = scale_of_group == s
            sums[rows] = counts_f[rows] @ weights
    sum_x, sum_x2, top2, bottom2, below, above, neutral = sums.T
    t_low, t_high = wilson_interval(top2, n, confidence=confidence)
    b_low, b_high = wilson_interval(bottom2, n, confidence=confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sum_x / n
        ss = np.maximum(sum_x2 - sum_x * mean, 0.0)
        sd = np.where(n >= 2, np.sqrt(ss / (n - 1)), np.nan)
        pct = 100 * counts / n[:, None]
        below, above = 100 * below / n, 100 * above / n
        neutral = np.where(width % 2 == 1, 100 * neutral / n, np.nan)
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
        "ci_method": pd.array(["wilson"], dtype="str").take(np.zeros(n_groups, dtype=int)),
    }
    counts_t, off_t = np.ascontiguousarray(counts.T, dtype=np.int64), ~on_scale.T
    pct_t = np.where(on_scale, pct, np.nan).T.copy()
    cols.update(
        {f"count_{p}": pd.arrays.IntegerArray(counts_t[j], off_t[j]) for j, p in enumerate(points)}
    )
    cols.update({f"pct_{p}": pct_t[j] for j, p in enumerate(points)})
    return pd.concat([keys, pd.DataFrame(cols, index=keys.index)], axis=1)


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
    from toolkit._items import present_items

    codes = present_items(df["item_code"])
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
        (−100 to 100), ``se`` (the standard error of ``estimate``, same units: Rocks'
        trinomial SE, or the bootstrap SD), ``ci_low``, ``ci_high``, ``ci_center`` and
        ``ci_se`` (the centre and SE the interval is built on: the adjusted score and its SE
        for ``"adjusted_wald"``, ``estimate`` and ``se`` for ``"wald"``, NaN for
        ``"bootstrap"``), ``confidence``, ``ci_method``. Groups with ``n = 0`` have NaN
        estimates.

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
      a Wald interval around the adjusted score (``ci_center``, with its own SE
      ``ci_se``). ``estimate`` stays the plain NPS and ``se`` its plain SE; with very few
      answers (e.g. one promoter) the adjusted interval may not contain the estimate.
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
    >>> adj = net_promoter_score(df).loc[0, ["estimate", "se", "ci_center", "ci_se"]]
    >>> adj.astype(float).round(2).tolist()
    [33.33, 27.22, 25.0, 23.2]
    """
    check_columns(df, ["item_code", "response"], param="df")
    by = check_by(df, by, NPS_COLUMNS)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_one_of("method", method, NPS_METHODS)
    if method == "bootstrap":
        check_number("n_boot", n_boot, low=100)
        if int(n_boot) != n_boot:
            raise ValueError(f"`n_boot` must be a whole number, but {n_boot!r} was passed.")
    item = _pick_nps_item(df, item, instruments)

    sub = df.loc[_is_item(df["item_code"], item), [*by, "response"]]
    gid, keys = group_codes(sub, by)
    n_groups = len(keys)
    from toolkit._items import integer_responses

    values = integer_responses(sub["response"])
    missing = sub["response"].isna().to_numpy()
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
    n_na = np.bincount(gid[is_na], minlength=n_groups)
    n_missing = np.bincount(gid[is_missing], minlength=n_groups)
    return nps_table(keys, item, counts, n_na, n_missing, confidence=confidence, method=method,
                     n_boot=n_boot, seed=seed)  # fmt: skip


def nps_table(keys, item, counts, n_na, n_missing, *, confidence, method, n_boot, seed):
    """The table of :func:`net_promoter_score` from each group's answer counts.

    Shared by :func:`net_promoter_score` and the DuckDB engine (:mod:`toolkit.engine`),
    which count the same answers in SQL.

    Parameters
    ----------
    keys : DataFrame
        One row per group (the ``by`` columns).
    item : str
        The 0–10 item.
    counts : ndarray, shape (n_groups, 3)
        Detractors (0–6), passives (7–8) and promoters (9–10) per group.
    n_na, n_missing : ndarray
        "Tidak tahu" answers and missing answers per group.
    confidence, method, n_boot, seed
        As in :func:`net_promoter_score` (already checked).

    Returns
    -------
    DataFrame
        ``keys`` with :data:`NPS_COLUMNS`.

    Examples
    --------
    >>> out = nps_table(pd.DataFrame(index=[0]), "R08", np.array([[2, 3, 5]]), np.array([0]),
    ...                 np.array([1]), confidence=0.95, method="wald", n_boot=0, seed=0)
    >>> out[["n", "n_total", "estimate"]].round(1).to_dict("records")
    [{'n': 10, 'n_total': 11, 'estimate': 30.0}]
    """
    counts = np.asarray(counts, dtype=np.int64)
    n_groups = len(keys)
    det, pas, pro = counts[:, 0], counts[:, 1], counts[:, 2]
    n = counts.sum(axis=1)
    from scipy import stats  # imported where used: it takes longer to import than pandas

    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p, d = pro / n, det / n
        nps = p - d
        se = np.sqrt((p + d - (p - d) ** 2) / n)
        center, se_center = nps, se
        if method == "wald":
            low, high = nps - z * se, nps + z * se
        elif method == "adjusted_wald":
            na = n + 3.0
            pa, da = (pro + 0.75) / na, (det + 0.75) / na
            center, se_center = pa - da, np.sqrt((pa + da - (pa - da) ** 2) / na)
            low, high = center - z * se_center, center + z * se_center
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
            center = se_center = np.full(n_groups, np.nan)
    empty = n == 0
    low = np.where(empty, np.nan, np.clip(low, -1, 1))
    high = np.where(empty, np.nan, np.clip(high, -1, 1))
    se = np.where(empty, np.nan, se)
    center = np.where(empty, np.nan, center)
    se_center = np.where(empty, np.nan, se_center)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = 100 * counts / n[:, None]
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
        "ci_center": 100 * center,
        "ci_se": 100 * se_center,
        "confidence": np.full(n_groups, float(confidence)),
        "ci_method": np.full(n_groups, method, dtype=object),
    }
    out = pd.concat([keys, pd.DataFrame(cols, index=keys.index)], axis=1)
    return out.astype({"item_code": "str", "ci_method": "str"})


# --------------------------------------------------------------------------------------
# Differences between groups
# --------------------------------------------------------------------------------------
def mean_differences(
    df: pd.DataFrame,
    *,
    value: str = "response",
    by: str,
    reference=None,
    within=None,
    cluster: str | None = None,
    confidence: float = 0.95,
    na_code: int | None = None,
) -> pd.DataFrame:
    r"""Difference of each group's mean from a reference group's mean, with an interval.

    Parameters
    ----------
    df : DataFrame
        One row per observation: ``value``, ``by`` and the ``within``/``cluster`` columns.
    value : str, default "response"
        Numeric column (a rating, a learning gain …); missing values are left out.
    by : str
        Column of the groups to compare (``"provider"``, ``"method"``).
    reference : optional
        The group every other group is compared with; default the first (sorted or
        category order).
    within : str or list of str, optional
        Compare separately within each group of these columns (e.g. ``"item_code"``).
    cluster : str, optional
        Column of the clusters the observations come in (``"session_id"``): answers from
        one session share its trainer, room and mood, so they are not independent.
    confidence : float, default 0.95
        Level of the intervals.
    na_code : int, optional
        A value that means "no answer" (99 in the ``reaction`` table), left out.

    Returns
    -------
    DataFrame
        One row per ``within`` group and non-reference group: the ``within`` and ``by``
        columns, ``reference``, ``n``, ``n_reference``, ``mean``, ``mean_reference``,
        ``difference`` (group minus reference), ``se``, ``df``, ``ci_low``, ``ci_high``,
        ``p_value`` (two-sided), ``confidence``, ``n_clusters`` and ``ci_method``.

    Notes
    -----
    Without ``cluster``: Welch's t interval, :math:`SE^2 = s_1^2/n_1 + s_0^2/n_0` with
    Welch–Satterthwaite df (as ``scipy.stats.ttest_ind(equal_var=False)``). With
    ``cluster``: the difference is the coefficient of the group's dummy in the regression
    of ``value`` on all group dummies (per ``within`` group), with the cluster-robust CR1
    variance of Stata and statsmodels, small-sample factor
    :math:`\frac{G}{G-1}\frac{N-1}{N-K}` (G clusters, N observations, K groups), and t
    quantiles on G − 1 df. Each cluster contributes
    :math:`u_c = \sum_{i \in c, 1} e_i/n_1 - \sum_{i \in c, 0} e_i/n_0` (residuals from
    the group means), and :math:`SE^2 = factor \cdot \sum_c u_c^2`. With few clusters
    (below about 30–50) CR1 intervals tend to be too narrow (Cameron & Miller 2015); the
    naive interval, which treats answers from one session as independent, is narrower
    still. All groups come from a few ``numpy.bincount`` passes, with no loop over groups.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem when several
       different population variances are involved. Biometrika 34, 28–35.
       https://doi.org/10.1093/biomet/34.1-2.28
    .. [2] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to
       cluster-robust inference. Journal of Human Resources 50(2), 317–372.
       https://doi.org/10.3368/jhr.50.2.317

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"provider": ["internal"] * 4 + ["university"] * 4,
    ...                    "session_id": ["S1", "S1", "S2", "S2", "S3", "S3", "S4", "S4"],
    ...                    "response": [4, 3, 4, 5, 5, 4, 5, 5]})
    >>> out = mean_differences(df, by="provider", cluster="session_id")
    >>> out[["provider", "reference", "difference", "n_clusters"]]
         provider reference  difference  n_clusters
    0  university  internal        0.75           4
    >>> round(float(out.loc[0, "ci_low"]), 3), round(float(out.loc[0, "ci_high"]), 3)
    (-0.819, 2.319)
    """
    within = check_by(df, within, (by, "reference", *_DIFF_COLUMNS))
    check_columns(df, [value, by, *([cluster] if cluster else [])], param="df")
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    y = pd.to_numeric(df[value]).to_numpy(dtype=float, na_value=np.nan)
    wid, wkeys = group_codes(df, within)
    bid, bkeys = group_codes(df, [by])
    cid = group_codes(df, [cluster])[0] if cluster else np.zeros(len(df), dtype=np.int64)
    ok = (wid >= 0) & (bid >= 0) & (cid >= 0) & ~np.isnan(y)
    if na_code is not None:
        ok &= y != na_code
    levels = bkeys[by]
    if reference is None:
        ref = 0
    else:
        hits = np.flatnonzero(levels.astype("str").to_numpy() == str(reference))
        if not len(hits):
            raise KeyError(f"`reference` {reference!r} is not a value of {by!r} in the data.")
        ref = int(hits[0])
    n_w, n_b = len(wkeys), len(bkeys)
    wid, bid, cid, y = wid[ok], bid[ok], cid[ok], y[ok]
    cell = wid * n_b + bid
    n = np.bincount(cell, minlength=n_w * n_b).reshape(n_w, n_b).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(cell, y, n_w * n_b).reshape(n_w, n_b) / n
        e = y - mean.ravel()[cell]  # residuals from the group means (two-pass, stable)
        var = np.bincount(cell, e * e, n_w * n_b).reshape(n_w, n_b) / (n - 1)
        diff = mean - mean[:, [ref]]
        if cluster:
            wc, pair = np.unique(wid * (cid.max(initial=0) + 1) + cid, return_inverse=True)
            w_of = wid[np.unique(pair, return_index=True)[1]]  # within group of each cluster
            s = np.bincount(pair * n_b + bid, e, len(wc) * n_b).reshape(len(wc), n_b)
            u = s / n[w_of]
            ss = np.stack([np.bincount(w_of, c, n_w) for c in ((u - u[:, [ref]]) ** 2).T], 1)
            g = np.bincount(w_of, minlength=n_w).astype(float)
            big_n, k = n.sum(axis=1), (n > 0).sum(axis=1)
            factor = g / (g - 1) * (big_n - 1) / (big_n - k)
            se, dof = np.sqrt(factor[:, None] * ss), np.repeat((g - 1)[:, None], n_b, 1)
            how = "cluster-robust CR1 by " + cluster + " (Stata factor), t on G - 1 df"
        else:
            a, b = var / n, (var / n)[:, [ref]]
            se, dof = np.sqrt(a + b), (a + b) ** 2 / (a**2 / (n - 1) + b**2 / (n - 1)[:, [ref]])
            g = np.full(n_w, np.nan)
            how = "Welch t (unequal variances)"
        t = diff / se
        from scipy import stats

        q = stats.t.ppf(0.5 + confidence / 2, dof)
        p = 2 * stats.t.sf(np.abs(t), dof)
    rows_w, rows_b = np.nonzero((n > 0) & (np.arange(n_b) != ref))
    out = wkeys.iloc[rows_w].reset_index(drop=True)
    out[by] = levels.iloc[rows_b].reset_index(drop=True)
    ref_level = levels.iloc[[ref] * len(rows_b)].reset_index(drop=True)
    pick = (rows_w, rows_b)
    cols = {
        "reference": ref_level,
        "n": n[pick].astype(int),
        "n_reference": n[rows_w, ref].astype(int),
        "mean": mean[pick],
        "mean_reference": mean[rows_w, ref],
        "difference": diff[pick],
        "se": se[pick],
        "df": dof[pick],
        "ci_low": diff[pick] - q[pick] * se[pick],
        "ci_high": diff[pick] + q[pick] * se[pick],
        "p_value": p[pick],
        "confidence": float(confidence),
        "n_clusters": pd.array(np.nan_to_num(g[rows_w]).astype(int), dtype="Int64")
        if cluster
        else pd.array([pd.NA] * len(rows_w), dtype="Int64"),
        "ci_method": how,
    }
    for name, col in cols.items():
        out[name] = col
    out["ci_method"] = out["ci_method"].astype("str")
    return out
