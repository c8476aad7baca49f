"""``python -m geo import acled|ucdp FILE --out OUT.csv``: convert an export to our events CSV.

Actors are mapped to the factions of ``--data DIR/factions.csv`` through their aliases;
unknown actors are kept as raw text and reported. Every problem is printed to stderr as
``file:row: reason``; rows with errors are left out of ``OUT``. Exit code 1 when any row was
left out or nothing could be read, else 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` subcommand."""
    parser = subparsers.add_parser(
        "import",
        help="convert an ACLED export or a UCDP GED CSV into an events CSV",
        description="Convert an ACLED export or a UCDP GED CSV into our events schema "
        "(events.csv columns plus geo_precision). Unknown actors are kept and reported.",
    )
    parser.add_argument("source", choices=("acled", "ucdp"), help="the layout of FILE")
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="OUT",
        help="output file (.csv, .geojson, .gpkg or .parquet)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("data"),
        metavar="DIR",
        help="directory holding factions.csv (default: data)",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from geo.annotations import EVENT_INPUT_COLUMNS, read_factions_file
    from geo.annotations.importers import import_acled, import_ucdp

    factions, faction_issues = read_factions_file(args.data / "factions.csv")
    for issue in faction_issues:
        print(issue, file=sys.stderr)
    importer = import_acled if args.source == "acled" else import_ucdp
    events, issues = importer(args.file, factions=factions)
    for issue in issues:
        where = issue.file if issue.row is None else f"{issue.file}:{issue.row}"
        tag = "" if issue.severity == "error" else "warning: "
        print(f"{where}: {tag}{issue.reason}", file=sys.stderr)
    _write(events[list(EVENT_INPUT_COLUMNS)], args.out)
    errors = sum(i.severity == "error" for i in issues)
    print(
        f"{len(events)} events written to {args.out}; {errors} row problem(s), "
        f"{len(issues) - errors} warning(s)",
        file=sys.stderr,
    )
    return 1 if errors or (events.empty and issues) else 0


def _write(events: object, out: Path) -> None:
    from geo.errors import DataFileError

    if out.suffix.lower() == ".csv":
        try:
            events.to_csv(out, index=False, date_format="%Y-%m-%d", lineterminator="\n")
        except OSError as err:
            raise DataFileError(f"{out}: cannot write ({err.strerror or err})") from err
        return
    import geopandas as gpd

    from geo.io.formats import write_table

    gdf = gpd.GeoDataFrame(
        events, geometry=gpd.points_from_xy(events["lon"], events["lat"]), crs="EPSG:4326"
    )  # x = lon, y = lat
    write_table(gdf, out)
