"""Control areas, frontlines and change on small layouts whose answer is known by construction.

All layouts sit in the Syrian desert around 38.5E 34.8N, far from any border or coast, unless a
test is about borders or coasts.
"""

from __future__ import annotations

import dataclasses
import logging
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.borders import EQUAL_AREA_CRS
from geo.errors import AnnotationError, ConfigError
from geo.territory import (
    area_series,
    change_between,
    control_areas,
    control_at,
    control_snapshot,
    frontlines,
)
from geo.territory.cells import clip_shapes
from geo.territory.claims import TerritoryOptions

GEOD = pyproj.Geod(ellps="WGS84")
# The cells' circles are 64-gons: their area is this fraction of the true circle's.
POLYGON_FACTOR = 64 / (2 * math.pi) * math.sin(2 * math.pi / 64)


def claims(*rows: tuple) -> gpd.GeoDataFrame:
    """Control claims from (place, faction, valid_from, lat, lon[, status]) tuples."""
    records = [
        {
            "place": row[0],
            "faction": row[1],
            "valid_from": row[2],
            "lat": row[3],
            "lon": row[4],
            "status": row[5] if len(row) > 5 else "held",
            "confidence": 0.8,
            "source": f"test report on {row[0]}",
            "note": "",
        }
        for row in rows
    ]
    frame = pd.DataFrame(records)
    frame["valid_from"] = pd.to_datetime(frame["valid_from"])
    # x is the longitude: points are built (lon, lat).
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )


def polygons(*rows: tuple) -> gpd.GeoDataFrame:
    """Polygon annotations from (faction, valid_from, valid_to, shapely geometry) tuples."""
    frame = pd.DataFrame(
        [{"faction": f, "valid_from": a, "valid_to": b, "source": "test"} for f, a, b, _ in rows]
    )
    frame["valid_from"] = pd.to_datetime(frame["valid_from"])
    frame["valid_to"] = pd.to_datetime(frame["valid_to"])
    return gpd.GeoDataFrame(frame, geometry=[row[3] for row in rows], crs="EPSG:4326")


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def area_of(areas: gpd.GeoDataFrame, faction: str) -> float:
    return float(areas.loc[areas["faction"] == faction, "area_km2"].sum())


def projected_area_km2(geometry: shapely.Geometry) -> float:
    return float(gpd.GeoSeries([geometry], crs=4326).to_crs(EQUAL_AREA_CRS).area.iloc[0]) / 1e6


def faction_geometry(areas: gpd.GeoDataFrame, faction: str) -> shapely.Geometry:
    return shapely.union_all(areas.loc[areas["faction"] == faction, "geometry"].to_numpy())


# --- two places, one bisector -------------------------------------------------------------


def test_two_places_split_the_ground_along_their_bisector_with_the_chord_length():
    radius = 20.0
    control = claims(
        ("West", "x", "2024-11-20", 34.8, 38.4),
        ("East", "y", "2024-11-20", 34.8, 38.6),
    )
    snap = control_snapshot(control, date="2024-11-25", options=TerritoryOptions(radius_km=radius))
    half = km(34.8, 38.4, 34.8, 38.6) / 2
    chord = 2 * math.sqrt(radius**2 - half**2)
    cap = radius**2 * math.acos(half / radius) - half * math.sqrt(radius**2 - half**2)
    expected_area = (math.pi * radius**2 - cap) * POLYGON_FACTOR

    assert snap.frontlines["factions"].tolist() == [["x", "y"]]
    assert snap.frontlines.geom_type.tolist() == ["LineString"]
    assert snap.frontlines["length_km"].iloc[0] == pytest.approx(chord, rel=0.01)
    assert area_of(snap.areas, "x") == pytest.approx(expected_area, rel=0.01)
    assert area_of(snap.areas, "y") == pytest.approx(expected_area, rel=0.01)
    # The front is the bisector: every vertex sits on 38.5E.
    xs = shapely.get_coordinates(snap.frontlines.geometry.to_numpy())[:, 0]
    assert np.allclose(xs, 38.5, atol=0.002)


