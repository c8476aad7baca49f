"""Add or correct an annotation with a form: an event or a control claim, placed by its geocoded
name or by a click on the map, stored as a draft with its source and confidence; a control area
drawn on the map, or an area's shape replaced by one drawn on the map.

A correction is made against the version the form was opened on: if someone else changed the
row since, the store refuses it and the message shows both versions (nothing is overwritten).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

import pandas as pd
import streamlit as st

from geo.errors import GeoError, VersionConflict
from ui.mapview import CLICK_KEY, DRAWING_KEY
from ui.store import active_store, author, can_write, read_only_reason
from ui.text import md_text

__all__ = ["EDITABLE", "render_editor"]

log = logging.getLogger(__name__)

EDITABLE = {
    "events": ("date", "place", "faction", "faction2", "event_type", "description", "source",
               "source_url", "confidence"),
    "control": ("valid_from", "place", "faction", "status", "source", "source_url",
                "confidence", "note"),
    "areas": ("faction", "valid_from", "valid_to", "source", "confidence", "note"),
}  # fmt: skip
"""The columns the correction form offers, per store table."""

_MODES = (
    "Add an event",
    "Add a control claim",
    "Draw a control area",
    "Correct or retract a row",
)


def _factions() -> dict[str, str]:
    from ui.data import current_atlas

    factions = current_atlas().factions
    return dict(zip(factions["id"].astype(str), factions["name"].astype(str), strict=True))


def _outcome(kind: str, text: str) -> None:
    st.session_state["editor_outcome"] = (kind, text)


def _store_new(kind: str, row: dict[str, Any]) -> None:
    """Store one new row as a draft; the outcome is shown on the next run."""
    if not can_write():
        _outcome("error", read_only_reason())
        return
    frame = pd.DataFrame([{k: ("" if v is None else str(v)) for k, v in row.items()}])
    try:
        report = active_store().add_rows(kind, frame, author=author(), status="draft")
    except GeoError as err:
        log.warning("manual %s refused: %s", kind, err)
        _outcome("error", f"Nothing was stored: {err}")
        return
    errors = [i for i in report.issues if i.severity == "error"]
    if errors:
        _outcome("error", "Nothing was stored: " + "; ".join(i.reason for i in errors))
        return
    what = "event" if kind == "events" else "control claim"
    _outcome("success", f"The {what} was stored as a draft (review it under Review drafts).")


def _place_fields(prefix: str) -> tuple[str, float | None, float | None]:
    """Place name, and the last map click if the user chose it (lat, lon)."""
    place = st.text_input("Place (geocoded by name)", key=f"{prefix}_place")
    click = st.session_state.get(CLICK_KEY)
    lat = lon = None
    if click:
        label = f"Place it at the last map click ({click[0]:.4f}, {click[1]:.4f})"
        if st.checkbox(label, key=f"{prefix}_use_click"):
            lat, lon = float(click[0]), float(click[1])
    else:
        st.caption("Or click the map's background, then tick “Place it at the last map click”.")
    return place, lat, lon


def _source_fields(prefix: str) -> tuple[str, str, float]:
    source = st.text_input("Source (outlet, date)", key=f"{prefix}_source")
    url = st.text_input("Source URL", key=f"{prefix}_url", placeholder="https://…")
    confidence = st.slider("Confidence", 0.0, 1.0, 0.5, 0.05, key=f"{prefix}_confidence")
    return source, url, confidence


def _event_form(factions: dict[str, str]) -> None:
    from geo.schema import ACLED_TAXONOMY

    kinds = [(t, sub) for t, subs in ACLED_TAXONOMY.items() for sub in sorted(subs)]
    with st.form("add_event", clear_on_submit=False):
        place, lat, lon = _place_fields("ev")
        day = st.date_input("Date", key="ev_date", value=dt.date.today())
        event_type, sub_type = st.selectbox(
            "Event type (ACLED's)", kinds, key="ev_type", format_func=" / ".join
        )
        faction = st.selectbox("Faction", list(factions), format_func=factions.get, key="ev_f")
        description = st.text_area("What happened (one line)", key="ev_description")
        source, url, confidence = _source_fields("ev")
        if st.form_submit_button("Store the event as a draft", disabled=not can_write()):
            _store_new(
                "events",
                {
                    "id": f"manual-{uuid.uuid4().hex[:10]}",
                    "date": day.isoformat() if day else "",
                    "date_precision": "day",
                    "place": place.strip(),
                    "lat": lat,
                    "lon": lon,
                    "faction": faction,
                    "event_type": event_type,
                    "sub_event_type": sub_type.strip(),
                    "description": description.strip(),
                    "source": source.strip(),
                    "source_url": url.strip(),
                    "confidence": confidence,
                },
            )


def _control_form(factions: dict[str, str]) -> None:
    from geo.schema import CONTROL_STATUSES

    with st.form("add_control", clear_on_submit=False):
        place, lat, lon = _place_fields("cc")
        day = st.date_input("Held from", key="cc_date", value=dt.date.today())
        faction = st.selectbox("Faction", list(factions), format_func=factions.get, key="cc_f")
        status = st.selectbox("Status", CONTROL_STATUSES, key="cc_status")
        source, url, confidence = _source_fields("cc")
        note = st.text_input("Note", key="cc_note")
        if st.form_submit_button("Store the claim as a draft", disabled=not can_write()):
            _store_new(
                "control",
                {
                    "place": place.strip(),
                    "faction": faction,
                    "valid_from": day.isoformat() if day else "",
                    "status": status,
                    "confidence": confidence,
                    "source": source.strip(),
                    "source_url": url.strip(),
                    "note": note.strip(),
                    "lat": lat,
                    "lon": lon,
                },
            )


def _drawn_polygon() -> Any:
    """The shape last drawn with the map's polygon or rectangle tool (shapely, lon/lat)."""
    import shapely.geometry

    feature = st.session_state.get(DRAWING_KEY)
    if not feature or not feature.get("geometry"):
        return None
    shape = shapely.geometry.shape(feature["geometry"])  # GeoJSON: (lon, lat)
    return shape if shape.geom_type in ("Polygon", "MultiPolygon") and shape.is_valid else None


