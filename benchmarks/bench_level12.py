"""Benchmark of Levels 1–2: ``likert_summary`` and ``cronbach_alpha`` by session (not a test).

Run ``python benchmarks/bench_level12.py`` (``--small`` for a quick run). It builds the
``reaction`` table of :func:`toolkit.synth.generate` at ``--scale 824``: about 1,000,000
respondents (participant x session) x 8 items (R01–R07 on 1–5, R08 the 0–10 "recommend"
item), 8 million rows in some 33,000 sessions. Then, in one run, it times

* the toolkit: ``likert_summary(reaction, by="session_id", instruments=...)`` and
  ``cronbach_alpha(reaction, item="item_code", value="response", by="session_id")``;
* (a) a loop over sessions calling ``pingouin.cronbach_alpha`` (long format, listwise, the
  "tidak tahu" code 99 set to missing first, as the toolkit does). The loop runs over the
  first ``--pingouin-sessions`` sessions only and is extrapolated to all of them (the output
  says so); the estimates of those sessions are compared with the toolkit's;
* (b) one pandas ``groupby("session_id").mean()`` over the same long table;

and prints the ratios. Goals (issue 3): at least 50x faster than (a) and at most 3x the time
of (b). Each figure is the best of ``--repeat`` runs, the contenders interleaved so that a
busy machine slows all of them alike. BLAS runs single-threaded for every contender
(``OPENBLAS_NUM_THREADS=1`` unless set), as in ``bench_results.py``.

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

from toolkit.reaction import likert_summary  # noqa: E402
from toolkit.reliability import cronbach_alpha  # noqa: E402
from toolkit.schema import NA_CODE  # noqa: E402
from toolkit.synth import generate  # noqa: E402


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def pingouin_loop(reaction: pd.DataFrame, n_sessions: int) -> tuple[float, pd.Series, int]:
    """Time ``pingouin.cronbach_alpha`` on the first ``n_sessions`` sessions."""
    import pingouin as pg

    plain = pd.DataFrame(  # plain columns: pingouin pivots them (prepared outside the timing)
        {
            "session_id": reaction["session_id"].astype("str"),
            "participant_id": reaction["participant_id"].astype("str"),
            "item_code": reaction["item_code"].astype("str"),
            "response": reaction["response"].astype("float64").where(lambda s: s != NA_CODE),
        }
    )
    estimates = {}
    start = time.perf_counter()
    for i, (sid, part) in enumerate(plain.groupby("session_id", sort=True)):
        if i == n_sessions:
            break
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
    return time.perf_counter() - start, pd.Series(estimates), min(n_sessions, i + 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=824.0, help="synth scale (824: ~1M)")
    parser.add_argument("--small", action="store_true", help="scale 20 (~25,000 respondents)")
    parser.add_argument("--repeat", type=int, default=9, help="best of this many runs")
    parser.add_argument("--pingouin-sessions", type=int, default=300, help="sessions timed")
    args = parser.parse_args(argv)
    scale = 20.0 if args.small else args.scale

    t_gen, data = _timed(lambda: generate(scale=scale, tables=["reaction"]))
    bank = data.instruments
    items = bank.loc[bank["instrument"] == "reaction", "item_code"].astype("str").head(8)
    reaction = data.reaction
    reaction = reaction[reaction["item_code"].astype("str").isin(items).to_numpy()]
    reaction = reaction.reset_index(drop=True)
    n_resp = len(reaction[["participant_id", "session_id"]].drop_duplicates())
    n_sessions = reaction["session_id"].nunique()
    print(
        f"data: toolkit.synth.generate(scale={scale:g}, tables=['reaction']) in {t_gen:.0f} s; "
        f"{len(reaction):,} rows = {n_resp:,} respondents x {len(items)} items "
        f"({', '.join(items)}), {n_sessions:,} sessions"
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
        f"  {'(a) pingouin loop':34s} {t_pg_all:8.1f} s  (extrapolated: {timed} of "
        f"{n_sessions:,} sessions timed in {t_pg:.1f} s; estimates agree to {diff:.1e} "
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


if __name__ == "__main__":
    main()
