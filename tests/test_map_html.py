"""The rendered map HTML: escaped data, faction colours, no external URL but tiles, sizes."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import pytest
import shapely
from _map_helpers import (
    FACTION_COLOURS,
    SCRIPT_BREAKOUT,
    XSS,
    areas,
    borders,
    crossings,
    events,
    factions,
    frontlines,
    many_events,
)
from folium.plugins import MarkerCluster

from geo.maps.assets import localize, standalone_html
from geo.maps.build import build_map
from geo.view.filters import filter_events

TILE_AND_LINK_HOSTS = {
    "tile.openstreetmap.org",  # tiles
    "{s}.basemaps.cartocdn.com",
    "server.arcgisonline.com",
    "www.openstreetmap.org",  # attribution links
    "carto.com",
    "example.org",  # source links of our test events (links, not requests)
    "www.w3.org",  # the SVG namespace used by the legend
}
_URL = re.compile(r"""https?://([^/\s"'\\()<>]+)""")
_COUNTRY = gpd.GeoDataFrame(
    {"name": ["Syria " + XSS]}, geometry=[shapely.box(35.7, 32.3, 42.4, 37.3)], crs="EPSG:4326"
)


def _full_map(*, offline: bool) -> folium.Map:
    return build_map(
        events=events(),
        areas=areas(),
        frontlines=frontlines(),
        borders=borders(),
        crossings=crossings(),
        factions=factions(),
        basemap="light",
        offline=offline,
        countries=_COUNTRY,
    )


@pytest.fixture(scope="module")
def online_html() -> str:
    return localize(_full_map(offline=False), base_url="/static/vendor").get_root().render()


@pytest.fixture(scope="module")
def offline_standalone() -> str:
    return standalone_html(_full_map(offline=True))


@pytest.mark.parametrize("payload", [XSS, SCRIPT_BREAKOUT, "<img src=x", "</script><script>"])
def test_script_payloads_from_the_data_never_appear_raw_in_the_html(
    online_html: str, offline_standalone: str, payload: str
) -> None:
    assert payload not in online_html
    assert payload not in offline_standalone


def test_the_payload_survives_as_escaped_json_text_to_be_shown_with_text_content(
    online_html: str,
) -> None:
    assert "\\u003cimg src=x onerror=" in online_html
    assert "innerHTML" not in online_html, "our elements must build DOM with textContent"


def test_every_faction_colour_reaches_the_map(online_html: str) -> None:
    for colour in FACTION_COLOURS.values():
        assert colour in online_html


def test_the_online_map_only_names_tile_servers_and_links_outside_the_machine(
    online_html: str,
) -> None:
    hosts = set(_URL.findall(online_html))
    assert hosts <= TILE_AND_LINK_HOSTS, f"unexpected hosts: {hosts - TILE_AND_LINK_HOSTS}"
    tags = re.findall(r"<(?:script|link)\b[^>]*>", online_html)
    assert not [t for t in tags if "http" in t], "a script or stylesheet loads from the internet"


def test_the_offline_standalone_map_has_no_tile_layer_and_loads_nothing_external(
    offline_standalone: str,
) -> None:
    assert "L.tileLayer" not in offline_standalone
    assert "{z}" not in offline_standalone
    assert not re.search(
        r"<(?:script|link|img)\b[^>]*(?:src|href)=[\"']?(?:https?:)?//", offline_standalone
    )
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", offline_standalone)
    assert "Leaflet" in offline_standalone and "markerClusterGroup" in offline_standalone


def test_javascript_source_urls_do_not_become_links(online_html: str) -> None:
    assert "javascript:alert(3)" not in online_html


def _naive_map(ev: object) -> folium.Map:
    """The approach the issue compares against: a CircleMarker with a popup per event."""
    fmap = folium.Map(location=[35, 40], zoom_start=6, tiles=None)
    cluster = MarkerCluster().add_to(fmap)
    for row in ev.itertuples():  # the naive baseline loops on purpose
        folium.CircleMarker(
            [row.lat, row.lon],
            radius=5,
            color=FACTION_COLOURS.get(row.faction, "#777777"),
            popup=folium.Popup(f"{row.date:%Y-%m-%d} {row.place} {row.event_type}"),
        ).add_to(cluster)
    return fmap


@pytest.mark.slow
def test_the_event_layer_is_at_least_five_times_smaller_than_the_naive_one() -> None:
    ev = many_events(1_000, seed=4)
    ours = len(build_map(events=ev, factions=factions()).get_root().render())
    naive = len(_naive_map(ev).get_root().render())
    assert naive / ours >= 5.0, f"ours {ours:,} bytes vs naive {naive:,}"


@pytest.mark.slow
def test_a_million_events_make_a_map_under_five_megabytes_with_counts_in_hexagons() -> None:
    ev = many_events(1_000_000, seed=1)
    shown = filter_events(ev, start="2024-12-01", end="2024-12-10")
    html = build_map(events=shown, factions=factions()).get_root().render()
    assert len(html.encode()) <= 5_000_000
    assert "in hexagons" in html and f"{len(shown):,}" in html


def test_clustered_points_name_the_same_markercluster_resources_as_folium() -> None:
    # geo.maps.assets.localize() maps folium's resource names to local files: a renamed resource
    # would slip through as a CDN link.
    from folium.plugins import MarkerCluster

    from geo.maps import elements as mapelements

    assert [n for n, _ in mapelements._MARKERCLUSTER_JS] == [n for n, _ in MarkerCluster.default_js]
    assert [n for n, _ in mapelements._MARKERCLUSTER_CSS] == [
        n for n, _ in MarkerCluster.default_css
    ]
