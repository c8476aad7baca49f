"""Synthetic events and control points: seeded, in the shared schemas, clustered around real towns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from geo.errors import ConfigError
from geo.synth import (
    CONTROL_COLUMNS,
    EVENT_COLUMNS,
    default_towns,
    synthetic_control,
    synthetic_events,
)

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return synthetic_events(3_000, seed=7)


def test_same_seed_gives_identical_events_and_another_seed_differs() -> None:
    first = synthetic_events(500, seed=11)
    again = synthetic_events(500, seed=11)
    other = synthetic_events(500, seed=12)
    pd.testing.assert_frame_equal(first, again)
    assert not first["lat"].equals(other["lat"])


def test_events_have_the_shared_events_schema_in_epsg_4326(events) -> None:
    assert tuple(events.columns) == EVENT_COLUMNS
    assert events.crs.to_epsg() == 4326
    assert events["date"].dtype == "datetime64[ns]"
    assert events["end_date"].dtype == "datetime64[ns]"
    for column in ("id", "place", "faction", "faction2", "event_type", "description", "country"):
        assert events[column].dtype == "str", column
    assert events["id"].is_unique
    assert events["confidence"].between(0, 1).all()
    assert events["geo_confidence"].between(0, 1).all()
    ends = events.dropna(subset=["end_date"])
    assert (ends["end_date"] > ends["date"]).all()


def test_event_geometry_x_is_longitude_and_y_is_latitude(events) -> None:
    np.testing.assert_array_equal(events.geometry.x.to_numpy(), events["lon"].to_numpy())
    np.testing.assert_array_equal(events.geometry.y.to_numpy(), events["lat"].to_numpy())


def test_every_event_lies_within_60_km_of_the_real_town_it_names(events) -> None:
    towns = {t.name: t for t in default_towns()}
    town_lat = events["place"].map(lambda name: towns[name].lat).to_numpy(dtype=float)
    town_lon = events["place"].map(lambda name: towns[name].lon).to_numpy(dtype=float)
    _, _, metres = GEOD.inv(town_lon, town_lat, events["lon"].to_numpy(), events["lat"].to_numpy())
    assert metres.max() < 60_000, events.iloc[int(metres.argmax())][["place", "lat", "lon"]]
    assert np.median(metres) < 10_000


def test_al_qaim_events_are_in_iraq_and_al_bukamal_events_in_syria(events) -> None:
    countries = events.groupby("place")["country"].unique()
    assert list(countries["Al-Qaim"]) == ["IQ"]
    assert list(countries["Al-Bukamal"]) == ["SY"]


def test_faction_and_window_options_restrict_the_events() -> None:
    chosen = synthetic_events(
        400, seed=3, factions=["sdf", "sna"], start="2024-12-05", end="2024-12-06"
    )
    assert set(chosen["faction"]) == {"sdf", "sna"}
    assert chosen["date"].min() == pd.Timestamp("2024-12-05")
    assert chosen["date"].max() == pd.Timestamp("2024-12-06")


def test_factions_event_types_and_days_follow_the_bundled_events_file(tmp_path: Path) -> None:
    rows = ["id,date,place,faction,faction2,event_type,sub_event_type"]
    rows += [f"e{i},2024-12-0{1 + i % 2},Homs,alpha,,Battles,Armed clash" for i in range(90)]
    rows += [f"f{i},2024-12-03,Hama,beta,alpha,Protests,Peaceful protest" for i in range(10)]
    (tmp_path / "events.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    made = synthetic_events(5_000, seed=5, data_dir=tmp_path)
    share = made["faction"].value_counts(normalize=True)
    assert set(share.index) == {"alpha", "beta"}
    assert 0.87 < share["alpha"] < 0.93
    assert set(made.loc[made["faction"] == "alpha", "event_type"]) <= {"Battles", "Protests"}
    assert set(made["sub_event_type"]) == {"Armed clash", "Peaceful protest"}
    assert set(made["date"].dt.strftime("%Y-%m-%d")) == {"2024-12-01", "2024-12-02", "2024-12-03"}
    assert set(made["faction2"]) == {"", "alpha"}


def test_zero_events_still_have_every_column() -> None:
    empty = synthetic_events(0)
    assert len(empty) == 0
    assert tuple(empty.columns) == EVENT_COLUMNS


@pytest.mark.parametrize("bad", [-1, 2.5, "10", True])
def test_a_bad_event_count_is_refused_with_the_value_shown(bad: object) -> None:
    with pytest.raises(ConfigError, match=repr(bad).replace(".", r"\.")):
        synthetic_events(bad)  # type: ignore[arg-type]


def test_an_event_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ConfigError, match="2024-12-01"):
        synthetic_events(10, start="2024-12-05", end="2024-12-01")


def test_an_empty_faction_list_is_refused() -> None:
    with pytest.raises(ConfigError, match="factions"):
        synthetic_events(10, factions=[])


def test_synthetic_control_has_the_control_schema_and_unique_places() -> None:
    control = synthetic_control(300, seed=4, date="2024-11-26")
    assert tuple(control.columns) == CONTROL_COLUMNS
    assert control.crs.to_epsg() == 4326
    assert control["place"].is_unique
    assert (control["valid_from"] <= pd.Timestamp("2024-11-26")).all()
    assert set(control["status"]) <= {"held", "contested", "besieged"}
    assert control["faction"].nunique() >= 5


def test_changes_of_hands_come_after_the_baseline_date_and_to_another_faction() -> None:
    control = synthetic_control(400, seed=9, date="2024-11-26", changes=0.25, change_days=10)
    baseline = control[control["valid_from"] <= pd.Timestamp("2024-11-26")]
    later = control[control["valid_from"] > pd.Timestamp("2024-11-26")]
    assert len(baseline) == 400
    assert len(later) == 100
    assert later["valid_from"].max() <= pd.Timestamp("2024-12-06")
    before = baseline.set_index("place").loc[later["place"], "faction"].to_numpy()
    assert (before != later["faction"].to_numpy()).all()


def test_synthetic_control_layout_yields_areas_and_frontlines() -> None:
    control = pytest.importorskip("geo.territory")
    snapshot = control.control_snapshot(synthetic_control(300, seed=1), date="2024-11-26")
    assert snapshot.areas["faction"].nunique() >= 4
    assert len(snapshot.frontlines) > 0


def test_a_changes_fraction_outside_0_to_1_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"1\.5"):
        synthetic_control(10, changes=1.5)


def test_every_synthetic_control_point_lies_inside_the_country_it_names() -> None:
    import shapely

    from geo.borders import country_shapes

    control = synthetic_control(500, seed=6)
    shapes = country_shapes(["SY", "IQ"]).set_index("iso2").geometry
    assert set(control["country"]) == {"SY", "IQ"}
    for code in ("SY", "IQ"):
        rows = control[control["country"] == code]
        inside = shapely.contains_xy(shapes[code], rows["lon"].to_numpy(), rows["lat"].to_numpy())
        assert inside.all(), rows.loc[~inside, ["place", "lat", "lon"]]
