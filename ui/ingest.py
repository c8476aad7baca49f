"""Ingest panels: upload annotations (CSV, GeoJSON, ACLED, UCDP) and paste a news article.

A file is validated before anything is merged; row-level problems are listed; valid rows join
this session's atlas only. A bad file never raises and never loses what is already loaded.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

import pandas as pd
import streamlit as st

from geo.errors import GeoError
from ui.data import current_atlas, data_dir, geocoder, replace_session_atlas

__all__ = ["MAX_UPLOAD_BYTES", "render_article_panel", "render_upload_panel"]

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # 5 MB: far above any hand-made annotation file
MAX_ISSUES_SHOWN = 200


def _issues_frame(issues: Any) -> pd.DataFrame:
    rows = [
        {"file": i.file, "row": i.row, "problem": i.reason, "severity": getattr(i, "severity", "")}
        for i in issues
    ]
    return pd.DataFrame(rows, columns=["file", "row", "problem", "severity"])


def _merge_upload(name: str, data: bytes) -> None:
    """Validate one uploaded file and merge its valid rows into the session's atlas."""
    from geo.join import join_upload

    from geo.annotations import parse_upload

    atlas = current_atlas()
    kind, frame, issues = parse_upload(
        name, data, factions=atlas.factions, max_bytes=MAX_UPLOAD_BYTES
    )
    addition = join_upload(kind, frame, geocoder=geocoder(str(data_dir())))
    merged = atlas.merged(addition)
    replace_session_atlas(merged)
    st.session_state["upload_report"] = {
        "name": name,
        "kind": kind,
        "rows": len(frame),
        "issues": _issues_frame([*issues, *getattr(addition, "issues", ())]),
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
        _merge_upload(name, upload.getvalue())
    except GeoError as err:  # a file we cannot read at all: report it, keep the data
        log.info("upload %s refused: %s", name, err)
        st.session_state["upload_report"] = {
            "name": name,
            "error": f"{name} was not loaded: {err}",
            "issues": _issues_frame(getattr(err, "issues", ())),
        }


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
        st.error(report["error"])
    else:
        st.success(
            f"{report['name']}: {report['rows']:,} {report['kind']} rows added to this session."
        )
    issues = report.get("issues")
    if issues is not None and not issues.empty:
        st.warning(f"{len(issues):,} problem(s) in {report['name']}; those rows were not added.")
        st.dataframe(issues.head(MAX_ISSUES_SHOWN), hide_index=True, key="upload_issues")


def geoparse_available() -> bool:
    """True once the article parser (``geo.geoparse``) is installed."""
    return importlib.util.find_spec("geo.geoparse") is not None


def render_article_panel() -> None:
    """Paste an article: places, factions, dates and draft events for review, added on confirm."""
    if not geoparse_available():
        st.caption("Article reading arrives with the geoparser (geo.geoparse).")
        return
    text = st.text_area("Paste a news article", key="article_text", height=160)
    published = st.date_input("Published on", key="article_published", value=None)
    if not st.button("Find places and events", key="article_parse") or not text.strip():
        return
    from geo.geoparse import ArticleParser

    result = ArticleParser().parse(text, published=published)
    st.session_state["article_result"] = result
