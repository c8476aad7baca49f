"""``python -m geo borders``: international border lines and border crossings as GeoJSON.

Without ``--out`` the FeatureCollection goes to stdout; ``--table`` prints a summary instead.
Border features carry ``kind: "border"``, ``countries`` (two ISO2 codes) and ``length_km``;
crossing features carry ``kind: "crossing"``, ``name``, ``aliases``, ``countries``,
``status`` and ``held_by`` (from the control annotations on ``--date``, default: latest).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.cli._control import DEFAULT_DATA_DIR, day_argument, load_data, write_text

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``borders`` subcommand."""
    parser = subparsers.add_parser(
        "borders",
        help="border lines (Natural Earth 1:10m) and crossings with their holder, as GeoJSON",
        description="Write the land borders shared by Syria, Iraq and their neighbours "
        "(geodesic length in km) and the border crossings of places.csv with who holds them "
        "on --date (default: the latest claim), as a GeoJSON FeatureCollection to --out or "
        "stdout; --table prints a summary instead.",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, metavar="DIR")
    parser.add_argument("--date", type=day_argument, default=None, metavar="YYYY-MM-DD")
    parser.add_argument("--out", type=Path, default=None, metavar="FILE.geojson")
    parser.add_argument("--table", action="store_true", help="print a summary table instead")
    parser.set_defaults(func=_run)


def _places(data_dir: Path) -> object:
    import pandas as pd

    from geo.places.gazetteer import read_places_table

    path = data_dir / "places.csv"
    if not path.exists():
        print(f"warning: {path} not found: no crossings", file=sys.stderr)
        return pd.DataFrame(columns=["name", "aliases", "kind", "lat", "lon"])
    return read_places_table(path)


def _control(data_dir: Path) -> object:
    return load_data(data_dir).control


def _run(args: argparse.Namespace) -> int:
    from geo.borders import border_lines
    from geo.territory.crossings import border_crossings

    lines = border_lines()
    places = _places(args.data)
    crossings = border_crossings(places, _control(args.data), date=args.date)
    if args.table:
        for row in lines.itertuples():
            print(f"border    {'-'.join(row.countries):8} {row.length_km:9.1f} km")
        for row in crossings.itertuples():
            held = row.held_by if isinstance(row.held_by, str) else "?"
            sides = "-".join(row.countries)
            print(f"crossing  {sides:8} {row.status:8} {held:10} {row.name}")
        return 0
    features = lines.assign(kind="border").to_geo_dict(na="null", drop_id=True)["features"]
    features += crossings.assign(kind="crossing").to_geo_dict(na="null", drop_id=True)["features"]
    collection = {"type": "FeatureCollection", "features": features}
    write_text(json.dumps(collection, ensure_ascii=False), args.out)
    return 0
