"""What changed between two dates, and area per faction per day.

Gains and losses compare each faction's whole area (certain and uncertain parts together) on
the two dates with a 1 cm snap-rounding overlay in the equal-area CRS; gained or lost parts
under 1,000 m² are overlay noise and left out. ``net_km2`` is ``gained_km2 - lost_km2``.
A place "changed hands" when a claim dated after ``start`` and on or before ``end`` names
another faction than the place's previous claim; a place's first claim ever is listed with
a missing ``from_faction``.

>>> import geopandas as gpd, pandas as pd
>>> control = gpd.GeoDataFrame({"place": ["A", "B", "B"], "faction": ["x", "x", "y"],
...     "valid_from": pd.to_datetime(["2024-11-01", "2024-11-01", "2024-12-01"]),
...     "status": ["held"] * 3, "source": ["s"] * 3, "confidence": [0.9] * 3},
...     geometry=gpd.points_from_xy([38.0, 38.3, 38.3], [35.0, 35.0, 35.0]), crs="EPSG:4326")
>>> report = change_between(control, "2024-11-15", "2024-12-02", options=TerritoryOptions(radius_km=10))
>>> report.changed_hands[["place", "from_faction", "to_faction"]].values.tolist()
[['B', 'x', 'y']]
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.borders import EQUAL_AREA_CRS
from geo.dates import as_day
from geo.errors import ConfigError
from geo.territory.cells import territory_cells
from geo.territory.claims import (
    DEFAULT_OPTIONS,
    TerritoryOptions,
    active_polygons,
    areas_of_claims,
    claims_in_force,
    override_geometries,
    uncertain_mask,
)

__all__ = ["ChangeReport", "area_series", "change_between", "changed_hands"]

_GRID_M = 0.01  # snap-rounding precision of the overlays, metres
_SLIVER_M2 = 1000.0  # gained/lost parts smaller than this are floating-point noise
_HANDS_COLUMNS = ["place", "date", "from_faction", "to_faction", "source", "confidence"]


@dataclass(frozen=True)
class ChangeReport:
    """Gains, losses and transfers of places between two days.

    Attributes
    ----------
    start, end
        The two days compared.
    factions
        ``faction, gained_km2, lost_km2, net_km2``: one row per faction present on either day.
    polygons
        ``faction, change ("gained" or "lost"), area_km2, geometry`` (EPSG:4326).
    changed_hands
        ``place, date, from_faction, to_faction, source, confidence``, by date then place.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    factions: pd.DataFrame
    polygons: gpd.GeoDataFrame
    changed_hands: pd.DataFrame


def changed_hands(control: pd.DataFrame, start: object, end: object) -> pd.DataFrame:
    """Claims dated in ``(start, end]`` that hand a place to a different faction.

    Examples
    --------
    >>> frame = pd.DataFrame({"place": ["Homs", "Homs"], "faction": ["gov", "hts"],
    ...     "valid_from": pd.to_datetime(["2024-11-01", "2024-12-07"]),
    ...     "status": ["held", "held"]})
    >>> changed_hands(frame, "2024-12-01", "2024-12-08")[["place", "to_faction"]].values.tolist()
    [['Homs', 'hts']]
    """
    first, last = as_day(start, name="start"), as_day(end, name="end")
    rows = pd.DataFrame(control).assign(
        valid_from=pd.to_datetime(control["valid_from"]).dt.normalize()
    )
    rows = rows.sort_values(["place", "valid_from"], kind="stable")
    previous = rows.groupby("place", sort=False)["faction"].shift(1)
    moved = (rows["valid_from"] > first) & (rows["valid_from"] <= last)
    moved &= previous.isna() | (previous.astype("str") != rows["faction"].astype("str"))
    out = pd.DataFrame(
        {
            "place": rows["place"],
            "date": rows["valid_from"],
            "from_faction": previous.astype("str"),
            "to_faction": rows["faction"].astype("str"),
            "source": rows.get("source", pd.NA),
            "confidence": rows.get("confidence", np.nan),
        }
    )[moved]
    return out.sort_values(["date", "place"], kind="stable", ignore_index=True)[_HANDS_COLUMNS]


