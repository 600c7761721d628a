"""A national-scale run on one machine: 4.3 M civil servants, DuckDB over Parquet.

Generates the national-shape synthetic data (:func:`toolkit.synth.write_national`: about
4.3 million participants in 624 agencies nested in 38 provinces and the centre, 20 M
enrolments, 50 M reaction answers, 30 M IKM responses) as Parquet in chunks, then computes
the aggregates a national monitor needs with the DuckDB engine (:mod:`toolkit.engine`): the
20 JP right nationally, by region, agency and grade (PNS golongan vs PPPK), attendance and
reasons for absence, Likert summaries and NPS by provider and programme, IKM by unit x
quarter and by region, and costs per participant and per JP.

Every step prints its wall time, its CPU time (all threads: on a busy machine the wall time
grows, the CPU time much less) and its own peak resident memory (the kernel's high-water
mark of this process, reset before each step through ``/proc/self/clear_refs``; DuckDB runs
inside the process, so its memory is counted), and the run ends with the peak of the whole
process: the largest of the steps' peaks and ``getrusage(RUSAGE_SELF).ru_maxrss`` (which the
reset also lowers, so it alone would show only the last step's peak). The acceptance goal is a peak under 16 GB on
a 2-core, 24 GB machine; the exit status is 1 when it is exceeded.

Usage::

    python benchmarks/bench_national.py                  # full size, temporary folder
    python benchmarks/bench_national.py --data /tmp/nat  # generate there once, then reuse it
    python benchmarks/bench_national.py --participants 200000 --agencies 300   # quick look

Run the full size alone on the machine (``flock /tmp/bigmem.lock python …``). Rows are in
generation order (people in pseudonym order, so each person's enrolments are together, as
an export by person would be), and codes are Parquet dictionaries as ``load()`` types them
(categoricals); DuckDB reads them as text.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

GOAL_GB = 16.0


def _status(field: str) -> float | None:
    """A memory line of /proc/self/status in GB (None where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 2**20
    except OSError:
        return None
    return None


def _machine_gb() -> float:
    """Total memory of the machine in GB (0 where there is no /proc/meminfo)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            return int(fh.readline().split()[1]) / 2**20
    except OSError:
        return 0.0


def _reset_peak() -> bool:
    """Reset the process's peak RSS to its current RSS (Linux >= 4.0); False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _rusage_peak_gb() -> float:
    """ru_maxrss in GB (KiB on Linux): the peak since start, or since the last reset."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


class Steps:
    """Times steps and records each one's peak memory."""

    def __init__(self):
        self.rows: list[tuple[str, float, float, float | None]] = []
        self.peak = _rusage_peak_gb()  # the whole process: the largest of all steps' peaks
        print(f"{'step':<44} {'wall s':>7} {'CPU s':>7} {'peak GB':>8} {'process peak GB':>16}")

    def run(self, label: str, fn):
        can_reset = _reset_peak()
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = _status("VmHWM") if can_reset else None
        self.rows.append((label, seconds, cpu, peak))
        self.peak = max(self.peak, _rusage_peak_gb(), peak or 0.0)
        shown = f"{peak:8.2f}" if peak is not None else f"{'n/a':>8}"
        print(f"{label:<44} {seconds:7.1f} {cpu:7.1f} {shown} {self.peak:16.2f}", flush=True)
        return result


def _table_sizes(folder: Path, names) -> None:
    import pyarrow.parquet as pq

    total_rows = total_bytes = 0
    print(f"\n{'table':<16} {'rows':>12} {'MB on disk':>11} {'row groups':>11}")
    for name in names:
        path = folder / f"{name}.parquet"
        meta = pq.ParquetFile(path).metadata
        size = path.stat().st_size
        total_rows += meta.num_rows
        total_bytes += size
        print(f"{name:<16} {meta.num_rows:>12,} {size / 2**20:>11.1f} {meta.num_row_groups:>11}")
    print(f"{'total':<16} {total_rows:>12,} {total_bytes / 2**20:>11.1f}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="folder for the Parquet files (reused)")
    parser.add_argument("--participants", type=int, default=4_300_000)
    parser.add_argument("--agencies", type=int, default=624)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--chunk-people", type=int, default=65 * 8192)
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB's memory limit")
    parser.add_argument("--keep", action="store_true", help="keep a temporary folder")
    args = parser.parse_args(argv)

    from toolkit import engine
    from toolkit.synth import write_national
    from toolkit.synth._national import NATIONAL_TABLES

    temporary = args.data is None
    folder = Path(tempfile.mkdtemp(prefix="national-")) if temporary else args.data
    print(f"data folder: {folder}")
    print(f"machine: {_machine_gb():.1f} GB of memory; goal: peak < {GOAL_GB:g} GB\n")
    steps = Steps()
    have = all((folder / f"{n}.parquet").is_file() for n in NATIONAL_TABLES)
    try:
        if have:
            print(f"{'(reusing the Parquet files already in the folder)':<44}")
        else:
            steps.run(
                f"generate {args.participants:,} people -> Parquet",
                lambda: write_national(
                    folder, participants=args.participants, agencies=args.agencies,
                    seed=args.seed, chunk_people=args.chunk_people,
                ),
            )  # fmt: skip
        mem = {"engine": "duckdb", "memory_limit": args.memory_limit}
        results = {}
        plan = [
            ("jp_fulfilment: national, per year", "jp", lambda: engine.jp_fulfilment(folder, **mem)),
            ("jp_fulfilment by region", "jp_region",
             lambda: engine.jp_fulfilment(folder, by="region_name", **mem)),
            ("jp_fulfilment by agency", "jp_agency",
             lambda: engine.jp_fulfilment(folder, by="agency_id", **mem)),
            ("jp_fulfilment by grade (PNS vs PPPK)", "jp_grade",
             lambda: engine.jp_fulfilment(folder, by="grade", **mem)),
            ("attendance_summary by schedule", "attendance",
             lambda: engine.attendance_summary(folder, by="schedule", **mem)),
            ("absence_reasons by agency type", "absence",
             lambda: engine.absence_reasons(folder, by="agency_type", **mem)),
            ("likert_summary by provider", "likert",
             lambda: engine.likert_summary(folder, by="provider", **mem)),
            ("net_promoter_score by programme", "nps",
             lambda: engine.net_promoter_score(folder, by="program", **mem)),
            ("ikm by unit x quarter", "ikm_unit", lambda: engine.ikm(folder, **mem)),
            ("ikm by region x quarter", "ikm_region",
             lambda: engine.ikm(folder, by=["region_name", "period"], **mem)),
            ("costs by provider", "costs", lambda: engine.costs(folder, by="provider", **mem)),
        ]  # fmt: skip
        for label, key, fn in plan:
            results[key] = steps.run(label, fn)
        _table_sizes(folder, NATIONAL_TABLES)
        _report(results)
    finally:
        if temporary and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    total = sum(r[1] for r in steps.rows)
    cpu = sum(r[2] for r in steps.rows)
    peak = max(steps.peak, _rusage_peak_gb())
    print(f"total wall time {total:.1f} s, CPU time {cpu:.1f} s (all threads); peak memory of the whole process {peak:.2f} GB "
          f"(goal < {GOAL_GB:g} GB): {'met' if peak < GOAL_GB else 'NOT met'}")  # fmt: skip
    return 0 if peak < GOAL_GB else 1


def _report(results: dict) -> None:
    """A few figures of the national picture (aggregates only: no person is shown)."""
    import pandas as pd

    with pd.option_context("display.width", 120, "display.max_columns", 20):
        jp = results["jp"][["year", "n", "mean_jp", "median_jp", "n_meeting", "share_meeting"]]
        print("20 JP, everyone (PNS and PPPK):\n", jp.to_string(index=False), "\n")
        g = results["jp_grade"][["grade", "year", "n", "share_meeting"]]
        print("20 JP by grade:\n", g.to_string(index=False), "\n")
        for key, col in (("jp_region", "region_name"), ("jp_agency", "agency_id")):
            df = results[key]
            df = df[df["year"] == df["year"].max()]
            s = df["share_meeting"].dropna()
            print(f"share meeting 20 JP in {int(df['year'].max())} across {len(df)} {col} "
                  f"groups: min {s.min():.3f}, median {s.median():.3f}, max {s.max():.3f}")  # fmt: skip
        print(f"IKM unit x quarter cells: {len(results['ikm_unit']):,}")
        print()


if __name__ == "__main__":
    sys.exit(main())
