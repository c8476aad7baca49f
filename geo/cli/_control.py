"""``python -m geo control`` and ``python -m geo change``: control areas, frontlines and change.

``control --date D`` writes a GeoJSON FeatureCollection (to ``--out`` or stdout): area features
(``kind: "area"``, ``faction``, ``area_km2``, ``uncertain``) and frontline features
(``kind: "frontline"``, ``factions``, ``faction_a``, ``faction_b``, ``length_km``).

``change --from D1 --to D2`` prints gains, losses and the places that changed hands as a
table, or with ``--json`` an object with keys ``from``, ``to``, ``factions`` and
``changed_hands``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import DataFileError
from geo.schema import DATA_DIR

if TYPE_CHECKING:
    from geo.atlas.join import AtlasData
    from geo.territory.claims import TerritoryOptions

__all__ = ["DEFAULT_DATA_DIR", "day_argument", "load_data", "register", "write_text"]

#: The bundled annotations of the repository.
DEFAULT_DATA_DIR = DATA_DIR


def day_argument(value: str) -> dt.date:
    """argparse type for ``YYYY-MM-DD``; the error names the bad value."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from err


def write_text(text: str, out: Path | None) -> None:
    """Write ``text`` to the file ``out``, or to stdout when ``out`` is None."""
    if out is None:
        print(text)
        return
    try:
        out.write_text(text + "\n", encoding="utf-8")
    except OSError as err:
        raise DataFileError(f"{out}: cannot write ({err.strerror or err})") from err


#: At most this many rows left out of the data are listed by ``load_data`` (then a count).
_MAX_LISTED = 10


def load_data(data_dir: Path) -> AtlasData:
    """Load and join the annotations of ``data_dir``; say on stderr which rows were left out.

    The commands that draw or measure control still run on the valid rows, but an error in
    the data (a row left out) is never silent: up to ten ``file:row: reason`` lines and a
    count go to stderr, with a pointer to ``python -m geo validate DIR``.

    Raises
    ------
    DataFileError
        ``data_dir`` is not a directory (the message shows the path).
    """
    from geo.atlas.load import load_atlas

    if not data_dir.is_dir():
        raise DataFileError(f"{data_dir}: not a directory (--data DIR holds the annotations)")
    atlas = load_atlas(data_dir)
    errors = [issue for issue in atlas.issues if issue.severity == "error"]
    if errors:
        print(
            f"warning: {len(errors)} problem(s) in {data_dir}; those rows are left out "
            f"(python -m geo validate {data_dir} lists them all):",
            file=sys.stderr,
        )
        for issue in errors[:_MAX_LISTED]:
            print(f"  {issue}", file=sys.stderr)
        if len(errors) > _MAX_LISTED:
            print(f"  ... and {len(errors) - _MAX_LISTED} more", file=sys.stderr)
    return atlas


