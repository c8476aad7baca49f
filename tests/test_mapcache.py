"""The base map's disk cache (ui/mapcache.py): a fresh server sends the map a built one would.

The strings of the rendered base map are kept on disk so that a new server does not build the
base map again before its first visitor's map. What matters is that nothing the browser gets
changes: the map's own script, and the layers and layer control of every rerun, which are
rendered against a bare map standing in for the cached one.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import folium
import pandas as pd
import pytest

from geo.territory.claims import TerritoryOptions

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def atlas():
    from geo.atlas.load import load_atlas

    return load_atlas(ROOT / "data")


def _sent(base, groups) -> dict:
    """What st_folium is sent of the map: its strings, the rerun's layers and layer control."""
    from ui.foliumview import _layer_strings

    groups_js, control_js = _layer_strings(base, groups, folium.LayerControl(collapsed=True))
    return {**base.strings(), "feature_group": groups_js, "layer_control": control_js}


def test_a_base_map_read_back_from_disk_sends_the_browser_exactly_what_a_fresh_one_does(
    atlas, monkeypatch
):
    from geo.territory import control_snapshot
    from ui import mapview
    from ui.foliumview import prepare_base_map, prepared_from_strings

    monkeypatch.setenv("FRONTLINE_OFFLINE", "1")
    built = mapview._drop_layer_controls(
        mapview.localize(mapview._base_map(atlas.factions, offline=True))
    )
    fresh = prepare_base_map(built)
    from_disk = prepared_from_strings(json.loads(json.dumps(fresh.strings())))
    from ui.data import date_range

    day = date_range(atlas)[1]
    snap = control_snapshot(
        atlas.control, date=pd.Timestamp(day), options=TerritoryOptions(polygons=atlas.areas)
    )
    layers = list(mapview.LAYERS)

    expected = _sent(fresh, mapview._layers(atlas, snap, atlas.events, layers))
    got = _sent(from_disk, mapview._layers(atlas, snap, atlas.events, layers))
    assert got == expected
    names = [name for name, _, _ in fresh.layers]
    assert "International borders" in names, names
    assert "International borders" in got["layer_control"]
    # Fewer layers drawn: the control still lists the base map's own.
    fewer = _sent(from_disk, mapview._layers(atlas, snap, atlas.events.iloc[:3], ["events"]))
    assert fewer == _sent(fresh, mapview._layers(atlas, snap, atlas.events.iloc[:3], ["events"]))
    assert "Control areas" not in fewer["layer_control"]


def test_the_entry_changes_with_the_factions_drawn_and_with_any_edited_data_file(tmp_path):
    from ui.mapcache import fingerprint

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = fingerprint(data, key="offline=True")
    assert fingerprint(data, key="offline=False") != before
    places = data / "places.csv"
    places.write_text(places.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint(data, key="offline=True") != before


def _strings() -> dict:
    return {"script": "s", "header": "h", "html": "<div></div>", "map_id": "map_1",
            "css_links": ["a.css"], "js_links": ["a.js"], "layers": [["Borders", "fg_1", True]]}  # fmt: skip


def test_a_second_read_comes_from_disk_without_building(tmp_path):
    from ui.mapcache import cached_strings

    calls = []

    def build() -> dict:
        calls.append(1)
        return _strings()

    first = cached_strings(ROOT / "data", key="k", build=build, cache_dir=tmp_path)
    second = cached_strings(ROOT / "data", key="k", build=build, cache_dir=tmp_path)
    assert first == second == _strings()
    assert calls == [1]


def test_an_unreadable_entry_is_rebuilt_with_a_warning(tmp_path, caplog):
    from ui.mapcache import PREFIX, cached_strings, fingerprint

    entry = tmp_path / f"{PREFIX}{fingerprint(ROOT / 'data', key='k')}.json"
    entry.write_text('{"format": "basemap-cache-2", "script": 3}', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="geo.cache"):
        got = cached_strings(ROOT / "data", key="k", build=_strings, cache_dir=tmp_path)
    assert got == _strings()
    assert "unreadable" in caplog.text
    assert json.loads(entry.read_text(encoding="utf-8"))["script"] == "s", "rewritten"


def test_an_unwritable_cache_folder_only_costs_the_time(tmp_path, caplog):
    from ui.mapcache import cached_strings

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="geo.cache"):
        got = cached_strings(ROOT / "data", key="k", build=_strings, cache_dir=not_a_folder)
    assert got == _strings()
    assert "cannot write the base map cache" in caplog.text


def test_a_kept_group_sends_the_same_script_and_layer_control_on_every_rerun(atlas) -> None:
    """A group kept across reruns (ui.foliumview.kept_group) is rendered once per position;
    the reruns after send what a freshly rendered copy would, layer control included."""
    import copy
    import re

    from geo.maps.layers import event_layer
    from ui.foliumview import kept_group, prepare_base_map

    base = prepare_base_map(folium.Map(tiles=None))
    kept = event_layer(atlas.events, factions=atlas.factions)
    areas = folium.FeatureGroup(name="Areas")
    fresh = _sent(base, [areas, copy.deepcopy(kept)])
    kept_group("events-layer\ntest", kept)
    first = _sent(base, [areas, kept])
    again = _sent(base, [areas, kept])
    same = lambda text: re.sub(r"[0-9a-f]{32}", "ID", text)  # noqa: E731 - element ids
    for sent in (first, again):
        assert same(sent["feature_group"]) == same(fresh["feature_group"])
        assert same(sent["layer_control"]) == same(fresh["layer_control"])
    assert again["feature_group"] == first["feature_group"]  # the kept script, not re-rendered
    assert kept.layer_name in again["layer_control"]
    assert not kept._parent or kept._parent is not base.fmap  # the kept group itself never is


def test_the_dashboard_loads_leaflet_without_3d_transforms(atlas, monkeypatch) -> None:
    """The served base map loads our flat script before Leaflet (L_DISABLE_3D), from ./static."""
    from geo.maps.assets import FLAT_LEAFLET_JS, VENDOR_BASE_URL
    from ui import mapview

    monkeypatch.setenv("FRONTLINE_OFFLINE", "1")
    links = mapview.prepared_base_map(atlas).js_links
    flat = f"{VENDOR_BASE_URL}/{FLAT_LEAFLET_JS}"
    assert links.index(flat) < links.index(f"{VENDOR_BASE_URL}/leaflet/leaflet.js")
    served = ROOT / "static" / "vendor" / FLAT_LEAFLET_JS
    assert "window.L_DISABLE_3D = true;" in served.read_text(encoding="utf-8")
