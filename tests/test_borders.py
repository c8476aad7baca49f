"""Borders from Natural Earth 1:10m, shipped by an installed package (never downloaded)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.borders import border_lines, country_shapes, geodesic_length_km
from geo.errors import ConfigError, DataFileError
from geo.territory.crossings import border_crossings

PUBLISHED_IRAQ_SYRIA_KM = 599.0


@pytest.fixture(scope="module")
def lines() -> gpd.GeoDataFrame:
    return border_lines()


def _line(lines: gpd.GeoDataFrame, first: str, second: str) -> pd.Series:
    match = lines[lines["countries"].map(lambda pair: pair == sorted([first, second]))]
    assert len(match) == 1, f"no single {first}-{second} border in {lines['countries'].tolist()}"
    return match.iloc[0]


def test_iraq_syria_border_measures_within_two_percent_of_the_published_599_km(lines):
    length = _line(lines, "SY", "IQ")["length_km"]
    assert abs(length - PUBLISHED_IRAQ_SYRIA_KM) / PUBLISHED_IRAQ_SYRIA_KM < 0.02


def test_border_length_is_geodesic_not_degrees(lines):
    row = _line(lines, "SY", "IQ")
    degrees = row["geometry"].length  # what a naive shapely .length would give
    assert degrees < 10  # a few degrees...
    assert row["length_km"] > 500  # ...but hundreds of km on the ground


@pytest.mark.parametrize(
    ("first", "second"),
    [("SY", "TR"), ("SY", "JO"), ("SY", "LB"), ("IQ", "TR"), ("IQ", "IR"), ("IQ", "SA")],
)
def test_neighbours_of_syria_and_iraq_have_a_border_line(lines, first, second):
    row = _line(lines, first, second)
    assert row["length_km"] > 50
    assert row["geometry"].geom_type in {"LineString", "MultiLineString"}


def test_border_lines_carry_sorted_iso2_pairs_and_follow_both_countries(lines):
    assert all(pair == sorted(pair) and len(pair) == 2 for pair in lines["countries"])
    assert lines.crs.to_epsg() == 4326
    syria, iraq = country_shapes(["SY", "IQ"]).geometry
    border = _line(lines, "SY", "IQ")["geometry"]
    assert shapely.hausdorff_distance(border, syria.boundary.intersection(iraq.boundary)) < 1e-9


def test_countries_that_do_not_touch_have_no_border_line():
    assert border_lines(("LB", "IQ")).empty


def test_country_shapes_use_iso_a2_eh_where_natural_earth_writes_minus_99():
    shapes = country_shapes()
    assert "-99" not in set(shapes["iso2"])
    # France and Norway carry -99 in ISO_A2 in Natural Earth, their code only in ISO_A2_EH.
    assert {"FR", "NO"} <= set(shapes["iso2"])


def test_unknown_country_code_is_refused_with_the_bad_code():
    with pytest.raises(ConfigError, match="'XX'"):
        country_shapes(["SY", "XX"])
    with pytest.raises(ConfigError, match="Syria"):
        country_shapes(["Syria"])


def test_geodesic_length_of_one_degree_of_latitude_is_about_111_km():
    line = shapely.LineString([(40.0, 34.5), (40.0, 35.5)])  # (lon, lat)
    assert geodesic_length_km([line])[0] == pytest.approx(110.95, abs=0.1)
    square = shapely.box(40.0, 34.5, 40.01, 34.51)
    assert geodesic_length_km([square, shapely.Point(40, 35)])[1] == 0.0


def _places(*rows: tuple[str, str, str, float, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"id": f"p{i}", "name": name, "aliases": aliases, "kind": kind, "country": "SY",
             "lat": lat, "lon": lon, "is_region": False, "source": "test", "note": ""}
            for i, (name, aliases, kind, lat, lon) in enumerate(rows)
        ]
    )  # fmt: skip


def _control(rows: list[tuple[str, str, str, str]]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=["place", "faction", "valid_from", "note"])
    frame["valid_from"] = pd.to_datetime(frame["valid_from"])
    frame["status"] = "held"
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy([40.92] * len(frame), [34.45] * len(frame)), crs=4326
    )


def test_only_places_of_kind_crossing_are_border_crossings():
    places = _places(
        ("Al-Bukamal crossing", "Abu Kamal crossing;Al-Qaim crossing", "crossing", 34.41, 41.01),
        ("Abu Kamal", "Al-Bukamal", "town", 34.45, 40.92),
    )
    crossings = border_crossings(places)
    assert crossings["name"].tolist() == ["Al-Bukamal crossing"]
    assert crossings.loc[0, "countries"] == ["IQ", "SY"]
    assert crossings.loc[0, "status"] == "unknown"
    assert pd.isna(crossings.loc[0, "held_by"])
    assert crossings.loc[0, "geometry"].x == pytest.approx(41.01)  # x is the longitude


def test_crossing_holder_changes_with_the_date_and_matches_spelling_variants_of_an_alias():
    places = _places(("Al-Bukamal crossing", "Abu Kamal crossing", "crossing", 34.41, 41.01))
    control = _control(
        [
            ("Abou Kamal Crossing", "gov", "2024-11-01", "open to trade"),
            ("abu-kamal crossing", "sdf", "2024-12-06", "closed after the takeover"),
        ]
    )
    before = border_crossings(places, control, date="2024-12-01").iloc[0]
    after = border_crossings(places, control, date="2024-12-07").iloc[0]
    latest = border_crossings(places, control).iloc[0]
    assert (before["held_by"], before["status"]) == ("gov", "open")
    assert (after["held_by"], after["status"]) == ("sdf", "closed")
    assert latest["held_by"] == "sdf"


def test_crossing_without_a_matching_control_row_has_no_holder():
    places = _places(("Nasib crossing", "Jaber", "crossing", 32.55, 36.2))
    control = _control([("Homs", "gov", "2024-11-01", "")])
    row = border_crossings(places, control, date="2024-12-01").iloc[0]
    assert pd.isna(row["held_by"]) and row["status"] == "unknown"
    assert row["countries"] == ["JO", "SY"]


def test_places_table_without_coordinates_is_refused_naming_the_missing_columns():
    with pytest.raises(DataFileError, match="lat"):
        border_crossings(pd.DataFrame({"name": ["x"], "aliases": [""], "kind": ["crossing"]}))


def test_crossing_holder_works_without_a_note_column_and_before_any_claim():
    places = _places(("Al-Bukamal crossing", "Abu Kamal crossing", "crossing", 34.41, 41.01))
    control = _control([("Al-Bukamal crossing", "gov", "2024-11-01", "")]).drop(columns="note")
    assert border_crossings(places, control, date="2024-11-02").loc[0, "held_by"] == "gov"
    early = border_crossings(places, control, date="2024-10-01").iloc[0]
    assert pd.isna(early["held_by"]) and early["status"] == "unknown"
