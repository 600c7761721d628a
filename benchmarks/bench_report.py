"""Benchmark of the report: in-process sections against one notebook kernel per chapter.

Run ``python benchmarks/bench_report.py`` (from the repository, with the dev tools
installed: papermill and nbconvert are only needed here). On ``sample_data/``, in one run,
it times

* **new**: ``toolkit.report.build_report(sample_data, out, lang="id")``, the report as it is
  built now (validation, every section in this process, one HTML page);
* **old**: the report as it was built before (issue 10): every chapter notebook
  ``notebooks/<lang>/NN_*.ipynb`` executed by papermill in its own kernel with ``DATA_DIR`` and
  ``LANG`` as parameters, then converted to HTML by nbconvert's ``lab`` template without
  the code. The old index page, MathJax copy and findings table are left out, so this is a
  lower bound of the old time and the ratio is conservative;

and prints both times and the ratio new / old. Both paths read the same copy of the data
in export order: every CSV table of ``--data`` with its rows shuffled (exports are not
sorted by session or person; ``--keep-order`` reads ``--data`` as it is), each typed by
``toolkit.data.load()`` (codes as categoricals of the values present). Goal (issue 10): at most 0.25. Each path
runs once, in its own folder, the new one first (so it pays its imports, as every kernel of
the old one does); ``--repeat N`` keeps the best of N runs of the new path instead. The old
path takes about a minute. Exit status 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 0.25


def old_report(data_dir: Path, out_dir: Path, lang: str = "id") -> list[Path]:
    """The notebook-per-chapter report: papermill, then nbconvert, one chapter at a time."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    chapters = sorted((ROOT / "notebooks" / lang).glob("[0-9][0-9]_*.ipynb"))
    if not chapters:  # an empty baseline would make any ratio look like a success
        raise SystemExit(f"no chapter notebooks in notebooks/{lang}: run make course-notebooks")
    for path in chapters:
        executed = out_dir / path.name
        papermill.execute_notebook(
            str(path), str(executed), parameters={"DATA_DIR": str(data_dir), "LANG": lang},
            cwd=str(path.parent), progress_bar=False, log_output=False, kernel_name="python3",
        )  # fmt: skip
        body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4))
        target = out_dir / path.with_suffix(".html").name
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def new_report(data_dir: Path, out_dir: Path, lang: str = "id") -> None:
    """The report as built now."""
    from toolkit.report import build_report

    build_report(data_dir, out_dir, lang=lang, log=None)


def export_order(data_dir: Path, out_dir: Path, seed: int = 16) -> Path:
    """A copy of ``data_dir`` with every CSV table's rows shuffled (cells kept as text)."""
    import numpy as np
    import pandas as pd

    shutil.copytree(data_dir, out_dir)
    rng = np.random.default_rng(seed)
    for path in sorted(out_dir.glob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        table.iloc[rng.permutation(len(table))].to_csv(path, index=False)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "sample_data")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the new path (best kept)")
    parser.add_argument("--keep-order", action="store_true", help="read --data as it is")
    args = parser.parse_args(argv)
    data = args.data.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.keep_order:
            data = export_order(data, Path(tmp) / "data")
        new_times = []
        for i in range(args.repeat):
            start = time.perf_counter()
            new_report(data, Path(tmp) / f"new-{i}")
            new_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        chapters = old_report(data, Path(tmp) / "old")
        old = time.perf_counter() - start
    new = min(new_times)
    ratio = new / old
    order = (
        "rows as stored" if args.keep_order else "every CSV table's rows shuffled (export order)"
    )
    print(
        f"data: {args.data.resolve()}, {order}; codes as load() types them (categoricals of "
        f"the values present); {len(chapters)} chapters in the old report"
    )
    print(f"old (notebook per chapter, lower bound): {old:.1f} s")
    best = f", best of {args.repeat}" if args.repeat > 1 else ""
    print(f"new (in-process sections{best}): {new:.1f} s")
    print(f"ratio new/old: {ratio:.3f} (goal <= {GOAL})")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
