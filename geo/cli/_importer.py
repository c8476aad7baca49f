"""``python -m geo import acled|ucdp FILE --out OUT.csv``: convert an export to our events CSV.

Actors are mapped to the factions of ``--data DIR/factions.csv`` (default: the bundled
``data/factions.csv``) through their aliases; unknown actors are grouped into factions
(:func:`geo.annotations.actors.group_actors`: one per frequent actor, the rest "other
(country)") and the whole table, old factions and new, is written to ``--factions-out``
(default: ``factions.csv`` beside OUT). Edit it (move aliases, rename, recolour) and import
again with ``--data`` pointing at its folder to apply the edits. Every problem is printed to stderr as
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
        default=None,
        metavar="DIR",
        help="directory holding factions.csv (default: the bundled data)",
    )
    parser.add_argument(
        "--factions-out",
        type=Path,
        default=None,
        metavar="FILE",
        help="where to write the factions table with the grouped actors "
        "(default: factions.csv beside OUT)",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from geo.annotations import EVENT_INPUT_COLUMNS, read_factions_file
    from geo.annotations.actors import group_actors
    from geo.annotations.importers import import_acled, import_ucdp
    from geo.schema import DATA_DIR

    data_dir = args.data if args.data is not None else DATA_DIR
    factions, faction_issues = read_factions_file(data_dir / "factions.csv")
    for issue in faction_issues:
        print(issue, file=sys.stderr)
    importer = import_acled if args.source == "acled" else import_ucdp
    events, issues = importer(args.file, factions=factions)
    events, factions, grouped = group_actors(events, factions=factions)
    issues = [*issues, *grouped]
    for issue in issues:
        where = issue.file if issue.row is None else f"{issue.file}:{issue.row}"
        tag = "" if issue.severity == "error" else "warning: "
        print(f"{where}: {tag}{issue.reason}", file=sys.stderr)
    _write(events[list(EVENT_INPUT_COLUMNS)], args.out)
    factions_out = args.factions_out or args.out.with_name("factions.csv")
    _write(factions, factions_out)
    errors = sum(i.severity == "error" for i in issues)
    print(
        f"{len(events)} events written to {args.out}, {len(factions)} factions to "
        f"{factions_out}; {errors} row problem(s), {len(issues) - errors} warning(s)",
        file=sys.stderr,
    )
    return 1 if errors or (events.empty and issues) else 0


def _write(events: object, out: Path) -> None:
    from geo.errors import DataFileError

    try:  # ``--out new-folder/events.csv`` makes the data folder, as a user expects
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DataFileError(f"{out}: cannot write ({err.strerror or err})") from err
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
