"""The DuckDB side of :mod:`toolkit.engine`: SQL over Parquet, finished in NumPy.

Each function builds one or two SQL queries that reduce the big tables (enrolments,
answers, IKM responses) to one row per group, or per group and answer value, inside DuckDB;
only those aggregates are fetched. The last steps (intervals, the Likert and NPS figures,
grades, disclosure suppression) are the same NumPy operations as in the pandas functions,
applied to the aggregated counts, so that both engines give the same table. Group keys get
the dtypes :func:`toolkit.data.load` gives them (categories of the schema, or the sorted
values present), and rows the order of :func:`toolkit.grouping.group_codes`.

Examples
--------
>>> quote("it's")
"'it''s'"
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.disclosure import suppress
from toolkit.grouping import check_by
from toolkit.intervals import wilson_interval
from toolkit.participation import (
    ATTENDANCE_COLUMNS,
    REASON_COLUMNS,
    REASON_GROUPS,
    jp_share_interval,
    reasons_table,
)
from toolkit.schema import ABSENCE_REASONS, TABLES
from toolkit.validation import check_columns, check_number, check_one_of

__all__ = [
    "absence_reasons", "attendance_summary", "connect", "costs", "ikm", "jp_distribution",
    "jp_fulfilment",
    "likert_summary", "net_promoter_score", "quote",
]  # fmt: skip

THREADS = 2


# --------------------------------------------------------------------------- connection
def quote(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


@contextlib.contextmanager
def connect(folder: Path, tables: Sequence[str], memory_limit: str) -> Iterator:
    """A DuckDB connection with one view per table over ``<folder>/<table>.parquet``.

    Two threads, ``memory_limit``, and a temporary folder under the system's temporary
    directory (for spilling), removed when the connection closes.
    """
    import duckdb

    tmp = tempfile.mkdtemp(prefix="toolkit-duckdb-")
    con = None
    try:
        con = duckdb.connect(
            config={
                "threads": THREADS,
                "memory_limit": str(memory_limit),
                "temp_directory": tmp,
                "preserve_insertion_order": False,
            }
        )
        con.execute("SET enable_progress_bar = false")  # nothing on stderr
        for t in tables:
            path = Path(folder) / f"{t}.parquet"
            con.execute(f"CREATE VIEW {ident(t)} AS SELECT * FROM read_parquet({quote(path)})")
        yield con
    finally:
        if con is not None:
            con.close()
        shutil.rmtree(tmp, ignore_errors=True)


def columns_of(folder: Path, table: str) -> list[str]:
    """Column names of a Parquet table (from its footer, no data read)."""
    import pyarrow.parquet as pq

    path = Path(folder) / f"{table}.parquet"
    return list(pq.read_schema(path).names) if path.is_file() else []


def needs_units(folder: Path, by, first: Sequence[str]) -> bool:
    """Whether a ``by`` column is found in ``units`` only."""
    cols = {c for t in first for c in columns_of(folder, t)}
    units = set(columns_of(folder, "units"))
    return any(c not in cols and c in units for c in by)


def answer_tables(folder: Path, by) -> list[str]:
    """The tables besides ``reaction`` that the ``by`` columns of an answer table come from."""
    need = []
    own = set(columns_of(folder, "reaction"))
    ses, ppl = set(columns_of(folder, "sessions")), set(columns_of(folder, "participants"))
    units = set(columns_of(folder, "units"))
    for col in by:
        if col in own:
            continue
        if col in ses:
            need.append("sessions")
        elif col in ppl:
            need.append("participants")
        elif col in units:
            need += ["participants", "units"]
    return list(dict.fromkeys(need))


def _sources(folder: Path, by, order: Sequence[str]) -> dict[str, str]:
    """Table each ``by`` column is taken from: the first of ``order`` that has it."""
    cols = {t: columns_of(folder, t) for t in order}
    out = {}
    for col in by:
        for t in order:
            if col in cols[t]:
                out[col] = t
                break
    return out


def _check_by(folder: Path, by, order: Sequence[str], reserved) -> tuple[list[str], dict]:
    """Validate ``by`` as :func:`toolkit.grouping.check_by` does on the joined table."""
    present = list(dict.fromkeys(c for t in order for c in columns_of(folder, t)))
    by = check_by(pd.DataFrame(columns=present), by, reserved=reserved)
    return by, _sources(folder, by, order)


def _fetch(con, sql: str, params=None) -> pd.DataFrame:
    """An aggregated result as a pandas frame (numeric columns as NumPy dtypes)."""
    return con.execute(sql, params or []).df()


def _typed_keys(con, raw: pd.DataFrame, sources: Mapping[str, str]) -> pd.DataFrame:
    """The key columns of ``raw`` with the dtypes :func:`toolkit.data.load` gives them."""
    out = raw.copy()
    for col, table in sources.items():
        spec = {c.name: c for c in TABLES[table].columns} if table in TABLES else {}
        c = spec.get(col)
        values = out[col]
        if c is not None and c.dtype == "category":
            cats = c.categories
            if cats is None:  # open vocabulary: the sorted values of the whole column
                q = f"SELECT DISTINCT {ident(col)} FROM {ident(table)} WHERE {ident(col)} IS NOT NULL"
                cats = sorted(str(v) for v in con.execute(q).fetchnumpy()[col].tolist())
            out[col] = pd.Categorical(values.astype("str"), categories=list(cats))
        elif c is not None:
            out[col] = values.astype(c.dtype)
        elif values.dtype == object:
            out[col] = values.astype("str")
    return out


def _sorted(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Rows in key order (categoricals by category), as ``group_codes`` numbers groups."""
    if not keys or frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(list(keys), kind="stable").reset_index(drop=True)


