"""Data from other regions and periods: a UCDP GED file of 1989-2024 on every continent, ACLED
exports for the Sahel and Ukraine. They import, validate and load with nothing refused for
where it is, UCDP's and ACLED's names of our factions map to them, and other actors are
grouped into factions written out for editing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.synth.layouts import synthetic_acled, synthetic_ucdp_ged

ROOT = Path(__file__).resolve().parents[1]


def _geo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def ucdp_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder made by ``geo import ucdp`` from a 1989-2024, every-continent GED file."""
    root = tmp_path_factory.mktemp("ucdp")
    source = root / "ged.csv"
    synthetic_ucdp_ged(1_500, seed=7).to_csv(source, index=False)
    folder = root / "atlas"
    folder.mkdir()
    done = _geo("import", "ucdp", str(source), "--out", str(folder / "events.csv"))
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


def test_ucdp_import_refuses_no_event_for_where_it_is(ucdp_folder: Path) -> None:
    events = pd.read_csv(ucdp_folder / "events.csv", dtype="str", keep_default_na=False)
    assert len(events) == 1_500
    lat = events["lat"].astype(float)
    assert (lat > 43).any() and (lat < 0).any()  # Ukraine and Bosnia; DR Congo
    assert events["date"].min()[:4] == "1989" and events["date"].max()[:4] == "2024"


def test_ucdp_names_of_our_factions_map_to_them_and_others_are_grouped(ucdp_folder: Path) -> None:
    events = pd.read_csv(ucdp_folder / "events.csv", dtype="str", keep_default_na=False)
    factions = pd.read_csv(ucdp_folder / "factions.csv", dtype="str", keep_default_na=False)
    assert {"gov", "isis", "sdf", "russia"} <= set(events["faction"]) | set(events["faction2"])
    used = set(events["faction"]) | set(events["faction2"]) - {""}
    assert used <= set(factions["id"]), used - set(factions["id"])
    grouped = factions[factions["id"].str.startswith(("a-", "other-"))]
    assert len(grouped) >= 5
    assert factions["id"].is_unique


def test_a_folder_holding_only_the_imported_events_validates(ucdp_folder: Path) -> None:
    lone = ucdp_folder.parent / "lone"
    lone.mkdir()
    (lone / "events.csv").write_bytes((ucdp_folder / "events.csv").read_bytes())
    done = _geo("validate", "--quiet", str(lone))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "1500 events" in done.stderr


def test_a_lone_events_csv_with_raw_actor_names_loads_with_grouped_factions(
    tmp_path: Path,
) -> None:
    from _annotation_helpers import factions_frame

    from geo.annotations import load_annotations
    from geo.annotations.importers import import_acled_bytes
    from geo.atlas.join import join_annotations
    from geo.places.geocode import load_geocoder
    from geo.schema import EVENT_INPUT_COLUMNS

    raw = synthetic_acled(300, region="sahel", seed=2).to_csv(index=False).encode()
    events, _ = import_acled_bytes(raw, name="sahel.csv", factions=factions_frame())
    events[list(EVENT_INPUT_COLUMNS)].to_csv(tmp_path / "events.csv", index=False)
    ann = load_annotations(tmp_path)
    assert ann.errors == ()
    atlas = join_annotations(ann, geocoder=load_geocoder())
    assert len(atlas.events) == 300
    assert set(atlas.events["faction"]) <= set(atlas.factions["id"])
    assert set(atlas.events["country"]) <= {"ML", "BF", "NE"}
    assert "a-wagner-group" in set(atlas.factions["id"])


