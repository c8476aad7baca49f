"""Data at the edge of the app: the atlas of the annotation store, shared by every session.

The atlas (gazetteer, events, control) is the store's (:mod:`ui.store`): reviewed rows, or
reviewed and draft rows for a session whose "Show drafts" switch is on. It is a read-only
``st.cache_resource`` (a ``st.cache_data`` hit would copy a large GeoDataFrame on every rerun),
named by a key that changes with every committed write (:func:`atlas_key`), so derived results
(control snapshots, area series) are cached per atlas version without hashing frames.
``$FRONTLINE_EVENTS_PARQUET`` (benchmarks) reads the data folder's files instead of the store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.atlas.config import AtlasConfig
    from geo.atlas.join import AtlasData
    from geo.io.issues import Issue
    from geo.places.geocode import Geocoder

__all__ = [
    "BASE_KEY",
    "ROOT",
    "atlas_config",
    "atlas_key",
    "base_atlas",
    "base_key",
    "basemap_inputs",
    "current_atlas",
    "data_dir",
    "date_range",
    "default_atlas",
    "geocoder",
    "install_assets",
    "is_offline",
    "static_layers",
]

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
BASE_KEY = "base"
"""The atlas key of the data folder's files read directly (``$FRONTLINE_EVENTS_PARQUET``)."""


def is_offline() -> bool:
    """True when ``FRONTLINE_OFFLINE`` asks for no request to leave the machine."""
    return os.environ.get("FRONTLINE_OFFLINE", "").strip().lower() not in ("", "0", "false", "no")


def data_dir() -> Path:
    """The annotations folder: ``$FRONTLINE_DATA_DIR`` or the bundled ``data/``."""
    return Path(os.environ.get("FRONTLINE_DATA_DIR") or ROOT / "data")


@st.cache_resource(show_spinner=False)
def install_assets() -> Path:
    """Copy Leaflet and friends into ``./static/vendor`` once per server (served at /app/static)."""
    from geo.maps.assets import install_static

    return install_static(ROOT / "static")


@st.cache_resource(show_spinner="Loading the gazetteer…")
def geocoder(folder: str) -> Geocoder:
    """The offline geocoder, shared read-only by every session."""
    from geo.places.geocode import load_geocoder

    return load_geocoder(data_dir=Path(folder))


@st.cache_resource(show_spinner="Loading annotations…")
def base_atlas(folder: str, events_parquet: str | None) -> AtlasData:
    """The bundled atlas; ``events_parquet`` (from ``$FRONTLINE_EVENTS_PARQUET``) replaces events.

    Shared read-only by every session: never mutate what this returns.
    """
    from geo.atlas.load import load_atlas

    # The default geocoder, so that load_atlas can answer from its disk cache (a cold start
    # then skips the gazetteer and the join); ingest and article load geocoder() on demand.
    atlas = load_atlas(Path(folder))
    if events_parquet:
        import geopandas as gpd

        events = gpd.read_parquet(events_parquet).to_crs(4326)
        events["date"] = events["date"].astype("datetime64[ns]")
        atlas = dataclasses.replace(atlas, events=events)
        log.info("events replaced by %s (%d rows)", events_parquet, len(events))
    return atlas


def basemap_inputs() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Country shapes and town labels of the offline basemap, read once per server.

    The labels are the biggest towns of the server's data extent (the world gazetteer's
    GeoNames cities), wherever the data is.
    """
    parquet = os.environ.get("FRONTLINE_EVENTS_PARQUET") or ""
    return _basemap_inputs(str(data_dir()), parquet)


@st.cache_resource(show_spinner=False)
def _basemap_inputs(folder: str, parquet: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """:func:`basemap_inputs` of one data folder (and events file)."""
    from geo.atlas.config import data_extent
    from geo.borders import country_shapes
    from geo.maps.layers.basemap import default_labels

    atlas = default_atlas()
    extent = data_extent([atlas.events, atlas.control])
    if extent is not None:  # and around it, for a user who pans or zooms out a little
        west, south, east, north = extent
        pad = max(2.0, (east - west) / 4, (north - south) / 4)
        extent = (max(west - pad, -180.0), max(south - pad, -85.0),
                  min(east + pad, 180.0), min(north + pad, 85.0))  # fmt: skip
    return country_shapes(), default_labels(extent=extent)


basemap_inputs.clear = _basemap_inputs.clear  # type: ignore[attr-defined]


def static_layers() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """Border lines and border crossings (held-by as of the latest claim): the base map's."""
    parquet = os.environ.get("FRONTLINE_EVENTS_PARQUET") or ""
    return _static_layers(str(data_dir()), parquet)


