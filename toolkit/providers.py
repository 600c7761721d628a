"""Budget and speakers: what each kind of provider costs, what it delivers, and partnerships.

The article's second challenge is a budget too small for good speakers (*narasumber*); its
second recommendation, partnering with universities and professional organisations. Here:

* :func:`session_table`: one row per session with cost, reach, JP delivered, learning gains
  and trainer ratings, the building block of the rest;
* :func:`cost_per_outcome`: cost per participant, per JP delivered, per completion, per point
  of learning gain and of IKM change, by provider type, with session-bootstrap intervals and
  the ratio to internal sessions (also as outcomes per Rp 1 million);
* :func:`speaker_quality`: trainer ratings and learning gain against fee per JP, with
  cluster-robust intervals (sessions are the clusters);
* :func:`provider_model`: a regression of an outcome on provider type controlling for
  programme, method and participant mix, SEs clustered by session, that states its limits;
* :func:`partnership_scenario`: people trained, JP delivered and expected gain when a share of
  the budget moves from internal sessions to partners, uncertainty carried through.

Costs: ``categories="budget"`` (default) counts the cash a training office pays per session
(:data:`BUDGET_CATEGORIES`: facilitator fees, materials, venue and catering, travel);
``"all"`` adds every other session-level line, such as participants' salaries for their time.
Programme-level lines (needs analysis, design, evaluation, overhead) are common to all
providers and left out. Amounts are those charged in the first year
(:func:`toolkit.roi.fully_loaded_costs`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from toolkit.grouping import group_codes
from toolkit.provider_sessions import BUDGET_CATEGORIES, session_table
from toolkit.validation import as_list, check_columns, check_number, check_one_of

__all__ = [
    "BUDGET_CATEGORIES",
    "COST_MEASURES",
    "LABELS",
    "ProviderModel",
    "cost_per_outcome",
    "partnership_scenario",
    "provider_model",
    "session_table",
    "speaker_quality",
]


#: Measures of :func:`cost_per_outcome`: (name, numerator column, denominator).
COST_MEASURES = (
    "cost_per_participant",
    "cost_per_jp_delivered",
    "cost_per_completion",
    "cost_per_gain_point",
    "cost_per_ikm_point",
)

#: Labels of this module (``toolkit.i18n.label(..., extra=LABELS)``).
LABELS: dict[str, dict[str, str]] = {
    "cost_per_participant": {"id": "Biaya per peserta", "en": "Cost per participant"},
    "cost_per_jp_delivered": {"id": "Biaya per JP peserta", "en": "Cost per participant-JP"},
    "cost_per_completion": {"id": "Biaya per peserta lulus", "en": "Cost per completion"},
    "cost_per_gain_point": {
        "id": "Biaya per poin peningkatan nilai",
        "en": "Cost per point of learning gain",
    },
    "cost_per_ikm_point": {"id": "Biaya per poin IKM", "en": "Cost per IKM point"},
    "trainer_rating": {"id": "Penilaian narasumber (1–5)", "en": "Trainer rating (1–5)"},
    "learning_gain": {"id": "Peningkatan nilai (poin %)", "en": "Learning gain (% points)"},
    "fee_per_jp": {"id": "Honor narasumber per JP (Rp)", "en": "Speaker fee per JP (IDR)"},
    "cost_per_session_jp": {"id": "Biaya sesi per JP (Rp)", "en": "Session cost per JP (IDR)"},
    "participants": {"id": "Peserta terlatih", "en": "Participants trained"},
    "jp_delivered": {"id": "JP peserta", "en": "Participant-JP delivered"},
    "gain_points": {"id": "Total poin peningkatan", "en": "Total gain points"},
    "budget_idr": {"id": "Anggaran (Rp)", "en": "Budget (IDR)"},
    "mean_trainer_rating": {"id": "Rata-rata penilaian narasumber", "en": "Mean trainer rating"},
}

_SE_TEXT = "cluster-robust by session (CR1), t with G - 1 df"


# --------------------------------------------------------------------------- helpers
def _groups(table: pd.DataFrame, by) -> tuple[list[str], np.ndarray, pd.DataFrame]:
    by = check_columns(table, by, param="by")
    codes, keys = group_codes(table, by)
    return by, codes, keys


def _boot_sums(table, codes, n_groups, cols, n_boot, seed) -> np.ndarray:
    """Session bootstrap stratified by group: (n_boot, n_groups, len(cols)) resampled sums."""
    rng = np.random.default_rng(seed)
    x = table[list(cols)].to_numpy(dtype=float)
    out = np.zeros((n_boot, n_groups, len(cols)))
    for g in range(n_groups):
        rows = np.flatnonzero(codes == g)
        if rows.size:
            w = rng.multinomial(rows.size, np.full(rows.size, 1.0 / rows.size), size=n_boot)
            out[:, g, :] = w @ x[rows]
    return out


def _quantiles(draws: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    a = (1 - confidence) / 2
    d = np.where(np.isnan(draws), np.inf, draws)
    lo = np.quantile(d, a, axis=0, method="inverted_cdf")
    hi = np.quantile(d, 1 - a, axis=0, method="inverted_cdf")
    return lo, hi


def _ratio(num, den):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.inf)


def _ikm(ikm_effect):
    """(estimate, se) of the IKM effect from a number, a (est, se) pair or (est, low, high)."""
    if ikm_effect is None:
        return None
    if isinstance(ikm_effect, Mapping):
        ikm_effect = [ikm_effect[k] for k in ("estimate", "ci_low", "ci_high")]
    values = [float(v) for v in np.atleast_1d(ikm_effect)]
    if len(values) == 1:
        return values[0], 0.0
    if len(values) == 2:
        return values[0], values[1]
    return values[0], (values[2] - values[1]) / (2 * stats.norm.ppf(0.975))


# --------------------------------------------------------------------------- cost per outcome
def cost_per_outcome(
    table: pd.DataFrame,
    *,
    by="provider",
    reference: str | None = "internal",
    ikm_effect=None,
    n_units: int | None = None,
    n_boot: int = 2000,
    seed: int = 2025,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Cost per participant, per JP delivered, per completion, per gain point and per IKM point.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`session_table`.
    by : str or list of str
        Columns to compare, ``"provider"`` by default.
    reference : str, optional
        Group the others are compared with (``ratio`` columns); None for no ratios.
    ikm_effect : float, (estimate, se) or (estimate, ci_low, ci_high), optional
        The programme's effect on the converted IKM per trained unit, e.g. from
        :func:`toolkit.results.did`; adds ``cost_per_ikm_point``.
    n_units : int, optional
        Number of trained units the effect applies to (needed with ``ikm_effect``).
    n_boot, seed, confidence
        Bootstrap replicates, seed and interval level.

    Returns
    -------
    DataFrame
        One row per group and measure: the ``by`` columns, ``measure``, ``cost_idr``,
        ``outcome`` (participants, participant-JP, completions, participant-points of gain,
        IKM unit-points), ``estimate`` (rupiah per unit of outcome), ``ci_low``, ``ci_high``,
        ``per_million`` (outcome per Rp 1 million, with ``per_million_ci_low``/``_high``),
        ``ratio`` (to the reference group, with ``ratio_ci_low``/``ratio_ci_high``),
        ``n_sessions``, ``ci_method``.

    Notes
    -----
    Every figure is a ratio of sums over the group's sessions, :math:`\\sum_s C_s / \\sum_s
    O_s`: cost :math:`C` over participants who attended, participant-JP attended, completions;
    cost per gain point is cost per participant over the mean gain of those tested
    (:math:`\\sum C/\\sum n \\,/\\, (\\sum G/\\sum n_{tested})`). Cost per IKM point allocates
    the programme's IKM effect :math:`\\delta` (points per trained unit, :math:`U` units) to
    groups in proportion to JP delivered: :math:`C_g / (\\delta U\\, J_g/J)`. It therefore
    cannot show that one provider moves the IKM more; it restates cost per JP on the IKM scale.

    Intervals: percentile bootstrap over sessions, resampled within each group (sessions are
    the unit that costs money), :math:`B` = ``n_boot``; with ``ikm_effect`` the effect is also
    drawn from :math:`N(\\hat\\delta, se^2)` (parametric). A ratio whose denominator can reach
    0 has an infinite upper limit. With ten sessions a group, percentile intervals run a
    little narrow (Efron & Tibshirani 1993, ch. 13).

    References
    ----------
    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

    Examples
    --------
    >>> t = pd.DataFrame({"provider": ["internal"] * 3 + ["university"] * 3,
    ...     "cost_idr": [10e6, 12e6, 11e6, 30e6, 28e6, 35e6], "n_attended": [20, 25, 22] * 2,
    ...     "jp_delivered": [400, 500, 440] * 2, "n_completed": [18, 20, 20] * 2,
    ...     "n_tested": [20, 25, 22] * 2, "gain_sum": [200, 250, 220, 300, 380, 330]})
    >>> out = cost_per_outcome(t, n_boot=200)
    >>> out.loc[out["measure"] == "cost_per_participant", ["provider", "estimate", "ratio"]].round(2)
         provider    estimate  ratio
    0    internal   492537.31   1.00
    4  university  1388059.70   2.82
    """
    check_number("n_boot", n_boot, low=10)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    by, codes, keys = _groups(table, by)
    ng = len(keys)
    effect = _ikm(ikm_effect)
    if effect is not None and not n_units:
        raise ValueError("`ikm_effect` needs `n_units` (the number of trained units).")
    cols = ["cost_idr", "n_attended", "jp_delivered", "n_completed", "n_tested", "gain_sum"]
    check_columns(table, cols, param="table")
    obs = np.zeros((1, ng, len(cols)))
    np.add.at(obs[0], codes[codes >= 0], table[cols].to_numpy(float)[codes >= 0])
    boot = _boot_sums(table, codes, ng, cols, int(n_boot), seed)
    rng = np.random.default_rng(None if seed is None else seed + 1)
    measures = list(COST_MEASURES[:4]) + (["cost_per_ikm_point"] if effect else [])

    def outcomes(s, eff):
        cost, n, jp, done, tested, gain = (s[..., i] for i in range(6))
        mean_gain = _ratio(gain, tested)
        out = [n, jp, done, n * np.where(np.isfinite(mean_gain), mean_gain, 0.0)]
        if effect:
            share = jp / jp.sum(axis=-1, keepdims=True)
            out.append(eff[..., None] * n_units * share)
        return cost, np.stack(out, axis=-1)

    cost_o, out_o = outcomes(obs, np.array([effect[0]]) if effect else None)
    eff_b = rng.normal(effect[0], effect[1], size=int(n_boot)) if effect else None
    cost_b, out_b = outcomes(boot, eff_b)
    est = _ratio(cost_o[..., None], out_o)[0]  # groups x measures
    draws = _ratio(cost_b[..., None], out_b)  # boot x groups x measures
    draws = np.where(out_b <= 0, np.inf, draws)
    lo, hi = _quantiles(draws, confidence)
    m = len(measures)
    res = keys.loc[np.repeat(np.arange(ng), m)].reset_index(drop=True)
    res["measure"] = np.tile(measures, ng)
    res["cost_idr"] = np.repeat(cost_o[0], m)
    res["outcome"] = out_o[0].ravel()
    res["estimate"], res["ci_low"], res["ci_high"] = est.ravel(), lo.ravel(), hi.ravel()
    with np.errstate(divide="ignore"):
        res["per_million"] = 1e6 / res["estimate"]
        res["per_million_ci_low"] = 1e6 / res["ci_high"]
        res["per_million_ci_high"] = 1e6 / res["ci_low"]
    res["ratio"] = res["ratio_ci_low"] = res["ratio_ci_high"] = np.nan
    if reference is not None:
        if len(by) != 1 or reference not in set(keys[by[0]].astype("str")):
            raise ValueError(f"`reference` {reference!r} is not a group of `by`={by}.")
        r = int(np.flatnonzero(keys[by[0]].astype("str").to_numpy() == reference)[0])
        with np.errstate(invalid="ignore", divide="ignore"):
            rl, rh = _quantiles(draws / draws[:, [r], :], confidence)
            res["ratio"] = (est / est[[r], :]).ravel()
        res["ratio_ci_low"], res["ratio_ci_high"] = rl.ravel(), rh.ravel()
    res["n_sessions"] = np.repeat(np.bincount(codes[codes >= 0], minlength=ng), m)
    method = f"session bootstrap within groups, percentile, B={int(n_boot)}, seed={seed}"
    if effect:
        method += "; IKM effect drawn from N(estimate, se)"
    res["ci_method"] = method
    return res


