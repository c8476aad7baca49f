"""The benchmark's browser (bench/loopback.py) reaches this machine and nothing else.

The cold-start benchmark blocks every non-loopback request with Chromium flags instead of
intercepting each request (which would count the interception as the app's time); these tests
check that the flags really block, on a real loopback server.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from bench.loopback import CHROMIUM_ARGS, LOOPBACK_ONLY_ARGS, chromium_path

pytestmark = pytest.mark.browser


@pytest.fixture
def loopback_page(browser: object) -> Iterator[tuple[object, int]]:
    """A page of a second Chromium launched as the benchmark launches it, and a loopback port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # The session's Playwright (tests/conftest.py): only one may run in a process.
    bench_browser = browser.browser_type.launch(
        executable_path=chromium_path(), headless=True, args=[*CHROMIUM_ARGS, *LOOPBACK_ONLY_ARGS]
    )
    try:
        yield bench_browser.new_page(), server.server_address[1]
    finally:
        bench_browser.close()
        server.shutdown()


def test_the_benchmarks_browser_loads_pages_from_loopback(loopback_page):
    page, port = loopback_page
    for host in ("127.0.0.1", "localhost"):
        assert page.goto(f"http://{host}:{port}/").status == 200


@pytest.mark.parametrize(
    "url",  # reserved names and addresses (RFC 2606, RFC 5737): nothing real is ever asked for
    ["http://example.com/", "https://tiles.example.org/1/0/0.png", "http://192.0.2.1/"],
)
def test_the_benchmarks_browser_cannot_reach_any_other_address(loopback_page, url):
    page, _ = loopback_page
    with pytest.raises(Exception, match="ERR_PROXY_CONNECTION_FAILED"):
        page.goto(url, timeout=15_000)
