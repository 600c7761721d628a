"""Level 4 figures: the IKM profile, the event-study plot and the DiD trends plot.

Each function takes a tidy table (the output of :mod:`toolkit.results` functions, or the
panel itself), keyword-only options with ``lang="id"`` and ``ax=None``, returns the
``Axes`` and attaches the numbers it drew as ``ax.drawn``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.i18n import label
from toolkit.impact import EventStudyResult, period_index
from toolkit.plots._style import PALETTE, attach, get_ax
from toolkit.results import IKM_GRADES, ikm_grade
from toolkit.schema import IKM_ELEMENTS
from toolkit.validation import check_columns, check_one_of

__all__ = ["LABELS", "ikm_profile", "event_study_plot", "did_plot"]

#: Labels of this module, passed to :func:`toolkit.i18n.label` as ``extra``.
LABELS: dict[str, dict[str, str]] = {
    "ikm_profile_title": {
        "id": "Nilai per unsur pelayanan (NRR)",
        "en": "Score by service element (NRR)",
    },
    "nrr_converted": {"id": "Nilai konversi (25–100)", "en": "Converted score (25–100)"},
    "nrr_index": {"id": "Nilai rata-rata unsur (1–4)", "en": "Element average (1–4)"},
    "grade_A": {"id": "A – Sangat baik", "en": "A – Very good"},
    "grade_B": {"id": "B – Baik", "en": "B – Good"},
    "grade_C": {"id": "C – Kurang baik", "en": "C – Less than good"},
    "grade_D": {"id": "D – Tidak baik", "en": "D – Not good"},
    "event_time": {
        "id": "Triwulan relatif terhadap pelatihan pertama",
        "en": "Quarters relative to first training",
    },
    "effect": {"id": "Efek terhadap hasil (selisih)", "en": "Effect on the outcome"},
    "twfe": {"id": "TWFE (efek tetap dua arah)", "en": "TWFE (two-way fixed effects)"},
    "cohort": {
        "id": "Estimator kohort (Callaway–Sant'Anna)",
        "en": "Cohort estimator (Callaway–Sant'Anna)",
    },
    "treated_group": {"id": "Unit yang dilatih", "en": "Trained units"},
    "comparison_group": {"id": "Unit pembanding", "en": "Comparison units"},
    "counterfactual": {
        "id": "Kontrafaktual (mengikuti tren pembanding)",
        "en": "Counterfactual (comparison trend)",
    },
    "training_start": {"id": "Pelatihan dimulai", "en": "Training starts"},
}

_GRADE_COLOURS = {"A": "#009E73", "B": "#56B4E9", "C": "#E69F00", "D": "#D55E00"}
_NAMES = {code: {"id": name_id, "en": name_en} for code, name_id, name_en in IKM_ELEMENTS}


def _lab(key: str, lang: str) -> str:
    return label(key, lang, extra=LABELS)


def ikm_profile(data: pd.DataFrame, *, scale: str = "converted", lang: str = "id", ax=None):
    """Bar chart of each element's score over the shaded grade bands A-D.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per element for one group: the output of
        :func:`toolkit.results.ikm_elements` (columns ``element`` and ``nrr``; filter to one
        unit and period first).
    scale : {"converted", "index"}, default "converted"
        Draw ``25 * nrr`` (25-100) or ``nrr`` (1-4).
    lang : {"id", "en"}
        Language of the labels.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        With ``ax.drawn``: ``element, label, value, grade``.
    """
    check_one_of("scale", scale, ("converted", "index"))
    check_one_of("lang", lang, ("id", "en"))
    check_columns(data, ["element", "nrr"], param="data")
    if data["element"].duplicated().any():
        raise ValueError(
            "`data` has several rows for the same element: filter it to one unit and period, "
            "e.g. ikm_elements(df, by=['unit_id']).query(\"unit_id == 'U01'\")."
        )
    factor = 25.0 if scale == "converted" else 1.0
    elements = data["element"].astype("str").tolist()
    names = [_NAMES.get(e, {"id": e, "en": e})[lang] for e in elements]
    drawn = pd.DataFrame(
        {
            "element": elements,
            "label": [f"{e.upper()} {n}" for e, n in zip(elements, names, strict=True)],
            "value": data["nrr"].to_numpy(dtype="float64") * factor,
        }
    )
    drawn["grade"] = ikm_grade(drawn["value"].to_numpy() * 25.0 / factor)["grade"].to_numpy()
    ax = get_ax(ax, figsize=(7.5, 0.45 * len(drawn) + 1.5))
    top = 100.0
    for grade, low, _, _ in IKM_GRADES:
        ax.axvspan(
            low / 25.0 * factor, top / 25.0 * factor, color=_GRADE_COLOURS[grade], alpha=0.12, lw=0
        )
        ax.text(
            (low + top) / 50.0 * factor,
            len(drawn) - 0.45,
            grade,
            ha="center",
            va="bottom",
            fontsize=9,
            color=_GRADE_COLOURS[grade],
        )
        top = low
    y = np.arange(len(drawn))[::-1]
    colours = [_GRADE_COLOURS.get(g, "grey") for g in drawn["grade"]]
    ax.barh(y, drawn["value"], color=colours, height=0.6)
    ax.set_yticks(y, drawn["label"])
    ax.set_ylim(-0.6, len(drawn) + 0.3)  # room for the grade letters inside the axes
    ax.set_xlim(25.0 / 25.0 * factor, 100.0 / 25.0 * factor)
    ax.set_xlabel(_lab("nrr_converted" if scale == "converted" else "nrr_index", lang))
    ax.set_title(_lab("ikm_profile_title", lang))
    return attach(ax, drawn, lang=lang)


def event_study_plot(result, *, lang: str = "id", ax=None):
    """Event-study coefficients with confidence intervals, one series per estimator.

    Parameters
    ----------
    result : EventStudyResult or pandas.DataFrame
        The output of :func:`toolkit.results.event_study` (or its ``estimates``).
    lang : {"id", "en"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        With ``ax.drawn``: ``estimator, rel_time, x, estimate, ci_low, ci_high``.
    """
    check_one_of("lang", lang, ("id", "en"))
    est = result.estimates if isinstance(result, EventStudyResult) else result
    check_columns(est, ["estimator", "rel_time", "estimate", "ci_low", "ci_high"], param="result")
    estimators = list(dict.fromkeys(est["estimator"]))
    offsets = dict(zip(estimators, np.linspace(-0.12, 0.12, len(estimators)), strict=True))
    drawn = est[["estimator", "rel_time", "estimate", "ci_low", "ci_high"]].copy()
    drawn.insert(2, "x", drawn["rel_time"] + drawn["estimator"].map(offsets).astype(float))
    ax = get_ax(ax)
    ax.axhline(0, color="grey", lw=0.8)
    for i, name in enumerate(estimators):
        d = drawn[drawn["estimator"] == name]
        ax.errorbar(
            d["x"], d["estimate"],
            yerr=[d["estimate"] - d["ci_low"], d["ci_high"] - d["estimate"]],
            fmt="o", ms=4, capsize=2, color=PALETTE[i % len(PALETTE)], label=_lab(name, lang),
        )  # fmt: skip
    ref = est.loc[est["se"].isna(), "rel_time"] if "se" in est else pd.Series([-1])
    start = (ref.iloc[0] if len(ref) else -1) + 0.5
    ax.axvline(start, color="black", ls=":", lw=1, label=_lab("training_start", lang))
    ax.set_xlabel(_lab("event_time", lang))
    ax.set_ylabel(_lab("effect", lang))
    ax.legend(frameon=False)
    return attach(ax, drawn, lang=lang)


def did_plot(
    df: pd.DataFrame, *, outcome: str, period: str, treated: str, post: str, lang: str = "id",
    ax=None,
):  # fmt: skip
    """Mean outcome of trained and comparison units by period, with the counterfactual.

    Parameters
    ----------
    df : pandas.DataFrame
        Observations (e.g. :func:`toolkit.results.ikm_panel`).
    outcome, period : str
        Outcome and period columns (quarters ``"2024Q1"`` or integers).
    treated, post : str
        0/1 columns: trained group; period after training (as in :func:`did`).
    lang : {"id", "en"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        With ``ax.drawn``: ``group`` ("treated", "comparison", "counterfactual"),
        ``period``, ``x``, ``value``.

    Notes
    -----
    The dashed counterfactual is what the trained units would have scored had they
    followed the comparison units' trend: comparison mean plus the pre-training gap,
    :math:`\\bar y_{C,t} + (\\bar y_{T,pre} - \\bar y_{C,pre})`, drawn from the last
    pre-training period on. The vertical distance between it and the trained units' line
    after training is the difference-in-differences.
    """
    check_one_of("lang", lang, ("id", "en"))
    check_columns(df, [outcome, period, treated, post])
    data = df[[outcome, period, treated, post]].dropna()
    x = period_index(data[period]).to_numpy(dtype="float64", na_value=np.nan)
    data = data.assign(_x=x, _tr=data[treated].astype(float), _po=data[post].astype(float))
    means = data.groupby(["_tr", "_x"], observed=True, sort=True)[outcome].mean()
    labels = data.groupby("_x", observed=True, sort=True)[period].first().astype("str")
    start = data.loc[(data["_tr"] == 1) & (data["_po"] == 1), "_x"].min()
    pre_gap = (
        data[(data["_x"] < start) & (data["_tr"] == 1)][outcome].mean()
        - data[(data["_x"] < start) & (data["_tr"] == 0)][outcome].mean()
    )
    comp = means.loc[0.0]
    trt = means.loc[1.0]
    cf = comp[comp.index >= comp.index[comp.index < start].max()] + pre_gap
    parts = []
    for group, s in (("treated", trt), ("comparison", comp), ("counterfactual", cf)):
        parts.append(pd.DataFrame({"group": group, "x": s.index, "value": s.to_numpy()}))
    drawn = pd.concat(parts, ignore_index=True)
    drawn.insert(1, "period", drawn["x"].map(labels).to_numpy())
    ax = get_ax(ax)
    styles = {
        "treated": dict(color=PALETTE[0], ls="-", marker="o", label=_lab("treated_group", lang)),
        "comparison": dict(
            color=PALETTE[1], ls="-", marker="s", label=_lab("comparison_group", lang)
        ),
        "counterfactual": dict(color=PALETTE[0], ls="--", label=_lab("counterfactual", lang)),
    }
    for group, style in styles.items():
        d = drawn[drawn["group"] == group]
        ax.plot(d["x"], d["value"], ms=4, **style)
    ax.axvline(start - 0.5, color="black", ls=":", lw=1, label=_lab("training_start", lang))
    ticks = labels.index.to_numpy()
    step = max(1, len(ticks) // 8)
    ax.set_xticks(ticks[::step], labels.to_numpy()[::step])
    ax.set_xlabel(label("period", lang))
    ax.set_ylabel(_lab(outcome, lang))
    ax.legend(frameon=False)
    return attach(ax, drawn, lang=lang)
