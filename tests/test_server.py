"""The dashboard's server: ``streamlit run`` finds its app, warms it up and reports the warm-up.

The warm-up (ui/server.py) fills the caches a first page run reads, so the first visitor does
not wait for imports, the atlas and the first map. These tests check that it really leaves
those results in the caches, that a failure is reported rather than raised, and that a page
opened on a warmed-up server still gets its map (streamlit-folium's component is registered
by the page run, not by the warm-up's import).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.loopback import wait_warm_up

ROOT = Path(__file__).resolve().parents[1]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
READY_TIMEOUT_S = 120


def test_streamlit_run_serves_the_app_that_streamlit_app_defines():
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "streamlit_app.py")
    assert found.is_asgi_app, "streamlit run would not start the warm-up: no st.App found"
    assert found.import_string == "streamlit_app:app"


def test_importing_the_app_module_defines_the_server_without_drawing_or_importing_the_page():
    script = (
        "import sys\n"
        "import streamlit_app\n"
        "import streamlit as st\n"
        "assert isinstance(streamlit_app.app, st.App), type(streamlit_app.app)\n"
        "heavy = sorted({'pandas', 'folium', 'geopandas', 'ui.mapview'} & set(sys.modules))\n"
        "print(heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "FRONTLINE_WARM_UP": "0"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"the server's import pulled in {done.stdout.strip()}"


@pytest.fixture
def cold_caches(monkeypatch):
    """Empty the caches the warm-up fills, so that nothing a previous test left counts."""
    from ui import derived, mapview

    monkeypatch.setenv("FRONTLINE_OFFLINE", "1")
    for cached in (
        derived.filter_options,
        derived.snapshot,
        derived.area_table,
        derived.changes,
        mapview._prepared_base,
    ):
        cached.clear()


def test_the_warm_up_leaves_the_first_page_runs_results_in_the_caches(cold_caches, monkeypatch):
    import geo.territory
    import ui.mapview
    from ui import derived, mapview, server
    from ui.data import base_key, default_atlas

    result = server.warm_up()
    assert result.state == "ready", result
    assert list(result.steps) == list(server.STEPS)

    def recomputed(*_args, **_kwargs):
        raise AssertionError("recomputed: the warm-up did not leave this in the cache")

    monkeypatch.setattr(geo.territory, "control_snapshot", recomputed)
    monkeypatch.setattr(geo.territory, "area_series", recomputed)
    monkeypatch.setattr(geo.territory, "change_between", recomputed)
    monkeypatch.setattr(ui.mapview, "prepare_base_map", recomputed)
    atlas = default_atlas()
    key = base_key()  # the store's atlas at its revision, as the warm-up used it
    options = derived.filter_options(atlas, key)
    snap = derived.snapshot(atlas, key, options.max_date)
    assert len(snap.areas) > 0
    assert len(derived.area_table(atlas, key, options.min_date, options.max_date)) > 0
    derived.changes(atlas, key, options.min_date, options.max_date)
    assert mapview.prepared_base_map(atlas).script


def test_a_failed_warm_up_is_reported_with_its_step_and_never_raised(
    cold_caches, monkeypatch, tmp_path
):
    from ui import server

    not_parquet = tmp_path / "events.parquet"
    not_parquet.write_text("date,place\n2024-12-08,Damascus\n", encoding="utf-8")
    monkeypatch.setenv("FRONTLINE_EVENTS_PARQUET", str(not_parquet))
    result = server.warm_up()
    assert result.state == "failed"
    assert result.error.startswith("atlas: "), result.error
    assert "imports" in result.steps and "atlas" not in result.steps
    assert server.status() == result


def test_frontline_warm_up_0_turns_the_warm_up_off(monkeypatch):
    from ui import server

    monkeypatch.setenv("FRONTLINE_WARM_UP", "0")
    assert server.start_warm_up() is None
    assert server.status().state == "off"
    assert server.status().as_json() == {"state": "off", "seconds": 0, "steps": {}, "error": None}


@pytest.mark.browser
def test_the_server_reports_its_warm_up_at_api_warm_up(streamlit_server):
    body = wait_warm_up(streamlit_server.url, timeout_s=READY_TIMEOUT_S)
    assert set(body) == {"state", "seconds", "steps", "error"}
    assert body["state"] == "ready", body
    assert body["error"] is None
    from ui.server import STEPS

    assert list(body["steps"]) == list(STEPS)
    assert body["seconds"] == pytest.approx(sum(body["steps"].values()), abs=0.01)
    assert "missing ScriptRunContext" not in streamlit_server.log()


@pytest.mark.browser
def test_a_visitor_after_the_warm_up_gets_the_map(start_streamlit, offline_page):
    server = start_streamlit()
    assert wait_warm_up(server.url, timeout_s=READY_TIMEOUT_S)["state"] == "ready"
    page = offline_page.page
    page.goto(server.url)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=120_000)
    assert offline_page.blocked == []
    assert offline_page.page_errors == []
    offline_page.screenshot("dashboard-after-warm-up")
