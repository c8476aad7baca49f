"""Find place-name candidates in news text by scanning token n-grams against the gazetteer keys.

The text is tokenised once; each token is folded once with :func:`geo.places.normalize.normalize_name`
(cached), and every n-gram that starts at a capitalised token is looked up as a key of the
gazetteer's index — a dictionary probe per n-gram, longest first, so the cost grows with the
text, not with the ~30,000 names. Arabic articles inside a name ("Deir ez-Zor", "Al Qaim") are
skipped exactly as the gazetteer skips them when it builds its keys.

Precision over recall: a candidate is dropped when it is a person's name or part of one
("Bashar al-Assad"), part of an organisation's name ("Doha Forum", "Autonomous Administration of
North and East Syria"), an ordinary capitalised word ("Major", "Shia"), or a faction mention.
Descriptive forms grow the mention: a direction before it ("northern Aleppo"), a feature word
after it ("Anbar province", "the Al-Qaim border crossing"). Country names come from a separate
table and win over a gazetteer key of the same span.

>>> scanner = PlaceScanner(keys={"hums", "alapu"}.__contains__, countries={"irak": "IQ"})
>>> [(c.text, c.query) for c in scanner.scan("Rebels took Homs and northern Aleppo, Iraq said.")]
[('Homs', 'Homs'), ('northern Aleppo', 'Aleppo'), ('Iraq', 'Iraq')]
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from anyascii import anyascii

from geo.places.normalize import ARTICLES, normalize_name

__all__ = ["FEATURE_WORDS", "PlaceCandidate", "PlaceMention", "PlaceScanner"]

_TOKEN = re.compile(r"[^\W_]+(?:['’ʼʿ`][^\W_]+)*")
_JOIN = re.compile(r"[ \t]*-?[ \t]*|[ \t]*\n?[ \t]*")  # what may separate words of one name
_MAX_WORDS = 6


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Feature phrases after a name, and the kind they suggest.
FEATURE_WORDS: dict[tuple[str, ...], str] = {
    ("border", "crossing"): "crossing", ("crossing",): "crossing", ("border", "post"): "crossing",
    ("military", "airport"): "airbase", ("airbase",): "airbase", ("air", "base"): "airbase",
    ("airport",): "airport", ("dam",): "dam", ("camp",): "camp", ("camps",): "camp",
    ("garrison",): "military_site", ("base",): "military_site", ("province",): "region",
    ("governorate",): "region", ("region",): "region", ("countryside",): "region",
    ("district",): "region", ("neighbourhood",): "neighbourhood", ("oil", "field"): "oil_field",
}  # fmt: skip
_FEATURE_FIRST = frozenset(words[0] for words in FEATURE_WORDS)
_DIRECTIONS = _words(
    "northern southern eastern western central north-eastern northeastern north-western "
    "northwestern south-eastern southeastern south-western southwestern rural"
)
# Words that are capitalised in news text but never a place on their own.
_COMMON_CAPS = _words(
    """
    a an the in on at of to from for by with near around into and or but as after before during
    while since when where this that these those he she it they we i his her its their our
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december
    president minister prime general major colonel commander leader spokesman official mr mrs dr
    deputy secretary ambassador envoy adviser advisor army forces state border news forum region
    government regime rebels rebel fighters troops militants police security national popular
    free democratic islamic islamist republic united central north south east west northern
    southern eastern western syrian iraqi kurdish turkish iranian russian american israeli
    lebanese jordanian arab arabs druze alawite alawites sunni sunnis shia shiite shiites christian
    yazidi assyrian armenian qatari saudi emirati egyptian european british french german kurds
    turkmen sheikh sharia hezbollah peshmerga reuters afp ap share reply comment views video
    source name leave please enter email website subscribe advertisement related read more
    photo image footage union
    """
)
# Place names that are also English words: not a place when they open a sentence or line.
_ENGLISH_NAMES = _words("hit ana bab tell mission deal mark rum bar dam camp")
# Given names, family names and titles that precede or form a person's name in this reporting.
_PERSON_WORDS = _words(
    """
    bashar hafez maher asma assad ahmed ahmad mohammed muhammad mohammad mohamed ali hassan hussein
    husseini abdullah omar khaled khalid mahmoud mustafa ibrahim yahya qasim qassem jolani julani
    joulani sharaa shara sudani araji erdogan putin biden trump netanyahu khamenei nasrallah
    mazloum abdi barzani talabani rasool baziani fidan lavrov blinken pedersen fathulla abu
    """
)
_ORG_HEADS = _words(
    """
    forum center centre university agency council forces army front brigade brigades division
    party observatory ministry times news post tv television radio club company group movement
    command operations office committee conference summit administration state authority
    commission coalition organization organisation institute foundation bank talks accord military
    """
)
# Articles that may open a lower-case mention ("at al-Qaim"); not "at", "as", "an" (English).
_START_ARTICLES = _words("al el ad ar az ash ath ez es ed")
_ORG_LINKS = frozenset({"of", "for", "and", "the"})


@dataclass(frozen=True)
class PlaceCandidate:
    """A span of text that names a place, before geocoding.

    ``query`` is what to geocode ("Al-Qaim border crossing"), ``fallback`` the bare name to try
    when the query is unknown ("Al-Qaim"), ``qualifier`` a direction before the name
    ("northern"), ``feature`` the kind a feature word suggests ("crossing", "region"), and
    ``country`` the ISO2 code when the span is a country name; ``opens_sentence`` whether it
    is one capitalised word at the start of a sentence or line (where any word is capitalised).
    """

    text: str
    start: int
    end: int
    query: str
    fallback: str | None = None
    qualifier: str | None = None
    feature: str | None = None
    country: str | None = None
    opens_sentence: bool = False


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text; ``name``/``lat``/``lon`` are ``None`` when unresolved.

    ``candidates`` lists the other places the name may mean when it is ambiguous (then the
    ``confidence`` is low), as ``"Name (where, kind)"``; empty when the choice is clear.
    """

    text: str
    start: int
    end: int
    name: str | None
    lat: float | None
    lon: float | None
    country: str | None
    kind: str | None
    confidence: float
    candidates: tuple[str, ...] = ()


