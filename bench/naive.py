"""The naive baselines our fast paths are measured against.

``naive_event_map`` is what most folium tutorials do: one ``CircleMarker`` with its own popup
per event, all inside a ``MarkerCluster``. It is written plainly on purpose (a Python loop over
the rows), because that is the approach users tell us slows down past a few thousand markers.

>>> import geopandas as gpd
>>> from geo.synth import synthetic_events
>>> html = render_html(naive_event_map(synthetic_events(20, seed=1)))
>>> html.count("L.circleMarker(") >= 20
True
"""

from __future__ import annotations

import html as html_lib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

__all__ = ["naive_event_map", "render_html"]

_NAIVE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def naive_event_map(events: gpd.GeoDataFrame) -> folium.Map:
    """A folium map with one ``CircleMarker`` (and popup) per event in a ``MarkerCluster``."""
    import folium
    from folium.plugins import MarkerCluster

    fmap = folium.Map(location=[34.8, 38.5], zoom_start=6)
    cluster = MarkerCluster(name="Events").add_to(fmap)
    factions = sorted(events["faction"].unique())
    colour = {f: _NAIVE_COLOURS[i % len(_NAIVE_COLOURS)] for i, f in enumerate(factions)}
    for row in events.itertuples(index=False):
        popup = (
            f"<b>{html_lib.escape(str(row.place))}</b> {row.date:%Y-%m-%d}<br>"
            f"{html_lib.escape(str(row.faction))} - {html_lib.escape(str(row.event_type))}<br>"
            f"{html_lib.escape(str(row.description))}"
        )
        folium.CircleMarker(
            location=[row.lat, row.lon],  # folium speaks (lat, lon)
            radius=5,
            color=colour[row.faction],
            fill=True,
            popup=folium.Popup(popup, max_width=300),
        ).add_to(cluster)
    return fmap


def render_html(fmap: folium.Map) -> str:
    """The standalone HTML document of a folium map (what a user downloads or an iframe gets)."""
    return fmap.get_root().render()
