"""Hexagon binning of events, vectorised with numpy, for maps with too many points to draw.

Hexagons are regular in Web Mercator (the map's own projection), so they look regular on
screen; they are a display aggregate, not an area measure. Coordinates go in as (lat, lon)
arrays and are projected in :func:`_mercator`, the one place where they change order.

>>> import numpy as np
>>> bins = hex_bins(lat=np.array([35.0, 35.0001, 36.0]), lon=np.array([40.0, 40.0001, 41.0]),
...                 size_m=5000.0)
>>> sorted(bins.count.tolist()), bins.cell[0] == bins.cell[1]
([1, 2], np.True_)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo.errors import ConfigError

__all__ = ["HexBins", "SparseCounts", "count_by", "default_hex_size", "hex_bins", "mercator"]

_R = 6378137.0  # Web Mercator sphere radius (m)
_SQRT3 = np.sqrt(3.0)


@dataclass(frozen=True)
class HexBins:
    """Non-empty hexagon cells and, for each input row, the cell it falls in.

    ``x``/``y`` are cell centres in Web-Mercator metres, ``size_m`` the circumradius of the
    (pointy-top) hexagons, ``count`` the rows per cell and ``cell`` the row -> cell index.
    """

    x: np.ndarray
    y: np.ndarray
    size_m: float
    count: np.ndarray
    cell: np.ndarray


@dataclass(frozen=True)
class SparseCounts:
    """Counts per (cell, code) in compressed-row form: cell ``i`` owns ``offsets[i]:offsets[i+1]``."""

    offsets: np.ndarray
    codes: np.ndarray
    counts: np.ndarray


def _mercator(*, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) in degrees -> (x, y) in Web-Mercator metres (x from lon: the order flips here)."""
    lat = np.clip(np.asarray(lat, dtype=float), -85.05112878, 85.05112878)
    x = _R * np.radians(np.asarray(lon, dtype=float))
    y = _R * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))
    return x, y


def default_hex_size(
    *,
    lat: np.ndarray,
    lon: np.ndarray,
    columns: int = 60,
    xy: tuple[np.ndarray, np.ndarray] | None = None,
) -> float:
    """A hexagon circumradius (Mercator m) giving about ``columns`` cells across the data.

    ``xy`` are the points already projected (:func:`hex_bins`'s ``xy``).

    >>> import numpy as np
    >>> round(default_hex_size(lat=np.array([32.0, 37.0]), lon=np.array([36.0, 48.0])))
    12854
    """
    if len(lat) == 0:
        return 10_000.0
    x, y = _mercator(lat=lat, lon=lon) if xy is None else xy
    extent = max(float(np.nanmax(x) - np.nanmin(x)), float(np.nanmax(y) - np.nanmin(y)))
    return float(np.clip(extent / max(int(columns), 1) / _SQRT3, 1_000.0, 200_000.0))


def mercator(*, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) in degrees -> (x, y) in Web-Mercator metres, once for several grids.

    >>> import numpy as np
    >>> x, y = mercator(lat=np.array([0.0]), lon=np.array([180.0]))
    >>> round(float(x[0])), round(float(y[0]))
    (20037508, 0)
    """
    return _mercator(lat=lat, lon=lon)


def hex_bins(
    *,
    lat: np.ndarray,
    lon: np.ndarray,
    size_m: float | None = None,
    xy: tuple[np.ndarray, np.ndarray] | None = None,
) -> HexBins:
    """Assign each (lat, lon) to a pointy-top hexagon of circumradius ``size_m``.

    ``xy`` are the same points already projected by :func:`mercator`: several grids of one
    set of points (the map's coarse and fine levels) project them once.

    Parameters
    ----------
    lat, lon : array of float
        Degrees (WGS84); must be finite.
    size_m : float, optional
        Circumradius in Web-Mercator metres; default :func:`default_hex_size`.

    Raises
    ------
    ConfigError
        ``size_m`` is not positive, or a coordinate is not finite (the first bad row is shown).
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    if lat.shape != lon.shape:
        raise ConfigError(f"lat and lon differ in shape: {lat.shape} vs {lon.shape}")
    bad = ~(np.isfinite(lat) & np.isfinite(lon))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ConfigError(f"row {row} has no usable coordinates: lat={lat[row]}, lon={lon[row]}")
    if xy is not None and not (np.shape(xy[0]) == lat.shape == np.shape(xy[1])):
        raise ConfigError(f"xy differ in shape from lat and lon: {lat.shape}")
    size = default_hex_size(lat=lat, lon=lon, xy=xy) if size_m is None else float(size_m)
    if not size > 0:
        raise ConfigError(f"hexagon size must be positive, got {size_m!r}")
    x, y = _mercator(lat=lat, lon=lon) if xy is None else xy
    # Axial coordinates of a pointy-top hex grid, then cube rounding.
    q = (_SQRT3 / 3 * x - y / 3) / size
    r = (2 / 3 * y) / size
    s = -q - r
    rq, rr, rs = np.rint(q), np.rint(r), np.rint(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    qi, ri = rq.astype(np.int64), rr.astype(np.int64)
    if len(qi) == 0:
        empty = np.empty(0)
        return HexBins(empty, empty, size, np.empty(0, np.int64), np.empty(0, np.int64))
    span = int(ri.max() - ri.min()) + 1
    key = (qi - qi.min()) * span + (ri - ri.min())
    n_keys = (int(qi.max() - qi.min()) + 1) * span
    if n_keys <= max(4 * len(key), 1 << 20):
        # A grid this small is counted directly (no sort): the same cells, in the same order.
        every = np.bincount(key, minlength=n_keys)
        keys = np.flatnonzero(every)
        count = every[keys]
        lookup = np.zeros(n_keys, dtype=np.int64)
        lookup[keys] = np.arange(len(keys))
        cell = lookup[key]
    else:
        keys, cell, count = np.unique(key, return_inverse=True, return_counts=True)
    cq = keys // span + qi.min()
    cr = keys % span + ri.min()
    cx = size * _SQRT3 * (cq + cr / 2)
    cy = size * 1.5 * cr
    return HexBins(cx, cy, size, count, cell.ravel())


def count_by(bins: HexBins, codes: np.ndarray, *, n_codes: int) -> SparseCounts:
    """Count rows per (cell, code); codes are integers in ``0..n_codes-1`` (``-1`` is skipped).

    >>> import numpy as np
    >>> b = hex_bins(lat=np.array([35.0, 35.0, 36.0]), lon=np.array([40.0, 40.0, 41.0]),
    ...              size_m=5000.0)
    >>> c = count_by(b, np.array([0, 1, 1]), n_codes=2)
    >>> c.offsets.tolist(), c.codes.tolist(), c.counts.tolist()
    ([0, 2, 3], [0, 1, 1], [1, 1, 1])
    """
    codes = np.asarray(codes, dtype=np.int64)
    n_cells = len(bins.count)
    keep = codes >= 0
    width = max(int(n_codes), 1)
    flat = np.bincount(bins.cell[keep] * width + codes[keep], minlength=n_cells * width)
    nonzero = np.flatnonzero(flat)
    cells = nonzero // width
    offsets = np.searchsorted(cells, np.arange(n_cells + 1))
    return SparseCounts(offsets, nonzero % width, flat[nonzero])