def _options(parser: argparse.ArgumentParser) -> None:
    # Defaults are resolved at run time, so that registering does not import geopandas.
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, metavar="DIR")
    parser.add_argument(
        "--radius-km",
        type=float,
        default=None,
        metavar="KM",
        help="no place claims ground further away (default: geo.territory.claims.DEFAULT_RADIUS_KM)",
    )
    parser.add_argument(
        "--max-age-days",
        type=int,
        default=None,
        metavar="DAYS",
        help="older claims are marked uncertain; -1: never "
        "(default: geo.territory.claims.DEFAULT_MAX_AGE_DAYS)",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``control`` and ``change`` subcommands."""
    control = subparsers.add_parser(
        "control",
        help="control areas and frontlines on a date, as GeoJSON",
        description="Derive each faction's territory and the frontlines on DATE from the "
        "control annotations (Voronoi cells clipped to country and radius; explicit polygons "
        "override) and write them as a GeoJSON FeatureCollection to --out or stdout.",
    )
    control.add_argument("--date", type=day_argument, required=True, metavar="YYYY-MM-DD")
    control.add_argument("--out", type=Path, default=None, metavar="FILE.geojson")
    _options(control)
    control.set_defaults(func=_run_control)

    change = subparsers.add_parser(
        "change",
        help="area gained and lost per faction and places that changed hands between two dates",
        description="Compare control on two dates: km² gained and lost per faction and the "
        "places that changed hands in between.",
    )
    change.add_argument("--from", dest="start", type=day_argument, required=True, metavar="D1")
    change.add_argument("--to", dest="end", type=day_argument, required=True, metavar="D2")
    change.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _options(change)
    change.set_defaults(func=_run_change)


def _territory_options(args: argparse.Namespace, polygons: object) -> TerritoryOptions:
    """The territory options of the command line (``--radius-km``, ``--max-age-days``)."""
    from geo.territory.claims import DEFAULT_MAX_AGE_DAYS, DEFAULT_RADIUS_KM, TerritoryOptions

    max_age = DEFAULT_MAX_AGE_DAYS if args.max_age_days is None else args.max_age_days
    return TerritoryOptions(
        polygons=polygons,
        radius_km=DEFAULT_RADIUS_KM if args.radius_km is None else args.radius_km,
        max_age_days=None if max_age < 0 else max_age,
    )


def snapshot_collection(snapshot: object) -> dict[str, object]:
    """GeoJSON FeatureCollection of a :class:`geo.territory.ControlSnapshot`'s areas and fronts."""
    areas = snapshot.areas.assign(kind="area").to_geo_dict(na="null", drop_id=True)
    fronts = snapshot.frontlines.assign(kind="frontline").to_geo_dict(na="null", drop_id=True)
    return {
        "type": "FeatureCollection",
        "date": snapshot.date.date().isoformat(),
        "features": areas["features"] + fronts["features"],
    }


def _run_control(args: argparse.Namespace) -> int:
    from geo.territory import control_snapshot

    atlas = load_data(args.data)
    snapshot = control_snapshot(
        atlas.control, date=args.date, options=_territory_options(args, atlas.areas)
    )
    write_text(json.dumps(snapshot_collection(snapshot), ensure_ascii=False), args.out)
    return 0


def _plain(value: object) -> object:
    """JSON-safe scalar: timestamps as ISO days, NaN/NA as None."""
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in {"NAType", "NaTType"}:
        return None
    return value.item() if hasattr(value, "item") else value


def report_dict(report: object) -> dict[str, object]:
    """The JSON form of a :class:`geo.territory.change.ChangeReport`."""
    records = {
        key: [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
        for key, frame in (("factions", report.factions), ("changed_hands", report.changed_hands))
    }
    return {"from": report.start.date().isoformat(), "to": report.end.date().isoformat()} | (
        records
    )


def report_table(report: object) -> str:
    """A plain-text table of a :class:`geo.territory.change.ChangeReport`."""
    lines = [f"Control change {report.start.date()} -> {report.end.date()}", ""]
    lines.append(f"{'faction':<12}{'gained_km2':>12}{'lost_km2':>12}{'net_km2':>12}")
    for row in report.factions.itertuples():
        lines.append(
            f"{row.faction:<12}{row.gained_km2:>12.1f}{row.lost_km2:>12.1f}{row.net_km2:>12.1f}"
        )
    lines += ["", f"Places that changed hands: {len(report.changed_hands)}"]
    rows = report_dict(report)["changed_hands"]
    width = max([len(str(row["place"])) for row in rows] + [5])
    for row in rows:
        source = row["source"] or ""
        lines.append(
            f"{row['date']}  {row['place']:<{width}}  {row['from_faction'] or '?':>8} -> "
            f"{row['to_faction']:<8} {source}"
        )
    return "\n".join(lines)


def _run_change(args: argparse.Namespace) -> int:
    from geo.territory import change_between

    atlas = load_data(args.data)
    report = change_between(
        atlas.control, args.start, args.end, options=_territory_options(args, atlas.areas)
    )
    if args.json:
        print(json.dumps(report_dict(report), ensure_ascii=False, indent=2))
    else:
        print(report_table(report))
    return 0
