"""Level 1 figures: diverging stacked Likert bars and comment-theme bars.

Both follow the contract of :mod:`toolkit.plots._style`: a tidy table in (the output of
:func:`toolkit.reaction.likert_summary` or :func:`toolkit.comments.theme_counts`), options
keyword-only, the ``Axes`` out, and the numbers drawn attached as ``ax.drawn``.
plot-likert is not used: its latest release (0.5.0) calls ``DataFrame.applymap``, which
pandas 3 removed.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from toolkit.comments import LABELS as COMMENT_LABELS
from toolkit.comments import UNCODED
from toolkit.i18n import label
from toolkit.plots._style import DIVERGING, PALETTE, attach, get_ax, number_formatter, series_colors
from toolkit.reaction import LABELS as REACTION_LABELS
from toolkit.reaction import SUMMARY_COLUMNS, likert_points
from toolkit.validation import check_columns, check_number, check_one_of

__all__ = ["LABELS", "likert_colors", "likert_bars", "theme_bars"]

#: Labels of the figures (answer anchors of agreement scales, axis titles).
LABELS: dict[str, dict[str, str]] = {
    "agree5_1": {"id": "Sangat tidak setuju", "en": "Strongly disagree"},
    "agree5_2": {"id": "Tidak setuju", "en": "Disagree"},
    "agree5_3": {"id": "Netral", "en": "Neutral"},
    "agree5_4": {"id": "Setuju", "en": "Agree"},
    "agree5_5": {"id": "Sangat setuju", "en": "Strongly agree"},
    "agree4_1": {"id": "Sangat tidak setuju", "en": "Strongly disagree"},
    "agree4_2": {"id": "Tidak setuju", "en": "Disagree"},
    "agree4_3": {"id": "Setuju", "en": "Agree"},
    "agree4_4": {"id": "Sangat setuju", "en": "Strongly agree"},
    "answer": {"id": "Jawaban", "en": "Answer"},
}
_EXTRA = {**REACTION_LABELS, **COMMENT_LABELS, **LABELS}


def likert_colors(k: int) -> list[str]:
    """``k`` colours from most negative to most positive, grey centre on odd scales.

    Picks evenly spaced, symmetric shades of :data:`toolkit.plots._style.DIVERGING` (up to
    9 points; an even scale drops the grey centre of the next odd one); longer scales, such
    as the 0–10 item, interpolate the palette.

    Examples
    --------
    >>> likert_colors(5)
    ['#8c2d04', '#fd8d3c', '#d9d9d9', '#6baed6', '#08306b']
    >>> likert_colors(4)
    ['#8c2d04', '#fd8d3c', '#6baed6', '#08306b']
    """
    check_number("k", k, low=2)
    m = len(DIVERGING)
    odd = k if k % 2 else k + 1
    if odd <= m:
        idx = np.rint(np.linspace(0, m - 1, odd)).astype(int)
        if k % 2 == 0:
            idx = np.delete(idx, odd // 2)
        return [DIVERGING[i] for i in idx]
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    cmap = LinearSegmentedColormap.from_list("diverging", DIVERGING)
    return [to_hex(cmap(x)) for x in np.linspace(0, 1, k)]


def _labelled(values: pd.Series, lang: str) -> pd.Series:
    """Values as text, each replaced by its i18n label (one lookup per distinct value)."""
    text = values.astype("str")
    return text.map({v: label(v, lang, _EXTRA) for v in text.unique()})


def _joined(frame: pd.DataFrame, cols, lang: str) -> pd.Series:
    """Labels of several columns joined with " · ", vectorised over rows."""
    out = None
    for c in cols:
        part = _labelled(frame[c], lang)
        out = part if out is None else out + " · " + part
    return out


def _point_labels(points, point_labels, lang) -> list[str]:
    k = len(points)
    if point_labels is None:
        return [str(p) for p in points]
    if isinstance(point_labels, str):
        check_one_of("point_labels", point_labels, ("agreement",))
        if k not in (4, 5):
            raise ValueError(
                f"point_labels='agreement' needs a 4- or 5-point scale, but the scale has {k} "
                "points; pass a list of labels instead."
            )
        return [label(f"agree{k}_{i + 1}", lang, _EXTRA) for i in range(k)]
    if isinstance(point_labels, dict):
        return [str(point_labels.get(p, p)) for p in points]
    labels = [str(x) for x in point_labels]
    if len(labels) != k:
        raise ValueError(f"`point_labels` has {len(labels)} labels for a {k}-point scale.")
    return labels


def _row_labels(summary, id_cols, instruments, lang, show_n) -> list[str]:
    items = summary["item_code"].astype("str")
    text = _labelled(items, lang)
    if instruments is not None:
        check_columns(instruments, ["item_code", f"text_{lang}"], param="instruments")
        bank = instruments.assign(item_code=instruments["item_code"].astype("str"))
        bank = bank.drop_duplicates("item_code").set_index("item_code")[f"text_{lang}"]
        text = items.map(bank).astype("str").where(items.isin(bank.index), text)
    groups = [c for c in id_cols if c != "item_code"]
    if groups:
        text = text + " · " + _joined(summary, groups, lang)
    if show_n:
        text = text + " (n = " + summary["n"].astype("str") + ")"
    return text.tolist()


def likert_bars(
    summary: pd.DataFrame,
    *,
    lang: str = "id",
    ax=None,
    instruments: pd.DataFrame | None = None,
    point_labels=None,
    show_pct: bool = True,
    min_label_pct: float = 8.0,
    show_n: bool = True,
    title: str | None = None,
    legend: bool = True,
    wrap: int | None = 45,
):
    """Diverging stacked bars of Likert answers, centred on the neutral point.

    One bar per row of ``summary`` (item, or item × group), top to bottom in row order.
    Every scale point is a segment, unused points included as zero-width segments; on an
    odd scale the neutral segment is split half on each side of 0, on an even scale 0 lies
    between the two middle points. Percentages are of answers on the scale ("tidak tahu"
    and empty answers excluded, as in :func:`toolkit.reaction.likert_summary`).

    Parameters
    ----------
    summary : DataFrame
        Output of :func:`toolkit.reaction.likert_summary` (filter or sort it first to choose
        the bars); all rows must share one scale.
    lang : {"id", "en"}, default "id"
        Language of the labels.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure when None.
    instruments : DataFrame, optional
        Item bank; the bars are labelled with its ``text_id`` / ``text_en``. Otherwise
        item codes (or their :mod:`toolkit.i18n` labels) are used.
    point_labels : None, "agreement", list or dict, optional
        Legend labels of the scale points: the numbers (default), the Indonesian/English
        agreement anchors ("Sangat tidak setuju" … "Sangat setuju") for 4- and 5-point
        scales, or your own labels (a list in scale order or a dict point -> label).
    show_pct : bool, default True
        Write the percentage inside segments of at least ``min_label_pct`` percent.
    min_label_pct : float, default 8
        Smallest segment that gets a percentage written in it.
    show_n : bool, default True
        Append "(n = …)" to each bar label.
    title : str, optional
        Axes title.
    legend : bool, default True
        Draw the legend (scale points in order, below the axes).
    wrap : int or None, default 45
        Break bar labels longer than this many characters into lines (the item texts of
        the bank are long); None keeps them on one line.

    Returns
    -------
    matplotlib.axes.Axes
        With ``ax.drawn``: one row per bar and scale point, columns ``row`` (bar, 0 at
        the top), the group columns and ``item_code``, ``label``, ``point``,
        ``point_label``, ``count``, ``pct``, ``left`` (start of the segment on the x axis,
        in percent), ``width`` (= ``pct``, 0 for unused points) and ``color``.

    References
    ----------
    .. [1] Heiberger, R. M., & Robbins, N. B. (2014). Design of diverging stacked bar charts
       for Likert scales and other applications. Journal of Statistical Software 57(5),
       1–32. https://doi.org/10.18637/jss.v057.i05

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from toolkit.reaction import likert_summary
    >>> df = pd.DataFrame({"item_code": "R01", "response": [1, 2, 3, 3, 4, 4, 4, 5]})
    >>> ax = likert_bars(likert_summary(df, scale=(1, 5)), point_labels="agreement")
    >>> ax.drawn[["point", "point_label", "pct", "left"]]
       point          point_label   pct   left
    0      1  Sangat tidak setuju  12.5  -37.5
    1      2         Tidak setuju  12.5  -25.0
    2      3               Netral  25.0  -12.5
    3      4               Setuju  37.5   12.5
    4      5        Sangat setuju  12.5   50.0
    """
    check_one_of("lang", lang, ("id", "en"))
    check_columns(summary, ["item_code", "scale_min", "scale_max", "n"], param="summary")
    check_number("min_label_pct", min_label_pct, low=0, high=100)
    if len(summary) == 0:
        raise ValueError("`summary` has no rows to draw.")
    scales = summary[["scale_min", "scale_max"]].drop_duplicates()
    if len(scales) != 1:
        raise ValueError(
            "all bars of one chart must share a scale, but `summary` mixes "
            f"{[tuple(r) for r in scales.to_numpy().tolist()]}; filter it first, e.g. "
            "summary[summary.scale_max == 5]."
        )
    lo, hi = int(scales.iloc[0, 0]), int(scales.iloc[0, 1])
    k = hi - lo + 1
    points = list(range(lo, hi + 1))
    summary = summary.reset_index(drop=True)
    id_cols = [
        c
        for c in summary.columns
        if c not in SUMMARY_COLUMNS and not c.startswith(("count_", "pct_"))
    ]
    long = likert_points(summary.assign(_row=np.arange(len(summary))))
    long = long[(long["point"] >= lo) & (long["point"] <= hi)].reset_index(drop=True)
    pct = long["pct"].fillna(0.0).to_numpy()
    # offset: share below the centre line (half the neutral point on odd scales)
    mid = (lo + hi) / 2
    below = np.where(long["point"] < mid, pct, 0.0) + np.where(long["point"] == mid, pct / 2, 0)
    offset = pd.Series(below).groupby(long["_row"]).transform("sum").to_numpy()
    start = pd.Series(pct).groupby(long["_row"]).cumsum().to_numpy() - pct
    long["left"] = start - offset
    long["width"] = pct
    colors = likert_colors(k)
    plabels = _point_labels(points, point_labels, lang)
    idx = long["point"].to_numpy() - lo
    long["point_label"] = np.array(plabels, dtype=object)[idx]
    long["color"] = np.array(colors, dtype=object)[idx]
    row_labels = _row_labels(summary, id_cols, instruments, lang, show_n)
    long["label"] = np.array(row_labels, dtype=object)[long["_row"].to_numpy()]
    if wrap is not None:
        check_number("wrap", wrap, low=10)
        row_labels = [textwrap.fill(t, int(wrap)) for t in row_labels]  # one per bar
    lines = sum(t.count("\n") + 1 for t in row_labels)

    ax = get_ax(ax, figsize=(9.0, 0.3 * lines + 0.3 * len(summary) + 1.8))
    for j, p in enumerate(points):
        seg = long[long["point"] == p]
        ax.barh(
            seg["_row"],
            seg["width"],
            left=seg["left"],
            height=0.7,
            color=colors[j],
            edgecolor="white",
            linewidth=0.6,
            label=plabels[j],
        )
    if show_pct:
        big = long[long["width"] >= max(min_label_pct, 1e-9)]
        for r, x, w, p in zip(big["_row"], big["left"], big["width"], big["point"], strict=True):
            dark = abs(p - mid) >= (k - 1) / 2 - 0.5 and p != mid
            ax.text(
                x + w / 2,
                r,
                f"{w:.0f}%",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "black",
            )
    ax.axvline(0, color="#444444", linewidth=0.8)
    ends = np.concatenate([long["left"].to_numpy(), (long["left"] + long["width"]).to_numpy()])
    reach = max(50.0, float(np.nanmax(np.abs(ends))) if ends.size else 50.0)
    ax.set_xlim(-reach * 1.05, reach * 1.05)
    ax.xaxis.set_major_formatter(number_formatter(lang, decimals=0, suffix="%", absolute=True))
    ax.set_yticks(range(len(summary)), row_labels)
    ax.set_ylim(len(summary) - 0.5, -0.5)
    ax.set_xlabel(label("likert_share", lang, _EXTRA))
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title)
    if legend:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            borderaxespad=4.5,
            ncols=k if sum(map(len, plabels)) <= 50 else (k + 1) // 2,
            frameon=False,
            fontsize=8,
        )
    drawn = long.rename(columns={"_row": "row"})
    cols = ["row", *id_cols, "label", "point", "point_label", "count", "pct", "left", "width"]
    return attach(ax, drawn[[*cols, "color"]], lang=lang)


def theme_bars(
    counts: pd.DataFrame,
    *,
    lang: str = "id",
    ax=None,
    include_uncoded: bool = False,
    sort: bool = True,
    title: str | None = None,
):
    """Horizontal bars of the share of comments raising each theme, with Wilson intervals.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`toolkit.comments.theme_counts`. With ``by`` columns, each group
        gets its own bar within a theme (grouped bars, legend by group).
    lang : {"id", "en"}, default "id"
        Language of the labels.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure when None.
    include_uncoded : bool, default False
        Also draw the share of comments with no theme.
    sort : bool, default True
        Order themes by their overall share (largest on top); else dictionary order.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes
        With ``ax.drawn``: ``theme``, ``label``, the group columns, ``group`` (group
        label, empty without groups), ``y`` (bar centre), ``pct``, ``ci_low``, ``ci_high``,
        ``count``, ``n_comments``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from toolkit.comments import code_themes, theme_counts
    >>> c = pd.DataFrame({"participant_id": ["P1", "P2", "P3", "P4"], "session_id": "S1",
    ...                   "text": ["Jadwal padat", "Waktu kurang", "Modul bagus", "Oke"]})
    >>> ax = theme_bars(theme_counts(code_themes(c)), lang="en")
    >>> ax.drawn[["theme", "label", "pct"]].head(2)
               theme              label   pct
    0  time_schedule  Time and schedule  50.0
    1      materials  Content and materials  25.0
    """
    check_one_of("lang", lang, ("id", "en"))
    need = ["theme", "pct", "ci_low", "ci_high", "count", "n_comments"]
    check_columns(counts, need, param="counts")
    group_cols = [c for c in counts.columns if c not in {*need, "confidence", "ci_method"}]
    data = counts.reset_index(drop=True).copy()
    data["theme"] = data["theme"].astype("str")
    if not include_uncoded:
        data = data[data["theme"] != UNCODED]
    if data.empty:
        raise ValueError("`counts` has no theme to draw.")
    order = list(dict.fromkeys(data["theme"]))
    if sort:
        tot = data.groupby("theme", sort=False)[["count", "n_comments"]].sum()
        share = (tot["count"] / tot["n_comments"].where(tot["n_comments"] > 0)).fillna(0)
        order = share.reindex(order).sort_values(ascending=False, kind="stable").index.tolist()
    data["group"] = _joined(data, group_cols, lang) if group_cols else ""
    groups = list(dict.fromkeys(data["group"]))
    colours = {}
    if len(group_cols) == 1:  # delivery methods keep their colour
        code_of = data.drop_duplicates("group").set_index("group")[group_cols[0]].astype("str")
        by_code = series_colors(code_of)
        colours = {g: by_code[c] for g, c in code_of.items()}
    height = 0.8 / len(groups)
    tpos = data["theme"].map({t: i for i, t in enumerate(order)}).to_numpy()
    gpos = data["group"].map({g: i for i, g in enumerate(groups)}).to_numpy()
    data["y"] = tpos - 0.4 + height * (gpos + 0.5)
    data["label"] = _labelled(data["theme"], lang)

    ax = get_ax(ax, figsize=(7.0, 0.45 * len(order) * max(1, len(groups) ** 0.5) + 1.2))
    for i, g in enumerate(groups):
        d = data[data["group"] == g]
        err = np.vstack([d["pct"] - d["ci_low"], d["ci_high"] - d["pct"]]).clip(min=0)
        ax.barh(
            d["y"],
            d["pct"],
            height=height * 0.9,
            color=colours.get(g, PALETTE[i % len(PALETTE)]),
            xerr=np.nan_to_num(err),
            error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#333333"},
            label=g or None,
        )
    ax.set_yticks(range(len(order)), [label(t, lang, _EXTRA) for t in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(label("comment_share", lang, _EXTRA))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(groups) > 1:
        ax.legend(frameon=False, fontsize=8)
    if title:
        ax.set_title(title)
    data = data.sort_values("y", kind="stable")
    cols = ["theme", "label", *group_cols, "group", "y", "pct", "ci_low", "ci_high"]
    return attach(ax, data[[*cols, "count", "n_comments"]], lang=lang)
