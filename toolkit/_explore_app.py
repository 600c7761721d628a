"""The explorer's rendering and widgets: one tab as HTML or as a figure, and the app.

This is the widget layer of :mod:`toolkit.explore`, which re-exports every public name of
this module: import them from there. :func:`section_html` and :func:`section_figure` render
one tab of the :func:`~toolkit.explore.summaries` of a selection; :class:`Explorer` is the
ipywidgets app around them. matplotlib and ipywidgets are imported only when a figure is
drawn or an app is built.

Examples
--------
>>> import toolkit
>>> from toolkit.data import load
>>> from toolkit.explore import filter_data, section_html, summaries
>>> out = summaries(filter_data(load(toolkit.SAMPLE_DATA), unit="U02"))
>>> 'data-state="no_data"' in section_html(out, "reaction", lang="en")
True
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from toolkit._explore_core import (
    FILTERS,
    LABELS,
    SECTIONS,
    _check_data,
    _check_min_group,
    filter_options,
    format_number,
)
from toolkit._explore_guard import summarize
from toolkit.data import EvaluationData
from toolkit.disclosure import MIN_GROUP, SUPPRESSION_COLUMNS
from toolkit.i18n import LANGUAGES, label
from toolkit.validation import check_one_of

__all__ = ["Explorer", "section_figure", "section_html"]

#: Resolution of the figures the app shows (at least toolkit.plots' MIN_DPI of 110).
_DPI = 110

# fmt: off
_SECTION_TITLES = {"reaction": "level_1", "learning": "level_2", "behavior": "level_3",
                   "results": "level_4", "participation": "participation"}

#: Tables of each tab and how they are shown: "column:heading:kind[:mask]" (a "low+high"
#: column is an interval; kinds are those of format_number, "code" (labelled), "item" and
#: "text"; ``mask`` names the boolean column that hides the cell, default ``suppressed``).
_SHOWN = {
    "reaction_items": "item_code:col_item:item n:col_answers:count n_people:col_people:count "
                      "mean:mean:ratio top2_pct:col_top2:score top2_ci_low+top2_ci_high:col_ci:score",
    "reaction_nps": "n:col_answers:count n_people:col_people:count pct_promoters:promoters:score "
                    "pct_passives:passives:score pct_detractors:detractors:score "
                    "estimate:nps:nps ci_low+ci_high:col_ci:nps",
    "learning": "n:col_pairs:count n_people:col_people:count mean_pre:learning_pre:score "
                "mean_post:learning_post:score g_class:learning_g_class:ratio "
                "hake_band:col_hake_band:code ngain_percent:learning_ngain:score "
                "ngain_band:col_ngain_band:code",
    "behavior": "rater:rater:code wave_to:wave:code n_people:col_people:count "
                "mean_from:col_from:ratio mean_to:col_to:ratio estimate:col_change:change "
                "ci_low+ci_high:col_ci:change d_z:d_z:ratio",
    "ikm_versus": "period:quarter:text n:col_n_selected:count converted:col_ikm_selected:index "
                  "grade:col_grade:text n_comparison:col_n_comparison:count:comparison_suppressed "
                  "converted_comparison:col_ikm_comparison:index:comparison_suppressed "
                  "gap:col_gap:change:comparison_suppressed",
    "participation": "n_invited:col_invited:count n_participants:participants:count "
                     "attended_share:attendance_share:share completed_share:completion_share:share "
                     "jp_planned:col_jp_planned:count jp_delivered:jp_delivered:count "
                     "jp_share:jp_share:share jp_ci_low+jp_ci_high:col_ci:share",
}
_SHOWN["learning_by_method"] = "method:method:code " + _SHOWN["learning"]
_SHOWN["participation_by_schedule"] = "schedule:schedule:code " + _SHOWN["participation"]
_SECTION_TABLES = {"reaction": ("reaction_items", "reaction_nps"),
                   "learning": ("learning", "learning_by_method"), "behavior": ("behavior",),
                   "results": ("ikm_versus",),
                   "participation": ("participation", "participation_by_schedule")}
#: The table each tab's figure draws.
_FIGURE_TABLES = {"reaction": "reaction_items", "learning": "learning_by_method",
                  "behavior": "behavior", "results": "ikm_versus",
                  "participation": "participation_by_schedule"}
#: Headings whose explanation is another heading's.
_HELP_OF = {"col_n_selected": "col_respondents", "col_n_comparison": "col_respondents",
            "col_pairs": "col_pairs"}
# fmt: on


def _lab(key: str, lang: str) -> str:
    return label(key, lang, extra=LABELS)


def _help(key: str, lang: str) -> str:
    """The one-line explanation of a key number or heading ("" when it needs none)."""
    if key.startswith("behavior_") and key != "behavior_change":
        key = "behavior_change"
    key = f"help_{_HELP_OF.get(key, key)}"
    return _lab(key, lang) if key in LABELS else ""


# --------------------------------------------------------------------------- tabs as HTML
def _kpi_label(key: str, detail: str, lang: str) -> str:
    if key.startswith("behavior_") and key != "behavior_change":
        rater, wave = key.removeprefix("behavior_").split("_", 1)
        return f"{_lab('behavior_change', lang)}: {_lab(rater, lang)}, {_lab(wave, lang)}"
    text = _lab(key, lang)
    return f"{text} ({detail})" if detail else text


def _kpi_card(row: Mapping, lang: str, min_group: int) -> str:
    key = html.escape(row["key"])
    attrs = f'class="kpi" data-key="{key}" data-kind="{html.escape(row["kind"])}"'
    if row["suppressed"]:
        attrs += ' data-suppressed="true"'
        text = _lab("suppressed_short", lang).format(m=min_group)
    else:
        value = row["value"]
        attrs += f' data-value="{"" if pd.isna(value) else repr(float(value))}"'
        text = format_number(value, row["kind"], lang=lang)
    people = format_number(row["n_people"], "count", lang=lang)
    note = "" if row["suppressed"] or row["section"] == "overview" else f"n = {people}"
    return (
        f'<div class="explore-card"><div class="explore-card-label">'
        f"{html.escape(_kpi_label(row['key'], row['detail'], lang))}</div>"
        f"<span {attrs}>{html.escape(text)}</span>"
        f'<div class="explore-card-note">{html.escape(note)}</div>'
        f'<div class="explore-help" data-help="{key}">'
        f"{html.escape(_help(row['key'], lang))}</div></div>"
    )


def _kpi_cards(
    kpi: pd.DataFrame, section: str, *, lang: str = "id", min_group: int = MIN_GROUP
) -> str:
    """HTML of the key-number cards of ``section`` (each number in a ``span.kpi``, its
    explanation in a ``div.explore-help``)."""
    rows = kpi[kpi["section"] == section].to_dict("records")
    cards = "".join(_kpi_card(row, lang, min_group) for row in rows)
    return f'<div class="explore-kpis" data-section="{html.escape(section)}">{cards}</div>'


def _codes_labels() -> dict:
    from toolkit.learning import LABELS as LEARNING

    return {**LEARNING, **LABELS}


def _fields(name: str) -> list[tuple[str, str, str, str]]:
    """(column, heading, kind, mask column) of each column shown of table ``name``."""
    out = []
    for field in _SHOWN[name].split():
        column, head, kind, *mask = field.split(":")
        out.append((column, head, kind, mask[0] if mask else "suppressed"))
    return out


def _table_html(name: str, table: pd.DataFrame, *, lang, min_group, item_text) -> str:
    """One table as HTML: labelled headings, formatted numbers, small rows replaced, and a
    list explaining each heading that needs it."""
    codes = _codes_labels()
    message = _lab("suppressed_short", lang).format(m=min_group)
    heads, cells, helps, said = [], [], [], set()
    for column, head, kind, mask in _fields(name):
        small = table[mask].to_numpy(dtype=bool)
        values = [table[c] for c in column.split("+")]
        if kind == "item":
            col = [item_text.get(str(v), str(v)) for v in values[0]]
        elif kind in {"code", "text"}:
            col = [
                "–"
                if pd.isna(v)
                else label(str(v), lang, extra=codes)
                if kind == "code"
                else str(v)
                for v in values[0]
            ]
        else:  # numbers; an interval is "low – high"; hidden cells show the message once a row
            parts = [[format_number(v, kind, lang=lang) for v in s] for s in values]
            col = [" – ".join(row) for row in zip(*parts, strict=True)]
            col = [
                (message if (i, mask) not in said else "") if hide else c
                for i, (hide, c) in enumerate(zip(small, col, strict=True))
            ]
            said |= {(i, mask) for i in np.flatnonzero(small)}
        heading = label(head, lang, extra=codes)
        heads.append(heading)
        cells.append(col)
        explained = _help(head, lang)
        if explained:
            helps.append(
                f"<li><strong>{html.escape(heading)}</strong>: {html.escape(explained)}</li>"
            )
    shown = pd.DataFrame(dict(enumerate(cells)), index=range(len(table)))
    shown.columns = heads
    body = shown.to_html(index=False, border=0, classes=["explore-table"], escape=True)
    title = html.escape(_lab(f"tbl_{name}", lang))
    notes = f'<ul class="explore-help-list">{"".join(helps)}</ul>' if helps else ""
    return (
        f'<div class="explore-table-wrap" data-table="{name}"><h4>{title}</h4>'
        f'<div class="explore-scroll">{body}</div>{notes}</div>'
    )


def _item_texts(instruments: pd.DataFrame | None, lang: str) -> dict[str, str]:
    if instruments is None or instruments.empty:
        return {}
    text = instruments["text_id" if lang == "id" else "text_en"].astype("str")
    codes = instruments["item_code"].astype("str")
    return dict(zip(codes, codes + " · " + text, strict=True))


def _ikm_note(summary: Mapping[str, pd.DataFrame], lang: str) -> str:
    """The results tab's note: what the IKM follows, which units are compared, how to read."""
    text = _lab("ikm_note", lang)
    groups = summary.get("ikm_groups")
    if groups is None:
        return text
    said = {}
    for group, kind, n in groups[["group", "kind", "n_units"]].itertuples(index=False):
        said[group] = _lab(f"group_{kind}", lang).format(n=format_number(n, "count", lang=lang))
    text += " " + _lab("ikm_groups", lang).format(a=said["selected"], b=said["comparison"])
    return f"{text} {_lab('ikm_read', lang)}"


