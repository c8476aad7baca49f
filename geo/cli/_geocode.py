"""``python -m geo geocode`` and ``python -m geo geocode-csv``: place names to coordinates.

>>> import argparse
>>> sub = argparse.ArgumentParser(prog="python -m geo").add_subparsers()
>>> register(sub)
>>> sorted(sub.choices)
['geocode', 'geocode-csv']
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["register"]

_JSON_KEYS = ("query", "name", "lat", "lon", "country", "kind", "confidence", "source")
_CSV_COLUMNS = ("lat", "lon", "country", "confidence", "matched_name")


def register(subparsers: Any) -> None:
    """Add the ``geocode`` and ``geocode-csv`` subcommands."""
    one = subparsers.add_parser(
        "geocode",
        help="geocode place names (offline gazetteer; --online as a fallback)",
        description="Geocode place names with the embedded gazetteer. Unresolved names are "
        "reported, never dropped; the exit code is 0 even when some names are unresolved.",
    )
    one.add_argument("names", nargs="+", metavar="NAME", help="place names, any common spelling")
    one.add_argument("--json", action="store_true", help="print a JSON array in input order")
    _common_options(one)
    one.set_defaults(func=_run_names)

    table = subparsers.add_parser(
        "geocode-csv",
        help="add lat, lon, country, confidence, matched_name columns to a CSV",
        description="Geocode one column of a CSV file; unresolved rows are listed on stderr "
        "as FILE:ROW: unresolved 'NAME'.",
    )
    table.add_argument("csv_in", type=Path, metavar="IN.csv")
    table.add_argument("--column", required=True, metavar="COL", help="the column of place names")
    table.add_argument("--out", type=Path, default=None, metavar="OUT.csv", help="default: stdout")
    _common_options(table)
    table.set_defaults(func=_run_csv)


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--country",
        action="append",
        default=None,
        metavar="CC",
        help="only places in this ISO2 country (repeatable)",
    )
    parser.add_argument(
        "--data", type=Path, default=None, metavar="DIR", help="folder of places.csv"
    )
    online = parser.add_argument_group("online fallback (off by default)")
    online.add_argument("--online", action="store_true", help="ask an online geocoder for misses")
    online.add_argument("--provider", default="nominatim", help="geopy service name")
    online.add_argument("--online-domain", default=None, metavar="HOST[:PORT]")
    online.add_argument("--online-scheme", choices=("http", "https"), default=None)
    online.add_argument("--online-cache", type=Path, default=None, metavar="FILE.sqlite")


def _geocoder(args: argparse.Namespace) -> Any:
    from geo.places.gazetteer import load_gazetteer
    from geo.places.geocode import Geocoder

    online = None
    if args.online:
        from geo.places.online import OnlineGeocoder, default_cache_path

        online = OnlineGeocoder(
            provider=args.provider,
            domain=args.online_domain,
            scheme=args.online_scheme,
            cache_path=args.online_cache or default_cache_path(),
        )
    return Geocoder(load_gazetteer(data_dir=args.data), online=online)


def _run_names(args: argparse.Namespace) -> int:
    results = _geocoder(args).geocode_many(args.names, countries=args.country)
    if args.json:
        print(
            json.dumps(
                [{k: r.to_dict()[k] for k in _JSON_KEYS} for r in results], ensure_ascii=False
            )
        )
        return 0
    print(f"{'query':24} {'name':28} {'lat':>9} {'lon':>9} cc  {'kind':13} conf  source")
    for r in results:
        if r.resolved:
            print(
                f"{r.query[:24]:24} {(r.name or '')[:28]:28} {r.lat:9.4f} {r.lon:9.4f} "
                f"{r.country or '--':3} {(r.kind or '')[:13]:13} {r.confidence:4.2f}  {r.source}"
            )
        else:
            print(f"{r.query[:24]:24} {'(unresolved: ' + (r.reason or '') + ')'}")
    return 0


def _run_csv(args: argparse.Namespace) -> int:
    from geo.errors import DataFileError

    try:
        with open(args.csv_in, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = list(reader.fieldnames or [])
            numbered = [(reader.line_num, row) for row in reader]  # line of each record's end
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise DataFileError(f"{args.csv_in}: cannot read CSV: {err}") from err
    if args.column not in fields:
        raise DataFileError(f"{args.csv_in}: no column {args.column!r}; columns are {fields}")
    rows = [row for _, row in numbered]
    names = [(row.get(args.column) or "").strip() for row in rows]
    results = _geocoder(args).geocode_many(names, countries=args.country)
    out_fields = fields + [c for c in _CSV_COLUMNS if c not in fields]
    try:
        out = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout  # noqa: SIM115
    except OSError as err:
        raise DataFileError(f"{args.out}: cannot write ({err.strerror or err})") from err
    try:
        writer = csv.DictWriter(out, fieldnames=out_fields, lineterminator="\n")
        writer.writeheader()
        for (line, row), result in zip(numbered, results, strict=True):
            row.update(
                lat="" if result.lat is None else f"{result.lat:.6f}",
                lon="" if result.lon is None else f"{result.lon:.6f}",
                country=result.country or "",
                confidence=f"{result.confidence:.3f}",
                matched_name=result.name or "",
            )
            writer.writerow(row)
            if not result.resolved:
                print(f"{args.csv_in}:{line}: unresolved {result.query!r}", file=sys.stderr)
    finally:
        if out is not sys.stdout:
            out.close()
    unresolved = sum(not r.resolved for r in results)
    print(f"{len(results) - unresolved} of {len(results)} rows geocoded", file=sys.stderr)
    return 0
