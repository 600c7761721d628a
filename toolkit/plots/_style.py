"""Shared plotting style: one palette, one way to get axes, one way to attach drawn data.

Every figure function in :mod:`toolkit.plots` follows the same contract:

* it takes a tidy DataFrame (usually the output of an analysis function) first and options
  keyword-only, including ``lang="id"`` for labels and ``ax=None``;
* it returns the matplotlib ``Axes`` it drew on;
* the exact numbers it drew are attached as ``ax.drawn`` (a DataFrame), so that tests and
  notebooks check a figure through its data, since notebook checks never compare images.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["PALETTE", "DIVERGING", "get_ax", "attach"]

#: Categorical palette (colour-blind safe, Okabe–Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

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


def get_ax(ax=None, *, figsize=(7.0, 4.0)):
    """Return ``ax``, or a new figure's axes when ``ax`` is None (matplotlib imported here)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def attach(ax, drawn: pd.DataFrame):
    """Attach the data a figure drew to its axes as ``ax.drawn`` and return ``ax``."""
    ax.drawn = drawn.reset_index(drop=True)
    return ax
