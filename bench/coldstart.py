"""Cold start of the dashboard: from ``streamlit run`` to the first map drawn in a browser.

Each run starts a fresh ``streamlit run streamlit_app.py`` on a free loopback port with
``FRONTLINE_OFFLINE=1`` and opens it in headless system Chromium (Playwright), every
non-loopback request aborted, until the first control area is drawn inside the
``st_folium`` iframe. Disk caches (gazetteer, Natural Earth, joined atlas) are warm, as they
are from the second launch on; the Python process and the browser page are new each time.

Run alone with ``python -m bench --only dashboard_cold_start``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from bench.harness import ROOT, BenchSkipped
from bench.loopback import CHROMIUM_ARGS, chromium_path, free_port, is_loopback_url, wait_healthy

__all__ = ["ColdStart", "measure_cold_start"]

MAP_PATH = 'iframe[title="streamlit_folium.st_folium"]'


@dataclass(frozen=True)
class ColdStart:
    """Seconds from launching the server to the first map, and from opening the page."""

    launch_to_map_s: tuple[float, ...]
    page_to_map_s: tuple[float, ...]

    @property
    def median_launch_s(self) -> float:
        return statistics.median(self.launch_to_map_s)

    @property
    def median_page_s(self) -> float:
        return statistics.median(self.page_to_map_s)


def _guard(route: object) -> None:
    if is_loopback_url(route.request.url):
        route.continue_()
    else:
        route.abort()


def _one_run(browser: object) -> tuple[float, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    launched = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "FRONTLINE_OFFLINE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        try:
            wait_healthy(url, process, timeout_s=90)
        except RuntimeError as err:
            raise BenchSkipped(str(err)) from err
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", _guard)
        page = context.new_page()
        opened = time.perf_counter()
        page.goto(url)
        frame = page.frame_locator(MAP_PATH)
        frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=120_000)
        drawn = time.perf_counter()
        context.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return drawn - launched, drawn - opened


def measure_cold_start(*, repeat: int) -> ColdStart:
    """Launch the dashboard ``repeat`` times (plus one untimed launch that warms disk caches)."""
    executable = chromium_path()
    if executable is None:
        raise BenchSkipped("no Chromium on PATH (./scripts/test.sh installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise BenchSkipped("playwright is not installed (requirements-dev.txt)") from err
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            _one_run(browser)  # warm the disk caches, as any launch after the first finds them
            runs = [_one_run(browser) for _ in range(repeat)]
        finally:
            browser.close()
    return ColdStart(tuple(r[0] for r in runs), tuple(r[1] for r in runs))