def section_html(
    summary: Mapping[str, pd.DataFrame],
    section: str,
    *,
    lang: str = "id",
    min_group: int = MIN_GROUP,
    instruments: pd.DataFrame | None = None,
) -> str:
    """HTML of one tab: its key numbers, its tables, or the suppression message.

    Parameters
    ----------
    summary : dict of DataFrame
        Output of :func:`~toolkit.explore.summaries`.
    section : str
        One of :data:`~toolkit.explore.SECTIONS`.
    lang : {"id", "en"}
        Language of the labels and numbers.
    min_group : int, default 5
        The ``min_group`` of :func:`~toolkit.explore.summaries` (quoted in the suppression message).
    instruments : DataFrame, optional
        Item bank, to show item texts instead of item codes.

    Returns
    -------
    str
        A ``div.explore-section`` with ``data-section`` and ``data-state``. Each key number
        is a ``span.kpi`` with ``data-key``, ``data-kind`` and ``data-value`` (the unrounded
        number, ``repr`` of a float), or ``data-suppressed="true"`` and the text
        "suppressed (n < 5)"; its one-line explanation follows in ``div.explore-help``.
        Tables sit in ``div.explore-table-wrap`` with ``data-table``, their headings
        explained in the ``ul.explore-help-list`` under them. The results tab says which
        units are selected and which compared, and how to read the two.

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> data = load(toolkit.SAMPLE_DATA)
    >>> page = section_html(summarize(data, unit="U04", method="seminar"), "reaction", lang="en")
    >>> 'data-key="reaction_nps" data-kind="nps" data-suppressed="true"' in page
    True
    >>> "suppressed (n &lt; 5)" in page
    True
    """
    check_one_of("section", section, SECTIONS)
    check_one_of("lang", lang, LANGUAGES)
    min_group = _check_min_group(min_group)
    state = summary["status"].set_index("section").loc[section, "state"]
    parts = [
        f'<div class="explore-section" data-section="{section}" data-state="{state}">',
        f"<h3>{html.escape(_lab(_SECTION_TITLES[section], lang))}</h3>",
    ]
    if section == "results":
        parts.append(f'<p class="explore-note">{html.escape(_ikm_note(summary, lang))}</p>')
    if state == "no_data":
        parts.append(f'<p class="explore-message">{html.escape(_lab("no_data", lang))}</p>')
    elif state == "suppressed":
        n_people = summary["status"].set_index("section").loc[section, "n_people"]
        why = "suppressed_long" if n_people < min_group else "suppressed_complement"
        text = _lab(why, lang).format(m=min_group)
        parts.append(f'<p class="explore-message explore-suppressed">{html.escape(text)}</p>')
    parts.append(_kpi_cards(summary["kpi"], section, lang=lang, min_group=min_group))
    item_text = _item_texts(instruments, lang)
    for name in _SECTION_TABLES[section]:
        if name in summary:
            parts.append(
                _table_html(
                    name, summary[name], lang=lang, min_group=min_group, item_text=item_text
                )
            )
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------- figures
def section_figure(
    summary: Mapping[str, pd.DataFrame],
    section: str,
    *,
    lang: str = "id",
    instruments: pd.DataFrame | None = None,
):
    """The figure of one tab, drawn by the toolkit's plot functions; None when nothing shows.

    Parameters
    ----------
    summary : dict of DataFrame
        Output of :func:`~toolkit.explore.summaries`; suppressed rows are left out of every figure.
    section : str
        One of :data:`~toolkit.explore.SECTIONS`: ``reaction`` (:func:`toolkit.plots.likert_bars`),
        ``learning`` (:func:`toolkit.plots.prepost_plot` by method), ``behavior``
        (:func:`toolkit.plots.behavior_change_plot`), ``results`` (IKM by quarter) or
        ``participation`` (shares attending and of JP attended, by schedule).
    lang : {"id", "en"}
        Language of the labels.
    instruments : DataFrame, optional
        Item bank, to label the Likert bars with the item texts.

    Returns
    -------
    matplotlib.figure.Figure or None
        A figure made without pyplot (nothing is left open); its axes carry ``drawn``, the
        numbers drawn (see :mod:`toolkit.plots`).

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> out = summarize(load(toolkit.SAMPLE_DATA))
    >>> fig = section_figure(out, "results", lang="en")
    >>> drawn = fig.axes[0].drawn.round(2)
    >>> drawn[drawn["period"] == "2025Q4"]
        period       group  converted
    11  2025Q4    selected      81.97
    23  2025Q4  comparison      79.65
    """
    check_one_of("section", section, SECTIONS)
    check_one_of("lang", lang, LANGUAGES)
    from matplotlib.figure import Figure

    from toolkit import plots
    from toolkit.plots._style import PALETTE, attach

    name = _FIGURE_TABLES[section]
    if name not in summary:
        return None
    first = summary[name]
    first = first[~first["suppressed"].to_numpy(dtype=bool)]
    if section == "learning":
        kept = first["method"].astype("str")
        scores = summary["learning_scores"]
        first = scores[scores["method"].astype("str").isin(kept).to_numpy()]
        first = first.assign(method=first["method"].astype("str").map(lambda c: _lab(c, lang)))
    if first.empty:
        return None
    height = 0.45 * len(first) + 1.8 if section in {"reaction", "participation"} else 3.6
    fig = Figure(
        figsize=(10.0 if section == "reaction" else 8.0, min(height, 6.0)), layout="constrained"
    )
    ax = fig.add_subplot()
    if section == "reaction":
        same_scale = (first["scale_min"] == first["scale_min"].iloc[0]) & (
            first["scale_max"] == first["scale_max"].iloc[0]
        )
        extra = ["n_people", *SUPPRESSION_COLUMNS]  # the guard's columns, not groups to draw
        rows = first[same_scale.to_numpy()].drop(columns=extra)
        plots.likert_bars(rows, lang=lang, ax=ax, instruments=instruments)
    elif section == "learning":
        plots.prepost_plot(first, by="method", kind="summary", lang=lang, ax=ax)
    elif section == "behavior":
        plots.behavior_change_plot(first, lang=lang, ax=ax)
    elif section == "results":
        _ikm_lines(ax, first, summary.get("ikm_groups"), lang)
    else:
        groups = first["schedule"].astype("str")
        names = [_lab(g, lang) for g in groups]
        y = np.arange(len(first))[::-1]
        drawn = []
        for j, (col, low, high, key) in enumerate(
            (
                ("attended_share", "attended_ci_low", "attended_ci_high", "attendance_share"),
                ("jp_share", "jp_ci_low", "jp_ci_high", "jp_share"),
            )
        ):
            values = 100 * first[col].to_numpy(dtype="float64")
            err = 100 * np.abs(first[[low, high]].to_numpy(dtype="float64").T - values / 100)
            ax.barh(y + 0.2 - 0.4 * j, values, height=0.38, color=PALETTE[j], label=_lab(key, lang))
            ax.errorbar(values, y + 0.2 - 0.4 * j, xerr=err, fmt="none", color="black", lw=1)
            drawn.append(
                pd.DataFrame({"schedule": groups.to_numpy(), "measure": col, "pct": values})
            )
        ax.set_yticks(y, names)
        ax.set_xlim(0, 100)
        ax.set_xlabel("%")
        fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
        attach(ax, pd.concat(drawn, ignore_index=True))
    return fig


