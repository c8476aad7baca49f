"""A labelled set of spelling variants (Arabic-derived, French, German, Turkish, Kurdish) and
typos, and the fuzzy cut-off calibrated on it."""

from __future__ import annotations

import pytest
from _geocode_helpers import NON_PLACES, TOLERANCE_KM, TYPOS, VARIANTS, km_between, shared_geocoder

from geo.geocode import DEFAULT_FUZZY_CUTOFF, Geocoder

LABELLED = [
    (variant, place, lat, lon, country)
    for place, (lat, lon, country, variants) in VARIANTS.items()
    for variant in variants
]


def test_the_labelled_set_holds_at_least_60_variants() -> None:
    assert len(LABELLED) >= 60
    assert len({v for v, *_ in LABELLED}) == len(LABELLED), "a variant is listed twice"


@pytest.mark.parametrize(
    ("variant", "place", "lat", "lon", "country"), LABELLED, ids=[v for v, *_ in LABELLED]
)
def test_spelling_variant_resolves_to_its_place(
    variant: str, place: str, lat: float, lon: float, country: str
) -> None:
    result = shared_geocoder().geocode(variant)
    assert result.resolved, f"{variant!r} ({place}) unresolved: {result.reason}"
    assert result.country == country, result
    assert km_between(result.lat, result.lon, lat, lon) <= TOLERANCE_KM, result
    assert result.confidence >= 0.8, result


def test_deir_ez_zor_spelling_variants_resolve_to_the_same_city() -> None:
    results = shared_geocoder().geocode_many(VARIANTS["Deir ez-Zor"][3])
    assert len({(r.lat, r.lon) for r in results}) == 1, results


@pytest.mark.parametrize("typo", sorted(TYPOS))
def test_typo_is_placed_by_the_fuzzy_stage_or_left_unresolved_never_misplaced(typo: str) -> None:
    result = shared_geocoder().geocode(typo)
    if result.resolved:
        lat, lon = TYPOS[typo]
        assert km_between(result.lat, result.lon, lat, lon) <= TOLERANCE_KM, result
        assert result.confidence < 0.9 and "fuzzy" in (result.reason or ""), result


def _score(geocoder: Geocoder) -> tuple[int, int, int]:
    placed = wrong = 0
    for typo, (lat, lon) in TYPOS.items():
        r = geocoder.geocode(typo)
        if r.resolved:
            placed += 1
            wrong += km_between(r.lat, r.lon, lat, lon) > TOLERANCE_KM
    false_places = sum(geocoder.geocode(n).resolved for n in NON_PLACES)
    return placed, wrong, false_places


def test_default_fuzzy_cutoff_is_precise_and_places_most_typos() -> None:
    """Calibration: at the default cut-off no typo is misplaced and no non-place resolves,
    while at least 80 % of the typos are placed; a looser cut-off lets non-places through."""
    gazetteer = shared_geocoder().gazetteer
    placed, wrong, false_places = _score(Geocoder(gazetteer, fuzzy_cutoff=DEFAULT_FUZZY_CUTOFF))
    assert wrong == 0 and false_places == 0
    assert placed >= 0.8 * len(TYPOS), placed
    loose = _score(Geocoder(gazetteer, fuzzy_cutoff=70.0))
    assert loose[2] > 0, "the calibration set no longer tells cut-offs apart"
