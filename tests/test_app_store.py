"""The dashboard on its annotation store (AppTest): drafts, review, the edit form, history.

Each test opens the dashboard on a store of its own (a real SQLite file seeded from data/).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")


@pytest.fixture(scope="module")
def _seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store seeded once; each test gets a copy of the file (seeding is the slow part)."""
    from geo.store import open_store

    path = tmp_path_factory.mktemp("seed") / "store.sqlite"
    store = open_store(str(path))
    store.load_atlas()  # the materialised atlas is cached on disk by the store's id + revision
    store.close()
    return path


@pytest.fixture
def store_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _seeded: Path) -> Path:
    import shutil
    import sqlite3
    import uuid

    path = tmp_path / "store.sqlite"
    shutil.copyfile(_seeded, path)
    with sqlite3.connect(path) as conn:  # a copy is another store: its own id (cache keys)
        conn.execute("UPDATE store_meta SET value = ? WHERE key = 'store_id'", (str(uuid.uuid4()),))
    monkeypatch.setenv("FRONTLINE_OFFLINE", "1")
    monkeypatch.setenv("FRONTLINE_DB", str(path))
    monkeypatch.delenv("FRONTLINE_EVENTS_PARQUET", raising=False)
    monkeypatch.delenv("FRONTLINE_DATA_DIR", raising=False)
    return path


def run(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def open_app() -> AppTest:
    return run(AppTest.from_file(APP, default_timeout=120))


def plain(text: str) -> str:
    """What a markdown element displays: its source without the escaping backslashes."""
    return re.sub(r"\\(.)", r"\1", text)


def events_shown(app: AppTest) -> int:
    (metric,) = [m for m in app.metric if m.label == "Events"]
    return int(str(metric.value).replace(",", ""))


def shown_ids(app: AppTest) -> set[str]:
    data = app.session_state["downloads"]["csv"]()
    return set(pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)["id"])


def upload(app: AppTest, name: str, frame: pd.DataFrame) -> AppTest:
    (uploader,) = app.get("file_uploader")
    uploader.set_value((name, frame.to_csv(index=False).encode("utf-8"), "text/csv"))
    return run(app)


def two_new_events() -> pd.DataFrame:
    rows = pd.read_csv(ROOT / "data" / "events.csv", dtype=str, keep_default_na=False).iloc[:2]
    return rows.assign(id=["mine-1", "mine-2"], description="Our own test wording.")


def test_an_upload_is_stored_as_drafts_listed_for_review_and_off_the_map(store_path):
    app = open_app()
    before = events_shown(app)
    upload(app, "mine.csv", two_new_events())
    assert events_shown(app) == before
    from ui.review import drafts_table

    drafts = drafts_table()
    assert set(drafts["row_id"]) == {"mine-1", "mine-2"}
    assert set(drafts["added_by"]) == {"import:mine.csv"}
    assert set(drafts["author"]) == {"dashboard@127.0.0.1"}
    again = open_app()  # a new session (a reload): the drafts are still in the store
    assert set(drafts_table()["row_id"]) == {"mine-1", "mine-2"}
    assert events_shown(again) == before


def test_marking_all_drafts_reviewed_puts_them_on_every_sessions_map(store_path):
    app = open_app()
    before = events_shown(app)
    upload(app, "mine.csv", two_new_events())
    other = open_app()  # another session, opened before the review
    app.checkbox(key="review_all").check()
    app.button(key="review_accept").click()
    run(app)
    assert any("2 draft(s) marked reviewed" in plain(s.value) for s in app.success), [
        m.value for m in [*app.success, *app.warning, *app.error]
    ]
    assert events_shown(app) == before + 2
    assert {"mine-1", "mine-2"} <= shown_ids(run(other)), "the other session's next rerun"


def test_a_rejected_draft_never_reaches_the_map_even_with_drafts_shown(store_path):
    app = open_app()
    upload(app, "mine.csv", two_new_events())
    app.sidebar.toggle(key="show_drafts").set_value(True)
    run(app)
    assert {"mine-1", "mine-2"} <= shown_ids(app)
    app.checkbox(key="review_all").check()
    app.button(key="review_reject").click()
    run(app)
    assert not {"mine-1", "mine-2"} & shown_ids(app)
    from ui.review import drafts_table

    assert drafts_table().empty, "rejected rows leave the review list"


def test_the_drafts_switch_draws_drafts_in_a_layer_of_their_own(store_path):
    app = open_app()
    upload(app, "mine.csv", two_new_events())
    app.sidebar.toggle(key="show_drafts").set_value(True)
    run(app)
    (fmap,) = [c for c in app.get("component_instance") if "feature_group" in str(c.proto)]
    assert "Drafts (not reviewed)" in str(fmap.proto)
    assert "Our own test wording." in str(fmap.proto)


