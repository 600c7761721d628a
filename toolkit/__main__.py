"""Command line of the toolkit.

``python -m toolkit report --data DIR --out DIR [--lang id|en] [--format html,pdf]
[--office TEXT] [--title TEXT] [--current-slots a,b] [--min-group N]`` writes the evaluation
report (figures resting on fewer than N people, 5 by default, are not shown);
``python -m toolkit check --data DIR [--lang id|en]`` prints the data problems and which
analyses the data support; ``python -m toolkit import forms|moodle|ikm FILE --map MAP --out
DIR [--session S] [--phase pre|post] …`` turns an export into tables (``--draft-map`` drafts
the mapping); ``python -m toolkit convert --data DIR --out DIR`` checks the data once and
writes them as typed Parquet (``load`` then skips the checks while the files are unchanged);
``python -m toolkit course DIR`` copies the course notebooks. Exit status: 0 done, 1 the report was written but an analysis
failed, 2 the data or the output folder cannot be used (nothing written).
"""

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m toolkit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    from toolkit import __version__
    from toolkit.disclosure import MIN_GROUP

    parser.add_argument("--version", action="version", version=f"asn-toolkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="analyse a data folder and write the report")
    rep.add_argument("--data", default=None,
                     help="folder of CSV/XLSX tables (default: the sample data)")  # fmt: skip
    rep.add_argument("--out", default="build/report",
                     help="report folder: new, empty or a previous report (replaced when done)")  # fmt: skip
    rep.add_argument("--lang", default="id", choices=["id", "en"], help="report language")
    rep.add_argument("--format", default="html",
                     help="html (default) or html,pdf (PDF printed by Chromium)")  # fmt: skip
    rep.add_argument("--office", help="office shown on the cover (else report.toml)")
    rep.add_argument("--title", help="title shown on the cover (else report.toml)")
    rep.add_argument("--current-slots", help="slots in use now, e.g. tue_0800,wed_0800")
    rep.add_argument("--min-group", type=int, default=MIN_GROUP, metavar="N",
                     help="fewest people a published figure may rest on (default 5); smaller "
                     "groups, and groups that would give them away, are not shown")  # fmt: skip
    imp = sub.add_parser("import", help="turn a form, quiz or IKM-survey export into tables")
    imp.add_argument("source", choices=["forms", "moodle", "ikm"], help="kind of export")
    imp.add_argument("file", help="the export (CSV or XLSX); only ever read")
    imp.add_argument("--map", help="mapping file (CSV: source, target, code, scale)")
    imp.add_argument("--draft-map", action="store_true",
                     help="write a draft mapping from the export's headers (to --map, or print)")  # fmt: skip
    imp.add_argument("--table", help="reaction (default for forms) or behavior")
    imp.add_argument("--out", help="folder of the evaluation tables to write into")
    imp.add_argument("--data", help="folder with instruments.csv, to check item codes and scales")
    imp.add_argument("--session", help="session id, when the export has no session column")
    imp.add_argument("--phase", choices=["pre", "post"], help="test phase (moodle)")
    imp.add_argument("--rater", choices=["self", "supervisor"], help="rater (behavior)")
    imp.add_argument("--wave", choices=["baseline", "followup_3m", "followup_6m"],
                     help="wave (behavior)")  # fmt: skip
    imp.add_argument("--unit", help="unit id, when an IKM export has no unit column")
    imp.add_argument("--period", help="quarter (2024Q1), when an IKM export has no date")
    imp.add_argument("--program", help="programme of a quiz, to draft its item codes")
    how = imp.add_mutually_exclusive_group()
    how.add_argument("--append", action="store_true", help="add to an existing table")
    how.add_argument("--replace", action="store_true", help="replace an existing table")
    course = sub.add_parser("course", help="copy the course notebooks into a folder")
    course.add_argument("folder", help="where to put the notebooks (no file is overwritten)")
    chk = sub.add_parser("check", help="print data problems and which analyses are possible")
    chk.add_argument("--data", default=None,
                     help="folder of CSV/XLSX tables (default: the sample data)")  # fmt: skip
    chk.add_argument("--lang", default="en", choices=["id", "en"], help="language of the table")
    cnv = sub.add_parser("convert", help="check a data folder once and write it as typed Parquet")
    cnv.add_argument("--data", default=None,
                     help="folder of CSV/XLSX/Parquet tables (default: the sample data)")  # fmt: skip
    cnv.add_argument("--out", required=True,
                     help="Parquet folder: new, empty or a previous conversion (replaced when done)")  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        return _main(argv)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "course":
        from toolkit.resources import copy_course

        try:
            written = copy_course(args.folder)
        except (FileExistsError, FileNotFoundError) as exc:
            print(f"No course was copied: {exc}", file=sys.stderr)
            return 2
        n_notebooks = sum(p.suffix == ".ipynb" for p in written)
        print(f"copied {n_notebooks} notebooks and the trainer's guide to {args.folder}; "
              f"open them with: jupyter lab {args.folder}")  # fmt: skip
        return 0
    if args.command == "import":
        return _import(args)
    if args.data is None:
        from toolkit import SAMPLE_DATA

        args.data = str(SAMPLE_DATA)
    if args.command == "convert":
        return _convert(args)
    if args.command == "check":
        from toolkit.report.check import main_check

        return main_check(args.data, lang=args.lang)
    from toolkit.data import DataError
    from toolkit.report import OutputError, build_report
    from toolkit.report.output import Terminated

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    try:
        result = build_report(
            args.data, args.out, lang=args.lang, formats=formats, office=args.office,
            title=args.title, current_slots=args.current_slots, min_group=args.min_group,
        )  # fmt: skip
    except DataError as exc:
        print(f"The data in {args.data} cannot be used yet:\n{exc}", file=sys.stderr)
        return 2
    except (OutputError, RuntimeError, ValueError) as exc:
        print(f"No report was written: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Terminated) as exc:
        print("Stopped; the previous report, if any, is unchanged.", file=sys.stderr)
        return 130 if isinstance(exc, KeyboardInterrupt) else 143
    return 1 if result.failed else 0  # each failure was named on the console


def _convert(args) -> int:
    """``python -m toolkit convert``: check the data once, write typed Parquet."""
    from toolkit.data import DataError, OutputFolderError, convert

    try:
        written = convert(args.data, args.out)
    except DataError as exc:
        print(f"The data in {args.data} cannot be used yet:\n{exc}", file=sys.stderr)
        return 2
    except (OutputFolderError, OSError) as exc:
        print(f"Nothing was converted: {exc}", file=sys.stderr)
        return 2
    tables = [p for p in written if p.suffix == ".parquet"]
    print(f"wrote {len(tables)} Parquet tables to {args.out}: "
          + ", ".join(p.stem for p in tables))  # fmt: skip
    return 0


def _import(args) -> int:
    """``python -m toolkit import``: draft a mapping, or convert and write the tables."""
    from pathlib import Path

    from toolkit.data import DataError, load
    from toolkit.importers import draft_map, import_export, write_tables
    from toolkit.readers import ReadFailure, read_text_table

    instruments = None
    try:
        if args.data:
            instruments = load(args.data, tables=["instruments"]).instruments
        if args.draft_map:
            headers = [str(c) for c in read_text_table(Path(args.file), "responses").columns]
            draft = draft_map(headers, args.source, instruments, program=args.program)
            if args.map is None:
                draft.to_csv(sys.stdout, index=False, lineterminator="\n")
                return 0
            target = Path(args.map)
            if target.exists():
                print(f"No draft was written: {target} exists (the draft never overwrites).",
                      file=sys.stderr)  # fmt: skip
                return 2
            draft.to_csv(target, index=False, lineterminator="\n")
            print(f"wrote {target}: check every row (target, code, scale), then import with --map")
            return 0
        if args.map is None or args.out is None:
            print("Pass --map MAP.csv and --out DIR (or --draft-map to draft the mapping).",
                  file=sys.stderr)  # fmt: skip
            return 2
        tables, notes = import_export(
            args.source, args.file, args.map, table=args.table, session=args.session,
            phase=args.phase, rater=args.rater, wave=args.wave, unit=args.unit,
            period=args.period, instruments=instruments,
        )  # fmt: skip
        mode = "append" if args.append else "replace" if args.replace else None
        written = write_tables(tables, args.out, mode=mode)
    except DataError as exc:
        print(f"Nothing was imported:\n{exc}", file=sys.stderr)
        return 2
    except (ReadFailure, ValueError) as exc:
        print(f"Nothing was imported: {exc}", file=sys.stderr)
        return 2
    for text in notes:
        print(f"Note: {text}", file=sys.stderr)
    for path in written:
        print(f"wrote {path} ({sum(len(t) for n, t in tables.items() if path.stem == n)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
