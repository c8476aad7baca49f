"""Rank the world gazetteer's places for one mention, with the whole document as context.

A mention abroad ("Springfield", "Dublin", "Ohio", "Tripoli") usually names several places of
:mod:`geo.places.world`. Each candidate row gets a score from what the document says:

- its prominence: population (log scale), a capital, or its kind (a first-level division,
  a county, a region, a continent, a feature or a demonym is what a bare name most often means);
- the countries the document names (country names, "U.S.", demonyms): strong support, and the
  countries of its other places: weak support;
- containment: "Springfield, Ohio", "Paris, Texas", "Karak, Jordan" -- the division or country
  that follows the name after a comma;
- the nearest of the document's other places (within a few hundred km);
- a feature word that names a division ("Karak district", "Basra province").

The best row wins; its confidence falls with the margin over the best rival farther than
50 km, and the rivals within reach of it are listed, so that an ambiguous name stays
ambiguous rather than confidently wrong.

>>> from geo.places.world import load_world
>>> from geo.places.normalize import normalize_name
>>> world = load_world()
>>> rows = world.rows(normalize_name("Springfield"))
>>> ohio = frozenset(world.admin1[world.rows(normalize_name("Ohio"))].tolist())
>>> best = rank(world, rows, Context(within=ohio))
>>> str(world.admin1[best.row])
'US.OH'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geo.places.world import WorldGazetteer, spelled

__all__ = ["AREA_KINDS", "Context", "Ranked", "label", "rank", "spelled"]

#: Kinds a bare name most often means when it is one of them.
AREA_KINDS = frozenset({"continent", "macro_region", "region", "feature", "demonym"})
_EARTH_RADIUS_KM = 6371.0088
_RIVAL_KM = 50.0  # rows closer than this are one place (a town and its division's centre)
_REGION_OF_INTEREST = frozenset({"SY", "IQ", "TR", "JO", "LB", "IL", "PS", "IR", "SA"})
_KIND_PRIOR = {"admin1": 0.55, "county": 0.5, "demonym": 0.8, "continent": 0.8,
               "macro_region": 0.75, "region": 0.7, "feature": 0.7}  # fmt: skip


@dataclass(frozen=True)
class Context:
    """What the document says around one mention.

    ``named``: ISO2 codes of countries the document names (or their demonyms); ``inferred``:
    countries of its other resolved places; ``placed``: the same, of its towns and divisions
    only (not countries or demonyms); ``points``: (lat, lon) of its other confident
    places; ``within``: admin1 codes (``"US.OH"``) or ISO2 codes that follow the mention after
    a comma; ``division``: whether a feature word names a division ("Karak district");
    ``spelled``: the mention's letters in lower-case ASCII (:func:`spelled`).
    """

    named: frozenset[str] = frozenset()
    inferred: frozenset[str] = frozenset()
    points: Any = ()  # (lat, lon) pairs: a sequence or an (n, 2) array
    within: frozenset[str] = frozenset()
    placed: frozenset[str] = frozenset()
    division: bool = False
    spelled: str = ""


@dataclass(frozen=True)
class Ranked:
    """The best row, its confidence, whether context supported it, the rivals' labels, and
    the margin of its score over the best far rival (infinite when there is none)."""

    row: int
    confidence: float
    supported: bool
    rivals: tuple[str, ...] = field(default=())
    margin: float = float("inf")  # score over the best rival farther than 50 km
    anchored: bool = False  # its country is named, or it is followed by its container


def _member(values: np.ndarray, wanted: frozenset[str]) -> np.ndarray:
    """``values[i] in wanted`` per item (a few values: faster than np.isin on objects)."""
    if not wanted:
        return np.zeros(len(values), dtype=bool)
    return np.fromiter((v in wanted for v in values.tolist()), dtype=bool, count=len(values))


def _km(lat: Any, lon: Any, lat0: Any, lon0: Any) -> np.ndarray:
    """Great-circle km between points (degrees; arguments broadcast like numpy arrays)."""
    p1, p2 = np.radians(lat), np.radians(lat0)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon0 - lon) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _only(world: WorldGazetteer, row: int, context: Context) -> Ranked:
    country, admin1 = world.country[row], world.admin1[row]
    anchored = country in context.named or bool({country, admin1} & context.within)
    supported = anchored
    points = np.asarray(context.points, dtype=float).reshape(-1, 2)
    if not supported and points.size:
        near = _km(points[:, 0], points[:, 1], float(world.lat[row]), float(world.lon[row]))
        supported = bool(near.min() < 300.0)
    town = world.kind[row] in ("city", "town") and world.population[row] < 15_000
    return Ranked(row, 0.8 if town else 0.9, supported, anchored=anchored)


def label(world: WorldGazetteer, row: int) -> str:
    """A row as a reader tells places apart: "Springfield (US.IL, town)"."""
    where = world.admin1[row] or world.country[row] or "-"
    return f"{world.name[row]} ({where}, {world.kind[row]})"


def rank(world: WorldGazetteer, rows: np.ndarray, context: Context) -> Ranked:
    """Return the best of ``rows`` for a mention in ``context`` (``rows`` must not be empty)."""
    if rows.size == 1:  # nothing to weigh: only whether the document supports it
        return _only(world, int(rows[0]), context)
    kind = world.kind[rows]
    country = world.country[rows]
    admin1 = world.admin1[rows]
    pop = world.population[rows].astype(float)
    lat, lon = world.lat[rows], world.lon[rows]
    towns = (kind == "city") | (kind == "town")
    capital = world.is_capital[rows]
    prominence = np.clip((np.log10(pop + 1.0) - 3.0) / 4.0, 0.0, 1.0)
    score = np.where(towns, 0.5 * prominence + 0.5 * capital, 0.0)
    if context.spelled:  # its own name letter for letter: "Homs" is Homs before Al Khums
        own = world.spelled[rows] == context.spelled
        score += 0.15 * own
    score += np.fromiter((_KIND_PRIOR.get(k, 0.0) for k in kind.tolist()), float, len(kind))
    named = _member(country, context.named)
    inferred = _member(country, context.inferred)
    within = _member(admin1, context.within) | _member(country, context.within)
    within &= kind != "admin1"  # "Ohio, US": the state is the container, not the contained
    score += 0.45 * named + 0.15 * (inferred & ~named) + 1.0 * within
    score += 0.1 * _member(country, _REGION_OF_INTEREST)
    if context.division:
        score += 0.5 * (kind == "admin1") + 0.3 * (kind == "region")
    near = np.zeros(rows.size)
    points = np.asarray(context.points, dtype=float).reshape(-1, 2)  # (lat, lon) rows
    if points.size:
        near = _km(lat[:, None], lon[:, None], points[None, :, 0], points[None, :, 1]).min(axis=1)
        score += 0.3 * np.exp(-near / 200.0)
    best = int(np.argmax(score))
    anchored = bool(named[best] or within[best])
    supported = bool(anchored or (points.size and near[best] < 300.0))
    far = _km(lat, lon, float(lat[best]), float(lon[best])) > _RIVAL_KM
    if not far.any():
        confidence = 0.9 if not towns[best] or pop[best] >= 15_000 else 0.8
        return Ranked(int(rows[best]), confidence, supported, anchored=anchored)
    margin = float(score[best] - score[far].max())
    confidence = 0.5 + 0.45 * min(1.0, max(margin, 0.0) / 0.4)
    close = np.flatnonzero(far & (score >= score[best] - 0.4))
    close = close[np.argsort(-score[close])][:5]
    rivals = tuple(label(world, int(rows[i])) for i in close) if confidence < 0.8 else ()
    return Ranked(int(rows[best]), round(confidence, 3), supported, rivals, margin, anchored)
