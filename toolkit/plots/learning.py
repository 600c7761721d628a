"""Level 2 figures: the paired pre/post plot and the item map of a knowledge test.

Both follow the contract of :mod:`toolkit.plots._style`: tidy data in, keyword-only options
(``lang="id"`` by default, ``ax=None``), the ``Axes`` out, and the numbers drawn attached as
``ax.drawn``.

Examples
--------
>>> import pandas as pd
>>> scores = pd.DataFrame({"pre": [40, 55, 60, 35], "post": [70, 65, 80, 60]})
>>> ax = prepost_plot(scores, lang="en")
>>> ax.drawn.query("layer == 'mean'")[["phase", "y"]]
  phase      y
8   pre  47.50
9  post  68.75
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from scipy import stats

from toolkit import learning, reliability
from toolkit.i18n import label
from toolkit.plots._style import PALETTE, attach, get_ax, series_colors
from toolkit.validation import as_list, check_columns, check_number, check_one_of

__all__ = ["LABELS", "item_map", "prepost_plot"]

#: Labels used by these figures (looked up before the shared ones).
LABELS: dict[str, dict[str, str]] = {
    **reliability.LABELS,
    **learning.LABELS,
    "prepost_title": {"id": "Nilai sebelum dan sesudah pelatihan", "en": "Scores before and after"},
    "item_map_title": {"id": "Peta butir soal", "en": "Item map"},
    "mean_ci": {"id": "Rata-rata dan IK 95%", "en": "Mean and 95% CI"},
    "flagged": {"id": "D < 0,20: perlu diperiksa", "en": "D < 0.20: needs checking"},
    "item_ok": {"id": "D ≥ 0,20", "en": "D ≥ 0.20"},
    "all": {"id": "Semua peserta", "en": "All participants"},
}


def _lab(key, lang):
    return label(key, lang, extra=LABELS)


def prepost_plot(
    df: pd.DataFrame,
    *,
    pre: str = "pre",
    post: str = "post",
    by: str | None = None,
    kind: str = "lines",
    confidence: float = 0.95,
    lang: str = "id",
    ax=None,
):
    """Paired pre/post plot: one line per participant, and the means with t intervals.

    Parameters
    ----------
    df : pandas.DataFrame
        Wide scores (``pre`` and ``post`` columns) or the long ``tests`` table, converted with
        :func:`toolkit.learning.prepost_scores`.
    pre, post : str
        Score columns.
    by : str, optional
        A grouping column (session, method): one colour per group, means side by side.
    kind : {"lines", "summary"}
        ``"lines"`` draws every participant's pair as a thin grey line under the means;
        ``"summary"`` only the group means with their intervals.
    confidence : float
        Level of the t interval of each mean.
    lang : {"id", "en"}
        Language of the labels.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        With ``ax.drawn``: one row per point drawn, columns ``group``, ``layer``
        (``participant`` or ``mean``), ``participant`` (row number in the complete pairs;
        -1 for means), ``phase``, ``x``, ``y``, ``ci_low``, ``ci_high``, ``n``, ``color``.
        Groups that are delivery methods are drawn in their method's colour
        (:func:`toolkit.plots._style.method_colors`); the legend shows their labels, outside
        the axes on the right when there are groups (it never hides a mean).

    Notes
    -----
    Pairs with a missing score are left out. The mean's interval is
    :math:`\\bar y \\pm t_{1-c/2,\\,n-1}\\, s/\\sqrt n` for each phase separately; it is not
    the interval of the change (see :func:`toolkit.learning.prepost_test`).
    """
    check_one_of("kind", kind, ("lines", "summary"))
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_one_of("lang", lang, ("id", "en"))
    frame, by_cols = learning._pairs(df, pre, post, as_list(by), "omit")
    if by is not None:
        check_columns(frame, by, param="by")
        group = frame[by].astype(str)
    else:
        group = pd.Series(_lab("all", lang), index=frame.index)
    names = list(dict.fromkeys(group.sort_values().tolist()))
    offsets = np.linspace(-0.08, 0.08, len(names)) if len(names) > 1 else np.zeros(1)
    ax = get_ax(ax)
    rows = []
    if kind == "lines":
        xs = np.array([0.0, 1.0])
        ys = frame[["pre", "post"]].to_numpy()
        segments = np.stack([np.broadcast_to(xs, ys.shape), ys], axis=-1)  # n x 2 x (x, y)
        ax.add_collection(
            LineCollection(segments, colors="#bdbdbd", linewidths=0.7, alpha=0.6, zorder=1)
        )
        part = pd.DataFrame(
            {
                "group": np.repeat(group.to_numpy(), 2),
                "layer": "participant",
                "participant": np.repeat(np.arange(len(frame)), 2),
                "phase": np.tile(["pre", "post"], len(frame)),
                "x": np.tile(xs, len(frame)),
                "y": ys.ravel(),
                "ci_low": np.nan,
                "ci_high": np.nan,
                "n": 1,
                "color": "#bdbdbd",
            }
        )
        rows.append(part)
    long = frame.assign(_group=group.to_numpy()).melt(
        id_vars="_group", value_vars=["pre", "post"], var_name="phase", value_name="y"
    )
    summ = long.groupby(["_group", "phase"], sort=False).agg(
        y=("y", "mean"), sd=("y", "std"), n=("y", "size")
    )
    summ = summ.reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        q = stats.t.ppf(1 - (1 - confidence) / 2, summ["n"] - 1)
        half = q * summ["sd"] / np.sqrt(summ["n"])
    summ["ci_low"], summ["ci_high"] = summ["y"] - half, summ["y"] + half
    colours = series_colors(names) if by is not None else {names[0]: PALETTE[0]}
    for i, name in enumerate(names):
        s = summ[summ["_group"] == name].set_index("phase").loc[["pre", "post"]]
        x = np.array([0.0, 1.0]) + offsets[i]
        colour = colours[name]
        ax.errorbar(
            x,
            s["y"],
            yerr=[s["y"] - s["ci_low"], s["ci_high"] - s["y"]],
            color=colour,
            marker="o",
            linewidth=2,
            capsize=4,
            label=_lab(name, lang) if by is not None else name,
            zorder=3,
        )
        rows.append(
            pd.DataFrame(
                {
                    "group": name,
                    "layer": "mean",
                    "participant": -1,
                    "phase": ["pre", "post"],
                    "x": x,
                    "y": s["y"].to_numpy(),
                    "ci_low": s["ci_low"].to_numpy(),
                    "ci_high": s["ci_high"].to_numpy(),
                    "n": s["n"].to_numpy(),
                    "color": colour,
                }
            )
        )
    ax.set_xticks([0, 1], [_lab("pre", lang), _lab("post", lang)])
    ax.set_xlim(-0.4, 1.4)
    ax.set_ylabel(_lab("score", lang))
    ax.set_title(_lab("prepost_title", lang))
    where = {"loc": "best"} if by is None else {"loc": "upper left", "bbox_to_anchor": (1.01, 1)}
    ax.legend(title=_lab("mean_ci", lang), fontsize="small", title_fontsize="small", **where)
    return attach(ax, pd.concat(rows, ignore_index=True), lang=lang)


def item_map(
    items: pd.DataFrame,
    *,
    item: str = "item",
    difficulty: str = "difficulty",
    discrimination: str = "discrimination",
    lang: str = "id",
    ax=None,
):
    """Item map: difficulty (x) against discrimination (y), with Ebel's band lines.

    Parameters
    ----------
    items : pandas.DataFrame
        The output of :func:`toolkit.reliability.item_analysis` (one row per item; filter to
        one session and phase first), or any frame with the three columns below.
    item, difficulty, discrimination : str
        Columns naming the item, its difficulty p and its discrimination D.
    lang : {"id", "en"}
        Language of the labels.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        With ``ax.drawn``: one row per item, columns ``item``, ``difficulty``,
        ``discrimination``, ``verdict`` (Ebel band code) and ``flagged`` (D < 0.20, i.e.
        *discard* or *check the answer key*; flagged items are drawn as red crosses and
        labelled).

    Notes
    -----
    Horizontal lines at D = .20, .30 and .40 (Ebel & Frisbie 1991) and at 0; vertical
    dotted lines at p = .30 and .70 separate difficult, moderate and easy items.
    """
    check_one_of("lang", lang, ("id", "en"))
    check_columns(items, [item, difficulty, discrimination], param="items")
    if items[item].duplicated().any():
        raise ValueError(
            "`items` has an item more than once; filter item_analysis() output to one "
            "group (session, phase) before drawing the map."
        )
    d = pd.to_numeric(items[discrimination]).to_numpy(dtype=float)
    p = pd.to_numeric(items[difficulty]).to_numpy(dtype=float)
    verdict = reliability._ebel(d)
    flagged = np.nan_to_num(d, nan=0.0) < 0.20
    ax = get_ax(ax)
    for y, key in ((0.40, "very_good"), (0.30, "good"), (0.20, "revise")):
        ax.axhline(y, color="#999999", linewidth=0.8, linestyle="--", zorder=0)
        ax.annotate(
            _lab(key, lang),
            (1.0, y),
            xycoords=("axes fraction", "data"),
            ha="right",
            va="bottom",
            fontsize="x-small",
            color="#555555",
        )
    ax.axhline(0, color="#333333", linewidth=0.8, zorder=0)
    for x in (0.30, 0.70):
        ax.axvline(x, color="#bbbbbb", linewidth=0.8, linestyle=":", zorder=0)
    ok = ~flagged
    ax.scatter(p[ok], d[ok], color=PALETTE[0], zorder=2, label=_lab("item_ok", lang))
    ax.scatter(
        p[flagged],
        d[flagged],
        color=PALETTE[3],
        marker="X",
        s=60,
        zorder=3,
        label=_lab("flagged", lang),
    )
    names = items[item].astype(str).to_numpy()
    for name, x, y in zip(names[flagged], p[flagged], d[flagged], strict=True):
        ax.annotate(name, (x, y), xytext=(4, 4), textcoords="offset points", fontsize="small")
    ax.set_xlim(0, 1)
    low = np.nanmin(d, initial=0.0)
    ax.set_ylim(min(-0.2, low - 0.05), 1.0)
    ax.set_xlabel(_lab("difficulty", lang))
    ax.set_ylabel(_lab("discrimination", lang))
    ax.set_title(_lab("item_map_title", lang))
    ax.legend(fontsize="small")
    drawn = pd.DataFrame(
        {
            "item": names,
            "difficulty": p,
            "discrimination": d,
            "verdict": verdict,
            "flagged": flagged,
        }
    )
    return attach(ax, drawn, lang=lang)
