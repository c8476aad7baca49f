"""Join validated annotations to places: GeoDataFrames of events and control, and a join report.

Place names are geocoded once per unique name; explicit ``lat``/``lon`` in a file override
the geocoder. Rows whose place does not resolve are kept (``lat``/``lon`` NaN, geometry
missing) and listed in ``join_report`` with status ``unresolved``; matches below
:data:`LOW_CONFIDENCE` are listed as ``low_confidence``. Nothing is dropped.

>>> AtlasData.empty().events.columns.tolist()[-3:]
['geo_confidence', 'country', 'geometry']
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import pandas as pd

from geo.annotations import Annotations, Issue
from geo.annotations.actors import group_actors
from geo.io.tabular import issues_where
from geo.schema import (
    CONTROL_SCHEMA,
    EVENT_SCHEMA,
    FACTION_COLUMNS,
)

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "GEO_PRECISION_CONFIDENCE",
    "LOW_CONFIDENCE",
    "AtlasData",
    "Geocoding",
    "join_annotations",
    "join_upload",
]

log = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.6
"""Geocoder matches below this confidence are listed in the join report as ``low_confidence``."""

GEO_PRECISION_CONFIDENCE: dict[str, float] = {
    "acled:1": 1.0,  # the named town
    "acled:2": 0.75,  # near / part of a region around the town
    "acled:3": 0.5,  # only the province (capital used)
    "ucdp:1": 1.0,  # exact location
    "ucdp:2": 0.85,  # within ~25 km
    "ucdp:3": 0.7,  # second-order admin unit
    "ucdp:4": 0.5,  # first-order admin unit
    "ucdp:5": 0.35,  # a linear or larger area
    "ucdp:6": 0.2,  # only the country
    "ucdp:7": 0.1,  # international waters or airspace
}
"""``geo_confidence`` of explicit coordinates imported with a source's precision code."""

_UNKNOWN_FACTION_COLOUR = "#808080"


class Geocoding(Protocol):
    """What the join needs of a geocoder: many names in, one result per name out."""

    def geocode_many(self, names: Sequence[str]) -> list[Any]: ...


@dataclass(frozen=True)
class AtlasData:
    """Everything the map needs: factions, events and control with geometry, issues, report.

    ``events`` and ``control`` follow ``EVENT_SCHEMA`` / ``CONTROL_SCHEMA`` exactly (EPSG:4326,
    geometry built from (lon, lat), missing when the place did not resolve). ``join_report``
    has ``JOIN_REPORT_COLUMNS``, one row per unresolved or low-confidence annotation row.
    """

    factions: pd.DataFrame
    events: gpd.GeoDataFrame
    control: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    issues: tuple[Issue, ...]
    join_report: pd.DataFrame

    @classmethod
    def empty(cls) -> AtlasData:
        """An atlas with no rows (the schemas are still in place)."""
        from geo.annotations.areas import empty_areas

        factions = pd.DataFrame({c: pd.Series(dtype="str") for c in FACTION_COLUMNS})
        return cls(
            factions,
            _geoframe(
                pd.DataFrame(columns=[c for c in EVENT_SCHEMA if c != "geometry"]), EVENT_SCHEMA
            ),
            _geoframe(
                pd.DataFrame(columns=[c for c in CONTROL_SCHEMA if c != "geometry"]), CONTROL_SCHEMA
            ),
            empty_areas().drop(columns="row"),
            (),
            _empty_report(),
        )

    def merged(self, other: AtlasData) -> AtlasData:
        """This atlas with ``other``'s rows added (for a session's uploads).

        Factions already here win over ``other``'s of the same id; an event id that exists
        already is kept and reported as a warning.

        >>> a = AtlasData.empty()
        >>> len(a.merged(a).events)
        0
        """
        import geopandas as gpd

        clash = other.events["id"][other.events["id"].isin(set(self.events["id"]))]
        warnings = tuple(
            Issue("upload", None, f"event id {i!r} already exists; both are kept", "warning")
            for i in clash.tolist()
        )
        factions = pd.concat([self.factions, other.factions], ignore_index=True)
        factions = factions.drop_duplicates("id", keep="first").reset_index(drop=True)

        def cat(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
            parts = [f for f in (a, b) if len(f)] or [a]
            return gpd.GeoDataFrame(
                pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326"
            )

        report = pd.concat(
            [f for f in (self.join_report, other.join_report) if len(f)] or [self.join_report],
            ignore_index=True,
        )
        return AtlasData(
            factions,
            cat(self.events, other.events),
            cat(self.control, other.control),
            cat(self.areas, other.areas),
            self.issues + other.issues + warnings,
            report,
        )


def _empty_report() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": pd.Series(dtype="str"),
            "row": pd.Series(dtype="int64"),
            "place": pd.Series(dtype="str"),
            "status": pd.Series(dtype="str"),
            "confidence": pd.Series(dtype="float64"),
            "matched": pd.Series(dtype="str"),
        }
    )


