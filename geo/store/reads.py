"""Reading versions: the latest version of each row (as known on a day, by status), as cells.

>>> import datetime as dt
>>> day_end(dt.date(2024, 12, 8))
datetime.datetime(2024, 12, 9, 0, 0)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from geo.store.tables import DATA_COLUMNS, META, versions_table

__all__ = ["cells_of", "day_end", "geometries_of", "meta_value", "versions"]


def day_end(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` (UTC): versions recorded before it were known on ``day``."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def meta_value(conn: sa.Connection, key: str) -> str | None:
    """A value of the store's meta table (``revision``, ``store_id``, ``seeded_from``)."""
    return conn.execute(sa.select(META.c.value).where(META.c.key == key)).scalar_one_or_none()


def versions(
    conn: sa.Connection,
    kind: str,
    *,
    statuses: Sequence[str] | None = None,
    known_on: dt.date | None = None,
    row_ids: Sequence[str] | None = None,
    latest: bool = True,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Versions of ``kind`` as a frame (one column per table column), in the rows' order.

    With ``latest`` each row's newest version among those with a status in ``statuses``
    recorded on or before ``known_on``; else every such version. ``columns`` picks columns
    (default: all) and reads them raw (fast; booleans and times as the database stores them);
    data columns (``d_*``) come as pandas strings.
    """
    table = versions_table(kind)
    picked = list(table.c) if columns is None else [table.c[c] for c in columns]
    where = []
    if statuses is not None:
        where.append(table.c.status.in_(list(statuses)))
    if known_on is not None:
        where.append(table.c.recorded_at < day_end(known_on))
    if row_ids is not None:
        where.append(table.c.row_id.in_(list(row_ids)))
    if latest and _edited(conn, table):
        newest = (
            sa.select(table.c.row_id, sa.func.max(table.c.version).label("newest"))
            .where(*where)
            .group_by(table.c.row_id)
            .subquery()
        )
        query = sa.select(*picked).join(
            newest,
            sa.and_(table.c.row_id == newest.c.row_id, table.c.version == newest.c.newest),
        )
    else:
        query = sa.select(*picked).where(*where)
    query = query.order_by(table.c.seq, table.c.version)
    if columns is None or "geometry" in columns:
        result = conn.execute(query)  # typed values: datetimes, booleans, shapely geometries
        names, rows = list(result.keys()), result.fetchall()
        values = list(zip(*rows, strict=True)) if rows else [()] * len(names)
        return pd.DataFrame(
            {
                name: pd.Series(col, dtype="str" if name.startswith("d_") else None)
                for name, col in zip(names, values, strict=True)
            },
            index=pd.RangeIndex(len(rows)),
        )
    names, rows = _fetch_raw(conn, query)
    return _columns(names, rows)


def _columns(names: list[str], rows: list[tuple]) -> pd.DataFrame:
    """Rows of raw values as a frame: text columns (``d_*``) straight into Arrow strings."""
    import numpy as np
    import pyarrow as pa

    grid = np.array(rows, dtype=object) if rows else np.empty((0, len(names)), dtype=object)
    text = pd.Series([""], dtype="str").dtype  # pandas' default string dtype
    out = {}
    for i, name in enumerate(names):
        if name.startswith("d_"):
            array = pa.array(grid[:, i], type=pa.large_string())
            out[name] = pd.Series(pd.arrays.ArrowStringArray(array, dtype=text))
        else:
            out[name] = pd.Series(grid[:, i].tolist(), dtype=None if len(rows) else "int64")
    return pd.DataFrame(out, index=pd.RangeIndex(len(rows)))


def _edited(conn: sa.Connection, table: sa.Table) -> bool:
    """Whether any row of ``table`` has a second version (else every row is its latest)."""
    query = sa.select(table.c.pk).where(table.c.version > 1).limit(1)
    return conn.execute(query).first() is not None


def _fetch_raw(conn: sa.Connection, query: sa.Select) -> tuple[list[str], list[tuple]]:
    """Run ``query`` on the DBAPI cursor: 100k rows of text need no per-value processing."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if compiled.positiontup is not None:  # qmark / format styles: parameters by position
        bound: object = tuple(params[name] for name in compiled.positiontup)
    else:
        bound = params
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), bound)
        names = [d[0] for d in cursor.description]
        return names, cursor.fetchall()
    finally:
        cursor.close()


def cells_of(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The file cells of versions: ``row`` (the spreadsheet row) and the kind's columns."""
    columns = DATA_COLUMNS[kind]
    out = frame[["file_row", *(f"d_{c}" for c in columns)]]
    out = out.set_axis(["row", *columns], axis=1).reset_index(drop=True)
    return out.astype({"row": "int64", **dict.fromkeys(columns, "str")})


def geometries_of(frame: pd.DataFrame) -> list[object]:
    """The shapely polygons of area versions (``None`` where there is none)."""
    return list(frame["geometry"]) if "geometry" in frame.columns else [None] * len(frame)
