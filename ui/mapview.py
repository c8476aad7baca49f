"""The map: a stable base map (basemaps, borders, crossings) and filter-driven feature groups.

The base map is built and rendered once per server (:mod:`ui.foliumview`). Control areas,
frontlines and events change with the filters; they go to streamlit-folium as
``feature_group_to_add`` so that the iframe keeps its view (no remount). The layer control is
passed as ``layer_control=`` so that it lists those groups too (the base map's own control,
built before the groups exist, is left out). Only ``last_object_clicked`` is returned, so
panning and zooming do not rerun the script; the map also reports once when the browser has
drawn it (:mod:`ui.firstpaint`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any, Literal

import folium
import streamlit as st

from geo.maps.assets import FLAT_LEAFLET_JS, VENDOR_BASE_URL, localize, standalone_html
from geo.maps.build import DEFAULT_LOCATION
from geo.maps.frame import MapFrame
from geo.maps.snapshot import SnapshotButton, SnapshotCaption
from ui.data import (
    basemap_inputs,
    data_dir,
    default_atlas,
    install_assets,
    is_offline,
    static_layers,
)
from ui.foliumview import (
    PreparedMap,
    component_key,
    kept_group,
    prepare_base_map,
    prepared_from_strings,
    show_map,
)
from ui.layout import MAP_HEIGHT_PX
from ui.mapcache import cached_strings

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo.atlas.join import AtlasData
    from geo.territory import ControlSnapshot

__all__ = [
    "DEFAULT_LAYERS",
    "LAYERS",
    "MAP_KEY",
    "MAX_POINTS",
    "Layer",
    "map_bounds",
    "memo",
    "prepared_base_map",
    "render_map",
    "standalone_map_html",
]

MAP_KEY = "atlas_map"
CLICK_KEY = "map_click"
"""Session key of the last click on the map's background: ``(lat, lon)`` (folium's order)."""
DRAWING_KEY = "map_drawing"
"""Session key of the last shape drawn with the map's Draw tools (a GeoJSON Feature)."""
MAX_POINTS = 2_000  # more events than this are aggregated by the map layer
Layer = Literal["areas", "frontlines", "places", "events"]
#: The data layers a user can switch on and off, with their labels.
LAYERS: dict[Layer, str] = {
    "areas": "Control areas",
    "frontlines": "Frontlines",
    "places": "Places (who holds each, with its source)",
    "events": "Events",
}
#: The layers drawn until a user switches them: a flag per place hides the areas at the first
#: zoom, so the places (each claim one click from its source) are one tick away.
DEFAULT_LAYERS: tuple[Layer, ...] = ("areas", "frontlines", "events")


_MEMO: dict[str, dict[str, Any]] = {}


def memo(key: str | None, build: Callable[[], Any], *, size: int = 3) -> Any:
    """``build()``, kept per ``key`` (shared by every session, read-only).

    A key's first line names its kind; each kind keeps its last ``size`` results (big frames
    at a million events: a few only). ``key=None`` builds every time.
    """
    if key is None:
        return build()
    kept = _MEMO.setdefault(key.split("\n", 1)[0], {})
    found = kept.get(key)
    if found is None:
        found = build()
        while len(kept) >= size:
            kept.pop(next(iter(kept)))
        kept[key] = found
    return found


def _layers(
    atlas: AtlasData,
    snap: ControlSnapshot,
    shown: gpd.GeoDataFrame,
    layers: Collection[Layer],
    *,
    events_key: str | None = None,
) -> list[Any]:
    from geo.maps.build import map_feature_groups
    from geo.maps.layers import event_layer

    event_group = None
    if "events" in layers and len(shown):
        key = None if events_key is None else f"events-layer\n{events_key}"
        event_group = kept_group(
            key,
            memo(key, lambda: event_layer(shown, factions=atlas.factions, max_points=MAX_POINTS)),
        )
    groups = map_feature_groups(
        event_group=event_group,
        events=shown if "events" in layers else None,
        areas=snap.areas if "areas" in layers else None,
        frontlines=snap.frontlines if "frontlines" in layers else None,
        places=snap.points if "places" in layers else None,
        factions=atlas.factions,
        max_points=MAX_POINTS,
        borders=True,
        crossings=True,
    )
    drafts = _drafts_group(atlas)
    if drafts is not None:
        groups.append(drafts)
    for group in groups:  # their scripts must come from our static folder too
        localize(group)
    return groups


def _drafts_group(atlas: AtlasData) -> Any:
    """The Drafts layer when this session shows drafts and the store holds some, else None."""
    from ui.data import atlas_key
    from ui.store import draft_frames, shows_drafts

    key = atlas_key()
    if not shows_drafts() or not key.startswith("store-"):
        return None
    from geo.maps.layers.drafts import drafts_layer

    events, claims = draft_frames(atlas, key)
    if events.empty and claims.empty:
        return None
    return drafts_layer(events=events, claims=claims)


