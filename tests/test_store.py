"""The annotation store, on SQLite and on PostgreSQL + PostGIS (the same tests on both)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest
import shapely

from geo.annotations import load_annotations
from geo.atlas.load import load_atlas
from geo.errors import AnnotationError, GeoError
from geo.schema import DATA_DIR
from geo.store import VersionConflict, may_write, open_store

FRAMES = ("factions", "events", "control", "areas", "join_report")


class Clock:
    """A clock the test moves by hand (the store records when each version was written)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def _assert_same_atlas(left, right) -> None:
    for name in FRAMES:
        pdt.assert_frame_equal(getattr(left, name), getattr(right, name), obj=name)


def test_a_fresh_store_shows_the_bundled_atlas_frame_for_frame(store_url: str, tmp_path: Path):
    store = open_store(store_url)
    _assert_same_atlas(store.load_atlas(), load_atlas(DATA_DIR))


def test_actors_grouped_from_an_events_only_folder_get_the_same_ids_as_from_the_files(
    store_url: str, tmp_path: Path
):
    folder = tmp_path / "events_only"
    folder.mkdir()
    events = pd.read_csv(DATA_DIR / "events.csv", dtype=str, keep_default_na=False).head(12)
    events.loc[0, "faction"] = "Wagner Group"
    events.loc[1, "faction2"] = "Wagner Group"
    events.to_csv(folder / "events.csv", index=False)
    store = open_store(store_url, data_dir=folder)
    from_store, from_files = store.load_atlas(), load_atlas(folder)
    _assert_same_atlas(from_store, from_files)
    grouped = from_store.events["faction"].iloc[0]
    assert grouped == from_files.events["faction"].iloc[0] and grouped != "Wagner Group"
    assert grouped in set(from_store.factions["id"])


def test_an_upload_is_a_draft_until_reviewed_and_other_sessions_see_it(store_url: str):
    store = open_store(store_url)
    other = open_store(store_url)
    upload = b'place,faction,valid_from,confidence,source\nPalmyra,hts,2025-01-15,0.8,"Reuters, 2025-01-15"\n'
    before = other.revision()
    report = store.add_upload("new_claims.csv", upload, author="ana")
    assert report.added == {"control": 1} and not report.errors
    assert other.revision() != before  # the next rerun of another session sees a change
    drafts = other.rows("control", statuses=["draft"])
    assert drafts["row_id"].tolist() == ["Palmyra|2025-01-15|hts"]
    assert drafts["added_by"].item() == "import:new_claims.csv"
    assert drafts["prov_date"].item() == "2025-01-15"
    live = {r for r in other.rows("control", statuses=["reviewed"])["row_id"]}
    assert "Palmyra|2025-01-15|hts" not in live
    claims = other.load_atlas().control
    assert not ((claims["place"] == "Palmyra") & (claims["valid_from"] == "2025-01-15")).any()
    shown = other.load_atlas(include_drafts=True).control
    assert ((shown["place"] == "Palmyra") & (shown["valid_from"] == "2025-01-15")).sum() == 1
    assert other.set_status("control", ["Palmyra|2025-01-15|hts"], "reviewed", author="bo") == 1
    assert "Palmyra|2025-01-15|hts" in set(store.rows("control", statuses=["reviewed"])["row_id"])
    claims = store.load_atlas().control
    assert ((claims["place"] == "Palmyra") & (claims["valid_from"] == "2025-01-15")).sum() == 1


def test_bad_rows_of_an_import_are_reported_and_the_valid_ones_stored(store_url: str):
    store = open_store(store_url)
    frame = pd.DataFrame(
        {
            "place": ["Palmyra", "Homs", "Hama"],
            "faction": ["hts", "nobody", "gov"],
            "valid_from": ["2025-01-15", "2025-01-15", "2025-02-30"],
            "confidence": ["0.8", "0.8", "0.8"],
            "source": ["x", "x", "x"],
        }
    )
    report = store.add_rows("control", frame, author="ana", source_file="mine.csv")
    assert report.added == {"control": 1}
    reasons = sorted(str(i) for i in report.errors)
    assert reasons[0].startswith("mine.csv:3: ") and "nobody" in reasons[0]
    assert reasons[1] == "mine.csv:4: impossible valid_from '2025-02-30' (no such day)"