def test_two_factions_splitting_a_square_meet_along_the_split_line():
    lons = np.round(np.arange(37.55, 38.46, 0.1), 2)
    lats = np.round(np.arange(34.55, 35.46, 0.1), 2)
    rows = [
        (f"p{lat}_{lon}", "x" if lon < 38.0 else "y", "2024-11-20", lat, lon)
        for lat in lats
        for lon in lons
    ]
    radius = 8.0
    snap = control_snapshot(
        claims(*rows), date="2024-11-21", options=TerritoryOptions(radius_km=radius)
    )
    half_gap = km(34.55, 37.95, 34.55, 38.05) / 2
    overhang = math.sqrt(radius**2 - half_gap**2)  # the bisector beyond the outer rows
    expected = km(34.55, 38.0, 35.45, 38.0) + 2 * overhang

    fronts = snap.frontlines
    assert set(map(tuple, fronts["factions"])) == {("x", "y")}
    assert fronts["length_km"].sum() == pytest.approx(expected, rel=0.01)
    xs = shapely.get_coordinates(fronts.geometry.to_numpy())[:, 0]
    assert np.allclose(xs, 38.0, atol=0.005)
    assert area_of(snap.areas, "x") == pytest.approx(area_of(snap.areas, "y"), rel=0.01)
    square = shapely.box(37.55, 34.55, 38.45, 35.45)
    covered = shapely.union_all(snap.areas.geometry.to_numpy())
    assert projected_area_km2(square.difference(covered)) < 0.01


def test_a_single_place_claims_a_disc_of_the_radius_measured_in_km2_not_degrees():
    areas = control_areas(
        claims(("Lone", "x", "2024-11-20", 34.8, 38.5)),
        date="2024-11-21",
        options=TerritoryOptions(radius_km=10),
    )
    assert areas.crs.to_epsg() == 4326
    assert areas["area_km2"].iloc[0] == pytest.approx(math.pi * 100 * POLYGON_FACTOR, rel=0.005)
    assert areas.geometry.iloc[0].area < 0.1  # square degrees would be tiny


def test_empty_desert_beyond_the_radius_is_not_claimed():
    control = claims(("A", "x", "2024-11-20", 34.8, 38.0), ("B", "y", "2024-11-20", 34.8, 39.0))
    snap = control_snapshot(control, date="2024-11-21", options=TerritoryOptions(radius_km=20))
    assert snap.frontlines.empty  # 91 km apart: the two discs never meet
    assert not faction_geometry(snap.areas, "x").contains(shapely.Point(38.5, 34.8))


# --- change between two dates ---------------------------------------------------------------

HANDOVER = claims(
    ("A", "x", "2024-11-01", 34.8, 38.3),
    ("B", "x", "2024-11-01", 34.8, 38.5),
    ("C", "y", "2024-11-01", 34.8, 38.7),
    ("B", "y", "2024-12-01", 34.8, 38.5),
)


def test_a_place_changing_hands_moves_its_ground_from_the_loser_to_the_winner():
    report = change_between(
        HANDOVER, "2024-11-15", "2024-12-05", options=TerritoryOptions(radius_km=15)
    )
    table = report.factions.set_index("faction")
    lost_by_x, gained_by_y = table.loc["x", "lost_km2"], table.loc["y", "gained_km2"]
    assert lost_by_x > 100
    assert gained_by_y == pytest.approx(lost_by_x, rel=1e-4)
    assert table.loc["x", "gained_km2"] == pytest.approx(0, abs=1e-6)
    assert table.loc["y", "lost_km2"] == pytest.approx(0, abs=1e-6)
    assert table.loc["x", "net_km2"] == pytest.approx(-lost_by_x, rel=1e-6)
    before = control_areas(HANDOVER, date="2024-11-15", options=TerritoryOptions(radius_km=15))
    after = control_areas(HANDOVER, date="2024-12-05", options=TerritoryOptions(radius_km=15))
    assert table.loc["x", "net_km2"] == pytest.approx(area_of(after, "x") - area_of(before, "x"),
                                                      rel=1e-4)  # fmt: skip

    shapes = report.polygons.set_index(["faction", "change"])["geometry"]
    gained, lost = shapes.loc[("y", "gained")], shapes.loc[("x", "lost")]
    assert projected_area_km2(gained.symmetric_difference(lost)) < 0.01
    assert lost.contains(shapely.Point(38.5, 34.8))

    hands = report.changed_hands
    assert hands[["place", "from_faction", "to_faction"]].values.tolist() == [["B", "x", "y"]]
    assert hands["date"].iloc[0] == pd.Timestamp("2024-12-01")
    assert hands["source"].iloc[0] == "test report on B"
    assert hands["confidence"].iloc[0] == pytest.approx(0.8)


