"""Basemaps: three tile layers (online) and an offline Natural Earth basemap with labels.

The offline basemap is vector data embedded in the map: country polygons (clipped to the
region and simplified for display only) and text labels for country names and the major towns
of the data's extent (the world gazetteer's GeoNames cities). Nothing of it is fetched from
anywhere.

>>> [layer.layer_name for layer in basemap_layers("light")]
['OpenStreetMap', 'Light (CARTO Positron)', 'Satellite (Esri World Imagery)']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import ConfigError
from geo.maps.elements import TextLabels

__all__ = [
    "MAX_TOWN_LABELS",
    "REGION_BBOX",
    "TILES",
    "Basemap",
    "TileSpec",
    "basemap_layers",
    "default_labels",
    "offline_basemap",
]

Basemap = Literal["osm", "light", "satellite", "offline"]

#: (west, south, east, north) in degrees: the region the offline basemap covers.
REGION_BBOX: tuple[float, float, float, float] = (25.0, 24.0, 57.0, 43.0)


@dataclass(frozen=True)
class TileSpec:
    """One online tile basemap: its display name, URL template and required attribution."""

    key: str
    name: str
    url: str
    attribution: str


TILES: tuple[TileSpec, ...] = (
    TileSpec(
        "osm",
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    TileSpec(
        "light",
        "Light (CARTO Positron)",
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
        ' &copy; <a href="https://carto.com/attributions">CARTO</a>',
    ),
    TileSpec(
        "satellite",
        "Satellite (Esri World Imagery)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, "
        "and the GIS User Community",
    ),
)

_OFFLINE_NAME = "Offline basemap (Natural Earth)"
_LABEL_FLOOR = 15_000  # towns smaller than this are never labelled
MAX_TOWN_LABELS = 400
"""At most this many town labels: the biggest towns of the extent (a world view: its cities)."""
_MAJOR_LABELS = 40  # at most this many shown at the first zoom (the rest when zoomed in)
_MIN_LABELS = 30  # an extent with fewer big towns gets its biggest smaller ones too


@functools.cache
def _world_towns() -> pd.DataFrame:
    """GeoNames cities and towns of the world gazetteer (its Parquet cache), read once.

    The frame is never handed out, only filtered copies of it.
    """
    from geo.places.world import world_towns

    towns = world_towns(min_population=_LABEL_FLOOR)  # biggest first
    return pd.DataFrame(
        {
            "name": towns.name,
            "latitude": towns.lat,
            "longitude": towns.lon,
            "countrycode": towns.country,
            "population": towns.population,
        }
    )


def default_labels(
    *,
    extent: tuple[float, float, float, float] | None = None,
    min_population: int = 150_000,
    major_population: int = 700_000,
    max_labels: int = MAX_TOWN_LABELS,
) -> pd.DataFrame:
    """Major towns of an extent from the world gazetteer (GeoNames, offline): ``lat, lon, text, kind``.

    ``extent`` is (west, south, east, north) in degrees, the data's (default
    :data:`REGION_BBOX`); any region of the world works. Towns of at least ``min_population``
    are kept (in a region with fewer than 30 of them, its 30 biggest towns), at most
    ``max_labels`` of them (the biggest). ``kind`` is ``major`` at or above
    ``major_population`` (at most the 40 biggest: shown at the first zoom), else ``minor``
    (shown when zoomed in).

    >>> labels = default_labels()
    >>> "Damascus" in set(labels["text"]), set(labels["kind"]) <= {"major", "minor"}
    (True, True)
    >>> "Bamako" in set(default_labels(extent=(-12.0, 9.0, 4.0, 25.0))["text"])
    True
    """
    cities = _world_towns()
    west, south, east, north = extent or REGION_BBOX
    keep = cities["longitude"].between(west, east) & cities["latitude"].between(south, north)
    picked = cities[keep]  # biggest first
    big = picked["population"].to_numpy() >= min_population
    big[:_MIN_LABELS] = True
    picked = picked[big]
    # One label per cell (a hundredth of the extent's width, at least ~10 km). GeoNames lists
    # some cities twice (e.g. "Al Mawşil al Jadīdah" beside "Mosul"): among the entries of a
    # cell with at least half the top population, the plain (ASCII) English name wins, then
    # the larger population.
    per_degree = min(10.0, 100.0 / max(east - west, north - south, 1e-6))
    cell = (
        (picked["latitude"] * per_degree).round().astype(int).astype(str)
        + ":"
        + (picked["longitude"] * per_degree).round().astype(int).astype(str)
    )
    top = picked["population"].groupby(cell).transform("max")
    contenders = picked[picked["population"] >= 0.5 * top].assign(
        plain=lambda frame: frame["name"].str.isascii()
    )
    contenders = contenders.sort_values(["plain", "population"], ascending=False)
    picked = contenders[~cell[contenders.index].duplicated()].sort_values(
        "population", ascending=False, kind="stable"
    )
    picked = picked.head(max_labels)
    major = picked["population"].to_numpy() >= major_population
    major[_MAJOR_LABELS:] = False
    return pd.DataFrame(
        {
            "lat": picked["latitude"].astype(float).to_numpy(),
            "lon": picked["longitude"].astype(float).to_numpy(),
            "text": picked["name"].astype("str").to_numpy(),
            "kind": np.where(major, "major", "minor"),
        }
    )


WORLD_SIMPLIFY_DEG = 0.3
"""Display simplification of the world outside the detailed box (degrees; never measured)."""


def _coarse(geoms: np.ndarray) -> np.ndarray:
    """Country shapes for the world view: parts of at least 1 deg² (else the largest), coarse."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    area = shapely.area(parts)  # square degrees: only to drop specks from a display layer
    largest = pd.Series(area).groupby(owner).transform("max").to_numpy()
    keep = (area >= 1.0) | (area == largest)
    out = np.array([shapely.Polygon()] * len(geoms), dtype=object)
    if keep.any():
        joined = shapely.multipolygons(parts[keep], indices=owner[keep])
        out[: len(joined)] = np.where(shapely.is_empty(joined), out[: len(joined)], joined)
    out = shapely.simplify(out, WORLD_SIMPLIFY_DEG, preserve_topology=True)
    return shapely.set_precision(out, WORLD_SIMPLIFY_DEG / 10)


