"""``python -m geo db init|import|export|history``: exact commands, clear errors, exit codes."""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest

from geo.cli import main


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("FRONTLINE_DB", str(path))
    return path


def test_db_init_creates_a_store_seeded_with_the_bundled_data(db: Path, capsys):
    assert main(["db", "init"]) == 0
    out = capsys.readouterr().out
    assert str(db) in out and "119 events" in out and db.exists()


def test_db_import_prints_bad_rows_stores_the_valid_ones_and_exits_1(
    db: Path, tmp_path: Path, capsys
):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "control.csv").write_text(
        "place,faction,valid_from,confidence,source\n"
        "Palmyra,hts,2025-01-15,0.8,x\n"
        "Homs,nobody,2025-01-15,0.8,x\n",
        encoding="utf-8",
    )
    assert main(["db", "import", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "control.csv:3: " in captured.out and "nobody" in captured.out
    assert "control: 1 added" in captured.err
    assert main(["db", "history", "Palmyra"]) == 0
    assert "Palmyra|2025-01-15|hts v1 reviewed" in capsys.readouterr().out


def test_db_import_of_a_missing_folder_is_a_clear_error(db: Path, tmp_path: Path, capsys):
    assert main(["db", "import", str(tmp_path / "nope")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_db_history_lists_every_version_of_an_event_and_fails_for_an_unknown_id(db: Path, capsys):
    assert main(["db", "history", "EV0001"]) == 0
    assert "events EV0001 v1 reviewed by import:events.csv" in capsys.readouterr().out
    assert main(["db", "history", "NO-SUCH-ID"]) == 1
    assert "no row named 'NO-SUCH-ID'" in capsys.readouterr().err


def test_db_export_as_of_a_day_before_the_store_is_empty_and_gpkg_has_layers(
    db: Path, tmp_path: Path, capsys
):
    assert main(["db", "export", str(tmp_path / "then"), "--as-of", "2001-01-01"]) == 0
    assert (tmp_path / "then" / "events.csv").read_text().count("\n") == 1  # the header only
    assert main(["db", "export", str(tmp_path / "gpkg"), "--format", "gpkg"]) == 0
    layers = dict(pyogrio.list_layers(tmp_path / "gpkg" / "atlas.gpkg"))
    assert layers == {
        "events": "Point",
        "control": "Point",
        "areas": "Polygon",
        "places": "Point",
        "factions": None,
    }
    assert pyogrio.read_info(tmp_path / "gpkg" / "atlas.gpkg", layer="events")["features"] == 119


def test_db_export_rejects_a_bad_day(db: Path, tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["db", "export", str(tmp_path), "--as-of", "2024-13-01"])
    assert caught.value.code == 2
    assert "not a day YYYY-MM-DD" in capsys.readouterr().err
