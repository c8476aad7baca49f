"""Who holds what at a date: each place's latest claim, and the territory derived from them.

Territory is derived from control points as follows (all geometry in the equal-area
:data:`geo.borders.EQUAL_AREA_CRS`, results returned in EPSG:4326):

1. each place's latest claim on or before the date (:func:`control_at`);
2. each point is assigned to its declared ``country`` when it lies within 5 km of it, else to
   the country it lies in (outlines simplified to ~500 m, shared borders kept identical); a
   point more than 5 km outside every country, or without a position, claims no territory
   and is logged;
3. Voronoi cells of the points of each country, clipped to that country and to a circle of
   ``radius_km`` around the point: empty desert is not claimed without evidence;
4. explicit polygon annotations valid at the date (``valid_from <= date <= valid_to``, a
   missing ``valid_to`` meaning open-ended; the later ``valid_from`` wins where they overlap)
   are cut out of the derived cells and added as they are;
5. cells are dissolved by faction, with certain and uncertain parts in separate rows (whole
   Voronoi cells by coverage union, cut cells with a 1 cm snap-rounding overlay, checked
   against the sum of the cells' areas).

Uncertain means: the claim is older than ``max_age_days``, or the place is ``contested`` or
``besieged`` (the place itself may still be held, but the ground around it is not).

>>> import geopandas as gpd, pandas as pd
>>> control = gpd.GeoDataFrame({"place": ["A", "B"], "faction": ["x", "y"],
...     "valid_from": pd.to_datetime(["2024-11-01", "2024-11-01"]),
...     "status": ["held", "held"]},
...     geometry=gpd.points_from_xy([38.0, 38.2], [35.0, 35.0]), crs="EPSG:4326")
>>> control_areas(control, date="2024-11-02", radius_km=10)["faction"].tolist()
['x', 'y']
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.borders import EQUAL_AREA_CRS, country_shapes
from geo.errors import AnnotationError, ConfigError

__all__ = [
    "DEFAULT_COUNTRIES",
    "DEFAULT_MAX_AGE_DAYS",
    "DEFAULT_RADIUS_KM",
    "UNCERTAIN_STATUSES",
    "TerritoryCells",
    "control_areas",
    "control_at",
]

logger = logging.getLogger(__name__)

#: Countries whose territory is derived by default.
DEFAULT_COUNTRIES: tuple[str, ...] = ("SY", "IQ")
#: No place claims ground further away than this, in km.
DEFAULT_RADIUS_KM = 30.0
#: A claim older than this many days at the snapshot date is marked uncertain.
DEFAULT_MAX_AGE_DAYS = 60
#: Claim statuses whose cell is marked uncertain.
UNCERTAIN_STATUSES: tuple[str, ...] = ("contested", "besieged")

_SIMPLIFY_M = 500.0
_GRID_M = 0.01  # snap-rounding precision of fallback overlays, metres
_SNAP_TO_COUNTRY_M = 5000.0
_AREA_COLUMNS = ["faction", "area_km2", "uncertain", "geometry"]


def as_day(value: object, *, name: str = "date") -> pd.Timestamp:
    """Return ``value`` as a midnight :class:`pandas.Timestamp`; ConfigError if it is not a date.

    >>> as_day("2024-12-08")
    Timestamp('2024-12-08 00:00:00')
    """
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{name} is not a date: {value!r}") from err
    if pd.isna(stamp):
        raise ConfigError(f"{name} is not a date: {value!r}")
    if stamp.tz is not None:
        stamp = stamp.tz_convert(None)
    return stamp.normalize()


def _check_columns(frame: pd.DataFrame, required: Sequence[str], what: str) -> None:
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise AnnotationError(f"{what} table lacks columns {missing!r}")


def _valid_from(control: pd.DataFrame) -> pd.Series:
    try:
        valid_from = pd.to_datetime(control["valid_from"]).dt.normalize()
    except (TypeError, ValueError) as err:
        raise AnnotationError(
            f"control valid_from holds a value that is not a date: {err}"
        ) from err
    if valid_from.isna().any():
        places = control.loc[valid_from.isna(), "place"].astype("str").tolist()
        raise AnnotationError(f"control rows without valid_from for places {places[:10]!r}")
    return valid_from


def control_at(control: gpd.GeoDataFrame, date: object) -> gpd.GeoDataFrame:
    """Return each place's latest control claim on or before ``date``.

    Parameters
    ----------
    control
        Control claims (``place, faction, valid_from, status, ..., geometry``).
    date
        The snapshot day (anything :class:`pandas.Timestamp` accepts).

    Returns
    -------
    GeoDataFrame
        The claims in force, one row per place sorted by place, with ``age_days`` (days since
        ``valid_from``). Ties on the same day: the later row in the table wins.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> control = gpd.GeoDataFrame({"place": ["Hama", "Hama"], "faction": ["gov", "hts"],
    ...     "valid_from": pd.to_datetime(["2024-11-01", "2024-12-05"]),
    ...     "status": ["held", "held"]}, geometry=gpd.points_from_xy([36.75] * 2, [35.13] * 2))
    >>> control_at(control, "2024-12-04")[["faction", "age_days"]].values.tolist()
    [['gov', 33]]
    """
    _check_columns(control, ["place", "faction", "valid_from", "status"], "control")
    day = as_day(date)
    valid_from = _valid_from(control)
    current = control.assign(valid_from=valid_from)[valid_from <= day]
    current = current.sort_values("valid_from", kind="stable")
    current = current.drop_duplicates("place", keep="last").sort_values("place", kind="stable")
    current["age_days"] = (day - current["valid_from"]).dt.days.astype("int64")
    return current.reset_index(drop=True)


@functools.cache
def clip_shapes(countries: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """ISO2 codes and projected, coverage-simplified outlines of ``countries`` (memoised).

    Shared borders stay identical after simplification, so areas either side meet exactly.
    """
    shapes = country_shapes(list(countries))
    projected = shapes.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
    simplified = shapely.make_valid(
        shapely.coverage_simplify(projected, _SIMPLIFY_M), method="structure", keep_collapsed=False
    )
    shapely.prepare(simplified)
    return shapes["iso2"].to_numpy(), simplified


@functools.cache
def country_outline(countries: tuple[str, ...]) -> shapely.Geometry:
    """All edges of the clip shapes (borders and coasts) as one prepared linework (memoised)."""
    _, shapes = clip_shapes(countries)
    outline = shapely.union_all(shapely.boundary(shapes))
    shapely.prepare(outline)
    return outline


def _assign_country(
    points: np.ndarray, shapes: np.ndarray, declared: np.ndarray | None = None
) -> np.ndarray:
    """Index into ``shapes`` of the country of each projected point (-1: none near).

    ``declared`` (an index per point, -1 for none) wins when the point lies within 5 km of
    that country: a border crossing annotated as Iraqi stays Iraqi even if the simplified
    outline puts it a few hundred metres inside Syria. Otherwise the country the point lies in.
    """
    owner = np.full(len(points), -1)
    # A loop over the few (prepared) country shapes; the first country that has a point wins.
    for index in range(len(shapes) - 1, -1, -1):
        owner[shapely.intersects(shapes[index], points)] = index
    outside = np.flatnonzero(owner < 0)
    if len(outside):
        tree = shapely.STRtree(shapes)
        near_point, near_shape = tree.query_nearest(
            points[outside], max_distance=_SNAP_TO_COUNTRY_M, all_matches=False
        )
        owner[outside[near_point]] = near_shape
    if declared is not None:
        claimed = np.flatnonzero((declared >= 0) & (declared != owner))
        near = shapely.dwithin(points[claimed], shapes[declared[claimed]], _SNAP_TO_COUNTRY_M)
        owner[claimed[near]] = declared[claimed[near]]
    return owner


def _voronoi(points: np.ndarray, extent: shapely.Geometry, rank: np.ndarray) -> np.ndarray:
    """Voronoi cell of each point, aligned with ``points``.

    Points at the same position share one cell: the one with the highest ``rank`` (the latest
    claim) gets it, the others an empty polygon, so that no ground is counted twice.
    """
    cells = np.array([shapely.Polygon()] * len(points), dtype=object)
    order = np.argsort(rank, kind="stable")
    xy = pd.DataFrame(shapely.get_coordinates(points[order]))
    winner = np.zeros(len(points), dtype=bool)
    winner[order] = ~xy.duplicated(keep="last").to_numpy()
    if winner.sum() == 1:
        cells[winner] = extent
        return cells
    diagram = shapely.voronoi_polygons(
        shapely.multipoints(points[winner]), extend_to=extent, ordered=True
    )
    cells[winner] = shapely.get_parts(diagram)
    return cells


@dataclass(frozen=True)
class TerritoryCells:
    """Projected territory cells aligned with the control points, in EQUAL_AREA_CRS.

    ``exact`` marks the cells that are whole Voronoi cells (not cut by the radius, a country
    outline or a polygon annotation): they form a clean coverage that unions very fast.
    """

    geometry: np.ndarray
    exact: np.ndarray


def _beyond_radius(cells: np.ndarray, points: np.ndarray, radius_m: float) -> np.ndarray:
    """True for cells with a vertex further than ``radius_m`` from their point (vectorised)."""
    coords, owner = shapely.get_coordinates(cells, return_index=True)
    centre = shapely.get_coordinates(points)
    squared = ((coords - centre[owner]) ** 2).sum(axis=1)
    furthest = np.zeros(len(cells))
    np.maximum.at(furthest, owner, squared)
    return furthest > radius_m * radius_m


def _log_unplaced(places: list[object], codes: tuple[str, ...]) -> None:
    if places:
        logger.warning(
            "%d control points claim no territory (no position, or more than %.0f km outside "
            "%s): %s",
            len(places),
            _SNAP_TO_COUNTRY_M / 1000,
            ", ".join(codes),
            ", ".join(map(str, places[:10])),
        )


def territory_cells(
    points: gpd.GeoDataFrame, *, countries: Sequence[str], radius_km: float
) -> TerritoryCells:
    """Projected territory cell of each control point (aligned with the rows of ``points``).

    Each cell is the point's Voronoi cell among the points of its country (its ``country``
    column when that names one of ``countries`` and the point is within 5 km of it, else the
    country it lies in), clipped to that country and to a ``radius_km`` circle. Points with
    no geometry or outside every country get an empty cell, and are logged.
    """
    if not radius_km > 0:
        raise ConfigError(f"radius_km must be a positive number of km, not {radius_km!r}")
    radius_m = radius_km * 1000.0
    codes = tuple(str(code).upper() for code in countries)
    iso2, shapes = clip_shapes(codes)
    located = ~(points.geometry.isna() | points.geometry.is_empty).to_numpy()
    xy = points.geometry[located].to_crs(EQUAL_AREA_CRS).to_numpy()
    declared = None
    if "country" in points.columns:
        position = pd.Series(np.arange(len(iso2)), index=iso2)
        named = points["country"][located].astype("str").str.upper()
        declared = named.map(position).fillna(-1).to_numpy(dtype=np.int64)
    owner = _assign_country(xy, shapes, declared)
    rank = (
        pd.to_datetime(points["valid_from"][located]).to_numpy().astype("int64")
        if "valid_from" in points.columns
        else np.zeros(len(xy), dtype=np.int64)
    )
    _log_unplaced(
        points["place"][located][owner < 0].tolist() + points["place"][~located].tolist(), codes
    )
    located_cells = np.array([shapely.Polygon()] * len(xy), dtype=object)
    located_exact = np.zeros(len(xy), dtype=bool)
    for index, shape in enumerate(shapes):  # one pass per country, not per point
        mine = np.flatnonzero(owner == index)
        if len(mine) == 0:
            continue
        extent = shapely.box(*shapely.bounds(shape)).buffer(radius_m)
        cell = _voronoi(xy[mine], extent, rank[mine])
        far = _beyond_radius(cell, xy[mine], radius_m)
        circles = shapely.buffer(xy[mine][far], radius_m, quad_segs=16)
        cell[far] = shapely.intersection(cell[far], circles)
        outside = ~shapely.contains_properly(shape, cell)
        cell[outside] = shapely.intersection(cell[outside], shape)
        located_cells[mine] = cell
        located_exact[mine] = ~far & ~outside
    cells = np.array([shapely.Polygon()] * len(points), dtype=object)
    exact = np.zeros(len(points), dtype=bool)
    cells[located], exact[located] = located_cells, located_exact
    return TerritoryCells(geometry=cells, exact=exact)


def active_polygons(polygons: gpd.GeoDataFrame | None, day: pd.Timestamp) -> gpd.GeoDataFrame:
    """Polygon annotations valid on ``day`` (``valid_from <= day <= valid_to``), oldest first."""
    if polygons is None or len(polygons) == 0:
        return gpd.GeoDataFrame({"faction": [], "valid_from": []}, geometry=[], crs="EPSG:4326")
    _check_columns(polygons, ["faction", "valid_from", "geometry"], "control polygon")
    start = pd.to_datetime(polygons["valid_from"]).dt.normalize()
    end = (
        pd.to_datetime(polygons["valid_to"]).dt.normalize()
        if "valid_to" in polygons.columns
        else pd.Series(pd.NaT, index=polygons.index)
    )
    active = (start <= day) & (end.isna() | (end >= day))
    chosen = polygons.assign(valid_from=start)[active]
    return chosen.sort_values("valid_from", kind="stable")


def override_geometries(
    active: gpd.GeoDataFrame, countries: tuple[str, ...]
) -> tuple[np.ndarray, shapely.Geometry]:
    """Projected override polygons clipped to the countries, later ones cut out of earlier ones;
    and their union."""
    if active.crs is None:
        active = active.set_crs("EPSG:4326")
    _, shapes = clip_shapes(countries)
    land = shapely.union_all(shapes)
    geoms = shapely.make_valid(
        active.to_crs(EQUAL_AREA_CRS).geometry.to_numpy(), method="structure", keep_collapsed=False
    )
    geoms = shapely.intersection(geoms, land)
    covered = shapely.Polygon()
    # A loop over the few polygon annotations valid on one day, newest first.
    for index in range(len(geoms) - 1, -1, -1):
        own = geoms[index]
        geoms[index] = shapely.difference(own, covered)
        covered = shapely.union(covered, own)
    return geoms, covered


def _empty_areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "faction": pd.Series([], dtype="str"),
            "area_km2": pd.Series([], dtype="float64"),
            "uncertain": pd.Series([], dtype="bool"),
        },
        geometry=gpd.GeoSeries([], crs=EQUAL_AREA_CRS),
    ).to_crs("EPSG:4326")


def uncertain_mask(points: pd.DataFrame, max_age_days: int | None) -> np.ndarray:
    """True for claims that are stale or whose status is contested/besieged."""
    status = points["status"].astype("str").str.lower().isin(UNCERTAIN_STATUSES).to_numpy()
    if max_age_days is None:
        return status
    if max_age_days < 0:
        raise ConfigError(f"max_age_days must be >= 0 or None, not {max_age_days!r}")
    return status | (points["age_days"].to_numpy() > max_age_days)


def _union(pieces: np.ndarray, exact: np.ndarray) -> shapely.Geometry:
    """Union of disjoint projected pieces of one faction.

    Whole Voronoi cells are merged by coverage union (exact and fast); pieces cut by a circle,
    an outline or a polygon annotation have edges that run almost, but not exactly, along
    their neighbours', where a floating-point overlay can return wrong results (GEOS 3.14
    dropped whole cells in our tests), so they are merged with a 1 cm snap-rounding overlay.
    The result is checked against the sum of the pieces' areas.
    """
    merged = shapely.union_all(
        np.concatenate([[shapely.coverage_union_all(pieces[exact])], pieces[~exact]]),
        grid_size=_GRID_M,
    )
    expected = float(shapely.area(pieces).sum())
    if abs(merged.area - expected) > 1e-6 * expected + 1.0:
        logger.warning(
            "territory union is %.0f m² off the sum of its %d pieces (%.0f m²)",
            merged.area - expected,
            len(pieces),
            expected,
        )
    return merged


def dissolve_pieces(
    factions: np.ndarray, uncertain: np.ndarray, geoms: np.ndarray, exact: np.ndarray
) -> gpd.GeoDataFrame:
    """Union disjoint projected pieces by (faction, uncertain); return areas in EPSG:4326."""
    keep = ~shapely.is_empty(geoms)
    if not keep.any():
        return _empty_areas()
    pieces = pd.DataFrame({"faction": factions[keep], "uncertain": uncertain[keep]})
    kept, kept_exact = geoms[keep], exact[keep]
    groups = pieces.groupby(["faction", "uncertain"], sort=True).indices
    # One union per (faction, uncertain) group: a handful of groups, each vectorised.
    merged = [_union(kept[idx], kept_exact[idx]) for idx in groups.values()]
    keys = list(groups)
    out = gpd.GeoDataFrame(
        {
            "faction": pd.Series([key[0] for key in keys], dtype="str"),
            "area_km2": shapely.area(np.array(merged, dtype=object)) / 1e6,
            "uncertain": np.array([bool(key[1]) for key in keys]),
        },
        geometry=gpd.GeoSeries(merged, crs=EQUAL_AREA_CRS),
    )
    out = out[out["area_km2"] > 0].reset_index(drop=True)
    return out.to_crs("EPSG:4326")[_AREA_COLUMNS]


def apply_polygons(
    cells: TerritoryCells, active: gpd.GeoDataFrame, countries: tuple[str, ...]
) -> tuple[TerritoryCells, np.ndarray]:
    """Cut the polygon annotations out of the cells; return the cut cells and the polygons."""
    overrides, covered = override_geometries(active, countries)
    touched = shapely.intersects(cells.geometry, covered)
    geometry = cells.geometry.copy()
    geometry[touched] = shapely.difference(geometry[touched], covered)
    return TerritoryCells(geometry=geometry, exact=cells.exact & ~touched), overrides


def control_areas(
    control: gpd.GeoDataFrame,
    *,
    date: object,
    polygons: gpd.GeoDataFrame | None = None,
    countries: Sequence[str] = DEFAULT_COUNTRIES,
    radius_km: float = DEFAULT_RADIUS_KM,
    max_age_days: int | None = DEFAULT_MAX_AGE_DAYS,
) -> gpd.GeoDataFrame:
    """Return the territory each faction holds on ``date``, derived from the control points.

    Parameters
    ----------
    control
        Control claims (see ARCHITECTURE.md), EPSG:4326 point geometries.
    date
        The snapshot day.
    polygons
        Explicit control polygons (``faction, valid_from, valid_to, ..., geometry``); those
        valid on ``date`` replace the derived territory they cover.
    countries
        ISO2 codes of the countries whose territory is derived.
    radius_km
        No place claims ground further than this from it.
    max_age_days
        Claims (and polygons) older than this are marked uncertain; ``None``: never.

    Returns
    -------
    GeoDataFrame
        ``faction, area_km2, uncertain, geometry`` (EPSG:4326), one row per faction and
        certainty, sorted by faction. ``area_km2`` is measured in an equal-area projection.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> control = gpd.GeoDataFrame({"place": ["A"], "faction": ["x"],
    ...     "valid_from": pd.to_datetime(["2024-01-01"]), "status": ["held"]},
    ...     geometry=gpd.points_from_xy([38.0], [35.0]), crs="EPSG:4326")
    >>> areas = control_areas(control, date="2024-12-01", radius_km=10, max_age_days=30)
    >>> areas[["faction", "uncertain"]].values.tolist(), round(areas.area_km2[0])
    ([['x', True]], 314)
    """
    day = as_day(date)
    codes = tuple(str(code).upper() for code in countries)
    points = control_at(control, day)
    if points.crs is None:
        points = points.set_crs("EPSG:4326")
    cells = territory_cells(points, countries=codes, radius_km=radius_km)
    factions = points["faction"].astype("str").to_numpy()
    uncertain = uncertain_mask(points, max_age_days)
    active = active_polygons(polygons, day)
    if len(active):
        cells, overrides = apply_polygons(cells, active, codes)
        age = (day - active["valid_from"]).dt.days.to_numpy()
        stale = np.zeros(len(active), bool) if max_age_days is None else age > max_age_days
        cells = TerritoryCells(
            geometry=np.concatenate([cells.geometry, overrides]),
            exact=np.concatenate([cells.exact, np.zeros(len(overrides), bool)]),
        )
        factions = np.concatenate([factions, active["faction"].astype("str").to_numpy()])
        uncertain = np.concatenate([uncertain, stale])
    return dissolve_pieces(factions, uncertain, cells.geometry, cells.exact)
