"""The analyst's map without a browser: the feed's items, the compare mode, the map's view.

The browser side (layout, clicks, the PNG) is in tests/test_analyst_map_browser.py.
"""

from __future__ import annotations

import datetime as dt
import json

import folium
import geopandas as gpd
import pandas as pd
import shapely
from test_app import map_args, run_app

from geo.maps.frame import MapFrame
from geo.maps.layers.compare import compare_layer
from geo.maps.layers.feed import feed_layer, feed_payload
from geo.view.filters import within_box

XSS = "</script><script>window.__pwned=1</script>"


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lat": [34.45, 35.0, float("nan"), 33.5],
            "lon": [40.92, 38.0, 39.0, 36.3],
            "date": pd.to_datetime(["2024-12-01", "2024-12-03", "2024-12-04", "2024-12-02"]),
            "faction": ["sdf", "x", "x", "sdf"],
            "event_type": ["Battles", "Riots", "Riots", "Protests"],
            "place": [XSS, "Raqqa", "Nowhere", "Damascus"],
            "description": ["one line\nsecond line", None, None, "x"],
            "source": ["AFP", "Reuters", None, None],
            "source_url": ["javascript:alert(1)", "https://example.org/a", None, None],
        }
    )


def test_the_feed_lists_drawable_events_newest_first_with_their_marker_rows_and_safe_links():
    events = _events()
    payload = feed_payload(events, drawn=events, styles={})
    assert payload["total"] == 3, "an event without coordinates is not listed"
    assert payload["date"] == ["2024-12-03", "2024-12-02", "2024-12-01"]
    assert payload["row"] == [1, 2, 0], "rows of the markers, which skip the undrawable row"
    assert payload["url"] == ["https://example.org/a", None, None]
    assert payload["text"][2] == "one line"
    assert payload["glyph"][0].startswith("fa-")


def test_a_script_payload_in_an_event_stays_inside_the_feeds_json():
    fmap = folium.Map(tiles=None)
    feed_layer(_events(), drawn=None, factions=None).add_to(fmap)
    html = fmap.get_root().render()
    assert XSS not in html
    assert "\\u003c/script\\u003e\\u003cscript\\u003ewindow.__pwned" in html


def test_a_map_box_keeps_the_events_inside_it_even_across_the_antimeridian():
    events = pd.DataFrame({"lat": [34.0, 36.0, 10.0], "lon": [40.0, 44.0, 179.5]})
    assert within_box(events, (39.0, 33.0, 41.0, 35.0)).index.tolist() == [0]
    assert within_box(events, (170.0, 0.0, -170.0, 20.0)).index.tolist() == [2]
    assert len(within_box(events, (-200.0, -90.0, 200.0, 90.0))) == 3


def test_the_map_frame_fits_the_data_extent_once_with_room_for_the_legend():
    frame = MapFrame(extent=(38.0, 32.0, 43.0, 37.5))
    fmap = folium.Map(tiles=None)
    frame.add_to(fmap)
    html = fmap.get_root().render()
    assert html.count("fitBounds") == 1
    assert "[[32.0,38.0],[37.5,43.0]]" in html  # Leaflet's (lat, lon)


def test_compare_hatches_gains_and_losses_in_the_colour_of_their_faction():
    box = shapely.box(40, 34, 41, 35)
    areas = gpd.GeoDataFrame({"faction": ["x"]}, geometry=[box], crs=4326)
    changes = gpd.GeoDataFrame(
        {"faction": ["x", "y"], "change": ["gained", "lost"], "area_km2": [12.0, 3.0]},
        geometry=[box, shapely.box(41, 34, 42, 35)],
        crs=4326,
    )
    factions = pd.DataFrame(
        {"id": ["x", "y"], "name": ["Ex", "Why"], "colour": ["#009E73", "#D55E00"]}
    )
    group = compare_layer(
        areas_a=areas, areas_b=areas, changes=changes, factions=factions,
        label_a="2024-11-27", label_b="2024-12-08",
    )  # fmt: skip
    (swipe,) = group._children.values()
    payload = json.loads(swipe.payload_json)
    assert payload["patterns"] == [
        {"colour": "#009E73", "change": "gained"},
        {"colour": "#D55E00", "change": "lost"},
    ]
    props = [f["properties"] for f in payload["changes"]["features"]]
    assert [(p["faction"], p["change"], p["km2"]) for p in props] == [
        ("Ex", "gained", "12"),
        ("Why", "lost", "3"),
    ]


def test_the_compare_parameter_opens_compare_mode_with_km2_per_faction_and_stays_in_the_url():
    app = run_app({"date": "2024-12-08", "compare": "2024-11-27"})
    assert app.toggle(key="compare_on").value is True
    assert app.date_input(key="compare_date").value == dt.date(2024, 11, 27)
    (table,) = [d.value for d in app.dataframe if "gained_km2" in d.value.columns]
    assert (table["gained_km2"] > 0).any() and (table["lost_km2"] > 0).any()
    assert app.query_params["compare"] in ("2024-11-27", ["2024-11-27"])
    control = map_args(app)["layer_control"]
    assert "Changed hands (2024-11-27" in control
    assert '"Control areas"' not in control, "the swipe draws both dates' areas instead"


def test_a_bad_compare_date_is_reported_and_compare_mode_stays_off():
    app = run_app({"compare": "27/11/2024"})
    assert app.toggle(key="compare_on").value is False
    assert any("compare='27/11/2024'" in w.value for w in app.warning)
    assert "compare" not in app.query_params
