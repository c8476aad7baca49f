"""Synthetic, seeded events and control points for benchmarks and tests.

Events cluster around real towns of Syria and the Iraqi border; their factions, event types and
dates follow the bundled ``data/events.csv`` when it exists (else a built-in prior). Everything is
vectorised numpy, so a million events take about a second.

>>> from geo.synth import synthetic_events
>>> events = synthetic_events(1_000, seed=1)
>>> len(events), events.crs.to_epsg()
(1000, 4326)
>>> bool(events["lat"].between(29, 38).all())
True
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.errors import ConfigError, DataFileError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "CONTROL_COLUMNS",
    "EVENT_COLUMNS",
    "Town",
    "default_towns",
    "synthetic_control",
    "synthetic_events",
]

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

EVENT_COLUMNS = (
    "id", "date", "end_date", "date_precision", "place", "lat", "lon", "faction", "faction2",
    "event_type", "sub_event_type", "description", "source", "source_url", "confidence",
    "geo_confidence", "country", "geometry",
)  # fmt: skip
CONTROL_COLUMNS = (
    "place", "faction", "valid_from", "status", "confidence", "source", "note", "lat", "lon",
    "country", "kind", "geometry",
)  # fmt: skip

_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas 3's default "str" dtype
_KM_PER_DEG_LAT = 111.32  # jitter is drawn in km, then converted to degrees (not a measurement)


@dataclass(frozen=True, slots=True)
class Town:
    """A real town events cluster around.

    Examples
    --------
    >>> Town("Homs", lat=34.7241, lon=36.7256, country="SY", weight=3.0).country
    'SY'
    """

    name: str
    lat: float
    lon: float
    country: str
    weight: float = 1.0


# Fallback towns (name, lat, lon, ISO2, weight): GeoNames coordinates, rounded to 4 decimals.
# The weights favour the places of the Nov-Dec 2024 offensive and the Iraq-Syria border.
_FALLBACK_TOWNS: tuple[tuple[str, float, float, str, float], ...] = (
    ("Aleppo", 36.2012, 37.1612, "SY", 8.0),
    ("Damascus", 33.5102, 36.2913, "SY", 8.0),
    ("Homs", 34.7241, 36.7256, "SY", 6.0),
    ("Hama", 35.1318, 36.7578, "SY", 6.0),
    ("Idlib", 35.9306, 36.6339, "SY", 5.0),
    ("Latakia", 35.5313, 35.7909, "SY", 2.0),
    ("Tartus", 34.8890, 35.8866, "SY", 2.0),
    ("Raqqa", 35.9528, 39.0079, "SY", 3.0),
    ("Deir ez-Zor", 35.3359, 40.1408, "SY", 5.0),
    ("Al-Hasakah", 36.5024, 40.7477, "SY", 2.0),
    ("Qamishli", 37.0522, 41.2314, "SY", 2.0),
    ("Manbij", 36.5282, 37.9550, "SY", 5.0),
    ("Al-Bab", 36.3705, 37.5157, "SY", 3.0),
    ("Azaz", 36.5866, 37.0463, "SY", 2.0),
    ("Tell Rifaat", 36.4723, 37.0947, "SY", 4.0),
    ("Nubl", 36.3787, 36.9929, "SY", 2.0),
    ("Saraqib", 35.8645, 36.8059, "SY", 4.0),
    ("Maarat al-Numan", 35.6433, 36.6738, "SY", 3.0),
    ("Khan Shaykhun", 35.4416, 36.6466, "SY", 3.0),
    ("Morek", 35.3762, 36.6897, "SY", 2.0),
    ("Jisr al-Shughur", 35.8142, 36.3198, "SY", 1.0),
    ("Al-Safira", 36.0770, 37.3725, "SY", 2.0),
    ("Salamiyah", 35.0113, 37.0532, "SY", 2.0),
    ("Al-Rastan", 34.9267, 36.7324, "SY", 3.0),
    ("Al-Qusayr", 34.5078, 36.5803, "SY", 1.0),
    ("Palmyra", 34.5624, 38.2840, "SY", 3.0),
    ("Al-Sukhnah", 34.8853, 38.8711, "SY", 1.0),
    ("Al-Qaryatayn", 34.2296, 37.2407, "SY", 1.0),
    ("Al-Nabk", 34.0240, 36.7285, "SY", 1.0),
    ("Douma", 33.5718, 36.4027, "SY", 2.0),
    ("Daraa", 32.6189, 36.1021, "SY", 4.0),
    ("Izra", 32.8671, 36.2507, "SY", 1.0),
    ("Bosra", 32.5174, 36.4816, "SY", 1.0),
    ("As-Suwayda", 32.7090, 36.5695, "SY", 3.0),
    ("Quneitra", 33.1256, 35.8244, "SY", 1.0),
    ("Jableh", 35.3621, 35.9276, "SY", 1.0),
    ("Al-Tabqa", 35.8376, 38.5483, "SY", 2.0),
    ("Kobani", 36.8910, 38.3540, "SY", 2.0),
    ("Tell Abyad", 36.6965, 38.9538, "SY", 1.0),
    ("Ras al-Ain", 36.8503, 40.0706, "SY", 1.0),
    ("Tell Tamr", 36.6556, 40.3708, "SY", 1.0),
    ("Al-Mayadin", 35.0198, 40.4515, "SY", 3.0),
    ("Hajin", 34.6951, 40.8314, "SY", 1.0),
    ("Al-Bukamal", 34.4523, 40.9185, "SY", 5.0),
    ("Al-Qaim", 34.3925, 40.9895, "IQ", 5.0),
    ("Anah", 34.3686, 41.9819, "IQ", 1.0),
    ("Ramadi", 33.4206, 43.3078, "IQ", 1.0),
    ("Sinjar", 36.3209, 41.8764, "IQ", 2.0),
    ("Tal Afar", 36.3791, 42.4481, "IQ", 1.0),
    ("Rabia", 36.8017, 42.0997, "IQ", 2.0),
    ("Mosul", 36.3350, 43.1189, "IQ", 1.0),
    ("Zakho", 37.1487, 42.6859, "IQ", 1.0),
    ("Erbil", 36.1912, 44.0094, "IQ", 1.0),
    ("Al-Rutbah", 33.0381, 40.2848, "IQ", 1.0),
)

# Fallback priors when data/events.csv is missing: faction ids and (event_type, sub_event_type).
_FALLBACK_FACTIONS: tuple[tuple[str, float], ...] = (
    ("hts", 0.30), ("gov", 0.25), ("sna", 0.12), ("sdf", 0.12), ("south", 0.06),
    ("isis", 0.03), ("iraq", 0.05), ("israel", 0.03), ("turkey", 0.02), ("coalition", 0.02),
)  # fmt: skip
_FALLBACK_TYPES: tuple[tuple[str, str, float], ...] = (
    ("Battles", "Armed clash", 0.30),
    ("Battles", "Non-state actor overtakes territory", 0.12),
    ("Battles", "Government regains territory", 0.03),
    ("Explosions/Remote violence", "Air/drone strike", 0.20),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.10),
    ("Violence against civilians", "Attack", 0.04),
    ("Protests", "Peaceful protest", 0.04),
    ("Riots", "Mob violence", 0.01),
    ("Strategic developments", "Non-violent transfer of territory", 0.08),
    ("Strategic developments", "Headquarters or base established", 0.03),
    ("Strategic developments", "Other", 0.05),
)
_DEFAULT_START = pd.Timestamp("2024-11-27")
_DEFAULT_END = pd.Timestamp("2024-12-15")


@dataclass(frozen=True, slots=True)
class _Priors:
    factions: tuple[np.ndarray, np.ndarray]  # ids, probabilities
    faction2: tuple[np.ndarray, np.ndarray]  # ids ("" = none), probabilities
    types: tuple[np.ndarray, np.ndarray, np.ndarray]  # event_type, sub_event_type, probabilities
    dates: tuple[np.ndarray, np.ndarray]  # datetime64[D] days, probabilities


def _categorical(values: np.ndarray, codes: np.ndarray) -> pd.Series:
    """A "str" Series of ``values[codes]`` without building a million Python strings."""
    import pyarrow as pa

    dictionary = pa.DictionaryArray.from_arrays(
        pa.array(codes.astype(np.int32)), pa.array([str(v) for v in values], type=pa.string())
    )
    return pd.Series(pd.array(dictionary.cast(pa.large_string()), dtype=_STR), copy=False)


def _normal_probabilities(weights: np.ndarray) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum()


def _read_events_csv(data_dir: Path) -> pd.DataFrame | None:
    path = data_dir / "events.csv"
    if not path.exists():
        log.debug("no %s: synthetic events use the built-in priors", path)
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise DataFileError(f"cannot read {path} for synthetic priors: {err}") from err
    return frame if len(frame) else None


def _value_priors(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    counts = column.fillna("").astype(str).str.strip().value_counts()
    return counts.index.to_numpy(dtype=object), _normal_probabilities(counts.to_numpy())


def _priors(data_dir: Path) -> _Priors:
    frame = _read_events_csv(data_dir)
    fallback_factions = (
        np.array([f for f, _ in _FALLBACK_FACTIONS], dtype=object),
        _normal_probabilities(np.array([p for _, p in _FALLBACK_FACTIONS])),
    )
    fallback_types = (
        np.array([t for t, _, _ in _FALLBACK_TYPES], dtype=object),
        np.array([s for _, s, _ in _FALLBACK_TYPES], dtype=object),
        _normal_probabilities(np.array([p for _, _, p in _FALLBACK_TYPES])),
    )
    days = np.arange(
        _DEFAULT_START.to_datetime64().astype("datetime64[D]"),
        (_DEFAULT_END + pd.Timedelta(days=1)).to_datetime64().astype("datetime64[D]"),
    )
    fallback_dates = (days, np.full(len(days), 1 / len(days)))
    if frame is None:
        none2 = (np.array([""], dtype=object), np.array([1.0]))
        return _Priors(fallback_factions, none2, fallback_types, fallback_dates)

    factions = _value_priors(frame["faction"]) if "faction" in frame else fallback_factions
    factions = fallback_factions if not len(factions[0]) else factions
    faction2 = (
        _value_priors(frame["faction2"])
        if "faction2" in frame
        else (np.array([""], dtype=object), np.array([1.0]))
    )
    if {"event_type", "sub_event_type"} <= set(frame.columns):
        pairs = frame.groupby(["event_type", "sub_event_type"], sort=True).size()
        types = (
            pairs.index.get_level_values(0).to_numpy(dtype=object),
            pairs.index.get_level_values(1).to_numpy(dtype=object),
            _normal_probabilities(pairs.to_numpy()),
        )
    else:
        types = fallback_types
    parsed = pd.to_datetime(frame.get("date"), errors="coerce", format="mixed").dropna()
    if len(parsed):
        day_counts = parsed.dt.floor("D").value_counts().sort_index()
        dates = (
            day_counts.index.to_numpy().astype("datetime64[D]"),
            _normal_probabilities(day_counts.to_numpy()),
        )
    else:
        dates = fallback_dates
    return _Priors(factions, faction2, types, dates)


def default_towns(*, data_dir: Path | None = None) -> tuple[Town, ...]:
    """The towns synthetic events cluster around.

    The built-in list of real Syrian and Iraqi border towns, plus every point place of
    ``data/places.csv`` with coordinates; a town's weight grows with the number of bundled events
    reported there.

    Examples
    --------
    >>> towns = default_towns()
    >>> any(t.name == "Al-Qaim" and t.country == "IQ" for t in towns)
    True
    """
    data_dir = DATA_DIR if data_dir is None else Path(data_dir)
    towns = {
        name.casefold(): Town(name, lat, lon, cc, w) for name, lat, lon, cc, w in _FALLBACK_TOWNS
    }
    places_path = data_dir / "places.csv"
    if places_path.exists():
        try:
            places = pd.read_csv(
                places_path, dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
            raise DataFileError(f"cannot read {places_path} for synthetic towns: {err}") from err
        if {"name", "lat", "lon"} <= set(places.columns):
            lat = pd.to_numeric(places["lat"], errors="coerce")
            lon = pd.to_numeric(places["lon"], errors="coerce")
            kind = places.get("kind", pd.Series("", index=places.index)).str.casefold()
            country = places.get("country", pd.Series("", index=places.index))
            usable = lat.notna() & lon.notna() & ~kind.isin(["region", "governorate", "country"])
            for name, la, lo, cc in zip(
                places.loc[usable, "name"], lat[usable], lon[usable], country[usable], strict=True
            ):
                towns.setdefault(name.casefold(), Town(name, float(la), float(lo), cc or "SY"))
    frame = _read_events_csv(data_dir)
    if frame is not None and "place" in frame:
        counts = frame["place"].str.casefold().value_counts()
        towns = {
            key: Town(t.name, t.lat, t.lon, t.country, t.weight + float(counts.get(key, 0)))
            for key, t in towns.items()
        }
    return tuple(towns.values())


def _check_n(n: int, what: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise ConfigError(f"{what} must be a non-negative integer, got {n!r}")


def _day_window(
    days: np.ndarray, probabilities: np.ndarray, start: object, end: object
) -> tuple[np.ndarray, np.ndarray]:
    try:
        first = pd.Timestamp(start) if start is not None else pd.Timestamp(days.min())
        last = pd.Timestamp(end) if end is not None else pd.Timestamp(days.max())
    except (ValueError, TypeError) as err:
        raise ConfigError(f"bad date window start={start!r} end={end!r}: {err}") from err
    if last < first:
        raise ConfigError(f"end {end!r} is before start {start!r}")
    window = np.arange(
        first.to_datetime64().astype("datetime64[D]"),
        last.to_datetime64().astype("datetime64[D]") + np.timedelta64(1, "D"),
    )
    # Keep the bundled data's shape inside the window; days without bundled events get a floor.
    lookup = dict(zip(days.tolist(), probabilities.tolist(), strict=True))
    floor = 0.2 * (probabilities.min() if len(probabilities) else 1.0)
    weights = np.array([lookup.get(day, floor) for day in window.tolist()], dtype=float)
    return window, _normal_probabilities(weights)


def synthetic_events(
    n: int,
    *,
    seed: int = 0,
    factions: Sequence[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    data_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """``n`` seeded synthetic events in the shared ``events`` schema (EPSG:4326).

    Parameters
    ----------
    n : int
        Number of events (0 gives an empty frame with every column).
    seed : int
        Seed of the random generator: the same seed gives the same frame.
    factions : sequence of str, optional
        Restrict actors to these faction ids (equally likely among themselves, in the proportions
        of the bundled data when they occur there). Default: as in the bundled data.
    start, end : date-like, optional
        Inclusive event window. Default: the bundled data's range (27 Nov - 15 Dec 2024).
    data_dir : Path, optional
        Where ``events.csv`` and ``places.csv`` are read for the priors. Default: ``data/``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`EVENT_COLUMNS`; ids ``syn-0000000``...; ``source`` is ``synthetic``.

    Examples
    --------
    >>> e = synthetic_events(50, seed=3, factions=["sdf"], start="2024-12-01", end="2024-12-02")
    >>> sorted(e["faction"].unique()), str(e["date"].min().date()), str(e["date"].max().date())
    (['sdf'], '2024-12-01', '2024-12-02')
    """
    import geopandas as gpd
    import pyarrow as pa
    import pyarrow.compute as pc

    _check_n(n, "n")
    data_dir = DATA_DIR if data_dir is None else Path(data_dir)
    priors = _priors(data_dir)
    towns = default_towns(data_dir=data_dir)
    rng = np.random.default_rng(seed)

    faction_ids, faction_p = priors.factions
    if factions is not None:
        wanted = [str(f) for f in factions]
        if not wanted:
            raise ConfigError("factions must name at least one faction id, got an empty list")
        known = dict(zip(faction_ids.tolist(), faction_p.tolist(), strict=True))
        faction_ids = np.array(wanted, dtype=object)
        faction_p = _normal_probabilities([known.get(f, 1.0 / len(wanted)) for f in wanted])
    days, day_p = _day_window(*priors.dates, start, end)

    town_names = np.array([t.name for t in towns], dtype=object)
    town_lat = np.array([t.lat for t in towns])
    town_lon = np.array([t.lon for t in towns])
    town_cc = np.array([t.country for t in towns], dtype=object)
    town_i = rng.choice(len(towns), size=n, p=_normal_probabilities([t.weight for t in towns]))
    # Jitter in km around the town (most within ~10 km), converted to degrees here.
    radius_km = rng.gamma(shape=1.5, scale=3.0, size=n)
    bearing = rng.uniform(0.0, 2 * np.pi, size=n)
    lat = town_lat[town_i] + radius_km * np.cos(bearing) / _KM_PER_DEG_LAT
    lon = town_lon[town_i] + radius_km * np.sin(bearing) / (
        _KM_PER_DEG_LAT * np.cos(np.radians(town_lat[town_i]))
    )

    faction_i = rng.choice(len(faction_ids), size=n, p=faction_p)
    faction2_i = rng.choice(len(priors.faction2[0]), size=n, p=priors.faction2[1])
    event_types, sub_types, type_p = priors.types
    type_i = rng.choice(len(event_types), size=n, p=type_p)
    day = days[rng.choice(len(days), size=n, p=day_p)].astype("datetime64[ns]")
    span = np.where(rng.random(n) < 0.1, rng.integers(1, 4, size=n), 0).astype("timedelta64[D]")
    end_date = np.where(span > np.timedelta64(0, "D"), day + span, np.datetime64("NaT", "ns"))

    # Descriptions: one string per (sub-event type, town) pair, then indexed by code.
    pair_text = np.array(
        [f"Synthetic {s.lower()} near {t}" for s in sub_types for t in town_names], dtype=object
    )
    ids = pc.binary_join_element_wise(
        "syn-", pc.utf8_lpad(pc.cast(pa.array(np.arange(n)), pa.string()), 7, "0"), ""
    )
    frame = pd.DataFrame(
        {
            "id": pd.Series(pd.array(ids.cast(pa.large_string()), dtype=_STR), copy=False),
            "date": pd.Series(day, dtype="datetime64[ns]"),
            "end_date": pd.Series(end_date, dtype="datetime64[ns]"),
            "date_precision": pd.Series(np.ones(n, dtype=np.int8), dtype="int8"),
            "place": _categorical(town_names, town_i),
            "lat": lat,
            "lon": lon,
            "faction": _categorical(faction_ids, faction_i),
            "faction2": _categorical(priors.faction2[0], faction2_i),
            "event_type": _categorical(event_types, type_i),
            "sub_event_type": _categorical(sub_types, type_i),
            "description": _categorical(pair_text, type_i * len(town_names) + town_i),
            "source": _categorical(np.array(["synthetic"], dtype=object), np.zeros(n, int)),
            "source_url": _categorical(np.array([""], dtype=object), np.zeros(n, int)),
            "confidence": np.round(rng.beta(6.0, 2.0, size=n), 2),
            "geo_confidence": np.round(rng.beta(8.0, 1.5, size=n), 2),
            "country": _categorical(town_cc, town_i),
        }
    )
    # shapely/GeoJSON order is (lon, lat): x is longitude.
    geometry = gpd.points_from_xy(lon, lat, crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


# Who holds what, roughly, in late Nov 2024 (lat, lon, faction id): control points take the
# faction of the nearest anchor, so that areas are contiguous and frontlines exist.
_CONTROL_ANCHORS: tuple[tuple[float, float, str], ...] = (
    (35.93, 36.63, "hts"), (36.20, 36.85, "hts"), (35.80, 36.30, "hts"),
    (36.59, 37.05, "sna"), (36.37, 37.52, "sna"), (36.70, 38.95, "sna"), (36.85, 40.07, "sna"),
    (36.20, 37.16, "gov"), (35.13, 36.76, "gov"), (34.72, 36.73, "gov"), (33.51, 36.29, "gov"),
    (35.53, 35.79, "gov"), (34.56, 38.28, "gov"), (35.00, 40.40, "gov"), (34.45, 40.92, "gov"),
    (32.62, 36.10, "south"), (32.71, 36.57, "south"),
    (36.53, 37.95, "sdf"), (35.95, 39.01, "sdf"), (36.50, 40.75, "sdf"), (37.05, 41.23, "sdf"),
    (35.40, 40.20, "sdf"), (36.89, 38.35, "sdf"),
    (34.39, 40.99, "iraq"), (33.42, 43.31, "iraq"), (36.34, 43.12, "iraq"), (36.32, 41.88, "iraq"),
    (36.19, 44.01, "krg"), (37.15, 42.69, "krg"),
)  # fmt: skip


_CONTROL_COUNTRIES = ("SY", "IQ")


def _points_inside(
    towns: Sequence[Town], n_points: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``n_points`` points scattered around ``towns`` and inside Syria or Iraq.

    Returns the town index, lat, lon and the ISO2 code of the country each point lies in.
    Points are drawn in rounds and those outside both countries (the sea, Turkey, Jordan...)
    are drawn again, so every control point can claim territory.
    """
    import shapely

    from geo.borders import country_shapes

    shapes = country_shapes(list(_CONTROL_COUNTRIES))
    town_lat = np.array([t.lat for t in towns])
    town_lon = np.array([t.lon for t in towns])
    kept_town, kept_lat, kept_lon, kept_cc = [], [], [], []
    missing = n_points
    for _ in range(50):
        if missing <= 0:
            break
        size = int(missing * 1.3) + 8
        town_i = rng.choice(len(towns), size=size)
        radius_km = rng.gamma(shape=2.0, scale=10.0, size=size)
        bearing = rng.uniform(0.0, 2 * np.pi, size=size)
        # km -> degrees, only to place the points.
        lat = town_lat[town_i] + radius_km * np.cos(bearing) / _KM_PER_DEG_LAT
        lon = town_lon[town_i] + radius_km * np.sin(bearing) / (
            _KM_PER_DEG_LAT * np.cos(np.radians(town_lat[town_i]))
        )
        cc = np.full(size, "", dtype=object)
        for code, shape in zip(shapes["iso2"], shapes.geometry, strict=True):
            cc[shapely.contains_xy(shape, lon, lat)] = code  # x is longitude
        inside = np.flatnonzero(cc != "")[:missing]
        kept_town.append(town_i[inside])
        kept_lat.append(lat[inside])
        kept_lon.append(lon[inside])
        kept_cc.append(cc[inside])
        missing -= len(inside)
    if missing > 0:
        raise ConfigError(f"could not place {n_points} control points inside Syria and Iraq")
    return tuple(np.concatenate(parts) for parts in (kept_town, kept_lat, kept_lon, kept_cc))


