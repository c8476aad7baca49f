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
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.dates import as_day
from geo.errors import ConfigError
from geo.schema import CONTROL_SCHEMA, DATA_DIR, EVENT_SCHEMA
from geo.synth.priors import (
    Town,
    default_towns,
    normal_probabilities,
    priors,
)

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

EVENT_COLUMNS = EVENT_SCHEMA
"""Columns of a synthetic events table: the shared ``events`` schema."""
CONTROL_COLUMNS = CONTROL_SCHEMA
"""Columns of a synthetic control table: the shared ``control`` schema."""

_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas 3's default "str" dtype
_KM_PER_DEG_LAT = 111.32  # jitter is drawn in km, then converted to degrees (not a measurement)


def _categorical(values: np.ndarray, codes: np.ndarray) -> pd.Series:
    """A "str" Series of ``values[codes]`` without building a million Python strings."""
    import pyarrow as pa

    dictionary = pa.DictionaryArray.from_arrays(
        pa.array(codes.astype(np.int32)), pa.array([str(v) for v in values], type=pa.string())
    )
    return pd.Series(pd.array(dictionary.cast(pa.large_string()), dtype=_STR), copy=False)


def _moved(
    lat: np.ndarray, lon: np.ndarray, radius_km: np.ndarray, bearing: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) moved ``radius_km`` along ``bearing`` (radians from north), on a flat local
    approximation: km -> degrees only to scatter synthetic points, never to measure."""
    dlat = radius_km * np.cos(bearing) / _KM_PER_DEG_LAT
    dlon = radius_km * np.sin(bearing) / (_KM_PER_DEG_LAT * np.cos(np.radians(lat)))
    return lat + dlat, lon + dlon


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
    return window, normal_probabilities(weights)


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
    prior = priors(data_dir)
    towns = default_towns(data_dir=data_dir)
    rng = np.random.default_rng(seed)

    faction_ids, faction_p = prior.factions
    if factions is not None:
        wanted = [str(f) for f in factions]
        if not wanted:
            raise ConfigError("factions must name at least one faction id, got an empty list")
        known = dict(zip(faction_ids.tolist(), faction_p.tolist(), strict=True))
        faction_ids = np.array(wanted, dtype=object)
        faction_p = normal_probabilities([known.get(f, 1.0 / len(wanted)) for f in wanted])
    days, day_p = _day_window(*prior.dates, start, end)

    town_names = np.array([t.name for t in towns], dtype=object)
    town_lat = np.array([t.lat for t in towns])
    town_lon = np.array([t.lon for t in towns])
    town_cc = np.array([t.country for t in towns], dtype=object)
    town_i = rng.choice(len(towns), size=n, p=normal_probabilities([t.weight for t in towns]))
    # Jitter in km around the town (most within ~10 km), converted to degrees here.
    radius_km = rng.gamma(shape=1.5, scale=3.0, size=n)
    bearing = rng.uniform(0.0, 2 * np.pi, size=n)
    lat, lon = _moved(town_lat[town_i], town_lon[town_i], radius_km, bearing)

    faction_i = rng.choice(len(faction_ids), size=n, p=faction_p)
    faction2_i = rng.choice(len(prior.faction2[0]), size=n, p=prior.faction2[1])
    event_types, sub_types, type_p = prior.types
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
            "faction2": _categorical(prior.faction2[0], faction2_i),
            "event_type": _categorical(event_types, type_i),
            "sub_event_type": _categorical(sub_types, type_i),
            "description": _categorical(pair_text, type_i * len(town_names) + town_i),
            "source": _categorical(np.array(["synthetic"], dtype=object), np.zeros(n, int)),
            "source_url": _categorical(np.array([""], dtype=object), np.zeros(n, int)),
            "claimant": _categorical(np.array([""], dtype=object), np.zeros(n, int)),
            "confidence": np.round(rng.beta(6.0, 2.0, size=n), 2),
            "note": _categorical(np.array([""], dtype=object), np.zeros(n, int)),
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
        lat, lon = _moved(town_lat[town_i], town_lon[town_i], radius_km, bearing)
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
        day = as_day(date)
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
            "source_url": _categorical(np.array([""], dtype=object), np.zeros(n_rows, int)),
            "claimant": _categorical(np.array([""], dtype=object), np.zeros(n_rows, int)),
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