def test_an_edit_keeps_the_old_version_and_the_atlas_as_known_on_an_earlier_day(store_url: str):
    clock = Clock(dt.datetime(2026, 1, 10, 12))
    store = open_store(store_url, clock=clock)
    clock.now = dt.datetime(2026, 1, 20, 9)
    new = store.edit(
        "events", "EV0001", expected_version=1, changes={"confidence": 0.4}, author="ana"
    )
    store.set_status("events", ["EV0001"], "reviewed", author="bo")
    history = store.history("EV0001")
    assert [(v.version, v.author, v.status) for v in history] == [
        (1, "import:events.csv", "reviewed"),
        (new, "ana", "draft"),
        (3, "bo", "reviewed"),
    ]
    assert history[1].recorded_at == dt.datetime(2026, 1, 20, 9)
    then = store.rows("events", statuses=["reviewed"], known_on=dt.date(2026, 1, 15))
    now = store.rows("events", statuses=["reviewed"])
    assert then.set_index("row_id").loc["EV0001", "confidence"] == "0.95"
    assert now.set_index("row_id").loc["EV0001", "confidence"] == "0.4"
    assert store.rows("events", known_on=dt.date(2026, 1, 9)).empty  # before the store existed


def test_a_stale_edit_is_refused_with_both_versions_and_nothing_is_overwritten(store_url: str):
    ana, bo = open_store(store_url), open_store(store_url)
    version = int(ana.rows("events").set_index("row_id").loc["EV0002", "version"])
    bo.edit("events", "EV0002", expected_version=version, changes={"place": "Aleppo"}, author="bo")
    with pytest.raises(VersionConflict) as caught:
        ana.edit(
            "events", "EV0002", expected_version=version, changes={"place": "Idlib"}, author="ana"
        )
    assert isinstance(caught.value, GeoError)
    message = str(caught.value)
    assert "version 1" in message and "version 2 by bo" in message
    assert "'Qubtan al-Jabal'" in message and "'Aleppo'" in message and "'Idlib'" in message
    current = ana.rows("events").set_index("row_id").loc["EV0002"]
    assert current["place"] == "Aleppo" and int(current["version"]) == 2


def test_an_invalid_edit_is_refused_with_the_reason(store_url: str):
    store = open_store(store_url)
    with pytest.raises(AnnotationError, match="confidence"):
        store.edit("events", "EV0003", expected_version=1, changes={"confidence": 7}, author="ana")


def test_a_retracted_claim_leaves_the_map_and_its_history_stays(store_url: str, tmp_path: Path):
    store = open_store(store_url)
    claim = store.rows("control").iloc[0]
    assert store.retract("control", [claim["row_id"]], author="ana", reason="wrong town") == 1
    assert claim["row_id"] not in set(store.rows("control")["row_id"])
    versions = store.history(claim["row_id"])
    assert [(v.version, v.retracted, v.reason) for v in versions][-1] == (2, True, "wrong town")
    assert versions[0].values["place"] == claim["place"]


def test_a_drawn_control_polygon_is_stored_as_geometry_with_its_history(store_url: str):
    store = open_store(store_url)
    box = shapely.box(38.0, 35.0, 38.5, 35.4)  # (lon, lat) corners
    report = store.add_area(
        faction="sdf",
        valid_from="2025-01-01",
        polygon=box,
        author="ana",
        source="drawn",
        confidence=0.6,
    )
    assert report.added == {"areas": 1}
    drafts = store.rows("areas", statuses=["draft"])
    assert shapely.equals(drafts["geometry"].item(), box)
    area_id = drafts["row_id"].item()
    store.set_status("areas", [area_id], "reviewed", author="bo")
    assert [v.author for v in store.history(area_id)] == ["ana", "bo"]
    assert area_id in set(store.rows("areas", statuses=["reviewed"])["row_id"])


def test_a_control_polygon_redrawn_on_the_map_replaces_the_shape_and_keeps_the_old_one(
    store_url: str,
):
    store = open_store(store_url)
    first = shapely.box(38.0, 35.0, 38.5, 35.4)  # (lon, lat) corners
    store.add_area(
        faction="sdf", valid_from="2025-01-01", polygon=first, author="ana", source="drawn",
        confidence=0.6, status="reviewed",
    )  # fmt: skip

    def mine(rows: pd.DataFrame) -> pd.DataFrame:  # the bundled data has an area of its own
        return rows[rows["valid_from"].astype(str).str.startswith("2025-01-01")]

    area_id = mine(store.rows("areas"))["row_id"].item()
    redrawn = shapely.box(38.0, 35.0, 38.9, 35.6)
    version = store.edit(
        "areas", area_id, expected_version=1, changes={"note": "redrawn"}, author="bo",
        geometry=redrawn, status="reviewed",
    )  # fmt: skip
    assert version == 2
    now = mine(store.rows("areas"))
    assert shapely.equals(now["geometry"].item(), redrawn) and now["note"].item() == "redrawn"
    atlas = store.load_atlas()
    drawn = atlas.areas[atlas.areas["valid_from"].astype(str).str.startswith("2025-01-01")]
    assert len(drawn) == 1 and shapely.equals(drawn.geometry.iloc[0], redrawn)
    versions = store.history(area_id)
    assert [(v.version, v.author) for v in versions] == [(1, "ana"), (2, "bo")]
    with pytest.raises(GeoError, match="only areas"):
        store.edit("events", "x", expected_version=1, changes={}, author="bo", geometry=first)


