"""Cold start of the dashboard: from ``streamlit run`` to the first map drawn in a browser.

Each run starts a fresh ``streamlit run streamlit_app.py`` on a free loopback port with
``FRONTLINE_OFFLINE=1`` and opens it in headless system Chromium (Playwright), every
non-loopback request failing (``LOOPBACK_ONLY_ARGS``: a dead proxy, not a per-request
interception), until the first control area is drawn inside the
``st_folium`` iframe. Disk caches (gazetteer, Natural Earth, joined atlas, base map, Python's
bytecode of ``geo/`` and ``ui/``) are warm, as they are from the second launch on; the Python
process and the browser page are new each time.

"Drawn" is timed by the browser itself: a script the browser context adds to the map's
iframe before its own scripts polls (every 10 ms) for the first control area in the map's
DOM, then records the next animation frame, which the browser paints right after. Its clock
is the wall clock (``performance.timeOrigin + performance.now()``, ms since the epoch), the
same as ``time.time()`` here. Playwright's own detection (``wait_for`` on the same element,
driven over the DevTools protocol) is reported beside it: it lags the paint by 0.3–0.8 s
when the page's main thread is busy, which is the browser's work, not the user's wait.

The page is opened as soon as the server answers its health check, so the server's warm-up
(``ui/server.py``) is still running: the worst case, and the figure reported. A second series
opens the page only once ``/api/warm-up`` says the warm-up has ended: what the first visitor
of a server started a few seconds earlier waits for.

Beside the times, each run records the server's CPU seconds (its own and its children's,
from ``/proc``) when the map was seen, which grows with the work done and not with other jobs
on the machine, and, once the whole page is drawn and the warm-up has ended, the peak RSS of
the server's process tree (the sum of each process's ``VmHWM``: an upper bound of the tree's
peak).

Run alone with ``python -m bench --only dashboard_cold_start``.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bench.harness import ROOT, BenchSkipped
from bench.loopback import (
    CHROMIUM_ARGS,
    LOOPBACK_ONLY_ARGS,
    chromium_path,
    free_port,
    is_loopback_url,
    wait_healthy,
    wait_warm_up,
)

__all__ = ["ColdStart", "measure_cold_start"]

MAP_PATH = 'iframe[title="streamlit_folium.st_folium"]'
#: A widget of the sidebar: drawn with the rest of the page, once the map is (ui/firstpaint.py).
WHOLE_PAGE = '[data-testid="stSidebar"] [data-testid="stSlider"]'
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux ``/proc``; just ``pid`` elsewhere)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, ()))
    return found


def _tree_cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) of ``pid`` and its live descendants; ``None`` off Linux."""
    total = 0.0
    for each in _descendants(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            if each == pid:
                return None
            continue
        total += (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    return total


def _tree_peak_rss_mb(pid: int) -> float | None:
    """The sum of ``VmHWM`` (peak RSS) over ``pid`` and its live descendants, in MB."""
    total_kb = 0
    for each in _descendants(pid):
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            if each == pid:
                return None
            continue
        total_kb += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0
        )
    return total_kb / 1024


# Added to every frame of the benchmark's browser context; polls in iframes only.
_PAINTED_JS = """(() => {
  if (window === window.top) return;
  (function poll() {
    if (document.querySelector('.leaflet-overlay-pane path')) {
      requestAnimationFrame(() => {
        window.__frontlineMapPaintedAt = performance.timeOrigin + performance.now();
      });
    } else {
      setTimeout(poll, 10);
    }
  })();
})()"""


@dataclass(frozen=True)
class ColdStart:
    """Seconds from launching the server to the first map painted, and from opening the page.

    ``launch_to_detected_s``: from launching to Playwright seeing the map (its polling lags).
    ``warm_page_to_map_s``: from opening the page to the map, once the warm-up had ended.
    ``server_cpu_s``: the server's CPU seconds when the map was seen.
    ``peak_rss_mb``: the server's peak RSS (with its children), whole page drawn, warm-up done.
    """

    launch_to_map_s: tuple[float, ...]
    page_to_map_s: tuple[float, ...]
    launch_to_detected_s: tuple[float, ...] = ()
    warm_page_to_map_s: tuple[float, ...] = ()
    server_cpu_s: tuple[float, ...] = ()
    peak_rss_mb: tuple[float, ...] = ()

    @property
    def median_launch_s(self) -> float:
        return statistics.median(self.launch_to_map_s)

    @property
    def median_detected_s(self) -> float | None:
        return statistics.median(self.launch_to_detected_s) if self.launch_to_detected_s else None

    @property
    def median_page_s(self) -> float:
        return statistics.median(self.page_to_map_s)

    @property
    def median_warm_page_s(self) -> float | None:
        return statistics.median(self.warm_page_to_map_s) if self.warm_page_to_map_s else None

    @property
    def median_server_cpu_s(self) -> float | None:
        return statistics.median(self.server_cpu_s) if self.server_cpu_s else None

    @property
    def max_peak_rss_mb(self) -> float | None:
        return max(self.peak_rss_mb) if self.peak_rss_mb else None


@dataclass(frozen=True)
class _Run:
    launch_to_map_s: float
    page_to_map_s: float
    launch_to_detected_s: float
    server_cpu_s: float | None = None
    peak_rss_mb: float | None = None


def _one_run(
    browser: object, *, after_warm_up: bool = False, env: Mapping[str, str] | None = None
) -> _Run:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    launched = time.time()  # the browser's clock below is the wall clock too
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "FRONTLINE_OFFLINE": "1", **(env or {})},
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
        context.add_init_script(_PAINTED_JS)
        page = context.new_page()
        left: list[str] = []
        page.on("requestfailed", lambda r: None if is_loopback_url(r.url) else left.append(r.url))
        opened = time.time()
        page.goto(url)
        page.frame_locator(MAP_PATH).locator(".leaflet-overlay-pane path").first.wait_for(
            timeout=300_000
        )
        detected = time.time()
        server_cpu = _tree_cpu_s(process.pid)
        (frame,) = [f for f in page.frames if "st_folium" in f.url]
        frame.wait_for_function("() => window.__frontlineMapPaintedAt !== undefined")
        painted = frame.evaluate("window.__frontlineMapPaintedAt") / 1000
        page.locator(WHOLE_PAGE).first.wait_for(timeout=300_000)
        wait_warm_up(url, timeout_s=300)
        peak = _tree_peak_rss_mb(process.pid)
        context.close()
        if left:
            raise RuntimeError(f"the page asked for addresses off this machine: {left[:5]}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return _Run(painted - launched, painted - opened, detected - launched, server_cpu, peak)


def measure_cold_start(*, repeat: int, env: Mapping[str, str] | None = None) -> ColdStart:
    """Launch the dashboard ``repeat`` times (plus one untimed launch that warms disk caches),
    then ``repeat`` times more, opening the page once the warm-up has ended."""
    executable = chromium_path()
    if executable is None:
        raise BenchSkipped("no Chromium on PATH (./scripts/test.sh installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise BenchSkipped("playwright is not installed (requirements-dev.txt)") from err
    # Python writes its bytecode cache on a first import unless told not to, as this machine's
    # environment may be (PYTHONDONTWRITEBYTECODE): compile ours once, as a first launch would.
    for package in ("geo", "ui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=[*CHROMIUM_ARGS, *LOOPBACK_ONLY_ARGS]
        )
        try:
            _one_run(browser, env=env)  # warm the disk caches, as any later launch finds them
            runs = [_one_run(browser, env=env) for _ in range(repeat)]
            warm = [_one_run(browser, after_warm_up=True, env=env) for _ in range(repeat)]
        finally:
            browser.close()
    return ColdStart(
        launch_to_map_s=tuple(r.launch_to_map_s for r in runs),
        page_to_map_s=tuple(r.page_to_map_s for r in runs),
        launch_to_detected_s=tuple(r.launch_to_detected_s for r in runs),
        warm_page_to_map_s=tuple(r.page_to_map_s for r in warm),
        server_cpu_s=tuple(r.server_cpu_s for r in runs if r.server_cpu_s is not None),
        peak_rss_mb=tuple(r.peak_rss_mb for r in (*runs, *warm) if r.peak_rss_mb is not None),
    )