def _km2(polygon: Any) -> float:
    """A shape's area in km², measured in an equal-area projection (never in degrees)."""
    import geopandas as gpd

    from geo.borders import EQUAL_AREA_CRS

    return float(gpd.GeoSeries([polygon], crs=4326).to_crs(EQUAL_AREA_CRS).area.iloc[0]) / 1e6


def _area_form(factions: dict[str, str]) -> None:
    polygon = _drawn_polygon()
    if polygon is None:
        st.caption(
            "Draw the area on the map first: the polygon (or rectangle) tool under the zoom "
            "buttons; the last shape drawn is the one stored."
        )
        return
    st.caption(f"The shape drawn covers about {_km2(polygon):,.0f} km² (equal-area).")
    with st.form("add_area", clear_on_submit=False):
        faction = st.selectbox("Faction", list(factions), format_func=factions.get, key="ar_f")
        day = st.date_input("Held from", key="ar_date", value=dt.date.today())
        source = st.text_input("Source (outlet, date)", key="ar_source")
        confidence = st.slider("Confidence", 0.0, 1.0, 0.5, 0.05, key="ar_confidence")
        note = st.text_input("Note", key="ar_note")
        if st.form_submit_button("Store the area as a draft", disabled=not can_write()):
            if not can_write():
                _outcome("error", read_only_reason())
                return
            try:
                report = active_store().add_area(
                    faction=faction,
                    valid_from=day,
                    polygon=polygon,
                    author=author(),
                    source=source.strip(),
                    confidence=confidence,
                    note=note.strip(),
                )
            except GeoError as err:
                _outcome("error", f"Nothing was stored: {err}")
                return
            errors = [i for i in report.issues if i.severity == "error"]
            if errors:
                _outcome("error", "Nothing was stored: " + "; ".join(i.reason for i in errors))
            else:
                _outcome(
                    "success", "The area was stored as a draft (review it under Review drafts)."
                )


def _area_label(rows: pd.DataFrame) -> dict[str, str]:
    """The store's control areas as ``row_id: "faction from day (id)"`` for a pick list."""
    return {
        str(r["row_id"]): f"{r['faction']} from {str(r['valid_from'])[:10]} ({r['row_id']})"
        for r in rows.to_dict("records")
    }


def _open_row() -> None:
    """Load the chosen row's newest version into the correction form."""
    kind = st.session_state.get("fix_kind", "events")
    key = "fix_area_id" if kind == "areas" else "fix_id"
    row_id = (st.session_state.get(key) or "").strip()
    rows = active_store().rows(kind)
    found = rows[rows["row_id"].astype(str) == row_id]
    if found.empty:
        st.session_state.pop("fix_base", None)
        _outcome("error", f"No {kind} row {row_id!r} in the store.")
        return
    rec = found.iloc[0]
    base = {"kind": kind, "row_id": row_id, "version": int(rec["version"])}
    base["values"] = {c: ("" if pd.isna(rec.get(c)) else str(rec.get(c))) for c in EDITABLE[kind]}
    st.session_state["fix_base"] = base
    for col, value in base["values"].items():
        st.session_state[f"fix_{col}"] = value


