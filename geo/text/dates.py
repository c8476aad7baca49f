"""Find date expressions in news text and resolve them against the publication date.

Wire reports are written in the past tense, so a bare weekday ("on Sunday", "Saturday") means
the most recent such day on or before publication, and a day and month without a year ("on 1
December") means the most recent such date not more than a week after publication. Relative
expressions without a day ("last week", "last month") resolve to a date with a coarser
``precision``.

>>> import datetime
>>> [(d.text, d.date.isoformat()) for d in find_dates(
...     "Rebels took Homs on Saturday.", published=datetime.date(2024, 12, 9))]
[('on Saturday', '2024-12-07')]
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["DateMention", "DatePrecision", "find_dates", "resolve_weekday"]

logger = logging.getLogger(__name__)

DatePrecision = Literal["day", "week", "month"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = (
    r"(?P<{g}>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<{g}>(?:19|20)\d\d))?"
_PATTERN = re.compile(
    "|".join(
        (
            r"(?P<iso>\b(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)",
            r"(?P<dm>\b"
            + _DAY.format(g="d1")
            + r"\s+"
            + _MONTH.format(g="m1")
            + r"(?!\w)"
            + _YEAR.format(g="y1")
            + ")",
            r"(?P<md>\b"
            + _MONTH.format(g="m2")
            + r"\s+"
            + _DAY.format(g="d2")
            + r"\b"
            + _YEAR.format(g="y2")
            + ")",
            r"(?P<wd>\b(?:(?P<wmod>[Oo]n|[Ll]ast|[Bb]y|[Ss]ince|[Tt]his|[Nn]ext)\s+)?"
            r"(?P<wday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)",
            r"(?P<rel>\b(?:[Yy]esterday|[Tt]oday|[Ll]ast night|[Tt]his morning"
            r"|(?:[Ee]arlier\s+)?[Tt]his week|[Ll]ast week|[Ll]ast month|[Tt]his month)\b)",
        )
    )
)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text, with its resolved calendar date.

    ``start``/``end`` are character offsets into the parsed text; ``precision`` says whether
    ``date`` is the day meant (``"day"``) or a representative day of a week or month.
    """

    text: str
    start: int
    end: int
    date: datetime.date
    precision: DatePrecision = "day"


def resolve_weekday(
    weekday: str, *, published: datetime.date, modifier: str | None = None
) -> datetime.date:
    """Resolve a weekday name against the publication date of past-tense reporting.

    Parameters
    ----------
    weekday : str
        An English weekday name, any case.
    published : datetime.date
        The publication date of the text.
    modifier : str, optional
        The word before it: ``"last"`` means strictly before publication, ``"next"`` strictly
        after, ``"this"`` within the publication week; anything else the most recent such day
        on or before publication.

    Examples
    --------
    >>> resolve_weekday("Sunday", published=datetime.date(2024, 12, 9)).isoformat()
    '2024-12-08'
    >>> resolve_weekday("monday", published=datetime.date(2024, 12, 9), modifier="last").isoformat()
    '2024-12-02'
    """
    try:
        target = _WEEKDAYS.index(weekday.strip().lower())
    except ValueError as err:
        raise ValueError(f"not a weekday name: {weekday!r}") from err
    mod = (modifier or "").lower()
    back = (published.weekday() - target) % 7
    if mod == "next":
        return published + datetime.timedelta(days=(target - published.weekday()) % 7 or 7)
    if mod == "last" and back == 0:
        back = 7
    if mod == "this":
        return published - datetime.timedelta(days=published.weekday() - target)
    return published - datetime.timedelta(days=back)


def _month_day(
    month: str, day: str, year: str | None, published: datetime.date | None
) -> datetime.date | None:
    number = _MONTHS[month.lower()[:3]]
    if year:
        return datetime.date(int(year), number, int(day))
    if published is None:
        return None
    candidate = datetime.date(published.year, number, int(day))
    if candidate > published + datetime.timedelta(days=7):  # past-tense reporting
        candidate = datetime.date(published.year - 1, number, int(day))
    return candidate


def _relative(phrase: str, published: datetime.date) -> tuple[datetime.date, DatePrecision]:
    p = phrase.lower()
    if p in ("today", "this morning"):
        return published, "day"
    if p in ("yesterday", "last night"):
        return published - datetime.timedelta(days=1), "day"
    if p.endswith("this week"):
        return published - datetime.timedelta(days=published.weekday()), "week"
    if p == "last week":
        return published - datetime.timedelta(days=published.weekday() + 7), "week"
    if p == "this month":
        return published.replace(day=1), "month"
    # last month
    return (published.replace(day=1) - datetime.timedelta(days=1)).replace(day=1), "month"


def _resolve(
    m: re.Match[str], published: datetime.date | None
) -> tuple[datetime.date | None, DatePrecision]:
    if m["iso"]:
        return datetime.date(int(m["iy"]), int(m["im"]), int(m["id"])), "day"
    if m["dm"]:
        return _month_day(m["m1"], m["d1"], m["y1"], published), "day"
    if m["md"]:
        return _month_day(m["m2"], m["d2"], m["y2"], published), "day"
    if published is None:
        return None, "day"
    if m["wd"]:
        return resolve_weekday(m["wday"], published=published, modifier=m["wmod"]), "day"
    return _relative(m["rel"], published)


def find_dates(text: str, *, published: datetime.date | None = None) -> tuple[DateMention, ...]:
    """Return every date expression in ``text`` that can be resolved, in text order.

    Expressions that need a reference date (weekdays, "last week", a day and month without a
    year) are resolved against ``published``; without it they are logged and skipped, as are
    impossible calendar dates ("31 November").

    Examples
    --------
    >>> d = find_dates("Protests began last week.", published=datetime.date(2024, 12, 18))[0]
    >>> d.date.isoformat(), d.precision
    ('2024-12-09', 'week')
    >>> [d.date.isoformat() for d in find_dates("Clashes on 1 December 2024 and on Dec. 3.")]
    ['2024-12-01']
    """
    found: list[DateMention] = []
    for m in _PATTERN.finditer(text):
        try:
            date, precision = _resolve(m, published)
        except ValueError:
            logger.info("not a calendar date: %r at %d", m[0], m.start())
            continue
        if date is None:
            logger.info("no publication date to resolve %r at %d", m[0], m.start())
            continue
        found.append(DateMention(m[0], m.start(), m.end(), date, precision))
    return tuple(found)
