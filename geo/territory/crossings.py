"""Border crossings: where the ``places.csv`` crossings are, which two countries they join,
and who holds each at a date.

>>> import pandas as pd
>>> places = pd.DataFrame({"id": ["x1"], "name": ["Al-Qaim crossing"], "aliases": [""],
...     "kind": ["crossing"], "country": ["IQ"], "lat": [34.38], "lon": [41.01]})
>>> border_crossings(places)["countries"].iloc[0]
['IQ', 'SY']
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.borders import EQUAL_AREA_CRS, country_shapes
from geo.errors import DataFileError
from geo.places.normalize import normalize_name
from geo.territory.claims import control_at

__all__ = ["border_crossings"]

_STATUS_WORD = re.compile(r"\b(closed|open)\b", re.IGNORECASE)


def _split_aliases(aliases: pd.Series) -> pd.Series:
    return aliases.fillna("").astype("str").str.split(r"[|;]", regex=True)


def _holders(crossings: pd.DataFrame, control: gpd.GeoDataFrame, date: object) -> pd.DataFrame:
    """Latest control row at ``date`` for each crossing, matched by normalised name or alias."""
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
        :func:`geo.places.normalize.normalize_name`. ``None``: nobody is known to hold it.
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
    world = country_shapes()
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
