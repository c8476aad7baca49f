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
            gdf.to_parquet(path, index=False, geometry_encoding=_parquet_encoding(gdf))
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


def _parquet_encoding(gdf: gpd.GeoDataFrame) -> Literal["geoarrow", "WKB"]:
    """Native GeoArrow encoding (read back without WKB parsing) when the geometries allow it.

    GeoArrow holds one geometry type per column (a type and its multi-part form mix); an
    all-missing column or mixed types (points with polygons) fall back to WKB.
    """
    import shapely

    if not _has_geometry(gdf):
        return "WKB"
    kind = shapely.GeometryType
    single = {kind.MULTIPOINT: kind.POINT, kind.MULTILINESTRING: kind.LINESTRING}
    single[kind.MULTIPOLYGON] = kind.POLYGON
    present = np.unique(shapely.get_type_id(gdf.geometry.to_numpy())).tolist()
    kinds = {single.get(kind(t), kind(t)) for t in present if t != kind.MISSING}
    return "geoarrow" if len(kinds) == 1 and kinds <= set(single.values()) else "WKB"


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
    """Give ``gdf`` (fresh from a reader, so changed in place) the shared dtypes and geometry.

    Columns whose dtype already matches are left alone: a GeoParquet file this project wrote
    needs no cast at all, so reading it copies nothing.
    """
    import geopandas as gpd

    has_geometry = _has_geometry(gdf)
    geometry_name = gdf.geometry.name if has_geometry else None
    for col in gdf.columns:
        if col != geometry_name:
            restored = _restored_column(col, gdf[col])
            if restored is not None:
                gdf[col] = restored
    if not has_geometry:
        return gpd.GeoDataFrame(gdf, geometry=_points_from_columns(gdf), crs="EPSG:4326")
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    if geometry_name != "geometry" or gdf.columns[-1] != "geometry":  # the shared schema's place
        geometry = gdf.geometry.rename("geometry")
        gdf = gpd.GeoDataFrame(gdf.drop(columns=geometry_name), geometry=geometry)
    empty = gdf.geometry.is_empty.to_numpy()
    if empty.any():  # an empty point is no position: store it as missing
        gdf.loc[empty, "geometry"] = None
    return gdf.to_crs("EPSG:4326") if gdf.crs.to_epsg() != 4326 else gdf


def _restored_column(name: str, column: pd.Series) -> pd.Series | None:
    """Return ``column`` cast to its shared dtype, or ``None`` when it already has it."""
    if name in _DATE_COLUMNS:
        if column.dtype == "datetime64[ns]":
            return None
        dates = pd.to_datetime(column.replace("", None), errors="coerce", format="ISO8601")
        dates = dates.dt.tz_localize(None) if dates.dt.tz else dates
        return dates.astype("datetime64[ns]")
    if name in _FLOAT_COLUMNS:
        if column.dtype == "float64":
            return None
        return pd.to_numeric(column.replace("", None), errors="coerce").astype("float64")
    if name in _INT_COLUMNS:
        if column.dtype == "int64":
            return None
        return pd.to_numeric(column, errors="coerce").astype("int64")
    if column.dtype == object or pd.api.types.is_string_dtype(column):
        if column.dtype == "str" and not column.isna().any():
            return None
        return column.astype("str").where(column.notna(), "").astype("str")
    return None


def _points_from_columns(frame: pd.DataFrame) -> np.ndarray:
    """Points from the ``lat``/``lon`` columns (missing where either is NaN), else all missing."""
    import shapely

    if not {"lat", "lon"} <= set(frame.columns):
        return np.full(len(frame), None, dtype=object)
    lat, lon = frame["lat"].to_numpy(), frame["lon"].to_numpy()
    geometry = shapely.points(lon, lat)  # tables carry (lat, lon); shapely takes x = lon
    geometry[np.isnan(lat) | np.isnan(lon)] = None
    return geometry


def _has_geometry(gdf: pd.DataFrame) -> bool:
    import geopandas as gpd

    return isinstance(gdf, gpd.GeoDataFrame) and gdf._geometry_column_name in gdf.columns


def read_events(path: Path | str) -> gpd.GeoDataFrame:
    """Read an events table (any format of :func:`read_table`); check the shared columns.

    Raises
    ------
    DataFileError
        The file lacks columns of the events schema.
    """
    from geo.schema import EVENT_SCHEMA

    return _checked(read_table(path), EVENT_SCHEMA, path)


def write_events(events: gpd.GeoDataFrame, path: Path | str) -> Path:
    """Write an events table (format from the extension); return ``path``."""
    return write_table(events, path)


def _checked(gdf: gpd.GeoDataFrame, schema: tuple[str, ...], path: Path | str) -> gpd.GeoDataFrame:
    missing = [c for c in schema if c not in gdf.columns and c != "geometry"]
    if missing:
        raise DataFileError(f"{Path(path).name}: missing column(s) {', '.join(missing)}")
    return gdf
