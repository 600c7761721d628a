"""Shared plotting style: one palette, one colour per delivery method, one number format.

Every figure function in :mod:`toolkit.plots` follows the same contract:

* it takes a tidy DataFrame (usually the output of an analysis function) first and options
  keyword-only, including ``lang="id"`` for labels and ``ax=None``;
* it returns the matplotlib ``Axes`` it drew on;
* the exact numbers it drew are attached as ``ax.drawn`` (a DataFrame), so that tests and
  notebooks check a figure through its data, since notebook checks never compare images;
* a delivery method is always drawn in its own colour (:data:`METHOD_COLORS`, through
  :func:`method_colors`), whatever the chart;
* numbers on its axes are written in the figure's language (:func:`localize_axes`):
  ``1.284,5`` in Indonesian, ``1,284.5`` in English;
* a new figure is drawn at no less than :data:`MIN_DPI` dots per inch (readable on a
  1280 × 720 projector); the course notebooks set ``plt.rcParams["figure.dpi"] =
  COURSE_DPI``.

Examples
--------
>>> method_colors(["seminar", "workshop"])
{'seminar': '#E69F00', 'workshop': '#0072B2'}
>>> number_formatter("id").format_ticks([0.0, 0.5, 1.0])
['0,0', '0,5', '1,0']
>>> number_formatter("en").format_ticks([0, 500_000, 1_000_000])
['0', '500,000', '1,000,000']
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.ticker import Formatter, ScalarFormatter

from toolkit.i18n import localize_numbers
from toolkit.validation import check_one_of

__all__ = [
    "COURSE_DPI",
    "DIVERGING",
    "METHOD_COLORS",
    "MIN_DPI",
    "OTHER_COLORS",
    "PALETTE",
    "attach",
    "get_ax",
    "localize_axes",
    "method_colors",
    "number_formatter",
    "series_colors",
]

#: Smallest resolution of a figure the toolkit creates (a 1280 × 720 projector needs it).
MIN_DPI = 110
#: Resolution the course notebooks set in their import cell.
COURSE_DPI = 120

#: Categorical palette (colour-blind safe, Okabe–Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

#: One fixed colour per delivery method (Okabe & Ito 2008, colour-blind safe), the same in
#: every figure of the toolkit, the course and the report.
METHOD_COLORS: dict[str, str] = {
    "workshop": "#0072B2",  # blue
    "seminar": "#E69F00",  # orange
    "project_based": "#009E73",  # bluish green
    "simulation": "#CC79A7",  # reddish purple
    "e_learning": "#56B4E9",  # sky blue
}

#: Colours for method codes the toolkit does not know (an office's own method names): the
#: rest of the Okabe–Ito palette, then Paul Tol's muted scheme, none used by a method.
OTHER_COLORS = (
    "#D55E00",  # vermillion
    "#000000",  # black
    "#882255",  # wine
    "#44AA99",  # teal
    "#332288",  # indigo
    "#999933",  # olive
    "#AA4499",  # purple
    "#888888",  # grey
)

#: Diverging palette for agreement scales, from most negative to most positive (odd length
#: gives a grey neutral centre). Slice symmetrically for shorter scales.
DIVERGING = (
    "#8c2d04",
    "#d94801",
    "#fd8d3c",
    "#fdd0a2",
    "#d9d9d9",
    "#c6dbef",
    "#6baed6",
    "#2171b5",
    "#08306b",
)


def method_colors(codes: Iterable) -> dict[str, str]:
    """The colour of each delivery-method code: fixed for known methods, stable for others.

    Known methods (:data:`METHOD_COLORS`) always get their own colour. Any other code gets a
    colour of :data:`OTHER_COLORS` chosen from the code itself (a CRC-32 of its text), so
    that it keeps its colour from chart to chart; two unknown codes of one call never share
    a colour while free ones remain (the later one, in sorted order, takes the next free
    colour).

    Parameters
    ----------
    codes : iterable
        Method codes (as stored in ``sessions.method``); duplicates and missing values are
        dropped.

    Returns
    -------
    dict
        ``{code: "#rrggbb"}`` in the order the codes first appear.

    Examples
    --------
    >>> method_colors(["e_learning", "workshop", "e_learning"])
    {'e_learning': '#56B4E9', 'workshop': '#0072B2'}
    >>> a = method_colors(["bimtek", "coaching", "workshop"])
    >>> a["workshop"], a["bimtek"] == method_colors(["bimtek"])["bimtek"]
    ('#0072B2', True)
    >>> a["bimtek"] != a["coaching"] and a["bimtek"] not in METHOD_COLORS.values()
    True
    """
    order = list(dict.fromkeys(str(c) for c in codes if not pd.isna(c)))
    out = {c: METHOD_COLORS[c] for c in order if c in METHOD_COLORS}
    used: set[int] = set()
    for code in sorted(c for c in order if c not in METHOD_COLORS):
        start = zlib.crc32(code.encode("utf-8")) % len(OTHER_COLORS)
        free = [
            (start + k) % len(OTHER_COLORS)
            for k in range(len(OTHER_COLORS))
            if (start + k) % len(OTHER_COLORS) not in used
        ]
        i = free[0] if free else start
        used.add(i)
        out[code] = OTHER_COLORS[i]
    return {c: out[c] for c in order}


def series_colors(codes: Iterable) -> dict[str, str]:
    """Colours of the series of a chart: method colours when a code is a method, else
    :data:`PALETTE` in order.

    Figure functions colour their groups through this function, so that whenever the groups
    are delivery methods (``by="method"``, a ``method`` column) each method is drawn in its
    :func:`method_colors` colour; other groups (providers, raters, schedules) take the
    palette in order of appearance.

    Examples
    --------
    >>> series_colors(["seminar", "bimtek"])["seminar"]
    '#E69F00'
    >>> series_colors(["internal", "university"])
    {'internal': '#0072B2', 'university': '#E69F00'}
    """
    order = list(dict.fromkeys(str(c) for c in codes if not pd.isna(c)))
    if any(c in METHOD_COLORS for c in order):
        return method_colors(order)
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(order)}


def _tick_decimals(ticks) -> int:
    """Fewest decimals that write every tick exactly (to a thousandth of their span)."""
    t = np.asarray(ticks, dtype="float64")
    t = t[np.isfinite(t)]
    if t.size == 0:
        return 0
    span = float(np.ptp(t)) or float(np.max(np.abs(t))) or 1.0
    tolerance = 1e-3 * 10.0 ** np.floor(np.log10(span))
    for digits in range(10):
        if np.max(np.abs(t - np.round(t, digits))) < tolerance:
            return digits
    return 10


class _NumberFormatter(Formatter):
    """Tick labels with ``lang``'s separators and as many decimals as the ticks need."""

    def __init__(self, lang: str, decimals: int | None, suffix: str, absolute: bool):
        self.lang, self.decimals, self.suffix, self.absolute = lang, decimals, suffix, absolute
        self._digits = decimals

    def set_locs(self, locs):
        if self.decimals is None:
            self._digits = _tick_decimals(locs)

    def __call__(self, x, pos=None):
        digits = self._digits if self._digits is not None else _tick_decimals([x])
        value = abs(x) if self.absolute else x
        text = f"{abs(value):,.{digits}f}"
        if float(text.replace(",", "")) == 0:
            value = 0.0  # no "−0,0"
        return ("−" if value < 0 else "") + localize_numbers(text, self.lang) + self.suffix


