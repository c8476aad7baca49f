"""Back to files: the ``data/`` layout (CSV and GeoJSON) or one GeoPackage for QGIS.

>>> sorted(FILE_NAMES)[:2]
['areas', 'control']
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa

from geo.store.materialise import live_rows
from geo.store.reads import cells_of, geometries_of
from geo.store.rows import FILE_NAMES, areas_geojson, write_csv
from geo.store.tables import DATA_COLUMNS, KINDS

if TYPE_CHECKING:
    from geo.atlas.join import AtlasData

__all__ = ["FILE_NAMES", "export_csv", "export_gpkg"]

_OPTIONAL = {"events": ("geo_precision",)}  # written only when some row has a value


def export_csv(
    conn: sa.Connection, folder: Path, *, include_drafts: bool, known_on: dt.date | None
) -> list[Path]:
    """Write every kind's live rows to its file of the ``data/`` layout; return the paths."""
    written = []
    for kind in KINDS:
        rows = live_rows(conn, kind, include_drafts=include_drafts, known_on=known_on)
        cells = cells_of(kind, rows)
        path = folder / FILE_NAMES[kind]
        if kind == "areas":
            path.write_bytes(areas_geojson(cells, geometries_of(rows)))
        else:
            columns = tuple(
                c
                for c in DATA_COLUMNS[kind]
                if c not in _OPTIONAL.get(kind, ()) or (cells[c] != "").any()
            )
            if kind == "places" and not len(cells):
                continue
            write_csv(cells, path, columns)
        written.append(path)
    return written


def export_gpkg(folder: Path, atlas: AtlasData, places: pd.DataFrame) -> list[Path]:
    """Write ``atlas.gpkg``: layers ``events``, ``control``, ``areas`` (polygons), ``places``
    (points) and ``factions`` (a table without geometry), EPSG:4326."""
    import geopandas as gpd
    import pyogrio

    path = folder / "atlas.gpkg"
    path.unlink(missing_ok=True)
    for layer in ("events", "control", "areas"):
        frame = getattr(atlas, layer)
        frame = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", append=path.exists())
    lat = pd.to_numeric(places["lat"], errors="coerce")
    lon = pd.to_numeric(places["lon"], errors="coerce")
    points = gpd.GeoDataFrame(
        places.drop(columns="row"), geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"
    )  # x = lon, y = lat
    pyogrio.write_dataframe(points, path, layer="places", driver="GPKG", append=True)
    pyogrio.write_dataframe(atlas.factions, path, layer="factions", driver="GPKG", append=True)
    return [path]