def _not_null(cols: Sequence[str], alias: str = "") -> str:
    pre = f"{alias}." if alias else ""
    return " AND ".join(f"{pre}{ident(c)} IS NOT NULL" for c in cols) or "TRUE"


def _select(cols: Sequence[str], alias: str = "") -> str:
    pre = f"{alias}." if alias else ""
    return "".join(f"{pre}{ident(c)}, " for c in cols)


def _group(cols: Sequence[str]) -> str:
    return ("GROUP BY " + ", ".join(ident(c) for c in cols)) if cols else ""


def _suppress(out, people, keep, min_group, within=None, force=None) -> pd.DataFrame:
    """As ``toolkit.participation``: primary and complementary suppression by ``people``."""
    counted = out.assign(_people=np.asarray(people, dtype="float64"))
    counted = suppress(
        counted, "_people", within=within, min_group=min_group, keep=keep, force=force
    )
    return counted.drop(columns=["_people", "suppression", "total_suppressed"])


def _check_common(confidence, min_group) -> None:
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_number("min_group", min_group, low=0)


def _enrolment_view(by: list[str], sources: Mapping[str, str]) -> str:
    """SQL of the enrolments joined to sessions, participants and units for ``by``."""
    tables = set(sources.values())
    alias = {"enrollments": "e", "sessions": "s", "participants": "p", "units": "u"}
    cols = [f"{alias[sources[c]]}.{ident(c)} AS {ident(c)}" for c in by]
    joins = "JOIN sessions s ON s.session_id = e.session_id"
    if tables & {"participants", "units"}:
        joins += " LEFT JOIN participants p ON p.participant_id = e.participant_id"
    if "units" in tables:
        joins += " LEFT JOIN units u ON u.unit_id = p.unit_id"
    sql = (
        "SELECT e.participant_id, e.attended_jp AS a, CAST(s.jp AS DOUBLE) AS p, "
        "coalesce(e.completed, FALSE) AS done, CAST(e.absence_reason AS VARCHAR) AS reason"
        + "".join(", " + c for c in cols)
        + f" FROM enrollments e {joins}"
    )
    return sql


def _distinct_people(by: Sequence[str], source: str) -> str:
    """SQL of the distinct people per group of ``by`` in ``source`` (two spillable
    aggregations rather than ``count(DISTINCT)``, which cannot spill to disk)."""
    keys = _select(by)
    return (
        f"SELECT {keys} count(*) AS people FROM (SELECT DISTINCT {keys} participant_id "
        f"FROM {source}) {_group(by)}"
    )


def _check_known(con, key: str, table: str, known: str) -> None:
    """Raise when ``enrollments`` names a ``key`` that is not among ``known`` (SQL)."""
    bad = con.execute(
        f"SELECT d.k FROM (SELECT DISTINCT CAST({key} AS VARCHAR) AS k FROM enrollments) d "
        f"ANTI JOIN ({known}) t ON CAST(t.{key} AS VARCHAR) = d.k ORDER BY d.k LIMIT 3"
    ).fetchall()
    if bad:
        raise ValueError(
            f"`enrollments` names {table} {[b[0] for b in bad]} that are not in `{table}`; "
            f"pass the full {table} table."
        )


def _check_sessions(con) -> None:
    _check_known(con, "session_id", "sessions", "SELECT session_id FROM sessions")


# --------------------------------------------------------------------------- 20 JP
def _session_years(year_by: str, nonclassical: Sequence[str]) -> str:
    """SQL of ``session_id, year, share, ncl``: :func:`toolkit.jp_units.jp_by_year`."""
    ncl = "FALSE" if not nonclassical else (
        "CAST(method AS VARCHAR) IN (" + ", ".join(quote(m) for m in nonclassical) + ")"
    )  # fmt: skip
    base = (
        f"SELECT CAST(session_id AS VARCHAR) AS session_id, CAST(start_date AS DATE) AS d0, "
        f"CAST(end_date AS DATE) AS d1, coalesce({ncl}, FALSE) AS ncl FROM sessions"
    )
    if year_by == "end":
        return f"SELECT session_id, year(d1) AS year, 1.0 AS share, ncl FROM ({base})"
    if year_by == "start":
        return f"SELECT session_id, year(d0) AS year, 1.0 AS share, ncl FROM ({base})"
    return (
        "SELECT session_id, year, CAST(least(d1, make_date(year, 12, 31)) - "
        "greatest(d0, make_date(year, 1, 1)) + 1 AS DOUBLE) / CAST(d1 - d0 + 1 AS DOUBLE) "
        f"AS share, ncl FROM (SELECT *, unnest(range(year(d0), year(d1) + 1)) AS year FROM "
        f"({base}))"
    )


