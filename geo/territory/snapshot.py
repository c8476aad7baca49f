"""Control on one day: points, areas and frontlines in one call, and its disk cache.

>>> import geopandas as gpd, pandas as pd
>>> control = gpd.GeoDataFrame({"place": ["A", "B"], "faction": ["x", "y"],
...     "valid_from": pd.to_datetime(["2024-11-01", "2024-11-01"]),
...     "status": ["held", "held"]},
...     geometry=gpd.points_from_xy([38.0, 38.2], [35.0, 35.0]), crs="EPSG:4326")
>>> from geo.territory.claims import TerritoryOptions
>>> snapshot = control_snapshot(control, date="2024-11-02", options=TerritoryOptions(radius_km=15))
>>> len(snapshot.points), snapshot.areas["faction"].tolist(), snapshot.frontlines["factions"][0]
(2, ['x', 'y'], ['x', 'y'])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.cache import CacheSlot, manifest_path, read_frames, read_or_build, write_frames
from geo.dates import as_day
from geo.territory.claims import (
    DEFAULT_OPTIONS,
    TerritoryOptions,
    areas_of_claims,
    claims_in_force,
)
from geo.territory.frontlines import frontlines

__all__ = [
    "SNAPSHOT_FORMAT",
    "SNAPSHOT_SLOT",
    "ControlSnapshot",
    "cached_snapshot",
    "control_snapshot",
]


@dataclass(frozen=True)
class ControlSnapshot:
    """Control on one day.

    Attributes
    ----------
    date
        The day.
    points
        Each place's claim in force (:func:`control_at`), with ``age_days``.
    areas
        ``faction, area_km2, uncertain, geometry`` (:func:`control_areas`).
    frontlines
        ``factions, faction_a, faction_b, length_km, geometry`` (:func:`frontlines`).
    """

    date: pd.Timestamp
    points: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    frontlines: gpd.GeoDataFrame


def control_snapshot(
    control: gpd.GeoDataFrame, *, date: object, options: TerritoryOptions = DEFAULT_OPTIONS
) -> ControlSnapshot:
    """Return points, areas and frontlines on ``date``; ``options`` as :func:`control_areas`.

    The claims in force are found once and feed both the points and the areas.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> control = gpd.GeoDataFrame({"place": ["A"], "faction": ["x"],
    ...     "valid_from": pd.to_datetime(["2024-11-01"]), "status": ["held"]},
    ...     geometry=gpd.points_from_xy([38.0], [35.0]), crs="EPSG:4326")
    >>> control_snapshot(control, date="2024-11-02").date
    Timestamp('2024-11-02 00:00:00')
    """
    day = as_day(date)
    points = claims_in_force(control, day)
    areas = areas_of_claims(points, day=day, options=options)
    return ControlSnapshot(
        date=day,
        points=points,
        areas=areas,
        frontlines=frontlines(areas, countries=options.countries),
    )


SNAPSHOT_FORMAT = "snapshot-cache-1"
"""Bump when the layout of an entry changes."""
SNAPSHOT_SLOT = CacheSlot("snapshot-", keep=32)
"""Control snapshots kept (a day each): the dashboard's first map needs the last day's."""
_SNAPSHOT_FRAMES = ("points", "areas", "frontlines")


def cached_snapshot(
    key: str,
    day: object,
    *,
    build: Callable[[], ControlSnapshot],
    cache_dir: Path | None = None,
) -> ControlSnapshot:
    """The control snapshot named by ``key`` (what the control data is) on ``day``, from disk.

    Or ``build()`` it and cache it. ``key`` must change whenever the snapshot would: the
    dashboard passes the atlas's :func:`geo.atlas.cache.fingerprint`, which covers the control
    data and every ``geo/`` module. A fresh dashboard server needs the last day's snapshot for
    its first map: read back, it costs a few milliseconds instead of about 0.3 s (Natural
    Earth, projections, clipping). An unreadable entry is rebuilt; an unwritable folder only
    logs.
    """
    slot = CacheSlot(SNAPSHOT_SLOT.prefix, keep=SNAPSHOT_SLOT.keep, folder=cache_dir)
    day = as_day(day)
    entry = slot.path(f"{key}-{day:%Y%m%d}")

    def read() -> ControlSnapshot:
        frames, manifest = read_frames(entry, _SNAPSHOT_FRAMES, version=SNAPSHOT_FORMAT)
        return ControlSnapshot(date=pd.Timestamp(manifest["date"]), **frames)

    def write(snap: ControlSnapshot) -> None:
        frames = {name: getattr(snap, name) for name in _SNAPSHOT_FRAMES}
        write_frames(
            entry, frames, manifest={"version": SNAPSHOT_FORMAT, "date": snap.date.isoformat()}
        )

    return read_or_build(
        manifest_path(entry), slot=slot, read=read, build=build, write=write, what="snapshot"
    )
