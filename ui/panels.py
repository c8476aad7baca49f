"""The main column's panels: key figures, charts, the events table, details and downloads."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from geo.io.exports import events_to_csv_bytes, events_to_geojson_bytes
from ui.sidebar import Filters
from ui.text import md_text

if TYPE_CHECKING:
    from geo.territory import ChangeReport

__all__ = [
    "MAX_TABLE_ROWS",
    "render_area_chart",
    "render_area_figures",
    "render_details",
    "render_downloads",
    "render_events_chart",
    "render_key_figures",
    "render_table",
]

MAX_TABLE_ROWS = 5_000  # the table shows the newest rows; downloads hold every row shown
TABLE_COLUMNS = (
    "date", "place", "faction", "faction2", "event_type", "sub_event_type", "description",
    "source", "source_url", "claimant", "confidence", "geo_confidence", "country", "id",
)  # fmt: skip
MAX_AREA_METRICS = 6


def _names(factions: pd.DataFrame) -> dict[str, str]:
    return dict(zip(factions["id"].astype(str), factions["name"].astype(str), strict=True))


def _changed_count(change: ChangeReport) -> int:
    """Number of places that changed hands in a :class:`geo.territory.ChangeReport`."""
    return int(change.changed_hands["place"].nunique())


def render_key_figures(
    shown: pd.DataFrame, *, filters: Filters, change: ChangeReport | None
) -> None:
    """Events shown and places that changed hands in the event window, side by side.

    ``change`` is ``None`` on a session's first paint: the second figure comes with the rest
    of the page (the header holds it; nothing below moves when it appears).
    """
    with st.container(horizontal=True, key="fa_figures", width="content"):
        st.metric("Events", f"{len(shown):,}", help="Events matching every filter", width=88)
        if change is None:
            return
        st.metric(
            "Places changed hands",
            _changed_count(change),
            help=f"Places that changed hands between {filters.start:%d %b %Y} and "
            f"{filters.end:%d %b %Y}",
            width=140,
        )


def render_area_figures(filters: Filters, *, areas: pd.DataFrame, factions: pd.DataFrame) -> None:
    """Area per faction on the map date, with its change since the window's first day."""
    if areas.empty:
        return
    day = pd.Timestamp(filters.date)
    since = pd.Timestamp(filters.start)
    table = areas.pivot_table(index="date", columns="faction", values="area_km2", aggfunc="sum")
    table = table.fillna(0.0)
    if day not in table.index:
        return
    now = table.loc[day]
    before = table.loc[since] if since in table.index else now * 0
    names = _names(factions)
    top = now[(now > 0) | (before > 0)].sort_values(ascending=False).head(MAX_AREA_METRICS)
    if top.empty:
        return
    st.caption(
        f"Area held on {filters.date:%d %b %Y} (km², equal-area), change since {filters.start:%d %b %Y}"
    )
    for column, (faction, km2) in zip(st.columns(len(top)), top.items(), strict=True):
        column.metric(
            f"{names.get(str(faction), str(faction))} (km²)",
            f"{km2:,.0f}",
            delta=f"{km2 - before.get(faction, 0.0):+,.0f}",
        )


def _faction_scale(ids: pd.Series, factions: pd.DataFrame) -> dict[str, list[str]]:
    """A Vega-Lite colour scale: each faction's name and its own colour (grey if unknown)."""
    names = _names(factions)
    colours = dict(zip(factions["id"].astype(str), factions["colour"].astype(str), strict=True))
    present = list(dict.fromkeys(ids.astype(str)))
    return {
        "domain": [names.get(f, f) for f in present],
        "range": [colours.get(f, "#888888") for f in present],
    }


def _chart(data: pd.DataFrame, spec: dict[str, Any], *, key: str) -> None:
    """A Vega-Lite chart from a plain spec (no Altair object built and validated per rerun)."""
    st.vega_lite_chart(data, spec, width="stretch", key=key)


def _kept(key: str | None, build: Callable[[], Any]) -> Any:
    """``build()``, kept per ``key`` (the events shown: the atlas, the filters, the view)."""
    from ui.mapview import memo

    return memo(key, build)


def _event_counts(
    shown: pd.DataFrame, factions: pd.DataFrame
) -> tuple[str, pd.DataFrame, dict[str, list[str]]]:
    """The chart's period, its counts per period and faction (named) and its colour scale."""
    from geo.view.periods import fitting_period, period_floor

    period = fitting_period(shown["date"].min().date(), shown["date"].max().date())
    counts = (
        shown.groupby([period_floor(shown["date"], period), shown["faction"].astype(str)])
        .size()
        .rename("events")
        .reset_index()
    )
    scale = _faction_scale(counts["faction"], factions)
    counts["faction"] = counts["faction"].map(_names(factions)).fillna(counts["faction"])
    counts["date"] = counts["date"].dt.strftime("%Y-%m-%d")
    return period, counts, scale