def _ikm_lines(ax, versus: pd.DataFrame, groups: pd.DataFrame | None, lang: str) -> None:
    """The results tab's figure: the selected and the comparison units' IKM by quarter,
    the quarter the selected units were first trained marked, the legend under the axes."""
    from toolkit.plots._style import PALETTE, attach, localize_axes

    periods = versus["period"].astype("str").to_numpy()
    x = np.arange(len(periods))
    said = {}
    if groups is not None:
        for group, kind, n in groups[["group", "kind", "n_units"]].itertuples(index=False):
            said[group] = _lab(f"group_{kind}", lang).format(n=format_number(n, "count", lang=lang))
    lines = [("selected", versus["converted"].to_numpy(dtype="float64"), "o", "-")]
    other = versus["converted_comparison"].to_numpy(dtype="float64")
    other = np.where(versus["comparison_suppressed"].to_numpy(dtype=bool), np.nan, other)
    if np.isfinite(other).any():
        lines.append(("comparison", other, "s", "--"))
    drawn = []
    for j, (group, values, marker, style) in enumerate(lines):
        name = _lab(f"{group}_units", lang)
        if group in said:
            name = f"{name}: {said[group]}"
        ax.plot(x, values, marker=marker, linestyle=style, color=PALETTE[j], label=name)
        drawn.append(pd.DataFrame({"period": periods, "group": group, "converted": values}))
    first_trained = "" if groups is None else str(groups["first_trained"].iloc[0])
    if first_trained in set(periods):
        at = int(np.flatnonzero(periods == first_trained)[0])
        ax.axvline(at, color="#555555", linestyle=":", linewidth=1.2,
                   label=f"{_lab('first_trained', lang)} ({first_trained})")  # fmt: skip
    ax.set_xticks(x, periods, rotation=45, ha="right")
    ax.set_ylabel(_lab("nrr_converted", lang))
    ax.set_xlabel(_lab("quarter", lang))
    ax.grid(axis="y", alpha=0.3)
    ax.figure.legend(loc="outside lower center", ncols=1, fontsize=8, frameon=False)
    localize_axes(ax, lang)
    attach(ax, pd.concat(drawn, ignore_index=True))


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


