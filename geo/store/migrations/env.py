"""Alembic's environment for the store: migrations run on the connection the store hands over.

The store runs Alembic programmatically (:mod:`geo.store.migrate`); there is no ``alembic.ini``.
Imported outside Alembic (by a doctest collector, say), this module does nothing.
"""

from __future__ import annotations

from alembic import context

from geo.store.tables import METADATA

__all__: list[str] = []


def _run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=METADATA, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


try:
    _config = context.config
except (NameError, AttributeError):  # not run by Alembic
    _config = None
if _config is not None:
    _run()
