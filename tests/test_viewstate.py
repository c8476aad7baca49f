"""The dashboard's view round-trips through the URL and survives garbage in it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import ConfigError, GeoError
from geo.view.state import NOTHING, ViewState, parse_query_params, reconcile, to_query_params

D = dt.date


def test_repeated_and_comma_separated_factions_mean_the_same_view():
    repeated, _ = parse_query_params({"faction": ["hts", "sdf"]})
    commas, _ = parse_query_params({"faction": "hts,sdf"})
    mixed, _ = parse_query_params({"faction": ["hts, sdf", "hts"]})
    assert repeated == commas == mixed
    assert repeated.factions == ("hts", "sdf")


def test_a_full_view_survives_a_round_trip_through_a_real_query_string():
    view = ViewState(
        date=D(2024, 12, 8),
        start=D(2024, 11, 27),
        end=D(2024, 12, 15),
        factions=("hts", "sna"),
        event_types=("Battles", "Explosions/Remote violence"),
    )
    query = urlencode(to_query_params(view), doseq=True)
    parsed, problems = parse_query_params(parse_qs(query))
    assert parsed == view
    assert problems == ()


def test_garbage_dates_are_ignored_with_a_message_that_shows_the_bad_value():
    view, problems = parse_query_params({"date": "yesterday", "end": "2024-13-45"})
    assert view.date is None
    assert view.end is None
    assert any("'yesterday'" in p for p in problems)
    assert any("'2024-13-45'" in p for p in problems)


def test_a_timestamp_in_the_date_parameter_keeps_its_day():
    view, problems = parse_query_params({"date": "2024-12-08T10:30:00"})
    assert view.date == D(2024, 12, 8)
    assert problems == ()


def test_start_after_end_is_swapped_and_reported():
    view, problems = parse_query_params({"start": "2024-12-10", "end": "2024-12-01"})
    assert (view.start, view.end) == (D(2024, 12, 1), D(2024, 12, 10))
    assert "wrong order" in problems[0]


def test_overlong_values_are_refused_not_parsed():
    view, problems = parse_query_params({"faction": "x" * 5000, "date": "2" * 5000})
    assert view.factions == ()
    assert view.date is None
    assert len(problems) == 2


def test_empty_and_missing_parameters_give_the_default_view_silently():
    view, problems = parse_query_params({"faction": ["", " , "], "date": ""})
    assert view == ViewState()
    assert problems == ()


def test_reconcile_clamps_dates_outside_the_data_and_says_so():
    view = ViewState(date=D(2020, 1, 1), start=D(2024, 12, 1), end=D(2031, 1, 1))
    fitted, problems = reconcile(
        view, min_date=D(2024, 11, 26), max_date=D(2024, 12, 15), factions=[], event_types=[]
    )
    assert fitted.date == D(2024, 11, 26)
    assert fitted.start == D(2024, 12, 1)
    assert fitted.end == D(2024, 12, 15)
    assert len(problems) == 2
    assert "2020-01-01" in problems[0]


def test_reconcile_keeps_known_factions_case_insensitively_and_reports_unknown_ones():
    view = ViewState(factions=("HTS", "martians"), event_types=("battles", "Parades"))
    fitted, problems = reconcile(
        view,
        min_date=D(2024, 11, 26),
        max_date=D(2024, 12, 15),
        factions=["hts", "sdf"],
        event_types=["Battles", "Protests"],
    )
    assert fitted.factions == ("hts",)
    assert fitted.event_types == ("Battles",)
    assert any("'martians'" in p for p in problems)
    assert any("'Parades'" in p for p in problems)


def test_reconcile_refuses_an_inverted_data_range_with_a_geo_error():
    with pytest.raises(ConfigError, match="2024-12-15"):
        reconcile(
            ViewState(),
            min_date=D(2024, 12, 15),
            max_date=D(2024, 11, 26),
            factions=[],
            event_types=[],
        )
    assert issubclass(ConfigError, GeoError)


_text = st.one_of(
    st.text(max_size=40),
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["hts", "HTS,sdf", "2024-12-08T10:00", ",,", "x" * 250]),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["date", "start", "end", "faction", "event_type", "zoom"]),
        st.one_of(_text, st.lists(_text, max_size=5)),
    )
)
def test_parsing_any_query_never_raises_and_reconciled_views_stay_inside_the_data(params):
    view, problems = parse_query_params(params)
    assert all(isinstance(p, str) for p in problems)
    fitted, _ = reconcile(
        view, min_date=D(2024, 11, 26), max_date=D(2024, 12, 15), factions=["hts"], event_types=[]
    )
    for value in (fitted.date, fitted.start, fitted.end):
        assert value is None or D(2024, 11, 26) <= value <= D(2024, 12, 15)
    assert set(fitted.factions) <= {"hts"}
    assert fitted.event_types == ()


def test_faction_none_means_nothing_selected_and_survives_reconcile_and_a_round_trip():
    view, problems = parse_query_params({"faction": "None"})
    assert view.factions == NOTHING
    assert problems == ()
    fitted, more = reconcile(
        view, min_date=D(2024, 11, 27), max_date=D(2024, 12, 15), factions=["hts"], event_types=[]
    )
    assert fitted.factions == NOTHING
    assert more == ()
    query = urlencode(to_query_params(fitted), doseq=True)
    assert query == "faction=none"
    assert parse_query_params(parse_qs(query))[0] == fitted


def test_none_mixed_with_faction_ids_is_dropped_with_a_message():
    view, problems = parse_query_params({"faction": ["hts", "none"]})
    assert view.factions == ("hts",)
    assert "faction=none" in problems[0]


def test_step_year_range_and_borders_survive_a_round_trip_through_a_real_query_string():
    view = ViewState(
        date=D(2020, 6, 30),
        step="month",
        years=(2015, 2016),
        borders=("BF–ML", "ML–NE"),
        border_km=40.0,
    )
    query = urlencode(to_query_params(view), doseq=True)
    assert (
        query == "date=2020-06-30&step=month&years=2015-2016&border=BF-ML&border=ML-NE&border_km=40"
    )
    parsed, problems = parse_query_params(parse_qs(query))
    assert problems == ()
    fitted, more = reconcile(
        parsed, min_date=D(2012, 1, 3), max_date=D(2024, 12, 20), factions=[], event_types=[],
        borders=["BF–ML", "BF–NE", "ML–NE"],
    )  # fmt: skip
    assert more == ()
    assert fitted.borders == view.borders
    assert (fitted.step, fitted.years, fitted.border_km) == ("month", (2015, 2016), 40.0)
    assert (fitted.start, fitted.end) == (D(2015, 1, 1), D(2016, 12, 31))
    assert urlencode(to_query_params(fitted), doseq=True) == query


def test_a_border_pair_in_the_link_matches_in_any_order_case_and_dash():
    view, problems = parse_query_params({"border": ["sy-iq", "TR–SY", "XX-YY"]})
    assert problems == ()
    fitted, more = reconcile(
        view, min_date=D(2024, 1, 1), max_date=D(2024, 2, 1), factions=[], event_types=[],
        borders=["IQ–SY", "SY–TR"],
    )  # fmt: skip
    assert fitted.borders == ("IQ–SY", "SY–TR")
    assert len(more) == 1 and "'XX-YY'" in more[0]


def test_a_year_range_beyond_the_data_is_moved_into_it_with_a_message():
    view, _ = parse_query_params({"years": "1980-1995"})
    fitted, problems = reconcile(
        view, min_date=D(1989, 3, 4), max_date=D(2024, 12, 31), factions=[], event_types=[]
    )
    assert fitted.years == (1989, 1995)
    assert (fitted.start, fitted.end) == (D(1989, 3, 4), D(1995, 12, 31))
    assert "1980-1995" in problems[0]


def test_a_single_year_and_a_reversed_range_are_read_as_year_ranges():
    single, none_wrong = parse_query_params({"years": "2001"})
    assert single.years == (2001, 2001) and none_wrong == ()
    assert to_query_params(single) == {"years": "2001"}
    reversed_, problems = parse_query_params({"years": "2004-1995"})
    assert reversed_.years == (1995, 2004)
    assert "swapped" in problems[0]


def test_years_given_with_start_and_end_win_with_a_message():
    view, problems = parse_query_params({"years": "2010-2011", "start": "2005-01-01"})
    assert view.years == (2010, 2011) and view.start is None
    assert "start/end ignored" in problems[0]


@pytest.mark.parametrize(
    ("key", "value"),
    [("step", "fortnight"), ("years", "nineties"), ("years", "2001-"), ("border_km", "far"),
     ("border_km", "0"), ("border_km", "9000")],
)  # fmt: skip
def test_a_garbage_step_year_range_or_distance_is_ignored_with_a_message(key, value):
    view, problems = parse_query_params({key: value})
    assert view == ViewState()
    assert len(problems) == 1 and repr(value) in problems[0]
