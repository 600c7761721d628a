"""The explorer's guard against differencing: small groups stay hidden across selections.

Suppressing a small unit in its own selection is not enough when its cohort and the
cohort's other units can each be selected: the cohort minus the others gives it back.
:func:`summarize` (re-exported by :mod:`toolkit.explore`) is what the explorer shows for
one selection: :func:`~toolkit.explore.filter_data`, then :func:`~toolkit.explore.summaries`
with every cell that such a subtraction could reveal hidden, by the one policy of
:mod:`toolkit.disclosure`.

Examples
--------
>>> import toolkit
>>> from toolkit.data import load
>>> out = summarize(load(toolkit.SAMPLE_DATA), unit="U04", method="seminar")
>>> out["status"].set_index("section").loc["participation", "state"]
'suppressed'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit._explore_core import (
    _TOTALS,
    FILTERS,
    NOT_TRAINED,
    _answers,
    _behavior_pairs,
    _check_data,
    _check_min_group,
    _chosen,
    _learning_pairs,
    _session_quarter,
    _summaries,
    _unit_cohort,
    _vocabulary,
    comparison_units,
    filter_data,
)
from toolkit.data import EvaluationData
from toolkit.disclosure import MIN_GROUP, suppress
from toolkit.validation import as_list

__all__ = ["summarize"]

#: Tables whose rows add up to their tab's total (the others: rows of the same people).
_PARTS = {"learning_by_method": "learning", "participation_by_schedule": "participation"}
_SECTION_OF = {
    **{t: s for s, t in _TOTALS.items()}, **_PARTS, "reaction_items": "reaction",
    "behavior": "behavior", "ikm": "results",
}  # fmt: skip


def _cells(f: EvaluationData, ikm_only: bool = False) -> pd.DataFrame:
    """Who is behind every cell the explorer shows: one row per (table, key, person), with
    the person's unit and session (the IKM's respondents have a unit only); with
    ``ikm_only``, the IKM's cells only."""

    def rows(df, table, key, person=None):
        n = len(df)
        return pd.DataFrame({
            "table": table,
            "key": key if isinstance(key, str) else key.astype("str").to_numpy(),
            "person": (df["participant_id"] if person is None else person).astype("str").to_numpy(),
            "participant_id": df["participant_id"].astype("str").to_numpy() if person is None
            else np.full(n, None, dtype=object),
            "session_id": df["session_id"].astype("str").to_numpy() if person is None
            else np.full(n, None, dtype=object),
            "unit_id": np.full(n, None, dtype=object) if person is None
            else df["unit_id"].astype("str").to_numpy(),
        }, index=range(n))  # fmt: skip

    ikm = f.ikm_responses
    resp = pd.Series(np.arange(len(ikm)), index=ikm.index).astype("str")
    if ikm_only:
        parts = [
            rows(ikm, "ikm_all", "", resp),
            rows(ikm, "ikm", ikm["period"].astype("str"), resp),
        ]
        return _stack(parts)
    answers, learn, pairs = _answers(f), _learning_pairs(f), _behavior_pairs(f)
    enr = f.enrollments.merge(f.sessions[["session_id", "schedule"]], on="session_id")
    parts = [
        rows(answers, "reaction", ""), rows(answers, "reaction_items", answers["item_code"]),
        rows(learn, "learning", ""), rows(learn, "learning_by_method", learn["method"]),
        rows(pairs, "behavior_all", ""),
        rows(pairs, "behavior", pairs["rater"].astype("str") + "|" + pairs["wave_to"]),
        rows(ikm, "ikm_all", "", resp), rows(ikm, "ikm", ikm["period"].astype("str"), resp),
        rows(enr, "participation", ""), rows(enr, "participation_by_schedule", enr["schedule"]),
    ]  # fmt: skip
    return _stack(parts)


