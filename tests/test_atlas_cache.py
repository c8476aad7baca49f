"""The on-disk atlas cache: a hit equals a fresh join, edits and corruption rebuild it.

Every test points ``FRONTLINE_CACHE_DIR`` at one temporary folder of this session (never the
user's cache), where the gazetteer index is built once.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import geopandas.testing as gpdt
import pandas as pd
import pandas.testing as pdt
import pytest
from _annotation_helpers import EVENT_ROWS, event_row, write_dataset

import geo.places.geocode
from geo.atlas.cache import fingerprint
from geo.atlas.join import AtlasData
from geo.atlas.load import load_atlas
from geo.places.geocode import load_geocoder
from geo.territory.claims import TerritoryOptions

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

AREAS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {
                "faction": "sdf",
                "valid_from": "2024-12-01",
                "valid_to": None,
                "source": "Test sketch",
                "confidence": 0.7,
                "note": "A square east of the river, drawn for this test.",
            },
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[39.0, 35.5], [39.5, 35.5], [39.5, 36.0], [39.0, 36.0], [39.0, 35.5]]
                ],
            },
        }
    ],
}


@pytest.fixture(scope="session")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("frontline-cache")


@pytest.fixture(scope="session")
def reference_geocoder(cache_root: Path):
    """The default offline geocoder (gazetteer index built once, in the session's cache)."""
    return load_geocoder(data_dir=DATA, cache_dir=cache_root)


@pytest.fixture(autouse=True)
def _tmp_cache(monkeypatch: pytest.MonkeyPatch, cache_root: Path, reference_geocoder) -> None:
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(cache_root))


def small_dataset(directory: Path, *, events: list[dict[str, str]] | None = None) -> Path:
    """Events with an unresolved place, a faction alias (warning) and a bad date (error),
    the test control rows, an areas file and the bundled places.csv (same gazetteer)."""
    rows = events or [
        *EVENT_ROWS,
        event_row(id="t3", place="Qqqxyzzy Nowhere"),
        event_row(id="t4", faction="HTS"),
        event_row(id="t5", date="2024-02-30"),
    ]
    write_dataset(directory, events=rows)
    (directory / "control_areas.geojson").write_text(json.dumps(AREAS), encoding="utf-8")
    shutil.copy2(DATA / "places.csv", directory / "places.csv")
    return directory


def uncached(data_dir: Path, geocoder) -> AtlasData:
    return load_atlas(data_dir, geocoder=geocoder)


def assert_atlas_equal(got: AtlasData, want: AtlasData) -> None:
    for name in ("factions", "join_report"):
        pdt.assert_frame_equal(getattr(got, name), getattr(want, name), check_exact=True)
    for name in ("events", "control", "areas"):
        assert_geoframe_equal(getattr(got, name), getattr(want, name))
    assert got.issues == want.issues


