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

from ui.data import BASE_KEY, atlas_config, data_dir, date_range
from ui.sidebar import FilterOptions

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.atlas.join import AtlasData
    from geo.territory import ChangeReport, ControlSnapshot, TerritoryOptions

__all__ = [
    "area_table",
    "border_table",
    "changes",
    "data_countries",
    "filter_options",
    "snapshot",
    "territory_options",
]


def _folder() -> str:
    """The data folder and events file of this server: part of every cache key below, so
    that one process serving two folders (tests, a changed ``$FRONTLINE_DATA_DIR``) never
    mixes their results under the same atlas key."""
    import os

    return f"{data_dir()}|{os.environ.get('FRONTLINE_EVENTS_PARQUET', '')}"


def data_countries(frame: pd.DataFrame) -> tuple[str, ...]:
    """The ISO2 codes of the ``country`` column (Natural Earth's, from the join), sorted."""
    if "country" not in frame or frame.empty:
        return ()
    codes = frame["country"].dropna().astype(str).str.upper().unique()
    return tuple(sorted(c for c in codes if len(c) == 2 and c.isalpha()))


def territory_options(control: pd.DataFrame, *, areas: gpd.GeoDataFrame | None) -> TerritoryOptions:
    """The territory options: the defaults, the atlas's polygons, the control data's countries.

    Areas and frontlines are computed per country (each country's own Voronoi cells), for
    every country the control claims are in.
    """
    from geo.territory import TerritoryOptions

    countries = data_countries(control)
    if countries:
        return TerritoryOptions(polygons=areas, countries=countries)
    return TerritoryOptions(polygons=areas)


def _options(atlas: AtlasData) -> TerritoryOptions:
    return territory_options(atlas.control, areas=atlas.areas)


@st.cache_data(max_entries=16, show_spinner=False)
def _border_table(_atlas: AtlasData, key: str, folder: str) -> gpd.GeoDataFrame:
    """The international borders between the data's countries: ``key, label, geometry``.

    ``key`` is the sorted ISO2 pair (``IQ–SY``), ``label`` the countries' names; one row per
    pair of neighbours among the countries of the events and control claims.
    """
    from geo.borders import border_lines, country_shapes

    codes = tuple(sorted(set(data_countries(_atlas.events)) | set(data_countries(_atlas.control))))
    lines = border_lines(codes) if len(codes) >= 2 else border_lines(())
    names = dict(zip(country_shapes()["iso2"], country_shapes()["name"], strict=True))
    keys = ["–".join(pair) for pair in lines["countries"]]
    labels = [" – ".join(names.get(c, c) for c in pair) for pair in lines["countries"]]
    return lines.assign(key=keys, label=labels)[["key", "label", "length_km", "geometry"]]


def _sorted_text(values: pd.Series) -> tuple[str, ...]:
    """The distinct non-blank values, stripped and sorted (distinct first: a few dozen values
    of 385,000 rows are stripped, not every row)."""
    distinct = pd.Series(values.dropna().unique()).astype(str).str.strip()
    return tuple(sorted(set(distinct[distinct != ""])))


@st.cache_data(max_entries=32, show_spinner=False)
def _filter_options(_atlas: AtlasData, key: str, folder: str) -> FilterOptions:
    """The dates, factions, event types, countries and borders the atlas offers.

    Defaults come from the data folder's ``atlas.toml`` when it names them (countries,
    borders, default date), else from the data (everything; the last day).
    """
    from geo.view.periods import fitting_period

    min_date, max_date = date_range(_atlas)
    config, _ = atlas_config()
    factions = _atlas.factions
    known = [str(v) for v in factions["id"]]
    used = _sorted_text(
        pd.concat([pd.Series(_atlas.events["faction"].unique()), _atlas.control["faction"]])
    )
    # Factions the data uses first (an import brings the whole bundled table along).
    ids = tuple(dict.fromkeys([*[i for i in known if i in set(used)], *used, *known]))
    names = dict(zip(factions["id"].astype(str), factions["name"].astype(str), strict=True))
    countries = _sorted_text(_atlas.events["country"])
    borders = _border_table(_atlas, key, folder)
    border_keys = tuple(borders["key"])
    wanted = {"–".join(pair) for pair in config.borders}
    default_date = config.default_date
    if default_date is not None and not min_date <= default_date <= max_date:
        default_date = None
    return FilterOptions(
        min_date=min_date,
        max_date=max_date,
        factions=ids,
        faction_names=tuple((i, names.get(i, i)) for i in ids),
        event_types=_sorted_text(_atlas.events["event_type"]),
        countries=countries,
        borders=border_keys,
        border_names=tuple(zip(borders["key"], borders["label"], strict=True)),
        default_borders=tuple(k for k in border_keys if k in wanted) or border_keys,
        default_countries=tuple(c for c in countries if c in set(config.countries)) or countries,
        default_date=default_date,
        period=fitting_period(min_date, max_date),
        has_control=not (_atlas.control.empty and _atlas.areas.empty),
    )


