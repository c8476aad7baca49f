"""Offline geocoding: the sample article's places, disambiguation, precision, bad input."""

from __future__ import annotations

import pytest
from _geocode_helpers import (
    ARTICLE_POINTS,
    ARTICLE_REGIONS,
    NON_PLACES,
    TOLERANCE_KM,
    km_between,
    shared_geocoder,
)

from geo.errors import ConfigError
from geo.places.geocode import Geocoder
from geo.places.result import GeocodeResult


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return shared_geocoder()


@pytest.mark.parametrize("query", sorted(ARTICLE_POINTS))
def test_every_place_of_the_sample_article_resolves_within_10_km(
    geocoder: Geocoder, query: str
) -> None:
    lat, lon, country = ARTICLE_POINTS[query]
    result = geocoder.geocode(query)
    assert result.resolved, result
    assert result.country == country, result
    assert km_between(result.lat, result.lon, lat, lon) <= TOLERANCE_KM, result


@pytest.mark.parametrize("query", sorted(ARTICLE_REGIONS))
def test_regions_of_the_sample_article_resolve_to_a_point_inside_them(
    geocoder: Geocoder, query: str
) -> None:
    (min_lon, min_lat, max_lon, max_lat), country = ARTICLE_REGIONS[query]
    result = geocoder.geocode(query)
    assert result.kind == "region" and result.country == country, result
    assert min_lat <= result.lat <= max_lat and min_lon <= result.lon <= max_lon, result


@pytest.mark.parametrize("query", NON_PLACES)
def test_people_factions_organisations_and_words_stay_unresolved(
    geocoder: Geocoder, query: str
) -> None:
    result = geocoder.geocode(query)
    assert not result.resolved, result
    assert result.lat is None and result.lon is None and result.confidence == 0.0
    assert result.reason


def test_homs_is_the_syrian_city_not_the_libyan_one(geocoder: Geocoder) -> None:
    result = geocoder.geocode("Homs")
    assert result.country == "SY" and result.kind == "city"


def test_sinjar_is_the_iraqi_town_not_the_syrian_village(geocoder: Geocoder) -> None:
    result = geocoder.geocode("Sinjar")
    assert result.country == "IQ" and km_between(result.lat, result.lon, 36.32, 41.87) < 10


def test_al_qaim_is_in_iraq_and_abu_kamal_is_its_syrian_twin(geocoder: Geocoder) -> None:
    qaim, bukamal = geocoder.geocode("Al-Qaim"), geocoder.geocode("Abu Kamal")
    assert (qaim.country, bukamal.country) == ("IQ", "SY")
    assert 3 < km_between(qaim.lat, qaim.lon, bukamal.lat, bukamal.lon) < 20


def test_a_name_outside_the_region_resolves_only_to_a_prominent_place(geocoder: Geocoder) -> None:
    doha = geocoder.geocode("Doha")
    assert doha.country == "QA" and km_between(doha.lat, doha.lon, 25.29, 51.53) < 10
    assert "outside the region" in (doha.reason or "")
    assert not geocoder.geocode("Kalamazoo").resolved  # a US town: not prominent enough


def test_an_in_region_city_beats_a_foreign_capital_of_the_same_name(geocoder: Geocoder) -> None:
    tripoli = geocoder.geocode("Tripoli")
    assert tripoli.country == "LB"
    assert tripoli.confidence < 0.9 and "ambiguous" in (tripoli.reason or "")


def test_country_hint_restricts_the_candidates(geocoder: Geocoder) -> None:
    assert geocoder.geocode("Tripoli", countries=["LY"]).country == "LY"
    assert not geocoder.geocode("Homs", countries=["JO"]).resolved


def test_bounding_box_restricts_the_candidates(geocoder: Geocoder) -> None:
    latakia_hills = (35.7, 35.5, 36.3, 36.0)  # (min_lon, min_lat, max_lon, max_lat)
    rabia = geocoder.geocode("Rabia", bbox=latakia_hills)
    assert rabia.country == "SY" and 35.5 <= rabia.lat <= 36.0
    assert geocoder.geocode("Rabia").country == "IQ"


