"""Downloads of the events shown: CSV safe in spreadsheets, GeoJSON in (lon, lat) order."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest

from geo.io.exports import events_to_csv_bytes, events_to_geojson_bytes, neutralise_cell


@pytest.fixture
def events() -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        {
            "id": ["e1", "e2", "e3", "e4"],
            "date": pd.to_datetime(["2024-12-07", "2024-12-08", "2024-12-08", "2024-12-09"]),
            "place": ["Al-Qaim", "=cmd|' /C calc'!A0", "@Homs", "Abu Kamal"],
            "faction": ["iraq", "hts", "-sdf", "+sna"],
            "description": ["<img src=x onerror=alert(1)>", "plain", None, "\tTabbed"],
            "lat": [34.37, 34.73, 36.2, 34.45],
            "lon": [41.09, 36.71, -0.5, 40.92],
            "confidence": [0.9, 0.5, -1.0, 1.0],
        }
    )
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
    )


def test_csv_cells_that_would_run_as_spreadsheet_formulas_are_prefixed_with_a_quote(events):
    back = pd.read_csv(io.BytesIO(events_to_csv_bytes(events)), dtype=str, keep_default_na=False)
    assert back.loc[1, "place"] == "'=cmd|' /C calc'!A0"
    assert back.loc[2, "place"] == "'@Homs"
    assert back.loc[2, "faction"] == "'-sdf"
    assert back.loc[3, "faction"] == "'+sna"
    assert back.loc[3, "description"] == "'\tTabbed"
    assert back.loc[0, "place"] == "Al-Qaim"  # a hyphen inside a name is fine


def test_csv_keeps_negative_numbers_as_numbers(events):
    back = pd.read_csv(io.BytesIO(events_to_csv_bytes(events)))
    assert back.loc[2, "lon"] == -0.5
    assert back.loc[2, "confidence"] == -1.0


def test_csv_holds_exactly_the_rows_given_in_order_without_geometry(events):
    shown = events.iloc[[3, 0]]
    back = pd.read_csv(io.BytesIO(events_to_csv_bytes(shown)))
    assert back["id"].tolist() == ["e4", "e1"]
    assert "geometry" not in back.columns
    assert back["date"].tolist() == ["2024-12-09", "2024-12-07"]


def test_csv_derives_lat_lon_from_point_geometry_when_columns_are_missing(events):
    bare = events.drop(columns=["lat", "lon"])
    back = pd.read_csv(io.BytesIO(events_to_csv_bytes(bare)))
    assert back.loc[0, "lat"] == pytest.approx(34.37)
    assert back.loc[0, "lon"] == pytest.approx(41.09)


def test_csv_does_not_modify_the_frame_it_was_given(events):
    before = events.copy()
    events_to_csv_bytes(events)
    pd.testing.assert_frame_equal(pd.DataFrame(events), pd.DataFrame(before))


def test_csv_of_no_events_is_a_header_line(events):
    text = events_to_csv_bytes(events.iloc[0:0]).decode()
    assert text.strip().split(",")[0] == "id"
    assert text.count("\n") == 1


def test_csv_keeps_arabic_text_as_utf8():
    data = events_to_csv_bytes(pd.DataFrame({"place": ["دير الزور"]}))
    assert "دير الزور" in data.decode("utf-8")


def test_neutralise_cell_leaves_non_text_alone():
    assert neutralise_cell(None) is None
    assert neutralise_cell(-2) == -2
    assert neutralise_cell("-2") == "'-2"


def test_geojson_has_one_point_per_row_in_lon_lat_order(events):
    doc = json.loads(events_to_geojson_bytes(events))
    assert doc["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in doc["features"]] == ["e1", "e2", "e3", "e4"]
    assert doc["features"][0]["geometry"]["coordinates"] == [41.09, 34.37]
    assert doc["features"][0]["properties"]["date"] == "2024-12-07"
    assert doc["features"][2]["properties"]["description"] is None


def test_geojson_keeps_text_verbatim_for_the_reader_to_escape(events):
    doc = json.loads(events_to_geojson_bytes(events))
    assert doc["features"][0]["properties"]["description"] == "<img src=x onerror=alert(1)>"
    assert doc["features"][1]["properties"]["place"].startswith("=")


def test_geojson_is_reprojected_to_wgs84_when_given_another_crs(events):
    projected = events.drop(columns=["lat", "lon"]).to_crs(3857)
    doc = json.loads(events_to_geojson_bytes(projected))
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    assert lon == pytest.approx(41.09)
    assert lat == pytest.approx(34.37)


def test_geojson_reads_back_with_geopandas(events):
    back = gpd.read_file(io.BytesIO(events_to_geojson_bytes(events)))
    assert len(back) == 4
    assert back.geometry.x.tolist() == pytest.approx(events.geometry.x.tolist())
