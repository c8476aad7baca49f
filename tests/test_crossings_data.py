"""Border crossings in the bundled data sit on the right side of the right border.

A crossing's point decides which country (and so which faction's territory) it falls in: the
Iraqi side of Al-Qaim placed 1 km inside Syria once made short, fake iraq-gov and iraq-sdf
frontlines near Abu Kamal. Every crossing of ``data/places.csv`` and every crossing claim of
``data/control.csv`` is checked against the Natural Earth 1:10m outlines the app itself uses
(:func:`geo.borders.country_shapes`), in the equal-area CRS (metres, never degrees).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.borders import EQUAL_AREA_CRS, country_shapes
from geo.territory.claims import TerritoryOptions

DATA = Path(__file__).resolve().parents[1] / "data"
NEAR_BORDER_M = 5_000.0  # "within a few km of the shared border"
NEIGHBOURS = ("SY", "IQ", "TR", "JO", "LB", "IL", "IR", "SA")

#: Both sides of one crossing: (id of one side, id of the other side), from places.csv.
TWINS = [
    ("crossing_albukamal", "crossing_alqaim"),
    ("crossing_tanf", "crossing_alwaleed"),
    ("crossing_yarubiyah", "crossing_rabia"),
    ("crossing_semalka", "crossing_fayshkhabur"),
    ("crossing_nasib", "crossing_jaber"),
    ("crossing_jdeidet", "crossing_masnaa"),
    ("crossing_babalhawa", "crossing_cilvegozu"),
    ("crossing_babalsalameh", "crossing_oncupinar"),
    ("crossing_jarabulus", "crossing_karkamis"),
    ("crossing_talabyad", "crossing_akcakale"),
    ("crossing_rasalayn", "crossing_ceylanpinar"),
    ("crossing_nusaybin", "crossing_nusaybin_tr"),
    ("crossing_kasab", "crossing_yayladagi"),
    ("crossing_ibrahimkhalil", "crossing_habur"),
]


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def shapes() -> gpd.GeoSeries:
    """Natural Earth outlines of Syria, Iraq and their neighbours, in metres."""
    return country_shapes(list(NEIGHBOURS)).to_crs(EQUAL_AREA_CRS).set_index("iso2").geometry


@pytest.fixture(scope="module")
def crossings() -> pd.DataFrame:
    places = _read("places.csv")
    return places[places["kind"] == "crossing"].set_index("id")


def _projected(lat: pd.Series, lon: pd.Series) -> gpd.GeoSeries:
    # Tables carry (lat, lon); shapely points are (x=lon, y=lat).
    points = gpd.points_from_xy(lon.astype(float), lat.astype(float), crs="EPSG:4326")
    return gpd.GeoSeries(points, index=lat.index).to_crs(EQUAL_AREA_CRS)


def _side_report(points: gpd.GeoSeries, declared: pd.Series, shapes: gpd.GeoSeries) -> list[str]:
    """One line per point outside its declared country or farther than 5 km from its border
    with any neighbour."""
    bad = []
    # A loop over the ~40 crossings of the file (not a big frame): one readable line each.
    for key, point in points.items():
        own = declared[key]
        if own not in shapes.index:
            bad.append(f"{key}: country {own!r} is not a neighbour of Syria or Iraq")
            continue
        inside = [code for code, shape in shapes.items() if shape.contains(point)]
        if own not in inside:
            bad.append(f"{key}: declared {own} but lies in {inside or 'no country'}")
            continue
        to_border = min(
            shapely.distance(point, shapely.intersection(shapes[own].boundary, shape.boundary))
            for code, shape in shapes.items()
            if code != own and shapes[own].intersects(shape)
        )
        if to_border > NEAR_BORDER_M:
            bad.append(f"{key}: {to_border / 1000:.1f} km from the nearest border of {own}")
    return bad


def test_every_crossing_in_places_csv_lies_in_its_country_near_the_border(crossings, shapes):
    points = _projected(crossings["lat"], crossings["lon"])
    assert _side_report(points, crossings["country"], shapes) == []


def test_the_file_lists_both_sides_of_the_syria_iraq_crossings(crossings):
    pairs = {tuple(sorted(crossings.loc[[a, b], "country"])) for a, b in TWINS[:4]}
    assert pairs == {("IQ", "SY")}
    assert len(crossings) >= 2 * len(TWINS)


@pytest.mark.parametrize(("one", "other"), TWINS, ids=[a for a, _ in TWINS])
def test_the_two_sides_of_a_crossing_are_in_different_countries_across_one_border(
    crossings, shapes, one, other
):
    a, b = crossings.loc[one], crossings.loc[other]
    assert a["country"] != b["country"], (one, other)
    (pa, pb) = _projected(pd.Series([a["lat"], b["lat"]]), pd.Series([a["lon"], b["lon"]]))
    assert shapes[a["country"]].contains(pa) and shapes[b["country"]].contains(pb)
    shared = shapely.intersection(shapes[a["country"]].boundary, shapes[b["country"]].boundary)
    assert shapely.distance(pa, shared) < NEAR_BORDER_M and shapely.distance(pb, shared) < 5_000
    assert shapely.distance(pa, pb) < 10_000  # one crossing, not two far-apart posts


def test_al_qaim_is_the_iraqi_side_and_al_waleed_too(crossings, shapes):
    for place in ("crossing_alqaim", "crossing_alwaleed"):
        row = crossings.loc[place]
        (point,) = _projected(pd.Series([row["lat"]]), pd.Series([row["lon"]]))
        assert row["country"] == "IQ" and shapes["IQ"].contains(point), place
        assert not shapes["SY"].contains(point), place


@pytest.fixture(scope="module")
def atlas():
    from geo.atlas.load import load_atlas

    return load_atlas(DATA)


@pytest.mark.slow
def test_every_crossing_claim_in_control_csv_lies_in_its_country_near_the_border(atlas, shapes):
    control = atlas.control.drop_duplicates("place")
    named = control["place"].str.contains("crossing", case=False)
    crossing = control[(control["kind"] == "crossing") | named].set_index("place")
    assert len(crossing) >= 15
    points = _projected(crossing["lat"], crossing["lon"])
    assert _side_report(points, crossing["country"], shapes) == []


@pytest.mark.slow
def test_no_place_gets_a_second_conflicting_position_in_control_csv(atlas):
    """A crossing listed in places.csv takes its position from there: an override in
    control.csv is where the wrong-side Al-Qaim and Al-Waleed came from."""
    raw = _read("control.csv")
    overridden = raw.loc[raw["lat"] != "", "place"].unique()
    crossing_rows = atlas.control[atlas.control["kind"] == "crossing"]["place"].unique()
    assert sorted(set(overridden) & set(crossing_rows)) == []


@pytest.mark.slow
def test_no_frontline_runs_between_iraqi_and_syrian_factions_along_the_border(atlas, shapes):
    """Territory is cut per country and lines along country outlines are not fronts, so an
    Iraqi-Syrian "front" near the border can only come from a point on the wrong side (the
    Al-Qaim crossing once made 8 km of iraq-gov and 2 km of iraq-sdf front near Abu Kamal)."""
    from geo.borders import geodesic_length_km
    from geo.territory import control_snapshot

    border = shapely.intersection(shapes["SY"].boundary, shapes["IQ"].boundary)
    iraqi = {"iraq", "krg", "pmf"}
    for day in ("2024-11-26", "2024-12-03", "2024-12-07", "2024-12-12"):
        fronts = control_snapshot(
            atlas.control, date=day, options=TerritoryOptions(polygons=atlas.areas)
        ).frontlines
        across = fronts[fronts["factions"].map(lambda pair: len(iraqi & set(pair)) == 1)]
        metres = across.to_crs(EQUAL_AREA_CRS).geometry.distance(border)
        near = across[metres.to_numpy() < 20_000]
        found = near.assign(km=geodesic_length_km(near.geometry.to_numpy()))
        assert found.empty, (day, found[["factions", "km"]].to_dict("records"))


@pytest.mark.slow
def test_the_sfa_holds_no_ground_outside_syria(atlas, shapes):
    from geo.territory import control_snapshot

    areas = control_snapshot(
        atlas.control, date="2024-12-03", options=TerritoryOptions(polygons=atlas.areas)
    ).areas
    sfa = areas[areas["faction"] == "sfa"].to_crs(EQUAL_AREA_CRS).geometry.union_all()
    for code in ("IQ", "JO"):
        assert sfa.intersection(shapes[code]).area / 1e6 < 1.0, code
    assert sfa.area / 1e6 > 5000
