"""Level 2 (learning): pre/post tests, paired effect sizes, normalised gain, pass rates.

Two input shapes are accepted by every function:

* the **long** ``tests`` table of :func:`toolkit.data.load` (participant_id, session_id,
  phase ``pre``/``post``, item_code, correct 0/1), which :func:`prepost_scores` turns into one row
  per participant x session with the percent correct before (``pre``) and after (``post``);
* a **wide** frame with one row per participant (and session) and a ``pre`` and a ``post``
  column (names set with ``pre=`` and ``post=``): scores on any scale.

A long table is detected by its ``phase`` and ``correct`` columns and converted with
:func:`prepost_scores` first. With ``by=`` (a column or a list, e.g. ``"session_id"`` or
``"method"`` after merging the ``sessions`` table) every group is computed in one vectorised
pass: group codes come from :func:`toolkit.grouping.group_codes` (rows whose group value is
missing are dropped, as ``groupby`` does), the per-group sums, sums of squares and ranks from
``numpy.bincount`` and one ``groupby`` rank;
the only loop over groups is for exact Wilcoxon p-values (SciPy's exact null distribution),
and only for the groups that use it.

Differences are always ``post - pre``: a positive estimate means the scores went up. A
``by`` column never hides a result column: if they share a name (``by="method"`` and the
``method`` column of :func:`prepost_test`), the result column is renamed ``stat_method``.

Examples
--------
>>> import pandas as pd
>>> scores = pd.DataFrame({"pre": [40, 55, 60, 35, 70, 50], "post": [70, 65, 80, 60, 75, 75]})
>>> prepost_test(scores)[["test", "n", "estimate", "p_value"]]
       test  n   estimate   p_value
0  paired_t  6  19.166667  0.004723
1  wilcoxon  6  22.500000  0.035522
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import elementwise

from toolkit.grouping import group_codes
from toolkit.intervals import wilson_interval
from toolkit.validation import as_list, check_columns, check_number, check_one_of

__all__ = [
    "LABELS",
    "normalized_gain",
    "paired_effect_sizes",
    "prepost_test",
    "prepost_scores",
]

#: Labels of the codes this module returns, for ``toolkit.i18n.label(..., extra=LABELS)``.
LABELS: dict[str, dict[str, str]] = {
    "paired_t": {"id": "Uji-t berpasangan", "en": "Paired t-test"},
    "wilcoxon": {"id": "Uji peringkat bertanda Wilcoxon", "en": "Wilcoxon signed-rank test"},
    "d_z": {"id": "d_z (SD selisih)", "en": "d_z (SD of differences)"},
    "d_av": {"id": "d_av (rata-rata SD pre dan post)", "en": "d_av (average of pre and post SD)"},
    "d_rm": {"id": "d_rm (pengukuran berulang)", "en": "d_rm (repeated measures)"},
    "g_z": {"id": "g_z Hedges", "en": "Hedges' g_z"},
    "g_av": {"id": "g_av Hedges", "en": "Hedges' g_av"},
    "g_rm": {"id": "g_rm Hedges", "en": "Hedges' g_rm"},
    "low": {"id": "Rendah", "en": "Low"},
    "medium": {"id": "Sedang", "en": "Medium"},
    "high": {"id": "Tinggi", "en": "High"},
    "not_effective": {"id": "Tidak efektif", "en": "Not effective"},
    "less_effective": {"id": "Kurang efektif", "en": "Less effective"},
    "fairly_effective": {"id": "Cukup efektif", "en": "Fairly effective"},
    "effective": {"id": "Efektif", "en": "Effective"},
    "score": {"id": "Nilai (% benar)", "en": "Score (% correct)"},
    "n_gain": {"id": "N-gain", "en": "Normalised gain"},
}

ALTERNATIVES = ("two-sided", "less", "greater")
ZERO_METHODS = ("wilcox", "pratt", "zsplit")
_ZERO_TEXT = {
    "wilcox": "zero differences dropped (Wilcoxon; R's wilcox.test)",
    "pratt": "zero differences ranked, then dropped (Pratt)",
    "zsplit": "zero differences' ranks split between signs (zsplit)",
}


# --------------------------------------------------------------------------------------------
# input: long tests table -> one row per participant x session with pre and post
# --------------------------------------------------------------------------------------------
def prepost_scores(
    tests: pd.DataFrame,
    *,
    by: str | list[str] | None = None,
    subject: str = "participant_id",
    session: str = "session_id",
    phase: str = "phase",
    value: str = "correct",
    nan_policy: str = "incorrect",
) -> pd.DataFrame:
    """Percent-correct scores before and after, one row per participant x session.

    Parameters
    ----------
    tests : pandas.DataFrame
        The long ``tests`` table: one row per participant x session x phase x item.
    by : str or list of str, optional
        Extra columns to carry (constant within a participant x session, e.g. ``method``
        after merging ``sessions``).
    subject, session, phase, value : str
        Column names of the ``tests`` table.
    nan_policy : {"incorrect", "omit"}
        ``"incorrect"`` (default): an unanswered item counts as wrong, so the score is out of
        every item presented; ``"omit"``: the score is out of the answered items only.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``subject``, ``session``, ``pre`` and ``post`` (percent, 0–100;
        NaN when a phase is missing), ``n_items_pre`` and ``n_items_post``.

    Notes
    -----
    Score = 100 x (number correct) / (number of items), computed with one ``groupby`` sum and
    count over the whole table.

    Examples
    --------
    >>> import pandas as pd
    >>> tests = pd.DataFrame({
    ...     "participant_id": ["p1"] * 4 + ["p2"] * 4, "session_id": "S1",
    ...     "phase": ["pre", "pre", "post", "post"] * 2,
    ...     "item_code": ["K1", "K2"] * 4, "correct": [0, 1, 1, 1, 0, 0, 1, None]})
    >>> prepost_scores(tests)
      participant_id session_id    pre   post  n_items_pre  n_items_post
    0             p1         S1   50.0  100.0            2             2
    1             p2         S1    0.0   50.0            2             2
    """
    check_one_of("nan_policy", nan_policy, ("incorrect", "omit"))
    by = check_columns(tests, by, param="by")
    check_columns(tests, [subject, session, phase, value], param="tests")
    keys = list(dict.fromkeys([*by, subject, session]))
    correct = pd.to_numeric(tests[value]).astype("float64")
    frame = tests[[*keys, phase]].assign(_c=correct, _a=correct.notna())
    agg = frame.groupby([*keys, phase], observed=True, sort=True).agg(
        _sum=("_c", "sum"), _answered=("_a", "sum"), _items=("_c", "size")
    )
    denom = agg["_items"] if nan_policy == "incorrect" else agg["_answered"]
    agg["score"] = 100 * agg["_sum"] / denom.where(denom > 0)
    wide = agg[["score", "_items"]].unstack(phase)
    out = pd.DataFrame(index=wide.index)
    for ph in ("pre", "post"):
        has = ("score", ph) in wide.columns
        out[ph] = wide[("score", ph)].astype(float) if has else np.nan
    for ph in ("pre", "post"):
        has = ("_items", ph) in wide.columns
        out[f"n_items_{ph}"] = wide[("_items", ph)].fillna(0).astype(int) if has else 0
    return out.reset_index()


def _pairs(df, pre, post, by, nan_policy) -> tuple[pd.DataFrame, list[str]]:
    """Return (frame with by + pre + post, numeric, complete pairs), the by list."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"`df` must be a pandas DataFrame, but {type(df).__name__} was passed.")
    by = as_list(by)
    if (pre not in df.columns or post not in df.columns) and {"phase", "correct"} <= set(
        df.columns
    ):
        df = prepost_scores(df, by=[b for b in by if b != "session_id"] or None)
    check_columns(df, [*by, pre, post], param="df")
    out = df[by].copy()
    out["pre"] = pd.to_numeric(df[pre]).astype("float64")
    out["post"] = pd.to_numeric(df[post]).astype("float64")
    bad = out["pre"].isna() | out["post"].isna()
    if nan_policy == "raise" and bad.any():
        raise ValueError(
            f"{int(bad.sum())} rows miss a {pre!r} or {post!r} score; pass nan_policy='omit' "
            "to drop incomplete pairs."
        )
    bad |= out[by].isna().any(axis=1) if by else False  # no group name: dropped, as groupby does
    return out.loc[~bad].reset_index(drop=True), by


