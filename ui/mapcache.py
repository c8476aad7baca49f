"""Disk cache of the rendered base map: a fresh server sends its first map without building it.

Building and rendering the base map (country outlines, town labels, borders, crossings) costs
about 0.4 s of CPU in every fresh server, on the way to the first visitor's map, while that
visitor's browser needs the same two cores. What ``st_folium`` is sent of it are strings
(:class:`ui.foliumview.PreparedMap`), so they are kept as one JSON file under
:func:`geo.cache.default_cache_dir`, named by a fingerprint of every input: the atlas's own
(data files, GeoNames, Natural Earth, library versions), every ``geo/`` and ``ui/`` module,
the versions of folium, branca, jinja2 and streamlit-folium, the factions drawn and the
offline mode. An edit anywhere makes a new entry; an unreadable entry is rebuilt; an
unwritable folder only costs the time.

The feature groups of each rerun are rendered against a bare ``folium.Map``: streamlit-folium
replaces the map's name in their script by its own (``map_div``), so they come out the same.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> strings = {name: "" for name in FIELDS[:4]} | {"css_links": [], "js_links": [], "layers": []}
>>> write_entry(folder / "basemap-0123.json", strings)
>>> read_entry(folder / "basemap-0123.json")["layers"]
[]
"""

from __future__ import annotations

import importlib.metadata
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo.atlas.cache import fingerprint as atlas_fingerprint
from geo.cache import CacheSlot, atomic_text, read_or_build, source_files
from geo.cache import fingerprint as digest

__all__ = ["FIELDS", "PREFIX", "cached_strings", "fingerprint", "read_entry", "write_entry"]

FORMAT_VERSION = "basemap-cache-2"
"""Bump when the layout of an entry changes."""
PREFIX = "basemap-"
KEEP = 4
#: The strings of a prepared base map, as ``st_folium`` is sent them.
FIELDS = ("script", "header", "html", "map_id", "css_links", "js_links", "layers")
_PACKAGES = ("folium", "branca", "jinja2", "streamlit-folium")
_ROOT = Path(__file__).resolve().parents[1]


def fingerprint(data_dir: Path, *, key: str) -> str:
    """A digest of everything the base map of ``data_dir`` depends on, and of ``key``.

    ``key`` holds what the caller varies (the factions drawn, the offline mode).

    >>> fingerprint(Path("data"), key="a") == fingerprint(Path("data"), key="a")
    True
    >>> fingerprint(Path("data"), key="a") == fingerprint(Path("data"), key="b")
    False
    """
    parts = [FORMAT_VERSION, atlas_fingerprint(data_dir), key]
    parts += [f"{name}=={importlib.metadata.version(name)}" for name in _PACKAGES]
    return digest(parts=parts, files=[*source_files(), *source_files(_ROOT / "ui")])


def write_entry(path: Path, strings: dict[str, Any]) -> None:
    """Write ``strings`` (every name of :data:`FIELDS`) to ``path``, atomically."""
    body = json.dumps({"format": FORMAT_VERSION, **{name: strings[name] for name in FIELDS}})
    atomic_text(path, body)


def read_entry(path: Path) -> dict[str, Any]:
    """The strings written by :func:`write_entry`.

    Raises
    ------
    ValueError
        If the file is not such an entry (another format, a field missing or of the wrong type).
    """
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"{path.name}: not JSON ({err})") from err
    if not isinstance(entry, dict) or entry.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path.name}: not a {FORMAT_VERSION} entry")
    strings = {name: entry.get(name) for name in FIELDS}
    texts = [strings[name] for name in ("script", "header", "html", "map_id")]
    links = [strings[name] for name in ("css_links", "js_links")]
    layers = strings["layers"]
    if (
        not all(isinstance(text, str) for text in texts)
        or not all(
            isinstance(urls, list) and all(isinstance(u, str) for u in urls) for urls in links
        )
        or not isinstance(layers, list)
        or not all(isinstance(layer, list) and len(layer) == 3 for layer in layers)
    ):
        raise ValueError(f"{path.name}: a field is missing or of the wrong type")
    return strings


def cached_strings(
    data_dir: Path, *, key: str, build: Callable[[], dict[str, Any]], cache_dir: Path | None = None
) -> dict[str, Any]:
    """The base map's strings from the cache, or ``build()`` them and cache the result.

    ``cache_dir`` defaults to :func:`geo.cache.default_cache_dir` (``$FRONTLINE_CACHE_DIR``).
    """
    slot = CacheSlot(PREFIX, keep=KEEP, folder=cache_dir)
    path = slot.path(fingerprint(data_dir, key=key), ".json")
    return read_or_build(
        path,
        slot=slot,
        read=lambda: read_entry(path),
        build=build,
        write=lambda strings: write_entry(path, strings),
        what="base map",
    )
