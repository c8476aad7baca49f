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


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/report", "https://example.org/a report", "https://"],
)
def test_a_malformed_source_url_in_control_is_reported_as_file_row_reason(
    tmp_path: Path, capsys, url: str
) -> None:
    from _annotation_helpers import CONTROL_ROWS

    control = [*CONTROL_ROWS, {**CONTROL_ROWS[0], "valid_from": "2024-12-01", "source_url": url}]
    code = main(["validate", "--no-geocode", str(write_dataset(tmp_path, control=control))])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    row = len(control) + 1  # the header is row 1
    assert f"control.csv:{row}: source_url {url!r} is not an http(s) URL" in lines


def test_an_inferred_claim_above_the_inference_ceiling_is_a_warning(tmp_path: Path, capsys) -> None:
    from _annotation_helpers import CONTROL_ROWS

    guess = {
        **CONTROL_ROWS[0],
        "valid_from": "2024-12-08",
        "source": "Inference from the fall of the city, 2024-12-08",
        "confidence": "0.8",
    }
    code = main(
        ["validate", "--no-geocode", str(write_dataset(tmp_path, control=[*CONTROL_ROWS, guess]))]
    )
    out = capsys.readouterr().out
    assert code == 0, "a warning alone does not fail validation"
    assert "warning: an inferred row (source starts with 'Inference') has confidence 0.8" in out


def test_validate_sources_prints_the_share_of_rows_with_a_url_and_inferred(
    tmp_path: Path, capsys
) -> None:
    code = main(["validate", "--no-geocode", "--sources", str(write_dataset(tmp_path))])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == "events: 2 rows, 1 (50%) with a source URL, 0 (0%) inferred"
    assert out[1].startswith("control baseline: ")
    assert out[2].startswith("control changes: ")