def _paired_moments(frame, g, n_groups):
    """Per-group n, means, SDs, correlation and SD of differences from bincount sums."""

    def s(w):
        return np.bincount(g, weights=w, minlength=n_groups)

    x, y = frame["pre"].to_numpy(), frame["post"].to_numpy()
    n = s(np.ones_like(x))
    with np.errstate(divide="ignore", invalid="ignore"):
        mx, my = s(x) / n, s(y) / n
        xc, yc = x - mx[g], y - my[g]
        dof = np.where(n > 1, n - 1, np.nan)
        vx, vy, cxy = s(xc * xc) / dof, s(yc * yc) / dof, s(xc * yc) / dof
        vd = vx + vy - 2 * cxy
        r = cxy / np.sqrt(vx * vy)
    return {
        "n": n,
        "mean_pre": mx,
        "mean_post": my,
        "sd_pre": np.sqrt(vx),
        "sd_post": np.sqrt(vy),
        "sd_diff": np.sqrt(np.maximum(vd, 0)),
        "r": r,
    }


def _with_groups(groups: pd.DataFrame, out: pd.DataFrame, repeat: int = 1) -> pd.DataFrame:
    """Put the group columns first; a result column named like one of them gets ``stat_``."""
    if not groups.shape[1]:
        return out
    out = out.rename(columns={c: f"stat_{c}" for c in out.columns if c in groups.columns})
    g = groups.loc[groups.index.repeat(repeat)].reset_index(drop=True)
    return pd.concat([g, out.reset_index(drop=True)], axis=1)


