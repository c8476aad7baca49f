"""Upload annotations (CSV, GeoJSON, ACLED or UCDP export) and store the valid rows as drafts.

A file is validated before anything is stored; row-level problems are listed; valid rows go to
the annotation store (:mod:`ui.store`) as ``draft`` rows, in one transaction, with the file's
name and the uploader as their provenance: they survive a reload and a server restart, and
reach the map once reviewed. A bad file never raises and never loses what is already stored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from geo.errors import GeoError
from ui.data import current_atlas, data_dir, geocoder
from ui.store import active_store, author, can_write, read_only_reason
from ui.text import md_text

if TYPE_CHECKING:
    from geo.atlas.join import AtlasData
    from geo.io.issues import Issue

__all__ = ["MAX_UPLOAD_BYTES", "issues_frame", "render_upload_panel", "store_drafts"]

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # 5 MB: far above any hand-made annotation file
MAX_ISSUES_SHOWN = 200


def issues_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    """One row per :class:`geo.io.tabular.Issue`: ``file, row, problem, severity``."""
    rows = [
        {"file": i.file, "row": i.row, "problem": i.reason, "severity": getattr(i, "severity", "")}
        for i in issues
    ]
    return pd.DataFrame(rows, columns=["file", "row", "problem", "severity"])


def _file_error(issues: Iterable[Issue]) -> str | None:
    """The first problem with the whole file (no row), if any."""
    for issue in issues:
        if issue.row is None and getattr(issue, "severity", "error") == "error":
            return str(issue.reason)
    return None


STORE_KINDS = {
    "events": "events",
    "acled": "events",
    "ucdp": "events",
    "control": "control",
    "areas": "areas",
}
"""The store table of each upload kind (ACLED and UCDP rows arrive in the events layout)."""


def store_drafts(kind: str, frame: pd.DataFrame, *, name: str) -> tuple[AtlasData, Any]:
    """Store validated rows (from ``parse_upload`` or ``read_events_bytes``) as drafts.

    Returns the rows joined to places (its ``join_report`` tells which were placed with low
    confidence) and the store's :class:`geo.store.ImportReport`. Raises :class:`GeoError` when
    this session may not write.
    """
    from geo.atlas.join import join_upload
    from geo.errors import ConfigError

    if not can_write():
        raise ConfigError(read_only_reason())
    addition = join_upload(
        kind, frame, geocoder=geocoder(str(data_dir())), factions=current_atlas().factions
    )
    report = active_store().add_rows(
        STORE_KINDS[kind], frame, author=author(), status="draft", source_file=name
    )
    return addition, report


def _merge_upload(name: str, data: bytes) -> dict[str, Any]:
    """Validate one uploaded file and merge its valid rows into the session's atlas."""
    from geo.annotations import parse_upload

    kind, frame, issues = parse_upload(
        name, data, factions=current_atlas().factions, max_bytes=MAX_UPLOAD_BYTES
    )
    problem = _file_error(issues)
    if kind == "unknown" or (problem and frame.empty):
        reason = problem or "no rows could be read"
        return {"name": name, "error": f"{name} was not loaded: {reason}", "issues": None}
    addition, stored = store_drafts(kind, frame, name=name)
    unplaced = addition.join_report
    return {
        "name": name,
        "kind": kind,
        "rows": sum(stored.added.values()) + sum(stored.changed.values()),
        "issues": issues_frame([*issues, *addition.issues, *stored.issues]),
        "unplaced": unplaced,
    }


def _on_upload() -> None:
    upload = st.session_state.get("upload")
    if upload is None:
        return
    name = upload.name
    if upload.size > MAX_UPLOAD_BYTES:
        st.session_state["upload_report"] = {
            "name": name,
            "error": f"{name} is {upload.size / 1e6:.1f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB. Nothing was loaded.",
        }
        return
    try:
        report = _merge_upload(name, upload.getvalue())
    except (GeoError, ValueError, UnicodeError) as err:  # report it, keep the data loaded
        log.warning("upload %s refused: %s", name, err)
        report = {"name": name, "error": f"{name} was not loaded: {err}", "issues": None}
    st.session_state["upload_report"] = report


def render_upload_panel() -> None:
    """File uploader, then the outcome of the last upload (rows added, problems per row)."""
    st.file_uploader(
        "Upload annotations: events or control (CSV, GeoJSON, ACLED or UCDP export)",
        type=["csv", "geojson", "json"],
        key="upload",
        on_change=_on_upload,
        max_upload_size=max(1, MAX_UPLOAD_BYTES // (1024 * 1024)),
        help=f"At most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Valid rows are stored as drafts "
        "(they reach the map once reviewed); problems are listed row by row.",
        disabled=not can_write(),
    )
    if not can_write():
        st.info(md_text(read_only_reason()))
    report = st.session_state.get("upload_report")
    if not report:
        return
    if "error" in report:
        st.error(md_text(report["error"]))
    else:
        st.success(
            md_text(
                f"{report['name']}: {report['rows']:,} {report['kind']} rows stored as drafts: "
                "review them under Review drafts (or switch on Show drafts to see them now)."
            )
        )
    issues = report.get("issues")
    if issues is not None and not issues.empty:
        st.warning(
            md_text(
                f"{len(issues):,} problem(s) in {report['name']}; rows with errors were left out."
            )
        )
        st.dataframe(issues.head(MAX_ISSUES_SHOWN), hide_index=True, key="upload_issues")
    unplaced = report.get("unplaced")
    if unplaced is not None and not unplaced.empty:
        st.caption(f"{len(unplaced):,} row(s) were placed with low confidence or not at all:")
        st.dataframe(unplaced.head(MAX_ISSUES_SHOWN), hide_index=True, key="upload_unplaced")