# --------------------------------------------------------------------------- the app
_STYLE = """<style>
.explore-app { font-family: sans-serif; }
.explore-app h2 { margin: 0.2em 0 0.4em 0; }
.explore-app h3.explore-overview { margin: 0.3em 0 0.2em 0; font-size: 1.05em; }
.explore-kpis { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0 10px 0; }
.explore-card { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 10px;
  min-width: 150px; max-width: 260px; flex: 1 1 180px; background: #f6f8fa; }
.explore-card-label { font-size: 0.85em; color: #333; }
.explore-card .kpi { font-size: 1.5em; font-weight: 600; color: #0072B2; }
.explore-card .kpi[data-suppressed="true"] { font-size: 1em; color: #8c2d04; }
.explore-card-note { font-size: 0.75em; color: #555; }
.explore-help { font-size: 0.75em; color: #444; line-height: 1.3; margin-top: 2px; }
.explore-help-list { font-size: 0.8em; color: #444; margin: 2px 0 12px 0; padding-left: 18px;
  max-width: 900px; }
.explore-help-list li { margin: 0; line-height: 1.35; }
.explore-message { padding: 6px 10px; background: #fff4e5; border-left: 4px solid #E69F00; }
.explore-note { font-size: 0.85em; color: #444; max-width: 900px; }
.explore-scroll { overflow-x: auto; max-width: 100%; }
.explore-table { border-collapse: collapse; font-size: 0.85em; margin-bottom: 4px; }
.explore-table th, .explore-table td { padding: 2px 8px; border-bottom: 1px solid #e1e4e8;
  text-align: right; }
.explore-table td:first-child, .explore-table th:first-child { text-align: left; }
.explore-app .lm-TabBar-tab { flex: 0 0 auto !important; max-width: none !important; }
.explore-app .widget-dropdown > select { text-overflow: clip; }
.explore-app .widget-label { white-space: nowrap; overflow: visible; max-width: none; }
</style>"""