def _t_interval(est, se, df, confidence, alternative):
    c = 1 - confidence
    with np.errstate(invalid="ignore"):
        if alternative == "two-sided":
            q = stats.t.ppf(1 - c / 2, df)
            return est - q * se, est + q * se
        q = stats.t.ppf(1 - c, df)
    if alternative == "greater":
        return est - q * se, np.full_like(est, np.inf)
    return np.full_like(est, -np.inf), est + q * se


# --------------------------------------------------------------------------------------------
# tests of change
# --------------------------------------------------------------------------------------------
def _wilcoxon(d, g, n_groups, zero_method, correction, method, alternative):
    """Signed-rank statistic and p-value per group; ranks and sums vectorised over groups."""
    zero = d == 0
    keep = ~zero if zero_method == "wilcox" else np.ones_like(zero)
    dk, gk, zk = d[keep], g[keep], zero[keep]
    absd = np.abs(dk)
    ranks = pd.Series(absd).groupby(gk).rank(method="average").to_numpy()
    count = np.bincount(gk, minlength=n_groups).astype(float)
    r_plus = np.bincount(gk, weights=ranks * (dk > 0), minlength=n_groups)
    n_zero = np.bincount(g, weights=zero, minlength=n_groups)
    if zero_method == "zsplit":
        r_plus += np.bincount(gk, weights=ranks * zk, minlength=n_groups) / 2
    ties = pd.Series(absd).groupby([gk, absd]).transform("size").to_numpy().astype(float)
    tie_w = ties**2 - 1
    if zero_method == "pratt":
        tie_w = np.where(zk, 0.0, tie_w)
    tie_sum = np.bincount(gk, weights=tie_w, minlength=n_groups)
    has_ties = np.bincount(gk, weights=ties > 1, minlength=n_groups) > 0
    mn = count * (count + 1) / 4
    var = count * (count + 1) * (2 * count + 1)
    if zero_method == "pratt":
        mn -= n_zero * (n_zero + 1) / 4
        var -= n_zero * (n_zero + 1) * (2 * n_zero + 1)
    se = np.sqrt(np.maximum(var - tie_sum / 2, 0) / 24)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (r_plus - mn) / se
        if correction:
            sign = {"greater": 1.0, "less": -1.0}.get(alternative)
            sign = np.sign(z) if sign is None else sign
            z = z - sign * 0.5 / se
    if alternative == "two-sided":
        p = 2 * stats.norm.sf(np.abs(z))
    elif alternative == "greater":
        p = stats.norm.sf(z)
    else:
        p = stats.norm.cdf(z)
    p = np.minimum(p, 1.0)
    clean = ~has_ties & (n_zero == 0)
    exact = clean & (count > 0) & ((method == "exact") | ((method == "auto") & (count < 50)))
    for gi in np.flatnonzero(exact):  # exact null distribution: one SciPy call per group
        res = stats.wilcoxon(d[g == gi], method="exact", alternative=alternative)
        p[gi] = res.pvalue
    z = np.where(exact, np.nan, z)
    normal = "normal approximation, tie-corrected variance" + (
        ", continuity correction" if correction else ""
    )
    how = np.where(exact, "exact null distribution", normal)
    if method == "exact":
        how = np.where(exact, how, normal + " (exact impossible: ties or zeros)")
    return r_plus, z, np.where(count > 0, p, np.nan), how, exact


