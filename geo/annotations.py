"""Annotation schemas (factions, events, control, control areas) and their strict validation.

Input problems are not exceptions: every bad cell becomes an :class:`Issue`
(``file:row: reason``, showing the bad value) and the valid rows still load. Rows with an
``error`` are left out of the tables; ``warning`` rows load (formula-like text is
neutralised, a faction alias is replaced by its id...). Validation is vectorised.

Files (``data/``; coordinate order is always a ``lat`` and a ``lon`` column, WGS84):

- ``factions.csv``: ``id,name,aliases,colour,description`` (aliases ``;``-separated).
- ``events.csv``: ``id,date,end_date,date_precision,place,lat,lon,faction,faction2,event_type,
  sub_event_type,description,source,source_url,confidence`` plus optional ``geo_precision``
  (a source's code such as ``acled:2`` or ``ucdp:4``, written by :mod:`geo.importers`).
- ``control.csv``: ``place,faction,valid_from,status,confidence,source,note,lat,lon``.
- ``control_areas.geojson`` (optional): Polygon/MultiPolygon features with ``faction,
  valid_from, valid_to, source, confidence, note``.

The event and control frames keep a ``row`` column (the spreadsheet row, header = 1) so
that later stages can point at the line a problem came from.

>>> import pandas as pd
>>> factions = pd.DataFrame({"id": ["hts"], "name": ["Hayat Tahrir al-Sham"],
...     "aliases": ["HTS;Tahrir al-Sham"], "colour": ["#0072b2"], "description": [""]})
>>> faction_for_actor("tahrir  al sham", factions)
'hts'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from anyascii import anyascii

from geo.errors import DataFileError
from geo.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_FIELD_CHARS,
    Issue,
    issues_where,
    neutralise_formulas,
    read_bytes,
    read_csv_bytes,
    read_csv_file,
    read_geojson_bytes,
)

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "ACLED_TAXONOMY",
    "AREA_COLUMNS",
    "CONTROL_COLUMNS",
    "CONTROL_STATUSES",
    "DATE_PRECISIONS",
    "EVENT_COLUMNS",
    "EVENT_INPUT_COLUMNS",
    "FACTION_COLUMNS",
    "REGION_BBOX",
    "UPLOAD_MAX_BYTES",
    "Annotations",
    "Issue",
    "UploadKind",
    "faction_for_actor",
    "load_annotations",
    "parse_upload",
    "read_areas_bytes",
    "read_control_bytes",
    "read_control_file",
    "read_events_bytes",
    "read_events_file",
    "read_factions_file",
    "validate_control",
    "validate_events",
]

log = logging.getLogger(__name__)

FACTION_COLUMNS = ("id", "name", "aliases", "colour", "description")
EVENT_COLUMNS = (
    "id",
    "date",
    "end_date",
    "date_precision",
    "place",
    "lat",
    "lon",
    "faction",
    "faction2",
    "event_type",
    "sub_event_type",
    "description",
    "source",
    "source_url",
    "confidence",
)
EVENT_INPUT_COLUMNS = (*EVENT_COLUMNS, "geo_precision")
"""Columns read from an events file: the schema plus the optional ``geo_precision`` code."""
_EVENT_REQUIRED = (
    "id",
    "date",
    "place",
    "faction",
    "event_type",
    "sub_event_type",
    "source",
    "confidence",
)
CONTROL_COLUMNS = (
    "place",
    "faction",
    "valid_from",
    "status",
    "confidence",
    "source",
    "note",
    "lat",
    "lon",
)
_CONTROL_REQUIRED = ("place", "faction", "valid_from", "confidence", "source")
AREA_COLUMNS = ("faction", "valid_from", "valid_to", "source", "confidence", "note")

CONTROL_STATUSES = ("held", "contested", "besieged")
DATE_PRECISIONS = ("day", "week", "month", "year")
"""``date_precision`` values; empty means ``day``. ACLED time_precision 1/2/3 and UCDP
date_prec 1/2/3/4-5 map to day/week/month/year."""

REGION_BBOX = (25.0, 12.0, 63.0, 43.0)
"""(lon_min, lat_min, lon_max, lat_max) of the Syria–Iraq region; outside it is a warning."""

ACLED_TAXONOMY: Mapping[str, frozenset[str]] = {
    "Battles": frozenset(
        {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}
    ),
    "Explosions/Remote violence": frozenset(
        {
            "Chemical weapon",
            "Air/drone strike",
            "Suicide bomb",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Grenade",
        }
    ),
    "Violence against civilians": frozenset(
        {"Sexual violence", "Attack", "Abduction/forced disappearance"}
    ),
    "Protests": frozenset(
        {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
    ),
    "Riots": frozenset({"Violent demonstration", "Mob violence"}),
    "Strategic developments": frozenset(
        {
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        }
    ),
}
"""ACLED event types and their allowed sub-event types (ACLED codebook)."""

_TEXT_EVENT = ("id", "place", "description", "source")
_TEXT_CONTROL = ("place", "source", "note")
UploadKind = Literal["events", "control", "areas", "acled", "ucdp", "unknown"]
"""What :func:`parse_upload` found in a file."""

UPLOAD_MAX_BYTES = 20 * 2**20
"""Default size limit of one uploaded file (bytes)."""

_COLOUR = r"#[0-9a-fA-F]{6}"
_GEO_PRECISION = r"acled:[1-3]|ucdp:[1-7]"
_FALLBACK_COLOUR = "#808080"


@dataclass(frozen=True)
class Annotations:
    """Validated annotation tables, before places are joined to coordinates.

    ``events`` and ``control`` are DataFrames with ``row`` plus their schema columns (dates
    ``datetime64[ns]``, ``lat``/``lon``/``confidence`` floats, NaN when absent); ``areas`` is
    a GeoDataFrame (EPSG:4326) of control polygons; ``issues`` lists every problem found.
    """

    factions: pd.DataFrame
    events: pd.DataFrame
    control: pd.DataFrame
    areas: gpd.GeoDataFrame
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues of severity ``error``."""
        return tuple(i for i in self.issues if i.severity == "error")


