"""Shared pieces of the geoparsing tests and bench: our own article texts, gold, scoring.

The gold files under ``tests/fixtures/articles/`` are our own writing: a paraphrase of the seed
article (same facts and place mentions, none of its sentences) and short wire-style paragraphs.
Each gold place has ``text, start, end, name, lat, lon, country, kind`` and, for areas
(provinces, regions, "northern Aleppo"), a wider ``tolerance_km``; points use 10 km.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
from pathlib import Path
from typing import Any

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
POINT_TOLERANCE_KM = 10.0


def sample_text() -> str:
    """Our paraphrase of the seed article."""
    return (ARTICLES / "sample_paraphrase.txt").read_text(encoding="utf-8")


def sample_gold() -> dict[str, Any]:
    """Gold places, factions, dates and events of the paraphrase."""
    return json.loads((ARTICLES / "sample_paraphrase.gold.json").read_text(encoding="utf-8"))


def wire_paragraphs() -> list[dict[str, Any]]:
    """The wire-style paragraphs: ``id, published, text, places``."""
    return json.loads((ARTICLES / "wire_paragraphs.json").read_text(encoding="utf-8"))


def held_out_paragraphs() -> list[dict[str, Any]]:
    """Paragraphs written after the geoparser was built, scored without tuning."""
    return json.loads((ARTICLES / "heldout_paragraphs.json").read_text(encoding="utf-8"))


def published(record: dict[str, Any]) -> datetime.date:
    return datetime.date.fromisoformat(record["published"])


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def place_matches_gold(
    gold: dict[str, Any], *, lat: float | None, lon: float | None, country: str | None
) -> bool:
    """Whether a predicted place is the gold place.

    A gold country is matched by its ISO2 code; any other gold place by distance: within
    ``tolerance_km`` (10 km for points) of the gold coordinates.
    """
    if gold["kind"] == "country":
        return country == gold["country"]
    if lat is None or lon is None:
        return False
    limit = gold.get("tolerance_km", POINT_TOLERANCE_KM)
    return km_between(lat, lon, gold["lat"], gold["lon"]) <= limit


@functools.lru_cache(maxsize=1)
def shared_parser() -> Any:
    """One ArticleParser for the whole test session (loading the gazetteer takes seconds)."""
    from geo.text import ArticleParser

    return ArticleParser()
