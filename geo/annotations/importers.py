"""Import ACLED exports and UCDP GED CSV files into the events schema.

Both importers read untrusted CSV with :mod:`geo.io.tabular`, map each source row to one event
and validate it with :func:`geo.annotations.validate_events`, so problems come back as
``file:row: reason`` (the row of the source file) and valid rows are kept.

Mappings (documented here and in ``data/README.md``):

- **Actors.** ACLED ``actor1``/``actor2`` and UCDP ``side_a``/``side_b`` map to faction ids
  through the factions' ids, names and aliases (:func:`geo.annotations.faction_for_actor`;
  the bundled ``factions.csv`` lists UCDP's and ACLED's own names, such as "Government of
  Syria" or "Military Forces of Syria (2000-2024)"). An actor that matches no faction is
  *kept as its raw text* in ``faction``/``faction2`` and reported once (one warning per
  actor, with its row count and first row); :func:`geo.annotations.actors.group_actors`
  then groups such actors into factions (``python -m geo import`` and the join do).
- **Coordinates.** Kept where the source puts them, anywhere in the world; a pair whose
  swap is certain (``|latitude| > 90``) is swapped back, with a warning.
- **Dates.** ACLED ``event_date`` is ``2024-12-08`` or ``08 December 2024``; ACLED
  ``time_precision`` 1/2/3 becomes ``date_precision`` day/week/month. UCDP ``date_start`` /
  ``date_end`` become ``date`` / ``end_date``; ``date_prec`` 1/2/3/4/5 becomes
  day/week/month/year/year.
- **Places.** ``latitude``/``longitude`` become explicit ``lat``/``lon`` (overriding the
  geocoder) and the source's spatial precision is kept in ``geo_precision`` as
  ``acled:1-3`` or ``ucdp:1-7``; the join turns it into ``geo_confidence``
  (:data:`geo.atlas.join.GEO_PRECISION_CONFIDENCE`). ``place`` is ACLED ``location`` or UCDP
  ``where_coordinates`` (else ``adm_2``, ``adm_1``).
- **Types.** ACLED ``event_type``/``sub_event_type`` are kept. UCDP ``type_of_violence`` 1
  (state-based) and 2 (non-state) become Battles / Armed clash; 3 (one-sided) becomes
  Violence against civilians / Attack.
- **Text and confidence.** ``description`` is ACLED ``notes`` (plus the fatality count) or,
  for UCDP, a sentence built from the death estimates and the conflict name.
  ``confidence`` is :data:`ACLED_CONFIDENCE` for ACLED (which codes none) and from UCDP's
  ``event_clarity`` (1 → 0.9, 2 → 0.6, else 0.75).

>>> from geo.annotations import FACTION_COLUMNS
>>> f = pd.DataFrame(columns=list(FACTION_COLUMNS), dtype="str")
>>> events, issues = import_acled_bytes(b"", name="acled.csv", factions=f)
>>> len(events), str(issues[0])
(0, 'acled.csv: empty file (no header row)')
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from geo.annotations.records import validate_events
from geo.io.tabular import DEFAULT_MAX_BYTES, Issue, read_bytes, read_csv_bytes
from geo.schema import EVENT_INPUT_COLUMNS

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_CONFIDENCE",
    "UCDP_COLUMNS",
    "import_acled",
    "import_acled_bytes",
    "import_ucdp",
    "import_ucdp_bytes",
]

log = logging.getLogger(__name__)

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
"""The 31 columns of a current ACLED export (older exports lack some; they are optional)."""
_ACLED_REQUIRED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "location",
    "latitude",
    "longitude",
)

UCDP_COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)
"""The columns of a UCDP GED CSV (version 24.1 layout)."""
_UCDP_REQUIRED = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "date_start",
    "latitude",
    "longitude",
)

ACLED_CONFIDENCE = 0.8
"""Confidence given to ACLED events (ACLED codes no confidence of its own)."""

_IMPORT_FIELD_CHARS = 10_000  # ACLED notes and UCDP source_article run long
_ACLED_PRECISION = {"1": "day", "2": "week", "3": "month"}
_UCDP_PRECISION = {"1": "day", "2": "week", "3": "month", "4": "year", "5": "year"}
_UCDP_TYPES = {
    "1": ("Battles", "Armed clash"),  # state-based conflict
    "2": ("Battles", "Armed clash"),  # non-state conflict
    "3": ("Violence against civilians", "Attack"),  # one-sided violence
}
_UCDP_CLARITY = {"1": "0.9", "2": "0.6"}


def _acled_dates(text: pd.Series) -> pd.Series:
    """ISO dates from ``2024-12-08`` or ``08 December 2024``; anything else unchanged."""
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    long = pd.to_datetime(text, format="%d %B %Y", errors="coerce")
    parsed = iso.fillna(long)
    return parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), text).astype("str")


def _coded(values: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Map source codes; unknown codes stay as they are (and fail validation, with the value)."""
    return values.map(mapping).fillna(values).astype("str")