# --------------------------------------------------------------------------- speaker quality
def _cluster_ratio(y, n, codes, ng, confidence):
    """Ratio Σy/Σn per group with a cluster (row) robust CR1 SE and t(G-1) interval."""
    sy = np.bincount(codes, weights=y, minlength=ng)
    sn = np.bincount(codes, weights=n, minlength=ng)
    g = np.bincount(codes, weights=(n > 0).astype(float), minlength=ng)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = sy / sn
        resid = np.where(n > 0, y - est[codes] * n, 0.0)
        se = np.sqrt(g / (g - 1) * np.bincount(codes, weights=resid**2, minlength=ng)) / sn
        t = stats.t.ppf(0.5 + confidence / 2, np.maximum(g - 1, 1))
    se = np.where(g > 1, se, np.nan)
    return est, se, est - t * se, est + t * se, sn, g


def speaker_quality(
    table: pd.DataFrame, *, by="provider", confidence: float = 0.95
) -> pd.DataFrame:
    """Trainer ratings and learning gain against speaker fee and session cost per JP.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`session_table` (with ``reaction`` and ``tests``).
    by : str or list of str
        Groups, ``"provider"`` by default.
    confidence : float
        Interval level.

    Returns
    -------
    DataFrame
        One row per group and measure (``trainer_rating``, ``learning_gain``, ``fee_per_jp``,
        ``cost_per_session_jp``): ``estimate, se, ci_low, ci_high, n`` (ratings, tested
        participants, or JP taught), ``n_sessions``, ``ci_method``.

    Notes
    -----
    Each estimate is a ratio of session sums :math:`\\hat R = \\sum_s Y_s / \\sum_s N_s`
    (ratings over raters; fee over JP taught). Its standard error treats sessions as clusters,

    .. math:: \\widehat{se}^2 = \\frac{G}{G-1}\\,\\frac{\\sum_s (Y_s - \\hat R N_s)^2}
              {(\\sum_s N_s)^2},

    the CR1 variance of an intercept-only regression clustered by session (what
    ``statsmodels`` OLS with ``cov_type="cluster"`` gives), with a :math:`t_{G-1}` interval.
    Participants of one session share the speaker, so ratings are not independent: a Wilson
    or plain t interval on the ratings would be far too narrow.

    References
    ----------
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. Journal of Human Resources 50(2), 317–372. https://doi.org/10.3368/jhr.50.2.317

    Examples
    --------
    >>> t = pd.DataFrame({"provider": ["internal"] * 3, "jp": [10, 10, 20],
    ...     "fee_idr": [3.5e6, 3.6e6, 7.0e6], "cost_idr": [9e6, 9e6, 15e6],
    ...     "n_rated": [10, 12, 8], "rating_sum": [41.0, 50.0, 33.0],
    ...     "n_tested": [10, 12, 8], "gain_sum": [100.0, 90.0, 80.0]})
    >>> speaker_quality(t)[["measure", "estimate", "n", "n_sessions"]]
                   measure       estimate     n  n_sessions
    0       trainer_rating       4.133333  30.0           3
    1        learning_gain       9.000000  30.0           3
    2           fee_per_jp  352500.000000  40.0           3
    3  cost_per_session_jp  825000.000000  40.0           3
    """
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    by, codes, keys = _groups(table, by)
    ng = len(keys)
    specs = (
        ("trainer_rating", "rating_sum", "n_rated"),
        ("learning_gain", "gain_sum", "n_tested"),
        ("fee_per_jp", "fee_idr", "jp"),
        ("cost_per_session_jp", "cost_idr", "jp"),
    )
    parts = []
    keep = codes >= 0
    for name, num, den in specs:
        if num not in table.columns or den not in table.columns:
            continue
        y = table[num].to_numpy(float)[keep]
        n = table[den].to_numpy(float)[keep]
        est, se, lo, hi, sn, g = _cluster_ratio(y, n, codes[keep], ng, confidence)
        part = keys.copy()
        part["measure"] = name
        part["estimate"], part["se"], part["ci_low"], part["ci_high"] = est, se, lo, hi
        part["n"], part["n_sessions"] = sn, g.astype(np.int64)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    order = np.argsort(np.tile(np.arange(ng), len(parts)), kind="stable")
    out = out.iloc[order].reset_index(drop=True)
    out["ci_method"] = "ratio of session sums; " + _SE_TEXT
    return out