def synthetic_control(
    n_points: int,
    *,
    seed: int = 0,
    date: str | pd.Timestamp = "2024-11-26",
    changes: float = 0.0,
    change_days: int = 30,
    data_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """``n_points`` seeded control claims in the shared ``control`` schema, all valid on ``date``.

    Points scatter around the Syrian and Iraqi towns of :func:`default_towns` (a few tens of km,
    redrawn until they fall inside Syria or Iraq, whose code ``country`` holds) and take the
    faction of the nearest of a fixed set of anchors, so that factions hold contiguous areas and
    frontlines exist between them. Place names are unique (``syn-00000 near Homs``).

    Parameters
    ----------
    n_points : int
        Number of places, each with one baseline claim valid from a day up to 60 days before
        ``date``.
    seed : int
        Seed of the random generator.
    date : date-like
        The day on which every baseline claim is in force.
    changes : float
        Fraction of the places that then change hands: one extra row each, valid from a day in
        ``date + 1 .. date + change_days``, for the faction of the next-nearest anchor (so a
        30-day area series sees territory move). 0 (the default) adds no rows.
    change_days : int
        Length of the period in which the changes happen.
    data_dir : Path, optional
        Where ``places.csv`` and ``events.csv`` are read for the towns. Default: ``data/``.

    Examples
    --------
    >>> control = synthetic_control(200, seed=2)
    >>> len(control), control["place"].is_unique, set(control["status"]) <= {"held", "contested"}
    (200, True, True)
    >>> later = synthetic_control(200, seed=2, changes=0.1)
    >>> len(later), int((later["valid_from"] > pd.Timestamp("2024-11-26")).sum())
    (220, 20)
    """
    import geopandas as gpd

    _check_n(n_points, "n_points")
    if not 0.0 <= changes <= 1.0:
        raise ConfigError(f"changes must be a fraction in 0..1, got {changes!r}")
    _check_n(change_days, "change_days")
    try:
        day = pd.Timestamp(date).normalize()
    except (ValueError, TypeError) as err:
        raise ConfigError(f"bad control date {date!r}: {err}") from err
    towns = tuple(t for t in default_towns(data_dir=data_dir) if t.country in _CONTROL_COUNTRIES)
    rng = np.random.default_rng(seed)
    town_i, lat, lon, country = _points_inside(towns, n_points, rng)

    anchors = np.array([(a[0], a[1]) for a in _CONTROL_ANCHORS])
    anchor_faction = np.array(sorted({a[2] for a in _CONTROL_ANCHORS}), dtype=object)
    anchor_code = np.searchsorted(anchor_faction, [a[2] for a in _CONTROL_ANCHORS])
    d2 = (lat[:, None] - anchors[None, :, 0]) ** 2 + (
        (lon[:, None] - anchors[None, :, 1]) * np.cos(np.radians(lat[:, None]))
    ) ** 2
    order = np.argsort(d2, axis=1)
    faction_i = anchor_code[order[:, 0]]
    # The nearest anchor of another faction: who takes the place if it changes hands.
    other = anchor_code[order]
    rival_i = other[np.arange(n_points), np.argmax(other != faction_i[:, None], axis=1)]
    names = np.array([t.name for t in towns], dtype=object)[town_i]
    place = np.array([f"syn-{i:05d} near {name}" for i, name in enumerate(names)], dtype=object)
    valid_from = day.to_datetime64() - rng.integers(0, 60, size=n_points).astype("timedelta64[D]")
    status = np.where(rng.random(n_points) < 0.05, "contested", "held").astype(object)

    n_changes = round(changes * n_points)
    moved = rng.choice(n_points, size=n_changes, replace=False)
    rows = np.concatenate([np.arange(n_points), moved])
    factions_i = np.concatenate([faction_i, rival_i[moved]])
    change_days_i = rng.integers(1, max(change_days, 1) + 1, size=n_changes)
    change_from = day.to_datetime64() + change_days_i.astype("timedelta64[D]")
    valid_from = np.concatenate([valid_from, change_from])
    status = np.concatenate([status, np.full(n_changes, "held", dtype=object)])
    n_rows = len(rows)
    frame = pd.DataFrame(
        {
            "place": pd.Series(place[rows], dtype=_STR),
            "faction": _categorical(anchor_faction, factions_i),
            "valid_from": pd.Series(valid_from.astype("datetime64[ns]"), dtype="datetime64[ns]"),
            "status": pd.Series(status, dtype=_STR),
            "confidence": np.round(rng.beta(6.0, 2.0, size=n_rows), 2),
            "source": _categorical(np.array(["synthetic"], dtype=object), np.zeros(n_rows, int)),
            "note": _categorical(np.array([""], dtype=object), np.zeros(n_rows, int)),
            "lat": lat[rows],
            "lon": lon[rows],
            "country": pd.Series(country[rows].astype(str), dtype=_STR),
            "kind": _categorical(np.array(["town"], dtype=object), np.zeros(n_rows, int)),
        }
    )
    # shapely/GeoJSON order is (lon, lat): x is longitude.
    geometry = gpd.points_from_xy(lon[rows], lat[rows])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
