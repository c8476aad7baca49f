"""Annotation validation: every bad-input kind is reported as file:row: reason, valid rows load."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from _annotation_helpers import (
    CONTROL_ROWS,
    EVENT_ROWS,
    control_row,
    csv_text,
    event_row,
    factions_frame,
    write_csv,
    write_dataset,
)

from geo.annotations import (
    ACLED_TAXONOMY,
    CONTROL_COLUMNS,
    EVENT_COLUMNS,
    FACTION_COLUMNS,
    faction_for_actor,
    load_annotations,
    read_areas_bytes,
    read_control_bytes,
    read_events_bytes,
)


def _events(rows, **options):
    data = csv_text(EVENT_COLUMNS, rows).encode()
    return read_events_bytes(data, name="events.csv", factions=factions_frame(), **options)


def _reasons(issues) -> list[str]:
    return [str(i) for i in issues]


def test_clean_dataset_loads_every_row_with_typed_columns(tmp_path: Path) -> None:
    ann = load_annotations(write_dataset(tmp_path))
    assert ann.errors == ()
    assert len(ann.events) == len(EVENT_ROWS)
    assert len(ann.control) == len(CONTROL_ROWS)
    assert ann.events["date"].dtype == "datetime64[ns]"
    assert ann.control["valid_from"].dtype == "datetime64[ns]"
    assert ann.events["confidence"].dtype == "float64"
    assert ann.events["row"].tolist() == [2, 3]
    assert ann.control["status"].tolist() == ["held", "contested", "held"]
    assert list(ann.factions.columns) == list(FACTION_COLUMNS)
    assert ann.areas.crs == "EPSG:4326" and len(ann.areas) == 0


def test_impossible_date_is_reported_with_its_row_and_other_rows_still_load() -> None:
    events, issues = _events([event_row(id="a"), event_row(id="b", date="2024-02-30")])
    assert events["id"].tolist() == ["a"]
    assert _reasons(issues) == ["events.csv:3: impossible date '2024-02-30' (no such day)"]


def test_unparseable_date_shows_the_value_and_the_expected_format() -> None:
    _, issues = _events([event_row(date="8th Dec")])
    assert _reasons(issues) == ["events.csv:2: unparseable date '8th Dec' (expected YYYY-MM-DD)"]


def test_end_date_before_start_is_an_error() -> None:
    events, issues = _events([event_row(date="2024-12-08", end_date="2024-12-01")])
    assert events.empty
    assert "end_date 2024-12-01 is before date 2024-12-08" in issues[0].reason


def test_unknown_faction_is_an_error_naming_the_value() -> None:
    events, issues = _events([event_row(faction="Wagner")])
    assert events.empty
    assert "unknown faction 'Wagner'" in issues[0].reason


def test_faction_alias_is_accepted_with_a_warning_and_replaced_by_the_id() -> None:
    events, issues = _events([event_row(faction="Tahrir al-Sham", faction2="regime forces")])
    assert events[["faction", "faction2"]].values.tolist() == [["hts", "government"]]
    assert {i.severity for i in issues} == {"warning"}


def test_unknown_faction_can_be_kept_as_raw_text_for_imports() -> None:
    events, issues = _events(
        [event_row(faction="Unidentified Armed Group (Syria)")], unknown_factions="warning"
    )
    assert events["faction"].tolist() == ["Unidentified Armed Group (Syria)"]
    assert issues[0].severity == "warning"


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("95", "136.2", "lat 95 is outside -90..90"),
        ("36.2", "200", "lon 200 is outside -180..180"),
        ("abc", "36.2", "lat 'abc' is not a number"),
        ("37.16", "", "give both lat and lon, or neither"),
    ],
)
def test_bad_coordinates_are_errors_showing_the_value(lat: str, lon: str, expected: str) -> None:
    events, issues = _events([event_row(lat=lat, lon=lon)])
    assert events.empty
    assert any(expected in i.reason for i in issues), _reasons(issues)


def test_events_anywhere_in_the_world_load_without_a_warning() -> None:
    # Kyiv, Sarajevo, Bamako, Lima: none is refused or warned about for where it is.
    rows = [
        event_row(id="kyiv", lat="50.45", lon="30.52"),
        event_row(id="sarajevo", lat="43.86", lon="18.41"),
        event_row(id="bamako", lat="12.64", lon="-8.0"),
        event_row(id="lima", lat="-12.05", lon="-77.04"),
    ]
    events, issues = _events(rows)
    assert len(events) == 4
    assert not issues, _reasons(issues)


def test_a_certainly_swapped_pair_is_swapped_back_with_a_warning_not_dropped() -> None:
    # Baghdad is lat 33.31, lon 44.36; given as lat 144.36 (impossible) it can only be a swap.
    events, issues = _events([event_row(place="Baghdad", lat="120.5", lon="33.31")])
    assert len(events) == 1
    assert (events["lat"].iloc[0], events["lon"].iloc[0]) == (33.31, 120.5)
    assert issues[0].severity == "warning" and "are swapped" in issues[0].reason


def test_a_plausible_swap_is_not_guessed() -> None:
    # lat 44.36, lon 33.31 is in Crimea: a valid point, kept as given.
    events, issues = _events([event_row(place="Baghdad", lat="44.36", lon="33.31")])
    assert len(events) == 1 and events["lat"].iloc[0] == 44.36
    assert not issues, _reasons(issues)


def test_negative_coordinates_are_numbers_not_formulas() -> None:
    events, issues = _events([event_row(lat="-3.5", lon="-40.2")])
    assert len(events) == 1 and events["lat"].iloc[0] == -3.5
    assert not any("formula" in i.reason for i in issues)


def test_duplicate_event_ids_keep_the_first_and_report_the_second() -> None:
    events, issues = _events([event_row(id="x"), event_row(id="x", place="Homs")])
    assert events["place"].tolist() == ["Aleppo"]
    assert _reasons(issues) == ["events.csv:3: duplicate id 'x' (first on row 2)"]


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"])
def test_formula_cells_in_text_are_neutralised_and_reported(cell: str) -> None:
    events, issues = _events([event_row(description=cell)])
    assert events["description"].tolist() == ["'" + cell]
    assert issues[0].severity == "warning" and "spreadsheet formula" in issues[0].reason


def test_formula_in_a_numeric_column_is_an_error() -> None:
    events, issues = _events([event_row(confidence="=1")])
    assert events.empty and "confidence '=1' is not a number" in issues[0].reason


@pytest.mark.parametrize("value", ["1.5", "-0.1"])
def test_confidence_outside_zero_to_one_is_an_error(value: str) -> None:
    events, issues = _events([event_row(confidence=value)])
    assert events.empty and f"confidence {value} is outside 0..1" in issues[-1].reason


def test_unknown_event_type_and_wrong_sub_type_are_errors() -> None:
    events, issues = _events(
        [event_row(event_type="Skirmish"), event_row(id="b", sub_event_type="Air/drone strike")]
    )
    assert events.empty
    assert "unknown event_type 'Skirmish'" in issues[0].reason
    assert "'Air/drone strike' is not a sub-type of 'Battles'" in issues[1].reason


def test_event_type_case_is_normalised_to_acleds_spelling() -> None:
    events, _ = _events([event_row(event_type="battles", sub_event_type="armed clash")])
    assert events[["event_type", "sub_event_type"]].values.tolist() == [["Battles", "Armed clash"]]


def test_acled_territory_sub_types_are_in_the_taxonomy() -> None:
    assert "Government regains territory" in ACLED_TAXONOMY["Battles"]
    assert "Non-state actor overtakes territory" in ACLED_TAXONOMY["Battles"]
    assert "Non-violent transfer of territory" in ACLED_TAXONOMY["Strategic developments"]


def test_javascript_source_url_is_refused() -> None:
    events, issues = _events([event_row(source_url="javascript:alert(1)")])
    assert events.empty and "is not an http(s) URL" in issues[0].reason


def test_missing_required_column_loads_nothing_and_says_which() -> None:
    columns = [c for c in EVENT_COLUMNS if c != "date"]
    data = csv_text(columns, [event_row()]).encode()
    events, issues = read_events_bytes(data, name="events.csv", factions=factions_frame())
    assert events.empty
    assert "missing required column(s) 'date'" in str(issues[0]) and issues[0].row == 1


def test_extra_column_is_a_warning_and_rows_still_load() -> None:
    data = csv_text([*EVENT_COLUMNS, "casualties"], [event_row()]).encode()
    events, issues = read_events_bytes(data, name="events.csv", factions=factions_frame())
    assert len(events) == 1
    assert _reasons(issues) == ["events.csv:1: unknown column 'casualties' ignored"]


def test_empty_file_is_reported_not_raised() -> None:
    events, issues = read_events_bytes(b"", name="events.csv", factions=factions_frame())
    assert events.empty and _reasons(issues) == ["events.csv: empty file (no header row)"]


def test_over_long_description_is_reported_and_the_row_left_out() -> None:
    events, issues = _events(
        [event_row(description="x" * 60), event_row(id="b")], max_field_chars=50
    )
    assert events["id"].tolist() == ["b"]
    assert "longer than 50 characters" in str(issues[0]) and issues[0].row == 2


def test_control_bad_status_and_duplicate_claim_are_reported() -> None:
    rows = [control_row(), control_row(), control_row(place="Homs", status="sieged")]
    data = csv_text(CONTROL_COLUMNS, rows).encode()
    control, issues = read_control_bytes(data, name="control.csv", factions=factions_frame())
    assert len(control) == 1
    assert _reasons(issues) == [
        "control.csv:3: duplicate claim 'Aleppo 2024-11-26 government' (first on row 2)",
        "control.csv:4: status 'sieged' is not one of held, contested, besieged",
    ]


def test_control_rows_from_geojson_points_take_lat_lon_from_the_geometry() -> None:
    feature = {
        "type": "Feature",
        "properties": {k: v for k, v in control_row().items() if k not in ("lat", "lon")},
        "geometry": {"type": "Point", "coordinates": [37.16, 36.20]},  # GeoJSON is (lon, lat)
    }
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    control, issues = read_control_bytes(data, name="control.geojson", factions=factions_frame())
    assert issues == []
    assert control[["lat", "lon"]].values.tolist() == [[36.2, 37.16]]


def _area(geometry: dict, **props: str) -> dict:
    base = {"faction": "sdf", "valid_from": "2024-12-01", "source": "Test map", "confidence": "0.7"}
    return {"type": "Feature", "properties": {**base, **props}, "geometry": geometry}


def test_control_areas_validate_geometry_type_faction_and_repair_bowties() -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[38, 36], [39, 36], [39, 37], [38, 37], [38, 36]]],
    }
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[38, 36], [39, 37], [39, 36], [38, 37], [38, 36]]],
    }
    point = {"type": "Point", "coordinates": [38, 36]}
    features = [
        _area(square),
        _area(bowtie),
        _area(point),
        _area(square, faction="nobody"),
        _area(square, valid_to="2024-11-01"),
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    areas, issues = read_areas_bytes(data, name="control_areas.geojson", factions=factions_frame())
    assert areas["row"].tolist() == [1, 2]
    assert areas.geometry.is_valid.all() and areas.crs == "EPSG:4326"
    reasons = _reasons(issues)
    assert (
        "control_areas.geojson:2: polygon is invalid (self-intersection?); repaired with make_valid"
        in reasons
    )
    assert "control_areas.geojson:3: geometry is not a Polygon or MultiPolygon" in reasons
    assert any(r.startswith("control_areas.geojson:4: unknown faction 'nobody'") for r in reasons)
    assert any(
        r.startswith("control_areas.geojson:5: valid_to 2024-11-01 is before") for r in reasons
    )


def test_areas_file_that_is_not_json_is_one_file_level_error() -> None:
    areas, issues = read_areas_bytes(
        b"{oops", name="control_areas.geojson", factions=factions_frame()
    )
    assert areas.empty and issues[0].row is None and "not valid JSON" in issues[0].reason


def test_missing_events_file_is_an_issue_not_a_traceback(tmp_path: Path) -> None:
    write_dataset(tmp_path)
    (tmp_path / "events.csv").unlink()
    ann = load_annotations(tmp_path)
    assert ann.events.empty and len(ann.control) == len(CONTROL_ROWS)
    assert any(str(i).startswith("events.csv: cannot read file") for i in ann.issues)


def test_bad_faction_colour_falls_back_to_grey_with_a_warning(tmp_path: Path) -> None:
    rows = [{"id": "x", "name": "X", "aliases": "", "colour": "red", "description": ""}]
    write_csv(tmp_path / "factions.csv", FACTION_COLUMNS, rows)
    from geo.annotations import read_factions_file

    factions, issues = read_factions_file(tmp_path / "factions.csv")
    assert factions["colour"].tolist() == ["#808080"]
    assert "colour 'red' is not #rrggbb" in str(issues[0])


def test_actor_matching_ignores_case_spaces_hyphens_and_acled_suffixes() -> None:
    factions = factions_frame()
    assert faction_for_actor("hayat tahrir al sham", factions) == "hts"
    assert faction_for_actor("Military Forces of Syria (2000-2024)", factions) == "government"
    assert faction_for_actor("Iraqi-Border Forces", factions) == "iraq"
    assert faction_for_actor("Civilians (Syria)", factions) is None
    assert faction_for_actor("", factions) is None


def test_every_row_of_a_mixed_file_is_loaded_or_reported() -> None:
    rows = [
        event_row(id=str(i), date=d)
        for i, d in enumerate(["2024-12-01", "x", "2024-13-01", "2024-12-02"])
    ]
    events, issues = _events(rows)
    errors = {i.row for i in issues if i.severity == "error"}
    assert set(events["row"]) | errors == {2, 3, 4, 5}
    assert set(events["row"]).isdisjoint(errors)


def test_frames_use_nan_for_absent_coordinates() -> None:
    events, _ = _events([event_row()])
    assert pd.isna(events["lat"].iloc[0]) and pd.isna(events["lon"].iloc[0])
