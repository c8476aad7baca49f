"""The sidebar: every filter of the dashboard, initialised from the URL and kept in it.

Widgets are keyed and read their value from ``st.session_state`` (never a ``value=``
argument), so that the URL, the step buttons and the play control can set them before the
widgets are drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from geo.view.periods import PERIODS, Period, step_date
from geo.view.state import (
    NOTHING,
    QUERY_KEYS,
    ViewState,
    parse_query_params,
    reconcile,
    to_query_params,
)
from ui.mapview import DEFAULT_LAYERS, LAYERS

__all__ = [
    "FilterOptions",
    "Filters",
    "current_filters",
    "init_state",
    "render_sidebar",
    "render_sidebar_placeholder",
    "sync_url",
]

ONE_DAY = dt.timedelta(days=1)
DEFAULT_BORDER_KM = 25
_LIST_KEYS = ("faction", "event_type", "border")  # repeatable query parameters


@dataclass(frozen=True)
class FilterOptions:
    """What the data offers to filter on."""

    min_date: dt.date
    max_date: dt.date
    factions: tuple[str, ...]  # ids
    faction_names: tuple[tuple[str, str], ...]  # (id, display name)
    event_types: tuple[str, ...]
    countries: tuple[str, ...]
    borders: tuple[str, ...] = ()  # "IQ–SY" keys of the borders between the data's countries
    border_names: tuple[tuple[str, str], ...] = ()  # (key, "Iraq – Syria")
    default_borders: tuple[str, ...] = ()  # atlas.toml's, else every border
    default_countries: tuple[str, ...] = ()  # atlas.toml's, else every country
    default_date: dt.date | None = None  # atlas.toml's, else the last day
    period: Period = "day"  # the map date's step that fits the range
    has_control: bool = True  # False: an event-only dataset (no control claims or areas)


@dataclass(frozen=True)
class Filters:
    """The user's choices; ``None`` for a multi-choice means "all" (no filter)."""

    date: dt.date
    start: dt.date
    end: dt.date
    factions: tuple[str, ...] | None
    event_types: tuple[str, ...] | None
    countries: tuple[str, ...] | None
    text: str
    near_border_km: float | None
    layers: tuple[str, ...] = DEFAULT_LAYERS  # data layers drawn on the map
    borders: tuple[str, ...] | None = None  # border keys for near_border_km; None: every one
    step: Period = "day"  # the map date's step (buttons and Play)
    years: tuple[int, int] | None = None  # the window chosen as whole years (first, last)
    # The borders as the URL keeps them: () for the data's default ones, NOTHING for none.
    border_link: tuple[str, ...] = ()

    @property
    def selects_nothing(self) -> bool:
        """True when a multi-choice has nothing selected: no event can be shown."""
        return any(v == () for v in (self.factions, self.event_types, self.countries))

    def view(self) -> ViewState:
        """The part of the filters that lives in the URL (nothing selected: ``none``)."""
        return ViewState(
            date=self.date,
            start=self.start,
            end=self.end,
            factions=_url_list(self.factions),
            event_types=_url_list(self.event_types),
            step=self.step,
            years=self.years,
            borders=self.border_link,
            border_km=self.near_border_km,
        )


def _url_list(chosen: tuple[str, ...] | None) -> tuple[str, ...]:
    """``None`` (all) -> ``()``; ``()`` (nothing) -> :data:`geo.view.state.NOTHING`."""
    if chosen is None:
        return ()
    return chosen or NOTHING


def _from_url(values: tuple[str, ...], every: Sequence[str]) -> list[str]:
    """The inverse of :func:`_url_list`: ``()`` -> every value; ``NOTHING`` -> none."""
    if values == NOTHING:
        return []
    return list(values or every)


def _clamp(value: dt.date, options: FilterOptions) -> dt.date:
    return min(max(value, options.min_date), options.max_date)


def _keep(selected: Sequence[str], allowed: Sequence[str]) -> list[str]:
    allowed_set = set(allowed)
    return [value for value in selected if value in allowed_set]