def _fulfil_frame(keys: pd.DataFrame, s: pd.DataFrame, target, confidence) -> pd.DataFrame:
    """``toolkit.participation._fulfil_summary`` from the per-group sums of SQL."""
    n = s["n"].to_numpy(dtype="float64")
    n_meet = s["n_meet"].to_numpy(dtype="float64")
    low, high = wilson_interval(n_meet, n, confidence=confidence)
    s_tot, s_cl, s_ncl = (s[c].to_numpy(dtype="float64") for c in ("s_tot", "s_cl", "s_ncl"))
    with np.errstate(invalid="ignore", divide="ignore"):
        return keys.assign(
            n=n.astype(np.int64), mean_jp=s_tot / n, median_jp=s["med"].to_numpy("float64"),
            mean_classical=s_cl / n, mean_nonclassical=s_ncl / n,
            n_zero=s["n_zero"].to_numpy(dtype=np.int64), n_meeting=n_meet.astype(np.int64),
            share_meeting=n_meet / n, ci_low=low, ci_high=high,
            total_shortfall=s["short"].to_numpy("float64"), target=float(target),
            confidence=confidence, ci_method="wilson",
        )  # fmt: skip


def _person_years(con, by, sources, tables, year, year_by, nonclassical) -> str:
    """Checks, then the temporary tables ``sy`` (session years) and ``pp`` (JP of every
    person-year with any), and the SQL ``WITH`` clause of ``full_``: every person in
    ``participants`` x every reported year, with ``tot``, ``cl``, ``ncl`` and the ``by``
    columns (zeros for those who attended nothing)."""
    dup = con.execute(
        "SELECT count(*) - count(DISTINCT participant_id) FROM participants"
    ).fetchone()[0]
    if dup:
        raise ValueError("`participants` has duplicated participant_id values.")
    bad = con.execute(
        "SELECT count(*) FROM sessions WHERE start_date IS NULL OR end_date IS NULL "
        "OR end_date < start_date"
    ).fetchone()[0]
    if bad:
        raise ValueError(
            "`sessions` needs a start_date and an end_date not before it on every row."
        )
    # the session years (small), then every person-year's JP (one pass over enrolments)
    con.execute(f"CREATE TEMP TABLE sy AS {_session_years(year_by, nonclassical)}")
    _check_known(con, "session_id", "sessions", "SELECT session_id FROM sy")
    con.execute(
        """CREATE TEMP TABLE pp AS
        SELECT CAST(e.participant_id AS VARCHAR) AS pid, sy.year,
               sum(CASE WHEN sy.ncl THEN 0.0 ELSE e.attended_jp * sy.share END) AS cl,
               sum(CASE WHEN sy.ncl THEN e.attended_jp * sy.share ELSE 0.0 END) AS ncl
        FROM enrollments e JOIN sy ON sy.session_id = CAST(e.session_id AS VARCHAR)
        GROUP BY ALL"""
    )
    miss = con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT pid FROM pp) d ANTI JOIN participants t "
        "ON CAST(t.participant_id AS VARCHAR) = d.pid"
    ).fetchone()[0]
    if miss:
        raise ValueError(
            f"`enrollments` names {miss} people missing from `participants`; pass all of it."
        )
    if year is None:
        years = sorted(
            int(v) for v in con.execute("SELECT DISTINCT year FROM sy").fetchnumpy()["year"]
        )
    else:
        years = [int(y) for y in np.atleast_1d(year)]
    ulist = "[" + ", ".join(str(y) for y in years) + "]::BIGINT[]"
    ppl_cols = "".join(
        f", {'u' if sources[c] == 'units' else 'p'}.{ident(c)} AS {ident(c)}" for c in by
    )
    ujoin = " LEFT JOIN units u ON u.unit_id = p.unit_id" if "units" in tables else ""
    body = f"""
        WITH yrs AS (SELECT unnest({ulist}) AS year),
        people AS (
            SELECT CAST(p.participant_id AS VARCHAR) AS pid{ppl_cols}
            FROM participants p{ujoin}),
        full_ AS (
            SELECT people.*, yrs.year, coalesce(pp.cl, 0.0) + coalesce(pp.ncl, 0.0) AS tot,
                   coalesce(pp.cl, 0.0) AS cl, coalesce(pp.ncl, 0.0) AS ncl
            FROM people CROSS JOIN yrs
            LEFT JOIN pp ON pp.pid = people.pid AND pp.year = yrs.year)
    """
    return body


