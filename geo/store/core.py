"""The :class:`Store`: a durable, versioned annotation store with provenance and review.

>>> import tempfile
>>> store = open_store(f"{tempfile.mkdtemp()}/atlas.sqlite")
>>> len(store.load_atlas().events) > 50, store.revision() >= 1
(True, True)
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
import sqlalchemy as sa

from geo.annotations import Issue
from geo.errors import AnnotationError, ConfigError, RowNotFound, VersionConflict
from geo.store.engine import make_engine
from geo.store.imports import Batch, batch_of_frame, read_folder
from geo.store.materialise import atlas_key, cached_store_atlas, issues_json, live_rows
from geo.store.migrate import upgrade
from geo.store.reads import cells_of, meta_value, versions
from geo.store.rows import FILE_NAMES, as_cells
from geo.store.tables import DATA_COLUMNS, KINDS, META, STATUSES, Kind, Status, versions_table
from geo.store.url import data_folder, redacted, store_url
from geo.store.writes import Source, append_versions, copy_versions, writing

if TYPE_CHECKING:
    from geo.atlas.join import AtlasData

__all__ = ["ImportReport", "Store", "VersionEntry", "open_store"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportReport:
    """What a write stored: rows added, changed (a new version) and unchanged, per kind.

    ``issues`` are the problems found (``file:row: reason``); rows with an error were not
    stored, every other row was. ``revision`` is the store's revision after the commit.
    """

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()
    revision: int = 0

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues of severity ``error`` (rows left out)."""
        return tuple(i for i in self.issues if i.severity == "error")

    def summary(self) -> str:
        """One line: counts per kind.

        >>> ImportReport(added={"events": 2}).summary()
        'events: 2 added, 0 changed, 0 unchanged'
        """
        kinds = [k for k in KINDS if k in self.added or k in self.changed]
        return (
            "; ".join(
                f"{k}: {self.added.get(k, 0)} added, {self.changed.get(k, 0)} changed, "
                f"{self.unchanged.get(k, 0)} unchanged"
                for k in kinds
            )
            or "nothing stored"
        )


