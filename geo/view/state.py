"""The dashboard's view as URL query parameters: parse, reconcile with the data, serialise.

A shared link reopens the same view: the map ``date`` and its ``step`` (``day``, ``week``,
``month`` or ``year``), the event window ``start``/``end`` or, when it was chosen in whole
years, ``years`` (``1995-2004``, or ``2001`` for one year), the ``faction`` ids and
``event_type`` names, and the ``border`` country pairs (``IQ-SY``) of the border filter with its
distance ``border_km`` (present only while the filter is on). The repeatable keys take repeated
or comma-separated values. Parsing never raises on garbage: each bad value is left out of the
view and explained in ``problems``.

A multi-choice left empty on purpose (no faction selected, so no event shown) is written as
the value ``none`` (``?faction=none``), so that the empty selection survives a reload; a
missing parameter means "all".

>>> from geo.view.state import parse_query_params, to_query_params
>>> view, problems = parse_query_params({"date": "2024-12-08", "faction": "hts,sdf"})
>>> view.date.isoformat(), view.factions, problems
('2024-12-08', ('hts', 'sdf'), ())
>>> to_query_params(view)
{'date': '2024-12-08', 'faction': ['hts', 'sdf']}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from geo.errors import ConfigError
from geo.view.periods import PERIODS, Period

__all__ = [
    "NOTHING",
    "QUERY_KEYS",
    "ViewState",
    "parse_query_params",
    "reconcile",
    "to_query_params",
]

#: The query parameters the dashboard reads and writes, in URL order.
QUERY_KEYS: tuple[str, ...] = (
    "date", "step", "start", "end", "years", "faction", "event_type", "border", "border_km",
)  # fmt: skip

#: The list value that means "nothing selected" (``?faction=none``); absent means "all".
NOTHING: tuple[str, ...] = ("none",)
_NONE = NOTHING[0]

_MAX_VALUE_CHARS = 200  # longer values are garbage; shown truncated in messages
_MAX_ITEMS = 100
_MAX_BORDER_KM = 500
_MIN_YEAR, _MAX_YEAR = 1, 9999


@dataclass(frozen=True)
class ViewState:
    """What the dashboard shows; ``None`` / empty means "the default for this data".

    Attributes
    ----------
    date : datetime.date or None
        The day whose control areas and frontlines are drawn.
    start, end : datetime.date or None
        The event window (inclusive).
    factions : tuple of str
        Faction ids to show; empty means all, :data:`NOTHING` means none.
    event_types : tuple of str
        Event types to show; empty means all, :data:`NOTHING` means none.
    step : {"day", "week", "month", "year"} or None
        How far the map date's step buttons and Play move it.
    years : (int, int) or None
        The event window as whole years (first, last), instead of ``start``/``end``.
    borders : tuple of str
        Border keys (sorted ISO2 pairs) of the border filter; empty means the data's default
        borders (``atlas.toml``'s, else every one), :data:`NOTHING` means none.
    border_km : float or None
        The border filter's distance; ``None`` means the filter is off.

    Examples
    --------
    >>> ViewState().factions
    ()
    """

    date: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    factions: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    step: Period | None = None
    years: tuple[int, int] | None = None
    borders: tuple[str, ...] = ()
    border_km: float | None = None


def _show(value: str) -> str:
    """Return ``value`` quoted and truncated for an error message."""
    if len(value) > 60:
        value = value[:57] + "..."
    return repr(value)


def _values(params: Mapping[str, object], key: str) -> list[str]:
    """Return every raw string given for ``key`` (a string, or a list of them for repeats)."""
    raw = params.get(key)
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, Iterable):
        return [str(item) for item in raw]
    return [str(raw)]


def _parse_date(key: str, raw: list[str], problems: list[str]) -> dt.date | None:
    """Parse the last value of a date parameter; record a problem for garbage."""
    if not raw:
        return None
    text = raw[-1].strip()
    if not text:
        return None
    if len(text) <= _MAX_VALUE_CHARS:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:  # a full timestamp is fine too: keep its day
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
    problems.append(f"query parameter {key}={_show(text)} is not a date (YYYY-MM-DD); ignored")
    return None


def _parse_step(raw: list[str], problems: list[str]) -> Period | None:
    """Parse the last ``step`` value: one of :data:`geo.view.periods.PERIODS`."""
    text = raw[-1].strip().casefold() if raw else ""
    if not text:
        return None
    if text in PERIODS:
        return text  # type: ignore[return-value]
    problems.append(
        f"query parameter step={_show(text)} is not one of {', '.join(PERIODS)}; ignored"
    )
    return None


def _parse_years(raw: list[str], problems: list[str]) -> tuple[int, int] | None:
    """Parse the last ``years`` value: ``1995-2004`` or ``2001`` (first and last year)."""
    text = raw[-1].strip() if raw else ""
    if not text:
        return None
    first, sep, last = text.partition("-")
    try:
        years = (int(first), int(last) if sep else int(first))
    except ValueError:
        years = None
    if years is None or not all(_MIN_YEAR <= year <= _MAX_YEAR for year in years):
        problems.append(
            f"query parameter years={_show(text)} is not a year range (YYYY-YYYY); ignored"
        )
        return None
    if years[0] > years[1]:
        problems.append(f"query parameter years={text} is in the wrong order; swapped")
        years = (years[1], years[0])
    return years


def _parse_km(raw: list[str], problems: list[str]) -> float | None:
    """Parse the last ``border_km`` value: a distance from 1 to 500 km."""
    text = raw[-1].strip() if raw else ""
    if not text:
        return None
    try:
        km = float(text) if len(text) <= _MAX_VALUE_CHARS else None
    except ValueError:
        km = None
    if km is None or not 1 <= km <= _MAX_BORDER_KM:
        problems.append(
            f"query parameter border_km={_show(text)} is not a distance from 1 to "
            f"{_MAX_BORDER_KM} km; ignored"
        )
        return None
    return km


def _parse_list(key: str, raw: list[str], problems: list[str]) -> tuple[str, ...]:
    """Split repeated and comma-separated values, dropping blanks and duplicates (in order)."""
    items: list[str] = []
    for value in raw:
        if len(value) > _MAX_VALUE_CHARS:
            problems.append(f"query parameter {key}={_show(value)} is too long; ignored")
            continue
        items.extend(part.strip() for part in value.split(","))
    items = [_NONE if item.casefold() == _NONE else item for item in items]
    unique = tuple(dict.fromkeys(item for item in items if item))
    if _NONE in unique and len(unique) > 1:
        problems.append(f"query parameter {key}={_NONE} is mixed with values; {_NONE} ignored")
        unique = tuple(item for item in unique if item != _NONE)
    if len(unique) > _MAX_ITEMS:
        problems.append(
            f"query parameter {key} has {len(unique)} values; kept the first {_MAX_ITEMS}"
        )
        unique = unique[:_MAX_ITEMS]
    return unique


def parse_query_params(params: Mapping[str, object]) -> tuple[ViewState, tuple[str, ...]]:
    """Read a :class:`ViewState` from query parameters, tolerating garbage.

    Parameters
    ----------
    params : mapping
        Parameter name to a string or a list of strings (repeated keys), for example
        ``st.query_params.to_dict()`` or ``urllib.parse.parse_qs(...)``. Unknown keys are ignored.

    Returns
    -------
    (ViewState, tuple of str)
        The view, and one human-readable message per value that was ignored.

    Examples
    --------
    >>> view, problems = parse_query_params({"start": "soon", "faction": ["hts", "sna"]})
    >>> view.start is None, view.factions
    (True, ('hts', 'sna'))
    >>> problems[0]
    "query parameter start='soon' is not a date (YYYY-MM-DD); ignored"
    """
    problems: list[str] = []
    view = ViewState(
        date=_parse_date("date", _values(params, "date"), problems),
        start=_parse_date("start", _values(params, "start"), problems),
        end=_parse_date("end", _values(params, "end"), problems),
        factions=_parse_list("faction", _values(params, "faction"), problems),
        event_types=_parse_list("event_type", _values(params, "event_type"), problems),
        step=_parse_step(_values(params, "step"), problems),
        years=_parse_years(_values(params, "years"), problems),
        borders=_parse_list("border", _values(params, "border"), problems),
        border_km=_parse_km(_values(params, "border_km"), problems),
    )
    if view.years and (view.start or view.end):
        problems.append("query parameter years is given with start/end; start/end ignored")
        view = replace(view, start=None, end=None)
    if view.start and view.end and view.start > view.end:
        problems.append(
            f"query parameters start={view.start.isoformat()} and end={view.end.isoformat()} "
            "are in the wrong order; swapped"
        )
        view = replace(view, start=view.end, end=view.start)
    return view, tuple(problems)


def _clamp(value: dt.date | None, lo: dt.date, hi: dt.date) -> dt.date | None:
    return None if value is None else min(max(value, lo), hi)


def _known(
    key: str, wanted: tuple[str, ...], known: Sequence[str], problems: list[str]
) -> tuple[str, ...]:
    """Keep the values of ``wanted`` that are in ``known`` (case-insensitively); report the rest.

    :data:`NOTHING` is kept as it is.
    """
    if wanted == NOTHING:
        return NOTHING
    by_fold = {str(item).casefold(): str(item) for item in known}
    kept = tuple(dict.fromkeys(by_fold[w.casefold()] for w in wanted if w.casefold() in by_fold))
    unknown = [w for w in wanted if w.casefold() not in by_fold]
    if unknown:
        shown = ", ".join(_show(w) for w in unknown[:5])
        problems.append(f"unknown {key} {shown} in the link; ignored")
    return kept


def _pair(key: str) -> str:
    """A border key's canonical form: the two ISO2 codes upper-cased and sorted, joined by -.

    Any dash or separator works (``IQ–SY``, ``sy-iq``, ``IQ SY``).
    """
    codes = "".join(c if c.isalnum() else " " for c in key).upper().split()
    return "-".join(sorted(codes))


def _known_borders(
    wanted: tuple[str, ...], known: Sequence[str], problems: list[str]
) -> tuple[str, ...]:
    """Keep the border pairs of ``wanted`` that the data has, as the data spells them."""
    if wanted == NOTHING:
        return NOTHING
    by_pair = {_pair(str(item)): str(item) for item in known}
    kept = tuple(dict.fromkeys(by_pair[_pair(w)] for w in wanted if _pair(w) in by_pair))
    unknown = [w for w in wanted if _pair(w) not in by_pair]
    if unknown:
        shown = ", ".join(_show(w) for w in unknown[:5])
        problems.append(f"unknown border {shown} in the link (not in the data); ignored")
    return kept


def _years_window(
    years: tuple[int, int], min_date: dt.date, max_date: dt.date, problems: list[str]
) -> tuple[dt.date, dt.date]:
    """The event window of whole years, clamped to the data."""
    first, last = years
    if first < min_date.year or last > max_date.year:
        problems.append(
            f"years {first}-{last} go beyond the data ({min_date.year} to {max_date.year}); "
            "moved into it"
        )
    first, last = max(first, min_date.year), min(last, max_date.year)
    first, last = min(first, max_date.year), max(last, min_date.year)
    start = _clamp(dt.date(first, 1, 1), min_date, max_date)
    end = _clamp(dt.date(last, 12, 31), min_date, max_date)
    return start, end  # type: ignore[return-value]


def reconcile(
    view: ViewState,
    *,
    min_date: dt.date,
    max_date: dt.date,
    factions: Sequence[str],
    event_types: Sequence[str],
    borders: Sequence[str] = (),
) -> tuple[ViewState, tuple[str, ...]]:
    """Fit a parsed view to the loaded data: clamp dates, keep only known values.

    Parameters
    ----------
    view : ViewState
        Typically from :func:`parse_query_params`.
    min_date, max_date : datetime.date
        The data's date range; dates outside it are moved to the nearest end.
    factions, event_types, borders : sequence of str
        The values the data knows; others are dropped with a message (border pairs match in
        any order and with any dash).

    Returns
    -------
    (ViewState, tuple of str)
        The fitted view and one message per change. A ``years`` range is kept (moved into
        the data's years) and also set as ``start``/``end``, clamped to the data.

    Examples
    --------
    >>> import datetime as dt
    >>> view = ViewState(date=dt.date(2030, 1, 1), factions=("HTS", "nobody"))
    >>> fitted, problems = reconcile(view, min_date=dt.date(2024, 11, 26),
    ...     max_date=dt.date(2024, 12, 15), factions=["hts", "sdf"], event_types=[])
    >>> fitted.date.isoformat(), fitted.factions
    ('2024-12-15', ('hts',))
    >>> len(problems)
    2
    """
    if min_date > max_date:
        raise ConfigError(f"min_date {min_date} is after max_date {max_date}")
    problems: list[str] = []
    dates = {}
    for key in ("date", "start", "end"):
        value = getattr(view, key)
        fitted = _clamp(value, min_date, max_date)
        if fitted != value:
            problems.append(
                f"{key} {value.isoformat()} is outside the data "
                f"({min_date.isoformat()} to {max_date.isoformat()}); moved to {fitted.isoformat()}"
            )
        dates[key] = fitted
    years = view.years
    if years is not None:
        dates["start"], dates["end"] = _years_window(years, min_date, max_date, problems)
        years = (dates["start"].year, dates["end"].year)
    fitted_view = replace(
        view,
        **dates,
        years=years,
        factions=_known("faction", view.factions, factions, problems),
        event_types=_known("event_type", view.event_types, event_types, problems),
        borders=_known_borders(view.borders, borders, problems),
    )
    return fitted_view, tuple(problems)


def to_query_params(view: ViewState) -> dict[str, str | list[str]]:
    """Serialise a view to query parameters (lists for the repeatable keys; empty values left out).

    Examples
    --------
    >>> import datetime as dt
    >>> to_query_params(ViewState(start=dt.date(2024, 12, 1), event_types=("Battles",)))
    {'start': '2024-12-01', 'event_type': ['Battles']}
    >>> to_query_params(ViewState(factions=NOTHING))
    {'faction': ['none']}
    >>> to_query_params(ViewState(step="year", years=(1995, 2004), borders=("IQ–SY",)))
    {'step': 'year', 'years': '1995-2004', 'border': ['IQ-SY']}

    A ``years`` range is written instead of ``start``/``end``.
    """
    params: dict[str, str | list[str]] = {}
    if view.date is not None:
        params["date"] = view.date.isoformat()
    if view.step is not None:
        params["step"] = view.step
    if view.years is not None:
        first, last = view.years
        params["years"] = f"{first}-{last}" if first != last else str(first)
    else:
        for key in ("start", "end"):
            value = getattr(view, key)
            if value is not None:
                params[key] = value.isoformat()
    if view.factions:
        params["faction"] = list(view.factions)
    if view.event_types:
        params["event_type"] = list(view.event_types)
    if view.borders:
        params["border"] = [b if b == _NONE else _pair(b) for b in view.borders]
    if view.border_km is not None:
        params["border_km"] = f"{view.border_km:g}"
    return params