def test_an_edited_mapping_is_applied_on_the_next_import(tmp_path: Path) -> None:
    source = tmp_path / "ukraine.csv"
    synthetic_acled(400, region="ukraine", seed=5).to_csv(source, index=False)
    first = tmp_path / "first"
    first.mkdir()
    assert _geo("import", "acled", str(source), "--out", str(first / "events.csv")).returncode == 0
    factions = pd.read_csv(first / "factions.csv", dtype="str", keep_default_na=False)
    wagner = factions["id"] == "a-wagner-group"
    assert wagner.any()
    # The user folds Wagner into Russia: its alias moves to the russia faction.
    russia = factions["id"] == "russia"
    factions.loc[russia, "aliases"] += ";Wagner Group"
    factions = factions[~wagner]
    factions.to_csv(first / "factions.csv", index=False)
    second = tmp_path / "second"
    second.mkdir()
    done = _geo(
        "import", "acled", str(source), "--out", str(second / "events.csv"), "--data", str(first)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    again = pd.read_csv(second / "events.csv", dtype="str", keep_default_na=False)
    assert "a-wagner-group" not in set(again["faction"]) | set(again["faction2"])
    assert "russia" in set(again["faction"])


def test_import_makes_the_data_folder_it_is_told_to_write_into(tmp_path: Path) -> None:
    source = tmp_path / "acled.csv"
    synthetic_acled(50, region="sahel", seed=3).to_csv(source, index=False)
    folder = tmp_path / "new" / "sahel"  # neither exists yet
    done = _geo("import", "acled", str(source), "--out", str(folder / "events.csv"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(pd.read_csv(folder / "events.csv")) == 50
    assert (folder / "factions.csv").exists()


def test_grouped_faction_colours_are_stable_and_colour_blind_safe() -> None:
    from _annotation_helpers import factions_frame

    from geo.annotations.actors import AUTO_PALETTE, group_actors

    events = pd.DataFrame(
        {"faction": ["Wagner Group"] * 5, "faction2": [""] * 5, "lat": 12.6, "lon": -8.0}
    )
    _, one, _ = group_actors(events, factions=factions_frame())
    _, two, _ = group_actors(events.iloc[::-1], factions=factions_frame())
    colour = one.set_index("id").loc["a-wagner-group", "colour"]
    assert colour == two.set_index("id").loc["a-wagner-group", "colour"]
    assert colour in AUTO_PALETTE


def test_control_in_two_countries_gets_areas_in_each_country() -> None:
    import geopandas as gpd

    from geo.territory import control_snapshot
    from ui.derived import territory_options

    places = [  # (place, faction, country, lat, lon): Syria and Ukraine
        ("Aleppo", "gov", "SY", 36.20, 37.13),
        ("Idlib", "hts", "SY", 35.93, 36.63),
        ("Kramatorsk", "ua", "UA", 48.72, 37.56),
        ("Horlivka", "ru", "UA", 48.30, 38.05),
    ]
    control = gpd.GeoDataFrame(
        {
            "place": [p[0] for p in places],
            "faction": [p[1] for p in places],
            "valid_from": pd.to_datetime(["2024-01-01"] * 4),
            "status": ["held"] * 4,
            "confidence": [0.9] * 4,
            "source": ["test"] * 4,
            "country": [p[2] for p in places],
            "lat": [p[3] for p in places],
            "lon": [p[4] for p in places],
        },
        geometry=gpd.points_from_xy([p[4] for p in places], [p[3] for p in places]),
        crs="EPSG:4326",
    )
    options = territory_options(control, areas=None)
    assert set(options.countries) == {"SY", "UA"}
    snap = control_snapshot(control, date="2024-06-01", options=options)
    assert {"gov", "hts", "ua", "ru"} <= set(snap.areas["faction"])
    ukraine = snap.areas[snap.areas["faction"].isin(["ua", "ru"])].to_crs(4326)
    assert ukraine.geometry.representative_point().y.between(44, 53).all()
    assert len(snap.frontlines) >= 2  # one per country, not one across the Black Sea


@pytest.mark.parametrize(
    ("region", "towns"),
    [("sahel", {"Bamako", "Niamey"}), ("ukraine", {"Kharkiv", "Dnipro"})],
)
def test_the_offline_map_of_another_region_labels_its_own_towns_not_syrian_ones(
    region: str, towns: set[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo.atlas.config import data_extent
    from geo.maps.layers.basemap import offline_basemap
    from ui.data import basemap_inputs, default_atlas

    source = tmp_path / "export.csv"
    synthetic_acled(300, region=region, seed=5).to_csv(source, index=False)
    folder = tmp_path / "atlas"
    folder.mkdir()
    done = _geo("import", "acled", str(source), "--out", str(folder / "events.csv"))
    assert done.returncode == 0, done.stderr[-2000:]
    monkeypatch.setenv("FRONTLINE_DATA_DIR", str(folder))
    monkeypatch.setenv("FRONTLINE_OFFLINE", "1")
    monkeypatch.delenv("FRONTLINE_EVENTS_PARQUET", raising=False)

    countries, labels = basemap_inputs()  # what the dashboard's base map is drawn with
    texts = set(labels["text"])
    assert towns <= texts
    assert not {"Damascus", "Aleppo", "Mosul", "Baghdad"} & texts
    west, south, east, north = data_extent([default_atlas().events])
    assert labels["lon"].between(west - 10, east + 10).all()
    assert labels["lat"].between(south - 10, north + 10).all()
    rendered = _render(
        offline_basemap(countries, labels=labels, detail_bbox=(west, south, east, north))
    )
    assert all(town in rendered for town in towns) and "Damascus" not in rendered


def _render(group: object) -> str:
    import folium

    fmap = folium.Map()
    group.add_to(fmap)  # type: ignore[attr-defined]
    return fmap.get_root().render()
