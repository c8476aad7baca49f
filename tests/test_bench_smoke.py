"""The benchmark harness runs end to end and reports every figure (no timing assertions here)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from bench.cases import FIGURE_KEYS, GOALS, mixed_spellings
from bench.harness import ChildFailed, run_child, time_call
from bench.naive import naive_event_map, render_html
from geo.synth import synthetic_events

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_KEYS = {
    "gazetteer_load_s", "geocode_10k_s", "geoparse_article_s", "control_2000_s",
    "control_series_30_s", "map_10k_s", "naive_map_10k_s", "map_10k_html_bytes",
    "naive_map_10k_html_bytes", "map_1m_s", "map_1m_html_bytes", "dashboard_rerun_100k_s",
    "peak_rss_1m_mb", "parquet_load_1m_s", "geoparse_quality",
    "dashboard_cold_start_s",  # issue 7's figure, measured beside issue 9's
    "geoparse_world_detection", "geoparse_world_placed_161km", "geoparse_world_end_to_end",
    "geoparse_world_syria_iraq_end_to_end", "geoparse_1000_words_s", "geoparse_cold_start_s",
    "ucdp_import_385k_s", "ucdp_import_peak_rss_mb", "ucdp_dashboard_cold_start_s",
    "ucdp_dashboard_rerun_385k_s", "ucdp_dashboard_peak_rss_mb",  # issue 18: the full UCDP GED
    "store_import_100k_s", "file_load_100k_s", "store_cold_load_100k_s",
    "store_warm_load_100k_s", "store_edit_ms", "store_review_ms", "postgis_import_100k_s",
    "postgis_cold_load_100k_s", "postgis_edit_ms", "postgis_review_ms",  # issue 16: the store
}  # fmt: skip


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--scale", "0.01", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), done.stdout


def test_the_case_registry_covers_exactly_the_figures_of_the_issue() -> None:
    assert set(FIGURE_KEYS) == EXPECTED_KEYS
    assert set(GOALS) == EXPECTED_KEYS


@pytest.mark.slow
def test_quick_run_reports_every_figure_or_says_why_not(quick_run) -> None:
    document, _ = quick_run
    assert document["quick"] is True
    for key in EXPECTED_KEYS:
        assert key in document, key
        value = document[key]
        if value is None:
            assert document["skipped"].get(key), f"{key} is null without a reason"
        elif key == "geoparse_quality":
            assert isinstance(value, dict) and value, value
        else:
            assert isinstance(value, int | float) and math.isfinite(value) and value > 0, (
                key,
                value,
            )
            assert key not in document["skipped"], key


@pytest.mark.slow
def test_quick_run_records_the_machine_sizes_and_goal_verdicts(quick_run) -> None:
    document, _ = quick_run
    machine = document["machine"]
    assert machine["cores"] >= 1 and machine["python"].count(".") == 2
    assert {"numpy", "pandas", "geopandas", "shapely", "folium", "streamlit"} <= set(
        machine["packages"]
    )
    assert document["sizes"]["map_large"] < 1_000_000  # quick and scaled down
    for key, verdict in document["met"].items():
        assert verdict in (True, False, None), key
        if document[key] is None:
            assert verdict is None, f"{key} has no value but a verdict"


@pytest.mark.slow
def test_quick_run_prints_a_markdown_row_per_figure(quick_run) -> None:
    _, stdout = quick_run
    assert "| figure | value | goal | met? | notes |" in stdout
    for key in EXPECTED_KEYS:
        assert f"| `{key}` |" in stdout, key


def test_unknown_only_key_is_refused_with_the_key_named() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", "map_2m_s"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "map_2m_s" in done.stderr


def test_only_runs_the_selected_case_and_marks_the_others_not_selected(tmp_path: Path) -> None:
    out = tmp_path / "only.json"
    subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--scale", "0.01", "--only",
         "parquet_load_1m_s", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["parquet_load_1m_s"] > 0
    assert document["skipped"]["map_10k_s"] == "not selected (--only)"


def test_a_fresh_child_reports_its_own_peak_memory_not_an_earlier_childs() -> None:
    big = run_child("import json; b = bytearray(300 * 2**20); print(json.dumps({'n': len(b)}))")
    small = run_child("import json; print(json.dumps({'n': 0}))")
    assert big.peak_rss_mb >= 300
    assert small.peak_rss_mb < 150


def test_a_failing_child_raises_with_its_error_message() -> None:
    with pytest.raises(ChildFailed, match="ZeroDivisionError"):
        run_child("1 / 0")


def test_time_call_runs_warmups_then_the_timed_repeats() -> None:
    calls: list[int] = []
    timing = time_call(lambda: calls.append(1), repeat=4, warmup=2)
    assert len(calls) == 6
    assert len(timing.runs_s) == 4
    assert min(timing.runs_s) <= timing.median_s <= max(timing.runs_s)


def test_mixed_spellings_are_seeded_and_include_non_places() -> None:
    names = mixed_spellings(2_000, seed=4)
    assert names == mixed_spellings(2_000, seed=4)
    assert any(name.strip().lower() == "assad" for name in names)
    assert len({name.strip().lower() for name in names}) > 100


def test_naive_map_draws_one_escaped_circle_marker_per_event() -> None:
    events = synthetic_events(30, seed=2)
    events.loc[0, "description"] = "<img src=x onerror=alert(1)>"
    html = render_html(naive_event_map(events))
    assert html.count("L.circleMarker(") == 30
    assert "<img src=x onerror" not in html
    assert "markerClusterGroup" in html