# ---------------------------------------------------------------- factions and actors


def _actor_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", anyascii(text).casefold())


def _faction_index(factions: pd.DataFrame) -> dict[str, str]:
    """Map normalised id, name and aliases to faction ids (first faction wins)."""
    index: dict[str, str] = {}
    for fid, name, aliases in zip(
        factions["id"], factions["name"], factions["aliases"], strict=True
    ):
        for label in [fid, name, *str(aliases).split(";")]:
            key = _actor_key(label)
            if key:
                index.setdefault(key, fid)
    return index


def _lookup(actor: str, index: Mapping[str, str]) -> str | None:
    key = _actor_key(actor)
    if not key:
        return None
    found = index.get(key)
    if found is None and "(" in actor:  # ACLED actors carry "(2000-2024)", "(Syria)" suffixes
        found = index.get(_actor_key(re.sub(r"\([^)]*\)", " ", actor)))
    if found is None and ":" in actor:  # ACLED's "SDF: Syrian Democratic Forces"
        parts = re.sub(r"\([^)]*\)", " ", actor).split(":")
        found = next((index[k] for k in map(_actor_key, parts) if k in index), None)
    return found


def faction_for_actor(actor: str, factions: pd.DataFrame) -> str | None:
    """Return the id of the faction whose id, name or alias matches ``actor``, else ``None``.

    Matching ignores case, spaces, hyphens, punctuation and diacritics; ACLED's
    parenthesised suffixes ("Military Forces of Syria (2000-2024)") are tried without them,
    and each side of "SDF: Syrian Democratic Forces" on its own.

    >>> f = pd.DataFrame({"id": ["sdf"], "name": ["Syrian Democratic Forces"],
    ...     "aliases": ["SDF;QSD"], "colour": ["#009e73"], "description": [""]})
    >>> faction_for_actor("Syrian-Democratic forces (Syria)", f), faction_for_actor("ISIS", f)
    ('sdf', None)
    """
    return _lookup(actor, _faction_index(factions))


