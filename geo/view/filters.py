"""Filter the ``events`` table by date window, faction, event type, country, text and border distance.

One pure, vectorised function shared by the dashboard, the ``map`` command and the bench.
Cheap masks (dates, codes) are combined first; the text search and the border distance only
look at the rows that survive them.

>>> import pandas as pd
>>> ev = pd.DataFrame({"date": pd.to_datetime(["2024-12-01", "2024-12-08"]),
...                    "faction": ["hts", "gov"], "faction2": ["gov", ""],
...                    "event_type": ["Battles", "Riots"], "place": ["Homs", "Hama"],
...                    "lat": [34.7, 35.1], "lon": [36.7, 36.8]})
>>> filter_events(ev, start="2024-12-05")["place"].tolist()
['Hama']
>>> filter_events(ev, factions=["gov"])["place"].tolist()
['Homs', 'Hama']
>>> filter_events(ev, text="HOMS")["place"].tolist()
['Homs']
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.dates import as_day
from geo.errors import ConfigError, DataFileError

__all__ = ["TEXT_COLUMNS", "filter_events", "near_line_mask", "within_box"]

logger = logging.getLogger(__name__)

#: Columns the free-text search looks in (case-insensitive substring).
TEXT_COLUMNS: tuple[str, ...] = (
    "place", "description", "event_type", "sub_event_type", "source",
)  # fmt: skip
_GEOD = pyproj.Geod(ellps="WGS84")


def _day(value: object, name: str) -> pd.Timestamp | None:
    if value is None or (isinstance(value, float | type(pd.NaT)) and pd.isna(value)):
        return None  # an open end of the window
    return as_day(value, name=name)


def _values(value: str | Iterable[str] | None, name: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    try:
        return [str(v) for v in value]
    except TypeError as err:
        raise ConfigError(f"{name} must be a list of strings, got {value!r}") from err


def _column(events: pd.DataFrame, name: str) -> pd.Series:
    if name not in events:
        raise DataFileError(f"events lack the column {name!r} needed by this filter")
    return events[name]


def near_line_mask(
    *, lat: np.ndarray, lon: np.ndarray, line: shapely.Geometry, km: float
) -> np.ndarray:
    """True where the geodesic distance from (lat, lon) to ``line`` (lon, lat) is <= ``km``.

    Screening is cheap: a bounding-box test, then a buffer in a local equirectangular plane
    (metres, centred on the line) with a margin of 8 % either way. Only points inside that
    band get an exact WGS84 geodesic distance to their nearest point of the line.

    >>> import shapely
    >>> line = shapely.LineString([(40.0, 34.0), (40.0, 35.0)])
    >>> near_line_mask(lat=np.array([34.5, 34.5]), lon=np.array([40.1, 40.2]), line=line,
    ...                km=10.0).tolist()
    [True, False]
    """
    if not km >= 0:
        raise ConfigError(f"near_border_km must be >= 0, got {km!r}")
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    mask = np.zeros(len(lat), dtype=bool)
    if line is None or line.is_empty or len(lat) == 0:
        return mask
    metres = float(km) * 1000.0
    west, south, east, north = shapely.bounds(line)
    pad_lat = metres / 110_000.0 + 0.01
    pad_lon = metres / (
        111_320.0 * np.cos(np.radians(min(max(abs(south), abs(north)) + pad_lat, 89)))
    )
    idx = np.flatnonzero(
        (lat >= south - pad_lat) & (lat <= north + pad_lat)
        & (lon >= west - pad_lon) & (lon <= east + pad_lon)
    )  # fmt: skip
    lat0, lon0 = (south + north) / 2, (west + east) / 2
    kx, ky = 111_320.0 * np.cos(np.radians(lat0)), 110_574.0  # metres per degree near lat0

    def plane(lon_deg: np.ndarray, lat_deg: np.ndarray) -> np.ndarray:
        # (lon, lat) degrees -> (x, y) metres; x from lon, the one place the order is set.
        return np.column_stack(((lon_deg - lon0) * kx, (lat_deg - lat0) * ky))

    plane_line = shapely.transform(line, lambda c: plane(c[:, 0], c[:, 1]))
    # The plane's east-west scale is right at lat0 only: widen the band by how much it is off
    # at the line's extreme latitudes (long borders, far from the equator).
    edge_lats = np.radians(np.clip([south - pad_lat, north + pad_lat], -89, 89))
    stretch = float(np.max(np.maximum(np.cos(edge_lats) / np.cos(np.radians(lat0)),
                                      np.cos(np.radians(lat0)) / np.cos(edge_lats))))  # fmt: skip
    outer = shapely.buffer(plane_line, metres * 1.08 * stretch)
    inner = shapely.buffer(plane_line, metres * 0.92 / stretch)
    shapely.prepare(outer)
    shapely.prepare(inner)
    xy = plane(lon[idx], lat[idx])
    idx = idx[shapely.contains_xy(outer, xy[:, 0], xy[:, 1])]
    xy = plane(lon[idx], lat[idx])
    sure = shapely.contains_xy(inner, xy[:, 0], xy[:, 1])
    mask[idx[sure]] = True
    edge = idx[~sure]
    if len(edge):
        nearest = shapely.shortest_line(shapely.points(xy[~sure]), plane_line)
        end = shapely.get_point(nearest, 1)
        near_lon = shapely.get_x(end) / kx + lon0
        near_lat = shapely.get_y(end) / ky + lat0
        _, _, dist = _GEOD.inv(lon[edge], lat[edge], near_lon, near_lat)
        mask[edge] = dist <= metres
    return mask


def _default_border() -> shapely.Geometry:
    from geo.borders import border_lines

    lines = border_lines(("SY", "IQ"))
    return shapely.union_all(np.asarray(lines.geometry.array))


def filter_events(
    events: pd.DataFrame,
    *,
    start: object = None,
    end: object = None,
    factions: str | Iterable[str] | None = None,
    event_types: str | Iterable[str] | None = None,
    countries: str | Iterable[str] | None = None,
    text: str | None = None,
    near_border_km: float | None = None,
    border: shapely.Geometry | gpd.GeoSeries | None = None,
) -> pd.DataFrame:
    """Return the events that match every given filter (``None`` means "no filter").

    Parameters
    ----------
    events : DataFrame or GeoDataFrame
        The shared ``events`` table; only the columns a filter needs must exist.
    start, end : date-like, optional
        Inclusive window (days). An event with an ``end_date`` matches when its span overlaps.
    factions : str or iterable of str, optional
        Faction ids; an event matches when ``faction`` or ``faction2`` is one of them. An empty
        collection matches nothing.
    event_types, countries : str or iterable of str, optional
        Exact ``event_type`` values / ISO2 ``country`` codes (case-insensitive); empty matches
        nothing.
    text : str, optional
        Case-insensitive substring searched in :data:`TEXT_COLUMNS` (those present).
    near_border_km : float, optional
        Keep events within this geodesic distance (km) of ``border``.
    border : shapely geometry or GeoSeries (lon, lat), optional
        The border line(s); a GeoSeries may hold any number of borders anywhere in the
        world (each is measured in its own local plane, then geodesically). Default: the
        Iraq–Syria border (:func:`geo.borders.border_lines`).

    Returns
    -------
    DataFrame
        The matching rows, original order and index (a new frame; ``events`` is unchanged).

    Raises
    ------
    ConfigError
        A bad filter value (shown in the message), e.g. ``start`` after ``end``.
    DataFileError
        ``events`` lacks a column a requested filter needs.
    """
    day_from, day_to = _day(start, "start"), _day(end, "end")
    if day_from is not None and day_to is not None and day_from > day_to:
        raise ConfigError(f"start {day_from.date()} is after end {day_to.date()}")
    mask = np.ones(len(events), dtype=bool)
    if day_from is not None or day_to is not None:
        first = pd.to_datetime(_column(events, "date"))
        last = pd.to_datetime(events["end_date"]).fillna(first) if "end_date" in events else first
        if day_from is not None:
            mask &= (last >= day_from).to_numpy(bool)
        if day_to is not None:
            mask &= (first <= day_to).to_numpy(bool)
    wanted = _values(factions, "factions")
    if wanted is not None:
        hit = _column(events, "faction").isin(wanted).to_numpy(bool)
        if "faction2" in events:
            hit = hit | events["faction2"].isin(wanted).to_numpy(bool)
        mask &= hit
    types = _values(event_types, "event_types")
    if types is not None:
        mask &= _column(events, "event_type").isin(types).to_numpy(bool)
    codes = _values(countries, "countries")
    if codes is not None:
        upper = [c.upper() for c in codes]
        mask &= _column(events, "country").astype("str").str.upper().isin(upper).to_numpy(bool)
    if text is not None and str(text).strip():
        idx = np.flatnonzero(mask)
        needle = str(text).strip()
        found = np.zeros(len(idx), dtype=bool)
        for column in (c for c in TEXT_COLUMNS if c in events):  # a few columns, not rows
            values = events[column].iloc[idx].astype("str")
            found |= values.str.contains(needle, case=False, regex=False, na=False).to_numpy(bool)
        mask[idx] = found
    if near_border_km is not None:
        try:
            km = float(near_border_km)
        except (TypeError, ValueError) as err:
            raise ConfigError(f"near_border_km must be a number, got {near_border_km!r}") from err
        # One local plane per border line (a loop over the chosen borders, not over rows).
        if isinstance(border, gpd.GeoSeries):
            lines = list(border.to_crs(4326).array)
        else:
            lines = [_default_border() if border is None else border]
        idx = np.flatnonzero(mask)
        lat = pd.to_numeric(_column(events, "lat").iloc[idx], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(_column(events, "lon").iloc[idx], errors="coerce").to_numpy(float)
        near = np.zeros(len(idx), dtype=bool)
        for line in lines:
            near |= near_line_mask(lat=lat, lon=lon, line=line, km=km)
        mask[idx] = near
    return events.iloc[np.flatnonzero(mask)]


def within_box(events: pd.DataFrame, box: tuple[float, float, float, float]) -> pd.DataFrame:
    """The events inside ``box`` = ``(west, south, east, north)`` in degrees (a map's view).

    A box crossing the antimeridian (``west > east``, or wider than 360 degrees) wraps.

    >>> ev = pd.DataFrame({"lat": [34.0, 36.0], "lon": [40.0, 44.0]})
    >>> within_box(ev, (39.0, 33.0, 41.0, 35.0)).index.tolist()
    [0]
    """
    west, south, east, north = (float(v) for v in box)
    if south > north:
        raise ConfigError(f"box must have south <= north, got {box!r}")
    lat = pd.to_numeric(_column(events, "lat"), errors="coerce")
    lon = pd.to_numeric(_column(events, "lon"), errors="coerce")
    inside_lat = lat.between(south, north)
    if east - west >= 360:
        inside_lon = lon.notna()
    else:
        west_w = (west + 180) % 360 - 180
        east_w = (east + 180) % 360 - 180
        inside_lon = (
            lon.between(west_w, east_w) if west_w <= east_w else (lon >= west_w) | (lon <= east_w)
        )
    return events[(inside_lat & inside_lon).to_numpy()]