def test_a_transfer_after_the_end_date_is_not_counted():
    report = change_between(
        HANDOVER, "2024-11-15", "2024-11-30", options=TerritoryOptions(radius_km=15)
    )
    assert report.changed_hands.empty
    assert report.polygons.empty
    assert report.factions[["gained_km2", "lost_km2"]].abs().to_numpy().max() < 1e-6


def test_end_before_start_is_refused_showing_both_dates():
    with pytest.raises(ConfigError, match=r"2024-11-01.*2024-12-01"):
        change_between(HANDOVER, "2024-12-01", "2024-11-01")


@settings(max_examples=12, deadline=None)
@given(
    st.lists(st.sampled_from(["x", "y", "z"]), min_size=6, max_size=6),
    st.lists(st.sampled_from(["x", "y", "z"]), min_size=6, max_size=6),
)
def test_gains_minus_losses_equal_the_net_change_and_the_total_ground_is_kept(before, after):
    positions = [(34.7 + 0.1 * (i % 2), 38.2 + 0.1 * i) for i in range(6)]
    rows = [(f"p{i}", before[i], "2024-11-01", *positions[i]) for i in range(6)]
    rows += [(f"p{i}", after[i], "2024-12-01", *positions[i]) for i in range(6)]
    report = change_between(
        claims(*rows), "2024-11-10", "2024-12-02", options=TerritoryOptions(radius_km=12)
    )
    table = report.factions
    assert np.allclose(table["gained_km2"] - table["lost_km2"], table["net_km2"], atol=0.01)
    assert abs(table["net_km2"].sum()) < 0.01
    moved = sum(b != a for b, a in zip(before, after, strict=True))
    assert len(report.changed_hands) == moved


# --- uncertainty ----------------------------------------------------------------------------


def test_a_claim_older_than_max_age_days_is_marked_uncertain_not_dropped():
    control = claims(("Old", "x", "2024-08-01", 34.8, 38.3), ("New", "y", "2024-11-20", 34.8, 38.7))
    areas = control_areas(
        control, date="2024-12-01", options=TerritoryOptions(radius_km=10, max_age_days=60)
    )
    assert areas[["faction", "uncertain"]].values.tolist() == [["x", True], ["y", False]]
    assert area_of(areas, "x") == pytest.approx(area_of(areas, "y"), rel=0.01)
    never = control_areas(
        control, date="2024-12-01", options=TerritoryOptions(radius_km=10, max_age_days=None)
    )
    assert not never["uncertain"].any()


@pytest.mark.parametrize("status", ["contested", "besieged"])
def test_contested_and_besieged_places_are_uncertain_ground(status):
    control = claims(("Town", "x", "2024-11-30", 34.8, 38.5, status))
    areas = control_areas(control, date="2024-12-01", options=TerritoryOptions(radius_km=10))
    assert areas["uncertain"].tolist() == [True]


def test_certain_and_uncertain_ground_of_one_faction_are_separate_rows():
    control = claims(("Old", "x", "2024-06-01", 34.8, 38.3), ("New", "x", "2024-11-20", 34.8, 38.5))
    areas = control_areas(
        control, date="2024-12-01", options=TerritoryOptions(radius_km=10, max_age_days=30)
    )
    assert areas[["faction", "uncertain"]].values.tolist() == [["x", False], ["x", True]]
    # Ground of one faction is never a frontline, whatever its certainty.
    assert frontlines(areas).empty


# --- explicit polygons ----------------------------------------------------------------------