def jp_distribution(folder: Path, *, year, year_by, nonclassical, bins, memory_limit):
    """SQL version of :func:`toolkit.engine.jp_distribution` (see there)."""
    check_one_of("year_by", year_by, ("end", "start", "prorate"))
    edges = [float(b) for b in bins]
    if not edges or edges[0] <= 0 or edges != sorted(set(edges)):
        raise ValueError("`bins` must be increasing positive numbers, e.g. (10, 20, 40).")
    tables = ["participants", "sessions", "enrollments"]
    # band 0: no JP; then 1 + the number of edges at or below the total (searchsorted right)
    band = "CASE WHEN tot <= 0 THEN 0 ELSE 1" + "".join(
        f" + CAST(tot >= {e!r} AS INTEGER)" for e in edges
    ) + " END"  # fmt: skip
    with connect(folder, tables, memory_limit) as con:
        body = _person_years(con, [], {}, tables, year, year_by, nonclassical)
        raw = _fetch(con, f"{body} SELECT year, {band} AS band, count(*) AS n "
                          "FROM full_ GROUP BY ALL")  # fmt: skip
        years = [int(y) for y in con.execute(body + " SELECT year FROM yrs").fetchnumpy()["year"]]
    labels = ["0", f"(0, {edges[0]:g})"]
    labels += [f"[{a:g}, {b:g})" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    labels.append(f"≥ {edges[-1]:g}")
    ny, nb = len(years), len(labels)
    counts = np.zeros((ny, nb), dtype=np.int64)
    yi = pd.Index(years).get_indexer(raw["year"].astype(np.int64))
    np.add.at(counts, (yi, raw["band"].to_numpy(np.int64)), raw["n"].to_numpy(np.int64))
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame({
            "year": np.repeat(years, nb), "bin": np.tile(labels, ny),
            "lower": np.tile([0.0, 0.0, *edges], ny), "upper": np.tile([0.0, *edges, np.inf], ny),
            "n": counts.ravel(), "share": (counts / counts.sum(axis=1, keepdims=True)).ravel(),
        })  # fmt: skip


def jp_fulfilment(
    folder: Path, *, by, year, target, year_by, nonclassical, confidence, min_group,
    memory_limit,
) -> pd.DataFrame:  # fmt: skip
    """SQL version of :func:`toolkit.engine.jp_fulfilment` (see there)."""
    check_number("target", target, low=0, low_open=True)
    _check_common(confidence, min_group)
    check_one_of("year_by", year_by, ("end", "start", "prorate"))
    order = ["participants", "units"]
    by, sources = _check_by(folder, by, order, ("participant_id", "year"))
    tables = ["participants", "sessions", "enrollments"] + (
        ["units"] if "units" in sources.values() else []
    )
    with connect(folder, tables, memory_limit) as con:
        body = _person_years(con, by, sources, tables, year, year_by, nonclassical)
        t = float(target)

        def summary(keys: list[str], where: str) -> pd.DataFrame:
            sql = f"""{body}
                SELECT {_select(keys)} count(*) AS n, sum(tot) AS s_tot, sum(cl) AS s_cl,
                       sum(ncl) AS s_ncl, count_if(tot = 0) AS n_zero,
                       count_if(tot >= {t!r} - 1e-9) AS n_meet,
                       sum(greatest({t!r} - tot, 0.0)) AS short,
                       quantile_cont(tot, 0.5) AS med
                FROM full_ WHERE {where} {_group(keys)}"""
            raw = _fetch(con, sql)
            raw["year"] = raw["year"].astype(np.int64)
            raw = _sorted(_typed_keys(con, raw, sources), keys)
            return _fulfil_frame(raw[keys], raw, target, confidence)

        if not by:
            return summary(["year"], "TRUE")
        groups = summary([*by, "year"], _not_null(by))
    return _suppress(groups, groups["n"], [*by, "year", "target"], min_group, "year")


# --------------------------------------------------------------------------- attendance

_ENROLMENT_ORDER = ("enrollments", "sessions", "participants", "units")


def _tables_for(sources: Mapping[str, str]) -> list[str]:
    tables = ["enrollments", "sessions", "participants"]
    return tables + (["units"] if "units" in sources.values() else [])


def attendance_summary(folder: Path, *, by, confidence, min_group, memory_limit):
    """SQL version of :func:`toolkit.engine.attendance_summary` (see there)."""
    _check_common(confidence, min_group)
    by, sources = _check_by(folder, by, _ENROLMENT_ORDER, ATTENDANCE_COLUMNS)
    with connect(folder, _tables_for(sources), memory_limit) as con:
        _check_sessions(con)
        nulls = con.execute("SELECT count(*) FROM enrollments WHERE attended_jp IS NULL")
        if nulls.fetchone()[0]:
            raise ValueError("`enrollments.attended_jp` has missing values; use 0 for no-shows.")
        view = _enrolment_view(by, sources)
        keys = _select(by)
        using = " AND ".join(f"g.{ident(c)} = x.{ident(c)}" for c in by) or "TRUE"
        sql = f"""
            WITH x AS (SELECT * FROM ({view}) WHERE {_not_null(by)}),
            g AS (
                SELECT {keys} count(*) AS n, count_if(a > 0) AS n_att, count_if(done) AS n_done,
                       count_if(a < p) AS n_miss, count_if(a = 0) AS n_zero, sum(p) AS jp_p,
                       sum(a) AS jp_a
                FROM x {_group(by)}),
            r AS (
                SELECT {_select(by, "g")} sum(d * d) AS resid2 FROM (
                    SELECT g.*, x.a - (g.jp_a / g.jp_p) * x.p AS d
                    FROM x JOIN g ON {using}) g {_group(by)}),
            q AS ({_distinct_people(by, "x")})
            SELECT g.*, r.resid2, q.people FROM g JOIN r ON {using.replace("x.", "r.")}
            JOIN q ON {using.replace("x.", "q.")}
        """
        raw = _sorted(_typed_keys(con, _fetch(con, sql), sources), by)
    n = raw["n"].to_numpy("float64")
    n_att, n_done, n_miss = (raw[c].to_numpy("float64") for c in ("n_att", "n_done", "n_miss"))
    jp_p, jp_a = raw["jp_p"].to_numpy("float64"), raw["jp_a"].to_numpy("float64")
    people = raw["people"].to_numpy("float64")
    out = raw[by].copy() if by else pd.DataFrame(index=pd.RangeIndex(len(raw)))
    out["n_invited"] = n.astype(np.int64)
    out["n_participants"] = people.astype(np.int64)
    for name, count in (("attended", n_att), ("completed", n_done), ("missed", n_miss)):
        low, high = wilson_interval(count, n, confidence=confidence)
        out[f"n_{name}"] = count.astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"{name}_share"] = count / n
        out[f"{name}_ci_low"], out[f"{name}_ci_high"] = low, high
    out["n_no_show"] = raw["n_zero"].to_numpy(np.int64)
    out["jp_planned"], out["jp_delivered"] = jp_p, jp_a
    out["jp_share"], out["jp_ci_low"], out["jp_ci_high"] = jp_share_interval(
        jp_a, jp_p, raw["resid2"].to_numpy("float64"), n, confidence
    )
    out = _suppress(out, people, by, min_group)
    out["confidence"] = confidence
    out["ci_method"] = "wilson (shares); ratio estimator, linearised, t (jp_share)"
    return out[[*by, *ATTENDANCE_COLUMNS]]


