"""Event and control tables survive a round trip through CSV, GeoJSON, GeoPackage and GeoParquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _annotation_helpers import EVENT_ROWS, event_row, real_geocoder, write_dataset

from geo.annotations import load_annotations
from geo.atlas.join import AtlasData, join_annotations
from geo.errors import DataFileError
from geo.io.formats import read_events, read_table, write_events, write_table
from geo.schema import CONTROL_SCHEMA, EVENT_SCHEMA

FORMATS = ["csv", "geojson", "gpkg", "parquet"]


@pytest.fixture(scope="module")
def atlas(tmp_path_factory: pytest.TempPathFactory) -> AtlasData:
    events = [
        *EVENT_ROWS,
        event_row(id="t3", place="Qqqxyzzy Nowhere"),  # unresolved: no geometry
        event_row(id="t4", description='Quote " comma , and Arabic حمص', end_date="2024-12-02"),
    ]
    directory = write_dataset(tmp_path_factory.mktemp("atlas"), events=events)
    return join_annotations(load_annotations(directory), geocoder=real_geocoder())


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        pd.DataFrame(left.drop(columns="geometry")).reset_index(drop=True),
        pd.DataFrame(right.drop(columns="geometry")).reset_index(drop=True),
        check_dtype=True,
    )
    assert list(left.geometry.isna()) == list(right.geometry.isna())
    placed = left.geometry.notna()
    assert left.geometry[placed].geom_equals_exact(right.geometry[placed], tolerance=1e-9).all()


@pytest.mark.parametrize("fmt", FORMATS)
def test_events_round_trip_keeps_columns_dtypes_and_unplaced_rows(
    atlas: AtlasData, tmp_path: Path, fmt: str
) -> None:
    path = write_events(atlas.events, tmp_path / f"events.{fmt}")
    back = read_events(path)
    assert list(back.columns) == list(EVENT_SCHEMA)
    assert back.crs.to_epsg() == 4326
    assert back["date"].dtype == "datetime64[ns]"
    _same(atlas.events, back)


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_round_trip(atlas: AtlasData, tmp_path: Path, fmt: str) -> None:
    back = read_table(write_table(atlas.control, tmp_path / f"control.{fmt}"))
    assert list(back.columns) == list(CONTROL_SCHEMA)
    _same(atlas.control, back)


def test_csv_carries_lat_lon_and_iso_dates_not_geometry(atlas: AtlasData, tmp_path: Path) -> None:
    text = write_table(atlas.events, tmp_path / "e.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert "geometry" not in header and {"lat", "lon"} <= set(header)
    assert ",2024-11-30," in text


def test_unknown_extension_is_a_clear_error(atlas: AtlasData, tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"unknown table format '\.xlsx'"):
        write_table(atlas.events, tmp_path / "events.xlsx")


def test_reading_a_missing_file_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read parquet"):
        read_table(tmp_path / "absent.parquet")


def test_read_events_refuses_a_table_without_the_events_columns(
    atlas: AtlasData, tmp_path: Path
) -> None:
    path = write_table(atlas.control, tmp_path / "control.parquet")
    with pytest.raises(DataFileError, match="missing column"):
        read_events(path)


def _geo_metadata(path: Path) -> dict:
    import json

    import pyarrow.parquet as pq

    return json.loads(pq.read_schema(path).metadata[b"geo"])


def test_parquet_events_are_written_in_native_geoarrow_point_encoding(
    atlas: AtlasData, tmp_path: Path
) -> None:
    path = write_events(atlas.events, tmp_path / "events.parquet")
    assert _geo_metadata(path)["columns"]["geometry"]["encoding"] == "point"


def test_parquet_files_in_the_older_wkb_encoding_still_read_the_same(
    atlas: AtlasData, tmp_path: Path
) -> None:
    path = tmp_path / "old.parquet"
    atlas.events.to_parquet(path, index=False, geometry_encoding="WKB")
    assert _geo_metadata(path)["columns"]["geometry"]["encoding"] == "WKB"
    back = read_events(path)
    assert list(back.columns) == list(EVENT_SCHEMA)
    _same(atlas.events, back)


def test_parquet_with_points_and_polygons_falls_back_to_wkb_and_round_trips(
    tmp_path: Path,
) -> None:
    import geopandas as gpd
    import shapely

    mixed = gpd.GeoDataFrame(
        {"place": ["Homs", "Hama governorate"]},
        geometry=[shapely.Point(36.71, 34.73), shapely.box(36.5, 35.0, 37.0, 35.3)],
        crs="EPSG:4326",
    )
    path = write_table(mixed, tmp_path / "mixed.parquet")
    assert _geo_metadata(path)["columns"]["geometry"]["encoding"] == "WKB"
    assert list(read_table(path).geometry.geom_type) == ["Point", "Polygon"]


def test_parquet_with_only_unplaced_rows_round_trips_as_missing_geometry(
    atlas: AtlasData, tmp_path: Path
) -> None:
    unplaced = atlas.events[atlas.events.geometry.isna()]
    assert len(unplaced) >= 1
    back = read_events(write_events(unplaced, tmp_path / "unplaced.parquet"))
    assert len(back) == len(unplaced) and back.geometry.isna().all()


def test_an_empty_point_reads_back_as_a_missing_position(tmp_path: Path) -> None:
    import geopandas as gpd
    import shapely

    gdf = gpd.GeoDataFrame(
        {"place": ["Homs", "nowhere"]},
        geometry=[shapely.Point(36.71, 34.73), shapely.Point()],
        crs="EPSG:4326",
    )
    back = read_table(write_table(gdf, tmp_path / "empty.parquet"))
    assert list(back.geometry.isna()) == [False, True]