class _Tok(NamedTuple):
    start: int
    end: int
    raw: str
    lower: str
    cap: bool
    joined: bool  # only blanks or one hyphen separate it from the previous token


@functools.lru_cache(maxsize=65536)
def _fold(token: str) -> str:
    return normalize_name(token)


def _may_start(toks: list[_Tok], i: int) -> bool:
    tok = toks[i]
    if tok.cap:
        return True
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return tok.lower in _START_ARTICLES and nxt is not None and nxt.joined and nxt.cap  # "al-Qaim"


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


def _clashes(cand: PlaceCandidate, excluded: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether an excluded span overlaps the candidate without lying inside it."""
    k = bisect.bisect_left(starts, cand.end)  # spans starting before the candidate ends
    return any(
        cand.start < e and not (cand.start <= s and e <= cand.end)
        for s, e in excluded[max(0, k - 8) : k]  # spans do not nest: a few suffice
    )


def _tokens(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    prev_end = -1
    possessive = False
    for m in _TOKEN.finditer(text):
        raw, start = m[0], m.start()
        if prev_end < 0 or possessive:
            joined = False  # a possessive ends a name: "Iraq's Kurdistan Region"
        else:
            gap = text[prev_end:start]
            joined = gap == " " or gap == "-" or _JOIN.fullmatch(gap) is not None
        possessive = raw[-2:] in ("'s", "’s")
        if possessive:
            raw = raw[:-2]
        lower = raw.lower() if raw.isascii() else anyascii(raw).lower()
        toks.append(_Tok(start, start + len(raw), raw, lower, raw[:1].isupper(), joined))
        prev_end = m.end()
    return toks


class PlaceScanner:
    """Scan text for place-name candidates.

    Parameters
    ----------
    keys : callable
        ``keys(key) -> bool``: whether a folded key names a usable place (for example a
        gazetteer's ``has_key`` restricted to the region).
    countries : mapping of str to str
        Folded country name -> ISO2 code ("irak" -> "IQ").
    prefixes : container of str, optional
        Every folded key's leading words ("deir" for "deir zur"): an n-gram that is no key's
        prefix ends the search at that position early. Without it every length is tried.
    max_words : int
        Longest n-gram tried.
    keep : container of str, optional
        Folded keys that are places although they are ordinary capitalised words of news
        text (demonyms: "Syrian", "Iraqi") or hold a word of a person's name (curated places:
        "Abu Kamal").

    Examples
    --------
    >>> from geo.places.normalize import normalize_name
    >>> known = {normalize_name(n) for n in ("Manbij", "Homs", "Iraq")}
    >>> scanner = PlaceScanner(keys=known.__contains__, countries={normalize_name("Iraq"): "IQ"})
    >>> [(c.text, c.country) for c in scanner.scan("Fighting near Manbij, Homs and in Iraq.")]
    [('Manbij', None), ('Homs', None), ('Iraq', 'IQ')]
    """

    def __init__(
        self,
        *,
        keys: Callable[[str], bool],
        countries: Mapping[str, str],
        prefixes: Container[str] | None = None,
        max_words: int = _MAX_WORDS,
        keep: Container[str] = frozenset(),
    ) -> None:
        if max_words < 1:
            raise ValueError(f"max_words must be at least 1, got {max_words!r}")
        self._keys = keys
        self._countries = dict(countries)
        self._max = max_words
        self._prefixes = prefixes
        self._keep = keep

    def scan(
        self, text: str, *, exclude: Sequence[tuple[int, int]] = ()
    ) -> tuple[PlaceCandidate, ...]:
        """Return the place candidates of ``text`` in text order.

        Parameters
        ----------
        text : str
            The text to scan.
        exclude : sequence of (start, end)
            Spans that are something else (faction mentions): a candidate overlapping one is
            dropped unless it contains it whole ("Turkey", "the Kurdistan region" are places
            and factions; "Kurdistan" in "Kurdistan Regional Government" is not a place).
        """
        toks = _tokens(text)
        excluded = sorted(exclude)
        starts = [s for s, _ in excluded]
        out: list[PlaceCandidate] = []
        i = 0
        while i < len(toks):
            found = self._match_at(toks, i) if _may_start(toks, i) else None
            if found is None:
                i += 1
                continue
            j, country = found
            cand = self._candidate(text, toks, i, j, country)
            if cand is None or _clashes(cand, excluded, starts):
                i += 1
                continue
            out.append(cand)
            i = j
            while i < len(toks) and toks[i].start < cand.end:
                i += 1
        return tuple(out)

    def _match_at(self, toks: list[_Tok], i: int) -> tuple[int, str | None] | None:
        """Longest n-gram at ``i`` that is a country or a gazetteer key: (end index, ISO2)."""
        words: list[str] = []
        best: tuple[int, str | None] | None = None
        for j in range(i, min(len(toks), i + self._max + 4)):
            tok = toks[j]
            if j > i and not tok.joined:
                break
            if tok.lower not in ARTICLES:
                words.append(_fold(tok.raw))
                if len(words) > self._max:
                    break
                key = " ".join(words)
                country = self._countries.get(key)
                if country is not None:
                    best = (j + 1, country)
                elif self._keys(key):
                    best = (j + 1, None)
                if self._prefixes is not None and key not in self._prefixes:
                    break
        return best

    def _candidate(
        self, text: str, toks: list[_Tok], i: int, j: int, country: str | None
    ) -> PlaceCandidate | None:
        content = [t for t in toks[i:j] if t.lower not in ARTICLES]
        if not content or self._rejected(toks, i, j, content):
            return None
        name = text[toks[i].start : toks[j - 1].end]
        start, end = toks[i].start, toks[j - 1].end
        feature = FEATURE_WORDS.get((content[-1].lower,)) if len(content) > 1 else None
        query, fallback = name, None
        k = j
        for n in (2, 1):  # a feature phrase right after the name
            words = tuple(t.lower for t in toks[j : j + n])
            if (
                len(words) == n
                and words in FEATURE_WORDS
                and all(t.joined for t in toks[j : j + n])
            ):
                feature, k = FEATURE_WORDS[words], j + n
                end = toks[k - 1].end
                query, fallback = text[start:end], name
                break
        qualifier = None
        if i > 0 and toks[i].joined and toks[i - 1].lower in _DIRECTIONS:
            qualifier = toks[i - 1].lower
            start = toks[i - 1].start
        elif feature and i > 0 and toks[i].joined and toks[i - 1].lower == "the":
            start = toks[i - 1].start
        if country is not None and feature is None:
            return PlaceCandidate(text[start:end], start, end, name, None, qualifier, None, country)
        opens = j - i == 1 and start == toks[i].start and _opens_sentence(text, start)
        return PlaceCandidate(
            text[start:end], start, end, query, fallback, qualifier, feature, opens_sentence=opens
        )

    def _rejected(self, toks: list[_Tok], i: int, j: int, content: list[_Tok]) -> bool:
        common = len(content) == 1 and content[0].lower in _COMMON_CAPS
        if common and _fold(content[0].raw) not in self._keep:
            return True
        if len(content) == 1 and content[0].lower in _ENGLISH_NAMES and not toks[i].joined:
            return True  # "Hit hard by ..." opening a sentence; mid-sentence "in Hit" stays
        person = any(t.lower in _PERSON_WORDS for t in content)
        if person and " ".join(_fold(t.raw) for t in content) not in self._keep:
            return True  # "Abu Kamal" is a curated place, "Abu Mohammed" a person
        b = i - 1
        while b >= 0 and toks[b].lower in ARTICLES and toks[b + 1].joined:
            b -= 1  # look past "al-" to the word before it
        if b >= 0 and toks[b + 1].joined:
            before = toks[b]
            if before.lower in _PERSON_WORDS or (
                before.cap and before.lower not in _COMMON_CAPS and before.lower not in ARTICLES
            ):
                return True  # inside a longer proper name: "Bashar al-Assad", "Ahmed al-Sharaa"
        if j < len(toks) and toks[j].joined and toks[j].cap:
            nxt = toks[j].lower
            if nxt in _ORG_HEADS:
                return True  # "Doha Forum", "Huda Center"
            if nxt not in _COMMON_CAPS and nxt not in _FEATURE_FIRST and nxt not in ARTICLES:
                return True  # the start of a longer proper name: "Victoria Taylor"
        k = i - 1
        while k >= 0 and i - k <= 10 and toks[k + 1].joined:
            tok = toks[k]
            if tok.lower in _ORG_HEADS and tok.cap:
                return True  # "Autonomous Administration of North and East Syria"
            if not (tok.cap or tok.lower in _ORG_LINKS):
                break
            k -= 1
        return False
