"""Map first: a one-line header (title, figures, switches, notes) and the page's compact style.

The map's place in the page never depends on what the header holds: the header is one
horizontal container (it wraps to a second line only on a phone), warnings and notes about
the data live in a popover in it, and everything else comes below the map.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

__all__ = ["MAP_HEIGHT_PX", "PAGE_CSS", "header", "notes", "page_style"]

#: The map frame's height: at 1440x900 and at 390x844 the whole map is in the first screen.
MAP_HEIGHT_PX = 650

PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"]{padding:3.4rem 1rem 2rem 1rem}
.st-key-fa_header{gap:.25rem 1rem;align-items:center;min-height:2.4rem}
.st-key-fa_header h1{font-size:1.2rem;line-height:1.4;padding:0;margin:0;white-space:nowrap}
.st-key-fa_header h1 a{display:none}
.st-key-fa_header > div:has(> .st-key-fa_title){min-width:0;flex:1 1 10rem}
.st-key-fa_title{min-width:0;gap:0}
.st-key-fa_title [data-testid="stHeading"] > div{margin-bottom:0!important}
.st-key-fa_title [data-testid="stCaptionContainer"]{white-space:nowrap;overflow:hidden;
  text-overflow:ellipsis;margin:0}
.st-key-fa_title [data-testid="stCaptionContainer"] p{white-space:nowrap;overflow:hidden;
  text-overflow:ellipsis;margin:0}
.st-key-fa_header [data-testid="stMetric"]{padding:0;gap:0}
.st-key-fa_header [data-testid="stMetricValue"]{font-size:1.05rem;line-height:1.2}
.st-key-fa_header [data-testid="stMetricLabel"]{font-size:.7rem;min-height:0}
.st-key-fa_header [data-testid="stMetricLabel"] p{font-size:.7rem}
@media (max-width: 640px){
  [data-testid="stMainBlockContainer"]{padding:3.7rem .5rem 2rem .5rem}
  .st-key-fa_title [data-testid="stCaptionContainer"]{display:none}
}
</style>"""


def page_style() -> None:
    """The page's compact style (a ``<style>`` element: it takes no room in the page)."""
    st.html(PAGE_CSS)


@contextmanager
def header(title: str, caption: str) -> Iterator[None]:
    """The one-line header: the title and caption, then whatever the ``with`` body adds.

    >>> with header("Frontline Atlas", "Syria, Nov-Dec 2024"):    # doctest: +SKIP
    ...     st.metric("Events", 5)
    """
    with st.container(key="fa_header", horizontal=True, vertical_alignment="center"):
        with st.container(key="fa_title"):
            st.title(title, anchor=False)
            st.caption(caption)
        yield


def notes(count: int, draw: Callable[[], None]) -> None:
    """The notes about the data and the view in a popover (nothing when there are none)."""
    if count:
        with st.popover(f"{count} note{'s' if count > 1 else ''}", icon=":material/info:"):
            draw()
