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

from toolkit._methods_labels import LABELS as _METHODS
from toolkit.i18n import label
from toolkit.plots._style import PALETTE, attach, get_ax
from toolkit.validation import as_list, check_columns, check_one_of

__all__ = ["method_plot"]


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
        ``ci_low``, ``ci_high``, one row per point, top to bottom in the table's order.

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
    pos = d[by].astype("str").map({m: i for i, m in enumerate(order)}).astype("float64")
    if hue:
        offset = {h: (j - (len(hues) - 1) / 2) * width for j, h in enumerate(hues)}
        pos = pos + d[hue].astype("str").map(offset).astype("float64")
    d = d.assign(y=pos.to_numpy())
    ax = get_ax(ax, figsize=(7.0, 0.55 * len(order) * max(1, len(hues) * 0.7) + 1.4))
    for j, h in enumerate(hues):
        part = d if h is None else d[d[hue].astype("str").eq(h)]
        err = np.vstack([part["estimate"] - part["ci_low"], part["ci_high"] - part["estimate"]])
        name = None if h is None else label(h, lang, _METHODS)
        ax.errorbar(
            part["estimate"], part["y"], xerr=err, fmt="o", capsize=3, color=PALETTE[j], label=name
        )
    ax.set_yticks(range(len(order)), [label(m, lang) for m in order])
    ax.invert_yaxis()
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    if hue and len(d):  # under the axis, where it hides no estimate
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(hues),
                  frameon=False)  # fmt: skip
    ax.grid(axis="x", alpha=0.3)
    cols = [by, *as_list(hue), "y", "estimate", "ci_low", "ci_high"]
    return attach(ax, d[cols])
