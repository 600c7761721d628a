"""Benchmark of notebook 08/09's heavy calls (printed figures, not a timed test).

Run ``python benchmarks/bench_challenges.py`` (``--small`` for a quick run). It prints, from one
run on this machine:

* ``recommend_slots`` with 5,000 staff x 60 weekly slots and k = 4: the exact MILP
  (``scipy.optimize.milp``/HiGHS) against greedy (plus its 1-swap polish), time and coverage,
  and greedy's proven share of the optimum;
* ``jp_fulfilment`` on 4,000,000 enrolment records (2,000,000 civil servants, 20,000 sessions,
  two years) as a ratio against one pandas ``groupby("participant_id")["attended_jp"].sum()``
  pass over the same records (the least any per-person total needs).

The data are generated here with numpy (fixed seeds) as ``toolkit.data.load()`` gives an
export: rows shuffled (not sorted by person or session), every code column a categorical of
the values present, categories sorted (as ``load()`` and ``toolkit.data.as_typed`` type an
open code), pseudonyms ``P-`` + 16 hex digits as
``toolkit.privacy`` makes them; each part's header says so. BLAS runs single-threaded.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from _common import as_loaded, best_of  # noqa: E402
from scipy.special import expit  # noqa: E402

from toolkit.participation import jp_fulfilment  # noqa: E402
from toolkit.scheduling import recommend_slots  # noqa: E402

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")
TIMES = ("0700", "0800", "1000", "1300", "1530", "1900", "2000", "2100", "1100", "1400")


def availability(n: int, seed: int = 11) -> pd.DataFrame:
    """n people x 60 slots: slot popularity + a person effect (logit), long format."""
    rng = np.random.default_rng(seed)
    slots = [f"{d}_{t}" for d in DAYS for t in TIMES]
    base = rng.normal(-0.9, 0.9, len(slots))
    avail = rng.random((n, len(slots))) < expit(base + rng.normal(0, 0.9, n)[:, None])
    rows = rng.permutation(n * len(slots))  # export order: answers as they were submitted
    return pd.DataFrame(
        {
            "participant_id": as_loaded(np.repeat(pseudonyms(n, rng), len(slots))[rows]),
            "slot": as_loaded(np.tile(np.array(slots), n)[rows]),
            "available": avail.ravel()[rows],
        }
    )


def pseudonyms(n: int, rng) -> np.ndarray:
    """``n`` distinct pseudonyms in toolkit.privacy's format: ``"P-"`` + 16 hex digits."""
    hexdigits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    while True:
        raw = np.empty((n, 18), dtype=np.uint8)
        raw[:, 0], raw[:, 1] = ord("P"), ord("-")
        raw[:, 2:] = hexdigits[rng.integers(0, 16, (n, 16))]
        ids = raw.view("S18").ravel().astype(str)
        if len(np.unique(ids)) == n:
            return ids


def enrolments(n_rows: int, n_people: int, n_sessions: int, seed: int = 5):
    """Sessions, participants and enrolments as ``load()`` gives them, rows in export order.

    Pseudonyms as toolkit.privacy makes them; every code column a categorical of the values
    present in its table (``participant_id`` of the enrolments holds only the people
    enrolled); the rows of every table shuffled, as exports come (not sorted by person or
    session).
    """
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01") + rng.integers(0, 700, n_sessions).astype("timedelta64[D]")
    session_ids = np.array([f"S{i:05d}" for i in range(n_sessions)])[rng.permutation(n_sessions)]
    methods = np.array(["workshop", "seminar", "project_based", "simulation", "e_learning"])
    sessions = pd.DataFrame(
        {
            "session_id": as_loaded(session_ids),
            "method": as_loaded(methods[rng.integers(0, 5, n_sessions)]),
            "start_date": start,
            "end_date": start + rng.integers(0, 20, n_sessions).astype("timedelta64[D]"),
            "jp": rng.choice([8, 16, 24, 32], n_sessions),
        }
    )
    ids = pseudonyms(n_people, rng)
    people = pd.DataFrame(
        {
            "participant_id": as_loaded(ids),
            "unit_id": as_loaded(
                np.array([f"U{i:03d}" for i in range(500)])[rng.integers(0, 500, n_people)]
            ),
        }
    )
    session = rng.integers(0, n_sessions, n_rows)
    enr = pd.DataFrame(
        {
            "participant_id": as_loaded(ids[rng.integers(0, n_people, n_rows)]),
            "session_id": as_loaded(session_ids[session]),
            "attended_jp": np.floor(
                sessions["jp"].to_numpy()[session] * rng.uniform(0.5, 1, n_rows)
            ),
        }
    )
    return enr, sessions, people


def bench_slots(n: int, k: int) -> None:
    avail = availability(n)
    print(f"recommend_slots: {n:,} staff x 60 slots, k = {k}; rows in export order (shuffled), "
          "codes as load() types them (categoricals of the values present)")  # fmt: skip
    for method in ("exact", "greedy"):
        t, rec = best_of(lambda m=method: recommend_slots(avail, k=k, method=m, time_limit=600), 1)
        print(
            f"  {method:6s} {t:8.2f} s  solver {rec.seconds:8.3f} s  covered {rec.n_covered:,} "
            f"({rec.share:.2%})  optimal={rec.optimal}  upper bound {rec.upper_bound:,.0f}  "
            f"slots {', '.join(rec.slots)}"
        )
        if method == "exact":
            opt = rec.n_covered
        else:
            print(f"  greedy reaches {rec.n_covered / opt:.4%} of the optimum "
                  f"(guarantee {rec.guarantee:.4f})")  # fmt: skip


def bench_jp(n_rows: int, repeat: int) -> None:
    enr, sessions, people = enrolments(n_rows, n_rows // 2, 20_000)
    contenders = {
        "pandas groupby().sum()": lambda: enr.groupby("participant_id", observed=True)[
            "attended_jp"
        ].sum(),
        "jp_fulfilment": lambda: jp_fulfilment(enr, sessions, participants=people),
        "jp_fulfilment by unit": lambda: jp_fulfilment(
            enr, sessions, participants=people, by="unit_id"
        ),
    }
    best = dict.fromkeys(contenders, np.inf)
    results = {}
    for _ in range(repeat):  # interleaved: a busy machine slows every contender alike
        for name, fn in contenders.items():
            seconds, results[name] = best_of(fn, 1)
            best[name] = min(best[name], seconds)
    t_ref = best["pandas groupby().sum()"]
    print(
        f"jp_fulfilment: {n_rows:,} enrolment records, {len(people):,} people, 2 years; rows "
        "in export order (shuffled), codes typed as load() types them (categoricals of the "
        "values present, categories sorted), pseudonyms P- + 16 hex digits"
    )
    print(f"best of {repeat} runs, interleaved (load average {os.getloadavg()[0]:.1f}):")
    for name, seconds in best.items():
        print(f"  {name:26s} {seconds:7.3f} s   ({seconds / t_ref:.2f}x)")
    print("  goal: jp_fulfilment <= 2x one groupby-sum")
    res = results["jp_fulfilment by unit"]
    print(f"  share meeting 20 JP: {res.summary['share_meeting'].round(3).tolist()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="a quick run at 1/10 size")
    args = parser.parse_args()
    if args.small:
        bench_slots(500, 4)
        bench_jp(400_000, 1)
    else:
        bench_slots(5_000, 4)
        bench_jp(4_000_000, 3)


if __name__ == "__main__":
    main()