def test_an_event_added_with_the_form_is_geocoded_by_name_and_stored_as_a_draft(store_path):
    app = open_app()
    app.radio(key="editor_mode").set_value("Add an event")
    run(app)
    app.text_input(key="ev_place").input("Manbij")
    app.date_input(key="ev_date").set_value(dt.date(2024, 12, 9))
    app.text_input(key="ev_source").input("Test wire, 2024-12-09")
    app.text_input(key="ev_url").input("https://example.org/report")
    app.text_area(key="ev_description").input("Our own words: fighting near the town.")
    (submit,) = [b for b in app.button if "Store the event" in b.label]
    submit.click()
    run(app)
    assert any("stored as a draft" in plain(s.value) for s in app.success), [
        e.value for e in app.error
    ]
    from ui.store import active_store

    draft = active_store().rows("events", statuses=["draft"]).iloc[0]
    assert draft["place"] == "Manbij" and draft["source_url"] == "https://example.org/report"
    app.sidebar.toggle(key="show_drafts").set_value(True)
    run(app)
    assert draft["row_id"] in shown_ids(app), "the place name was geocoded: it is on the map"


def test_a_form_without_a_source_is_refused_with_the_reason_and_stores_nothing(store_path):
    app = open_app()
    app.text_input(key="ev_place").input("Manbij")
    (submit,) = [b for b in app.button if "Store the event" in b.label]
    submit.click()
    run(app)
    assert any("Nothing was stored" in e.value and "source" in plain(e.value) for e in app.error)
    from ui.store import active_store

    assert active_store().rows("events", statuses=["draft"]).empty


def test_a_correction_against_a_row_changed_since_is_refused_showing_both_versions(store_path):
    from geo.store import open_store

    app = open_app()
    app.radio(key="editor_mode").set_value("Correct or retract a row")
    run(app)
    app.text_input(key="fix_id").input("EV0001")
    app.button(key="fix_open").click()
    run(app)
    app.text_input(key="fix_confidence").input("0.35")
    # Meanwhile a colleague changes the same event through another connection to the file.
    colleague = open_store(str(store_path))
    current = colleague.rows("events").set_index("row_id").loc["EV0001"]
    colleague.edit(
        "events",
        "EV0001",
        expected_version=int(current["version"]),
        changes={"confidence": 0.9},
        author="colleague",
    )
    colleague.close()
    app.button(key="fix_save").click()
    run(app)
    errors = [plain(e.value) for e in app.error if "Not saved" in plain(e.value)]
    assert len(errors) == 1, errors
    error = errors[0]
    assert "0.9" in error and "0.35" in error, error
    versions = [v for v in open_store(str(store_path)).history("EV0001") if v.kind == "events"]
    assert [v.author for v in versions][-1] == "colleague", "nothing was overwritten"


def test_a_correction_writes_a_new_version_and_the_history_lists_both(store_path):
    app = open_app()
    app.radio(key="editor_mode").set_value("Correct or retract a row")
    run(app)
    app.text_input(key="fix_id").input("EV0001")
    app.button(key="fix_open").click()
    run(app)
    app.text_input(key="fix_confidence").input("0.35")
    app.text_input(key="fix_reason").input("a second report disagrees")
    app.button(key="fix_save").click()
    run(app)
    assert any("Saved as version" in plain(s.value) for s in app.success), [
        e.value for e in app.error
    ]
    app.text_input(key="history_id").input("EV0001")
    run(app)
    (table,) = [d.value for d in app.dataframe if "retracted" in d.value.columns]
    events = table[table["kind"] == "events"]
    assert len(events) >= 2
    assert events.iloc[-1]["reason"] == "a second report disagrees"
    assert events.iloc[-1]["status"] == "draft"


def test_a_shape_drawn_on_the_map_is_stored_as_a_draft_control_area(store_path):
    app = open_app()
    # What streamlit-folium reports after the polygon tool: a GeoJSON Feature, (lon, lat).
    ring = [[38.0, 36.4], [38.2, 36.4], [38.2, 36.6], [38.0, 36.6], [38.0, 36.4]]
    app.session_state["map_drawing"] = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    app.radio(key="editor_mode").set_value("Draw a control area")
    run(app)
    assert any("km²" in c.value for c in app.caption)
    app.text_input(key="ar_source").input("Our own test note, 2024-12-09")
    (submit,) = [b for b in app.button if "Store the area" in b.label]
    submit.click()
    run(app)
    assert any("area was stored" in plain(s.value) for s in app.success)
    from ui.store import active_store

    (area,) = active_store().rows("areas", statuses=["draft"]).itertuples()
    assert area.source == "Our own test note, 2024-12-09"


def test_the_atlas_as_known_on_a_past_day_leaves_out_what_was_added_since(store_path):
    import sqlite3

    with sqlite3.connect(store_path) as conn:  # the bundled rows were recorded ten days ago
        for table in ("factions", "places", "events", "control", "areas"):
            conn.execute(f"UPDATE {table} SET recorded_at = datetime(recorded_at, '-10 days')")
    app = open_app()
    before = events_shown(app)
    upload(app, "mine.csv", two_new_events())
    app.checkbox(key="review_all").check()
    app.button(key="review_accept").click()
    run(app)
    assert events_shown(app) == before + 2
    app.sidebar.toggle(key="as_known_on").set_value(True)
    run(app)
    app.sidebar.date_input(key="known_on").set_value(dt.date.today() - dt.timedelta(days=5))
    run(app)
    assert events_shown(app) == before, "five days ago the atlas had only the bundled rows"
    assert not {"mine-1", "mine-2"} & shown_ids(app)