def _map_factions(values: pd.Series, factions: pd.DataFrame) -> pd.Series:
    """Vectorised :func:`faction_for_actor` over the unique values of ``values``."""
    index = _faction_index(factions)
    codes, uniques = pd.factorize(values)
    mapped = np.array([_lookup(v, index) for v in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype="str")


def _map_unique(values: pd.Series, mapping: Mapping[str, str]) -> pd.Series:
    """``values.map(mapping)`` computed once per distinct value (NaN where unmapped)."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([mapping.get(v) for v in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype="str")


def _to_float(values: pd.Series) -> pd.Series:
    """Parse numbers (NaN where empty or not a number), once per distinct string."""
    codes, uniques = pd.factorize(values)
    parsed = pd.to_numeric(pd.Series(uniques, dtype="object"), errors="coerce")
    table = np.append(parsed.to_numpy(dtype="float64", na_value=np.nan), np.nan)
    return pd.Series(table[codes], index=values.index, dtype="float64")


def _validate_factions(frame: pd.DataFrame, *, name: str) -> tuple[pd.DataFrame, list[Issue]]:
    frame, issues = neutralise_formulas(frame, ["name", "description", "aliases"], name=name)
    rows = frame["row"]
    bad = pd.Series(False, index=frame.index)
    for col in ("id", "name"):
        empty = frame[col] == ""
        issues += issues_where(empty, f"{col} is empty", rows=rows, file=name)
        bad |= empty
    bad_id = (frame["id"] != "") & ~frame["id"].str.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
    reason = "bad faction id {v!r} (letters, digits, _ . -)"
    issues += issues_where(bad_id, reason, rows=rows, file=name, values=frame["id"])
    bad |= bad_id
    dup = frame["id"].duplicated() & (frame["id"] != "")
    reason = "duplicate faction id {v!r}"
    issues += issues_where(dup, reason, rows=rows, file=name, values=frame["id"])
    bad |= dup
    bad_colour = ~frame["colour"].str.fullmatch(_COLOUR)
    issues += issues_where(
        bad_colour,
        f"colour {{v!r}} is not #rrggbb; grey {_FALLBACK_COLOUR} used",
        rows=rows,
        file=name,
        severity="warning",
        values=frame["colour"],
    )
    frame.loc[bad_colour, "colour"] = _FALLBACK_COLOUR
    frame["colour"] = frame["colour"].str.lower()
    frame["aliases"] = (
        frame["aliases"].str.replace(r"\s*;[\s;]*", ";", regex=True).str.strip("; \t")
    )
    good = frame[~bad]
    issues += _alias_clashes(good, name=name)
    return good[list(FACTION_COLUMNS)].reset_index(drop=True), issues


def _alias_clashes(factions: pd.DataFrame, *, name: str) -> list[Issue]:
    labels = factions.assign(
        label=(factions["id"] + ";" + factions["name"] + ";" + factions["aliases"]).str.split(";")
    )
    labels = labels.explode("label")
    labels["key"] = labels["label"].map(_actor_key)
    labels = labels[labels["key"] != ""].drop_duplicates(["key", "id"])
    clash = labels[labels["key"].duplicated(keep="first")]
    first = labels.drop_duplicates("key").set_index("key")["id"]
    return [
        Issue(
            name,
            int(r),
            f"alias {lab!r} also names faction {first[k]!r}; it resolves to {first[k]!r}",
            "warning",
        )
        for r, lab, k in zip(clash["row"], clash["label"], clash["key"], strict=True)
    ]


def read_factions_file(path: Path | str) -> tuple[pd.DataFrame, list[Issue]]:
    """Read and validate ``factions.csv``; return ``(factions, issues)``.

    >>> f, issues = read_factions_file("/nonexistent/factions.csv")
    >>> list(f.columns), str(issues[0]).startswith("factions.csv: cannot read")
    (['id', 'name', 'aliases', 'colour', 'description'], True)
    """
    path = Path(path)
    frame, issues = read_csv_file(path, columns=FACTION_COLUMNS, required=("id", "name"))
    frame, more = _validate_factions(frame, name=path.name)
    return frame, issues + more


# ---------------------------------------------------------------- shared column checks


class _Checker:
    """Accumulates issues and the mask of rows with errors for one frame."""

    def __init__(self, frame: pd.DataFrame, name: str) -> None:
        self.frame = frame
        self.name = name
        self.issues: list[Issue] = []
        self.bad = pd.Series(False, index=frame.index)

    def flag(
        self,
        mask: pd.Series,
        reason: str,
        *,
        severity: Literal["error", "warning"] = "error",
        values: pd.Series | pd.DataFrame | None = None,
    ) -> None:
        mask = mask.fillna(False).astype(bool)
        self.issues += issues_where(
            mask, reason, rows=self.frame["row"], file=self.name, severity=severity, values=values
        )
        if severity == "error":
            self.bad |= mask

    def required(self, columns: Sequence[str]) -> None:
        for col in columns:
            self.flag(self.frame[col] == "", f"{col} is empty")

    def date(self, col: str) -> pd.Series:
        s = self.frame[col]
        filled = s != ""
        parsed = pd.to_datetime(s.where(filled), format="%Y-%m-%d", errors="coerce")
        bad = filled & parsed.isna()
        shaped = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        self.flag(bad & shaped, f"impossible {col} {{v!r}} (no such day)", values=s)
        self.flag(bad & ~shaped, f"unparseable {col} {{v!r}} (expected YYYY-MM-DD)", values=s)
        return parsed.astype("datetime64[ns]")

    def number(self, col: str, *, low: float, high: float) -> pd.Series:
        s = self.frame[col]
        filled = s != ""
        value = _to_float(s.where(filled))
        finite = np.isfinite(value)
        self.flag(filled & ~finite, f"{col} {{v!r}} is not a number", values=s)
        out = finite & ((value < low) | (value > high))
        self.flag(out, f"{col} {{v}} is outside {low:g}..{high:g}", values=s)
        return value.where(finite)

    def choice(self, col: str, allowed: Sequence[str], *, default: str) -> pd.Series:
        s = self.frame[col].str.lower().replace("", default)
        self.flag(
            ~s.isin(allowed),
            f"{col} {{v!r}} is not one of {', '.join(allowed)}",
            values=self.frame[col],
        )
        return s

    def lat_lon(self) -> tuple[pd.Series, pd.Series]:
        lat = self.number("lat", low=-90, high=90)
        lon = self.number("lon", low=-180, high=180)
        self.flag(
            (self.frame["lat"] == "") != (self.frame["lon"] == ""),
            "give both lat and lon, or neither",
        )
        lon_min, lat_min, lon_max, lat_max = REGION_BBOX
        inside = lat.between(lat_min, lat_max) & lon.between(lon_min, lon_max)
        swapped_inside = lon.between(lat_min, lat_max) & lat.between(lon_min, lon_max)
        both = lat.notna() & lon.notna()
        where = self.frame[["lat", "lon"]]
        self.flag(
            both & ~inside & swapped_inside,
            "lat={lat}, lon={lon} look swapped (swapped, they fall in the region)",
            values=where,
        )
        self.flag(
            both & ~inside & ~swapped_inside,
            "lat={lat}, lon={lon} is outside the Syria–Iraq region",
            severity="warning",
            values=where,
        )
        return lat, lon

    def faction(
        self, col: str, factions: pd.DataFrame, *, unknown: Literal["error", "warning"]
    ) -> pd.Series:
        s = self.frame[col]
        filled = s != ""
        mapped = _map_factions(s, factions)
        exact = s.isin(set(factions["id"]))
        alias = filled & ~exact & mapped.notna()
        self.flag(
            alias,
            f"{col} {{given!r}} is an alias of faction {{id!r}}; use the id",
            severity="warning",
            values=pd.DataFrame({"given": s, "id": mapped}),
        )
        missing = filled & mapped.isna()
        self.flag(
            missing,
            f"unknown {col} {{v!r}} (not an id, name or alias in factions.csv)",
            severity=unknown,
            values=s,
        )
        return mapped.where(mapped.notna(), s).astype("str")

    def url(self, col: str) -> None:
        s = self.frame[col]
        self.flag(
            (s != "") & (~s.str.match("https?://") | s.str.contains(r"[ \t\r\n<>\"'`]")),
            f"{col} {{v!r}} is not an http(s) URL",
            values=s,
        )

    def duplicates(self, keys: pd.Series, label: pd.Series, what: str) -> None:
        dup = keys.duplicated(keep="first") & keys.notna()
        if not dup.any():
            return
        first_row = self.frame["row"].groupby(keys).transform("first")
        values = pd.DataFrame({"label": label, "first": first_row})
        self.flag(dup, f"duplicate {what} {{label!r}} (first on row {{first}})", values=values)


# ---------------------------------------------------------------- events and control


def validate_events(
    frame: pd.DataFrame,
    *,
    factions: pd.DataFrame,
    name: str,
    unknown_factions: Literal["error", "warning"] = "error",
) -> tuple[pd.DataFrame, list[Issue]]:
    """Validate a frame of event strings (``row`` + event columns); return typed valid rows.

    With ``unknown_factions="warning"`` an actor missing from ``factions`` is kept as its raw
    text (imports do this); by default it is an error.

    >>> f = pd.DataFrame({"id": ["sdf"], "name": ["SDF"], "aliases": [""],
    ...     "colour": ["#009e73"], "description": [""]})
    >>> raw = pd.DataFrame([{"row": 2, "id": "e1", "date": "2024-02-30", **{c: "" for c in
    ...     EVENT_COLUMNS if c not in ("id", "date")}}]).astype({"row": "int64"})
    >>> events, issues = validate_events(raw, factions=f, name="events.csv")
    >>> len(events), str(issues[0])
    (0, "events.csv:2: impossible date '2024-02-30' (no such day)")
    """
    for col in EVENT_INPUT_COLUMNS:
        if col not in frame.columns:
            frame = frame.assign(**{col: ""})
    frame, issues = neutralise_formulas(frame, _TEXT_EVENT, name=name)
    check = _Checker(frame, name)
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
            "confidence": confidence,
            "geo_precision": geo_precision,
        }
    )
    out = out[~check.bad].reset_index(drop=True)
    out.attrs["file"] = name
    return out, sorted(check.issues, key=_order)


def _check_taxonomy(check: _Checker) -> tuple[pd.Series, pd.Series]:
    frame = check.frame
    types = {t.lower(): t for t in ACLED_TAXONOMY}
    pairs = {(t.lower(), s.lower()): s for t, subs in ACLED_TAXONOMY.items() for s in subs}
    etype = _map_unique(frame["event_type"].str.lower(), types)
    check.flag(
        (frame["event_type"] != "") & etype.isna(),
        f"unknown event_type {{v!r}} (ACLED types: {', '.join(ACLED_TAXONOMY)})",
        values=frame["event_type"],
    )
    key = frame["event_type"].str.lower() + "\x1f" + frame["sub_event_type"].str.lower()
    sub = _map_unique(key, {f"{t}\x1f{s}": sub for (t, s), sub in pairs.items()})
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
    ...     "source": "x", "note": "", "lat": "", "lon": ""}])
    >>> control, issues = validate_control(raw, factions=f, name="control.csv")
    >>> len(control), str(issues[0])
    (0, "control.csv:2: status 'sieged' is not one of held, contested, besieged")
    """
    frame, issues = neutralise_formulas(frame, _TEXT_CONTROL, name=name)
    check = _Checker(frame, name)
    check.issues += issues
    check.required(("place", "faction", "valid_from", "confidence", "source"))
    valid_from = check.date("valid_from")
    status = check.choice("status", CONTROL_STATUSES, default="held")
    confidence = check.number("confidence", low=0, high=1)
    lat, lon = check.lat_lon()
    faction = check.faction("faction", factions, unknown="error")
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
            "note": frame["note"],
            "lat": lat,
            "lon": lon,
        }
    )
    out = out[~check.bad].reset_index(drop=True)
    out.attrs["file"] = name
    return out, sorted(check.issues, key=_order)