def _by_faction(areas: gpd.GeoDataFrame) -> pd.Series:
    """Projected union of each faction's area rows (certain and uncertain together)."""
    projected = areas.to_crs(EQUAL_AREA_CRS)
    groups = projected.groupby("faction", sort=True).indices
    geoms = projected.geometry.to_numpy()
    return pd.Series(
        {name: shapely.union_all(geoms[idx], grid_size=_GRID_M) for name, idx in groups.items()},
        dtype=object,
    )


def _without_slivers(geoms: np.ndarray) -> np.ndarray:
    """Drop the polygon parts under ``_SLIVER_M2`` from each geometry (vectorised)."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) >= _SLIVER_M2)
    out = np.array([shapely.MultiPolygon()] * len(geoms), dtype=object)
    if keep.any():
        owners, compact = np.unique(owner[keep], return_inverse=True)
        out[owners] = shapely.multipolygons(parts[keep], indices=compact)
    return out


def _window(start: object, end: object) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``start`` and ``end`` as days; :class:`ConfigError` when ``end`` is before ``start``."""
    first, last = as_day(start, name="start"), as_day(end, name="end")
    if last < first:
        raise ConfigError(f"end {last.date()} is before start {first.date()}")
    return first, last


def change_between(
    control: gpd.GeoDataFrame,
    start: object,
    end: object,
    *,
    options: TerritoryOptions = DEFAULT_OPTIONS,
) -> ChangeReport:
    """Compare control on ``start`` and ``end``: area gained and lost, places that changed hands.

    ``options`` are those of :func:`geo.territory.claims.control_areas`.

    Raises
    ------
    ConfigError
        ``end`` is before ``start`` or either is not a date.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> control = gpd.GeoDataFrame({"place": ["A", "B", "B"], "faction": ["x", "x", "y"],
    ...     "valid_from": pd.to_datetime(["2024-11-01", "2024-11-01", "2024-12-01"]),
    ...     "status": ["held"] * 3, "source": ["s"] * 3, "confidence": [0.9] * 3},
    ...     geometry=gpd.points_from_xy([38.0, 38.3, 38.3], [35.0, 35.0, 35.0]), crs="EPSG:4326")
    >>> report = change_between(control, "2024-11-15", "2024-12-02", options=TerritoryOptions(radius_km=10))
    >>> report.factions.round(1).values.tolist()
    [['x', 0.0, 313.7, -313.7], ['y', 313.7, 0.0, 313.7]]
    """
    first, last = _window(start, end)
    before = _by_faction(
        areas_of_claims(claims_in_force(control, first), day=first, options=options)
    )
    after = _by_faction(areas_of_claims(claims_in_force(control, last), day=last, options=options))
    names = sorted(set(before.index) | set(after.index))
    empty = shapely.Polygon()
    old = np.array([before.get(name, empty) for name in names], dtype=object)
    new = np.array([after.get(name, empty) for name in names], dtype=object)
    gained = _without_slivers(shapely.difference(new, old, grid_size=_GRID_M))
    lost = _without_slivers(shapely.difference(old, new, grid_size=_GRID_M))
    summary = pd.DataFrame(
        {
            "faction": pd.Series(names, dtype="str"),
            "gained_km2": shapely.area(gained) / 1e6,
            "lost_km2": shapely.area(lost) / 1e6,
            "net_km2": (shapely.area(gained) - shapely.area(lost)) / 1e6,
        }
    )
    shapes = gpd.GeoDataFrame(
        {
            "faction": pd.Series(names + names, dtype="str"),
            "change": pd.Series(["gained"] * len(names) + ["lost"] * len(names), dtype="str"),
            "area_km2": np.concatenate([summary["gained_km2"], summary["lost_km2"]]),
        },
        geometry=gpd.GeoSeries(np.concatenate([gained, lost]), crs=EQUAL_AREA_CRS),
    )
    shapes = shapes[shapes["area_km2"] > 0].to_crs("EPSG:4326").reset_index(drop=True)
    return ChangeReport(
        start=first,
        end=last,
        factions=summary,
        polygons=shapes,
        changed_hands=changed_hands(control, first, last),
    )


