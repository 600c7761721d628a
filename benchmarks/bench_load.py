"""Benchmark of :func:`toolkit.data.load` at scale: CSV speed, memory, and Parquet (issue 16).

Run ``python benchmarks/bench_load.py`` (``--scales 10 50 200``, ``--repeat 3``,
``--work DIR`` to keep the generated folders between runs). Not a timed test: it prints, for
each scale of :func:`toolkit.synth.generate` (rows in the order the synthetic exports have,
every table of the data model), the size of the CSV folder and

* **csv**: ``load()`` of the CSV folder: seconds, MB/s (CSV bytes on disk per second), and
  the memory ratio: peak memory of the load over the loaded tables' own size
  (``sum(df.memory_usage(deep=True))``). Goals: at least 100 MB/s, ratio at most 2.
  The CPU time of the load (all threads) is printed beside the wall time;
* **parquet**: ``load()`` of the folder ``python -m toolkit convert`` wrote (files unchanged,
  so the row-level checks are skipped): seconds and the speed-up over CSV. Goal: at least 5x;
* **parquet, checked**: the same files without the manifest, so every check runs as for a
  Parquet file the toolkit did not write (no goal; shown for honesty);
* **arrow**: the same CSV files read by ``pyarrow.csv.read_csv`` (its defaults: every core,
  types guessed, nothing checked or converted to pandas), in the same run: how fast the
  machine was at the time (its speed drifts by up to a third between runs), and the CSV load's
  speed as a share of that bare parse.

How it is measured: every measurement runs in a fresh Python process, which imports
``toolkit.data`` and loads the small sample folder once, as CSV and as converted Parquet (so
that lazy imports and first-call set-up of either path are not counted: the first Parquet
load of a process costs 0.1–0.25 s more), then times one ``load()`` with
``time.perf_counter``. The memory it takes is the process's peak resident set size after it
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) minus its resident set size just before it
(``/proc/self/statm``), in the same process: not minus another process's, whose size varies
by a few MB from run to run (a third of the tables at scale 10). That is never less than what
the load adds to the process's peak, as the resident size before the load is at most the
peak of the warm-up. The memory ratio divides it by the loaded tables' size. The best
(lowest) time of ``--repeat`` runs is printed, as the machine may be shared; the memory
figures are from the same run.

Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB_S_GOAL, MEMORY_GOAL, PARQUET_GOAL = 100.0, 2.0, 5.0

_CHILD = r"""
import json, os, resource, sys, time
import toolkit
from toolkit.data import load
load(toolkit.SAMPLE_DATA)  # warm-up: lazy imports and first calls are not measured
load(sys.argv[2])  # the same for the Parquet path: the sample, converted
with open("/proc/self/statm") as statm:  # resident pages now
    before = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
if sys.argv[1].startswith("arrow:"):  # Arrow's bare parse: every CSV file, no types, no checks
    from pathlib import Path
    from pyarrow import csv
    files = sorted(Path(sys.argv[1][6:]).glob("*.csv"))
    start, start_cpu = time.perf_counter(), time.process_time()
    for f in files:
        csv.read_csv(f)
    seconds, cpu, size = time.perf_counter() - start, time.process_time() - start_cpu, 0
else:
    start, start_cpu = time.perf_counter(), time.process_time()
    data = load(sys.argv[1])
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    size = int(sum(df.memory_usage(deep=True).sum() for df in data.tables().values()))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
print(json.dumps({"seconds": seconds, "cpu": cpu, "extra": peak - before, "size": size}))
"""

_GENERATE = r"""
import sys
from toolkit.synth import generate, write
write(generate(scale=float(sys.argv[1])), sys.argv[2])
"""

_CONVERT = r"""
import sys
from toolkit.data import convert
convert(sys.argv[1], sys.argv[2])
"""


def _run(code: str, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, check=False)  # fmt: skip
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout


def _measure(folder: str, repeat: int, warm: str) -> dict:
    """Best time of ``repeat`` fresh processes, with that run's memory."""
    runs = [json.loads(_run(_CHILD, folder, warm)) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    best["ratio"] = best["extra"] / best["size"] if best["size"] else float("nan")
    return best


def _folder_bytes(folder: Path, suffix: str) -> int:
    return sum(p.stat().st_size for p in folder.glob(f"*{suffix}"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[10, 50, 200])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", help="folder for the generated data (kept); default: temp")
    args = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        warm = str(work / "sample.parquet")
        if not Path(warm).exists():
            _run(_CONVERT, str(ROOT / "sample_data"), warm)
        print("scale  CSV MB   csv s   MB/s  memory  | parquet s  speed-up | parquet checked s")
        for scale in args.scales:
            csv_dir = work / f"scale_{scale:g}"
            pq_dir = work / f"scale_{scale:g}.parquet"
            checked = work / f"scale_{scale:g}.checked"
            if not csv_dir.exists():
                _run(_GENERATE, str(scale), str(csv_dir))
            if not pq_dir.exists():
                _run(_CONVERT, str(csv_dir), str(pq_dir))
            if not checked.exists():
                checked.mkdir()
                for p in pq_dir.glob("*.parquet"):
                    os.link(p, checked / p.name)  # same files, no manifest
            mb = _folder_bytes(csv_dir, ".csv") / 1e6
            csv = _measure(str(csv_dir), args.repeat, warm)
            par = _measure(str(pq_dir), args.repeat, warm)
            chk = _measure(str(checked), 1, warm)
            bare = _measure(f"arrow:{csv_dir}", args.repeat, warm)
            speed = mb / csv["seconds"]
            gain = csv["seconds"] / par["seconds"]
            failed |= speed < MB_S_GOAL or csv["ratio"] > MEMORY_GOAL or gain < PARQUET_GOAL
            print(
                f"{scale:>5g} {mb:7.1f} {csv['seconds']:7.2f} {speed:6.0f} {csv['ratio']:6.2f}x "
                f"| {par['seconds']:9.3f} {gain:8.1f}x | {chk['seconds']:9.2f}"
            )
            print(
                f"       CPU s: csv {csv['cpu']:.2f}, parquet {par['cpu']:.3f}, parquet "
                f"checked {chk['cpu']:.2f}; tables {csv['size'] / 1e6:.0f} MB; taken by the load: csv "
                f"{csv['extra'] / 1e6:.0f} MB, parquet {par['extra'] / 1e6:.0f} MB "
                f"({par['ratio']:.2f}x), parquet checked {chk['extra'] / 1e6:.0f} MB; "
                f"Parquet on disk {_folder_bytes(pq_dir, '.parquet') / 1e6:.0f} MB"
            )
            print(
                f"       arrow (bare parse, same files): {bare['seconds']:.2f} s, "
                f"{mb / bare['seconds']:.0f} MB/s, CPU {bare['cpu']:.2f} s; the CSV load runs at "
                f"{bare['seconds'] / csv['seconds']:.0%} of its speed"
            )
    print(f"goals: CSV >= {MB_S_GOAL:.0f} MB/s, memory <= {MEMORY_GOAL:g}x the tables, "
          f"Parquet >= {PARQUET_GOAL:g}x faster than CSV")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