# --------------------------------------------------------------------------- reasons


def absence_reasons(folder: Path, *, by, groups, confidence, min_group, memory_limit):
    """SQL version of :func:`toolkit.engine.absence_reasons` (see there)."""
    _check_common(confidence, min_group)
    groups = dict(REASON_GROUPS if groups is None else groups)
    by, sources = _check_by(folder, by, _ENROLMENT_ORDER, REASON_COLUMNS)
    with connect(folder, _tables_for(sources), memory_limit) as con:
        _check_sessions(con)
        view = _enrolment_view(by, sources)
        x = f"(SELECT * FROM ({view}) WHERE {_not_null(by)})"
        cells = _fetch(
            con,
            f"SELECT {_select(by)} reason, count(*) AS c, count_if(a < p) AS miss, "
            f"count_if(a < p AND reason IS NULL) AS unrec FROM {x} "
            f"GROUP BY {', '.join([*map(ident, by), 'reason'])}",
        )
        ppl = _fetch(con, _distinct_people(by, f"(SELECT * FROM {x} WHERE reason IS NOT NULL)"))
        cells = _typed_keys(con, cells, sources)
        ppl = _typed_keys(con, ppl, sources)
    present = sorted(set(cells["reason"].dropna().astype("str")) - set(ABSENCE_REASONS))
    cats = [*ABSENCE_REASONS, *present]
    missing_group = [c for c in cats if c not in groups]
    if missing_group:
        raise ValueError(
            f"`groups` gives no group for reasons {missing_group}; add them, e.g. "
            f"groups={{**REASON_GROUPS, {missing_group[0]!r}: 'other'}}."
        )
    gnames = list(dict.fromkeys(groups[c] for c in cats))
    gi, keys = _group_index(cells, by)  # every group with invitations
    ng = len(keys)
    people = np.zeros(ng)  # distinct people with a recorded reason (0: none recorded)
    if by and len(ppl):
        at = pd.MultiIndex.from_frame(keys.astype(object)).get_indexer(
            pd.MultiIndex.from_frame(ppl[by].astype(object))
        )
        people[at] = ppl["people"].to_numpy("float64")
    elif len(ppl):
        people[:] = ppl["people"].sum()
    rc = pd.Index(cats).get_indexer(cells["reason"].astype("str").where(cells["reason"].notna()))
    c = cells["c"].to_numpy("float64")
    rec = rc >= 0
    counts = np.zeros((ng, len(cats)))
    np.add.at(counts, (gi[rec], rc[rec]), c[rec])
    n_missed = np.bincount(gi, weights=cells["miss"].to_numpy("float64"), minlength=ng)
    n_unrec = np.bincount(gi, weights=cells["unrec"].to_numpy("float64"), minlength=ng)
    return reasons_table(keys, by, counts, cats, groups, gnames, n_missed, n_unrec, people,
                         confidence, min_group)  # fmt: skip


# --------------------------------------------------------------------------- reaction
_ANSWER_ORDER = ("reaction", "sessions", "participants", "units")


def _answer_view(by: list[str], sources: Mapping[str, str]) -> str:
    """SQL of the reaction answers joined to sessions, participants and units for ``by``."""
    tables = set(sources.values())
    alias = {"reaction": "r", "sessions": "s", "participants": "p", "units": "u"}
    cols = [f"{alias[sources[c]]}.{ident(c)} AS {ident(c)}" for c in by]
    joins = ""
    if "sessions" in tables:
        joins += " LEFT JOIN sessions s ON s.session_id = r.session_id"
    if tables & {"participants", "units"}:
        joins += " LEFT JOIN participants p ON p.participant_id = r.participant_id"
    if "units" in tables:
        joins += " LEFT JOIN units u ON u.unit_id = p.unit_id"
    sql = (
        "SELECT CAST(r.item_code AS VARCHAR) AS item, CAST(r.response AS DOUBLE) AS v"
        + "".join(", " + c for c in cols)
        + f" FROM reaction r{joins}"
    )
    return sql


def _answer_tables(sources) -> list[str]:
    t = set(sources.values())
    extra = [x for x in ("sessions", "participants", "units") if x in t]
    if "units" in t and "participants" not in extra:
        extra.insert(-1, "participants")
    return ["reaction", "instruments", *extra]


