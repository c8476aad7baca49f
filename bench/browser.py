"""Interactions timed in the browser: a click to the new map painted, ours and the naive peer's.

For the bundled data, 100,000 and 1,000,000 synthetic events (``FRONTLINE_EVENTS_PARQUET``),
each app is started with ``streamlit run`` on loopback (``FRONTLINE_OFFLINE=1``) and opened in
headless system Chromium at 1440x900, every non-loopback request failing. Three interactions
are timed, each ``repeat`` times (median):

- ``step``: a click on the map date's ◀ button, until the new control areas are painted;
- ``faction``: a faction removed from the filter (Backspace in the multiselect), until the
  new events are painted;
- ``bounds``: a click on the "Only what the map shows" switch, until the Events figure
  follows the map's view (both maps first zoomed on Damascus).

The clock is the browser's (``performance.timeOrigin + performance.now()``): the click's
``timeStamp`` starts it; it stops at the animation frame after the change is in the DOM
(ours: streamlit-folium has evaluated the new layers in the same iframe; the peer: its new
iframe has drawn its map; ``bounds``: the Events figure changed), which the browser paints
right after. The time splits at the last WebSocket message from the server before the
paint: ``server`` is the script rerun plus the transfer, ``browser`` the rest (Streamlit's
frontend, the map's layers, the paint).

The naive peer (``bench/naive_app.py``) rebuilds the whole folium map on every rerun and
hands it to ``st_folium``, which remounts the map's iframe.

Run: ``python -m bench.browser [--sizes 0 100000 1000000] [--repeat 3] [--json out.json]``
(size 0 is the bundled data).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import ROOT
from bench.loopback import CHROMIUM_ARGS, chromium_path, free_port, is_loopback_url, wait_healthy

__all__ = ["measure_app", "run"]

MAP = 'iframe[title="streamlit_folium.st_folium"]'
LOAD_MS = int(os.environ.get("BENCH_BROWSER_TIMEOUT_MS", "600000"))
DATE = "2024-12-08"

# Every page: WebSocket messages from the server, timed on arrival.
_WS_JS = """(() => {
  if (window !== window.top || window.__wsTimes) return;
  window.__wsTimes = [];
  const Native = window.WebSocket;
  function Timed(...args) {
    const socket = new Native(...args);
    socket.addEventListener('message', () =>
      window.__wsTimes.push(performance.timeOrigin + performance.now()));
    return socket;
  }
  Timed.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Timed[k] = Native[k];
  window.WebSocket = Timed;
})();"""

# Arms one measurement: `until` is 'layers' (new layers in the same iframe), 'iframe' (a new
# iframe with its map drawn) or 'figure' (the Events figure changed).
_ARM_JS = """(until) => {
  const now = () => performance.timeOrigin + performance.now();
  const frame = () => document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  const metric = () => { const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
    .find((e) => e.innerText.includes('Events')); return m ? m.innerText : ''; };
  const w0 = frame() && frame().contentWindow;
  const g0 = w0 && w0.__GLOBAL_DATA__;
  const before = {fg: g0 ? g0.last_feature_group : null, metric: metric()};
  if (w0) w0.__benchOld = true;
  const b = window.__bench = {t0: null, t1: null, done: false};
  const start = (e) => { if (b.t0 === null) b.t0 = performance.timeOrigin + e.timeStamp; };
  document.addEventListener('click', start, {capture: true, once: true});
  document.addEventListener('keydown', start, {capture: true, once: true});
  const poll = () => {
    if (b.t0 === null) return setTimeout(poll, 5);
    const f = frame(), w = f && f.contentWindow;
    let ok = false;
    try {
      if (until === 'layers') ok = w === w0 && w.__GLOBAL_DATA__.last_feature_group !== before.fg;
      else if (until === 'iframe') ok = !!(w && !w.__benchOld && w.map &&
        w.document.querySelector('.leaflet-overlay-pane path'));
      else ok = metric() !== before.metric;
    } catch (err) { ok = false; }
    if (!ok) return setTimeout(poll, 5);
    (w || window).requestAnimationFrame(() => {
      b.t1 = now();
      const ws = window.__wsTimes.filter((t) => t >= b.t0 && t <= b.t1);
      b.lastWs = ws.length ? ws[ws.length - 1] : b.t0;
      b.done = true;
    });
  };
  poll();
}"""


def _start(app: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", app,
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "FRONTLINE_OFFLINE": "1", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, timeout_s=120)
    return process, url


def _timed(page: object, until: str, act: Callable[[], None]) -> dict[str, float]:
    page.evaluate(_ARM_JS, until)
    act()
    try:
        page.wait_for_function("() => window.__bench.done", timeout=LOAD_MS, polling=50)
    except Exception as err:
        state = page.evaluate(
            """() => { const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
              const w = f && f.contentWindow; return JSON.stringify([window.__bench,
              !!w, w && w.__benchOld, w && !!w.map, typeof window.__wsTimes]); }"""
        )
        raise RuntimeError(f"no paint after the {until!r} interaction: {state}") from err
    b = page.evaluate("() => window.__bench")
    total = (b["t1"] - b["t0"]) / 1000
    server = (b["lastWs"] - b["t0"]) / 1000
    return {"total_s": total, "server_s": server, "browser_s": total - server}


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]}


def measure_app(
    browser: object, *, naive: bool, env: dict[str, str], repeat: int
) -> dict[str, dict[str, float]]:
    """The three interactions' medians for one app on one data set."""
    app = "bench/naive_app.py" if naive else "streamlit_app.py"
    process, url = _start(app, env)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    left: list[str] = []

    def guard(route: object) -> None:
        if is_loopback_url(route.request.url):
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    context.add_init_script(_WS_JS)
    page = context.new_page()
    try:
        page.goto(f"{url}/?date={DATE}")
        page.frame_locator(MAP).locator(".leaflet-overlay-pane path").first.wait_for(
            timeout=LOAD_MS
        )
        if not naive:
            page.get_by_text("Events shown", exact=True).wait_for(timeout=LOAD_MS)
        page.wait_for_timeout(2000)
        until = "iframe" if naive else "layers"
        out: dict[str, dict[str, float]] = {}
        back = page.get_by_role("button", name="◀", exact=True)
        out["step"] = _median([_timed(page, until, back.click) for _ in range(repeat)])
        print("  step", out["step"], file=sys.stderr, flush=True)
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        box.locator("input").click()
        page.wait_for_timeout(500)
        out["faction"] = _median(
            [_timed(page, until, lambda: page.keyboard.press("Backspace")) for _ in range(repeat)]
        )
        print("  faction", out["faction"], file=sys.stderr, flush=True)
        page.keyboard.press("Escape")
        page.wait_for_timeout(1000)
        (frame,) = [f for f in page.frames if "streamlit_folium" in f.url]
        frame.evaluate("() => { window.map.setView([33.51, 36.29], 9, {animate: false}); }")
        page.wait_for_timeout(3000)  # the peer reports every move (a rerun); ours does not
        switch = page.get_by_text("Only what the map shows")
        out["bounds"] = _median([_timed(page, "figure", switch.click) for _ in range(repeat)])
        if left:
            raise RuntimeError(f"requests left the machine: {left[:3]}")
        return out
    finally:
        context.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _events_file(n: int, folder: Path) -> Path:
    from bench.cases import _write_events
    from geo.synth import synthetic_events

    path = folder / f"events_{n}.parquet"
    if not path.exists():
        _write_events(synthetic_events(n, seed=0), path)
    return path


def run(*, sizes: list[int], repeat: int, naive: bool = True) -> dict[str, object]:
    """Every size, ours and (with ``naive``) the peer's; figures in seconds."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("no Chromium: install Debian's chromium (scripts/test.sh)")
    results: dict[str, object] = {"repeat": repeat, "date": DATE}
    folder = Path(tempfile.mkdtemp(prefix="frontline-bench-browser-"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        for n in sizes:
            env = {} if n == 0 else {"FRONTLINE_EVENTS_PARQUET": str(_events_file(n, folder))}
            label = "bundled" if n == 0 else f"{n:_}"
            for peer in (False, True) if naive else (False,):
                started = time.time()
                figures = measure_app(browser, naive=peer, env=env, repeat=repeat)
                name = f"{label}/{'naive' if peer else 'ours'}"
                results[name] = figures
                print(name, json.dumps(figures), f"({time.time() - started:.0f} s)", flush=True)
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = run(sizes=args.sizes, repeat=args.repeat, naive=not args.no_naive)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
