"""The embedded gazetteer: GeoNames + data/places.csv, its Parquet cache, and places.csv itself."""

from __future__ import annotations

import csv
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from _geocode_helpers import km_between, shared_geocoder

from geo.cache import default_cache_dir
from geo.errors import ConfigError, DataFileError
from geo.places.gazetteer import (
    PLACE_KINDS,
    PLACES_COLUMNS,
    load_gazetteer,
    read_places_csv,
)
from geo.places.normalize import normalize_name

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "data" / "places.csv"
SYRIAN_GOVERNORATES = [
    "Damascus", "Rif Dimashq", "Quneitra", "Daraa", "As-Suwayda", "Homs", "Hama", "Tartus",
    "Latakia", "Idlib", "Aleppo", "Raqqa", "Deir ez-Zor", "Al-Hasakah",
]  # fmt: skip


@pytest.fixture(scope="module")
def places() -> list[dict[str, str]]:
    with open(PLACES, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_places_csv_has_exactly_the_documented_columns() -> None:
    with open(PLACES, encoding="utf-8", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == PLACES_COLUMNS


def test_places_csv_holds_at_least_80_valid_places_with_sources(
    places: list[dict[str, str]],
) -> None:
    rows, _ = read_places_csv(PLACES)
    assert len(rows) >= 80
    assert len({p["id"] for p in places}) == len(places), "ids must be unique"
    for p in places:
        assert p["kind"] in PLACE_KINDS, p
        assert p["source"].strip() and "http" not in p["source"], p
        assert 29 < float(p["lat"]) < 38.5 and 34 < float(p["lon"]) < 49, p  # the region


def test_places_csv_covers_every_kind_the_issue_names(places: list[dict[str, str]]) -> None:
    kinds = {p["kind"] for p in places}
    assert {"crossing", "airbase", "military_site", "neighbourhood", "camp", "dam", "oil_field",
            "gas_field", "region"} <= kinds  # fmt: skip


@pytest.mark.parametrize(
    "name",
    ["Al-Qaim crossing", "Abu Kamal crossing", "Semalka", "Faysh Khabur", "Rabia crossing",
     "Al-Yarubiyah crossing", "Al-Waleed", "Al-Tanf", "Bab al-Hawa", "Nasib", "Jaber", "T-4",
     "Kuweires", "Hmeimim", "Shayrat", "Mezzeh airbase", "Ain al-Asad", "Abu al-Duhur",
     "Nayrab", "Qamishli airport", "Deir ez-Zor airport", "Tabqa airbase", "Menagh", "Jirah",
     "Dumayr airbase", "Khalkhalah", "Al-Tanf garrison", "Sheikh Maqsoud", "Ashrafiyah",
     "Al-Hol", "Rukban", "Shahba camp", "Tabqa Dam", "Tishrin Dam", "Baath Dam", "Al-Omar",
     "Conoco", "Al-Tanak", "Jafra", "Rmelan", "Shaer", "Anbar", "Nineveh", "Kurdistan Region",
     "Shahba", "Jazira"],
)  # fmt: skip
def test_curated_place_named_in_the_issue_is_in_places_csv(name: str) -> None:
    gaz = shared_geocoder().gazetteer
    found = [p for p in gaz.lookup(normalize_name(name)) if p.source == "places.csv"]
    assert found, f"{name!r} is not a name or alias in places.csv"


def test_every_syrian_governorate_is_a_region_row(places: list[dict[str, str]]) -> None:
    regions = {p["name"] for p in places if p["is_region"] == "true" and p["country"] == "SY"}
    for gov in SYRIAN_GOVERNORATES:
        assert any(r.startswith(gov) for r in regions), gov


def test_crossing_sides_are_in_their_own_countries(places: list[dict[str, str]]) -> None:
    by_id = {p["id"]: p for p in places}
    assert by_id["crossing_alqaim"]["country"] == "IQ"
    assert by_id["crossing_albukamal"]["country"] == "SY"
    assert by_id["crossing_fayshkhabur"]["country"] == "IQ"
    assert by_id["crossing_semalka"]["country"] == "SY"
    a, b = by_id["crossing_alqaim"], by_id["crossing_albukamal"]
    assert km_between(float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"])) < 5


def test_gazetteer_index_is_compact_and_sorted() -> None:
    gaz = shared_geocoder().gazetteer
    assert len(gaz) > 8000
    keys = gaz.keys()
    assert list(keys[:50]) == sorted(keys[:50])
    assert len(keys) == len(set(keys.tolist()))
    assert gaz.max_key_words >= 4
    assert gaz.has_key(normalize_name("Deir ez-Zor")) and not gaz.has_key("qqqxz")


def test_lookup_returns_typed_places_with_the_alias_that_matched() -> None:
    homs = [
        p
        for p in shared_geocoder().gazetteer.lookup(normalize_name("Hims"))
        if p.country == "SY" and not p.is_region
    ]
    assert homs and homs[0].matched and normalize_name(homs[0].matched) == normalize_name("Hims")
    assert km_between(homs[0].lat, homs[0].lon, 34.73, 36.72) < 10


def test_candidates_of_unknown_key_are_empty_arrays() -> None:
    rows, aliases = shared_geocoder().gazetteer.candidates("no such key at all")
    assert rows.size == 0 and aliases.size == 0


def test_outside_the_region_only_prominent_places_are_kept() -> None:
    gaz = shared_geocoder().gazetteer
    outside = ~np.isin(gaz.country, ["SY", "IQ", "TR", "JO", "LB", "IL", "PS", "IR", "SA"])
    assert outside.any()
    assert np.all(gaz.is_capital[outside] | (gaz.population[outside] >= 1_000_000))


def test_region_with_a_bad_country_code_is_rejected_with_the_value() -> None:
    with pytest.raises(ConfigError, match="Syria"):
        load_gazetteer(region=("SY", "Syria"))


def test_malformed_places_row_names_file_line_and_value(tmp_path: Path) -> None:
    bad = tmp_path / "places.csv"
    lines = PLACES.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "x1,Nowhere,,volcano,SY,34,38,false,test,")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"places\.csv:4: kind 'volcano'"):
        read_places_csv(bad)
    lines[3] = "x1,Nowhere,,town,SY,north,38,false,test,"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r":4: lat/lon 'north'"):
        read_places_csv(bad)


