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
    "GeoError": "geo.errors",
    "PlaceNotFound": "geo.errors",
    "AnnotationError": "geo.errors",
    "DataFileError": "geo.errors",
    "ConfigError": "geo.errors",
    "AssetError": "geo.errors",
    "GeocoderServiceError": "geo.errors",
    "GeocoderTimedOut": "geo.errors",
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