_EXTENTS: dict[int, tuple[AtlasData, tuple[float, float, float, float] | None]] = {}


def map_extent(atlas: AtlasData) -> tuple[float, float, float, float] | None:
    """The box the map opens on: the data's events and control claims (``None``: no data).

    Memoised per atlas (the entry holds the atlas, so its id cannot be reused meanwhile).
    """
    from geo.atlas.config import data_extent

    found = _EXTENTS.get(id(atlas))
    if found is None or found[0] is not atlas:
        if len(_EXTENTS) >= 8:
            _EXTENTS.pop(next(iter(_EXTENTS)))
        found = (atlas, data_extent([atlas.events, atlas.control]))
        _EXTENTS[id(atlas)] = found
    return found[1]


def _base_map(
    factions: Any,
    *,
    with_layers: tuple[Any, Any] | None = None,
    offline: bool,
    extent: tuple[float, float, float, float] | None = None,
) -> folium.Map:
    """The map without filter-driven layers (or with them, for the standalone export)."""
    from geo.maps.build import build_map

    borders, crossings = static_layers()
    countries, labels = basemap_inputs()
    snap, shown = with_layers or (None, None)
    framed = with_layers is None  # the dashboard: MapFrame alone sets the opening view
    fmap = build_map(
        events=shown,
        areas=None if snap is None else snap.areas,
        frontlines=None if snap is None else snap.frontlines,
        borders=borders,
        crossings=crossings,
        factions=factions,
        offline=offline,
        max_points=MAX_POINTS,
        location=DEFAULT_LOCATION if extent is None or framed else None,
        extent=extent,
        countries=countries,
        labels=labels,
        with_data_layers=with_layers is not None,
    )
    if framed:
        MapFrame(extent=extent, side_panel=True).add_to(fmap)
        SnapshotButton().add_to(fmap)
    return fmap


def _factions_key(factions: pd.DataFrame) -> str:
    """What the base map uses of the factions table (ids, names, colours), as a cache key."""
    columns = [c for c in ("id", "name", "colour") if c in factions.columns]
    return factions[columns].astype("str").to_csv(index=False)


@st.cache_resource(max_entries=8, show_spinner=False)
def _prepared_base(
    factions_key: str,
    offline: bool,
    _factions: pd.DataFrame,
    extent: tuple[float, float, float, float] | None = None,
) -> PreparedMap:
    """The base map rendered once per factions table and mode (shared by every session).

    From the disk cache (:mod:`ui.mapcache`) when nothing it depends on has changed.
    """

    def build() -> dict[str, Any]:
        fmap = _with_draw(_base_map(_factions, offline=offline, extent=extent))
        strings = prepare_base_map(_drop_layer_controls(localize(fmap))).strings()
        # Before Leaflet: no 3D transforms (geo.maps.assets.FLAT_LEAFLET_JS). The map's
        # transformed panes cost the browser ~50 ms per frame while a rerun redrew the page.
        flat = f"{VENDOR_BASE_URL}/{FLAT_LEAFLET_JS}"
        strings["js_links"] = [flat, *(u for u in strings["js_links"] if u != flat)]
        return strings

    key = f"offline={offline}\nextent={extent}\n{factions_key}"
    strings = cached_strings(data_dir(), key=key, build=build)
    return prepared_from_strings(strings)


def _with_draw(fmap: folium.Map) -> folium.Map:
    """Add folium's Draw tools (polygon and rectangle) for drawing a control area.

    Leaflet.draw is served locally like Leaflet (:mod:`geo.maps.assets`); the last shape drawn
    reaches the page as ``last_active_drawing`` (:func:`render_map`), and the "Draw a control
    area" form stores it (:mod:`ui.editor`).
    """
    from folium.plugins import Draw

    Draw(
        position="topleft",
        draw_options={
            "polyline": False,
            "circle": False,
            "circlemarker": False,
            "marker": False,
            "polygon": {"allowIntersection": False, "showArea": True},
            "rectangle": True,
        },
        edit_options={"edit": False},
    ).add_to(fmap)
    return fmap


def _drop_layer_controls(fmap: folium.Map) -> folium.Map:
    """Remove the map's own layer control: ``st_folium`` gets one that knows every group."""
    for name, child in list(fmap._children.items()):
        if isinstance(child, folium.LayerControl):
            del fmap._children[name]
    return fmap


def prepared_base_map(atlas: AtlasData) -> PreparedMap:
    """The prepared base map for ``atlas``'s factions (rendered once per server, then shared).

    Also copies the map's scripts into the static folder, once per server.
    """
    install_assets()
    # The server's data frames the map; a session's uploads do not move it (a new extent
    # would be a new base map, and streamlit-folium would remount the map, losing the view).
    return _prepared_base(
        _factions_key(atlas.factions), is_offline(), atlas.factions, map_extent(default_atlas())
    )


