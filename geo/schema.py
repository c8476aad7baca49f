"""Column lists and vocabularies of the annotation files (factions, events, control, areas).

A leaf module: the validators, the uploads and the join all read their column lists here, and
:mod:`geo.annotations` re-exports the public ones.

>>> EVENT_INPUT_COLUMNS[-1], CONTROL_STATUSES[0]
('geo_precision', 'held')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACLED_TAXONOMY",
    "AREA_COLUMNS",
    "CONTROL_COLUMNS",
    "CONTROL_REQUIRED",
    "CONTROL_SCHEMA",
    "CONTROL_STATUSES",
    "DATA_DIR",
    "DATE_PRECISIONS",
    "EVENT_COLUMNS",
    "EVENT_INPUT_COLUMNS",
    "EVENT_REQUIRED",
    "EVENT_SCHEMA",
    "FACTION_COLUMNS",
    "INFERENCE_MAX_CONFIDENCE",
    "INFERENCE_PREFIX",
    "JOIN_REPORT_COLUMNS",
    "REGION_BBOX",
    "inferred",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
"""The bundled data folder (``data/`` beside ``geo/``): the default of every loader."""

INFERENCE_PREFIX = "Inference"
"""A ``source`` starting with this word marks a row inferred from other reports, not reported."""
INFERENCE_MAX_CONFIDENCE = 0.45
"""The highest confidence an inferred row may carry."""


def inferred(sources: pd.Series) -> pd.Series:
    """True where a ``source`` says its row is inferred (starts with :data:`INFERENCE_PREFIX`).

    An inferred row rests on reports of other places or of a region, not on a report of its
    own: the map draws it distinctly and its confidence stays at most
    :data:`INFERENCE_MAX_CONFIDENCE`.

    >>> import pandas as pd
    >>> inferred(pd.Series(["Inference from the fall of Damascus", "Reuters, 2024-12-08", None])).tolist()
    [True, False, False]
    """
    return sources.fillna("").astype("str").str.strip().str.startswith(INFERENCE_PREFIX)


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
    "claimant",
    "confidence",
    "note",
)
EVENT_INPUT_COLUMNS = (*EVENT_COLUMNS, "geo_precision")
"""Columns read from an events file: the schema plus the optional ``geo_precision`` code."""
EVENT_REQUIRED = (
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
    "source_url",
    "claimant",
    "note",
    "lat",
    "lon",
)
CONTROL_REQUIRED = ("place", "faction", "valid_from", "confidence", "source")
EVENT_SCHEMA = (*EVENT_COLUMNS, "geo_confidence", "country", "geometry")
"""Columns of the joined events table: the file's columns, then what the join adds."""
CONTROL_SCHEMA = (*CONTROL_COLUMNS, "country", "kind", "geometry")
"""Columns of the joined control table: the file's columns, then what the join adds."""
JOIN_REPORT_COLUMNS = ("file", "row", "place", "status", "confidence", "matched")
"""Columns of the join report: one row per unresolved or low-confidence annotation row."""
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
