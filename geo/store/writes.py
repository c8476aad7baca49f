"""Writing versions: append, never overwrite; one revision bump per committed transaction.

Every write goes through :func:`writing` (a write transaction that locks the store's revision
and bumps it on commit) and :func:`append_versions` (new rows get version 1, changed rows the
next version, unchanged rows nothing).

>>> source_date("Shafaq News, 2024-11-30")
'2024-11-30'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from geo.store.engine import write_transaction
from geo.store.reads import versions
from geo.store.tables import DATA_COLUMNS, META, versions_table

__all__ = [
    "Appended",
    "Source",
    "append_versions",
    "copy_versions",
    "insert_columns",
    "source_date",
    "writing",
]

_TRAILING_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})\s*\)?\s*$")


@dataclass(frozen=True)
class Source:
    """Where a row comes from: outlet, publication day, URL, and how far it is trusted.

    Left empty for events and control claims, it is read from the row's own ``source``,
    ``source_url`` and ``confidence`` cells.

    >>> Source(outlet="Reuters", date="2024-12-08", url="https://reuters.com/x", confidence=0.9).outlet
    'Reuters'
    """

    outlet: str = ""
    date: str = ""
    url: str = ""
    confidence: float | None = None


@dataclass(frozen=True)
class Appended:
    """What :func:`append_versions` wrote: rows added, rows changed, rows already identical."""

    added: int
    changed: int
    unchanged: int


def source_date(text: str) -> str:
    """The ISO day a ``source`` cell ends with (``"Outlet, 2024-11-30"``), else ``""``."""
    found = _TRAILING_DAY.search(text or "")
    return found.group(1) if found else ""


@contextmanager
def writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A write transaction that bumps the store's revision when it commits."""
    with write_transaction(engine) as conn:
        key = META.c.key == "revision"
        revision = conn.execute(sa.select(META.c.value).where(key).with_for_update()).scalar_one()
        yield conn
        conn.execute(sa.update(META).where(key).values(value=str(int(revision) + 1)))


def _provenance(kind: str, cells: pd.DataFrame, source: Source | None) -> pd.DataFrame:
    n = len(cells)
    if source is not None or kind not in ("events", "control"):
        src = source or Source()
        return pd.DataFrame(
            {
                "prov_outlet": [src.outlet] * n,
                "prov_date": [src.date] * n,
                "prov_url": [src.url] * n,
                "prov_confidence": [src.confidence] * n,
            }
        )
    confidence = pd.to_numeric(cells["confidence"], errors="coerce")
    return pd.DataFrame(
        {
            "prov_outlet": cells["source"].to_numpy(),
            "prov_date": cells["source"].map(source_date).to_numpy(),
            "prov_url": cells["source_url"].to_numpy(),
            "prov_confidence": confidence.astype("object").where(confidence.notna(), None),
        }
    )


def append_versions(
    conn: sa.Connection,
    kind: str,
    cells: pd.DataFrame,
    ids: pd.Series,
    *,
    geometries: list[object] | None,
    author: str,
    added_by: str,
    status: str,
    now: dt.datetime,
    source: Source | None = None,
) -> Appended:
    """Append a version for each row of ``cells`` (ids ``ids``) that is new or changed."""
    table = versions_table(kind)
    columns = [f"d_{c}" for c in DATA_COLUMNS[kind]]
    incoming = cells.rename(columns={c: f"d_{c}" for c in DATA_COLUMNS[kind]}).reset_index(
        drop=True
    )
    incoming = incoming.assign(row_id=ids.to_numpy())
    if kind == "areas":
        incoming["geometry"] = [
            None if g is None else g.wkb for g in (geometries or [None] * len(cells))
        ]
    incoming = pd.concat([incoming, _provenance(kind, cells, source)], axis=1)
    existing = versions(conn, kind, row_ids=None if len(ids) > 500 else ids.tolist())
    existing = existing[existing["row_id"].isin(set(ids))]
    merged = incoming.merge(
        existing[["row_id", "version", "seq", "added_by", "added_at", *columns]],
        on="row_id",
        how="left",
        suffixes=("", "_old"),
    )
    known = merged["version"].notna().to_numpy()
    same = known.copy()
    for col in columns:
        same &= merged[col].to_numpy() == merged[f"{col}_old"].to_numpy()
    if kind == "areas" and known.any():
        old = dict(zip(existing["row_id"], _wkb(existing), strict=True))
        same &= np.array(
            [old.get(r) == g for r, g in zip(merged["row_id"], merged["geometry"], strict=True)]
        )
    write = merged[~same].copy()
    fresh = write["version"].isna().to_numpy()
    next_seq = (conn.execute(sa.select(sa.func.max(table.c.seq))).scalar() or 0) + 1
    write["seq"] = write["seq"].astype("float64")
    write.loc[fresh, "seq"] = np.arange(next_seq, next_seq + int(fresh.sum()))
    write["version"] = write["version"].fillna(0).astype("int64") + 1
    write.loc[fresh, "added_by"] = added_by
    write.loc[fresh, "added_at"] = now
    n = len(write)
    values: dict[str, list[object]] = {c: write[c].tolist() for c in columns}
    values |= {
        "row_id": write["row_id"].tolist(),
        "version": write["version"].astype("int64").tolist(),
        "seq": write["seq"].astype("int64").tolist(),
        "file_row": write["row"].astype("int64").tolist(),
        "recorded_at": [now] * n,
        "author": [author] * n,
        "retracted": [False] * n,
        "added_by": write["added_by"].tolist(),
        "added_at": write["added_at"].tolist(),
        "prov_outlet": write["prov_outlet"].tolist(),
        "prov_date": write["prov_date"].tolist(),
        "prov_url": write["prov_url"].tolist(),
        "prov_confidence": [_number(v) for v in write["prov_confidence"].tolist()],
        "status": [status] * n,
        "reason": [""] * n,
    }
    if kind == "areas":
        values["geometry"] = [_shape(g) for g in write["geometry"].tolist()]
    if n:
        insert_columns(conn, table, values)
    return Appended(int(fresh.sum()), int((~fresh).sum()), int(same.sum()))


