"""Small results derived from the atlas, cached per atlas version (never by hashing frames).

Each function takes the atlas as ``_atlas`` (an underscore: Streamlit does not hash it) and the
atlas key from :func:`ui.data.atlas_key`, which changes whenever the session's data does.
Results are small (a day's control areas, a per-day area table), so ``st.cache_data`` copies
are cheap.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from ui.data import BASE_KEY, data_dir, date_range
from ui.sidebar import FilterOptions

if TYPE_CHECKING:
    from geo.atlas.join import AtlasData
    from geo.territory import ChangeReport, ControlSnapshot, TerritoryOptions

__all__ = ["area_table", "changes", "filter_options", "snapshot"]


def _options(atlas: AtlasData) -> TerritoryOptions:
    """The territory options of the dashboard: the defaults, with the atlas's own polygons."""
    from geo.territory import TerritoryOptions

    return TerritoryOptions(polygons=atlas.areas)


def _sorted_text(values: pd.Series) -> tuple[str, ...]:
    clean = values.dropna().astype(str).str.strip()
    return tuple(sorted(set(clean[clean != ""])))


@st.cache_data(max_entries=32, show_spinner=False)
def filter_options(_atlas: AtlasData, key: str) -> FilterOptions:
    """The dates, factions, event types and countries the atlas offers."""
    min_date, max_date = date_range(_atlas)
    factions = _atlas.factions
    known = [str(v) for v in factions["id"]]
    used = _sorted_text(pd.concat([_atlas.events["faction"], _atlas.control["faction"]]))
    ids = tuple(dict.fromkeys([*known, *used]))
    names = dict(zip(factions["id"].astype(str), factions["name"].astype(str), strict=True))
    return FilterOptions(
        min_date=min_date,
        max_date=max_date,
        factions=ids,
        faction_names=tuple((i, names.get(i, i)) for i in ids),
        event_types=_sorted_text(_atlas.events["event_type"]),
        countries=_sorted_text(_atlas.events["country"]),
    )


@st.cache_data(max_entries=256, show_spinner=False)
def snapshot(_atlas: AtlasData, key: str, day: dt.date) -> ControlSnapshot:
    """Control points, areas and frontlines on ``day`` (the base atlas's from a disk cache)."""
    from geo.atlas.cache import fingerprint
    from geo.territory.snapshot import cached_snapshot, control_snapshot

    def build() -> ControlSnapshot:
        return control_snapshot(_atlas.control, date=day, options=_options(_atlas))

    if key != BASE_KEY:  # a session's uploads changed the data: not what the disk cache holds
        return build()
    return cached_snapshot(fingerprint(data_dir()), day, build=build)


@st.cache_data(max_entries=32, show_spinner="Measuring areas per day…")
def area_table(_atlas: AtlasData, key: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Area per faction per day (``date, faction, area_km2``) over the data's range."""
    from geo.territory import area_series

    return area_series(_atlas.control, start=start, end=end, options=_options(_atlas))


@st.cache_data(max_entries=64, show_spinner=False)
def changes(_atlas: AtlasData, key: str, start: dt.date, end: dt.date) -> ChangeReport:
    """What changed hands between ``start`` and ``end``."""
    from geo.territory import change_between

    return change_between(_atlas.control, start, end, options=_options(_atlas))
