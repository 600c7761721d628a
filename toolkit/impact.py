"""Level 4 attribution: did the training cause the change? DiD, event studies, balance.

A before/after change in a trained unit's IKM is not an effect of training: service quality
drifts for many reasons. The comparison units' change over the same periods estimates that
drift, and difference-in-differences (DiD) subtracts it. This module offers

* :func:`did`: the 2x2 regression and its panel form with unit and period fixed effects,
  standard errors conventional, robust (HC1) or clustered by unit (CR1);
* :func:`event_study`: leads and lags around each unit's first training, a joint pre-trend
  test, and for staggered training a cohort estimator (Callaway and Sant'Anna 2021) beside
  plain two-way fixed effects;
* :func:`period_index`: quarters ``"2024Q1"`` as consecutive integers.

The tables that go with them (:func:`toolkit.results.did_table` as ietoolkit's ``ieddtab``,
:func:`toolkit.results.balance_table` as ``iebaltab``) are in :mod:`toolkit.results`, which
re-exports everything here. Everything is numpy/scipy (within transformation, Frisch-Waugh-Lovell), checked against
statsmodels and linearmodels in the tests.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from toolkit.grouping import group_sums
from toolkit.validation import as_list, check_columns, check_number, check_one_of

__all__ = [
    "EventStudyResult",
    "did",
    "event_study",
    "period_index",
    "period_label",
]

SE_TYPES = ("cluster", "robust", "conventional")
_SE_LABEL = {
    "cluster": "cluster-robust CR1 (Stata factor G/(G-1)(N-1)/(N-K))",
    "robust": "heteroskedasticity-robust HC1",
    "conventional": "conventional OLS",
}


# ---------------------------------------------------------------------------------------
# periods


def period_index(values) -> pd.arrays.IntegerArray:
    """Turn quarters such as ``"2024Q1"`` into consecutive integers (year x 4 + quarter - 1).

    Parameters
    ----------
    values : array-like
        Quarters written ``YYYYQn`` (strings or categoricals), ``pandas.Period`` values, or
        integers (returned unchanged). Missing values stay missing.

    Returns
    -------
    pandas.arrays.IntegerArray
        Nullable integers; consecutive quarters differ by 1 across years.

    Raises
    ------
    ValueError
        Naming the first value that is not a quarter.

    Examples
    --------
    >>> period_index(["2023Q4", "2024Q1", None]).tolist()
    [8095, 8096, <NA>]
    >>> period_label([8095, 8096])
    ['2023Q4', '2024Q1']
    """
    s = pd.Series(values, copy=False)
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = pd.Series(s.cat.categories)
        mapped = period_index(cats).to_numpy(dtype="float64", na_value=np.nan)
        codes = s.cat.codes.to_numpy()
        out = np.where(codes >= 0, mapped[np.maximum(codes, 0)], np.nan)
        return pd.array(out, dtype="Float64").astype("Int64")
    if isinstance(s.dtype, pd.PeriodDtype):
        return pd.array(s.dt.year * 4 + s.dt.quarter - 1, dtype="Int64")
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        num = s.to_numpy(dtype="float64", na_value=np.nan)
        ok = np.isnan(num) | (num == np.floor(num))
        if not ok.all():
            raise ValueError(
                f"Integer periods must be whole numbers, but {num[~ok][0]!r} was passed."
            )
        return pd.array(num, dtype="Float64").astype("Int64")
    codes, uniques = pd.factorize(s)
    text = pd.Series(uniques, dtype="str").str.strip().str.upper()
    parts = text.str.extract(r"^(\d{4})Q([1-4])$")
    if parts[0].isna().any():
        bad = uniques[int(np.flatnonzero(parts[0].isna().to_numpy())[0])]
        raise ValueError(f"Periods must be quarters written like '2024Q1', but {bad!r} was passed.")
    mapped = parts[0].astype("int64").to_numpy() * 4 + parts[1].astype("int64").to_numpy() - 1
    out = np.where(codes >= 0, mapped[np.maximum(codes, 0)] if len(mapped) else 0, np.nan)
    return pd.array(out, dtype="Float64").astype("Int64")


def period_label(index) -> list[str]:
    """Inverse of :func:`period_index`: integers back to ``"YYYYQn"`` labels."""
    idx = np.asarray(index, dtype=np.int64)
    return [f"{y}Q{q}" for y, q in zip((idx // 4).tolist(), (idx % 4 + 1).tolist(), strict=True)]


# ---------------------------------------------------------------------------------------
# least squares core


@dataclass(frozen=True)
class _Fit:
    names: list[str]
    beta: np.ndarray  # NaN for columns dropped as collinear
    cov: np.ndarray
    df: float  # degrees of freedom for t tests (inf: normal)
    n: int
    n_clusters: int | None
    se_type: str


def _codes(values) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(pd.Series(values, copy=False))
    return codes.astype(np.int64), len(uniques)


def _demean(codes: np.ndarray, n_groups: int, m: np.ndarray) -> np.ndarray:
    """Within transformation: subtract each group's mean from every column of ``m``."""
    counts = np.bincount(codes, minlength=n_groups).astype("float64")
    means = group_sums(codes, n_groups, m) / np.maximum(counts, 1.0)[:, None]
    return m - means[codes]