# --------------------------------------------------------------------------- regression
@dataclass(frozen=True)
class ProviderModel:
    """Result of :func:`provider_model`; ``to_frame()`` gives ``table``.

    Attributes
    ----------
    table : DataFrame
        ``term, estimate, se, t, p_value, ci_low, ci_high, df`` for every coefficient; the
        provider terms are named ``provider[university]`` etc. (vs ``reference``).
    outcome, reference : str
    n, n_clusters, n_params : int
    r_squared : float
    controls : tuple of str
    dropped : tuple of str
        Control dummies left out because they were collinear with the others.
    limits_id, limits_en : tuple of str
        What the model cannot tell, in Indonesian and in English, with this data's numbers.
    """

    table: pd.DataFrame
    outcome: str
    reference: str
    n: int
    n_clusters: int
    n_params: int
    r_squared: float
    controls: tuple[str, ...]
    dropped: tuple[str, ...]
    limits_id: tuple[str, ...]
    limits_en: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table."""
        return self.table

    def provider_effects(self) -> pd.DataFrame:
        """Only the provider rows of ``table``."""
        return self.table[self.table["term"].str.startswith("provider[")].reset_index(drop=True)

    def summary(self, lang: str = "en") -> str:
        """The provider effects and the model's limits as text."""
        check_one_of("lang", lang, ("id", "en"))
        rows = [
            f"{r.term}: {r.estimate:+.3f} [{r.ci_low:+.3f}, {r.ci_high:+.3f}], p = {r.p_value:.3f}"
            for r in self.provider_effects().itertuples()
        ]
        limits = self.limits_id if lang == "id" else self.limits_en
        return "\n".join([*rows, *[f"- {t}" for t in limits]])


