"""Territory cells: control points placed in their countries and their clipped Voronoi cells.

All geometry here is projected (:data:`geo.borders.EQUAL_AREA_CRS`). The country outlines are
simplified once per set of countries (shared borders kept identical) and memoised; each point
goes to its declared country when it lies within 5 km of it, else to the country it lies in;
the Voronoi diagram of each country's points is clipped to the country and to the circles of
``radius_km`` around the points. :mod:`geo.territory.claims` unions these cells into areas.

>>> import geopandas as gpd, pandas as pd, shapely
>>> points = gpd.GeoDataFrame({"place": ["A", "B"],
...     "valid_from": pd.to_datetime(["2024-11-01", "2024-11-01"])},
...     geometry=gpd.points_from_xy([38.0, 38.2], [35.0, 35.0]), crs="EPSG:4326")
>>> cells = territory_cells(points, countries=["SY"], radius_km=10)
>>> [round(float(a) / 1e6) for a in shapely.area(cells)]
[309, 309]
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
from geo.errors import ConfigError

__all__ = [
    "GRID_M",
    "Placed",
    "clip_shapes",
    "country_outline",
    "coverage_union",
    "place_points",
    "radius_in_m",
    "territory_cells",
]

logger = logging.getLogger(__name__)

GRID_M = 0.01
"""Snap-rounding precision of fallback overlays, metres."""
_SIMPLIFY_M = 500.0
_SNAP_TO_COUNTRY_M = 5000.0


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


def _beyond_radius(cells: np.ndarray, points: np.ndarray, radius_m: float) -> np.ndarray:
    """True for cells with a vertex further than ``radius_m`` from their point (vectorised)."""
    coords, owner = shapely.get_coordinates(cells, return_index=True)
    centre = shapely.get_coordinates(points)
    squared = ((coords - centre[owner]) ** 2).sum(axis=1)
    furthest = np.zeros(len(cells))
    np.maximum.at(furthest, owner, squared)
    return furthest > radius_m * radius_m


@dataclass(frozen=True)
class Placed:
    """Control points placed in their countries (projected), and their Voronoi cells."""

    located: np.ndarray  # per point row: has a position
    xy: np.ndarray  # projected points of the located rows
    owner: np.ndarray  # per located row: index of its country in the clip shapes, -1 for none
    cells: np.ndarray  # per located row: Voronoi cell among its country's points (unclipped)
    far: np.ndarray  # per located row: the cell reaches beyond the radius
    reach: tuple[shapely.Geometry, ...]  # per country: union of the circles of its far points


def place_points(points: gpd.GeoDataFrame, codes: tuple[str, ...], radius_m: float) -> Placed:
    """Assign points to countries and build the Voronoi diagram of each country's points."""
    iso2, shapes = clip_shapes(codes)
    located = ~(points.geometry.isna() | points.geometry.is_empty).to_numpy()
    xy = points.geometry[located].to_crs(EQUAL_AREA_CRS).to_numpy()
    declared = None
    if "country" in points.columns:
        position = pd.Series(np.arange(len(iso2)), index=iso2)
        named = points["country"][located].astype("str").str.upper()
        declared = named.map(position).fillna(-1).to_numpy(dtype=np.int64)
    owner = _assign_country(xy, shapes, declared)
    unplaced = points["place"][located][owner < 0].tolist() + points["place"][~located].tolist()
    if unplaced:
        logger.warning(
            "%d control points claim no territory (no position, or more than %.0f km outside "
            "%s): %s",
            len(unplaced),
            _SNAP_TO_COUNTRY_M / 1000,
            ", ".join(codes),
            ", ".join(map(str, unplaced[:10])),
        )
    rank = pd.to_datetime(points["valid_from"][located]).to_numpy().astype("int64")
    cells = np.array([shapely.Polygon()] * len(xy), dtype=object)
    far = np.zeros(len(xy), dtype=bool)
    reach: list[shapely.Geometry] = []
    for index, shape in enumerate(shapes):  # one pass per country, not per point
        mine = np.flatnonzero(owner == index)
        if len(mine):
            extent = shapely.box(*shapely.bounds(shape)).buffer(radius_m)
            cells[mine] = _voronoi(xy[mine], extent, rank[mine])
            far[mine] = _beyond_radius(cells[mine], xy[mine], radius_m)
        circles = shapely.buffer(xy[mine[far[mine]]], radius_m, quad_segs=16)
        reach.append(shapely.union_all(circles))
    return Placed(located, xy, owner, cells, far, tuple(reach))


def territory_cells(
    points: gpd.GeoDataFrame, *, countries: Sequence[str], radius_km: float
) -> np.ndarray:
    """Projected territory cell of each control point (aligned with the rows of ``points``).

    Each cell is the point's Voronoi cell among the points of its country (its ``country``
    column when that names one of ``countries`` and the point is within 5 km of it, else the
    country it lies in), clipped to that country and to the ``radius_km`` circles of the
    country's points (only its own circle reaches into a Voronoi cell). Points with no
    position or outside every country get an empty cell, and are logged. The cells are
    disjoint: a faction's area is the sum of its cells' areas.
    """
    radius_m = radius_in_m(radius_km)
    codes = tuple(str(code).upper() for code in countries)
    _, shapes = clip_shapes(codes)
    placed = place_points(points, codes, radius_m)
    cells = placed.cells.copy()
    for index, shape in enumerate(shapes):  # one pass per country, not per point
        far = np.flatnonzero((placed.owner == index) & placed.far)
        cells[far] = shapely.intersection(cells[far], placed.reach[index])
        mine = np.flatnonzero(placed.owner == index)
        outside = mine[~shapely.contains_properly(shape, cells[mine])]
        cells[outside] = shapely.intersection(cells[outside], shape)
    cells[placed.owner < 0] = shapely.Polygon()
    out = np.array([shapely.Polygon()] * len(points), dtype=object)
    out[placed.located] = cells
    return out


def radius_in_m(radius_km: float) -> float:
    if not radius_km > 0:
        raise ConfigError(f"radius_km must be a positive number of km, not {radius_km!r}")
    return radius_km * 1000.0


def coverage_union(cells: np.ndarray) -> shapely.Geometry:
    """Union of Voronoi cells of one diagram; a snap-rounding overlay if they are not noded
    as a clean coverage (GEOS refuses those rather than answer wrongly)."""
    try:
        return shapely.coverage_union_all(cells)
    except shapely.errors.GEOSException as err:
        logger.debug("coverage union refused (%s); using a snap-rounding union", err)
        return shapely.union_all(cells, grid_size=GRID_M)
