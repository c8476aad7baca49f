"""Checks on the sample data shipped in ``data/``: schema, sourcing, coverage and key facts.

These tests read the files as plain text tables (``dtype=str``), so that a bad cell fails here
with the row that carries it, independent of the loader. One test runs the real loader and one
the real geocoder join, so the files and the code are also checked together.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from pyproj import Geod

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = Path("/work/shared/seeds/000_e09367dff5e0011b.txt")
BASELINE = pd.Timestamp("2024-11-26")
FIRST_EVENT, LAST_EVENT = pd.Timestamp("2024-11-27"), pd.Timestamp("2024-12-15")
# (lon_min, lat_min, lon_max, lat_max): Syria, Iraq and their borders, Aqaba included.
REGION = (34.5, 29.0, 48.5, 38.5)
GEOD = Geod(ellps="WGS84")

REQUIRED_FACTIONS = {
    "gov", "hts", "sna", "sdf", "south", "sfa", "isis", "iraq", "pmf", "krg", "turkey",
    "coalition", "russia", "iran_militias",
}  # fmt: skip
# Okabe-Ito and Paul Tol (bright, muted, light, grey) colour-blind-safe palettes.
SAFE_COLOURS = {
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
    "#AA4499", "#DDDDDD", "#BBBBBB", "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE",
    "#AA3377",
}  # fmt: skip
ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
        "Suicide bomb", "Grenade", "Chemical weapon",
    },
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    },
}  # fmt: skip
GOVERNORATE_CAPITALS = [
    "Damascus", "Aleppo", "Homs", "Hama", "Latakia", "Tartus", "Idlib", "Raqqa", "Deir ez-Zor",
    "Hasakah", "Daraa", "As-Suwayda", "Quneitra",
]  # fmt: skip
DISTRICT_CENTRES = [
    "Afrin", "Azaz", "Al-Bab", "Manbij", "Jarabulus", "Kobani", "Dayr Hafir", "As-Safira",
    "Atarib", "Harem", "Jisr al-Shughur", "Maarat al-Numan", "Ariha", "Masyaf", "Mahardah",
    "Al-Suqaylabiyah", "Salamiyah", "Al-Mukharram", "Al-Qusayr", "Ar-Rastan", "Palmyra",
    "Talkalakh", "Al-Haffah", "Jableh", "Qardaha", "Baniyas", "Dreikish", "Safita", "Sheikh Badr",
    "Douma", "Al-Qutayfah", "At-Tall", "Yabroud", "An-Nabk", "Qatana", "Az-Zabadani", "Darayya",
    "Qudsaya", "Izra", "As-Sanamayn", "Salkhad", "Shahba (Suwayda)", "Tell Abyad", "Tabqa", "Al-Mayadin",
    "Al-Bukamal", "Qamishli", "Al-Malikiyah", "Ras al-Ain",
]  # fmt: skip
ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def factions() -> pd.DataFrame:
    return _read("factions.csv")


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return _read("events.csv")


@pytest.fixture(scope="module")
def control() -> pd.DataFrame:
    frame = _read("control.csv")
    return frame.assign(when=pd.to_datetime(frame["valid_from"], format="%Y-%m-%d"))


@pytest.fixture(scope="module")
def areas() -> dict:
    return json.loads((DATA / "control_areas.geojson").read_text(encoding="utf-8"))


def holder_on(control: pd.DataFrame, date: str) -> pd.Series:
    """Faction holding each place on ``date``: its latest claim on or before that date."""
    upto = control[control["when"] <= pd.Timestamp(date)]
    latest = upto.sort_values(["place", "when"]).groupby("place").tail(1)
    return latest.set_index("place")["faction"]


def status_on(control: pd.DataFrame, date: str) -> pd.Series:
    upto = control[control["when"] <= pd.Timestamp(date)]
    latest = upto.sort_values(["place", "when"]).groupby("place").tail(1)
    return latest.set_index("place")["status"]


def _bad(frame: pd.DataFrame, mask: pd.Series, *cols: str) -> list:
    return frame.loc[mask, list(cols)].to_dict("records")


# --- files and schemas ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("factions.csv", ["id", "name", "aliases", "colour", "description"]),
        (
            "events.csv",
            [
                "id", "date", "end_date", "date_precision", "place", "lat", "lon", "faction",
                "faction2", "event_type", "sub_event_type", "description", "source",
                "source_url", "claimant", "confidence", "note",
            ],
        ),
        (
            "control.csv",
            ["place", "faction", "valid_from", "status", "confidence", "source", "source_url",
             "claimant", "note", "lat", "lon"],
        ),
    ],
)  # fmt: skip
def test_data_files_have_exactly_the_documented_columns(name, columns):
    assert list(_read(name).columns) == columns


def test_data_files_are_utf8_without_bom_and_without_spreadsheet_formulas():
    for name in ("factions.csv", "events.csv", "control.csv"):
        raw = (DATA / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        frame = _read(name)
        cells = frame.stack()
        formula = cells[cells.str.match(r"[=+@]|-[^0-9]")]
        assert formula.empty, (name, formula.head().tolist())


def test_every_data_file_is_described_in_the_data_readme():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for path in sorted(DATA.iterdir()):
        if path.name != "README.md":
            assert f"`{path.name}`" in readme, path.name
    for phrase in ("CC BY 4.0", "GeoNames", "Natural Earth", "[lon, lat]", "pmf", "Okabe"):
        assert phrase in readme, phrase


# --- factions -------------------------------------------------------------------------------


def test_factions_include_every_required_actor_with_snake_case_unique_ids(factions):
    ids = factions["id"]
    assert ids.is_unique, ids[ids.duplicated()].tolist()
    assert ids.str.fullmatch(r"[a-z][a-z0-9_]*").all(), ids.tolist()
    assert set(ids) >= REQUIRED_FACTIONS, REQUIRED_FACTIONS - set(ids)


def test_faction_colours_are_distinct_and_from_colour_blind_safe_palettes(factions):
    colours = factions["colour"].str.upper()
    assert colours.is_unique, colours[colours.duplicated()].tolist()
    assert set(colours) <= SAFE_COLOURS, sorted(set(colours) - SAFE_COLOURS)


def test_faction_aliases_are_unambiguous_across_factions(factions):
    aliases = factions.assign(alias=factions["aliases"].str.split(";")).explode("alias")
    key = aliases["alias"].str.strip().str.casefold()
    assert (key != "").all(), aliases.loc[key == "", "id"].tolist()
    clash = aliases[key.duplicated(keep=False)]
    assert clash.empty, clash[["id", "alias"]].to_dict("records")


@pytest.mark.parametrize(
    ("alias", "faction"),
    [
        ("Turkish-backed SNA", "sna"),
        ("Kurdish-led SDF", "sdf"),
        ("Islamic State militants", "isis"),
        ("the Iraqi Border Forces", "iraq"),
        ("regime troops", "gov"),
        ("regime forces", "gov"),
        ("SAA", "gov"),
        ("Military Operations Command", "hts"),
        ("Popular Mobilization Forces", "pmf"),
        ("Peshmerga", "krg"),
        ("Daesh", "isis"),
        ("Hezbollah", "iran_militias"),
        ("Eighth Brigade", "south"),
        ("YPG", "sdf"),
    ],
)
def test_news_wording_of_an_actor_is_an_alias_of_the_right_faction(factions, alias, faction):
    table = factions.assign(alias=factions["aliases"].str.split(";")).explode("alias")
    owners = table.loc[table["alias"].str.casefold() == alias.casefold(), "id"].tolist()
    assert owners == [faction]


def test_every_faction_has_a_one_line_description(factions):
    desc = factions["description"]
    assert (desc.str.len() > 20).all() and not desc.str.contains("\n").any()


# --- events ---------------------------------------------------------------------------------


def test_there_are_at_least_100_events_from_27_november_to_15_december_2024(events):
    dates = pd.to_datetime(events["date"], format="%Y-%m-%d")
    assert len(events) >= 100
    assert dates.min() >= FIRST_EVENT and dates.max() <= LAST_EVENT, (dates.min(), dates.max())


def test_event_ids_are_unique_and_well_formed(events):
    assert events["id"].is_unique, events["id"][events["id"].duplicated()].tolist()
    assert events["id"].str.fullmatch(r"EV\d{4}").all()


def test_event_end_dates_are_iso_and_not_before_the_start(events):
    has_end = events["end_date"] != ""
    assert events.loc[has_end, "end_date"].str.fullmatch(ISO_DATE).all()
    start = pd.to_datetime(events["date"], format="%Y-%m-%d")
    end = pd.to_datetime(events.loc[has_end, "end_date"], format="%Y-%m-%d")
    assert (end >= start[has_end]).all(), _bad(events, has_end & (end < start), "id")


def test_event_types_and_sub_types_follow_the_acled_taxonomy(events):
    ok = [
        sub in ACLED.get(kind, ())
        for kind, sub in zip(events["event_type"], events["sub_event_type"], strict=True)
    ]
    assert all(ok), _bad(
        events, ~pd.Series(ok, index=events.index), "id", "event_type", "sub_event_type"
    )


def test_every_event_names_known_factions(events, factions):
    known = set(factions["id"])
    assert events["faction"].isin(known).all(), _bad(
        events, ~events["faction"].isin(known), "id", "faction"
    )
    second = events["faction2"]
    bad = (second != "") & ~second.isin(known)
    assert not bad.any(), _bad(events, bad, "id", "faction2")


def test_every_event_is_sourced_with_an_outlet_and_a_date_and_no_invented_url(events):
    # "Outlet, YYYY-MM-DD", or "Outlet, undated" for a page that shows no publication day
    sourced = events["source"].str.fullmatch(rf"[A-Za-z0-9][^,]+, (?:{ISO_DATE}|undated)")
    assert sourced.all(), _bad(events, ~sourced, "id", "source")
    url = events["source_url"]
    assert ((url == "") | url.str.fullmatch(r"https://\S+")).all()


def test_event_confidence_and_date_precision_are_in_range(events):
    confidence = events["confidence"].astype(float)
    assert confidence.between(0, 1).all()
    assert events["date_precision"].isin(["day", "week", "month", "year"]).all()
    # a single outlet's claim is never top confidence
    assert (confidence <= 0.95).all()


def test_event_descriptions_are_single_sentences_of_our_own(events):
    desc = events["description"]
    one_sentence = desc.str.fullmatch(r"[A-Z][^\n]*[.!?]") & ~desc.str.contains(r"[.!?] [A-Z]")
    assert one_sentence.all(), _bad(events, ~one_sentence, "id", "description")
    assert desc.is_unique


def test_no_event_description_copies_eight_words_in_a_row_from_the_seed_article(events):
    if not SEED.exists():
        pytest.skip(f"seed article not available at {SEED}")

    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}

    seed = shingles(SEED.read_text(encoding="utf-8"))
    copied = [d for d in events["description"] if shingles(d) & seed]
    assert copied == []


def test_event_coordinates_when_given_are_inside_the_region(events):
    given = events["lat"] != ""
    assert ((events["lon"] != "") == given).all()
    lat = events.loc[given, "lat"].astype(float)
    lon = events.loc[given, "lon"].astype(float)
    inside = lat.between(REGION[1], REGION[3]) & lon.between(REGION[0], REGION[2])
    assert inside.all(), _bad(events.loc[given], ~inside, "id", "lat", "lon")


def _seed_event(events: pd.DataFrame, *, date: str, place: str, faction: str) -> pd.DataFrame:
    return events[
        (events["date"] == date)
        & events["place"].str.contains(place, case=False, regex=False)
        & (events["faction"] == faction)
        & (
            events["source"].str.startswith("The New Arab")
            | events["note"].str.contains("The New Arab", regex=False)
        )
    ]


@pytest.mark.parametrize(
    ("date", "place", "faction", "sub_event_type"),
    [
        ("2024-12-07", "Al-Qaim", "gov", "Other"),
        ("2024-12-07", "Homs", "hts", "Non-state actor overtakes territory"),
        ("2024-12-08", "Damascus", "hts", "Non-state actor overtakes territory"),
        ("2024-11-30", "northern Aleppo", "sna", "Armed clash"),
        ("2024-12-07", "Sukhnah", "sfa", "Non-state actor overtakes territory"),
        ("2024-12-07", "Qaryatayn", "sfa", "Non-state actor overtakes territory"),
        ("2024-12-07", "T-4", "gov", "Non-violent transfer of territory"),
        ("2024-12-06", "Manbij", "sna", "Armed clash"),
        ("2024-12-08", "Sheikh Maq", "sdf", "Other"),
        ("2024-12-06", "Deir ez-Zor", "sdf", "Non-violent transfer of territory"),
        ("2024-12-08", "border", "iraq", "Other"),
        ("2024-12-09", "Semilka", "sdf", "Other"),
        ("2024-12-09", "Tabqa", "sdf", "Other"),
        ("2024-12-09", "Raqqa", "sdf", "Other"),
    ],
)
def test_every_event_of_the_seed_article_is_in_the_sample(
    events, date, place, faction, sub_event_type
):
    found = _seed_event(events, date=date, place=place, faction=faction)
    assert sub_event_type in set(found["sub_event_type"])


def test_the_government_falling_on_8_december_is_an_event(events):
    fall = events[
        (events["date"] == "2024-12-08") & events["description"].str.contains("had fallen")
    ]
    assert len(fall) == 1


# --- control --------------------------------------------------------------------------------


def test_control_rows_have_known_factions_valid_dates_status_and_confidence(control, factions):
    assert control["faction"].isin(set(factions["id"])).all(), _bad(
        control, ~control["faction"].isin(set(factions["id"])), "place", "faction"
    )
    assert control["valid_from"].str.fullmatch(ISO_DATE).all()
    assert control["when"].between(BASELINE, LAST_EVENT).all()
    assert control["status"].isin(["held", "contested", "besieged"]).all()
    assert control["confidence"].astype(float).between(0, 1).all()


def test_no_place_has_two_claims_on_the_same_day(control):
    dup = control.duplicated(["place", "valid_from"], keep=False)
    assert not dup.any(), _bad(control, dup, "place", "valid_from")


def test_every_control_row_is_sourced(control):
    baseline = control["when"] == BASELINE
    change_sourced = control["source"].str.contains(
        r"\d{4}-\d{2}-\d{2}|\d{1,2}(?:-\d{1,2})? Dec 2024\)|, undated$"
    )
    assert (control["source"].str.len() > 10).all()
    assert change_sourced[~baseline].all(), _bad(
        control, ~baseline & ~change_sourced, "place", "source"
    )


def test_inferred_control_changes_say_so_and_carry_low_confidence(control):
    inferred = control["source"].str.startswith("Inference")
    assert (control.loc[inferred, "confidence"].astype(float) <= 0.45).all()
    assert (control.loc[inferred, "note"] != "").all()


def test_control_coordinates_when_given_are_inside_the_region(control):
    given = control["lat"] != ""
    assert ((control["lon"] != "") == given).all()
    lat, lon = control.loc[given, "lat"].astype(float), control.loc[given, "lon"].astype(float)
    inside = lat.between(REGION[1], REGION[3]) & lon.between(REGION[0], REGION[2])
    assert inside.all(), _bad(control.loc[given], ~inside, "place", "lat", "lon")


def test_a_place_keeps_the_same_override_coordinates_on_every_row(control):
    per_place = control.groupby("place")[["lat", "lon"]].nunique()
    assert (per_place <= 1).all().all(), per_place[(per_place > 1).any(axis=1)]


def test_the_baseline_of_26_november_covers_at_least_250_places(control):
    assert control.loc[control["when"] == BASELINE, "place"].nunique() >= 250
    first = control.sort_values("when").groupby("place")["when"].first()
    assert (first == BASELINE).all(), first[first != BASELINE].index.tolist()


@pytest.mark.parametrize("place", GOVERNORATE_CAPITALS + DISTRICT_CENTRES)
def test_every_governorate_capital_and_district_centre_has_a_baseline_claim(control, place):
    assert place in set(control.loc[control["when"] == BASELINE, "place"])


@pytest.mark.parametrize(
    ("place", "faction"),
    [
        ("Al-Qaim", "iraq"),
        ("Rawa", "iraq"),
        ("Rutba", "iraq"),
        ("Al-Waleed border crossing", "iraq"),
        ("Mosul", "iraq"),
        ("Zakho", "krg"),
        ("Faysh Khabur", "krg"),
        ("Erbil", "krg"),
        ("Ain al-Asad airbase", "iraq"),
    ],
)
def test_the_iraqi_side_of_the_border_stays_iraqi_throughout(control, place, faction):
    claims = control[control["place"] == place]
    assert set(claims["faction"]) == {faction}


def test_before_the_offensive_hts_and_government_positions_face_each_other_around_idlib(control):
    held = holder_on(control, "2024-11-26")
    hts = control[control["place"].isin(held[held == "hts"].index)].drop_duplicates("place")
    gov = control[control["place"].isin(held[held == "gov"].index)].drop_duplicates("place")
    front = [("Sarmin", "Saraqib"), ("Atarib", "Zarbah"), ("Ariha", "Maarat al-Numan")]
    for ours, theirs in front:
        assert ours in set(hts["place"]) and theirs in set(gov["place"]), (ours, theirs)
    assert held["Idlib"] == "hts" and held["Aleppo"] == "gov"


def test_on_3_december_hama_is_still_government_held_and_the_front_is_north_of_it(control):
    held = holder_on(control, "2024-12-03")
    assert held["Hama"] == "gov"
    assert held["Murak"] == "hts" and held["Khan Shaykhun"] == "hts"
    # The army's counter-attack held Suran and Taybat al-Imam on 2 Dec; both were stormed
    # early on 3 Dec (Daily Sabah via Middle East Monitor, AP).
    before = holder_on(control, "2024-12-02")
    assert {before["Suran (Hama)"], before["Taybat al-Imam"]} == {"gov"}
    assert {held["Suran (Hama)"], held["Taybat al-Imam"]} == {"hts"}


def test_on_9_december_the_former_government_holds_no_place(control):
    held = holder_on(control, "2024-12-09")
    assert held[held == "gov"].index.tolist() == []


def test_on_9_december_damascus_is_held_by_hts(control):
    assert holder_on(control, "2024-12-09")["Damascus"] == "hts"


@pytest.mark.parametrize(
    ("place", "date", "before", "after"),
    [
        ("Aleppo", "2024-11-29", "gov", "hts"),
        ("Maarat al-Numan", "2024-11-30", "gov", "hts"),
        ("Kuweires airbase", "2024-11-30", "gov", "sna"),
        ("Tell Rifaat", "2024-12-01", "sdf", "sna"),
        ("Hama", "2024-12-05", "gov", "hts"),
        ("Ar-Rastan", "2024-12-06", "gov", "hts"),
        ("Daraa", "2024-12-06", "gov", "south"),
        ("As-Suwayda", "2024-12-07", "gov", "south"),
        ("Homs", "2024-12-07", "gov", "hts"),
        ("Palmyra", "2024-12-07", "gov", "sfa"),
        ("As-Sukhnah", "2024-12-07", "gov", "sfa"),
        ("Al-Qaryatayn", "2024-12-07", "gov", "sfa"),
        ("Damascus", "2024-12-08", "gov", "hts"),
        ("Latakia", "2024-12-08", "gov", "hts"),
        ("Manbij", "2024-12-09", "sdf", "sna"),
        ("Deir ez-Zor", "2024-12-06", "gov", "sdf"),
        ("Deir ez-Zor", "2024-12-10", "sdf", "hts"),
        ("Al-Bukamal", "2024-12-06", "gov", "sdf"),
        ("Al-Bukamal", "2024-12-10", "sdf", "hts"),
    ],
)
def test_key_change_of_hands_happens_on_the_reported_day(control, place, date, before, after):
    day_before = (pd.Timestamp(date) - pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    assert holder_on(control, day_before)[place] == before
    assert holder_on(control, date)[place] == after


@pytest.mark.parametrize("place", ["Deir ez-Zor", "Al-Bukamal", "Al-Mayadin", "Halfaya", "Kurnaz"])
def test_eastern_places_change_hands_more_than_once(control, place):
    sequence = control[control["place"] == place].sort_values("when")["faction"]
    changes = (sequence != sequence.shift()).sum() - 1
    assert changes >= 2, sequence.tolist()


def test_sdf_keeps_the_kurdish_districts_of_aleppo_through_15_december(control):
    for day in ("2024-11-26", "2024-11-30", "2024-12-09", "2024-12-15"):
        held = holder_on(control, day)
        assert held["Sheikh Maqsoud"] == "sdf" and held["Ashrafiyah (Aleppo)"] == "sdf", day


def test_manbij_is_contested_before_it_falls_and_tishrin_dam_from_10_december(control):
    assert status_on(control, "2024-12-07")["Manbij"] == "contested"
    assert holder_on(control, "2024-12-07")["Manbij"] == "sdf"
    assert status_on(control, "2024-12-09")["Tishrin dam"] == "held"
    assert status_on(control, "2024-12-10")["Tishrin dam"] == "contested"


def test_russia_keeps_its_bases_on_the_coast(control):
    held = holder_on(control, "2024-12-15")
    assert held["Hmeimim air base"] == "russia" and held["Tartus naval base"] == "russia"


# --- control areas --------------------------------------------------------------------------


def _tanf_zone(areas):
    (tanf,) = [f for f in areas["features"] if "al-Tanf" in f["properties"]["note"]]
    return tanf


def _garrison() -> tuple[float, float]:
    places = _read("places.csv").set_index("id")
    return float(places.at["site_tanf_garrison", "lat"]), float(
        places.at["site_tanf_garrison", "lon"]
    )


def test_al_tanf_zone_is_the_55_km_circle_around_the_garrison_cut_to_syria(areas):
    import shapely
    from shapely.geometry import shape

    from geo.borders import country_shapes

    assert areas["type"] == "FeatureCollection"
    tanf = _tanf_zone(areas)
    props = tanf["properties"]
    assert set(props) == {"faction", "valid_from", "valid_to", "source", "confidence", "note"}
    assert props["faction"] == "sfa" and props["valid_to"] is None
    assert "clipped to Syria" in props["note"] and "55 km" in props["note"]
    assert tanf["geometry"]["type"] == "Polygon"
    ring = tanf["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    lat0, lon0 = _garrison()
    lons, lats = zip(*ring, strict=True)  # GeoJSON order is [lon, lat]
    _, _, dist = GEOD.inv([lon0] * len(ring), [lat0] * len(ring), lons, lats)
    assert max(dist) < 55_025  # nothing beyond the 55 km circle
    assert sum(abs(d - 55_000) < 25 for d in dist) >= 30  # the Syrian arc of the circle is kept
    area, _ = GEOD.polygon_area_perimeter(lons, lats)
    assert area > 0  # counter-clockwise exterior ring, as RFC 7946 asks
    # The circle cut to Syria's Natural Earth outline, rebuilt here: the same polygon.
    az = [i * 5.0 for i in range(72)]
    clons, clats, _ = GEOD.fwd([lon0] * 72, [lat0] * 72, az, [55_000.0] * 72)
    syria = country_shapes(["SY"]).geometry.iloc[0]
    expected = shapely.intersection(shapely.Polygon(zip(clons, clats, strict=True)), syria)
    zone = shape(tanf["geometry"])
    expected_km2 = abs(GEOD.geometry_area_perimeter(expected)[0]) / 1e6
    assert area / 1e6 == pytest.approx(expected_km2, rel=0.005)
    differ_km2 = abs(GEOD.geometry_area_perimeter(zone.symmetric_difference(expected))[0]) / 1e6
    assert differ_km2 < 0.005 * expected_km2
    assert area / 1e6 < 0.8 * math.pi * 55**2  # Jordan and Iraq are cut off


def test_al_tanf_zone_claims_no_ground_in_jordan_or_iraq(areas):
    from shapely.geometry import shape

    from geo.borders import country_shapes

    zone = shape(_tanf_zone(areas)["geometry"])
    shapes = country_shapes(["JO", "IQ", "SY"]).set_index("iso2").geometry
    for code in ("JO", "IQ"):
        outside_km2 = abs(GEOD.geometry_area_perimeter(zone.intersection(shapes[code]))[0]) / 1e6
        assert outside_km2 < 0.05, (code, outside_km2)
    inside_km2 = abs(GEOD.geometry_area_perimeter(zone.intersection(shapes["SY"]))[0]) / 1e6
    assert inside_km2 > 5000


# --- the data with the project's own loader and geocoder ------------------------------------


def test_bundled_data_loads_with_no_issue():
    from geo.annotations import load_annotations

    ann = load_annotations(DATA)
    assert [str(i) for i in ann.issues] == []
    assert len(ann.events) == len(_read("events.csv"))
    assert len(ann.control) == len(_read("control.csv"))


@pytest.fixture(scope="module")
def atlas():
    from geo.atlas.load import load_atlas

    return load_atlas(DATA)


@pytest.mark.slow
def test_every_place_resolves_inside_syria_or_iraq_or_by_explicit_coordinates(atlas):
    assert atlas.join_report.empty, atlas.join_report.to_dict("records")
    control = atlas.control
    raw = _read("control.csv")
    by_name = control[control["place"].isin(set(raw.loc[raw["lat"] == "", "place"]))]
    abroad = by_name[~by_name["country"].isin(["SY", "IQ"])]
    assert abroad.empty, abroad[["place", "country", "lat", "lon"]].drop_duplicates("place")
    assert not control.geometry.is_empty.any() and control.geometry.notna().all()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Shahba (Suwayda)", 32.852, 36.628),  # the Suwayda town, not the area north of Aleppo
        ("Ras al-Ain", 36.850, 40.071),  # not Rosh HaAyin in Israel
        ("Suran (Hama)", 35.292, 36.748),  # northern Hama, not Soran in Iraq
        ("Sinjar", 36.321, 41.877),  # Iraq, not the Idlib village
        ("Rabiah (Latakia)", 35.787, 36.038),  # Latakia mountains, not Rabia in Iraq
        ("Al-Qaim", 34.393, 40.989),
        ("Al-Bukamal", 34.452, 40.919),
        ("Kobani", 36.891, 38.353),
        ("Palmyra", 34.562, 38.284),
        ("Tell Rifaat", 36.472, 37.095),
        ("Anah", 34.369, 41.982),
        ("Haditha", 34.137, 42.377),
    ],
)
def test_ambiguous_control_place_lands_within_10_km_of_the_intended_town(atlas, place, lat, lon):
    row = atlas.control[atlas.control["place"] == place].iloc[0]
    _, _, metres = GEOD.inv(lon, lat, row["lon"], row["lat"])
    assert metres < 10_000, (place, row["lat"], row["lon"])


@pytest.mark.slow
@pytest.mark.parametrize("file", ["control.csv", "events.csv"])
def test_explicit_coordinates_agree_with_a_confident_reading_of_the_place_name(file):
    """An override that contradicts what the name geocodes to (Rabiah -> the Iraqi town,
    Shahba -> the area north of Aleppo) gives the row the wrong kind and a misleading name."""
    from geo.places.geocode import load_geocoder

    geocoder = load_geocoder(data_dir=DATA)
    table = _read(file)
    table = table[table["lat"] != ""].drop_duplicates(["place", "lat", "lon"])
    results = geocoder.geocode_many(table["place"].tolist())
    far = []
    # One geocode per distinct overridden place (a few dozen), not per row of a big frame.
    for (place, lat, lon), r in zip(table[["place", "lat", "lon"]].values, results, strict=True):
        if r.resolved and r.confidence >= 0.95:
            _, _, metres = GEOD.inv(float(lon), float(lat), r.lon, r.lat)
            if metres > 15_000:
                far.append((place, r.name, r.country, round(metres / 1000)))
    assert far == []


def test_every_point_place_lies_in_its_declared_country():
    import geopandas as gpd

    from geo.borders import EQUAL_AREA_CRS, country_shapes

    places = _read("places.csv")
    points = places[places["is_region"] == "false"].reset_index(drop=True)
    shapes = country_shapes(sorted(set(points["country"]))).set_index("iso2").to_crs(EQUAL_AREA_CRS)
    where = gpd.GeoSeries(  # x = lon, y = lat
        gpd.points_from_xy(points["lon"].astype(float), points["lat"].astype(float)),
        crs="EPSG:4326",
    ).to_crs(EQUAL_AREA_CRS)
    own = gpd.GeoSeries(shapes.geometry.loc[points["country"]].to_numpy(), crs=EQUAL_AREA_CRS)
    # 2 km of slack: Natural Earth 1:10m puts the town of Tal Abyad ~0.4 km inside Turkey.
    outside = points[where.distance(own).to_numpy() > 2_000]
    assert outside[["id", "country", "lat", "lon"]].to_dict("records") == []


# --- sources and their links ---------------------------------------------------------------


def _linked_rows(events: pd.DataFrame, control: pd.DataFrame) -> pd.DataFrame:
    rows = pd.concat(
        [
            events.assign(day=events["date"], claim=events["id"]),
            control.assign(day=control["valid_from"], claim=control["place"]),
        ]
    )
    return rows[rows["source_url"] != ""].assign(day=lambda f: pd.to_datetime(f["day"]))


def test_no_url_is_repeated_for_unrelated_claims(events, control):
    """Rows that share a URL rest on the same report: one outlet and date, and (baseline
    rows apart, which a report of a capture supports by saying who held the place before)
    claims of the same week that the report could have told."""
    rows = _linked_rows(events, control)
    sources = rows.groupby("source_url")["source"].nunique()
    assert (sources == 1).all(), sources[sources > 1].index.tolist()
    changes = rows[rows["day"] > BASELINE]
    span = changes.groupby("source_url")["day"].agg(lambda d: (d.max() - d.min()).days)
    assert (span <= 7).all(), span[span > 7].to_dict()
    published = pd.to_datetime(changes["source"].str.extract(rf"({ISO_DATE})$")[0])
    later = changes["day"] > published + pd.Timedelta(days=1)
    assert not later.any(), changes.loc[later, ["claim", "day", "source"]].to_dict("records")


def test_urls_are_real_http_addresses_and_inferred_rows_have_none(events, control):
    for frame in (events, control):
        url = frame["source_url"]
        assert ((url == "") | url.str.fullmatch(r"https?://[^\s/]+\S*")).all()
        inferred = frame["source"].str.startswith("Inference")
        assert (url[inferred] == "").all()
        assert (frame.loc[inferred, "confidence"].astype(float) <= 0.45).all()
        assert (frame.loc[inferred, "note"] != "").all()


def test_nine_in_ten_events_and_most_control_changes_link_their_report(events, control):
    assert (events["source_url"] != "").mean() >= 0.9
    changes = control[control["when"] != BASELINE]
    assert (changes["source_url"] != "").mean() >= 0.6
