"""Whether ``streamlit run`` is serving this process, and whether a first map has been drawn.

The state that the server's warm-up (:mod:`ui.server`) and the page's first paint
(:mod:`ui.firstpaint`) share: two process-wide flags, so that neither imports the other.

>>> serving()
False
"""

from __future__ import annotations

import threading

__all__ = ["first_paint_over", "serving", "set_serving", "wait_for_first_paint"]

_serving = threading.Event()
_first_paint_over = threading.Event()


def serving() -> bool:
    """True while ``streamlit run`` serves the app to browsers (between start and shutdown).

    False under ``AppTest`` and in bare Python, where no browser draws the page.
    """
    return _serving.is_set()


def set_serving(on: bool) -> None:
    """Mark the start (``True``) or the end (``False``) of serving; called by the lifespan."""
    if on:
        _serving.set()
    else:
        _serving.clear()


def first_paint_over() -> None:
    """Tell the warm-up that a visitor's first map has been drawn (:mod:`ui.firstpaint`).

    Under ``streamlit run`` the warm-up computes the first map, then waits for this (at most
    :data:`ui.server.FIGURES_WAIT_S`) before its last step: on two cores, computing the figures
    while the server sends the map's scripts to the first visitor's browser made that map a
    second later.
    """
    _first_paint_over.set()


def wait_for_first_paint(timeout_s: float) -> bool:
    """Wait until :func:`first_paint_over` was called, at most ``timeout_s``; True if it was."""
    return _first_paint_over.wait(timeout_s)
