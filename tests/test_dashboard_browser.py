"""The dashboard in headless Chromium against a real ``streamlit run`` (FRONTLINE_OFFLINE=1).

Every request that is not for a loopback address is aborted and recorded by the ``offline_page``
fixture (tests/conftest.py); the session shares one server (``streamlit_server``). The map lives
in the ``st_folium`` iframe: its layers are read through the layer control streamlit-folium
keeps in ``window.layer_control`` (one entry per layer, with its Leaflet layer).
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOAD_MS = 120_000
STEP_MS = 60_000
XSS = '<img src=x onerror="window.__xss=1;alert(1)">'

# For each layer of the layer control: is it on the map, and how many of its shapes and
# markers are drawn (a cluster group counts every marker it holds)?
_LAYERS_JS = """() => {
  function drawn(layer) {
    let n = 0;
    if (layer._path && layer._path.isConnected) n += 1;
    if (layer._icon && layer._icon.isConnected) n += 1;
    if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
      return layer.getLayers().length;
    }
    if (layer.eachLayer) layer.eachLayer((child) => { n += drawn(child); });
    return n;
  }
  const out = {};
  if (!window.layer_control || !window.map) return out;
  for (const entry of window.layer_control._layers) {
    out[entry.name] = window.map.hasLayer(entry.layer) ? drawn(entry.layer) : -1;
  }
  return out;
}"""

# The control areas as GeoJSON text: changes when the map date changes who holds what.
_AREAS_JS = """() => {
  const entry = window.layer_control._layers.find((e) => e.name === 'Control areas');
  return entry ? JSON.stringify(entry.layer.toGeoJSON()) : '';
}"""


def _map_frame(page: object) -> object:
    """The st_folium iframe's Frame, once its map has data layers drawn."""
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-marker-pane > *").first.wait_for(timeout=LOAD_MS)
    frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=LOAD_MS)
    (found,) = [f for f in page.frames if "streamlit_folium.st_folium" in f.url]
    found.wait_for_function("() => !!(window.layer_control && window.map)", timeout=LOAD_MS)
    return found


def _layers(frame: object) -> dict[str, int]:
    return frame.evaluate(_LAYERS_JS)


def _events(layers: dict[str, int]) -> tuple[str, int] | None:
    """The events layer's (name, drawn count), or None when no events layer is on the map."""
    named = [(name, n) for name, n in layers.items() if name.startswith("Events")]
    return named[0] if named else None


def _assert_stayed_offline(offline_page: object) -> None:
    assert offline_page.blocked == [], f"requests left the machine: {offline_page.blocked}"
    assert offline_page.page_errors == [], offline_page.page_errors


def test_the_map_draws_control_areas_frontlines_the_border_and_events_offline(
    streamlit_server, offline_page
):
    page = offline_page.page
    page.goto(f"{streamlit_server.url}/?date=2024-12-03")
    frame = _map_frame(page)
    layers = _layers(frame)
    assert layers.get("Control areas", 0) > 0, layers
    assert layers.get("Frontlines", 0) > 0, layers
    assert layers.get("International borders", 0) > 0, layers
    events = _events(layers)
    assert events is not None and events[1] > 0, layers
    shown = int(re.search(r"\((\d[\d,]*)", events[0])[1].replace(",", ""))
    metric = page.get_by_test_id("stMetric").filter(has_text="Events").first
    assert metric.get_by_test_id("stMetricValue").inner_text().replace(",", "") == str(shown)
    assert events[1] == shown, "every event shown is on the map (in clusters or alone)"
    offline_page.screenshot("dashboard-2024-12-03")
    assert page.frame_locator(MAP_IFRAME).locator(".leaflet-tile").count() == 0
    _assert_stayed_offline(offline_page)


