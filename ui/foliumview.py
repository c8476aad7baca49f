"""``st_folium`` with the base map prepared once: only the data layers are rendered per rerun.

``streamlit_folium.st_folium`` renders the whole map on every call; with the offline basemap
(country polygons, town labels) that is most of a rerun's time, although the base map never
changes with the filters. :func:`prepare_base_map` does that work once (the result lives in
``st.cache_resource``); :func:`show_map` then renders only the feature groups and the layer
control and hands everything to streamlit-folium's own component, with the same arguments
``st_folium`` would send. It uses streamlit-folium's helpers, so it is tied to the pinned
version (0.27.4, requirements.txt); ``tests/test_app.py`` checks what the component receives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
import streamlit_folium as sf

__all__ = ["PreparedMap", "ensure_component_registered", "prepare_base_map", "show_map"]


@dataclass(frozen=True)
class PreparedMap:
    """A rendered base map and the strings ``st_folium`` derives from it (shared, read-only).

    ``fmap`` is borrowed under ``lock`` while a rerun attaches its layers to compute their
    script, and is left as it was.
    """

    fmap: folium.Map
    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False)


def _links(elements: Iterable[Any]) -> tuple[list[str], list[str]]:
    """CSS and JS links of every element and its children (as ``st_folium`` collects them)."""
    css: list[str] = []
    js: list[str] = []

    def walk(element: Any) -> None:
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    for element in elements:
        walk(element)
    return css, js


def prepare_base_map(fmap: folium.Map) -> PreparedMap:
    """Render ``fmap`` once and keep the strings ``st_folium`` would compute from it.

    Examples
    --------
    >>> prepared = prepare_base_map(folium.Map(tiles=None))      # doctest: +SKIP
    >>> prepared.map_id                                          # doctest: +SKIP
    'map_div'
    """
    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    css, js = _links([fmap])
    return PreparedMap(
        fmap=fmap,
        script=script,
        header=header,
        html=html,
        map_id=sf.get_full_id(fmap),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
    )


def _layer_strings(
    base: PreparedMap, groups: Sequence[folium.FeatureGroup], control: folium.LayerControl | None
) -> tuple[str, str | None]:
    """Scripts of the feature groups and the layer control, on the borrowed base map."""
    with base.lock:
        before = set(base.fmap._children)
        try:
            groups_js = "".join(
                sf._get_feature_group_string(group, map=base.fmap, idx=idx)
                for idx, group in enumerate(groups)
            )
            control_js = (
                None if control is None else sf._get_layer_control_string(control, base.fmap)
            )
        finally:
            for name in set(base.fmap._children) - before:  # leave the shared map as it was
                del base.fmap._children[name]
    return groups_js, control_js


def ensure_component_registered() -> None:
    """Register streamlit-folium's component with the running server if it is not yet.

    Streamlit registers a component when its module is imported during a page run. The
    server's warm-up (:mod:`ui.server`) imports ``streamlit_folium`` before any page run, so
    nothing registers it then, and its frontend would not be served (HTTP 404).
    """
    from streamlit import runtime

    if not runtime.exists():  # AppTest and bare Python have no server to serve it
        return
    registry = runtime.get_instance().component_registry
    if registry.get_component_path(sf._component_func.name) is None:
        registry.register_component(sf._component_func)


def show_map(
    base: PreparedMap,
    *,
    key: str,
    groups: Sequence[folium.FeatureGroup],
    layer_control: folium.LayerControl | None,
    height: int,
    returned_objects: Sequence[str],
    on_change: Callable[[], None] | None = None,
) -> dict[str, Any] | None:
    """Show the prepared map with ``groups`` as ``feature_group_to_add``; return its value.

    The arguments are those of ``st_folium`` (full container width, no hover returns).
    """
    ensure_component_registered()
    groups_js, control_js = _layer_strings(base, groups, layer_control)
    css, js = _links(groups)
    defaults = {name: None for name in returned_objects}

    def changed() -> None:
        import streamlit as st

        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    hash_key = sf.generate_js_hash(base.script, key, False)
    return sf._component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=list(returned_objects),
        default=defaults,
        zoom=None,
        center=None,
        feature_group=groups_js,
        return_on_hover=False,
        layer_control=control_js,
        pixelated=False,
        css_links=list(dict.fromkeys([*base.css_links, *css])),
        js_links=list(dict.fromkeys([*base.js_links, *js])),
        on_change=changed,
        wrap_longitude=False,
    )
