"""Province and national monitoring aggregates, in pandas or in DuckDB over Parquet.

The analyses of the toolkit work on pandas tables held in memory. A province (BKD, BPSDM) or a
national body monitoring the 20 JP right across millions of civil servants has more rows than
memory holds, so this package runs the aggregations such a monitor needs **twice**: with the
pandas functions of the toolkit (the definitions), and as SQL in DuckDB straight over a folder
of Parquet files, without loading the tables into pandas. Both return the same tidy
DataFrames (same columns, dtypes, order and values to 1e-9; tests check it on the sample and
on generated data of other shapes):

* :func:`jp_fulfilment`: JP per civil servant per year against the right to 20 JP
  (:func:`toolkit.participation.jp_fulfilment`), per year or per unit/agency/region and year;
* :func:`jp_distribution`: how many people fall in each band of yearly JP (0, under 10, …);
* :func:`attendance_summary` and :func:`absence_reasons` (:mod:`toolkit.participation`);
* :func:`likert_summary` and :func:`net_promoter_score` by programme, provider, unit …
  (:mod:`toolkit.reaction`);
* :func:`ikm` by unit x period (:func:`toolkit.results.ikm`, PermenPANRB 14/2017);
* :func:`costs`: cost per participant, per participant-JP and per completion by provider,
  programme, method … (:func:`toolkit.providers.session_table`, first-year charged amounts of
  :func:`toolkit.roi.fully_loaded_costs`).

``data`` is a folder of Parquet files, one per table (``<folder>/<table>.parquet``, the
table names and columns of :func:`toolkit.data.load`, as ``python -m toolkit convert``
writes them), or an :class:`toolkit.data.EvaluationData` already in memory.

Choosing the engine
-------------------
``engine="pandas"`` calls the toolkit's pandas function (loading the folder with
:func:`toolkit.data.load` first); ``engine="duckdb"`` runs SQL over the Parquet files (a
folder is required); ``engine="auto"`` (the default) picks DuckDB when the Parquet files
the aggregation reads hold more than :data:`AUTO_THRESHOLD_BYTES` (32 MiB) together, and
pandas otherwise (always pandas for data already in memory). 32 MiB of Parquet is about 3
million enrolment or answer rows: a regency's or a small province's data stay in pandas,
where loading takes seconds; above it, loading and validating every row in pandas costs far
more than the aggregation (43 MB of IKM responses, 5 million rows: 44 s through
:func:`toolkit.data.load` against 2 s in DuckDB on the 2-core test machine under load).

DuckDB runs with two threads, a memory limit (``memory_limit=``, default
:data:`MEMORY_LIMIT`) and a temporary folder under the system's temporary directory, removed
afterwards, so that a query larger than memory spills to disk instead of failing. Only
aggregated results (one row per group) are fetched into pandas; confidence intervals and
disclosure suppression (:func:`toolkit.disclosure.suppress`) are then applied to them exactly
as the pandas functions do.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from toolkit import synth
>>> tmp = tempfile.TemporaryDirectory()
>>> folder = Path(tmp.name)
>>> data = synth.generate(seed=7, scale=0.2)
>>> for name, df in data.tables().items():
...     df.to_parquet(folder / f"{name}.parquet")
>>> a = jp_fulfilment(folder, engine="duckdb")
>>> b = jp_fulfilment(data, engine="pandas")
>>> bool((a["n"] == b["n"]).all()), bool(abs(a["mean_jp"] - b["mean_jp"]).max() < 1e-9)
(True, True)
>>> choose_engine(folder, tables=["enrollments"])
'pandas'
>>> tmp.cleanup()
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.disclosure import MIN_GROUP
from toolkit.schema import NA_CODE
from toolkit.validation import as_list, check_one_of

__all__ = [
    "AUTO_THRESHOLD_BYTES",
    "ENGINES",
    "MEMORY_LIMIT",
    "absence_reasons",
    "attendance_summary",
    "choose_engine",
    "costs",
    "ikm",
    "jp_distribution",
    "jp_fulfilment",
    "likert_summary",
    "net_promoter_score",
    "parquet_bytes",
]

#: Engines the functions accept.
ENGINES = ("auto", "pandas", "duckdb")

#: ``engine="auto"`` uses DuckDB when the Parquet files an aggregation reads hold more bytes.
AUTO_THRESHOLD_BYTES = 32 * 2**20

#: DuckDB's default memory limit; beyond it, DuckDB spills to its temporary folder.
MEMORY_LIMIT = "4GB"

#: Default 20 JP targets and non-classical methods (those of :mod:`toolkit.participation`).
_JP_TARGET = 20
_NONCLASSICAL = ("e_learning",)


# --------------------------------------------------------------------------- engine choice
def parquet_bytes(folder, tables: Sequence[str]) -> int:
    """Total size in bytes of ``<folder>/<table>.parquet`` for the tables given (0 if absent).

    Examples
    --------
    >>> parquet_bytes("/nonexistent", ["enrollments"])
    0
    """
    folder = Path(folder)
    return sum(
        (folder / f"{t}.parquet").stat().st_size
        for t in tables
        if (folder / f"{t}.parquet").is_file()
    )


def _is_folder(data) -> bool:
    return isinstance(data, str | Path)


def choose_engine(data, engine: str = "auto", *, tables: Sequence[str] = ()) -> str:
    """The engine an aggregation runs on: ``"pandas"`` or ``"duckdb"``.

    Parameters
    ----------
    data : str, Path or EvaluationData
        A folder of Parquet files, or tables in memory.
    engine : {"auto", "pandas", "duckdb"}
        ``"auto"`` picks DuckDB for a folder whose Parquet files of ``tables`` hold more
        than :data:`AUTO_THRESHOLD_BYTES`, pandas otherwise.
    tables : sequence of str
        The tables the aggregation reads.

    Raises
    ------
    ValueError
        For ``engine="duckdb"`` without a folder of Parquet files.

    Examples
    --------
    >>> choose_engine("/nonexistent", "pandas")
    'pandas'
    """
    check_one_of("engine", engine, ENGINES)
    folder = _is_folder(data)
    if engine == "duckdb":
        if not folder:
            raise ValueError(
                "engine='duckdb' reads a folder of Parquet files (one per table); write "
                "them first with `python -m toolkit convert --data DIR --out DIR.parquet`, "
                "or use engine='pandas' for tables already in memory."
            )
        missing = [t for t in tables if not (Path(data) / f"{t}.parquet").is_file()]
        if missing:
            raise FileNotFoundError(
                f"engine='duckdb' needs {', '.join(f'{t}.parquet' for t in missing)} in "
                f"{str(data)!r}."
            )
        return "duckdb"
    if engine == "pandas" or not folder:
        return "pandas"
    has_all = all((Path(data) / f"{t}.parquet").is_file() for t in tables)
    big = parquet_bytes(data, tables) > AUTO_THRESHOLD_BYTES
    return "duckdb" if has_all and big else "pandas"


def _frames(data, tables: Sequence[str]) -> dict[str, pd.DataFrame]:
    """The tables as pandas frames: from memory, or loaded with :func:`toolkit.data.load`."""
    if _is_folder(data):
        from toolkit import data as data_module
        from toolkit.schema import TABLES

        wanted = list(tables)  # and the tables they refer to, which load() checks against
        for t in wanted:
            wanted += [fk.table for fk in TABLES[t].foreign_keys if fk.table not in wanted]
        data = data_module.load(data, tables=wanted)
    return {t: getattr(data, t) for t in tables}


def _lookup(column: pd.Series, keys: pd.Series, wanted: pd.Series):
    """``column`` (of a table keyed by ``keys``) at the rows whose key is each of ``wanted``;
    missing where a key is not found. Categorical dtypes are kept."""
    pos = pd.Index(keys.astype("str")).get_indexer(wanted.astype("str"))
    taken = column.reset_index(drop=True).take(np.maximum(pos, 0)).reset_index(drop=True)
    return taken.where(pd.Series(pos >= 0)).array


def _with_units(table: pd.DataFrame, units: pd.DataFrame | None, cols) -> pd.DataFrame:
    """``table`` with the ``units`` columns among ``cols`` joined on ``unit_id``."""
    extra = [c for c in cols if units is not None and c in units.columns and c not in table]
    if not extra:
        return table
    return table.assign(**{c: _lookup(units[c], units["unit_id"], table["unit_id"]) for c in extra})


def _attach(answers: pd.DataFrame, frames: dict, by) -> pd.DataFrame:
    """``answers`` (reaction rows) with the session, participant and unit columns of ``by``."""
    df = answers
    for col in as_list(by):
        if col in df.columns:
            continue
        ses, people, units = (frames.get(t) for t in ("sessions", "participants", "units"))
        if ses is not None and col in ses.columns:
            df = df.assign(**{col: _lookup(ses[col], ses["session_id"], df["session_id"])})
        elif people is not None:
            people = _with_units(people, units, [col])
            if col in people.columns:
                found = _lookup(people[col], people["participant_id"], df["participant_id"])
                df = df.assign(**{col: found})
    return df


def _duck():
    from toolkit.engine import _duckdb

    return _duckdb


# --------------------------------------------------------------------------- 20 JP
def jp_fulfilment(
    data,
    *,
    by=None,
    year=None,
    target: float = _JP_TARGET,
    year_by: str = "end",
    nonclassical: Sequence[str] = _NONCLASSICAL,
    confidence: float = 0.95,
    min_group: int = MIN_GROUP,
    engine: str = "auto",
    memory_limit: str = MEMORY_LIMIT,
) -> pd.DataFrame:
    """JP per civil servant per year against the right to 20 JP, per year or per group.

    Everyone in ``participants`` is in scope (0 JP if they attended nothing that year), as
    :func:`toolkit.participation.jp_fulfilment` with ``participants=`` defines it.

    Parameters
    ----------
    data : str, Path or EvaluationData
        Folder of Parquet files or tables in memory; reads ``participants``, ``sessions``,
        ``enrollments`` (and ``units`` when ``by`` names a unit column).
    by : str or list of str, optional
        Columns of ``participants`` (``unit_id``, ``grade``, an ``agency`` or ``region``
        column …) or of ``units`` (joined on ``unit_id``, e.g. ``service_type``).
    year, target, year_by, nonclassical, confidence, min_group
        As in :func:`toolkit.participation.jp_fulfilment`.
    engine : {"auto", "pandas", "duckdb"}
        See the module docstring.
    memory_limit : str
        DuckDB's memory limit (it spills to disk beyond it).

    Returns
    -------
    DataFrame
        Without ``by``: the ``summary`` of :func:`toolkit.participation.jp_fulfilment` (one
        row per year: ``year, n, mean_jp, median_jp, mean_classical, mean_nonclassical,
        n_zero, n_meeting, share_meeting, ci_low, ci_high, total_shortfall, target,
        confidence, ci_method``). With ``by``: its ``groups`` table (the ``by`` columns,
        then the same per group and year, and ``suppressed``: groups of fewer than
        ``min_group`` people, and the next-smallest of the same year, are blanked).

    Examples
    --------
    >>> from toolkit import synth
    >>> out = jp_fulfilment(synth.generate(seed=7, scale=0.2), by="grade", engine="pandas")
    >>> out.columns[:4].tolist()
    ['grade', 'year', 'n', 'mean_jp']
    """
    by = as_list(by)
    tables = ["participants", "sessions", "enrollments"]
    if _needs_units(data, by, ["participants"]):
        tables.append("units")
    args = dict(year=year, target=target, year_by=year_by, nonclassical=tuple(nonclassical),
                confidence=confidence, min_group=min_group)  # fmt: skip
    if choose_engine(data, engine, tables=tables) == "duckdb":
        return _duck().jp_fulfilment(Path(data), by=by, memory_limit=memory_limit, **args)
    from toolkit import participation

    f = _frames(data, tables)
    people = _with_units(f["participants"], f.get("units"), by)
    res = participation.jp_fulfilment(
        f["enrollments"], f["sessions"], participants=people, by=by or None, **args
    )
    return res.groups if by else res.summary


def jp_distribution(
    data,
    *,
    year=None,
    year_by: str = "end",
    nonclassical: Sequence[str] = _NONCLASSICAL,
    bins: Sequence[float] = (10, 20, 40),
    engine: str = "auto",
    memory_limit: str = MEMORY_LIMIT,
) -> pd.DataFrame:
    """People per band of yearly JP (everyone in ``participants``, zeros included).

    Parameters
    ----------
    data : str, Path or EvaluationData
        Reads ``participants``, ``sessions`` and ``enrollments``.
    year, year_by, nonclassical, bins
        As in :func:`toolkit.participation.jp_fulfilment`.
    engine, memory_limit
        See :func:`jp_fulfilment`.

    Returns
    -------
    DataFrame
        The ``distribution`` of :func:`toolkit.participation.jp_fulfilment`: ``year, bin,
        lower, upper, n, share`` with the bands 0, (0, b1), [b1, b2) … [bk, inf).

    Examples
    --------
    >>> from toolkit import synth
    >>> out = jp_distribution(synth.generate(seed=7, scale=0.2), engine="pandas")
    >>> out["bin"].unique().tolist()
    ['0', '(0, 10)', '[10, 20)', '[20, 40)', '≥ 40']
    """
    tables = ["participants", "sessions", "enrollments"]
    args = dict(year=year, year_by=year_by, nonclassical=tuple(nonclassical), bins=bins)
    if choose_engine(data, engine, tables=tables) == "duckdb":
        return _duck().jp_distribution(Path(data), memory_limit=memory_limit, **args)
    from toolkit import participation

    f = _frames(data, tables)
    res = participation.jp_fulfilment(
        f["enrollments"], f["sessions"], participants=f["participants"], min_group=0, **args
    )
    return res.distribution


def _needs_units(data, by, first: Sequence[str]) -> bool:
    """Whether a ``by`` column is found in ``units`` only (not in the ``first`` tables)."""
    if not by:
        return False
    if _is_folder(data):
        return _duck().needs_units(Path(data), by, first)
    return any(
        all(c not in getattr(data, t).columns for t in first) and c in data.units.columns
        for c in by
    )


# --------------------------------------------------------------------------- attendance
def attendance_summary(
    data,
    *,
    by=None,
    confidence: float = 0.95,
    min_group: int = MIN_GROUP,
    engine: str = "auto",
    memory_limit: str = MEMORY_LIMIT,
) -> pd.DataFrame:
    """Invited, attended, completed, missed and JP delivered against planned, per group.

    Parameters
    ----------
    data : str, Path or EvaluationData
        Reads ``enrollments``, ``sessions``, ``participants`` (and ``units`` for unit
        columns).
    by : str or list of str, optional
        Columns of the enrolments, sessions (``method``, ``schedule``, ``provider`` …),
        participants (``unit_id``, ``grade`` …) or units (``service_type`` …).
    confidence, min_group
        As in :func:`toolkit.participation.attendance_summary`.
    engine, memory_limit
        See :func:`jp_fulfilment`.

    Returns
    -------
    DataFrame
        The table of :func:`toolkit.participation.attendance_summary`.

    Examples
    --------
    >>> from toolkit import synth
    >>> out = attendance_summary(synth.generate(seed=7, scale=0.2), by="schedule",
    ...                          engine="pandas")
    >>> int(out["n_invited"].sum()) > 0
    True
    """
    by = as_list(by)
    tables = ["enrollments", "sessions", "participants"]
    if _needs_units(data, by, ["enrollments", "sessions", "participants"]):
        tables.append("units")
    if choose_engine(data, engine, tables=tables) == "duckdb":
        return _duck().attendance_summary(
            Path(data), by=by, confidence=confidence, min_group=min_group,
            memory_limit=memory_limit,
        )  # fmt: skip
    from toolkit import participation

    f = _frames(data, tables)
    people = _with_units(f["participants"], f.get("units"), by)
    return participation.attendance_summary(
        f["enrollments"], f["sessions"], participants=people, by=by or None,
        confidence=confidence, min_group=min_group,
    )  # fmt: skip


def absence_reasons(
    data,
    *,
    by=None,
    groups=None,
    confidence: float = 0.95,
    min_group: int = MIN_GROUP,
    engine: str = "auto",
    memory_limit: str = MEMORY_LIMIT,
) -> pd.DataFrame:
    """Shares of each reason for missed hours and of groups of reasons, per group.

    Parameters
    ----------
    data : str, Path or EvaluationData
        Reads ``enrollments``, ``sessions``, ``participants`` (and ``units``).
    by : str or list of str, optional
        As in :func:`attendance_summary`.
    groups : mapping, optional
        Reason -> group (:data:`toolkit.participation.REASON_GROUPS` by default).
    confidence, min_group
        As in :func:`toolkit.participation.absence_reasons`.
    engine, memory_limit
        See :func:`jp_fulfilment`.

    Returns
    -------
    DataFrame
        The table of :func:`toolkit.participation.absence_reasons`.

    Examples
    --------
    >>> from toolkit import synth
    >>> out = absence_reasons(synth.generate(seed=7, scale=0.2), engine="pandas")
    >>> sorted(set(out["kind"]))
    ['group', 'reason']
    """
    by = as_list(by)
    tables = ["enrollments", "sessions", "participants"]
    if _needs_units(data, by, ["enrollments", "sessions", "participants"]):
        tables.append("units")
    if choose_engine(data, engine, tables=tables) == "duckdb":
        return _duck().absence_reasons(
            Path(data), by=by, groups=groups, confidence=confidence, min_group=min_group,
            memory_limit=memory_limit,
        )  # fmt: skip
    from toolkit import participation

    f = _frames(data, tables)
    people = _with_units(f["participants"], f.get("units"), by)
    return participation.absence_reasons(
        f["enrollments"], f["sessions"], participants=people, by=by or None, groups=groups,
        confidence=confidence, min_group=min_group,
    )  # fmt: skip


# --------------------------------------------------------------------------- reaction
def likert_summary(
    data,
    *,
    by=None,
    items=None,
    reverse: bool = False,
    confidence: float = 0.95,
    na_code: int = NA_CODE,
    engine: str = "auto",
    memory_limit: str = MEMORY_LIMIT,
) -> pd.DataFrame:
    """Per-item Likert summary of the reaction answers (every scale point), per group.

    Parameters
    ----------
    data : str, Path or EvaluationData
        Reads ``reaction`` and ``instruments`` (the item scales), plus ``sessions``,
        ``participants`` and ``units`` when ``by`` names their columns.
    by : str or list of str, optional
        Columns of ``reaction`` (``session_id``), of ``sessions`` (``program``,
        ``provider``, ``method`` …), of ``participants`` (``unit_id`` …) or of ``units``.
    items : str or list of str, optional
        Items to summarise; every item with answers by default.
    reverse, confidence, na_code
        As in :func:`toolkit.reaction.likert_summary`.
    engine, memory_limit
        See :func:`jp_fulfilment`.

    Returns
    -------
    DataFrame
        The table of :func:`toolkit.reaction.likert_summary` (with ``instruments`` giving
        each item's scale).

    Examples
    --------
    >>> from toolkit import synth
    >>> out = likert_summary(synth.generate(seed=7, scale=0.2), by="provider",
    ...                      items=["R01"], engine="pandas")
    >>> out[["provider", "item_code"]].shape[1]
    2
    """
    by = as_list(by)
    tables = _answer_tables(data, by)
    if choose_engine(data, engine, tables=tables) == "duckdb":
        return _duck().likert_summary(
            Path(data), by=by, items=items, reverse=reverse, confidence=confidence,
            na_code=na_code, memory_limit=memory_limit,
        )  # fmt: skip
    from toolkit import reaction

    f = _frames(data, tables)
    df = _attach(f["reaction"], f, by)
    return reaction.likert_summary(
        df, items=items, by=by or None, instruments=f["instruments"], reverse=reverse,
        confidence=confidence, na_code=na_code,
    )  # fmt: skip


def net_promoter_score(
    data,
    *,
    by=None,
    item: str | None = None,
    confidence: float = 0.95,
    method: str = "adjusted_wald",
    n_boot: int = 2000,
    seed: int | None = 0,
    na_code: int = NA_CODE,
    engine: str = "auto",
    memory_limit: str = MEMORY_LIMIT,
) -> pd.DataFrame:
    """Learning Net Promoter Score of the 0-10 item, with an interval, per group.

    Parameters
    ----------
    data : str, Path or EvaluationData
        As in :func:`likert_summary`.
    by : str or list of str, optional
        As in :func:`likert_summary`.
    item, confidence, method, n_boot, seed, na_code
        As in :func:`toolkit.reaction.net_promoter_score` (the item is found from
        ``instruments`` when not given).
    engine, memory_limit
        See :func:`jp_fulfilment`.

    Returns
    -------
    DataFrame
        The table of :func:`toolkit.reaction.net_promoter_score`.

    Examples
    --------
    >>> from toolkit import synth
    >>> out = net_promoter_score(synth.generate(seed=7, scale=0.2), by="provider",
    ...                          engine="pandas")
    >>> bool((out["estimate"].abs() <= 100).all())
    True
    """
    by = as_list(by)
    tables = _answer_tables(data, by)
    if choose_engine(data, engine, tables=tables) == "duckdb":
        return _duck().net_promoter_score(
            Path(data), by=by, item=item, confidence=confidence, method=method,
            n_boot=n_boot, seed=seed, na_code=na_code, memory_limit=memory_limit,
        )  # fmt: skip
    from toolkit import reaction

    f = _frames(data, tables)
    df = _attach(f["reaction"], f, by)
    return reaction.net_promoter_score(
        df, item=item, by=by or None, instruments=f["instruments"], confidence=confidence,
        method=method, n_boot=n_boot, seed=seed, na_code=na_code,
    )  # fmt: skip


def _answer_tables(data, by) -> list[str]:
    tables = ["reaction", "instruments"]
    if not by:
        return tables
    if _is_folder(data):
        return [*tables, *_duck().answer_tables(Path(data), by)]
    need = []
    for col in by:
        if col in data.reaction.columns:
            continue
        if col in data.sessions.columns:
            need.append("sessions")
        elif col in data.participants.columns:
            need.append("participants")
        elif col in data.units.columns:
            need += ["participants", "units"]
    return [*tables, *dict.fromkeys(need)]


# --------------------------------------------------------------------------- IKM
def ikm(
    data,
    *,
    by=("unit_id", "period"),
    weights="exact",
    elements=None,
    engine: str = "auto",
    memory_limit: str = MEMORY_LIMIT,
) -> pd.DataFrame:
    """Public satisfaction index (IKM, PermenPANRB 14/2017) per unit x period, or other groups.

    Parameters
    ----------
    data : str, Path or EvaluationData
        Reads ``ikm_responses`` (and ``units`` when ``by`` names a unit column such as
        ``service_type`` or a ``region``).
    by : str or list of str, default ("unit_id", "period")
        Columns of ``ikm_responses`` or of ``units`` (joined on ``unit_id``).
    weights, elements
        As in :func:`toolkit.results.ikm`.
    engine, memory_limit
        See :func:`jp_fulfilment`.

    Returns
    -------
    DataFrame
        The table of :func:`toolkit.results.ikm`.

    Examples
    --------
    >>> from toolkit import synth
    >>> out = ikm(synth.generate(seed=7, scale=0.2), engine="pandas")
    >>> out.columns[:4].tolist()
    ['unit_id', 'period', 'n', 'n_complete']
    """
    by = as_list(list(by) if isinstance(by, tuple) else by)
    tables = ["ikm_responses"]
    if _needs_units(data, by, ["ikm_responses"]):
        tables.append("units")
    if choose_engine(data, engine, tables=tables) == "duckdb":
        return _duck().ikm(
            Path(data), by=by, weights=weights, elements=elements, memory_limit=memory_limit
        )
    from toolkit import results

    f = _frames(data, tables)
    df = f["ikm_responses"]
    if "units" in f:
        df = _with_units(df, f["units"], by)
    return results.ikm(df, by=by or None, weights=weights, elements=elements)


# --------------------------------------------------------------------------- costs
COST_COLUMNS = (
    "n_sessions", "cost_idr", "n_enrolled", "n_attended", "n_completed", "jp_delivered",
    "cost_per_participant", "cost_per_jp_delivered", "cost_per_completion",
)  # fmt: skip


def costs(
    data,
    *,
    by="provider",
    categories="budget",
    engine: str = "auto",
    memory_limit: str = MEMORY_LIMIT,
) -> pd.DataFrame:
    """Cost per participant, per participant-JP and per completion, per group of sessions.

    Parameters
    ----------
    data : str, Path or EvaluationData
        Reads ``costs``, ``sessions`` and ``enrollments``.
    by : str or list of str, default "provider"
        Columns of ``sessions`` (``provider``, ``program``, ``method``, ``schedule``), or
        None for one row.
    categories : {"budget", "all"} or list of str
        Session-level cost categories counted, as in
        :func:`toolkit.providers.session_table` (``"budget"``: facilitator fees,
        materials, venue and catering, travel).
    engine, memory_limit
        See :func:`jp_fulfilment`.

    Returns
    -------
    DataFrame
        One row per group (sorted as ``groupby``): the ``by`` columns, ``n_sessions``,
        ``cost_idr`` (first-year charged amounts of the session cost lines, as
        :func:`toolkit.roi.fully_loaded_costs` charges them), ``n_enrolled``,
        ``n_attended`` (invitations with some JP attended), ``n_completed``,
        ``jp_delivered`` (participant-JP attended), and ``cost_per_participant``,
        ``cost_per_jp_delivered``, ``cost_per_completion``: the ratios of sums of
        :func:`toolkit.providers.cost_per_outcome` (infinite when the denominator is 0),
        without its bootstrap intervals.

    Notes
    -----
    The pandas engine builds :func:`toolkit.providers.session_table` (one row per session)
    and sums it per group: cost per participant :math:`\\sum_s C_s / \\sum_s n_s` over the
    group's sessions, likewise per JP and per completion.

    Examples
    --------
    >>> from toolkit import synth
    >>> out = costs(synth.generate(seed=7, scale=0.2), engine="pandas")
    >>> out.columns[:3].tolist()
    ['provider', 'n_sessions', 'cost_idr']
    """
    by = as_list(by)
    tables = ["costs", "sessions", "enrollments"]
    if choose_engine(data, engine, tables=tables) == "duckdb":
        return _duck().costs(Path(data), by=by, categories=categories, memory_limit=memory_limit)
    from toolkit import providers

    f = _frames(data, tables)
    table = providers.session_table(
        f["costs"], f["enrollments"], f["sessions"], categories=categories
    )
    for col in by:  # the session columns with their loaded dtypes
        table[col] = f["sessions"][col].reset_index(drop=True).array
    from toolkit.grouping import check_by, group_codes, group_sums

    by = check_by(table, by, reserved=COST_COLUMNS)
    codes, keys = group_codes(table, by)
    ng = len(keys)
    cols = ["cost_idr", "n_enrolled", "n_attended", "n_completed", "jp_delivered"]
    vals = np.column_stack([np.ones(len(table)), table[cols].to_numpy(dtype="float64")])
    return _cost_frame(keys, group_sums(codes, ng, vals).reshape(ng, -1).T)


def _cost_frame(keys: pd.DataFrame, sums) -> pd.DataFrame:
    """The cost table from per-group sums (sessions, cost, enrolled, attended, completed,
    JP delivered): shared by both engines."""
    n_s, cost, n_enr, n_att, n_done, jp = (np.asarray(v, dtype="float64") for v in sums)
    out = keys.copy()
    out["n_sessions"] = n_s.astype(np.int64)
    out["cost_idr"] = cost
    out["n_enrolled"] = n_enr.astype(np.int64)
    out["n_attended"] = n_att.astype(np.int64)
    out["n_completed"] = n_done.astype(np.int64)
    out["jp_delivered"] = jp
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, den in (("participant", n_att), ("jp_delivered", jp), ("completion", n_done)):
            out[f"cost_per_{name}"] = np.where(den > 0, cost / np.where(den > 0, den, 1), np.inf)
    return out