@st.cache_resource(show_spinner=False)
def _static_layers(folder: str, parquet: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """:func:`static_layers` of one data folder (and events file), once per server."""
    from geo.borders import DEFAULT_BORDER_COUNTRIES, border_lines
    from geo.places.gazetteer import read_places_table
    from geo.territory.crossings import border_crossings

    atlas = default_atlas()
    codes = {
        c
        for frame in (atlas.events, atlas.control)
        for c in frame["country"].dropna().astype(str).str.upper().unique()
        if len(c) == 2 and c.isalpha()
    }
    # The data's countries (the bundled ones keep the region's usual eight).
    if codes & set(DEFAULT_BORDER_COUNTRIES) or len(codes) < 2:
        codes |= set(DEFAULT_BORDER_COUNTRIES)
    places_csv = data_dir() / "places.csv"
    crossings = None
    if places_csv.is_file():
        crossings = border_crossings(read_places_table(places_csv), default_atlas().control)
    return border_lines(tuple(sorted(codes))), crossings


@st.cache_resource(show_spinner=False)
def _config(folder: str, mtime: float) -> tuple[AtlasConfig, tuple[Issue, ...]]:
    from geo.atlas.config import read_atlas_config

    config, issues = read_atlas_config(Path(folder))
    return config, tuple(issues)


def atlas_config() -> tuple[AtlasConfig, tuple[Issue, ...]]:
    """The data folder's ``atlas.toml`` (title, countries, borders, default date) and its issues."""
    path = data_dir() / "atlas.toml"
    return _config(str(data_dir()), path.stat().st_mtime if path.is_file() else 0.0)


def _from_files() -> str | None:
    """The events file that replaces the store (``$FRONTLINE_EVENTS_PARQUET``), if any."""
    return os.environ.get("FRONTLINE_EVENTS_PARQUET") or None


def default_atlas() -> AtlasData:
    """The atlas every session starts with: the store's reviewed rows (shared, read-only).

    With ``$FRONTLINE_EVENTS_PARQUET`` set, the data folder's files with those events instead.
    """
    parquet = _from_files()
    if parquet:
        return base_atlas(str(data_dir()), parquet)
    from ui.store import store_atlas

    return store_atlas()


def base_key() -> str:
    """The key of :func:`default_atlas` (changes with every committed write to the store)."""
    if _from_files():
        return BASE_KEY
    from ui.store import store_key

    return store_key()


def current_atlas() -> AtlasData:
    """This session's atlas: the store's reviewed rows, its drafts if the session shows them,
    as known on a past day if the session asks."""
    from ui.store import known_on, shows_drafts, store_atlas

    if _from_files() or (not shows_drafts() and known_on() is None):
        return default_atlas()
    return store_atlas(drafts=shows_drafts(), known_on=known_on())


def atlas_key() -> str:
    """A key that changes whenever this session's atlas does (for caches of derived data)."""
    from ui.store import known_on, shows_drafts, store_key

    if _from_files():
        return BASE_KEY
    return store_key(drafts=shows_drafts(), known_on=known_on())


def date_range(atlas: AtlasData) -> tuple[dt.date, dt.date]:
    """The days the dashboard offers: from the first event to the last event or control change.

    Control baselines can be old (a town held since 2017); they do not stretch the range back.
    Without events, the control claims' own range is used; with no data at all, today.
    """
    import pandas as pd

    events = pd.to_datetime(atlas.events["date"], errors="coerce").dropna()
    claims = pd.to_datetime(atlas.control["valid_from"], errors="coerce").dropna()
    if "end_date" in atlas.events.columns:
        ends = pd.to_datetime(atlas.events["end_date"], errors="coerce").dropna()
    else:
        ends = events.iloc[0:0]
    if events.empty and claims.empty:
        today = dt.date.today()
        return today, today
    first = events.min() if not events.empty else claims.min()
    last = max(s.max() for s in (events, claims, ends) if not s.empty)
    return first.date(), max(first, last).date()
