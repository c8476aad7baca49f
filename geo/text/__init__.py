"""Read a news article: place, faction and date mentions, and draft events for review.

:class:`ArticleParser` holds what is expensive to load — the geocoder with its gazetteer, the
world gazetteer (:mod:`geo.places.world`), the country table and the faction alias matcher —
and is reused across articles; :func:`geoparse` is the one-call form. The steps:

1. factions (:mod:`geo.text.factions`) first, so that no faction name is taken for a place;
2. place candidates (:mod:`geo.text.places`), a token n-gram scan over the keys of both
   gazetteers and the country names, plus country abbreviations ("U.S.", "UK", "UAE");
3. resolution with document context, twice (alone, then among the document's other places):
   a country name is the country (or a US state next to US places: "Georgia"); a demonym,
   continent, macro-region or feature is that area; a name our curated Syria/Iraq gazetteer
   places there keeps that reading when the document is about the region or the world agrees
   on the country ("Sinjar" next to "northern Iraq" is the Iraqi town); any other name is
   ranked over the world's namesakes (:mod:`geo.text.resolve`: named countries, "Springfield,
   Ohio", nearby places, population, kind), ambiguous ones with a low confidence and their
   ``candidates``; a small town abroad nothing in the document points to is dropped;
4. dates (:mod:`geo.text.dates`) resolved against the publication date;
5. one draft event per sentence that reports an action (:mod:`geo.text.events`): the faction
   that acts, the ACLED type, the place (the first specific place after the trigger), the date,
   a confidence and the sentence as evidence.

>>> parsed = geoparse("Rebels seized Homs on Saturday.", published=datetime.date(2024, 12, 9))
>>> parsed.places[0].name, parsed.dates[0].date.isoformat()
('Homs', '2024-12-07')
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import Counter
from collections.abc import Container, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from geo.places.normalize import normalize_name, query_keys
from geo.places.world import WorldGazetteer, load_world
from geo.text.countries import Country, country_keys, load_countries
from geo.text.dates import DateMention, find_dates
from geo.text.events import DraftEvent, draft_events
from geo.text.factions import FactionMatcher, FactionMention, load_faction_aliases
from geo.text.places import PlaceCandidate, PlaceMention, PlaceScanner
from geo.text.resolve import AREA_KINDS, Context, Ranked, rank, spelled

__all__ = [
    "ArticleParser",
    "DateMention",
    "DraftEvent",
    "FactionMention",
    "ParsedArticle",
    "PlaceMention",
    "geoparse",
]

logger = logging.getLogger(__name__)

#: Countries every place of the primary theatre belongs to; elsewhere only prominent places
#: (population >= 15,000, capitals) and curated places.csv rows may be found in text.
PRIMARY_COUNTRIES = frozenset({"SY", "IQ"})
_MIN_POPULATION = 15_000
_CONTEXT_MIN_CONFIDENCE = 0.5
_SAME_PLACE_DEG = 0.25  # candidates closer than this (~25 km) are one place for context
_QUALIFIED_FACTOR = 0.85  # "northern Aleppo" is an area around the point, not the point
_FALLBACK_FACTOR = 0.75  # "the X border crossing" placed on the town X
#: Kinds that are no point on the map: never an event's place, never context for others.
_AREA_OUTPUT = AREA_KINDS | {"country", "admin1", "continent"}
_NOT_POINTS = AREA_KINDS | {"country"}
# A ranking this clear is settled: nearby places (+0.3 at most) and their countries (+0.15)
# cannot overturn it in the second pass.
_SETTLED_MARGIN = 0.5
_ABBREVIATION = re.compile(r"(?<![\w.])(?:U\.S\.(?:A\.)?|U\.K\.|U\.A\.E\.|USA|US|UK|UAE)(?!\w)")
_ABBREVIATION_COUNTRY = {"US": "US", "USA": "US", "UK": "GB", "UAE": "AE"}


class _Either:
    """Membership in either of two containers (the regional and the world key prefixes)."""

    def __init__(self, first: Container[str], second: Container[str]) -> None:
        self._first, self._second = first, second

    def __contains__(self, key: object) -> bool:
        return key in self._first or key in self._second


class _Geocoder(Protocol):
    gazetteer: Any

    def geocode(self, name: str, *, context: Any = None) -> Any: ...


@dataclass(frozen=True)
class ParsedArticle:
    """Everything found in one article, each tuple in text order."""

    places: tuple[PlaceMention, ...]
    factions: tuple[FactionMention, ...]
    dates: tuple[DateMention, ...]
    events: tuple[DraftEvent, ...]

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """Return the JSON-ready form: dates as ISO strings, one list per kind of record."""

        def iso(record: Any) -> dict[str, Any]:
            row = asdict(record)
            if isinstance(row.get("date"), datetime.date):
                row["date"] = row["date"].isoformat()
            return row

        return {
            "places": [asdict(p) for p in self.places],
            "factions": [asdict(f) for f in self.factions],
            "dates": [iso(d) for d in self.dates],
            "events": [iso(e) for e in self.events],
        }


def _proper_prefixes(keys: Iterable[str]) -> frozenset[str]:
    """Return the leading word sequences of multi-word keys ("deir" of "deir zur")."""
    out: set[str] = set()
    for key in keys:
        words = key.split(" ")
        out.update(" ".join(words[:k]) for k in range(1, len(words)))
    return frozenset(out)


def _faction_aliases(
    factions: Any,
) -> Mapping[str, Iterable[str]]:
    if factions is None or isinstance(factions, str | Path):
        return load_faction_aliases(factions)
    if isinstance(factions, Mapping):
        return factions
    if hasattr(factions, "itertuples"):  # the factions DataFrame: id, name, aliases, ...
        missing = {"id", "name", "aliases"} - set(factions.columns)
        if missing:
            raise ValueError(f"factions table lacks columns {sorted(missing)}")
        rows = factions[["id", "name", "aliases"]].astype(str).itertuples(index=False)
        return {
            fid: (name, *[a.strip() for a in aliases.split(";")]) for fid, name, aliases in rows
        }
    raise TypeError(f"factions must be a path, a mapping or a DataFrame, got {factions!r}")


class ArticleParser:
    """Parse articles with one loaded geocoder, country table and faction matcher.

    Parameters
    ----------
    geocoder : Geocoder, optional
        A :class:`geo.places.geocode.Geocoder`; by default :func:`geo.places.geocode.load_geocoder` is called.
    factions : path, mapping or DataFrame, optional
        The factions table (``id, name, aliases``) or ``id -> aliases``; default
        ``data/factions.csv``.
    world : WorldGazetteer, optional
        The world gazetteer; by default :func:`geo.places.world.load_world` is called.

    Examples
    --------
    >>> parser = ArticleParser()
    >>> [p.name for p in parser.parse("Fighting in Manbij.").places]
    ['Manbij']
    """

    def __init__(
        self,
        *,
        geocoder: _Geocoder | None = None,
        factions: Any = None,
        world: WorldGazetteer | None = None,
    ) -> None:
        if geocoder is None:
            from geo.places.geocode import load_geocoder  # heavy: only when needed

            geocoder = load_geocoder()
        self.geocoder = geocoder
        self.world = world if world is not None else load_world()
        self._gaz = geocoder.gazetteer
        self.countries: dict[str, Country] = load_countries()
        self.factions = FactionMatcher(_faction_aliases(factions))
        self._usable: dict[str, bool] = {}
        self._ambiguity: dict[tuple[str | None, ...], bool] = {}
        by_country = country_keys(self.countries)
        prefixes = _proper_prefixes([*self._gaz.keys().tolist(), *by_country])
        self.scanner = PlaceScanner(
            keys=self._is_key,
            countries=by_country,
            prefixes=_Either(prefixes, self.world.prefixes),
            keep=self.world.demonym_keys | self._curated_keys(),
        )

    def _curated_keys(self) -> frozenset[str]:
        """Folded names of the curated places (``places.csv``)."""
        keys, rows = self._gaz.key_rows()
        curated = np.asarray(self._gaz.source)[rows] == "places.csv"
        return frozenset(np.asarray(keys)[curated].tolist())

    def _is_key(self, key: str) -> bool:
        """Whether a folded n-gram names a usable regional place or any world place."""
        return self._is_usable_key(key) or self.world.has_key(key)

    def _is_usable_key(self, key: str) -> bool:
        known = self._usable.get(key)
        if known is None:
            rows, _ = self._gaz.candidates(key)
            gaz = self._gaz
            known = any(
                gaz.country[r] in PRIMARY_COUNTRIES
                or gaz.source[r] == "places.csv"
                or gaz.population[r] >= _MIN_POPULATION
                or gaz.is_capital[r]
                for r in rows.tolist()
            )
            self._usable[key] = known
        return known

    def _ambiguous(self, *names: str | None) -> bool:
        """Whether the gazetteer holds far-apart places under these names' keys."""
        known = self._ambiguity.get(names)
        if known is None:
            rows = [
                r
                for name in names
                if name
                for key in query_keys(name)
                for r in self._gaz.candidates(key)[0].tolist()
            ]
            if not rows:
                known = True  # no exact key: the geocoder will match fuzzily; let context help
            else:
                lats = [float(self._gaz.lat[r]) for r in rows]
                lons = [float(self._gaz.lon[r]) for r in rows]
                known = max(max(lats) - min(lats), max(lons) - min(lons)) > _SAME_PLACE_DEG
            self._ambiguity[names] = known
        return known

    def parse(self, text: str, *, published: datetime.date | None = None) -> ParsedArticle:
        """Parse one article; ``published`` anchors relative dates ("on Sunday").

        Raises
        ------
        TypeError
            If ``text`` is not a string or ``published`` not a date.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}: {text!r:.80}")
        if published is not None and not isinstance(published, datetime.date):
            raise TypeError(f"published must be a datetime.date, got {published!r}")
        factions = self.factions.find(text)
        spans = [(f.start, f.end) for f in factions]
        candidates = self.scanner.scan(text, exclude=spans)
        extra = _abbreviations(text, [*spans, *((c.start, c.end) for c in candidates)])
        if extra:
            candidates = tuple(sorted((*candidates, *extra), key=lambda c: c.start))
        places = self._resolve(text, candidates)
        dates = find_dates(text, published=published)
        events = draft_events(text, places=places, factions=factions, dates=dates)
        return ParsedArticle(places, factions, dates, events)

    # ------------------------------------------------------------ geocoding with context

    def _geocode(
        self, cand: PlaceCandidate, context: list[tuple[float, float]]
    ) -> tuple[PlaceMention, str | None]:
        """Resolve a candidate's name in the regional gazetteer: the mention and its source."""
        if cand.country is not None:
            c = self.countries[cand.country]
            mention = PlaceMention(
                cand.text, cand.start, cand.end, c.name, c.lat, c.lon, c.iso2, "country", 0.95
            )
            return mention, "countries"
        if not self._is_usable_key(normalize_name(cand.fallback or cand.query)):
            return _unresolved(cand), None  # a name only the world gazetteer knows
        factor = 1.0
        result = self.geocoder.geocode(cand.query, context=context or None)
        if not result.resolved and cand.fallback:
            result = self.geocoder.geocode(cand.fallback, context=context or None)
            factor = _FALLBACK_FACTOR
        if not result.resolved:
            logger.info("place candidate %r at %d not resolved", cand.text, cand.start)
            return _unresolved(cand), None
        mention = PlaceMention(
            cand.text,
            cand.start,
            cand.end,
            result.name,
            float(result.lat),
            float(result.lon),
            result.country,
            result.kind,
            float(result.confidence) * factor,
        )
        return mention, result.source

    def _world_rows(self, cand: PlaceCandidate) -> tuple[np.ndarray, bool, bool, bool]:
        """World rows of a candidate's name: (rows, a strong key, read from the fallback,
        spelled like one of its names).

        A key is strong only for a text spelled like one of its names: "Sun" folds like a
        name of Anshan, but names no place unless the document points to one.
        """
        for name, is_fallback in ((cand.query, False), (cand.fallback, True)):
            if name:
                key = normalize_name(name)
                rows = self.world.rows(key)
                if rows.size:
                    exact = self.world.spelled_as(key, spelled(name))
                    return rows, self.world.is_strong(key) and exact, is_fallback, exact
        return np.empty(0, dtype=np.int64), False, False, False

    def _area_row(self, cand: PlaceCandidate, rows: np.ndarray) -> int | None:
        """A demonym, continent, macro-region, region or feature the bare name is, if any."""
        if cand.feature is not None or not rows.size:
            return None
        if rows.size == 1 and self.world.kind[rows[0]] not in AREA_KINDS:
            return None
        kinds = self.world.kind[rows]
        area = [
            int(r) for r, k in zip(rows.tolist(), kinds.tolist(), strict=True) if k in AREA_KINDS
        ]
        # "American": the United States, not American Samoa -- the most populous of them
        return max(area, key=lambda r: int(self.world.population[r])) if area else None

    def _world_mention(
        self, cand: PlaceCandidate, row: int, confidence: float, rivals: tuple[str, ...] = ()
    ) -> PlaceMention:
        w = self.world
        kind, country = str(w.kind[row]), str(w.country[row]) or None
        name, lat, lon = str(w.name[row]), float(w.lat[row]), float(w.lon[row])
        if kind == "demonym" and country in self.countries and w.ref[row] == "countryinfo":
            c = self.countries[country]  # "Syrian": the country, on its label point
            name, lat, lon = c.name, c.lat, c.lon
        return PlaceMention(
            cand.text, cand.start, cand.end, name, lat, lon, country, kind,
            round(confidence, 3), rivals,
        )  # fmt: skip

    def _containers(
        self, text: str, candidates: tuple[PlaceCandidate, ...]
    ) -> dict[int, frozenset[str]]:
        """Per candidate index: the division or country after it ("Springfield, Ohio")."""
        out: dict[int, frozenset[str]] = {}
        for i in range(len(candidates) - 1):
            here, nxt = candidates[i], candidates[i + 1]
            if text[here.end : nxt.start].strip() != "," or nxt.qualifier:
                continue
            if nxt.country is not None:
                out[i] = frozenset({nxt.country})
                continue
            rows = self._world_rows(nxt)[0]
            codes = {
                str(a)
                for a, k in zip(self.world.admin1[rows], self.world.kind[rows], strict=True)
                if k == "admin1"
            }
            if codes:
                out[i] = frozenset(codes)
        return out

    def _division_not_country(
        self, cand: PlaceCandidate, rows: np.ndarray, context: Context
    ) -> int | None:
        """The division a country's name also names when the document is about its country.

        "Georgia" next to Atlanta and Fulton County is the US state, not the country.
        """
        if not rows.size or cand.country in context.placed:
            return None
        w = self.world
        divisions = [
            int(r) for r in rows.tolist()
            if w.kind[r] == "admin1" and w.country[r] != cand.country
            and w.country[r] in context.placed
        ]  # fmt: skip
        return divisions[0] if len(divisions) == 1 else None

    def _decide(
        self,
        cand: PlaceCandidate,
        regional: tuple[PlaceMention, str | None],
        world: tuple[np.ndarray, bool, bool, bool],
        context: Context,
        memo: dict[Any, Ranked] | None = None,
        key: Any = None,
    ) -> PlaceMention | None:
        """One candidate's place: a country, an area, the curated region, or the world's best.

        ``None`` drops the candidate: a small town abroad the document gives no support to.
        A world ranking is kept in ``memo[key]`` and reused when so clear (and supported) that
        more context cannot change it.
        """
        mention, source = regional
        rows, strong, from_fallback, exact = world
        if cand.country is not None:
            state = self._division_not_country(cand, rows, context)
            return mention if state is None else self._world_mention(cand, state, 0.8)
        curated = source == "places.csv"
        area = None if curated else self._area_row(cand, rows)
        if area is not None:
            return self._world_mention(cand, area, 0.9)
        in_primary = mention.country in PRIMARY_COUNTRIES
        theatre = bool(PRIMARY_COUNTRIES & (context.named | context.inferred))
        if mention.lat is not None and (curated or (in_primary and (theatre or not strong))):
            return mention  # our curated Syria/Iraq gazetteer first inside the region
        if not rows.size:
            return mention
        ranked = memo.get(key) if memo is not None else None
        if ranked is None or ranked.margin < _SETTLED_MARGIN or not (ranked.supported or strong):
            ranked = rank(self.world, rows, context)
            if memo is not None:
                memo[key] = ranked
        if (
            in_primary
            and mention.lat is not None
            and self.world.country[ranked.row] == mention.country
        ):
            return mention  # the world agrees on the country: the curated reading of the name
        if not (strong or ranked.supported or mention.lat is not None):
            return None  # a small town abroad that nothing in the document points to
        if not (exact or strong or ranked.anchored or mention.lat is not None):
            return None  # "House" folds like Hoshcha: only a named country or a comma says so
        opening = cand.opens_sentence and mention.lat is None and not ranked.supported
        if opening and (
            str(self.world.kind[ranked.row]) == "town"
            or spelled(str(self.world.name[ranked.row])) != context.spelled
        ):
            return None  # "Long queues formed", "Police said": a word, not a place
        factor = _FALLBACK_FACTOR if from_fallback else 1.0
        return self._world_mention(cand, ranked.row, ranked.confidence * factor, ranked.rivals)

    def _resolve(
        self, text: str, candidates: tuple[PlaceCandidate, ...]
    ) -> tuple[PlaceMention, ...]:
        """Resolve every distinct name twice: alone, then among the document's other places."""
        keys = [(c.query, c.fallback, c.country) for c in candidates]
        unique = {key: c for key, c in zip(reversed(keys), reversed(candidates), strict=True)}
        regional = {key: self._geocode(cand, []) for key, cand in unique.items()}
        world = {key: self._world_rows(cand) for key, cand in unique.items()}
        within: dict[tuple[str | None, ...], set[str]] = {}
        for i, codes in self._containers(text, candidates).items():
            within.setdefault(keys[i], set()).update(codes)
        named = {c.country for c in candidates if c.country}
        for key, cand in unique.items():
            area = self._area_row(cand, world[key][0])
            if area is not None and self.world.kind[area] == "demonym" and self.world.country[area]:
                named.add(str(self.world.country[area]))
        named.update(c for codes in within.values() for c in codes if len(c) == 2)

        def contexts(done: dict[Any, PlaceMention | None]) -> dict[Any, Context]:
            found = {k: m for k, m in done.items() if m is not None}
            usable = [
                k for k, m in found.items()
                if m.lat is not None and m.lon is not None
                and m.confidence >= _CONTEXT_MIN_CONFIDENCE and m.kind not in _AREA_OUTPUT
            ]  # fmt: skip
            points = np.array([(found[k].lat, found[k].lon) for k in usable], dtype=float)
            at = {k: i for i, k in enumerate(usable)}
            every = Counter(m.country for m in found.values() if m.country)
            placed = Counter(
                m.country for m in found.values() if m.country and m.kind not in _NOT_POINTS
            )

            all_every, all_placed = frozenset(every), frozenset(placed)
            named_set = frozenset(named)

            def others(
                counts: Counter[str], base: frozenset[str], own: str | None
            ) -> frozenset[str]:
                return base - {own} if own is not None and counts[own] == 1 else base

            out = {}
            for key, cand in unique.items():
                own = found.get(key)
                mine = [at[key]] if key in at else []
                point_own = own is not None and own.kind not in _NOT_POINTS
                out[key] = Context(
                    named=named_set,
                    inferred=others(every, all_every, own.country if own else None),
                    placed=others(placed, all_placed, own.country if point_own else None),
                    points=np.delete(points, mine, axis=0) if len(points) else (),
                    within=frozenset(within.get(key, ())),
                    division=cand.feature == "region",
                    spelled=spelled(cand.fallback or cand.query),
                )
            return out

        first_pass = {k: m for k, (m, _) in regional.items() if m.lat is not None}
        ctx = contexts(first_pass)
        memo: dict[Any, Ranked] = {}
        first = {
            key: self._decide(cand, regional[key], world[key], ctx[key], memo, key)
            for key, cand in unique.items()
        }
        ctx = contexts(first)
        cells_of = _cells(first)
        second: dict[Any, PlaceMention | None] = {}
        for key, cand in unique.items():
            again = regional[key]
            if key[2] is None and key in cells_of and self._ambiguous(key[0], key[1]):
                again = self._geocode(cand, sorted(cells_of[key]))
            second[key] = self._decide(cand, again, world[key], ctx[key], memo, key)
        out = []
        for cand, key in zip(candidates, keys, strict=True):
            m = second[key]
            if m is None:
                continue
            kind, confidence = m.kind, m.confidence
            if cand.qualifier and m.lat is not None and kind not in AREA_KINDS | {"country"}:
                kind, confidence = "region", confidence * _QUALIFIED_FACTOR  # "northern Aleppo"
            out.append(
                PlaceMention(
                    cand.text, cand.start, cand.end, m.name, m.lat, m.lon, m.country, kind,
                    round(confidence, 3), m.candidates,
                )
            )  # fmt: skip
        return tuple(out)