def copy_versions(
    conn: sa.Connection,
    kind: str,
    current: pd.DataFrame,
    *,
    author: str,
    now: dt.datetime,
    status: str | None = None,
    retracted: bool | None = None,
    reason: str = "",
    changes: dict[str, str] | None = None,
) -> int:
    """Append the next version of each row of ``current`` (latest versions), with changes."""
    table = versions_table(kind)
    skip = {"pk"}
    records = []
    for rec in current.to_dict("records"):
        out = {k: v for k, v in rec.items() if k not in skip}
        out.update(
            version=int(rec["version"]) + 1,
            recorded_at=now,
            author=author,
            reason=reason,
            prov_confidence=_number(rec["prov_confidence"]),
        )
        if status is not None:
            out["status"] = status
        if retracted is not None:
            out["retracted"] = retracted
        for col, value in (changes or {}).items():
            out[f"d_{col}"] = value
        records.append(out)
    if records:
        conn.execute(table.insert(), records)
    return len(records)


def insert_columns(conn: sa.Connection, table: sa.Table, values: dict[str, list[object]]) -> None:
    """Insert rows given column by column (every list as long), in one ``executemany``.

    On SQLite, rows without geometry go straight to the driver as tuples, each value through
    its column type's bind processor (computed once per distinct value): SQLAlchemy's own
    per-row parameter building is most of a 100k-row import's time. On PostgreSQL they go
    through ``COPY`` (psycopg 3), in the same transaction. For geometry, SQLAlchemy builds the
    parameters (GeoAlchemy2 binds the shapes).
    """
    names = list(values)
    if conn.dialect.name == "postgresql" and "geometry" not in values:
        _copy_rows(conn, table, values)
        return
    if conn.dialect.name != "sqlite" or "geometry" in values:
        rows = [dict(zip(names, rec, strict=True)) for rec in zip(*values.values(), strict=True)]
        conn.execute(table.insert(), rows)
        return
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=names)
    order = list(compiled.positiontup or names)
    columns = []
    for name in order:
        column = values[name]
        process = conn.dialect.type_descriptor(table.c[name].type).bind_processor(conn.dialect)
        if process is not None:
            done: dict[object, object] = {}
            column = [done[v] if v in done else done.setdefault(v, process(v)) for v in column]
        columns.append(column)
    conn.exec_driver_sql(str(compiled), list(zip(*columns, strict=True)))


def _copy_rows(conn: sa.Connection, table: sa.Table, values: dict[str, list[object]]) -> None:
    """``COPY`` rows into a PostgreSQL table on the transaction's own connection (psycopg 3)."""
    names = list(values)
    quote = conn.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(statement) as copy:
            for row in zip(*values.values(), strict=True):
                copy.write_row(row)
    finally:
        cursor.close()


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number


def _wkb(frame: pd.DataFrame) -> list[bytes | None]:
    return [None if g is None else g.wkb for g in frame["geometry"]]


def _shape(value: object) -> object:
    import shapely

    return None if value is None else shapely.from_wkb(value)
