"""The dashboard's side of the annotation store: which store, who may write, the atlas it holds.

The store (:mod:`geo.store`) is opened once per server (``st.cache_resource``) from
``$FRONTLINE_DB`` or the default file of the data folder; its materialised atlas is shared
read-only by every session and cached by the store's revision, so a change committed by one
session shows in every other on its next rerun. Writes go through :func:`can_write` (one check:
a client on this machine) and name their author with :func:`author`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import TYPE_CHECKING, Any

import streamlit as st

from ui.runtime import serving

if TYPE_CHECKING:
    from geo.atlas.join import AtlasData
    from geo.store import Store

__all__ = [
    "DRAFTS_KEY",
    "KNOWN_ON_KEY",
    "KNOWN_ON_SWITCH",
    "active_store",
    "author",
    "can_write",
    "client_host",
    "draft_frames",
    "known_on",
    "read_only_reason",
    "shows_drafts",
    "store_atlas",
    "store_key",
]

log = logging.getLogger(__name__)

DRAFTS_KEY = "show_drafts"
"""Session key of the "Show drafts" switch."""
KNOWN_ON_SWITCH = "as_known_on"
"""Session key of the "As known on a past day" switch."""
KNOWN_ON_KEY = "known_on"
"""Session key of that day."""


def _data_folder() -> str:
    """The data folder the store is seeded from (``$FRONTLINE_DATA_DIR`` or the bundled one)."""
    from geo.store.url import data_folder

    return str(data_folder())


@st.cache_resource(show_spinner="Opening the annotation store…")
def _open(url: str, folder: str) -> Store:
    from pathlib import Path

    from geo.store import open_store

    store = open_store(url, data_dir=Path(folder))
    log.info("annotation store %s (revision %d)", store.url, store.revision())
    return store


def active_store() -> Store:
    """This server's store: ``$FRONTLINE_DB``, else the data folder's own SQLite file.

    Opened (created, migrated, seeded from the data folder) once per server.
    """
    from geo.store import store_url

    folder = _data_folder()
    return _open(store_url(os.environ.get("FRONTLINE_DB") or None, data_dir=folder), folder)


@st.cache_resource(show_spinner="Loading annotations…", max_entries=6)
def _atlas(
    url: str, store_id: str, revision: int, drafts: bool, known_on: dt.date | None
) -> AtlasData:
    del url, store_id, revision  # the cache key: a commit gives a new revision
    return active_store().load_atlas(include_drafts=drafts, known_on=known_on)


def store_key(*, drafts: bool = False, known_on: dt.date | None = None) -> str:
    """A key naming the store's atlas at its current revision (for caches of derived data).

    One indexed read per call: a commit by any session gives a new key on the next rerun.
    """
    store = active_store()
    key = f"store-{store.store_id()}-r{store.revision()}" + ("-drafts" if drafts else "")
    return key + (f"-known-{known_on:%Y-%m-%d}" if known_on else "")


def store_atlas(*, drafts: bool = False, known_on: dt.date | None = None) -> AtlasData:
    """The store's atlas: reviewed rows (and drafts when ``drafts``), shared read-only; as the
    store knew it at the end of ``known_on`` when given (its history, not the map date)."""
    store = active_store()
    return _atlas(store.url, store.store_id(), store.revision(), drafts, known_on)


def known_on() -> dt.date | None:
    """The day this session asks the atlas "as known on" (``None``: as known now)."""
    if not st.session_state.get(KNOWN_ON_SWITCH):
        return None
    day = st.session_state.get(KNOWN_ON_KEY)
    return day if isinstance(day, dt.date) else None


def shows_drafts() -> bool:
    """True when this session's "Show drafts" switch is on."""
    return bool(st.session_state.get(DRAFTS_KEY, False))


def client_host() -> str | None:
    """The address of the browser this run serves (``None`` when unknown).

    Streamlit reports a loopback client (``127.0.0.1``, ``::1``) as no address; a session with
    a connection (it has request headers) and no address is therefore this machine's. Under
    ``AppTest`` and in bare Python no browser is connected: the run is this machine's.
    """
    if not serving():
        return "127.0.0.1"
    try:
        address = st.context.ip_address
        connected = bool(st.context.headers)
    except Exception:  # noqa: BLE001 - no request context: unknown (read-only)
        return None
    if address:
        return address
    return "127.0.0.1" if connected else None


def can_write() -> bool:
    """True when this session may change the store (the one write check of the dashboard)."""
    from geo.store import may_write

    return may_write(client_host())


def read_only_reason() -> str:
    """Why this session sees a read-only atlas, or ``""`` when it may write."""
    from geo.store import read_only_reason as reason

    return reason(client_host())


def author() -> str:
    """Who a write from this session is recorded as (until accounts exist: the dashboard user
    at the client's address)."""
    return f"dashboard@{client_host() or 'unknown'}"


@st.cache_data(max_entries=8, show_spinner=False)
def _draft_frames(_atlas: AtlasData, key: str) -> tuple[Any, Any]:
    del key  # names the store's revision
    store = active_store()
    events = store.rows("events", statuses=["draft"])["row_id"].astype(str)
    claims = store.rows("control", statuses=["draft"])["row_id"].astype(str)
    control = _atlas.control
    claim_key = (
        control["place"].astype(str)
        + "|"
        + control["valid_from"].dt.strftime("%Y-%m-%d")
        + "|"
        + control["faction"].astype(str)
    )
    return (
        _atlas.events[_atlas.events["id"].astype(str).isin(events)],
        control[claim_key.isin(claims)],
    )


def draft_frames(atlas: AtlasData, key: str) -> tuple[Any, Any]:
    """The draft events and draft control claims of ``atlas`` (the store's, with drafts).

    ``key`` is the atlas's :func:`store_key`; both frames are empty when nothing is a draft.
    """
    return _draft_frames(atlas, key)