def _order(issue: Issue) -> tuple[str, int]:
    return issue.file, -1 if issue.row is None else issue.row


def read_events_bytes(
    data: bytes,
    *,
    name: str,
    factions: pd.DataFrame,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    unknown_factions: Literal["error", "warning"] = "error",
) -> tuple[pd.DataFrame, list[Issue]]:
    """Parse and validate events from CSV or GeoJSON bytes (by ``name``'s extension)."""
    frame, issues = _raw_frame(
        data,
        name=name,
        columns=EVENT_INPUT_COLUMNS,
        required=_EVENT_REQUIRED,
        max_bytes=max_bytes,
        max_field_chars=max_field_chars,
    )
    events, more = validate_events(
        frame, factions=factions, name=name, unknown_factions=unknown_factions
    )
    return events, sorted(issues + more, key=_order)


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
        required=_CONTROL_REQUIRED,
        max_bytes=max_bytes,
        max_field_chars=max_field_chars,
    )
    control, more = validate_control(frame, factions=factions, name=name)
    return control, sorted(issues + more, key=_order)


def read_events_file(
    path: Path | str, *, factions: pd.DataFrame, max_field_chars: int = DEFAULT_MAX_FIELD_CHARS
) -> tuple[pd.DataFrame, list[Issue]]:
    """Read and validate an events file (``.csv`` or ``.geojson``); return ``(events, issues)``.

    >>> f = pd.DataFrame(columns=list(FACTION_COLUMNS), dtype="str")
    >>> events, issues = read_events_file("/nonexistent/events.csv", factions=f)
    >>> len(events), issues[0].row
    (0, None)
    """
    return _read_file(path, read_events_bytes, factions=factions, max_field_chars=max_field_chars)


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