def _geoframe(frame: pd.DataFrame, schema: Sequence[str]) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    lat = pd.to_numeric(frame["lat"], errors="coerce").astype("float64").to_numpy()
    lon = pd.to_numeric(frame["lon"], errors="coerce").astype("float64").to_numpy()
    # The one conversion of coordinate order: tables carry (lat, lon), shapely takes (x=lon, y=lat).
    points = shapely.points(lon, lat)
    points[np.isnan(lat) | np.isnan(lon)] = None
    out = gpd.GeoDataFrame(
        frame.assign(lat=lat, lon=lon),
        geometry=gpd.GeoSeries(points, index=frame.index, crs="EPSG:4326"),
    )
    return out[list(schema)]


def _geocode_table(places: np.ndarray, geocoder: Geocoding) -> pd.DataFrame:
    """One row per unique place name: what the geocoder made of it."""
    results = geocoder.geocode_many(list(places)) if len(places) else []
    records = [
        {
            "g_lat": r.lat if r.resolved else np.nan,
            "g_lon": r.lon if r.resolved else np.nan,
            "g_confidence": float(r.confidence) if r.resolved else np.nan,
            "g_country": str(r.country or "") if r.resolved else "",
            "g_kind": str(r.kind or "") if r.resolved else "",
            "g_matched": str(r.matched or r.name or ""),
            "g_reason": str(getattr(r, "reason", "") or ""),
            "g_resolved": bool(r.resolved),
        }
        for r in results  # one per distinct place name, not per row
    ]
    columns = ["g_lat", "g_lon", "g_confidence", "g_country"]
    columns += ["g_kind", "g_matched", "g_reason", "g_resolved"]
    table = pd.DataFrame(
        records, columns=columns, index=pd.Index(places, name="place", dtype="str")
    )
    return table.astype(
        {"g_lat": "float64", "g_lon": "float64", "g_confidence": "float64", "g_resolved": "bool"}
    )


