"""Who holds what at a date: each place's latest claim, and the territory derived from them.

Territory is derived from control points as follows (all geometry in the equal-area
:data:`geo.borders.EQUAL_AREA_CRS`, results returned in EPSG:4326):

1. each place's latest claim on or before the date (:func:`control_at`);
2. each point is assigned to its declared ``country`` when it lies within 5 km of it, else to
   the country it lies in (outlines simplified to ~500 m, shared borders kept identical); a
   point more than 5 km outside every country, or without a position, claims no territory
   and is logged;
3. Voronoi cells of the points of each country, clipped to that country and to the circles of
   ``radius_km`` around the points: empty desert is not claimed without evidence (only a
   point's own circle can reach into its Voronoi cell, so clipping to the union of circles is
   the same as clipping each cell to its own);
4. explicit polygon annotations valid at the date (``valid_from <= date <= valid_to``, a
   missing ``valid_to`` meaning open-ended; the later ``valid_from`` wins where they overlap)
   are cut out of the derived territory and added as they are;
5. one row per faction and certainty: the coverage union of its cells (exact: the cells of one
   diagram share their edges), cut and clipped once; parts from two countries or from polygon
   annotations are merged with a 1 cm snap-rounding overlay.

Uncertain means: the claim is older than ``max_age_days``, it is inferred (its ``source``
starts with "Inference": no report of its own), or the place is ``contested`` or
``besieged`` (the place itself may still be held, but the ground around it is not).

>>> import geopandas as gpd, pandas as pd
>>> control = gpd.GeoDataFrame({"place": ["A", "B"], "faction": ["x", "y"],
...     "valid_from": pd.to_datetime(["2024-11-01", "2024-11-01"]),
...     "status": ["held", "held"]},
...     geometry=gpd.points_from_xy([38.0, 38.2], [35.0, 35.0]), crs="EPSG:4326")
>>> control_areas(control, date="2024-11-02", options=TerritoryOptions(radius_km=10))["faction"].tolist()
['x', 'y']
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.borders import EQUAL_AREA_CRS
from geo.dates import as_day
from geo.errors import AnnotationError, ConfigError
from geo.schema import inferred
from geo.territory.cells import (
    GRID_M,
    Placed,
    clip_shapes,
    coverage_union,
    place_points,
    radius_in_m,
)

__all__ = [
    "DEFAULT_COUNTRIES",
    "DEFAULT_MAX_AGE_DAYS",
    "DEFAULT_OPTIONS",
    "DEFAULT_RADIUS_KM",
    "UNCERTAIN_STATUSES",
    "TerritoryOptions",
    "areas_of_claims",
    "claims_in_force",
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

_AREA_COLUMNS = ["faction", "area_km2", "uncertain", "geometry"]


@dataclass(frozen=True, eq=False)
class TerritoryOptions:
    """How territory is derived from control claims: one value for every territory function.

    Attributes
    ----------
    polygons
        Explicit control polygons (``faction, valid_from, valid_to, ..., geometry``); those
        valid on a day replace the derived territory they cover.
    countries
        ISO2 codes of the countries whose territory is derived (upper-cased here).
    radius_km
        No place claims ground further than this from it.
    max_age_days
        Claims (and polygons) older than this are marked uncertain; ``None``: never.

    Examples
    --------
    >>> TerritoryOptions(countries=["sy"], radius_km=10).countries
    ('SY',)
    >>> TerritoryOptions(radius_km=-5)
    Traceback (most recent call last):
    ...
    geo.errors.ConfigError: radius_km must be a positive number of km, not -5
    """

    polygons: gpd.GeoDataFrame | None = None
    countries: Sequence[str] = DEFAULT_COUNTRIES
    radius_km: float = DEFAULT_RADIUS_KM
    max_age_days: int | None = DEFAULT_MAX_AGE_DAYS

    def __post_init__(self) -> None:
        if isinstance(self.countries, str):
            raise ConfigError(
                f"countries must be a sequence of ISO2 codes, not the string {self.countries!r}"
            )
        object.__setattr__(self, "countries", tuple(str(c).upper() for c in self.countries))
        radius_in_m(self.radius_km)
        if self.max_age_days is not None and not self.max_age_days >= 0:
            raise ConfigError(f"max_age_days must be >= 0 or None, not {self.max_age_days!r}")

    @property
    def radius_m(self) -> float:
        """:attr:`radius_km` in metres."""
        return radius_in_m(self.radius_km)


DEFAULT_OPTIONS = TerritoryOptions()
"""The defaults: Syria and Iraq, 30 km, claims older than 60 days uncertain, no polygons."""


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
    return claims_in_force(control, as_day(date))


def claims_in_force(control: gpd.GeoDataFrame, day: pd.Timestamp) -> gpd.GeoDataFrame:
    """:func:`control_at` for a ``day`` already normalised by :func:`geo.dates.as_day`."""
    _check_columns(control, ["place", "faction", "valid_from", "status"], "control")
    valid_from = _valid_from(control)
    current = control.assign(valid_from=valid_from)[valid_from <= day]
    current = current.sort_values("valid_from", kind="stable")
    current = current.drop_duplicates("place", keep="last").sort_values("place", kind="stable")
    current["age_days"] = (day - current["valid_from"]).dt.days.astype("int64")
    return current.reset_index(drop=True)


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
    """True for claims that are stale, contested or besieged, or inferred (no report of their
    own: :func:`geo.schema.inferred`)."""
    status = points["status"].astype("str").str.lower().isin(UNCERTAIN_STATUSES).to_numpy()
    if "source" in points:
        status = status | inferred(points["source"]).to_numpy()
    if max_age_days is None:
        return status
    return status | (points["age_days"].to_numpy() > max_age_days)


def _regions(placed: Placed, shapes: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Territory of each group (faction and certainty) in each country: shape (groups, countries).

    A group's territory in a country is the coverage union of its points' Voronoi cells (exact
    and fast: the cells of one diagram share their edges exactly), minus the parts of far
    cells outside every circle, clipped to the country. The same cut applies to both sides of
    a shared edge, so neighbouring areas still meet exactly.
    """
    regions = np.array([[shapely.Polygon()] * len(shapes)] * n_groups, dtype=object)
    for index, shape in enumerate(shapes):  # one pass per country...
        mine = np.flatnonzero((placed.owner == index) & ~shapely.is_empty(placed.cells))
        if len(mine) == 0:
            continue
        mine_group = group[mine]
        for member in np.unique(mine_group):  # ...and per group: a few dozen unions
            chosen = placed.cells[mine[mine_group == member]]
            regions[member, index] = coverage_union(chosen)
        column = regions[:, index]
        far = mine[placed.far[mine]]
        if len(far):
            beyond = shapely.difference(coverage_union(placed.cells[far]), placed.reach[index])
            column = shapely.difference(column, beyond)
        outside = ~shapely.contains_properly(shape, column)
        column[outside] = shapely.intersection(column[outside], shape)
        regions[:, index] = column
    return regions