def offline_basemap(
    countries: gpd.GeoDataFrame,
    *,
    labels: pd.DataFrame | None = None,
    simplify_deg: float = 0.01,
    show: bool = True,
    detail_bbox: tuple[float, float, float, float] | None = None,
) -> folium.FeatureGroup:
    """The offline basemap of the world: country polygons, country names and town labels.

    Inside ``detail_bbox`` (default :data:`REGION_BBOX`; the dashboard passes the data's
    extent) the shapes keep ``simplify_deg``; the rest of the world is drawn coarsely
    (:data:`WORLD_SIMPLIFY_DEG`, parts under 1 square degree left out), so that the map
    never ends at the edge of one region.

    Parameters
    ----------
    countries : GeoDataFrame
        Country polygons with a ``name`` column (``geo.borders.country_shapes()``).
    labels : DataFrame, optional
        ``lat, lon, text, kind`` (``kind`` in country/major/minor); default
        :func:`default_labels`.
    simplify_deg : float
        Display simplification tolerance (degrees; shapes only, never used to measure).
    """
    if "geometry" not in countries:
        raise ConfigError(f"country shapes need a geometry column, got {list(countries.columns)!r}")
    west, south, east, north = detail_bbox or REGION_BBOX
    source = np.asarray(countries.to_crs(4326).geometry.array)
    if max(east - west, north - south) > 60:  # a continent or the world: coarse everywhere
        geoms = shapely.clip_by_rect(_coarse(source), west, south, east, north)
    else:
        geoms = shapely.clip_by_rect(source, west, south, east, north)
        geoms = shapely.simplify(geoms, simplify_deg, preserve_topology=True)
        # Vertices at least ``simplify_deg`` apart need no more than a tenth of it in
        # precision: at 0.001 degrees the GeoJSON is less than half as long (shapes valid).
        geoms = shapely.set_precision(geoms, simplify_deg / 10)
    world = shapely.difference(_coarse(source), shapely.box(west, south, east, north))
    all_names = (
        countries["name"].astype("str").to_numpy()
        if "name" in countries
        else np.array([""] * len(source), dtype=object)
    )
    anchors_from = np.where(shapely.is_empty(geoms), world, geoms)
    geoms = np.concatenate([geoms, world])
    names = np.concatenate([all_names, all_names])
    keep = ~shapely.is_empty(geoms)
    names, geoms = names[keep], geoms[keep]
    label_keep = ~shapely.is_empty(anchors_from)
    shapes = gpd.GeoDataFrame({"name": names}, geometry=geoms, crs="EPSG:4326")
    group = folium.FeatureGroup(name=_OFFLINE_NAME, overlay=False, show=show)
    folium.GeoJson(
        shapes,
        name=_OFFLINE_NAME,
        style_function=lambda _: {
            "color": "#9a9a9a",
            "weight": 1,
            "fillColor": "#f4f1ea",
            "fillOpacity": 1.0,
        },
        interactive=False,
        control=False,
    ).add_to(group)
    anchors = shapely.point_on_surface(anchors_from[label_keep])
    country_labels = pd.DataFrame(
        {
            "lat": shapely.get_y(anchors),  # shapely y is the latitude
            "lon": shapely.get_x(anchors),
            "text": all_names[label_keep],
            "kind": "country",
        }
    )
    towns = default_labels() if labels is None else labels
    every = pd.concat([country_labels, towns[["lat", "lon", "text", "kind"]]], ignore_index=True)
    TextLabels(
        lat=every["lat"].tolist(),
        lon=every["lon"].tolist(),
        text=every["text"].astype("str").tolist(),
        kind=every["kind"].tolist(),
    ).add_to(group)
    return group


