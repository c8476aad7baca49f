"""Read and write event and control tables as CSV, GeoJSON, GeoPackage or GeoParquet.

The format follows the file extension: ``.csv``, ``.geojson``, ``.gpkg``, ``.parquet``.
Every table read back is a GeoDataFrame in EPSG:4326 with the shared dtypes restored
(dates ``datetime64[ns]``, coordinates and confidences ``float64``, text ``str`` with ``""``
for missing). CSV carries ``lat``/``lon`` columns instead of a geometry (points are rebuilt
from them, x = lon); GeoJSON, GeoPackage and GeoParquet carry the geometry itself.

These functions are for tables this project wrote. Untrusted files (uploads, hand-edited
CSV) go through :mod:`geo.annotations`, which validates every row.

>>> import geopandas as gpd, tempfile, pathlib
>>> gdf = gpd.GeoDataFrame({"place": ["Homs"], "lat": [34.73], "lon": [36.71]},
...     geometry=gpd.points_from_xy([36.71], [34.73]), crs="EPSG:4326")
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
>>> read_table(write_table(gdf, path)).geometry.x.tolist()
[36.71]
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from geo.errors import DataFileError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "FORMATS",
    "TableFormat",
    "format_of",
    "read_events",
    "read_table",
    "write_events",
    "write_table",
]

log = logging.getLogger(__name__)

TableFormat = Literal["csv", "geojson", "gpkg", "parquet"]
FORMATS: dict[str, TableFormat] = {
    ".csv": "csv",
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}
"""File extension -> table format."""

_DATE_COLUMNS = ("date", "end_date", "valid_from", "valid_to")
_FLOAT_COLUMNS = ("lat", "lon", "confidence", "geo_confidence")
_INT_COLUMNS = ("row",)


def format_of(path: Path | str) -> TableFormat:
    """Return the table format of ``path`` from its extension.

    >>> format_of("events.GPKG")
    'gpkg'
    >>> format_of("events.xlsx")
    Traceback (most recent call last):
    ...
    geo.errors.DataFileError: events.xlsx: unknown table format '.xlsx' (use .csv, .geojson, .json, .gpkg, .parquet, .geoparquet)
    """
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError as err:
        known = ", ".join(FORMATS)
        raise DataFileError(
            f"{Path(path).name}: unknown table format {suffix!r} (use {known})"
        ) from err


def write_table(gdf: gpd.GeoDataFrame, path: Path | str) -> Path:
    """Write ``gdf`` to ``path`` in the format of its extension; return ``path``.

    Dates are written as ``YYYY-MM-DD`` in CSV; rows without geometry are kept (null
    geometry, empty ``lat``/``lon``).

    Raises
    ------
    DataFileError
        Unknown extension, or the file cannot be written.
    """
    path = Path(path)
    kind = format_of(path)
    try:
        if kind == "csv":
            frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name, errors="ignore"))
            frame.to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n")
        elif kind == "parquet":
            gdf.to_parquet(path, index=False)
        else:
            driver = "GeoJSON" if kind == "geojson" else "GPKG"
            out = gdf.copy()
            for col in _DATE_COLUMNS:  # GDAL stores dates as dates; keep them plain ISO strings
                if col in out.columns:
                    out[col] = out[col].dt.strftime("%Y-%m-%d").fillna("")
            if path.exists():
                path.unlink()
            layer = {"layer": path.stem} if kind == "gpkg" else {}
            out.to_file(path, driver=driver, engine="pyogrio", **layer)
    except (OSError, ValueError) as err:
        raise DataFileError(f"{path}: cannot write {kind} ({err})") from err
    return path


def read_table(path: Path | str) -> gpd.GeoDataFrame:
    """Read a table written by :func:`write_table` (or any tool) into a GeoDataFrame.

    Raises
    ------
    DataFileError
        Unknown extension, missing file, or a file the format's reader refuses.
    """
    import geopandas as gpd

    path = Path(path)
    kind = format_of(path)
    try:
        if kind == "csv":
            frame = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[])
            gdf = gpd.GeoDataFrame(frame)
        elif kind == "parquet":
            gdf = gpd.read_parquet(path)
        else:
            gdf = gpd.read_file(path, engine="pyogrio")
    except (OSError, ValueError, ImportError) as err:
        raise DataFileError(f"{path}: cannot read {kind} ({err})") from err
    return _restore_types(gdf)


def _restore_types(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name) if _has_geometry(gdf) else gdf)
    for col in frame.columns:
        if col in _DATE_COLUMNS:
            frame[col] = pd.to_datetime(
                frame[col].replace("", None), errors="coerce", format="ISO8601"
            )
            frame[col] = frame[col].dt.tz_localize(None) if frame[col].dt.tz else frame[col]
            frame[col] = frame[col].astype("datetime64[ns]")
        elif col in _FLOAT_COLUMNS:
            frame[col] = pd.to_numeric(frame[col].replace("", None), errors="coerce").astype(
                "float64"
            )
        elif col in _INT_COLUMNS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("int64")
        elif frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].astype("str").where(frame[col].notna(), "").astype("str")
    if _has_geometry(gdf):
        geometry = gdf.geometry.to_numpy()
        crs = gdf.crs or "EPSG:4326"
    elif {"lat", "lon"} <= set(frame.columns):
        lat, lon = frame["lat"].to_numpy(), frame["lon"].to_numpy()
        geometry = shapely.points(lon, lat)  # tables carry (lat, lon); shapely takes x = lon
        geometry[np.isnan(lat) | np.isnan(lon)] = None
        crs = "EPSG:4326"
    else:
        geometry = np.full(len(frame), None, dtype=object)
        crs = "EPSG:4326"
    geometry = np.where(shapely.is_empty(geometry) & ~shapely.is_missing(geometry), None, geometry)
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, index=frame.index, crs=crs))
    return out.to_crs("EPSG:4326") if out.crs.to_epsg() != 4326 else out


def _has_geometry(gdf: pd.DataFrame) -> bool:
    return (
        isinstance(gdf, __import__("geopandas").GeoDataFrame)
        and gdf._geometry_column_name in gdf.columns
    )


def read_events(path: Path | str) -> gpd.GeoDataFrame:
    """Read an events table (any format of :func:`read_table`); check the shared columns.

    Raises
    ------
    DataFileError
        The file lacks columns of the events schema.
    """
    from geo.join import EVENT_SCHEMA

    return _checked(read_table(path), EVENT_SCHEMA, path)


def write_events(events: gpd.GeoDataFrame, path: Path | str) -> Path:
    """Write an events table (format from the extension); return ``path``."""
    return write_table(events, path)


def _checked(gdf: gpd.GeoDataFrame, schema: tuple[str, ...], path: Path | str) -> gpd.GeoDataFrame:
    missing = [c for c in schema if c not in gdf.columns and c != "geometry"]
    if missing:
        raise DataFileError(f"{Path(path).name}: missing column(s) {', '.join(missing)}")
    return gdf
