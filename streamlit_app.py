"""Frontline Atlas: who held what, where the lines ran, and what happened — Syria and Iraq,
Nov–Dec 2024.

Run with ``streamlit run streamlit_app.py``. Streamlit reads this file in two ways:

- as a module, once per server, to find ``app``: an ``st.App`` whose lifespan warms the server
  up (imports, the base atlas, the first map) while the first visitor's browser is still
  loading the page, and which serves ``GET /api/warm-up`` (:mod:`ui.server`);
- as ``__main__``, on every visit and interaction: that run draws the page (:func:`main`).

So the module level stays light (the server imports it before it listens), and the page's
imports live in the functions. This file only wires the pieces together: widgets live in
``ui/``, every computation in ``geo/``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import streamlit as st

if TYPE_CHECKING:
    import pandas as pd

    from ui.sidebar import Filters

PLAY_STEP_SECONDS = 1.0


def filtered_events(atlas: Any, filters: Filters, *, key: str = "base") -> pd.DataFrame:
    """The events matching every filter (vectorised, on the read-only base frame)."""
    import pandas as pd

    from geo.view.filters import filter_events
    from ui.derived import border_table

    events = atlas.events
    if filters.selects_nothing:
        return events.iloc[0:0]
    border = None
    if filters.near_border_km is not None:
        lines = border_table(atlas, key)
        if filters.borders is not None:
            lines = lines[lines["key"].isin(filters.borders)]
        border = lines.geometry
    return filter_events(
        events,
        start=pd.Timestamp(filters.start),
        end=pd.Timestamp(filters.end),
        factions=filters.factions,
        event_types=filters.event_types,
        countries=filters.countries,
        text=filters.text or None,
        near_border_km=filters.near_border_km,
        border=border,
    )


def headline(atlas: Any, options: Any) -> tuple[str, str]:
    """The page's title and caption: the data folder's ``atlas.toml``, else from the data."""
    from geo.borders import country_shapes
    from ui.data import atlas_config
    from ui.text import md_text

    config, _ = atlas_config()
    span = f"{options.min_date:%d %b %Y} – {options.max_date:%d %b %Y}"
    if config.description:
        caption = f"{md_text(config.description)} {span}."
    else:
        counts = atlas.events["country"].astype(str).value_counts()
        names = dict(zip(country_shapes()["iso2"], country_shapes()["name"], strict=True))
        top = [names.get(c, c) for c in counts.index if c][:3]
        more = f" and {len(counts) - 3} more countries" if len(counts) > 3 else ""
        where = f" in {', '.join(top)}{more}" if top else ""
        what = "Control, frontlines and events" if len(atlas.control) else "Events"
        caption = (
            f"{what}{md_text(where)}, {span}. Every claim carries its source and a confidence."
        )
    return config.title or "Frontline Atlas", caption


def _events_key(key: str, filters: Filters) -> str:
    """What the events shown depend on: the atlas and every filter but the map date."""
    return repr(
        (
            key,
            filters.start,
            filters.end,
            filters.factions,
            filters.event_types,
            filters.countries,
            filters.text,
            filters.near_border_km,
            filters.borders,
            filters.layers,
        )
    )


def _notes_count(atlas: Any, options: Any, filters: Filters) -> int:
    """How many notes about the data and the view the header's popover holds."""
    issues = list(atlas.issues)
    count = int(any(i.severity == "error" for i in issues))
    count += min(5, sum(1 for i in issues if i.row is None and i.reason.startswith("not in ")))
    count += int(not options.has_control and not atlas.events.empty)
    count += len(st.session_state.get("view_problems", ()))
    return count + int(filters.selects_nothing)


def _draw_notes(atlas: Any, options: Any, filters: Filters) -> None:
    """The notes: what the data folder lacks or gets wrong, and what the URL asked for."""
    from ui.data import data_dir
    from ui.problems import render_data_problems
    from ui.text import md_text

    if not (atlas.events.empty and atlas.control.empty):
        render_data_problems(atlas, folder=data_dir())
    if not options.has_control and not atlas.events.empty:
        st.info(
            "No control data: this data folder has events only, so the map shows events "
            "and their density, without control areas or frontlines (add a control.csv)."
        )
    for problem in st.session_state.get("view_problems", ()):
        st.warning(md_text(problem))
    if filters.selects_nothing:
        st.info("A filter has nothing selected, so no events are shown.")