def _dummies(codes: np.ndarray, n_levels: int, prefix: str) -> tuple[np.ndarray, list[str]]:
    """Indicator columns for levels 1..n_levels-1 (level 0 is the reference)."""
    out = np.zeros((len(codes), max(n_levels - 1, 0)))
    rows = np.flatnonzero(codes > 0)
    out[rows, codes[rows] - 1] = 1.0
    return out, [f"{prefix}[{j}]" for j in range(1, n_levels)]


def _independent(xtx: np.ndarray, order: list[int], tol: float = 1e-9) -> np.ndarray:
    """Columns kept, in ``order``: each is kept when it is not a combination of those before.

    Works on the cross-product matrix scaled to unit diagonal: a column's squared residual
    after projection on the kept ones, relative to its own length, must exceed ``tol``.
    The result depends on the order of the columns (which the caller fixes: nuisance
    effects first, the coefficients of interest last), never on the order of the rows.
    """
    d = np.sqrt(np.diag(xtx))
    a = xtx / np.outer(np.where(d > 0, d, 1.0), np.where(d > 0, d, 1.0))
    keep: list[int] = []
    for j in order:
        if d[j] == 0:
            continue
        if keep:
            v = np.linalg.solve(a[np.ix_(keep, keep)], a[keep, j])
            resid = a[j, j] - a[j, keep] @ v
        else:
            resid = a[j, j]
        if resid > tol:
            keep.append(j)
    return np.sort(np.asarray(keep, dtype=np.int64))


def _fit(y, X, names, *, se, clusters=None, n_absorbed=0, nested=True, last=()) -> _Fit:
    """OLS with collinear columns dropped (deterministically), with the chosen covariance.

    A column that is a linear combination of others is dropped (its coefficient is NaN,
    not identified). Columns are examined in a fixed order, those named in ``last`` (the
    coefficients of interest) after the others, so that a coefficient of interest that the
    design cannot separate from the fixed effects is the one reported as NaN, whatever
    the order of the rows.

    ``n_absorbed`` counts parameters removed by a within transformation (the unit fixed
    effects, including the intercept). Degrees of freedom follow Stata: conventional and
    HC1 count them (as ``reg ... i.unit``); CR1 counts only the intercept when the fixed
    effects are nested within the clusters (as ``xtreg, fe vce(cluster)``).
    """
    n, p = X.shape
    xtx = X.T @ X
    late = [names.index(t) for t in last]
    order = [j for j in range(p) if j not in late] + late
    keep = _independent(xtx, order) if p else np.arange(0)
    rank = len(keep)
    bread = np.linalg.inv(xtx[np.ix_(keep, keep)]) if rank else np.zeros((0, 0))
    b = bread @ (X.T @ y)[keep]
    e = y - X[:, keep] @ b
    n_clusters = None
    if se == "conventional":
        dof = n - rank - n_absorbed
        cov = bread * float(e @ e) / dof
    elif se == "robust":
        dof = n - rank - n_absorbed
        sc = X[:, keep] * e[:, None]
        cov = n / dof * bread @ (sc.T @ sc) @ bread
    else:
        present, codes = np.unique(clusters[0], return_inverse=True)  # clusters in this sample
        n_clusters = len(present)
        k = rank + (min(n_absorbed, 1) if nested else n_absorbed)
        s = group_sums(codes, n_clusters, X[:, keep] * e[:, None])
        factor = n_clusters / (n_clusters - 1) * (n - 1) / (n - k)
        cov = factor * bread @ (s.T @ s) @ bread
        dof = n_clusters - 1
    beta = np.full(p, np.nan)
    beta[keep] = b
    full = np.full((p, p), np.nan)
    full[np.ix_(keep, keep)] = cov
    return _Fit(list(names), beta, full, float(dof), n, n_clusters, se)


def _tidy(fit: _Fit, terms, *, confidence: float, method: str, labels=None) -> pd.DataFrame:
    idx = [fit.names.index(t) for t in terms]
    est = fit.beta[idx]
    se = np.sqrt(np.diag(fit.cov)[idx])
    with np.errstate(invalid="ignore", divide="ignore"):
        tstat = est / se
    dist = stats.norm if np.isinf(fit.df) else stats.t(fit.df)
    crit = dist.ppf(0.5 + confidence / 2)
    return pd.DataFrame(
        {
            "term": list(labels or terms),
            "estimate": est,
            "se": se,
            "t": tstat,
            "df": fit.df,
            "p_value": 2 * dist.sf(np.abs(tstat)),
            "ci_low": est - crit * se,
            "ci_high": est + crit * se,
            "n": fit.n,
            "n_clusters": pd.array([fit.n_clusters] * len(idx), dtype="Int64"),
            "se_type": _SE_LABEL[fit.se_type],
            "method": method,
        }
    )