def prepost_test(
    df: pd.DataFrame,
    *,
    pre: str = "pre",
    post: str = "post",
    by: str | list[str] | None = None,
    alternative: str = "two-sided",
    confidence: float = 0.95,
    zero_method: str = "wilcox",
    correction: bool = True,
    method: str = "auto",
    nan_policy: str = "omit",
) -> pd.DataFrame:
    """Paired t-test and Wilcoxon signed-rank test of the change from pre to post.

    Parameters
    ----------
    df : pandas.DataFrame
        Wide scores (``pre`` and ``post`` columns) or the long ``tests`` table.
    pre, post : str
        Columns of the scores before and after.
    by : str or list of str, optional
        One pair of tests per group.
    alternative : {"two-sided", "less", "greater"}
        ``"greater"``: post is higher than pre.
    confidence : float
        Level of the interval of the mean difference.
    zero_method : {"wilcox", "pratt", "zsplit"}
        Zero differences in the Wilcoxon test: dropped (default, as R's ``wilcox.test`` and
        SciPy's default), Pratt's method, or ranks split between signs.
    correction : bool
        Continuity correction of the normal approximation (True, as R; SciPy's default is
        False).
    method : {"auto", "exact", "approx"}
        Wilcoxon p-value: ``"auto"`` (R's rule) uses the exact null distribution when fewer
        than 50 non-zero differences, no ties and no zeros, else the normal approximation;
        ``"exact"`` forces it where it exists; ``"approx"`` always uses the normal one.
        (SciPy 1.17's ``"auto"`` differs: with ties and n ≤ 13 it runs a permutation test.)
    nan_policy : {"omit", "raise"}
        Pairs with a missing score are dropped (``"omit"``) or raise an error.

    Returns
    -------
    pandas.DataFrame
        Two rows per group (``test`` = ``paired_t`` then ``wilcoxon``): the ``by`` columns,
        ``test``, ``n`` (complete pairs), ``mean_pre``, ``mean_post``, ``estimate`` (mean
        difference for the t-test, median difference for Wilcoxon), ``estimand``,
        ``ci_low``, ``ci_high`` (t interval of the mean difference; NaN for Wilcoxon),
        ``confidence``, ``statistic`` (t; for Wilcoxon V, R's sum of the ranks of positive
        differences), ``df``, ``z`` (Wilcoxon normal approximation), ``p_value``,
        ``alternative``, ``zero_method``, ``p_method`` and ``method``.

    Notes
    -----
    With :math:`d_i = post_i - pre_i`, :math:`t = \\bar d / (s_d/\\sqrt n)` on :math:`n-1`
    df. Wilcoxon: :math:`V = \\sum_{d_i > 0} R_i` with :math:`R_i` the mid-rank of
    :math:`|d_i|`; normal approximation
    :math:`z = (V - n(n+1)/4 \\mp 0.5)/\\sigma_V`,
    :math:`\\sigma_V^2 = n(n+1)(2n+1)/24 - \\sum (t^3 - t)/48` over tie groups of size
    :math:`t` (Pratt's zeros adjust the mean and variance as SciPy does).

    References
    ----------
    .. [1] Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics
       Bulletin, 1(6), 80–83. https://doi.org/10.2307/3001968
    .. [2] Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed rank
       procedures. JASA, 54(287), 655–667. https://doi.org/10.1080/01621459.1959.10501526

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"session_id": ["S1"] * 5 + ["S2"] * 5,
    ...                        "pre": [40, 55, 60, 35, 70, 50, 45, 65, 30, 60],
    ...                        "post": [70, 65, 80, 60, 75, 55, 45, 70, 50, 60]})
    >>> res = prepost_test(scores, by="session_id")
    >>> res[["session_id", "test", "estimate", "statistic", "p_value"]]
      session_id      test  estimate  statistic   p_value
    0         S1  paired_t      18.0   3.881980  0.017811
    1         S1  wilcoxon      20.0  15.000000  0.062500
    2         S2  paired_t       6.0   1.632993  0.177808
    3         S2  wilcoxon       5.0   6.000000  0.173568
    >>> res["p_method"].tolist()[1::2]  # S2 has a zero difference and ties
    ['exact null distribution', 'normal approximation, tie-corrected variance, continuity correction']
    """
    check_one_of("alternative", alternative, ALTERNATIVES)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_one_of("zero_method", zero_method, ZERO_METHODS)
    check_one_of("correction", correction, (True, False))
    check_one_of("method", method, ("auto", "exact", "approx"))
    check_one_of("nan_policy", nan_policy, ("omit", "raise"))
    frame, by = _pairs(df, pre, post, by, nan_policy)
    g, groups = group_codes(frame, by)
    n_groups = len(groups)
    m = _paired_moments(frame, g, n_groups)
    n = m["n"]
    d = (frame["post"] - frame["pre"]).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_d = m["mean_post"] - m["mean_pre"]
        se = m["sd_diff"] / np.sqrt(n)
        t = np.where(se > 0, mean_d / se, np.nan)
    dof = np.where(n > 1, n - 1, np.nan)
    if alternative == "two-sided":
        p_t = 2 * stats.t.sf(np.abs(t), dof)
    elif alternative == "greater":
        p_t = stats.t.sf(t, dof)
    else:
        p_t = stats.t.cdf(t, dof)
    low, high = _t_interval(mean_d, se, dof, confidence, alternative)
    median_d = pd.Series(d).groupby(g).median().reindex(range(n_groups)).to_numpy()
    v, z, p_w, how, _ = _wilcoxon(
        d,
        g,
        n_groups,
        zero_method,
        correction,
        "approx" if method == "approx" else method,
        alternative,
    )
    rows = {
        "test": np.tile(["paired_t", "wilcoxon"], n_groups),
        "n": np.repeat(n.astype(int), 2),
        "mean_pre": np.repeat(m["mean_pre"], 2),
        "mean_post": np.repeat(m["mean_post"], 2),
        "estimate": np.column_stack([mean_d, median_d]).ravel(),
        "estimand": np.tile(["mean difference", "median difference"], n_groups),
        "ci_low": np.column_stack([low, np.full(n_groups, np.nan)]).ravel(),
        "ci_high": np.column_stack([high, np.full(n_groups, np.nan)]).ravel(),
        "confidence": confidence,
        "statistic": np.column_stack([t, v]).ravel(),
        "df": np.column_stack([dof, np.full(n_groups, np.nan)]).ravel(),
        "z": np.column_stack([np.full(n_groups, np.nan), z]).ravel(),
        "p_value": np.column_stack([p_t, p_w]).ravel(),
        "alternative": alternative,
        "zero_method": np.tile([None, zero_method], n_groups),
        "p_method": np.column_stack([np.full(n_groups, "t distribution"), how]).ravel(),
        "method": np.tile(
            ["paired t-test (post - pre)", "Wilcoxon signed-rank; " + _ZERO_TEXT[zero_method]],
            n_groups,
        ),
    }
    return _with_groups(groups, pd.DataFrame(rows), repeat=2)


