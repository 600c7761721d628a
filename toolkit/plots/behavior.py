"""Level 3 figure: change in on-the-job behaviour by rater and wave, with confidence intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.i18n import label
from toolkit.plots._style import PALETTE, attach, get_ax
from toolkit.validation import check_columns, check_one_of

__all__ = ["LABELS", "behavior_change_plot"]

#: Labels of this module, passed to :func:`toolkit.i18n.label` as ``extra``.
LABELS: dict[str, dict[str, str]] = {
    "behavior_change_title": {
        "id": "Perubahan perilaku kerja dibanding sebelum pelatihan",
        "en": "Change in on-the-job behaviour since baseline",
    },
    "mean_change": {
        "id": "Perubahan skor rata-rata (IK 95%)",
        "en": "Mean change in score (95% CI)",
    },
    "rater": {"id": "Penilai", "en": "Rater"},
    "wave": {"id": "Waktu pengukuran", "en": "Measurement wave"},
}

_WAVE_ORDER = ("followup_3m", "followup_6m")
_RATERS = ("self", "supervisor")


def behavior_change_plot(data: pd.DataFrame, *, lang: str = "id", ax=None):
    """Mean change from baseline at each follow-up, one colour per rater, with CIs.

    Parameters
    ----------
    data : DataFrame
        Output of :func:`toolkit.behavior.behavior_change` for one group (columns ``rater,
        wave_to, estimate, ci_low, ci_high, n``). Filter to one group first when ``by`` was
        used.
    lang : {"id", "en"}
        Language of the labels.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib Axes
        With ``ax.drawn``: ``rater, wave_to, x, estimate, ci_low, ci_high, n``, one row per
        point drawn (x is the position on the axis; raters are dodged around each wave).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> res = pd.DataFrame({"rater": ["self", "supervisor"], "wave_to": "followup_3m",
    ...     "estimate": [0.6, 0.4], "ci_low": [0.4, 0.1], "ci_high": [0.8, 0.7], "n": [30, 28]})
    >>> ax = behavior_change_plot(res, lang="en")
    >>> ax.drawn[["rater", "x", "estimate"]]
            rater     x  estimate
    0        self -0.12       0.6
    1  supervisor  0.12       0.4
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    check_one_of("lang", lang, ("id", "en"))
    check_columns(data, ["rater", "wave_to", "estimate", "ci_low", "ci_high", "n"], param="data")
    extra = list(data.columns[: list(data.columns).index("rater")])  # the `by` columns
    if extra and len(data[extra].drop_duplicates()) > 1:
        raise ValueError(
            f"`data` holds several groups (columns {extra}); filter it to one group, e.g. "
            f"data[data[{extra[0]!r}] == ...]."
        )
    waves = [w for w in _WAVE_ORDER if w in set(data["wave_to"].astype("str"))]
    raters = [r for r in _RATERS if r in set(data["rater"].astype("str"))]
    d = data.assign(rater=data["rater"].astype("str"), wave_to=data["wave_to"].astype("str"))
    d = d[d["wave_to"].isin(waves) & d["rater"].isin(raters)]
    pos = {w: i for i, w in enumerate(waves)}
    width = 0.24
    offset = {r: (j - (len(raters) - 1) / 2) * width for j, r in enumerate(raters)}
    d = d.assign(x=d["wave_to"].map(pos) + d["rater"].map(offset))
    d = d.sort_values(["wave_to", "rater"], key=lambda s: s.map(pos) if s.name == "wave_to" else s)
    ax = get_ax(ax)
    for j, r in enumerate(raters):
        part = d[d["rater"] == r]
        err = np.vstack([part["estimate"] - part["ci_low"], part["ci_high"] - part["estimate"]])
        ax.errorbar(
            part["x"],
            part["estimate"],
            yerr=err,
            fmt="o",
            capsize=4,
            color=PALETTE[j],
            label=label(r, lang, LABELS),
        )
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xticks(range(len(waves)), [label(w, lang, LABELS) for w in waves])
    ax.set_xlim(-0.6, len(waves) - 0.4)
    ax.set_xlabel(label("wave", lang, LABELS))
    ax.set_ylabel(label("mean_change", lang, LABELS))
    ax.set_title(label("behavior_change_title", lang, LABELS))
    ax.legend(title=label("rater", lang, LABELS))
    cols = ["rater", "wave_to", "x", "estimate", "ci_low", "ci_high", "n"]
    return attach(ax, d[cols], lang=lang)
