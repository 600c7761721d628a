"""Figure of the delivery-method comparison: estimates with intervals, one row per method.

:func:`method_plot` draws the tables of :mod:`toolkit.methods` (each method's mean with its
session-clustered interval, or the raw and adjusted differences between methods). It follows
the contract of :mod:`toolkit.plots._style`: tidy data in, keyword-only options (``lang="id"``
by default, ``ax=None``), the ``Axes`` out, and the numbers drawn attached as ``ax.drawn``.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"method": ["workshop", "seminar"] * 2,
...                   "model": ["raw", "raw", "adjusted", "adjusted"],
...                   "estimate": [0.0, -5.6, 0.0, -7.0], "ci_low": [0.0, -9.1, 0.0, -10.2],
...                   "ci_high": [0.0, -2.1, 0.0, -3.8]})
>>> ax = method_plot(t, hue="model", lang="en")
>>> ax.drawn[["method", "model", "y"]]
     method     model      y
0  workshop       raw  -0.125
1   seminar       raw   0.875
2  workshop  adjusted   0.125
3   seminar  adjusted   1.125
>>> import matplotlib.pyplot as plt; plt.close("all")
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from toolkit._methods_labels import LABELS as _METHODS
from toolkit.i18n import label
from toolkit.plots._style import attach, get_ax, series_colors
from toolkit.validation import as_list, check_columns, check_one_of

__all__ = ["method_plot"]

#: Marker and fill of each ``hue`` value, in order (filled circle, open square, …).
_MARKERS = (("o", True), ("s", False), ("D", True), ("^", False))


def method_plot(
    table: pd.DataFrame,
    *,
    by: str = "method",
    hue: str | None = None,
    xlabel: str | None = None,
    title: str | None = None,
    lang: str = "id",
    ax=None,
):
    """Estimates with intervals, one row per method (dodged by ``hue``), as a dot-whisker plot.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`toolkit.methods.method_comparison` or :func:`toolkit.methods.method_effects`
        output (columns ``by``, ``estimate``, ``ci_low``, ``ci_high``, and ``hue`` when given).
    by : str
        The column on the vertical axis, labelled through :mod:`toolkit.i18n`.
    hue : str, optional
        A column to dodge and colour by, e.g. ``"model"`` (raw vs adjusted).
    xlabel, title : str, optional
        Axis label and title (already in the chosen language).
    lang : {"id", "en"}
        Language of the labels.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib Axes
        With ``ax.drawn``: ``by``, ``hue`` (when given), ``y`` (position), ``estimate``,
        ``ci_low``, ``ci_high``, ``color``, one row per point, in the table's order. Each
        point is drawn in its method's colour (:func:`toolkit.plots._style.method_colors`);
        the ``hue`` values differ by marker (filled circle, open square, …), in the legend.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = pd.DataFrame({"method": ["workshop", "seminar"], "estimate": [12.5, 6.9],
    ...                   "ci_low": [10.2, 0.9], "ci_high": [14.9, 13.0]})
    >>> ax = method_plot(t, lang="en")
    >>> ax.drawn[["method", "y", "estimate"]]
         method    y  estimate
    0  workshop  0.0      12.5
    1   seminar  1.0       6.9
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Workshop', 'Seminar']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    check_one_of("lang", lang, ("id", "en"))
    check_columns(table, [by, "estimate", "ci_low", "ci_high", *as_list(hue)], param="table")
    d = table.reset_index(drop=True)
    order = list(dict.fromkeys(d[by].astype("str")))
    hues = list(dict.fromkeys(d[hue].astype("str"))) if hue else [None]
    width = 0.5 / max(len(hues), 1)
    handles = []
    pos = d[by].astype("str").map({m: i for i, m in enumerate(order)}).astype("float64")
    if hue:
        offset = {h: (j - (len(hues) - 1) / 2) * width for j, h in enumerate(hues)}
        pos = pos + d[hue].astype("str").map(offset).astype("float64")
    d = d.assign(y=pos.to_numpy())
    colours = series_colors(order)
    d = d.assign(color=d[by].astype("str").map(colours).to_numpy())
    ax = get_ax(ax, figsize=(7.0, 0.55 * len(order) * max(1, len(hues) * 0.7) + 1.4))
    # every point in its method's colour; the hue (raw / adjusted …) is told by the marker
    ax.hlines(d["y"], d["ci_low"], d["ci_high"], colors=d["color"], linewidth=1.6, zorder=2)
    for end in ("ci_low", "ci_high"):
        ax.scatter(d[end], d["y"], c=d["color"], marker="|", s=60, linewidths=1.6, zorder=2)
    for j, h in enumerate(hues):
        keep = np.ones(len(d), dtype=bool) if h is None else d[hue].astype("str").eq(h)
        part = d[keep]
        marker, filled = _MARKERS[j % len(_MARKERS)]
        ax.scatter(
            part["estimate"], part["y"], marker=marker, s=46, zorder=3, linewidths=1.4,
            edgecolors=part["color"], facecolors=part["color"] if filled else "white",
        )  # fmt: skip
        if h is not None:
            handles.append(
                Line2D([], [], linestyle="", marker=marker, markersize=7, color="#444444",
                       markerfacecolor="#444444" if filled else "white",
                       label=label(h, lang, _METHODS))
            )  # fmt: skip
    ax.set_yticks(range(len(order)), [label(m, lang) for m in order])
    ax.invert_yaxis()
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    if handles:  # under the axis, where it hides no estimate
        ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12),
                  ncol=len(hues), frameon=False)  # fmt: skip
    ax.grid(axis="x", alpha=0.3)
    cols = [by, *as_list(hue), "y", "estimate", "ci_low", "ci_high", "color"]
    return attach(ax, d[cols], lang=lang)