@dataclass(frozen=True)
class VersionEntry:
    """One version of one row: who wrote it and when, its status, and its values."""

    kind: str
    row_id: str
    version: int
    status: str
    retracted: bool
    author: str
    recorded_at: dt.datetime
    added_by: str
    reason: str
    values: dict[str, str]

    def line(self) -> str:
        """A one-line description (what ``python -m geo db history`` prints)."""
        what = "retracted" if self.retracted else self.status
        shown = ", ".join(f"{k}={v}" for k, v in self.values.items() if v)[:160]
        note = f" ({self.reason})" if self.reason else ""
        return (
            f"{self.kind} {self.row_id} v{self.version} {what} by {self.author} at "
            f"{self.recorded_at:%Y-%m-%d %H:%M:%S}{note}: {shown}"
        )


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Store:
    """A store of factions, places, events, control claims and control polygons.

    Open one with :func:`open_store`. Every write is one transaction that appends versions
    (nothing is overwritten) and bumps :meth:`revision`. Reads select, per row, the newest
    version that is ``reviewed`` (or ``draft`` too) and not retracted, as known on a day.
    """

    def __init__(
        self,
        engine: sa.Engine,
        *,
        data_dir: Path,
        cache_dir: Path | None = None,
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self.cache_dir = cache_dir
        self.clock = clock
        self._memo: dict[tuple[object, ...], AtlasData] = {}
        self._factions_memo: tuple[tuple[object, ...], pd.DataFrame] | None = None

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @property
    def url(self) -> str:
        """The store's URL, password hidden."""
        return redacted(self.engine.url.render_as_string(hide_password=True))

    def close(self) -> None:
        """Close the store's connections."""
        self.engine.dispose()

    def _factions(self, conn: sa.Connection) -> pd.DataFrame:
        """The store's factions, read again only once the factions table has changed.

        Versions are only ever appended, so the table's newest key and row count name its
        state in one indexed read (an edit of an event checks it against these).
        """
        table = versions_table("factions")
        state = tuple(conn.execute(sa.select(sa.func.max(table.c.pk), sa.func.count())).one())
        if self._factions_memo is None or self._factions_memo[0] != state:
            self._factions_memo = (state, _factions(conn))
        return self._factions_memo[1]

    # -- reads --------------------------------------------------------------------------
    def revision(self) -> int:
        """A number that changes on every committed write (one indexed read: cache keys).

        >>> import tempfile
        >>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite", seed=False)
        >>> before = store.revision()
        >>> store.set_status("events", [], "reviewed", author="ana")
        0
        >>> store.revision() > before
        True
        """
        with self.engine.connect() as conn:
            return int(meta_value(conn, "revision") or 0)

    def store_id(self) -> str:
        """The store's UUID (a recreated file at the same path is another store)."""
        with self.engine.connect() as conn:
            return str(meta_value(conn, "store_id"))

    def load_atlas(
        self, *, include_drafts: bool = False, known_on: dt.date | None = None
    ) -> AtlasData:
        """The atlas of the store: reviewed rows (and drafts), as known on ``known_on``.

        For a store seeded from a folder this equals ``geo.atlas.load.load_atlas(folder)``
        frame for frame. Cached on disk and in memory by the store's :meth:`revision`.

        >>> import tempfile
        >>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite")
        >>> store.load_atlas(known_on=dt.date(2000, 1, 1)).events.empty
        True
        """
        with self.engine.connect() as conn:
            revision = int(meta_value(conn, "revision") or 0)
            store_id = str(meta_value(conn, "store_id"))
        memo = (store_id, revision, include_drafts, known_on)
        if memo not in self._memo:
            key = atlas_key(
                url=self.url,
                store_id=store_id,
                revision=revision,
                include_drafts=include_drafts,
                known_on=known_on,
            )
            atlas = cached_store_atlas(
                self.engine,
                key=key,
                include_drafts=include_drafts,
                known_on=known_on,
                cache_dir=self.cache_dir,
                data_dir=self.data_dir,
            )
            if len(self._memo) >= 4:
                self._memo.pop(next(iter(self._memo)))
            self._memo[memo] = atlas
        return self._memo[memo]

    def rows(
        self,
        kind: Kind,
        *,
        statuses: Sequence[Status] = STATUSES,
        known_on: dt.date | None = None,
        include_retracted: bool = False,
    ) -> pd.DataFrame:
        """The newest version of each row of ``kind``, for the rows whose newest version has a
        status in ``statuses`` (``["draft"]``: the rows waiting for review).

        Columns: ``row_id, version, status, retracted, author, recorded_at, added_by,
        added_at, prov_*, reason`` and the kind's file columns. What a review list or an
        edit form shows (``version`` is the ``expected_version`` of :meth:`edit`).

        >>> import tempfile
        >>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite")
        >>> store.rows("events", statuses=["draft"]).empty
        True
        """
        _check_kind(kind)
        with self.engine.connect() as conn:
            ids = _ids_with_status(conn, kind, statuses)
            frame = versions(conn, kind, known_on=known_on, row_ids=ids)
        frame = frame[frame["status"].isin(list(statuses))]
        if not include_retracted:
            frame = frame[~frame["retracted"].astype(bool)]
        return _readable(kind, frame)

    def history(self, row_id: str) -> tuple[VersionEntry, ...]:
        """Every version of the rows named ``row_id``: an event or faction id, a place's id or
        name (its places row and every control claim of that place), a control claim's or an
        area's id. Oldest first within each row.

        >>> import tempfile
        >>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite")
        >>> store.history("EV0001")[0].author
        'import:events.csv'
        """
        from geo.store.history import find_versions

        with self.engine.connect() as conn:
            found = find_versions(conn, row_id)
        return tuple(
            VersionEntry(
                kind=kind,
                row_id=rec["row_id"],
                version=int(rec["version"]),
                status=rec["status"],
                retracted=bool(rec["retracted"]),
                author=rec["author"],
                recorded_at=pd.Timestamp(rec["recorded_at"]).to_pydatetime(),
                added_by=rec["added_by"],
                reason=rec["reason"],
                values={c: rec[f"d_{c}"] for c in DATA_COLUMNS[kind]},
            )
            for kind, frame in found
            for rec in frame.to_dict("records")
        )

    # -- writes -------------------------------------------------------------------------
    def add_rows(
        self,
        kind: Kind,
        frame: pd.DataFrame,
        *,
        author: str,
        status: Status = "draft",
        source_file: str | None = None,
        source: Source | None = None,
    ) -> ImportReport:
        """Validate ``frame`` (file strings or typed values) and store its valid rows.

        Bad rows are reported (``file:row: reason``, the file being ``source_file`` or the
        kind's file name) and left out; the valid ones are stored in one transaction, as
        ``status`` (uploads and manual additions: ``draft``). An actor that is no faction
        is kept as its text (the map groups it into a faction, as for uploads).

        >>> import tempfile
        >>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite")
        >>> new = pd.DataFrame([{"place": "Homs", "faction": "hts", "valid_from": "2025-01-15",
        ...     "confidence": "0.9", "source": "Reuters, 2025-01-15"}])
        >>> store.add_rows("control", new, author="ana").added
        {'control': 1}
        """
        _check_kind(kind)
        _check_status(status)
        name = source_file or FILE_NAMES[kind]
        geometries = None
        if kind == "areas":
            geometries = list(frame.geometry.to_numpy()) if "geometry" in frame.columns else None
        with self.engine.connect() as conn:
            factions = _factions(conn)
        batch, issues = batch_of_frame(
            kind,
            as_cells(kind, frame),
            factions=factions,
            name=name,
            unknown="warning" if kind == "events" else "error",
            geometries=geometries,
        )
        added_by = f"import:{source_file}" if source_file else author
        return self._write(
            [batch], issues, author=author, added_by=added_by, status=status, source=source
        )

    def add_upload(
        self, name: str, data: bytes, *, author: str, status: Status = "draft"
    ) -> ImportReport:
        """Store an uploaded file (events, control, areas, ACLED or UCDP) as drafts.

        The kind is told from the file's header as :func:`geo.annotations.parse_upload` does.
        """
        import tempfile

        with tempfile.TemporaryDirectory(prefix="frontline-upload-") as folder:
            path = Path(folder) / Path(name).name
            path.write_bytes(data)
            return self.import_folder(path, author=author, status=status)

    def import_folder(
        self, path: Path | str, *, author: str, status: Status = "reviewed"
    ) -> ImportReport:
        """Import a data folder (our layout; ACLED or UCDP exports too) or one file, in one
        transaction. Rows identical to the stored ones are left alone; a changed row gets a
        new version. Rows are ``added_by`` ``import:<file>``.

        >>> import tempfile
        >>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite")
        >>> store.import_folder("data", author="ana").summary()[:40]
        'factions: 0 added, 0 changed, 16 unchang'
        """
        _check_status(status)
        with self.engine.connect() as conn:
            factions = _factions(conn)
        batches, issues = read_folder(Path(path), factions=factions if len(factions) else None)
        return self._write(batches, issues, author=author, added_by=None, status=status)

    def _write(
        self,
        batches: list[Batch],
        issues: list[Issue],
        *,
        author: str,
        added_by: str | None,
        status: str,
        source: Source | None = None,
        conn: sa.Connection | None = None,
    ) -> ImportReport:
        added: dict[str, int] = {}
        changed: dict[str, int] = {}
        unchanged: dict[str, int] = {}
        now = self.clock()

        def run(c: sa.Connection) -> None:
            for batch in batches:
                done = append_versions(
                    c,
                    batch.kind,
                    batch.cells,
                    batch.ids,
                    geometries=batch.geometries,
                    author=author if added_by is not None else f"import:{batch.name}",
                    added_by=added_by or f"import:{batch.name}",
                    status=status,
                    now=now,
                    source=source,
                )
                added[batch.kind] = added.get(batch.kind, 0) + done.added
                changed[batch.kind] = changed.get(batch.kind, 0) + done.changed
                unchanged[batch.kind] = unchanged.get(batch.kind, 0) + done.unchanged

        if conn is not None:
            run(conn)
        else:
            with writing(self.engine) as c:
                run(c)
        return ImportReport(added, changed, unchanged, tuple(issues), self.revision())

    def edit(
        self,
        kind: Kind,
        row_id: str,
        *,
        expected_version: int,
        changes: dict[str, object],
        author: str,
        status: Status = "draft",
        reason: str = "",
        geometry: object | None = None,
    ) -> int:
        """Write a new version of a row with ``changes`` (column: value); return its number.

        ``geometry`` (areas only) replaces the control polygon (shapely, lon/lat), for
        example with the shape drawn on the map; the old shape stays in the history.

        >>> import tempfile, shapely
        >>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite", seed=False)
        >>> _ = store.add_rows("factions", pd.DataFrame({"id": ["hts"], "name": ["HTS"]}),
        ...     author="ana")
        >>> _ = store.add_area(faction="hts", valid_from="2024-12-01", author="ana",
        ...     polygon=shapely.box(37.0, 36.0, 37.2, 36.2), source="drawn", confidence=0.5)
        >>> area = store.rows("areas").iloc[0]
        >>> store.edit("areas", area["row_id"], expected_version=1, changes={}, author="ana",
        ...     geometry=shapely.box(37.0, 36.0, 37.4, 36.2))
        2

        Raises
        ------
        VersionConflict
            If the row's newest version is not ``expected_version`` (someone else changed it
            since): the message shows both versions; nothing is written.
        RowNotFound
            If no row of ``kind`` has this id.
        AnnotationError
            If the changed row is not valid (``issues`` says why).
        """
        _check_kind(kind)
        _check_status(status)
        unknown = set(changes) - set(DATA_COLUMNS[kind])
        if unknown:
            raise ConfigError(
                f"{kind} has no column {sorted(unknown)}; columns: {DATA_COLUMNS[kind]}"
            )
        if geometry is not None and kind != "areas":
            raise ConfigError(f"only areas have a shape to replace, not {kind}")
        with writing(self.engine) as conn:
            current = _current(conn, kind, [row_id])
            version = int(current["version"].iloc[0])
            if version != expected_version:
                raise _conflict(conn, kind, row_id, expected_version, current.iloc[0], changes)
            cells = cells_of(kind, current)
            text = as_cells(kind, pd.DataFrame([changes]), columns=list(changes))
            for col in changes:
                cells[col] = text[col].to_numpy()
            geometries = None
            if kind == "areas":
                from geo.store.reads import geometries_of

                if geometry is not None:
                    current = current.assign(geometry=[geometry])
                geometries = geometries_of(current)
            _, issues = batch_of_frame(
                kind,
                cells,
                factions=self._factions(conn),
                name=FILE_NAMES[kind],
                unknown="keep",
                geometries=geometries,
            )
            errors = tuple(i for i in issues if i.severity == "error")
            if errors:
                raise AnnotationError(
                    f"{kind} {row_id}: the edit is not valid: "
                    + "; ".join(i.reason for i in errors),
                    errors,
                )
            copy_versions(
                conn,
                kind,
                current,
                author=author,
                now=self.clock(),
                status=status,
                reason=reason,
                changes={c: str(cells[c].iloc[0]) for c in changes},
            )
        return version + 1

    def set_status(
        self, kind: Kind, ids: Sequence[str], status: Status, *, author: str, reason: str = ""
    ) -> int:
        """Mark rows ``reviewed``, ``rejected`` (or back to ``draft``), in bulk; one new
        version each (rows already in that status are left alone). Returns how many changed.

        A rejected version is never shown: the row's previous reviewed version (if any)
        stays on the map.
        """
        _check_kind(kind)
        _check_status(status)
        with writing(self.engine) as conn:
            current = _current(conn, kind, ids)
            todo = current[current["status"] != status]
            return copy_versions(
                conn, kind, todo, author=author, now=self.clock(), status=status, reason=reason
            )

    def retract(
        self,
        kind: Kind,
        ids: Sequence[str],
        *,
        author: str,
        reason: str = "",
        status: Status = "reviewed",
    ) -> int:
        """Retract rows: a new version saying the row no longer holds (history keeps the
        old ones). A ``reviewed`` retraction takes the row off the map at once; a ``draft``
        one waits for review. Returns how many rows were retracted.
        """
        _check_kind(kind)
        with writing(self.engine) as conn:
            current = _current(conn, kind, ids)
            todo = current[~current["retracted"].astype(bool)]
            return copy_versions(
                conn,
                kind,
                todo,
                author=author,
                now=self.clock(),
                status=status,
                retracted=True,
                reason=reason,
            )

    def add_area(
        self,
        *,
        faction: str,
        valid_from: dt.date | str,
        polygon: object,
        author: str,
        source: str,
        confidence: float,
        valid_to: dt.date | str | None = None,
        note: str = "",
        status: Status = "draft",
    ) -> ImportReport:
        """Store a drawn control polygon (a shapely Polygon/MultiPolygon, lon/lat) as a draft.

        >>> import tempfile, shapely
        >>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite")
        >>> box = shapely.box(37.0, 36.0, 37.2, 36.2)  # (lon, lat) corners
        >>> store.add_area(faction="hts", valid_from="2024-12-01", polygon=box,
        ...     author="ana", source="drawn", confidence=0.5).added
        {'areas': 1}
        """
        import geopandas as gpd

        frame = gpd.GeoDataFrame(
            {
                "faction": [faction],
                "valid_from": [str(valid_from)],
                "valid_to": ["" if valid_to is None else str(valid_to)],
                "source": [source],
                "confidence": [repr(float(confidence))],
                "note": [note],
            },
            geometry=[polygon],
            crs="EPSG:4326",
        )
        return self.add_rows("areas", frame, author=author, status=status)

    def export(
        self,
        folder: Path | str,
        *,
        as_of: dt.date | None = None,
        fmt: Literal["csv", "gpkg"] = "csv",
        include_drafts: bool = False,
    ) -> list[Path]:
        """Write the store, as known on ``as_of``, back to the ``data/`` file layout
        (``fmt="csv"``) or to one GeoPackage ``atlas.gpkg`` with a layer per table.

        >>> import tempfile
        >>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite")
        >>> sorted(p.name for p in store.export(tempfile.mkdtemp()))[:2]
        ['control.csv', 'control_areas.geojson']
        """
        from geo.store.export import export_csv, export_gpkg

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if fmt == "gpkg":
            atlas = self.load_atlas(include_drafts=include_drafts, known_on=as_of)
            with self.engine.connect() as conn:
                places = live_rows(conn, "places", include_drafts=include_drafts, known_on=as_of)
            return export_gpkg(folder, atlas, cells_of("places", places))
        if fmt != "csv":
            raise ConfigError(f"export format {fmt!r} is not csv or gpkg")
        with self.engine.connect() as conn:
            return export_csv(conn, folder, include_drafts=include_drafts, known_on=as_of)


def _readable(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.drop(columns=["pk", "seq", "file_row"], errors="ignore")
    out = out.rename(columns={f"d_{c}": c for c in DATA_COLUMNS[kind]})
    return out.reset_index(drop=True)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ConfigError(f"kind {kind!r} is not one of {', '.join(KINDS)}")


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ConfigError(f"status {status!r} is not one of {', '.join(STATUSES)}")


def _factions(conn: sa.Connection) -> pd.DataFrame:
    frame = versions(conn, "factions", statuses=("reviewed", "draft"))
    frame = frame[~frame["retracted"].astype(bool)]
    return cells_of("factions", frame).drop(columns="row")


_FEW_IDS = 5_000  # row ids read by name; more, and the whole table is read


def _ids_with_status(conn: sa.Connection, kind: str, statuses: Sequence[str]) -> list[str] | None:
    """The rows with a version in ``statuses``, if few (a review list of a big store reads
    only its drafts), else ``None`` (read every row)."""
    if set(statuses) >= set(STATUSES):
        return None
    table = versions_table(kind)
    query = sa.select(table.c.row_id).where(table.c.status.in_(list(statuses))).distinct()
    ids = list(conn.execute(query.limit(_FEW_IDS + 1)).scalars())
    return ids if len(ids) <= _FEW_IDS else None


def _current(conn: sa.Connection, kind: str, ids: Sequence[str]) -> pd.DataFrame:
    ids = list(dict.fromkeys(ids))
    current = versions(conn, kind, row_ids=ids)
    missing = sorted(set(ids) - set(current["row_id"]))
    if missing:
        raise RowNotFound(f"no {kind} row {', '.join(map(repr, missing[:5]))} in the store")
    return current


def _conflict(
    conn: sa.Connection,
    kind: str,
    row_id: str,
    expected: int,
    current: pd.Series,
    changes: dict[str, object],
) -> VersionConflict:
    table = versions(conn, kind, row_ids=[row_id], latest=False)
    base = table[table["version"] == expected]
    old = {c: str(base[f"d_{c}"].iloc[0]) for c in DATA_COLUMNS[kind]} if len(base) else {}
    now = {c: str(current[f"d_{c}"]) for c in DATA_COLUMNS[kind]}
    lines = [
        f"{kind} {row_id}: your edit was made against version {expected}, but version "
        f"{int(current['version'])} by {current['author']} at {current['recorded_at']:%Y-%m-%d %H:%M:%S} "
        "is now current; nothing was written.",
        *(
            f"  {c}: version {expected} {old.get(c, '')!r} -> version {int(current['version'])} {now[c]!r}"
            for c in DATA_COLUMNS[kind]
            if old.get(c, "") != now[c]
        ),
        *(f"  your change: {c} = {v!r}" for c, v in changes.items()),
    ]
    return VersionConflict("\n".join(lines), expected=old, current=now)


def _init_meta(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        if meta_value(conn, "revision") is not None:
            return
    with engine.connect() as conn, conn.execution_options(frontline_write=True).begin():
        if meta_value(conn, "revision") is None:
            conn.execute(
                sa.insert(META),
                [
                    {"key": "revision", "value": "1"},
                    {"key": "store_id", "value": str(uuid.uuid4())},
                ],
            )


def open_store(
    url: str | None = None,
    *,
    data_dir: Path | str | None = None,
    seed: bool = True,
    cache_dir: Path | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> Store:
    """Open (create, migrate, seed) the store at ``url`` (default ``$FRONTLINE_DB``, else the
    data folder's own SQLite file; :mod:`geo.store.url`).

    A fresh store is seeded from ``data_dir`` (default ``$FRONTLINE_DATA_DIR`` or the bundled
    ``data/``) in one transaction, its rows ``reviewed``; ``seed=False`` leaves it empty.

    Raises
    ------
    StoreVersionError
        If the store's schema version is unknown to this program (written by a newer one).

    >>> import tempfile
    >>> store = open_store(f"{tempfile.mkdtemp()}/a.sqlite")
    >>> store.history("hts")[0].status
    'reviewed'
    """
    folder = data_folder(data_dir)
    engine = make_engine(store_url(url, data_dir=folder))
    upgrade(engine)
    _init_meta(engine)
    store = Store(engine, data_dir=folder, cache_dir=cache_dir, clock=clock or _utcnow)
    if seed:
        _seed(store, folder)
    else:
        _mark_unseeded(store)
    return store


def _mark_unseeded(store: Store) -> None:
    with store.engine.connect() as conn:
        if meta_value(conn, "seeded_from") is not None:
            return
    with writing(store.engine) as conn:
        if meta_value(conn, "seeded_from") is None:
            conn.execute(sa.insert(META).values(key="seeded_from", value=""))


def _seed(store: Store, folder: Path) -> None:
    with store.engine.connect() as conn:
        if meta_value(conn, "seeded_from") is not None:
            return
    batches, issues = read_folder(folder, factions=None)
    if folder.is_dir():
        from geo.annotations import folder_notes

        issues = [*folder_notes(folder), *issues]
    with writing(store.engine) as conn:
        if meta_value(conn, "seeded_from") is not None:  # another process seeded meanwhile
            return
        store._write(batches, issues, author="", added_by=None, status="reviewed", conn=conn)
        conn.execute(sa.insert(META).values(key="seeded_from", value=str(folder)))
        # What the seed found wrong or missing in the folder (rows left out, files absent):
        # the store's atlas reports it as a load of the folder would.
        conn.execute(sa.insert(META).values(key="seed_issues", value=issues_json(issues)))
    log.info("store %s seeded from %s", store.url, folder)
