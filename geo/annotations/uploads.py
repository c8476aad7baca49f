"""Uploaded files: tell what a file holds (events, control, areas, an ACLED or UCDP export)
and validate it with the matching reader.

>>> upload_kind("claims.csv", b"place,faction,valid_from\\nManbij,sdf,2024-12-09\\n")
'control'
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from geo.annotations.areas import read_areas_bytes
from geo.annotations.importers import import_acled_bytes, import_ucdp_bytes
from geo.annotations.records import read_control_bytes, read_events_bytes
from geo.io.tabular import Issue, read_csv_bytes

__all__ = ["UPLOAD_MAX_BYTES", "UploadKind", "parse_upload", "upload_kind"]

UploadKind = Literal["events", "control", "areas", "acled", "ucdp", "unknown"]
"""What :func:`parse_upload` found in a file."""

UPLOAD_MAX_BYTES = 20 * 2**20
"""Default size limit of one uploaded file (bytes)."""


def upload_kind(name: str, data: bytes) -> UploadKind:
    """Guess the kind of an upload from its header (CSV) or first feature (GeoJSON)."""
    import csv
    import io
    import json

    head = data[:65536].decode("utf-8-sig", errors="replace")
    if name.lower().endswith((".geojson", ".json")):
        try:
            features = json.loads(data.decode("utf-8-sig", errors="replace")).get("features") or []
            first = features[0] if features else {}
            props = set((first.get("properties") or {}).keys())
            gtype = (first.get("geometry") or {}).get("type", "")
        except (json.JSONDecodeError, AttributeError, TypeError, IndexError, RecursionError):
            return "unknown"
        columns = {p.strip().lower() for p in props}
        if gtype in ("Polygon", "MultiPolygon"):
            return "areas"
    else:
        try:
            first_line = next(csv.reader(io.StringIO(head, newline="")), [])
        except csv.Error:
            return "unknown"
        columns = {c.strip().lower() for c in first_line}
    if {"event_id_cnty", "event_date"} <= columns:
        return "acled"
    if {"side_a", "date_start"} <= columns:
        return "ucdp"
    if {"valid_from", "place"} <= columns:
        return "control"
    if {"event_type", "date"} <= columns:
        return "events"
    return "unknown"


def parse_upload(
    name: str,
    data: bytes,
    *,
    factions: pd.DataFrame,
    max_bytes: int = UPLOAD_MAX_BYTES,
) -> tuple[UploadKind, pd.DataFrame, list[Issue]]:
    """Validate an uploaded file and tell what it holds.

    The kind is detected from the columns: ``acled`` (``event_id_cnty``, ``event_date``),
    ``ucdp`` (``side_a``, ``date_start``), ``control`` (``place``, ``valid_from``),
    ``events`` (``date``, ``event_type``) or ``areas`` (GeoJSON polygons). ACLED and UCDP
    rows are imported into the events schema (:mod:`geo.annotations.importers`). In uploaded events an
    actor missing from ``factions`` is kept as its raw text with a warning (the join gives
    it a grey placeholder faction); in ``data/events.csv`` it is an error. Never raises
    for bad content.

    >>> from geo.annotations import FACTION_COLUMNS
    >>> f = pd.DataFrame(columns=list(FACTION_COLUMNS), dtype="str")
    >>> kind, frame, issues = parse_upload("x.csv", b"a,b\\n1,2\\n", factions=f)
    >>> kind, len(frame), issues[0].reason[:28]
    ('unknown', 0, 'cannot tell what this file h')
    """
    if len(data) > max_bytes:
        reason = f"file is {len(data)} bytes, larger than the {max_bytes}-byte limit"
        return "unknown", pd.DataFrame(), [Issue(name, None, reason)]
    kind = upload_kind(name, data)
    if kind == "events":
        frame, issues = read_events_bytes(
            data, name=name, factions=factions, max_bytes=max_bytes, unknown_factions="warning"
        )
    elif kind == "control":
        frame, issues = read_control_bytes(data, name=name, factions=factions, max_bytes=max_bytes)
    elif kind == "areas":
        frame, issues = read_areas_bytes(data, name=name, factions=factions, max_bytes=max_bytes)
    elif kind in ("acled", "ucdp"):
        reader = import_acled_bytes if kind == "acled" else import_ucdp_bytes
        frame, issues = reader(data, name=name, factions=factions, max_bytes=max_bytes)
    else:
        _, issues = read_csv_bytes(data[:65536], name=name, columns=())
        bad = [i for i in issues if i.row is None and i.severity == "error"]
        reason = (
            bad[0].reason
            if bad
            else "cannot tell what this file holds: expected events (date, event_type...), "
            "control (place, valid_from...), an ACLED or a UCDP GED export"
        )
        return "unknown", pd.DataFrame(), [Issue(name, None, reason)]
    return kind, frame, issues
