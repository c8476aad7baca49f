"""The store's connections: SQLite in WAL mode with a busy timeout, PostgreSQL through psycopg 3.

Writes run in :func:`write_transaction`: on SQLite it starts with ``BEGIN IMMEDIATE`` (the
writer takes the lock before reading what it will change, so two writers queue instead of
one failing halfway); on PostgreSQL the first statement locks the store's revision row,
which queues writers the same way. Readers never wait for writers (WAL / MVCC).

>>> engine = make_engine("sqlite://")
>>> with write_transaction(engine) as conn:
...     conn.exec_driver_sql("select 1").scalar()
1
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

__all__ = ["BUSY_TIMEOUT_S", "make_engine", "write_transaction"]

BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another writer's transaction before giving up."""


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url`` (an SQLAlchemy URL from :func:`geo.store.url.store_url`)."""
    if not url.startswith("sqlite"):
        import geoalchemy2  # noqa: F401 - its DDL hooks must be in place before any table is made

        return sa.create_engine(url, pool_pre_ping=True)
    database = sa.make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get("frontline_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection in a write transaction: committed on success, rolled back on error."""
    with engine.connect() as connection:
        connection = connection.execution_options(frontline_write=True)
        with connection.begin():
            yield connection