@pytest.mark.slow
def test_cache_is_reused_then_rebuilt_when_places_csv_changes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    shutil.copy2(PLACES, data / "places.csv")  # same size and mtime: same fingerprint
    cache.mkdir()
    reference = shared_geocoder().gazetteer
    for built in default_cache_dir().glob("gazetteer-*.parquet"):
        shutil.copy2(built, cache / built.name)
    caplog.set_level(logging.INFO, logger="geo.places.gazetteer")
    second = load_gazetteer(data_dir=data, cache_dir=cache)
    assert "building" not in caplog.text, "an up-to-date cache must be reused"
    assert np.array_equal(reference.keys(), second.keys())
    assert np.allclose(reference.lat, second.lat)
    with open(data / "places.csv", "a", encoding="utf-8") as fh:
        fh.write("test_zzz,Zubaydatown,Zubaydaville,town,SY,34.0,38.0,false,test fixture,\n")
    third = load_gazetteer(data_dir=data, cache_dir=cache)
    assert "building" in caplog.text, "a changed places.csv must rebuild the index"
    assert [p.name for p in third.lookup(normalize_name("Zubaydaville"))] == ["Zubaydatown"]
    assert len(third) == len(reference) + 1

    # A fresh process loads the cached index without pandas or the GeoNames JSON.
    code = (
        "import sys; from pathlib import Path; from geo.places.gazetteer import load_gazetteer; "
        f"g = load_gazetteer(data_dir=Path({str(data)!r}), cache_dir=Path({str(cache)!r})); "
        "print(len(g), 'pandas' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [str(len(third)), "False"]