def init_state(options: FilterOptions) -> None:
    """Give every filter widget a valid value: from the URL on a session's first run, else kept.

    Values that no longer fit the data (after an upload changed it) are clamped or dropped; new
    factions, event types and countries are selected when everything was selected before.
    """
    state = st.session_state
    if "view_loaded" not in state:
        state["view_loaded"] = True
        view, problems = parse_query_params(st.query_params.to_dict() | _repeated_params())
        view, more = reconcile(
            view,
            min_date=options.min_date,
            max_date=options.max_date,
            factions=options.factions,
            event_types=options.event_types,
            borders=options.borders,
        )
        state["view_problems"] = (*problems, *more)
        state["map_date"] = view.date or options.default_date or options.max_date
        state["window"] = (view.start or options.min_date, view.end or options.max_date)
        state["factions"] = _from_url(view.factions, options.factions)
        state["event_types"] = _from_url(view.event_types, options.event_types)
        state["countries"] = list(options.default_countries or options.countries)
        state["borders"] = _from_url(view.borders, options.default_borders or options.borders)
        state["step"] = view.step or options.period
        state["window_in_years"] = view.years is not None
        state["text"] = ""
        state["near_border"] = view.border_km is not None
        state["border_km"] = round(view.border_km or DEFAULT_BORDER_KM)
        state["playing"] = False
        state["known_options"] = options
        for layer in LAYERS:
            state[f"layer_{layer}"] = layer in DEFAULT_LAYERS
    known: FilterOptions = state.get("known_options", options)
    if state.pop("advance_date", False):  # the play control asked for the next step
        state["map_date"] = step_date(state["map_date"], state.get("step", "day"), 1)
    state["map_date"] = _clamp(state["map_date"], options)
    start, end = (_clamp(day, options) for day in state["window"])
    state["window"] = (min(start, end), max(start, end))
    state.setdefault("borders", list(options.borders))
    state.setdefault("step", options.period)
    for key in ("factions", "event_types", "countries", "borders"):
        before, now = getattr(known, key), getattr(options, key)
        selected = _keep(state[key], now)
        if set(state[key]) >= set(before):  # everything was selected: keep it that way
            selected += [value for value in now if value not in selected]
        state[key] = selected
    state["known_options"] = options


def _repeated_params() -> dict[str, list[str]]:
    """Repeated keys (``?faction=a&faction=b``): ``to_dict`` keeps only the last value."""
    return {key: st.query_params.get_all(key) for key in _LIST_KEYS}


def _step(n: int, options: FilterOptions) -> None:
    day = step_date(st.session_state["map_date"], st.session_state.get("step", "day"), n)
    st.session_state["map_date"] = _clamp(day, options)
    st.session_state["playing"] = False


def _years_to_window(options: FilterOptions) -> None:
    """The year-range slider sets the event window to whole years (clamped to the data)."""
    first, last = st.session_state["window_years"]
    st.session_state["window"] = (
        _clamp(dt.date(first, 1, 1), options),
        _clamp(dt.date(last, 12, 31), options),
    )
    st.session_state["window_in_years"] = True


def _window_by_days() -> None:
    """The day-precise window slider was moved: the URL keeps ``start``/``end`` again."""
    st.session_state["window_in_years"] = False


def _toggle_play(options: FilterOptions) -> None:
    playing = not st.session_state.get("playing", False)
    if playing and st.session_state["map_date"] >= options.max_date:
        st.session_state["map_date"] = options.min_date  # replay from the start
    st.session_state["playing"] = playing


def _multiselect(label: str, key: str, values: Sequence[str], names: dict[str, str]) -> None:
    st.multiselect(
        label,
        options=list(values),
        key=key,
        format_func=lambda value: names.get(value, value),
        placeholder="Nothing selected: no events shown",
    )


def _chosen(key: str, options: Sequence[str]) -> tuple[str, ...] | None:
    selected = tuple(st.session_state[key])
    return None if set(selected) >= set(options) else selected