def _answer_cells(folder, by, reserved, memory_limit, item=None):
    """Counts of every (group, item, response) cell, the key sources and the item bank."""
    by, sources = _check_by(folder, by, _ANSWER_ORDER, reserved)
    with connect(folder, _answer_tables(sources), memory_limit) as con:
        view = _answer_view(by, sources)
        where = _not_null(by)
        if item is not None:
            where += f" AND item = {quote(item)}"
        cells = _fetch(
            con,
            f"SELECT {_select(by)} item, v, count(*) AS c FROM ({view}) WHERE {where} "
            f"GROUP BY {', '.join([*map(ident, by), 'item', 'v'])}",
        )
        cells = _typed_keys(con, cells, sources)
        bank = _fetch(
            con,
            "SELECT CAST(instrument AS VARCHAR) AS instrument, "
            "CAST(item_code AS VARCHAR) AS item_code, CAST(construct AS VARCHAR) AS construct, "
            "scale_min, scale_max, reverse_keyed FROM instruments",
        )
        items_all = sorted(
            str(v)
            for v in con.execute(
                "SELECT DISTINCT CAST(item_code AS VARCHAR) AS i FROM reaction "
                "WHERE item_code IS NOT NULL"
            )
            .fetchnumpy()["i"]
            .tolist()
        )
    return by, cells, bank, items_all