def _cells(done: dict[Any, PlaceMention | None]) -> dict[Any, frozenset[tuple[float, float]]]:
    """Per key, the other confident places as one (lat, lon) per ~10 km cell.

    The regional geocoder weighs the nearest point, not how many there are; fewer points
    keep its cache keys short.
    """
    own: dict[Any, tuple[float, float]] = {
        k: (round(m.lat, 1), round(m.lon, 1))
        for k, m in done.items()
        if m is not None and m.lat is not None and m.lon is not None
        and m.confidence >= _CONTEXT_MIN_CONFIDENCE and m.kind not in _AREA_OUTPUT
    }  # fmt: skip
    count = Counter(own.values())
    every = frozenset(count)
    out = {}
    for key in done:
        cell = own.get(key)
        mine = every - {cell} if cell is not None and count[cell] == 1 else every
        if mine:
            out[key] = mine
    return out


def _unresolved(cand: PlaceCandidate) -> PlaceMention:
    return PlaceMention(cand.text, cand.start, cand.end, None, None, None, None, None, 0.0)


def _abbreviations(text: str, taken: list[tuple[int, int]]) -> list[PlaceCandidate]:
    """Country abbreviations ("U.S.", "UK", "UAE") outside the spans already taken."""
    out = []
    for m in _ABBREVIATION.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            code = _ABBREVIATION_COUNTRY[m[0].replace(".", "")]
            out.append(PlaceCandidate(m[0], m.start(), m.end(), m[0], country=code))
    return out


def geoparse(
    text: str,
    *,
    published: datetime.date | None = None,
    parser: ArticleParser | None = None,
) -> ParsedArticle:
    """Parse one article; pass a reused ``parser`` when parsing many.

    Parameters
    ----------
    text : str
        The article text.
    published : datetime.date, optional
        Publication date; relative dates ("on Sunday", "last week") need it.
    parser : ArticleParser, optional
        A loaded parser; a new one (loading the geocoder) is built when omitted.

    Returns
    -------
    ParsedArticle
    """
    return (parser or ArticleParser()).parse(text, published=published)
