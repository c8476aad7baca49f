"""Point layers: events (one compact element, or hexagon bins above ``max_points``), the places
of the control claims in force, and crossings.

Events travel to the browser columnar: coordinates as integers (1e-4 degree, about 11 m),
every text column as integer codes into a table of its unique strings, and one icon code into
a small table of (glyph, colour, border) combinations. Markers are created client-side.

>>> import pandas as pd
>>> ev = pd.DataFrame({"lat": [34.45], "lon": [40.92], "faction": ["sdf"],
...                    "event_type": ["Battles"], "description": ["<b>x</b>"]})
>>> layer = event_layer(ev, factions=None)
>>> layer.layer_name
'Events (1)'
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

import folium
import numpy as np
import pandas as pd

from geo.errors import DataFileError
from geo.maps.elements import HexBinLayer, PointSymbols
from geo.maps.hexbins import count_by, default_hex_size, hex_bins, mercator
from geo.maps.layers.style import FactionStyle, event_glyph, faction_styles
from geo.schema import inferred

__all__ = [
    "COUNT_RAMP",
    "FINE_ZOOM_PX",
    "MAX_FINE_CELLS",
    "crossing_layer",
    "event_layer",
    "event_payload",
    "hexbin_payload",
    "place_layer",
    "place_payload",
    "unique_values",
]

logger = logging.getLogger(__name__)

_SCALE = 10_000  # coordinates travel as round(deg * 1e4)
_UNKNOWN = FactionStyle(id="", name="Unknown", colour="#777777", dash="", border="solid")
#: Sequential, colour-blind safe ramp (viridis) for hexagon counts, few -> many.
COUNT_RAMP: tuple[str, ...] = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")
#: Fine hexagons appear from the zoom at which they are this many pixels wide.
FINE_ZOOM_PX = 22
#: Above this many fine cells, only the coarse level is drawn (keeps the page light).
MAX_FINE_CELLS = 12_000
_STATUS_COLOURS = {"open": "#009E73", "closed": "#D55E00", "unknown": "#777777"}


def unique_values(frame: pd.DataFrame, column: str) -> list[str]:
    """The distinct non-empty values of ``frame[column]`` as strings (``[]`` if no column).

    >>> unique_values(pd.DataFrame({"f": ["a", None, "a", ""]}), "f")
    ['a']
    """
    if column not in frame:
        return []
    values = pd.unique(frame[column].dropna())  # unique first: cheap on a million rows
    return [text for text in (str(v).strip() for v in values) if text]


def _coded(values: pd.Series) -> dict[str, list]:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return {"codes": codes.tolist(), "values": [str(u) for u in uniques]}


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="str")
    return frame[column].astype("str").str.strip().replace("", pd.NA)


def _percent(frame: pd.DataFrame, column: str) -> dict[str, list]:
    if column not in frame:
        return {"codes": [-1] * len(frame), "values": []}
    codes, uniques = pd.factorize((pd.to_numeric(frame[column], errors="coerce") * 100).round())
    return {"codes": codes.tolist(), "values": [f"{int(u)} %" for u in uniques]}


def _latlon(frame: pd.DataFrame, what: str) -> tuple[np.ndarray, np.ndarray]:
    if "lat" in frame and "lon" in frame:
        return (
            pd.to_numeric(frame["lat"], errors="coerce").to_numpy(float),
            pd.to_numeric(frame["lon"], errors="coerce").to_numpy(float),
        )
    if "geometry" in frame:
        geometry = frame.geometry
        return geometry.y.to_numpy(float), geometry.x.to_numpy(float)  # shapely x is lon
    raise DataFileError(f"{what} have neither lat/lon columns nor a geometry")


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="str")
    codes, uniques = pd.factorize(pd.to_datetime(frame[column], errors="coerce"))
    labels = pd.Index(uniques).strftime("%Y-%m-%d").astype("str")
    table = np.append(np.asarray(labels, dtype=object), None)  # code -1 (no date) -> None
    return pd.Series(table[codes], index=frame.index, dtype="str")


def _icon_table(
    faction: pd.Series,
    glyph_key: pd.Series,
    styles: Mapping[str, FactionStyle],
    *,
    inferred: pd.Series | None = None,
    glyph: Callable[[str], str] = event_glyph,
) -> tuple[list[int], list[dict[str, object]]]:
    """An icon code per row into a table of (glyph, colour, border, inferred) combinations."""
    glyph_codes, glyph_values = pd.factorize(glyph_key.fillna(""))
    glyphs = [glyph(str(v)) for v in glyph_values]
    fac_codes, fac_values = pd.factorize(faction.fillna(""))
    faint = np.zeros(len(faction), np.int64) if inferred is None else inferred.to_numpy(np.int64)
    n_glyphs = max(len(glyphs), 1)
    key = (fac_codes.astype(np.int64) * n_glyphs + glyph_codes) * 2 + faint
    icon_codes, keys = pd.factorize(key)
    icons = []
    for k in keys.tolist():
        combo, is_inferred = divmod(k, 2)
        style = styles.get(str(fac_values[combo // n_glyphs]), _UNKNOWN)
        icons.append(
            {
                "glyph": glyphs[combo % n_glyphs],
                "colour": style.colour,
                "border": style.border,
                "inferred": bool(is_inferred),
            }
        )
    return icon_codes.tolist(), icons


def _inferred(frame: pd.DataFrame) -> pd.Series:
    if "source" not in frame:
        return pd.Series(False, index=frame.index)
    return inferred(frame["source"])


def event_payload(events: pd.DataFrame, *, styles: Mapping[str, FactionStyle]) -> dict:
    """The columnar payload of :class:`geo.maps.elements.PointSymbols` for ``events``.

    Rows must have finite coordinates (see :func:`event_layer`, which drops and reports the
    others). Source links are kept only when they are ``http(s)://`` URLs.

    >>> ev = pd.DataFrame({"lat": [35.0], "lon": [40.0], "faction": ["x"], "event_type": ["Riots"]})
    >>> p = event_payload(ev, styles={})
    >>> p["lat"], p["icons"][0]["glyph"]
    ([350000], 'fa-fire')
    """
    lat, lon = _latlon(events, "events")
    faction = _text(events, "faction")
    faction2 = _text(events, "faction2")
    names = {fid: style.name for fid, style in styles.items()}
    name1 = faction.map(names).astype("str").fillna(faction)
    name2 = faction2.map(names).astype("str").fillna(faction2)
    both = name1.fillna("Unknown").where(name2.isna(), name1.fillna("Unknown") + " vs " + name2)
    event_type = _text(events, "event_type")
    date = _dates(events, "date")
    end = _dates(events, "end_date")
    end = end.where(end != date)
    place = _text(events, "place")
    url = _text(events, "source_url")
    url = url.where(url.str.match(r"(?i)https?://", na=False))
    icon_codes, icons = _icon_table(faction, event_type, styles, inferred=_inferred(events))
    tip = date.fillna("") + " · " + place.fillna("?") + " · " + event_type.fillna("event")

    return {
        "scale": _SCALE,
        "lat": np.rint(lat * _SCALE).astype(np.int64).tolist(),
        "lon": np.rint(lon * _SCALE).astype(np.int64).tolist(),
        "icon": icon_codes,
        "icons": icons,
        "title": _coded(event_type.fillna("Event")),
        "tip": _coded(tip),
        "fields": [
            {"label": "Date", **_coded(date)},
            {"label": "Until", **_coded(end)},
            {"label": "Place", **_coded(place)},
            {"label": "Country", **_coded(_text(events, "country"))},
            {"label": "Factions", **_coded(both)},
            {"label": "Sub-type", **_coded(_text(events, "sub_event_type"))},
            {"label": "Description", **_coded(_text(events, "description"))},
            {"label": "Claimed by", **_coded(_text(events, "claimant"))},
            {"label": "Note", **_coded(_text(events, "note"))},
            {"label": "Confidence", **_percent(events, "confidence")},
            {"label": "Location confidence", **_percent(events, "geo_confidence")},
        ],
        "link": {"text": _coded(_text(events, "source")), "url": _coded(url)},
    }


def hexbin_payload(
    events: pd.DataFrame,
    *,
    styles: Mapping[str, FactionStyle],
    size_m: float | None = None,
    edges: Sequence[int] | None = None,
    zoom_range: tuple[int, int] = (0, 99),
) -> dict:
    """The payload of :class:`geo.maps.elements.HexBinLayer`: counts per cell, faction and type.

    ``edges`` are the count class limits (default: from these counts); ``zoom_range`` the
    zooms (from inclusive, to exclusive) at which the cells are shown.

    >>> ev = pd.DataFrame({"lat": [35.0, 35.0], "lon": [40.0, 40.0], "faction": ["a", "b"],
    ...                    "event_type": ["Battles", "Battles"]})
    >>> p = hexbin_payload(ev, styles={})
    >>> p["count"], p["by"][0]["values"], p["by"][0]["counts"]
    ([2], ['a', 'b'], [1, 1])
    """
    lat, lon = _latlon(events, "events")
    return _payload(
        lat,
        lon,
        _breakdowns(events, styles=styles),
        size_m=size_m,
        edges=edges,
        zoom_range=zoom_range,
    )


def _breakdowns(
    events: pd.DataFrame, *, styles: Mapping[str, FactionStyle]
) -> list[tuple[str, np.ndarray, list[str]]]:
    """(label, integer code per event, value per code) of the hexagons' breakdowns."""
    out = []
    for label, column in (("By faction", "faction"), ("By event type", "event_type")):
        if column in events:
            # factorize the column as it is (categoricals stay cheap at a million rows)
            codes, found = pd.factorize(events[column])
            uniques = [str(u) for u in found]
        else:
            codes, uniques = np.full(len(events), -1, dtype=np.int64), []
        missing = codes < 0
        if missing.any():
            codes = np.where(missing, len(uniques), codes)
            uniques = [*uniques, "unknown"]
        if column == "faction":
            uniques = [styles[u].name if u in styles else u for u in uniques]
        out.append((label, codes, uniques))
    return out


