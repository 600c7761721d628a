"""Command line: ``python -m toolkit report --data DIR --out DIR [--lang id|en] [--with-code]``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for invalid data)."""
    parser = argparse.ArgumentParser(prog="python -m toolkit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="execute the notebooks on a data folder and write HTML")
    rep.add_argument("--data", default="sample_data", help="folder of CSV/XLSX tables")
    rep.add_argument("--out", default="build/report", help="report folder (replaced when done)")
    rep.add_argument("--lang", default="id", choices=["id", "en"], help="report language")
    rep.add_argument("--with-code", action="store_true", help="show code (reviewer mode)")
    args = parser.parse_args(argv)

    from toolkit.data import DataError
    from toolkit.report import build_report

    try:
        build_report(args.data, args.out, lang=args.lang, with_code=args.with_code)
    except DataError as exc:
        print(f"The data in {args.data} cannot be used yet:\n{exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
