"""Level 3 (Kirkpatrick): transfer to the job, scrap learning and the required drivers.

Behaviour change (:mod:`toolkit.behavior`) says how much ratings moved; this module asks
the questions a training office acts on:

* :func:`transfer_summary`: what share of participants apply the training on the job at
  a follow-up, and how much learning is *scrap* (learned but not applied), with Wilson
  intervals;
* :func:`drivers_summary`: the New World Kirkpatrick *required drivers* (supervisor
  support, opportunity to apply, resources, recognition): how often each is present, and
  the share applying with and without it (Newcombe interval of the difference);
* :func:`drivers_slope`: how much more behaviour changes per point of the drivers index
  (one least-squares slope per group, in one pass).

Every function scores participants with the rule of :mod:`toolkit.behavior` and is also
importable from there (``from toolkit.behavior import transfer_summary``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from toolkit._behavior_scores import (
    _KEY,
    _RATERS,
    _check_common,
    _check_each,
    _item_sets,
    _scores,
)
from toolkit.grouping import group_codes, group_sums
from toolkit.intervals import newcombe_difference, wilson_interval
from toolkit.validation import check_columns, check_number, check_one_of

__all__ = ["drivers_slope", "drivers_summary", "transfer_summary"]

_RULES = ("level", "gain", "both", "either")
_FOLLOWUPS = ("followup_3m", "followup_6m")


def _applied(scores, *, wave, baseline, threshold, min_gain, rule):
    """Application flag per participant × rater (index without wave)."""
    wide = scores.unstack("wave")
    if wave not in wide.columns:
        raise ValueError(
            f"No scores at wave {wave!r} in the data; waves present: {list(wide.columns)}."
        )
    level = wide[wave] >= threshold
    if rule == "level":
        ok = wide[wave].notna()
        flag = level
    else:
        base = wide[baseline] if baseline in wide.columns else pd.Series(np.nan, index=wide.index)
        gain = (wide[wave] - base) >= min_gain
        if rule == "gain":
            ok, flag = wide[wave].notna() & base.notna(), gain
        elif rule == "both":
            ok, flag = wide[wave].notna() & base.notna(), level & gain
        else:  # either: level alone suffices even without a baseline
            ok = wide[wave].notna() & (base.notna() | level)
            flag = level | gain
    return flag[ok].astype(bool).rename("applied")


# --------------------------------------------------------------------------- transfer
def transfer_summary(
    df: pd.DataFrame,
    *,
    by=None,
    rater=("self", "supervisor"),
    wave: str = "followup_6m",
    rule: str = "level",
    threshold: float = 4.0,
    min_gain: float = 0.5,
    learned: pd.DataFrame | None = None,
    instruments: pd.DataFrame | None = None,
    items=None,
    min_items: int | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share of participants applying the training on the job, and scrap learning.

    Parameters
    ----------
    df : DataFrame
        The ``behavior`` table.
    by : str or list of str, optional
        Grouping columns of ``df``.
    rater : str or sequence of str
        Whose ratings decide application; each rater is reported separately.
    wave : str
        Wave at which application is judged; default 6 months (LAN evaluates at 6–12).
    rule : {"level", "gain", "both", "either"}
        ``"level"`` (default): score at ``wave`` ≥ ``threshold``; ``"gain"``: score at
        ``wave`` minus baseline score ≥ ``min_gain``; ``"both"`` / ``"either"`` combine them.
    threshold : float
        Score that counts as applying; default 4 ("often" on a 1–5 scale).
    min_gain : float
        Rise from baseline that counts as applying; default 0.5 scale points.
    learned : DataFrame, optional
        Columns ``participant_id`` (and ``session_id`` if present) and boolean ``learned``
        (e.g. passed the post-test, from :mod:`toolkit.learning`). When given, scrap learning
        is counted among those who learned; otherwise among everyone rated.
    instruments, items, min_items :
        Scoring rule, as in :func:`behavior_change`.
    confidence : float
        Confidence level of the Wilson intervals.

    Returns
    -------
    DataFrame
        One row per group × rater: ``*by, rater, wave, rule, n`` (participants classified),
        ``n_applied, share_applied, ci_low, ci_high, scrap_basis`` ("learned" or "all
        rated"), ``n_basis, n_scrap, scrap_share, scrap_ci_low, scrap_ci_high``.

    Notes
    -----
    Scrap learning is learning delivered but not applied on the job: share = (learned and
    not applied) / learned. Participants without a score at ``wave`` (or, for the gain rules,
    at baseline) are not classified. Intervals: Wilson score (:func:`toolkit.intervals.wilson_interval`).

    References
    ----------
    Brinkerhoff, R. O. (2006). *Telling Training's Story*. Berrett-Koehler.

    Examples
    --------
    >>> df = pd.DataFrame({"participant_id": ["p1", "p2", "p3", "p4"], "session_id": "S01",
    ...     "rater": "supervisor", "wave": "followup_6m", "item_code": "B01",
    ...     "rating": [5, 4, 2, 3]})
    >>> out = transfer_summary(df, rater="supervisor")
    >>> out[["rater", "n", "n_applied", "share_applied", "scrap_share"]]
            rater  n  n_applied  share_applied  scrap_share
    0  supervisor  4          2            0.5          0.5
    """
    by = _check_common(df, by, min_items, confidence)
    check_one_of("rule", rule, _RULES)
    check_one_of("wave", wave, _FOLLOWUPS)
    check_number("threshold", threshold)
    check_number("min_gain", min_gain)
    raters = _check_each("rater", rater, _RATERS)
    codes, _ = _item_sets(df, instruments, items)
    scores = _scores(df, codes, by=by, min_items=min_items, raters=raters, waves=[wave, "baseline"])
    applied = _applied(
        scores, wave=wave, baseline="baseline", threshold=threshold, min_gain=min_gain, rule=rule
    )
    frame = applied.reset_index()
    if learned is not None:
        on = check_columns(learned, ["participant_id", "learned"], param="learned")[:1]
        on += ["session_id"] if "session_id" in learned.columns else []
        lk = learned[[*on, "learned"]].astype({c: "str" for c in on})
        frame = frame.astype({c: "str" for c in on}).merge(lk, on=on, how="left", validate="m:1")
        frame["basis"] = pd.array(frame["learned"], dtype="boolean").fillna(False).to_numpy(bool)
        basis = "learned"
    else:
        frame["basis"] = True
        basis = "all rated"
    frame["scrap"] = frame["basis"] & ~frame["applied"]
    g = frame.groupby([*by, "rater"], observed=True).agg(
        n=("applied", "size"),
        n_applied=("applied", "sum"),
        n_basis=("basis", "sum"),
        n_scrap=("scrap", "sum"),
    )
    g = g.astype("int64").reset_index()
    g.insert(len(by) + 1, "wave", wave)
    g.insert(len(by) + 2, "rule", rule)
    g["share_applied"] = g["n_applied"] / g["n"]
    g["ci_low"], g["ci_high"] = wilson_interval(g["n_applied"], g["n"], confidence=confidence)
    g["scrap_basis"] = basis
    with np.errstate(invalid="ignore", divide="ignore"):
        g["scrap_share"] = g["n_scrap"] / g["n_basis"].where(g["n_basis"] > 0)
    g["scrap_ci_low"], g["scrap_ci_high"] = wilson_interval(
        g["n_scrap"], g["n_basis"], confidence=confidence
    )
    cols = [*by, "rater", "wave", "rule", "n", "n_applied", "share_applied", "ci_low", "ci_high"]
    cols += ["scrap_basis", "n_basis", "n_scrap", "scrap_share", "scrap_ci_low", "scrap_ci_high"]
    return g[cols]