@st.cache_data(max_entries=256, show_spinner=False)
def _snapshot(_atlas: AtlasData, key: str, folder: str, day: dt.date) -> ControlSnapshot:
    """Control points, areas and frontlines on ``day`` (the base atlas's from a disk cache)."""
    from geo.atlas.cache import fingerprint
    from geo.territory.snapshot import cached_snapshot, control_snapshot

    def build() -> ControlSnapshot:
        return control_snapshot(_atlas.control, date=day, options=_options(_atlas))

    # The store's keys name a store and its revision: valid across server restarts.
    disk_key = fingerprint(data_dir()) if key == BASE_KEY else key
    return cached_snapshot(disk_key, day, build=build)


@st.cache_data(max_entries=32, show_spinner="Measuring areas per day…")
def _area_table(
    _atlas: AtlasData, key: str, folder: str, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Area per faction (``date, faction, area_km2``) per day, or per fitting period."""
    from geo.territory import area_series
    from geo.view.periods import fitting_period, period_days

    if _atlas.control.empty and _atlas.areas.empty:  # event-only data: nothing to measure
        return pd.DataFrame(
            {c: pd.Series(dtype="float64") for c in ("area_km2", "uncertain_km2")}
        ).assign(date=pd.Series(dtype="datetime64[ns]"), faction=pd.Series(dtype="str"))[
            ["date", "faction", "area_km2", "uncertain_km2"]
        ]
    period = fitting_period(start, end)
    if period == "day":
        return area_series(_atlas.control, start=start, end=end, options=_options(_atlas))
    # Decades of control: one day per period (cells are memoised per set of points).
    days = period_days(start, end, period)
    parts = [
        area_series(_atlas.control, start=day, end=day, options=_options(_atlas)) for day in days
    ]
    return pd.concat(parts, ignore_index=True)


@st.cache_data(max_entries=64, show_spinner=False)
def _changes(
    _atlas: AtlasData, key: str, folder: str, start: dt.date, end: dt.date
) -> ChangeReport:
    """What changed hands between ``start`` and ``end``."""
    from geo.territory import change_between

    return change_between(_atlas.control, start, end, options=_options(_atlas))


def border_table(atlas: AtlasData, key: str) -> gpd.GeoDataFrame:
    """The international borders between the data's countries: ``key, label, geometry``."""
    return _border_table(atlas, key, _folder())


def filter_options(atlas: AtlasData, key: str) -> FilterOptions:
    """The dates, factions, event types, countries and borders the atlas offers."""
    return _filter_options(atlas, key, _folder())


def snapshot(atlas: AtlasData, key: str, day: dt.date) -> ControlSnapshot:
    """Control points, areas and frontlines on ``day`` (the base atlas's from a disk cache)."""
    return _snapshot(atlas, key, _folder(), day)


def area_table(atlas: AtlasData, key: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Area per faction (``date, faction, area_km2``) per day, or per fitting period."""
    return _area_table(atlas, key, _folder(), start, end)


def changes(atlas: AtlasData, key: str, start: dt.date, end: dt.date) -> ChangeReport:
    """What changed hands between ``start`` and ``end``."""
    return _changes(atlas, key, _folder(), start, end)


# The caches behind the public functions, cleared through them (tests, the warm-up's checks).
for _public, _cached in (
    (border_table, _border_table),
    (filter_options, _filter_options),
    (snapshot, _snapshot),
    (area_table, _area_table),
    (changes, _changes),
):
    _public.clear = _cached.clear  # type: ignore[attr-defined]
