"""filter_events: the one event filter shared by the dashboard, the map command and the bench."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from _map_helpers import events, many_events

from geo.errors import ConfigError, DataFileError
from geo.view.filters import filter_events, near_line_mask


def test_the_date_window_is_inclusive_at_both_ends() -> None:
    shown = filter_events(events(), start="2024-12-06", end="2024-12-07")
    assert shown["id"].tolist() == ["ev-homs", "ev-xss"]


def test_an_event_spanning_into_the_window_is_kept() -> None:
    ev = events()
    ev["end_date"] = pd.to_datetime(["2024-12-10", None, None])
    assert filter_events(ev, start="2024-12-09")["id"].tolist() == ["ev-homs"]


def test_a_faction_matches_as_first_or_second_actor() -> None:
    assert filter_events(events(), factions=["gov"])["id"].tolist() == ["ev-homs", "ev-breakout"]
    assert filter_events(events(), factions="sdf")["id"].tolist() == ["ev-xss", "ev-breakout"]


def test_an_empty_selection_matches_nothing_while_none_means_no_filter() -> None:
    assert len(filter_events(events(), factions=[])) == 0
    assert len(filter_events(events(), event_types=[])) == 0
    assert len(filter_events(events(), factions=None, event_types=None)) == 3


def test_event_type_and_country_filters_are_exact_and_country_is_case_insensitive() -> None:
    assert filter_events(events(), event_types=["Battles"])["id"].tolist() == ["ev-homs"]
    assert len(filter_events(events(), countries=["sy"])) == 3
    assert len(filter_events(events(), countries=["IQ"])) == 0


def test_text_search_is_a_case_insensitive_substring_over_place_description_and_source() -> None:
    assert filter_events(events(), text="HOMS")["id"].tolist() == ["ev-homs"]
    assert filter_events(events(), text="example wire")["id"].tolist() == ["ev-homs"]
    assert filter_events(events(), text="<img")["id"].tolist() == ["ev-xss"]
    assert filter_events(events(), text="   ")["id"].tolist() == [
        "ev-homs",
        "ev-xss",
        "ev-breakout",
    ]


def test_filters_keep_the_original_rows_and_index_without_touching_the_input() -> None:
    ev = events()
    before = ev.copy()
    shown = filter_events(ev, factions=["sdf"])
    assert shown.index.tolist() == [1, 2]
    pd.testing.assert_frame_equal(ev, before)


def test_start_after_end_is_refused_with_both_dates() -> None:
    with pytest.raises(ConfigError, match=r"2024-12-09 is after end 2024-12-01"):
        filter_events(events(), start="2024-12-09", end="2024-12-01")


def test_a_start_that_is_not_a_date_is_refused_with_its_value() -> None:
    with pytest.raises(ConfigError, match="'next tuesday'"):
        filter_events(events(), start="next tuesday")


def test_a_filter_on_a_missing_column_names_the_column() -> None:
    with pytest.raises(DataFileError, match="'country'"):
        filter_events(events().drop(columns="country"), countries=["SY"])


def test_near_border_filter_agrees_with_brute_force_geodesic_distances() -> None:
    line = shapely.LineString([(42.36, 37.1), (41.2, 34.8), (40.95, 34.4), (38.8, 33.4)])
    rng = np.random.default_rng(11)
    lat, lon = rng.uniform(32.5, 37.5, 600), rng.uniform(38.0, 43.0, 600)
    got = near_line_mask(lat=lat, lon=lon, line=line, km=40.0)
    # oracle: geodesic distance to every vertex of the line densified to < 1 km spacing
    coords = shapely.get_coordinates(shapely.segmentize(line, 0.008))
    _, _, d = pyproj.Geod(ellps="WGS84").inv(
        np.repeat(lon, len(coords)),
        np.repeat(lat, len(coords)),
        np.tile(coords[:, 0], len(lat)),
        np.tile(coords[:, 1], len(lat)),
    )
    dist = d.reshape(len(lat), len(coords)).min(axis=1) / 1000.0
    clear = np.abs(dist - 40.0) > 0.5  # the oracle overestimates by at most ~0.2 km
    assert got.sum() > 40
    assert np.array_equal(got[clear], dist[clear] <= 40.0)


def test_near_border_default_is_the_iraq_syria_border() -> None:
    ev = events()  # Al-Bukamal (ev-xss) is on the border; Homs is ~250 km away
    assert filter_events(ev, near_border_km=20)["id"].tolist() == ["ev-xss"]


def test_a_negative_border_distance_is_refused() -> None:
    with pytest.raises(ConfigError, match="-5"):
        filter_events(events(), near_border_km=-5)


def test_a_million_events_filter_by_window_and_faction_to_the_expected_rows() -> None:
    ev = many_events(1_000_000, seed=2)
    shown = filter_events(ev, start="2024-12-01", end="2024-12-10", factions=["hts"])
    expected = (ev["date"].between("2024-12-01", "2024-12-10")) & (ev["faction"] == "hts")
    assert shown.index.equals(ev.index[expected.to_numpy()])
