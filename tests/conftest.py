"""Shared fixtures: a real `streamlit run` on loopback and headless Chromium that cannot leave it.

Browser tests use the system Chromium (Debian's ``chromium`` package, installed by
``scripts/test.sh``); Playwright never downloads a browser of its own here. Every request that
is not for a loopback address (or a data:/blob:/about: URL) is aborted and recorded, so a test
can assert that nothing left the machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.loopback import (  # shared with the cold-start benchmark
    CHROMIUM_ARGS,
    chromium_path,
    free_port,
    is_loopback_url,
    wait_healthy,
)

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"


def pytest_configure(config: pytest.Config) -> None:
    """Keep the test run's caches (gazetteer, Natural Earth, atlas) out of the user's cache.

    Set before any test runs, so subprocesses (CLI, ``streamlit run``) inherit it too.
    """
    if "FRONTLINE_CACHE_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="frontline-test-cache-")
        os.environ["FRONTLINE_CACHE_DIR"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    # The annotation stores a test run opens by default (one per data folder) live in a
    # temporary data folder, never in the user's ~/.local/share.
    stores = tempfile.mkdtemp(prefix="frontline-test-stores-")
    os.environ["XDG_DATA_HOME"] = stores
    os.environ.pop("FRONTLINE_DB", None)
    config.add_cleanup(lambda: shutil.rmtree(stores, ignore_errors=True))


@dataclass
class StreamlitServer:
    """A running ``streamlit run`` process and its base URL."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _wait_healthy(server: StreamlitServer, timeout_s: float) -> None:
    try:
        wait_healthy(server.url, server.process, timeout_s=timeout_s)
    except RuntimeError as err:
        raise RuntimeError(f"{err}:\n{server.log()}") from err


@pytest.fixture(scope="session")
def start_streamlit(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., StreamlitServer]]:
    """Factory: start ``streamlit run streamlit_app.py`` on a free loopback port.

    Keyword arguments become extra environment variables. ``FRONTLINE_OFFLINE=1`` is set
    unless overridden, and each server gets an annotation store of its own (a fresh SQLite
    file, seeded from its data folder) unless ``FRONTLINE_DB`` is given: what one test
    stores never shows on another test's map. Every server started is stopped at the end of
    the session.
    """
    servers: list[StreamlitServer] = []

    def start(
        *, address: str = "127.0.0.1", host: str | None = None, **env_overrides: str
    ) -> StreamlitServer:
        """``address``: where the server listens; ``host``: the address its URL names."""
        port = free_port()
        folder = tmp_path_factory.mktemp("streamlit")
        log_path = folder / "server.log"
        env = {
            **os.environ,
            "FRONTLINE_OFFLINE": "1",
            "FRONTLINE_DB": str(folder / "store.sqlite"),
            **env_overrides,
        }
        command = [
            sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
            "--server.port", str(port),
            "--server.address", address,
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        server = StreamlitServer(f"http://{host or address}:{port}", process, log_path)
        servers.append(server)
        _wait_healthy(server, timeout_s=90)
        return server

    yield start
    for server in servers:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()


@pytest.fixture(scope="session")
def streamlit_server(start_streamlit: Callable[..., StreamlitServer]) -> StreamlitServer:
    """The dashboard on the bundled data, offline (``FRONTLINE_OFFLINE=1``)."""
    return start_streamlit()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless system Chromium for the whole session (Playwright drives it)."""
    executable = chromium_path()
    if executable is None:
        pytest.fail(
            "Chromium is not installed: run ./scripts/test.sh (it installs Debian's chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        yield instance
        instance.close()


@dataclass
class OfflinePage:
    """A Playwright page whose non-loopback requests are aborted and recorded."""

    page: object
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        """Save a PNG under ``artifacts/screenshots/`` (kept by CI) and return its path."""
        path = ARTIFACTS / "screenshots" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def offline_page(browser: object) -> Iterator[OfflinePage]:
    """A fresh browser context where only loopback requests get through."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    record = OfflinePage(page=None)

    def guard(route: object) -> None:
        url = route.request.url
        if is_loopback_url(url):
            route.continue_()
        else:
            record.blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    record.page = page
    page.on(
        "console",
        lambda message: (
            record.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))

    def on_dialog(dialog: object) -> None:
        record.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield record
    context.close()


@pytest.fixture(scope="session")
def postgis_cluster() -> Iterator[str]:
    """A temporary PostgreSQL + PostGIS cluster on loopback (bench/postgis.py), torn down after.

    Missing PostgreSQL/PostGIS skips the PostGIS half of the store tests, except on CI
    (``$CI`` set), where it fails: the same tests must run on both backends there.
    """
    from bench.postgis import temporary_postgis

    try:
        with temporary_postgis() as url:
            yield url
    except FileNotFoundError as err:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL + PostGIS are required on CI: {err}")
        pytest.skip(str(err))


@pytest.fixture(params=["sqlite", "postgis"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store: an SQLite file, or a fresh PostGIS database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    from bench.postgis import fresh_database

    cluster = request.getfixturevalue("postgis_cluster")
    return fresh_database(cluster, f"t_{tmp_path.name.lower().replace('-', '_')[-40:]}")
