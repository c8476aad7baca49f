"""Vector layers: control areas, frontlines and international borders (folium GeoJson).

Each feature carries only the properties the map shows, already formatted, plus its Leaflet
style; tooltips and popups are built in the browser with ``textContent``
(:func:`geo.maps.elements.feature_text_js`), so names from data files cannot inject HTML.

>>> import geopandas as gpd, shapely
>>> areas = gpd.GeoDataFrame({"faction": ["sdf"], "area_km2": [1234.5], "uncertain": [False]},
...                          geometry=[shapely.box(40, 35, 41, 36)], crs="EPSG:4326")
>>> area_layer(areas, factions=None).layer_name
'Control areas'
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.utilities import JsCode

from geo.errors import DataFileError
from geo.maps.elements import feature_text_js
from geo.maps.layers.style import faction_styles

__all__ = [
    "BORDER_STYLE",
    "FRONTLINE_STYLE",
    "area_layer",
    "border_layer",
    "feature_collection",
    "frontline_layer",
]

#: Leaflet path style of international borders and of frontlines (legend uses the same).
BORDER_STYLE = {"color": "#3b3b3b", "weight": 2.5, "dashArray": "10 4 2 4", "opacity": 0.9}
FRONTLINE_STYLE = {"color": "#c51b7d", "weight": 4, "opacity": 0.95}
_CASING = {"color": "#ffffff", "weight": 7, "opacity": 0.85}


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise DataFileError(f"{what} lack columns {missing!r} (have {list(frame.columns)!r})")


def feature_collection(
    geometry: gpd.GeoSeries, properties: pd.DataFrame, *, styles: Sequence[dict] | None = None
) -> dict:
    """A GeoJSON FeatureCollection (lon, lat; 5 decimals) from geometries and string properties.

    >>> import shapely
    >>> fc = feature_collection(gpd.GeoSeries([shapely.Point(40.123456, 35.0)]),
    ...                         pd.DataFrame({"name": ["x"]}))
    >>> fc["features"][0]["geometry"]["coordinates"]
    (40.12346, 35.0)
    """
    if geometry.crs is not None and geometry.crs.to_epsg() != 4326:
        geometry = geometry.to_crs(4326)
    geoms = shapely.transform(np.asarray(geometry.array), lambda c: np.round(c, 5))
    records = properties.astype(object).where(properties.notna(), None).to_dict("records")
    features = []
    for i, (geom, props) in enumerate(zip(geoms.tolist(), records, strict=True)):
        if geom is None or geom.is_empty:
            continue
        if styles is not None:
            props["style"] = styles[i]
        features.append(
            {
                "type": "Feature",
                "id": str(i),
                "properties": props,
                "geometry": geom.__geo_interface__,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _geojson(
    data: dict, *, name: str, title: str, fields: Sequence[tuple[str, str]]
) -> folium.GeoJson:
    return folium.GeoJson(
        data,
        name=name,
        on_each_feature=JsCode(feature_text_js(title=title, fields=fields)),
    )


def area_layer(
    areas: gpd.GeoDataFrame, *, factions: pd.DataFrame | None, name: str = "Control areas"
) -> folium.FeatureGroup:
    """Control areas filled in each faction's colour, outlined with its own dash pattern.

    Uncertain areas are drawn lighter (fill 0.12 instead of 0.35, thinner, fainter outline).

    Parameters
    ----------
    areas : GeoDataFrame
        ``faction, area_km2, uncertain, geometry`` (``geo.territory.claims.control_areas``).
    factions : DataFrame or None
        ``id, name, colour``.
    """
    _require(areas, ("faction", "geometry"), "control areas")
    faction = areas["faction"].astype("str")
    styles = faction_styles(factions, extra_ids=faction.dropna().unique().tolist())
    uncertain = (
        areas["uncertain"].fillna(False).astype(bool)
        if "uncertain" in areas
        else pd.Series(False, index=areas.index)
    )
    area = pd.to_numeric(areas["area_km2"], errors="coerce") if "area_km2" in areas else None
    names = faction.map({k: s.name for k, s in styles.items()}).astype("str").fillna(faction)
    props = pd.DataFrame(
        {
            "title": names + np.where(uncertain, " (uncertain)", ""),
            "faction": names,
            "area": area.map("{:,.0f} km²".format) if area is not None else None,
            "uncertain": np.where(uncertain, "yes: lighter fill", "no"),
        },
        index=areas.index,
    )
    style_list = [
        {
            "color": styles[f].colour,
            "fillColor": styles[f].colour,
            "dashArray": styles[f].dash or None,
            "weight": 1.5 if u else 2.5,
            "opacity": 0.6 if u else 0.95,
            "fillOpacity": 0.12 if u else 0.35,
        }
        for f, u in zip(faction.tolist(), uncertain.tolist(), strict=True)
    ]
    data = feature_collection(areas.geometry, props, styles=style_list)
    group = folium.FeatureGroup(name=name)
    _geojson(
        data,
        name=name,
        title="title",
        fields=[("faction", "Held by"), ("area", "Area"), ("uncertain", "Uncertain")],
    ).add_to(group)
    return group


def _pair_names(frontlines: pd.DataFrame, styles: dict) -> pd.Series:
    names = {k: s.name for k, s in styles.items()}
    if "faction_a" in frontlines and "faction_b" in frontlines:
        a = frontlines["faction_a"].astype("str")
        b = frontlines["faction_b"].astype("str")
        return a.map(names).astype("str").fillna(a) + " – " + b.map(names).astype("str").fillna(b)
    return frontlines["factions"].map(
        lambda v: " – ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else str(v)
    )


def frontline_layer(
    frontlines: gpd.GeoDataFrame, *, factions: pd.DataFrame | None, name: str = "Frontlines"
) -> folium.FeatureGroup:
    """Frontlines as thick magenta lines on a white casing, with the two sides and length.

    Parameters
    ----------
    frontlines : GeoDataFrame
        ``faction_a, faction_b`` (or ``factions``), ``length_km``, line geometry.
    """
    _require(frontlines, ("geometry",), "frontlines")
    ids = []
    for column in ("faction_a", "faction_b"):
        if column in frontlines:
            ids += frontlines[column].astype("str").dropna().unique().tolist()
    styles = faction_styles(factions, extra_ids=ids)
    pair = _pair_names(frontlines, styles) if len(frontlines) else pd.Series([], dtype="str")
    length = pd.to_numeric(frontlines.get("length_km"), errors="coerce")
    props = pd.DataFrame(
        {
            "title": "Frontline: " + pair,
            "sides": pair,
            "length": length.map("{:,.1f} km".format) if length is not None else None,
        },
        index=frontlines.index,
    )
    group = folium.FeatureGroup(name=name)
    casing = feature_collection(frontlines.geometry, props[[]], styles=[_CASING] * len(props))
    folium.GeoJson(casing, name=f"{name} casing", interactive=False, control=False).add_to(group)
    data = feature_collection(frontlines.geometry, props, styles=[FRONTLINE_STYLE] * len(props))
    _geojson(
        data, name=name, title="title", fields=[("sides", "Between"), ("length", "Length")]
    ).add_to(group)
    return group


def border_layer(
    borders: gpd.GeoDataFrame, *, name: str = "International borders"
) -> folium.FeatureGroup:
    """International borders (dash-dot dark grey), tooltip with the countries and length.

    Parameters
    ----------
    borders : GeoDataFrame
        ``countries, length_km, geometry`` (``geo.borders.border_lines``).
    """
    _require(borders, ("geometry",), "borders")
    countries = (
        borders["countries"].map(
            lambda v: (
                " – ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else str(v)
            )
        )
        if "countries" in borders
        else pd.Series("", index=borders.index)
    )
    length = pd.to_numeric(borders.get("length_km"), errors="coerce")
    props = pd.DataFrame(
        {
            "title": "Border: " + countries.astype("str"),
            "length": length.map("{:,.0f} km".format) if length is not None else None,
        },
        index=borders.index,
    )
    data = feature_collection(borders.geometry, props, styles=[BORDER_STYLE] * len(props))
    group = folium.FeatureGroup(name=name)
    _geojson(data, name=name, title="title", fields=[("length", "Length")]).add_to(group)
    return group
