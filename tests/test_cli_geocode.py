"""``python -m geo geocode`` and ``geocode-csv`` run as real subprocesses."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from _geocode_helpers import fake_nominatim, km_between

ROOT = Path(__file__).resolve().parents[1]


def geo_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_geocode_json_is_an_array_in_input_order_with_nulls_for_misses() -> None:
    out = geo_cli("geocode", "--json", "Deir al-Zour", "Hezbollah", "Al Qaim", "Xqwertyabad")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["query"] for r in rows] == ["Deir al-Zour", "Hezbollah", "Al Qaim", "Xqwertyabad"]
    for row in rows:
        assert list(row) == [
            "query",
            "name",
            "lat",
            "lon",
            "country",
            "kind",
            "confidence",
            "source",
        ]
    assert km_between(rows[0]["lat"], rows[0]["lon"], 35.33, 40.14) < 10
    assert rows[1]["lat"] is None and rows[1]["lon"] is None and rows[3]["name"] is None
    assert rows[2]["country"] == "IQ"


def test_geocode_table_shows_resolved_rows_and_the_reason_for_misses() -> None:
    out = geo_cli("geocode", "Homs", "Jolani")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert lines[0].split()[:2] == ["query", "name"]
    assert "34.72" in lines[1] and "SY" in lines[1]
    assert lines[2].startswith("Jolani") and "unresolved" in lines[2]


def test_country_option_restricts_and_a_bad_code_is_a_clear_error() -> None:
    out = geo_cli("geocode", "--json", "--country", "LY", "Tripoli")
    assert json.loads(out.stdout)[0]["country"] == "LY"
    bad = geo_cli("geocode", "--country", "Syria", "Homs")
    assert bad.returncode == 1 and "Syria" in bad.stderr


def test_geocode_csv_adds_columns_and_reports_unresolved_rows(tmp_path: Path) -> None:
    src = tmp_path / "places.csv"
    src.write_text('id,place,note\n1,Raqqah,a\n2,Popular Mobilization Forces,b\n3,"Tell Abyad",c\n4,,d\n',
                   encoding="utf-8")  # fmt: skip
    dst = tmp_path / "out.csv"
    out = geo_cli("geocode-csv", str(src), "--column", "place", "--out", str(dst))
    assert out.returncode == 0, out.stderr
    with open(dst, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "id",
        "place",
        "note",
        "lat",
        "lon",
        "country",
        "confidence",
        "matched_name",
    ]
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert km_between(float(rows[0]["lat"]), float(rows[0]["lon"]), 35.95, 39.01) < 10
    assert rows[1]["lat"] == "" and rows[1]["matched_name"] == ""
    assert rows[2]["country"] == "SY"
    assert f"{src}:3: unresolved 'Popular Mobilization Forces'" in out.stderr
    assert f"{src}:5: unresolved ''" in out.stderr
    assert f"{src}:2:" not in out.stderr


def test_geocode_csv_with_a_missing_column_names_the_columns(tmp_path: Path) -> None:
    src = tmp_path / "x.csv"
    src.write_text("id,town\n1,Homs\n", encoding="utf-8")
    out = geo_cli("geocode-csv", str(src), "--column", "place")
    assert out.returncode == 1 and "'place'" in out.stderr and "town" in out.stderr


def test_online_flag_falls_back_to_the_online_geocoder_for_misses(tmp_path: Path) -> None:
    with fake_nominatim() as server:
        out = geo_cli("geocode", "--json", "--online", "--online-domain", server.domain,
                      "--online-scheme", "http", "--online-cache", str(tmp_path / "c.sqlite"),
                      "Homs", "Umm Testin")  # fmt: skip
        assert out.returncode == 0, out.stderr
        homs, other = json.loads(out.stdout)
        assert homs["source"] == "geonames" and other["source"] == "nominatim"
        assert set(server.hits) == {"Umm Testin"}