def _wald(fit: _Fit, terms) -> tuple[float, int, float, float]:
    """Joint test that ``terms`` are all zero: (F statistic, q, denominator df, p-value)."""
    idx = [fit.names.index(t) for t in terms if not np.isnan(fit.beta[fit.names.index(t)])]
    b = fit.beta[idx]
    q = len(idx)
    if q == 0:
        return np.nan, 0, fit.df, np.nan
    f = float(b @ np.linalg.solve(fit.cov[np.ix_(idx, idx)], b)) / q
    p = stats.chi2.sf(f * q, q) if np.isinf(fit.df) else stats.f.sf(f, q, fit.df)
    return f, q, fit.df, float(p)


def _warn_unidentified(terms: list[str], why: str) -> None:
    """Say which coefficients the design cannot identify (they are reported as NaN)."""
    word = "coefficient" if len(terms) == 1 else "coefficients"
    warnings.warn(
        f"The {word} {', '.join(terms)} cannot be estimated from these data and "
        f"{'is' if len(terms) == 1 else 'are'} reported as NaN: {why}.",
        UserWarning,
        stacklevel=3,
    )


def _binary(s: pd.Series, name: str) -> np.ndarray:
    v = s.to_numpy(dtype="float64", na_value=np.nan)
    bad = ~np.isin(v, (0.0, 1.0))
    if bad.any():
        raise ValueError(
            f"`{name}` must be a 0/1 (or True/False) column, but it holds {v[bad][0]!r}. "
            "Recode it, e.g. df[col] == 'treated'."
        )
    return v


def _prepare(df, columns, *, se, cluster, unit, confidence, carry=()):
    check_one_of("se", se, SE_TYPES)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    if se == "cluster" and cluster is None:
        cluster = unit
        if cluster is None:
            raise ValueError(
                "se='cluster' needs the column to cluster on: pass cluster=... (or unit=...), "
                "or choose se='robust' for a cross-section of independent observations."
            )
    cols = [c for c in dict.fromkeys([*columns, cluster if se == "cluster" else None]) if c]
    check_columns(df, [*cols, *carry])
    data = df[list(dict.fromkeys([*cols, *carry]))][df[cols].notna().all(axis=1)]
    data = data.reset_index(drop=True)
    if len(data) == 0:
        raise ValueError("No complete rows: every row misses at least one of " + ", ".join(cols))
    clusters = _codes(data[cluster]) if se == "cluster" else None
    if clusters is not None and clusters[1] < 2:
        raise ValueError("Clustered standard errors need at least 2 clusters.")
    return data, clusters, cluster


def _nested(unit_codes, clusters) -> bool:
    if clusters is None:
        return True
    pairs = np.unique(unit_codes * clusters[1] + clusters[0])
    return len(pairs) == unit_codes.max() + 1


# ---------------------------------------------------------------------------------------
# difference-in-differences


