"""The store's tables (SQLAlchemy Core): one versioned table per kind, plus the store's meta.

Each kind (``factions``, ``events``, ``control``, ``areas``, ``places``) is one table of
*versions*: a row of the atlas is every version sharing one ``row_id``; an edit, a review or a
retraction appends a version, nothing is updated or deleted. The data columns are the file
columns of :mod:`geo.schema` (and ``PLACES_COLUMNS`` of the gazetteer), kept as the text the
file held, so that reading the store runs the very validation and join a data folder gets.
``areas`` adds the polygon: PostGIS ``geometry(GEOMETRY, 4326)`` (GeoAlchemy2) on PostgreSQL,
WKB bytes on SQLite.

>>> DATA_COLUMNS["control"][:3]
('place', 'faction', 'valid_from')
>>> "status" in versions_table("events").c
True
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa

from geo.places.gazetteer import PLACES_COLUMNS
from geo.schema import AREA_COLUMNS, CONTROL_COLUMNS, EVENT_INPUT_COLUMNS, FACTION_COLUMNS

__all__ = [
    "DATA_COLUMNS",
    "KINDS",
    "META",
    "METADATA",
    "PROVENANCE_COLUMNS",
    "STATUSES",
    "Kind",
    "Shape",
    "Status",
    "base_columns",
    "geometry_type",
    "versions_table",
]

Kind = Literal["factions", "events", "control", "areas", "places"]
Status = Literal["draft", "reviewed", "rejected"]
KINDS: tuple[Kind, ...] = ("factions", "places", "events", "control", "areas")
"""Every kind of row, in the order a folder is imported (factions first: others refer to them)."""
STATUSES: tuple[Status, ...] = ("draft", "reviewed", "rejected")

DATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "factions": FACTION_COLUMNS,
    "places": PLACES_COLUMNS,
    "events": EVENT_INPUT_COLUMNS,
    "control": CONTROL_COLUMNS,
    "areas": AREA_COLUMNS,
}
"""The file columns each kind keeps (as text), from the one schema of the data files."""

PROVENANCE_COLUMNS = (
    "added_by",
    "added_at",
    "prov_outlet",
    "prov_date",
    "prov_url",
    "prov_confidence",
    "status",
)
"""Provenance of every version: who first added the row (a user or ``import:<file>``) and
when, the source (outlet, date, URL), its confidence, and the review status."""

METADATA = sa.MetaData()


class Shape(sa.types.TypeDecorator):
    """A shapely geometry: PostGIS ``geometry(GEOMETRY, 4326)`` (GeoAlchemy2) on PostgreSQL,
    WKB bytes elsewhere. Values in and out are shapely geometries (or ``None``)."""

    impl = sa.LargeBinary
    cache_ok = True
    # What GeoAlchemy2's DDL hooks read of a geometry type: no index or management of ours.
    geometry_type = "GEOMETRY"
    srid = 4326
    dimension = 2
    spatial_index = False
    use_N_D_index = False
    use_typmod = None
    nullable = True

    def load_dialect_impl(self, dialect: sa.Dialect | None) -> sa.types.TypeEngine:
        if dialect is None:  # GeoAlchemy2's DDL hooks ask: we manage nothing beyond the column
            return sa.LargeBinary()
        if dialect.name == "postgresql":
            from geoalchemy2 import Geometry  # only a PostGIS store needs it (0.1 s to import)

            return dialect.type_descriptor(Geometry("GEOMETRY", srid=4326, spatial_index=False))
        return dialect.type_descriptor(sa.LargeBinary())

    def process_bind_param(self, value: object, dialect: sa.Dialect) -> object:
        import shapely

        if value is None:
            return None
        if dialect.name == "postgresql":
            from geoalchemy2.shape import from_shape

            return from_shape(value, srid=4326)
        return shapely.to_wkb(value)

    def process_result_value(self, value: object, dialect: sa.Dialect) -> object:
        import shapely

        if value is None:
            return None
        if isinstance(value, bytes | memoryview):
            return shapely.from_wkb(bytes(value))
        from geoalchemy2.shape import to_shape

        return to_shape(value)


def geometry_type() -> sa.types.TypeEngine:
    """The polygon column's type (:class:`Shape`)."""
    return Shape()


def base_columns(kind: str) -> list[sa.Column]:
    """The columns of schema version 0001 for ``kind`` (a migration may add more later)."""
    columns = [
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("row_id", sa.String(300), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("file_row", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("retracted", sa.Boolean, nullable=False, default=False),
        sa.Column("added_by", sa.String(300), nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
        sa.Column("prov_outlet", sa.Text, nullable=False, default=""),
        sa.Column("prov_date", sa.String(40), nullable=False, default=""),
        sa.Column("prov_url", sa.Text, nullable=False, default=""),
        sa.Column("prov_confidence", sa.Float, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
    ]
    columns += [
        sa.Column(f"d_{c}", sa.Text, nullable=False, default="") for c in DATA_COLUMNS[kind]
    ]
    if kind == "areas":
        columns.append(sa.Column("geometry", geometry_type(), nullable=True))
    return columns


def _table(kind: str) -> sa.Table:
    return sa.Table(
        kind,
        METADATA,
        *base_columns(kind),
        # Added by schema version 0002: why a version was written (a review note, a retraction).
        sa.Column("reason", sa.Text, nullable=False, default="", server_default=""),
        sa.Index(f"ix_{kind}_row_version", "row_id", "version", unique=True),
        sa.Index(f"ix_{kind}_seq", "seq", "version"),  # schema 0002
    )


_TABLES = {kind: _table(kind) for kind in KINDS}

META = sa.Table(
    "store_meta",
    METADATA,
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
"""``store_id`` (a UUID), ``revision`` (bumped by every committed write), ``seeded_from``."""


def versions_table(kind: str) -> sa.Table:
    """The versions table of ``kind`` (one of :data:`KINDS`).

    >>> versions_table("areas").c.geometry.name
    'geometry'
    """
    return _TABLES[kind]
