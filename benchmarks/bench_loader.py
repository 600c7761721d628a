"""Benchmark of the loader on pathological and long files (issue 13).

Run ``python benchmarks/bench_loader.py``. In one run, on copies of the sample's core tables,
it times :func:`toolkit.data.load` on

* **wide**: ``units.csv`` with 100,000 empty columns appended (a sheet exported with its
  whole used range), against **plain**, the same file without them. Goal: at most 20 times
  the plain load (it was 133 s, a quadratic repeated-header check); the columns are dropped
  before anything else sees them;
* **long**: ``ikm_responses.csv`` with ``--rows`` rows (default 1,000,000; 37 MB), against
  **short**, the sample's 16,000 rows scaled linearly. Goal: at most 1.5 times the linear
  extrapolation, i.e. the loader is no worse than linear (each distinct text is parsed once,
  so a long column of a few distinct answers costs a hash pass). The peak memory of the long
  load is printed (resident set size of a child process) next to the size of the loaded table.

Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
CORE = ("units", "participants", "sessions", "enrollments")
WIDE_GOAL, LONG_GOAL = 20.0, 1.5

_PEAK = """
import resource, sys
from toolkit.data import load
d = load(sys.argv[1], tables=["units", "ikm_responses"])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
size = d.ikm_responses.memory_usage(deep=True).sum() / 1e6
print(f"{peak:.0f} {size:.0f}")
"""


def _timed(folder: Path, tables: list[str]) -> float:
    from toolkit.data import load

    start = time.perf_counter()
    load(folder, tables=tables)
    return time.perf_counter() - start


def _ikm(folder: Path, rows: int) -> None:
    units = pd.read_csv(SAMPLE / "units.csv", dtype=str)["unit_id"]
    periods = [f"{y}Q{q}" for y in (2023, 2024) for q in range(1, 5)]
    per = -(-rows // (len(units) * len(periods)))
    keys = pd.MultiIndex.from_product([units, periods, range(per)], names=[0, 1, 2])
    keys = keys.to_frame(index=False)
    keys = keys.iloc[:rows]
    out = pd.DataFrame({"unit_id": keys[0], "period": keys[1],
                        "respondent_id": "R" + keys[2].astype(str).str.zfill(7)})  # fmt: skip
    rng = np.random.default_rng(13)
    for i in range(1, 10):
        out[f"u{i}"] = rng.integers(1, 5, len(out))
    out.to_csv(folder / "ikm_responses.csv", index=False)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        plain, wide = Path(tmp, "plain"), Path(tmp, "wide")
        for folder in (plain, wide):
            folder.mkdir()
            for t in CORE:
                shutil.copy(SAMPLE / f"{t}.csv", folder / f"{t}.csv")
        lines = (wide / "units.csv").read_text(encoding="utf-8").splitlines()
        pad = "," * 100_000
        (wide / "units.csv").write_text("\n".join(x + pad for x in lines) + "\n", "utf-8")
        t_plain = _timed(plain, ["units"])
        t_wide = _timed(wide, ["units"])
        ratio = t_wide / t_plain
        failed |= ratio > WIDE_GOAL
        print(
            f"wide: {t_wide:.2f} s, plain {t_plain:.3f} s, ratio {ratio:.0f} (goal ≤ {WIDE_GOAL:.0f})"
        )

        short, long = Path(tmp, "short"), Path(tmp, "long")
        for folder in (short, long):
            folder.mkdir()
            shutil.copy(SAMPLE / "units.csv", folder / "units.csv")
        shutil.copy(SAMPLE / "ikm_responses.csv", short / "ikm_responses.csv")
        _ikm(long, args.rows)
        n_short = len(pd.read_csv(short / "ikm_responses.csv"))
        t_short = _timed(short, ["units", "ikm_responses"])
        t_long = _timed(long, ["units", "ikm_responses"])
        linear = t_short * args.rows / n_short
        ratio = t_long / linear
        failed |= ratio > LONG_GOAL
        print(f"long: {args.rows:,} rows in {t_long:.1f} s; linear from {n_short:,} rows: "
              f"{linear:.1f} s; ratio {ratio:.2f} (goal ≤ {LONG_GOAL})")  # fmt: skip
        peak, size = subprocess.run(
            [sys.executable, "-c", _PEAK, str(long)], capture_output=True, text=True, check=True
        ).stdout.split()
        mb = (long / "ikm_responses.csv").stat().st_size / 1e6
        print(f"long: peak memory {peak} MB for a {mb:.0f} MB file; loaded table {size} MB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