def render_events_chart(
    shown: pd.DataFrame, *, factions: pd.DataFrame, key: str | None = None
) -> None:
    """Events per day, week, month or year (what fits the range), stacked by faction.

    ``key`` names ``shown`` (with the factions table): the counts are then computed once per
    key, not on every rerun (a date step keeps them).
    """
    if shown.empty:
        st.subheader("Events per day")
        st.info("No events match the filters.")
        return
    period, counts, scale = _kept(
        None if key is None else f"chart-counts\n{key}", lambda: _event_counts(shown, factions)
    )
    st.subheader(f"Events per {period}")
    unit = {"day": "yearmonthdate", "week": "yearmonthdate", "month": "yearmonth"}.get(
        period, "year"
    )
    _chart(
        counts,
        {
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "x": {"field": "date", "type": "temporal", "timeUnit": unit, "title": None},
                "y": {"field": "events", "type": "quantitative", "stack": "zero"},
                "color": {"field": "faction", "type": "nominal", "scale": scale,
                          "legend": {"orient": "bottom", "columns": 2}},
            },
        },
        key="events_chart",
    )  # fmt: skip


def render_area_chart(areas: pd.DataFrame, *, factions: pd.DataFrame) -> None:
    """Area per faction over time."""
    st.subheader("Area held per faction (km²)")
    if areas.empty:
        st.info("No control data in this range.")
        return
    table = areas.groupby(["date", areas["faction"].astype(str)], as_index=False)["area_km2"].sum()
    scale = _faction_scale(table["faction"], factions)
    table["faction"] = table["faction"].map(_names(factions)).fillna(table["faction"])
    table["date"] = pd.to_datetime(table["date"]).dt.strftime("%Y-%m-%d")
    table["area_km2"] = table["area_km2"].round(0)
    _chart(
        table,
        {
            "mark": {"type": "line", "point": False, "tooltip": True},
            "encoding": {
                "x": {"field": "date", "type": "temporal", "title": None},
                "y": {"field": "area_km2", "type": "quantitative", "title": "km²"},
                "color": {"field": "faction", "type": "nominal", "scale": scale,
                          "legend": {"orient": "bottom", "columns": 2}},
            },
        },
        key="area_chart",
    )  # fmt: skip


def _safe_links(urls: pd.Series) -> pd.Series:
    """Keep http(s) links only: a ``javascript:`` URL from an upload must not become a link."""
    text = urls.astype("str").fillna("")
    return text.where(text.str.match(r"(?i)^https?://"), None)


def _table_rows(shown: pd.DataFrame, factions: pd.DataFrame) -> pd.DataFrame:
    """The table's rows: the newest :data:`MAX_TABLE_ROWS` of ``shown``, factions named,
    only ``http(s)`` links."""
    columns = [c for c in TABLE_COLUMNS if c in shown.columns]
    # Sort the dates alone, then take the newest rows: not a copy and sort of every column.
    newest = shown["date"].reset_index(drop=True).sort_values(ascending=False, kind="stable")
    table = pd.DataFrame(shown.iloc[newest.index[:MAX_TABLE_ROWS]][columns])
    names = _names(factions)
    for column in ("faction", "faction2"):
        if column in table.columns:
            table[column] = table[column].map(lambda v: names.get(v, v), na_action="ignore")
    if "source_url" in table.columns:
        table["source_url"] = _safe_links(table["source_url"])
    return table


def render_table(shown: pd.DataFrame, *, factions: pd.DataFrame, key: str | None = None) -> None:
    """The events shown, newest first, sortable, with their source links.

    ``key`` names ``shown`` (with the factions table): the rows are then taken once per key,
    not on every rerun (a date step keeps them).
    """
    st.subheader("Events shown")
    if len(shown) > MAX_TABLE_ROWS:
        st.caption(
            f"Showing the newest {MAX_TABLE_ROWS:,} of {len(shown):,} events; "
            "the downloads hold them all."
        )
    table = _kept(
        None if key is None else f"table-rows\n{key}", lambda: _table_rows(shown, factions)
    )
    if "source_url" in table.columns:
        missing = table["source_url"].isna().sum()
        if missing:
            st.caption(
                f"{missing:,} of {len(table):,} events shown have no link to their report "
                "(the source column names it; rows whose source starts with 'Inference' rest "
                "on reports of other places)."
            )
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "source_url": st.column_config.LinkColumn("Source link", display_text="open"),
            "claimant": st.column_config.TextColumn("Claimed by"),
            "confidence": st.column_config.NumberColumn("Confidence", format="%.2f"),
            "geo_confidence": st.column_config.NumberColumn("Geo confidence", format="%.2f"),
        },
        key="events_table",
    )