# ---------------------------------------------------------------- control areas


def read_areas_bytes(
    data: bytes, *, name: str, factions: pd.DataFrame, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[gpd.GeoDataFrame, list[Issue]]:
    """Parse and validate control-area polygons (GeoJSON); return a GeoDataFrame and issues.

    Invalid polygons are repaired with ``shapely.make_valid`` (a warning); other geometry
    types, empty geometries and bad properties are errors.
    """
    import geopandas as gpd
    import shapely

    frame, geometries, issues = read_geojson_bytes(
        data, name=name, columns=AREA_COLUMNS, max_bytes=max_bytes
    )
    frame, more = neutralise_formulas(frame, ["source", "note"], name=name)
    check = _Checker(frame, name)
    check.issues += issues + more
    shapes = np.array([_shape(g) for g in geometries], dtype=object)
    geoms = pd.Series(shapes, index=frame.index, dtype="object")
    kinds = pd.Series(
        shapely.get_type_id(shapes) if len(shapes) else [], index=frame.index, dtype="float64"
    )
    polygonal = kinds.isin([3, 6])  # Polygon, MultiPolygon
    check.flag(~polygonal, "geometry is not a Polygon or MultiPolygon")
    check.flag(polygonal & shapely.is_empty(shapes), "geometry is empty")
    invalid = polygonal & ~shapely.is_valid(shapes)
    check.flag(
        invalid,
        "polygon is invalid (self-intersection?); repaired with make_valid",
        severity="warning",
    )
    if invalid.any():
        geoms[invalid] = shapely.make_valid(shapes[invalid.to_numpy()])
    check.required(("faction", "valid_from", "confidence", "source"))
    valid_from = check.date("valid_from")
    valid_to = check.date("valid_to")
    check.flag(
        valid_to < valid_from,
        "valid_to {valid_to} is before valid_from {valid_from}",
        values=frame[["valid_to", "valid_from"]],
    )
    confidence = check.number("confidence", low=0, high=1)
    faction = check.faction("faction", factions, unknown="error")
    out = gpd.GeoDataFrame(
        {
            "row": frame["row"],
            "faction": faction,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "source": frame["source"],
            "confidence": confidence,
            "note": frame["note"],
        },
        geometry=gpd.GeoSeries(geoms.to_numpy(), index=frame.index, crs="EPSG:4326"),
    )
    return out[~check.bad].reset_index(drop=True), sorted(check.issues, key=_order)


def _shape(geometry: object) -> object:
    import json

    import shapely

    if not isinstance(geometry, dict):
        return None
    try:
        return shapely.from_geojson(json.dumps(geometry))
    except (shapely.errors.GEOSException, ValueError, TypeError):
        return None


# ---------------------------------------------------------------- the data directory


def load_annotations(data_dir: Path | str, *, max_field_chars: int = 2000) -> Annotations:
    """Load and validate ``factions.csv``, ``events.csv``, ``control.csv`` and areas.

    Never raises for bad content: every problem is in ``issues``. A missing
    ``control_areas.geojson`` is fine (it is optional).

    >>> ann = load_annotations("/nonexistent")
    >>> [str(i) for i in ann.issues][:1]
    ['factions.csv: cannot read file (No such file or directory)']
    """
    data_dir = Path(data_dir)
    factions, issues = read_factions_file(data_dir / "factions.csv")
    events, more = read_events_file(
        data_dir / "events.csv", factions=factions, max_field_chars=max_field_chars
    )
    issues += more
    control, more = read_control_file(
        data_dir / "control.csv", factions=factions, max_field_chars=max_field_chars
    )
    issues += more
    areas_path = data_dir / "control_areas.geojson"
    if areas_path.exists():
        try:
            areas, more = read_areas_bytes(
                read_bytes(areas_path), name=areas_path.name, factions=factions
            )
        except DataFileError as err:
            areas, more = _empty_areas(), [Issue(areas_path.name, None, str(err))]
        issues += more
    else:
        areas = _empty_areas()
    return Annotations(factions, events, control, areas, tuple(issues))


def _empty_areas() -> gpd.GeoDataFrame:
    import geopandas as gpd

    frame = pd.DataFrame(
        {"row": pd.Series(dtype="int64"), **{c: pd.Series(dtype="str") for c in AREA_COLUMNS}}
    )
    frame = frame.astype(
        {"valid_from": "datetime64[ns]", "valid_to": "datetime64[ns]", "confidence": "float64"}
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"))


# ---------------------------------------------------------------- uploads


def _upload_kind(name: str, data: bytes) -> UploadKind:
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
    rows are imported into the events schema (:mod:`geo.importers`). In uploaded events an
    actor missing from ``factions`` is kept as its raw text with a warning (the join gives
    it a grey placeholder faction); in ``data/events.csv`` it is an error. Never raises
    for bad content.

    >>> f = pd.DataFrame(columns=list(FACTION_COLUMNS), dtype="str")
    >>> kind, frame, issues = parse_upload("x.csv", b"a,b\\n1,2\\n", factions=f)
    >>> kind, len(frame), issues[0].reason[:28]
    ('unknown', 0, 'cannot tell what this file h')
    """
    if len(data) > max_bytes:
        reason = f"file is {len(data)} bytes, larger than the {max_bytes}-byte limit"
        return "unknown", pd.DataFrame(), [Issue(name, None, reason)]
    kind = _upload_kind(name, data)
    if kind == "events":
        frame, issues = read_events_bytes(
            data, name=name, factions=factions, max_bytes=max_bytes, unknown_factions="warning"
        )
    elif kind == "control":
        frame, issues = read_control_bytes(data, name=name, factions=factions, max_bytes=max_bytes)
    elif kind == "areas":
        frame, issues = read_areas_bytes(data, name=name, factions=factions, max_bytes=max_bytes)
    elif kind in ("acled", "ucdp"):
        from geo.importers import import_acled_bytes, import_ucdp_bytes

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
