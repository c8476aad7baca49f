"""``python -m geo geoparse``: JSON lines per file, readable summary, stdin, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _geoparse_helpers import ARTICLES, km_between

from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ARTICLES / "sample_paraphrase.txt"


@pytest.fixture
def two_files(tmp_path: Path) -> list[Path]:
    first = tmp_path / "first.txt"
    first.write_text("Rebels seized Homs on Saturday.", encoding="utf-8")
    second = tmp_path / "second.txt"
    second.write_text("Protesters gathered in Qamishli on Friday.", encoding="utf-8")
    return [first, second]


def test_json_mode_prints_one_object_per_file_with_the_documented_keys(two_files, capsys):
    code = main(["geoparse", "--json", "--date", "2024-12-09", *map(str, two_files)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and len(lines) == 2
    first, second = map(json.loads, lines)
    assert set(first) == {"places", "factions", "dates", "events"}
    assert [p["name"] for p in first["places"]] == ["Homs"]
    assert first["dates"][0]["date"] == "2024-12-07"
    assert first["events"][0]["event_type"] == "Battles"
    assert second["events"][0]["event_type"] == "Protests"
    assert second["events"][0]["date"] == "2024-12-06"


def test_summary_mode_lists_places_factions_dates_and_events(capsys):
    assert main(["geoparse", "--date", "2024-12-09", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert f"== {SAMPLE}" in out
    assert "'the Al-Qaim border crossing' -> Al-Qaim border crossing [IQ, crossing]" in out
    assert "'regime soldiers' -> gov" in out
    assert "'on Sunday' -> 2024-12-08 (day)" in out
    assert "2024-12-08 Strategic developments / Other | gov | Al-Qaim border crossing" in out


def test_a_missing_file_is_reported_by_name_and_the_other_files_still_parse(two_files, capsys):
    code = main(["geoparse", "--json", str(two_files[0] / "nope.txt"), str(two_files[1])])
    captured = capsys.readouterr()
    assert code == 1
    assert "nope.txt" in captured.err
    assert len(captured.out.splitlines()) == 1


def test_a_bad_publication_date_is_refused_showing_the_value(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["geoparse", "--date", "09/12/2024", str(SAMPLE)])
    assert exit_info.value.code == 2
    assert "'09/12/2024'" in capsys.readouterr().err


@pytest.mark.slow
def test_dash_reads_the_article_from_standard_input_in_a_real_process():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "geoparse", "--json", "--date", "2024-12-09", "-"],
        input="Turkish drones struck SDF positions near Kobani on Wednesday.",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    parsed = json.loads(line)
    [kobani] = parsed["places"]
    assert kobani["text"] == "Kobani"
    assert km_between(kobani["lat"], kobani["lon"], 36.89095, 38.35347) < 10
    assert parsed["events"][0]["date"] == "2024-12-04"
    assert parsed["events"][0]["faction"] == "turkey"