def _payload(
    lat: np.ndarray,
    lon: np.ndarray,
    coded: list[tuple[str, np.ndarray, list[str]]],
    *,
    size_m: float | None,
    edges: Sequence[int] | None,
    zoom_range: tuple[int, int],
    xy: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict:
    """:func:`hexbin_payload` of coordinates and breakdowns already read from the events
    (``xy``: the coordinates already projected, see :func:`geo.maps.hexbins.mercator`)."""
    bins = hex_bins(lat=lat, lon=lon, size_m=size_m, xy=xy)
    by = []
    for label, codes, uniques in coded:
        sparse = count_by(bins, codes, n_codes=len(uniques))
        by.append(
            {
                "label": label,
                "values": [str(u) for u in uniques],
                "offsets": sparse.offsets.tolist(),
                "codes": sparse.codes.tolist(),
                "counts": sparse.counts.tolist(),
            }
        )
    edges = _count_edges(bins.count) if edges is None else np.asarray(edges, dtype=int)
    cls = np.clip(np.searchsorted(edges[1:-1], bins.count, side="right"), 0, len(COUNT_RAMP) - 1)
    return {
        "x": np.round(bins.x, 1).tolist(),
        "y": np.round(bins.y, 1).tolist(),
        "size": bins.size_m,
        "count": bins.count.tolist(),
        "cls": cls.tolist(),
        "ramp": list(COUNT_RAMP),
        "edges": edges.tolist(),
        "by": by,
        "minZoom": int(zoom_range[0]),
        "maxZoom": int(zoom_range[1]),
    }


def _hex_levels(events: pd.DataFrame, *, styles: Mapping[str, FactionStyle]) -> list[dict]:
    """Coarse hexagons when zoomed out, cells a third as wide from :data:`FINE_ZOOM_PX` up.

    Both levels share the coarse level's count classes, so one legend fits both. The fine
    level is left out when it would have more than :data:`MAX_FINE_CELLS` cells.
    """
    lat, lon = _latlon(events, "events")
    coded = _breakdowns(events, styles=styles)  # once for both levels
    xy = mercator(lat=lat, lon=lon)  # projected once for the size and both levels
    coarse_size = default_hex_size(lat=lat, lon=lon, xy=xy)
    fine_size = coarse_size / 3
    # Zoom at which a fine cell is FINE_ZOOM_PX wide (156543 m/px at zoom 0 in Web Mercator).
    switch = int(np.ceil(np.log2(FINE_ZOOM_PX * 156_543.03 / (2 * fine_size))))
    coarse = _payload(
        lat, lon, coded, size_m=coarse_size, edges=None, zoom_range=(0, switch), xy=xy
    )
    fine = _payload(
        lat, lon, coded, size_m=fine_size, edges=coarse["edges"], zoom_range=(switch, 99), xy=xy
    )
    if len(fine["count"]) > MAX_FINE_CELLS:
        logger.info("%d fine hexagons is too many; coarse cells at every zoom", len(fine["count"]))
        coarse["maxZoom"] = 99
        return [coarse]
    return [coarse, fine]


def _count_edges(count: np.ndarray) -> np.ndarray:
    top = int(count.max()) if len(count) else 1
    return np.unique(np.ceil(np.geomspace(1, max(top, 2), len(COUNT_RAMP) + 1)).astype(int))


def event_layer(
    events: pd.DataFrame,
    *,
    factions: pd.DataFrame | None,
    max_points: int = 20_000,
    cluster: bool = True,
    name: str = "Events",
) -> folium.FeatureGroup:
    """Events as one compact layer: a marker per event, or hexagon bins above ``max_points``.

    Parameters
    ----------
    events : DataFrame
        The ``events`` table (ARCHITECTURE.md); ``lat``/``lon`` (or a geometry) required.
        Rows without finite coordinates cannot be drawn: they are left out, logged, and
        counted in the layer name.
    factions : DataFrame or None
        The ``factions`` table, for names and colours.
    max_points : int
        Above this many events, draw counts per hexagon instead of single markers.
    cluster : bool
        Cluster single markers (Leaflet.markercluster).

    Returns
    -------
    folium.FeatureGroup
        Named ``"Events (n)"`` (or ``"Events (n, in hexagons)"``).
    """
    lat, lon = _latlon(events, "events")
    ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    dropped = int((~ok).sum())
    if dropped:
        ids = events["id"][~ok].head(5).tolist() if "id" in events else []
        logger.warning("%d events have no usable coordinates and are not drawn: %s", dropped, ids)
        events = events[ok]
    styles = faction_styles(
        factions, extra_ids=unique_values(events, "faction") + unique_values(events, "faction2")
    )
    suffix = f", {dropped:,} without coordinates" if dropped else ""
    if len(events) > max_points:
        group = folium.FeatureGroup(name=f"{name} ({len(events):,}, in hexagons{suffix})")
        for payload in _hex_levels(events, styles=styles):
            HexBinLayer(payload).add_to(group)
    else:
        group = folium.FeatureGroup(name=f"{name} ({len(events):,}{suffix})")
        PointSymbols(event_payload(events, styles=styles), cluster=cluster, role="events").add_to(
            group
        )
    return group


def place_payload(points: pd.DataFrame, *, styles: Mapping[str, FactionStyle]) -> dict:
    """The payload of :class:`geo.maps.elements.PointSymbols` for control claims in force.

    One flag per place, coloured (and bordered) by the faction holding it; popups give the
    holder, since when, status, confidence, who claims it, the note and the source link.
    Inferred claims are drawn faded with a dashed ring.

    >>> pts = pd.DataFrame({"place": ["Manbij"], "faction": ["sna"], "lat": [36.5], "lon": [37.95],
    ...     "valid_from": pd.to_datetime(["2024-12-09"]), "status": ["held"],
    ...     "source": ["Inference from the SNA advance"], "confidence": [0.4]})
    >>> p = place_payload(pts, styles={})
    >>> p["icons"][0]["glyph"], p["icons"][0]["inferred"]
    ('fa-flag', True)
    """
    lat, lon = _latlon(points, "places")
    faction = _text(points, "faction")
    holder = faction.map({fid: s.name for fid, s in styles.items()}).astype("str").fillna(faction)
    status = _text(points, "status").fillna("held")
    url = _text(points, "source_url")
    url = url.where(url.str.match(r"(?i)https?://", na=False))
    place = _text(points, "place").fillna("?")
    icon_codes, icons = _icon_table(
        faction, status, styles, inferred=_inferred(points), glyph=_place_glyph
    )
    return {
        "scale": _SCALE,
        "lat": np.rint(lat * _SCALE).astype(np.int64).tolist(),
        "lon": np.rint(lon * _SCALE).astype(np.int64).tolist(),
        "icon": icon_codes,
        "icons": icons,
        "title": _coded(place),
        "tip": _coded(place + " · " + holder.fillna("?") + " (" + status + ")"),
        "fields": [
            {"label": "Held by", **_coded(holder)},
            {"label": "Since", **_coded(_dates(points, "valid_from"))},
            {"label": "Status", **_coded(status)},
            {"label": "Confidence", **_percent(points, "confidence")},
            {"label": "Claimed by", **_coded(_text(points, "claimant"))},
            {"label": "Note", **_coded(_text(points, "note"))},
        ],
        "link": {"text": _coded(_text(points, "source")), "url": _coded(url)},
    }


def _place_glyph(status: str) -> str:
    return "fa-flag" if status in ("", "held") else "fa-triangle-exclamation"


def place_layer(
    points: pd.DataFrame, *, factions: pd.DataFrame | None, name: str = "Places"
) -> folium.FeatureGroup:
    """The control claims in force (:func:`geo.territory.control_at`) as a flag per place.

    Every claim is one click from its source. Places without a position are left out and
    counted in the layer name.

    >>> pts = pd.DataFrame({"place": ["Manbij"], "faction": ["sdf"], "lat": [36.5], "lon": [37.95]})
    >>> place_layer(pts, factions=None).layer_name
    'Places (1)'
    """
    lat, lon = _latlon(points, "places")
    ok = np.isfinite(lat) & np.isfinite(lon)
    missing = int((~ok).sum())
    points = points[ok]
    styles = faction_styles(factions, extra_ids=unique_values(points, "faction"))
    suffix = f", {missing:,} without a position" if missing else ""
    group = folium.FeatureGroup(name=f"{name} ({len(points):,}{suffix})")
    PointSymbols(place_payload(points, styles=styles), cluster=False).add_to(group)
    return group


def crossing_layer(
    crossings: pd.DataFrame, *, factions: pd.DataFrame | None, name: str = "Border crossings"
) -> folium.FeatureGroup:
    """Border crossings as barrier icons coloured by status, with name, status and holder.

    Parameters
    ----------
    crossings : DataFrame
        ``name, status, held_by`` and ``lat``/``lon`` or a point geometry (as returned by
        :func:`geo.borders.border_crossings`).

    >>> import pandas as pd
    >>> c = pd.DataFrame({"name": ["Al-Qaim"], "status": ["closed"], "held_by": [None],
    ...                   "lat": [34.38], "lon": [41.01]})
    >>> crossing_layer(c, factions=None).layer_name
    'Border crossings'
    """
    lat, lon = _latlon(crossings, "crossings")
    status = _text(crossings, "status").str.lower().fillna("unknown")
    held = _text(crossings, "held_by")
    styles = faction_styles(factions, extra_ids=held.dropna().unique().tolist())
    holder = held.map({k: s.name for k, s in styles.items()}).astype("str").fillna(held)
    colour_codes, colour_values = pd.factorize(status.map(_STATUS_COLOURS).fillna("#777777"))
    payload = {
        "scale": _SCALE,
        "lat": np.rint(lat * _SCALE).astype(np.int64).tolist(),
        "lon": np.rint(lon * _SCALE).astype(np.int64).tolist(),
        "icon": colour_codes.tolist(),
        "icons": [
            {"glyph": "fa-road-barrier", "colour": c, "border": "solid", "inferred": False}
            for c in colour_values
        ],
        "title": _coded(_text(crossings, "name").fillna("Border crossing")),
        "tip": _coded(_text(crossings, "name").fillna("Border crossing") + " (" + status + ")"),
        "fields": [
            {"label": "Status", **_coded(status)},
            {"label": "Held by", **_coded(holder)},
        ],
        "link": None,
    }
    group = folium.FeatureGroup(name=name)
    PointSymbols(payload, cluster=False).add_to(group)
    return group