def _design(df, provider, reference, controls):
    """Design matrix with intercept, provider dummies and control dummies (first level out)."""
    cols, names = [np.ones(len(df))], ["intercept"]
    levels = [str(v) for v in pd.Categorical(df[provider].astype("str")).categories]
    if reference not in levels:
        raise ValueError(f"`reference` {reference!r} is not a value of {provider!r}: {levels}.")
    for lev in levels:
        if lev != reference:
            cols.append((df[provider].astype("str") == lev).to_numpy(float))
            names.append(f"provider[{lev}]")
    n_fixed = len(cols)
    for c in controls:
        s = df[c]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            cols.append(s.to_numpy(float))
            names.append(c)
            continue
        cat = pd.Categorical(s.astype("str"))
        present = [v for v in cat.categories if (cat == v).any()]
        for lev in present[1:]:
            cols.append((cat == lev).astype(float))
            names.append(f"{c}[{lev}]")
    x = np.column_stack(cols)
    keep: list[int] = []
    for j in range(x.shape[1]):  # drop aliased controls (never the provider terms)
        if j < n_fixed or np.linalg.matrix_rank(x[:, [*keep, j]]) == len(keep) + 1:
            keep.append(j)
    return x[:, keep], [names[j] for j in keep], [n for j, n in enumerate(names) if j not in keep]


