"""Property-based tests of the annotation parsers: never raise; every row is loaded or reported."""

from __future__ import annotations

import json

import pandas as pd
from _annotation_helpers import csv_text, factions_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.annotations import (
    CONTROL_COLUMNS,
    EVENT_COLUMNS,
    parse_upload,
    read_areas_bytes,
    read_control_bytes,
    read_events_bytes,
)

FACTIONS = factions_frame()


def _mixed(valid: list[str]) -> st.SearchStrategy[str]:
    """Mostly plausible values, sometimes junk (formulas, spaces, unicode, empty)."""
    junk = st.sampled_from(
        ["", " ", "=1+1", "-", "@x", "2024-02-30", "nan", "1e400", "٣", "\u200b"]
    )
    return st.one_of(st.sampled_from(valid), junk, st.text(max_size=12))


EVENT_FIELDS = {
    "id": _mixed(["a", "b", "c"]),
    "date": _mixed(["2024-12-01", "2024-12-08", "2024-13-01", "08/12/2024"]),
    "end_date": _mixed(["", "2024-12-02", "2024-11-01"]),
    "date_precision": _mixed(["", "day", "WEEK", "decade"]),
    "place": _mixed(["Homs", "Al-Bukamal", "Dayr az-Zawr"]),
    "lat": _mixed(["", "34.7", "-3.5", "91", "44.4"]),
    "lon": _mixed(["", "36.7", "33.3", "181"]),
    "faction": _mixed(["hts", "SAA", "sdf", "Wagner"]),
    "faction2": _mixed(["", "government", "nobody"]),
    "event_type": _mixed(["Battles", "battles", "Riots", "Skirmish"]),
    "sub_event_type": _mixed(["Armed clash", "Mob violence", "Other"]),
    "description": _mixed(["fine", "=cmd|' /C calc'!A0"]),
    "source": _mixed(["Test wire", ""]),
    "source_url": _mixed(["", "https://example.org/x", "javascript:alert(1)"]),
    "confidence": _mixed(["0.5", "1", "1.5", "-0"]),
}
CONTROL_FIELDS = {
    "place": _mixed(["Homs", "Manbij"]),
    "faction": _mixed(["hts", "sdf", "Wagner"]),
    "valid_from": _mixed(["2024-11-26", "2024-12-08", "2024-02-30"]),
    "status": _mixed(["", "held", "Contested", "sieged"]),
    "confidence": _mixed(["0.9", "2"]),
    "source": _mixed(["Test map"]),
    "note": _mixed(["", "+note"]),
    "lat": _mixed(["", "36.5"]),
    "lon": _mixed(["", "37.9"]),
}


def _assert_loaded_or_reported(frame: pd.DataFrame, issues, rows: list[dict[str, str]]) -> None:
    if any(i.row is None and i.severity == "error" for i in issues):
        return  # the file as a whole was refused, and said so
    loaded = set(frame["row"])
    failed = {i.row for i in issues if i.severity == "error"}
    assert not loaded & failed
    for number, row in enumerate(rows, start=2):
        if any(str(v).strip() for v in row.values()):
            assert number in loaded | failed, (number, row)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.fixed_dictionaries(EVENT_FIELDS), max_size=12))
def test_every_event_row_is_loaded_or_reported_and_loaded_rows_are_valid(rows) -> None:
    data = csv_text(EVENT_COLUMNS, rows).encode("utf-8")
    events, issues = read_events_bytes(data, name="events.csv", factions=FACTIONS)
    _assert_loaded_or_reported(events, issues, rows)
    assert events["date"].notna().all()
    assert events["confidence"].between(0, 1).all()
    assert events["faction"].isin(set(FACTIONS["id"])).all()
    assert events["id"].is_unique
    assert not events["description"].str.match(r"[=+\-@]").any()
    assert (events["end_date"].isna() | (events["end_date"] >= events["date"])).all()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.fixed_dictionaries(CONTROL_FIELDS), max_size=12))
def test_every_control_row_is_loaded_or_reported(rows) -> None:
    data = csv_text(CONTROL_COLUMNS, rows).encode("utf-8")
    control, issues = read_control_bytes(data, name="control.csv", factions=FACTIONS)
    _assert_loaded_or_reported(control, issues, rows)
    assert control["status"].isin(["held", "contested", "besieged"]).all()


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=1500), st.sampled_from(["x.csv", "x.geojson", "x.json"]))
def test_any_uploaded_bytes_give_a_kind_and_issues_never_a_traceback(
    data: bytes, name: str
) -> None:
    kind, frame, issues = parse_upload(name, data, factions=FACTIONS)
    assert kind in {"events", "control", "areas", "acled", "ucdp", "unknown"}
    assert isinstance(frame, pd.DataFrame)
    assert all(isinstance(i.reason, str) and i.reason for i in issues)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=40, deadline=None)
@given(st.lists(json_values, max_size=5))
def test_arbitrary_json_features_in_an_areas_file_never_raise(features) -> None:
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    areas, issues = read_areas_bytes(data, name="areas.geojson", factions=FACTIONS)
    assert len(areas) <= len(features)
    assert (
        len(areas) + len({i.row for i in issues if i.severity == "error"}) >= len(features)
        or not features
    )
