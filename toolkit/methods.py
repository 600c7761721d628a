"""Delivery methods compared: reaction, learning and behaviour, raw and adjusted, by session.

The article names workshops, seminars, project-based learning and a disaster-response
simulation; the data add e-learning. Comparing methods is harder than it looks: methods are
not assigned at random (the disaster-response programme is taught mostly by simulation, and
e-learning mostly carries the digital-services and service-excellence programmes), providers
differ between methods, and each method rests on a handful of sessions whose participants
share a trainer, a room and a week. This module gives the three pieces of an honest
comparison:

* :func:`method_frame`: one row per participant × session with the outcome of one level
  (reaction: top-2 box or mean rating; learning: post − pre test score; behaviour: change in
  the supervisor's rating) and the session's and participant's attributes;
* :func:`method_comparison`: each method's mean with a confidence interval that treats the
  session as the unit of replication (cluster-robust, CR1, *t* with G − 1 df), beside the
  interval that wrongly treats participants as independent, and the design effect;
* :func:`cluster_ols` and :func:`method_effects`: the differences between methods before and
  after adjusting for programme and participant mix (OLS with session-clustered standard
  errors); :func:`toolkit.plots.method_plot` draws either table (importable from here too,
  loaded on first use so that this module does not import matplotlib).

Missing-data policy: every function uses the complete rows for the columns it needs (the
outcome, the grouping or model terms, the cluster) and reports how many it used (``n``,
``n_clusters``).

Examples
--------
>>> import toolkit
>>> from toolkit.data import load
>>> data = load(toolkit.SAMPLE_DATA)
>>> gain = method_frame(data, "learning")
>>> table = method_comparison(gain)
>>> table[["method", "n", "n_clusters", "estimate", "ci_low", "ci_high"]].round(1)
          method    n  n_clusters  estimate  ci_low  ci_high
0       workshop  190           8      12.5    10.2     14.9
1        seminar   91           6       6.9     0.9     13.0
2  project_based  428          13      13.0    10.4     15.6
3     simulation  204           8      12.4     9.0     15.8
4     e_learning  148           5       6.8     3.4     10.3
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import linalg, stats

from toolkit._methods_labels import LABELS
from toolkit.behavior import behavior_scores
from toolkit.grouping import check_by, group_codes, group_sums
from toolkit.learning import prepost_scores
from toolkit.schema import NA_CODE
from toolkit.validation import as_list, check_columns, check_number, check_one_of, closest

if TYPE_CHECKING:  # defined in toolkit.plots.methods, loaded on first use (see __getattr__)
    from toolkit.plots.methods import method_plot

__all__ = [
    "LABELS",
    "OUTCOMES",
    "ClusterOLS",
    "cluster_ols",
    "method_comparison",
    "method_effects",
    "method_frame",
    "method_plot",
]

#: Outcomes :func:`method_frame` builds, one per Kirkpatrick level it can compare.
OUTCOMES = ("reaction", "learning", "behavior")

#: Session and participant attributes carried into :func:`method_frame`'s result.
SESSION_COLUMNS = ("program", "method", "provider", "schedule")
PARTICIPANT_COLUMNS = ("unit_id", "position_type", "grade", "sex", "age_band")


_FRAME_COLUMNS = (
    "participant_id", "session_id", *SESSION_COLUMNS, *PARTICIPANT_COLUMNS,
    "n_items", "baseline", "followup", "y",
)  # fmt: skip


def __getattr__(name: str):
    if name == "method_plot":  # the figure imports matplotlib: only when asked for
        from toolkit.plots.methods import method_plot

        return method_plot
    raise AttributeError(f"module 'toolkit.methods' has no attribute {name!r}")


# --------------------------------------------------------------------------- outcome frames
def _attach(frame: pd.DataFrame, data) -> pd.DataFrame:
    sessions = data.sessions[["session_id", *SESSION_COLUMNS]]
    people = data.participants[["participant_id", *PARTICIPANT_COLUMNS]]
    out = frame.merge(sessions, on="session_id", how="left").merge(
        people, on="participant_id", how="left"
    )
    for col in ("participant_id", "session_id"):
        out[col] = out[col].astype("str")
    return out[list(_FRAME_COLUMNS)].reset_index(drop=True)


def _reaction_frame(data, items, score) -> pd.DataFrame:
    bank = data.instruments[data.instruments["instrument"].eq("reaction")]
    codes = bank["item_code"].astype("str")
    if items is None:
        scales = bank["scale_min"].astype("str") + "-" + bank["scale_max"].astype("str")
        modal = scales.mode()
        items = codes[scales.eq(modal.iloc[0])].tolist() if len(modal) else []
    items = as_list(items)
    for item in items:
        if item not in set(codes):
            near = closest(item, codes)
            hint = f" Did you mean {near!r}?" if near else ""
            raise KeyError(f"`items` names {item!r}, which is not a reaction item.{hint}")
    top = bank.assign(item_code=codes).set_index("item_code")["scale_max"] - 1
    r = data.reaction[["participant_id", "session_id", "item_code", "response"]]
    code = r["item_code"].astype("str")
    value = r["response"].astype("float64")
    keep = code.isin(items) & value.notna() & value.ne(NA_CODE)
    r = r[keep.to_numpy(dtype=bool)]
    value = value[keep]
    frame = pd.DataFrame(
        {
            "participant_id": r["participant_id"].astype("str").to_numpy(),
            "session_id": r["session_id"].astype("str").to_numpy(),
            "top2": (value >= code[keep].map(top).astype("float64")).to_numpy(dtype="float64"),
            "rating": value.to_numpy(),
        }
    )
    g = frame.groupby(["participant_id", "session_id"], sort=True)
    out = g.agg(n_items=("rating", "size"), top2=("top2", "mean"), rating=("rating", "mean"))
    out = out.reset_index()
    out["baseline"] = np.nan
    out["followup"] = out["rating"]
    out["y"] = out["top2"] if score == "top2" else out["rating"]
    return out


_CHANGE_COLUMNS = ("participant_id", "session_id", "n_items", "baseline", "followup", "y")


def _change(keys=None, n_items=None, baseline=None, followup=None) -> pd.DataFrame:
    """Rows of a before/after outcome (``y = followup − baseline``); no rows without ``keys``."""
    if keys is None:
        return pd.DataFrame({c: [] for c in _CHANGE_COLUMNS})
    return pd.DataFrame(
        {
            "participant_id": keys["participant_id"].astype("str").to_numpy(),
            "session_id": keys["session_id"].astype("str").to_numpy(),
            "n_items": n_items,
            "baseline": baseline.to_numpy(),
            "followup": followup.to_numpy(),
            "y": (followup - baseline).to_numpy(),
        }
    )


def _learning_frame(data) -> pd.DataFrame:
    s = prepost_scores(data.tests)
    s = s[s["pre"].notna() & s["post"].notna()]
    return _change(s, s["n_items_post"].to_numpy(), s["pre"], s["post"])


def _behavior_frame(data, items, rater, wave, min_items) -> pd.DataFrame:
    if not len(data.behavior):
        return _change()
    scores = behavior_scores(
        data.behavior,
        rater=rater,
        wave=("baseline", wave),
        instruments=data.instruments,
        items=items,
        min_items=min_items,
    )
    wide = scores.pivot_table(
        index=["participant_id", "session_id"],
        columns="wave",
        values=["score", "n_items"],
        observed=True,
    )
    if ("score", wave) not in wide.columns or ("score", "baseline") not in wide.columns:
        return _change()
    wide = wide[wide[("score", "baseline")].notna() & wide[("score", wave)].notna()]
    return _change(
        wide.index.to_frame(index=False),
        wide[("n_items", wave)].to_numpy(dtype="int64"),
        wide[("score", "baseline")],
        wide[("score", wave)],
    )


def method_frame(
    data,
    outcome: str,
    *,
    items=None,
    score: str = "top2",
    rater: str = "supervisor",
    wave: str = "followup_3m",
    min_items: int | None = None,
) -> pd.DataFrame:
    """One row per participant × session: one level's outcome, with session and person data.

    Parameters
    ----------
    data : EvaluationData
        The evaluation's tables (:func:`toolkit.data.load`).
    outcome : {"reaction", "learning", "behavior"}
        Which level to measure:

        * ``"reaction"``: the end-of-session survey. ``y`` is the share of the
          participant's answers in the top-2 box (``score="top2"``; for one item, 1 or 0)
          or their mean answer (``score="mean"``). "Tidak tahu" (99) and empty answers are
          left out.
        * ``"learning"``: the pre/post knowledge test. ``baseline`` is the pre-test and
          ``followup`` the post-test score (% correct, :func:`toolkit.learning.prepost_scores`,
          unanswered items counted wrong); ``y = followup − baseline`` (percentage points).
          Participants without both tests are left out.
        * ``"behavior"``: the on-the-job ratings. ``baseline`` and ``followup`` are the
          ``rater``'s competency scores at baseline and at ``wave``
          (:func:`toolkit.behavior.behavior_scores`: driver items excluded, at least half the
          items rated); ``y`` is the change. Participants without both waves are left out.
    items : str or list of str, optional
        Items to use. Reaction default: every reaction item on the most common scale (the
        1–5 items, not the 0–10 recommendation item). Behaviour default: every competency
        item (e.g. ``["B09", "B10"]`` for the disaster-response procedures). Ignored for
        learning (each session's own test).
    score : {"top2", "mean"}
        Reaction only: the top-2 box share or the mean answer.
    rater : {"supervisor", "self"}
        Behaviour only: whose ratings. The supervisor's (*atasan*) by default: self-ratings
        are inflated.
    wave : {"followup_3m", "followup_6m"}
        Behaviour only: the follow-up compared with baseline.
    min_items : int, optional
        Behaviour only: fewest items rated for a score (see :mod:`toolkit.behavior`).

    Returns
    -------
    pandas.DataFrame
        Columns ``participant_id, session_id, program, method, provider, schedule, unit_id,
        position_type, grade, sex, age_band, n_items`` (items behind the score),
        ``baseline``, ``followup`` and ``y`` (the outcome), sorted by participant and session.
        Empty (with these columns) when the level's table is empty.

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> data = load(toolkit.SAMPLE_DATA)
    >>> trainer = method_frame(data, "reaction", items="R03")
    >>> trainer[["method", "provider", "n_items", "y"]].head(3)
              method    provider  n_items    y
    0     simulation    internal        1  1.0
    1  project_based    internal        1  1.0
    2       workshop  university        1  1.0
    >>> change = method_frame(data, "behavior")
    >>> len(change), round(float(change["y"].mean()), 3)
    (442, 0.669)
    """
    check_one_of("outcome", outcome, OUTCOMES)
    check_one_of("score", score, ("top2", "mean"))
    check_one_of("rater", rater, ("supervisor", "self"))
    check_one_of("wave", wave, ("followup_3m", "followup_6m"))
    if outcome == "reaction":
        frame = _reaction_frame(data, items, score)
    elif outcome == "learning":
        frame = _learning_frame(data)
    else:
        frame = _behavior_frame(data, items, rater, wave, min_items)
    frame = frame.sort_values(["participant_id", "session_id"], ignore_index=True)
    frame["n_items"] = frame["n_items"].astype("int64")
    for col in ("baseline", "followup", "y"):
        frame[col] = frame[col].astype("float64")
    return _attach(frame, data)


# --------------------------------------------------------------------------- group means
_COMPARISON_COLUMNS = (
    "n", "n_clusters", "estimate", "se", "df", "ci_low", "ci_high", "se_iid", "ci_low_iid",
    "ci_high_iid", "design_effect", "confidence", "ci_method",
)  # fmt: skip


def _t_crit(df, confidence):
    with np.errstate(invalid="ignore"):
        return stats.t.ppf(0.5 + confidence / 2, np.where(df >= 1, df, np.nan))


def method_comparison(
    frame: pd.DataFrame,
    *,
    y: str = "y",
    by="method",
    cluster: str = "session_id",
    confidence: float = 0.95,
) -> pd.DataFrame:
    r"""Each group's mean outcome with a session-clustered confidence interval.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per participant (e.g. :func:`method_frame`).
    y : str
        The outcome column.
    by : str or list of str
        Grouping columns (default the delivery method); all groups in one pass.
    cluster : str
        The unit of replication: participants of one session share its trainer, room and
        week, so the session is what was "sampled".
    confidence : float
        Confidence level of both intervals.

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted, categories in their order): the ``by`` columns, ``n``
        (participants), ``n_clusters`` (sessions), ``estimate`` (mean of ``y``), ``se``,
        ``df`` (= ``n_clusters − 1``), ``ci_low``, ``ci_high`` (cluster-robust),
        ``se_iid``, ``ci_low_iid``, ``ci_high_iid`` (as if participants were independent),
        ``design_effect`` (``(se / se_iid)²``), ``confidence`` and ``ci_method``. A group with
        one session has no cluster-robust interval (NaN).

    Notes
    -----
    With :math:`n` participants in :math:`G` sessions, residuals :math:`u_i = y_i - \bar y`
    and session sums :math:`U_g = \sum_{i \in g} u_i`, the cluster-robust (CR1) variance of
    the mean is

    .. math::

        \widehat{V}(\bar y) = \frac{G}{G-1} \, \frac{\sum_g U_g^2}{n^2},

    the intercept-only case of the sandwich estimator with Stata's small-sample factor
    :math:`\frac{G}{G-1}\frac{n-1}{n-k}` (:math:`k = 1`); the interval uses Student's
    *t* with :math:`G - 1` degrees of freedom (Cameron & Miller 2015). It equals
    ``statsmodels`` ``OLS(y, 1).fit(cov_type="cluster", use_t=True)``. With few sessions
    (5 for e-learning in the sample) the standard error itself is imprecise: the *t*
    quantile with 4 df (2.78) is what widens the interval. The iid interval is the usual
    :math:`\bar y \pm t_{n-1} s/\sqrt n`; for 0/1 outcomes prefer Wilson's interval
    (:func:`toolkit.intervals.wilson_interval`) when participants really are independent.

    References
    ----------
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. *Journal of Human Resources*, 50(2), 317–372.
    https://doi.org/10.3368/jhr.50.2.317

    Examples
    --------
    >>> df = pd.DataFrame({"method": ["a"] * 6 + ["b"] * 4,
    ...                    "session_id": ["s1", "s1", "s1", "s2", "s2", "s2",
    ...                                   "s3", "s3", "s4", "s4"],
    ...                    "y": [1.0, 2, 3, 5, 6, 7, 2, 2, 4, 4]})
    >>> out = method_comparison(df)
    >>> out[["method", "n", "n_clusters", "estimate", "se", "design_effect"]].round(3)
      method  n  n_clusters  estimate   se  design_effect
    0      a  6           2       4.0  2.0          4.286
    1      b  4           2       3.0  1.0          3.000
    >>> out[["ci_low", "ci_high", "ci_low_iid", "ci_high_iid"]].round(2)
       ci_low  ci_high  ci_low_iid  ci_high_iid
    0  -21.41    29.41        1.52         6.48
    1   -9.71    15.71        1.16         4.84

    Two sessions per group give a *t* with 1 df: the honest interval is very wide.
    """
    by = check_by(frame, by, reserved=_COMPARISON_COLUMNS)
    check_columns(frame, [y, cluster], param="frame")
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    values = pd.to_numeric(frame[y], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    codes, keys = group_codes(frame, by)
    ccodes, _ = group_codes(frame, [*by, cluster])
    ok = (codes >= 0) & (ccodes >= 0) & ~np.isnan(values)
    codes = np.where(ok, codes, -1)
    ccodes = np.where(ok, ccodes, -1)
    n_groups = len(keys)
    n_cl_all = int(ccodes.max()) + 1 if ok.any() else 0
    group_of_cluster = np.full(n_cl_all, -1, dtype=np.int64)
    group_of_cluster[ccodes[ok]] = codes[ok]
    v = np.where(ok, values, 0.0)
    n = np.bincount(codes[ok], minlength=n_groups).astype("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = group_sums(codes, n_groups, v) / n
        u = np.where(ok, v - mean[np.maximum(codes, 0)], 0.0)
        u_cl = group_sums(ccodes, n_cl_all, u)
        present = group_of_cluster >= 0
        g = np.bincount(group_of_cluster[present], minlength=n_groups).astype("float64")
        ss_cl = np.bincount(group_of_cluster[present], weights=u_cl[present] ** 2,
                            minlength=n_groups)  # fmt: skip
        var = np.where(g >= 2, g / (g - 1) * ss_cl / n**2, np.nan)
        se = np.sqrt(var)
        df = g - 1
        ss = group_sums(codes, n_groups, u**2)
        se_iid = np.where(n >= 2, np.sqrt(ss / (n - 1) / n), np.nan)
        crit = _t_crit(df, confidence)
        crit_iid = _t_crit(n - 1, confidence)
        deff = (se / se_iid) ** 2
    keep = n > 0
    out = pd.concat(
        [
            keys.reset_index(drop=True),
            pd.DataFrame(
                {
                    "n": n.astype("int64"),
                    "n_clusters": g.astype("int64"),
                    "estimate": mean,
                    "se": se,
                    "df": df,
                    "ci_low": mean - crit * se,
                    "ci_high": mean + crit * se,
                    "se_iid": se_iid,
                    "ci_low_iid": mean - crit_iid * se_iid,
                    "ci_high_iid": mean + crit_iid * se_iid,
                    "design_effect": deff,
                    "confidence": float(confidence),
                    "ci_method": f"CR1 clustered by {cluster}, t with G-1 df",
                }
            ),
        ],
        axis=1,
    )
    return out[keep].reset_index(drop=True)


# --------------------------------------------------------------------------- regression
@dataclass(frozen=True)
class ClusterOLS:
    """An OLS fit with cluster-robust (CR1) standard errors, from :func:`cluster_ols`.

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per column of the design: ``name`` (``"Intercept"``, ``"method[seminar]"``,
        ``"baseline"``), ``term``, ``level`` (empty for numeric terms), ``estimate``, ``se``,
        ``t``, ``df``, ``p_value``, ``ci_low``, ``ci_high``. Columns that are linear
        combinations of others (not estimable) have NaN estimates.
    y : str
        The outcome.
    terms : tuple of str
        The model's terms, in order.
    reference : dict
        The reference level of each categorical term.
    n, n_clusters : int
        Rows used (complete cases) and clusters among them.
    r_squared : float
        Share of the outcome's variance explained.
    confidence : float
        Level of the intervals.
    aliased : tuple of str
        Names of the columns left out as collinear.
    """

    coefficients: pd.DataFrame
    y: str
    terms: tuple[str, ...]
    reference: dict
    n: int
    n_clusters: int
    r_squared: float
    confidence: float
    aliased: tuple[str, ...]
    _cov: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table."""
        return self.coefficients

    def effects(self, term: str = "method") -> pd.DataFrame:
        """Every level of a categorical term against its reference (the reference row is 0).

        Returns
        -------
        pandas.DataFrame
            ``term`` named after the term (one row per level, the reference first), then
            ``estimate, se, t, df, p_value, ci_low, ci_high, reference`` (bool).
        """
        check_one_of("term", term, [t for t in self.terms if t in self.reference])
        rows = self.coefficients[self.coefficients["term"].eq(term)]
        ref = pd.DataFrame({"level": [self.reference[term]], "estimate": [0.0]})
        cols = ["level", "estimate", "se", "t", "df", "p_value", "ci_low", "ci_high"]
        out = pd.concat([ref, rows[cols]], ignore_index=True)
        out["reference"] = np.arange(len(out)) == 0
        return out.rename(columns={"level": term})

    def wald(self, term: str = "method") -> pd.Series:
        """Joint test that every level of ``term`` has the same mean as the reference.

        Returns
        -------
        pandas.Series
            ``f`` (Wald statistic / q), ``df_num`` (q), ``df_den`` (clusters − 1) and
            ``p_value`` (F distribution, as Stata's ``test`` after ``vce(cluster)``). NaN
            when q exceeds clusters − 1: the clustered covariance has too low a rank.
        """
        check_one_of("term", term, list(self.terms))
        rows = self.coefficients.index[
            self.coefficients["term"].eq(term) & self.coefficients["estimate"].notna()
        ].to_numpy()
        b = self.coefficients["estimate"].to_numpy()[rows]
        q, df_den = len(rows), self.n_clusters - 1
        if q == 0 or q > df_den:
            f, p = np.nan, np.nan
        else:
            f = float(b @ np.linalg.solve(self._cov[np.ix_(rows, rows)], b)) / q
            p = float(stats.f.sf(f, q, df_den))
        return pd.Series({"f": f, "df_num": q, "df_den": df_den, "p_value": p})


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def cluster_ols(
    df: pd.DataFrame,
    *,
    y: str,
    terms,
    cluster: str = "session_id",
    reference: dict | None = None,
    confidence: float = 0.95,
) -> ClusterOLS:
    r"""OLS of ``y`` on ``terms`` with standard errors clustered by ``cluster`` (CR1).

    Parameters
    ----------
    df : pandas.DataFrame
        The data, one row per observation.
    y : str
        Outcome column (numeric).
    terms : str or list of str
        Explanatory columns. Numeric columns enter linearly; categorical, text and boolean
        columns enter as indicators of every observed level except the reference.
    cluster : str
        Column whose values define the clusters (sessions).
    reference : dict, optional
        Reference level of a categorical term, e.g. ``{"method": "workshop"}``; default
        the first observed level (category order, else sorted).
    confidence : float
        Level of the intervals.

    Returns
    -------
    ClusterOLS
        ``.coefficients``, ``.effects(term)``, ``.wald(term)``, ``n``, ``n_clusters`` …

    Raises
    ------
    ValueError
        When no row is complete, there are fewer than 2 clusters, or a reference level is
        not observed.

    Notes
    -----
    :math:`\hat\beta = (X'X)^{-1}X'y` on the complete rows; with residuals :math:`e` and
    cluster score sums :math:`s_g = \sum_{i\in g} x_i e_i`,

    .. math::

        \widehat V = \frac{G}{G-1}\,\frac{n-1}{n-k}\,(X'X)^{-1}
        \Big(\sum_g s_g s_g'\Big)(X'X)^{-1},

    with :math:`k` the number of estimable columns; tests and intervals use Student's
    *t* with :math:`G - 1` degrees of freedom. These are the defaults of Stata's
    ``regress …, vce(cluster)`` and of ``statsmodels`` ``OLS.fit(cov_type="cluster",
    use_t=True)`` (the tests check the latter). A column that is a linear combination of
    the columns before it is left out (NaN, listed in ``aliased``), as R's ``lm`` does.
    With few clusters (under about 30–50) CR1 intervals tend to be too narrow; the wild
    cluster bootstrap or CR2 with Bell–McCaffrey degrees of freedom do better (Cameron &
    Miller 2015; MacKinnon, Nielsen & Webb 2023).

    References
    ----------
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. *Journal of Human Resources*, 50(2), 317–372.
    https://doi.org/10.3368/jhr.50.2.317

    MacKinnon, J. G., Nielsen, M. Ø., & Webb, M. D. (2023). Cluster-robust inference: a
    guide to empirical practice. *Journal of Econometrics*, 232(2), 272–299.
    https://doi.org/10.1016/j.jeconom.2022.04.001

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4, 6, 7, 5, 9],
    ...                    "method": ["a", "a", "b", "b", "a", "a", "b", "b"],
    ...                    "x": [0.0, 1, 0, 1, 2, 3, 2, 3],
    ...                    "session_id": ["s1", "s1", "s2", "s2", "s3", "s3", "s4", "s4"]})
    >>> fit = cluster_ols(df, y="y", terms=["method", "x"])
    >>> fit.coefficients[["name", "estimate", "se", "df"]].round(4)
            name  estimate      se   df
    0  Intercept     0.925  0.5098  3.0
    1  method[b]     1.250  0.5225  3.0
    2          x     2.050  0.1775  3.0
    >>> fit.effects("method")[["method", "estimate", "reference"]]
      method  estimate  reference
    0      a      0.00       True
    1      b      1.25      False
    """
    terms = as_list(terms)
    check_columns(df, [y, *terms, cluster], param="df")
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    reference = dict(reference or {})
    for t in reference:
        check_one_of("reference", t, terms)
    data = df[list(dict.fromkeys([y, *terms, cluster]))]
    data = data[data.notna().all(axis=1)].reset_index(drop=True)
    n = len(data)
    if n == 0:
        raise ValueError(f"No complete rows: every row misses one of {[y, *terms, cluster]}.")
    clusters, uniques = pd.factorize(data[cluster])
    n_clusters = len(uniques)
    if n_clusters < 2:
        raise ValueError(f"Clustered standard errors need at least 2 clusters in {cluster!r}.")
    yv = pd.to_numeric(data[y]).to_numpy(dtype="float64")
    columns, names, term_of, level_of, refs = [np.ones(n)], ["Intercept"], ["Intercept"], [""], {}
    for t in terms:
        s = data[t]
        if _is_numeric(s):
            columns.append(s.to_numpy(dtype="float64"))
            names.append(t), term_of.append(t), level_of.append("")
            continue
        cat = s if isinstance(s.dtype, pd.CategoricalDtype) else s.astype("category")
        cat = cat.cat.remove_unused_categories()
        levels = list(cat.cat.categories)
        ref = reference.get(t, levels[0])
        check_one_of(f"reference[{t!r}]", ref, levels)
        codes = cat.cat.codes.to_numpy()
        for j, lev in enumerate(levels):
            if lev == ref:
                continue
            columns.append((codes == j).astype("float64"))
            names.append(f"{t}[{lev}]"), term_of.append(t), level_of.append(str(lev))
        refs[t] = str(ref)
    X = np.column_stack(columns)
    p = X.shape[1]
    # A column is kept when it adds to the span of the columns before it (|R_jj| of the
    # unpivoted QR of the unit-norm columns is its distance from that span), as R's lm does.
    norms = np.linalg.norm(X, axis=0)
    r = linalg.qr(X / np.where(norms > 0, norms, 1.0), mode="r")[0]
    keep = np.flatnonzero(np.abs(np.diag(r)[:p]) > 1e-9)
    rank = len(keep)
    Xk = X[:, keep]
    bread = np.linalg.inv(Xk.T @ Xk)
    b = bread @ (Xk.T @ yv)
    e = yv - Xk @ b
    s = group_sums(clusters.astype(np.int64), n_clusters, Xk * e[:, None])
    factor = n_clusters / (n_clusters - 1) * (n - 1) / (n - rank)
    cov_k = factor * bread @ (s.T @ s) @ bread
    beta = np.full(p, np.nan)
    beta[keep] = b
    cov = np.full((p, p), np.nan)
    cov[np.ix_(keep, keep)] = cov_k
    se = np.sqrt(np.diag(cov))
    dof = n_clusters - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        tstat = beta / se
    crit = _t_crit(dof, confidence)
    coefficients = pd.DataFrame(
        {
            "name": names,
            "term": term_of,
            "level": level_of,
            "estimate": beta,
            "se": se,
            "t": tstat,
            "df": float(dof),
            "p_value": 2 * stats.t.sf(np.abs(tstat), dof),
            "ci_low": beta - crit * se,
            "ci_high": beta + crit * se,
        }
    )
    for col in ("name", "term", "level"):
        coefficients[col] = coefficients[col].astype("str")
    tss = float(((yv - yv.mean()) ** 2).sum())
    r2 = 1 - float(e @ e) / tss if tss > 0 else np.nan
    aliased = tuple(names[i] for i in range(p) if i not in set(keep))
    return ClusterOLS(
        coefficients, y, tuple(terms), refs, n, n_clusters, r2, float(confidence), aliased, cov
    )