def _sources_line(events: pd.DataFrame, *, top: int = 4) -> str:
    """The most cited sources of ``events``, for the PNG's sources line.

    Counted on the column's distinct values first (a million rows hold a few thousand).
    """
    if "source" not in events or events.empty:
        return ""
    counts = events["source"].value_counts()
    heads = counts.index.astype("str").str.split(",").str[0].str.strip()
    counts = counts.groupby(heads.to_numpy()).sum().sort_values(ascending=False, kind="stable")
    names = [str(name) for name in counts.index[:top] if name and name != "<NA>"]
    more = len(counts) - len(names)
    return "; ".join(names) + (f" and {more:,} more" if more > 0 else "")


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^0-9A-Za-z-]+", "-", text).strip("-").lower()[:60] or "view"


def map_bounds(atlas: AtlasData) -> tuple[float, float, float, float] | None:
    """The map's bounds as the browser last reported them (``west, south, east, north``).

    The map reports them only while the "only what the map shows" switch is on
    (:func:`render_map` with ``report_bounds=True``); ``None`` until it has.
    """
    value = st.session_state.get(component_key(prepared_base_map(atlas), MAP_KEY)) or {}
    box = value.get("bounds") if isinstance(value, dict) else None
    try:
        south_west, north_east = box["_southWest"], box["_northEast"]
        return (
            float(south_west["lng"]),
            float(south_west["lat"]),
            float(north_east["lng"]),
            float(north_east["lat"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def render_map(
    atlas: AtlasData,
    *,
    snap: ControlSnapshot,
    shown: gpd.GeoDataFrame,
    layers: Collection[Layer] = DEFAULT_LAYERS,
    feed: pd.DataFrame | None = None,
    report_bounds: bool = False,
    extra: Sequence[Any] = (),
    title: str = "",
    events_key: str | None = None,
    layer_key: str | None = None,
) -> dict[str, Any] | None:
    """Draw the map; return what was last clicked (``{"lat": .., "lng": ..}``) or ``None``.

    ``layers`` are the data layers drawn (all by default); borders are always drawn. ``feed``
    are the events listed beside the map (default: ``shown``); ``report_bounds=True`` makes the
    map report its bounds (:func:`map_bounds`). ``extra`` are more feature groups (compare).
    ``title`` is the title line of the view's PNG (:mod:`geo.maps.snapshot`). ``events_key``
    names ``shown`` and ``feed`` (the filters but the map date, and the map's view when the
    feed follows it): their layers are then kept while only the map date changes.
    ``layer_key`` names ``shown`` alone (the filters but the map date, never the view; default
    ``events_key``): the events' layer is kept while only the view changes, too.
    """
    from geo.maps.layers.feed import feed_layer

    groups = _layers(atlas, snap, shown, layers, events_key=layer_key or events_key)
    drawn = shown if "events" in layers and len(shown) <= MAX_POINTS else None
    listed = shown if feed is None else feed
    feed_key = None if events_key is None else f"{events_key}\n{report_bounds}\n{drawn is None}"
    feed_key = None if feed_key is None else f"feed\n{feed_key}"
    group = kept_group(
        feed_key,
        memo(
            feed_key,
            lambda: feed_layer(listed, drawn=drawn, factions=atlas.factions, bounds=report_bounds),
        ),
    )
    sources = memo(
        None if feed_key is None else f"sources\n{feed_key}", lambda: _sources_line(listed)
    )
    caption = folium.FeatureGroup(name="Caption", control=False)
    SnapshotCaption(title=title, sources=sources, file=f"frontline-atlas_{_slug(title)}").add_to(
        caption
    )
    groups[-1:-1] = [group, caption]  # before the legend group
    groups[-1:-1] = list(extra)
    result = show_map(
        prepared_base_map(atlas),
        key=MAP_KEY,
        groups=groups,
        layer_control=folium.LayerControl(collapsed=True),
        height=MAP_HEIGHT_PX,
        # The map's background clicks place a new row (ui.editor); its bounds only while the
        # "only what the map shows" switch is on (every pan would rerun the page).
        returned_objects=["last_object_clicked", "last_clicked", "last_active_drawing"]
        + (["bounds"] if report_bounds else []),
        report_drawn=True,  # the first page run draws the rest once the map is drawn
    )
    result = result or {}
    clicked = result.get("last_clicked")
    if clicked and clicked != result.get("last_object_clicked"):  # the map's background
        st.session_state[CLICK_KEY] = (float(clicked["lat"]), float(clicked["lng"]))
    if result.get("last_active_drawing"):  # a GeoJSON Feature, (lon, lat)
        st.session_state[DRAWING_KEY] = result["last_active_drawing"]
    return result.get("last_object_clicked")


def standalone_map_html(atlas: AtlasData, *, snap: ControlSnapshot, shown: gpd.GeoDataFrame) -> str:
    """The current map as one self-contained HTML file (the layers are part of the map)."""
    return standalone_html(
        _base_map(
            atlas.factions,
            with_layers=(snap, shown),
            offline=is_offline(),
            extent=map_extent(atlas),
        )
    )
