"""The geoparser reads news from anywhere: world places, divisions, counties, regions, demonyms."""

from __future__ import annotations

import json

import pytest
from _geoparse_helpers import km_between, shared_parser

from bench.geoparse_world import evaluate, read_passages
from geo.cli import main
from geo.places.normalize import normalize_name


@pytest.fixture(scope="module")
def parser():
    return shared_parser()


def _places(parser, text):
    return [(p.text, p.name, p.country, p.kind) for p in parser.parse(text).places]


def test_capitals_and_cities_abroad_are_found_and_placed(parser):
    places = parser.parse(
        "Talks moved from Brussels to Ankara, then to Moscow and Washington."
    ).places
    assert [(p.text, p.country) for p in places] == [
        ("Brussels", "BE"), ("Ankara", "TR"), ("Moscow", "RU"), ("Washington", "US"),
    ]  # fmt: skip
    washington = places[-1]
    assert km_between(washington.lat, washington.lon, 38.9, -77.04) < 20  # the capital, not a town


def test_the_state_after_a_comma_picks_the_town_inside_it(parser):
    ohio = parser.parse("A storm hit Springfield, Ohio, on Monday.").places[0]
    illinois = parser.parse("A storm hit Springfield, Illinois, on Monday.").places[0]
    assert (ohio.text, illinois.text) == ("Springfield", "Springfield")
    assert km_between(ohio.lat, ohio.lon, 39.92, -83.81) < 20
    assert km_between(illinois.lat, illinois.lon, 39.80, -89.64) < 20


def test_an_ambiguous_name_alone_stays_ambiguous_with_its_candidates_listed(parser):
    [springfield] = parser.parse("Officials in Springfield said the count was slow.").places
    assert springfield.confidence < 0.8
    assert len(springfield.candidates) >= 2
    assert all("Springfield" in c for c in springfield.candidates)


def test_states_counties_and_country_abbreviations_are_places(parser):
    text = "U.S. officials said floods hit Texas and Harris County near Houston."
    assert _places(parser, text) == [
        ("U.S.", "United States", "US", "country"),
        ("Texas", "Texas", "US", "admin1"),
        ("Harris County", "Harris County, Texas", "US", "county"),
        ("Houston", "Houston", "US", "city"),
    ]


def test_georgia_next_to_atlanta_is_the_us_state_and_alone_the_country(parser):
    state = parser.parse("Officials in Georgia counted votes in Atlanta and Fulton County.")
    country = parser.parse("Georgia and Armenia met in Tbilisi.")
    assert (state.places[0].country, state.places[0].kind) == ("US", "admin1")
    assert (country.places[0].country, country.places[0].kind) == ("GE", "country")


def test_demonyms_resolve_to_their_country_and_regions_to_areas(parser):
    text = (
        "Syrian and Lebanese officials met Jordanian envoys to discuss the Middle East and Europe."
    )
    assert _places(parser, text) == [
        ("Syrian", "Syria", "SY", "demonym"),
        ("Lebanese", "Lebanon", "LB", "demonym"),
        ("Jordanian", "Jordan", "JO", "demonym"),
        ("Middle East", "Middle East", None, "macro_region"),
        ("Europe", "Europe", None, "continent"),
    ]


def test_a_demonym_or_a_region_never_becomes_the_place_of_an_event(parser):
    [event] = parser.parse("Syrian rebels attacked positions across the Middle East.").events
    assert event.place is None and event.lat is None
    [placed] = parser.parse("Syrian rebels attacked positions near Manbij.").events
    assert placed.place == "Manbij"


def test_a_small_town_abroad_needs_the_document_to_point_to_it(parser):
    assert parser.parse("Yellow Springs was quiet.").places == ()
    [town, state] = parser.parse("Crowds gathered in Yellow Springs, Ohio.").places
    assert (town.country, state.kind) == ("US", "admin1")


def test_our_region_comes_first_for_a_name_found_there_and_abroad(parser):
    syria = parser.parse("Rebels entered Palmyra and Homs.").places[0]
    new_york = parser.parse("The fair opened in Palmyra, New York.").places[0]
    assert syria.country == "SY"
    assert new_york.country == "US"


def test_sentence_opening_words_that_are_small_towns_are_not_places(parser):
    assert parser.parse("Long queues formed. Police said nothing.").places == ()


def test_the_cli_reports_new_kinds_and_candidates_in_json(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Iraqi officials met in Springfield and Europe.", encoding="utf-8")
    assert main(["geoparse", "--json", str(article)]) == 0
    places = json.loads(capsys.readouterr().out)["places"]
    assert [p["kind"] for p in places] == ["demonym", "city", "continent"]
    assert places[1]["candidates"] and places[0]["candidates"] == []


def test_the_evaluation_set_has_300_mentions_worldwide_and_in_syria_and_iraq():
    passages = read_passages()
    gold = [g for p in passages for g in p.gold]
    assert len(gold) >= 300
    assert {p.split for p in passages} == {"dev", "heldout"}
    assert sum(g.country in {"SY", "IQ"} for g in gold) >= 100
    assert all(p.text[g.start : g.end] == g.text for p in passages for g in p.gold)
    assert not any("[[" in p.text for p in passages)


def test_the_development_passages_are_found_and_placed_at_the_goal_levels(parser):
    figures = evaluate("dev", parser=parser)  # the held-out half is scored by bench/ only
    assert figures["all"]["detection"] >= 0.80, figures["misses"]
    assert figures["all"]["placed_161km"] >= 0.85, figures["misses"]
    assert figures["theatre"]["end_to_end"] >= 0.90, figures["misses"]


@pytest.mark.slow
def test_the_world_gazetteer_is_built_once_then_read_from_its_disk_cache(tmp_path, monkeypatch):
    import geo.places.world as world_module

    built = world_module.load_world.__wrapped__(cache_dir=tmp_path)
    assert sorted(p.name.split(".", 1)[1] for p in tmp_path.glob("world-*")) == [
        "keys.parquet", "places.parquet", "prefix.parquet", "rows.parquet",
    ]  # fmt: skip

    def no_build():
        raise AssertionError("rebuilt although the cache is fresh")

    monkeypatch.setattr(world_module, "_build", no_build)
    again = world_module.load_world.__wrapped__(cache_dir=tmp_path)
    assert len(again) == len(built)
    ohio = again.rows(normalize_name("Ohio"))
    assert [str(again.kind[r]) for r in ohio] == ["admin1"]
    assert again.is_strong(normalize_name("Ohio")) and again.has_key(normalize_name("Syrian"))


def test_capitalised_words_that_only_fold_like_a_foreign_name_are_not_places(parser):
    text = "The Sun reported that House members and the European Union met in Kyiv."
    assert [p.text for p in parser.parse(text).places] == ["Kyiv"]
