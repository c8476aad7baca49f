"""Other regions in headless Chromium: a real ``streamlit run`` on a Ukraine folder made by
``geo import acled`` (events only, 2022-2024). Its events are drawn where they are, the date
slider spans their range, the border filter thins them, and nothing errs or leaves the
machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.synth.layouts import synthetic_acled

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOAD_MS = 120_000

# Every marker position of the events layer (clusters hold their markers), as [lat, lng].
_POSITIONS_JS = """() => {
  const entry = window.layer_control._layers.find((e) => e.name.startsWith('Events'));
  if (!entry) return [];
  const out = [];
  function walk(layer) {
    if (layer.getLatLng && !layer.eachLayer) { const p = layer.getLatLng(); out.push([p.lat, p.lng]); }
    if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
      layer.getLayers().forEach(walk); return;
    }
    if (layer.eachLayer) layer.eachLayer(walk);
  }
  walk(entry.layer);
  return out;
}"""


@pytest.fixture(scope="module")
def ukraine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ukraine-browser")
    source = root / "acled.csv"
    synthetic_acled(500, region="ukraine", seed=21).to_csv(source, index=False)
    folder = root / "data"
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "geo", "import", "acled", str(source), "--out",
         str(folder / "events.csv")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


def _metric(page: object) -> int:
    metric = page.get_by_test_id("stMetric").filter(has_text="Events").first
    return int(metric.get_by_test_id("stMetricValue").inner_text().replace(",", ""))


def test_ukraine_events_are_drawn_where_they_are_with_the_range_and_border_filter(
    start_streamlit, offline_page, ukraine: Path
) -> None:
    server = start_streamlit(FRONTLINE_DATA_DIR=str(ukraine))
    page = offline_page.page
    page.goto(server.url)
    frame_locator = page.frame_locator(MAP_IFRAME)
    frame_locator.locator(".leaflet-marker-pane > *").first.wait_for(timeout=LOAD_MS)
    (frame,) = [f for f in page.frames if "streamlit_folium.st_folium" in f.url]
    frame.wait_for_function("() => !!(window.layer_control && window.map)", timeout=LOAD_MS)
    events = pd.read_csv(ukraine / "events.csv", dtype="str", keep_default_na=False)
    positions = frame.evaluate(_POSITIONS_JS)
    assert len(positions) == len(events) == _metric(page)
    lat = events["lat"].astype(float)
    lon = events["lon"].astype(float)
    drawn = pd.DataFrame(positions, columns=["lat", "lon"]).round(4)
    expected = pd.DataFrame({"lat": lat, "lon": lon}).round(4)
    pairs = lambda f: sorted(map(tuple, f.to_numpy().tolist()))  # noqa: E731
    assert pairs(drawn) == pairs(expected)
    bounds = frame.evaluate("() => window.map.getBounds().toBBoxString()")
    west, south, east, north = map(float, bounds.split(","))
    assert west <= lon.mean() <= east and south <= lat.mean() <= north  # opens on the data
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(events["date"].min()).first.wait_for(timeout=LOAD_MS)
    sidebar.get_by_text(events["date"].max()).first.wait_for(timeout=LOAD_MS)
    # The border filter: events near the Russia–Ukraine border only.
    sidebar.get_by_text("Only within N km of an international border").click()
    page.wait_for_function(
        f"""() => {{
          const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
            .find((e) => e.innerText.includes('Events'));
          if (!m) return false;
          const v = parseInt(m.querySelector('[data-testid="stMetricValue"]').innerText
            .replace(/,/g, ''));
          return v > 0 && v < {len(events)};
        }}""",
        timeout=LOAD_MS,
    )
    assert offline_page.blocked == [], offline_page.blocked
    assert offline_page.page_errors == [], offline_page.page_errors
    assert not page.get_by_test_id("stException").count()
