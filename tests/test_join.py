"""Joining annotations to places: schemas, explicit coordinates, the join report, uploads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from _annotation_helpers import EVENT_ROWS, event_row, real_geocoder, write_dataset

from geo.annotations import load_annotations
from geo.atlas.join import AtlasData, join_annotations, join_upload
from geo.schema import CONTROL_SCHEMA, EVENT_SCHEMA


@dataclass(frozen=True)
class _Result:
    query: str
    name: str | None
    lat: float | None
    lon: float | None
    country: str | None
    kind: str | None
    confidence: float
    matched: str | None
    source: str

    @property
    def resolved(self) -> bool:
        return self.lat is not None


class TableGeocoder:
    """A geocoder over a fixed table (lat, lon, country, kind, confidence) — our own numbers."""

    def __init__(self, table: dict[str, tuple[float, float, str, str, float]]) -> None:
        self.table = table
        self.calls: list[list[str]] = []

    def geocode_many(self, names, *, countries=None, bbox=None):
        self.calls.append(list(names))
        out = []
        for name in names:
            hit = self.table.get(name)
            if hit is None:
                out.append(_Result(name, None, None, None, None, None, 0.0, None, "none"))
            else:
                lat, lon, country, kind, conf = hit
                out.append(_Result(name, name, lat, lon, country, kind, conf, name, "table"))
        return out


PLACES = {
    "Aleppo": (36.2021, 37.1343, "SY", "city", 0.95),
    "Al-Qaim": (34.3687, 41.0945, "IQ", "town", 0.9),
    "Homs": (34.7324, 36.7137, "SY", "city", 0.5),
}


@pytest.fixture
def atlas(tmp_path: Path) -> AtlasData:
    events = [
        *EVENT_ROWS,
        event_row(id="t3", place="Nowhere-on-Earth"),
        event_row(id="t4", place="Homs"),
    ]
    ann = load_annotations(write_dataset(tmp_path, events=events))
    return join_annotations(ann, geocoder=TableGeocoder(PLACES))


def test_joined_tables_have_exactly_the_shared_schemas_in_epsg_4326(atlas: AtlasData) -> None:
    assert list(atlas.events.columns) == list(EVENT_SCHEMA)
    assert list(atlas.control.columns) == list(CONTROL_SCHEMA)
    assert atlas.events.crs.to_epsg() == 4326 and atlas.control.crs.to_epsg() == 4326
    assert atlas.events["date"].dtype == "datetime64[ns]"
    assert atlas.control["valid_from"].dtype == "datetime64[ns]"
    assert atlas.events["geo_confidence"].dtype == "float64"


def test_geometry_x_is_longitude_and_y_is_latitude(atlas: AtlasData) -> None:
    aleppo = atlas.events[atlas.events["place"] == "Aleppo"].iloc[0]
    assert (aleppo.geometry.x, aleppo.geometry.y) == (37.1343, 36.2021)
    assert (aleppo["lat"], aleppo["lon"]) == (36.2021, 37.1343)
    assert aleppo["country"] == "SY"


def test_unresolved_place_is_kept_without_geometry_and_listed_in_the_report(
    atlas: AtlasData,
) -> None:
    lost = atlas.events[atlas.events["id"] == "t3"].iloc[0]
    assert lost.geometry is None and pd.isna(lost["lat"])
    report = atlas.join_report
    row = report[report["status"] == "unresolved"].iloc[0]
    assert (row["file"], row["row"], row["place"]) == ("events.csv", 4, "Nowhere-on-Earth")
    assert any(
        str(i)
        == "events.csv:4: place 'Nowhere-on-Earth' not found by the geocoder (no match); kept without coordinates"
        for i in atlas.issues
    )


def test_low_confidence_match_is_reported_but_placed(atlas: AtlasData) -> None:
    homs = atlas.join_report[atlas.join_report["status"] == "low_confidence"]
    assert homs[["place", "row", "confidence"]].values.tolist() == [["Homs", 5, 0.5]]
    assert atlas.events.set_index("id").loc["t4", "geometry"] is not None


def test_explicit_lat_lon_override_the_geocoder(tmp_path: Path) -> None:
    events = [event_row(place="Aleppo", lat="36.0", lon="37.0")]
    ann = load_annotations(write_dataset(tmp_path, events=events))
    atlas = join_annotations(ann, geocoder=TableGeocoder(PLACES))
    row = atlas.events.iloc[0]
    assert (row["lat"], row["lon"], row["geo_confidence"]) == (36.0, 37.0, 1.0)


def test_each_unique_place_is_geocoded_once(tmp_path: Path) -> None:
    events = [event_row(id=str(i)) for i in range(20)]
    geocoder = TableGeocoder(PLACES)
    join_annotations(load_annotations(write_dataset(tmp_path, events=events)), geocoder=geocoder)
    assert len(geocoder.calls) == 1
    assert sorted(geocoder.calls[0]) == ["Al-Qaim", "Aleppo"]


def test_merged_upload_adds_rows_and_grey_factions_for_unknown_actors(atlas: AtlasData) -> None:
    from _annotation_helpers import csv_text

    from geo.annotations import EVENT_COLUMNS, parse_upload

    data = csv_text(
        EVENT_COLUMNS, [event_row(id="u1", place="Aleppo"), event_row(id="t1")]
    ).encode()
    kind, frame, issues = parse_upload("mine.csv", data, factions=atlas.factions)
    assert kind == "events" and issues == []
    merged = atlas.merged(join_upload(kind, frame, geocoder=TableGeocoder(PLACES)))
    assert len(merged.events) == len(atlas.events) + 2
    assert merged.factions["id"].is_unique
    assert merged.factions.set_index("id").loc["hts", "colour"] == "#009e73"
    assert any("event id 't1' already exists" in i.reason for i in merged.issues)


def test_with_the_real_offline_geocoder_aleppo_resolves_in_syria_and_al_qaim_keeps_its_override(
    tmp_path: Path,
) -> None:
    events = [*EVENT_ROWS, event_row(id="t3", place="Qqqxyzzy Nowhere")]
    atlas = join_annotations(
        load_annotations(write_dataset(tmp_path, events=events)), geocoder=real_geocoder()
    )
    by_id = atlas.events.set_index("id")
    assert by_id.loc["t1", "country"] == "SY"
    assert by_id.loc["t1", "lat"] == pytest.approx(36.2, abs=0.1)
    assert by_id.loc["t1", "lon"] == pytest.approx(37.15, abs=0.1)
    assert (by_id.loc["t2", "lat"], by_id.loc["t2", "lon"]) == (34.37, 41.09)  # explicit override
    assert by_id.loc["t2", "country"] == "IQ"  # Al-Qaim is in Iraq, not its Syrian twin town
    assert atlas.join_report[["place", "status"]].values.tolist() == [
        ["Qqqxyzzy Nowhere", "unresolved"]
    ]


def test_explicit_coordinates_take_their_country_from_the_point_not_the_name(
    tmp_path: Path,
) -> None:
    events = [
        event_row(id="p1", place="Unlisted desert camp", lat="34.56", lon="38.28"),  # Palmyra area
        event_row(id="p2", place="Aleppo", lat="33.31", lon="44.36"),  # Baghdad's coordinates
    ]
    ann = load_annotations(write_dataset(tmp_path, events=events))
    atlas = join_annotations(ann, geocoder=TableGeocoder(PLACES))
    assert atlas.events.set_index("id")["country"].to_dict() == {"p1": "SY", "p2": "IQ"}
    assert atlas.join_report.empty  # explicit coordinates need no geocoding
