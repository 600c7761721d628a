"""Benchmark of the loader on pathological and long files (issue 13).

Run ``python benchmarks/bench_loader.py``. In one run, on copies of the sample's core tables,
it times :func:`toolkit.data.load` on

* **wide**: ``units.csv`` with 100,000 empty columns appended (a sheet exported with its
  whole used range; 2.1 MB of commas), against **pandas**, ``pandas.read_csv(path,
  dtype=str, keep_default_na=False)`` of the same file: reading every cell of it as text,
  the work the loader cannot avoid (such a header is too wide for the Arrow fast path, so
  the general reader parses the file with pandas' C parser). Goal: at most 1.5 times that
  read, i.e. dropping the empty columns and every check add at most half of one plain
  read (the load once took 133 s, a quadratic repeated-header check). Also printed, with no
  goal: pyarrow's ``read_csv`` of the file (a lower bound no text reader of this file can
  beat by much) and the load of the file without the empty columns. The goal was at most
  20 times that narrow load while the narrow load imported pandera; since the loader
  reads plain CSV with Arrow, the narrow load takes milliseconds and is no longer
  comparable work;
* **long**: ``ikm_responses.csv`` with ``--rows`` rows (default 1,000,000; 37 MB), against
  **short**, the sample's 16,000 rows scaled linearly. Goal: at most 1.5 times the linear
  extrapolation, i.e. the loader is no worse than linear (each distinct text is parsed once,
  so a long column of a few distinct answers costs a hash pass). The peak memory of the long
  load is printed (peak resident set size of a child process, ``VmHWM``) next to the size
  of the loaded table.

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
WIDE_GOAL, LONG_GOAL = 1.5, 1.5

# VmHWM, not ru_maxrss: Linux carries a forked child's peak (this process's size at the
# fork, over 1 GB after the wide file) across exec into ru_maxrss
_PEAK = """
import sys
from toolkit.data import load
d = load(sys.argv[1], tables=["units", "ikm_responses"])
status = open("/proc/self/status").read().split("VmHWM:")[1]
peak = int(status.split()[0]) / 1e3  # kB
size = d.ikm_responses.memory_usage(deep=True).sum() / 1e6
print(f"{peak:.0f} {size:.0f}")
"""


def _timed(folder: Path, tables: list[str]) -> float:
    from toolkit.data import load

    start = time.perf_counter()
    load(folder, tables=tables)
    return time.perf_counter() - start


def _read_as_text(path: Path) -> tuple[float, float]:
    """Seconds to read ``path`` as text with pandas' C parser, and with pyarrow's reader."""
    from pyarrow import csv as pacsv

    start = time.perf_counter()
    pd.read_csv(path, dtype=str, keep_default_na=False)
    middle = time.perf_counter()
    pacsv.read_csv(path)
    return middle - start, time.perf_counter() - middle


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
        _timed(plain, ["units"])  # warm-up: imports and first calls are not timed
        t_plain = _timed(plain, ["units"])
        t_wide = _timed(wide, ["units"])
        t_pandas, t_arrow = _read_as_text(wide / "units.csv")
        ratio = t_wide / t_pandas
        failed |= ratio > WIDE_GOAL
        print(f"wide: {t_wide:.2f} s; pandas.read_csv of the same file as text {t_pandas:.2f} s, "
              f"ratio {ratio:.2f} (goal ≤ {WIDE_GOAL}); pyarrow read_csv {t_arrow:.2f} s "
              f"(ratio {t_wide / t_arrow:.1f}); the file without the empty columns "
              f"{t_plain:.3f} s")  # fmt: skip

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
