"""Small hand-made tables for the map tests (our own data, with hostile text on purpose)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: Would set a global flag and open a dialog if any of our code parsed it as HTML.
XSS = '<img src=x onerror="window.__pwned=1;alert(1)">'
SCRIPT_BREAKOUT = "</script><script>window.__pwned=2;alert(2)</script>"

FACTION_COLOURS = {"hts": "#009E73", "gov": "#D55E00", "sdf": "#F0E442"}


def factions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["hts", "gov", "sdf"],
            "name": ["HTS-led opposition", "Government " + XSS, "SDF"],
            "aliases": ["HTS", "SAA", "SDF"],
            "colour": [FACTION_COLOURS["hts"], FACTION_COLOURS["gov"], FACTION_COLOURS["sdf"]],
            "description": ["", "", ""],
        }
    )


def areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "faction": ["hts", "gov", "sdf"],
            "area_km2": [12_000.0, 20_000.0, 30_000.0],
            "uncertain": [False, True, False],
        },
        geometry=[
            shapely.box(36.4, 35.4, 37.4, 36.4),
            shapely.box(36.4, 33.2, 37.8, 35.4),
            shapely.box(39.0, 35.2, 41.0, 36.8),
        ],
        crs="EPSG:4326",
    )


def frontlines() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "factions": [["gov", "hts"]],
            "faction_a": ["gov"],
            "faction_b": ["hts"],
            "length_km": [90.5],
        },
        geometry=[shapely.LineString([(36.4, 35.4), (37.4, 35.4)])],
        crs="EPSG:4326",
    )


def borders() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"countries": [["IQ", "SY"]], "length_km": [599.0]},
        geometry=[shapely.LineString([(42.36, 37.1), (41.2, 34.8), (40.95, 34.4), (38.8, 33.4)])],
        crs="EPSG:4326",
    )


def crossings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Al-Qaim crossing " + XSS],
            "status": ["closed"],
            "held_by": ["iraq"],
            "lat": [34.38],
            "lon": [41.01],
        }
    )


def events() -> pd.DataFrame:
    """Three events: a normal one with a source link, and two carrying script payloads."""
    dates = pd.to_datetime(["2024-12-06", "2024-12-07", "2024-12-08"])
    frame = pd.DataFrame(
        {
            "id": ["ev-homs", "ev-xss", "ev-breakout"],
            "date": dates,
            "end_date": pd.to_datetime([None, None, None]),
            "place": ["Homs", "Al-Bukamal " + XSS, "Deir ez-Zor"],
            "lat": [34.73, 34.45, 35.33],
            "lon": [36.72, 40.92, 40.14],
            "faction": ["hts", "sdf", "gov"],
            "faction2": ["gov", None, "sdf"],
            "event_type": ["Battles", "Strategic developments", "Explosions/Remote violence"],
            "sub_event_type": ["Armed clash", "Non-violent transfer of territory", "Shelling"],
            "description": ["Opposition fighters entered the city.", XSS, SCRIPT_BREAKOUT],
            "source": ["Example Wire", "Source " + XSS, "Other"],
            "source_url": [
                "https://example.org/homs",
                "javascript:alert(3)",
                "https://example.org/dez",
            ],
            "confidence": [0.8, 0.5, 0.65],
            "geo_confidence": [0.9, 0.7, 0.95],
            "country": ["SY", "SY", "SY"],
        }
    )
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )


def many_events(n: int, *, seed: int = 0) -> pd.DataFrame:
    """``n`` random events over Syria/Iraq, built with numpy only (fast at a million rows)."""
    rng = np.random.default_rng(seed)
    kinds = np.array(["Battles", "Explosions/Remote violence", "Riots", "Strategic developments"])
    sides = np.array(["hts", "gov", "sdf"])
    return pd.DataFrame(
        {
            "id": pd.RangeIndex(n).astype("str"),
            "date": pd.Timestamp("2024-11-27") + pd.to_timedelta(rng.integers(0, 19, n), unit="D"),
            "lat": rng.uniform(32.5, 37.0, n),
            "lon": rng.uniform(35.8, 44.0, n),
            "faction": pd.Categorical.from_codes(rng.integers(0, 3, n), categories=sides),
            "event_type": pd.Categorical.from_codes(rng.integers(0, 4, n), categories=kinds),
            "place": "somewhere",
            "description": "synthetic",
        }
    )
