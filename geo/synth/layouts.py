"""Synthetic files in the layouts of UCDP GED (49 columns) and ACLED exports (31 columns).

The originals cannot be downloaded here (and ACLED rows may not be redistributed), so tests and
benchmarks make their own: seeded, vectorised numpy, with the sources' value ranges (UCDP
``type_of_violence`` 1-3, ``where_prec`` 1-7, ``date_prec`` 1-5, ``event_clarity`` 1-2,
``best <= high``, ``low <= best``; ACLED ``time_precision`` and ``geo_precision`` 1-3, the
ACLED event taxonomy) and the sources' own actor names. Places are real towns of the
region asked for, jittered by a few km.

>>> ged = synthetic_ucdp_ged(200, seed=3)
>>> len(ged.columns), ged["date_start"].str.slice(0, 4).astype(int).between(1989, 2024).all()
(49, np.True_)
>>> sahel = synthetic_acled(50, region="sahel", seed=1)
>>> len(sahel.columns), sorted(set(sahel["country"]))[:2]
(31, ['Burkina Faso', 'Mali'])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.annotations.importers import ACLED_COLUMNS, UCDP_COLUMNS
from geo.errors import ConfigError

__all__ = ["REGIONS", "Region", "synthetic_acled", "synthetic_ucdp_ged"]


@dataclass(frozen=True)
class Region:
    """Towns ``(name, country, lat, lon)`` and actors ``(side_a names, side_b names)``."""

    towns: tuple[tuple[str, str, float, float], ...]
    side_a: tuple[str, ...]
    side_b: tuple[str, ...]


REGIONS: dict[str, Region] = {
    "sahel": Region(
        towns=(
            ("Bamako", "Mali", 12.6392, -8.0029),
            ("Mopti", "Mali", 14.4843, -4.1830),
            ("Gao", "Mali", 16.2717, -0.0447),
            ("Timbuktu", "Mali", 16.7735, -3.0074),
            ("Menaka", "Mali", 15.9182, 2.4022),
            ("Ouagadougou", "Burkina Faso", 12.3714, -1.5197),
            ("Djibo", "Burkina Faso", 14.1022, -1.6306),
            ("Dori", "Burkina Faso", 14.0354, -0.0345),
            ("Niamey", "Niger", 13.5116, 2.1254),
            ("Tillaberi", "Niger", 14.2117, 1.4531),
        ),
        side_a=(
            "Military Forces of Mali (2021-)",
            "Military Forces of Burkina Faso (2022-)",
            "Military Forces of Niger (2023-)",
            "Wagner Group",
            "Government of Mali",
        ),
        side_b=(
            "JNIM: Group for Support of Islam and Muslims",
            "Islamic State (Sahel)",
            "Civilians (Mali)",
            "Civilians (Burkina Faso)",
            "Dozo Communal Militia (Mali)",
            "Unidentified Armed Group (Niger)",
        ),
    ),
    "ukraine": Region(
        towns=(
            ("Kyiv", "Ukraine", 50.4501, 30.5234),
            ("Kharkiv", "Ukraine", 49.9935, 36.2304),
            ("Donetsk", "Ukraine", 48.0159, 37.8029),
            ("Bakhmut", "Ukraine", 48.5956, 38.0003),
            ("Zaporizhzhia", "Ukraine", 47.8388, 35.1396),
            ("Kherson", "Ukraine", 46.6354, 32.6169),
            ("Sumy", "Ukraine", 50.9077, 34.7981),
            ("Belgorod", "Russia", 50.5997, 36.5983),
            ("Kursk", "Russia", 51.7304, 36.1926),
            ("Sudzha", "Russia", 51.1917, 35.2711),
        ),
        side_a=(
            "Military Forces of Russia (2000-)",
            "Military Forces of Ukraine (2019-)",
            "Government of Russia (Soviet Union)",
            "Government of Ukraine",
        ),
        side_b=(
            "Military Forces of Ukraine (2019-)",
            "Military Forces of Russia (2000-)",
            "Civilians (Ukraine)",
            "Civilians (Russia)",
            "Wagner Group",
        ),
    ),
    "world": Region(
        towns=(
            ("Aleppo", "Syria", 36.2021, 37.1343),
            ("Deir ez-Zor", "Syria", 35.3359, 40.1408),
            ("Mosul", "Iraq", 36.3400, 43.1300),
            ("Kabul", "Afghanistan", 34.5553, 69.2075),
            ("Mogadishu", "Somalia", 2.0469, 45.3182),
            ("Goma", "DR Congo (Zaire)", -1.6585, 29.2205),
            ("Sarajevo", "Bosnia-Herzegovina", 43.8563, 18.4131),
            ("Donetsk", "Ukraine", 48.0159, 37.8029),
            ("Medellin", "Colombia", 6.2442, -75.5812),
            ("Maiduguri", "Nigeria", 11.8311, 13.1510),
            ("Colombo", "Sri Lanka", 6.9271, 79.8612),
            ("Khartoum", "Sudan", 15.5007, 32.5599),
            ("Sanaa", "Yemen", 15.3694, 44.1910),
            ("Mindanao", "Philippines", 7.1907, 125.4553),
        ),
        side_a=(
            "Government of Syria",
            "Government of Iraq",
            "Government of Afghanistan",
            "Government of Somalia",
            "Government of DR Congo (Zaire)",
            "Government of Bosnia-Herzegovina",
            "Government of Ukraine",
            "Government of Colombia",
            "Government of Nigeria",
            "Government of Sri Lanka",
            "Government of Sudan",
            "Government of Yemen (North Yemen)",
            "Government of Philippines",
            "IS",
            "SDF",
        ),
        side_b=(
            "IS",
            "Syrian insurgents",
            "Taleban",
            "Al-Shabaab",
            "M23",
            "Serbian Republic of Bosnia-Herzegovina",
            "Government of Russia (Soviet Union)",
            "FARC",
            "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad",
            "LTTE",
            "RSF",
            "Ansarallah",
            "MILF",
            "Civilians",
        ),
    ),
}
"""The regions :func:`synthetic_acled` and :func:`synthetic_ucdp_ged` draw from."""

_KM_PER_DEG = 111.32  # jitter is drawn in km, then converted to degrees (not a measurement)


def _region(name: str) -> Region:
    try:
        return REGIONS[name]
    except KeyError:
        raise ConfigError(f"unknown region {name!r}; choose one of {sorted(REGIONS)}") from None


def _places(rng: np.random.Generator, region: Region, n: int) -> tuple[np.ndarray, ...]:
    """Town index, lat and lon (a few km of jitter) of ``n`` events."""
    town = rng.integers(0, len(region.towns), n)
    lat0 = np.array([t[2] for t in region.towns])[town]
    lon0 = np.array([t[3] for t in region.towns])[town]
    km = rng.normal(0, 6, (2, n))
    lat = np.round(lat0 + km[0] / _KM_PER_DEG, 4)
    lon = np.round(lon0 + km[1] / (_KM_PER_DEG * np.cos(np.radians(lat0))), 4)
    return town, lat, lon


def _days(rng: np.random.Generator, start: str, end: str, n: int) -> pd.DatetimeIndex:
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    offset = rng.integers(0, (last - first).days + 1, n)
    return pd.DatetimeIndex(first + pd.to_timedelta(np.sort(offset), unit="D"))


def _pick(rng: np.random.Generator, values: tuple[str, ...], n: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, len(values) + 1)  # a few frequent actors, a long tail
    return np.asarray(values, dtype=object)[rng.choice(len(values), n, p=weights / weights.sum())]


def synthetic_ucdp_ged(
    n: int,
    *,
    seed: int = 0,
    region: str = "world",
    start: str = "1989-01-01",
    end: str = "2024-12-31",
) -> pd.DataFrame:
    """``n`` rows of strings in the 49-column UCDP GED layout (version 24.1), seeded.

    Parameters
    ----------
    n : int
        Number of events (the real GED 24.1 has about 385,000).
    seed : int
        Random seed: the same arguments give the same rows.
    region : str
        A key of :data:`REGIONS` (``world`` spans every continent).
    start, end : str
        First and last day (``YYYY-MM-DD``).
    """
    rng = np.random.default_rng(seed)
    spec = _region(region)
    town, lat, lon = _places(rng, spec, n)
    day = _days(rng, start, end, n)
    span = rng.choice([0, 0, 0, 0, 1, 3, 10], n)
    end_day = pd.DatetimeIndex(np.minimum(day + pd.to_timedelta(span, unit="D"), pd.Timestamp(end)))
    side_a = _pick(rng, spec.side_a, n)
    side_b = _pick(rng, spec.side_b, n)
    side_b = np.where(side_a == side_b, "Civilians", side_b)
    violence = rng.choice([1, 2, 3], n, p=[0.6, 0.15, 0.25])
    deaths = rng.poisson(1.2, (4, n))
    best = deaths.sum(axis=0)
    low = np.maximum(best - rng.integers(0, 3, n), 0)
    high = best + rng.integers(0, 10, n)
    country = np.asarray([t[1] for t in spec.towns], dtype=object)[town]
    names = np.asarray([t[0] for t in spec.towns], dtype=object)[town]
    conflict = np.where(violence == 3, side_a, country + ": Government")
    ids = np.arange(1, n + 1)
    s = lambda v: pd.Series(v).astype(str).to_numpy()  # noqa: E731
    frame = pd.DataFrame(
        {
            "id": s(ids),
            "relid": "GED-" + s(ids),
            "year": s(day.year),
            "active_year": s(rng.integers(0, 2, n)),
            "code_status": "Clear",
            "type_of_violence": s(violence),
            "conflict_dset_id": s(200 + town),
            "conflict_new_id": s(200 + town),
            "conflict_name": conflict,
            "dyad_dset_id": s(400 + town),
            "dyad_new_id": s(400 + town),
            "dyad_name": side_a + " - " + side_b,
            "side_a_dset_id": s(600 + town),
            "side_a_new_id": s(600 + town),
            "side_a": side_a,
            "side_b_dset_id": s(800 + town),
            "side_b_new_id": s(800 + town),
            "side_b": side_b,
            "number_of_sources": s(rng.integers(1, 6, n)),
            "source_article": "Synthetic wire report " + s(ids),
            "source_office": "Synthetic News",
            "source_date": day.strftime("%Y-%m-%d").to_numpy(),
            "source_headline": "Clashes near " + names,
            "source_original": "local sources",
            "where_prec": s(rng.choice([1, 1, 1, 2, 3, 4, 5, 6, 7], n)),
            "where_coordinates": names + " town",
            "where_description": "near " + names,
            "adm_1": names + " province",
            "adm_2": names + " district",
            "latitude": s(lat),
            "longitude": s(lon),
            "geom_wkt": "POINT (" + s(lon) + " " + s(lat) + ")",
            "priogrid_gid": s(((90 + lat) * 2).astype(int) * 720 + ((180 + lon) * 2).astype(int)),
            "country": country,
            "country_id": s(600 + town),
            "region": "Synthetic",
            "event_clarity": s(rng.choice([1, 1, 1, 2], n)),
            "date_prec": s(rng.choice([1, 1, 1, 1, 2, 3, 4, 5], n)),
            "date_start": (day.strftime("%Y-%m-%d") + " 00:00:00.000").to_numpy(),
            "date_end": (end_day.strftime("%Y-%m-%d") + " 00:00:00.000").to_numpy(),
            "deaths_a": s(deaths[0]),
            "deaths_b": s(deaths[1]),
            "deaths_civilians": s(deaths[2]),
            "deaths_unknown": s(deaths[3]),
            "best": s(best),
            "high": s(high),
            "low": s(low),
            "gwnoa": s(600 + town),
            "gwnob": "",
        }
    )
    return frame[list(UCDP_COLUMNS)]


_ACLED_TYPES = (
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
    ("Strategic developments", "Looting/property destruction"),
    ("Protests", "Peaceful protest"),
)


def synthetic_acled(
    n: int,
    *,
    region: str = "ukraine",
    seed: int = 0,
    start: str = "2022-02-24",
    end: str = "2024-12-31",
) -> pd.DataFrame:
    """``n`` rows of strings in the 31-column ACLED export layout, seeded (see above)."""
    rng = np.random.default_rng(seed)
    spec = _region(region)
    town, lat, lon = _places(rng, spec, n)
    day = _days(rng, start, end, n)
    kind = rng.choice(len(_ACLED_TYPES), n, p=[0.35, 0.25, 0.15, 0.15, 0.05, 0.05])
    event_type = np.asarray([t[0] for t in _ACLED_TYPES], dtype=object)[kind]
    sub_type = np.asarray([t[1] for t in _ACLED_TYPES], dtype=object)[kind]
    actor1 = _pick(rng, spec.side_a, n)
    actor2 = _pick(rng, spec.side_b, n)
    actor2 = np.where(actor1 == actor2, "", actor2)
    country = np.asarray([t[1] for t in spec.towns], dtype=object)[town]
    names = np.asarray([t[0] for t in spec.towns], dtype=object)[town]
    fatalities = rng.poisson(0.8, n)
    s = lambda v: pd.Series(v).astype(str).to_numpy()  # noqa: E731
    code = region[:3].upper()
    frame = pd.DataFrame(
        {
            "event_id_cnty": code + s(np.arange(1, n + 1)),
            "event_date": day.strftime("%Y-%m-%d").to_numpy(),
            "year": s(day.year),
            "time_precision": s(rng.choice([1, 1, 1, 2, 3], n)),
            "disorder_type": "Political violence",
            "event_type": event_type,
            "sub_event_type": sub_type,
            "actor1": actor1,
            "assoc_actor_1": "",
            "inter1": "1",
            "actor2": actor2,
            "assoc_actor_2": "",
            "inter2": "2",
            "interaction": "12",
            "civilian_targeting": "",
            "iso": "0",
            "region": "Synthetic",
            "country": country,
            "admin1": names + " oblast",
            "admin2": names + " raion",
            "admin3": "",
            "location": names,
            "latitude": s(lat),
            "longitude": s(lon),
            "geo_precision": s(rng.choice([1, 1, 2, 3], n)),
            "source": "Synthetic Monitor",
            "source_scale": "National",
            "notes": "On " + day.strftime("%d %B %Y").to_numpy() + ", fighting near " + names + ".",
            "fatalities": s(fatalities),
            "tags": "",
            "timestamp": "1735689600",
        }
    )
    return frame[list(ACLED_COLUMNS)]