def test_document_context_picks_the_nearby_namesake(geocoder: Geocoder) -> None:
    assert geocoder.geocode("Shahba").kind == "region"  # the area north of Aleppo by default
    suwayda = [(32.71, 36.57), (32.62, 36.10)]  # (lat, lon) of Suwayda and Daraa
    near_suwayda = geocoder.geocode("Shahba", context=suwayda)
    assert km_between(near_suwayda.lat, near_suwayda.lon, 32.85, 36.63) < 10, near_suwayda


def test_kind_named_in_the_query_is_preferred(geocoder: Geocoder) -> None:
    assert geocoder.geocode("Homs province").kind == "region"
    assert geocoder.geocode("Homs").kind == "city"
    airport = geocoder.geocode("Deir ez-Zor military airport")
    assert airport.kind == "airbase" and km_between(airport.lat, airport.lon, 35.29, 40.18) < 5
    crossing = geocoder.geocode("Al-Qaim border crossing")
    assert crossing.kind == "crossing" and crossing.country == "IQ"


def test_direction_words_are_dropped_and_lower_confidence(geocoder: Geocoder) -> None:
    result = geocoder.geocode("northern Aleppo")
    assert result.name == "Aleppo" and result.confidence < 1.0
    assert "read as 'Aleppo'" in (result.reason or "")


def test_unknown_name_is_returned_unresolved_not_dropped(geocoder: Geocoder) -> None:
    result = geocoder.geocode("Xqwertyabad")
    assert result == GeocodeResult.unresolved("Xqwertyabad", result.reason or "")
    assert result.to_dict()["lat"] is None and result.query == "Xqwertyabad"


def test_min_confidence_turns_a_doubtful_match_into_an_unresolved_one(geocoder: Geocoder) -> None:
    strict = Geocoder(geocoder.gazetteer, min_confidence=0.95)
    result = strict.geocode("Tripoli")
    assert not result.resolved and "low confidence" in (result.reason or "")


def test_geocode_many_keeps_input_order_duplicates_and_misses(geocoder: Geocoder) -> None:
    names = ["Raqqa", "Hezbollah", "Homs", "Raqqa", "", "Xqwertyabad", "Homs"]
    results = geocoder.geocode_many(names)
    assert [r.query for r in results] == names
    assert [r.resolved for r in results] == [True, False, True, True, False, False, True]
    assert results[0] == results[3]


def test_to_dict_has_the_documented_json_keys(geocoder: Geocoder) -> None:
    d = geocoder.geocode("Manbij").to_dict()
    assert {
        "query",
        "name",
        "lat",
        "lon",
        "country",
        "kind",
        "confidence",
        "source",
        "matched",
    } <= set(d)
    assert d["source"] in {"geonames", "places.csv"} and 0 < d["confidence"] <= 1


def test_bad_options_raise_config_errors_that_show_the_value(geocoder: Geocoder) -> None:
    with pytest.raises(ConfigError, match="Syria"):
        geocoder.geocode("Homs", countries=["Syria"])
    with pytest.raises(ConfigError, match="200"):
        geocoder.geocode("Homs", bbox=(36.0, 34.0, 200.0, 35.0))
    with pytest.raises(TypeError, match="None"):
        geocoder.geocode(None)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"1\.5"):
        Geocoder(geocoder.gazetteer, min_confidence=1.5)
    with pytest.raises(ConfigError, match="Iraq"):
        Geocoder(geocoder.gazetteer, region=("SY", "Iraq"))


def test_a_well_formed_but_unknown_country_code_is_refused_not_a_silent_miss(
    geocoder: Geocoder,
) -> None:
    with pytest.raises(ConfigError, match="'ZZ'"):
        geocoder.geocode("Homs", countries=["SY", "zz"])
    with pytest.raises(ConfigError, match="'XQ'"):
        geocoder.geocode_many(["Homs", "Hama"], countries=["XQ"])
    assert geocoder.geocode("Homs", countries=["sy"]).country == "SY"


def test_html_like_input_is_returned_verbatim_and_unresolved(geocoder: Geocoder) -> None:
    evil = "<script>alert(1)</script>"
    result = geocoder.geocode(evil)
    assert not result.resolved and result.query == evil


def test_all_capitals_place_names_resolve_but_unknown_acronyms_do_not(geocoder: Geocoder) -> None:
    assert geocoder.geocode("QAIM").country == "IQ"
    assert geocoder.geocode("HOMS").country == "SY"
    assert geocoder.geocode("KRI").name == "Kurdistan Region"  # a curated alias
    assert not geocoder.geocode("SAA").resolved  # Syrian Arab Army, not a village "Sa"


