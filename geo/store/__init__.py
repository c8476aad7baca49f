"""The store: a durable annotation store with provenance, history and review.

One database (SQLite by default, PostgreSQL + PostGIS for a team; ``$FRONTLINE_DB``) holds
factions, places, events, control claims and control polygons. Every row carries its
provenance (who added it, when, from which source, how confident, its review status) and its
history: an edit, a review or a retraction appends a version, nothing is overwritten.

- :func:`open_store` opens (creates, migrates, seeds) a store; :class:`Store` reads the atlas
  (:meth:`Store.load_atlas`: reviewed rows, drafts on request, as known on a day), writes rows
  (:meth:`Store.add_rows`, :meth:`Store.import_folder`, :meth:`Store.add_upload`,
  :meth:`Store.add_area`), edits them against a version (:meth:`Store.edit`, refused with
  :class:`VersionConflict` when stale), reviews (:meth:`Store.set_status`), retracts,
  lists a row's history and exports back to files.
- :func:`may_write` is the one write-permission check (loopback only, for now).

Examples
--------
>>> import tempfile
>>> store = open_store(f"{tempfile.mkdtemp()}/atlas.sqlite")
>>> atlas = store.load_atlas()
>>> row = store.rows("events").iloc[0]
>>> store.edit("events", row["row_id"], expected_version=int(row["version"]),
...     changes={"confidence": 0.5}, author="ana")
2
>>> store.set_status("events", [row["row_id"]], "reviewed", author="bo")
1
>>> [v.version for v in store.history(row["row_id"])]
[1, 2, 3]
"""

from __future__ import annotations

from geo.errors import RowNotFound, StoreVersionError, VersionConflict
from geo.store.access import may_write, read_only_reason
from geo.store.core import ImportReport, Store, VersionEntry, open_store
from geo.store.tables import KINDS, STATUSES
from geo.store.url import default_store_path, store_url
from geo.store.writes import Source

__all__ = [
    "KINDS",
    "STATUSES",
    "ImportReport",
    "RowNotFound",
    "Source",
    "Store",
    "StoreVersionError",
    "VersionConflict",
    "VersionEntry",
    "default_store_path",
    "may_write",
    "open_store",
    "read_only_reason",
    "store_url",
]
