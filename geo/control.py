"""Control areas, frontlines and change at any date: the public face of the territory modules.

The work is split by stage: :mod:`geo.territory` (claims in force and derived areas),
:mod:`geo.frontlines` (where areas of different factions meet) and :mod:`geo.change`
(gains, losses, places that changed hands, area series). This module re-exports them and adds
:func:`control_snapshot`, the three layers of one day in one call.

>>> import geopandas as gpd, pandas as pd
>>> control = gpd.GeoDataFrame({"place": ["A", "B"], "faction": ["x", "y"],
...     "valid_from": pd.to_datetime(["2024-11-01", "2024-11-01"]),
...     "status": ["held", "held"]},
...     geometry=gpd.points_from_xy([38.0, 38.2], [35.0, 35.0]), crs="EPSG:4326")
>>> snapshot = control_snapshot(control, date="2024-11-02", radius_km=15)
>>> len(snapshot.points), snapshot.areas["faction"].tolist(), snapshot.frontlines["factions"][0]
(2, ['x', 'y'], ['x', 'y'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.change import ChangeReport, area_series, change_between, changed_hands
from geo.frontlines import frontlines
from geo.territory import (
    DEFAULT_COUNTRIES,
    DEFAULT_MAX_AGE_DAYS,
    DEFAULT_RADIUS_KM,
    UNCERTAIN_STATUSES,
    as_day,
    control_areas,
    control_at,
)

__all__ = [
    "DEFAULT_COUNTRIES",
    "DEFAULT_MAX_AGE_DAYS",
    "DEFAULT_RADIUS_KM",
    "UNCERTAIN_STATUSES",
    "ChangeReport",
    "ControlSnapshot",
    "area_series",
    "change_between",
    "changed_hands",
    "control_areas",
    "control_at",
    "control_snapshot",
    "frontlines",
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
    control: gpd.GeoDataFrame,
    *,
    date: object,
    polygons: gpd.GeoDataFrame | None = None,
    countries: Sequence[str] = DEFAULT_COUNTRIES,
    radius_km: float = DEFAULT_RADIUS_KM,
    max_age_days: int | None = DEFAULT_MAX_AGE_DAYS,
) -> ControlSnapshot:
    """Return points, areas and frontlines on ``date``; options as :func:`control_areas`.

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
    areas = control_areas(
        control,
        date=day,
        polygons=polygons,
        countries=countries,
        radius_km=radius_km,
        max_age_days=max_age_days,
    )
    return ControlSnapshot(
        date=day,
        points=control_at(control, day),
        areas=areas,
        frontlines=frontlines(areas, countries=countries),
    )
