"""Sanity of control areas and frontlines computed from the bundled annotations in ``data/``."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.ops import nearest_points

from geo.borders import EQUAL_AREA_CRS, border_lines
from geo.territory import ControlSnapshot, change_between, control_snapshot
from geo.territory.claims import TerritoryOptions

DATA = Path(__file__).resolve().parents[1] / "data"
# (lat, lon) of the places the checks name.
IDLIB_FRONT = (35.9, 36.6)
IDLIB_CITY = (35.93, 36.63)
HAMA = (35.13, 36.75)
DAMASCUS = (33.51, 36.29)


@pytest.fixture(scope="module")
def atlas():
    from geo.atlas.load import load_atlas

    return load_atlas(DATA)


@pytest.fixture(scope="module")
def snapshots(atlas) -> dict[str, ControlSnapshot]:
    return {
        day: control_snapshot(
            atlas.control, date=day, options=TerritoryOptions(polygons=atlas.areas)
        )
        for day in ("2024-11-26", "2024-12-03", "2024-12-09")
    }


def _point(lat_lon: tuple[float, float]) -> shapely.Point:
    lat, lon = lat_lon
    return shapely.Point(lon, lat)  # shapely speaks (x=lon, y=lat)


def _holders(snapshot: ControlSnapshot, lat_lon: tuple[float, float]) -> set[str]:
    inside = snapshot.areas[snapshot.areas.contains(_point(lat_lon))]
    return set(inside["faction"])


def _front(snapshot: ControlSnapshot, first: str, second: str) -> gpd.GeoDataFrame:
    pair = sorted([first, second])
    fronts = snapshot.frontlines
    return fronts[(fronts["faction_a"] == pair[0]) & (fronts["faction_b"] == pair[1])]


def _km_to(lines: gpd.GeoDataFrame, lat_lon: tuple[float, float]) -> float:
    here = gpd.GeoSeries([_point(lat_lon)], crs=4326).to_crs(EQUAL_AREA_CRS).iloc[0]
    return float(lines.to_crs(EQUAL_AREA_CRS).distance(here).min()) / 1000.0


def test_before_the_offensive_an_hts_government_frontline_runs_around_idlib(snapshots):
    before = snapshots["2024-11-26"]
    front = _front(before, "hts", "gov")
    assert not front.empty, before.frontlines[["factions", "length_km"]]
    assert _km_to(front, IDLIB_FRONT) < 30
    assert front["length_km"].sum() > 50
    assert _holders(before, IDLIB_CITY) == {"hts"}
    assert _holders(before, HAMA) == {"gov"}


def test_on_3_december_the_hts_led_front_stands_north_of_hama_which_the_government_holds(
    snapshots,
):
    day = snapshots["2024-12-03"]
    assert _holders(day, HAMA) == {"gov"}
    front = _front(day, "hts", "gov")
    assert not front.empty
    between = front.clip(shapely.box(36.3, HAMA[0], 37.3, 35.65))  # Hama city up to ~35.6N
    assert between.to_crs(EQUAL_AREA_CRS).length.sum() > 5_000  # metres of front
    assert _km_to(front, HAMA) < 50
    # The nearest stretch of that front lies north of Hama.
    here = _point(HAMA)
    nearest = nearest_points(shapely.union_all(front.geometry.to_numpy()), here)[0]
    assert nearest.y > HAMA[0]


def test_on_9_december_the_former_government_holds_nothing_and_hts_holds_damascus(snapshots):
    day = snapshots["2024-12-09"]
    assert "gov" not in set(day.areas["faction"])
    assert _front(day, "hts", "gov").empty
    assert _holders(day, DAMASCUS) == {"hts"}
    points = day.points.set_index("place")
    assert points.loc["Damascus", "faction"] == "hts"


def test_no_bundled_frontline_runs_along_the_iraq_syria_border(snapshots):
    border = border_lines(("SY", "IQ")).to_crs(EQUAL_AREA_CRS).geometry.iloc[0]
    for day, snapshot in snapshots.items():
        lines = snapshot.frontlines.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
        coords = shapely.get_coordinates(lines)
        if len(coords) < 2:
            continue
        on_border = shapely.length(shapely.intersection(lines, border.buffer(100.0))).sum()
        assert on_border < 1_000, f"{day}: {on_border:.0f} m of frontline on the border"


def test_bundled_areas_fit_inside_syria_and_iraq_and_are_measured_in_km2(snapshots):
    syria_iraq_km2 = 185_000 + 435_000
    for day, snapshot in snapshots.items():
        total = snapshot.areas["area_km2"].sum()
        assert 50_000 < total < syria_iraq_km2, day
        projected = snapshot.areas.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6
        assert np.allclose(projected, snapshot.areas["area_km2"], rtol=1e-6), day


def test_between_26_november_and_9_december_the_government_loses_everything_it_held(atlas):
    report = change_between(
        atlas.control, "2024-11-26", "2024-12-09", options=TerritoryOptions(polygons=atlas.areas)
    )
    table = report.factions.set_index("faction")
    assert table.loc["gov", "gained_km2"] == pytest.approx(0.0, abs=1.0)
    assert table.loc["gov", "net_km2"] == pytest.approx(-table.loc["gov", "lost_km2"], rel=1e-6)
    assert table.loc["hts", "net_km2"] > 10_000
    hands = report.changed_hands
    aleppo = hands[hands["place"] == "Aleppo"]
    assert aleppo[["from_faction", "to_faction"]].values.tolist()[0] == ["gov", "hts"]
    assert (report.changed_hands["date"] > "2024-11-26").all()
