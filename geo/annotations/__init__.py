"""Annotation schemas (factions, events, control, control areas) and their strict validation.

Input problems are not exceptions: every bad cell becomes an :class:`Issue`
(``file:row: reason``, showing the bad value) and the valid rows still load. Rows with an
``error`` are left out of the tables; ``warning`` rows load (formula-like text is
neutralised, a faction alias is replaced by its id...). Validation is vectorised.

Files (``data/``; coordinate order is always a ``lat`` and a ``lon`` column, WGS84):

- ``factions.csv``: ``id,name,aliases,colour,description`` (aliases ``;``-separated).
- ``events.csv``: ``id,date,end_date,date_precision,place,lat,lon,faction,faction2,event_type,
  sub_event_type,description,source,source_url,confidence`` plus optional ``geo_precision``
  (a source's code such as ``acled:2`` or ``ucdp:4``, written by :mod:`geo.annotations.importers`).
- ``control.csv``: ``place,faction,valid_from,status,confidence,source,note,lat,lon``.
- ``control_areas.geojson`` (optional): Polygon/MultiPolygon features with ``faction,
  valid_from, valid_to, source, confidence, note``.

The event and control frames keep a ``row`` column (the spreadsheet row, header = 1) so
that later stages can point at the line a problem came from.

This module holds the :class:`Annotations` bundle and :func:`load_annotations`; the work is
done in small modules whose public names are re-exported here: :mod:`geo.schema` (column
lists, taxonomy), :mod:`geo.annotations.factions` (factions table, actor matching), :mod:`geo.annotations._checks`
(the shared column checks), :mod:`geo.annotations.records` (events and control),
:mod:`geo.annotations.areas` (control polygons) and :mod:`geo.annotations.uploads` (uploaded files).

>>> import pandas as pd
>>> factions = pd.DataFrame({"id": ["hts"], "name": ["Hayat Tahrir al-Sham"],
...     "aliases": ["HTS;Tahrir al-Sham"], "colour": ["#0072b2"], "description": [""]})
>>> faction_for_actor("tahrir  al sham", factions)
'hts'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from geo.annotations.areas import empty_areas, read_areas_bytes
from geo.annotations.factions import faction_for_actor, read_factions_file
from geo.annotations.records import (
    read_control_bytes,
    read_control_file,
    read_events_bytes,
    read_events_file,
    validate_control,
    validate_events,
)
from geo.annotations.uploads import UPLOAD_MAX_BYTES, UploadKind, parse_upload
from geo.errors import DataFileError
from geo.io.tabular import Issue, read_bytes
from geo.schema import (
    ACLED_TAXONOMY,
    AREA_COLUMNS,
    CONTROL_COLUMNS,
    CONTROL_STATUSES,
    DATE_PRECISIONS,
    EVENT_COLUMNS,
    EVENT_INPUT_COLUMNS,
    FACTION_COLUMNS,
    REGION_BBOX,
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
    "folder_notes",
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


def folder_notes(data_dir: Path | str) -> list[Issue]:
    """The warnings a folder gets for the files it lacks: no ``factions.csv`` (the bundled
    factions are used), no ``control.csv`` beside an ``events.csv`` (events only).

    >>> [n.file for n in folder_notes("/nonexistent")]
    ['factions.csv', 'events.csv', 'control.csv']
    """
    from geo.schema import DATA_DIR

    data_dir = Path(data_dir)
    notes = []
    if not (data_dir / "factions.csv").exists() and (DATA_DIR / "factions.csv").exists():
        reason = (
            f"not in {data_dir}: the bundled factions are used; other actors are grouped into "
            "factions automatically"
        )
        notes.append(Issue("factions.csv", None, reason, "warning"))
    if (data_dir / "events.csv").exists() and not (data_dir / "control.csv").exists():
        reason = f"not in {data_dir}: no control data (events only)"
        notes.append(Issue("control.csv", None, reason, "warning"))
    if not (data_dir / "events.csv").exists() and not (data_dir / "control.csv").exists():
        missing = "cannot read file (No such file or directory)"  # as the readers say it
        notes += [Issue("events.csv", None, missing), Issue("control.csv", None, missing)]
    return notes


def load_annotations(data_dir: Path | str, *, max_field_chars: int = 2000) -> Annotations:
    """Load and validate ``factions.csv``, ``events.csv``, ``control.csv`` and areas.

    Never raises for bad content: every problem is in ``issues``. A folder may hold
    ``events.csv`` alone: without ``factions.csv`` the bundled factions are used and the
    events' other actors are kept as raw text (the join groups them into factions,
    :func:`geo.annotations.actors.group_actors`); without ``control.csv`` the atlas has no
    control data (events only). Each is said once, as a warning. A missing
    ``control_areas.geojson`` is fine (it is optional).

    >>> ann = load_annotations("/nonexistent")
    >>> [str(i) for i in ann.errors][:1]
    ['events.csv: cannot read file (No such file or directory)']
    """
    from geo.schema import DATA_DIR

    data_dir = Path(data_dir)
    issues: list[Issue] = []
    unknown: Literal["error", "keep"] = "error"
    factions_path = data_dir / "factions.csv"
    notes = folder_notes(data_dir)
    issues += [n for n in notes if n.file == "factions.csv"]
    if not factions_path.exists() and (DATA_DIR / "factions.csv").exists():
        factions_path, unknown = DATA_DIR / "factions.csv", "keep"
    factions, more = read_factions_file(factions_path)
    issues += more
    events, more = read_events_file(
        data_dir / "events.csv",
        factions=factions,
        max_field_chars=max_field_chars,
        unknown_factions=unknown,
    )
    issues += more
    control_path = data_dir / "control.csv"
    if control_path.exists() or not (data_dir / "events.csv").exists():
        control, more = read_control_file(
            control_path, factions=factions, max_field_chars=max_field_chars
        )
        issues += more
    else:
        control, _ = read_control_bytes(b"", name="control.csv", factions=factions)
        issues += [n for n in notes if n.file == "control.csv"]
    areas_path = data_dir / "control_areas.geojson"
    if areas_path.exists():
        try:
            areas, more = read_areas_bytes(
                read_bytes(areas_path), name=areas_path.name, factions=factions
            )
        except DataFileError as err:
            areas, more = empty_areas(), [Issue(areas_path.name, None, str(err))]
        issues += more
    else:
        areas = empty_areas()
    return Annotations(factions, events, control, areas, tuple(issues))
