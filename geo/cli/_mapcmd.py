"""``python -m geo map``: write a standalone interactive map (one HTML file) for a date.

``--date`` sets the control areas and frontlines; ``--start``/``--end`` the event window
(default: from the first event up to ``--date``); ``--faction`` and ``--event-type`` (each
repeatable) narrow what is drawn. With ``--offline`` (or ``FRONTLINE_OFFLINE=1``) the map has
no tile layer at all and opens with no internet access.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.cli._control import DEFAULT_DATA_DIR, day_argument, load_data
from geo.errors import ConfigError, DataFileError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``map`` subcommand."""
    parser = subparsers.add_parser(
        "map",
        help="write a standalone interactive map (HTML) of control, frontlines and events",
        description="Draw control areas and frontlines on DATE, events in a window, borders "
        "and crossings, into one self-contained HTML file (Leaflet and fonts inlined).",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, metavar="DIR")
    parser.add_argument("--date", type=day_argument, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--start", type=day_argument, default=None, metavar="YYYY-MM-DD")
    parser.add_argument("--end", type=day_argument, default=None, metavar="YYYY-MM-DD")
    parser.add_argument("--faction", action="append", default=None, metavar="ID", help="repeatable")
    parser.add_argument(
        "--event-type", action="append", default=None, metavar="TYPE", help="repeatable"
    )
    parser.add_argument(
        "--basemap", choices=("osm", "light", "satellite", "offline"), default="osm"
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="no tile layers at all: nothing leaves the machine (also FRONTLINE_OFFLINE=1)",
    )
    parser.add_argument(
        "--max-points",
        type=int,
        default=20_000,
        metavar="N",
        help="above N events, draw counts per hexagon (default 20000)",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.html")
    parser.set_defaults(func=_run)


def _crossings(data_dir: Path, control: object, date: object) -> object:
    from geo.places.gazetteer import read_places_table
    from geo.territory.crossings import border_crossings

    places_csv = data_dir / "places.csv"
    if not places_csv.is_file():
        return None
    return border_crossings(read_places_table(places_csv), control, date=date)


def _check_choices(option: str, given: list[str] | None, known: list[str]) -> None:
    """Refuse values of a repeatable option that match nothing (an empty map says nothing)."""
    unknown = [value for value in given or () if value not in known]
    if unknown:
        shown = ", ".join(repr(value) for value in unknown)
        raise ConfigError(f"{option}: unknown {shown}; known: {', '.join(known)}")


def _run(args: argparse.Namespace) -> int:
    import pandas as pd

    from geo.borders import border_lines
    from geo.maps.assets import standalone_html
    from geo.maps.build import build_map, offline_from_env
    from geo.schema import ACLED_TAXONOMY
    from geo.territory import TerritoryOptions, control_snapshot
    from geo.view.filters import filter_events

    if args.start and args.end and args.start > args.end:
        raise ConfigError(f"--start {args.start} is after --end {args.end}")
    if args.max_points < 0:
        raise ConfigError(f"--max-points must be >= 0, got {args.max_points}")
    atlas = load_data(args.data)
    _check_choices("--faction", args.faction, atlas.factions["id"].tolist())
    _check_choices("--event-type", args.event_type, sorted(ACLED_TAXONOMY))
    day = pd.Timestamp(args.date)
    snapshot = control_snapshot(
        atlas.control, date=day, options=TerritoryOptions(polygons=atlas.areas)
    )
    events = atlas.events
    start = args.start or (events["date"].min() if len(events) else day)
    end = args.end or day
    shown = filter_events(
        events, start=start, end=end, factions=args.faction, event_types=args.event_type
    )
    areas, fronts = snapshot.areas, snapshot.frontlines
    if args.faction:
        areas = areas[areas["faction"].isin(args.faction)]
        fronts = fronts[
            fronts["faction_a"].isin(args.faction) | fronts["faction_b"].isin(args.faction)
        ]
    fmap = build_map(
        events=shown,
        areas=areas,
        frontlines=fronts,
        borders=border_lines(),
        crossings=_crossings(args.data, atlas.control, day),
        factions=atlas.factions,
        basemap=args.basemap,
        offline=args.offline or offline_from_env(),
        max_points=args.max_points,
    )
    html = standalone_html(fmap)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(html, encoding="utf-8")
    except OSError as err:
        raise DataFileError(f"{args.out}: cannot write ({err.strerror or err})") from err
    print(
        f"wrote {args.out} ({len(html.encode()) / 1e6:.1f} MB): {len(shown)} events "
        f"{pd.Timestamp(start).date()}..{pd.Timestamp(end).date()}, {len(areas)} control areas "
        f"and {len(fronts)} frontlines on {args.date}"
    )
    return 0