def method_effects(
    frame: pd.DataFrame,
    *,
    y: str = "y",
    term: str = "method",
    adjust=("program", "grade", "position_type", "baseline"),
    reference: str | None = None,
    cluster: str = "session_id",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Differences between methods, raw and adjusted for programme and participant mix.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per participant (:func:`method_frame`).
    y : str
        The outcome.
    term : str
        The compared factor (default the delivery method).
    adjust : sequence of str
        Columns to adjust for. Default: programme, grade, position type and the baseline
        (pre-test score or baseline rating). A column with no value at all (the baseline
        of a reaction outcome) is left out.
    reference : str, optional
        The level every other is compared with; default the first observed.
    cluster : str
        Cluster of the standard errors (the session).
    confidence : float
        Level of the intervals.

    Returns
    -------
    pandas.DataFrame
        Two blocks of rows, ``model`` = ``"raw"`` (``y ~ term``) then ``"adjusted"`` (``y ~
        term + adjust``), each with one row per level of ``term`` (the reference first,
        estimate 0): ``model``, ``term`` named after it, ``estimate`` (difference from the
        reference), ``se``, ``ci_low``, ``ci_high``, ``p_value``, ``reference``, ``n``,
        ``n_clusters``, ``adjusted_for`` (the columns actually used), ``wald_p`` (joint
        test that all levels are equal). Both models use the same rows (complete for
        ``y``, ``term``, ``adjust`` and ``cluster``), so the two blocks differ only by the
        adjustment. Empty (with these columns) when no row is complete.

    Notes
    -----
    The raw difference between two methods compares their participants as they came; the
    adjusted one compares participants of the same programme, grade, position type and
    starting level. Neither is a causal effect unless the adjusted columns capture every
    reason why participants ended up in one method rather than another (no unmeasured
    confounding): see :func:`cluster_ols` for the estimator.

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> gain = method_frame(load(toolkit.SAMPLE_DATA), "learning")
    >>> out = method_effects(gain)
    >>> out.pivot(index="method", columns="model", values="estimate").round(1)
    model          adjusted  raw
    method
    workshop            0.0  0.0
    seminar            -7.0 -5.6
    project_based       3.0  0.5
    simulation          3.5 -0.1
    e_learning         -4.9 -5.7
    """
    check_columns(frame, [y, term, cluster], param="frame")
    adjust = [a for a in as_list(adjust) if a != term]
    check_columns(frame, adjust, param="adjust")
    used = [a for a in adjust if frame[a].notna().any()]
    rows = frame[frame[[y, term, cluster, *used]].notna().all(axis=1)]
    cols = ["model", term, "estimate", "se", "ci_low", "ci_high", "p_value", "reference", "n",
            "n_clusters", "adjusted_for", "wald_p"]  # fmt: skip
    if rows.empty:  # nothing to compare (e.g. no behaviour data): an empty table
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols}).astype(
            {"model": "str", term: "str", "reference": "bool", "adjusted_for": "str"}
        )
    ref = None if reference is None else {term: reference}
    parts = []
    for model, terms in (("raw", [term]), ("adjusted", [term, *used])):
        fit = cluster_ols(rows, y=y, terms=terms, cluster=cluster, reference=ref,
                          confidence=confidence)  # fmt: skip
        eff = fit.effects(term)
        eff.insert(0, "model", model)
        eff["n"] = fit.n
        eff["n_clusters"] = fit.n_clusters
        eff["adjusted_for"] = ", ".join(terms[1:])
        eff["wald_p"] = fit.wald(term)["p_value"]
        parts.append(eff)
    out = pd.concat(parts, ignore_index=True)[cols]
    out["model"] = out["model"].astype("str")
    out["adjusted_for"] = out["adjusted_for"].astype("str")
    levels = (
        frame[term].cat.categories if isinstance(frame[term].dtype, pd.CategoricalDtype) else None
    )
    if levels is not None:
        out[term] = pd.Categorical(out[term], categories=levels)
    return out
