"""The report's charts, drawn with matplotlib and embedded as inline SVG.

Charts are small and plain (one message each), with axis numbers in the report's
language. The SVG text is deterministic (fixed hash salt, no date), so the same data give
the same bytes, and text stays text (searchable, sharp in the PDF).

Labels come from the data (unit names, slot and programme codes …) and are drawn exactly as
written: matplotlib escapes them for XML (``<`` is written ``&lt;``), and a ``$`` never
starts mathtext.

Examples
--------
>>> svg = bars(["A", "B"], [40.0, 75.5], lang="en", unit="%")
>>> svg.startswith("<svg") and "75.5%" in svg
True
>>> svg = bars(["<b>$x$</b>"], [1.0], xlabel="a & b")
>>> "&lt;b&gt;$x$&lt;/b&gt;" in svg and "a &amp; b" in svg and "<b>" not in svg
True
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import numpy as np

from toolkit.report import fmt

__all__ = ["bars", "grouped_bars", "lines"]

#: SVG settings: deterministic ids, text kept as text.
_RC = {"svg.hashsalt": "asn-toolkit", "svg.fonttype": "none"}
_BLUE, _ORANGE, _GREY = "#1f5f8b", "#d9822b", "#8a8a8a"


def _figure(height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, height), dpi=100)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _svg(fig) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prologue and doctype
    return re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)


def _literal(text) -> str:
    """``text`` for a matplotlib label, shown as written (a ``$`` does not start math)."""
    return str(text).replace("$", r"\$")


def _axis_format(ax, axis: str, lang: str, decimals: int, unit: str) -> None:
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _: fmt.number(v, decimals, lang) + unit)
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    low: Sequence[float] | None = None,
    high: Sequence[float] | None = None,
    lang: str = "id",
    unit: str = "",
    decimals: int = 1,
    xlabel: str = "",
    reference: float | None = None,
) -> str:
    """Horizontal bars, one per label (top to bottom), with optional interval whiskers."""
    values = np.asarray(values, dtype=float)
    fig, ax = _figure(0.5 + 0.38 * max(len(labels), 2))
    y = np.arange(len(labels))[::-1]
    ax.barh(y, values, color=_BLUE, height=0.6)
    if low is not None and high is not None:
        lo, hi = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
        ok = ~(np.isnan(lo) | np.isnan(hi))
        ax.errorbar(values[ok], y[ok], xerr=[values[ok] - lo[ok], hi[ok] - values[ok]],
                    fmt="none", ecolor="black", capsize=3, linewidth=1)  # fmt: skip
    if reference is not None:
        ax.axvline(reference, color=_GREY, linewidth=1, linestyle="--")
    ax.set_yticks(y, [_literal(t) for t in labels])
    ends = values if high is None else np.fmax(values, np.asarray(high, dtype=float))
    for yi, v, end in zip(y, values, ends, strict=True):
        if not np.isnan(v):
            ax.annotate(fmt.number(v, decimals, lang) + unit, (max(end, 0), yi), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=8)  # fmt: skip
    _axis_format(ax, "x", lang, 0, unit)
    ax.set_xlabel(_literal(xlabel))
    return _svg(fig)


def grouped_bars(
    groups: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    lang: str = "id",
    unit: str = "",
    decimals: int = 1,
    ylabel: str = "",
) -> str:
    """Vertical bars: one cluster per group, one bar per series (e.g. before/after)."""
    fig, ax = _figure(3.0)
    x = np.arange(len(groups))
    width = 0.8 / max(len(series), 1)
    colors = [_GREY, _BLUE, _ORANGE, "#4d8f4d", "#7a4d8f"]
    for i, (name, values) in enumerate(series.items()):
        v = np.asarray(values, dtype=float)
        pos = x - 0.4 + width * (i + 0.5)
        ax.bar(pos, v, width=width * 0.95, label=_literal(name), color=colors[i % len(colors)])
        for xi, vi in zip(pos, v, strict=True):
            if not np.isnan(vi):
                ax.annotate(fmt.number(vi, decimals, lang) + unit, (xi, vi), xytext=(0, 2),
                            textcoords="offset points", ha="center", fontsize=8)  # fmt: skip
    ax.set_xticks(x, [_literal(g) for g in groups])
    _axis_format(ax, "y", lang, 0, unit)
    ax.set_ylabel(_literal(ylabel))
    ax.legend(frameon=False, fontsize=8)
    return _svg(fig)


def lines(
    x_labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    lang: str = "id",
    decimals: int = 0,
    ylabel: str = "",
) -> str:
    """Lines over ordered categories (periods), one per series."""
    fig, ax = _figure(3.0)
    x = np.arange(len(x_labels))
    colors = [_BLUE, _ORANGE, _GREY]
    for i, (name, values) in enumerate(series.items()):
        ax.plot(x, np.asarray(values, dtype=float), marker="o", markersize=3, label=_literal(name),
                color=colors[i % len(colors)])  # fmt: skip
    step = max(1, len(x_labels) // 10)
    ax.set_xticks(x[::step], [_literal(t) for t in x_labels][::step])
    _axis_format(ax, "y", lang, decimals, "")
    ax.set_ylabel(_literal(ylabel))
    ax.legend(frameon=False, fontsize=8)
    return _svg(fig)
