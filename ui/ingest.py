"""Upload annotations (CSV, GeoJSON, ACLED or UCDP export) and merge the valid rows.

A file is validated before anything is merged; row-level problems are listed; valid rows join
this session's atlas only. A bad file never raises and never loses what is already loaded.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from geo.errors import GeoError
from ui.data import current_atlas, data_dir, geocoder, replace_session_atlas
from ui.text import md_text

if TYPE_CHECKING:
    from geo.atlas.join import AtlasData
    from geo.io.issues import Issue

__all__ = ["MAX_UPLOAD_BYTES", "issues_frame", "merge_events_frame", "render_upload_panel"]

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


def merge_events_frame(kind: str, frame: pd.DataFrame) -> AtlasData:
    """Join validated rows (from ``parse_upload`` or ``read_events_bytes``) and merge them.

    Returns the joined addition (its ``issues`` and ``join_report`` tell what went wrong).
    """
    from geo.atlas.join import join_upload

    addition = join_upload(
        kind, frame, geocoder=geocoder(str(data_dir())), factions=current_atlas().factions
    )
    replace_session_atlas(current_atlas().merged(addition))
    return addition


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
    addition = merge_events_frame(kind, frame)
    unplaced = addition.join_report
    return {
        "name": name,
        "kind": kind,
        "rows": len(frame),
        "issues": issues_frame([*issues, *addition.issues]),
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
        help=f"At most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Valid rows are added for this "
        "session only; problems are listed row by row.",
    )
    report = st.session_state.get("upload_report")
    if not report:
        return
    if "error" in report:
        st.error(md_text(report["error"]))
    else:
        st.success(
            md_text(
                f"{report['name']}: {report['rows']:,} {report['kind']} rows added to this session."
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