def test_import_then_export_reproduces_the_tables_row_for_row(store_url: str, tmp_path: Path):
    store = open_store(store_url, seed=False)
    report = store.import_folder(DATA_DIR, author="ana")
    assert report.added["events"] == len(load_annotations(DATA_DIR).events)
    out = tmp_path / "out"
    store.export(out)
    before, after = load_annotations(DATA_DIR), load_annotations(out)
    for name in ("factions", "events", "control", "areas"):
        pdt.assert_frame_equal(getattr(after, name), getattr(before, name), obj=name)
    assert (out / "places.csv").read_text().splitlines()[1:] == [
        line
        for line in pd.read_csv(DATA_DIR / "places.csv", dtype=str, keep_default_na=False)
        .to_csv(index=False, lineterminator="\n")
        .splitlines()[1:]
    ]
    assert store.import_folder(out, author="ana").added == dict.fromkeys(
        ("factions", "places", "events", "control", "areas"), 0
    )


def test_writes_are_allowed_only_from_this_machine():
    assert may_write("127.0.0.1") and may_write("::1") and may_write("localhost")
    assert not may_write("192.168.1.20") and not may_write(None) and not may_write("evil.example")


def test_each_data_folder_gets_its_own_default_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.delenv("FRONTLINE_DB", raising=False)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(DATA_DIR / "factions.csv", other / "factions.csv")
    events = pd.read_csv(DATA_DIR / "events.csv", dtype=str, keep_default_na=False).head(3)
    events.to_csv(other / "events.csv", index=False)
    bundled = open_store()
    monkeypatch.setenv("FRONTLINE_DATA_DIR", str(other))
    mine = open_store()
    assert bundled.url != mine.url
    assert len(mine.rows("events")) == 3 and len(bundled.rows("events")) > 100


def test_an_acled_export_in_a_folder_is_imported_as_events(tmp_path: Path):
    from geo.synth.layouts import synthetic_acled

    folder = tmp_path / "acled"
    folder.mkdir()
    synthetic_acled(30, seed=2).to_csv(folder / "acled_export.csv", index=False)
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    report = store.import_folder(folder, author="ana", status="draft")
    assert report.added == {"events": 30} and not report.errors
    drafts = store.rows("events", statuses=["draft"])
    assert len(drafts) == 30 and set(drafts["added_by"]) == {"import:acled_export.csv"}


def test_two_writers_at_once_lose_nothing(store_url: str):
    import threading

    ana, bo = open_store(store_url), open_store(store_url)
    before = ana.revision()
    errors: list[BaseException] = []

    def write(store, who: str) -> None:
        try:
            for i in range(10):
                frame = pd.DataFrame(
                    [{"place": f"{who} {i}", "faction": "hts", "valid_from": "2025-02-01",
                      "confidence": "0.5", "source": "x"}]
                )  # fmt: skip
                store.add_rows("control", frame, author=who)
        except BaseException as err:  # noqa: BLE001 - reported by the main thread
            errors.append(err)

    threads = [threading.Thread(target=write, args=(s, w)) for s, w in ((ana, "ana"), (bo, "bo"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    drafts = set(ana.rows("control", statuses=["draft"])["place"])
    assert drafts == {f"{who} {i}" for who in ("ana", "bo") for i in range(10)}
    assert bo.revision() == before + 20


def test_the_drafts_list_holds_exactly_the_rows_whose_newest_version_is_a_draft(store_url: str):
    store = open_store(store_url)
    new = pd.DataFrame(
        [{"place": "Homs", "faction": "hts", "valid_from": "2025-01-15", "status": "held",
          "confidence": "0.9", "source": "Our own test note, 2025-01-15"}]
    )  # fmt: skip
    store.add_rows("control", new, author="ana")
    claim = store.rows("control", statuses=["draft"])["row_id"].tolist()
    assert len(claim) == 1
    store.set_status("control", claim, "reviewed", author="bo")
    assert store.rows("control", statuses=["draft"]).empty, "a reviewed row left the drafts"
    store.edit("control", claim[0], expected_version=2, changes={"confidence": "0.8"},
               author="cy")  # fmt: skip
    drafts = store.rows("control", statuses=["draft"])
    assert drafts["row_id"].tolist() == claim and drafts["version"].tolist() == [3]
    reviewed = store.rows("control", statuses=["reviewed"])
    assert claim[0] not in set(reviewed["row_id"]), "its newest version is a draft again"
