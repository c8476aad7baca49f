"""Exported offline maps in headless Chromium with every non-loopback request blocked.

One page per exported map for the whole module (loading a standalone map is the slow part);
each test closes popups and sets its own view. Uses the session ``browser`` of
``tests/conftest.py`` and the same request guard as its ``offline_page``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _map_helpers import areas, borders, crossings, events, factions, frontlines
from conftest import OfflinePage, is_loopback_url

from geo.maps.assets import standalone_html
from geo.maps.build import build_map

pytestmark = pytest.mark.browser

_MAP_JS = "window[document.querySelector('.folium-map').id]"
HOMS = (34.73, 36.72)
BUKAMAL_XSS = (34.45, 40.92)
DEIR_EZ_ZOR_BREAKOUT = (35.33, 40.14)


def _write(path: Path, *, max_points: int) -> Path:
    fmap = build_map(
        events=events(),
        areas=areas(),
        frontlines=frontlines(),
        borders=borders(),
        crossings=crossings(),
        factions=factions(),
        offline=True,
        max_points=max_points,
    )
    path.write_text(standalone_html(fmap), encoding="utf-8")
    return path


def _guarded_page(browser: object, path: Path) -> tuple[object, OfflinePage]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    record = OfflinePage(page=None)

    def guard(route: object) -> None:
        if is_loopback_url(route.request.url):
            route.continue_()
        else:
            record.blocked.append(route.request.url)
            route.abort()

    def on_dialog(dialog: object) -> None:
        record.dialogs.append(dialog.message)
        dialog.dismiss()

    context.route("**/*", guard)
    page = context.new_page()
    record.page = page
    page.on(
        "console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))
    page.on("dialog", on_dialog)
    page.set_default_timeout(15_000)
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-container")
    page.wait_for_function(f"() => !!({_MAP_JS})")
    page.wait_for_function(
        "() => document.querySelectorAll('.leaflet-overlay-pane path').length > 3"
    )
    return context, record


@pytest.fixture(scope="module")
def loaded(
    browser: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, OfflinePage]]:
    folder = tmp_path_factory.mktemp("maps")
    opened = {
        "markers": _guarded_page(browser, _write(folder / "markers.html", max_points=20_000)),
        "hexagons": _guarded_page(browser, _write(folder / "hexagons.html", max_points=1)),
    }
    yield {name: record for name, (_, record) in opened.items()}
    for context, _ in opened.values():
        context.close()


def _reset(record: OfflinePage) -> OfflinePage:
    record.page.evaluate(
        f"""() => {{
            const m = {_MAP_JS};
            m.closePopup();
            m.getContainer().classList.remove('fa-pseudo-fullscreen');
            if (document.fullscreenElement) {{ document.exitFullscreen(); }}
        }}"""
    )
    return record


@pytest.fixture
def markers(loaded: dict[str, OfflinePage]) -> OfflinePage:
    return _reset(loaded["markers"])


@pytest.fixture
def hexagons(loaded: dict[str, OfflinePage]) -> OfflinePage:
    return _reset(loaded["hexagons"])


def _view(page: object, lat: float, lon: float, zoom: int) -> None:
    # JS bodies in braces: returning the L.Map would make Playwright serialise all of it.
    page.evaluate(f"() => {{ ({_MAP_JS}).closePopup(); }}")
    page.wait_for_selector(".leaflet-popup", state="detached")
    page.evaluate(
        f"([lat, lon, z]) => {{ ({_MAP_JS}).setView([lat, lon], z, {{animate: false}}); }}",
        [lat, lon, zoom],
    )
    page.wait_for_timeout(300)


def _click_at(page: object, lat: float, lon: float, *, on: str = "path") -> None:
    """Click the map at (lat, lon) once an element matching ``on`` is drawn there."""
    x, y = page.evaluate(
        f"""([lat, lon]) => {{
            const m = {_MAP_JS};
            const p = m.latLngToContainerPoint([lat, lon]);
            const r = m.getContainer().getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
        }}""",
        [lat, lon],
    )
    page.wait_for_function(
        "([x, y, on]) => { const e = document.elementFromPoint(x, y); return !!(e && e.closest(on)); }",
        arg=[x, y, on],
    )
    page.mouse.click(x, y)


def _cell_height_px(page: object, lat: float, lon: float) -> float:
    """On-screen height of the SVG path drawn at (lat, lon)."""
    return page.evaluate(
        f"""([lat, lon]) => {{
            const m = {_MAP_JS};
            m.closePopup();
            const p = m.latLngToContainerPoint([lat, lon]);
            const r = m.getContainer().getBoundingClientRect();
            return document.elementFromPoint(p.x + r.left, p.y + r.top).getBBox().height;
        }}""",
        [lat, lon],
    )


def _popup_text(page: object) -> str:
    page.wait_for_selector(".leaflet-popup-content")
    return page.inner_text(".leaflet-popup-content")


def test_the_offline_map_renders_with_no_javascript_error_and_no_request_out(
    markers: OfflinePage,
) -> None:
    page = markers.page
    page.wait_for_timeout(500)
    assert page.locator(".leaflet-tile").count() == 0, "an offline map must have no tiles"
    assert markers.blocked == []
    assert markers.console_errors == []
    assert markers.page_errors == []
    markers.screenshot("map_offline_export")


def test_areas_frontlines_borders_crossings_and_events_are_drawn(markers: OfflinePage) -> None:
    page = markers.page
    paths = page.locator(".leaflet-overlay-pane path")
    for colour in ("#009E73", "#D55E00", "#F0E442"):
        assert page.locator(f'.leaflet-overlay-pane path[fill="{colour}"]').count() >= 1, colour
    assert page.locator('.leaflet-overlay-pane path[stroke="#c51b7d"]').count() == 1  # frontline
    assert page.locator('.leaflet-overlay-pane path[stroke="#3b3b3b"]').count() == 1  # border
    assert paths.count() >= 6
    drawn = page.evaluate(
        "() => Object.values(window.faAtlasLayers).map(g => g.getLayers().length).sort()"
    )
    assert drawn == [1, 3], "one crossing and three events"
    assert page.locator(".leaflet-marker-pane .fa-sym-badge").count() >= 2
    assert page.locator(".leaflet-marker-pane .fa-label").count() > 5, "offline basemap labels"


def test_clicking_an_event_opens_a_popup_with_its_details_and_a_safe_source_link(
    markers: OfflinePage,
) -> None:
    page = markers.page
    _view(page, *HOMS, 11)
    _click_at(page, *HOMS, on=".leaflet-marker-icon")
    text = _popup_text(page)
    for expected in ("Battles", "2024-12-06", "Homs", "HTS-led opposition vs Government", "80 %"):
        assert expected in text
    link = page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == "https://example.org/homs"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"


def test_script_payloads_in_events_places_factions_and_crossings_stay_inert_text(
    markers: OfflinePage,
) -> None:
    page = markers.page
    shown = []
    for lat, lon in (BUKAMAL_XSS, DEIR_EZ_ZOR_BREAKOUT, (34.38, 41.01)):
        _view(page, lat, lon, 12)
        page.mouse.move(5, 5)
        _click_at(page, lat, lon, on=".leaflet-marker-icon")
        shown.append(_popup_text(page))
        assert (
            page.locator(".leaflet-popup-content img, .leaflet-popup-content script").count() == 0
        )
    _view(page, 34.3, 37.1, 8)  # the government area, whose name carries the payload
    _click_at(page, 34.3, 37.1)
    shown.append(_popup_text(page))
    page.wait_for_timeout(300)
    assert '<img src=x onerror="window.__pwned=1;alert(1)">' in shown[0]
    assert "</script><script>window.__pwned=2" in shown[1]
    assert "Al-Qaim crossing <img src=x" in shown[2]
    assert "Government <img src=x" in shown[3]
    legend = page.inner_text(".fa-legend")
    assert "Government <img src=x" in legend
    assert page.locator(".fa-legend img").count() == 0
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert markers.dialogs == []
    assert markers.page_errors == []


def test_a_javascript_source_url_is_shown_as_text_not_as_a_link(markers: OfflinePage) -> None:
    page = markers.page
    _view(page, *BUKAMAL_XSS, 12)
    _click_at(page, *BUKAMAL_XSS, on=".leaflet-marker-icon")
    assert "Source: Source <img" in _popup_text(page)
    assert page.locator(".leaflet-popup-content a").count() == 0


def test_hexagon_cells_open_a_popup_with_counts_per_faction_and_event_type(
    hexagons: OfflinePage,
) -> None:
    page = hexagons.page
    assert page.locator('.leaflet-overlay-pane path[fill="#fde725"]').count() >= 1
    assert page.locator(".leaflet-marker-pane .fa-sym-badge").count() == 1  # the crossing only
    _view(page, *HOMS, 9)
    _click_at(page, *HOMS)
    text = _popup_text(page)
    assert "1 events in this cell" in text
    assert "HTS-led opposition" in text and "Battles" in text
    coarse_px = _cell_height_px(page, *HOMS)
    _view(page, *HOMS, 14)  # finer cells take over when zoomed in
    _click_at(page, *HOMS)
    assert "1 events in this cell" in _popup_text(page)
    # 5 zoom levels = 32x larger on screen; a fine cell is a third of a coarse one
    assert _cell_height_px(page, *HOMS) / coarse_px == pytest.approx(32 / 3, rel=0.05)
    assert hexagons.page_errors == []


def test_the_measuring_tool_shows_the_great_circle_length_in_km(markers: OfflinePage) -> None:
    page = markers.page
    _view(page, 33.0, 38.5, 8)
    page.click(".fa-measure-btn")
    _click_at(page, 33.0, 38.0, on=".leaflet-container")
    _click_at(page, 33.0, 39.0, on=".leaflet-container")
    text = page.inner_text(".fa-measure-out")
    km = float(text.split(" km")[0])
    assert 92.5 < km < 94.1, text  # geodesic 93.4 km along 33N; pixel rounding < 1 %
    page.click(".fa-measure-btn")
    assert page.locator(".fa-measure-out").is_hidden()


def test_the_fullscreen_button_fills_the_window(markers: OfflinePage) -> None:
    page = markers.page
    page.click(".fa-fullscreen-btn")
    page.wait_for_timeout(300)
    full = page.evaluate(
        "() => document.fullscreenElement !== null || "
        "document.querySelector('.leaflet-container').classList.contains('fa-pseudo-fullscreen')"
    )
    assert full


def test_the_layer_control_lists_every_overlay(markers: OfflinePage) -> None:
    page = markers.page
    page.hover(".leaflet-control-layers")
    text = page.inner_text(".leaflet-control-layers")
    for name in (
        "Offline basemap",
        "Control areas",
        "Frontlines",
        "Events (3)",
        "Border crossings",
    ):
        assert name in text
