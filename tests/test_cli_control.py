"""``python -m geo borders``, ``control`` and ``change`` on the bundled data and on synthetic claims."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.cli import main
from geo.cli._control import report_dict, report_table
from geo.territory import change_between
from geo.territory.claims import TerritoryOptions

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_control_command_writes_areas_and_frontlines_as_one_feature_collection(tmp_path, capsys):
    out = tmp_path / "control.geojson"
    code, _, _ = _run(capsys, "control", "--date", "2024-12-03", "--data", str(DATA), "--out",
                      str(out))  # fmt: skip
    assert code == 0
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert collection["date"] == "2024-12-03"
    kinds = {feature["properties"]["kind"] for feature in collection["features"]}
    assert kinds == {"area", "frontline"}
    areas = [f for f in collection["features"] if f["properties"]["kind"] == "area"]
    fronts = [f for f in collection["features"] if f["properties"]["kind"] == "frontline"]
    assert {"gov", "hts"} <= {f["properties"]["faction"] for f in areas}
    assert all(f["properties"]["area_km2"] > 0 for f in areas)
    assert all(isinstance(f["properties"]["uncertain"], bool) for f in areas)
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in areas)
    assert ["gov", "hts"] in [f["properties"]["factions"] for f in fronts]
    assert all(f["geometry"]["type"] == "LineString" for f in fronts)
    assert all(f["properties"]["length_km"] > 0 for f in fronts)
    # GeoJSON order: (lon, lat); everything here lies between 29N-38N and 35E-49E.
    lon, lat = fronts[0]["geometry"]["coordinates"][0]
    assert 35 < lon < 49 and 29 < lat < 38


@pytest.mark.slow
def test_python_m_geo_control_prints_geojson_to_stdout_without_out():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "control", "--date", "2024-12-09", "--data", str(DATA)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    collection = json.loads(done.stdout)
    factions = {f["properties"].get("faction") for f in collection["features"]}
    assert "hts" in factions and "gov" not in factions


def test_change_command_json_lists_gains_losses_and_places_that_changed_hands(capsys):
    code, out, _ = _run(capsys, "change", "--from", "2024-11-26", "--to", "2024-12-09",
                        "--data", str(DATA), "--json")  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert (report["from"], report["to"]) == ("2024-11-26", "2024-12-09")
    by_faction = {row["faction"]: row for row in report["factions"]}
    assert set(by_faction["gov"]) == {"faction", "gained_km2", "lost_km2", "net_km2"}
    assert by_faction["gov"]["net_km2"] < -10_000
    aleppo = [row for row in report["changed_hands"] if row["place"] == "Aleppo"]
    assert aleppo and aleppo[0]["from_faction"] == "gov" and aleppo[0]["to_faction"] == "hts"
    assert set(aleppo[0]) == {"place", "date", "from_faction", "to_faction", "source",
                              "confidence"}  # fmt: skip
    assert all("2024-11-26" < row["date"] <= "2024-12-09" for row in report["changed_hands"])


def test_change_command_prints_a_table_by_default(capsys):
    code, out, _ = _run(capsys, "change", "--from", "2024-11-26", "--to", "2024-12-09",
                        "--data", str(DATA))  # fmt: skip
    assert code == 0
    assert "gained_km2" in out and "Places that changed hands" in out
    assert any(line.split()[1:2] == ["Aleppo"] for line in out.splitlines())


@pytest.mark.parametrize("command", ["control", "change"])
def test_a_malformed_date_is_refused_naming_the_value(capsys, command):
    argv = ["control", "--date", "2024-12-32"] if command == "control" else [
        "change", "--from", "2024-12-32", "--to", "2024-12-09"]  # fmt: skip
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert "'2024-12-32'" in capsys.readouterr().err


def test_change_with_the_end_before_the_start_fails_with_a_clear_error(capsys):
    code, _, err = _run(capsys, "change", "--from", "2024-12-09", "--to", "2024-11-26",
                        "--data", str(DATA))  # fmt: skip
    assert code == 1
    assert "2024-11-26" in err and "before" in err


def test_borders_command_writes_border_lines_and_crossings_with_their_holders(tmp_path, capsys):
    out = tmp_path / "borders.geojson"
    code, _, _ = _run(capsys, "borders", "--data", str(DATA), "--date", "2024-12-09",
                      "--out", str(out))  # fmt: skip
    assert code == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    borders = [f["properties"] for f in features if f["properties"]["kind"] == "border"]
    crossings = [f["properties"] for f in features if f["properties"]["kind"] == "crossing"]
    iraq_syria = [b for b in borders if b["countries"] == ["IQ", "SY"]]
    assert len(iraq_syria) == 1 and abs(iraq_syria[0]["length_km"] - 599) < 12
    assert crossings and all(c["status"] in {"open", "closed", "unknown"} for c in crossings)
    assert {"name", "aliases", "countries", "held_by"} <= set(crossings[0])
    assert any(c["held_by"] for c in crossings)


def test_borders_table_prints_one_line_per_border_and_crossing(capsys):
    code, out, _ = _run(capsys, "borders", "--data", str(DATA), "--table")
    assert code == 0
    assert any(line.startswith("border") and "IQ-SY" in line for line in out.splitlines())
    assert any(line.startswith("crossing") for line in out.splitlines())


def test_registering_the_commands_does_not_import_geopandas():
    code = (
        "import argparse, sys\n"
        "from geo.cli import _borders, _control\n"
        "sub = argparse.ArgumentParser().add_subparsers()\n"
        "_borders.register(sub); _control.register(sub)\n"
        "print('geopandas' in sys.modules, 'shapely' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert done.stdout.split() == ["False", "False"]


def test_change_report_json_turns_a_first_claim_into_a_null_from_faction():
    control = gpd.GeoDataFrame(
        {
            "place": ["A", "B"],
            "faction": ["x", "y"],
            "valid_from": pd.to_datetime(["2024-11-01", "2024-12-01"]),
            "status": ["held", "held"],
            "source": ["s1", "s2"],
            "confidence": [0.9, float("nan")],
        },
        geometry=gpd.points_from_xy([38.3, 38.5], [34.8, 34.8]),
        crs="EPSG:4326",
    )
    report = change_between(
        control, "2024-11-15", "2024-12-05", options=TerritoryOptions(radius_km=10)
    )
    as_json = json.loads(json.dumps(report_dict(report)))
    assert as_json["changed_hands"] == [
        {"place": "B", "date": "2024-12-01", "from_faction": None, "to_faction": "y",
         "source": "s2", "confidence": None}
    ]  # fmt: skip
    assert "B" in report_table(report)
