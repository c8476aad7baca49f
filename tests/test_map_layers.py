"""The map layer builders and build_map(), tested on the folium objects they return."""

from __future__ import annotations

import json
import logging
import re

import folium
import numpy as np
import pandas as pd
import pytest
from _map_helpers import (
    FACTION_COLOURS,
    XSS,
    areas,
    borders,
    crossings,
    events,
    factions,
    frontlines,
)

from geo.errors import ConfigError
from geo.maps.build import build_map, map_feature_groups, offline_from_env
from geo.maps.elements import Fullscreen, HexBinLayer, Legend, Measure, PointSymbols, TextLabels
from geo.maps.hexbins import _mercator, count_by, hex_bins
from geo.maps.layers import (
    area_layer,
    basemap_layers,
    event_glyph,
    event_layer,
    event_payload,
    faction_styles,
    hexbin_payload,
    legend,
)

GOV_NAME = "Government " + XSS


def _children(element: object, kind: type) -> list[object]:
    found = []
    stack = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            found.append(node)
        stack.extend(node._children.values())
    return found


def _payload(group: folium.FeatureGroup) -> dict:
    (element,) = _children(group, PointSymbols)
    return json.loads(element.payload_json)


def _decode(column: dict, row: int) -> str | None:
    code = column["codes"][row]
    return None if code < 0 else column["values"][code]


def test_faction_styles_keep_the_csv_colours_and_give_each_faction_its_own_dash() -> None:
    styles = faction_styles(factions())
    assert {k: s.colour for k, s in styles.items()} == FACTION_COLOURS
    dashes = [s.dash for s in styles.values()]
    border_styles = [s.border for s in styles.values()]
    assert len(set(dashes)) == len(dashes), "two factions share a dash pattern"
    assert len(set(border_styles)) == len(border_styles), "two factions share a badge border"


def test_a_bad_faction_colour_falls_back_to_the_palette_and_is_logged(caplog) -> None:
    table = factions().assign(colour=["#009E73", "red; background:url(x)", "#F0E442"])
    with caplog.at_level(logging.WARNING):
        styles = faction_styles(table)
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", styles["gov"].colour)
    assert "red; background:url(x)" in caplog.text


def test_factions_missing_from_the_table_still_get_a_style_named_by_their_id() -> None:
    styles = faction_styles(factions(), extra_ids=["isis"])
    assert styles["isis"].name == "isis"
    assert styles["isis"].colour not in {styles["hts"].colour, styles["gov"].colour}


@pytest.mark.parametrize(
    ("event_type", "glyph"),
    [
        ("Battles", "fa-crosshairs"),
        ("Explosions/Remote violence", "fa-bomb"),
        ("Violence against civilians", "fa-person-harassing"),
        ("Protests", "fa-bullhorn"),
        ("Riots", "fa-fire"),
        ("Strategic developments", "fa-chess-knight"),
        ("Border crossing", "fa-road-barrier"),
        ("Something nobody planned for", "fa-circle-exclamation"),
    ],
)
def test_each_event_type_gets_its_own_font_awesome_glyph(event_type: str, glyph: str) -> None:
    assert event_glyph(event_type) == glyph


def test_event_payload_is_columnar_with_rounded_coordinates_and_shared_string_tables() -> None:
    ev = pd.concat([events()] * 4, ignore_index=True)
    payload = event_payload(ev, styles=faction_styles(factions()))
    assert payload["lat"][:3] == [347300, 344500, 353300]
    place = next(f for f in payload["fields"] if f["label"] == "Place")
    assert len(place["values"]) == 3, "each distinct place is stored once"
    assert len(place["codes"]) == 12
    assert len(payload["icons"]) == 3, "one icon per (faction, event type) combination"


def test_event_popups_name_both_factions_and_show_confidence_as_percent() -> None:
    payload = event_payload(events(), styles=faction_styles(factions()))
    fields = {f["label"]: f for f in payload["fields"]}
    assert _decode(fields["Factions"], 0) == "HTS-led opposition vs " + GOV_NAME
    assert _decode(fields["Factions"], 1) == "SDF"
    assert _decode(fields["Confidence"], 0) == "80 %"
    assert _decode(fields["Date"], 0) == "2024-12-06"


def test_only_http_source_urls_become_links() -> None:
    payload = event_payload(events(), styles={})
    url = payload["link"]["url"]
    assert [_decode(url, i) for i in range(3)] == [
        "https://example.org/homs",
        None,
        "https://example.org/dez",
    ]


