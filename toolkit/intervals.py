"""Confidence intervals for proportions, shared by every level of the evaluation.

One implementation of each interval, vectorised, so that a share in a reaction table, a
transfer rate and an absence share are all computed and labelled the same way.

Examples
--------
>>> low, high = wilson_interval(7, 10)
>>> round(low, 4), round(high, 4)
(0.3968, 0.8922)
"""

from __future__ import annotations

import numpy as np

from toolkit.validation import check_number

__all__ = ["wilson_interval", "newcombe_difference"]


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
    from scipy import stats  # imported where used: it takes longer to import than pandas

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


def newcombe_difference(x1, n1, x2, n2, *, confidence: float = 0.95):
    r"""Difference of two independent proportions with Newcombe's hybrid score interval.

    Parameters
    ----------
    x1, n1, x2, n2 : int or array-like
        Successes and trials in the two groups; broadcast against each other.
    confidence : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    difference, low, high : float or numpy.ndarray
        :math:`\hat p_1 - \hat p_2` and its interval.

    Notes
    -----
    Method 10 of Newcombe (1998): with Wilson limits :math:`(l_i, u_i)` for each proportion,

    .. math::

        \delta - \sqrt{(\hat p_1 - l_1)^2 + (u_2 - \hat p_2)^2}, \quad
        \delta + \sqrt{(u_1 - \hat p_1)^2 + (\hat p_2 - l_2)^2}.

    The same interval as ``statsmodels.stats.proportion.confint_proportions_2indep(
    method="newcomb", compare="diff")``.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Statistics in Medicine* 17(8), 873–890.
    https://doi.org/10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I

    Examples
    --------
    Newcombe's (1998) example (a), 56/70 against 48/80:

    >>> d, low, high = newcombe_difference(56, 70, 48, 80)
    >>> round(d, 4), round(low, 4), round(high, 4)
    (0.2, 0.0524, 0.3339)
    """
    l1, u1 = wilson_interval(x1, n1, confidence=confidence)
    l2, u2 = wilson_interval(x2, n2, confidence=confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = np.asarray(x1, dtype="float64") / np.asarray(n1, dtype="float64")
        p2 = np.asarray(x2, dtype="float64") / np.asarray(n2, dtype="float64")
    d = p1 - p2
    low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    if np.ndim(d) == 0:
        return float(d), float(low), float(high)
    return d, low, high
