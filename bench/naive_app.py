"""The naive peer of the browser benchmark: a plain ``st_folium`` app that rebuilds the map.

What most Streamlit map apps do: on every rerun, filter the events, build the whole folium
map (basemap, borders, control areas, frontlines, events) and hand it to ``st_folium``,
which sends the whole page of the map again and remounts its iframe. It reads the same data
as the dashboard (``FRONTLINE_EVENTS_PARQUET`` included) and has the same controls the
benchmark clicks: the map date's ◀ button, the faction filter and the map-bounds switch.

Run with ``streamlit run bench/naive_app.py`` (``bench/browser.py`` does).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.maps.assets import install_static, localize
from geo.maps.build import build_map
from geo.view.filters import filter_events, within_box
from ui import derived
from ui.data import atlas_key, basemap_inputs, current_atlas, static_layers


def main() -> None:
    """One rerun: filters, the whole map rebuilt, ``st_folium``."""
    from streamlit_folium import st_folium

    atlas = current_atlas()
    key = atlas_key()
    options = derived.filter_options(atlas, key)
    state = st.session_state
    asked = st.query_params.get("date")
    state.setdefault(
        "day", dt.date.fromisoformat(asked) if asked else options.default_date or options.max_date
    )
    state.setdefault("factions", list(options.factions))
    if st.sidebar.button("◀", key="step_back"):
        state["day"] = max(options.min_date, state["day"] - dt.timedelta(days=1))
    st.sidebar.multiselect("Factions", list(options.factions), key="factions")
    in_view = st.toggle("Only what the map shows", key="in_view")
    day: dt.date = state["day"]
    st.caption(f"Map date {day:%Y-%m-%d}")
    events = filter_events(
        atlas.events,
        start=pd.Timestamp(options.min_date),
        end=pd.Timestamp(options.max_date),
        factions=tuple(state["factions"]),
    )
    snap = derived.snapshot(atlas, key, day)
    borders, crossings = static_layers()
    countries, labels = basemap_inputs()
    fmap = build_map(
        events=events,
        areas=snap.areas,
        frontlines=snap.frontlines,
        borders=borders,
        crossings=crossings,
        factions=atlas.factions,
        offline=True,
        max_points=2_000,
        countries=countries,
        labels=labels,
    )
    install_static(Path(__file__).parent / "static")  # served at /app/static, as ours
    # st_folium's default value calls folium's get_bounds, which fails (KeyError) on the
    # basemap's GeometryCollections; the value's bounds come from the browser anyway.
    fmap.get_bounds = lambda: [[None, None], [None, None]]
    value = st_folium(
        localize(fmap), height=650, use_container_width=True, returned_objects=["bounds"]
    )
    box = (value or {}).get("bounds") if in_view else None
    if box and box.get("_southWest"):
        south_west, north_east = box["_southWest"], box["_northEast"]
        events = within_box(
            events,
            (south_west["lng"], south_west["lat"], north_east["lng"], north_east["lat"]),
        )
    st.metric("Events", f"{len(events):,}")


st.set_page_config(page_title="Naive peer", layout="wide")
main()
