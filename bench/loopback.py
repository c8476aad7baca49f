"""Loopback helpers shared by the browser tests and the cold-start benchmark.

Headless system Chromium that cannot leave the machine, a free port on 127.0.0.1, and a wait
for a ``streamlit run`` server to answer its health check.

>>> is_loopback_url("http://127.0.0.1:8501/app/static/vendor/leaflet/leaflet.js")
True
>>> is_loopback_url("https://tile.openstreetmap.org/1/0/0.png")
False
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

__all__ = [
    "CHROMIUM_ARGS",
    "LOOPBACK_HOSTS",
    "LOOPBACK_ONLY_ARGS",
    "chromium_path",
    "free_port",
    "is_loopback_url",
    "wait_healthy",
    "wait_warm_up",
]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# Without the background-networking flags Chromium tries to reach Google's hosts at start.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
)

#: Chromium flags that make every request not for a loopback address fail, without
#: intercepting each request: all traffic goes to a proxy on a port nothing listens on, and
#: Chromium never sends loopback traffic to a proxy. (Playwright's ``route`` interception,
#: which the tests use to record what was blocked, costs a round trip per request: 0.1-0.6 s
#: over the 175 requests of a first visit, which a benchmark would count as the app's.)
LOOPBACK_ONLY_ARGS = ("--proxy-server=http://127.0.0.1:9",)


def chromium_path() -> str | None:
    """The system Chromium, or ``$FRONTLINE_CHROMIUM`` if set."""
    configured = os.environ.get("FRONTLINE_CHROMIUM")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_loopback_url(url: str) -> bool:
    """True for URLs that stay on this machine (loopback hosts, data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "file", "chrome-error"}:
        return True
    return (parts.hostname or "") in LOOPBACK_HOSTS


def wait_healthy(url: str, process: subprocess.Popen[bytes], *, timeout_s: float) -> None:
    """Wait until the Streamlit server at ``url`` answers ``/_stcore/health``.

    Raises
    ------
    RuntimeError
        If the process exits first or the server does not answer within ``timeout_s``.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early (code {process.returncode})")
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.05)
    raise RuntimeError(f"streamlit did not answer its health check within {timeout_s} s")


def wait_warm_up(url: str, *, timeout_s: float) -> dict:
    """Wait until the dashboard at ``url`` has ended its warm-up; return ``GET /api/warm-up``.

    The route answers 503 while the warm-up runs and 200 once it has ended (``state`` is then
    ``ready``, ``failed`` or ``off``; see ``ui/server.py``).

    Raises
    ------
    RuntimeError
        If the warm-up has not ended within ``timeout_s``, or the route answers something else.
    """
    deadline = time.monotonic() + timeout_s
    body: dict = {}
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/warm-up", timeout=10) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as err:
            body = json.load(err)
            if err.code != 503:
                raise RuntimeError(f"/api/warm-up answered {err.code}: {body}") from err
        time.sleep(0.1)
    raise RuntimeError(f"the warm-up did not end within {timeout_s} s: {body}")
