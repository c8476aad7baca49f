"""``build_map()``: compose the layer builders of :mod:`geo.maps.layers` into one folium map.

The map has a layer control, a scale bar, a fullscreen button and a measuring tool, all
served locally (see :mod:`geo.maps.assets`). With ``offline=True`` it has no tile layer at all:
the basemap is Natural Earth polygons with labels, embedded in the page.

:func:`map_feature_groups` returns the filter-driven layers (areas, frontlines, events and
their legend) on their own, for ``st_folium(..., feature_group_to_add=...)``: the dashboard
can swap them without remounting the map.

>>> import pandas as pd
>>> ev = pd.DataFrame({"lat": [34.45], "lon": [40.92], "faction": ["sdf"],
...                    "event_type": ["Battles"]})
>>> fmap = build_map(events=ev, basemap="light")
>>> "Events (1)" in fmap.get_root().render()
True
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import ConfigError
from geo.maps.elements import Fullscreen, HexBinLayer, Measure
from geo.maps.layers import (
    Basemap,
    area_layer,
    basemap_layers,
    border_layer,
    crossing_layer,
    event_layer,
    frontline_layer,
    legend,
    place_layer,
)
from geo.maps.layers.points import unique_values
from geo.schema import inferred

__all__ = [
    "DEFAULT_LOCATION",
    "DEFAULT_ZOOM",
    "MAX_ZOOM",
    "build_map",
    "map_feature_groups",
    "offline_from_env",
]

logger = logging.getLogger(__name__)

#: (lat, lon) the map opens on when there is no data to fit: the Iraq-Syria border region.
DEFAULT_LOCATION: tuple[float, float] = (34.8, 40.5)
DEFAULT_ZOOM = 6
#: Explicit maximum zoom: markercluster needs one when the map has no tile layer.
MAX_ZOOM = 18


def offline_from_env(environ: Mapping[str, str] | None = None) -> bool:
    """True when ``FRONTLINE_OFFLINE`` is set to 1/true/yes (callers pass it to ``build_map``).

    >>> offline_from_env({"FRONTLINE_OFFLINE": "1"}), offline_from_env({})
    (True, False)
    """
    value = (os.environ if environ is None else environ).get("FRONTLINE_OFFLINE", "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _present(frame: pd.DataFrame | None) -> bool:
    return frame is not None and len(frame) > 0


def _any_inferred(frame: pd.DataFrame | None) -> bool:
    return _present(frame) and "source" in frame and bool(inferred(frame["source"]).any())


def _event_types(events: pd.DataFrame | None) -> list[str]:
    return unique_values(events, "event_type") if _present(events) else []


def _faction_ids(*frames_columns: tuple[pd.DataFrame | None, str]) -> list[str]:
    ids: list[str] = []
    for frame, column in frames_columns:
        if _present(frame):
            ids += unique_values(frame, column)
    return list(dict.fromkeys(ids))


def map_feature_groups(
    *,
    events: pd.DataFrame | None = None,
    areas: gpd.GeoDataFrame | None = None,
    frontlines: gpd.GeoDataFrame | None = None,
    places: pd.DataFrame | None = None,
    factions: pd.DataFrame | None = None,
    max_points: int = 20_000,
    with_legend: bool = True,
    borders: bool = False,
    crossings: bool = False,
    event_group: folium.FeatureGroup | None = None,
) -> list[folium.FeatureGroup]:
    """The filter-driven layers: control areas, frontlines, places, events, and a legend group.

    Parameters
    ----------
    events, areas, frontlines, places, factions
        As for :func:`build_map`; ``None`` or empty frames give no layer.
    max_points : int
        Above this many events, they are drawn as hexagon bins.
    with_legend : bool
        Append a ``"Legend"`` group (not listed in the layer control) whose legend control
        appears and disappears with it.
    borders, crossings : bool
        Whether the legend lists the (static) border and crossing symbols.
    event_group : folium.FeatureGroup, optional
        The events' layer already built by :func:`geo.maps.layers.event_layer` for these
        ``events`` (a caller that keeps it while only the map date changes); default: built.

    Returns
    -------
    list of folium.FeatureGroup
        In drawing order; pass them to ``st_folium(feature_group_to_add=...)``.

    Examples
    --------
    >>> [g.layer_name for g in map_feature_groups()]
    ['Legend']
    """
    if max_points < 0:
        raise ConfigError(f"max_points must be >= 0, got {max_points!r}")
    groups: list[folium.FeatureGroup] = []
    if _present(areas):
        groups.append(area_layer(areas, factions=factions))
    if _present(frontlines):
        groups.append(frontline_layer(frontlines, factions=factions))
    if _present(places):
        groups.append(place_layer(places, factions=factions))
    hex_edges = None
    if _present(events):
        group = event_group or event_layer(events, factions=factions, max_points=max_points)
        groups.append(group)
        hexes = [c for c in group._children.values() if isinstance(c, HexBinLayer)]
        hex_edges = hexes[0].edges if hexes else None
    if with_legend:
        uncertain = (
            _present(areas)
            and "uncertain" in areas
            and bool(areas["uncertain"].fillna(False).any())
        )
        element = legend(
            factions=factions,
            faction_ids=_faction_ids(
                (areas, "faction"), (places, "faction"), (events, "faction"), (events, "faction2")
            ),
            event_types=_event_types(events),
            frontlines=_present(frontlines),
            borders=borders,
            crossings=crossings,
            uncertain=uncertain,
            hex_edges=hex_edges,
            places=_present(places),
            inferred=_any_inferred(events) or _any_inferred(places),
        )
        group = folium.FeatureGroup(name="Legend", control=False)
        element.add_to(group)
        groups.append(group)
    return groups


def _bounds(
    frames: Sequence[pd.DataFrame | None],
) -> list[list[float]] | None:
    """[[south, west], [north, east]] (lat, lon order, as folium wants) over all frames."""
    boxes = []
    for frame in frames:
        if not _present(frame):
            continue
        if "geometry" in frame and isinstance(frame, gpd.GeoDataFrame):
            boxes.append(frame.to_crs(4326).total_bounds)  # (minx=lon, miny=lat, maxx, maxy)
        elif "lat" in frame and "lon" in frame:
            lat = pd.to_numeric(frame["lat"], errors="coerce")
            lon = pd.to_numeric(frame["lon"], errors="coerce")
            boxes.append(np.array([lon.min(), lat.min(), lon.max(), lat.max()], dtype=float))
    boxes = [b for b in boxes if np.all(np.isfinite(b))]
    if not boxes:
        return None
    stack = np.vstack(boxes)
    west, south = stack[:, 0].min(), stack[:, 1].min()
    east, north = stack[:, 2].max(), stack[:, 3].max()
    return [[float(south), float(west)], [float(north), float(east)]]


def build_map(
    *,
    events: pd.DataFrame | None = None,
    areas: gpd.GeoDataFrame | None = None,
    frontlines: gpd.GeoDataFrame | None = None,
    places: pd.DataFrame | None = None,
    borders: gpd.GeoDataFrame | None = None,
    crossings: pd.DataFrame | None = None,
    factions: pd.DataFrame | None = None,
    basemap: Basemap = "osm",
    offline: bool = False,
    max_points: int = 20_000,
    location: tuple[float, float] | None = None,
    zoom_start: int | None = None,
    countries: gpd.GeoDataFrame | None = None,
    labels: pd.DataFrame | None = None,
    with_data_layers: bool = True,
    extent: tuple[float, float, float, float] | None = None,
) -> folium.Map:
    """Build the interactive map.

    Parameters
    ----------
    events, areas, frontlines, borders, crossings, factions
        The shared tables (ARCHITECTURE.md); any may be ``None``.
    places
        The control claims in force (:func:`geo.territory.control_at`, a snapshot's
        ``points``): a flag per place, one click from its source.
    basemap : {"osm", "light", "satellite", "offline"}
        Basemap shown first; the others stay selectable in the layer control.
    offline : bool
        No tile layer at all (the offline basemap only): nothing leaves the machine. Callers
        honour ``FRONTLINE_OFFLINE=1`` with :func:`offline_from_env`.
    max_points : int
        Above this many events, draw hexagon bins instead of single markers.
    location : (lat, lon), optional
        Centre; default: fit the data, else :data:`DEFAULT_LOCATION`.
    zoom_start : int, optional
        Initial zoom (with ``location``); default :data:`DEFAULT_ZOOM`.
    countries : GeoDataFrame, optional
        Country shapes for the offline basemap; default ``geo.borders.country_shapes()`` when
        the offline basemap is needed.
    labels : DataFrame, optional
        Town labels for the offline basemap (``lat, lon, text, kind``).
    extent : (west, south, east, north), optional
        The data's extent (:func:`geo.atlas.config.data_extent`): the map opens on it (unless
        ``location`` is given) and the offline basemap is detailed there.
    with_data_layers : bool
        Add the filter-driven layers (:func:`map_feature_groups`); the dashboard passes
        ``False`` and sends them through ``feature_group_to_add`` instead.

    Returns
    -------
    folium.Map

    Raises
    ------
    ConfigError
        Unknown basemap or a bad option value (the value is shown).
    """
    if countries is None and (offline or basemap == "offline"):
        from geo.borders import country_shapes

        countries = country_shapes()
    fmap = folium.Map(
        location=list(location or DEFAULT_LOCATION),
        zoom_start=zoom_start or DEFAULT_ZOOM,
        tiles=None,
        control_scale=True,
    )
    # folium hands min/max zoom to its own tile layer only; with tiles=None the map itself
    # needs them (markercluster refuses a map without maxZoom).
    fmap.options.update(max_zoom=MAX_ZOOM, min_zoom=3)
    for layer in basemap_layers(
        basemap, offline=offline, countries=countries, labels=labels, detail_bbox=extent
    ):
        layer.add_to(fmap)
    if _present(borders):
        border_layer(borders).add_to(fmap)
    if _present(crossings):
        crossing_layer(crossings, factions=factions).add_to(fmap)
    if with_data_layers:
        for group in map_feature_groups(
            events=events,
            areas=areas,
            frontlines=frontlines,
            places=places,
            factions=factions,
            max_points=max_points,
            borders=_present(borders),
            crossings=_present(crossings),
        ):
            group.add_to(fmap)
    Fullscreen().add_to(fmap)
    Measure().add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    if extent is not None and location is None:
        west, south, east, north = extent
        fmap.fit_bounds([[south, west], [north, east]], max_zoom=10)  # folium: (lat, lon)
    elif location is None:
        bounds = _bounds([areas, frontlines, events, crossings])
        if bounds is not None:
            fmap.fit_bounds(bounds, max_zoom=10)
    return fmap
