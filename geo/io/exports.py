"""Downloads of the events shown: CSV safe to open in a spreadsheet, and GeoJSON.

CSV cells that start with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return) would run as
formulas in Excel or LibreOffice ("CSV injection"); they are prefixed with ``'`` so that they
show as text. Only text columns are touched: numbers (a negative longitude) stay numbers.

>>> import pandas as pd
>>> frame = pd.DataFrame({"id": ["e1"], "description": ["=HYPERLINK(\\"http://x\\")"]})
>>> print(events_to_csv_bytes(frame).decode())
id,description
e1,"'=HYPERLINK(""http://x"")"
<BLANKLINE>
"""

from __future__ import annotations

import json

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "events_to_csv_bytes", "events_to_geojson_bytes", "neutralise_cell"]

#: Leading characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Return ``value`` with a ``'`` in front if it is text a spreadsheet would run as a formula.

    Examples
    --------
    >>> neutralise_cell("@SUM(A1:A9)"), neutralise_cell("Homs"), neutralise_cell(-3.5)
    ("'@SUM(A1:A9)", 'Homs', -3.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding text (object or string dtype), where formulas can hide."""
    return [
        name
        for name in frame.columns
        if pd.api.types.is_object_dtype(frame[name]) or pd.api.types.is_string_dtype(frame[name])
    ]


def _tabular(events: pd.DataFrame) -> pd.DataFrame:
    """Drop the geometry (lat/lon carry the position) and format dates as ISO days."""
    frame = pd.DataFrame(events).copy()
    geometry_name = getattr(events, "_geometry_column_name", None)
    if geometry_name in frame.columns:
        if "lat" not in frame.columns or "lon" not in frame.columns:
            geometry = events.geometry
            # shapely speaks (x=lon, y=lat): the one place this module reads coordinates.
            frame["lat"] = geometry.y
            frame["lon"] = geometry.x
        frame = frame.drop(columns=[geometry_name])
    for name in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[name]):
            frame[name] = frame[name].dt.strftime("%Y-%m-%d").astype(object)
    return frame


def events_to_csv_bytes(events: pd.DataFrame) -> bytes:
    """Serialise events to UTF-8 CSV bytes with spreadsheet formulas neutralised.

    Parameters
    ----------
    events : DataFrame or GeoDataFrame
        The events shown. A geometry column is dropped (``lat``/``lon`` are kept, or derived from
        point geometries when missing); datetimes are written as ``YYYY-MM-DD``.

    Returns
    -------
    bytes
        One header line and one line per row, in the order given.

    Examples
    --------
    >>> import pandas as pd
    >>> events_to_csv_bytes(pd.DataFrame({"place": ["+Raqqa"], "lon": [-1.5]}))
    b"place,lon\\n'+Raqqa,-1.5\\n"
    """
    frame = _tabular(events)
    for name in _text_columns(frame):
        try:
            starts = frame[name].str.startswith(FORMULA_PREFIXES)
        except AttributeError:  # an object column with no text in it (all missing, say)
            continue
        flagged = starts.fillna(False).astype(bool).to_numpy()
        if flagged.any():
            column = frame[name].astype(object)
            column[flagged] = "'" + column[flagged]
            frame[name] = column
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _json_safe(value: object) -> object:
    """Convert numpy scalars and missing values for ``json.dumps``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def events_to_geojson_bytes(events: pd.DataFrame) -> bytes:
    """Serialise events to a GeoJSON FeatureCollection (EPSG:4326, (lon, lat) order), UTF-8.

    Parameters
    ----------
    events : GeoDataFrame
        Point events. A GeoDataFrame in another CRS is converted to EPSG:4326. A plain DataFrame
        with ``lat``/``lon`` columns works too.

    Returns
    -------
    bytes
        A FeatureCollection with one Feature per row (in order); dates as ``YYYY-MM-DD``, missing
        values as ``null``. Text is kept as it is (GeoJSON is data, not a spreadsheet).

    Examples
    --------
    >>> import pandas as pd, json
    >>> doc = json.loads(events_to_geojson_bytes(pd.DataFrame({"id": ["e1"], "lat": [34.4],
    ...     "lon": [40.9]})))
    >>> doc["features"][0]["geometry"]
    {'type': 'Point', 'coordinates': [40.9, 34.4]}
    """
    geometry_name = getattr(events, "_geometry_column_name", None)
    if geometry_name in getattr(events, "columns", ()) and events.crs is not None:
        events = events.to_crs(4326)
    frame = _tabular(events)
    records = frame.astype(object).to_dict(orient="records")
    features = []
    for record in records:  # one dict per feature is what JSON needs; no per-row geometry work
        props = {str(key): _json_safe(value) for key, value in record.items()}
        lat, lon = props.get("lat"), props.get("lon")
        geometry = (
            None
            if lat is None or lon is None
            else {"type": "Point", "coordinates": [lon, lat]}  # GeoJSON is (lon, lat)
        )
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")
