"""Reliability and item analysis: Cronbach's alpha, KR-20, McDonald's omega, item statistics.

Shared by Levels 1–3 (Likert surveys, 0/1 knowledge tests, behaviour ratings). Data come
**wide** (one row per respondent, one column per item: ``items=[...]``) or **long** as
:func:`toolkit.data.load` returns ``reaction``, ``tests`` and ``behavior`` (pass ``item=`` and
``value=``; a respondent is ``subject`` (one column or several) within the ``by`` groups).
Results are tidy frames, one row per group of ``by`` (and per item for the item-level
functions). All groups are computed in one vectorised pass: group codes come from
:func:`toolkit.grouping.group_codes`, the data become a respondents x items array once, and
every group sum the statistics need is one product with a sparse group-indicator matrix or
one ``numpy.bincount`` over (group, item) codes; the only loop over groups is the
factor-model fit of :func:`mcdonald_omega`. The numerical core is :mod:`toolkit._items`.
A result column that shares its name with a ``by`` column is renamed ``stat_<name>``.
Verdicts are stable codes; render them with ``toolkit.i18n.label(code, lang, extra=LABELS)``.

Missing data and groups
-----------------------
An answer equal to ``na_code`` (99, "tidak tahu" in the toolkit's data model,
:data:`toolkit.schema.NA_CODE`) is a missing answer, not a score; pass ``na_code=None`` where
99 is a real score (answers above ``na_code`` raise an error rather than guess). Rows whose
``by`` value is missing are dropped, as ``pandas.DataFrame.groupby`` and every other ``by=``
of the toolkit do: a group without a name cannot be reported or acted on.

Reverse-keyed items
-------------------
An item worded the other way round ("the session was too long") correlates negatively with
the rest and drags alpha down, possibly below zero. ``reverse=`` recodes such items as
:math:`x \\mapsto min + max - x` before anything is computed: a list of item names, or
``True`` to take them from the ``reverse_keyed`` column of ``instruments`` (the item bank).
The scale comes from ``scale=(min, max)`` or from the bank's ``scale_min`` / ``scale_max``;
with the bank, answers off an item's scale raise an error, and so do items on different
scales (a 0–10 item summed with 1–5 items dominates the total).

Examples
--------
>>> import pandas as pd
>>> survey = pd.DataFrame({"q1": [4, 5, 3, 4, 2, 5], "q2": [4, 4, 3, 5, 2, 4],
...                        "q3": [5, 5, 2, 4, 3, 4]})
>>> cronbach_alpha(survey)[["estimate", "n", "k", "verdict"]]
   estimate  n  k verdict
0  0.871324  6  3    good

q3 asked the other way round: recoding it restores alpha.

>>> flipped = survey.assign(q3=6 - survey["q3"])
>>> round(cronbach_alpha(flipped).loc[0, "estimate"], 3)
np.float64(-1.015)
>>> cronbach_alpha(flipped, reverse=["q3"], scale=(1, 5)).loc[0, "estimate"]
np.float64(0.871...)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from toolkit._items import covariances, moments, one_factor_omega, pairwise_alpha, prepare
from toolkit.grouping import group_sums
from toolkit.schema import NA_CODE
from toolkit.validation import check_number, check_one_of

__all__ = [
    "LABELS",
    "cronbach_alpha",
    "item_analysis",
    "item_statistics",
    "kr20",
    "mcdonald_omega",
]

#: Labels of the verdict codes this module returns, for ``toolkit.i18n.label(..., extra=LABELS)``.
LABELS: dict[str, dict[str, str]] = {
    # George & Mallery (2003) bands for alpha / omega
    "excellent": {"id": "Sangat baik", "en": "Excellent"},
    "good": {"id": "Baik", "en": "Good"},
    "acceptable": {"id": "Dapat diterima", "en": "Acceptable"},
    "questionable": {"id": "Diragukan", "en": "Questionable"},
    "poor": {"id": "Buruk", "en": "Poor"},
    "unacceptable": {"id": "Tidak dapat diterima", "en": "Unacceptable"},
    # Ebel bands for the discrimination index
    "very_good": {"id": "Sangat baik", "en": "Very good"},
    "revise": {"id": "Perlu direvisi", "en": "Revise"},
    "discard": {"id": "Dibuang / diganti", "en": "Discard"},
    "check_answer_key": {"id": "Periksa kunci jawaban", "en": "Check the answer key"},
    # difficulty bands
    "difficult": {"id": "Sukar", "en": "Difficult"},
    "moderate": {"id": "Sedang", "en": "Moderate"},
    "easy": {"id": "Mudah", "en": "Easy"},
    # headings
    "difficulty": {"id": "Tingkat kesukaran (p)", "en": "Difficulty (p)"},
    "discrimination": {"id": "Daya beda (D)", "en": "Discrimination (D)"},
    "alpha": {"id": "Alfa Cronbach", "en": "Cronbach's alpha"},
    "omega": {"id": "Omega McDonald", "en": "McDonald's omega"},
}

NAN_POLICIES = ("listwise", "pairwise")
_GM_EDGES = (0.5, 0.6, 0.7, 0.8, 0.9)
_GM_CODES = ("unacceptable", "poor", "questionable", "acceptable", "good", "excellent")


# --------------------------------------------------------------------------------------------
# data preparation: long or wide -> respondents x items array with group codes
# --------------------------------------------------------------------------------------------
def _george_mallery(values: np.ndarray) -> np.ndarray:
    """George & Mallery (2003) band of each alpha: > .9 excellent, ..., <= .5 unacceptable."""
    codes = np.array(_GM_CODES, dtype=object)
    idx = np.searchsorted(np.array(_GM_EDGES), values, side="left")
    out = codes[np.clip(idx, 0, len(codes) - 1)]
    return np.where(np.isnan(values), None, out)


def _feldt(alpha, n, k, confidence):
    """Feldt, Woodruff & Salih (1987) interval; NaN where n < 2 or k < 2.

    The F quantiles are computed once per distinct (n, k): thousands of sessions share a
    few dozen of them.
    """
    ok = (n >= 2) & (k >= 2) & np.isfinite(alpha)
    df = np.column_stack([np.where(ok, n - 1, 1.0), np.where(ok, (n - 1) * (k - 1), 1.0)])
    # distinct pairs as complex numbers: a 1-D unique, far faster than np.unique(axis=0)
    pairs, inv = np.unique(df.view(np.complex128).ravel(), return_inverse=True)
    uniq = np.column_stack([pairs.real, pairs.imag])
    c = 1 - confidence
    f_high = stats.f.isf(c / 2, uniq[:, 0], uniq[:, 1])[inv.ravel()]
    f_low = stats.f.isf(1 - c / 2, uniq[:, 0], uniq[:, 1])[inv.ravel()]
    low, high = 1 - (1 - alpha) * f_high, 1 - (1 - alpha) * f_low
    return np.where(ok, low, np.nan), np.where(ok, high, np.nan)


def _frame(groups: pd.DataFrame, columns) -> pd.DataFrame:
    """Group columns first; a result column named like one of them is renamed ``stat_...``."""
    out = pd.DataFrame(columns)
    out = out.rename(columns={c: f"stat_{c}" for c in out.columns if c in groups.columns})
    if groups.shape[1]:
        out = pd.concat([groups.reset_index(drop=True), out], axis=1)
    return out


_DATA_KEYS = (
    "items",
    "item",
    "value",
    "subject",
    "by",
    "na_code",
    "reverse",
    "scale",
    "instruments",
)


def _args(env: dict) -> dict:
    """The data arguments of a public function (its ``locals()``), for :func:`_prepare`."""
    return {key: env[key] for key in _DATA_KEYS}


def _data_doc(func):
    """Write the shared description of the data parameters into ``func``'s docstring."""
    marker = "    data, items, item, value, subject, by\n        Shared data parameters.\n"
    func.__doc__ = func.__doc__.replace(marker, _DATA_DOC.lstrip("\n") + "\n")
    return func