GRID = claims(
    *[
        (f"g{i}{j}", "x", "2024-11-01", 34.6 + 0.1 * i, 38.2 + 0.1 * j)
        for i in range(5)
        for j in range(5)
    ]
)
POCKET = shapely.box(38.35, 34.75, 38.45, 34.85)


def test_an_explicit_polygon_overrides_the_derived_territory_it_covers():
    pocket = polygons(("z", "2024-11-20", "2024-11-30", POCKET))
    plain = control_areas(GRID, date="2024-11-25", options=TerritoryOptions(radius_km=10))
    overridden = control_areas(
        GRID, date="2024-11-25", options=TerritoryOptions(radius_km=10, polygons=pocket)
    )
    pocket_km2 = projected_area_km2(POCKET)
    assert area_of(overridden, "z") == pytest.approx(pocket_km2, rel=1e-6)
    assert area_of(overridden, "x") == pytest.approx(area_of(plain, "x") - pocket_km2, rel=1e-4)
    assert projected_area_km2(faction_geometry(overridden, "x").intersection(POCKET)) < 0.01
    fronts = frontlines(overridden)
    assert set(map(tuple, fronts["factions"])) == {("x", "z")}
    perimeter = km(34.75, 38.35, 34.75, 38.45) * 2 + km(34.75, 38.35, 34.85, 38.35) * 2
    assert fronts["length_km"].sum() == pytest.approx(perimeter, rel=0.01)


def test_an_explicit_polygon_applies_only_from_valid_from_to_valid_to_inclusive():
    pocket = polygons(("z", "2024-11-20", "2024-11-30", POCKET))
    present = {
        day: "z"
        in set(
            control_areas(GRID, date=day, options=TerritoryOptions(radius_km=10, polygons=pocket))[
                "faction"
            ]
        )
        for day in ("2024-11-19", "2024-11-20", "2024-11-30", "2024-12-01")
    }
    assert present == {
        "2024-11-19": False,
        "2024-11-20": True,
        "2024-11-30": True,
        "2024-12-01": False,
    }


def test_where_explicit_polygons_overlap_the_later_one_wins_and_nothing_is_counted_twice():
    left = shapely.box(38.3, 34.7, 38.5, 34.9)
    right = shapely.box(38.4, 34.7, 38.6, 34.9)
    shapes = polygons(("z", "2024-11-10", None, left), ("w", "2024-11-20", None, right))
    areas = control_areas(
        GRID, date="2024-11-25", options=TerritoryOptions(radius_km=10, polygons=shapes)
    )
    assert area_of(areas, "w") == pytest.approx(projected_area_km2(right), rel=1e-6)
    assert area_of(areas, "z") == pytest.approx(projected_area_km2(left - right), rel=1e-3)


# --- borders and coasts are not frontlines --------------------------------------------------


def test_frontlines_do_not_follow_the_iraq_syria_border():
    control = claims(
        ("Abu Kamal", "x", "2024-11-20", 34.45, 40.92),  # Syria
        ("Al-Qaim", "y", "2024-11-20", 34.37, 41.09),  # Iraq
    )
    snap = control_snapshot(control, date="2024-11-21", options=TerritoryOptions(radius_km=30))
    assert {"x", "y"} <= set(snap.areas["faction"])
    assert snap.frontlines.empty
    # ...although the two areas meet along the border.
    assert faction_geometry(snap.areas, "x").distance(faction_geometry(snap.areas, "y")) < 1e-6


def test_a_border_crossing_annotated_as_iraqi_stays_on_the_iraqi_side_of_the_border():
    control = claims(
        ("Al-Bukamal crossing", "x", "2024-11-20", 34.435, 40.945),
        ("Al-Qaim crossing", "y", "2024-11-20", 34.425, 40.955),  # inside Syria on the outline
    )
    control["country"] = ["SY", "IQ"]
    snap = control_snapshot(control, date="2024-11-21", options=TerritoryOptions(radius_km=20))
    assert snap.frontlines.empty
    iraq = shapely.union_all(clip_shapes(("SY", "IQ"))[1][1:])
    y_ground = snap.areas[snap.areas["faction"] == "y"].to_crs(EQUAL_AREA_CRS).geometry.iloc[0]
    assert y_ground.difference(iraq).area < 1.0  # m²: all of it in Iraq
    undeclared = control_snapshot(
        control.drop(columns="country"), date="2024-11-21", options=TerritoryOptions(radius_km=20)
    )
    assert not undeclared.frontlines.empty  # by the outline alone, both sit in Syria


