"""A session's first page: the map first, the rest of the page once the browser has drawn it.

On a cold start the browser, not Python, decides when the first map appears: the browser draws
every element of a page run before the ``st_folium`` iframe has its map, and the page's charts,
table and uploaders hold the map back by about 1–2 s (bench/README.md). So a session's first
page run served to a browser draws the sidebar, the title, the key figures and the map, and
ends there. The map reports as soon as the browser has drawn it
(``ui.foliumview.show_map(report_drawn=True)``); that report reruns the script, and that run
and every later one draw the whole page. Should the report never come (the map's scripts
failed to load), :func:`complete_page_later` draws the whole page after
:data:`FALLBACK_SECONDS`.

Under ``AppTest`` and in bare Python nothing draws the map, so every run draws the whole page.

>>> FALLBACK_SECONDS
4.0
"""

from __future__ import annotations

import logging

import streamlit as st

from ui import runtime

__all__ = [
    "FALLBACK_SECONDS",
    "NO_REPORT",
    "PENDING_TEXT",
    "complete_page_later",
    "draws_whole_page",
]

#: Seconds after which the first page is completed even if the map never reported.
FALLBACK_SECONDS = 4.0
#: What stands below the map until the rest of the page comes.
PENDING_TEXT = "Figures, charts and the events table follow as soon as the map is drawn."
#: How the server's log begins the warning when the fallback draws the page.
NO_REPORT = "the map did not report that it was drawn"

log = logging.getLogger(__name__)

_FIRST_RUN_SEEN = "first_paint_seen"
_FALLBACK_ARMED = "first_paint_fallback_armed"


def draws_whole_page() -> bool:
    """False for a session's first page run served to a browser, True for every other run.

    Call it once per run, before drawing the map.
    """
    state = st.session_state
    if not runtime.serving():
        return True
    if state.get(_FIRST_RUN_SEEN):
        runtime.first_paint_over()
        return True
    state[_FIRST_RUN_SEEN] = True
    return False


@st.fragment(run_every=FALLBACK_SECONDS)
def complete_page_later() -> None:
    """Hold the place of the rest of the page; rerun the whole page if the map never reports.

    Drawn only by the first page run. Streamlit reruns this fragment every
    :data:`FALLBACK_SECONDS` for as long as it is on the page: its first rerun asks for the
    whole page (normally the map's report has replaced the page before then).
    """
    st.caption(PENDING_TEXT)
    state = st.session_state
    if state.get(_FALLBACK_ARMED):
        state[_FALLBACK_ARMED] = False
        log.warning(
            "%s within %.0f s; drawing the rest of the page without it", NO_REPORT, FALLBACK_SECONDS
        )
        st.rerun(scope="app")
    state[_FALLBACK_ARMED] = True
