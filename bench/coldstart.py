"""Cold start of the dashboard: from ``streamlit run`` to the first map drawn in a browser.

Each run starts a fresh ``streamlit run streamlit_app.py`` on a free loopback port with
``FRONTLINE_OFFLINE=1`` and opens it in headless system Chromium (Playwright), every
non-loopback request aborted, until the first control area is drawn inside the
``st_folium`` iframe. Disk caches (gazetteer, Natural Earth, joined atlas) are warm, as they
are from the second launch on; the Python process and the browser page are new each time.

The page is opened as soon as the server answers its health check, so the server's warm-up
(``ui/server.py``) is still running: the worst case, and the figure reported. A second series
opens the page only once ``/api/warm-up`` says the warm-up has ended: what the first visitor
of a server started a few seconds earlier waits for.

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
from bench.loopback import (
    CHROMIUM_ARGS,
    chromium_path,
    free_port,
    is_loopback_url,
    wait_healthy,
    wait_warm_up,
)

__all__ = ["ColdStart", "measure_cold_start"]

MAP_PATH = 'iframe[title="streamlit_folium.st_folium"]'


@dataclass(frozen=True)
class ColdStart:
    """Seconds from launching the server to the first map, and from opening the page.

    ``warm_page_to_map_s``: from opening the page to the map, once the warm-up had ended.
    """

    launch_to_map_s: tuple[float, ...]
    page_to_map_s: tuple[float, ...]
    warm_page_to_map_s: tuple[float, ...] = ()

    @property
    def median_launch_s(self) -> float:
        return statistics.median(self.launch_to_map_s)

    @property
    def median_page_s(self) -> float:
        return statistics.median(self.page_to_map_s)

    @property
    def median_warm_page_s(self) -> float | None:
        return statistics.median(self.warm_page_to_map_s) if self.warm_page_to_map_s else None


def _guard(route: object) -> None:
    if is_loopback_url(route.request.url):
        route.continue_()
    else:
        route.abort()


def _one_run(browser: object, *, after_warm_up: bool = False) -> tuple[float, float]:
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
        if after_warm_up:
            wait_warm_up(url, timeout_s=120)
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
    """Launch the dashboard ``repeat`` times (plus one untimed launch that warms disk caches),
    then ``repeat`` times more, opening the page once the warm-up has ended."""
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
            warm = [_one_run(browser, after_warm_up=True)[1] for _ in range(repeat)]
        finally:
            browser.close()
    return ColdStart(tuple(r[0] for r in runs), tuple(r[1] for r in runs), tuple(warm))
