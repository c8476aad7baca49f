"""Map layers: one small builder per layer, composed by :func:`geo.maps.build.build_map`.

- :func:`basemap_layers` — tile basemaps and the offline Natural Earth basemap;
- :func:`area_layer`, :func:`frontline_layer`, :func:`border_layer` — vector layers;
- :func:`event_layer`, :func:`place_layer`, :func:`crossing_layer` — compact point layers;
- :func:`drafts_layer` — store rows not yet reviewed, drawn as dashed rings;
- :func:`legend` — the legend control.

>>> from geo.maps.layers import event_glyph
>>> event_glyph("Violence against civilians")
'fa-person-harassing'
"""

from __future__ import annotations

from geo.maps.layers.basemap import TILES, Basemap, basemap_layers, default_labels, offline_basemap
from geo.maps.layers.drafts import drafts_layer
from geo.maps.layers.legend import legend
from geo.maps.layers.points import (
    crossing_layer,
    event_layer,
    event_payload,
    hexbin_payload,
    place_layer,
    place_payload,
)
from geo.maps.layers.style import FactionStyle, event_glyph, faction_styles
from geo.maps.layers.vector import area_layer, border_layer, feature_collection, frontline_layer

__all__ = [
    "TILES",
    "Basemap",
    "FactionStyle",
    "area_layer",
    "basemap_layers",
    "border_layer",
    "crossing_layer",
    "default_labels",
    "drafts_layer",
    "event_glyph",
    "event_layer",
    "event_payload",
    "faction_styles",
    "feature_collection",
    "frontline_layer",
    "hexbin_payload",
    "legend",
    "offline_basemap",
    "place_layer",
    "place_payload",
]
