"""Load an atlas: read, validate and join a data folder, through the atlas's disk cache.

>>> import tempfile
>>> load_atlas("data", cache_dir=Path(tempfile.mkdtemp())).events.crs.to_epsg()
4326
"""

from __future__ import annotations

from pathlib import Path

from geo.annotations import load_annotations
from geo.atlas.cache import cached_atlas
from geo.atlas.join import AtlasData, Geocoding, join_annotations
from geo.places.geocode import load_geocoder

__all__ = ["load_atlas"]


def load_atlas(
    data_dir: Path | str, *, geocoder: Geocoding | None = None, cache_dir: Path | None = None
) -> AtlasData:
    """Load, validate and join the annotations in ``data_dir``.

    With the default geocoder (``geo.places.geocode.load_geocoder(data_dir=data_dir)``) the result is
    cached in ``cache_dir`` (default ``$FRONTLINE_CACHE_DIR``; :mod:`geo.atlas.cache`) and
    rebuilt when a data file, the gazetteer's inputs or the ``geo`` code change. An explicit
    ``geocoder`` is always used, never the cache.

    Examples
    --------
    >>> import tempfile
    >>> atlas = load_atlas("data", cache_dir=Path(tempfile.mkdtemp()))
    >>> atlas.events.crs.to_epsg(), len(atlas.control) > 100
    (4326, True)
    """
    data_dir = Path(data_dir)
    if geocoder is not None:
        return join_annotations(load_annotations(data_dir), geocoder=geocoder)

    def build() -> AtlasData:
        default = load_geocoder(data_dir=data_dir)
        return join_annotations(load_annotations(data_dir), geocoder=default)

    return cached_atlas(data_dir, cache_dir=cache_dir, build=build)