def _stack(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The non-empty parts, one below the other (an empty frame when there is none)."""
    full = [p for p in parts if len(p)]
    return pd.concat(full, ignore_index=True) if full else parts[0].iloc[:0]


def _sibling(f: EvaluationData, cells: pd.DataFrame, dim: str) -> pd.Series:
    """Each cell row's value of the filter ``dim`` (missing where the filter does not apply)."""
    unit_of = dict(
        zip(f.participants["participant_id"].astype("str"), f.participants["unit_id"].astype("str"),
            strict=True)
    )  # fmt: skip
    unit = cells["unit_id"].fillna(cells["participant_id"].map(unit_of))
    if dim == "unit":
        return unit
    if dim == "cohort":
        cohort = dict(zip(f.units["unit_id"].astype("str"), _unit_cohort(f.units), strict=True))
        return unit.map(cohort)
    values = _session_quarter(f.sessions) if dim == "period" else f.sessions[dim]
    of = dict(zip(f.sessions["session_id"].astype("str"), values.astype("str"), strict=True))
    return cells["session_id"].map(of)


def _protect_grid(grid: pd.DataFrame, m: int, group: str | None, force) -> pd.Series:
    """Which (sibling, table, key) cells to hide: siblings add up to their parent's cell
    (within ``group``), the rows of a partition table to their sibling's total, and a
    hidden total hides all its sibling's cells. Rounds until stable (a few at most)."""
    grid = grid.assign(
        part=grid["table"].where(grid["table"].isin(list(_PARTS)) & (grid["key"] != "")),
        section=grid["table"].map(_SECTION_OF),
    )
    across = [*([group] if group else []), "table", "key"]
    hidden = np.asarray(force, dtype=bool)
    for _ in range(len(grid) + 1):
        out = suppress(grid, "n", within=[across, ["sib", "part"]], min_group=m, force=hidden)
        now = out["suppressed"].to_numpy()
        totals = out[now & (out["key"] == "").to_numpy()]
        hid = pd.MultiIndex.from_frame(totals[["sib", "section"]])
        now = now | pd.MultiIndex.from_frame(grid[["sib", "section"]]).isin(hid)
        if (now == hidden).all():
            break
        hidden = now
    return pd.Series(hidden, index=grid.index)


def _guard(
    data: EvaluationData, chosen: dict, m: int, ikm_only: bool = False
) -> dict[str, set[str]]:
    """Table → keys of its rows to hide in the selection ``chosen`` so that no other
    selection that differs in one filter gives a hidden group back by subtraction (with
    ``ikm_only``, of the IKM's tables only). A list of codes hides a cell when the cell
    of any of them is hidden."""
    hide: dict[str, set[str]] = {}
    for dim, values in chosen.items():
        if values is None or (dim == "cohort" and chosen.get("unit") is not None):
            continue
        others = {
            k: v for k, v in chosen.items() if k != dim and not (dim == "unit" and k == "cohort")
        }
        base = filter_data(data, **others) if any(v is not None for v in others.values()) else data
        cells = _cells(base, ikm_only)
        if cells.empty:
            continue
        cells = cells.assign(sib=_sibling(base, cells, dim)).dropna(subset=["sib"])
        grid = cells.drop_duplicates(["sib", "table", "key", "person"])
        grid = grid.groupby(["sib", "table", "key"], sort=True).size().rename("n").reset_index()
        force = np.zeros(len(grid), dtype=bool)
        group = None
        if dim == "unit":  # units add up to their cohort, cohorts to the whole
            cohort = dict(zip(base.units["unit_id"].astype("str"), _unit_cohort(base.units),
                              strict=True))  # fmt: skip
            grid["cohort"] = grid["sib"].map(cohort).fillna(NOT_TRAINED)
            up = grid.groupby(["cohort", "table", "key"], sort=True)["n"].sum().reset_index()
            up = up.rename(columns={"cohort": "sib"})
            up_hidden = up[_protect_grid(up, m, None, np.zeros(len(up), dtype=bool)).to_numpy()]
            force = pd.MultiIndex.from_frame(grid[["cohort", "table", "key"]]).isin(
                pd.MultiIndex.from_frame(up_hidden[["sib", "table", "key"]])
            )
            group = "cohort"
        hidden = grid[_protect_grid(grid, m, group, force).to_numpy()]
        mine = hidden[hidden["sib"].isin([str(v) for v in as_list(values)]).to_numpy()]
        for table, key in mine[["table", "key"]].itertuples(index=False):
            hide.setdefault(table, set()).add(key)
    return hide


def summarize(
    data: EvaluationData, *, min_group: int = MIN_GROUP, **filters
) -> dict[str, pd.DataFrame]:
    """The explorer's view of one selection: :func:`filter_data`, then :func:`summaries`
    with a guard against differencing between selections.

    Suppressing a small unit is not enough when its cohort's totals and the cohort's other
    units can each be selected: the cohort minus the others gives the small unit back. So
    for every filter that is set, the selections that differ from this one in that filter
    alone (the other units of the cohort, the other cohorts, methods, programmes,
    providers, quarters) are protected together with it, cell by cell (each tab's total
    and each row of its tables), by :func:`toolkit.disclosure.suppress`: within a
    partition (the units of a cohort, the cohorts, the methods …) a hidden cell always
    has company holding at least ``min_group`` people, a hidden unit total hides its
    rows, and a hidden cohort hides its units. A cell hidden this way is hidden in every
    selection that shows it, so no subtraction of shown numbers gives a hidden one.

    Parameters
    ----------
    data : EvaluationData
        The whole evaluation, as returned by :func:`toolkit.data.load`.
    min_group : int, default :data:`toolkit.disclosure.MIN_GROUP` (5)
        Fewest distinct people (IKM: respondents) a shown number may rest on.
    **filters
        The filters of :func:`filter_data` (``unit``, ``program``, ``method``,
        ``provider``, ``period``, ``cohort``).

    Returns
    -------
    dict of str to DataFrame
        As :func:`summaries`; a tab hidden by the guard has state ``"suppressed"`` although
        its ``n_people`` may be ``min_group`` or more.

    Notes
    -----
    The guard covers subtraction along one filter at a time (this selection against its
    siblings in one filter, and units against cohorts); combinations of many selections
    that change several filters at once are not audited (that is the general
    cell-suppression problem; Hundepool et al. 2012, ch. 5).

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> data = load(toolkit.SAMPLE_DATA)
    >>> out = summarize(data, unit="U04", method="seminar")
    >>> out["status"].set_index("section").loc["reaction", "state"]
    'suppressed'
    >>> summarize(data, method="workshop")["status"]["state"].tolist()
    ['ok', 'ok', 'ok', 'ok', 'ok']
    """
    m = _check_min_group(min_group)
    _check_data(data)
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise TypeError(f"unknown filter(s) {unknown}; the filters are {list(FILTERS)}.")
    options = _vocabulary(data)
    chosen = {k: _chosen(k, v, options[k]) for k, v in filters.items()}
    hide = _guard(data, chosen, m)
    others = comparison_units(data, **filters)
    comparison = None
    if others:
        comparison = filter_data(data, unit=others)
        # the comparison's IKM: a period hidden for any of its units is hidden for the group
        for table, keys in _guard(data, {"unit": others}, m, ikm_only=True).items():
            hide[table.replace("ikm", "ikm_comparison", 1)] = keys
    return _summaries(filter_data(data, **filters), m, hide, comparison)