def basemap_layers(
    basemap: Basemap = "osm",
    *,
    offline: bool = False,
    countries: gpd.GeoDataFrame | None = None,
    labels: pd.DataFrame | None = None,
    detail_bbox: tuple[float, float, float, float] | None = None,
) -> list[folium.map.Layer]:
    """The base layers for the layer control, the chosen one shown first.

    Parameters
    ----------
    basemap : {"osm", "light", "satellite", "offline"}
        The basemap shown when the map opens.
    offline : bool
        No tile layer at all; only the offline basemap (needs ``countries``).
    countries : GeoDataFrame, optional
        Country shapes for the offline basemap; when given online, the offline basemap is
        offered too.
    labels : DataFrame, optional
        Town labels for the offline basemap (see :func:`offline_basemap`).

    Raises
    ------
    ConfigError
        Unknown ``basemap``, or an offline basemap without ``countries``.
    """
    keys = {spec.key for spec in TILES} | {"offline"}
    if basemap not in keys:
        raise ConfigError(f"basemap must be one of {sorted(keys)}, got {basemap!r}")
    wants_offline = offline or basemap == "offline"
    if wants_offline and countries is None:
        raise ConfigError("the offline basemap needs country shapes (countries=...)")
    layers: list[folium.map.Layer] = []
    if not offline:
        for spec in TILES:
            layers.append(
                folium.TileLayer(
                    tiles=spec.url,
                    attr=spec.attribution,
                    name=spec.name,
                    max_zoom=18,
                    overlay=False,
                    show=spec.key == basemap,
                )
            )
    if countries is not None:
        layers.append(
            offline_basemap(countries, labels=labels, show=wants_offline, detail_bbox=detail_bbox)
        )
    return layers
