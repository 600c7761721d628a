"""Level 5 figures: a waterfall from benefits through costs to net benefit, and a tornado."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from toolkit.i18n import label
from toolkit.plots._style import PALETTE, attach, get_ax
from toolkit.validation import check_columns, check_number, check_one_of

__all__ = ["LABELS", "roi_tornado", "roi_waterfall"]

#: Labels of this module, passed to :func:`toolkit.i18n.label` as ``extra``.
LABELS: dict[str, dict[str, str]] = {
    "needs_analysis": {"id": "Analisis kebutuhan", "en": "Needs analysis"},
    "design_development": {"id": "Desain dan pengembangan", "en": "Design and development"},
    "facilitator_fees": {"id": "Honor narasumber/fasilitator", "en": "Facilitator fees"},
    "materials": {"id": "Bahan ajar", "en": "Materials"},
    "venue_catering": {"id": "Tempat dan konsumsi", "en": "Venue and catering"},
    "travel_accommodation": {"id": "Perjalanan dan akomodasi", "en": "Travel and accommodation"},
    "participant_salaries": {
        "id": "Gaji dan tunjangan peserta (waktu pelatihan)",
        "en": "Participants' salaries (time in training)",
    },
    "evaluation": {"id": "Evaluasi", "en": "Evaluation"},
    "overhead": {"id": "Overhead", "en": "Overhead"},
    "benefits": {"id": "Manfaat", "en": "Benefits"},
    # benefit measures of the benefit_estimates table
    "faster_service": {"id": "Layanan lebih cepat", "en": "Faster service"},
    "fewer_complaints": {"id": "Pengaduan berkurang", "en": "Fewer complaints"},
    "fewer_errors": {"id": "Kesalahan berkurang", "en": "Fewer errors"},
    "time_saved": {"id": "Waktu kerja hemat", "en": "Time saved"},
    "net_benefit": {"id": "Manfaat bersih", "en": "Net benefit"},
    "waterfall_title": {
        "id": "Dari manfaat ke manfaat bersih (tahun pertama)",
        "en": "From benefits to net benefit (first year)",
    },
    "million_idr": {"id": "Juta rupiah", "en": "Million rupiah"},
    "roi_pct": {"id": "ROI (%)", "en": "ROI (%)"},
    "tornado_title": {
        "id": "Kepekaan ROI terhadap asumsi",
        "en": "Sensitivity of ROI to assumptions",
    },
    # assumptions of toolkit.roi.phillips_model and common sensitivity factors
    "annual_value_idr": {"id": "Nilai manfaat tahunan", "en": "Annual value claimed"},
    "attribution": {"id": "Atribusi ke pelatihan", "en": "Attribution to training"},
    "confidence": {"id": "Tingkat keyakinan", "en": "Confidence in the estimate"},
    "direct_costs_idr": {"id": "Biaya langsung", "en": "Direct costs"},
    "participant_hours": {"id": "Jam peserta", "en": "Participant hours"},
    "hourly_compensation_idr": {
        "id": "Gaji dan tunjangan per jam",
        "en": "Salary and allowances per hour",
    },
    "design_idr": {"id": "Biaya desain", "en": "Design costs"},
    "prorate_years": {"id": "Umur desain (tahun)", "en": "Design life (years)"},
    "attribution_scale": {"id": "Atribusi (× dasar)", "en": "Attribution (× base)"},
    "confidence_scale": {"id": "Keyakinan (× dasar)", "en": "Confidence (× base)"},
    "extreme_multiple": {
        "id": "Batas klaim ekstrem (× median)",
        "en": "Extreme-claim threshold (× median)",
    },
    "pay_scale": {"id": "Gaji dan tunjangan (× dasar)", "en": "Salary and allowances (× base)"},
    "design_years": {"id": "Umur desain (tahun)", "en": "Design life (years)"},
    "low_value": {"id": "Nilai rendah", "en": "Low value"},
    "high_value": {"id": "Nilai tinggi", "en": "High value"},
    "base_roi": {"id": "ROI dasar", "en": "Base ROI"},
}


def _parts(obj, label_col, value_col, param):
    """(labels, amounts) from a number, a mapping or a tidy frame."""
    if isinstance(obj, int | float | np.number) and not isinstance(obj, bool):
        return ["benefits" if param == "benefits" else "costs"], [float(obj)]
    if isinstance(obj, Mapping):
        return [str(k) for k in obj], [float(v) for v in obj.values()]
    if param == "costs" and "category" in obj.columns:
        obj = obj.loc[obj["category"].astype("str") != "total"]
        label_col, value_col = "category", "amount_idr"
    check_columns(obj, [value_col], param=param)
    if label_col in obj.columns:
        s = obj.groupby(obj[label_col].astype("str"), sort=False)[value_col].sum()
        return s.index.tolist(), s.astype(float).tolist()
    return ["benefits"], [float(obj[value_col].sum())]


def roi_waterfall(
    benefits,
    costs,
    *,
    label_col: str = "measure",
    scale: float = 1e6,
    lang: str = "id",
    ax=None,
):
    """Waterfall: each benefit rises, each cost category falls, the last bar is net benefit.

    Parameters
    ----------
    benefits : float, mapping or DataFrame
        Isolated first-year benefits: a number, ``{measure: rupiah}``, or a frame with
        ``benefits_idr`` (and ``label_col`` to split the bars, e.g. the output of
        :func:`toolkit.roi.isolated_benefits` with ``by="measure"``).
    costs : float, mapping or DataFrame
        Fully loaded costs: a number, ``{category: rupiah}`` or the output of
        :func:`toolkit.roi.fully_loaded_costs` (categories of zero are left out).
    label_col : str
        Column of ``benefits`` naming each benefit bar.
    scale : float
        Divide rupiah by this for the axis (default millions).
    lang : {"id", "en"}
        Language of the labels.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib Axes
        With ``ax.drawn``: ``step, kind`` (benefit, cost, net), ``amount_idr, start_idr,
        end_idr`` (running total before and after the bar, in rupiah).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = roi_waterfall({"time_saved": 300e6, "fewer_errors": 281e6},
    ...                    {"design_development": 100e6, "participant_salaries": 129e6})
    >>> ax.drawn[["step", "kind", "end_idr"]]
                       step     kind      end_idr
    0            time_saved  benefit  300000000.0
    1          fewer_errors  benefit  581000000.0
    2    design_development     cost  481000000.0
    3  participant_salaries     cost  352000000.0
    4           net_benefit      net  352000000.0
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    check_one_of("lang", lang, ("id", "en"))
    check_number("scale", scale, low=0, low_open=True)
    b_lab, b_val = _parts(benefits, label_col, "benefits_idr", "benefits")
    c_lab, c_val = _parts(costs, "category", "amount_idr", "costs")
    keep = [i for i, v in enumerate(c_val) if v != 0]
    c_lab, c_val = [c_lab[i] for i in keep], [c_val[i] for i in keep]
    amount = np.array([*b_val, *(-np.array(c_val))], dtype=float)
    end = np.cumsum(amount)
    start = end - amount
    net = end[-1] if len(end) else 0.0
    drawn = pd.DataFrame(
        {
            "step": [*b_lab, *c_lab, "net_benefit"],
            "kind": ["benefit"] * len(b_lab) + ["cost"] * len(c_lab) + ["net"],
            "amount_idr": [*amount, net],
            "start_idr": [*start, 0.0],
            "end_idr": [*end, net],
        }
    )
    colour = {"benefit": PALETTE[2], "cost": PALETTE[3], "net": PALETTE[0]}
    ax = get_ax(ax, figsize=(8.0, 4.5))
    x = np.arange(len(drawn))
    lo = np.minimum(drawn["start_idr"], drawn["end_idr"]) / scale
    height = (drawn["end_idr"] - drawn["start_idr"]).abs() / scale
    ax.bar(x, height, bottom=lo, color=[colour[k] for k in drawn["kind"]], width=0.7)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xticks(x, [label(s, lang, LABELS) for s in drawn["step"]], rotation=30, ha="right")
    ax.set_ylabel(label("million_idr", lang, LABELS) if scale == 1e6 else f"Rp / {scale:g}")
    ax.set_title(label("waterfall_title", lang, LABELS))
    return attach(ax, drawn, lang=lang)