def test_frontlines_end_at_the_coast_and_never_run_along_it():
    control = claims(
        ("Latakia", "x", "2024-11-20", 35.52, 35.78),
        ("Jableh", "y", "2024-11-20", 35.36, 35.93),
    )
    snap = control_snapshot(control, date="2024-11-21", options=TerritoryOptions(radius_km=25))
    assert len(snap.frontlines) == 1
    line = snap.frontlines.to_crs(EQUAL_AREA_CRS).geometry.iloc[0]
    _, (syria, _) = clip_shapes(("SY", "IQ"))
    coords = shapely.get_coordinates(line)
    mids = shapely.points((coords[1:] + coords[:-1]) / 2)
    assert shapely.distance(mids, syria.boundary).min() > 50  # metres
    ends = shapely.points(coords[[0, -1]])
    assert min(shapely.distance(ends, syria.boundary)) < 1  # one end meets the sea


def test_a_place_outside_syria_and_iraq_claims_no_ground_and_is_logged(caplog):
    control = claims(
        ("Gaziantep", "z", "2024-11-20", 37.07, 37.38),  # Turkey
        ("Aleppo", "x", "2024-11-20", 36.2, 37.16),
    )
    with caplog.at_level(logging.WARNING, logger="geo.territory.claims"):
        areas = control_areas(control, date="2024-11-21", options=TerritoryOptions(radius_km=20))
    assert set(areas["faction"]) == {"x"}
    assert "Gaziantep" in caplog.text


def test_a_place_without_coordinates_claims_no_ground_and_is_logged(caplog):
    control = claims(("Nowhere", "z", "2024-11-20", 34.8, 38.5), ("Here", "x", "2024-11-20", 34.8,
                     38.9))  # fmt: skip
    control.loc[0, "geometry"] = None
    with caplog.at_level(logging.WARNING, logger="geo.territory.claims"):
        areas = control_areas(control, date="2024-11-21", options=TerritoryOptions(radius_km=10))
    assert set(areas["faction"]) == {"x"}
    assert "Nowhere" in caplog.text


def test_two_places_at_the_same_position_do_not_count_their_ground_twice():
    control = claims(("Twin", "y", "2024-11-02", 34.8, 38.5), ("Twin bis", "x", "2024-11-01",
                     34.8, 38.5))  # fmt: skip
    areas = control_areas(control, date="2024-11-21", options=TerritoryOptions(radius_km=10))
    assert areas["area_km2"].sum() == pytest.approx(math.pi * 100 * POLYGON_FACTOR, rel=0.005)
    assert areas["faction"].tolist() == ["y"]  # the latest claim at that position


# --- claims in force, series, snapshot, bad input -------------------------------------------


def test_control_at_takes_each_places_latest_claim_on_or_before_the_date():
    control = claims(
        ("Hama", "gov", "2024-11-01", 35.13, 36.75),
        ("Hama", "hts", "2024-12-05", 35.13, 36.75),
        ("Homs", "gov", "2024-11-01", 34.73, 36.71),
        ("Homs", "contested_by_test", "2024-11-01", 34.73, 36.71),  # same day: later row wins
    )
    current = control_at(control, "2024-12-04")
    assert current[["place", "faction", "age_days"]].values.tolist() == [
        ["Hama", "gov", 33],
        ["Homs", "contested_by_test", 33],
    ]
    assert control_at(control, "2024-10-31").empty
    assert control_at(control, "2024-12-05").set_index("place").loc["Hama", "faction"] == "hts"


