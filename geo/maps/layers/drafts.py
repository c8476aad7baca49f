"""The Drafts layer: rows of the store not yet reviewed, drawn distinctly over the map.

Each draft event or control claim is a dashed, unfilled ring around its point, with a popup
that says it is a draft, who added it and from which source. The text is escaped here (the
popup is HTML).

>>> import geopandas as gpd, shapely
>>> events = gpd.GeoDataFrame({"id": ["manual-1"], "date": ["2024-12-08"], "place": ["Manbij"],
...     "faction": ["sna"], "description": ["<b>x</b>"], "source": ["Reuters"],
...     "source_url": [""]}, geometry=[shapely.Point(37.95, 36.53)], crs=4326)
>>> layer = drafts_layer(events=events, claims=None)
>>> layer.layer_name
'Drafts (not reviewed)'
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd

__all__ = ["DRAFTS_LAYER_NAME", "DRAFT_COLOUR", "MAX_DRAFTS_DRAWN", "drafts_layer"]

DRAFTS_LAYER_NAME = "Drafts (not reviewed)"
DRAFT_COLOUR = "#E66100"  # orange: apart from every faction colour's pattern, dashed
MAX_DRAFTS_DRAWN = 2_000  # per table; the review table lists every draft


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype="str")
    values = frame[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("")
    return values.fillna("").astype("str")


def _popups(frame: pd.DataFrame, *, what: str, day: str) -> pd.Series:
    """One escaped HTML popup per row (vectorised string building)."""
    esc = {c: _text(frame, c).map(html.escape) for c in ("place", "faction", "description",
                                                           "source", "source_url", day)}  # fmt: skip
    link = (
        esc["source_url"]
        .where(
            esc["source_url"] == "",
            '<a href="'
            + esc["source_url"]
            + '" target="_blank" rel="noopener noreferrer">'
            + "open the report</a>",
        )
        .replace("", "No link to the report")
    )
    return (
        f"<b>Draft {what}, not reviewed</b><br>"
        + esc["place"] + " · " + esc[day] + " · " + esc["faction"] + "<br>"
        + esc["description"] + "<br>" + esc["source"] + " · " + link
    )  # fmt: skip


def drafts_layer(
    *, events: gpd.GeoDataFrame | None, claims: gpd.GeoDataFrame | None
) -> folium.FeatureGroup:
    """A feature group of dashed rings: draft ``events`` and draft control ``claims``.

    Both frames are in EPSG:4326 with point geometries (lon, lat); rows without a point are
    left out of the map (they are listed in the review table), as are rows past
    :data:`MAX_DRAFTS_DRAWN` per table.
    """
    group = folium.FeatureGroup(name=DRAFTS_LAYER_NAME, show=True)
    for frame, what, day in ((events, "event", "date"), (claims, "control claim", "valid_from")):
        if frame is None or frame.empty:
            continue
        placed = frame[frame.geometry.notna() & ~frame.geometry.is_empty].head(MAX_DRAFTS_DRAWN)
        if placed.empty:
            continue
        points = gpd.GeoDataFrame(
            {"popup": _popups(placed, what=what, day=day).to_numpy()},
            geometry=placed.geometry.to_numpy(),
            crs=placed.crs or 4326,
        ).to_crs(4326)
        folium.GeoJson(
            points,
            name=f"Draft {what}s",
            marker=folium.CircleMarker(
                radius=11, color=DRAFT_COLOUR, weight=2.5, dash_array="4 3", fill=False
            ),
            # GeoJsonPopup builds its HTML without jQuery (folium.Popup needs it; we ship none);
            # every untrusted part of ``popup`` was escaped by _popups.
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
        ).add_to(group)
    return group