def did(
    df: pd.DataFrame,
    *,
    outcome: str,
    treated: str,
    post: str,
    unit: str | None = None,
    period: str | None = None,
    covariates=None,
    cluster: str | None = None,
    se: str = "cluster",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Difference-in-differences: the 2x2 regression or two-way fixed effects on a panel.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per observation (a unit in a period, or a respondent in a repeated
        cross-section).
    outcome : str
        Outcome column, e.g. the converted IKM from :func:`toolkit.results.ikm_panel`.
    treated, post : str
        0/1 (or bool) columns: the unit belongs to the trained group; the observation is
        after training. Their product is the treatment indicator :math:`D`.
    unit, period : str, optional
        With both, the regression has unit and period fixed effects (panel, TWFE); with
        ``unit`` only, unit effects and ``post``; with ``period`` only, ``treated`` and
        period effects; with neither, the 2x2 regression.
    covariates : str or list of str, optional
        Control variables added to the regression.
    cluster : str, optional
        Column to cluster on; defaults to ``unit``.
    se : {"cluster", "robust", "conventional"}, default "cluster"
        Covariance estimator (see Notes).
    confidence : float, default 0.95
        Level of the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        One row per reported term (``did`` is the effect; in the 2x2 form also
        ``intercept``, ``treated``, ``post``; and covariates): ``term, estimate, se, t, df,
        p_value, ci_low, ci_high, n, n_clusters, se_type, method``.

    Notes
    -----
    The 2x2 regression :math:`y = \\alpha + \\gamma T + \\lambda P + \\delta\\,T P + \\varepsilon`
    gives :math:`\\hat\\delta = (\\bar y_{T1} - \\bar y_{T0}) - (\\bar y_{C1} - \\bar y_{C0})`.
    The panel form :math:`y_{it} = \\alpha_i + \\lambda_t + \\delta D_{it} + x_{it}'\\beta +
    \\varepsilon_{it}` is fitted by the within transformation (unit means removed, period
    dummies kept; Frisch-Waugh-Lovell), which gives the same :math:`\\hat\\delta` as unit
    dummies. Rows with a missing value in any used column are dropped.

    Standard errors, with :math:`N` observations, :math:`G` clusters and :math:`K`
    parameters: conventional :math:`\\hat\\sigma^2 (X'X)^{-1}`, :math:`\\hat\\sigma^2 = e'e/(N-K)`;
    robust HC1 :math:`\\frac{N}{N-K}(X'X)^{-1}\\sum_i x_i x_i' e_i^2 (X'X)^{-1}`; cluster
    CR1 :math:`\\frac{G}{G-1}\\frac{N-1}{N-K}(X'X)^{-1}\\sum_g X_g'e_g e_g'X_g(X'X)^{-1}`
    with t tests on :math:`G-1` degrees of freedom (Stata's ``vce(cluster)``). :math:`K`
    counts the unit fixed effects for conventional and HC1 (as ``regress y D i.unit``), but
    not for CR1 when units are nested in clusters, where only the intercept is counted (as
    ``xtreg, fe vce(cluster)``; Cameron and Miller 2015, section III.B): counting them
    would inflate clustered SEs by :math:`\\sqrt{(N-1)/(N-K)}` for nothing.

    With staggered training dates and effects that change over time, the TWFE coefficient
    is a weighted average with possibly negative weights (Goodman-Bacon 2021): use
    :func:`event_study`, whose cohort estimator avoids the problem.

    References
    ----------
    Wooldridge, J. M. (2020). *Introductory Econometrics*, 7th ed., ch. 13-14.
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. *Journal of Human Resources*, 50(2), 317-372. doi:10.3368/jhr.50.2.317
    Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
    *Journal of Econometrics*, 225(2), 254-277. doi:10.1016/j.jeconom.2021.03.014

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [10, 11, 12, 13, 20, 21, 25, 27],
    ...                    "treated": [0, 0, 0, 0, 1, 1, 1, 1],
    ...                    "post": [0, 0, 1, 1, 0, 0, 1, 1]})
    >>> did(df, outcome="y", treated="treated", post="post", se="robust")[["term", "estimate"]]
            term  estimate
    0  intercept      10.5
    1    treated      10.0
    2       post       2.0
    3        did       3.5
    """
    covs = as_list(covariates)
    check_columns(df, [c for c in (unit, period) if c], param="unit/period")
    data, clusters, cluster = _prepare(
        df,
        [outcome, treated, post, unit, period, *covs],
        se=se,
        cluster=cluster,
        unit=unit,
        confidence=confidence,
    )
    y = data[outcome].to_numpy(dtype="float64")
    tr = _binary(data[treated], "treated")
    po = _binary(data[post], "post")
    cov_x = data[covs].to_numpy(dtype="float64") if covs else np.empty((len(data), 0))
    cols, names = [], []
    if unit is None:
        cols.append(np.ones(len(y)))
        names.append("intercept")
        cols.append(tr)
        names.append("treated")
    if period is None:
        cols.append(po)
        names.append("post")
    cols.append(tr * po)
    names.append("did")
    reported = list(names)
    X = np.column_stack([*cols, cov_x])
    names += covs
    reported += covs
    if period is not None:
        pdum, pnames = _dummies(*_codes(data[period]), prefix="period")
        X = np.column_stack([X, pdum])
        names += pnames
    n_absorbed, nested = 0, True
    if unit is not None:
        ucodes, n_units = _codes(data[unit])
        y = _demean(ucodes, n_units, y[:, None])[:, 0]
        X = _demean(ucodes, n_units, X)
        n_absorbed, nested = n_units, _nested(ucodes, clusters)
    last = [t for t in ("intercept", "treated", "post", "did") if t in names]
    fit = _fit(
        y, X, names, se=se, clusters=clusters, n_absorbed=n_absorbed, nested=nested, last=last
    )
    lost = [t for t in last if np.isnan(fit.beta[names.index(t)])]
    if lost:
        if np.all(tr == 1) or np.all(tr == 0):
            why = (
                "every unit is " + ("trained" if np.all(tr == 1) else "untrained") + ", so "
                "there is no comparison group and the effect cannot be told apart from the "
                "period effects; add units that were not trained (or not yet)"
            )
        elif np.all(po == po[0]):
            why = "every observation is " + ("after" if po[0] else "before") + " training"
        else:
            why = "it is a linear combination of the fixed effects and the other terms"
        _warn_unidentified(lost, why)
    method = {
        (False, False): "2x2 DiD regression (treated, post, treated x post)",
        (True, False): "DiD with unit fixed effects and post",
        (False, True): "DiD with treated and period fixed effects",
        (True, True): "two-way fixed effects DiD (unit and period fixed effects)",
    }[(unit is not None, period is not None)]
    return _tidy(fit, reported, confidence=confidence, method=method)


# ---------------------------------------------------------------------------------------
# event study


@dataclass(frozen=True)
class EventStudyResult:
    """Result of :func:`event_study`.

    Attributes
    ----------
    estimates : pandas.DataFrame
        One row per estimator and event time: ``estimator, rel_time, estimate, se,
        statistic, p_value, ci_low, ci_high, n, n_clusters, method`` (the reference period
        has estimate 0 and no SE).
    pretrend : pandas.DataFrame
        Joint test that all leads before the reference are zero: ``estimator, test,
        statistic, df1, df2, p_value``.
    overall : pandas.DataFrame
        One average effect per estimator (static TWFE coefficient; cohort estimator's
        simple aggregation), same columns as ``estimates`` without ``rel_time``.
    bases : pandas.DataFrame
        The cohort estimator's base period per cohort: ``cohort, planned_base`` (period
        ``g + reference``), ``base_period`` (the one used: the planned one, or the last
        earlier period with data when nobody was observed in it; missing when there is
        none and the cohort is left out) and ``moved``. Empty for TWFE alone.
    """

    estimates: pd.DataFrame
    pretrend: pd.DataFrame
    overall: pd.DataFrame
    bases: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        """The event-time estimates."""
        return self.estimates.copy()


_ES_COLUMNS = [
    "estimator",
    "rel_time",
    "estimate",
    "se",
    "statistic",
    "p_value",
    "ci_low",
    "ci_high",
    "n",
    "n_clusters",
    "method",
]


def _twfe_es(y, ucodes, n_units, t, g, clusters, lo, hi, ref, confidence):
    rel = t - g
    ks = [k for k in range(lo, hi + 1) if k != ref]
    rb = np.clip(rel, lo, hi)
    R = (rb[:, None] == np.array(ks, dtype="float64")[None, :]).astype("float64")
    pdum, pnames = _dummies(*_codes(t), prefix="period")
    names = [f"rel[{k}]" for k in ks] + pnames
    nested = _nested(ucodes, clusters)
    yd = _demean(ucodes, n_units, y[:, None])[:, 0]
    fit = _fit(
        yd,
        _demean(ucodes, n_units, np.column_stack([R, pdum])),
        names,
        se="cluster",
        clusters=clusters,
        n_absorbed=n_units,
        nested=nested,
        last=names[: len(ks)],
    )
    observed = R.any(axis=0)  # an event time nobody is observed at is simply empty
    lost = [n for j, n in enumerate(names[: len(ks)]) if observed[j] and np.isnan(fit.beta[j])]
    if lost:
        never = bool(np.isnan(g).any())
        _warn_unidentified(
            lost,
            "with no never-trained units, event time is a linear combination of the unit and "
            "period effects; bin an endpoint (a narrower window) or drop a lead"
            if not never
            else "these event times are a linear combination of the unit and period effects",
        )
    method = (
        "TWFE event study: unit and period fixed effects, event-time dummies with "
        "binned endpoints, SEs clustered by unit"
    )
    est = _tidy(fit, names[: len(ks)], confidence=confidence, method=method)
    est = est.rename(columns={"t": "statistic"}).assign(estimator="twfe", rel_time=ks)
    f, q, df2, p = _wald(fit, [f"rel[{k}]" for k in ks if k < ref])
    pre = {"estimator": "twfe", "test": "F", "statistic": f, "df1": q, "df2": df2, "p_value": p}
    d = np.where(np.isnan(rel), 0.0, (rel >= 0).astype("float64"))
    static = _fit(
        yd,
        _demean(ucodes, n_units, np.column_stack([d, pdum])),
        ["did", *pnames],
        se="cluster",
        clusters=clusters,
        n_absorbed=n_units,
        nested=nested,
        last=["did"],
    )
    if np.isnan(static.beta[0]):
        _warn_unidentified(
            ["did (static TWFE)"],
            "the treatment dummy is a linear combination of the unit and period effects "
            "(every unit trained in the same period, with no untrained units)",
        )
    overall = _tidy(
        static,
        ["did"],
        confidence=confidence,
        method="static TWFE: unit and period fixed effects, one treatment dummy",
    )
    overall = overall.rename(columns={"t": "statistic"}).assign(estimator="twfe")
    return est, pre, overall


def _cohort_es(y, ucodes, n_units, t, g, lo, hi, ref, confidence):
    t0 = int(t.min())
    T = int(t.max()) - t0 + 1
    Y = np.full((n_units, T), np.nan)
    Y[ucodes, (t - t0).astype(np.int64)] = y
    gu = np.full(n_units, np.nan)
    gu[ucodes] = g - t0
    inc = ~(gu + ref < 0)  # units trained too early to have a base period are left out
    gcoh = np.where(np.isnan(gu), np.inf, gu)
    N = int(inc.sum())
    delta = -ref - 1  # periods of anticipation allowed by the reference
    observed = ~np.isnan(Y).all(axis=0)  # periods in which some unit has an outcome
    cells, psis, bases = [], [], []
    for gg in np.unique(gcoh[inc & np.isfinite(gcoh) & (gcoh <= T - 1)]):
        planned = int(gg) + ref
        # the base is period g + reference; when nobody was observed then (a quarter without
        # a survey), the last earlier period with data, as R's `did` does
        earlier = np.flatnonzero(observed[: planned + 1]) if planned >= 0 else np.arange(0)
        base = int(earlier[-1]) if len(earlier) else -1
        bases.append((int(gg) + t0, planned + t0, base + t0 if base >= 0 else np.nan))
        if base < 0:
            continue
        for tt in range(T):
            e = tt - int(gg)
            if tt == base or e < lo:
                continue
            dy = Y[:, tt] - Y[:, base]
            ok = inc & ~np.isnan(dy)
            mt = ok & (gcoh == gg)
            mc = ok & (gcoh > max(tt, base) + delta) & (gcoh != gg)
            if not mt.any() or not mc.any():
                continue  # not identified: no comparison unit left untrained
            m1, m0 = dy[mt].mean(), dy[mc].mean()
            psi = np.zeros(n_units)
            psi[mt] = N * (dy[mt] - m1) / mt.sum()
            psi[mc] = -N * (dy[mc] - m0) / mc.sum()
            cells.append((gg, e, m1 - m0))
            psis.append(psi)
    cg, ce, att = (
        (np.array(c, dtype="float64") for c in zip(*cells, strict=True))
        if cells
        else (np.empty(0), np.empty(0), np.empty(0))
    )
    Psi = np.column_stack(psis) if psis else np.empty((n_units, 0))
    pg = np.array([(inc & (gcoh == c)).sum() for c in cg]) / max(N, 1)

    def aggregate(mask):
        if not mask.any():
            return np.nan, np.zeros(n_units)
        w = pg[mask] / pg[mask].sum()
        ind = (gcoh[:, None] == cg[mask][None, :]) & inc[:, None]
        dev = (ind - pg[mask]) * inc[:, None]
        wif = dev / pg[mask].sum() - dev.sum(1, keepdims=True) * pg[mask] / pg[mask].sum() ** 2
        return float(w @ att[mask]), Psi[:, mask] @ w + wif @ att[mask]

    method = (
        f"cohort estimator (Callaway-Sant'Anna group-time ATT, base period g{ref:+d}, "
        "not-yet-trained and never-trained comparison units, cohort-size weights)"
    )
    ks = [k for k in range(lo, hi + 1) if k != ref]
    thetas, infs = zip(*(aggregate(ce == k) for k in ks), strict=True)
    z = stats.norm.ppf(0.5 + confidence / 2)

    def frame(theta, inf):
        theta = np.asarray(theta, dtype="float64")
        se = np.sqrt((np.column_stack(inf) ** 2).sum(0)) / max(N, 1)
        se = np.where(np.isnan(theta), np.nan, se)
        with np.errstate(invalid="ignore", divide="ignore"):
            stat = theta / se
        return pd.DataFrame(
            {
                "estimate": theta,
                "se": se,
                "statistic": stat,
                "p_value": 2 * stats.norm.sf(np.abs(stat)),
                "ci_low": theta - z * se,
                "ci_high": theta + z * se,
                "n": N,
                "n_clusters": pd.array([N] * len(theta), dtype="Int64"),
                "method": method,
            }
        )

    est = frame(thetas, infs).assign(estimator="cohort", rel_time=ks)
    pre_idx = [i for i, k in enumerate(ks) if k < ref and not np.isnan(thetas[i])]
    stat, p = np.nan, np.nan
    if pre_idx:
        b = np.array([thetas[i] for i in pre_idx])
        inf = np.column_stack([infs[i] for i in pre_idx])
        stat = float(b @ np.linalg.solve(inf.T @ inf / N**2, b))
        p = float(stats.chi2.sf(stat, len(pre_idx)))
    pre = {
        "estimator": "cohort",
        "test": "chi2",
        "statistic": stat,
        "df1": len(pre_idx),
        "df2": np.inf,
        "p_value": p,
    }
    overall = frame(*(lambda a: ([a[0]], [a[1]]))(aggregate(ce >= 0))).assign(estimator="cohort")
    base_table = pd.DataFrame(bases, columns=["cohort", "planned_base", "base_period"])
    return est, pre, overall, base_table


def event_study(
    df: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    period: str,
    first_treated: str,
    window: tuple[int, int] = (-4, 4),
    reference: int = -1,
    estimator: str = "both",
    cluster: str | None = None,
    confidence: float = 0.95,
) -> EventStudyResult:
    r"""Effects by quarter before and after each unit's first training, with a pre-trend test.

    Parameters
    ----------
    df : pandas.DataFrame
        A unit x period panel, one row per unit and period (e.g. :func:`ikm_panel`).
    outcome, unit, period : str
        Outcome, unit and period columns; periods are quarters ``"2024Q1"`` or integers.
    first_treated : str
        Period of the unit's first training, in the same form as ``period``; missing for
        units never trained (the comparison group).
    window : (int, int), default (-4, 4)
        First and last event time shown (quarters relative to training; 0 = first trained
        quarter). For TWFE, earlier and later event times are binned into the endpoints.
    reference : int, default -1
        Event time normalised to 0 (and the cohort estimator's base period). A reference
        below -1 allows anticipation in the quarters between it and training.
    estimator : {"both", "twfe", "cohort"}, default "both"
        Plain two-way fixed effects, the cohort estimator, or both side by side.
    cluster : str, optional
        Cluster column for TWFE; defaults to ``unit`` (the cohort estimator always
        clusters by unit).
    confidence : float, default 0.95
        Level of the pointwise confidence intervals.

    Returns
    -------
    EventStudyResult
        ``estimates`` (one row per estimator and event time), ``pretrend`` (joint test of
        the leads before ``reference``) and ``overall`` (one average effect per estimator).

    Notes
    -----
    **TWFE.** :math:`y_{it} = \alpha_i + \lambda_t + \sum_{k \ne r} \beta_k
    1[t - G_i = k] + \varepsilon_{it}`, with :math:`G_i` the first trained quarter and
    :math:`r` the reference, SEs clustered by unit (CR1, see :func:`did`). The pre-trend
    test is the Wald F-test of :math:`\beta_k = 0` for all :math:`k < r` on
    :math:`(q, G-1)` degrees of freedom.

    **Why TWFE can mislead with staggered training.** When units are trained at different
    times and the effect grows with time since training, TWFE uses already-trained units as
    comparisons for later-trained ones; their growing effect is subtracted, so the static
    TWFE coefficient is a weighted average of effects with weights that can be negative.
    It can even take the wrong sign (Goodman-Bacon 2021), and the event-time coefficients
    are contaminated by effects from other event times (Sun and Abraham 2021).

    **Cohort estimator.** For each cohort :math:`g` and quarter :math:`t`, the group-time
    effect (Callaway and Sant'Anna 2021, unconditional parallel trends)

    .. math:: \mathrm{ATT}(g,t) = E[Y_t - Y_{b} \mid G = g] - E[Y_t - Y_{b} \mid
              G > \max(t, b) + \delta],\quad b = g + r,\ \delta = -r - 1

    compares the cohort only with units not yet trained by then (including never-trained
    units), never with already-trained ones. Event-time effects average
    :math:`\mathrm{ATT}(g, g+e)` over cohorts with weights proportional to cohort size; the
    overall effect averages all post-training :math:`\mathrm{ATT}(g,t)` the same way
    ("simple" aggregation). Standard errors come from the influence functions summed by
    unit (so clustered by unit), including the estimation of the weights; the pre-trend
    test is a Wald :math:`\chi^2` test of the leads. Cells without any untrained
    comparison unit are not identified and are left out; units trained before the base
    period of the sample are left out of the cohort estimator. Missing outcomes: TWFE uses
    every observed row; the cohort estimator uses, for each cell, the units observed in
    both quarters.

    References
    ----------
    Callaway, B., & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
    periods. *Journal of Econometrics*, 225(2), 200-230. doi:10.1016/j.jeconom.2020.12.001
    Sun, L., & Abraham, S. (2021). Estimating dynamic treatment effects in event studies with
    heterogeneous treatment effects. *Journal of Econometrics*, 225(2), 175-199.
    doi:10.1016/j.jeconom.2020.09.006
    Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
    *Journal of Econometrics*, 225(2), 254-277. doi:10.1016/j.jeconom.2021.03.014

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> panel = pd.DataFrame({"unit": np.repeat(np.arange(40), 8), "t": np.tile(np.arange(8), 40)})
    >>> panel["g"] = np.where(panel["unit"] < 20, 4.0, np.nan)    # half trained in period 4
    >>> effect = np.where(panel["t"] >= panel["g"], 2.0, 0.0)
    >>> panel["y"] = panel["unit"] * 0.1 + panel["t"] * 0.5 + effect + rng.normal(0, 0.1, 320)
    >>> res = event_study(panel, outcome="y", unit="unit", period="t", first_treated="g",
    ...                   window=(-3, 3))
    >>> res.overall[["estimator", "estimate"]].round(1)
      estimator  estimate
    0      twfe       2.0
    1    cohort       2.0
    >>> bool(res.pretrend["p_value"].gt(0.01).all())
    True
    """
    check_one_of("estimator", estimator, ("both", "twfe", "cohort"))
    lo, hi = (int(check_number("window", w)) for w in window)
    if not lo < 0 <= hi:
        raise ValueError(
            f"`window` must run from a negative event time to 0 or later, but {window!r} was passed."
        )
    check_number("reference", reference, low=lo, high=-1)
    data, clusters, _ = _prepare(
        df,
        [outcome, unit, period],
        se="cluster",
        cluster=cluster,
        unit=unit,
        confidence=confidence,
        carry=[first_treated],
    )
    y = data[outcome].to_numpy(dtype="float64")
    t = period_index(data[period]).to_numpy(dtype="float64", na_value=np.nan)
    g = period_index(data[first_treated]).to_numpy(dtype="float64", na_value=np.nan)
    ucodes, n_units = _codes(data[unit])
    if len(np.unique(ucodes * (t.max() - t.min() + 1) + (t - t.min()))) < len(t):
        raise ValueError(
            f"`df` must have one row per {unit} and {period}; aggregate first, "
            "e.g. with toolkit.results.ikm_panel."
        )
    if (pd.Series(g).groupby(ucodes).nunique(dropna=False) > 1).any():
        raise ValueError(f"`{first_treated}` must be the same in every row of a unit.")
    ests, pres, overs = [], [], []
    ref_row = {
        "rel_time": reference,
        "estimate": 0.0,
        "se": np.nan,
        "statistic": np.nan,
        "p_value": np.nan,
        "ci_low": 0.0,
        "ci_high": 0.0,
    }
    if estimator in ("both", "twfe"):
        e, p, o = _twfe_es(y, ucodes, n_units, t, g, clusters, lo, hi, reference, confidence)
        ests += [
            e,
            pd.DataFrame(
                [
                    {
                        **ref_row,
                        "estimator": "twfe",
                        "n": e["n"].iloc[0],
                        "method": e["method"].iloc[0],
                    }
                ]
            ),
        ]
        pres.append(p)
        overs.append(o)
    if estimator in ("both", "cohort"):
        e, p, o, bases = _cohort_es(y, ucodes, n_units, t, g, lo, hi, reference, confidence)
        bases = _base_periods(bases, data[period])
        ests += [
            e,
            pd.DataFrame(
                [
                    {
                        **ref_row,
                        "estimator": "cohort",
                        "n": e["n"].iloc[0],
                        "method": e["method"].iloc[0],
                    }
                ]
            ),
        ]
        pres.append(p)
        overs.append(o)
    est = pd.concat(ests, ignore_index=True)
    est["n_clusters"] = est["n_clusters"].astype("Int64")
    est = est.sort_values(
        ["estimator", "rel_time"],
        key=lambda s: s.map({"twfe": 0, "cohort": 1}).fillna(s) if s.name == "estimator" else s,
        kind="stable",
    )
    overall = pd.concat(overs, ignore_index=True)
    overall = overall[[c for c in _ES_COLUMNS if c != "rel_time"]]
    return EventStudyResult(
        est[_ES_COLUMNS].reset_index(drop=True),
        pd.DataFrame(pres),
        overall,
        bases if estimator != "twfe" else pd.DataFrame(columns=_BASE_COLUMNS),
    )


_BASE_COLUMNS = ["cohort", "planned_base", "base_period", "moved"]


def _base_periods(bases: pd.DataFrame, periods: pd.Series) -> pd.DataFrame:
    """The cohort estimator's base periods, labelled like the input, with a warning for
    cohorts whose planned base period has no data (moved earlier, or left out)."""
    moved = bases["planned_base"] != bases["base_period"]
    out = bases.assign(moved=moved.to_numpy())
    if not pd.api.types.is_numeric_dtype(periods):
        for col in ("cohort", "planned_base", "base_period"):
            known = out[col].notna()
            labels = pd.Series(pd.NA, index=out.index, dtype="str")
            labels[known] = period_label(out.loc[known, col].astype(np.int64))
            out[col] = labels
    if moved.any():
        gone = out.loc[out["base_period"].isna(), "cohort"].tolist()
        shifted = out[moved & out["base_period"].notna()]
        parts = [f"cohort {r.cohort}: base {r.base_period} instead of {r.planned_base}"
                 for r in shifted.itertuples()]  # fmt: skip
        if gone:
            parts.append(f"cohorts {gone} left out (no period with data before them)")
        warnings.warn(
            "The cohort estimator's base period has no data for some cohorts; the last "
            "earlier period with data is used instead (see `bases`): " + "; ".join(parts) + ".",
            UserWarning,
            stacklevel=3,
        )
    return out[_BASE_COLUMNS]
