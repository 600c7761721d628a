"""Level 3 (Kirkpatrick): do participants apply the training on the job?

Input: the ``behavior`` table (:mod:`toolkit.schema`), one row per participant × rater
(``self``, ``supervisor`` = *atasan langsung*) × wave (``baseline``, ``followup_3m``,
``followup_6m``) × item. Functions: :func:`behavior_scores` (the score of every participant,
rater and wave), :func:`behavior_change` (paired change from baseline, by rater, t-test, CI,
d_z), :func:`rater_agreement` (self − supervisor gap and ICC; :func:`icc` gives all six
Shrout–Fleiss / McGraw–Wong ICCs). Transfer to the job and the required drivers live in
:mod:`toolkit.transfer` and are importable from here too: :func:`transfer_summary` (share
applying the training, and scrap learning, with Wilson intervals), :func:`drivers_summary`
(New World Kirkpatrick *required drivers* and application with and without each) and
:func:`drivers_slope` (change in behaviour per point of the drivers index).

**Scoring rule of every function.** A participant's score for one rater and wave is the mean
of the *competency* items rated (missing ratings skipped), kept only when at least
``min_items`` items were rated; by default half, rounded up, of the competency items the
participant was asked (the distinct items in their rows, rated or empty, over all waves and
raters: programmes use different items). Competency items are those whose construct in
``instruments`` does not start with ``"driver_"``; without ``instruments`` every item in the
data is scored unless ``items=`` names them. A participant is ``participant_id`` and
``session_id`` together. ``by=`` names columns of the behaviour table (merge participant or
session attributes first); all groups are computed in one pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from toolkit import learning
from toolkit._behavior_scores import (
    _KEY,
    _RATERS,
    _check_common,
    _check_each,
    _item_sets,
    _scores,
)
from toolkit.intervals import wilson_interval
from toolkit.validation import check_columns, check_number, check_one_of

if TYPE_CHECKING:  # defined in toolkit.transfer, loaded on first use (see __getattr__)
    from toolkit.transfer import drivers_slope, drivers_summary, transfer_summary

__all__ = [
    "behavior_change",
    "behavior_scores",
    "drivers_slope",
    "drivers_summary",
    "icc",
    "rater_agreement",
    "transfer_summary",
    "wilson_interval",
]

#: Names defined in :mod:`toolkit.transfer`, importable from here (loaded on first use, as
#: :mod:`toolkit.transfer` itself builds on this module's scoring helpers).
_FROM_TRANSFER = ("drivers_slope", "drivers_summary", "transfer_summary")

_WAVES = ("baseline", "followup_3m", "followup_6m")
_ALTERNATIVES = ("two-sided", "less", "greater")
_ICC_TYPES = ("ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(1,k)", "ICC(A,k)", "ICC(C,k)")
_ICC_SF = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")
_ICC_TEXT = tuple(
    f"{model}, {rule}"
    for rule in ("single rater", "mean of k raters")
    for model in (
        "one-way random",
        "two-way random, absolute agreement",
        "two-way mixed, consistency",
    )
)


def __getattr__(name: str):
    if name in _FROM_TRANSFER:
        from toolkit import transfer

        return getattr(transfer, name)
    raise AttributeError(f"module 'toolkit.behavior' has no attribute {name!r}")


# --------------------------------------------------------------------------- helpers
def _paired(frame, keys, *, confidence, alternative):
    """Paired t and d_z per group of ``keys`` (columns pre, post), via :mod:`toolkit.learning`."""
    frame = frame.reset_index(drop=True)
    gid = frame.groupby(keys, observed=True, sort=True).ngroup().to_numpy()
    ok = gid >= 0
    pairs = pd.DataFrame({"_g": gid, "pre": frame["pre"], "post": frame["post"]})[ok]
    if pairs.empty:
        raise ValueError("No participant has both scores to compare; check `wave`/`rater`.")
    test = learning.prepost_test(pairs, by="_g", alternative=alternative, confidence=confidence)
    test = test[test["test"] == "paired_t"].set_index("_g")
    es = learning.paired_effect_sizes(
        pairs, by="_g", confidence=confidence, alternative=alternative
    )
    es = es[es["measure"] == "d_z"].set_index("_g")
    sd = (pairs["post"] - pairs["pre"]).groupby(pairs["_g"]).std()
    out = frame.loc[ok, keys].set_index(gid[ok])
    out = out[~out.index.duplicated()].sort_index()
    out["n"] = test["n"]
    out["mean_from"], out["mean_to"] = test["mean_pre"], test["mean_post"]
    out["estimate"], out["sd_diff"] = test["estimate"], sd
    out["se"] = sd / np.sqrt(test["n"])
    out["ci_low"], out["ci_high"] = test["ci_low"], test["ci_high"]
    out["t"], out["df"], out["p_value"] = test["statistic"], test["df"], test["p_value"]
    out["d_z"], out["d_z_ci_low"], out["d_z_ci_high"] = es["estimate"], es["ci_low"], es["ci_high"]
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- scores
def behavior_scores(
    df: pd.DataFrame,
    *,
    by=None,
    rater=_RATERS,
    wave=_WAVES,
    instruments: pd.DataFrame | None = None,
    items=None,
    min_items: int | None = None,
) -> pd.DataFrame:
    """Score of every participant for each rater and wave (the module's scoring rule).

    Parameters
    ----------
    df : DataFrame
        The ``behavior`` table (participant_id, session_id, rater, wave, item_code, rating).
    by : str or list of str, optional
        Columns of ``df`` to carry into the result (e.g. ``unit_id`` merged in first).
    rater, wave : str or sequence of str
        Raters and waves to score; default all.
    instruments, items, min_items :
        Which items are scored and how many must be rated, as in :func:`behavior_change`.

    Returns
    -------
    DataFrame
        One row per participant × rater × wave with a score: ``*by, participant_id,
        session_id, rater, wave, n_items`` (items rated), ``score`` (their mean), sorted.
        The analyses of this module start from exactly these scores.

    Examples
    --------
    >>> df = pd.DataFrame({"participant_id": "p1", "session_id": "S01", "rater": "self",
    ...     "wave": ["baseline", "baseline", "followup_3m", "followup_3m"],
    ...     "item_code": ["B01", "B02", "B01", "B02"], "rating": [3, 4, 4, None]})
    >>> behavior_scores(df)[["wave", "n_items", "score"]]
              wave  n_items  score
    0     baseline        2    3.5
    1  followup_3m        1    4.0
    """
    by = _check_common(df, by, min_items, 0.95)
    raters = _check_each("rater", rater, _RATERS)
    waves = _check_each("wave", wave, _WAVES)
    codes, _ = _item_sets(df, instruments, items)
    g = _scores(df, codes, by=by, min_items=min_items, raters=raters, waves=waves, counts=True)
    out = g.reset_index().rename(columns={"count": "n_items", "mean": "score"})
    out["n_items"] = out["n_items"].astype("int64")
    order = {
        c: {v: i for i, v in enumerate(vals)} for c, vals in (("rater", _RATERS), ("wave", _WAVES))
    }
    return out.sort_values(
        [*by, *_KEY, "rater", "wave"],
        key=lambda s: s.map(order[s.name]) if s.name in order else s,
        ignore_index=True,
    )


# --------------------------------------------------------------------------- behaviour change
def behavior_change(
    df: pd.DataFrame,
    *,
    by=None,
    rater=("self", "supervisor"),
    compare=("baseline", "followup_3m", "followup_6m"),
    instruments: pd.DataFrame | None = None,
    items=None,
    min_items: int | None = None,
    confidence: float = 0.95,
    alternative: str = "two-sided",
) -> pd.DataFrame:
    """Paired change in competency scores from baseline to each follow-up, by rater.

    Parameters
    ----------
    df : DataFrame
        The ``behavior`` table (participant_id, session_id, rater, wave, item_code, rating).
    by : str or list of str, optional
        Grouping columns of ``df``; each group is analysed separately, in one pass.
    rater : str or sequence of str
        Raters to analyse: ``"self"``, ``"supervisor"`` or both (default).
    compare : sequence of str
        Waves; the first is the reference and every later one is compared with it. The
        default compares baseline with 3 and with 6 months; ``("baseline", "followup_3m")``
        gives one comparison.
    instruments, items : DataFrame, list of str, optional
        The ``instruments`` table (to leave driver items out of the score), or the item codes
        to score (overrides ``instruments``).
    min_items : int, optional
        Fewest items rated for a score to count; default half the items the participant was
        asked, rounded up (see the module's scoring rule).
    confidence : float
        Confidence level of the interval of the mean change.
    alternative : {"two-sided", "less", "greater"}
        Alternative hypothesis of the paired t-test (SciPy's meaning; one-sided CIs follow).

    Returns
    -------
    DataFrame
        One row per group × rater × comparison with columns ``*by, rater, wave_from, wave_to,
        n`` (participants with both scores), ``mean_from, mean_to, estimate`` (mean change,
        ``mean_to - mean_from``), ``sd_diff, se, ci_low, ci_high, t, df, p_value, d_z,
        d_z_ci_low, d_z_ci_high, method`` (``stat_method`` when a ``by`` column is
        called ``method``).

    Notes
    -----
    For each participant :math:`d_i = s_{i,\\text{to}} - s_{i,\\text{from}}` (complete pairs
    only). Paired t: :math:`t = \\bar d / (s_d/\\sqrt n)` on :math:`n-1` df; CI
    :math:`\\bar d \\pm t_{1-\\alpha/2,\\,n-1}\\, s_d/\\sqrt n`. The effect size is
    :math:`d_z = \\bar d / s_d = t/\\sqrt n` (Cohen's d for paired differences, labelled
    ``d_z``; it is not d_av or d_rm, which divide by the SDs of the scores), with the exact
    noncentral-t interval. The computation is :func:`toolkit.learning.prepost_test` and
    :func:`toolkit.learning.paired_effect_sizes` on the paired scores (from = pre, to = post).
    Groups with fewer than 2 pairs, or no variation in the changes, give NaN statistics.

    References
    ----------
    Kirkpatrick, J. D., & Kirkpatrick, W. K. (2016). *Kirkpatrick's Four Levels of Training
    Evaluation*. ATD Press.
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative science.
    *Frontiers in Psychology*, 4, 863. https://doi.org/10.3389/fpsyg.2013.00863

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "participant_id": ["p1"] * 4 + ["p2"] * 4 + ["p3"] * 4,
    ...     "session_id": "S01", "rater": "self",
    ...     "wave": ["baseline", "baseline", "followup_3m", "followup_3m"] * 3,
    ...     "item_code": ["B01", "B02"] * 6,
    ...     "rating": [2, 3, 4, 4, 3, 3, 3, 4, 2, 2, 4, 3]})
    >>> out = behavior_change(df, rater="self", compare=("baseline", "followup_3m"))
    >>> out[["rater", "n", "mean_from", "mean_to", "estimate", "d_z"]].round(3)
      rater  n  mean_from  mean_to  estimate    d_z
    0  self  3      2.500    3.667     1.167  2.021
    """
    by = _check_common(df, by, min_items, confidence)
    check_one_of("alternative", alternative, _ALTERNATIVES)
    raters = _check_each("rater", rater, _RATERS)
    waves = _check_each("compare", compare, _WAVES)
    if len(waves) < 2:
        raise ValueError(f"`compare` needs a reference wave and at least one more, got {waves!r}.")
    codes, _ = _item_sets(df, instruments, items)
    wide = _scores(df, codes, by=by, min_items=min_items, raters=raters, waves=waves).unstack(
        "wave"
    )
    keys = [*by, "rater"]
    parts = [
        pd.DataFrame({"pre": wide[waves[0]], "post": wide[to]}).dropna().assign(wave_to=to)
        for to in waves[1:]
        if waves[0] in wide.columns and to in wide.columns
    ]
    if not parts:
        raise ValueError(
            f"No participant has scores at both {waves[0]!r} and any of {waves[1:]!r}."
        )
    frame = pd.concat(parts).reset_index()
    out = _paired(frame, [*keys, "wave_to"], confidence=confidence, alternative=alternative)
    out.insert(len(keys), "wave_from", waves[0])
    out["stat_method" if "method" in by else "method"] = (
        "paired t-test (toolkit.learning.prepost_test); d_z = mean(diff) / sd(diff)"
    )
    return out


# --------------------------------------------------------------------------- ICC
def _icc_from_long(long, groups, target, rater, value, confidence):
    """All six ICCs per group, from mean squares built with grouped sums (complete data)."""
    x = long[value]
    by = list(groups)
    gk = by if by else (lambda _: 0)
    k_grp = long.groupby(gk, observed=True, sort=False)[rater].transform("nunique")
    per_target = long.groupby([*by, target], observed=True, sort=False)[rater].transform("size")
    if (per_target > k_grp).any():
        raise ValueError(
            f"Some {target!r} were rated more than once by the same {rater!r}; "
            "aggregate to one rating per target and rater first."
        )
    long = long.loc[(per_target == k_grp).to_numpy()].assign(_x=x, _x2=x**2)
    gb = long.groupby(gk, observed=True, sort=True)
    tot = gb.agg(N=("_x", "size"), S=("_x", "sum"), S2=("_x2", "sum"))
    tot["n"] = gb[target].nunique()
    tot["k"] = gb[rater].nunique()
    row = long.groupby([*by, target], observed=True)["_x"].sum()
    col = long.groupby([*by, rater], observed=True)["_x"].sum()
    if by:
        tot["R2"] = (row**2).groupby(level=by, observed=True).sum()
        tot["C2"] = (col**2).groupby(level=by, observed=True).sum()
    else:
        tot["R2"], tot["C2"] = float((row**2).sum()), float((col**2).sum())
    n, k = tot["n"].to_numpy(float), tot["k"].to_numpy(float)
    cf = tot["S"].to_numpy(float) ** 2 / tot["N"].to_numpy(float)
    sst = tot["S2"].to_numpy(float) - cf
    ssr = tot["R2"].to_numpy(float) / k - cf
    ssc = tot["C2"].to_numpy(float) / n - cf
    sse = sst - ssr - ssc
    with np.errstate(invalid="ignore", divide="ignore"):
        msr, msc = ssr / (n - 1), ssc / (k - 1)
        mse, msw = sse / ((n - 1) * (k - 1)), (ssc + sse) / (n * (k - 1))
        est = _icc_core(n, k, msr, msc, mse, msw, confidence)
    rows = []
    for i, (t, sf, text) in enumerate(zip(_ICC_TYPES, _ICC_SF, _ICC_TEXT, strict=True)):
        part = pd.DataFrame({name: v[i] for name, v in est.items()}, index=tot.index)
        part.insert(0, "description", text)
        part.insert(0, "shrout_fleiss", sf)
        part.insert(0, "type", t)
        part["n_targets"] = tot["n"].to_numpy()
        part["n_raters"] = tot["k"].to_numpy()
        rows.append(part)
    out = pd.concat(rows)
    return out.reset_index(drop=not by)


def _icc_core(n, k, msr, msc, mse, msw, confidence):
    """ICC estimates, F tests and CIs (Shrout & Fleiss 1979; McGraw & Wong 1996)."""
    a = 1 - confidence
    ppf = stats.f.ppf
    icc1 = (msr - msw) / (msr + (k - 1) * msw)
    icc2 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    icc3 = (msr - mse) / (msr + (k - 1) * mse)
    df1, dfw, dfe = n - 1, n * (k - 1), (n - 1) * (k - 1)
    f1, f3 = msr / msw, msr / mse
    p1, p3 = stats.f.sf(f1, df1, dfw), stats.f.sf(f3, df1, dfe)
    f1l, f1u = f1 / ppf(1 - a / 2, df1, dfw), f1 * ppf(1 - a / 2, dfw, df1)
    f3l, f3u = f3 / ppf(1 - a / 2, df1, dfe), f3 * ppf(1 - a / 2, dfe, df1)
    fj = msc / mse
    vn = dfe * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    vd = df1 * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    v = vn / vd
    fu, fl = ppf(1 - a / 2, df1, v), ppf(1 - a / 2, v, df1)
    l2 = n * (msr - fu * mse) / (fu * (k * msc + (k * n - k - n) * mse) + n * msr)
    u2 = n * (fl * msr - mse) / (k * msc + (k * n - k - n) * mse + n * fl * msr)

    def sb(r):  # Spearman-Brown step-up to the mean of k raters
        return k * r / (1 + (k - 1) * r)

    # fmt: off
    return {
        "estimate": [icc1, icc2, icc3, sb(icc1), sb(icc2), sb(icc3)],
        "ci_low": [(f1l - 1) / (f1l + k - 1), l2, (f3l - 1) / (f3l + k - 1), 1 - 1 / f1l, sb(l2),
                   1 - 1 / f3l],
        "ci_high": [(f1u - 1) / (f1u + k - 1), u2, (f3u - 1) / (f3u + k - 1), 1 - 1 / f1u, sb(u2),
                    1 - 1 / f3u],
        "f": [f1, f3, f3, f1, f3, f3],
        "df1": [df1] * 6,
        "df2": [dfw, dfe, dfe, dfw, dfe, dfe],
        "p_value": [p1, p3, p3, p1, p3, p3],
    }
    # fmt: on


def icc(
    df: pd.DataFrame,
    *,
    target: str,
    rater: str,
    rating: str,
    by=None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The six intraclass correlations of Shrout & Fleiss (1979) with F-based CIs.

    Parameters
    ----------
    df : DataFrame
        Long data, one rating per target × rater (× group).
    target, rater, rating : str
        Columns holding the rated object, the rater and the numeric rating.
    by : str or list of str, optional
        Grouping columns; all groups in one pass.
    confidence : float
        Two-sided confidence level of the intervals.

    Returns
    -------
    DataFrame
        Six rows per group: ``*by, type`` (McGraw & Wong name: ICC(1,1), ICC(A,1), ICC(C,1),
        ICC(1,k), ICC(A,k), ICC(C,k)), ``shrout_fleiss`` (ICC1, ICC2, ICC3, ICC1k, ICC2k,
        ICC3k), ``description, estimate, ci_low, ci_high, f, df1, df2, p_value, n_targets,
        n_raters``.

    Notes
    -----
    Missing data: targets without a rating from every rater of their group are dropped
    (listwise), as in pingouin's ``nan_policy="omit"``. From the two-way ANOVA mean squares
    for targets (MSR), raters (MSC), error (MSE) and within targets (MSW):

    .. math::
        ICC(1,1) = \\frac{MSR - MSW}{MSR + (k-1)MSW},\\quad
        ICC(A,1) = \\frac{MSR - MSE}{MSR + (k-1)MSE + k(MSC - MSE)/n},\\quad
        ICC(C,1) = \\frac{MSR - MSE}{MSR + (k-1)MSE}

    and the k-rater forms by the Spearman–Brown formula. ICC(A,1) is Shrout & Fleiss's
    ICC(2,1) and ICC(C,1) their ICC(3,1). CIs: exact F-based for ICC(1,·) and ICC(C,·);
    for ICC(A,1) the approximate interval of McGraw & Wong (1996, Table 7) with Satterthwaite
    degrees of freedom, stepped up by Spearman–Brown for ICC(A,k) (Shrout & Fleiss 1979).
    The F tests are of H0: ICC = 0. Values agree with ``pingouin.intraclass_corr`` 0.7.

    References
    ----------
    Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
    reliability. *Psychological Bulletin*, 86(2), 420-428. https://doi.org/10.1037/0033-2909.86.2.420
    McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some intraclass correlation
    coefficients. *Psychological Methods*, 1(1), 30-46. https://doi.org/10.1037/1082-989X.1.1.30

    Examples
    --------
    Shrout & Fleiss's (1979) Table 2: six targets rated by four judges.

    >>> x = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> long = pd.DataFrame([(t, j, x[t][j]) for t in range(6) for j in range(4)],
    ...                     columns=["target", "judge", "rating"])
    >>> out = icc(long, target="target", rater="judge", rating="rating")
    >>> out[["shrout_fleiss", "estimate"]].round(2)
      shrout_fleiss  estimate
    0          ICC1      0.17
    1          ICC2      0.29
    2          ICC3      0.71
    3         ICC1k      0.44
    4         ICC2k      0.62
    5         ICC3k      0.91
    """
    check_columns(df, [target, rater, rating], param="df")
    by = check_columns(df, by, param="by")
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    values = pd.to_numeric(df[rating]).to_numpy(dtype=float, na_value=np.nan)
    long = df[[*by, target, rater]].assign(**{rating: values})
    long = long.loc[~np.isnan(values)]
    out = _icc_from_long(long, by, target, rater, rating, confidence)
    return out.sort_values([*by], kind="stable", ignore_index=True) if by else out


# --------------------------------------------------------------------------- agreement
def rater_agreement(
    df: pd.DataFrame,
    *,
    by=None,
    wave=("baseline", "followup_3m", "followup_6m"),
    form: str = "agreement",
    instruments: pd.DataFrame | None = None,
    items=None,
    min_items: int | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Self − supervisor gap and ICC of the two raters' competency scores, per wave.

    Parameters
    ----------
    df : DataFrame
        The ``behavior`` table.
    by : str or list of str, optional
        Grouping columns of ``df``.
    wave : str or sequence of str
        Waves to report (each separately).
    form : {"agreement", "consistency"}
        ``"agreement"`` (default): ICC(A,1), two-way random effects, absolute agreement,
        single rater = Shrout & Fleiss ICC(2,1); penalises a systematic self − supervisor
        difference, which is what matters when either rater's score is read as *the* score.
        ``"consistency"``: ICC(C,1), two-way mixed, consistency = ICC(3,1); ignores the gap.
    instruments, items, min_items :
        Scoring rule, as in :func:`behavior_change`.
    confidence : float
        Confidence level of both intervals.

    Returns
    -------
    DataFrame
        One row per group × wave: ``*by, wave, n`` (participants scored by both raters),
        ``mean_self, mean_supervisor, gap`` (mean of self − supervisor), ``gap_ci_low,
        gap_ci_high, gap_p_value`` (paired t-test), ``icc, icc_ci_low, icc_ci_high,
        icc_p_value, icc_type``.

    Notes
    -----
    A positive gap means participants rate themselves higher than their supervisors do
    (the usual leniency of self-ratings). The ICC and its CI are those of :func:`icc` with
    participants as targets and the two raters as judges (k = 2).

    References
    ----------
    McGraw & Wong (1996); Shrout & Fleiss (1979): see :func:`icc`.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "participant_id": [f"p{i}" for i in range(5) for _ in range(2)],
    ...     "session_id": "S01", "rater": ["self", "supervisor"] * 5,
    ...     "wave": "followup_3m", "item_code": "B01",
    ...     "rating": [5, 4, 4, 3, 3, 3, 5, 4, 2, 2]})
    >>> out = rater_agreement(df, wave="followup_3m")
    >>> out[["wave", "n", "gap", "icc", "icc_type"]].round(3)
              wave  n  gap    icc  icc_type
    0  followup_3m  5  0.6  0.778  ICC(A,1)
    """
    by = _check_common(df, by, min_items, confidence)
    check_one_of("form", form, ("agreement", "consistency"))
    waves = _check_each("wave", wave, _WAVES)
    codes, _ = _item_sets(df, instruments, items)
    scores = _scores(df, codes, by=by, min_items=min_items, waves=waves)
    wide = scores.unstack("rater")
    keys = [*by, "wave"]
    if not {"self", "supervisor"} <= set(wide.columns):
        wide = wide.reindex(columns=["self", "supervisor"])
    pair = wide[["self", "supervisor"]].dropna()
    frame = pd.DataFrame({"pre": pair["supervisor"], "post": pair["self"]}).reset_index()
    res = _paired(frame, keys, confidence=confidence, alternative="two-sided")
    names = {"mean_to": "mean_self", "mean_from": "mean_supervisor", "estimate": "gap"}
    names |= {"ci_low": "gap_ci_low", "ci_high": "gap_ci_high", "p_value": "gap_p_value"}
    g = res.rename(columns=names)[[*keys, "n", *names.values()]].set_index(keys)
    long = pair.stack().rename("score").reset_index()
    long["target"] = long[_KEY[0]].astype("str") + "\x1f" + long[_KEY[1]].astype("str")
    ic = _icc_from_long(long, keys, "target", "rater", "score", confidence)
    kind = "ICC(A,1)" if form == "agreement" else "ICC(C,1)"
    ic = ic.loc[ic["type"] == kind].set_index(keys)
    g["icc"] = ic["estimate"]
    g["icc_ci_low"], g["icc_ci_high"], g["icc_p_value"] = ic["ci_low"], ic["ci_high"], ic["p_value"]
    g["icc_type"] = kind
    return g.reset_index().sort_values(keys, ignore_index=True)