@pytest.mark.parametrize("word", ["Omar", "Hamza", "Tell", "Deir", "Jabal", "Sham", "Aleppan"])
def test_given_names_toponym_words_and_demonyms_alone_are_not_places(
    geocoder: Geocoder, word: str
) -> None:
    assert not geocoder.geocode(word).resolved


def test_the_same_words_inside_a_place_name_still_resolve(geocoder: Geocoder) -> None:
    assert geocoder.geocode("Al-Omar oil field").kind == "oil_field"
    assert geocoder.geocode("Tell Abyad").country == "SY"
    assert geocoder.geocode("Deir ez-Zor").kind == "city"


def test_region_option_changes_which_namesake_wins(geocoder: Geocoder) -> None:
    lebanon_first = Geocoder(geocoder.gazetteer, region=("LB", "SY"))
    assert lebanon_first.geocode("Tripoli").country == "LB"
    assert lebanon_first.geocode("Tripoli").confidence > geocoder.geocode("Tripoli").confidence


# --- spelling beats folding; two strong candidates abroad; "Name (Qualifier)" ---------------


def test_suran_is_the_hama_town_spelled_so_not_soran_in_iraq(geocoder: Geocoder) -> None:
    # "Suran" and "Soran" fold to one key; GeoNames spells the Syrian town Şūrān = "Suran".
    result = geocoder.geocode("Suran")
    assert result.country == "SY", result
    assert km_between(result.lat, result.lon, 35.29, 36.75) < 10, result
    assert geocoder.geocode("Soran").country == "IQ"


def test_rabiah_spelled_like_the_latakia_town_is_flagged_as_doubtful(geocoder: Geocoder) -> None:
    # The curated Iraqi town lists "Rabiah" only as an alias; GeoNames' own name of the Latakia
    # town is spelled exactly so: two strong candidates in two countries.
    result = geocoder.geocode("Rabiah")
    assert result.resolved and result.confidence < 0.6, result
    assert "ambiguous" in (result.reason or "") and "(SY)" in (result.reason or ""), result


def test_a_place_spelled_as_its_own_name_keeps_full_confidence(geocoder: Geocoder) -> None:
    for name, country in [("Rabia", "IQ"), ("Sinjar", "IQ"), ("Homs", "SY")]:
        result = geocoder.geocode(name)
        assert result.country == country and result.confidence >= 0.9, result


@pytest.mark.parametrize(
    ("query", "lat", "lon"),
    [
        ("Rabiah (Latakia)", 35.787, 36.038),
        ("Suran (Hama)", 35.292, 36.748),
        ("Shahba (Suwayda)", 32.852, 36.628),
        ("Shahba (Aleppo)", 36.45, 37.15),
    ],
)
def test_a_place_qualifier_in_brackets_picks_the_namesake_near_it(
    geocoder: Geocoder, query: str, lat: float, lon: float
) -> None:
    result = geocoder.geocode(query)
    assert km_between(result.lat, result.lon, lat, lon) < 10, result
    assert result.confidence >= 0.8 and "read as" in (result.reason or ""), result


def test_a_country_qualifier_in_brackets_filters_the_candidates(geocoder: Geocoder) -> None:
    assert geocoder.geocode("Rabiah (Syria)").country == "SY"
    assert geocoder.geocode("Rabiah (Iraq)").country == "IQ"
    assert not geocoder.geocode("Homs (Jordan)").resolved
    assert not geocoder.geocode("Rabiah (Iraq)", countries=["SY"]).resolved


def test_an_unknown_qualifier_leaves_the_name_unresolved_and_says_why(geocoder: Geocoder) -> None:
    result = geocoder.geocode("Suran (Atlantis)")
    assert not result.resolved and "'Atlantis'" in (result.reason or ""), result


def test_a_match_far_from_its_qualifier_is_doubtful(geocoder: Geocoder) -> None:
    result = geocoder.geocode("Suran (Basra)")  # neither Suran is anywhere near Basra
    assert result.confidence < 0.7 and "km from its qualifier" in (result.reason or ""), result


def test_a_curated_name_with_brackets_still_matches_as_a_whole(geocoder: Geocoder) -> None:
    result = geocoder.geocode("Ashrafiyah (Aleppo)")
    assert result.kind == "neighbourhood" and result.reason is None, result