def provider_model(
    df: pd.DataFrame,
    *,
    outcome: str,
    provider: str = "provider",
    reference: str = "internal",
    controls: Sequence[str] = ("program", "method", "grade", "position_type"),
    cluster: str = "session_id",
    confidence: float = 0.95,
) -> ProviderModel:
    """Does provider type predict an outcome once programme and participant mix are held fixed?

    Parameters
    ----------
    df : DataFrame
        One row per participant (and session): ``outcome``, ``provider``, the ``controls``
        and ``cluster``. Build it by joining the reaction answers (one item) or the pre/post
        gains with ``sessions`` and ``participants``.
    outcome : str
        Outcome column, e.g. the trainer rating or the learning gain in percentage points.
    provider, reference : str
        Provider column and the level the others are compared with.
    controls : sequence of str
        Categorical controls enter as dummies (first level left out), numeric ones as they
        are. Defaults: programme and method (what was taught, how), grade and position type
        (who came).
    cluster : str
        Column identifying the clusters of the standard errors (sessions).
    confidence : float
        Interval level.

    Returns
    -------
    ProviderModel

    Notes
    -----
    OLS :math:`\\hat\\beta = (X'X)^{-1}X'y` with the cluster-robust (CR1) variance

    .. math:: \\hat V = \\frac{G}{G-1}\\frac{N-1}{N-K}(X'X)^{-1}
              \\Big(\\sum_g X_g'\\hat u_g \\hat u_g' X_g\\Big)(X'X)^{-1},

    and :math:`t_{G-1}` p-values and intervals (as Stata's ``regress, vce(cluster)`` and
    statsmodels' ``cov_type="cluster"`` with ``use_t=True``). Rows with a missing value in
    any column used are dropped. Provider varies between sessions only, so the information
    is in the number of sessions, not of participants; the limits are returned with the
    result (``limits_en``, ``limits_id``) and should be printed beside it.

    References
    ----------
    .. [1] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
       inference. Journal of Human Resources 50(2), 317–372.
    .. [2] Angrist, J. D., & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*. Princeton
       University Press, ch. 3 and 8.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> s = np.repeat(np.arange(12), 10)
    >>> d = pd.DataFrame({"session_id": s, "provider": np.where(s % 2, "university", "internal"),
    ...                   "program": np.where(s < 6, "a", "b")})
    >>> d["y"] = 4 + 0.5 * (s % 2) + rng.normal(0, 0.3, 12)[s] + rng.normal(0, 0.5, s.size)
    >>> m = provider_model(d, outcome="y", controls=["program"])
    >>> m.provider_effects()[["term", "estimate", "df"]].round(3)
                       term  estimate  df
    0  provider[university]     0.462  11
    """
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    controls = as_list(controls)
    check_columns(df, [outcome, provider, cluster, *controls], param="df")
    d = df[[outcome, provider, cluster, *controls]].dropna().reset_index(drop=True)
    y = pd.to_numeric(d[outcome]).to_numpy(float)
    x, names, dropped = _design(d, provider, reference, controls)
    n, k = x.shape
    cl = pd.factorize(d[cluster])[0]
    g = int(cl.max()) + 1
    if g < 2 or n <= k:
        raise ValueError(f"Too little data: {n} rows, {k} coefficients, {g} clusters.")
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ (x.T @ y)
    u = y - x @ beta
    scores = np.zeros((g, k))
    np.add.at(scores, cl, x * u[:, None])
    cov = (g / (g - 1)) * ((n - 1) / (n - k)) * (xtx_inv @ scores.T @ scores @ xtx_inv)
    se = np.sqrt(np.diag(cov))
    tval = beta / se
    df_t = g - 1
    crit = stats.t.ppf(0.5 + confidence / 2, df_t)
    table = pd.DataFrame(
        {
            "term": names,
            "estimate": beta,
            "se": se,
            "t": tval,
            "p_value": 2 * stats.t.sf(np.abs(tval), df_t),
            "ci_low": beta - crit * se,
            "ci_high": beta + crit * se,
            "df": df_t,
        }
    )
    r2 = 1 - (u @ u) / (((y - y.mean()) ** 2).sum())
    per = d.groupby(provider, observed=True)[cluster].nunique()
    counts = ", ".join(f"{k_}: {v}" for k_, v in per.items())
    ctrl = ", ".join(controls) or "-"
    limits_en = (
        f"Providers were not assigned at random; the model holds fixed only {ctrl}. Anything "
        "else that differs between provider sessions (the individual speaker, class size, "
        "timing, topic within a programme) is not adjusted for.",
        f"Provider changes between sessions, not within them: the evidence is {g} sessions "
        f"({counts}), not {n} participants. With few clusters, cluster-robust standard errors "
        "can still be too small (Cameron & Miller 2015).",
        f"The outcome '{outcome}' is analysed as a number; for a 1–5 rating this assumes equal "
        "spacing between answers.",
        "An association, not a guarantee: a partner that did well here may not do as well on "
        "other programmes or with other speakers.",
    )
    limits_id = (
        f"Penyelenggara tidak ditentukan secara acak; model hanya mengendalikan {ctrl}. Hal "
        "lain yang berbeda antarsesi (narasumber, besar kelas, waktu, topik) tidak "
        "dikendalikan.",
        f"Penyelenggara berganti antarsesi, bukan di dalam sesi: buktinya {g} sesi ({counts}), "
        f"bukan {n} peserta. Dengan sedikit klaster, galat baku klaster bisa tetap terlalu "
        "kecil (Cameron & Miller 2015).",
        f"Variabel '{outcome}' dianalisis sebagai angka; untuk skala 1–5 ini mengandaikan "
        "jarak antarjawaban sama.",
        "Ini asosiasi, bukan jaminan: mitra yang baik di sini belum tentu sama baiknya untuk "
        "program atau narasumber lain.",
    )
    return ProviderModel(
        table=table,
        outcome=outcome,
        reference=reference,
        n=int(n),
        n_clusters=g,
        n_params=int(k),
        r_squared=float(r2),
        controls=tuple(controls),
        dropped=tuple(dropped),
        limits_id=limits_id,
        limits_en=limits_en,
    )


