"""``python -m geo map``: a standalone map of the bundled data, filters, and clear errors."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]
_FILL = re.compile(r'"fillColor": ?"(#[0-9A-Fa-f]{6})"')


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    folder = tmp_path_factory.mktemp("cli_map")
    runs = {
        "all": ["--date", "2024-12-08", "--offline"],
        "hts_battles": [
            "--date", "2024-12-08", "--offline", "--faction", "hts", "--event-type", "Battles",
        ],
    }  # fmt: skip
    result = {}
    for name, options in runs.items():
        out = folder / f"{name}.html"
        code, printed = _run(["map", *options, "--out", str(out)])
        assert code == 0, printed
        result[name] = (out.read_text(encoding="utf-8"), printed)
    return result


@pytest.mark.slow
def test_the_map_command_writes_an_offline_standalone_map_of_the_bundled_data(
    exported: dict[str, tuple[str, str]],
) -> None:
    html, printed = exported["all"]
    assert "L.tileLayer" not in html, "--offline must not add any tile layer"
    assert not re.search(r"<(?:script|link)\b[^>]*(?:src|href)=[\"']?(?:https?:)?//", html)
    for layer in ("Control areas", "Frontlines", "International borders", "Border crossings"):
        assert layer in html
    shown = int(re.search(r"(\d+) events", printed).group(1))
    assert shown > 0
    assert f"Events ({shown:,})" in html


@pytest.mark.slow
def test_faction_and_event_type_options_narrow_events_and_areas(
    exported: dict[str, tuple[str, str]],
) -> None:
    everything, printed_all = exported["all"]
    narrowed, printed = exported["hts_battles"]
    n_all = int(re.search(r"(\d+) events", printed_all).group(1))
    n_hts = int(re.search(r"(\d+) events", printed).group(1))
    assert 0 < n_hts < n_all
    assert f"Events ({n_hts:,})" in narrowed
    area_colours = {c.lower() for c in _FILL.findall(narrowed)} - {"#f4f1ea"}  # minus land fill
    assert area_colours == {"#009e73"}, "only the HTS-led opposition's areas are drawn"
    assert len({c.lower() for c in _FILL.findall(everything)}) > 3


def test_a_bad_date_is_refused_by_argparse_with_the_value(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["map", "--date", "8 Dec", "--out", "x.html"])
    assert exit_info.value.code == 2
    assert "'8 Dec'" in capsys.readouterr().err


def test_a_window_that_ends_before_it_starts_fails_with_both_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    code = main(
        ["map", "--date", "2024-12-08", "--start", "2024-12-09", "--end", "2024-12-01",
         "--out", str(tmp_path / "m.html")]
    )  # fmt: skip
    assert code == 1
    assert "--start 2024-12-09 is after --end 2024-12-01" in capsys.readouterr().err
    assert not (tmp_path / "m.html").exists()


def test_python_m_geo_map_help_lists_every_option() -> None:
    text = subprocess.run(
        [sys.executable, "-m", "geo", "map", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for option in ("--data", "--date", "--start", "--end", "--faction", "--event-type",
                   "--offline", "--out"):  # fmt: skip
        assert option in text