def _group_index(cells: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of every cell (groups in key order) and the table of group keys."""
    if not by:
        return np.zeros(len(cells), dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    keys = _sorted(cells[by].drop_duplicates(), by)
    gi = pd.MultiIndex.from_frame(keys.astype(object)).get_indexer(
        pd.MultiIndex.from_frame(cells[by].astype(object))
    )
    return gi.astype(np.int64), keys


def likert_summary(folder: Path, *, by, items, reverse, confidence, na_code, memory_limit):
    """SQL version of :func:`toolkit.engine.likert_summary` (see there)."""
    from toolkit._items import item_scales
    from toolkit.reaction import SUMMARY_COLUMNS
    from toolkit.validation import as_list, closest

    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_one_of("reverse", reverse, (False, True))
    by, cells, bank, items_all = _answer_cells(
        folder, by, ("item_code", *SUMMARY_COLUMNS), memory_limit
    )
    present = sorted(set(cells["item"].dropna()))
    if items is None:
        names = [i for i in items_all if i in set(present)]
        dtype = pd.CategoricalDtype(items_all)
    else:
        names = [str(i) for i in as_list(items)]
        if len(set(names)) != len(names):
            raise ValueError(f"`items` lists an item more than once: {names!r}.")
        absent = [i for i in names if i not in set(present)]
        if absent:
            near = closest(absent[0], present)
            hint = f" Did you mean {near!r}?" if near else ""
            raise KeyError(
                f"`items` names item {absent[0]!r}, which has no rows in the data.{hint}"
            )
        dtype = pd.CategoricalDtype(names)
    cells = cells[cells["item"].isin(names)].reset_index(drop=True)
    lo_i, hi_i, rev_i = item_scales(pd.Index(names, dtype="str"), bank, None)
    n_items = len(names)
    vmin, vmax = (int(lo_i.min()), int(hi_i.max())) if n_items else (0, -1)
    if vmax >= na_code:
        raise ValueError(f"an item's scale reaches the 'tidak tahu' code {na_code}; fix the bank.")
    k = vmax - vmin + 1
    gi, gkeys = _group_index(cells, by)
    ic = pd.Index(names).get_indexer(cells["item"])
    v = cells["v"].to_numpy("float64")
    c = cells["c"].to_numpy(np.int64)
    missing = np.isnan(v)
    if (~missing & (np.mod(np.nan_to_num(v), 1) != 0)).any():
        raise ValueError("column 'response' must hold whole numbers.")
    vi = np.where(missing, -1, np.nan_to_num(v)).astype(np.int64)
    off = ~missing & (vi != na_code) & ((vi < lo_i[ic]) | (vi > hi_i[ic]))
    if off.any():
        j = int(ic[np.flatnonzero(off)[0]])
        raise ValueError(
            f"{int(c[off].sum())} answer(s) lie off their item's scale and are not the 'tidak "
            f"tahu' code {na_code}: e.g. item {names[j]!r} (scale {lo_i[j]}–{hi_i[j]}) has "
            f"response {vi[off][0]}. Correct the data, or set the right scale in the item bank."
        )
    slot = np.where(missing, k + 1, np.where(vi == na_code, k, vi - vmin))
    cell = gi * max(n_items, 1) + ic
    tally = np.zeros((len(gkeys) * max(n_items, 1), k + 3), dtype=np.int64)
    np.add.at(tally, (cell, slot), c)
    present_cells = np.flatnonzero(tally.sum(axis=1) > 0)
    tally = tally[present_cells]
    item_idx = present_cells % max(n_items, 1)
    keys = gkeys.iloc[present_cells // max(n_items, 1)].reset_index(drop=True)
    keys["item_code"] = pd.Categorical(
        np.asarray(names, dtype=object)[item_idx] if n_items else [], dtype=dtype
    )
    from toolkit.reaction import likert_frame

    return likert_frame(keys, item_idx, lo_i, hi_i, rev_i, tally, reverse, confidence)


def net_promoter_score(
    folder: Path, *, by, item, confidence, method, n_boot, seed, na_code, memory_limit
) -> pd.DataFrame:
    """SQL version of :func:`toolkit.engine.net_promoter_score` (see there)."""
    from toolkit.reaction import NPS_COLUMNS, NPS_METHODS, nps_table
    from toolkit.validation import closest

    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    check_one_of("method", method, NPS_METHODS)
    if method == "bootstrap":
        check_number("n_boot", n_boot, low=100)
        if int(n_boot) != n_boot:
            raise ValueError(f"`n_boot` must be a whole number, but {n_boot!r} was passed.")
    by, cells, bank, items_all = _answer_cells(folder, by, NPS_COLUMNS, memory_limit)
    codes = sorted(set(cells["item"].dropna()))
    if item is not None:
        item = str(item)
        if item not in set(codes):
            near = closest(item, codes)
            hint = f" Did you mean {near!r}?" if near else ""
            raise KeyError(f"`item` {item!r} has no rows in the data.{hint}")
    elif len(codes) == 1:
        item = codes[0]
    else:
        zero_ten = bank[(bank["scale_min"] == 0) & (bank["scale_max"] == 10)]
        cand = sorted(set(zero_ten["item_code"].astype("str")) & set(codes))
        if len(cand) != 1:
            raise ValueError(
                "cannot tell which item is the 0–10 'would you recommend' item: pass "
                f"item=..., one of {codes!r}."
            )
        item = cand[0]
    cells = cells[cells["item"] == item].reset_index(drop=True)
    gid, keys = _group_index(cells, by)
    n_groups = len(keys)
    v = cells["v"].to_numpy("float64")
    c = cells["c"].to_numpy(np.int64)
    missing = np.isnan(v)
    is_na = ~missing & (v == na_code)
    valid = ~missing & ~is_na
    off = valid & ((v < 0) | (v > 10))
    if off.any():
        raise ValueError(
            f"the NPS item {item!r} must be answered 0–10 (or {na_code} = tidak tahu), but "
            f"has {v[off][0]:g}. Is {item!r} the 'would you recommend' item?"
        )
    cat = np.where(v >= 9, 2, np.where(v >= 7, 1, 0))
    counts = (
        np.bincount(
            gid[valid] * 3 + cat[valid].astype(np.int64), weights=c[valid], minlength=n_groups * 3
        )
        .astype(np.int64)
        .reshape(n_groups, 3)
    )
    n_na = np.bincount(gid[is_na], weights=c[is_na], minlength=n_groups).astype(np.int64)
    n_missing = np.bincount(gid[missing], weights=c[missing], minlength=n_groups).astype(np.int64)
    return nps_table(keys, item, counts, n_na, n_missing, confidence=confidence, method=method,
                     n_boot=n_boot, seed=seed)  # fmt: skip


# --------------------------------------------------------------------------- IKM
def ikm(folder: Path, *, by, weights, elements, memory_limit) -> pd.DataFrame:
    """SQL version of :func:`toolkit.engine.ikm` (see there)."""
    from toolkit.results import DEFAULT_ELEMENTS, _weights, ikm_grade
    from toolkit.validation import as_list

    order = ("ikm_responses", "units")
    present = list(dict.fromkeys(c for t in order for c in columns_of(folder, t)))
    by = check_columns(pd.DataFrame(columns=present), by, param="by")
    sources = _sources(folder, by, order)
    elements = list(DEFAULT_ELEMENTS) if elements is None else as_list(elements)
    if not elements:
        raise ValueError("`elements` must name at least one element column, e.g. ['u1', 'u2'].")
    check_columns(pd.DataFrame(columns=columns_of(folder, "ikm_responses")), elements,
                  param="elements")  # fmt: skip
    w, kind = _weights(weights, elements)
    tables = ["ikm_responses"] + (["units"] if "units" in sources.values() else [])
    alias = {"ikm_responses": "r", "units": "u"}
    cols = "".join(f", {alias[sources[c]]}.{ident(c)} AS {ident(c)}" for c in by)
    join = " LEFT JOIN units u ON u.unit_id = r.unit_id" if "units" in tables else ""
    el = "".join(f", CAST(r.{ident(e)} AS DOUBLE) AS {ident(e)}" for e in elements)
    answered = " + ".join(f"CAST(r.{ident(e)} IS NOT NULL AS INTEGER)" for e in elements)
    aggs = []
    for j, e in enumerate(elements):
        x = ident(e)
        off = f"{x} < 1 OR {x} > 4 OR {x} <> floor({x})"
        aggs.append(
            f"sum({x}) AS s{j}, count({x}) AS c{j}, count_if({off}) AS bad{j}, "
            f"min(CASE WHEN {off} THEN {x} END) AS badv{j}"
        )
    sql = f"""
        SELECT {_select(by)} count_if(k > 0) AS n, count_if(k = {len(elements)}) AS n_complete,
               {", ".join(aggs)}
        FROM (SELECT {answered} AS k{el}{cols} FROM ikm_responses r{join})
        WHERE {_not_null(by)} {_group(by)}
    """
    with connect(folder, tables, memory_limit) as con:
        raw = _fetch(con, sql)
        raw = _sorted(_typed_keys(con, raw, sources), by)
    for j, col in enumerate(elements):
        nbad = int(raw[f"bad{j}"].sum()) if len(raw) else 0
        if nbad:
            example = raw[f"badv{j}"].dropna().iloc[0]
            raise ValueError(
                f"IKM element {col!r} must hold whole numbers 1-4 (or be empty when not "
                f"answered), but {nbad} value(s) are not, e.g. {example:g}."
            )
    if not by and raw.empty:
        raw = pd.DataFrame({"n": [0], "n_complete": [0]})
    sums = np.column_stack([raw[f"s{j}"].to_numpy("float64") for j in range(len(elements))])
    counts = np.column_stack([raw[f"c{j}"].to_numpy("float64") for j in range(len(elements))])
    sums = np.nan_to_num(sums)
    with np.errstate(invalid="ignore", divide="ignore"):
        nrr = np.where(counts > 0, sums / np.where(counts > 0, counts, 1), np.nan)
    index = nrr @ w
    converted = 25.0 * index
    grades = ikm_grade(converted)
    out = raw[by].copy() if by else pd.DataFrame(index=pd.RangeIndex(len(raw)))
    out["n"] = raw["n"].to_numpy(np.int64)
    out["n_complete"] = raw["n_complete"].to_numpy(np.int64)
    for j, col in enumerate(elements):
        out[f"nrr_{col}"] = nrr[:, j]
    out["ikm"] = index
    out["converted"] = converted
    out["grade"] = grades["grade"].to_numpy()
    out["label_id"] = grades["label_id"].to_numpy()
    out["label_en"] = grades["label_en"].to_numpy()
    out = out.astype({"grade": "str", "label_id": "str", "label_en": "str"})
    out["weights"] = kind
    return out


# --------------------------------------------------------------------------- costs
def costs(folder: Path, *, by, categories, memory_limit) -> pd.DataFrame:
    """SQL version of :func:`toolkit.engine.costs` (see there)."""
    from toolkit.engine import COST_COLUMNS, _cost_frame
    from toolkit.provider_sessions import BUDGET_CATEGORIES
    from toolkit.schema import COST_CATEGORIES
    from toolkit.validation import as_list

    if isinstance(categories, str):
        check_one_of("categories", categories, ("budget", "all"))
    cats = (
        list(BUDGET_CATEGORIES) if categories == "budget"
        else None if categories == "all" else as_list(categories)
    )  # fmt: skip
    by, sources = _check_by(folder, by, ("sessions",), COST_COLUMNS)
    ccols = columns_of(folder, "costs")
    years = "coalesce(CAST(prorate_years AS DOUBLE), 1.0)" if "prorate_years" in ccols else "1.0"
    keep = "" if cats is None else (
        "AND CAST(category AS VARCHAR) IN (" + ", ".join(quote(c) for c in cats) + ")"
    )  # fmt: skip
    with connect(folder, ["costs", "sessions", "enrollments"], memory_limit) as con:
        bad = con.execute(
            "SELECT DISTINCT CAST(category AS VARCHAR) AS c FROM costs WHERE category IS NOT "
            "NULL AND CAST(category AS VARCHAR) NOT IN ("
            + ", ".join(quote(c) for c in COST_CATEGORIES) + ")"
        ).fetchall()  # fmt: skip
        if bad:
            raise ValueError(
                f"`costs` has categories {sorted(b[0] for b in bad)} that are not Phillips "
                f"categories; use one of {', '.join(COST_CATEGORIES)}."
            )
        neg = con.execute(
            f"SELECT count(*) FROM costs WHERE {years} < 1 OR amount_idr < 0"
        ).fetchone()[0]
        if neg:
            raise ValueError("`costs` needs amount_idr >= 0 and prorate_years >= 1 on every line.")
        sql = f"""
            WITH c AS (
                SELECT CAST(session_id AS VARCHAR) AS sid,
                       sum(CAST(amount_idr AS DOUBLE) / {years}) AS cost_idr
                FROM costs WHERE session_id IS NOT NULL {keep} GROUP BY ALL),
            e AS (
                SELECT CAST(session_id AS VARCHAR) AS sid, count(*) AS n_enrolled,
                       count_if(attended_jp > 0) AS n_attended,
                       count_if(coalesce(completed, FALSE)) AS n_completed,
                       sum(CAST(attended_jp AS DOUBLE)) AS jp_delivered
                FROM enrollments GROUP BY ALL)
            SELECT {_select(by)} count(*) AS n_sessions, sum(cost_idr) AS cost_idr,
                   sum(n_enrolled) AS n_enrolled, sum(n_attended) AS n_attended,
                   sum(n_completed) AS n_completed, sum(jp_delivered) AS jp_delivered
            FROM (
                SELECT {_select(by, "s")} coalesce(c.cost_idr, 0.0) AS cost_idr,
                       coalesce(e.n_enrolled, 0) AS n_enrolled,
                       coalesce(e.n_attended, 0) AS n_attended,
                       coalesce(e.n_completed, 0) AS n_completed,
                       coalesce(e.jp_delivered, 0.0) AS jp_delivered
                FROM sessions s LEFT JOIN c ON c.sid = CAST(s.session_id AS VARCHAR)
                LEFT JOIN e ON e.sid = CAST(s.session_id AS VARCHAR))
            WHERE {_not_null(by)} {_group(by)}
        """
        raw = _sorted(_typed_keys(con, _fetch(con, sql), sources), by)
    if not by and raw.empty:
        raw = pd.DataFrame({c: [0.0] for c in COST_COLUMNS[:6]})
    keys = raw[by].copy() if by else pd.DataFrame(index=pd.RangeIndex(len(raw)))
    return _cost_frame(keys, [raw[c].fillna(0).to_numpy("float64") for c in COST_COLUMNS[:6]])
