"""The map: a stable base map (borders, basemaps, legend) and filter-driven feature groups.

Control areas, frontlines and events change with the filters; they go to ``st_folium`` as
``feature_group_to_add`` so that the iframe keeps its view (no remount). Only
``last_object_clicked`` is returned, so panning and zooming do not rerun the script.
"""

from __future__ import annotations

from typing import Any

from streamlit_folium import st_folium

from geo.assets import localize, standalone_html
from geo.mapping import DEFAULT_LOCATION
from ui.data import install_assets, is_offline, static_layers

__all__ = ["MAP_KEY", "MAX_POINTS", "render_map", "standalone_map_html"]

MAP_KEY = "atlas_map"
MAX_POINTS = 2_000  # more events than this are aggregated by the map layer


def _layers(atlas: Any, snap: Any, shown: Any) -> list[Any]:
    from geo.mapping import map_feature_groups

    groups = map_feature_groups(
        events=shown,
        areas=snap.areas,
        frontlines=snap.frontlines,
        factions=atlas.factions,
        max_points=MAX_POINTS,
        borders=True,
        crossings=True,
    )
    for group in groups:  # their scripts must come from our static folder too
        localize(group)
    return groups


def _base_map(atlas: Any, *, with_layers: tuple[Any, Any] | None = None) -> Any:
    """The map without filter-driven layers (or with them, for the standalone export)."""
    from geo.mapping import build_map

    borders, crossings = static_layers()
    snap, shown = with_layers or (None, None)
    return build_map(
        events=shown,
        areas=None if snap is None else snap.areas,
        frontlines=None if snap is None else snap.frontlines,
        borders=borders,
        crossings=crossings,
        factions=atlas.factions,
        offline=is_offline(),
        max_points=MAX_POINTS,
        location=DEFAULT_LOCATION,
        with_data_layers=with_layers is not None,
    )


def render_map(atlas: Any, *, snap: Any, shown: Any) -> dict[str, Any] | None:
    """Draw the map; return what was last clicked (``{"lat": .., "lng": ..}``) or ``None``."""
    install_assets()
    fmap = localize(_base_map(atlas))
    result = st_folium(
        fmap,
        key=MAP_KEY,
        height=620,
        use_container_width=True,
        feature_group_to_add=_layers(atlas, snap, shown),
        returned_objects=["last_object_clicked"],
    )
    return (result or {}).get("last_object_clicked")


def standalone_map_html(atlas: Any, *, snap: Any, shown: Any) -> str:
    """The current map as one self-contained HTML file (the layers are part of the map)."""
    return standalone_html(_base_map(atlas, with_layers=(snap, shown)))
