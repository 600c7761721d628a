"""Benchmark of Levels 1–2: ``likert_summary`` and ``cronbach_alpha`` by session (not a test).

Run ``python benchmarks/bench_level12.py`` (``--small`` for a quick run). It builds the
``reaction`` table of :func:`toolkit.synth.generate` at ``--scale 824``: about 1,000,000
respondents (participant x session) x 8 items (R01–R07 on 1–5, R08 the 0–10 "recommend"
item), 8 million rows in some 33,000 sessions, **as an export gives them to** ``load()``:
rows shuffled (answers arrive in the order people submit them, not sorted by session or
respondent) and every code column a categorical of the values present, categories sorted,
as ``toolkit.data.load()`` types it. Then, in one run, it times

* the toolkit: ``likert_summary(reaction, by="session_id", instruments=...)`` and
  ``cronbach_alpha(reaction, item="item_code", value="response", by="session_id")``;
* (a) ``pingouin.cronbach_alpha`` once per session (long format, listwise, the "tidak
  tahu" code 99 set to missing first, as the toolkit does). Each session's rows are split
  off before the clock starts, so only the pingouin calls are timed (the split of the
  8-million-row table is not charged to pingouin); the calls run on the first
  ``--pingouin-sessions`` sessions and are extrapolated to all of them (the output says
  so); the estimates of those sessions are compared with the toolkit's;
* (b) one pandas ``groupby("session_id").mean()`` over the same long table;

and prints the ratios. Goals (issue 3): at least 50x faster than (a) and at most 3x the time
of (b). Each figure is the best of ``--repeat`` runs, the contenders interleaved so that a
busy machine slows all of them alike. BLAS runs single-threaded for every contender
(``OPENBLAS_NUM_THREADS=1`` unless set), as in ``bench_results.py``.

It also prints how long ``import toolkit.reaction`` takes against ``import pandas`` (the
median of ``--import-repeat`` fresh interpreters each, alternating; goal, issue 16: at most
1.3x), since scipy.stats is imported only where it is used.

Alpha over the eight items mixes the 0–10 item with the 1–5 items: the benchmark measures
speed on the table as it comes; the notebooks compute alpha on the seven 1–5 items only.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from _common import as_loaded, import_seconds  # noqa: E402

from toolkit.reaction import likert_summary  # noqa: E402
from toolkit.reliability import cronbach_alpha  # noqa: E402
from toolkit.schema import NA_CODE  # noqa: E402
from toolkit.synth import generate  # noqa: E402


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def export_order(table: pd.DataFrame, seed: int = 16) -> pd.DataFrame:
    """``table`` as it comes from an export through ``load()``: rows shuffled, codes typed."""
    rows = np.random.default_rng(seed).permutation(len(table))
    table = table.iloc[rows].reset_index(drop=True)
    return table.assign(**{c: as_loaded(table[c]) for c in table.columns
                           if isinstance(table[c].dtype, pd.CategoricalDtype)})  # fmt: skip


def pingouin_loop(reaction: pd.DataFrame, n_sessions: int) -> tuple[float, pd.Series, int]:
    """Seconds of ``pingouin.cronbach_alpha`` on the first ``n_sessions`` sessions: the calls
    only, each session's rows split off before the clock starts."""
    import pingouin as pg

    rows = reaction.groupby("session_id", observed=True, sort=True).indices
    first = sorted(rows)[:n_sessions]
    parts = {}
    for sid in first:  # plain columns: pingouin pivots them (prepared outside the timing)
        part = reaction.iloc[rows[sid]]
        parts[sid] = pd.DataFrame(
            {
                "participant_id": part["participant_id"].astype("str").to_numpy(),
                "item_code": part["item_code"].astype("str").to_numpy(),
                "response": part["response"].astype("float64").where(lambda s: s != NA_CODE),
            }
        )
    estimates, seconds = {}, 0.0
    for sid, part in parts.items():
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # degenerate sessions: NaN, as in the toolkit
                estimates[sid] = pg.cronbach_alpha(
                    data=part,
                    items="item_code",
                    scores="response",
                    subject="participant_id",
                    nan_policy="listwise",
                )[0]
        except AssertionError:  # pingouin asserts n >= 2 and k >= 2
            estimates[sid] = np.nan
        seconds += time.perf_counter() - start
    return seconds, pd.Series(estimates), len(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=824.0, help="synth scale (824: ~1M)")
    parser.add_argument("--small", action="store_true", help="scale 20 (~25,000 respondents)")
    parser.add_argument("--repeat", type=int, default=9, help="best of this many runs")
    parser.add_argument("--pingouin-sessions", type=int, default=300, help="sessions timed")
    parser.add_argument("--import-repeat", type=int, default=7, help="fresh interpreters")
    args = parser.parse_args(argv)
    scale = 20.0 if args.small else args.scale

    t_gen, data = _timed(lambda: generate(scale=scale, tables=["reaction"]))
    bank = data.instruments
    items = bank.loc[bank["instrument"] == "reaction", "item_code"].astype("str").head(8)
    reaction = data.reaction
    reaction = reaction[reaction["item_code"].astype("str").isin(items).to_numpy()]
    reaction = export_order(reaction)
    n_resp = len(reaction[["participant_id", "session_id"]].drop_duplicates())
    n_sessions = reaction["session_id"].nunique()
    print(
        f"data: toolkit.synth.generate(scale={scale:g}, tables=['reaction']) in {t_gen:.0f} s; "
        f"{len(reaction):,} rows = {n_resp:,} respondents x {len(items)} items "
        f"({', '.join(items)}), {n_sessions:,} sessions; rows in export order (shuffled), "
        "codes as load() types them (categoricals of the values present, categories sorted)"
    )

    contenders = {
        "likert_summary(by=session_id)": lambda: likert_summary(
            reaction, by="session_id", instruments=bank
        ),
        "cronbach_alpha(by=session_id)": lambda: cronbach_alpha(
            reaction, item="item_code", value="response", by="session_id"
        ),
        "(b) groupby(session_id).mean()": lambda: reaction.groupby("session_id", observed=True)[
            "response"
        ].mean(),
    }
    best = dict.fromkeys(contenders, np.inf)
    results = {}
    for _ in range(args.repeat):  # interleaved: a busy machine slows every contender alike
        for name, fn in contenders.items():
            seconds, results[name] = _timed(fn)
            best[name] = min(best[name], seconds)
    t_likert, t_alpha, t_groupby = best.values()
    alpha = results["cronbach_alpha(by=session_id)"].set_index("session_id")["estimate"]

    t_pg, pg_est, timed = pingouin_loop(reaction, args.pingouin_sessions)
    t_pg_all = t_pg / timed * n_sessions
    ours = alpha.reindex(pg_est.index.astype("str")).to_numpy()
    both = np.isfinite(ours) & np.isfinite(pg_est.to_numpy())
    diff = np.max(np.abs(ours[both] - pg_est.to_numpy()[both]), initial=0.0)

    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"best of {args.repeat} runs:")
    for name, seconds in best.items():
        print(f"  {name:34s} {seconds:8.3f} s")
    print(f"  {'toolkit, both':34s} {t_likert + t_alpha:8.3f} s")
    print(
        f"  {'(a) pingouin, calls only':34s} {t_pg_all:8.1f} s  (extrapolated: {timed} of "
        f"{n_sessions:,} sessions, {1000 * t_pg / timed:.2f} ms per call; estimates agree to {diff:.1e} "
        f"on the {int(both.sum())} sessions both define)"
    )
    print("ratios:")
    print(
        f"  (a) pingouin loop / cronbach_alpha          {t_pg_all / t_alpha:8.0f}x  (goal >= 50x)"
    )
    print(f"  (a) pingouin loop / likert + alpha          {t_pg_all / (t_likert + t_alpha):8.0f}x")
    print(
        f"  cronbach_alpha / (b) groupby-mean           {t_alpha / t_groupby:8.2f}x  (goal <= 3x)"
    )
    print(
        f"  likert_summary / (b) groupby-mean           {t_likert / t_groupby:8.2f}x  (goal <= 3x)"
    )
    print(f"  likert + alpha / (b) groupby-mean           {(t_likert + t_alpha) / t_groupby:8.2f}x")
    imports = import_seconds("toolkit.reaction", args.import_repeat)
    print(
        f"import (median of {args.import_repeat} fresh interpreters): pandas "
        f"{imports['pandas']:.3f} s, toolkit.reaction {imports['toolkit.reaction']:.3f} s, "
        f"ratio {imports['toolkit.reaction'] / imports['pandas']:.2f}x (goal <= 1.3x)"
    )


if __name__ == "__main__":
    main()
