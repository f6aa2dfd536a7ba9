"""Command line: ``python -m etl build|check|scan|draft|accept`` (the work is in the modules).

Exit codes: 0 success, 1 the register has problems (all listed), 2 another build is running.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.accept import main_accept
from etl.build import default_root, run
from etl.build import default_root as _default_root
from etl.draft import main_draft
from etl.errors import BuildError, LockedError
from etl.numbers import main_scan


def _build(args: argparse.Namespace, write: bool) -> int:
    root = Path(args.root) if args.root else default_root()
    out = Path(args.out) if getattr(args, "out", None) else None
    try:
        result = run(root, out, write=write)
    except BuildError as exc:
        print(exc.report(), file=sys.stderr)
        print("build failed: nothing was written; the previous tables are unchanged"
              if write else "check failed", file=sys.stderr)
        return 1
    except LockedError as exc:
        print(f"build refused: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # unwritable output folder, full disk: the old tables stay in place
        print(f"build failed: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(df)} {name}" for name, df in result.frames.items())
    if write:
        print(f"wrote {counts} to {result.out} (build {result.build_id})")
    else:
        print(f"check passed: {counts} (nothing written)")
    return 0


def _scan(args: argparse.Namespace) -> int:
    return main_scan(args.paths)


def _draft(args: argparse.Namespace) -> int:
    return main_draft(Path(args.root) if args.root else _default_root(), args.file,
                      args.source_id, args.published, args.force)


def _accept(args: argparse.Namespace) -> int:
    return main_accept(Path(args.root) if args.root else _default_root(), args.draft)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="verify the register and write data/tables/")
    p.add_argument("--root", help="project root holding data/ (default: this repository)")
    p.add_argument("--out", help="output folder (default: ROOT/data/tables)")
    p.set_defaults(func=lambda a: _build(a, write=True))
    p = sub.add_parser("check", help="run every verification without writing")
    p.add_argument("--root", help="project root holding data/ (default: this repository)")
    p.set_defaults(func=lambda a: _build(a, write=False))
    p = sub.add_parser("scan", help="print every numeric expression in text files, as JSON lines")
    p.add_argument("paths", nargs="+", metavar="FILE", help="UTF-8 text files")
    p.set_defaults(func=_scan)
    p = sub.add_parser("draft", help="propose register entries for a raw article "
                       "(writes data/drafts/<source_id>.yaml)")
    p.add_argument("file", metavar="FILE", help="the raw article (UTF-8 text)")
    p.add_argument("--source-id", help="id of the new source (default: date and file name)")
    p.add_argument("--published", metavar="YYYY-MM-DD",
                   help="publication date (default: the dateline above the body, if any)")
    p.add_argument("--force", action="store_true", help="overwrite an existing draft")
    p.add_argument("--root", help="project root holding data/ (default: this repository)")
    p.set_defaults(func=_draft)
    p = sub.add_parser("accept", help="move a reviewed draft's done records into the register "
                       "and run the check")
    p.add_argument("draft", metavar="DRAFT", help="data/drafts/<source_id>.yaml")
    p.add_argument("--root", help="project root holding data/ (default: this repository)")
    p.set_defaults(func=_accept)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
