"""``python -m geo validate``: exit 0 on clean data, else one ``file:row: reason`` line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from _annotation_helpers import EVENT_ROWS, event_row, write_dataset

from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_clean_dataset_validates_with_exit_code_zero(tmp_path: Path, capsys) -> None:
    code = main(["validate", str(write_dataset(tmp_path))])
    captured = capsys.readouterr()
    assert code == 0, captured.out
    assert captured.out == ""
    assert "0 error(s), 0 unresolved place(s)" in captured.err


def test_broken_dataset_prints_one_line_per_problem_and_exits_one(tmp_path: Path, capsys) -> None:
    events = [
        *EVENT_ROWS,
        event_row(id="b1", date="2024-02-30"),
        event_row(id="b2", faction="Wagner"),
        event_row(id="b3", place="Qqqxyzzy Nowhere"),
    ]
    code = main(["validate", str(write_dataset(tmp_path, events=events))])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert "events.csv:4: impossible date '2024-02-30' (no such day)" in lines
    assert any(line.startswith("events.csv:5: unknown faction 'Wagner'") for line in lines)
    assert any(
        line.startswith("events.csv:6: warning: place 'Qqqxyzzy Nowhere' not found")
        for line in lines
    )


def test_unresolved_place_alone_fails_validation(tmp_path: Path, capsys) -> None:
    code = main(
        ["validate", str(write_dataset(tmp_path, events=[event_row(place="Qqqxyzzy Nowhere")]))]
    )
    assert code == 1
    assert "1 unresolved place(s)" in capsys.readouterr().err


def test_missing_directory_and_missing_files_exit_one_without_a_traceback(
    tmp_path: Path, capsys
) -> None:
    assert main(["validate", str(tmp_path / "absent")]) == 1
    assert main(["validate", "--no-geocode", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "events.csv: cannot read file" in out


@pytest.mark.slow
def test_bundled_data_validates_cleanly(capsys) -> None:
    code = main(["validate", "--quiet", str(ROOT / "data")])
    captured = capsys.readouterr()
    assert code == 0, captured.out[-3000:]
