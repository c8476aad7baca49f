"""Foundation checks: the dashboard starts, and its map renders with nothing leaving the machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def test_dashboard_script_runs_without_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTLINE_OFFLINE", "1")
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    app.run()
    assert not app.exception, [e.message for e in app.exception]


@pytest.mark.browser
def test_offline_dashboard_renders_a_leaflet_map_without_any_outside_request(
    streamlit_server, offline_page
) -> None:
    page = offline_page.page
    page.goto(streamlit_server.url)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=30_000)
    offline_page.screenshot("foundation-offline-dashboard")
    assert offline_page.blocked == [], f"requests left the machine: {offline_page.blocked}"
    assert frame.locator(".leaflet-tile").count() == 0, "offline mode must not load tiles"
    assert offline_page.page_errors == []
