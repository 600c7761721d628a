"""Interactive explorer: filter the evaluation and watch every level update live.

:class:`Explorer` is an ipywidgets app over an :class:`~toolkit.data.EvaluationData`: one
drop-down per filter (unit, programme, method, provider, session quarter, cohort) and a tab
per level (reaction, learning, behaviour, results, participation) with its key numbers,
tables and a figure, every number with a one-line explanation, and a language toggle
(Bahasa Indonesia, English). It runs in JupyterLab (the course notebook
``notebooks/id/explore.ipynb`` or ``notebooks/en/explore.ipynb``) and as a web app that shows
nothing else (``make explore`` serves ``notebooks/explore_app.ipynb`` with Voilà).

Everything the app shows comes from pure functions (defined in
:mod:`toolkit._explore_core`, imported from here), usable and tested without widgets:

* :func:`filter_data` restricts every table to the chosen units, cohorts and sessions;
* :func:`summaries` runs the toolkit's analyses on the filtered data (no statistic is
  computed here) and applies the small-group rule;
* :func:`summarize` is what the app shows for a selection: :func:`filter_data` and
  :func:`summaries`, guarded against differencing between selections (defined in
  :mod:`toolkit._explore_guard`);
* :func:`comparison_units` names the units whose IKM the results tab shows beside the
  selection's (never a before/after of the selected units alone);
* :func:`format_number` writes a key number the way people read it.

The overview cards (:data:`OVERVIEW`) count the selection itself: units with someone who
attended a kept session, kept sessions someone of the kept units attended, and the people
invited and attending (see :func:`summaries`).

The rendering layer, :func:`section_html` and :func:`section_figure` (one tab as HTML or
as a figure) and :class:`Explorer`, lives in :mod:`toolkit._explore_app`; import it from
here all the same. It is loaded on first use, so that ``import toolkit.explore`` loads
neither ipywidgets nor matplotlib.

Filters
-------
``unit`` and ``cohort`` (the quarter a unit was first trained, or ``"not_trained"``) select
units, hence their staff and their public-satisfaction (IKM) surveys. ``program``,
``method``, ``provider`` and ``period`` (the quarter a session started) select sessions,
hence the invitations, answers, tests and ratings that belong to them. Filters compose (a
row is kept when it passes every filter); each takes one code or a list of codes, and
``None`` means no restriction. The IKM follows the unit and cohort filters only: it is
measured per unit, never per session.

Small groups
------------
A number computed from fewer than ``min_group`` (default 5) distinct people is never shown:
a whole tab is replaced by a "suppressed (n < 5)" message when its data hold fewer people,
and single rows of its tables (an item, a method, a rater, a quarter) likewise. IKM rows
count citizen respondents instead of participants. Rows that add up to the tab's total
(methods, schedules) get complementary suppression, and :func:`summarize` hides what a
subtraction between selections (a cohort minus its other units) would reveal: the policy
of :mod:`toolkit.disclosure`.

Examples
--------
>>> import toolkit
>>> from toolkit.data import load
>>> data = load(toolkit.SAMPLE_DATA)
>>> workshops = filter_data(data, method="workshop")
>>> sorted(workshops.sessions["method"].unique())
['workshop']
>>> kpi = summaries(workshops)["kpi"].set_index("key")
>>> bool(kpi.loc["reaction_nps", "suppressed"])
False
>>> format_number(kpi.loc["attendance_share", "value"], "share", lang="en")
'93.1%'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._explore_core import (
    FILTERS,
    LABELS,
    NOT_TRAINED,
    OVERVIEW,
    SECTIONS,
    comparison_units,
    filter_data,
    filter_options,
    format_number,
    summaries,
)
from toolkit._explore_guard import summarize

if TYPE_CHECKING:  # imported on first use, by __getattr__ below
    from toolkit._explore_app import Explorer, section_figure, section_html

__all__ = [
    "FILTERS",
    "LABELS",
    "NOT_TRAINED",
    "OVERVIEW",
    "SECTIONS",
    "Explorer",
    "comparison_units",
    "filter_data",
    "filter_options",
    "format_number",
    "section_figure",
    "section_html",
    "summaries",
    "summarize",
]

#: Names defined in :mod:`toolkit._explore_app` (rendering and widgets), imported on first use.
_APP_NAMES = ("Explorer", "section_figure", "section_html")


def __getattr__(name: str):
    """Import the rendering layer when one of its names is first asked for (PEP 562)."""
    if name in _APP_NAMES:
        from toolkit import _explore_app

        value = globals()[name] = getattr(_explore_app, name)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_APP_NAMES})
