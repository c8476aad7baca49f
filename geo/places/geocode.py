"""Offline geocoding of place names in any common spelling, with an optional online fallback.

The embedded gazetteer (:mod:`geo.places.gazetteer`) answers first. A query is looked up under its
folded keys (:func:`geo.places.normalize.query_keys`); if nothing matches exactly, a fuzzy match
(rapidfuzz, on keys narrowed to the same first letter and a similar length) is tried. The
candidates are ranked with priors: the region of interest, national capitals, population (weak:
many Syrian towns have population 0 in GeoNames), curated ``places.csv`` entries, the kind named
in the query ("... airbase", "... province"), a country filter, a bounding box and the
document's other places. Spelling counts beyond the folded key: a place whose own name is
spelled letter for letter like the query gets a bonus ("Suran" is Şūrān in Syria, not Soran in
Iraq), and when a Syrian or Iraqi place spelled closer than the winner loses on priors alone,
the confidence drops to 0.55 with the rival named. A bracketed qualifier disambiguates: a
country filters ("Rabia (Iraq)"), a place anchors the search near it ("Rabiah (Latakia)",
"Shahba (Suwayda)"); a name that is itself curated with brackets matches as a whole. Precision comes first: people, factions, organisations and ordinary
capitalised words never resolve, and a match that is ambiguous or fuzzy says so in its
``confidence``. A name we cannot place comes back unresolved (``lat``/``lon`` ``None``) with a
``reason`` -- never dropped, never guessed.

>>> geocoder = load_geocoder()
>>> geocoder.geocode("Deir al-Zour").name
'Deir ez-Zor'
>>> geocoder.geocode("Hezbollah").resolved
False
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from anyascii import anyascii

from geo.errors import ConfigError, GeocoderServiceError
from geo.places._words import COUNTRY_NAMES as _COUNTRY_NAMES
from geo.places._words import DIRECTION_WORDS as _DIRECTION_WORDS
from geo.places._words import HINT_LAST_WORDS as _HINT_LAST_WORDS
from geo.places._words import KIND_HINTS as _KIND_HINTS
from geo.places._words import NOT_PLACES as _NOT_PLACES
from geo.places._words import ORG_WORDS as _ORG_WORDS
from geo.places._words import QUALIFIER_COUNTRIES as _QUALIFIER_COUNTRIES
from geo.places._words import RAW_NOT_PLACES as _RAW_NOT_PLACES
from geo.places.gazetteer import DEFAULT_REGION, Gazetteer, load_gazetteer
from geo.places.normalize import normalize_name, query_keys
from geo.places.result import GeocodeResult

if TYPE_CHECKING:
    from geo.places.online import OnlineGeocoder

__all__ = [
    "DEFAULT_FUZZY_CUTOFF",
    "DEFAULT_MIN_CONFIDENCE",
    "Geocoder",
    "load_geocoder",
]

logger = logging.getLogger(__name__)

#: Results below this confidence are returned unresolved (with the reason).
DEFAULT_MIN_CONFIDENCE = 0.5
#: rapidfuzz ``ratio`` cut-off (0-100) for fuzzy matches, calibrated on tests' labelled variants.
DEFAULT_FUZZY_CUTOFF = 84.0

_PROMINENT_POPULATION = 1_000_000
_FUZZY_MIN_LENGTH = 7  # shorter keys are too easily one edit away from a village or a word
_FUZZY_TWO_EDITS_FROM = 10  # keys this long may be two edits (a transposition is one) away
_EARTH_RADIUS_KM = 6371.0088
_SAME_PLACE_KM = 25.0  # candidates closer than this are one place for ambiguity purposes
_NAMESAKE_KM = 250.0  # a region and a same-named place this close are city and governorate
_CLOSER_SPELLING_ELSEWHERE = 0.55  # confidence cap when a rival abroad is spelled closer
_QUALIFIER_KM = 100.0  # a "Name (Qualifier)" match farther than this from the qualifier is doubtful
_ACRONYM = re.compile(r"^[A-Z]{2,5}s?$")
_QUALIFIED = re.compile(r"^(?P<base>[^()]*\S)\s*\((?P<qualifier>[^()]*\S[^()]*)\)$")
_QUOTES = re.compile(r"['`´ʹʻʼʽʾʿˈ‘’‚‛′]")
_RAW = re.compile(r"[^a-z0-9]+")


def _raw_form(text: str) -> str:
    return " ".join(_RAW.sub(" ", anyascii(text).lower()).split())


def _spelled(text: str) -> str:
    """Letters and digits of ``text`` in ASCII, lower case: spelling, not a folded key."""
    return _RAW.sub("", _QUOTES.sub("", anyascii(text)).lower())


def _spelling_match(query: str, names: np.ndarray, aliases: np.ndarray) -> np.ndarray:
    """Per candidate: 2 if its own name is spelled like ``query``, 1 if the matched alias is,
    else 0 (the match rests on the folded key alone).

    >>> _spelling_match("Suran", np.array(["Şūrān", "Soran"]), np.array(["Suran", "Soran"]))
    array([2, 0])
    """
    wanted = _spelled(query)
    own = np.array([_spelled(str(n)) == wanted for n in names], dtype=bool)  # a few candidates
    alias = np.array([_spelled(str(a)) == wanted for a in aliases], dtype=bool)
    return np.where(own, 2, np.where(alias, 1, 0)).astype(np.int64)


def _haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    """Great-circle distance in km; arguments broadcast like numpy arrays (degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(np.subtract(lon2, lon1))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class _Query:
    text: str  # the place part, modifiers removed
    hint: frozenset[str]  # kinds named in the query
    modified: bool  # a direction/qualifier word was dropped
    org_like: bool  # names an organisation ("... Forces"): curated exact matches only
    acronym: bool  # all capitals ("HTS", "QAIM"): a place's own name or a curated alias only


def _parse_query(name: str) -> list[_Query]:
    """Return the readings of a query to try in order: as written, then without modifiers."""
    words = name.split()
    raw = _raw_form(name)
    raw_words = raw.split()
    org_like = not _ORG_WORDS.isdisjoint(raw_words)
    acronym = bool(_ACRONYM.match(name.strip()))
    hint: frozenset[str] = frozenset()
    for phrase, kinds in _KIND_HINTS if raw_words and raw_words[-1] in _HINT_LAST_WORDS else ():
        if raw.endswith(" " + phrase):
            hint = kinds
            n = phrase.count(" ") + 1
            words = words[:-n] if len(words) > n else words
            break
    readings = [_Query(name, hint, modified=False, org_like=org_like, acronym=acronym)]
    core = words
    while len(core) > 1 and core[0].lower() in _DIRECTION_WORDS:
        core = core[1:]
    if len(core) != len(raw_words) or core != name.split():
        readings.append(
            _Query(" ".join(core), hint, modified=core != words, org_like=org_like, acronym=acronym)
        )
    return readings


class Geocoder:
    """Resolve place names against a :class:`~geo.places.gazetteer.Gazetteer`, online as a fallback.

    Parameters
    ----------
    gazetteer : Gazetteer
        The embedded index.
    region : sequence of str
        Preferred countries, most preferred first (the first two get the largest prior).
        Outside the region only national capitals and cities of 1M+ resolve.
    online : OnlineGeocoder, optional
        Asked only for names the gazetteer cannot place.
    min_confidence : float
        Matches below this confidence are returned unresolved with the reason.
    fuzzy_cutoff : float
        rapidfuzz ratio (0-100) a fuzzy match must reach.

    Examples
    --------
    >>> geocoder = Geocoder(load_gazetteer())
    >>> geocoder.geocode("Homs").country
    'SY'
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        region: Sequence[str] = DEFAULT_REGION,
        online: OnlineGeocoder | None = None,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        fuzzy_cutoff: float = DEFAULT_FUZZY_CUTOFF,
    ) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ConfigError(f"min_confidence must be within 0..1, got {min_confidence!r}")
        if not 0.0 <= fuzzy_cutoff <= 100.0:
            raise ConfigError(f"fuzzy_cutoff must be within 0..100, got {fuzzy_cutoff!r}")
        region = _check_countries(region) or ()
        if not region:
            raise ConfigError("region must name at least one ISO2 country code, got none")
        self._gaz = gazetteer
        self._region = region
        self._online = online
        self._min_confidence = float(min_confidence)
        self._fuzzy_cutoff = float(fuzzy_cutoff)
        self._pools: dict[tuple[str, int], list[str]] | None = None
        self._cache: dict[tuple[Any, ...], GeocodeResult] = {}
        self._masks: dict[tuple[Any, ...], np.ndarray] = {}
        self._country_codes: frozenset[str] | None = None
        countries = np.asarray(gazetteer.country)
        in_top = np.isin(countries, list(self._region[:2]))
        in_region = np.isin(countries, list(self._region))
        pop = np.asarray(gazetteer.population, dtype=float)
        is_capital = np.asarray(gazetteer.is_capital, dtype=bool)
        self._curated = np.asarray(gazetteer.source) == "places.csv"
        # Priors (see the module docstring): region first; population only weakly (many Syrian
        # towns have population 0 in GeoNames); outside the region a flat prior for the
        # prominent places that are allowed at all, so a sizeable in-region town (Tripoli,
        # Lebanon) beats a foreign capital but a small foreign-region village does not.
        pop_weight = 0.20 * np.clip((np.log10(pop + 1.0) - 2.0) / 4.5, 0.0, 1.0)
        self._in_region = in_region
        self._in_top = in_top
        self._static_prior = (
            np.where(in_region, np.where(in_top, 0.35, 0.20) + pop_weight + 0.10 * is_capital, 0.28)
            + 0.25 * self._curated
        )
        self._allowed = in_region | is_capital | (pop >= _PROMINENT_POPULATION)
        self._names = np.asarray(gazetteer.name, dtype=object)
        # Alternate names are trusted for Syria/Iraq, curated places, and sizeable places of
        # the rest of the region; GeoNames alternates of small foreign villages are noise
        # ("South", "Iron", "Jabal" would otherwise be places).
        self._alt_ok = in_top | self._curated | (in_region & ((pop >= 50_000) | is_capital))
        self._not_place_keys = {normalize_name(n) for n in _NOT_PLACES} - {""}
        self._not_place_raw = {_raw_form(n) for n in (*_NOT_PLACES, *_RAW_NOT_PLACES)}
        self._country_keys = {normalize_name(n) for n in _COUNTRY_NAMES}

    @property
    def gazetteer(self) -> Gazetteer:
        """The embedded gazetteer."""
        return self._gaz

    def geocode(
        self,
        name: str,
        *,
        countries: Sequence[str] | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        context: Sequence[tuple[float, float]] | None = None,
    ) -> GeocodeResult:
        """Geocode one place name.

        Parameters
        ----------
        name : str
            The place name, in any common spelling; an optional trailing ``(Qualifier)``
            names a country (a filter) or a place (candidates near it win).
        countries : sequence of str, optional
            ISO2 codes; only places in these countries are considered.
        bbox : (min_lon, min_lat, max_lon, max_lat), optional
            Only places inside this box are considered.
        context : sequence of (lat, lon), optional
            Positions of the document's other places; nearby candidates are preferred.

        Returns
        -------
        GeocodeResult
            Resolved, or unresolved with a ``reason``.

        Raises
        ------
        TypeError
            If ``name`` is not a string.
        ConfigError
            If ``countries`` or ``bbox`` are malformed (the message shows the value).

        Examples
        --------
        >>> load_geocoder().geocode("Al-Qaim").country
        'IQ'
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}: {name!r}")
        countries_t = self._known_countries(_check_countries(countries))
        bbox_t = _check_bbox(bbox)
        context_t = tuple((float(lat), float(lon)) for lat, lon in context) if context else ()
        cache_key = (name, countries_t, bbox_t, context_t)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        result = self._offline(name, countries_t, bbox_t, context_t)
        if not result.resolved and self._online is not None and self._worth_asking_online(result):
            result = self._ask_online(name, countries_t, result)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[cache_key] = result
        return result

    def geocode_many(
        self,
        names: Iterable[str],
        *,
        countries: Sequence[str] | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> list[GeocodeResult]:
        """Geocode many names; one result per input, in input order (duplicates computed once).

        Examples
        --------
        >>> [r.country for r in load_geocoder().geocode_many(["Homs", "Baghdad"])]
        ['SY', 'IQ']
        """
        names = list(names)
        unique = {n: self.geocode(n, countries=countries, bbox=bbox) for n in dict.fromkeys(names)}
        return [unique[n] for n in names]

    # ------------------------------------------------------------ internals

    def _worth_asking_online(self, result: GeocodeResult) -> bool:
        reason = result.reason or ""
        return not reason.startswith(("not a place", "a country", "empty"))

    def _ask_online(
        self, name: str, countries: tuple[str, ...] | None, offline: GeocodeResult
    ) -> GeocodeResult:
        if self._online is None:
            return offline
        try:
            return self._online.geocode(name, countries=countries)
        except GeocoderServiceError as err:
            logger.warning("online geocoder failed for %r: %s", name, err)
            return GeocodeResult.unresolved(
                name, f"{offline.reason}; online geocoder failed: {err}"
            )

    def _offline(
        self,
        name: str,
        countries: tuple[str, ...] | None,
        bbox: tuple[float, float, float, float] | None,
        context: tuple[tuple[float, float], ...],
    ) -> GeocodeResult:
        stripped = name.strip()
        key = normalize_name(stripped)
        if not key:
            return GeocodeResult.unresolved(name, "empty name")
        raw = _raw_form(stripped)
        if raw in self._not_place_raw or key in self._not_place_keys:
            return GeocodeResult.unresolved(name, "not a place: a person, group or common word")
        if key in self._country_keys:
            return GeocodeResult.unresolved(
                name, "a country name; countries are not geocoded to a point"
            )
        mask = self._candidate_mask(countries, bbox)
        readings = _parse_query(stripped)
        found = self._exact(name, readings, mask, context, anchor=None)
        if found is not None:
            return found
        qualified = _QUALIFIED.match(stripped)
        if qualified is not None:  # "Suran (Hama)": the base name, placed near the qualifier
            return self._qualified(name, qualified, countries, bbox, context)
        first = readings[-1]
        if first.org_like or first.acronym:
            return GeocodeResult.unresolved(
                name, "not a place: looks like an organisation or acronym"
            )
        return self._fuzzy(name, first, mask, context)

    def _exact(
        self,
        name: str,
        readings: list[_Query],
        mask: np.ndarray,
        context: tuple[tuple[float, float], ...],
        *,
        anchor: tuple[float, float] | None,
    ) -> GeocodeResult | None:
        """Rank the candidates of the first reading whose folded keys name a place, or None."""
        for reading in readings:
            for i, k in enumerate(query_keys(reading.text)):
                rows, aliases = self._gaz.candidates(k)
                if reading.org_like:
                    keep = self._curated[rows]
                    rows, aliases = rows[keep], aliases[keep]
                elif reading.acronym:
                    long_enough = len(k.replace(" ", "")) >= 4
                    keep = self._curated[rows] | ((aliases == self._names[rows]) & long_enough)
                    rows, aliases = rows[keep], aliases[keep]
                # An alternate name counts only for places where alternates are reliable;
                # elsewhere only the place's own name does ("Mosque" is not Moscow).
                trusted = self._alt_ok[rows] | (aliases == self._names[rows])
                if k.startswith("x"):  # Arabic script: GeoNames' Arabic names are reliable
                    trusted = self._in_region[rows] | self._allowed[rows]
                keep = mask[rows] & trusted
                if keep.any():
                    quality = 1.0 if i == 0 else 0.95
                    if reading.modified:
                        quality *= 0.9
                    return self._rank(
                        name, rows[keep], aliases[keep], quality, reading, context, anchor=anchor
                    )
        return None

    def _qualified(
        self,
        name: str,
        qualified: re.Match[str],
        countries: tuple[str, ...] | None,
        bbox: tuple[float, float, float, float] | None,
        context: tuple[tuple[float, float], ...],
    ) -> GeocodeResult:
        """Resolve "Base (Qualifier)": a country qualifier filters, a place qualifier anchors."""
        base, qualifier = qualified.group("base"), qualified.group("qualifier")
        code = _QUALIFIER_COUNTRIES.get(normalize_name(qualifier))
        anchor: tuple[float, float] | None = None
        if code is not None:
            if countries and code not in countries:
                return GeocodeResult.unresolved(
                    name, f"qualifier {qualifier!r} is outside the countries {list(countries)}"
                )
            countries = (code,)
        else:
            where = self._offline(qualifier, countries, bbox, ())
            if not where.resolved:
                return GeocodeResult.unresolved(
                    name, f"qualifier {qualifier!r} not placed ({where.reason})"
                )
            anchor = (float(where.lat), float(where.lon))  # type: ignore[arg-type]
        mask = self._candidate_mask(countries, bbox)
        readings = _parse_query(base)
        found = self._exact(name, readings, mask, context, anchor=anchor)
        if found is None:
            found = self._fuzzy(name, readings[-1], mask, context, anchor=anchor)
        if not found.resolved:
            return found
        why = "; ".join(r for r in (found.reason, f"read as {base!r} in {qualifier!r}") if r)
        return replace(found, reason=why)

    def _known_countries(self, countries: tuple[str, ...] | None) -> tuple[str, ...] | None:
        """``countries`` unchanged if the gazetteer has places in each; else a ConfigError."""
        if not countries:
            return countries
        if self._country_codes is None:
            self._country_codes = frozenset(np.asarray(self._gaz.country).tolist())
        unknown = [code for code in countries if code not in self._country_codes]
        if unknown:
            raise ConfigError(
                f"unknown country code(s) {unknown!r}: no place of the gazetteer is in them"
            )
        return countries

    def _candidate_mask(
        self, countries: tuple[str, ...] | None, bbox: tuple[float, float, float, float] | None
    ) -> np.ndarray:
        cached = self._masks.get((countries, bbox))
        if cached is not None:
            return cached
        mask = self._allowed.copy()
        if countries:
            mask &= np.isin(self._gaz.country, list(countries))
        if bbox:
            min_lon, min_lat, max_lon, max_lat = bbox
            lat, lon = self._gaz.lat, self._gaz.lon
            mask &= (lat >= min_lat) & (lat <= max_lat) & (lon >= min_lon) & (lon <= max_lon)
        if len(self._masks) < 64:
            self._masks[(countries, bbox)] = mask
        return mask

    def _fuzzy(
        self,
        name: str,
        reading: _Query,
        mask: np.ndarray,
        context: tuple[tuple[float, float], ...],
        *,
        anchor: tuple[float, float] | None = None,
    ) -> GeocodeResult:
        from rapidfuzz import fuzz, process  # only needed for misses
        from rapidfuzz.distance import OSA

        key = normalize_name(reading.text)
        if len(key.replace(" ", "")) < _FUZZY_MIN_LENGTH:
            return GeocodeResult.unresolved(name, "no gazetteer match (too short to fuzzy-match)")
        choices = self._pool(key[0], len(key))
        hits = process.extract(
            key, choices, scorer=fuzz.ratio, score_cutoff=self._fuzzy_cutoff, limit=10
        )
        # A typo is a small edit (a transposition counts as one): at most 1, or 2 for names
        # of 10 letters or more. A known name plus an ending (Hama -> Hamas, Manbij -> Manbijis,
        # Aleppo -> Aleppan) is another word.
        max_edits = 1 if len(key) < _FUZZY_TWO_EDITS_FROM else 2
        hits = [
            (choice, score)
            for choice, score, _ in hits
            if OSA.distance(key, choice) <= max_edits and not key.startswith(choice)
        ]
        if not hits:
            return GeocodeResult.unresolved(name, "no gazetteer match")
        best = max(score for _, score in hits)
        all_rows, all_aliases = [], []
        for choice, score in hits:
            if score >= best - 2.0:
                rows, aliases = self._gaz.candidates(choice)
                all_rows.append(rows)
                all_aliases.append(aliases)
        rows, aliases = np.concatenate(all_rows), np.concatenate(all_aliases)
        keep = mask[rows] & (self._in_top[rows] | self._curated[rows])
        if not keep.any():
            return GeocodeResult.unresolved(name, "no gazetteer match in the allowed countries/box")
        quality = 0.9 * best / 100.0
        return self._rank(
            name, rows[keep], aliases[keep], quality, reading, context, fuzzy=True, anchor=anchor
        )

    def _pool(self, letter: str, length: int) -> list[str]:
        # Fuzzy matching only reaches the places of the first two region countries (Syria
        # and Iraq by default) and the curated ones: a misspelling there is far likelier than
        # a misspelt Turkish or Iranian village, and the pool stays small enough to be exact.
        if self._pools is None:
            keys, rows = self._gaz.key_rows()
            reachable = self._in_top | self._curated
            pools: dict[tuple[str, int], list[str]] = {}
            for k in np.unique(keys[reachable[rows]]).tolist():
                pools.setdefault((k[0], len(k)), []).append(k)
            self._pools = pools
        return [k for n in range(length - 2, length + 3) for k in self._pools.get((letter, n), ())]

    def _rank(
        self,
        name: str,
        rows: np.ndarray,
        aliases: np.ndarray,
        quality: float,
        reading: _Query,
        context: tuple[tuple[float, float], ...],
        *,
        fuzzy: bool = False,
        anchor: tuple[float, float] | None = None,
    ) -> GeocodeResult:
        gaz = self._gaz
        if rows.size == 1 and anchor is None:  # the common case: one candidate, nothing to weigh
            return self._result(name, int(rows[0]), str(aliases[0]), quality, reading, [], fuzzy)
        kinds = np.asarray(gaz.kind)[rows]
        is_region = np.asarray(gaz.is_region)[rows]
        lat, lon = gaz.lat[rows], gaz.lon[rows]
        dist = _haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        # A region and a same-named place inside or near it (Homs Governorate / Homs) are
        # namesakes: the place wins unless the query names a region, and they are not rivals.
        namesake = (is_region[:, None] != is_region[None, :]) & (dist < _NAMESAKE_KM)
        score = self._static_prior[rows].copy()
        names = np.asarray(gaz.name)[rows]
        spelling = np.zeros(rows.size, dtype=np.int64)
        if not fuzzy:  # the place's own name is a stronger match than one of its alternates
            score += 0.08 * ((aliases == names) | self._curated[rows])
            # ... and its own name letter for letter beats the same folded key: "Suran" is
            # Şūrān (Syria) before Soran (Iraq), though both fold to one key.
            spelling = _spelling_match(reading.text, names, aliases)
            score += 0.10 * (spelling == 2)
        if reading.hint:
            score += np.where(np.isin(kinds, list(reading.hint)), 0.40, -0.10)
        if "region" not in reading.hint:
            score -= 0.20 * (is_region & namesake.any(axis=1))
        if context:
            points = np.asarray(context, dtype=float)  # (lat, lon) pairs
            near = _haversine_km(lat[:, None], lon[:, None], points[None, :, 0], points[None, :, 1])
            near = near.min(axis=1)
            score += 0.25 * np.exp(-near / 150.0)
        if anchor is not None:  # an explicit qualifier ("Suran (Hama)") weighs more than context
            from_anchor = _haversine_km(lat, lon, anchor[0], anchor[1])
            score += 0.45 * np.exp(-from_anchor / 100.0)
        best = int(np.argmax(score))
        confidence = quality
        reasons = []
        far = (dist[best] > _SAME_PLACE_KM) & ~namesake[best]
        rivals = score[far]
        if rivals.size:
            margin = float(score[best] - rivals.max())
            if margin < 0.15:
                confidence *= 0.6 + 0.4 * max(margin, 0.0) / 0.15
                reasons.append(f"ambiguous: {rivals.size + 1} places share this name")
        # A place in another top-region country spelled closer to the query than the winner (its
        # own name letter for letter, where the winner only has it as an alias or folded) lost
        # on priors alone: two strong candidates in different countries, so say it is doubtful.
        countries = np.asarray(gaz.country)[rows]
        closer = far & (spelling > spelling[best]) & (countries != countries[best])
        closer &= self._in_top[rows]  # Syria and Iraq by default: elsewhere a curated alias rules
        if closer.any():
            other = int(np.flatnonzero(closer)[0])
            confidence = min(confidence, quality * _CLOSER_SPELLING_ELSEWHERE)
            reasons.append(
                f"ambiguous: {names[other]!r} ({countries[other]}) is spelled exactly so"
            )
        if anchor is not None and from_anchor[best] > _QUALIFIER_KM:
            confidence *= 0.6
            reasons.append(f"{from_anchor[best]:.0f} km from its qualifier")
        return self._result(
            name, int(rows[best]), str(aliases[best]), confidence, reading, reasons, fuzzy
        )

    def _result(
        self,
        name: str,
        row: int,
        alias: str,
        confidence: float,
        reading: _Query,
        reasons: list[str],
        fuzzy: bool,
    ) -> GeocodeResult:
        if not self._in_region[row]:
            confidence *= 0.9
            reasons.append("outside the region of interest")
        if fuzzy:
            reasons.append(f"fuzzy match on {alias!r}")
        if reading.modified:
            reasons.append(f"read as {reading.text!r}")
        place = self._gaz.place(row, matched=alias)
        confidence = round(min(confidence, 1.0), 3)
        if confidence < self._min_confidence:
            why = f"low confidence {confidence:.2f} for {place.name!r} ({'; '.join(reasons)})"
            return GeocodeResult.unresolved(name, why)
        return GeocodeResult(
            query=name,
            name=place.name,
            lat=place.lat,
            lon=place.lon,
            country=place.country,
            kind=place.kind,
            confidence=confidence,
            matched=place.matched,
            source=place.source,
            reason="; ".join(reasons) or None,
        )


def _check_countries(countries: Sequence[str] | None) -> tuple[str, ...] | None:
    if countries is None:
        return None
    if isinstance(countries, str):
        countries = [countries]
    bad = [c for c in countries if not (isinstance(c, str) and re.fullmatch(r"[A-Za-z]{2}", c))]
    if bad:
        raise ConfigError(f"countries must be ISO2 codes like 'SY', got {bad!r}")
    return tuple(c.upper() for c in countries) or None


def _check_bbox(
    bbox: tuple[float, float, float, float] | None,
) -> tuple[float, float, float, float] | None:
    if bbox is None:
        return None
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
    except (TypeError, ValueError) as err:
        raise ConfigError(
            f"bbox must be (min_lon, min_lat, max_lon, max_lat), got {bbox!r}"
        ) from err
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ConfigError(f"bbox must be (min_lon, min_lat, max_lon, max_lat), got {bbox!r}")
    return (min_lon, min_lat, max_lon, max_lat)


def load_geocoder(
    *,
    data_dir: Path | None = None,
    region: Sequence[str] = DEFAULT_REGION,
    online: str | None = None,
    cache_dir: Path | None = None,
) -> Geocoder:
    """Load the gazetteer and return a :class:`Geocoder`, optionally with an online fallback.

    Parameters
    ----------
    data_dir : Path, optional
        Folder holding ``places.csv``.
    region : sequence of str
        Preferred countries (ISO2), most preferred first.
    online : str, optional
        A geopy provider name (``"nominatim"``) to ask for names the gazetteer cannot place.
    cache_dir : Path, optional
        Cache folder for the gazetteer index and the online answers.

    Examples
    --------
    >>> load_geocoder().geocode("Raqqah").name
    'Raqqa'
    """
    gazetteer = load_gazetteer(data_dir=data_dir, cache_dir=cache_dir, region=region)
    online_geocoder = None
    if online:
        from geo.places.online import OnlineGeocoder, default_cache_path

        online_geocoder = OnlineGeocoder(provider=online, cache_path=default_cache_path(cache_dir))
    return Geocoder(gazetteer, region=region, online=online_geocoder)
