"""Writers for small annotation datasets that tests build themselves (our own wording)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from geo.annotations import CONTROL_COLUMNS, EVENT_COLUMNS, FACTION_COLUMNS

FACTIONS_ROWS: list[dict[str, str]] = [
    {
        "id": "government",
        "name": "Syrian government forces",
        "aliases": "SAA;regime forces;Military Forces of Syria",
        "colour": "#d55e00",
        "description": "Army and allied forces of the former government.",
    },
    {
        "id": "hts",
        "name": "Hayat Tahrir al-Sham",
        "aliases": "HTS;Military Operations Command;Tahrir al-Sham",
        "colour": "#009e73",
        "description": "Islamist-led opposition coalition.",
    },
    {
        "id": "sdf",
        "name": "Syrian Democratic Forces",
        "aliases": "SDF;QSD",
        "colour": "#f0e442",
        "description": "Kurdish-led forces in the north-east.",
    },
    {
        "id": "iraq",
        "name": "Iraqi state forces",
        "aliases": "Iraqi Border Forces;Iraqi army;Military Forces of Iraq",
        "colour": "#0072b2",
        "description": "Army and border guards of Iraq.",
    },
]

EVENT_ROWS: list[dict[str, str]] = [
    {
        "id": "t1",
        "date": "2024-11-30",
        "place": "Aleppo",
        "faction": "hts",
        "faction2": "government",
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "description": "Opposition fighters enter the city centre.",
        "source": "Test wire",
        "source_url": "https://example.org/a",
        "confidence": "0.9",
    },
    {
        "id": "t2",
        "date": "2024-12-07",
        "end_date": "2024-12-08",
        "place": "Al-Qaim",
        "lat": "34.37",
        "lon": "41.09",
        "faction": "iraq",
        "event_type": "Strategic developments",
        "sub_event_type": "Other",
        "description": "Soldiers cross into Iraq at the border gate.",
        "source": "Test agency",
        "confidence": "0.8",
    },
]

CONTROL_ROWS: list[dict[str, str]] = [
    {
        "place": "Aleppo",
        "faction": "government",
        "valid_from": "2024-11-26",
        "confidence": "0.95",
        "source": "Test map",
    },
    {
        "place": "Aleppo",
        "faction": "hts",
        "valid_from": "2024-11-30",
        "status": "contested",
        "confidence": "0.8",
        "source": "Test wire",
    },
    {
        "place": "Al-Qaim",
        "faction": "iraq",
        "valid_from": "2024-11-26",
        "confidence": "0.9",
        "source": "Test map",
        "lat": "34.37",
        "lon": "41.09",
    },
]


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    """CSV text with ``columns`` as the header; missing cells are empty."""
    frame = pd.DataFrame(
        [{c: row.get(c, "") for c in columns} for row in rows], columns=list(columns)
    )
    return frame.to_csv(index=False, lineterminator="\n")


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> Path:
    """Write ``rows`` as UTF-8 CSV and return ``path``."""
    path.write_text(csv_text(columns, rows), encoding="utf-8")
    return path


def write_dataset(
    directory: Path,
    *,
    factions: Sequence[Mapping[str, str]] = FACTIONS_ROWS,
    events: Sequence[Mapping[str, str]] = EVENT_ROWS,
    control: Sequence[Mapping[str, str]] = CONTROL_ROWS,
) -> Path:
    """Write factions.csv, events.csv and control.csv into ``directory``; return it."""
    directory.mkdir(parents=True, exist_ok=True)
    write_csv(directory / "factions.csv", FACTION_COLUMNS, factions)
    write_csv(directory / "events.csv", EVENT_COLUMNS, events)
    write_csv(directory / "control.csv", CONTROL_COLUMNS, control)
    return directory


def factions_frame() -> pd.DataFrame:
    """The test factions as a validated-looking DataFrame."""
    return pd.DataFrame(FACTIONS_ROWS, columns=list(FACTION_COLUMNS)).astype("str")


def event_row(**changes: str) -> dict[str, str]:
    """A valid event row (the first of EVENT_ROWS) with ``changes`` applied."""
    return {**EVENT_ROWS[0], **changes}


def control_row(**changes: str) -> dict[str, str]:
    """A valid control row with ``changes`` applied."""
    return {**CONTROL_ROWS[0], **changes}


ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def real_geocoder():
    """The project's offline geocoder over the bundled data, loaded once per test process."""
    from geo.places.geocode import load_geocoder

    return load_geocoder(data_dir=ROOT / "data")