_DATA_DOC = """
    data : pandas.DataFrame
        Wide (one row per respondent, one column per item) or long (one row per respondent
        x item, with ``item`` and ``value``).
    items : list of str, optional
        Wide data: the item columns. Default: every numeric column not named in ``by``.
    item, value : str, optional
        Long data: the column naming the item (``"item_code"``) and the answer column
        (``"response"``, ``"correct"``, ``"rating"``).
    subject : str or list of str
        Long data: the respondent column(s); with ``by`` they identify a respondent. A
        participant who answered the survey of two sessions is two respondents:
        ``subject=["participant_id", "session_id"]``.
    by : str or list of str, optional
        Compute one result per group of these columns (rows with a missing value dropped).
    na_code : int or None, default 99
        Answers equal to it are missing ("tidak tahu"); None keeps every value as a score.
    reverse : list of str or True, optional
        Reverse-keyed items, recoded as min + max - x first; ``True`` takes them from the
        ``reverse_keyed`` column of ``instruments``.
    scale : (min, max), optional
        Scale of every item (for ``reverse`` and the range check).
    instruments : pandas.DataFrame, optional
        Item bank with ``item_code``, ``scale_min``, ``scale_max`` (and ``reverse_keyed``):
        each item's scale; answers off it, or items on different scales, raise an error."""