def _merge(parts: list[shapely.Geometry]) -> shapely.Geometry:
    """Union of disjoint parts that meet along cut edges: a 1 cm snap-rounding overlay, since a
    floating-point overlay can fail on edges that are almost but not exactly collinear."""
    parts = [part for part in parts if not part.is_empty]
    if not parts:
        return shapely.Polygon()
    if len(parts) == 1:
        return parts[0]
    return shapely.union_all(parts, grid_size=GRID_M)


def control_areas(
    control: gpd.GeoDataFrame, *, date: object, options: TerritoryOptions = DEFAULT_OPTIONS
) -> gpd.GeoDataFrame:
    """Return the territory each faction holds on ``date``, derived from the control points.

    Parameters
    ----------
    control
        Control claims (see ARCHITECTURE.md), EPSG:4326 point geometries.
    date
        The snapshot day.
    options
        Polygons, countries, radius and the age past which claims are uncertain
        (:class:`TerritoryOptions`).

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
    >>> options = TerritoryOptions(radius_km=10, max_age_days=30)
    >>> areas = control_areas(control, date="2024-12-01", options=options)
    >>> areas[["faction", "uncertain"]].values.tolist(), round(areas.area_km2[0])
    ([['x', True]], 314)
    """
    day = as_day(date)
    return areas_of_claims(claims_in_force(control, day), day=day, options=options)


def areas_of_claims(
    points: gpd.GeoDataFrame, *, day: pd.Timestamp, options: TerritoryOptions
) -> gpd.GeoDataFrame:
    """:func:`control_areas` from the claims in force on ``day`` (:func:`claims_in_force`)."""
    codes = options.countries
    max_age_days = options.max_age_days
    if points.crs is None:
        points = points.set_crs("EPSG:4326")
    uncertain = uncertain_mask(points, max_age_days)
    active = active_polygons(options.polygons, day)
    age = (day - active["valid_from"]).dt.days.to_numpy() if len(active) else np.zeros(0)
    stale = np.zeros(len(active), bool) if max_age_days is None else age > max_age_days
    keys = pd.DataFrame(
        {
            "faction": np.concatenate(
                [points["faction"].astype("str"), active["faction"].astype("str")]
            ),
            "uncertain": np.concatenate([uncertain, stale]),
        }
    )
    group, names = pd.MultiIndex.from_frame(keys).factorize(sort=True)
    _, shapes = clip_shapes(codes)
    placed = place_points(points, codes, options.radius_m)
    regions = _regions(placed, shapes, group[: len(points)][placed.located], len(names))
    pieces = [list(row) for row in regions]
    if len(active):
        overrides, covered = override_geometries(active, codes)
        pieces = [[shapely.difference(part, covered) for part in row] for row in pieces]
        for member, shape in zip(group[len(points) :], overrides, strict=True):
            pieces[member].append(shape)
    merged = np.array([_merge(row) for row in pieces], dtype=object)
    out = gpd.GeoDataFrame(
        {
            "faction": pd.Series([name[0] for name in names], dtype="str"),
            "area_km2": shapely.area(merged) / 1e6,
            "uncertain": np.array([bool(name[1]) for name in names], dtype=bool),
        },
        geometry=gpd.GeoSeries(merged, crs=EQUAL_AREA_CRS),
    )
    out = out[out["area_km2"] > 0].reset_index(drop=True)
    if out.empty:
        return _empty_areas()
    return out.to_crs("EPSG:4326")[_AREA_COLUMNS]