class Explorer:
    """Interactive explorer of an evaluation: filters above, one tab per level below.

    Parameters
    ----------
    data : EvaluationData
        As returned by :func:`toolkit.data.load`.
    lang : {"id", "en"}, default "id"
        Language the app opens in; the toggle at its top switches it.
    min_group : int, default 5
        Numbers resting on fewer distinct people are suppressed (see
        :func:`~toolkit.explore.summaries`).

    Attributes
    ----------
    language : ipywidgets.ToggleButtons
        The language toggle (values ``"id"`` and ``"en"``; CSS class ``explore-lang``):
        switching it relabels every filter, button, tab, card, table, explanation and
        figure without recomputing.
    filters : dict of str to ipywidgets.Dropdown
        One drop-down per name of :data:`~toolkit.explore.FILTERS` (value ``""`` = all);
        CSS classes ``explore-filter`` and ``explore-filter-<name>``.
    tabs : ipywidgets.Tab
        One tab per name of :data:`~toolkit.explore.SECTIONS`.
    widget : ipywidgets.VBox
        The whole app; displaying the explorer displays it.
    summary : dict of DataFrame
        The :func:`~toolkit.explore.summarize` of the current selection.

    Notes
    -----
    A change of filter recomputes :func:`~toolkit.explore.summarize` (filter, analyses and
    the guard against differencing between selections; about a second on the sample),
    rewrites every tab's numbers and tables, and redraws the figure of the visible tab;
    other tabs redraw when opened. The status line ends with a ``div.explore-state`` whose
    ``data-filters`` holds the applied filters as JSON (sorted keys, no spaces) and
    ``data-lang`` the language, which browser tests wait for.

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> app = Explorer(load(toolkit.SAMPLE_DATA), lang="en")  # doctest: +SKIP
    >>> app.set_filters(method="workshop", unit="U15")  # doctest: +SKIP
    >>> app.language.value = "id"  # doctest: +SKIP
    >>> app  # doctest: +SKIP
    """

    def __init__(self, data: EvaluationData, *, lang: str = "id", min_group: int = MIN_GROUP):
        import ipywidgets as w

        check_one_of("lang", lang, LANGUAGES)
        self.min_group = _check_min_group(min_group)
        _check_data(data)
        self.data, self.lang = data, lang
        self.options = filter_options(data)
        self._unit_names = dict(
            zip(data.units["unit_id"].astype("str"), data.units["unit_name"], strict=True)
        )
        self._hold = False
        self.language = w.ToggleButtons(
            options=[("Bahasa Indonesia", "id"), ("English", "en")],
            value=lang,
            style={"button_width": "auto"},
        )
        self.language.add_class("explore-lang")
        self.language.observe(self._language_changed, names="value")
        self.filters = {}
        for name in FILTERS:
            dropdown = w.Dropdown(
                options=self._choices(name),
                value="",
                style={"description_width": "initial"},
                layout=w.Layout(width="max-content", margin="2px 12px 2px 0"),
            )
            dropdown.add_class("explore-filter")
            dropdown.add_class(f"explore-filter-{name}")
            dropdown.observe(self._changed, names="value")
            self.filters[name] = dropdown
        self.reset = w.Button(layout=w.Layout(width="auto"))
        self.reset.add_class("explore-reset")
        self.reset.on_click(lambda _button: self.set_filters())
        self.header = w.HTML()
        self.status = w.HTML()
        self.status.add_class("explore-status")
        self.pages = {s: w.HTML() for s in SECTIONS}
        self.images = {
            s: w.Image(format="png", layout=w.Layout(max_width="900px")) for s in SECTIONS
        }
        self.tabs = w.Tab(children=[w.VBox([self.pages[s], self.images[s]]) for s in SECTIONS])
        self.tabs.selected_index = 0
        for section in SECTIONS:
            self.pages[section].add_class(f"explore-page-{section}")
            self.images[section].add_class("explore-figure")
            self.images[section].add_class(f"explore-figure-{section}")
        self.tabs.observe(self._tab_changed, names="selected_index")
        top = w.HBox([self.header, self.language], layout=w.Layout(
            justify_content="space-between", align_items="center", flex_flow="row wrap"))  # fmt: skip
        bar = w.HBox([*self.filters.values(), self.reset], layout=w.Layout(flex_flow="row wrap"))
        self.widget = w.VBox([top, bar, self.status, self.tabs])
        self.widget.add_class("explore-app")
        self._stale: set[str] = set()
        self.summary: dict[str, pd.DataFrame] = {}
        self._relabel()
        self.update()

    def _choices(self, name: str) -> list[tuple[str, str]]:
        """The (label, code) options of one filter in the current language."""
        if name == "unit":
            choices = [(f"{u} · {self._unit_names[u]}", u) for u in self.options[name]]
        elif name == "period":
            choices = [(p, p) for p in self.options[name]]
        else:
            choices = [(_lab(c, self.lang), c) for c in self.options[name]]
        return [(_lab("all_values", self.lang), ""), *choices]

    def _relabel(self) -> None:
        """Write every widget's own label (not the pages) in the current language."""
        lang = self.lang
        titles = {"period": "session_period"}
        self._hold = True
        try:
            for name, dropdown in self.filters.items():
                value = dropdown.value
                dropdown.options = self._choices(name)
                dropdown.value = value
                dropdown.description = _lab(titles.get(name, name), lang)
        finally:
            self._hold = False
        self.reset.description = _lab("reset", lang)
        self.language.description = ""
        self.language.tooltips = [_lab("language", lang)] * 2
        self.tabs.titles = tuple(_lab(_SECTION_TITLES[s], lang) for s in SECTIONS)
        self.header.value = f"{_STYLE}<h2>{html.escape(_lab('explorer_title', lang))}</h2>"

    # ---- filters
    def filter_values(self) -> dict[str, str | None]:
        """The value of every filter (None = all)."""
        return {name: dropdown.value or None for name, dropdown in self.filters.items()}

    def set_filters(self, **values: str | None) -> None:
        """Set the given filters (the others to all) and update once.

        Raises ValueError for an unknown filter name or code.
        """
        for name, value in values.items():
            check_one_of("filter", name, FILTERS)
            if value is not None:
                check_one_of(name, value, self.options[name])
        self._hold = True
        try:
            for name, dropdown in self.filters.items():
                dropdown.value = values.get(name) or ""
        finally:
            self._hold = False
        self.update()

    def _changed(self, _change) -> None:
        if not self._hold:
            self.update()

    def _language_changed(self, change) -> None:
        self.lang = change["new"]
        self._relabel()
        self._render()

    def _tab_changed(self, change) -> None:
        if change["new"] is not None:
            self._draw(SECTIONS[change["new"]])

    # ---- rendering
    def update(self) -> None:
        """Recompute everything for the current filters and redraw the visible tab."""
        chosen = {k: v for k, v in self.filter_values().items() if v is not None}
        self.summary = summarize(self.data, min_group=self.min_group, **chosen)
        self._render()

    def _render(self) -> None:
        """Write the pages and the status line of :attr:`summary` in the current language."""
        for section in SECTIONS:
            self.pages[section].value = section_html(
                self.summary,
                section,
                lang=self.lang,
                min_group=self.min_group,
                instruments=self.data.instruments,
            )
        self._stale = set(SECTIONS)
        for image in self.images.values():  # no figure of another selection or language
            image.layout.display = "none"
        self._draw(SECTIONS[self.tabs.selected_index or 0])
        chosen = {k: v for k, v in self.filter_values().items() if v is not None}
        state = html.escape(json.dumps(chosen, sort_keys=True, separators=(",", ":")))
        cards = _kpi_cards(
            self.summary["kpi"], "overview", lang=self.lang, min_group=self.min_group
        )
        title = html.escape(_lab("overview", self.lang))
        self.status.value = (
            f'<h3 class="explore-overview">{title}</h3>{cards}'
            f'<div class="explore-state" data-filters="{state}" data-lang="{self.lang}"></div>'
        )

    def _draw(self, section: str) -> None:
        if section not in self._stale:
            return
        self._stale.discard(section)
        fig = section_figure(
            self.summary, section, lang=self.lang, instruments=self.data.instruments
        )
        image = self.images[section]
        image.value = b"" if fig is None else _png(fig)
        image.layout.display = "none" if fig is None else None

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = (
            f"Explorer of {len(self.data.units)} units and {len(self.data.sessions)} sessions: "
            "run the notebook (or `make explore`) to use it."
        )
        return bundle
