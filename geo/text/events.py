"""Split news text into sentences and type the action of a sentence in ACLED's event taxonomy.

The taxonomy is ACLED's six event types with their sub-event types (``Battles`` /
``Non-state actor overtakes territory`` ...). Typing is by trigger phrases, checked in text
order; the first trigger of a sentence types it. Draft events are for review, so the rules
favour the common wire-report phrasings over completeness.

>>> typing = classify_sentence("Rebels seized the city of Homs on Saturday.")
>>> typing.event_type, typing.sub_event_type
('Battles', 'Non-state actor overtakes territory')
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from geo.text.dates import DateMention
from geo.text.factions import FactionMention
from geo.text.places import PlaceMention

__all__ = [
    "EVENT_TYPES",
    "NOT_EVENT_PLACES",
    "DraftEvent",
    "EventType",
    "EventTyping",
    "classify_sentence",
    "draft_events",
    "split_sentences",
]

EventType = Literal[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]
#: ACLED event types, in the order ACLED lists them.
EVENT_TYPES: tuple[str, ...] = get_args(EventType)

_BATTLES, _REMOTE, _VAC = "Battles", "Explosions/Remote violence", "Violence against civilians"
_STRATEGIC = "Strategic developments"

# (pattern, event type, sub-event type, confidence of the typing)
_RULES: tuple[tuple[str, str, str, float], ...] = (
    (r"car bomb|roadside bomb|\bIEDs?\b|landmines?|explosive device|bomb exploded|"
     r"(?:bomb|device|mine) (?:went off|exploded)", _REMOTE, "Remote explosive/landmine/IED", 0.8),
    (r"suicide (?:bomb|attack)", _REMOTE, "Suicide bomb", 0.8),
    (r"air ?strikes?|drone strikes?|(?:warplanes|jets|aircraft|drones|planes) (?:struck|hit|"
     r"bombed|targeted|pounded|carried out)|bombarded from the air|airstrikes?",
     _REMOTE, "Air/drone strike", 0.8),
    (r"shell(?:ed|ing)|artillery|rockets?|missiles?|mortars?", _REMOTE,
     "Shelling/artillery/missile attack", 0.7),
    (r"\b(?:seized|captured|took control|taken control|take control|took over|taken over|"
     r"overran|overrun|stormed|swept into|entered|moved into|retook|recaptured|"
     r"claimed control|seizing|capturing|liberated|(?:had )?fallen to|fell to)\b",
     _BATTLES, "Non-state actor overtakes territory", 0.75),
    (r"\b(?:clash(?:es|ed)?|fighting|fought|battles?|firefights?|exchanged fire|"
     r"repelled|repulsed|offensive|attack(?:ed|ing|s)?|advanc(?:ed|ing))\b",
     _BATTLES, "Armed clash", 0.65),
    (r"\b(?:massacred?|executed|killed (?:\w+ )?civilians|shot dead)\b", _VAC, "Attack", 0.6),
    (r"\b(?:abducted|kidnapped|disappeared)\b", _VAC, "Abduction/forced disappearance", 0.6),
    (r"\b(?:riot(?:s|ers|ed)?|mob)\b", "Riots", "Violent demonstration", 0.6),
    (r"\b(?:protest(?:s|ed|ers)?|demonstrat(?:ed|ion|ions|ors)|rall(?:y|ied|ies)|"
     r"marched|sit-in)\b", "Protests", "Peaceful protest", 0.7),
    (r"\b(?:withdr[ea]w|withdrawn|withdrawal|abandon(?:ed|ing)|handed over|hand over|"
     r"pulled out|pull(?:ed)? back|retreated|redeployed|evacuated (?:their |its )?positions)\b",
     _STRATEGIC, "Non-violent transfer of territory", 0.7),
    (r"\b(?:arrest(?:ed|s)?|detained|detentions?)\b", _STRATEGIC, "Arrests", 0.65),
    (r"\b(?:ceasefire|truce|agreement|agreed|negotiat(?:ed|ing|ions?)|deal)\b",
     _STRATEGIC, "Agreement", 0.5),
    (r"\b(?:crossed (?:the border )?into|fled (?:across|into|to|toward)|fled\b|defected|"
     r"reinforce[sd]?|deployed|sent (?:to|reinforcements)|raised (?:their|its) alert)\b",
     _STRATEGIC, "Other", 0.55),
)  # fmt: skip
# One alternation, one named group per rule: the leftmost trigger wins, ties go to the
# earlier rule, with a single search per sentence.
_TRIGGERS = re.compile(
    r"\b(?:" + "|".join(f"(?P<r{k}>{pattern})" for k, (pattern, *_) in enumerate(_RULES)) + ")",
    re.IGNORECASE,
)

_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "gen", "maj", "lt", "col", "capt", "sgt", "brig", "st", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no",
        "vol", "e.g", "i.e", "approx", "etc", "u.s", "u.n", "u.k",
    }
)  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?][\"'’”)]*(?=\s+[\"'‘“(]?[A-Z0-9])|\n\s*\n|\n(?=\S)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if m is None or text[dot] != ".":
        return False
    word = m[1]
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


@dataclass(frozen=True)
class EventTyping:
    """The event type of a sentence: ACLED type and sub-type, the trigger and its offset."""

    event_type: str
    sub_event_type: str
    trigger: str
    start: int
    confidence: float


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Return ``(start, end)`` offsets of the sentences of ``text`` (blank runs excluded).

    A sentence ends at ``.``, ``!`` or ``?`` followed by a capital letter or digit (not after
    common abbreviations such as "Gen." or "Dec."), and at every line break, so a headline
    is its own sentence.

    Examples
    --------
    >>> t = "Gen. Ali spoke. Rebels took Homs.\\nNext line"
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Gen. Ali spoke.', 'Rebels took Homs.', 'Next line']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _is_abbreviation(text, m.start()):
            continue
        end = m.end() if m[0].strip() else m.start()
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def classify_sentence(sentence: str) -> EventTyping | None:
    """Type a sentence by its first trigger phrase; ``None`` when it reports no action.

    Examples
    --------
    >>> classify_sentence("Soldiers crossed into Iraq at Al-Qaim.").sub_event_type
    'Other'
    >>> classify_sentence("Officials said the border was calm.") is None
    True
    """
    m = _TRIGGERS.search(sentence)
    if m is None or m.lastgroup is None:
        return None
    _, event_type, sub_type, confidence = _RULES[int(m.lastgroup[1:])]
    return EventTyping(event_type, sub_type, m[0], m.start(), confidence)


@dataclass(frozen=True)
class DraftEvent:
    """An event drafted from one sentence, for an analyst to review.

    ``event_type``/``sub_event_type`` follow ACLED's taxonomy; ``sentence`` is the evidence.
    """

    date: datetime.date | None
    place: str | None
    lat: float | None
    lon: float | None
    faction: str | None
    event_type: str
    sub_event_type: str | None
    sentence: str
    confidence: float


#: Kinds that never locate an event: a people ("Syrian"), a continent or a macro-region.
NOT_EVENT_PLACES = frozenset({"demonym", "continent", "macro_region"})
_AREAS = frozenset({"region", "admin1", "county", "feature"})


def _specific(mention: PlaceMention) -> int:
    """Rank for choosing an event's place: points before areas before countries; 3: never."""
    if mention.lat is None or mention.kind in NOT_EVENT_PLACES:
        return 3
    if mention.kind == "country":
        return 2
    return 1 if mention.kind in _AREAS else 0