def _save_correction() -> None:
    base = st.session_state.get("fix_base")
    if not base:
        return
    if not can_write():
        _outcome("error", read_only_reason())
        return
    changes = {
        col: str(st.session_state.get(f"fix_{col}", old)).strip()
        for col, old in base["values"].items()
        if str(st.session_state.get(f"fix_{col}", old)).strip() != old
    }
    geometry = None
    if base["kind"] == "areas" and st.session_state.get("fix_redraw"):
        geometry = _drawn_polygon()
        if geometry is None:
            _outcome("error", "Not saved: draw the area's new shape on the map first.")
            return
    if not changes and geometry is None:
        _outcome("info", "Nothing was changed.")
        return
    try:
        version = active_store().edit(
            base["kind"],
            base["row_id"],
            expected_version=base["version"],
            changes=changes,
            author=author(),
            reason=(st.session_state.get("fix_reason") or "").strip(),
            geometry=geometry,
        )
    except VersionConflict as err:
        _outcome("error", f"Not saved: {err}")
        return
    except GeoError as err:
        _outcome("error", f"Not saved: {err}")
        return
    base["version"] = version
    base["values"] = {**base["values"], **changes}
    _outcome("success", f"Saved as version {version} (a draft until reviewed).")


def _retract() -> None:
    base = st.session_state.get("fix_base")
    if not base or not can_write():
        _outcome("error", read_only_reason() or "Open a row first.")
        return
    try:
        done = active_store().retract(
            base["kind"],
            [base["row_id"]],
            author=author(),
            reason=(st.session_state.get("fix_reason") or "").strip(),
            status="draft",
        )
    except GeoError as err:
        _outcome("error", f"Not retracted: {err}")
        return
    _outcome("success", f"{done} row retraction stored as a draft (it applies once reviewed).")
    st.session_state.pop("fix_base", None)


def _correction_form() -> None:
    kind = st.selectbox("Table", list(EDITABLE), key="fix_kind")
    if kind == "areas":
        areas = _area_label(active_store().rows("areas"))
        if not areas:
            st.caption("The store holds no control area yet: draw one first.")
            return
        st.selectbox("Area", list(areas), format_func=areas.get, key="fix_area_id")
    else:
        st.text_input(
            "Row id (an event id, or place|valid_from|faction for a control claim)", key="fix_id"
        )
    st.button("Open the row", key="fix_open", on_click=_open_row)
    base = st.session_state.get("fix_base")
    if not base:
        return
    st.caption(md_text(f"Editing {base['kind']} {base['row_id']}, version {base['version']}."))
    for col in base["values"]:
        st.text_input(col, key=f"fix_{col}")
    if base["kind"] == "areas":
        st.checkbox("Replace the shape with the one last drawn on the map", key="fix_redraw")
        if st.session_state.get("fix_redraw"):
            polygon = _drawn_polygon()
            st.caption(
                "Draw the new shape on the map with the polygon or rectangle tool."
                if polygon is None
                else f"The new shape covers about {_km2(polygon):,.0f} km² (equal-area)."
            )
    st.text_input("Why (kept in the history)", key="fix_reason")
    left, right = st.columns(2)
    left.button(
        "Save the correction", key="fix_save", on_click=_save_correction, disabled=not can_write()
    )
    right.button("Retract the row", key="fix_retract", on_click=_retract, disabled=not can_write())


def render_editor() -> None:
    """The add/correct forms and the outcome of the last action."""
    slot = st.container()  # the outcome, above the forms
    if not can_write():
        st.info(md_text(read_only_reason()))
    mode = st.radio(
        "What to do", _MODES, key="editor_mode", horizontal=True, label_visibility="collapsed"
    )
    factions = _factions()
    if mode == _MODES[0]:
        _event_form(factions)
    elif mode == _MODES[1]:
        _control_form(factions)
    elif mode == _MODES[2]:
        _area_form(factions)
    else:
        _correction_form()
    outcome = st.session_state.pop("editor_outcome", None)
    if outcome:
        getattr(slot, outcome[0])(md_text(outcome[1]))