def assert_geoframe_equal(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Same shapes, CRS, columns, values (exactly), missing geometries and ``attrs``."""
    gpdt.assert_geodataframe_equal(got, want, check_crs=True)
    pdt.assert_frame_equal(
        pd.DataFrame(got.drop(columns="geometry")),
        pd.DataFrame(want.drop(columns="geometry")),
        check_exact=True,
    )
    assert got.geometry.isna().tolist() == want.geometry.isna().tolist()
    assert got.attrs == want.attrs


def entries(cache: Path) -> list[str]:
    return sorted(p.name.split(".")[0] for p in cache.glob("atlas-*.manifest.json"))


def test_bundled_atlas_from_the_cache_equals_a_fresh_join(reference_geocoder) -> None:
    first = load_atlas(DATA)  # miss or hit: either way it must equal the fresh join
    second = load_atlas(DATA)  # a hit
    want = uncached(DATA, reference_geocoder)
    assert_atlas_equal(first, want)
    assert_atlas_equal(second, want)


def test_small_dataset_with_unresolved_place_warnings_and_areas_round_trips_exactly(
    tmp_path: Path, reference_geocoder
) -> None:
    data = small_dataset(tmp_path / "data")
    want = uncached(data, reference_geocoder)
    # the dataset exercises what the cache must keep: None geometry, warnings, errors, areas
    assert want.events.set_index("id").loc["t3", "geometry"] is None
    assert {i.severity for i in want.issues} == {"error", "warning"}
    assert len(want.areas) == 1 and len(want.join_report) == 1
    assert_atlas_equal(load_atlas(data), want)
    assert_atlas_equal(load_atlas(data), want)


def test_cache_hit_does_not_load_the_geocoder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference_geocoder
) -> None:
    data = small_dataset(tmp_path / "data")
    load_atlas(data)

    def no_geocoder(**options: object) -> None:
        raise AssertionError(f"the geocoder was loaded on a cache hit ({options})")

    monkeypatch.setattr(geo.places.geocode, "load_geocoder", no_geocoder)
    assert_atlas_equal(load_atlas(data), uncached(data, reference_geocoder))


def test_editing_events_csv_invalidates_the_cache_and_the_new_row_shows_up(
    tmp_path: Path, reference_geocoder
) -> None:
    data = small_dataset(tmp_path / "data")
    assert "t9" not in set(load_atlas(data).events["id"])
    small_dataset(data, events=[*EVENT_ROWS, event_row(id="t9", place="Homs")])
    edited = load_atlas(data)
    assert "t9" in set(edited.events["id"])
    assert_atlas_equal(edited, uncached(data, reference_geocoder))


def test_removing_the_areas_file_invalidates_the_cache(tmp_path: Path) -> None:
    data = small_dataset(tmp_path / "data")
    assert len(load_atlas(data).areas) == 1
    (data / "control_areas.geojson").unlink()
    assert len(load_atlas(data).areas) == 0


@pytest.mark.parametrize("part", ["events.parquet", "manifest.json", "areas.parquet"])
def test_corrupt_cache_file_is_rebuilt_with_a_warning_not_a_crash(
    tmp_path: Path, cache_root: Path, part: str, reference_geocoder, caplog
) -> None:
    data = small_dataset(tmp_path / "data")
    load_atlas(data)
    broken = cache_root / f"atlas-{fingerprint(data)}.{part}"
    broken.write_bytes(b"PAR1 this is not what was written")
    with caplog.at_level(logging.WARNING, logger="geo.cache"):
        rebuilt = load_atlas(data)
    assert_atlas_equal(rebuilt, uncached(data, reference_geocoder))
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    assert_atlas_equal(load_atlas(data), rebuilt)  # the entry was written again and reads back


def test_unwritable_cache_dir_still_returns_the_right_atlas(
    tmp_path: Path, reference_geocoder, caplog
) -> None:
    data = small_dataset(tmp_path / "data")
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("occupied", encoding="utf-8")  # mkdir fails even for root
    with caplog.at_level(logging.WARNING, logger="geo.cache"):
        atlas = load_atlas(data, cache_dir=not_a_folder)
    assert_atlas_equal(atlas, uncached(data, reference_geocoder))
    assert any("cannot write the atlas cache" in r.getMessage() for r in caplog.records)


def test_frontline_cache_dir_is_honoured(tmp_path: Path, cache_root: Path) -> None:
    data = small_dataset(tmp_path / "data")
    load_atlas(data)
    assert f"atlas-{fingerprint(data)}" in entries(cache_root)


def test_explicit_cache_dir_holds_the_entry(tmp_path: Path) -> None:
    data = small_dataset(tmp_path / "data")
    mine = tmp_path / "mine"
    load_atlas(data, cache_dir=mine)
    assert entries(mine) == [f"atlas-{fingerprint(data)}"]


def test_explicit_geocoder_bypasses_the_cache(tmp_path: Path, cache_root: Path) -> None:
    data = small_dataset(tmp_path / "data")
    assert load_atlas(data).events["geometry"].notna().sum() >= 2  # cached, places resolved

    class KnowsNothing:
        def geocode_many(self, names):
            return [_Unresolved(n) for n in names]

    atlas = load_atlas(data, geocoder=KnowsNothing())
    explicit = atlas.events["lat"].notna()  # only rows with lat/lon in the file are placed
    assert atlas.events.loc[~explicit, "geometry"].isna().all()
    assert set(atlas.join_report["status"]) == {"unresolved"}


class _Unresolved:
    def __init__(self, name: str) -> None:
        self.name, self.matched, self.reason = name, None, "test geocoder knows nothing"
        self.resolved, self.lat, self.lon, self.confidence = False, None, None, 0.0
        self.country = self.kind = None


def test_editing_a_module_in_a_subpackage_invalidates_the_cache() -> None:
    import os

    module = ROOT / "geo" / "territory" / "claims.py"  # computes control, deep in the tree
    before = fingerprint(DATA)
    stat = module.stat()
    try:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert fingerprint(DATA) != before, "an edit of geo/territory/claims.py kept the entry"
    finally:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint(DATA) == before


def test_old_entries_are_pruned_to_the_last_four(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folders = [small_dataset(tmp_path / f"data{i}") for i in range(6)]
    for folder in folders:
        load_atlas(folder, cache_dir=cache)
    assert len(entries(cache)) == 4
    assert f"atlas-{fingerprint(folders[-1])}" in entries(cache)


# ---------------------------------------------------------------- control snapshots


def _snapshot_of(atlas: AtlasData, day: pd.Timestamp):
    from geo.territory import control_snapshot

    return control_snapshot(atlas.control, date=day, options=TerritoryOptions(polygons=atlas.areas))


def assert_snapshot_equal(got, want) -> None:
    assert got.date == want.date
    for name in ("points", "areas", "frontlines"):
        assert_geoframe_equal(getattr(got, name), getattr(want, name))


def test_a_control_snapshot_from_the_cache_equals_a_fresh_one_and_is_not_recomputed(
    tmp_path: Path, reference_geocoder
) -> None:
    from geo.territory.snapshot import cached_snapshot

    atlas = uncached(DATA, reference_geocoder)
    day = pd.Timestamp("2024-12-08")
    fresh = _snapshot_of(atlas, day)
    assert len(fresh.areas) > 0 and len(fresh.frontlines) > 0
    first = cached_snapshot(fingerprint(DATA), day, build=lambda: fresh, cache_dir=tmp_path)

    def recomputed():
        raise AssertionError("recomputed: the snapshot was not read from the cache")

    again = cached_snapshot(fingerprint(DATA), day, build=recomputed, cache_dir=tmp_path)
    assert first is fresh
    assert_snapshot_equal(again, fresh)
    other_day = pd.Timestamp("2024-11-30")
    built = cached_snapshot(fingerprint(DATA), other_day, build=lambda: _snapshot_of(atlas, other_day),
                            cache_dir=tmp_path)  # fmt: skip
    assert built.date == other_day, "each day has its own entry"


def test_a_corrupt_snapshot_entry_is_rebuilt_with_a_warning(
    tmp_path: Path, reference_geocoder, caplog: pytest.LogCaptureFixture
) -> None:
    from geo.territory.snapshot import cached_snapshot

    atlas = uncached(DATA, reference_geocoder)
    day = pd.Timestamp("2024-12-08")
    cached_snapshot(
        fingerprint(DATA), day, build=lambda: _snapshot_of(atlas, day), cache_dir=tmp_path
    )
    (areas,) = tmp_path.glob("snapshot-*.areas.parquet")
    areas.write_bytes(b"not parquet")
    with caplog.at_level(logging.WARNING, logger="geo.cache"):
        got = cached_snapshot(
            fingerprint(DATA), day, build=lambda: _snapshot_of(atlas, day), cache_dir=tmp_path
        )
    assert "unreadable" in caplog.text
    assert_snapshot_equal(got, _snapshot_of(atlas, day))


@pytest.mark.parametrize(
    "extra",
    [None, "POINT EMPTY", "POINT Z (3 4 5)", "LINESTRING (0 0, 1 1)"],
    ids=["points", "an-empty-point", "a-3d-point", "a-line"],
)
def test_a_cached_frame_of_points_comes_back_equal_whatever_else_it_holds(
    tmp_path: Path, extra: str | None
) -> None:
    import geopandas as gpd
    import shapely

    from geo.cache import read_frames, write_frames

    wkts = ["POINT (36.2 37.1)", "POINT (-8.0 12.6)", "POINT (30.5 50.4)"]
    geoms = [shapely.from_wkt(w) for w in wkts] + (
        [] if extra is None else [shapely.from_wkt(extra)]
    )
    frame = gpd.GeoDataFrame(
        {"id": [f"e{i}" for i in range(len(geoms))]}, geometry=geoms, crs="EPSG:4326"
    )
    entry = tmp_path / "demo-0123"
    write_frames(entry, {"events": frame}, manifest={"version": "demo-1"})
    back = read_frames(entry, ("events",), version="demo-1")[0]["events"]
    gpdt.assert_geodataframe_equal(back, frame)
    assert back.crs == frame.crs
