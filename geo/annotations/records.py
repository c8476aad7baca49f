"""Events and control claims: strict validation of their rows and the file/bytes readers.

CSV or GeoJSON (by the file name's extension) becomes a frame of strings
(:mod:`geo.io.tabular`), then :func:`validate_events` / :func:`validate_control` type every
column through the shared checks (:mod:`geo.annotations._checks`). Bad cells become issues; rows with an
error are left out.

>>> import pandas as pd
>>> f = pd.DataFrame({"id": ["sdf"], "name": ["SDF"], "aliases": [""],
...     "colour": ["#009e73"], "description": [""]})
>>> data = b"place,faction,valid_from,confidence,source\\nManbij,sdf,2024-12-09,0.9,x\\n"
>>> control, issues = read_control_bytes(data, name="control.csv", factions=f)
>>> control[["place", "faction", "status"]].values.tolist(), issues
([['Manbij', 'sdf', 'held']], [])
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import pandas as pd

from geo.annotations._checks import ColumnChecker, map_unique
from geo.errors import DataFileError
from geo.io.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_FIELD_CHARS,
    Issue,
    issue_order,
    neutralise_formulas,
    read_bytes,
    read_csv_bytes,
    read_geojson_bytes,
)
from geo.schema import (
    ACLED_TAXONOMY,
    CONTROL_COLUMNS,
    CONTROL_REQUIRED,
    CONTROL_STATUSES,
    DATE_PRECISIONS,
    EVENT_INPUT_COLUMNS,
    EVENT_REQUIRED,
)

__all__ = [
    "read_control_bytes",
    "read_control_file",
    "read_events_bytes",
    "read_events_file",
    "validate_control",
    "validate_events",
]

_TEXT_EVENT = ("id", "place", "description", "source", "claimant", "note")
_TEXT_CONTROL = ("place", "source", "claimant", "note")
_GEO_PRECISION = r"acled:[1-3]|ucdp:[1-7]"


def validate_events(
    frame: pd.DataFrame,
    *,
    factions: pd.DataFrame,
    name: str,
    unknown_factions: Literal["error", "warning", "keep"] = "error",
) -> tuple[pd.DataFrame, list[Issue]]:
    """Validate a frame of event strings (``row`` + event columns); return typed valid rows.

    With ``unknown_factions="warning"`` an actor missing from ``factions`` is kept as its raw
    text (imports do this); by default it is an error.

    >>> f = pd.DataFrame({"id": ["sdf"], "name": ["SDF"], "aliases": [""],
    ...     "colour": ["#009e73"], "description": [""]})
    >>> from geo.annotations import EVENT_COLUMNS
    >>> raw = pd.DataFrame([{"row": 2, "id": "e1", "date": "2024-02-30", **{c: "" for c in
    ...     EVENT_COLUMNS if c not in ("id", "date")}}]).astype({"row": "int64"})
    >>> events, issues = validate_events(raw, factions=f, name="events.csv")
    >>> len(events), str(issues[0])
    (0, "events.csv:2: impossible date '2024-02-30' (no such day)")
    """
    for col in EVENT_INPUT_COLUMNS:
        if col not in frame.columns:
            frame = frame.assign(**{col: ""})
    # Unknown actors are kept as raw text in warning mode, so they get the formula guard too.
    kept_raw = ("faction", "faction2") if unknown_factions != "error" else ()
    frame, issues = neutralise_formulas(frame, (*_TEXT_EVENT, *kept_raw), name=name)
    check = ColumnChecker(frame, name)
    check.issues += issues
    date = check.date("date")
    end = check.date("end_date")
    check.required(
        ("id", "place", "faction", "event_type", "sub_event_type", "source", "confidence")
    )
    check.flag(date.isna() & (frame["date"] == ""), "date is empty")
    check.flag(
        end < date, "end_date {end_date} is before date {date}", values=frame[["date", "end_date"]]
    )
    precision = check.choice("date_precision", DATE_PRECISIONS, default="day")
    lat, lon = check.lat_lon()
    faction = check.faction("faction", factions, unknown=unknown_factions)
    faction2 = check.faction("faction2", factions, unknown=unknown_factions)
    event_type, sub_type = _check_taxonomy(check)
    confidence = check.number("confidence", low=0, high=1)
    check.url("source_url")
    check.inference(confidence)
    geo_precision = frame["geo_precision"].str.lower()
    check.flag(
        (geo_precision != "") & ~geo_precision.str.fullmatch(_GEO_PRECISION),
        "geo_precision {v!r} is not acled:1-3 or ucdp:1-7",
        values=frame["geo_precision"],
    )
    check.duplicates(frame["id"].where(frame["id"] != ""), frame["id"], "id")
    out = pd.DataFrame(
        {
            "row": frame["row"],
            "id": frame["id"],
            "date": date,
            "end_date": end,
            "date_precision": precision,
            "place": frame["place"],
            "lat": lat,
            "lon": lon,
            "faction": faction,
            "faction2": faction2,
            "event_type": event_type,
            "sub_event_type": sub_type,
            "description": frame["description"],
            "source": frame["source"],
            "source_url": frame["source_url"],
            "claimant": frame["claimant"],
            "confidence": confidence,
            "note": frame["note"],
            "geo_precision": geo_precision,
        }
    )
    return check.valid_rows(out)


def _check_taxonomy(check: ColumnChecker) -> tuple[pd.Series, pd.Series]:
    frame = check.frame
    types = {t.lower(): t for t in ACLED_TAXONOMY}
    pairs = {(t.lower(), s.lower()): s for t, subs in ACLED_TAXONOMY.items() for s in subs}
    etype = map_unique(frame["event_type"].str.lower(), types)
    check.flag(
        (frame["event_type"] != "") & etype.isna(),
        f"unknown event_type {{v!r}} (ACLED types: {', '.join(ACLED_TAXONOMY)})",
        values=frame["event_type"],
    )
    key = frame["event_type"].str.lower() + "\x1f" + frame["sub_event_type"].str.lower()
    sub = map_unique(key, {f"{t}\x1f{s}": sub for (t, s), sub in pairs.items()})
    check.flag(
        etype.notna() & (frame["sub_event_type"] != "") & sub.isna(),
        "sub_event_type {given!r} is not a sub-type of {etype!r}",
        values=pd.DataFrame({"given": frame["sub_event_type"], "etype": etype}),
    )
    return etype.fillna(frame["event_type"]).astype("str"), sub.fillna(
        frame["sub_event_type"]
    ).astype("str")


def validate_control(
    frame: pd.DataFrame, *, factions: pd.DataFrame, name: str
) -> tuple[pd.DataFrame, list[Issue]]:
    """Validate a frame of control-claim strings; return typed valid rows and issues.

    >>> f = pd.DataFrame({"id": ["sdf"], "name": ["SDF"], "aliases": [""],
    ...     "colour": ["#009e73"], "description": [""]})
    >>> raw = pd.DataFrame([{"row": 2, "place": "Manbij", "faction": "sdf",
    ...     "valid_from": "2024-11-26", "status": "sieged", "confidence": "0.9",
    ...     "source": "x", "source_url": "", "claimant": "", "note": "", "lat": "", "lon": ""}])
    >>> control, issues = validate_control(raw, factions=f, name="control.csv")
    >>> len(control), str(issues[0])
    (0, "control.csv:2: status 'sieged' is not one of held, contested, besieged")
    """
    frame, issues = neutralise_formulas(frame, _TEXT_CONTROL, name=name)
    check = ColumnChecker(frame, name)
    check.issues += issues
    check.required(("place", "faction", "valid_from", "confidence", "source"))
    valid_from = check.date("valid_from")
    status = check.choice("status", CONTROL_STATUSES, default="held")
    confidence = check.number("confidence", low=0, high=1)
    lat, lon = check.lat_lon()
    faction = check.faction("faction", factions, unknown="error")
    check.url("source_url")
    check.inference(confidence)
    key = frame["place"].str.lower() + "|" + frame["valid_from"] + "|" + faction
    check.duplicates(key, frame["place"] + " " + frame["valid_from"] + " " + faction, "claim")
    out = pd.DataFrame(
        {
            "row": frame["row"],
            "place": frame["place"],
            "faction": faction,
            "valid_from": valid_from,
            "status": status,
            "confidence": confidence,
            "source": frame["source"],
            "source_url": frame["source_url"],
            "claimant": frame["claimant"],
            "note": frame["note"],
            "lat": lat,
            "lon": lon,
        }
    )
    return check.valid_rows(out)


def read_events_bytes(
    data: bytes,
    *,
    name: str,
    factions: pd.DataFrame,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    unknown_factions: Literal["error", "warning", "keep"] = "error",
) -> tuple[pd.DataFrame, list[Issue]]:
    """Parse and validate events from CSV or GeoJSON bytes (by ``name``'s extension)."""
    frame, issues = _raw_frame(
        data,
        name=name,
        columns=EVENT_INPUT_COLUMNS,
        required=EVENT_REQUIRED,
        max_bytes=max_bytes,
        max_field_chars=max_field_chars,
    )
    events, more = validate_events(
        frame, factions=factions, name=name, unknown_factions=unknown_factions
    )
    return events, sorted(issues + more, key=issue_order)


def read_control_bytes(
    data: bytes,
    *,
    name: str,
    factions: pd.DataFrame,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> tuple[pd.DataFrame, list[Issue]]:
    """Parse and validate control claims from CSV or GeoJSON bytes (by ``name``'s extension)."""
    frame, issues = _raw_frame(
        data,
        name=name,
        columns=CONTROL_COLUMNS,
        required=CONTROL_REQUIRED,
        max_bytes=max_bytes,
        max_field_chars=max_field_chars,
    )
    control, more = validate_control(frame, factions=factions, name=name)
    return control, sorted(issues + more, key=issue_order)


def read_events_file(
    path: Path | str,
    *,
    factions: pd.DataFrame,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    unknown_factions: Literal["error", "warning", "keep"] = "error",
) -> tuple[pd.DataFrame, list[Issue]]:
    """Read and validate an events file (``.csv`` or ``.geojson``); return ``(events, issues)``.

    >>> from geo.annotations import FACTION_COLUMNS
    >>> f = pd.DataFrame(columns=list(FACTION_COLUMNS), dtype="str")
    >>> events, issues = read_events_file("/nonexistent/events.csv", factions=f)
    >>> len(events), issues[0].row
    (0, None)
    """
    return _read_file(
        path,
        functools.partial(read_events_bytes, unknown_factions=unknown_factions),
        factions=factions,
        max_field_chars=max_field_chars,
    )


def read_control_file(
    path: Path | str, *, factions: pd.DataFrame, max_field_chars: int = DEFAULT_MAX_FIELD_CHARS
) -> tuple[pd.DataFrame, list[Issue]]:
    """Read and validate a control file (``.csv`` or ``.geojson``); return ``(control, issues)``."""
    return _read_file(path, read_control_bytes, factions=factions, max_field_chars=max_field_chars)


def _read_file(
    path: Path | str,
    reader: Callable[..., tuple[pd.DataFrame, list[Issue]]],
    *,
    factions: pd.DataFrame,
    max_field_chars: int,
) -> tuple[pd.DataFrame, list[Issue]]:
    path = Path(path)
    try:
        data = read_bytes(path)
    except DataFileError as err:
        empty, _ = reader(b"", name=path.name, factions=factions)
        return empty, [Issue(path.name, None, str(err).split(": ", 1)[-1])]
    return reader(data, name=path.name, factions=factions, max_field_chars=max_field_chars)


def _raw_frame(
    data: bytes,
    *,
    name: str,
    columns: Sequence[str],
    required: Sequence[str],
    max_bytes: int,
    max_field_chars: int,
) -> tuple[pd.DataFrame, list[Issue]]:
    if not name.lower().endswith((".geojson", ".json")):
        return read_csv_bytes(
            data,
            name=name,
            columns=columns,
            required=required,
            max_bytes=max_bytes,
            max_field_chars=max_field_chars,
        )
    frame, geometries, issues = read_geojson_bytes(
        data, name=name, columns=columns, max_bytes=max_bytes, max_field_chars=max_field_chars
    )
    if "lat" in columns and len(frame):
        lon_lat = [_point_lon_lat(g) for g in geometries]  # GeoJSON points are (lon, lat)
        lon = pd.Series([p[0] for p in lon_lat], index=frame.index, dtype="str")
        lat = pd.Series([p[1] for p in lon_lat], index=frame.index, dtype="str")
        no_props = (frame["lat"] == "") & (frame["lon"] == "")
        frame.loc[no_props, "lat"] = lat[no_props]
        frame.loc[no_props, "lon"] = lon[no_props]
    return frame, issues


def _point_lon_lat(geometry: object) -> tuple[str, str]:
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        coords = geometry.get("coordinates")
        if isinstance(coords, list) and len(coords) >= 2:
            return str(coords[0]), str(coords[1])
    return "", ""
