"""Figures of the challenges and recommendations: absences, 20 JP, cost vs outcome, slots.

Each function takes the output of an analysis of :mod:`toolkit.participation`,
:mod:`toolkit.providers` or :mod:`toolkit.scheduling`, draws it, returns the ``Axes`` and
attaches the numbers drawn as ``ax.drawn`` (see :mod:`toolkit.plots._style`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.i18n import label
from toolkit.participation import LABELS as _PARTICIPATION
from toolkit.plots._style import PALETTE, attach, get_ax, number_formatter, series_colors
from toolkit.providers import LABELS as _PROVIDERS
from toolkit.scheduling import LABELS as _SCHEDULING
from toolkit.validation import check_columns, check_number, check_one_of

__all__ = ["LABELS", "absence_bars", "cost_outcome_plot", "jp_histogram", "slot_heatmap"]

#: Labels of this module's figures (module labels of the analyses are looked up too).
LABELS: dict[str, dict[str, str]] = {
    "absence_title": {"id": "Alasan tidak hadir penuh", "en": "Reasons for missed hours"},
    "absence_axis": {"id": "Proporsi ketidakhadiran (%)", "en": "Share of absences (%)"},
    "jp_title": {"id": "JP per pegawai dalam setahun", "en": "JP per civil servant in a year"},
    "people": {"id": "Jumlah pegawai", "en": "Number of staff"},
    "meeting": {"id": "memenuhi 20 JP", "en": "meet 20 JP"},
    "cost_title": {
        "id": "Biaya dan mutu menurut penyelenggara",
        "en": "Cost and quality by provider",
    },
    "slot_title": {
        "id": "Proporsi pegawai yang bisa hadir per slot",
        "en": "Share of staff available in each slot",
    },
    "recommended_slot": {"id": "slot usulan", "en": "recommended slot"},
}

_EXTRA = {**_PARTICIPATION, **_PROVIDERS, **_SCHEDULING, **LABELS}


def _lab(key, lang):
    return label(str(key), lang, _EXTRA)


def _despine(ax):
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def absence_bars(absence: pd.DataFrame, *, kind: str = "reason", lang: str = "id", ax=None):
    """Horizontal bars of the share of absences by reason, with Wilson intervals.

    Parameters
    ----------
    absence : DataFrame
        Output of :func:`toolkit.participation.absence_reasons`; with a ``by`` column (e.g.
        ``schedule``) every group gets its own bar within a reason.
    kind : {"reason", "group"}
        Draw single reasons, or the groups of reasons (work, personal …).
    lang : {"id", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.drawn``: the group columns, ``group``, ``reason``, ``label``, ``reason_group``,
        ``y``, ``pct``, ``pct_low``, ``pct_high``, ``n_absences``, ``n``. Reasons of the work
        group are drawn in the first colour when there are no groups.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from toolkit.participation import absence_reasons
    >>> enr = pd.DataFrame({"participant_id": list("abcdef"), "session_id": "S1",
    ...                     "attended_jp": [0, 4, 4, 6, 8, 2],
    ...                     "absence_reason": ["workload", "workload", "illness",
    ...                                        "schedule_conflict", None, "leave"]})
    >>> ax = absence_bars(absence_reasons(enr, min_group=0), lang="en")
    >>> ax.drawn[["reason", "label", "pct"]].head(3)
                  reason              label   pct
    0           workload           Workload  40.0
    1  schedule_conflict  Schedule conflict  20.0
    2               leave              Leave  20.0
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    check_one_of("lang", lang, ("id", "en"))
    check_one_of("kind", kind, ("reason", "group"))
    need = ["kind", "reason", "reason_group", "share", "ci_low", "ci_high", "n_absences", "n"]
    check_columns(absence, need, param="absence")
    known = {*need, "n_missed", "n_unrecorded", "suppressed", "confidence", "ci_method"}
    group_cols = [c for c in absence.columns if c not in known]
    d = absence[absence["kind"] == kind].reset_index(drop=True).copy()
    if "suppressed" in d:
        d = d[~d["suppressed"].astype(bool)].reset_index(drop=True)
    if d.empty:
        raise ValueError("`absence` has nothing to draw (all groups suppressed or empty).")
    d["group"] = d[group_cols].astype("str").agg(" · ".join, axis=1) if group_cols else ""
    reasons = list(dict.fromkeys(d["reason"].astype("str")))
    groups = list(dict.fromkeys(d["group"]))
    height = 0.8 / len(groups)
    rpos = d["reason"].astype("str").map({r: i for i, r in enumerate(reasons)}).to_numpy()
    gpos = d["group"].map({g: i for i, g in enumerate(groups)}).to_numpy()
    d["y"] = rpos - 0.4 + height * (gpos + 0.5)
    d["label"] = [_lab(r, lang) for r in d["reason"]]
    d["pct"], d["pct_low"], d["pct_high"] = 100 * d["share"], 100 * d["ci_low"], 100 * d["ci_high"]
    colours = series_colors(groups) if len(group_cols) == 1 else {}  # methods keep theirs
    ax = get_ax(ax, figsize=(7.0, 0.45 * len(reasons) * max(1, len(groups) ** 0.5) + 1.2))
    for i, g in enumerate(groups):
        part = d[d["group"] == g]
        if len(groups) == 1:
            color = [PALETTE[0] if rg == "work" else PALETTE[5] for rg in part["reason_group"]]
        else:
            color = colours.get(g, PALETTE[i % len(PALETTE)])
        err = np.vstack([part["pct"] - part["pct_low"], part["pct_high"] - part["pct"]])
        ax.barh(part["y"], part["pct"], height=height * 0.9, color=color,
                xerr=np.nan_to_num(err.clip(min=0)), label=_lab(g, lang) if g else None,
                error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#333333"})  # fmt: skip
    ax.set_yticks(range(len(reasons)), [_lab(r, lang) for r in reasons])
    ax.set_ylim(len(reasons) - 0.5, -0.5)
    ax.set_xlabel(_lab("absence_axis", lang))
    ax.set_title(_lab("absence_title", lang))
    _despine(ax)
    if len(groups) > 1:
        ax.legend(frameon=False, fontsize=8)
    cols = [*group_cols, "group", "reason", "label", "reason_group", "y", "pct", "pct_low"]
    cols = [*cols, "pct_high", "n_absences", "n"]
    return attach(ax, d.sort_values("y", kind="stable")[cols], lang=lang)


def jp_histogram(fulfilment, *, year: int | None = None, width: float = 4.0, lang="id", ax=None):
    """Histogram of JP per civil servant in one year, with the 20 JP line.

    Parameters
    ----------
    fulfilment : JPFulfilment or DataFrame
        Output of :func:`toolkit.participation.jp_fulfilment` (or its ``per_person``).
    year : int, optional
        Year to draw; the latest by default.
    width : float
        Bin width in JP; bins start at 0 and the first bin holds exactly 0 JP.
    lang : {"id", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.drawn``: ``year, left, right, n, share, target`` (one row per bar; the first bar
        is the people with 0 JP, drawn at [-width, 0)).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> pp = pd.DataFrame({"participant_id": list("abcde"), "year": 2024,
    ...                    "jp_total": [0.0, 6.0, 18.0, 24.0, 24.0]})
    >>> jp_histogram(pp, width=10).drawn[["left", "right", "n"]]
       left  right  n
    0 -10.0    0.0  1
    1   0.0   10.0  1
    2  10.0   20.0  1
    3  20.0   30.0  2
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    check_one_of("lang", lang, ("id", "en"))
    check_number("width", width, low=0, low_open=True)
    per = getattr(fulfilment, "per_person", fulfilment)
    target = float(getattr(fulfilment, "target", 20.0))
    check_columns(per, ["year", "jp_total"], param="fulfilment")
    year = int(per["year"].max()) if year is None else int(year)
    jp = per.loc[per["year"] == year, "jp_total"].to_numpy(float)
    if jp.size == 0:
        raise ValueError(f"No people in year {year}.")
    top = max(np.ceil(jp.max() / width) * width, target + width)
    edges = np.arange(0.0, top + width / 2, width)
    pos = np.histogram(jp[jp > 0], bins=edges)[0]
    counts = np.concatenate([[int((jp <= 0).sum())], pos])
    left = np.concatenate([[-width], edges[:-1]])
    right = np.concatenate([[0.0], edges[1:]])
    ax = get_ax(ax)
    colors = [PALETTE[3]] + [PALETTE[0] if r <= target else PALETTE[2] for r in right[1:]]
    ax.bar(left, counts, width=right - left, align="edge", color=colors, edgecolor="white")
    share = float((jp >= target - 1e-9).mean())
    ax.axvline(target, color="#333333", linestyle="--", linewidth=1.2)
    pct = f"{100 * share:.0f}% {_lab('meeting', lang)}"
    ax.text(
        target, counts.max() * 0.95, f" {_lab('jp_target', lang)}\n {pct}", fontsize=8, va="top"
    )
    ax.set_xlabel(_lab("jp_per_year", lang))
    ax.set_ylabel(_lab("people", lang))
    ax.set_title(f"{_lab('jp_title', lang)} ({year})")
    _despine(ax)
    drawn = pd.DataFrame({"year": year, "left": left, "right": right, "n": counts})
    drawn["share"] = drawn["n"] / jp.size
    drawn["target"] = target
    return attach(ax, drawn, lang=lang)


def cost_outcome_plot(
    quality: pd.DataFrame,
    *,
    x: str = "fee_per_jp",
    y: str = "trainer_rating",
    by: str = "provider",
    lang: str = "id",
    ax=None,
):
    """Outcome against cost by provider, with the intervals of both.

    Parameters
    ----------
    quality : DataFrame
        Output of :func:`toolkit.providers.speaker_quality` (long: one row per group and
        measure), or of :func:`toolkit.providers.cost_per_outcome` for ``x``.
    x, y : str
        Measures on the axes (``fee_per_jp``, ``cost_per_session_jp``, ``trainer_rating``,
        ``learning_gain`` …).
    by : str
        Group column.
    lang : {"id", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.drawn``: ``by`` column, ``label``, ``x, x_low, x_high, y, y_low, y_high``,
        ``color`` (a method's own colour when ``by`` holds delivery methods).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> q = pd.DataFrame({"provider": ["internal"] * 2 + ["university"] * 2,
    ...     "measure": ["fee_per_jp", "trainer_rating"] * 2,
    ...     "estimate": [350e3, 4.1, 1e6, 4.5], "ci_low": [330e3, 4.0, 0.9e6, 4.3],
    ...     "ci_high": [370e3, 4.2, 1.1e6, 4.7]})
    >>> cost_outcome_plot(q, lang="en").drawn[["provider", "x", "y"]]
         provider          x    y
    0    internal   350000.0  4.1
    1  university  1000000.0  4.5
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    check_one_of("lang", lang, ("id", "en"))
    check_columns(quality, [by, "measure", "estimate", "ci_low", "ci_high"], param="quality")
    wide = {}
    for axis, m in (("x", x), ("y", y)):
        part = quality[quality["measure"] == m]
        check_one_of(axis, m, list(dict.fromkeys(quality["measure"])))
        wide[axis] = part.set_index(part[by].astype("str"))[["estimate", "ci_low", "ci_high"]]
    groups = [g for g in wide["x"].index if g in wide["y"].index]
    rows = []
    for g in groups:
        (xe, xl, xh), (ye, yl, yh) = wide["x"].loc[g], wide["y"].loc[g]
        rows.append((g, _lab(g, lang), xe, xl, xh, ye, yl, yh))
    cols = [by, "label", "x", "x_low", "x_high", "y", "y_low", "y_high"]
    d = pd.DataFrame(rows, columns=cols)
    colours = series_colors(d[by])
    d["color"] = d[by].map(colours)
    ax = get_ax(ax)
    for r in d.itertuples(index=False):  # one point per provider
        ax.errorbar(r.x, r.y, xerr=[[r.x - r.x_low], [r.x_high - r.x]],
                    yerr=[[r.y - r.y_low], [r.y_high - r.y]], fmt="o", ms=8,
                    color=r.color, capsize=3, label=r.label)  # fmt: skip
    ax.set_xlabel(_lab(x, lang))
    ax.set_ylabel(_lab(y, lang))
    for axis, col in ((ax.xaxis, "x"), (ax.yaxis, "y")):
        if d[col].abs().max() >= 1e4:  # rupiah, in full: 1.250.000
            axis.set_major_formatter(number_formatter(lang, decimals=0))
    ax.set_title(_lab("cost_title", lang))
    ax.legend(frameon=False, fontsize=8)
    _despine(ax)
    return attach(ax, d, lang=lang)


def slot_heatmap(coverage: pd.DataFrame, *, highlight=None, lang: str = "id", ax=None):
    """Heatmap of the share of staff available by day and time, recommended slots outlined.

    Parameters
    ----------
    coverage : DataFrame
        Output of :func:`toolkit.scheduling.slot_coverage` (overall, without ``by``).
    highlight : list of str or SlotRecommendation, optional
        Slots to outline (e.g. the recommended ones).
    lang : {"id", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        ``ax.drawn``: ``slot, day, time, share, row, col, highlighted``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> cov = pd.DataFrame({"slot": ["mon_0800", "mon_1900", "sat_1000"],
    ...                     "day": ["mon", "mon", "sat"], "time": ["0800", "1900", "1000"],
    ...                     "share": [0.2, 0.6, 0.7]})
    >>> slot_heatmap(cov, highlight=["sat_1000"]).drawn[["slot", "row", "col", "highlighted"]]
           slot  row  col  highlighted
    0  mon_0800    0    0        False
    1  mon_1900    0    2        False
    2  sat_1000    1    1         True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    check_one_of("lang", lang, ("id", "en"))
    check_columns(coverage, ["slot", "day", "time", "share"], param="coverage")
    if "suppressed" in coverage and len(coverage) != coverage["slot"].nunique():
        raise ValueError("`coverage` has groups; pass slot_coverage without `by`.")
    marked = set(getattr(highlight, "slots", highlight) or [])
    d = coverage[["slot", "day", "time", "share"]].reset_index(drop=True).copy()
    days = [dd for dd in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") if dd in set(d["day"])]
    days += sorted(set(d["day"]) - set(days))
    times = sorted(set(d["time"].astype("str")))
    d["row"] = d["day"].map({v: i for i, v in enumerate(days)})
    d["col"] = d["time"].astype("str").map({v: i for i, v in enumerate(times)})
    d["highlighted"] = d["slot"].isin(marked)
    grid = np.full((len(days), len(times)), np.nan)
    grid[d["row"], d["col"]] = d["share"]
    ax = get_ax(ax, figsize=(7.0, 0.5 * len(days) + 1.5))
    im = ax.imshow(100 * grid, cmap="Blues", vmin=0, vmax=100, aspect="auto")
    for r in d.itertuples():
        dark = r.share > 0.55
        ax.text(r.col, r.row, f"{100 * r.share:.0f}", ha="center", va="center", fontsize=8,
                color="white" if dark else "black", fontweight="bold" if r.highlighted else None)  # fmt: skip
        if r.highlighted:
            ax.add_patch(_rect(r.col, r.row))
    sep = "." if lang == "id" else ":"  # 08.00 in Indonesian, 08:00 in English
    ax.set_xticks(range(len(times)), [f"{t[:2]}{sep}{t[2:]}" if len(t) == 4 else t for t in times])
    ax.set_yticks(range(len(days)), [_lab(v, lang) for v in days])
    ax.set_xlabel(_lab("time", lang))
    ax.set_title(
        _lab("slot_title", lang) + (f" (□ {_lab('recommended_slot', lang)})" if marked else "")
    )
    ax.figure.colorbar(im, ax=ax, label="%")
    d = d.sort_values(["row", "col"]).reset_index(drop=True)
    return attach(ax, d[["slot", "day", "time", "share", "row", "col", "highlighted"]], lang=lang)


def _rect(col, row):
    from matplotlib.patches import Rectangle

    return Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor=PALETTE[3], linewidth=2.5)
