"""A synthetic data folder of ``n`` events (``data/`` layout), for the store's bench and tests.

>>> import tempfile
>>> folder = synthetic_folder(Path(tempfile.mkdtemp()), 20)
>>> sorted(p.name for p in folder.iterdir())
['events.csv', 'factions.csv']
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["synthetic_folder"]


def synthetic_folder(folder: Path, n: int, *, seed: int = 0) -> Path:
    """Write ``events.csv`` (``geo.synth.synthetic_events(n)``) and the bundled factions."""
    from geo.schema import DATA_DIR, EVENT_COLUMNS
    from geo.synth import synthetic_events

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    events = synthetic_events(n, seed=seed)
    table = events[list(EVENT_COLUMNS)].copy()
    for col in ("date", "end_date"):
        table[col] = table[col].dt.strftime("%Y-%m-%d")
    # synth codes precision 1-4 (ACLED/UCDP style); the file layout names it
    table["date_precision"] = table["date_precision"].map(
        {1: "day", 2: "week", 3: "month", 4: "year"}
    )
    table.to_csv(folder / "events.csv", index=False, lineterminator="\n")
    shutil.copy(DATA_DIR / "factions.csv", folder / "factions.csv")
    return folder
