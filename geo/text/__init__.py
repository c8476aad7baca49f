"""Read a news article: place, faction and date mentions, and draft events for review.

:class:`ArticleParser` holds what is expensive to load — the geocoder with its gazetteer, the
country table and the faction alias matcher — and is reused across articles; :func:`geoparse`
is the one-call form. The steps:

1. factions (:mod:`geo.text.factions`) first, so that no faction name is taken for a place;
2. place candidates (:mod:`geo.text.places`), a token n-gram scan over the gazetteer keys;
3. geocoding with document context: every candidate is geocoded once, then again with the
   points of the document's other places and the label points of the countries it names, so
   that "Sinjar" next to "northern Iraq" is the Iraqi town, not the Syrian village;
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
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from geo.places.normalize import query_keys
from geo.text.countries import Country, country_keys, load_countries
from geo.text.dates import DateMention, find_dates
from geo.text.events import DraftEvent, draft_events
from geo.text.factions import FactionMatcher, FactionMention, load_faction_aliases
from geo.text.places import PlaceCandidate, PlaceMention, PlaceScanner

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

    Examples
    --------
    >>> parser = ArticleParser()
    >>> [p.name for p in parser.parse("Fighting in Manbij.").places]
    ['Manbij']
    """

    def __init__(self, *, geocoder: _Geocoder | None = None, factions: Any = None) -> None:
        if geocoder is None:
            from geo.places.geocode import load_geocoder  # heavy: only when needed

            geocoder = load_geocoder()
        self.geocoder = geocoder
        self._gaz = geocoder.gazetteer
        self.countries: dict[str, Country] = load_countries()
        self.factions = FactionMatcher(_faction_aliases(factions))
        self._usable: dict[str, bool] = {}
        self._ambiguity: dict[tuple[str | None, ...], bool] = {}
        by_country = country_keys(self.countries)
        self.scanner = PlaceScanner(
            keys=self._is_usable_key,
            countries=by_country,
            prefixes=_proper_prefixes([*self._gaz.keys().tolist(), *by_country]),
        )

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
        candidates = self.scanner.scan(text, exclude=[(f.start, f.end) for f in factions])
        places = self._resolve(candidates)
        dates = find_dates(text, published=published)
        events = draft_events(text, places=places, factions=factions, dates=dates)
        return ParsedArticle(places, factions, dates, events)

    # ------------------------------------------------------------ geocoding with context

    def _geocode(self, cand: PlaceCandidate, context: list[tuple[float, float]]) -> PlaceMention:
        """Resolve a candidate's name (its qualifier is applied later, per mention)."""
        if cand.country is not None:
            c = self.countries[cand.country]
            return PlaceMention(
                cand.text, cand.start, cand.end, c.name, c.lat, c.lon, c.iso2, "country", 0.95
            )
        factor = 1.0
        result = self.geocoder.geocode(cand.query, context=context or None)
        if not result.resolved and cand.fallback:
            result = self.geocoder.geocode(cand.fallback, context=context or None)
            factor = _FALLBACK_FACTOR
        if not result.resolved:
            logger.info("place candidate %r at %d not resolved", cand.text, cand.start)
            return PlaceMention(cand.text, cand.start, cand.end, None, None, None, None, None, 0.0)
        return PlaceMention(
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

    def _resolve(self, candidates: tuple[PlaceCandidate, ...]) -> tuple[PlaceMention, ...]:
        """Geocode each distinct name twice: alone, then among the document's other places."""
        unique = {(c.query, c.fallback, c.country): c for c in reversed(candidates)}
        first = {key: self._geocode(cand, []) for key, cand in unique.items()}
        # (lat, lon) points of the document: its confident places and the countries it names.
        points = {
            key: (m.lat, m.lon)
            for key, m in first.items()
            if m.lat is not None and m.lon is not None and m.confidence >= _CONTEXT_MIN_CONFIDENCE
        }
        second = {}
        for key, mention in first.items():
            others = [p for k, p in points.items() if k != key]
            if key[2] is not None or not others or not self._ambiguous(key[0], key[1]):
                second[key] = mention  # a country, or a name context cannot change
            else:
                second[key] = self._geocode(unique[key], others)
        out = []
        for cand in candidates:
            m = second[(cand.query, cand.fallback, cand.country)]
            kind, confidence = m.kind, m.confidence
            if cand.qualifier and m.lat is not None:  # "northern Aleppo": an area, not the point
                kind, confidence = "region", confidence * _QUALIFIED_FACTOR
            out.append(
                PlaceMention(
                    cand.text, cand.start, cand.end, m.name, m.lat, m.lon, m.country, kind,
                    round(confidence, 3),
                )
            )  # fmt: skip
        return tuple(out)


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