# --------------------------------------------------------------------------- drivers
def _driver_items(df, instruments, items):
    """Competency and driver item sets; an error when the bank has no driver item."""
    codes, drivers = _item_sets(df, instruments, items)
    if not drivers:
        raise ValueError("`instruments` has no item whose construct starts with 'driver_'.")
    return codes, drivers


def drivers_summary(
    df: pd.DataFrame,
    *,
    instruments: pd.DataFrame,
    by=None,
    wave: str = "followup_6m",
    driver_rater: str = "self",
    agree_threshold: float = 4.0,
    application_rater: str = "supervisor",
    rule: str = "level",
    threshold: float = 4.0,
    min_gain: float = 0.5,
    items=None,
    min_items: int | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Required drivers: how often each is present, and application with vs without it.

    Parameters
    ----------
    df, by, items, min_items, confidence :
        As in :func:`transfer_summary`.
    instruments : DataFrame
        The ``instruments`` table; driver items are those whose construct starts with
        ``"driver_"`` (supervisor support, opportunity to apply, resources, recognition).
    wave : str
        Follow-up wave of the driver items and of the application judgement.
    driver_rater : {"self", "supervisor"}
        Whose answers to the driver items are used (default the participant's).
    agree_threshold : float
        A driver counts as present when its score is at least this (default 4, "agree").
    application_rater, rule, threshold, min_gain :
        Who judges application and how, as in :func:`transfer_summary`. Default the
        supervisor: drivers are self-reported, so common-method bias is kept out.

    Returns
    -------
    DataFrame
        One row per group × driver construct: ``*by, driver, n`` (participants answering),
        ``mean, share_agree, agree_ci_low, agree_ci_high`` (Wilson), ``n_high, n_low``
        (with an application judgement), ``applied_high, applied_low`` (shares applying),
        ``difference`` (applied_high − applied_low), ``diff_ci_low, diff_ci_high``.

    Notes
    -----
    A participant's driver score is the mean of that construct's items. The difference in
    application shares has Newcombe's (1998) hybrid-score interval (his method 10, built
    from two Wilson intervals), which is the ``method="newcomb"`` interval of statsmodels'
    ``confint_proportions_2indep``. The association is descriptive: participants who report
    support may differ in other ways.

    References
    ----------
    Kirkpatrick, J. D., & Kirkpatrick, W. K. (2016). *Kirkpatrick's Four Levels of Training
    Evaluation* (required drivers). ATD Press.
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions. *Statistics in Medicine*, 17(8), 873-890.

    Examples
    --------
    >>> inst = pd.DataFrame({"item_code": ["B01", "D01"],
    ...                      "construct": ["service_communication", "driver_supervisor_support"]})
    >>> df = pd.DataFrame({"participant_id": [p for p in "abcd" for _ in range(3)],
    ...     "session_id": "S01", "wave": "followup_6m",
    ...     "rater": ["self", "self", "supervisor"] * 4,
    ...     "item_code": ["B01", "D01", "B01"] * 4,
    ...     "rating": [4, 5, 5, 4, 4, 4, 3, 2, 3, 4, 1, 4]})
    >>> out = drivers_summary(df, instruments=inst)
    >>> out[["n", "share_agree", "applied_high", "applied_low", "difference"]]
       n  share_agree  applied_high  applied_low  difference
    0  4          0.5           1.0          0.5         0.5
    """
    by = _check_common(df, by, min_items, confidence)
    check_one_of("wave", wave, _FOLLOWUPS)
    check_one_of("driver_rater", driver_rater, _RATERS)
    check_one_of("application_rater", application_rater, _RATERS)
    check_one_of("rule", rule, _RULES)
    check_number("agree_threshold", agree_threshold)
    codes, drivers = _driver_items(df, instruments, items)
    code = df["item_code"].astype("str")
    keep = (
        code.isin(list(drivers)).to_numpy()
        & (df["rater"].astype("str") == driver_rater).to_numpy()
        & (df["wave"].astype("str") == wave).to_numpy()
        & df["rating"].notna().to_numpy()
    )
    sub = df.loc[keep, [*by, *_KEY]].copy()
    sub["driver"] = code[keep].map(drivers).to_numpy()
    sub["rating"] = df.loc[keep, "rating"].to_numpy(dtype=float, na_value=np.nan)
    drv = sub.groupby([*by, *_KEY, "driver"], observed=True)["rating"].mean().rename("score")
    drv = drv.reset_index()
    drv["high"] = drv["score"] >= agree_threshold
    scores = _scores(
        df, codes, by=by, min_items=min_items, raters=[application_rater], waves=[wave, "baseline"]
    )
    rule_kw = {"threshold": threshold, "min_gain": min_gain, "rule": rule}
    applied = _applied(scores, wave=wave, baseline="baseline", **rule_kw)
    applied = applied.droplevel("rater").reset_index()
    on = [*by, *_KEY]
    drv = drv.astype({c: "str" for c in _KEY})
    applied = applied.astype({c: "str" for c in _KEY})
    m = drv.merge(applied, on=on, how="left", validate="m:1")
    yes, judged, high = m["applied"].eq(True), m["applied"].notna(), m["high"]
    m["app_high"], m["app_low"] = (yes & high).astype(int), (yes & ~high).astype(int)
    m["judged_high"], m["judged_low"] = (judged & high).astype(int), (judged & ~high).astype(int)
    g = (
        m.groupby([*by, "driver"], observed=True)
        .agg(
            n=("score", "size"),
            mean=("score", "mean"),
            n_agree=("high", "sum"),
            n_high=("judged_high", "sum"),
            n_low=("judged_low", "sum"),
            x_high=("app_high", "sum"),
            x_low=("app_low", "sum"),
        )
        .reset_index()
    )
    g["share_agree"] = g["n_agree"] / g["n"]
    g["agree_ci_low"], g["agree_ci_high"] = wilson_interval(
        g["n_agree"], g["n"], confidence=confidence
    )
    d, lo, hi = newcombe_difference(
        g["x_high"], g["n_high"], g["x_low"], g["n_low"], confidence=confidence
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        g["applied_high"] = g["x_high"] / g["n_high"]
        g["applied_low"] = g["x_low"] / g["n_low"]
    g["difference"], g["diff_ci_low"], g["diff_ci_high"] = d, lo, hi
    cols = [*by, "driver", "n", "mean", "share_agree", "agree_ci_low", "agree_ci_high"]
    cols += ["n_high", "n_low", "applied_high", "applied_low", "difference"]
    return g[[*cols, "diff_ci_low", "diff_ci_high"]]


# --------------------------------------------------------------------------- drivers slope
def drivers_slope(
    df: pd.DataFrame,
    *,
    instruments: pd.DataFrame,
    by=None,
    wave: str = "followup_6m",
    driver_rater: str = "self",
    change_rater: str = "supervisor",
    items=None,
    min_items: int | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Change in behaviour per point of the required-drivers index (least-squares slope).

    Parameters
    ----------
    df, by, items, min_items, confidence :
        As in :func:`transfer_summary`.
    instruments : DataFrame
        The ``instruments`` table; driver items are those whose construct starts with
        ``"driver_"``.
    wave : {"followup_3m", "followup_6m"}
        Follow-up of the driver answers and of the change in behaviour.
    driver_rater : {"self", "supervisor"}
        Whose answers make the drivers index (default the participant's).
    change_rater : {"self", "supervisor"}
        Whose ratings give the change in behaviour (default the supervisor's: a different
        source from the drivers, so that one person's mood does not drive both).

    Returns
    -------
    DataFrame
        One row per group: ``*by, n`` (participants with both), ``driver_mean,
        change_mean, slope`` (change per point of the index), ``se, ci_low, ci_high, t,
        df, p_value, intercept, r`` (Pearson correlation), ``method``.

    Notes
    -----
    For each participant, :math:`D_i` is the mean of the driver items (all four drivers
    together) answered by ``driver_rater`` at ``wave``, kept when at least half the driver
    items asked were answered, and :math:`\\Delta_i` is ``change_rater``'s score at
    ``wave`` minus the baseline score (module scoring rule). Ordinary least squares
    :math:`\\Delta_i = a + b D_i + e_i` per group, from grouped sums of centred values:
    :math:`b = S_{xy}/S_{xx}`, :math:`SE(b) = \\sqrt{(S_{yy} - b S_{xy}) / ((n-2) S_{xx})}`,
    t on :math:`n-2` df. The slope is descriptive: participants whose work environment
    supports them may differ in other ways, and error in the index flattens the slope.

    References
    ----------
    Kirkpatrick, J. D., & Kirkpatrick, W. K. (2016). *Kirkpatrick's Four Levels of Training
    Evaluation* (required drivers). ATD Press.

    Examples
    --------
    >>> inst = pd.DataFrame({"item_code": ["B01", "D01"],
    ...                      "construct": ["explaining_procedures", "driver_resources"]})
    >>> rows = [(p, r, w, i, v) for p, d, c in [("a", 2, 0), ("b", 3, 1), ("c", 4, 1), ("d", 5, 2)]
    ...         for r, w, i, v in [("self", "followup_6m", "D01", d),
    ...                            ("supervisor", "baseline", "B01", 2),
    ...                            ("supervisor", "followup_6m", "B01", 2 + c)]]
    >>> df = pd.DataFrame(rows, columns=["participant_id", "rater", "wave", "item_code",
    ...                                  "rating"]).assign(session_id="S01")
    >>> drivers_slope(df, instruments=inst)[["n", "slope", "intercept", "r"]].round(3)
       n  slope  intercept      r
    0  4    0.6       -1.1  0.949
    """
    by = _check_common(df, by, min_items, confidence)
    check_one_of("wave", wave, _FOLLOWUPS)
    check_one_of("driver_rater", driver_rater, _RATERS)
    check_one_of("change_rater", change_rater, _RATERS)
    codes, drivers = _driver_items(df, instruments, items)
    index = _scores(df, list(drivers), by=by, min_items=None, raters=[driver_rater], waves=[wave])
    index = index.droplevel(["rater", "wave"]).rename("x")
    comp = _scores(df, codes, by=by, min_items=min_items, raters=[change_rater])
    wide = comp.droplevel("rater").unstack("wave")
    if "baseline" not in wide.columns or wave not in wide.columns:
        raise ValueError(f"No {change_rater} scores at both 'baseline' and {wave!r}.")
    change = (wide[wave] - wide["baseline"]).rename("y")
    frame = pd.concat([index, change], axis=1, join="inner").dropna().reset_index()
    if frame.empty:
        raise ValueError("No participant has both a drivers index and a change score.")
    gid, keys = group_codes(frame, by)
    ng = len(keys)
    x, y = frame["x"].to_numpy(float), frame["y"].to_numpy(float)
    n, sx, sy = group_sums(gid, ng, np.column_stack([np.ones_like(x), x, y])).T
    xc, yc = x - (sx / n)[gid], y - (sy / n)[gid]
    sxx, sxy, syy = group_sums(gid, ng, np.column_stack([xc * xc, xc * yc, yc * yc])).T
    dof = n - 2
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = sxy / sxx
        se = np.sqrt(np.maximum(syy - slope * sxy, 0.0) / dof / sxx)
        tstat = slope / se
        r = sxy / np.sqrt(sxx * syy)
    dof = np.where(dof > 0, dof, np.nan)
    crit = stats.t.ppf(0.5 + confidence / 2, dof)
    out = keys.reset_index(drop=True)
    out["n"] = n.astype("int64")
    out["driver_mean"], out["change_mean"] = sx / n, sy / n
    out["slope"], out["se"] = slope, se
    out["ci_low"], out["ci_high"] = slope - crit * se, slope + crit * se
    out["t"], out["df"], out["p_value"] = tstat, dof, 2 * stats.t.sf(np.abs(tstat), dof)
    out["intercept"] = sy / n - slope * sx / n
    out["r"] = r
    out["method"] = (
        f"OLS of {change_rater}-rated change (baseline to {wave}) on the {driver_rater}-rated "
        "drivers index"
    )
    return out
