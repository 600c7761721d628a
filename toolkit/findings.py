"""Key findings at each level, as one tidy table: the headline of the report's index page.

Each finding is computed by the level's own analysis function (nothing is recomputed
here), with its interval and n, and worded in Indonesian and English from the templates in
:data:`LABELS`. A level whose data are missing or too thin gets a "not available" row that
says why, instead of a number.

Examples
--------
>>> import toolkit
>>> from toolkit.data import load
>>> table = key_findings(load(toolkit.SAMPLE_DATA), lang="en")
>>> table[["level", "key"]].head(3).to_string(index=False)
' level           key\\n     1 reaction_top2\\n     1           nps\\n     2     hake_gain'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.i18n import localize_numbers
from toolkit.validation import check_one_of

__all__ = ["LABELS", "conservative_did", "key_findings"]

#: Templates of the findings; fields are filled from the estimate, its interval and n.
LABELS = {
    "reaction_top2": {
        "id": "Rata-rata {estimate:.0f}% jawaban setuju/sangat setuju pada butir reaksi "
        "(butir terendah {low_item}: {low:.0f}%; n = {n:,} jawaban).",
        "en": "On average {estimate:.0f}% of reaction answers agree or strongly agree "
        "(lowest item {low_item}: {low:.0f}%; n = {n:,} answers).",
    },
    "nps": {
        "id": "Net Promoter Score {estimate:+.0f} (IK 95% {ci_low:+.0f} s.d. {ci_high:+.0f}; "
        "n = {n:,}).",
        "en": "Net Promoter Score {estimate:+.0f} (95% CI {ci_low:+.0f} to {ci_high:+.0f}; "
        "n = {n:,}).",
    },
    "hake_gain": {
        "id": "Skor tes naik dari {pre:.0f}% ke {post:.0f}%: gain ternormalisasi Hake "
        "{estimate:.2f} ({band}; n = {n:,} peserta).",
        "en": "Test scores rose from {pre:.0f}% to {post:.0f}%: Hake normalised gain "
        "{estimate:.2f} ({band}; n = {n:,} participants).",
    },
    "d_z": {
        "id": "Efek berpasangan d_z = {estimate:.2f} (IK 95% {ci_low:.2f} s.d. {ci_high:.2f}).",
        "en": "Paired effect size d_z = {estimate:.2f} (95% CI {ci_low:.2f} to {ci_high:.2f}).",
    },
    "behavior_supervisor_3m": {
        "id": "Menurut atasan, perilaku kerja naik {estimate:+.2f} poin (skala 1–5) tiga bulan "
        "setelah pelatihan (IK 95% {ci_low:+.2f} s.d. {ci_high:+.2f}; n = {n:,}).",
        "en": "Supervisors rate on-the-job behaviour {estimate:+.2f} points higher (1–5 scale) "
        "three months after training (95% CI {ci_low:+.2f} to {ci_high:+.2f}; n = {n:,}).",
    },
    "ikm_did": {
        "id": "Pelatihan menaikkan IKM unit sebesar {estimate:+.1f} poin (selisih-dalam-selisih, "
        "IK 95% {ci_low:+.1f} s.d. {ci_high:+.1f} dengan galat baku yang lebih besar; "
        "{n:,} unit).",
        "en": "Training raised units' IKM by {estimate:+.1f} points (difference-in-differences, "
        "95% CI {ci_low:+.1f} to {ci_high:+.1f} with the larger standard error; {n:,} units).",
    },
    "roi": {
        "id": "ROI tahun pertama (konservatif) {estimate:.0f}%: manfaat Rp{benefits:,.0f} "
        "terhadap biaya penuh Rp{costs:,.0f} (BCR {bcr:.2f}).",
        "en": "First-year ROI (conservative) {estimate:.0f}%: benefits Rp{benefits:,.0f} "
        "against fully loaded costs Rp{costs:,.0f} (BCR {bcr:.2f}).",
    },
    "low": {"id": "rendah", "en": "low"},
    "medium": {"id": "sedang", "en": "medium"},
    "high": {"id": "tinggi", "en": "high"},
    "not_available": {
        "id": "Tidak tersedia: {reason}",
        "en": "Not available: {reason}",
    },
}


def _row(level, key, lang, estimate=np.nan, ci_low=np.nan, ci_high=np.nan, n=0, **fields):
    text = LABELS[key][lang].format(
        estimate=estimate, ci_low=ci_low, ci_high=ci_high, n=int(n), **fields
    )
    text = localize_numbers(text, lang)
    return {
        "level": level,
        "key": key,
        "estimate": float(estimate),
        "ci_low": float(ci_low),
        "ci_high": float(ci_high),
        "n": int(n),
        "text": text,
    }


def _missing(level, key, reason, lang):
    row = _row(level, "not_available", lang, reason=reason)
    row["key"] = key
    return row


def _reaction(data, lang):
    from toolkit import reaction

    inst = data.instruments
    react = inst[inst["instrument"] == "reaction"]
    if data.reaction.empty or react.empty:
        return [_missing(1, "reaction_top2", "no reaction survey", lang)]
    scale_items = reaction.scale_items(inst, data.reaction)
    summary = reaction.likert_summary(data.reaction, items=scale_items, instruments=inst)
    low = summary.loc[summary["top2_pct"].idxmin()]
    rows = [
        _row(
            1,
            "reaction_top2",
            lang,
            summary["top2_pct"].mean(),
            n=summary["n"].sum(),
            low_item=low["item_code"],
            low=low["top2_pct"],
        )  # fmt: skip
    ]
    recommend = reaction.nps_items(inst, data.reaction)
    if recommend:
        nps = reaction.net_promoter_score(data.reaction, item=recommend[0], instruments=inst)
        r = nps.iloc[0]
        rows.append(_row(1, "nps", lang, r["estimate"], r["ci_low"], r["ci_high"], r["n"]))
    return rows


def _learning(data, lang):
    from toolkit import learning

    if data.tests.empty:
        return [_missing(2, "hake_gain", "no pre/post tests", lang)]
    scores = learning.prepost_scores(data.tests).dropna(subset=["pre", "post"])
    if len(scores) < 2:
        return [_missing(2, "hake_gain", "fewer than two paired scores", lang)]
    gain = learning.normalized_gain(scores).iloc[0]
    es = learning.paired_effect_sizes(scores)
    dz = es[es["measure"] == "d_z"].iloc[0]
    return [
        _row(
            2,
            "hake_gain",
            lang,
            gain["g_class"],
            n=gain["n"],
            pre=gain["mean_pre"],
            post=gain["mean_post"],
            band=LABELS[gain["hake_band"]][lang],
        ),  # fmt: skip
        _row(2, "d_z", lang, dz["estimate"], dz["ci_low"], dz["ci_high"], dz["n"]),
    ]


def _behavior(data, lang):
    from toolkit import behavior

    key = "behavior_supervisor_3m"
    if data.behavior.empty:
        return [_missing(3, key, "no behaviour ratings", lang)]
    try:
        change = behavior.behavior_change(
            data.behavior, instruments=data.instruments, rater="supervisor",
            compare=("baseline", "followup_3m"),
        )  # fmt: skip
    except ValueError as exc:
        return [_missing(3, key, str(exc), lang)]
    r = change.iloc[0]
    return [_row(3, key, lang, r["estimate"], r["ci_low"], r["ci_high"], r["n"])]


def conservative_did(df: pd.DataFrame, *, confidence: float = 0.95, **did_args) -> pd.DataFrame:
    """The difference-in-differences effect with the larger of its clustered and robust SEs.

    With few clusters the cluster-robust (CR1) standard error is biased downward and can come
    out *smaller* than the one that treats observations as independent, the warning sign of
    notebook 02 (Cameron & Miller 2015, section VI; Angrist & Pischke 2009, section 8.2).
    The cautious report quotes the larger of the two, with the t distribution on
    :math:`G - 1` degrees of freedom of the clustered test, so that the interval is never
    narrower than either.

    Parameters
    ----------
    df : pandas.DataFrame
        As for :func:`toolkit.results.did`.
    confidence : float, default 0.95
        Level of the interval.
    **did_args
        Passed to :func:`toolkit.results.did` (``outcome``, ``treated``, ``post``, ``unit``,
        ``period``, ``cluster`` ...); ``se`` is set here.

    Returns
    -------
    pandas.DataFrame
        One row: ``estimate, se, se_choice`` ("cluster" or "robust", the larger),
        ``se_cluster, se_robust, df, ci_low, ci_high, n, n_clusters``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> unit, t = np.repeat(np.arange(8), 6), np.tile(np.arange(6), 8)
    >>> df = pd.DataFrame({"unit": unit, "t": t, "treated": unit < 4, "post": t >= 3})
    >>> df["y"] = unit + 0.5 * t + 2.0 * (df["treated"] & df["post"]) + rng.normal(0, 1, 48)
    >>> row = conservative_did(df, outcome="y", treated="treated", post="post",
    ...                        unit="unit", period="t").iloc[0]
    >>> bool(row["se"] == max(row["se_cluster"], row["se_robust"])), int(row["df"])
    (True, 7)
    """
    from scipy import stats

    from toolkit import results

    check_one_of("se", did_args.pop("se", "cluster"), ("cluster",))
    fits = {
        se: results.did(df, se=se, confidence=confidence, **did_args).set_index("term").loc["did"]
        for se in ("cluster", "robust")
    }
    clustered = fits["cluster"]
    choice = "robust" if fits["robust"]["se"] > clustered["se"] else "cluster"
    se = float(fits[choice]["se"])
    dof = float(clustered["df"])
    half = float(stats.t.ppf(0.5 + confidence / 2, dof)) * se
    est = float(clustered["estimate"])
    return pd.DataFrame(
        {
            "estimate": [est],
            "se": [se],
            "se_choice": [choice],
            "se_cluster": [float(clustered["se"])],
            "se_robust": [float(fits["robust"]["se"])],
            "df": [dof],
            "ci_low": [est - half],
            "ci_high": [est + half],
            "n": [int(clustered["n"])],
            "n_clusters": [int(clustered["n_clusters"])],
        }
    )


def _impact(data, lang):
    from toolkit import results

    if data.ikm_responses.empty or data.units.empty:
        return [_missing(4, "ikm_did", "no IKM surveys or units", lang)]
    panel = results.ikm_panel(data.ikm_responses, units=data.units)
    if panel["treated"].nunique() < 2 or panel["treated_post"].nunique() < 2:
        return [_missing(4, "ikm_did", "needs trained and comparison units over time", lang)]
    try:
        est = conservative_did(panel, outcome="converted", treated="treated",
                               post="treated_post", unit="unit_id", period="period")  # fmt: skip
    except ValueError as exc:
        return [_missing(4, "ikm_did", str(exc), lang)]
    r = est.iloc[0]
    return [_row(4, "ikm_did", lang, r["estimate"], r["ci_low"], r["ci_high"], r["n_clusters"])]


def _roi(data, lang):
    import warnings

    from toolkit import roi

    if data.costs.empty or data.benefit_estimates.empty:
        return [_missing(5, "roi", "needs cost lines and benefit estimates", lang)]
    costs = roi.fully_loaded_costs(data.costs, by=None)
    benefits = roi.isolated_benefits(data.benefit_estimates)
    with warnings.catch_warnings():  # a missing salary line is reported in the ROI chapter
        warnings.simplefilter("ignore", UserWarning)
        result = roi.roi(benefits, costs)
    r = result.to_frame().iloc[0]
    return [_row(5, "roi", lang, r["roi_pct"], n=0, benefits=r["benefits_idr"],
                 costs=r["costs_idr"], bcr=r["bcr"])]  # fmt: skip


def key_findings(data, *, lang: str = "id") -> pd.DataFrame:
    """Headline findings at each Kirkpatrick level and Phillips ROI.

    Parameters
    ----------
    data : toolkit.data.EvaluationData
        The evaluation's tables.
    lang : {"id", "en"}
        Language of the ``text`` column.

    Returns
    -------
    pandas.DataFrame
        One row per finding: ``level`` (1–5), ``key``, ``estimate``, ``ci_low``,
        ``ci_high`` (NaN where the statistic has no interval), ``n`` and ``text``.

    Notes
    -----
    Level 1: mean top-2-box share over the 1–5 reaction items, and the NPS with its
    adjusted-Wald interval (:func:`toolkit.reaction.net_promoter_score`). Level 2: Hake's
    gain of class averages and d_z (:mod:`toolkit.learning`). Level 3: supervisor-rated
    change from baseline to 3 months (:func:`toolkit.behavior.behavior_change`). Level 4:
    two-way fixed-effects difference-in-differences on unit × quarter IKM, with the larger of
    the unit-clustered and robust standard errors and :math:`G - 1` degrees of freedom
    (:func:`conservative_did`: few clusters bias clustered SEs downward); the IKM chapter
    compares it with the staggered-adoption estimator. Level 5: conservative first-year ROI (:func:`toolkit.roi.roi`).
    """
    check_one_of("lang", lang, ("id", "en"))
    rows = []
    for part in (_reaction, _learning, _behavior, _impact, _roi):
        rows += part(data, lang)
    return pd.DataFrame(rows, columns=["level", "key", "estimate", "ci_low", "ci_high", "n",
                                       "text"])  # fmt: skip
