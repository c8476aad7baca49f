"""Frontlines: where the areas of two different factions meet.

A frontline is the part of one faction's area boundary that lies on another faction's area
(computed with a 1 m snap-rounding overlay in the equal-area CRS, so that edges both areas
share are found even where their vertices differ by floating-point noise). Parts that run along a country's outline — an international border
or a coast — are removed: two factions either side of the Iraq–Syria border do not make a
front. Lengths are geodesic.

>>> import geopandas as gpd, shapely
>>> areas = gpd.GeoDataFrame({"faction": ["x", "y"], "uncertain": [False, False]},
...     geometry=[shapely.box(38.0, 35.0, 38.1, 35.1), shapely.box(38.1, 35.0, 38.2, 35.1)],
...     crs="EPSG:4326")
>>> lines = frontlines(areas)
>>> lines["factions"].tolist(), round(float(lines["length_km"].sum()), 1)
([['x', 'y']], 11.1)
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.borders import EQUAL_AREA_CRS, geodesic_length_km
from geo.errors import AnnotationError
from geo.territory.cells import country_outline
from geo.territory.claims import DEFAULT_COUNTRIES

__all__ = ["frontlines"]

_GRID_M = 1.0  # snap-rounding precision of the overlay, metres
_OUTLINE_TOLERANCE_M = 5.0  # a segment this close to a country outline is border, not front
_COLUMNS = ["factions", "faction_a", "faction_b", "length_km", "geometry"]


def _empty() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "factions": pd.Series([], dtype=object),
            "faction_a": pd.Series([], dtype="str"),
            "faction_b": pd.Series([], dtype="str"),
            "length_km": pd.Series([], dtype="float64"),
        },
        geometry=gpd.GeoSeries([], crs="EPSG:4326"),
    )


def _drop_outline_segments(lines: np.ndarray, outline: shapely.Geometry) -> np.ndarray:
    """Remove the segments of ``lines`` that run along ``outline`` (vectorised per segment)."""
    parts, owner = shapely.get_parts(lines, return_index=True)
    coords, coord_part = shapely.get_coordinates(parts, return_index=True)
    if len(coords) < 2:
        return lines
    starts = np.flatnonzero(coord_part[1:] == coord_part[:-1])
    midpoints = shapely.points((coords[starts] + coords[starts + 1]) / 2.0)
    keep = ~shapely.dwithin(midpoints, outline, _OUTLINE_TOLERANCE_M)
    kept = starts[keep]
    segments = shapely.linestrings(
        np.stack([coords[kept], coords[kept + 1]], axis=1).reshape(-1, 2),
        indices=np.repeat(np.arange(len(kept)), 2),
    )
    segment_owner = owner[coord_part[kept]]
    out = np.array([shapely.LineString()] * len(lines), dtype=object)
    grouped = pd.Series(np.arange(len(kept))).groupby(segment_owner).indices
    # One merge per faction pair (a few dozen at most), each vectorised.
    for index, members in grouped.items():
        out[index] = shapely.line_merge(shapely.multilinestrings(segments[members]))
    return out


def frontlines(
    areas: gpd.GeoDataFrame, *, countries: Sequence[str] = DEFAULT_COUNTRIES
) -> gpd.GeoDataFrame:
    """Return the lines where areas of different factions meet, except along country outlines.

    Parameters
    ----------
    areas
        Control areas (``faction, ..., geometry``, EPSG:4326) as from
        :func:`geo.territory.claims.control_areas`; certain and uncertain rows of one faction count
        as one area.
    countries
        ISO2 codes whose outlines (borders, coasts) are never a frontline.

    Returns
    -------
    GeoDataFrame
        ``factions`` (the two faction ids, sorted), ``faction_a``, ``faction_b``,
        ``length_km`` (geodesic) and ``geometry`` (one LineString per row, EPSG:4326),
        longest first.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> areas = gpd.GeoDataFrame({"faction": ["x", "y"]}, crs="EPSG:4326",
    ...     geometry=[shapely.box(38.0, 35.0, 38.1, 35.1), shapely.box(38.2, 35.0, 38.3, 35.1)])
    >>> len(frontlines(areas))  # the two squares do not touch
    0
    >>> frontlines(areas).columns.tolist()
    ['factions', 'faction_a', 'faction_b', 'length_km', 'geometry']
    """
    if "faction" not in areas.columns:
        raise AnnotationError(f"areas lack a 'faction' column: {list(areas.columns)!r}")
    if len(areas) == 0:
        return _empty()
    frame = areas if areas.crs is not None else areas.set_crs("EPSG:4326")
    projected = frame.to_crs(EQUAL_AREA_CRS)
    names = projected["faction"].astype("str").to_numpy()
    geoms = projected.geometry.to_numpy()
    invalid = ~shapely.is_valid(geoms)
    geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    pairs = [(i, j) for i, j in combinations(range(len(geoms)), 2) if names[i] != names[j]]
    if not pairs:
        return _empty()
    first, second = (np.array(side) for side in zip(*pairs, strict=True))
    bounds = shapely.bounds(geoms)
    near = np.all(  # bounding boxes (grown by the tolerance) overlap
        (bounds[first, :2] <= bounds[second, 2:] + _OUTLINE_TOLERANCE_M)
        & (bounds[second, :2] <= bounds[first, 2:] + _OUTLINE_TOLERANCE_M),
        axis=1,
    )
    first, second = first[near], second[near]
    shared = shapely.intersection(shapely.boundary(geoms[first]), geoms[second], grid_size=_GRID_M)
    pair_names = np.sort(np.stack([names[first], names[second]], axis=1), axis=1)
    table = pd.DataFrame({"a": pair_names[:, 0], "b": pair_names[:, 1]})
    grouped = table.groupby(["a", "b"], sort=True).indices
    merged = np.array(
        [shapely.union_all(shared[idx], grid_size=_GRID_M) for idx in grouped.values()],
        dtype=object,
    )
    outline = country_outline(tuple(str(code).upper() for code in countries))
    lines = _drop_outline_segments(merged, outline)
    parts, owner = shapely.get_parts(lines, return_index=True)
    is_line = shapely.get_type_id(parts) == 1
    parts, owner = parts[is_line], owner[is_line]
    if len(parts) == 0:
        return _empty()
    keys = list(grouped)
    wgs84 = gpd.GeoSeries(parts, crs=EQUAL_AREA_CRS).to_crs("EPSG:4326").to_numpy()
    out = gpd.GeoDataFrame(
        {
            "factions": [[keys[k][0], keys[k][1]] for k in owner],
            "faction_a": pd.Series([keys[k][0] for k in owner], dtype="str"),
            "faction_b": pd.Series([keys[k][1] for k in owner], dtype="str"),
            "length_km": geodesic_length_km(wgs84),
        },
        geometry=gpd.GeoSeries(wgs84, crs="EPSG:4326"),
    )
    out = out[out["length_km"] > 0]
    return out.sort_values("length_km", ascending=False, ignore_index=True)[_COLUMNS]