def test_stepping_the_map_date_and_clearing_the_factions_change_what_is_drawn(
    streamlit_server, offline_page
):
    page = offline_page.page
    page.goto(f"{streamlit_server.url}/?date=2024-12-07")
    frame = _map_frame(page)
    areas_before = frame.evaluate(_AREAS_JS)
    assert areas_before
    page.get_by_role("button", name="◀", exact=True).click()
    page.wait_for_url(re.compile(r"date=2024-12-06"), timeout=STEP_MS)
    frame.wait_for_function(f"() => ({_AREAS_JS})() !== {areas_before!r}", timeout=STEP_MS)
    assert _events(_layers(frame)) is not None
    offline_page.screenshot("dashboard-stepped-back-to-2024-12-06")

    page.get_by_test_id("stMultiSelect").filter(has_text="Factions").get_by_role(
        "button", name="Clear all"
    ).click()
    page.wait_for_url(re.compile(r"faction=none"), timeout=STEP_MS)
    frame.wait_for_function(
        "() => !window.layer_control._layers.some((e) => e.name.startsWith('Events'))",
        timeout=STEP_MS,
    )
    assert _layers(frame).get("Control areas", 0) > 0, "areas do not depend on the factions"
    offline_page.screenshot("dashboard-no-faction-selected")

    page.reload()  # the empty selection survives a reload (?faction=none)
    frame = _map_frame(page)
    assert _events(_layers(frame)) is None
    assert (
        page.get_by_test_id("stMetric")
        .filter(has_text="Events")
        .first.get_by_test_id("stMetricValue")
        .inner_text()
        == "0"
    )
    _assert_stayed_offline(offline_page)


def test_a_script_payload_in_an_uploaded_file_stays_inert_text(streamlit_server, offline_page):
    page = offline_page.page
    page.goto(f"{streamlit_server.url}/?date=2024-12-03")
    frame = _map_frame(page)
    before = _events(_layers(frame))
    lat, lon = 33.9, 38.6  # open desert: no other event there
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(
        ["id", "date", "place", "lat", "lon", "faction", "event_type", "sub_event_type",
         "description", "source", "confidence"]
    )  # fmt: skip
    writer.writerow(
        ["xss-1", "2024-12-03", XSS, lat, lon, "hts", "Battles", "Armed clash",
         f"{XSS} fighting reported", f"{XSS} wire", 0.5]
    )  # fmt: skip
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[
            {
                "name": "payload.csv",
                "mimeType": "text/csv",
                "buffer": rows.getvalue().encode("utf-8"),
            }
        ]
    )
    page.get_by_text("payload.csv: 1 events rows stored as drafts").wait_for(timeout=STEP_MS)
    # An upload is a draft: this session shows it once "Show drafts" is on.
    page.get_by_test_id("stSidebarUserContent").get_by_text("Show drafts", exact=True).click()
    count = before[1] + 1
    frame.wait_for_function(
        f"() => ({_LAYERS_JS})()['Events ({count:,})'] === {count}", timeout=STEP_MS
    )
    # Bring the uploaded event out of its cluster and click it (a Leaflet click event, which
    # reaches the layer's own popup handler and streamlit-folium's click report alike).
    frame.evaluate(
        """([lat, lon]) => new Promise((done) => {
          for (const group of Object.values(window.faAtlasLayers || {})) {
            if (!group.zoomToShowLayer) continue;
            const marker = group.getLayers().find((m) =>
              Math.abs(m.getLatLng().lat - lat) < 1e-3 && Math.abs(m.getLatLng().lng - lon) < 1e-3);
            if (marker) {
              group.zoomToShowLayer(marker, () => {
                marker.fire('click', {latlng: marker.getLatLng()}, true);
                done();
              });
              return;
            }
          }
          done();
        })""",
        [lat, lon],
    )
    in_map = page.frame_locator(MAP_IFRAME)
    popup = in_map.locator(".leaflet-popup-content")
    popup.wait_for(timeout=STEP_MS)
    assert XSS in popup.inner_text(), "the payload is shown as text"
    assert popup.locator("img").count() == 0
    # The click also reached the app: the details panel shows the event, as text.
    page.get_by_text(f"{XSS} fighting reported").first.wait_for(timeout=STEP_MS)
    offline_page.screenshot("dashboard-uploaded-payload-inert")
    assert frame.evaluate("() => window.__xss") is None
    assert page.evaluate("() => window.__xss") is None
    assert offline_page.dialogs == []
    assert page.locator("img[src='x']").count() == 0
    _assert_stayed_offline(offline_page)


