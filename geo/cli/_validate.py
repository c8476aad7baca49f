"""``python -m geo validate [DIR]``: check the annotation files and that every place resolves.

Prints one ``file:row: reason`` line per problem (warnings marked ``warning:``), then a
summary on stderr. Exit code 0 when there is no error and every place resolves, else 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    parser = subparsers.add_parser(
        "validate",
        help="validate factions/events/control (and areas) and check every place resolves",
        description="Validate the annotation files in DIR and geocode every place offline. "
        "Prints one 'file:row: reason' line per problem; exit 1 on any error or unresolved "
        "place (warnings alone exit 0).",
    )
    parser.add_argument("data_dir", nargs="?", type=Path, default=Path("data"), metavar="DIR")
    parser.add_argument(
        "--no-geocode",
        action="store_true",
        help="only validate the files; do not check that places resolve",
    )
    parser.add_argument("--quiet", action="store_true", help="do not print warnings")
    parser.add_argument(
        "--sources",
        action="store_true",
        help="also print the share of rows with a source URL and the share inferred",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from geo.annotations import load_annotations

    data_dir: Path = args.data_dir
    if not data_dir.is_dir():
        print(f"{data_dir}: not a directory", file=sys.stderr)
        return 1
    ann = load_annotations(data_dir)
    issues = list(ann.issues)
    unresolved = 0
    if not args.no_geocode:
        from geo.atlas.join import join_annotations
        from geo.places.geocode import load_geocoder

        atlas = join_annotations(ann, geocoder=load_geocoder(data_dir=data_dir))
        issues = list(atlas.issues)
        unresolved = int((atlas.join_report["status"] == "unresolved").sum())
    errors = [i for i in issues if i.severity == "error"]
    for issue in issues:
        if issue.severity == "error":
            print(issue)
        elif not args.quiet:
            where = issue.file if issue.row is None else f"{issue.file}:{issue.row}"
            print(f"{where}: warning: {issue.reason}")
    warnings = len(issues) - len(errors)
    summary = (
        f"{len(ann.factions)} factions, {len(ann.events)} events, {len(ann.control)} control "
        f"claims, {len(ann.areas)} areas loaded; {len(errors)} error(s), {unresolved} "
        f"unresolved place(s), {warnings} warning(s)"
    )
    print(summary, file=sys.stderr)
    if args.sources:
        from geo.annotations.sourcing import source_coverage

        for share in source_coverage(ann.events, ann.control):
            print(share)
    return 1 if errors or unresolved else 0
