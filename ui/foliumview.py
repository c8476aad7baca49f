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

import copy
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
import streamlit_folium as sf

__all__ = [
    "NOT_YET_DRAWN",
    "PreparedMap",
    "component_key",
    "ensure_component_registered",
    "kept_group",
    "prepare_base_map",
    "prepared_from_strings",
    "show_map",
]

#: A key of the value ``show_map(report_drawn=True)`` returns until the browser has drawn the
#: map. The component's first value never has it, so it differs from this default and is sent.
NOT_YET_DRAWN = "frontline_not_yet_drawn"


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
    layers: tuple[tuple[str, str, bool], ...] = ()  # (name, JS variable, overlay) per layer
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False)

    def strings(self) -> dict[str, Any]:
        """Everything but ``fmap``, as JSON-ready values (see :func:`prepared_from_strings`)."""
        return {
            "script": self.script,
            "header": self.header,
            "html": self.html,
            "map_id": self.map_id,
            "css_links": list(self.css_links),
            "js_links": list(self.js_links),
            "layers": [list(layer) for layer in self.layers],
        }


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
        layers=tuple(
            (child.layer_name, child.get_name(), bool(child.overlay))
            for child in fmap._children.values()
            if isinstance(child, folium.map.Layer) and child.control
        ),
    )


class _LayerStandIn(folium.map.Layer):
    """A base map layer as a layer control sees it: its name, its JS variable, overlay or not."""

    def __init__(self, name: str, variable: str, overlay: bool) -> None:
        super().__init__(name=name, overlay=overlay, control=True)
        self._variable = variable

    def get_name(self) -> str:
        return self._variable


def prepared_from_strings(strings: dict[str, Any]) -> PreparedMap:
    """A :class:`PreparedMap` from :meth:`PreparedMap.strings` (e.g. read from a disk cache).

    Its ``fmap`` is a bare map holding a stand-in for each of the base map's layers: the feature
    groups and the layer control rendered against it come out as against the full map, since
    streamlit-folium replaces the map's name in their script by ``map_div`` and a layer control
    reads only the name, JS variable and kind of each layer.

    >>> full = folium.Map(tiles=None)
    >>> _ = folium.FeatureGroup(name="Borders").add_to(full)
    >>> prepared = prepare_base_map(full)
    >>> prepared_from_strings(prepared.strings()).strings() == prepared.strings()
    True
    """
    fmap = folium.Map(tiles=None)
    layers = tuple((str(n), str(v), bool(o)) for n, v, o in strings["layers"])
    for name, variable, overlay in layers:
        fmap.add_child(_LayerStandIn(name, variable, overlay))
    return PreparedMap(
        fmap=fmap,
        script=strings["script"],
        header=strings["header"],
        html=strings["html"],
        map_id=strings["map_id"],
        css_links=tuple(strings["css_links"]),
        js_links=tuple(strings["js_links"]),
        layers=layers,
    )


_KEPT_ATTR = "_frontline_kept_key"
_KEPT_STRINGS: dict[tuple[int, str, int], tuple[PreparedMap, str]] = {}
_KEPT_SIZE = 16


def kept_group(key: str | None, group: folium.FeatureGroup) -> folium.FeatureGroup:
    """Mark ``group`` (kept across reruns under ``key``) so that its script is rendered once.

    :func:`show_map` then renders a copy of it once per base map and position in the map
    (streamlit-folium renames a group's elements after its position, so the kept group
    itself is never rendered) and reuses that script while the group is the same. The
    group must not change after this. ``key=None`` marks nothing.
    """
    if key is not None:
        setattr(group, _KEPT_ATTR, key)
    return group


def _group_string(base: PreparedMap, group: folium.FeatureGroup, idx: int) -> str:
    key = getattr(group, _KEPT_ATTR, None)
    if key is None:
        return sf._get_feature_group_string(group, map=base.fmap, idx=idx)
    slot = (id(base), key, idx)
    found = _KEPT_STRINGS.get(slot)
    if found is not None and found[0] is base:  # the entry holds the base: its id is its own
        if group.control:  # the layer control lists the map's layers: a stand-in of this one
            variable = f"feature_group_feature_group_{idx}"  # as streamlit-folium names it
            base.fmap.add_child(_LayerStandIn(group.layer_name, variable, bool(group.overlay)))
        return found[1]
    script = sf._get_feature_group_string(copy.deepcopy(group), map=base.fmap, idx=idx)
    while len(_KEPT_STRINGS) >= _KEPT_SIZE:
        _KEPT_STRINGS.pop(next(iter(_KEPT_STRINGS)))
    _KEPT_STRINGS[slot] = (base, script)
    return script


def _layer_strings(
    base: PreparedMap, groups: Sequence[folium.FeatureGroup], control: folium.LayerControl | None
) -> tuple[str, str | None]:
    """Scripts of the feature groups and the layer control, on the borrowed base map."""
    with base.lock:
        before = set(base.fmap._children)
        try:
            groups_js = "".join(_group_string(base, group, idx) for idx, group in enumerate(groups))
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


def component_key(base: PreparedMap, key: str) -> str:
    """The session-state key under which the browser's last value of the map is kept.

    Read it before :func:`show_map` to use that value (e.g. the map's bounds) in this run.
    """
    return sf.generate_js_hash(base.script, key, False)


def show_map(
    base: PreparedMap,
    *,
    key: str,
    groups: Sequence[folium.FeatureGroup],
    layer_control: folium.LayerControl | None,
    height: int,
    returned_objects: Sequence[str],
    on_change: Callable[[], None] | None = None,
    report_drawn: bool = False,
) -> dict[str, Any] | None:
    """Show the prepared map with ``groups`` as ``feature_group_to_add``; return its value.

    The arguments are those of ``st_folium`` (full container width, no hover returns).

    ``report_drawn=True``: the browser sends the map's value once it has drawn the map, which
    reruns the script once per new map. streamlit-folium
    sends its first value right after drawing the map, but only when it differs from the
    default; a default with the :data:`NOT_YET_DRAWN` key always differs. Panning and zooming
    still send nothing.
    """
    ensure_component_registered()
    groups_js, control_js = _layer_strings(base, groups, layer_control)
    css, js = _links(groups)
    defaults: dict[str, Any] = {name: None for name in returned_objects}
    if report_drawn:
        defaults[NOT_YET_DRAWN] = True

    def changed() -> None:
        import streamlit as st

        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    hash_key = component_key(base, key)
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
