"""The dashboard's server: a warm-up at start and a route that reports it.

A fresh server used to do all its slow work when the first visitor connected: import pandas,
folium and ``geo`` (about 1 s), load the atlas, draw the first day's control areas and render
the base map — while the visitor waited. ``streamlit_app.py`` therefore also defines an
``st.App`` whose lifespan (:func:`lifespan`) starts :func:`warm_up` in a thread as the server
starts. It makes the same cached calls as a first page run with no query parameters, so that
run finds them done; a page run that arrives before the warm-up has finished waits for the
value being computed (Streamlit's cache locks) rather than computing it twice. A failed warm-up
only logs: the page then computes what it needs, and shows any error itself.

``GET /api/warm-up`` reports the warm-up as JSON (``state``, ``seconds``, ``steps``,
``error``): HTTP 503 while it runs, 200 once it has ended (``state`` is ``ready`` or
``failed``). ``FRONTLINE_WARM_UP=0`` turns the warm-up off.

>>> status().state in {"off", "pending", "warming", "ready", "failed"}
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ui.runtime import serving, set_serving, wait_for_first_paint

if TYPE_CHECKING:
    from geo.atlas.join import AtlasData

__all__ = [
    "ROUTES",
    "STEPS",
    "WarmUp",
    "lifespan",
    "start_warm_up",
    "status",
    "warm_up",
]

log = logging.getLogger(__name__)

THREAD_NAME = "frontline-warm-up"
State = Literal["off", "pending", "warming", "ready", "failed"]
#: The warm-up's steps, in order: what each prepares for the first page run.
STEPS: dict[str, str] = {
    "imports": "pandas, geopandas, folium, streamlit-folium and the modules of the first map",
    "atlas": "the base atlas (from its disk cache when the data did not change)",
    "first map": "the filter options, the last day's control areas and the base map",
    "figures": "the rest of the page's modules, the changes and the area series",
}


@dataclass(frozen=True)
class WarmUp:
    """Where the warm-up stands: ``steps`` maps each finished step to its seconds."""

    state: State
    steps: dict[str, float] = field(default_factory=dict)
    error: str | None = None

    @property
    def seconds(self) -> float:
        """Seconds spent so far."""
        return round(sum(self.steps.values()), 3)

    def as_json(self) -> dict[str, Any]:
        """The JSON of ``GET /api/warm-up``: ``state``, ``seconds``, ``steps``, ``error``."""
        return {
            "state": self.state,
            "seconds": self.seconds,
            "steps": dict(self.steps),
            "error": self.error,
        }


_lock = threading.Lock()
_status = WarmUp("pending")
#: Under ``streamlit run``, the figures step waits at most this long for the first visitor's
#: map to be drawn, so as not to slow down the serving of the map's scripts.
FIGURES_WAIT_S = 5.0


def _set(new: WarmUp) -> WarmUp:
    global _status
    with _lock:
        _status = new
    return new


def status() -> WarmUp:
    """The warm-up of this process as it stands."""
    with _lock:
        return _status


def _import_page_modules() -> None:
    """What a first page run imports before its map (the rest comes with the figures step)."""
    import geopandas  # noqa: F401
    import pandas  # noqa: F401
    import streamlit_folium  # noqa: F401

    from geo.view import filters  # noqa: F401
    from ui import derived, firstpaint, mapview  # noqa: F401


def _first_view(atlas: AtlasData) -> tuple[dt.date, dt.date]:
    """Draw what a first page run draws with no query parameters; return the data's range."""
    from ui import derived, mapview
    from ui.data import base_key

    key = base_key()

    options = derived.filter_options(atlas, key)
    derived.snapshot(atlas, key, options.max_date)  # the map date starts on the last day
    mapview.prepared_base_map(atlas)
    return options.min_date, options.max_date


def _figures(atlas: Any, first: dt.date, last: dt.date) -> None:
    from ui import article, derived, ingest, panels  # noqa: F401  (the rest of the page)
    from ui.data import base_key

    key = base_key()

    derived.changes(atlas, key, first, last)  # the event window starts as the whole range
    derived.area_table(atlas, key, first, last)  # needed only once the map is drawn


def warm_up() -> WarmUp:
    """Run every step of the warm-up in this thread; return how it went (never raises).

    Examples
    --------
    >>> warm_up().state  # doctest: +SKIP
    'ready'
    """
    from ui.data import default_atlas

    done: dict[str, float] = {}
    _set(WarmUp("warming"))

    def timed(name: str, work: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        result = work(*args)
        done[name] = round(time.perf_counter() - started, 3)
        _set(WarmUp("warming", dict(done)))
        return result

    try:
        timed("imports", _import_page_modules)
        atlas = timed("atlas", default_atlas)
        first, last = timed("first map", _first_view, atlas)
        if serving():  # not timed: nothing is being computed
            wait_for_first_paint(FIGURES_WAIT_S)
        timed("figures", _figures, atlas, first, last)
    except Exception as err:  # the page will compute (and report) it on its own
        name = next(step for step in STEPS if step not in done)
        log.warning("warm-up step %r failed: %s", name, err, exc_info=True)
        return _set(WarmUp("failed", dict(done), f"{name}: {err}"))
    log.info("warm-up done in %.2f s: %s", sum(done.values()), done)
    return _set(WarmUp("ready", dict(done)))


class _WarmUpThreadFilter(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warnings raised by the warm-up thread."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != THREAD_NAME


def start_warm_up() -> threading.Thread | None:
    """Start :func:`warm_up` in a daemon thread, unless ``FRONTLINE_WARM_UP=0``."""
    if os.environ.get("FRONTLINE_WARM_UP", "").strip().lower() in ("0", "false", "no", "off"):
        _set(WarmUp("off"))
        return None
    context_log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    context_log.addFilter(_WarmUpThreadFilter())
    thread = threading.Thread(target=warm_up, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """``st.App`` lifespan: start the warm-up once the Streamlit runtime is up."""
    set_serving(True)
    start_warm_up()
    try:
        yield
    finally:
        set_serving(False)


async def _warm_up_route(_request: Any) -> Any:
    from starlette.responses import JSONResponse

    current = status()
    code = 503 if current.state in ("pending", "warming") else 200
    return JSONResponse(current.as_json(), status_code=code)


def _routes() -> list[Any]:
    from starlette.routing import Route

    return [Route("/api/warm-up", _warm_up_route, methods=["GET"])]


ROUTES = _routes()
"""Routes served beside Streamlit's own: ``GET /api/warm-up``."""