def render_sidebar(options: FilterOptions) -> Filters:
    """Draw the filters in the sidebar and return the user's choices.

    Examples
    --------
    Call :func:`init_state` first, then ``filters = render_sidebar(options)``.
    """
    names = dict(options.faction_names)
    bar = st.sidebar
    with bar:
        st.header("Filters")
        single_day = options.min_date == options.max_date
        st.slider(
            "Map date (control areas and frontlines)",
            min_value=options.min_date,
            max_value=options.max_date + (ONE_DAY if single_day else dt.timedelta(0)),
            key="map_date",
            format="YYYY-MM-DD",
        )
        st.selectbox(
            "Step", PERIODS, key="step", format_func=str.capitalize,
            help="How far ◀ ▶ and Play move the map date",
        )  # fmt: skip
        unit = st.session_state["step"]
        back, play, forward = st.columns(3)
        back.button(
            "◀", key="step_back", help=f"Previous {unit}", on_click=_step, args=(-1, options)
        )
        play.button(
            "⏸" if st.session_state.get("playing") else "▶ Play",
            key="play",
            help=f"Step the map date one {unit} at a time",
            on_click=_toggle_play,
            args=(options,),
        )
        forward.button(
            "▶", key="step_forward", help=f"Next {unit}", on_click=_step, args=(1, options)
        )
        st.slider(
            "Event window",
            min_value=options.min_date,
            max_value=options.max_date + (ONE_DAY if single_day else dt.timedelta(0)),
            key="window",
            format="YYYY-MM-DD",
            on_change=_window_by_days,
        )
        if options.max_date.year - options.min_date.year >= 2:
            start, end = st.session_state["window"]
            st.session_state["window_years"] = (start.year, end.year)
            st.slider(
                "Event window (years)",
                min_value=options.min_date.year,
                max_value=options.max_date.year,
                key="window_years",
                on_change=_years_to_window,
                args=(options,),
            )
        _multiselect("Factions", "factions", options.factions, names)
        _multiselect("Event types", "event_types", options.event_types, {})
        _multiselect("Countries", "countries", options.countries, {})
        st.text_input("Search place, description or source", key="text")
        st.checkbox("Only within N km of an international border", key="near_border")
        if options.borders:
            _multiselect("Borders", "borders", options.borders, dict(options.border_names))
        else:
            st.caption("No international border between the data's countries.")
        st.number_input(
            "N (km)", min_value=1, max_value=500, step=5, key="border_km",
            disabled=not st.session_state["near_border"],
        )  # fmt: skip
        st.caption("Map layers")
        for layer, label in LAYERS.items():
            if layer != "events" and not options.has_control:
                st.checkbox(f"{label} (no control data)", key=f"layer_{layer}", disabled=True)
            else:
                st.checkbox(label, key=f"layer_{layer}")
    return current_filters(options)


def render_sidebar_placeholder() -> None:
    """The sidebar's heading alone, where the filters will be (a session's first paint)."""
    with st.sidebar:
        st.header("Filters")
        st.caption("The filters follow as soon as the map is drawn.")


def current_filters(options: FilterOptions) -> Filters:
    """The user's choices as they stand in the session (the widgets' keys), drawn or not.

    Examples
    --------
    Call :func:`init_state` first: ``filters = current_filters(options)``.
    """
    start, end = st.session_state["window"]
    return Filters(
        date=st.session_state["map_date"],
        start=start,
        end=end,
        factions=_chosen("factions", options.factions),
        event_types=_chosen("event_types", options.event_types),
        countries=_chosen("countries", options.countries),
        text=st.session_state["text"].strip(),
        near_border_km=float(st.session_state["border_km"])
        if st.session_state["near_border"]
        else None,
        layers=tuple(layer for layer in LAYERS if st.session_state[f"layer_{layer}"]),
        borders=_chosen("borders", options.borders) if "borders" in st.session_state else None,
        step=st.session_state.get("step", options.period),
        years=(start.year, end.year) if st.session_state.get("window_in_years") else None,
        border_link=_border_link(options),
    )


def _border_link(options: FilterOptions) -> tuple[str, ...]:
    """The chosen borders for the URL: left out when they are the default (``atlas.toml``'s,
    else every border), so that a link without ``border`` reopens them."""
    selected = tuple(st.session_state.get("borders", ()))
    if set(selected) == set(options.default_borders or options.borders):
        return ()
    return selected or NOTHING


def sync_url(filters: Filters, *, extra: Mapping[str, str | None] | None = None) -> None:
    """Write the view into the URL (only when it changed, so the browser history stays short).

    ``extra`` are more single-valued parameters kept in the URL (e.g. ``compare``); ``None``
    removes one. Other parameters that are not the view's (:data:`geo.view.state.QUERY_KEYS`)
    are kept as they are.
    """
    extra = dict(extra or {})
    more = {key: value for key, value in extra.items() if value}
    wanted: dict[str, str | list[str]] = to_query_params(filters.view()) | more
    current = {key: st.query_params.get_all(key) for key in _LIST_KEYS}
    current |= {key: st.query_params.get(key) for key in QUERY_KEYS if key not in _LIST_KEYS}
    current |= {key: st.query_params.get(key) for key in extra}
    normalised = {key: value for key, value in current.items() if value}
    if normalised != wanted:
        others = {
            key: st.query_params.get_all(key)
            for key in st.query_params
            if key not in QUERY_KEYS and key not in extra
        }
        st.query_params.from_dict(others | wanted)
