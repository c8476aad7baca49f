"""Review: the drafts waiting in the store, marked reviewed or rejected one by one or in bulk;
the "Show drafts" switch; a row's history.

Uploads, pasted-article events and manual additions arrive as drafts. The map shows reviewed
rows; with "Show drafts" on, this session's map shows drafts too (drawn distinctly by the
Drafts layer). Every action here is one transaction of the store (a new version per row), so
other sessions see it on their next rerun.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pandas as pd
import streamlit as st

from geo.errors import GeoError
from ui.store import (
    DRAFTS_KEY,
    KNOWN_ON_KEY,
    KNOWN_ON_SWITCH,
    active_store,
    author,
    can_write,
    read_only_reason,
    store_key,
)
from ui.text import md_text

__all__ = [
    "REVIEW_KINDS",
    "drafts_table",
    "render_drafts_switch",
    "render_history_panel",
    "render_review_panel",
]

log = logging.getLogger(__name__)

REVIEW_KINDS = ("events", "control", "areas")
"""The store tables whose drafts a reviewer sees (factions and places come with them)."""

_SHOWN = (
    "kind", "row_id", "version", "when", "place", "faction", "what", "source", "source_url",
    "confidence", "added_by", "author", "recorded_at",
)  # fmt: skip
MAX_ROWS = 500


def _column(frame: pd.DataFrame, *names: str) -> pd.Series:
    """The first of ``names`` that ``frame`` has, as text ("" where missing)."""
    for name in names:
        if name in frame.columns:
            return frame[name].fillna("").astype(str)
    return pd.Series([""] * len(frame), index=frame.index, dtype="str")


def drafts_table() -> pd.DataFrame:
    """Every draft of the store, newest version per row, one line each (for the review list).

    Columns: ``kind, row_id, version, when, place, faction, what, source, source_url,
    confidence, added_by, author, recorded_at``. Read once per store revision (every write
    bumps it), not on every rerun; the frame is shared, read-only.
    """
    from ui.mapview import memo

    store = active_store()
    return memo(f"drafts-table\n{store_key()}", lambda: _drafts_table(store))


def _drafts_table(store: Any) -> pd.DataFrame:
    parts = []
    for kind in REVIEW_KINDS:
        rows = store.rows(kind, statuses=["draft"])
        if rows.empty:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "row_id": rows["row_id"].astype(str),
                    "version": rows["version"].astype(int),
                    "when": _column(rows, "date", "valid_from"),
                    "place": _column(rows, "place"),
                    "faction": _column(rows, "faction"),
                    "what": _column(rows, "event_type", "note"),
                    "source": _column(rows, "source"),
                    "source_url": _column(rows, "source_url"),
                    "confidence": _column(rows, "confidence"),
                    "added_by": _column(rows, "added_by"),
                    "author": _column(rows, "author"),
                    "recorded_at": _column(rows, "recorded_at"),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=list(_SHOWN))
    return pd.concat(parts, ignore_index=True).loc[:, list(_SHOWN)]


def render_drafts_switch() -> None:
    """The "Show drafts" switch (this session's map shows drafts beside reviewed rows) and
    the "As known on a past day" switch (the atlas as the store knew it then)."""
    st.toggle(
        "Show drafts",
        key=DRAFTS_KEY,
        help="Drafts (uploads, article events, manual additions not yet reviewed) are drawn "
        "with dashed outlines; the map shows reviewed rows only when this is off.",
    )
    past = st.toggle(
        "As known on a past day",
        key=KNOWN_ON_SWITCH,
        help="What the atlas said on that day (the store's history: rows added or corrected "
        "later are left out), besides the map date (who held what).",
    )
    if past:
        st.date_input("Known on", key=KNOWN_ON_KEY, value=dt.date.today())


def _apply(status: str) -> None:
    table = st.session_state.get("review_rows")
    edited = st.session_state.get("review_editor") or {}
    if table is None:
        return
    picked = {
        int(index)
        for index, change in (edited.get("edited_rows") or {}).items()
        if change.get("pick")
    }
    if st.session_state.get("review_all"):
        picked = set(range(len(table)))
    chosen = table.iloc[sorted(i for i in picked if i < len(table))]
    if chosen.empty:
        st.session_state["review_outcome"] = ("warning", "No draft is selected.")
        return
    if not can_write():
        st.session_state["review_outcome"] = ("error", read_only_reason())
        return
    done = 0
    try:
        for kind, group in chosen.groupby("kind", sort=False):
            done += active_store().set_status(
                str(kind), group["row_id"].tolist(), status, author=author()
            )
    except GeoError as err:
        log.warning("review refused: %s", err)
        st.session_state["review_outcome"] = ("error", f"Nothing was changed: {err}")
        return
    st.session_state["review_outcome"] = ("success", f"{done} draft(s) marked {status}.")
    st.session_state.pop("review_editor", None)
    st.session_state["review_all"] = False


def render_review_panel() -> None:
    """The drafts waiting for review, a pick box per row, and the bulk actions."""
    table = drafts_table()
    st.session_state["review_rows"] = table
    outcome = st.session_state.pop("review_outcome", None)
    if outcome:
        getattr(st, outcome[0])(md_text(outcome[1]))
    if table.empty:
        st.caption("No drafts are waiting for review.")
        return
    shown = table.head(MAX_ROWS).assign(pick=False)
    st.caption(
        f"{len(table):,} draft(s) waiting for review"
        + (f" (the first {MAX_ROWS:,} are listed)" if len(table) > MAX_ROWS else "")
        + ". Reviewed rows are drawn on everyone's map; rejected rows never are."
    )
    st.data_editor(
        shown.loc[:, ["pick", *_SHOWN]],
        key="review_editor",
        hide_index=True,
        disabled=list(_SHOWN),
        column_config={
            "pick": st.column_config.CheckboxColumn("Pick", default=False),
            "source_url": st.column_config.LinkColumn("Source URL"),
        },
    )
    writable = can_write()
    if not writable:
        st.info(md_text(read_only_reason()))
    st.checkbox("All drafts", key="review_all", disabled=not writable)
    left, right = st.columns(2)
    left.button(
        "Mark reviewed",
        key="review_accept",
        on_click=_apply,
        args=("reviewed",),
        type="primary",
        disabled=not writable,
    )
    right.button(
        "Reject", key="review_reject", on_click=_apply, args=("rejected",), disabled=not writable
    )


def render_history_panel() -> None:
    """Every version of a place, event, control claim or area, with its author and time."""
    row_id = st.text_input("History of a place or an event id", key="history_id").strip()
    if not row_id:
        return
    try:
        versions = active_store().history(row_id)
    except GeoError as err:
        st.error(md_text(str(err)))
        return
    if not versions:
        st.info(md_text(f"Nothing in the store is named {row_id!r}."))
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "kind": v.kind,
                    "row_id": v.row_id,
                    "version": v.version,
                    "status": v.status,
                    "retracted": v.retracted,
                    "author": v.author,
                    "recorded_at": v.recorded_at,
                    "added_by": v.added_by,
                    "reason": v.reason,
                    **{
                        k: val
                        for k, val in v.values.items()
                        if k in ("date", "valid_from", "place", "faction", "source", "confidence")
                    },
                }
                for v in versions
            ]
        ),
        hide_index=True,
        key="history_table",
    )
