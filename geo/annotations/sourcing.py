"""How well the annotations are sourced: rows with a link to their report, rows inferred.

>>> import pandas as pd
>>> events = pd.DataFrame({"source": ["Reuters, 2024-12-08", "Inference from x, 2024-12-08"],
...     "source_url": ["https://example.org/a", ""]})
>>> control = pd.DataFrame({"valid_from": pd.to_datetime(["2024-11-26", "2024-12-01"]),
...     "source": ["Baseline map, 2024-11-26", "AFP, 2024-12-01"], "source_url": ["", "https://example.org/b"]})
>>> [(s.table, s.rows, s.with_url, s.inferred) for s in source_coverage(events, control)]
[('events', 2, 1, 1), ('control baseline', 1, 0, 0), ('control changes', 1, 1, 0)]
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.schema import inferred

__all__ = ["SourceShare", "source_coverage"]


@dataclass(frozen=True)
class SourceShare:
    """Of ``rows`` rows of ``table``: how many link their report, how many are inferred."""

    table: str
    rows: int
    with_url: int
    inferred: int

    def __str__(self) -> str:
        def share(n: int) -> str:
            return f"{n:,} ({n / self.rows:.0%})" if self.rows else "0"

        return (
            f"{self.table}: {self.rows:,} rows, {share(self.with_url)} with a source URL, "
            f"{share(self.inferred)} inferred"
        )


def _share(table: str, frame: pd.DataFrame) -> SourceShare:
    url = frame.get("source_url", pd.Series("", index=frame.index)).fillna("").astype("str")
    return SourceShare(
        table=table,
        rows=len(frame),
        with_url=int((url.str.strip() != "").sum()),
        inferred=int(inferred(frame["source"]).sum()) if "source" in frame else 0,
    )


def source_coverage(events: pd.DataFrame, control: pd.DataFrame) -> list[SourceShare]:
    """The share of events, control baseline rows (the earliest ``valid_from``) and control
    changes (every later row) that carry a source URL, and the share inferred."""
    first = control["valid_from"].min() if len(control) else None
    baseline = control["valid_from"] == first
    return [
        _share("events", events),
        _share("control baseline", control[baseline]),
        _share("control changes", control[~baseline]),
    ]
