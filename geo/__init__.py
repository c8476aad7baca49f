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
    # geo.normalize
    "normalize_name": "geo.normalize",
    "name_keys": "geo.normalize",
    # geo.gazetteer
    "DEFAULT_REGION": "geo.gazetteer",
    "Gazetteer": "geo.gazetteer",
    "Place": "geo.gazetteer",
    "load_gazetteer": "geo.gazetteer",
    # geo.geocode
    "GeocodeResult": "geo.geocode",
    "Geocoder": "geo.geocode",
    "load_geocoder": "geo.geocode",
    # geo.online
    "OnlineGeocoder": "geo.online",
    # geo.annotations
    "Annotations": "geo.annotations",
    "Issue": "geo.annotations",
    "load_annotations": "geo.annotations",
    "parse_upload": "geo.annotations",
    "faction_for_actor": "geo.annotations",
    # geo.join
    "AtlasData": "geo.join",
    "join_annotations": "geo.join",
    "load_atlas": "geo.join",
    "join_upload": "geo.join",
    # geo.formats
    "read_table": "geo.formats",
    "write_table": "geo.formats",
    "read_events": "geo.formats",
    "write_events": "geo.formats",
    # geo.importers
    "import_acled": "geo.importers",
    "import_ucdp": "geo.importers",
    # geo.borders
    "country_shapes": "geo.borders",
    "border_lines": "geo.borders",
    "border_crossings": "geo.borders",
    "geodesic_length_km": "geo.borders",
    # geo.control
    "ControlSnapshot": "geo.control",
    "ChangeReport": "geo.control",
    "control_at": "geo.control",
    "control_areas": "geo.control",
    "frontlines": "geo.control",
    "control_snapshot": "geo.control",
    "change_between": "geo.control",
    "area_series": "geo.control",
    "changed_hands": "geo.control",
    # geo.filters
    "filter_events": "geo.filters",
    # geo.mapping
    "build_map": "geo.mapping",
    "map_feature_groups": "geo.mapping",
    "offline_from_env": "geo.mapping",
    # geo.assets
    "install_static": "geo.assets",
    "localize": "geo.assets",
    "standalone_html": "geo.assets",
    # geo.geoparse
    "geoparse": "geo.geoparse",
    "ArticleParser": "geo.geoparse",
    "ParsedArticle": "geo.geoparse",
    "PlaceMention": "geo.geoparse",
    "FactionMention": "geo.geoparse",
    "DateMention": "geo.geoparse",
    "DraftEvent": "geo.geoparse",
    # geo.synth
    "synthetic_events": "geo.synth",
    "synthetic_control": "geo.synth",
    # geo.viewstate
    "ViewState": "geo.viewstate",
    "parse_query_params": "geo.viewstate",
    "to_query_params": "geo.viewstate",
    # geo.exports
    "events_to_csv_bytes": "geo.exports",
    "events_to_geojson_bytes": "geo.exports",
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
