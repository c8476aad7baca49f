"""What synthetic data is drawn from: real towns and the shape of the bundled events.

The towns are a built-in list of real Syrian and Iraqi border towns plus the point places of
``data/places.csv``; factions, event types and days follow ``data/events.csv`` when it exists
(else built-in priors).

>>> p = priors(DATA_DIR / "nonexistent")
>>> round(float(p.factions[1].sum()), 6), str(p.dates[0][0])
(1.0, '2024-11-27')
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import DataFileError
from geo.places.gazetteer import read_places_table
from geo.schema import DATA_DIR

__all__ = [
    "DEFAULT_END",
    "DEFAULT_START",
    "Priors",
    "Town",
    "default_towns",
    "normal_probabilities",
    "priors",
]

log = logging.getLogger(__name__)


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
DEFAULT_START = pd.Timestamp("2024-11-27")
"""First day of synthetic events without bundled data."""
DEFAULT_END = pd.Timestamp("2024-12-15")
"""Last day of synthetic events without bundled data."""


@dataclass(frozen=True, slots=True)
class Priors:
    """Distributions to draw synthetic events from: values and their probabilities."""

    factions: tuple[np.ndarray, np.ndarray]  # ids, probabilities
    faction2: tuple[np.ndarray, np.ndarray]  # ids ("" = none), probabilities
    types: tuple[np.ndarray, np.ndarray, np.ndarray]  # event_type, sub_event_type, probabilities
    dates: tuple[np.ndarray, np.ndarray]  # datetime64[D] days, probabilities


def normal_probabilities(weights: np.ndarray) -> np.ndarray:
    """``weights`` scaled to sum to 1."""
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
    return counts.index.to_numpy(dtype=object), normal_probabilities(counts.to_numpy())


def priors(data_dir: Path) -> Priors:
    """Factions, event types and days as often as ``data/events.csv`` has them (else built-in)."""
    frame = _read_events_csv(data_dir)
    fallback_factions = (
        np.array([f for f, _ in _FALLBACK_FACTIONS], dtype=object),
        normal_probabilities(np.array([p for _, p in _FALLBACK_FACTIONS])),
    )
    fallback_types = (
        np.array([t for t, _, _ in _FALLBACK_TYPES], dtype=object),
        np.array([s for _, s, _ in _FALLBACK_TYPES], dtype=object),
        normal_probabilities(np.array([p for _, _, p in _FALLBACK_TYPES])),
    )
    days = np.arange(
        DEFAULT_START.to_datetime64().astype("datetime64[D]"),
        (DEFAULT_END + pd.Timedelta(days=1)).to_datetime64().astype("datetime64[D]"),
    )
    fallback_dates = (days, np.full(len(days), 1 / len(days)))
    if frame is None:
        none2 = (np.array([""], dtype=object), np.array([1.0]))
        return Priors(fallback_factions, none2, fallback_types, fallback_dates)

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
            normal_probabilities(pairs.to_numpy()),
        )
    else:
        types = fallback_types
    parsed = pd.to_datetime(frame.get("date"), errors="coerce", format="mixed").dropna()
    if len(parsed):
        day_counts = parsed.dt.floor("D").value_counts().sort_index()
        dates = (
            day_counts.index.to_numpy().astype("datetime64[D]"),
            normal_probabilities(day_counts.to_numpy()),
        )
    else:
        dates = fallback_dates
    return Priors(factions, faction2, types, dates)


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
        places = read_places_table(places_path)
        usable = ~places["kind"].isin(["region", "governorate", "country"])
        for name, la, lo, cc in places.loc[usable, ["name", "lat", "lon", "country"]].itertuples(
            index=False
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