def number_formatter(
    lang: str = "id", *, decimals: int | None = None, suffix: str = "", absolute: bool = False
):
    """A tick formatter writing numbers the way ``lang`` does (decimal comma in Indonesian).

    Parameters
    ----------
    lang : {"id", "en"}
        ``id`` writes ``1.284,5``, ``en`` ``1,284.5``; negative numbers take a true minus.
    decimals : int, optional
        Fixed number of decimals; by default as many as the ticks need (as matplotlib's
        :class:`~matplotlib.ticker.ScalarFormatter` would). Never scientific notation or an
        offset: rupiah ticks are written in full, ``1.250.000``.
    suffix : str
        Text after each number, e.g. ``"%"``.
    absolute : bool
        Write ``|x|`` (the two sides of a diverging bar chart).

    Returns
    -------
    matplotlib.ticker.Formatter
        To pass to ``ax.xaxis.set_major_formatter`` (or let :func:`localize_axes` do it).

    Examples
    --------
    >>> number_formatter("id").format_ticks([-1.5, 0.0, 1.5, 3.0])
    ['−1,5', '0,0', '1,5', '3,0']
    >>> number_formatter("id").format_ticks([0, 500_000, 1_000_000])
    ['0', '500.000', '1.000.000']
    >>> number_formatter("id", decimals=0, suffix="%", absolute=True).format_ticks([-50, 0, 50])
    ['50%', '0%', '50%']
    """
    check_one_of("lang", lang, ("id", "en"))
    return _NumberFormatter(lang, decimals, suffix, absolute)


def localize_axes(ax, lang: str = "id"):
    """Write the numbers of ``ax``'s numeric axes (and its colour bars) in ``lang``.

    Only axes still using matplotlib's default number formatter are changed: category
    axes (fixed tick labels) and axes a figure formatted on purpose keep their labels.
    Returns ``ax``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0.25, 0.75])
    >>> _ = ax.set_xticks([0, 1], ["pre", "post"])
    >>> _ = localize_axes(ax, "id")
    >>> fig.canvas.draw()
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['pre', 'post']
    >>> [t.get_text() for t in ax.get_yticklabels()][:3]
    ['0,2', '0,3', '0,4']
    >>> plt.close(fig)
    """
    check_one_of("lang", lang, ("id", "en"))
    axes = [ax, *(getattr(im.colorbar, "ax", None) for im in ax.images)]
    for a in axes:
        if a is None:
            continue
        for axis in (a.xaxis, a.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(number_formatter(lang))
    return ax


def get_ax(ax=None, *, figsize=(7.0, 4.0)):
    """Return ``ax``, or a new figure's axes (at least :data:`MIN_DPI` dpi) when ``ax`` is None.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> get_ax().figure.dpi >= MIN_DPI
    True
    >>> plt.close("all")
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    dpi = max(float(plt.rcParams["figure.dpi"]), MIN_DPI)
    _, ax = plt.subplots(figsize=figsize, layout="constrained", dpi=dpi)
    return ax


def attach(ax, drawn: pd.DataFrame, *, lang: str | None = None):
    """Attach the data a figure drew to its axes as ``ax.drawn`` and return ``ax``.

    With ``lang``, the numbers of the axes are written in that language first
    (:func:`localize_axes`).
    """
    if lang is not None:
        localize_axes(ax, lang)
    ax.drawn = drawn.reset_index(drop=True)
    return ax
