"""Compare mode: control on two dates, a swipe between them, what changed hands, in km².

``?compare=YYYY-MM-DD`` (stable) opens it; the map date (``date``) is the other date. The
switch and the second date sit in the header; the km² per faction (equal-area, from
:func:`geo.territory.change_between`) come below the map.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

if TYPE_CHECKING:
    from geo.territory import ChangeReport
    from ui.sidebar import FilterOptions, Filters

__all__ = [
    "QUERY_KEY",
    "CompareView",
    "compare_params",
    "compare_view",
    "init_compare",
    "render_compare_figures",
    "render_compare_switch",
]

QUERY_KEY = "compare"


@dataclass(frozen=True)
class CompareView:
    """The two dates (``a``: the compare date, ``b``: the map date), the change between the
    earlier and the later one, and the map's feature groups."""

    a: dt.date
    b: dt.date
    report: ChangeReport
    groups: tuple[Any, ...]


def init_compare(options: FilterOptions) -> None:
    """Read ``?compare=`` once per session; a bad value is reported and leaves the mode off."""
    state = st.session_state
    if "compare_loaded" in state:
        return
    state["compare_loaded"] = True
    raw = st.query_params.get(QUERY_KEY)
    state["compare_on"] = False
    state["compare_date"] = options.min_date
    if not raw:
        return
    try:
        day = dt.date.fromisoformat(str(raw))
    except ValueError:
        problem = f"compare={raw!r} is not a date (YYYY-MM-DD): compare mode is off."
        state["view_problems"] = (*state.get("view_problems", ()), problem)
        return
    state["compare_on"] = True
    state["compare_date"] = min(max(day, options.min_date), options.max_date)


def render_compare_switch(options: FilterOptions) -> bool:
    """The compare switch and, when on, the second date; return whether compare mode is on.

    Call :func:`init_compare` first (before the URL is written).
    """
    on = st.toggle("Compare", key="compare_on", help="Control on two dates, and what changed")
    if on:
        st.date_input(
            "Compare with",
            key="compare_date",
            min_value=options.min_date,
            max_value=options.max_date,
            format="YYYY-MM-DD",
            width=150,
            label_visibility="collapsed",
        )
    return bool(on)


def compare_params() -> dict[str, str | None]:
    """The compare mode's query parameter (``None``, i.e. removed, when the mode is off)."""
    state = st.session_state
    if state.get("compare_on") and isinstance(state.get("compare_date"), dt.date):
        return {QUERY_KEY: state["compare_date"].isoformat()}
    return {QUERY_KEY: None}


def compare_view(atlas: Any, key: str, filters: Filters, options: FilterOptions) -> CompareView:
    """What the compare mode draws: both dates' areas, the swipe, the hatched changes."""
    from geo.maps.layers.compare import compare_layer
    from ui import derived

    a = st.session_state["compare_date"]
    b = filters.date
    first, last = sorted((a, b))
    report = derived.changes(atlas, key, first, last)
    group = compare_layer(
        areas_a=derived.snapshot(atlas, key, a).areas,
        areas_b=derived.snapshot(atlas, key, b).areas,
        changes=report.polygons,
        factions=atlas.factions,
        label_a=f"{a:%Y-%m-%d}",
        label_b=f"{b:%Y-%m-%d}",
    )
    return CompareView(a=a, b=b, report=report, groups=(group,))


def render_compare_figures(view: CompareView, *, factions: pd.DataFrame) -> None:
    """Area gained, lost and net per faction between the two dates (km², equal-area)."""
    names = dict(zip(factions["id"].astype(str), factions["name"].astype(str), strict=True))
    table = view.report.factions.copy()
    table = table[(table["gained_km2"] > 0) | (table["lost_km2"] > 0)]
    first, last = sorted((view.a, view.b))
    st.caption(
        f"Changed hands between {first:%d %b %Y} and {last:%d %b %Y} (km², equal-area): "
        "hatched on the map, rising stripes gained, falling stripes lost."
    )
    if table.empty:
        st.caption("No area changed hands between the two dates.")
        return
    table["faction"] = table["faction"].map(lambda f: names.get(f, f))
    st.dataframe(
        table.round(0),
        hide_index=True,
        column_config={
            "faction": "Faction",
            "gained_km2": st.column_config.NumberColumn("Gained (km²)", format="%.0f"),
            "lost_km2": st.column_config.NumberColumn("Lost (km²)", format="%.0f"),
            "net_km2": st.column_config.NumberColumn("Net (km²)", format="%+.0f"),
        },
        key="compare_table",
    )