def test_events_without_coordinates_are_left_out_and_counted_in_the_layer_name(caplog) -> None:
    ev = pd.DataFrame(events().drop(columns="geometry"))
    ev.loc[1, "lat"] = np.nan
    with caplog.at_level(logging.WARNING):
        group = event_layer(ev, factions=factions())
    assert group.layer_name == "Events (2, 1 without coordinates)"
    assert len(_payload(group)["lat"]) == 2
    assert "ev-xss" in caplog.text


def test_more_events_than_max_points_are_drawn_as_hexagons_not_markers() -> None:
    group = event_layer(events(), factions=factions(), max_points=2)
    assert _children(group, PointSymbols) == []
    assert group.layer_name == "Events (3, in hexagons)"
    for hexes in _children(group, HexBinLayer):
        assert sum(json.loads(hexes.payload_json)["count"]) == 3


def test_zooming_in_swaps_coarse_hexagons_for_cells_a_third_as_wide() -> None:
    group = event_layer(pd.concat([events()] * 10), factions=factions(), max_points=5)
    levels = sorted(_children(group, HexBinLayer), key=lambda h: h.zoom_range)
    coarse, fine = (json.loads(h.payload_json) for h in levels)
    assert levels[0].zoom_range[0] == 0
    assert levels[0].zoom_range[1] == levels[1].zoom_range[0], "a zoom with no cells at all"
    assert fine["size"] == pytest.approx(coarse["size"] / 3)
    assert fine["edges"] == coarse["edges"], "one legend must fit both levels"
    assert sum(fine["count"]) == sum(coarse["count"]) == 30


def test_hexagon_popups_count_events_per_faction_name_and_event_type() -> None:
    ev = pd.concat([events()] * 5, ignore_index=True)
    payload = hexbin_payload(ev, styles=faction_styles(factions()), size_m=50_000.0)
    by_faction, by_type = payload["by"]
    totals: dict[str, int] = {}
    for code, count in zip(by_faction["codes"], by_faction["counts"], strict=True):
        name = by_faction["values"][code]
        totals[name] = totals.get(name, 0) + count
    assert totals == {"HTS-led opposition": 5, "SDF": 5, GOV_NAME: 5}
    assert sum(by_type["counts"]) == 15
    assert sum(payload["count"]) == 15


def test_hex_bins_count_every_event_once_and_each_event_lies_in_its_own_hexagon() -> None:
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(32, 37.5, 20_000), rng.uniform(35, 45, 20_000)
    bins = hex_bins(lat=lat, lon=lon, size_m=20_000.0)
    assert bins.count.sum() == 20_000
    x, y = _mercator(lat=lat, lon=lon)
    dist = np.hypot(x - bins.x[bins.cell], y - bins.y[bins.cell])
    assert dist.max() <= 20_000.0 + 1e-6, "an event lies outside its hexagon's circumcircle"
    assert np.array_equal(np.bincount(bins.cell, minlength=len(bins.count)), bins.count)


def test_hex_bins_of_points_projected_once_equal_those_projected_per_call() -> None:
    from geo.maps.hexbins import mercator

    rng = np.random.default_rng(11)
    lat, lon = rng.uniform(32, 37.5, 5_000), rng.uniform(35, 45, 5_000)
    xy = mercator(lat=lat, lon=lon)
    for size in (None, 7_000.0):
        a = hex_bins(lat=lat, lon=lon, size_m=size)
        b = hex_bins(lat=lat, lon=lon, size_m=size, xy=xy)
        assert a.size_m == b.size_m
        for field in ("x", "y", "count", "cell"):
            assert np.array_equal(getattr(a, field), getattr(b, field))


def test_count_by_agrees_with_a_pandas_groupby() -> None:
    rng = np.random.default_rng(5)
    lat, lon = rng.uniform(33, 36, 5_000), rng.uniform(36, 42, 5_000)
    codes = rng.integers(0, 4, 5_000)
    bins = hex_bins(lat=lat, lon=lon, size_m=40_000.0)
    sparse = count_by(bins, codes, n_codes=4)
    expected = pd.DataFrame({"cell": bins.cell, "code": codes}).value_counts().to_dict()
    got = {}
    for cell in range(len(bins.count)):
        part = slice(sparse.offsets[cell], sparse.offsets[cell + 1])
        for code, count in zip(sparse.codes[part], sparse.counts[part], strict=True):
            got[(cell, int(code))] = int(count)
    assert got == {(int(c), int(k)): int(v) for (c, k), v in expected.items()}


def test_hex_bins_reject_missing_coordinates_and_show_the_row() -> None:
    with pytest.raises(ConfigError, match="row 1"):
        hex_bins(lat=np.array([35.0, np.nan]), lon=np.array([40.0, 41.0]))


