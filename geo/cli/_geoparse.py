"""``python -m geo geoparse``: places, factions, dates and draft events of news articles."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from geo.text import ParsedArticle

__all__ = ["register"]


def _iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}") from err


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``geoparse`` subcommand."""
    parser = subparsers.add_parser(
        "geoparse",
        help="find places, factions, dates and draft events in news articles",
        description="Read each FILE (- for standard input) as one article and report its "
        "place mentions (geocoded offline with the article's context), faction mentions, "
        "dates and draft events. One parser is loaded and reused for all files.",
    )
    parser.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="publication date, to resolve 'on Sunday', 'last week' ...",
    )
    parser.add_argument(
        "--json", action="store_true", help="one JSON object per file, one per line"
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="text file, or - for stdin")
    parser.set_defaults(func=_run)


def _read(name: str) -> str:
    """The article's text: UTF-8 with or without BOM (offsets count from after the BOM)."""
    from geo.errors import DataFileError
    from geo.io.decode import decode_text

    try:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as fh:
                data = fh.read()
    except OSError as err:
        raise DataFileError(f"cannot read article {name!r}: {err}") from err
    label = "<stdin>" if name == "-" else name
    text, issues = decode_text(data, name=label)
    if text is None or issues:
        # Binary data, or not UTF-8: refuse rather than geoparse replacement characters.
        reason = "; ".join(issue.reason for issue in issues)
        raise DataFileError(f"cannot read article {label!r}: {reason.split(' — ')[0]}")
    return text


def _summary(name: str, parsed: ParsedArticle, out: TextIO) -> None:
    print(f"== {name}", file=out)
    print(f"places ({len(parsed.places)}):", file=out)
    for p in parsed.places:
        where = (
            f"{p.name} [{p.country}, {p.kind}] {p.lat:.4f}, {p.lon:.4f}"
            if p.lat is not None and p.lon is not None
            else "UNRESOLVED"
        )
        print(f"  {p.start:>6}-{p.end:<6} {p.text!r} -> {where} ({p.confidence:.2f})", file=out)
    print(f"factions ({len(parsed.factions)}):", file=out)
    for f in parsed.factions:
        print(f"  {f.start:>6}-{f.end:<6} {f.text!r} -> {f.faction}", file=out)
    print(f"dates ({len(parsed.dates)}):", file=out)
    for d in parsed.dates:
        print(
            f"  {d.start:>6}-{d.end:<6} {d.text!r} -> {d.date.isoformat()} ({d.precision})",
            file=out,
        )
    print(f"draft events ({len(parsed.events)}):", file=out)
    for e in parsed.events:
        date = e.date.isoformat() if e.date else "date?"
        print(
            f"  {date} {e.event_type} / {e.sub_event_type} | {e.faction or 'actor?'} | "
            f"{e.place or 'place?'} ({e.confidence:.2f})\n      {e.sentence}",
            file=out,
        )


def _run(args: argparse.Namespace) -> int:
    from geo.errors import GeoError
    from geo.text import ArticleParser

    parser = ArticleParser()
    status = 0
    for name in args.files:
        try:
            parsed = parser.parse(_read(name), published=args.date)
        except GeoError as err:
            print(f"error: {err}", file=sys.stderr)
            status = 1
            continue
        if args.json:
            print(json.dumps(parsed.to_dict(), ensure_ascii=False))
        else:
            _summary(name, parsed, sys.stdout)
    return status
