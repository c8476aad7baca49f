"""The dashboard's view as URL query parameters: parse, reconcile with the data, serialise.

A shared link reopens the same view: the map ``date``, the event window ``start``/``end``,
the ``faction`` ids (repeatable or comma-separated) and the ``event_type`` names. Parsing never
raises on garbage: each bad value is left out of the view and explained in ``problems``.

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

__all__ = [
    "NOTHING",
    "QUERY_KEYS",
    "ViewState",
    "parse_query_params",
    "reconcile",
    "to_query_params",
]

#: The query parameters the dashboard reads and writes, in URL order.
QUERY_KEYS: tuple[str, ...] = ("date", "start", "end", "faction", "event_type")

#: The list value that means "nothing selected" (``?faction=none``); absent means "all".
NOTHING: tuple[str, ...] = ("none",)
_NONE = NOTHING[0]

_MAX_VALUE_CHARS = 200  # longer values are garbage; shown truncated in messages
_MAX_ITEMS = 100


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
    )
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


def reconcile(
    view: ViewState,
    *,
    min_date: dt.date,
    max_date: dt.date,
    factions: Sequence[str],
    event_types: Sequence[str],
) -> tuple[ViewState, tuple[str, ...]]:
    """Fit a parsed view to the loaded data: clamp dates, keep only known values.

    Parameters
    ----------
    view : ViewState
        Typically from :func:`parse_query_params`.
    min_date, max_date : datetime.date
        The data's date range; dates outside it are moved to the nearest end.
    factions, event_types : sequence of str
        The values the data knows; others are dropped with a message.

    Returns
    -------
    (ViewState, tuple of str)
        The fitted view and one message per change.

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
    fitted_view = ViewState(
        **dates,
        factions=_known("faction", view.factions, factions, problems),
        event_types=_known("event_type", view.event_types, event_types, problems),
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
    """
    params: dict[str, str | list[str]] = {}
    for key in ("date", "start", "end"):
        value = getattr(view, key)
        if value is not None:
            params[key] = value.isoformat()
    if view.factions:
        params["faction"] = list(view.factions)
    if view.event_types:
        params["event_type"] = list(view.event_types)
    return params
