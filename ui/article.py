"""Paste a news article: the places, factions, dates and draft events the geoparser finds are
shown for review; the events the analyst keeps are validated like an upload and stored as drafts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from geo.errors import GeoError
from ui.data import current_atlas, data_dir, geocoder
from ui.ingest import issues_frame, store_drafts
from ui.text import md_text

if TYPE_CHECKING:
    from geo.text import ArticleParser, DraftEvent, ParsedArticle

__all__ = ["article_parser", "drafts_frame", "render_article_panel"]

log = logging.getLogger(__name__)

MAX_ARTICLE_CHARS = 100_000
_DRAFT_COLUMNS = (
    "id", "date", "date_precision", "place", "lat", "lon", "faction", "faction2", "event_type",
    "sub_event_type", "description", "source", "source_url", "confidence",
)  # fmt: skip


@st.cache_resource(show_spinner="Loading the article reader…")
def article_parser(folder: str) -> ArticleParser:
    """One :class:`geo.text.ArticleParser` per server, on the shared offline geocoder."""
    from geo.text import ArticleParser

    factions = Path(folder) / "factions.csv"
    return ArticleParser(
        geocoder=geocoder(folder), factions=factions if factions.is_file() else None
    )


def drafts_frame(
    events: Sequence[DraftEvent],
    *,
    text: str,
    published: dt.date | None,
    source: str,
    source_url: str,
) -> pd.DataFrame:
    """Draft events as rows of the events schema (input columns), ids derived from the text.

    Examples
    --------
    >>> drafts_frame((), text="", published=None, source="x", source_url="").columns[0]
    'id'
    """
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    rows = [
        {
            "id": f"article-{digest}-{n}",
            "date": (e.date or published).isoformat() if (e.date or published) else "",
            "date_precision": "day",
            "place": e.place or "",
            "lat": e.lat,
            "lon": e.lon,
            "faction": e.faction or "",
            "faction2": "",
            "event_type": e.event_type,
            "sub_event_type": e.sub_event_type or "",
            "description": e.sentence,
            "source": source,
            "source_url": source_url,
            "confidence": round(float(e.confidence), 2),
        }
        for n, e in enumerate(events, start=1)
    ]
    return pd.DataFrame(rows, columns=list(_DRAFT_COLUMNS))


def _parse() -> None:
    text = st.session_state.get("article_text", "") or ""
    if not text.strip():
        st.session_state["article_result"] = {"error": "Paste an article first."}
        return
    if len(text) > MAX_ARTICLE_CHARS:
        st.session_state["article_result"] = {
            "error": f"The article has {len(text):,} characters; the limit is "
            f"{MAX_ARTICLE_CHARS:,}. Paste one article at a time."
        }
        return
    published = st.session_state.get("article_published")
    parsed = article_parser(str(data_dir())).parse(text, published=published)
    drafts = drafts_frame(
        parsed.events,
        text=text,
        published=published,
        source=(st.session_state.get("article_source") or "").strip() or "pasted article",
        source_url=(st.session_state.get("article_url") or "").strip(),
    )
    complete = drafts[(drafts["date"] != "") & (drafts["faction"] != "") & drafts["lat"].notna()]
    st.session_state["article_result"] = {"parsed": parsed, "drafts": drafts}
    st.session_state["article_pick"] = complete["id"].tolist()
    st.session_state.pop("article_added", None)


def _confirm() -> None:
    from geo.annotations import read_events_bytes

    result = st.session_state.get("article_result") or {}
    drafts = result.get("drafts")
    picked = st.session_state.get("article_pick") or []
    if drafts is None or not picked:
        st.session_state["article_added"] = {"error": "No draft event is selected."}
        return
    chosen = drafts[drafts["id"].isin(picked)]
    data = chosen.to_csv(index=False).encode("utf-8")
    try:
        frame, issues = read_events_bytes(
            data, name="article.csv", factions=current_atlas().factions
        )
        addition, stored = (
            store_drafts("events", frame, name="article.csv") if len(frame) else (None, None)
        )
    except (GeoError, ValueError) as err:
        log.warning("article events refused: %s", err)
        st.session_state["article_added"] = {"error": f"The events were not added: {err}"}
        return
    more = [*addition.issues, *stored.issues] if addition is not None else ()
    st.session_state["article_added"] = {
        "rows": len(frame),
        "issues": issues_frame([*issues, *more]),
    }


def _render_found(parsed: ParsedArticle, names: dict[str, str]) -> None:
    places, factions, dates = st.columns(3)
    places.markdown("**Places**")
    places.dataframe(
        pd.DataFrame(
            [(p.text, p.name, p.country, p.lat, p.lon, p.confidence) for p in parsed.places],
            columns=["text", "resolved as", "country", "lat", "lon", "confidence"],
        ),
        hide_index=True,
        key="article_places",
    )
    factions.markdown("**Factions**")
    factions.dataframe(
        pd.DataFrame(
            [(f.text, names.get(f.faction, f.faction)) for f in parsed.factions],
            columns=["text", "faction"],
        ),
        hide_index=True,
        key="article_factions",
    )
    dates.markdown("**Dates**")
    dates.dataframe(
        pd.DataFrame(
            [(d.text, d.date, d.precision) for d in parsed.dates],
            columns=["text", "date", "precision"],
        ),
        hide_index=True,
        key="article_dates",
    )


def render_article_panel() -> None:
    """Paste an article: places, factions, dates and draft events for review, added on confirm."""
    st.text_area("Paste a news article", key="article_text", height=160)
    when, source, url = st.columns(3)
    when.date_input("Published on", key="article_published", value=None)
    source.text_input("Source (outlet, date)", key="article_source")
    url.text_input("Source link", key="article_url")
    st.button("Find places and events", key="article_parse", on_click=_parse)
    result = st.session_state.get("article_result")
    if not result:
        return
    if "error" in result:
        st.error(md_text(result["error"]))
        return
    names = dict(zip(current_atlas().factions["id"], current_atlas().factions["name"], strict=True))
    _render_found(result["parsed"], names)
    drafts: pd.DataFrame = result["drafts"]
    st.markdown(f"**Draft events ({len(drafts)})**: one per sentence that reports an action.")
    if drafts.empty:
        st.info("No sentence of this article reports an action the parser recognises.")
        return
    st.dataframe(drafts, hide_index=True, key="article_drafts")
    labels = {
        row.id: f"{row.date or '?'} · {row.event_type} at {row.place or '?'} — "
        f"{names.get(row.faction, row.faction) or '?'}"
        for row in drafts.itertuples(index=False)
    }  # one label per draft (a handful per article), not per event of the atlas
    st.multiselect(
        "Events to add", options=list(labels), key="article_pick", format_func=labels.get
    )
    st.button("Add the selected events", key="article_confirm", on_click=_confirm, type="primary")
    added = st.session_state.get("article_added")
    if added and "error" in added:
        st.error(md_text(added["error"]))
    elif added:
        st.success(
            f"{added['rows']} event(s) from the article stored as drafts: review them under "
            "Review drafts (or switch on Show drafts to see them now)."
        )
        if not added["issues"].empty:
            st.dataframe(added["issues"], hide_index=True, key="article_issues")
