"""The annotation store in headless Chromium against real ``streamlit run`` servers.

An upload survives a reload, reaches a second browser once reviewed, and survives a server
restart; a client that is not on this machine sees a read-only atlas and is told why.
"""

from __future__ import annotations

import io
import socket
import subprocess

import pandas as pd
import pytest

from bench.loopback import is_loopback_url

pytestmark = pytest.mark.browser

LOAD_MS = 120_000
STEP_MS = 60_000
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _upload_csv() -> bytes:
    from pathlib import Path

    rows = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "events.csv", dtype=str).iloc[
        :2
    ]
    rows = rows.assign(id=["kept-1", "kept-2"], description="Our own test wording.")
    buffer = io.StringIO()
    rows.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def _page(browser: object, *, allow: str | None = None) -> object:
    """A page of a new browser context (its own session); only this machine is reachable."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def guard(route: object) -> None:
        url = route.request.url
        if is_loopback_url(url) or (allow and f"//{allow}:" in url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    return context.new_page()


def _open(page: object, url: str) -> None:
    page.goto(url)
    page.frame_locator(MAP_IFRAME).locator(".leaflet-overlay-pane path").first.wait_for(
        timeout=LOAD_MS
    )
    page.get_by_text("Add and review data").wait_for(timeout=LOAD_MS)  # the whole page


def _events_metric(page: object) -> int:
    metric = page.locator('[data-testid="stMetric"]', has_text="Events").first
    value = metric.locator('[data-testid="stMetricValue"]').inner_text()
    return int(value.replace(",", ""))


def _tab(page: object, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def _settled(page: object) -> None:
    """Wait until the app's rerun is over (a click during a rerun may land on a stale widget)."""
    page.wait_for_timeout(300)  # the running icon shows only once a rerun has started
    page.get_by_test_id("stStatusWidgetRunningIcon").wait_for(state="detached", timeout=STEP_MS)


def _click_until(page: object, button: str, *, shows: str, tries: int = 3) -> None:
    """Click ``button`` until ``shows`` is on the page: a click that lands while a rerun is
    still replacing the widgets is lost (the app is right; the click never reached it)."""
    for attempt in range(tries):
        _settled(page)
        page.get_by_role("button", name=button).click()
        try:
            page.get_by_text(shows).wait_for(timeout=STEP_MS // 3)
            return
        except Exception:  # a lost click: try again (the last try raises)
            if attempt == tries - 1:
                raise


def test_an_upload_survives_a_reload_reaches_a_second_browser_once_reviewed_and_a_restart(
    start_streamlit, browser, tmp_path
):
    store = tmp_path / "team.sqlite"
    server = start_streamlit(FRONTLINE_DB=str(store))
    page = _page(browser)
    _open(page, server.url)
    before = _events_metric(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "kept.csv", "mimeType": "text/csv", "buffer": _upload_csv()}]
    )
    page.get_by_text("kept.csv: 2 events rows stored as drafts").wait_for(timeout=STEP_MS)

    page.reload()
    _open(page, server.url)
    _tab(page, "Review drafts")
    page.get_by_text("2 draft(s) waiting for review").wait_for(timeout=STEP_MS)
    assert _events_metric(page) == before, "drafts are off the map until reviewed"

    second = _page(browser)  # another analyst's browser
    _open(second, server.url)
    assert _events_metric(second) == before

    page.get_by_text("All drafts").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[type=checkbox]')].some("
        "c => c.checked && c.closest('label')?.innerText.includes('All drafts'))",
        timeout=STEP_MS,
    )
    _click_until(page, "Mark reviewed", shows="2 draft(s) marked reviewed")

    second.reload()
    _open(second, server.url)
    assert _events_metric(second) == before + 2

    server.process.kill()  # SIGKILL: no shutdown of any kind
    server.process.wait(timeout=30)
    restarted = start_streamlit(FRONTLINE_DB=str(store))
    third = _page(browser)
    _open(third, restarted.url)
    assert _events_metric(third) == before + 2, "a killed server's restart keeps every commit"
    for p in (page, second, third):
        p.context.close()


def _choose(page: object, label: str, option: str) -> None:
    """Pick ``option`` of a select box by typing it (the list's popover may sit under others)."""
    page.get_by_label(label, exact=True).last.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    _settled(page)


def _own_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one."""
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10)
        for address in out.stdout.split():
            if "." in address and not address.startswith("127."):
                return address
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return None


def test_a_client_from_another_address_sees_a_read_only_atlas_and_why(start_streamlit, browser):
    address = _own_address()
    if not address or address.startswith("127."):
        pytest.skip("this machine has no network address besides loopback")
    server = start_streamlit(address="0.0.0.0", host=address)
    page = _page(browser, allow=address)
    _open(page, server.url)
    page.get_by_text("Read-only: changes are accepted only from this machine").first.wait_for(
        timeout=STEP_MS
    )
    assert page.get_by_test_id("stFileUploaderDropzoneInput").is_disabled()
    page.context.close()


def test_a_rectangle_drawn_on_the_map_is_stored_as_a_draft_control_area(
    start_streamlit, browser, tmp_path
):
    from geo.store import open_store

    store = tmp_path / "draw.sqlite"
    server = start_streamlit(FRONTLINE_DB=str(store))
    page = _page(browser)
    _open(page, server.url)
    _tab(page, "Add or correct")
    page.get_by_text("Draw a control area").click()
    page.get_by_text("Draw the area on the map first").wait_for(timeout=STEP_MS)
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-draw-draw-rectangle").click()  # Leaflet.draw, served locally
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=8)
    page.mouse.up()
    page.get_by_text("The shape drawn covers about").wait_for(timeout=STEP_MS)
    _settled(page)
    page.get_by_label("Source (outlet, date)").last.fill("Our own test note")
    page.get_by_role("button", name="Store the area as a draft").click()
    page.get_by_text("The area was stored as a draft").wait_for(timeout=STEP_MS)
    drafts = open_store(str(store)).rows("areas", statuses=["draft"])
    assert len(drafts) == 1 and drafts.iloc[0]["source"] == "Our own test note"
    first = drafts.iloc[0]["geometry"]

    # Correct the area: open it, draw its new (wider) shape, save a second version.
    _settled(page)
    page.get_by_text("Correct or retract a row").click()
    _settled(page)
    _choose(page, "Table", "areas")
    _choose(page, "Area", drafts.iloc[0]["row_id"])  # the bundled data has an area of its own
    page.get_by_role("button", name="Open the row").click()
    page.get_by_text("Replace the shape with the one last drawn on the map").wait_for(
        timeout=STEP_MS
    )
    page.get_by_text("Replace the shape with the one last drawn on the map").click()
    _settled(page)
    frame.locator(".leaflet-draw-draw-rectangle").click()
    page.mouse.move(x - 40, y - 30)
    page.mouse.down()
    page.mouse.move(x + 90, y + 60, steps=8)
    page.mouse.up()
    page.get_by_text("The new shape covers about").wait_for(timeout=STEP_MS)
    _settled(page)
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_text("Saved as version 2").wait_for(timeout=STEP_MS)
    versions = open_store(str(store)).history(drafts.iloc[0]["row_id"])
    assert [v.version for v in versions] == [1, 2]
    now = open_store(str(store)).rows("areas", statuses=["draft"]).iloc[0]["geometry"]
    assert now.area > first.area * 2, "the redrawn (wider) shape replaced the first one"
    page.context.close()
