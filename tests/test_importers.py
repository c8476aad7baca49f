"""ACLED and UCDP GED imports, on files written in their real column layouts (our own text)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from _annotation_helpers import FACTIONS_ROWS, csv_text, factions_frame, write_dataset

from geo.annotations import parse_upload
from geo.annotations.importers import (
    ACLED_COLUMNS,
    UCDP_COLUMNS,
    import_acled,
    import_acled_bytes,
    import_ucdp_bytes,
)

ROOT = Path(__file__).resolve().parents[1]

ACLED_BASE = {
    "year": "2024",
    "time_precision": "1",
    "disorder_type": "Political violence",
    "inter1": "2",
    "inter2": "1",
    "interaction": "12",
    "civilian_targeting": "",
    "iso": "760",
    "region": "Middle East",
    "country": "Syria",
    "geo_precision": "1",
    "source_scale": "National",
    "fatalities": "0",
    "tags": "",
    "timestamp": "1733900000",
}
ACLED_ROWS = [
    {
        **ACLED_BASE,
        "event_id_cnty": "SYR90001",
        "event_date": "2024-11-30",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "actor1": "Hayat Tahrir al-Sham",
        "actor2": "Military Forces of Syria (2000-2024)",
        "admin1": "Aleppo",
        "admin2": "Jebel Saman",
        "admin3": "Jebel Saman",
        "location": "Aleppo",
        "latitude": "36.2021",
        "longitude": "37.1343",
        "source": "Test Observatory",
        "notes": "Test note: opposition fighters reached the citadel area.",
        "fatalities": "12",
    },
    {
        **ACLED_BASE,
        "event_id_cnty": "SYR90002",
        "event_date": "08 December 2024",
        "time_precision": "2",
        "event_type": "Strategic developments",
        "sub_event_type": "Non-violent transfer of territory",
        "actor1": "SDF: Syrian Democratic Forces",
        "actor2": "",
        "admin1": "Deir ez-Zor",
        "location": "Deir ez-Zor",
        "latitude": "35.3359",
        "longitude": "40.1408",
        "geo_precision": "2",
        "source": "Test Agency",
        "notes": "Test note: the city was handed over without fighting.",
    },
    {
        **ACLED_BASE,
        "event_id_cnty": "SYR90003",
        "event_date": "2024-12-03",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Unidentified Armed Group (Syria)",
        "actor2": "Civilians (Syria)",
        "location": "Idlib",
        "latitude": "35.9306",
        "longitude": "36.6339",
        "source": "Test Monitor",
        "notes": "Test note: a strike hit a market.",
    },
]

UCDP_BASE = {
    "relid": "SYR-2024-1-1",
    "year": "2024",
    "active_year": "1",
    "code_status": "Clear",
    "conflict_dset_id": "299",
    "conflict_new_id": "299",
    "conflict_name": "Syria: Government",
    "dyad_dset_id": "11111",
    "dyad_new_id": "11111",
    "dyad_name": "Government of Syria - Syrian insurgents",
    "side_a_dset_id": "652",
    "side_a_new_id": "130",
    "side_b_dset_id": "9999",
    "side_b_new_id": "9999",
    "number_of_sources": "2",
    "source_article": "Test wire 2024-12-05",
    "source_office": "Test wire",
    "source_date": "2024-12-05",
    "source_headline": "Test headline",
    "source_original": "Test correspondent",
    "where_description": "Hama city",
    "adm_1": "Hama governorate",
    "adm_2": "Hama district",
    "geom_wkt": "POINT (36.75 35.13)",
    "priogrid_gid": "180000",
    "country": "Syria",
    "country_id": "652",
    "region": "Middle East",
    "gwnoa": "652",
    "gwnob": "",
}
UCDP_ROWS = [
    {
        **UCDP_BASE,
        "id": "500001",
        "type_of_violence": "1",
        "side_a": "Government of Syria",
        "side_b": "Syrian insurgents",
        "where_prec": "1",
        "where_coordinates": "Hama town",
        "latitude": "35.13",
        "longitude": "36.75",
        "event_clarity": "1",
        "date_prec": "1",
        "date_start": "2024-12-05 00:00:00.000",
        "date_end": "2024-12-05 00:00:00.000",
        "deaths_a": "10",
        "deaths_b": "20",
        "deaths_civilians": "2",
        "deaths_unknown": "0",
        "best": "32",
        "high": "40",
        "low": "30",
    },
    {
        **UCDP_BASE,
        "id": "500002",
        "type_of_violence": "3",
        "conflict_name": "IS - civilians",
        "side_a": "IS",
        "side_b": "Civilians",
        "where_prec": "4",
        "where_coordinates": "",
        "adm_2": "",
        "adm_1": "Homs governorate",
        "latitude": "34.5",
        "longitude": "38.3",
        "event_clarity": "2",
        "date_prec": "3",
        "date_start": "2024-12-01",
        "date_end": "2024-12-20",
        "best": "3",
        "high": "3",
        "low": "3",
    },
    {
        **UCDP_BASE,
        "id": "500003",
        "type_of_violence": "2",
        "side_a": "SDF",
        "side_b": "Syrian insurgents",
        "where_prec": "9",
        "where_coordinates": "Manbij town",
        "latitude": "36.53",
        "longitude": "37.95",
        "event_clarity": "1",
        "date_prec": "1",
        "date_start": "2024-12-09",
        "date_end": "2024-12-08",
        "best": "5",
        "high": "5",
        "low": "5",
    },
]


def _factions() -> pd.DataFrame:
    frame = factions_frame()
    frame.loc[frame["id"] == "government", "aliases"] += ";Government of Syria"
    return frame


def _acled(rows, columns=ACLED_COLUMNS):
    data = csv_text(columns, rows).encode()
    return import_acled_bytes(data, name="acled.csv", factions=_factions())


def test_current_31_column_acled_export_imports_every_row() -> None:
    events, issues = _acled(ACLED_ROWS)
    assert events["id"].tolist() == ["SYR90001", "SYR90002", "SYR90003"]
    assert events["row"].tolist() == [2, 3, 4]
    assert not [i for i in issues if i.severity == "error"]


def test_acled_actors_map_to_factions_through_aliases() -> None:
    events, _ = _acled(ACLED_ROWS)
    assert events[["faction", "faction2"]].values.tolist()[:2] == [
        ["hts", "government"],
        ["sdf", ""],
    ]


def test_unknown_acled_actors_are_kept_as_raw_text_and_reported() -> None:
    events, issues = _acled(ACLED_ROWS)
    third = events.set_index("id").loc["SYR90003"]
    assert (third["faction"], third["faction2"]) == (
        "Unidentified Armed Group (Syria)",
        "Civilians (Syria)",
    )
    reasons = [str(i) for i in issues]
    assert (
        "acled.csv:4: unknown actor 'Unidentified Armed Group (Syria)' (1 row(s); not an id, "
        "name or alias in factions.csv): kept as raw text" in reasons
    )
    assert all(i.severity == "warning" for i in issues)


def test_ucdp_and_acled_names_of_our_factions_map_to_them() -> None:
    from geo.annotations import read_factions_file
    from geo.annotations.factions import faction_for_actor
    from geo.schema import DATA_DIR

    factions, issues = read_factions_file(DATA_DIR / "factions.csv")
    assert issues == []
    named = {
        "Government of Syria": "gov",
        "Military Forces of Syria (2000-2024)": "gov",
        "Military Forces of Syria (2024-)": "hts",
        "SDF": "sdf",
        "SDF: Syrian Democratic Forces": "sdf",
        "IS": "isis",
        "Islamic State (Syria)": "isis",
        "Government of Iraq": "iraq",
        "Military Forces of Turkey (2016-)": "turkey",
        "Government of Russia (Soviet Union)": "russia",
    }
    assert {a: faction_for_actor(a, factions) for a in named} == named


def test_an_unknown_actor_that_looks_like_a_spreadsheet_formula_is_kept_neutralised() -> None:
    rows = [{**ACLED_ROWS[0], "actor1": '=HYPERLINK("http://evil.example")', "actor2": "@SUM(A1)"}]
    events, issues = _acled(rows)
    first = events.iloc[0]
    assert (first["faction"], first["faction2"]) == (
        '\'=HYPERLINK("http://evil.example")',
        "'@SUM(A1)",
    )
    reasons = [str(i) for i in issues]
    assert any(r.startswith("acled.csv:2: column 'faction' starts like a spreadsheet formula")
               for r in reasons)  # fmt: skip


def test_acled_long_dates_precision_codes_and_fatalities_carry_over() -> None:
    events = _acled(ACLED_ROWS)[0].set_index("id")
    assert events.loc["SYR90002", "date"] == pd.Timestamp("2024-12-08")
    assert events.loc["SYR90002", "date_precision"] == "week"
    assert events.loc["SYR90002", "geo_precision"] == "acled:2"
    assert events.loc["SYR90001", "description"].endswith("Fatalities (ACLED): 12.")
    assert events.loc["SYR90001", "source"] == "ACLED: Test Observatory"
    assert (events.loc["SYR90001", "lat"], events.loc["SYR90001", "lon"]) == (36.2021, 37.1343)


def test_older_acled_export_without_newer_columns_imports() -> None:
    old = [c for c in ACLED_COLUMNS if c not in ("civilian_targeting", "tags", "disorder_type")]
    events, issues = _acled(ACLED_ROWS, columns=old)
    assert len(events) == 3 and not [i for i in issues if i.severity == "error"]


def test_acled_row_with_a_bad_date_is_reported_with_its_source_row() -> None:
    rows = [ACLED_ROWS[0], {**ACLED_ROWS[1], "event_date": "31 February 2024"}]
    events, issues = _acled(rows)
    assert events["id"].tolist() == ["SYR90001"]
    assert "acled.csv:3: unparseable date '31 February 2024' (expected YYYY-MM-DD)" in [
        str(i) for i in issues
    ]


def _ucdp(rows):
    data = csv_text(UCDP_COLUMNS, rows).encode()
    return import_ucdp_bytes(data, name="ged.csv", factions=_factions())


def test_ucdp_ged_rows_map_to_event_types_dates_and_precision() -> None:
    events, issues = _ucdp(UCDP_ROWS[:2])
    assert not [i for i in issues if i.severity == "error"]
    first, second = events.iloc[0], events.iloc[1]
    assert (first["id"], first["event_type"], first["sub_event_type"]) == (
        "UCDP-500001",
        "Battles",
        "Armed clash",
    )
    assert (first["faction"], first["faction2"]) == ("government", "Syrian insurgents")
    assert first["date"] == pd.Timestamp("2024-12-05") and pd.isna(first["end_date"])
    assert first["place"] == "Hama town" and first["geo_precision"] == "ucdp:1"
    assert first["confidence"] == 0.9 and first["description"].startswith("32 deaths")
    assert (second["event_type"], second["sub_event_type"]) == (
        "Violence against civilians",
        "Attack",
    )
    assert (second["date_precision"], second["end_date"]) == ("month", pd.Timestamp("2024-12-20"))
    assert second["place"] == "Homs governorate" and second["confidence"] == 0.6


def test_ucdp_bad_precision_code_and_reversed_dates_are_reported_not_raised() -> None:
    events, issues = _ucdp(UCDP_ROWS)
    assert "UCDP-500003" not in set(events["id"])
    reasons = [str(i) for i in issues if i.row == 4]
    assert any("end_date 2024-12-08 is before date 2024-12-09" in r for r in reasons)
    assert any("geo_precision 'ucdp:9'" in r for r in reasons)


def test_upload_detects_acled_and_ucdp_by_their_columns() -> None:
    kind, frame, _ = parse_upload(
        "export.csv", csv_text(ACLED_COLUMNS, ACLED_ROWS).encode(), factions=_factions()
    )
    assert kind == "acled" and len(frame) == 3
    kind, frame, _ = parse_upload(
        "ged.csv", csv_text(UCDP_COLUMNS, UCDP_ROWS[:1]).encode(), factions=_factions()
    )
    assert kind == "ucdp" and len(frame) == 1


def test_import_command_writes_an_events_csv_that_reads_back(tmp_path: Path) -> None:
    data_dir = write_dataset(tmp_path / "data")
    source = tmp_path / "acled.csv"
    source.write_text(csv_text(ACLED_COLUMNS, ACLED_ROWS), encoding="utf-8")
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "import",
            "acled",
            str(source),
            "--out",
            str(out),
            "--data",
            str(data_dir),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "acled.csv:4: warning: unknown actor 'Unidentified Armed Group (Syria)'" in done.stderr
    written = pd.read_csv(out, dtype="str", keep_default_na=False)
    assert written["id"].tolist() == ["SYR90001", "SYR90002", "SYR90003"]
    assert written.loc[1, "date"] == "2024-12-08"
    kind, frame, issues = parse_upload("out.csv", out.read_bytes(), factions=factions_frame())
    assert kind == "events" and len(frame) == 3
    assert [i for i in issues if i.severity == "error"] == []


def test_import_of_a_missing_file_raises_a_data_file_error(tmp_path: Path) -> None:
    from geo.errors import DataFileError

    with pytest.raises(DataFileError, match="cannot read file"):
        import_acled(tmp_path / "absent.csv", factions=pd.DataFrame(FACTIONS_ROWS))


def test_imported_acled_upload_joins_with_precision_as_geo_confidence_and_grey_unknown_actors() -> (
    None
):
    from _annotation_helpers import real_geocoder

    from geo.atlas.join import AtlasData, join_upload

    data = csv_text(ACLED_COLUMNS, ACLED_ROWS).encode()
    kind, frame, _ = parse_upload("export.csv", data, factions=_factions())
    addition = join_upload(kind, frame, geocoder=real_geocoder())
    geo_conf = addition.events.set_index("id")["geo_confidence"]
    assert (geo_conf["SYR90001"], geo_conf["SYR90002"]) == (1.0, 0.75)
    merged = AtlasData.empty().merged(addition)
    assert addition.events.set_index("id").loc["SYR90003", "faction"] == "other-sy"
    other = merged.factions.set_index("id").loc["other-sy"]
    assert other["name"] == "other (Syria)"
    assert "Unidentified Armed Group (Syria)" in other["aliases"].split(";")
    assert addition.events.set_index("id").loc["SYR90002", "country"] == "SY"
