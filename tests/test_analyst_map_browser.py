"""The analyst's map in headless Chromium at a desktop (1440x900) and a phone (390x844).

Map first, the feed beside it, the "only what the map shows" switch, compare mode and the
PNG of the view, against the session's ``streamlit run`` on the bundled data, offline: every
request that is not for a loopback address is aborted and recorded.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import OfflinePage, is_loopback_url

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOAD_MS = 120_000
STEP_MS = 60_000
DESKTOP = (1440, 900)
PHONE = (390, 844)

# The map's box, the legend's box and the data's extent as drawn (container pixels).
_GEOMETRY_JS = """() => {
  const m = window.map, e = window.faFrame.extent;
  const c = m.getContainer().getBoundingClientRect();
  const l = document.querySelector('.fa-legend').getBoundingClientRect();
  const a = m.latLngToContainerPoint(e[0]), b = m.latLngToContainerPoint(e[1]);
  return {map: [c.left, c.top, c.width, c.height],
          legend: [l.left - c.left, l.top - c.top, l.right - c.left, l.bottom - c.top],
          extent: [a.x, b.y, b.x, a.y],
          expanded: document.querySelector('.fa-legend-toggle').getAttribute('aria-expanded')};
}"""


@pytest.fixture
def open_page(browser: object) -> Iterator[Callable[..., OfflinePage]]:
    """Factory: a fresh offline context at ``viewport``; every context is closed afterwards."""
    contexts = []

    def make(viewport: tuple[int, int]) -> OfflinePage:
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True
        )
        contexts.append(context)
        record = OfflinePage(page=None)

        def guard(route: object) -> None:
            if is_loopback_url(route.request.url):
                route.continue_()
            else:
                record.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        record.page = context.new_page()
        record.page.on("pageerror", lambda error: record.page_errors.append(str(error)))
        return record

    yield make
    for context in contexts:
        context.close()


def _map(page: object) -> object:
    """The st_folium iframe's Frame once the whole page and the feed are drawn."""
    page.get_by_text("Events shown", exact=True).wait_for(timeout=LOAD_MS)
    page.frame_locator(MAP_IFRAME).locator(".fa-feed-item").first.wait_for(
        state="attached", timeout=LOAD_MS
    )
    (frame,) = [f for f in page.frames if "streamlit_folium.st_folium" in f.url]
    frame.wait_for_function("() => !!(window.map && window.faFrame)", timeout=LOAD_MS)
    frame.evaluate("() => { window.__mounted = 'once'; }")  # gone if the map is remounted
    return frame


def _overlap(a: list[float], b: list[float]) -> bool:
    """Do the boxes (left, top, right, bottom) overlap?"""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _offline(record: OfflinePage) -> None:
    assert record.blocked == [], record.blocked
    assert record.page_errors == [], record.page_errors


def test_at_1440x900_the_map_fills_the_first_screen_and_the_legend_leaves_the_data_free(
    streamlit_server, open_page
):
    record = open_page(DESKTOP)
    page = record.page
    page.goto(f"{streamlit_server.url}/?date=2024-12-03")
    frame = _map(page)
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box["y"] < 0.2 * DESKTOP[1], f"the map starts too far down: {box}"
    assert box["y"] + box["height"] <= DESKTOP[1], f"the map is cut off at the bottom: {box}"
    assert box["height"] >= 0.6 * DESKTOP[1], box
    drawn = frame.evaluate(_GEOMETRY_JS)
    assert drawn["expanded"] == "true", "the legend starts open on a desktop"
    assert not _overlap(drawn["legend"], drawn["extent"]), drawn
    width = drawn["map"][2]
    assert drawn["extent"][0] >= 0 and drawn["extent"][2] <= width, "the data is in view"
    side = frame.locator("#fa-side").bounding_box()
    assert side["x"] >= width - 1 and side["height"] == pytest.approx(box["height"], abs=2)
    # Leaflet without 3D transforms (geo.maps.assets.FLAT_LEAFLET_JS): no pane or marker is
    # a compositing layer that Chromium re-layers on every frame of a rerun.
    assert frame.evaluate("() => L.Browser.any3d") is False
    assert (
        frame.evaluate(
            "() => [...document.querySelectorAll('.leaflet-pane, .leaflet-marker-icon')]"
            ".filter((e) => (e.style.transform || '').includes('3d')).length"
        )
        == 0
    )
    _offline(record)


def test_clicking_a_feed_item_opens_its_popup_and_a_marker_click_highlights_its_item(
    streamlit_server, open_page
):
    record = open_page(DESKTOP)
    page = record.page
    page.goto(f"{streamlit_server.url}/?date=2024-12-03")
    frame = _map(page)
    items = frame.locator(".fa-feed-item")
    dates = [items.nth(i).locator(".fa-feed-when").inner_text() for i in range(5)]
    assert dates == sorted(dates, reverse=True), "newest first"
    item = items.nth(4)
    place = item.locator(".fa-feed-place").inner_text()
    link = item.locator("a")
    if link.count():
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"
    item.locator(".fa-feed-who").click()
    frame.wait_for_selector(".leaflet-popup-content", timeout=STEP_MS)
    assert place in frame.inner_text(".leaflet-popup-content")
    centre = frame.evaluate(
        """() => { const p = window.map.latLngToContainerPoint(
             window.map._popup.getLatLng()); const s = window.map.getSize();
             return [p.x / s.x, p.y / s.y]; }"""
    )
    # Centred, then panned by the popup's own height at most: the event stays in view.
    assert 0.2 < centre[0] < 0.8 and 0.0 < centre[1] < 1.0, centre
    # A marker's click highlights its item (the feed's last item, whatever the map shows).
    frame.evaluate("() => { window.map.closePopup(); window.faFeed.highlight(undefined); }")
    row = int(items.last.get_attribute("data-row"))
    frame.evaluate(
        """(row) => { const mk = window.faEventGroup.faMarkers[row];
             window.faEventGroup.zoomToShowLayer(mk, () => mk.fire('click',
               {latlng: mk.getLatLng()}, true)); }""",
        row,
    )
    frame.wait_for_selector(f'.fa-feed-on[data-row="{row}"]', timeout=STEP_MS)
    page.wait_for_timeout(1500)  # the click's report reruns the page: the map stays mounted
    assert frame.evaluate("() => window.__mounted") == "once"
    _offline(record)