# --------------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------------
@_data_doc
def cronbach_alpha(
    data: pd.DataFrame,
    *,
    items: list[str] | None = None,
    item: str | None = None,
    value: str | None = None,
    subject: str | list[str] = "participant_id",
    by: str | list[str] | None = None,
    nan_policy: str = "listwise",
    confidence: float = 0.95,
    na_code: int | None = NA_CODE,
    reverse: list[str] | bool | None = None,
    scale: tuple[float, float] | None = None,
    instruments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Cronbach's alpha with Feldt's confidence interval and a plain-language verdict.

    Parameters
    ----------
    data, items, item, value, subject, by
        Shared data parameters.
    nan_policy : {"listwise", "pairwise"}
        ``"listwise"`` (default) keeps only respondents who answered every item of their
        group; the number kept is ``n`` and the number dropped ``n_dropped``.
        ``"pairwise"`` computes each item covariance from the respondents who answered both
        items (pandas ``DataFrame.cov``, ``psych::alpha(use="pairwise")``, pingouin's
        default); ``n`` is then the smallest pairwise count, used for the interval.
    confidence : float
        Level of the Feldt interval, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, ``estimate`` (alpha), ``ci_low``, ``ci_high``,
        ``confidence``, ``n`` (respondents behind the estimate), ``n_dropped`` (listwise
        deletions; 0 for pairwise), ``k`` (items), ``nan_policy``, ``method``, ``verdict``
        (George & Mallery band code; see :data:`LABELS`).

    Notes
    -----
    .. math:: \\alpha = \\frac{k}{k-1}\\Bigl(1 - \\frac{\\sum_j s_j^2}{s_T^2}\\Bigr)

    with item variances :math:`s_j^2` and the variance :math:`s_T^2` of the total score, all
    with the :math:`n-1` divisor. Feldt's interval is
    :math:`1-(1-\\alpha)F_{1-c/2}` to :math:`1-(1-\\alpha)F_{c/2}` with
    :math:`F_q` the quantile of :math:`F(n-1, (n-1)(k-1))` and :math:`c = 1 -` confidence,
    using the ``n`` *after* listwise deletion (pingouin 0.7 uses the ``n`` before it).
    George & Mallery bands: > .9 excellent, > .8 good, > .7 acceptable, > .6 questionable,
    > .5 poor, otherwise unacceptable. Alpha assumes essentially tau-equivalent items and
    does not show that the items measure one thing: see :func:`mcdonald_omega`.

    Missing data: listwise by default (see ``nan_policy``); ``na_code`` answers are missing.
    An item nobody in a group answered is left out of that group's ``k``. A reverse-keyed
    item left as it is lowers alpha (it can turn negative): recode it with ``reverse=``. Groups with fewer than 2 respondents or
    items, or a constant total, get NaN.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
       Psychometrika, 16(3), 297–334. https://doi.org/10.1007/BF02310555
    .. [2] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
       coefficient alpha. Applied Psychological Measurement, 11(1), 93–103.
       https://doi.org/10.1177/014662168701100107
    .. [3] George, D., & Mallery, P. (2003). SPSS for Windows step by step (4th ed.).
       Allyn & Bacon.

    Examples
    --------
    Long data (as the ``reaction`` table), one alpha per session:

    >>> import pandas as pd
    >>> long = pd.DataFrame({
    ...     "participant_id": ["a", "a", "b", "b", "c", "c", "d", "d"] * 2,
    ...     "session_id": ["S1"] * 8 + ["S2"] * 8,
    ...     "item_code": ["R1", "R2"] * 8,
    ...     "response": [4, 5, 3, 3, 5, 4, 2, 2, 4, 4, 3, 4, 5, 5, 2, 3]})
    >>> res = cronbach_alpha(long, item="item_code", value="response", by="session_id")
    >>> res[["session_id", "estimate", "n", "k", "verdict"]]
      session_id  estimate  n  k    verdict
    0         S1  0.888889  4  2       good
    1         S2  0.923077  4  2  excellent
    """
    check_one_of("nan_policy", nan_policy, NAN_POLICIES)
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    it = prepare(data, **_args(locals()))
    mo = moments(it, total_cov=False)
    if nan_policy == "listwise":
        with np.errstate(divide="ignore", invalid="ignore"):
            sum_var = np.nansum(mo.var, axis=1)
            alpha = mo.k / (mo.k - 1) * (1 - sum_var / mo.var_total)
        n, dropped = mo.n, mo.n_dropped
    else:
        alpha, n, _ = pairwise_alpha(it)
        dropped = np.zeros_like(n)
    alpha = np.where(np.isfinite(alpha), alpha, np.nan)
    low, high = _feldt(alpha, n, mo.k, confidence)
    return _frame(
        it.groups,
        {
            "estimate": alpha,
            "ci_low": low,
            "ci_high": high,
            "confidence": confidence,
            "n": n.astype(int),
            "n_dropped": dropped.astype(int),
            "k": mo.k.astype(int),
            "nan_policy": nan_policy,
            "method": "Cronbach's alpha; Feldt (1987) F interval",
            "verdict": _george_mallery(alpha),
        },
    )


@_data_doc
def kr20(
    data: pd.DataFrame,
    *,
    items: list[str] | None = None,
    item: str | None = None,
    value: str | None = None,
    subject: str | list[str] = "participant_id",
    by: str | list[str] | None = None,
    confidence: float = 0.95,
    na_code: int | None = NA_CODE,
    reverse: list[str] | bool | None = None,
    scale: tuple[float, float] | None = None,
    instruments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Kuder–Richardson formula 20 for tests scored 0/1.

    Parameters
    ----------
    data, items, item, value, subject, by
        Shared data parameters.
        Answers 0, 1 or missing; for the ``tests`` table ``item="item_code",
        value="correct"`` with ``"phase"`` in ``by``.
    confidence : float
        Level of the Feldt interval.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`cronbach_alpha`, ``method`` naming KR-20.

    Notes
    -----
    .. math:: KR_{20} = \\frac{k}{k-1}\\Bigl(1 - \\frac{\\sum_j p_j q_j}{\\sigma_T^2}\\Bigr)

    with :math:`p_j` the share answering item *j* correctly, :math:`q_j = 1 - p_j` and
    :math:`\\sigma_T^2` the total-score variance with the same (:math:`n`) divisor. It equals
    Cronbach's alpha computed on the 0/1 answers. Missing answers: listwise deletion (score
    unanswered items as 0 beforehand if the test counts them wrong).

    References
    ----------
    .. [1] Kuder, G. F., & Richardson, M. W. (1937). The theory of the estimation of test
       reliability. Psychometrika, 2(3), 151–160. https://doi.org/10.1007/BF02288391

    Examples
    --------
    >>> import pandas as pd
    >>> test = pd.DataFrame({"i1": [1, 1, 0, 1, 0, 1, 1], "i2": [1, 0, 0, 1, 0, 1, 1],
    ...                      "i3": [1, 1, 0, 1, 1, 0, 1]})
    >>> kr20(test)[["estimate", "n", "k", "verdict"]]
       estimate  n  k       verdict
    0  0.642857  7  3  questionable
    """
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    args = _args(locals())
    prepare(data, binary=True, **args)  # checks the 0/1 scoring
    if args["scale"] is None and args["instruments"] is None:
        args["scale"] = (0, 1)
    out = cronbach_alpha(data, confidence=confidence, **args)
    out["method"] = "KR-20 (alpha on 0/1 items); Feldt (1987) F interval"
    return out


@_data_doc
def item_statistics(
    data: pd.DataFrame,
    *,
    items: list[str] | None = None,
    item: str | None = None,
    value: str | None = None,
    subject: str | list[str] = "participant_id",
    by: str | list[str] | None = None,
    na_code: int | None = NA_CODE,
    reverse: list[str] | bool | None = None,
    scale: tuple[float, float] | None = None,
    instruments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per-item statistics of a scale: mean, SD, item–total and item–rest r, alpha if deleted.

    Parameters
    ----------
    data, items, item, value, subject, by
        Shared data parameters.

    Returns
    -------
    pandas.DataFrame
        One row per group and item: the ``by`` columns, ``item``, ``n``, ``mean``, ``sd``,
        ``item_total_r`` (uncorrected: the item correlated with a total that contains it),
        ``item_rest_r`` (corrected item–total r: with the total of the *other* items),
        ``alpha_if_deleted``, ``alpha`` (of the whole scale, for comparison) and
        ``reversed`` (the item was recoded by ``reverse=``).

    Notes
    -----
    With :math:`T` the total, :math:`R_j = T - x_j` the rest score,
    :math:`\\operatorname{cov}(R_j, x_j) = \\operatorname{cov}(T, x_j) - s_j^2` and
    :math:`s_{R_j}^2 = s_T^2 - 2\\operatorname{cov}(T, x_j) + s_j^2`, so that
    :math:`r_{j,rest} = \\operatorname{cov}(R_j, x_j) / (s_{R_j} s_j)` and alpha without
    item *j* is :math:`\\frac{k-1}{k-2}(1 - (\\sum_i s_i^2 - s_j^2)/s_{R_j}^2)`. Items with a
    rest correlation below about .30, or whose deletion raises alpha, deserve a second look.
    Missing data: listwise within each group, as :func:`cronbach_alpha` by default.

    References
    ----------
    .. [1] Nunnally, J. C., & Bernstein, I. H. (1994). Psychometric theory (3rd ed.).
       McGraw-Hill.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"q1": [4, 5, 3, 4, 2, 5], "q2": [4, 4, 3, 5, 2, 4],
    ...                        "q3": [5, 5, 2, 4, 3, 4]})
    >>> item_statistics(survey)[["item", "item_rest_r", "alpha_if_deleted"]]
      item  item_rest_r  alpha_if_deleted
    0   q1     0.822981          0.752137
    1   q2     0.747018          0.828571
    2   q3     0.701267          0.868217
    """
    it = prepare(data, **_args(locals()))
    mo = moments(it)
    v, c, vt, k = mo.var, mo.cov_total, mo.var_total[:, None], mo.k[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(v)
        r_total = c / (sd * np.sqrt(vt))
        var_rest = vt - 2 * c + v
        r_rest = (c - v) / (sd * np.sqrt(var_rest))
        sum_var = np.nansum(v, axis=1, keepdims=True)
        a_del = (k - 1) / (k - 2) * (1 - (sum_var - v) / var_rest)
        alpha = k / (k - 1) * (1 - sum_var / vt)
    n_groups, n_items = v.shape
    gi = np.repeat(np.arange(n_groups), n_items)
    keep = it.present.ravel()

    def flat(a):
        a = np.broadcast_to(a, (n_groups, n_items)).ravel()[keep]
        return np.where(np.isfinite(a), a, np.nan)

    out = pd.DataFrame(
        {
            "item": np.tile(np.array(it.names, dtype=object), n_groups)[keep],
            "n": np.broadcast_to(mo.n[:, None], (n_groups, n_items)).ravel()[keep].astype(int),
            "mean": flat(mo.mean),
            "sd": flat(sd),
            "item_total_r": flat(r_total),
            "item_rest_r": flat(r_rest),
            "alpha_if_deleted": flat(a_del),
            "alpha": flat(alpha),
            "reversed": np.tile(it.reversed, n_groups)[keep],
        }
    )
    if it.groups.shape[1]:
        out = _frame(it.groups.iloc[gi[keep]], out)
    return out


@_data_doc
def mcdonald_omega(
    data: pd.DataFrame,
    *,
    items: list[str] | None = None,
    item: str | None = None,
    value: str | None = None,
    subject: str | list[str] = "participant_id",
    by: str | list[str] | None = None,
    method: str = "ml",
    na_code: int | None = NA_CODE,
    reverse: list[str] | bool | None = None,
    scale: tuple[float, float] | None = None,
    instruments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """McDonald's omega (total) from a one-factor model fitted to the items.

    Parameters
    ----------
    data, items, item, value, subject, by
        Shared data parameters.
    method : {"ml", "minres"}
        How the one-factor model is fitted to the correlation matrix: maximum likelihood as
        R's ``factanal`` and lavaan (default), or minimum residual (ordinary least squares,
        the default of ``psych::fa`` and ``psych::omega``).

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, ``estimate`` (omega total), ``n``,
        ``n_dropped``, ``k``, ``method``, ``converged``, ``heywood`` (a uniqueness at its lower
        bound of 0.005: an improper solution, read with care), ``verdict`` (George & Mallery
        band, as for alpha), ``loadings`` (standardised loadings, a dict item -> loading).

    Notes
    -----
    The model is :math:`\\Sigma = \\lambda\\lambda' + \\Psi`, fitted to the correlation matrix
    (so ML and minres do not depend on the items' scales) and rescaled to the covariance
    metric, :math:`\\lambda_j \\to s_j\\lambda_j`, :math:`\\psi_j \\to s_j^2\\psi_j`, so that omega
    describes the unit-weighted sum of the raw answers:

    .. math:: \\omega = \\frac{(\\sum_j \\lambda_j)^2}{(\\sum_j \\lambda_j)^2 + \\sum_j \\psi_j}

    It equals alpha when the items are tau-equivalent (equal covariance loadings) and is
    larger otherwise; unlike alpha it rests on a model that says the items measure one thing,
    so look at the loadings. Reverse-keyed items must be recoded (``reverse=``), or their
    loadings come out negative. The fit is one SciPy L-BFGS-B optimisation per group
    (:func:`toolkit._items.one_factor_omega`, the only per-group loop); the covariances are
    computed for all groups at once. Missing data: listwise within groups.
    No interval is given (it would need a bootstrap or a delta method).

    References
    ----------
    .. [1] McDonald, R. P. (1999). Test theory: A unified treatment. Erlbaum.
       https://doi.org/10.4324/9781410601087
    .. [2] Jöreskog, K. G. (1967). Some contributions to maximum likelihood factor analysis.
       Psychometrika, 32(4), 443–482. https://doi.org/10.1007/BF02289658
    .. [3] Revelle, W., & Zinbarg, R. E. (2009). Coefficients alpha, beta, omega, and the glb.
       Psychometrika, 74(1), 145–154. https://doi.org/10.1007/s11336-008-9102-z

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"q1": [4, 5, 3, 4, 2, 5, 1], "q2": [4, 4, 3, 5, 2, 4, 2],
    ...                        "q3": [5, 5, 2, 4, 3, 4, 1]})
    >>> mcdonald_omega(survey)[["estimate", "n", "k", "verdict"]]
       estimate  n  k    verdict
    0  0.9...    7  3  excellent
    """
    check_one_of("method", method, ("ml", "minres"))
    it = prepare(data, **_args(locals()))
    mo = moments(it)
    omega, converged, heywood, load = one_factor_omega(
        covariances(it, mo), it.present, mo.n, method
    )
    names = np.array(it.names, dtype=object)
    loadings = [
        None if lam is None else dict(zip(names[sel], np.round(lam, 6).tolist(), strict=True))
        for lam, sel in zip(load, it.present, strict=True)
    ]
    fit = "maximum likelihood" if method == "ml" else "minimum residual (OLS)"
    return _frame(
        it.groups,
        {
            "estimate": omega,
            "n": mo.n.astype(int),
            "n_dropped": mo.n_dropped.astype(int),
            "k": mo.k.astype(int),
            "method": f"McDonald's omega total; one-factor {fit} fit",
            "converged": converged,
            "heywood": heywood,
            "verdict": _george_mallery(omega),
            "loadings": loadings,
        },
    )


# --------------------------------------------------------------------------------------------
# item analysis for 0/1 tests
# --------------------------------------------------------------------------------------------
def _ebel(d: np.ndarray) -> np.ndarray:
    """Ebel band of a discrimination index: >= .40 very good, .30 good, .20 revise, else discard."""
    out = np.select(
        [d < 0, d >= 0.40, d >= 0.30, d >= 0.20, d < 0.20],
        ["check_answer_key", "very_good", "good", "revise", "discard"],
        default="",
    ).astype(object)
    return np.where(np.isnan(d), None, out)


@_data_doc
def item_analysis(
    data: pd.DataFrame,
    *,
    items: list[str] | None = None,
    item: str | None = None,
    value: str | None = None,
    subject: str | list[str] = "participant_id",
    by: str | list[str] | None = None,
    group_share: float = 0.27,
    nan_policy: str = "incorrect",
    na_code: int | None = NA_CODE,
    reverse: list[str] | bool | None = None,
    scale: tuple[float, float] | None = None,
    instruments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Classical item analysis of a 0/1 test: difficulty, discrimination, Ebel verdicts.

    Parameters
    ----------
    data, items, item, value, subject, by
        Shared data parameters.
        Answers 0, 1 or missing; for the ``tests`` table ``item="item_code",
        value="correct", by=["session_id", "phase"]``.
    group_share : float
        Share of respondents in each of the upper and lower groups, 0.27 by default
        (Kelley 1939). The group size is ``round(group_share * n)``, at least 1.
    nan_policy : {"incorrect", "omit"}
        ``"incorrect"`` (default) scores an unanswered item as wrong, as a test is marked;
        ``"omit"`` drops respondents with any unanswered item (listwise).

    Returns
    -------
    pandas.DataFrame
        One row per group and item: the ``by`` columns, ``item``, ``n`` (respondents given the
        item; long data: those with a row for it), ``difficulty``
        (p, share correct), ``difficulty_band`` (``difficult`` p < .30, ``moderate``
        .30 ≤ p ≤ .70, ``easy`` p > .70), ``n_upper_lower`` (size of each extreme group),
        ``p_upper``, ``p_lower``, ``discrimination`` (D = p_upper − p_lower),
        ``point_biserial`` (item with the total score including it), ``item_rest_r`` (item with
        the total of the other items: corrected item–total r), ``verdict`` (Ebel band of D:
        ``very_good``, ``good``, ``revise``, ``discard``, or ``check_answer_key`` when D < 0)
        and ``flag_negative`` (D < 0 or item–rest r < 0: the key may be wrong).

    Notes
    -----
    Respondents are ranked by total score within each group; ties at the cut are broken by
    the order of the data (long data: sorted by ``subject``), so that the two extreme groups
    always hold exactly ``n_upper_lower`` people. Ebel & Frisbie (1991) bands for D:
    ≥ .40 very good, .30–.39 good, .20–.29 revise, < .20 discard; negative D means the
    weaker respondents got the item right more often than the stronger ones: check the key.
    The point-biserial r is Pearson's r between the 0/1 item and the total.

    References
    ----------
    .. [1] Kelley, T. L. (1939). The selection of upper and lower groups for the validation of
       test items. Journal of Educational Psychology, 30(1), 17–24.
       https://doi.org/10.1037/h0057123
    .. [2] Ebel, R. L., & Frisbie, D. A. (1991). Essentials of educational measurement
       (5th ed.). Prentice Hall.

    Examples
    --------
    Item i4 was keyed the wrong way round:

    >>> import pandas as pd
    >>> test = pd.DataFrame({"i1": [1, 1, 1, 1, 1, 1, 0, 1, 0, 0],
    ...                      "i2": [1, 1, 1, 1, 0, 1, 0, 0, 0, 0],
    ...                      "i3": [1, 1, 1, 0, 1, 0, 1, 0, 0, 0],
    ...                      "i4": [0, 0, 0, 1, 0, 0, 1, 1, 1, 1]})
    >>> item_analysis(test)[["item", "difficulty", "discrimination", "verdict"]]
      item  difficulty  discrimination           verdict
    0   i1         0.7        0.666667         very_good
    1   i2         0.5        1.000000         very_good
    2   i3         0.5        1.000000         very_good
    3   i4         0.5       -1.000000  check_answer_key
    """
    check_number("group_share", group_share, low=0, high=0.5, low_open=True)
    check_one_of("nan_policy", nan_policy, ("incorrect", "omit"))
    it = prepare(data, binary=True, ordered=True, **_args(locals()))
    x, g, present = it.x, it.g, it.present
    n_groups, k = present.shape
    needed = present[g] if it.shown is None else it.shown  # items given to each respondent
    answered = ~np.isnan(x)
    complete = np.all(answered | ~needed, axis=1)
    use = complete if nan_policy == "omit" else np.any(answered, axis=1)
    w = needed & use[:, None]  # respondent x item enters the item's statistics
    score = np.where(w & answered, x, 0.0)
    total = score.sum(axis=1)
    n = group_sums(g, n_groups, use)
    n_item = group_sums(g, n_groups, w)
    # rank within group by total (descending), ties broken by row order
    order = np.lexsort((np.arange(len(total)), -total, ~use, g))
    start = np.searchsorted(g[order], np.arange(n_groups))
    rank = np.empty(len(total), dtype=np.int64)
    rank[order] = np.arange(len(total)) - start[g[order]]
    size = np.maximum(np.floor(group_share * n + 0.5), 1)
    upper = use & (rank < size[g])
    lower = use & (rank >= (n - size)[g]) & (rank < n[g])
    with np.errstate(divide="ignore", invalid="ignore"):
        sx = group_sums(g, n_groups, score)
        p = sx / n_item
        p_up = group_sums(g, n_groups, score * upper[:, None]) / group_sums(
            g, n_groups, w & upper[:, None]
        )
        p_low = group_sums(g, n_groups, score * lower[:, None]) / group_sums(
            g, n_groups, w & lower[:, None]
        )
        # correlations of the 0/1 item with the total (and the rest score), over those given it
        st = group_sums(g, n_groups, w * total[:, None])
        stt = group_sums(g, n_groups, w * (total * total)[:, None])
        cov_t = group_sums(g, n_groups, score * total[:, None]) - sx * st / n_item
        var_x = sx - sx * sx / n_item
        var_t = stt - st * st / n_item
        r_pb = cov_t / np.sqrt(var_x * var_t)
        r_rest = (cov_t - var_x) / np.sqrt(var_x * (var_t - 2 * cov_t + var_x))
    d = p_up - p_low
    keep = present.ravel()
    gi = np.repeat(np.arange(n_groups), k)[keep]

    def flat(a):
        a = np.broadcast_to(a, (n_groups, k)).ravel()[keep]
        return np.where(np.isfinite(a), a, np.nan)

    diff = flat(p)
    disc = flat(d)
    rest = flat(r_rest)
    band = np.where(
        np.isnan(diff),
        None,
        np.where(diff < 0.30, "difficult", np.where(diff > 0.70, "easy", "moderate")),
    )
    out = pd.DataFrame(
        {
            "item": np.tile(np.array(it.names, dtype=object), n_groups)[keep],
            "n": flat(n_item).astype(int),
            "difficulty": diff,
            "difficulty_band": band,
            "n_upper_lower": size[gi].astype(int),
            "p_upper": flat(p_up),
            "p_lower": flat(p_low),
            "discrimination": disc,
            "point_biserial": flat(r_pb),
            "item_rest_r": rest,
            "verdict": _ebel(disc),
            "flag_negative": (disc < 0) | (rest < 0),
        }
    )
    if it.groups.shape[1]:
        out = _frame(it.groups.iloc[gi], out)
    return out