# --------------------------------------------------------------------------- partnership
def partnership_scenario(
    table: pd.DataFrame,
    *,
    shift: float = 0.25,
    source: str = "internal",
    partners: Mapping[str, float] | None = None,
    provider: str = "provider",
    n_boot: int = 2000,
    seed: int = 2025,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """What if a share of the budget moved from internal sessions to partners?

    Parameters
    ----------
    table : DataFrame
        The output of :func:`session_table` (with ``tests`` for gains, ``reaction`` for
        ratings).
    shift : float
        Share in [0, 1] of the ``source`` budget moved to partners.
    source : str
        Provider whose budget is cut (``"internal"``).
    partners : mapping, optional
        How the moved budget is split, ``{provider: weight}``; equal shares across the other
        providers by default.
    provider : str
        Provider column.
    n_boot, seed, confidence
        Session-bootstrap replicates, seed and interval level.

    Returns
    -------
    DataFrame
        One row per provider (and ``"total"``) and measure (``budget_idr``, ``participants``,
        ``jp_delivered``, ``gain_points``, and for the total ``mean_gain``,
        ``mean_trainer_rating``): ``current`` (observed), ``scenario`` (expected),
        ``change``, ``change_pct``, ``ci_low``/``ci_high`` of the scenario and
        ``change_ci_low``/``change_ci_high``, ``shift``, ``source``, ``ci_method``.

    Notes
    -----
    Each provider :math:`p` turns budget into participants at its observed cost per
    participant :math:`c_p`, into participant-JP at :math:`j_p`, and each participant gains
    :math:`\\bar g_p` points (mean of those tested). With budget :math:`B'_p` after the move,
    participants :math:`B'_p / c_p`, JP :math:`B'_p/j_p`, gain points
    :math:`\\bar g_p B'_p/c_p`. Assumptions, to state with the result: unit costs stay as
    observed (no discount for scale, partners have capacity), the same programmes and kinds
    of participants, gains as observed. Uncertainty: :math:`c_p, j_p, \\bar g_p` are
    recomputed on every bootstrap resample of sessions (within provider) and the scenario with
    them; the percentile interval of the results carries it through.

    Examples
    --------
    >>> t = pd.DataFrame({"provider": ["internal"] * 2 + ["university"] * 2,
    ...     "cost_idr": [10e6, 10e6, 30e6, 30e6], "n_attended": [20, 20, 20, 20],
    ...     "jp_delivered": [400.0] * 4, "n_tested": [20] * 4,
    ...     "gain_sum": [200.0, 200.0, 300.0, 300.0], "n_rated": [20] * 4,
    ...     "rating_sum": [80.0, 80.0, 90.0, 90.0]})
    >>> out = partnership_scenario(t, shift=0.5, n_boot=50)
    >>> total = out.loc[out["provider"] == "total", ["measure", "current", "scenario", "change"]]
    >>> total.set_index("measure").drop("budget_idr").round(2)
                         current  scenario  change
    measure
    participants           80.00     66.67  -13.33
    jp_delivered         1600.00   1333.33 -266.67
    gain_points          1000.00    900.00 -100.00
    mean_gain              12.50     13.50    1.00
    mean_trainer_rating     4.25      4.35    0.10
    """
    check_number("shift", shift, low=0, high=1)
    check_number("n_boot", n_boot, low=10)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    cols = ["cost_idr", "n_attended", "jp_delivered", "n_tested", "gain_sum"]
    has_rating = {"n_rated", "rating_sum"} <= set(table.columns)
    cols += ["n_rated", "rating_sum"] if has_rating else []
    check_columns(table, [provider, *cols], param="table")
    _, codes, keys = _groups(table, provider)
    names = keys[provider].astype("str").tolist()
    check_one_of("source", source, names)
    if partners is None:
        partners = {p: 1.0 for p in names if p != source}
    for p in partners:
        check_one_of("partners", p, [q for q in names if q != source])
    wsum = float(sum(partners.values()))
    if wsum <= 0:
        raise ValueError("`partners` weights must sum to more than 0.")
    ng = len(names)
    obs = np.zeros((1, ng, len(cols)))
    np.add.at(obs[0], codes[codes >= 0], table[cols].to_numpy(float)[codes >= 0])
    boot = _boot_sums(table, codes, ng, cols, int(n_boot), seed)
    budget = obs[0, :, 0]
    src = names.index(source)
    new_budget = budget.copy()
    new_budget[src] *= 1 - shift
    for p, w in partners.items():
        new_budget[names.index(p)] += shift * budget[src] * w / wsum

    def project(s, b):
        cost, n, jp, tested, gain = (s[..., i] for i in range(5))
        with np.errstate(divide="ignore", invalid="ignore"):
            people = b * n / cost
            jps = b * jp / cost
            gpts = people * np.where(tested > 0, gain / tested, 0.0)
            rated = people * (s[..., 6] / s[..., 5] if has_rating else np.nan)
        return np.stack([np.broadcast_to(b, people.shape), people, jps, gpts, rated], axis=-1)

    cur = project(obs, budget)[0]
    scen_o = project(obs, new_budget)[0]
    scen_b = project(boot, new_budget)
    cur_b = project(boot, budget)

    def totals(a):
        t = a.sum(axis=-2)
        with np.errstate(divide="ignore", invalid="ignore"):
            extra = np.stack([t[..., 3] / t[..., 1], t[..., 4] / t[..., 1]], axis=-1)
        return np.concatenate([t[..., :4], extra], axis=-1)

    measures = ["budget_idr", "participants", "jp_delivered", "gain_points"]
    tot_measures = [*measures, "mean_gain", "mean_trainer_rating"]
    rows = []
    for i, p in enumerate(names):
        for j, mname in enumerate(measures):
            rows.append((p, mname, cur[i, j], scen_o[i, j], scen_b[:, i, j], cur[i, j]))
    tc, ts, tb = totals(cur), totals(scen_o), totals(scen_b)
    tcb = totals(cur_b)
    for j, mname in enumerate(tot_measures):
        # ratios (mean gain, rating) vary with the resample in both arms; counts only in one
        base_b = tcb[:, j] if j >= 4 else tc[j]
        rows.append(("total", mname, tc[j], ts[j], tb[:, j], base_b))
    a = (1 - confidence) / 2
    out = []
    for p, mname, c, s, sb, base in rows:
        lo, hi = np.nanquantile(sb, [a, 1 - a], method="inverted_cdf")
        dl, dh = np.nanquantile(sb - base, [a, 1 - a], method="inverted_cdf")
        out.append((p, mname, c, s, s - c, 100 * (s - c) / c if c else np.nan, lo, hi, dl, dh))
    res = pd.DataFrame(
        out,
        columns=[
            "provider", "measure", "current", "scenario", "change", "change_pct",
            "ci_low", "ci_high", "change_ci_low", "change_ci_high",
        ],
    )  # fmt: skip
    if not has_rating:
        res = res[res["measure"] != "mean_trainer_rating"].reset_index(drop=True)
    res["shift"], res["source"] = float(shift), source
    res["ci_method"] = (
        f"session bootstrap within providers, percentile, B={int(n_boot)}, seed={seed}"
    )
    return res