def test_only_what_the_map_shows_restricts_the_feed_and_figures_without_remounting_the_map(
    streamlit_server, open_page
):
    record = open_page(DESKTOP)
    page = record.page
    page.goto(f"{streamlit_server.url}/?date=2024-12-03")
    frame = _map(page)
    total = frame.locator(".fa-feed-item").count()
    frame.evaluate("() => { window.map.setView([33.51, 36.29], 12, {animate: false}); }")
    page.get_by_text("Only what the map shows").click()
    frame.wait_for_function(
        f"() => document.querySelectorAll('.fa-feed-item').length < {total}", timeout=STEP_MS
    )
    shown = frame.locator(".fa-feed-item").count()
    assert shown > 0
    metric = page.get_by_test_id("stMetric").filter(has_text="Events").first
    metric.get_by_text(str(shown), exact=True).wait_for(timeout=STEP_MS)
    assert frame.evaluate("() => window.__mounted") == "once", "the map was remounted"
    _offline(record)


def test_the_png_of_the_view_is_a_valid_image_of_the_maps_size(streamlit_server, open_page):
    record = open_page(DESKTOP)
    page = record.page
    page.goto(f"{streamlit_server.url}/?date=2024-12-03")
    frame = _map(page)
    with page.expect_download(timeout=STEP_MS) as download:
        frame.click(".fa-snapshot-btn")
    data = Path(download.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    size = frame.evaluate("() => [window.map.getSize().x, window.map.getSize().y]")
    assert [width, height] == size
    assert download.value.suggested_filename.endswith("2024-12-03.png")
    assert len(data) > 20_000, "the image holds the drawn map, not a blank canvas"
    _offline(record)


def test_at_390x844_the_map_is_in_the_first_screen_with_a_folded_legend_and_a_feed_toggle(
    streamlit_server, open_page
):
    record = open_page(PHONE)
    page = record.page
    page.goto(f"{streamlit_server.url}/?date=2024-12-03")
    frame = _map(page)
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box["y"] < 0.35 * PHONE[1] and box["y"] + box["height"] <= PHONE[1], box
    drawn = frame.evaluate(_GEOMETRY_JS)
    assert drawn["expanded"] == "false", "the legend starts folded on a phone"
    assert not _overlap(drawn["legend"], drawn["extent"]), drawn
    assert frame.locator(".fa-feed-item").first.is_hidden()
    frame.click(".fa-feed-btn")
    assert frame.locator(".fa-feed-item").first.is_visible()
    for control in (".fa-snapshot-btn", ".fa-fullscreen-btn", ".leaflet-control-layers"):
        assert frame.locator(control).is_visible(), control
    assert page.get_by_text("Only what the map shows").is_visible()
    _offline(record)


def test_the_compare_parameter_shows_both_dates_hatched_changes_and_a_png_with_the_swipe(
    streamlit_server, open_page
):
    import io

    from PIL import Image

    record = open_page(DESKTOP)
    page = record.page
    page.goto(f"{streamlit_server.url}/?date=2024-12-08&compare=2024-11-27")
    frame = _map(page)
    frame.locator("path[data-change='gained']").first.wait_for(timeout=STEP_MS)
    assert frame.locator("path[data-change='lost']").count() > 0
    fill = frame.locator("path[data-change='gained']").first.get_attribute("fill")
    assert re.fullmatch(r"url\(#fa-hatch-\d+\)", fill), fill
    assert frame.locator(".fa-swipe-a").inner_text() == "2024-11-27"
    assert frame.locator(".fa-swipe-b").inner_text() == "2024-12-08"
    page.get_by_text("Gained (km²)").first.wait_for(state="attached", timeout=STEP_MS)
    assert "compare=2024-11-27" in page.url

    x = frame.evaluate(
        """() => { const c = window.map.getContainer().getBoundingClientRect();
                   return document.querySelector('.fa-swipe').getBoundingClientRect().left
                          - c.left; }"""
    )
    with page.expect_download(timeout=STEP_MS) as download:
        frame.click(".fa-snapshot-btn")
    image = Image.open(io.BytesIO(Path(download.value.path()).read_bytes())).convert("RGB")
    column = round(x + 1.5)
    rows = range(60, image.height - 60, 7)  # clear of the caption bars at the top and bottom
    dark = [y for y in rows if max(image.getpixel((column, y))) < 80]
    assert len(dark) > 0.9 * len(rows), f"the swipe line at x={column} is missing from the PNG"
    beside = [y for y in rows if max(image.getpixel((column + 12, y))) < 80]
    assert len(beside) < 0.5 * len(rows), "a dark column beside the line: not the swipe's line"
    _offline(record)