_BORROWED = 0.85  # the place comes from the next sentence


def draft_events(
    text: str,
    *,
    places: Sequence[PlaceMention],
    factions: Sequence[FactionMention],
    dates: Sequence[DateMention],
) -> tuple[DraftEvent, ...]:
    """Draft one event per sentence of ``text`` that reports an action.

    The actor is the last faction mentioned before the trigger (else the sentence's first);
    the place is the most specific resolved place after the trigger (points before areas
    before countries; else the sentence's), or, when that is only a country, a place in it
    named by the next sentence if that sentence reports no action itself; the date is the
    sentence's first date. The confidence grows with each of the three that is found.

    Examples
    --------
    >>> [e.sub_event_type for e in draft_events("Clashes erupted.", places=(), factions=(),
    ...                                         dates=())]
    ['Armed clash']
    """
    sentences = split_sentences(text)
    typings = [classify_sentence(text[s:e]) for s, e in sentences]
    events = []
    for k, ((start, end), typing) in enumerate(zip(sentences, typings, strict=True)):
        if typing is None:
            continue
        trigger = start + typing.start
        s_places = [p for p in places if start <= p.start < end and _specific(p) < 3]
        s_factions = [f for f in factions if start <= f.start < end]
        s_dates = [d for d in dates if start <= d.start < end]
        after = [p for p in s_places if p.start >= trigger]
        place = min(after or s_places, key=lambda p: (_specific(p), p.start), default=None)
        borrowed = False
        if (place is None or _specific(place) == 2) and k + 1 < len(sentences):
            place, borrowed = _from_next_sentence(place, sentences[k + 1], typings[k + 1], places)
        before = [f for f in s_factions if f.start < trigger]
        actor = before[-1] if before else (s_factions[0] if s_factions else None)
        date = s_dates[0] if s_dates else None
        sub_type = typing.sub_event_type
        if sub_type == "Non-state actor overtakes territory" and actor and actor.faction == "gov":
            sub_type = "Government regains territory"
        confidence = typing.confidence * (
            0.4 + 0.25 * (actor is not None) + 0.2 * (place is not None) + 0.15 * (date is not None)
        )
        if place is not None:
            confidence *= (0.5 + 0.5 * place.confidence) * (_BORROWED if borrowed else 1.0)
        events.append(
            DraftEvent(
                date=date.date if date else None,
                place=place.name if place else None,
                lat=place.lat if place else None,
                lon=place.lon if place else None,
                faction=actor.faction if actor else None,
                event_type=typing.event_type,
                sub_event_type=sub_type,
                sentence=text[start:end],
                confidence=round(confidence, 3),
            )
        )
    return tuple(events)


def _from_next_sentence(
    place: PlaceMention | None,
    span: tuple[int, int],
    typing: EventTyping | None,
    places: Sequence[PlaceMention],
) -> tuple[PlaceMention | None, bool]:
    """A point-like place of the next sentence when it reports no action of its own.

    "Soldiers fled into Iraq on Sunday. They asked to enter through the Al-Qaim crossing."
    places the flight at the crossing; the country, when known, must be the same.
    """
    if typing is not None:
        return place, False
    start, end = span
    for p in places:
        same_country = place is None or p.country == place.country
        if start <= p.start < end and _specific(p) == 0 and same_country:
            return p, True
    return place, False