# ---------------------------------------------------------------- a session's first page

# Polled in every frame from before the page's own scripts: when the first control area
# entered the map's DOM, and when the placeholder of the rest of the page entered the page's
# (ms since the epoch, one clock for both frames).
_FIRST_SEEN_JS = """(pending) => {
  (function poll() {
    if (document.querySelector('.leaflet-overlay-pane path')) {
      window.__mapAt = performance.timeOrigin + performance.now();
    } else {
      setTimeout(poll, 10);
    }
  })();
  (function poll() {
    if (document.body && document.body.textContent.includes(pending)) {
      window.__pendingAt = performance.timeOrigin + performance.now();
    } else if (window.__mapAt === undefined) {
      setTimeout(poll, 10);
    }
  })();
}"""


def test_a_first_visit_draws_the_map_first_and_then_the_whole_page_unasked(
    start_streamlit, offline_page
):
    from ui.firstpaint import NO_REPORT, PENDING_TEXT
    from ui.foliumview import NOT_YET_DRAWN

    server = start_streamlit()  # its own, so that its log is this visit's alone
    page = offline_page.page
    page.context.add_init_script(f"({_FIRST_SEEN_JS})({json.dumps(PENDING_TEXT)})")
    page.goto(server.url)
    frame = _map_frame(page)
    # The rest of the page comes without a click: charts, the table, the uploader.
    page.get_by_test_id("stVegaLiteChart").first.wait_for(timeout=LOAD_MS)
    page.get_by_text("Events shown", exact=True).wait_for(timeout=LOAD_MS)
    page.get_by_test_id("stFileUploaderDropzoneInput").wait_for(state="attached", timeout=STEP_MS)
    assert page.get_by_text(PENDING_TEXT).count() == 0
    # The first page run stopped after the map (its placeholder was drawn) ...
    assert page.evaluate("window.__pendingAt") is not None, "the first run drew the whole page"
    assert frame.evaluate("window.__mapAt") is not None
    # ... and the map reported that it was drawn (streamlit-folium keeps what it sent last).
    sent = frame.evaluate("JSON.stringify(window.__GLOBAL_DATA__.previous_data)")
    assert NOT_YET_DRAWN not in sent, sent
    assert json.loads(sent) == {
        "last_object_clicked": None,
        "last_clicked": None,
        "last_active_drawing": None,
    }
    assert NO_REPORT not in server.log(), "the page was completed by the fallback, not the map"
    offline_page.screenshot("dashboard-first-visit-complete")
    _assert_stayed_offline(offline_page)


def test_the_first_page_is_completed_even_when_the_map_cannot_be_drawn(
    streamlit_server, offline_page
):
    from ui.firstpaint import FALLBACK_SECONDS, NO_REPORT, PENDING_TEXT

    page = offline_page.page
    page.route("**/vendor/leaflet/leaflet.js", lambda route: route.abort())  # no Leaflet, no map
    page.goto(streamlit_server.url)
    page.get_by_text(PENDING_TEXT).wait_for(timeout=LOAD_MS)
    page.get_by_test_id("stVegaLiteChart").first.wait_for(timeout=LOAD_MS + FALLBACK_SECONDS * 1000)
    page.get_by_text(PENDING_TEXT).wait_for(state="detached", timeout=STEP_MS)
    assert page.get_by_test_id("stMetric").filter(has_text="Events").count() == 1
    assert page.frame_locator(MAP_IFRAME).locator(".leaflet-overlay-pane path").count() == 0
    offline_page.screenshot("dashboard-completed-without-a-map")
    assert NO_REPORT in streamlit_server.log()
    assert offline_page.blocked == []