# --------------------------------------------------------------------------------------------
# effect sizes
# --------------------------------------------------------------------------------------------
def _nct_bounds(t, df, confidence, alternative="two-sided"):
    """Confidence limits of the noncentrality parameter of a t statistic (vectorised).

    One-sided: ``"greater"`` gives the lower limit at level ``confidence`` and +inf,
    ``"less"`` −inf and the upper limit.
    """
    c = 1 - confidence
    t = np.asarray(t, dtype=float)
    df = np.asarray(df, dtype=float)
    ok = np.isfinite(t) & np.isfinite(df) & (df > 0)
    ts, dfs = np.where(ok, t, 0.0), np.where(ok, df, 1.0)

    def f(ncp, tt, dd, p):
        return stats.nct.cdf(tt, dd, ncp) - p

    probs = {"two-sided": (1 - c / 2, c / 2), "greater": (1 - c, None), "less": (None, c)}
    out = []
    for p, unbounded in zip(probs[alternative], (-np.inf, np.inf), strict=True):
        if p is None:
            out.append(np.where(ok, unbounded, np.nan))
            continue
        br = elementwise.bracket_root(f, ts, args=(ts, dfs, p))
        root = elementwise.find_root(f, br.bracket, args=(ts, dfs, p))
        out.append(np.where(ok, root.x, np.nan))
    return out[0], out[1]


def _hedges_j(df):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(df > 0, 1 - 3 / (4 * df - 1), np.nan)


