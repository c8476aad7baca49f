"""Schema versions of a store (Alembic, run programmatically): upgrade, or refuse an unknown one.

A fresh store is created at the newest version; a store at an older version we know is
upgraded in one transaction; a store at a version we do not know (written by a newer program)
is refused with :class:`~geo.errors.StoreVersionError` and left untouched.

>>> head_revision()
'0002'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from geo.errors import StoreVersionError
from geo.store.tables import KINDS

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

__all__ = ["HEAD", "MIGRATIONS", "current_revision", "head_revision", "upgrade"]

HEAD = "0002"
"""The newest schema version (a test checks it is Alembic's head): a store already at it is
opened without loading Alembic at all."""

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
"""The Alembic script folder (``env.py`` and ``versions/``)."""


def _config(connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest schema version this program knows."""
    return str(_scripts().get_current_head())


def current_revision(connection: sa.Connection) -> str | None:
    """The schema version recorded in the store (``None`` for a fresh database)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: sa.Engine, *, target: str = "head") -> str:
    """Bring the store to ``target`` (default: the newest version); return the version.

    Raises
    ------
    StoreVersionError
        If the store records a version this program does not know.
    """
    if target == "head" and _recorded(engine) == HEAD:
        return HEAD
    from alembic import command

    known = {s.revision for s in _scripts().walk_revisions()}
    with engine.connect() as connection:
        current = current_revision(connection)
        tables = set(sa.inspect(connection).get_table_names())
    if current is not None and current not in known:
        raise StoreVersionError(
            f"{_where(engine)}: store schema version {current!r} is unknown to this program "
            f"(it knows {', '.join(sorted(known))}); it was written by a newer Frontline Atlas. "
            "Upgrade the program; the store was not changed."
        )
    ours = tables & {*KINDS, "store_meta"}
    if current is None and ours:
        raise StoreVersionError(
            f"{_where(engine)}: the database holds tables ({', '.join(sorted(ours))}) "
            "but no Frontline Atlas schema version; refusing to touch it."
        )
    wanted = head_revision() if target == "head" else target
    if current != wanted:
        with engine.begin() as connection:
            command.upgrade(_config(connection), target)
    return wanted


def _recorded(engine: sa.Engine) -> str | None:
    """The version in ``alembic_version``, read with plain SQL (``None`` if there is none)."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _where(engine: sa.Engine) -> str:
    from geo.store.url import redacted

    return redacted(engine.url.render_as_string(hide_password=True))
