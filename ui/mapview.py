"""The map: a stable base map (borders, basemaps, legend) and filter-driven feature groups.

Control areas, frontlines and events change with the filters; they go to ``st_folium`` as
``feature_group_to_add`` so that the iframe keeps its view (no remount). Only
``last_object_clicked`` is returned, so panning and zooming do not rerun the script.
"""

from __future__ import annotations

from typing import Any

from streamlit_folium import st_folium

from geo.assets import localize, standalone_html
from ui.data import install_assets, is_offline
from ui.sidebar import Filters

__all__ = ["MAP_KEY", "MAX_POINTS", "render_map", "standalone_map_html"]

MAP_KEY = "atlas_map"
MAX_POINTS = 2_000  # more events than this are aggregated by the map layer


def _layers(atlas: Any, snap: Any, shown: Any, filters: Filters) -> list[Any]:
    from geo.maplayers import map_feature_groups

    return map_feature_groups(
        snapshot=snap, events=shown, factions=atlas.factions, max_points=MAX_POINTS
    )


def _base_map(atlas: Any) -> Any:
    from geo.mapping import build_map

    return build_map(factions=atlas.factions, offline=is_offline())


def render_map(atlas: Any, *, snap: Any, shown: Any, filters: Filters) -> dict[str, Any] | None:
    """Draw the map; return what was last clicked (``{"lat": .., "lng": ..}``) or ``None``."""
    install_assets()
    fmap = localize(_base_map(atlas))
    result = st_folium(
        fmap,
        key=MAP_KEY,
        height=620,
        use_container_width=True,
        feature_group_to_add=_layers(atlas, snap, shown, filters),
        returned_objects=["last_object_clicked"],
    )
    return (result or {}).get("last_object_clicked")


def standalone_map_html(atlas: Any, *, snap: Any, shown: Any, filters: Filters) -> str:
    """The current map as one self-contained HTML file (the layers are part of the map)."""
    fmap = _base_map(atlas)
    for group in _layers(atlas, snap, shown, filters):
        group.add_to(fmap)
    return standalone_html(fmap)
