"""An optional ``atlas.toml`` in the data folder, and what the data says when it is absent.

``atlas.toml`` (read with :mod:`tomllib`; every key optional)::

    title = "Sahel monitor"
    description = "Political violence in Mali, Burkina Faso and Niger, 2012-2024."
    countries = ["ML", "BF", "NE"]      # ISO2 codes of interest (the country filter's default)
    borders = [["ML", "BF"], ["BF", "NE"]]   # the border filter's default pairs
    default_date = "2024-06-30"         # the map date the dashboard opens on

A bad value is reported as an ``Issue`` (``atlas.toml: reason``) and ignored; a missing
file means "take everything from the data". :func:`data_extent` is the box the map opens on.

>>> cfg, issues = read_atlas_config("/nonexistent")
>>> cfg.title, issues
('', [])
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.io.issues import Issue

__all__ = ["AtlasConfig", "data_extent", "read_atlas_config"]

_NAME = "atlas.toml"


@dataclass(frozen=True)
class AtlasConfig:
    """What ``atlas.toml`` says; empty values mean "from the data"."""

    title: str = ""
    description: str = ""
    countries: tuple[str, ...] = ()
    borders: tuple[tuple[str, str], ...] = ()
    default_date: dt.date | None = None


def _codes(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) and len(v) == 2 for v in value):
        return tuple(v.upper() for v in value)
    return None


def read_atlas_config(folder: Path | str) -> tuple[AtlasConfig, list[Issue]]:
    """Read ``folder/atlas.toml``; return ``(config, issues)`` (never raises for content)."""
    path = Path(folder) / _NAME
    if not path.is_file():
        return AtlasConfig(), []
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        return AtlasConfig(), [Issue(_NAME, None, f"cannot read: {err}")]
    issues: list[Issue] = []
    fields: dict[str, object] = {}
    for key in ("title", "description"):
        if key in raw:
            if isinstance(raw[key], str):
                fields[key] = raw[key].strip()
            else:
                issues.append(Issue(_NAME, None, f"{key} {raw[key]!r} is not text; ignored"))
    if "countries" in raw:
        codes = _codes(raw["countries"])
        if codes is None:
            reason = f"countries {raw['countries']!r} is not a list of ISO2 codes; ignored"
            issues.append(Issue(_NAME, None, reason))
        else:
            fields["countries"] = codes
    if "borders" in raw:
        pairs = raw["borders"]
        ok = isinstance(pairs, list) and all(_codes(p) is not None and len(p) == 2 for p in pairs)
        if ok:
            fields["borders"] = tuple(tuple(sorted(_codes(p))) for p in pairs)  # type: ignore[arg-type]
        else:
            reason = f"borders {pairs!r} is not a list of ISO2 pairs; ignored"
            issues.append(Issue(_NAME, None, reason))
    if "default_date" in raw:
        value = raw["default_date"]
        try:
            fields["default_date"] = (
                value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            )
        except ValueError:
            issues.append(Issue(_NAME, None, f"default_date {value!r} is not YYYY-MM-DD; ignored"))
    unknown = sorted(set(raw) - {"title", "description", "countries", "borders", "default_date"})
    if unknown:
        issues.append(Issue(_NAME, None, f"unknown key(s) {unknown}; ignored", "warning"))
    return AtlasConfig(**fields), issues  # type: ignore[arg-type]


def data_extent(
    frames: Sequence[pd.DataFrame], *, pad_deg: float = 0.5
) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the ``lat``/``lon`` of ``frames``, padded; ``None`` if none.

    The 0.5th and 99.5th percentiles, so that a stray point does not zoom the map out to the
    world (degrees here only frame a view; nothing is measured in them).

    >>> frame = pd.DataFrame({"lat": [12.0, 16.0], "lon": [-8.0, 2.0]})
    >>> data_extent([frame])
    (-8.5, 11.5, 2.5, 16.5)
    """
    lat = np.concatenate([pd.to_numeric(f["lat"], errors="coerce").to_numpy(float) for f in frames])
    lon = np.concatenate([pd.to_numeric(f["lon"], errors="coerce").to_numpy(float) for f in frames])
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return None
    south, north = (
        np.percentile(lat[ok], [0.5, 99.5]) if ok.sum() > 200 else (lat[ok].min(), lat[ok].max())
    )
    west, east = (
        np.percentile(lon[ok], [0.5, 99.5]) if ok.sum() > 200 else (lon[ok].min(), lon[ok].max())
    )
    return (
        float(max(west - pad_deg, -180.0)),
        float(max(south - pad_deg, -85.0)),
        float(min(east + pad_deg, 180.0)),
        float(min(north + pad_deg, 85.0)),
    )
