"""Control-area polygons (``control_areas.geojson``): validation, repair and the empty table.

>>> import pandas as pd
>>> f = pd.DataFrame({"id": ["sdf"], "name": ["SDF"], "aliases": [""],
...     "colour": ["#009e73"], "description": [""]})
>>> data = (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
...     b'{"faction": "sdf", "valid_from": "2024-12-01", "confidence": "0.8", "source": "x"}, '
...     b'"geometry": {"type": "Point", "coordinates": [38.0, 36.5]}}]}')
>>> areas, issues = read_areas_bytes(data, name="areas.geojson", factions=f)
>>> len(areas), str(issues[0])
(0, 'areas.geojson:1: geometry is not a Polygon or MultiPolygon')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.annotations._checks import ColumnChecker
from geo.io.tabular import (
    DEFAULT_MAX_BYTES,
    Issue,
    issue_order,
    neutralise_formulas,
    read_geojson_bytes,
)
from geo.schema import AREA_COLUMNS

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["empty_areas", "read_areas_bytes"]


def read_areas_bytes(
    data: bytes, *, name: str, factions: pd.DataFrame, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[gpd.GeoDataFrame, list[Issue]]:
    """Parse and validate control-area polygons (GeoJSON); return a GeoDataFrame and issues.

    Invalid polygons are repaired with ``shapely.make_valid`` (a warning); other geometry
    types, empty geometries and bad properties are errors.
    """
    import geopandas as gpd
    import shapely

    frame, geometries, issues = read_geojson_bytes(
        data, name=name, columns=AREA_COLUMNS, max_bytes=max_bytes
    )
    frame, more = neutralise_formulas(frame, ["source", "note"], name=name)
    check = ColumnChecker(frame, name)
    check.issues += issues + more
    shapes = np.array([_shape(g) for g in geometries], dtype=object)
    geoms = pd.Series(shapes, index=frame.index, dtype="object")
    kinds = pd.Series(
        shapely.get_type_id(shapes) if len(shapes) else [], index=frame.index, dtype="float64"
    )
    polygonal = kinds.isin([3, 6])  # Polygon, MultiPolygon
    check.flag(~polygonal, "geometry is not a Polygon or MultiPolygon")
    check.flag(polygonal & shapely.is_empty(shapes), "geometry is empty")
    invalid = polygonal & ~shapely.is_valid(shapes)
    check.flag(
        invalid,
        "polygon is invalid (self-intersection?); repaired with make_valid",
        severity="warning",
    )
    if invalid.any():
        geoms[invalid] = shapely.make_valid(shapes[invalid.to_numpy()])
    check.required(("faction", "valid_from", "confidence", "source"))
    valid_from = check.date("valid_from")
    valid_to = check.date("valid_to")
    check.flag(
        valid_to < valid_from,
        "valid_to {valid_to} is before valid_from {valid_from}",
        values=frame[["valid_to", "valid_from"]],
    )
    confidence = check.number("confidence", low=0, high=1)
    faction = check.faction("faction", factions, unknown="error")
    out = gpd.GeoDataFrame(
        {
            "row": frame["row"],
            "faction": faction,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "source": frame["source"],
            "confidence": confidence,
            "note": frame["note"],
        },
        geometry=gpd.GeoSeries(geoms.to_numpy(), index=frame.index, crs="EPSG:4326"),
    )
    return out[~check.bad].reset_index(drop=True), sorted(check.issues, key=issue_order)


def _shape(geometry: object) -> object:
    import json

    import shapely

    if not isinstance(geometry, dict):
        return None
    try:
        return shapely.from_geojson(json.dumps(geometry))
    except (shapely.errors.GEOSException, ValueError, TypeError):
        return None


def empty_areas() -> gpd.GeoDataFrame:
    import geopandas as gpd

    frame = pd.DataFrame(
        {"row": pd.Series(dtype="int64"), **{c: pd.Series(dtype="str") for c in AREA_COLUMNS}}
    )
    frame = frame.astype(
        {"valid_from": "datetime64[ns]", "valid_to": "datetime64[ns]", "confidence": "float64"}
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
