"""Bad input to the commands: a clear ``error: ...`` naming the value, exit 1, never a traceback.

Found in the acceptance review of issues 3-8: unwritable ``--out`` paths, a missing ``--data``
folder, rows silently left out of the data, unknown ``--faction``/``--event-type`` values and
articles that are not UTF-8.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.annotations.importers import ACLED_COLUMNS
from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def not_a_folder(tmp_path: Path) -> Path:
    """A regular file: any path below it cannot be written."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    return blocker


def _command_writing_to(kind: str, out: Path, tmp_path: Path) -> list[str]:
    if kind == "geocode-csv":
        names = tmp_path / "names.csv"
        names.write_text("town\nHoms\n", encoding="utf-8")
        return ["geocode-csv", str(names), "--column", "town", "--out", str(out)]
    if kind == "import":
        export = tmp_path / "acled.csv"
        export.write_text(",".join(ACLED_COLUMNS) + "\n", encoding="utf-8")
        return ["import", "acled", str(export), "--data", str(DATA), "--out", str(out)]
    if kind == "borders":
        return ["borders", "--data", str(DATA), "--out", str(out)]
    return ["control", "--date", "2024-12-03", "--data", str(DATA), "--out", str(out)]


@pytest.mark.parametrize("kind", ["geocode-csv", "import", "borders", "control"])
def test_an_out_path_that_cannot_be_written_is_a_one_line_error_not_a_traceback(
    kind, tmp_path, not_a_folder, capsys
):
    out = not_a_folder / "result.csv"
    code, _, err = _run(capsys, *_command_writing_to(kind, out, tmp_path))
    assert code == 1
    assert f"error: {out}: cannot write" in err


@pytest.mark.slow
def test_the_map_command_reports_an_unwritable_out_path_instead_of_crashing(not_a_folder, capsys):
    out = not_a_folder / "map.html"
    code, _, err = _run(capsys, "map", "--date", "2024-12-03", "--offline", "--out", str(out))
    assert code == 1
    assert f"error: {out}: cannot write" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["control", "--date", "2024-12-03"],
        ["change", "--from", "2024-11-26", "--to", "2024-12-09"],
        ["borders"],
        ["map", "--date", "2024-12-03", "--out", "unused.html"],
    ],
    ids=["control", "change", "borders", "map"],
)
def test_a_missing_data_folder_fails_naming_it_instead_of_drawing_an_empty_map(
    argv, tmp_path, capsys
):
    missing = tmp_path / "no-such-folder"
    code, out, err = _run(capsys, *argv, "--data", str(missing))
    assert code == 1
    assert f"error: {missing}: not a directory" in err
    assert out == ""


def test_rows_left_out_of_the_data_are_listed_on_stderr_by_the_control_command(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA / "factions.csv", data / "factions.csv")
    header = (DATA / "events.csv").read_text(encoding="utf-8").splitlines()[0]
    (data / "events.csv").write_text(header + "\n", encoding="utf-8")
    (data / "control.csv").write_text(
        "place,faction,valid_from,status,confidence,source,note,lat,lon\n"
        "Aleppo,hts,2024-11-29,held,0.9,test,,,\n"
        "Hama,martians,2024-12-05,held,0.9,test,,,\n",
        encoding="utf-8",
    )
    code, out, err = _run(capsys, "change", "--from", "2024-11-26", "--to", "2024-12-09",
                          "--data", str(data))  # fmt: skip
    assert code == 0, err
    assert "Aleppo" in out
    assert "1 problem(s)" in err
    assert "control.csv:3: unknown faction 'martians'" in err


@pytest.mark.parametrize(
    ("option", "value"), [("--faction", "martians"), ("--event-type", "Fights")]
)
def test_the_map_command_refuses_an_unknown_faction_or_event_type_naming_it(
    option, value, tmp_path, capsys
):
    out = tmp_path / "m.html"
    code, _, err = _run(capsys, "map", "--date", "2024-12-03", option, value, "--out", str(out))
    assert code == 1
    assert f"error: {option}: unknown '{value}'" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Rebels entered Homs and Hama.".encode("cp1252") + b"\xe9", "not UTF-8: byte 0xe9"),
        (bytes(range(256)) * 4, "binary file"),
    ],
    ids=["cp1252", "binary"],
)
def test_an_article_that_is_not_utf8_text_is_refused_with_the_reason(
    content, reason, tmp_path, capsys
):
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    code, out, err = _run(capsys, "geoparse", "--json", str(article))
    assert code == 1 and out == ""
    assert reason in err and "article.txt" in err


def test_an_article_saved_with_a_bom_gives_offsets_into_the_text_without_the_bom(tmp_path, capsys):
    article = tmp_path / "bom.txt"
    article.write_bytes("Manbij fell.".encode("utf-8-sig"))
    code, out, _ = _run(capsys, "geoparse", "--json", str(article))
    assert code == 0
    assert '"text": "Manbij", "start": 0, "end": 6' in out


def test_standard_input_that_is_not_utf8_is_refused_in_a_real_process():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "geoparse", "--json", "-"],
        cwd=ROOT, input="Fighters entered Homs on Sunday, café".encode("cp1252"),
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert b"<stdin>" in done.stderr and b"not UTF-8" in done.stderr
    assert b"Traceback" not in done.stderr