def test_area_series_gives_every_faction_every_day_and_matches_the_areas_of_each_day():
    pocket = polygons(("z", "2024-11-29", "2024-12-01", shapely.box(38.25, 34.75, 38.35, 34.85)))
    series = area_series(
        HANDOVER,
        start="2024-11-28",
        end="2024-12-02",
        options=TerritoryOptions(radius_km=15, polygons=pocket),
    )
    assert len(series) == 5 * 3
    assert set(series["faction"]) == {"x", "y", "z"}
    for day, rows in series.groupby("date"):
        areas = control_areas(
            HANDOVER, date=day, options=TerritoryOptions(radius_km=15, polygons=pocket)
        )
        for row in rows.itertuples():
            assert row.area_km2 == pytest.approx(area_of(areas, row.faction), rel=1e-6, abs=1e-6)
    by_day = series.set_index(["date", "faction"])["area_km2"]
    assert by_day[(pd.Timestamp("2024-11-28"), "z")] == 0.0
    assert by_day[(pd.Timestamp("2024-12-02"), "y")] > by_day[(pd.Timestamp("2024-11-30"), "y")]


def test_snapshot_is_a_frozen_record_of_one_day():
    snap = control_snapshot(HANDOVER, date="2024-12-01", options=TerritoryOptions(radius_km=15))
    assert snap.date == pd.Timestamp("2024-12-01")
    assert len(snap.points) == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.date = pd.Timestamp("2024-12-02")  # type: ignore[misc]


def test_a_date_that_is_not_a_date_is_refused_showing_the_value():
    with pytest.raises(ConfigError, match="2024-13-45"):
        control_areas(HANDOVER, date="2024-13-45")


def test_a_radius_that_is_not_positive_is_refused_showing_the_value():
    with pytest.raises(ConfigError, match="-5"):
        control_areas(HANDOVER, date="2024-12-01", options=TerritoryOptions(radius_km=-5))


def test_a_control_table_without_a_faction_column_is_refused_naming_it():
    with pytest.raises(AnnotationError, match="faction"):
        control_at(HANDOVER.drop(columns="faction"), "2024-12-01")


def test_dissolving_2000_cells_keeps_the_ground_of_every_cell():
    # Cells cut by their radius touch whole Voronoi cells along edges that are almost, not
    # exactly, collinear; a plain floating-point union dropped a 382 km² cell here.
    from geo.synth import synthetic_control

    control = synthetic_control(2000, seed=0, date="2024-11-26")
    areas = control_areas(control, date="2024-11-26")
    series = area_series(control, start="2024-11-26", end="2024-11-26")
    dissolved = areas.groupby("faction")["area_km2"].sum()
    summed = series.set_index("faction")["area_km2"]
    assert np.allclose(dissolved.sort_index(), summed[summed > 0].sort_index(), rtol=1e-6)


def test_a_day_before_any_claim_gives_empty_tables_that_keep_their_columns():
    snap = control_snapshot(HANDOVER, date="2024-10-01")
    assert snap.points.empty and snap.areas.empty and snap.frontlines.empty
    assert snap.areas.columns.tolist() == ["faction", "area_km2", "uncertain", "geometry"]
    assert snap.frontlines.columns.tolist() == [
        "factions", "faction_a", "faction_b", "length_km", "geometry"]  # fmt: skip
    series = area_series(
        HANDOVER, start="2024-10-30", end="2024-11-01", options=TerritoryOptions(radius_km=15)
    )
    assert series.columns.tolist() == ["date", "faction", "area_km2", "uncertain_km2"]
    assert (series[series["date"] < "2024-11-01"]["area_km2"] == 0).all()


def test_a_claim_without_valid_from_is_refused_naming_its_place_not_silently_skipped():
    control = HANDOVER.copy()
    control["valid_from"] = control["valid_from"].astype("object")
    control.loc[2, "valid_from"] = None
    with pytest.raises(AnnotationError, match="'C'"):
        control_at(control, "2024-12-01")


def test_cells_that_are_not_a_clean_coverage_are_still_merged_correctly():
    from geo.territory.cells import coverage_union

    left = shapely.box(0, 0, 1000, 1000)
    right = shapely.Polygon([(1000, 0), (2000, 0), (2000, 1000), (1000, 1000), (1000, 500)])
    merged = coverage_union(np.array([left, right]))  # GEOS refuses the coverage union
    assert merged.area == pytest.approx(2_000_000)
    assert merged.geom_type == "Polygon"