def test_uncertain_areas_are_drawn_lighter_than_certain_ones() -> None:
    group = area_layer(areas(), factions=factions())
    (geojson,) = _children(group, folium.GeoJson)
    styles = {
        f["properties"]["faction"]: f["properties"]["style"] for f in geojson.data["features"]
    }
    certain, uncertain = styles["SDF"], styles[GOV_NAME]
    assert uncertain["fillOpacity"] < certain["fillOpacity"]
    assert certain["fillColor"] == FACTION_COLOURS["sdf"]
    assert styles["HTS-led opposition"]["dashArray"] != certain["dashArray"]


def test_area_features_carry_only_formatted_text_properties() -> None:
    group = area_layer(areas(), factions=factions())
    (geojson,) = _children(group, folium.GeoJson)
    props = geojson.data["features"][0]["properties"]
    assert set(props) == {"title", "faction", "area", "uncertain", "style"}
    assert props["area"] == "12,000 km²"


def test_online_map_offers_three_tile_basemaps_with_attribution() -> None:
    layers = basemap_layers("satellite")
    assert [layer.layer_name for layer in layers] == [
        "OpenStreetMap",
        "Light (CARTO Positron)",
        "Satellite (Esri World Imagery)",
    ]
    assert [layer.show for layer in layers] == [False, False, True]
    assert all(layer.options.get("attribution") for layer in layers)


def test_an_unknown_basemap_is_refused_with_its_name() -> None:
    with pytest.raises(ConfigError, match="'google'"):
        basemap_layers("google")


def test_offline_map_has_no_tile_layer_but_country_shapes_and_labels() -> None:
    import geopandas as gpd
    import shapely

    countries = gpd.GeoDataFrame(
        {"name": ["Syria"]}, geometry=[shapely.box(35.7, 32.3, 42.4, 37.3)], crs="EPSG:4326"
    )
    fmap = build_map(events=events(), offline=True, countries=countries, factions=factions())
    assert _children(fmap, folium.TileLayer) == []
    (labels,) = _children(fmap, TextLabels)
    assert "Syria" in labels.payload_json
    assert "Damascus" in labels.payload_json
    assert fmap.options["max_zoom"] == 18, "markercluster needs an explicit max zoom"


def test_offline_country_outlines_are_sent_at_a_tenth_of_the_display_simplification() -> None:
    import geopandas as gpd
    import shapely

    from geo.maps.layers.basemap import offline_basemap

    ring = [(35.7 + 0.0123456 * i, 32.3 + 0.0234567 * (i % 7)) for i in range(400)]
    outline = shapely.Polygon([*ring, (42.4, 37.3), (35.7, 37.3)])
    countries = gpd.GeoDataFrame({"name": ["Syria"]}, geometry=[outline], crs="EPSG:4326")
    group = offline_basemap(countries, labels=pd.DataFrame(columns=["lat", "lon", "text", "kind"]))
    (shapes,) = [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    coordinates = re.findall(r"-?\d+\.\d+", json.dumps(shapes.data["features"][0]["geometry"]))
    assert coordinates, "no coordinates drawn"
    assert max(len(c.split(".")[1]) for c in coordinates) <= 3, "0.001 degrees is enough to draw"
    assert shapely.is_valid(shapely.geometry.shape(shapes.data["features"][0]["geometry"]))


def test_build_map_has_layer_control_scale_bar_fullscreen_measure_and_legend() -> None:
    fmap = build_map(
        events=events(),
        areas=areas(),
        frontlines=frontlines(),
        borders=borders(),
        crossings=crossings(),
        factions=factions(),
        basemap="light",
    )
    assert fmap.control_scale is True
    assert len(_children(fmap, folium.LayerControl)) == 1
    assert len(_children(fmap, Fullscreen)) == 1
    assert len(_children(fmap, Measure)) == 1
    (element,) = _children(fmap, Legend)
    assert [s["title"] for s in element.sections] == ["Factions", "Lines", "Event types"]
    names = {g.layer_name for g in _children(fmap, folium.FeatureGroup)}
    assert {
        "Control areas",
        "Frontlines",
        "International borders",
        "Border crossings",
        "Events (3)",
    } <= names


def test_map_feature_groups_are_the_filter_driven_layers_plus_a_hidden_legend() -> None:
    groups = map_feature_groups(
        events=events(), areas=areas(), frontlines=frontlines(), factions=factions()
    )
    assert [g.layer_name for g in groups] == ["Control areas", "Frontlines", "Events (3)", "Legend"]
    assert groups[-1].control is False


def test_the_legend_lists_only_the_factions_on_the_map() -> None:
    element = legend(factions=factions(), faction_ids=["sdf"], event_types=["Riots"])
    assert [item["label"] for item in element.sections[0]["items"]] == ["SDF"]


def test_without_data_the_map_opens_on_the_iraq_syria_border_region() -> None:
    assert build_map(basemap="osm").location == [34.8, 40.5]


def test_callers_read_offline_mode_from_the_environment_variable() -> None:
    assert offline_from_env({"FRONTLINE_OFFLINE": "1"})
    assert offline_from_env({"FRONTLINE_OFFLINE": "true"})
    assert not offline_from_env({"FRONTLINE_OFFLINE": "0"})
    assert not offline_from_env({})


def test_a_faction_missing_from_the_table_looks_the_same_in_every_layer() -> None:
    alone = faction_styles(factions(), extra_ids=["pmf"])["pmf"]
    with_others = faction_styles(factions(), extra_ids=["isis", "pmf", "aaa"])["pmf"]
    assert alone == with_others


def test_offline_labels_name_big_cities_by_their_common_english_name() -> None:
    from geo.maps.layers.basemap import default_labels

    texts = set(default_labels()["text"])
    assert {"Mosul", "Basrah", "Aleppo", "Damascus"} <= texts
    assert "Al Mawşil al Jadīdah" not in texts, "GeoNames' district entry must not label Mosul"


# ---------------------------------------------------------------- claims and their sources


def _claims() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "place": ["Manbij", "Tall Rifaat", "Palmyra"],
            "faction": ["hts", "sdf", "hts"],
            "lat": [36.53, 36.47, 34.56],
            "lon": [37.95, 37.10, 38.28],
            "valid_from": pd.to_datetime(["2024-12-09", "2024-11-26", "2024-12-06"]),
            "status": ["held", "contested", "held"],
            "confidence": [0.8, 0.7, 0.4],
            "source": [
                "Test wire, 2024-12-09",
                "Test map, 2024-11-26",
                "Inference from x, 2024-12-06",
            ],
            "source_url": ["https://example.org/manbij", "", ""],
            "claimant": ["SNA statement", "", ""],
            "note": ["", "", "No report names the town; " + XSS],
        }
    )