def area_series(
    control: gpd.GeoDataFrame,
    *,
    start: object,
    end: object,
    options: TerritoryOptions = DEFAULT_OPTIONS,
) -> pd.DataFrame:
    """Area per faction per day from ``start`` to ``end`` inclusive, for a chart.

    Territory cells are computed once per distinct set of control points and reused across
    days (cells are disjoint, so a faction's area is the sum of its cells).

    Returns
    -------
    DataFrame
        ``date, faction, area_km2, uncertain_km2`` (the uncertain part of ``area_km2``): one
        row per faction per day, 0 on days a faction holds nothing.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> control = gpd.GeoDataFrame({"place": ["A", "B", "B"], "faction": ["x", "x", "y"],
    ...     "valid_from": pd.to_datetime(["2024-11-01", "2024-11-01", "2024-12-01"]),
    ...     "status": ["held"] * 3, "source": ["s"] * 3, "confidence": [0.9] * 3},
    ...     geometry=gpd.points_from_xy([38.0, 38.3, 38.3], [35.0, 35.0, 35.0]), crs="EPSG:4326")
    >>> series = area_series(control, start="2024-11-30", end="2024-12-01",
    ...                      options=TerritoryOptions(radius_km=10))
    >>> series.pivot(index="date", columns="faction", values="area_km2").round(1).values.tolist()
    [[627.3, 0.0], [313.7, 313.7]]
    """
    first, last = _window(start, end)
    codes, max_age_days = options.countries, options.max_age_days
    cell_cache: dict[tuple[object, ...], np.ndarray] = {}
    cut_cache: dict[tuple[object, ...], tuple[np.ndarray, np.ndarray]] = {}
    pieces: list[pd.DataFrame] = []
    # One pass per day (tens of days); each day is vectorised over its points.
    for day in pd.date_range(first, last, freq="D"):
        points = claims_in_force(control, day)
        if points.crs is None:
            points = points.set_crs("EPSG:4326")
        xy = shapely.get_coordinates(points.geometry.to_numpy())
        places = pd.util.hash_pandas_object(points["place"], index=False).to_numpy()
        point_key = (places.tobytes(), xy.tobytes())
        if point_key not in cell_cache:
            cell_cache[point_key] = territory_cells(
                points, countries=codes, radius_km=options.radius_km
            )
        cells = cell_cache[point_key]
        factions = points["faction"].astype("str").to_numpy()
        uncertain = uncertain_mask(points, max_age_days)
        active = active_polygons(options.polygons, day)
        if len(active):
            cut_key = (point_key, tuple(active.index))
            if cut_key not in cut_cache:
                overrides, covered = override_geometries(active, codes)
                cut_cache[cut_key] = (shapely.difference(cells, covered), overrides)
            cells, overrides = cut_cache[cut_key]
            age = (day - active["valid_from"]).dt.days.to_numpy()
            stale = np.zeros(len(active), bool) if max_age_days is None else age > max_age_days
            cells = np.concatenate([cells, overrides])
            factions = np.concatenate([factions, active["faction"].astype("str").to_numpy()])
            uncertain = np.concatenate([uncertain, stale])
        area = shapely.area(cells) / 1e6
        pieces.append(
            pd.DataFrame(
                {
                    "date": day,
                    "faction": factions,
                    "area_km2": area,
                    "uncertain_km2": np.where(uncertain, area, 0.0),
                }
            )
        )
    table = pd.concat(pieces).groupby(["date", "faction"]).sum()
    full = pd.MultiIndex.from_product(
        [pd.date_range(first, last, freq="D"), sorted(table.index.unique("faction"))],
        names=["date", "faction"],
    )
    out = table.reindex(full, fill_value=0.0).reset_index()
    out["faction"] = out["faction"].astype("str")
    return out