def roi_tornado(data: pd.DataFrame, *, lang: str = "id", ax=None):
    """Tornado: ROI with each assumption at its low and high value, largest swing on top.

    Parameters
    ----------
    data : DataFrame
        Output of :func:`toolkit.roi.roi_sensitivity` (``assumption, low, high, roi_low,
        roi_high, swing, base_roi_pct``).
    lang : {"id", "en"}
        Language of the labels (assumption names are looked up too, else shown as given).
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib Axes
        With ``ax.drawn``: ``assumption, y`` (0 at the bottom), ``low, high, roi_low,
        roi_high, base_roi_pct``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from toolkit.roi import roi_sensitivity
    >>> table = roi_sensitivity({"annual_value_idr": 100.0, "attribution": 0.5,
    ...     "direct_costs_idr": 25.0}, {"attribution": (0.25, 0.75),
    ...     "direct_costs_idr": (20.0, 40.0)})
    >>> roi_tornado(table, lang="en").drawn[["assumption", "y", "roi_low", "roi_high"]]
             assumption  y  roi_low  roi_high
    0       attribution  1      0.0     200.0
    1  direct_costs_idr  0    150.0      25.0
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    check_one_of("lang", lang, ("id", "en"))
    need = ["assumption", "low", "high", "roi_low", "roi_high", "base_roi_pct"]
    check_columns(data, need, param="data")
    d = data.assign(swing=(data["roi_high"] - data["roi_low"]).abs())
    d = d.sort_values("swing", ascending=False, kind="stable", ignore_index=True)
    d["y"] = np.arange(len(d))[::-1]
    base = float(d["base_roi_pct"].iloc[0]) if len(d) else 0.0
    ax = get_ax(ax, figsize=(7.0, 0.6 * len(d) + 1.5))
    for col, colour, key in (
        ("roi_low", PALETTE[3], "low_value"),
        ("roi_high", PALETTE[0], "high_value"),
    ):
        ax.barh(
            d["y"],
            d[col] - base,
            left=base,
            color=colour,
            height=0.6,
            label=label(key, lang, LABELS),
        )
    ax.axvline(base, color="black", linewidth=1, label=label("base_roi", lang, LABELS))
    ax.set_yticks(d["y"], [label(a, lang, LABELS) for a in d["assumption"]])
    ax.set_xlabel(label("roi_pct", lang, LABELS))
    ax.set_title(label("tornado_title", lang, LABELS))
    ax.legend()
    cols = ["assumption", "y", "low", "high", "roi_low", "roi_high", "base_roi_pct"]
    return attach(ax, d[cols], lang=lang)