def downloads_for(shown: pd.DataFrame, *, map_html: Callable[[], str]) -> dict[str, Callable]:
    """Deferred download payloads: each runs only when its button is clicked."""
    return {
        "csv": lambda: events_to_csv_bytes(shown),
        "geojson": lambda: events_to_geojson_bytes(shown),
        "html": lambda: map_html().encode("utf-8"),
    }


def render_downloads(shown: pd.DataFrame, *, filters: Filters, map_html: Callable[[], str]) -> None:
    """Download buttons for the events shown (CSV, GeoJSON) and the current map (HTML).

    The payloads are generated on click (deferred), so reruns stay fast; the same callables are
    kept in ``st.session_state["downloads"]`` for tests.
    """
    payloads = downloads_for(shown, map_html=map_html)
    st.session_state["downloads"] = payloads
    stem = f"frontline-atlas_{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
    csv_col, json_col, html_col = st.columns(3)
    csv_col.download_button(
        "Events (CSV)", data=payloads["csv"], file_name=f"{stem}.csv", mime="text/csv",
        on_click="ignore", key="download_csv",
    )  # fmt: skip
    json_col.download_button(
        "Events (GeoJSON)", data=payloads["geojson"], file_name=f"{stem}.geojson",
        mime="application/geo+json", on_click="ignore", key="download_geojson",
    )  # fmt: skip
    html_col.download_button(
        "Map (HTML)", data=payloads["html"], file_name=f"frontline-atlas_{filters.date:%Y%m%d}.html",
        mime="text/html", on_click="ignore", key="download_html",
    )  # fmt: skip


def _nearest(frame: pd.DataFrame, *, lat: float, lon: float, tolerance_deg: float) -> pd.DataFrame:
    """Rows whose (lat, lon) lie within ``tolerance_deg`` of the clicked point (a pick, not a
    measurement)."""
    if frame.empty or "lat" not in frame.columns:
        return frame.iloc[0:0]
    distance = (frame["lat"] - lat).abs() + (frame["lon"] - lon).abs()
    return frame[distance <= tolerance_deg]


def render_details(
    clicked: Mapping[str, Any] | None,
    *,
    shown: pd.DataFrame,
    points: pd.DataFrame,
    factions: pd.DataFrame,
) -> None:
    """Details of the event(s) or place at the last clicked point of the map."""
    st.subheader("Details")
    if not clicked or clicked.get("lat") is None:
        st.caption("Click an event or a place on the map to see its details here.")
        return
    lat, lon = float(clicked["lat"]), float(clicked["lng"])  # Leaflet sends (lat, lng)
    names = _names(factions)
    events = _nearest(shown, lat=lat, lon=lon, tolerance_deg=1e-4)
    places = _nearest(points, lat=lat, lon=lon, tolerance_deg=1e-4)
    if events.empty and places.empty:
        st.caption(f"Nothing drawn at {lat:.4f}, {lon:.4f} matches the filters.")
        return
    for _, row in places.head(5).iterrows():
        held = names.get(str(row.get("faction")), str(row.get("faction")))
        st.markdown(f"**Place:** {md_text(row.get('place'))} — held by {md_text(held)}")
        since = row.get("valid_from")
        st.caption(
            f"since {_day(since)} · status {md_text(row.get('status'))} · "
            f"confidence {row.get('confidence')}"
        )
        if row.get("note"):
            st.text(str(row.get("note")))
        _source_line(row)
    for _, row in events.head(20).iterrows():
        who = names.get(str(row.get("faction")), str(row.get("faction")))
        st.markdown(
            f"**{_day(row.get('date'))} · {md_text(row.get('event_type'))}** at "
            f"{md_text(row.get('place'))} — {md_text(who)}"
        )
        st.text(str(row.get("description") or ""))
        _source_line(row)


def _source_line(row: pd.Series) -> None:
    """The source of a claim: a link that opens the report, or a line saying there is none."""
    source = str(row.get("source") or "")
    claimant = str(row.get("claimant") or "")
    if claimant:
        st.caption(f"Claimed by {md_text(claimant)}")
    url = str(row.get("source_url") or "")
    if url.lower().startswith(("http://", "https://")):
        st.link_button(f"Source: {source or url}"[:80], url)
    else:
        st.caption(f"Source: {md_text(source) or 'not given'} · no link to the report")


def _day(value: object) -> str:
    if value is None or pd.isna(value):
        return "?"
    return f"{pd.Timestamp(value):%d %b %Y}"