def test_every_place_claim_opens_its_source_or_says_it_has_none() -> None:
    from geo.maps.layers import place_layer

    group = place_layer(_claims(), factions=factions())
    payload = _payload(group)
    assert group.layer_name == "Places (3)"
    assert [_decode(payload["link"]["url"], i) for i in range(3)] == [
        "https://example.org/manbij",
        None,
        None,
    ]
    fields = {f["label"]: f for f in payload["fields"]}
    assert _decode(fields["Claimed by"], 0) == "SNA statement"
    assert _decode(fields["Since"], 1) == "2024-11-26"
    fmap = folium.Map()
    group.add_to(fmap)
    html = fmap.get_root().render()
    assert "No link to the report" in html  # said in the popup of a claim without a URL
    assert XSS not in html  # the note travels JSON-escaped and is set as text


def test_inferred_claims_and_events_get_their_own_faded_symbol_and_a_legend_row() -> None:
    from geo.maps.layers import place_layer

    payload = _payload(place_layer(_claims(), factions=factions()))
    inferred = [payload["icons"][code]["inferred"] for code in payload["icon"]]
    assert inferred == [False, False, True]
    ev = pd.DataFrame(events().drop(columns="geometry"))
    ev["source"] = ["Inference from y, 2024-12-06", *ev["source"].iloc[1:]]
    codes = event_payload(ev, styles={})
    assert [codes["icons"][c]["inferred"] for c in codes["icon"]][:2] == [True, False]
    groups = map_feature_groups(events=ev, places=_claims(), factions=factions())
    (element,) = _children(groups[-1], Legend)
    labels = [item["label"] for section in element.sections for item in section["items"]]
    assert "Inferred, no report of its own (faded, dashed ring)" in labels
    assert "Place and who holds it (click: source)" in labels
    plain = map_feature_groups(events=events(), factions=factions())
    (element,) = _children(plain[-1], Legend)
    assert "Claims" not in [section["title"] for section in element.sections]


def test_event_popups_name_who_claims_an_event() -> None:
    ev = pd.DataFrame(events().drop(columns="geometry"))
    ev["claimant"] = ["SOHR", "", "SANA"]
    fields = {f["label"]: f for f in event_payload(ev, styles={})["fields"]}
    assert [_decode(fields["Claimed by"], i) for i in range(3)] == ["SOHR", None, "SANA"]