def main() -> None:
    """Render the dashboard once (Streamlit reruns this on every interaction).

    A session's first run in a browser stops after the map (:mod:`ui.firstpaint`); the map's
    report that it is drawn reruns it, and that run draws the whole page.
    """
    from geo.view.filters import within_box
    from ui import derived, panels
    from ui.compare import (
        compare_params,
        compare_view,
        init_compare,
        render_compare_figures,
        render_compare_switch,
    )
    from ui.data import atlas_key, current_atlas, data_dir
    from ui.firstpaint import complete_page_later, draws_whole_page
    from ui.layout import header, notes, page_style
    from ui.mapview import map_bounds, memo, render_map
    from ui.problems import render_data_problems
    from ui.review import render_drafts_switch
    from ui.sidebar import (
        current_filters,
        init_state,
        render_sidebar,
        render_sidebar_placeholder,
        sync_url,
    )

    atlas = current_atlas()
    key = atlas_key()
    options = derived.filter_options(atlas, key)
    init_state(options)
    init_compare(options)
    whole_page = draws_whole_page()
    if whole_page:
        filters = render_sidebar(options)
        with st.sidebar:
            render_drafts_switch()
    else:  # the widgets come with the rest of the page: the browser draws the map sooner
        render_sidebar_placeholder()
        filters = current_filters(options)
    sync_url(filters, extra=compare_params())

    page_style()
    title, caption = headline(atlas, options)
    # One line above the map, whatever it holds: the map's place in the page never moves,
    # and nothing appearing above it makes Streamlit remount its iframe (losing the view).
    with header(title, caption):
        figures = st.container(width="content")  # filled after the map (drawn first)
        st.toggle(
            "Only what the map shows",
            key="in_view",
            help="Restrict the feed, the table and the figures to the map's current view",
        )
        compare_on = render_compare_switch(options)
        problems = _notes_count(atlas, options, filters)
        notes(problems, lambda: _draw_notes(atlas, options, filters))
    with st.container():  # always there: what it holds never moves the map's place
        if atlas.events.empty and atlas.control.empty:
            render_data_problems(atlas, folder=data_dir())  # nothing to show: say why

    events_key = _events_key(key, filters)
    shown = memo(f"shown\n{events_key}", lambda: filtered_events(atlas, filters, key=key))
    snap = derived.snapshot(atlas, key, filters.date)
    in_view = bool(st.session_state.get("in_view"))
    box = map_bounds(atlas) if in_view else None
    # The events' layer follows the filters, not the map's view: a pan with the switch on
    # re-lists the feed, the figures and the table, but never re-bins the events.
    layer_key = events_key
    if box is not None and not shown.empty:
        events_key += f"|{box}"
        listed = memo(f"listed\n{events_key}", lambda: within_box(shown, box))
    else:
        listed = shown
    compare = compare_view(atlas, key, filters, options) if compare_on else None
    clicked = render_map(
        atlas,
        snap=snap,
        shown=shown,
        layers=filters.layers if compare is None else [x for x in filters.layers if x != "areas"],
        feed=listed,
        report_bounds=in_view,
        events_key=events_key,
        layer_key=layer_key,
        extra=compare.groups if compare is not None else (),
        title=f"{title} · control on {filters.date:%Y-%m-%d}"
        + (f" vs {compare.a:%Y-%m-%d}" if compare is not None else ""),
    )

    change = derived.changes(atlas, key, filters.start, filters.end) if whole_page else None
    with figures:
        panels.render_key_figures(listed, filters=filters, change=change)
    if compare is not None:
        render_compare_figures(compare, factions=atlas.factions)
    panels.render_details(clicked, shown=listed, points=snap.points, factions=atlas.factions)
    if not whole_page:
        complete_page_later()
        return
    _rest_of_page(
        atlas,
        key=key,
        options=options,
        filters=filters,
        shown=listed,
        snap=snap,
        shown_key=events_key,
    )


def _rest_of_page(
    atlas: Any,
    *,
    key: str,
    options: Any,
    filters: Filters,
    shown: pd.DataFrame,
    snap: Any,
    shown_key: str | None = None,
) -> None:
    """Everything below the map: area figures, downloads, charts, the table, adding data."""
    from ui import derived, panels
    from ui.article import render_article_panel
    from ui.editor import render_editor
    from ui.ingest import render_upload_panel
    from ui.mapview import standalone_map_html
    from ui.review import render_history_panel, render_review_panel

    areas = derived.area_table(atlas, key, options.min_date, options.max_date)
    panels.render_area_figures(filters, areas=areas, factions=atlas.factions)
    panels.render_downloads(
        shown,
        filters=filters,
        map_html=lambda: standalone_map_html(atlas, snap=snap, shown=shown),
    )
    chart_col, area_col = st.columns(2)
    with chart_col:
        panels.render_events_chart(shown, factions=atlas.factions, key=shown_key)
    with area_col:
        panels.render_area_chart(areas, factions=atlas.factions)
    panels.render_table(shown, factions=atlas.factions, key=shown_key)

    st.header("Add and review data")
    upload_tab, article_tab, edit_tab, review_tab, history_tab = st.tabs(
        ["Upload annotations", "Paste an article", "Add or correct", "Review drafts", "History"]
    )
    with upload_tab:
        render_upload_panel()
    with article_tab:
        render_article_panel()
    with edit_tab:
        render_editor()
    with review_tab:
        render_review_panel()
    with history_tab:
        render_history_panel()

    if st.session_state.get("playing"):
        if filters.date < options.max_date:
            time.sleep(PLAY_STEP_SECONDS)
            st.session_state["advance_date"] = True
        else:
            st.session_state["playing"] = False  # reached the last day: show the Play button again
        st.rerun()


if __name__ == "__main__":  # a page run
    st.set_page_config(page_title="Frontline Atlas", page_icon="🗺️", layout="wide")
    main()
else:  # the server importing this file to find its app
    from ui.server import ROUTES, lifespan

    app = st.App(__file__, lifespan=lifespan, routes=ROUTES)