def _country_at(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """ISO2 code of the Natural Earth country containing each point ("" at sea or abroad)."""
    import shapely

    from geo.borders import country_shapes

    shapes = country_shapes()
    points = shapely.points(lon.to_numpy(), lat.to_numpy())  # x = lon, y = lat
    # A tree of the points queried by each country: the country (the query's input) is
    # prepared once, which is many times faster than testing each point against raw outlines.
    shape_idx, point_idx = shapely.STRtree(points).query(
        np.asarray(shapes.geometry.array), predicate="contains"
    )
    codes = np.full(len(points), "", dtype=object)
    codes[point_idx] = shapes["iso2"].to_numpy()[shape_idx]
    return pd.Series(codes, index=lat.index, dtype="str")


def _place_rows(
    frame: pd.DataFrame, table: pd.DataFrame, *, file: str
) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """Fill lat/lon/geo_confidence/country/kind of ``frame``; return it, its report, issues."""
    g = table.reindex(frame["place"].to_numpy())
    g.index = frame.index
    explicit = frame["lat"].notna() & frame["lon"].notna()
    resolved = g["g_resolved"].fillna(False).astype(bool)
    precision = frame.get("geo_precision", pd.Series("", index=frame.index))
    explicit_conf = precision.map(GEO_PRECISION_CONFIDENCE).astype("float64").fillna(1.0)
    out = frame.assign(
        lat=frame["lat"].where(explicit, g["g_lat"]),
        lon=frame["lon"].where(explicit, g["g_lon"]),
        geo_confidence=explicit_conf.where(explicit, g["g_confidence"]),
        country=g["g_country"].fillna("").astype("str"),
        kind=g["g_kind"].fillna("").astype("str"),
    )
    if explicit.any():  # explicit coordinates: the country is where the point is, not the name's
        at_point = _country_at(out["lat"][explicit], out["lon"][explicit])
        out.loc[explicit, "country"] = at_point.where(at_point != "", out["country"][explicit])
    unresolved = ~explicit & ~resolved
    low = ~explicit & resolved & (g["g_confidence"] < LOW_CONFIDENCE)
    status = pd.Series(
        np.where(unresolved, "unresolved", "low_confidence"), index=frame.index, dtype="str"
    )
    pick = unresolved | low
    report = pd.DataFrame(
        {
            "file": file,
            "row": frame["row"][pick].astype("int64"),
            "place": frame["place"][pick],
            "status": status[pick],
            "confidence": g["g_confidence"][pick],
            "matched": g["g_matched"][pick].fillna("").astype("str"),
        }
    )
    reasons = g["g_reason"].fillna("").astype("str").replace("", "no match")
    values = pd.DataFrame(
        {"p": frame["place"], "m": g["g_matched"], "c": g["g_confidence"], "why": reasons}
    )
    issues = issues_where(
        unresolved,
        "place {p!r} not found by the geocoder ({why}); kept without coordinates",
        rows=frame["row"],
        file=file,
        severity="warning",
        values=values,
    ) + issues_where(
        low,
        "place {p!r} matched {m!r} with low confidence {c:.2f}",
        rows=frame["row"],
        file=file,
        severity="warning",
        values=values,
    )
    return out, report, issues


def _placeholder_factions(factions: pd.DataFrame, *frames: pd.DataFrame) -> pd.DataFrame:
    """Add a grey faction for every actor an import kept as raw text."""
    used = pd.concat(
        [f[c] for f in frames for c in ("faction", "faction2") if c in f.columns and len(f)]
        or [pd.Series(dtype="str")]
    )
    unknown = pd.unique(used[(used != "") & ~used.isin(set(factions["id"]))])
    if not len(unknown):
        return factions
    extra = pd.DataFrame(
        {
            "id": unknown,
            "name": unknown,
            "aliases": "",
            "colour": _UNKNOWN_FACTION_COLOUR,
            "description": "Actor from an imported file, not in factions.csv.",
        }
    ).astype("str")
    return pd.concat([factions, extra], ignore_index=True)


def join_annotations(
    ann: Annotations, *, geocoder: Geocoding, known_factions: pd.DataFrame | None = None
) -> AtlasData:
    """Geocode the places of ``ann`` and return an :class:`AtlasData`.

    Parameters
    ----------
    ann : Annotations
        Validated annotations (:func:`geo.annotations.load_annotations`).
    geocoder : object
        Anything with ``geocode_many(names) -> list[GeocodeResult]`` (``geo.places.geocode``).
    known_factions : DataFrame, optional
        The factions an actor may already be (default ``ann.factions``); other actors are
        grouped into new factions (:func:`geo.annotations.actors.group_actors`).

    Examples
    --------
    >>> from geo.annotations import load_annotations
    >>> class NoPlaces:
    ...     def geocode_many(self, names): return []
    >>> join_annotations(load_annotations("/nonexistent"), geocoder=NoPlaces()).events.crs.to_epsg()
    4326
    """
    import geopandas as gpd

    places = pd.unique(
        pd.concat([ann.events["place"], ann.control["place"]], ignore_index=True).astype("str")
    )
    table = _geocode_table(np.asarray(places, dtype=object), geocoder)
    events, ev_report, ev_issues = _place_rows(
        ann.events, table, file=ann.events.attrs.get("file", "events.csv")
    )
    control, ct_report, ct_issues = _place_rows(
        ann.control, table, file=ann.control.attrs.get("file", "control.csv")
    )
    # Actors no faction knows (imports, an events.csv without factions.csv) become factions.
    known = ann.factions if known_factions is None else known_factions
    events, grouped, group_issues = group_actors(events, factions=known)
    new = grouped[~grouped["id"].isin(set(known["id"]))]
    factions = pd.concat([ann.factions, new], ignore_index=True) if len(new) else ann.factions
    reports = [r for r in (ev_report, ct_report) if len(r)]
    report = pd.concat(reports, ignore_index=True) if reports else _empty_report()
    areas = ann.areas.drop(columns="row", errors="ignore")
    return AtlasData(
        factions=_placeholder_factions(factions, events, ann.control),
        events=_geoframe(events, EVENT_SCHEMA),
        control=_geoframe(control, CONTROL_SCHEMA),
        areas=gpd.GeoDataFrame(areas, geometry="geometry", crs="EPSG:4326"),
        issues=tuple(ann.issues) + tuple(group_issues) + tuple(ev_issues) + tuple(ct_issues),
        join_report=report,
    )


def join_upload(
    kind: Literal["events", "control", "areas", "acled", "ucdp", "unknown"],
    frame: pd.DataFrame,
    *,
    geocoder: Geocoding,
    factions: pd.DataFrame | None = None,
) -> AtlasData:
    """Join one validated upload (from :func:`geo.annotations.parse_upload`) to places.

    Event kinds (``events``, ``acled``, ``ucdp``) fill ``events``; ``control`` fills
    ``control``; ``areas`` fills ``areas``. The result is meant for :meth:`AtlasData.merged`,
    where the atlas's own factions win over the grey placeholders made here for every actor.
    Actors that are not ids of ``factions`` (the atlas's; default: the bundled
    ``data/factions.csv``) are grouped into new factions.
    """
    if factions is None:
        from geo.annotations import read_factions_file
        from geo.schema import DATA_DIR

        factions, _ = read_factions_file(DATA_DIR / "factions.csv")
    empty = _empty_annotations()
    fac = empty.factions
    if kind in ("events", "acled", "ucdp"):
        ann = Annotations(fac, frame, empty.control, empty.areas, ())
    elif kind == "control":
        ann = Annotations(fac, empty.events, frame, empty.areas, ())
    elif kind == "areas":
        ann = Annotations(fac, empty.events, empty.control, frame, ())
    else:
        ann = empty
    return join_annotations(ann, geocoder=geocoder, known_factions=factions)


def _empty_annotations() -> Annotations:
    from geo.annotations import read_control_bytes, read_events_bytes
    from geo.annotations.areas import empty_areas

    factions = pd.DataFrame({c: pd.Series(dtype="str") for c in FACTION_COLUMNS})
    events, _ = read_events_bytes(b"", name="events.csv", factions=factions)
    control, _ = read_control_bytes(b"", name="control.csv", factions=factions)
    return Annotations(factions, events, control, empty_areas(), ())
