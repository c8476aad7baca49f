"""Offline map assets: nothing a map needs is fetched from a CDN."""

from __future__ import annotations

import re
from pathlib import Path

import folium
import pytest
from folium.plugins import MarkerCluster

from geo.errors import AssetError
from geo.maps.assets import external_urls, install_static, localize, standalone_html, vendor_files


def test_install_static_copies_every_vendor_file(tmp_path: Path) -> None:
    target = install_static(tmp_path)
    for vendor_file in vendor_files():
        copied = target / vendor_file.url_path
        assert copied.is_file(), f"{vendor_file.url_path} was not installed"
        assert copied.stat().st_size == vendor_file.path.stat().st_size


def test_localize_leaves_no_cdn_link_on_a_clustered_map() -> None:
    fmap = folium.Map(tiles=None)
    MarkerCluster().add_to(fmap)
    assert external_urls(fmap), "precondition: folium links CDNs by default"
    localize(fmap, base_url="/app/static/vendor")
    assert external_urls(fmap) == []
    html = fmap.get_root().render()
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in html


def test_localize_refuses_an_unknown_external_script() -> None:
    fmap = folium.Map(tiles=None)
    fmap.default_js = [*fmap.default_js, ("tracker", "https://static.example.org/tracker.js")]
    with pytest.raises(AssetError, match="tracker"):
        localize(fmap)


def test_standalone_html_inlines_scripts_styles_and_fonts() -> None:
    fmap = folium.Map(tiles=None)
    MarkerCluster().add_to(fmap)
    html = standalone_html(fmap)
    assert not re.search(r'<script[^>]+src="https?:', html)
    assert not re.search(r'<link[^>]+href="https?:', html)
    assert "L.markerClusterGroup" in html
    assert "data:font/woff2;base64," in html, "Font Awesome fonts must travel inside the file"