def import_acled_bytes(
    data: bytes, *, name: str, factions: pd.DataFrame, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[pd.DataFrame, list[Issue]]:
    """Import an ACLED export (CSV bytes) into validated events; return ``(events, issues)``.

    Parameters
    ----------
    data : bytes
        The CSV file (current 31-column layout or an older one).
    name : str
        File name used in issues.
    factions : DataFrame
        Factions whose ids, names and aliases the actors are matched against.
    max_bytes : int
        Largest file accepted.
    """
    raw, issues = read_csv_bytes(
        data,
        name=name,
        columns=ACLED_COLUMNS,
        required=_ACLED_REQUIRED,
        max_bytes=max_bytes,
        max_field_chars=_IMPORT_FIELD_CHARS,
    )
    fatalities = pd.to_numeric(raw["fatalities"], errors="coerce")
    deaths = pd.Series(
        np.where(fatalities > 0, " Fatalities (ACLED): " + raw["fatalities"] + ".", ""),
        index=raw.index,
        dtype="str",
    )
    source = ("ACLED: " + raw["source"]).where(raw["source"] != "", "ACLED")
    frame = pd.DataFrame(
        {
            "row": raw["row"],
            "id": raw["event_id_cnty"],
            "date": _acled_dates(raw["event_date"]),
            "end_date": "",
            "date_precision": _coded(raw["time_precision"], _ACLED_PRECISION),
            "place": raw["location"],
            "lat": raw["latitude"],
            "lon": raw["longitude"],
            "faction": raw["actor1"],
            "faction2": raw["actor2"],
            "event_type": raw["event_type"],
            "sub_event_type": raw["sub_event_type"],
            "description": raw["notes"] + deaths,
            "source": source,
            "source_url": "",
            "claimant": "",
            "note": "",
            "confidence": str(ACLED_CONFIDENCE),
            "geo_precision": ("acled:" + raw["geo_precision"]).where(
                raw["geo_precision"] != "", ""
            ),
        },
        index=raw.index,
    ).astype({c: "str" for c in EVENT_INPUT_COLUMNS})
    events, more = validate_events(frame, factions=factions, name=name, unknown_factions="keep")
    return events, issues + more + _unknown_actors(events, factions, name=name)


def import_ucdp_bytes(
    data: bytes, *, name: str, factions: pd.DataFrame, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[pd.DataFrame, list[Issue]]:
    """Import a UCDP GED CSV (bytes) into validated events; return ``(events, issues)``.

    Parameters are those of :func:`import_acled_bytes`.
    """
    raw, issues = read_csv_bytes(
        data,
        name=name,
        columns=UCDP_COLUMNS,
        required=_UCDP_REQUIRED,
        max_bytes=max_bytes,
        max_field_chars=_IMPORT_FIELD_CHARS,
    )
    start = raw["date_start"].str.slice(0, 10)
    end = raw["date_end"].str.slice(0, 10)
    place = raw["where_coordinates"].where(raw["where_coordinates"] != "", raw["adm_2"])
    place = place.where(place != "", raw["adm_1"])
    types = raw["type_of_violence"].map({k: v[0] for k, v in _UCDP_TYPES.items()})
    subs = raw["type_of_violence"].map({k: v[1] for k, v in _UCDP_TYPES.items()})
    conflict = (" (" + raw["conflict_name"] + ")").where(raw["conflict_name"] != "", "")
    description = (
        raw["best"].where(raw["best"] != "", "?")
        + " deaths (UCDP best estimate; low "
        + raw["low"]
        + ", high "
        + raw["high"]
        + ")"
        + conflict
        + "."
    )
    office = (" (" + raw["source_office"] + ")").where(raw["source_office"] != "", "")
    frame = pd.DataFrame(
        {
            "row": raw["row"],
            "id": ("UCDP-" + raw["id"]).where(raw["id"] != "", ""),
            "date": start,
            "end_date": end.where(end != start, ""),
            "date_precision": _coded(raw["date_prec"], _UCDP_PRECISION),
            "place": place,
            "lat": raw["latitude"],
            "lon": raw["longitude"],
            "faction": raw["side_a"],
            "faction2": raw["side_b"],
            "event_type": types.fillna("UCDP type_of_violence " + raw["type_of_violence"]),
            "sub_event_type": subs.fillna(""),
            "description": description,
            "source": "UCDP GED" + office,
            "source_url": "",
            "claimant": "",
            "note": "",
            "confidence": raw["event_clarity"].map(_UCDP_CLARITY).fillna("0.75"),
            "geo_precision": ("ucdp:" + raw["where_prec"]).where(raw["where_prec"] != "", ""),
        },
        index=raw.index,
    ).astype({c: "str" for c in EVENT_INPUT_COLUMNS})
    events, more = validate_events(frame, factions=factions, name=name, unknown_factions="keep")
    return events, issues + more + _unknown_actors(events, factions, name=name)


def _unknown_actors(events: pd.DataFrame, factions: pd.DataFrame, *, name: str) -> list[Issue]:
    """One warning per actor that no faction knows: its text, row count and first row."""
    sides = pd.concat(
        [
            events[["row", "faction"]],
            events[["row", "faction2"]].rename(columns={"faction2": "faction"}),
        ]
    )
    sides = sides[(sides["faction"] != "") & ~sides["faction"].isin(set(factions["id"]))]
    if sides.empty:
        return []
    summary = sides.groupby("faction", sort=False)["row"].agg(["min", "size"]).sort_values("min")
    return [
        Issue(
            name,
            int(first),
            f"unknown actor {actor!r} ({n:,} row(s); not an id, name or alias in "
            "factions.csv): kept as raw text",
            "warning",
        )
        for actor, first, n in zip(summary.index, summary["min"], summary["size"], strict=True)
    ]


def import_acled(path: Path | str, *, factions: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """Import an ACLED export file; see :func:`import_acled_bytes`.

    Raises
    ------
    DataFileError
        The file is missing, unreadable or larger than the size limit.
    """
    return _import_file(path, import_acled_bytes, factions=factions)


def import_ucdp(path: Path | str, *, factions: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """Import a UCDP GED CSV file; see :func:`import_ucdp_bytes`.

    Raises
    ------
    DataFileError
        The file is missing, unreadable or larger than the size limit.
    """
    return _import_file(path, import_ucdp_bytes, factions=factions)


def _import_file(
    path: Path | str,
    reader: Callable[..., tuple[pd.DataFrame, list[Issue]]],
    *,
    factions: pd.DataFrame,
) -> tuple[pd.DataFrame, list[Issue]]:
    path = Path(path)
    return reader(read_bytes(path), name=path.name, factions=factions)
