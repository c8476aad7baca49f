"""Take the README's screenshots: desktop (1440x900), phone (390x844) and compare views.

Starts ``streamlit run streamlit_app.py`` on loopback (``FRONTLINE_OFFLINE=1``), opens each
view in headless system Chromium with every non-loopback request aborted, and writes
``docs/desktop.png``, ``docs/phone.png`` and ``docs/compare.png`` (the first screen only).

Run: ``python scripts/screenshots.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.loopback import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_path,
    free_port,
    is_loopback_url,
    wait_healthy,
)

VIEWS = (
    ("desktop", (1440, 900), "?date=2024-12-08"),
    ("phone", (390, 844), "?date=2024-12-08"),
    ("compare", (1440, 900), "?date=2024-12-08&compare=2024-11-27"),
)


def _shrink(path: Path) -> None:
    """Keep the PNG small: 256 colours (Pillow comes with Streamlit)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main() -> None:
    """Write the three screenshots into ``docs/``."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "FRONTLINE_OFFLINE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, timeout_s=120)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=list(CHROMIUM_ARGS)
            )
            for name, (width, height), query in VIEWS:
                context = browser.new_context(viewport={"width": width, "height": height})
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if is_loopback_url(route.request.url) else route.abort()
                    ),
                )
                page = context.new_page()
                page.goto(f"{url}/{query}")
                page.get_by_text("Events shown", exact=True).wait_for(timeout=180_000)
                page.wait_for_timeout(2500)
                path = ROOT / "docs" / f"{name}.png"
                page.screenshot(path=str(path))
                _shrink(path)
                context.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
