"""Frontline Atlas core: geocode place names, join annotations, compute control and map it.

The public API is listed in ``__all__`` and imported lazily, so that ``python -m geo --help``
and light callers do not pay for geopandas and folium.

>>> import geo
>>> geo.__version__
'0.1.0'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # geo.errors
    "GeoError": "geo.errors",
    "PlaceNotFound": "geo.errors",
    "AnnotationError": "geo.errors",
    "DataFileError": "geo.errors",
    "ConfigError": "geo.errors",
    "AssetError": "geo.errors",
    "GeocoderServiceError": "geo.errors",
    "GeocoderTimedOut": "geo.errors",
    # geo.places.normalize
    "normalize_name": "geo.places.normalize",
    "name_keys": "geo.places.normalize",
    # geo.places.gazetteer
    "DEFAULT_REGION": "geo.places.gazetteer",
    "Gazetteer": "geo.places.gazetteer",
    "Place": "geo.places.gazetteer",
    "load_gazetteer": "geo.places.gazetteer",
    # geo.places.geocode
    "GeocodeResult": "geo.places.result",
    "Geocoder": "geo.places.geocode",
    "load_geocoder": "geo.places.geocode",
    # geo.places.online
    "OnlineGeocoder": "geo.places.online",
    # geo.annotations
    "Annotations": "geo.annotations",
    "Issue": "geo.annotations",
    "load_annotations": "geo.annotations",
    "parse_upload": "geo.annotations",
    "faction_for_actor": "geo.annotations",
    # geo.atlas.join
    "AtlasData": "geo.atlas.join",
    "join_annotations": "geo.atlas.join",
    "load_atlas": "geo.atlas.load",
    "join_upload": "geo.atlas.join",
    # geo.io.formats
    "read_table": "geo.io.formats",
    "write_table": "geo.io.formats",
    "read_events": "geo.io.formats",
    "write_events": "geo.io.formats",
    # geo.annotations.importers
    "import_acled": "geo.annotations.importers",
    "import_ucdp": "geo.annotations.importers",
    # geo.borders
    "country_shapes": "geo.borders",
    "border_lines": "geo.borders",
    "border_crossings": "geo.territory.crossings",
    "geodesic_length_km": "geo.borders",
    # geo.territory
    "ControlSnapshot": "geo.territory",
    "TerritoryOptions": "geo.territory",
    "ChangeReport": "geo.territory",
    "control_at": "geo.territory",
    "control_areas": "geo.territory",
    "frontlines": "geo.territory",
    "control_snapshot": "geo.territory",
    "change_between": "geo.territory",
    "area_series": "geo.territory",
    "changed_hands": "geo.territory",
    # geo.view.filters
    "filter_events": "geo.view.filters",
    # geo.maps.build
    "build_map": "geo.maps.build",
    "map_feature_groups": "geo.maps.build",
    "offline_from_env": "geo.maps.build",
    # geo.maps.assets
    "install_static": "geo.maps.assets",
    "localize": "geo.maps.assets",
    "standalone_html": "geo.maps.assets",
    # geo.text
    "geoparse": "geo.text",
    "ArticleParser": "geo.text",
    "ParsedArticle": "geo.text",
    "PlaceMention": "geo.text",
    "FactionMention": "geo.text",
    "DateMention": "geo.text",
    "DraftEvent": "geo.text",
    # geo.synth
    "synthetic_events": "geo.synth",
    "synthetic_control": "geo.synth",
    # geo.view.state
    "ViewState": "geo.view.state",
    "parse_query_params": "geo.view.state",
    "to_query_params": "geo.view.state",
    # geo.io.exports
    "events_to_csv_bytes": "geo.io.exports",
    "events_to_geojson_bytes": "geo.io.exports",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