def paired_effect_sizes(
    df: pd.DataFrame,
    *,
    pre: str = "pre",
    post: str = "post",
    by: str | list[str] | None = None,
    confidence: float = 0.95,
    nan_policy: str = "omit",
    alternative: str = "two-sided",
) -> pd.DataFrame:
    """Standardised mean change: d_z, d_av, d_rm and their Hedges-corrected g, with CIs.

    Parameters
    ----------
    df, pre, post, by, nan_policy
        As in :func:`prepost_test`.
    confidence : float
        Level of the intervals.
    alternative : {"two-sided", "less", "greater"}
        Two-sided intervals, or one-sided ones matching a one-sided test: ``"greater"``
        gives a lower limit and ``ci_high = inf``, ``"less"`` ``ci_low = -inf`` and an upper
        limit (the one-sided limit at level 1 − α equals the two-sided limit at 1 − 2α).

    Returns
    -------
    pandas.DataFrame
        Six rows per group, ``measure`` in order ``d_z``, ``g_z``, ``d_av``, ``g_av``,
        ``d_rm``, ``g_rm``: the ``by`` columns, ``measure``, ``definition``, ``estimate``,
        ``ci_low``, ``ci_high``, ``confidence``, ``ci_method``, ``n``, ``df`` (``n - 1``, used
        by the Hedges correction), ``hedges_j`` (1 for the d rows), ``r`` (pre–post
        correlation), ``t`` (paired t statistic).

    Notes
    -----
    With :math:`\\bar d` the mean of post − pre, :math:`s_d` its SD, :math:`s_1, s_2` the SDs
    of pre and post and :math:`r` their correlation (Lakens 2013):

    * :math:`d_z = \\bar d / s_d = t/\\sqrt n` (the paired-test effect size);
    * :math:`d_{av} = \\bar d / ((s_1 + s_2)/2)`: Lakens' *arithmetic* mean of the two SDs
      (pingouin 0.7's paired ``cohen_d`` and R's ``effectsize`` use
      :math:`\\sqrt{(s_1^2+s_2^2)/2}` instead; the two agree when the SDs are equal);
    * :math:`d_{rm} = d_z\\sqrt{2(1-r)}`;
    * Hedges: :math:`g = J d`, :math:`J = 1 - 3/(4\\,df - 1)`, :math:`df = n - 1` for all three
      (Lakens' spreadsheet uses :math:`2(n-1)` for g_av, giving a slightly larger g_av).

    Intervals: for d_z the exact interval obtained by inverting the noncentral t
    distribution of the paired t (Steiger & Fouladi 1997; Cumming & Finch 2001); for d_av
    and d_rm the approximate interval of Algina & Keselman (2003): the same noncentrality
    limits rescaled by the ratio of standardisers (:math:`s_d` over the chosen SD), treated
    as fixed. The g intervals are the d intervals multiplied by :math:`J`.
    Report the measure by name: d_z is often far larger than d_av when pre and post are
    strongly correlated.

    References
    ----------
    .. [1] Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
       science: a practical primer for t-tests and ANOVAs. Frontiers in Psychology, 4, 863.
       https://doi.org/10.3389/fpsyg.2013.00863
    .. [2] Algina, J., & Keselman, H. J. (2003). Approximate confidence intervals for effect
       sizes. Educational and Psychological Measurement, 63(4), 537–553.
       https://doi.org/10.1177/0013164403256358
    .. [3] Cumming, G., & Finch, S. (2001). A primer on the understanding, use, and calculation
       of confidence intervals that are based on central and noncentral distributions.
       Educational and Psychological Measurement, 61(4), 532–574.
       https://doi.org/10.1177/0013164401614002
    .. [4] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
       related estimators. Journal of Educational Statistics, 6(2), 107–128.
       https://doi.org/10.3102/10769986006002107

    Examples
    --------
    Lakens (2013), Table 1 (ratings of two movies by the same ten people):

    >>> import pandas as pd
    >>> movies = pd.DataFrame({"pre": [9, 6, 7, 8, 7, 9, 8, 8, 8, 7],
    ...                        "post": [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]})
    >>> paired_effect_sizes(movies)[["measure", "estimate", "ci_low", "ci_high"]].round(2)
      measure  estimate  ci_low  ci_high
    0     d_z      1.50    0.56     2.40
    1     g_z      1.37    0.51     2.20
    2    d_av      1.13    0.42     1.81
    3    g_av      1.03    0.39     1.65
    4    d_rm      1.11    0.42     1.78
    5    g_rm      1.02    0.38     1.63
    """
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_one_of("nan_policy", nan_policy, ("omit", "raise"))
    check_one_of("alternative", alternative, ALTERNATIVES)
    frame, by = _pairs(df, pre, post, by, nan_policy)
    g, groups = group_codes(frame, by)
    m = _paired_moments(frame, g, len(groups))
    n = m["n"]
    dof = np.where(n > 1, n - 1, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_d = m["mean_post"] - m["mean_pre"]
        sd_d = np.where(m["sd_diff"] > 0, m["sd_diff"], np.nan)
        d_z = mean_d / sd_d
        t = d_z * np.sqrt(n)
        ncp_low, ncp_high = _nct_bounds(t, dof, confidence, alternative)
        z_low, z_high = ncp_low / np.sqrt(n), ncp_high / np.sqrt(n)
        ratio = {
            "z": np.ones_like(n),
            "av": sd_d / ((m["sd_pre"] + m["sd_post"]) / 2),
            "rm": np.sqrt(2 * (1 - m["r"])),
        }
    j = _hedges_j(dof)
    definitions = {
        "z": "mean(post - pre) / SD(post - pre)",
        "av": "mean(post - pre) / ((SD_pre + SD_post) / 2)  [Lakens 2013]",
        "rm": "d_z * sqrt(2 * (1 - r))",
    }
    ci_methods = {
        "z": "noncentral t, exact (Steiger & Fouladi 1997)",
        "av": "noncentral t, approximate (Algina & Keselman 2003)",
        "rm": "noncentral t, approximate (Algina & Keselman 2003)",
    }
    blocks = []
    for key in ("z", "av", "rm"):
        f = ratio[key]
        for hedges in (False, True):
            mult = j if hedges else np.ones_like(j)
            blocks.append(
                {
                    "measure": ("g_" if hedges else "d_") + key,
                    "definition": ("J * " if hedges else "") + definitions[key],
                    "estimate": d_z * f * mult,
                    "ci_low": z_low * f * mult,
                    "ci_high": z_high * f * mult,
                    "ci_method": ci_methods[key] + (" x J" if hedges else ""),
                    "hedges_j": mult,
                }
            )
    n_groups = len(groups)
    out = pd.DataFrame(
        {
            "measure": np.column_stack([[b["measure"]] * n_groups for b in blocks]).ravel(),
            "definition": np.column_stack([[b["definition"]] * n_groups for b in blocks]).ravel(),
            "estimate": np.column_stack([b["estimate"] for b in blocks]).ravel(),
            "ci_low": np.column_stack([b["ci_low"] for b in blocks]).ravel(),
            "ci_high": np.column_stack([b["ci_high"] for b in blocks]).ravel(),
            "confidence": confidence,
            "ci_method": np.column_stack([[b["ci_method"]] * n_groups for b in blocks]).ravel(),
            "n": np.repeat(n.astype(int), 6),
            "df": np.repeat(dof, 6),
            "hedges_j": np.column_stack([b["hedges_j"] for b in blocks]).ravel(),
            "r": np.repeat(m["r"], 6),
            "t": np.repeat(t, 6),
        }
    )
    for col in ("estimate", "r", "t"):
        out[col] = out[col].where(np.isfinite(out[col]))
    # a one-sided interval keeps its infinite end; a limit that could not be computed is NaN
    finite = np.isfinite(out["estimate"])
    for col, end in (("ci_low", -np.inf), ("ci_high", np.inf)):
        out[col] = out[col].where(finite & (np.isfinite(out[col]) | (out[col] == end)))
    return _with_groups(groups, out, repeat=6)


# --------------------------------------------------------------------------------------------
# normalised gain and pass rates
# --------------------------------------------------------------------------------------------
def _hake_band(g):
    band = np.where(g < 0.3, "low", np.where(g < 0.7, "medium", "high")).astype(object)
    return np.where(np.isnan(g), None, band)


def _ngain_band(pct):
    """Indonesian N-gain % bands, gaps closed: <40, [40, 56), [56, 76], >76."""
    band = np.select(
        [pct < 40, pct < 56, pct <= 76],
        ["not_effective", "less_effective", "fairly_effective"],
        default="effective",
    ).astype(object)
    return np.where(np.isnan(pct), None, band)


def normalized_gain(
    df: pd.DataFrame,
    *,
    pre: str = "pre",
    post: str = "post",
    by: str | list[str] | None = None,
    max_score: float = 100.0,
    cut_score: float | None = None,
    confidence: float = 0.95,
    nan_policy: str = "omit",
) -> pd.DataFrame:
    """Hake's normalised gain (class and individual), its bands, and the pass rate.

    Parameters
    ----------
    df, pre, post, by, nan_policy
        As in :func:`prepost_test`. Scores on a 0–``max_score`` scale (percent by default).
    max_score : float
        The highest possible score (100 for percent correct).
    cut_score : float, optional
        Passing score (e.g. 70). ``None`` leaves the pass columns empty (NaN).
    confidence : float
        Level of the Wilson interval of the post-test pass rate.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, ``n``, ``mean_pre``, ``mean_post``,
        ``g_class`` (Hake's gain of the class averages), ``hake_band`` (of ``g_class``),
        ``g_individual`` (mean of the individual normalised changes, see Notes),
        ``n_individual`` (participants with a defined one), ``n_ceiling`` (pre and post
        both at ``max_score``, or both 0: undefined, left out), ``n_loss`` (participants
        whose score dropped), ``ngain_percent`` (100 x ``g_individual``) and
        ``ngain_band``; ``cut_score``, ``n_pass_pre``, ``pass_rate_pre``,
        ``n_pass_post``, ``pass_rate_post``, ``pass_ci_low``, ``pass_ci_high`` (Wilson).

    Notes
    -----
    Hake (1998): :math:`\\langle g\\rangle = (\\langle post\\rangle - \\langle pre\\rangle) /
    (max - \\langle pre\\rangle)` on the class averages; bands low < .3 ≤ medium < .7 ≤ high.
    The mean of the individual gains :math:`g_i = (post_i - pre_i)/(max - pre_i)` is a
    different number (Bao 2006) and is what Indonesian reports usually call the *N-gain
    score*. Hake's individual gain is unbounded below (a participant going from 90 to 60 has
    :math:`g_i = -3`), so a single drop can turn a clear class gain into a negative mean.
    The individual term is therefore Marx & Cummings' (2007) *normalised change*: Hake's
    :math:`g_i` when the score rose, :math:`(post_i - pre_i)/pre_i` when it fell (the share
    of the room to lose that was lost), 0 when it stayed; participants at the same extreme
    before and after (both ``max_score`` or both 0) have none and are counted in
    ``n_ceiling``. It lies in [−1, 1], equals Hake's gain for everyone who improved, and
    ``n_loss`` says how many dropped. ``ngain_percent`` is its mean x 100, banded as commonly
    cited from Hake:
    < 40 not effective, 40–55 less effective, 56–75 fairly effective, > 76 effective, with the
    gaps closed explicitly as [0, 40), [40, 56), [56, 76] and (76, 100]: a value between 55
    and 56 is *less effective*, one between 75 and 76 (or exactly 76) *fairly effective*.
    A pass is a score ≥ ``cut_score``.

    References
    ----------
    .. [1] Hake, R. R. (1998). Interactive-engagement versus traditional methods: A
       six-thousand-student survey of mechanics test data for introductory physics courses.
       American Journal of Physics, 66(1), 64–74. https://doi.org/10.1119/1.18809
    .. [2] Bao, L. (2006). Theoretical comparisons of average normalized gain calculations.
       American Journal of Physics, 74(10), 917–922. https://doi.org/10.1119/1.2213632
    .. [3] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. JASA, 22(158), 209–212. https://doi.org/10.1080/01621459.1927.10502953
    .. [4] Marx, J. D., & Cummings, K. (2007). Normalized change. American Journal of
       Physics, 75(1), 87–91. https://doi.org/10.1119/1.2372468

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"pre": [40, 60, 100, 20], "post": [70, 80, 100, 60]})
    >>> res = normalized_gain(scores, cut_score=70)
    >>> res[["n", "g_class", "hake_band", "g_individual", "n_ceiling", "ngain_band"]]
       n  g_class hake_band  g_individual  n_ceiling      ngain_band
    0  4      0.5    medium           0.5          1  less_effective
    >>> res[["n_pass_pre", "n_pass_post", "pass_rate_post"]]
       n_pass_pre  n_pass_post  pass_rate_post
    0           1            3            0.75
    """
    check_number("max_score", max_score, low=0, low_open=True)
    if cut_score is not None:
        check_number("cut_score", cut_score, low=0, high=max_score)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_one_of("nan_policy", nan_policy, ("omit", "raise"))
    frame, by = _pairs(df, pre, post, by, nan_policy)
    over = (frame[["pre", "post"]] > max_score) | (frame[["pre", "post"]] < 0)
    if over.to_numpy().any():
        raise ValueError(
            f"Scores must lie in [0, {max_score:g}] (`max_score`); "
            f"{int(over.to_numpy().sum())} do not. Convert them to percent first."
        )
    g, groups = group_codes(frame, by)
    n_groups = len(groups)

    def s(w):
        return np.bincount(g, weights=np.asarray(w, dtype=float), minlength=n_groups)

    x, y = frame["pre"].to_numpy(), frame["post"].to_numpy()
    n = s(np.ones_like(x))
    ceiling = (x == y) & ((x >= max_score) | (x <= 0))  # no room to gain or to lose
    with np.errstate(divide="ignore", invalid="ignore"):
        mpre, mpost = s(x) / n, s(y) / n
        g_class = np.where(mpre < max_score, (mpost - mpre) / (max_score - mpre), np.nan)
        room = np.where(y > x, max_score - x, x)  # Marx & Cummings: room to gain, or to lose
        gi = np.where(ceiling | (y == x), 0.0, (y - x) / np.where(room > 0, room, 1.0))
        n_ind = s(~ceiling)
        g_ind = s(gi) / n_ind
    g_ind = np.where(n_ind > 0, g_ind, np.nan)
    if cut_score is None:
        pass_pre = pass_post = np.full(n_groups, np.nan)
    else:
        pass_pre, pass_post = s(x >= cut_score), s(y >= cut_score)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_pre, rate_post = pass_pre / n, pass_post / n
    ci_low, ci_high = wilson_interval(pass_post, n, confidence=confidence)
    out = pd.DataFrame(
        {
            "n": n.astype(int),
            "mean_pre": mpre,
            "mean_post": mpost,
            "g_class": g_class,
            "hake_band": _hake_band(g_class),
            "g_individual": g_ind,
            "n_individual": n_ind.astype(int),
            "n_ceiling": s(ceiling).astype(int),
            "n_loss": s(y < x).astype(int),
            "ngain_percent": 100 * g_ind,
            "ngain_band": _ngain_band(100 * g_ind),
            "cut_score": np.nan if cut_score is None else float(cut_score),
            "n_pass_pre": pass_pre,
            "pass_rate_pre": rate_pre,
            "n_pass_post": pass_post,
            "pass_rate_post": rate_post,
            "pass_ci_low": ci_low,
            "pass_ci_high": ci_high,
        }
    )
    if cut_score is not None:
        out[["n_pass_pre", "n_pass_post"]] = out[["n_pass_pre", "n_pass_post"]].astype(int)
    return _with_groups(groups, out)
