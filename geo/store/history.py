"""Every version of the rows a name or id designates: events, factions, places, claims, areas.

>>> import tempfile
>>> from geo.store import open_store
>>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite")
>>> with store.engine.connect() as conn:
...     sorted({kind for kind, _ in find_versions(conn, "Manbij")})
['control', 'places']
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from geo.store.tables import KINDS, versions_table

__all__ = ["find_versions"]


def _matches(kind: str, table: sa.Table, name: str) -> sa.ColumnElement[bool]:
    lowered = name.lower()
    if kind == "places":
        return sa.or_(table.c.row_id == name, sa.func.lower(table.c.d_name) == lowered)
    if kind == "control":
        return sa.or_(table.c.row_id == name, sa.func.lower(table.c.d_place) == lowered)
    return table.c.row_id == name


def find_versions(conn: sa.Connection, name: str) -> list[tuple[str, pd.DataFrame]]:
    """``(kind, versions)`` for every kind with a row named ``name``, oldest version first.

    A place's id or name finds its ``places`` row and every control claim on it.
    """
    found = []
    for kind in KINDS:
        table = versions_table(kind)
        query = (
            sa.select(table)
            .where(_matches(kind, table, name))
            .order_by(table.c.seq, table.c.row_id, table.c.version)
        )
        result = conn.execute(query)
        frame = pd.DataFrame.from_records(result.fetchall(), columns=list(result.keys()))
        if len(frame):
            found.append((kind, frame))
    places = dict(found).get("places")
    if places is not None and "control" not in dict(found):  # claims name the place, not its id
        for place in sorted(set(places["d_name"])):
            table = versions_table("control")
            result = conn.execute(
                sa.select(table)
                .where(sa.func.lower(table.c.d_place) == place.lower())
                .order_by(table.c.seq, table.c.row_id, table.c.version)
            )
            frame = pd.DataFrame.from_records(result.fetchall(), columns=list(result.keys()))
            if len(frame):
                found.append(("control", frame))
    return found
