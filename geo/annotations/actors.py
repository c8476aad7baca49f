"""Actors absent from ``factions.csv`` grouped into factions automatically.

An import (ACLED, UCDP) or an ``events.csv`` without a ``factions.csv`` names actors that no
faction knows. :func:`group_actors` turns them into factions by a documented rule:

- an actor that is a side (``faction`` or ``faction2``) of at least :data:`AUTO_MIN_SHARE`
  of the events, and of at least :data:`AUTO_MIN_EVENTS` events, gets a faction of its own
  (at most :data:`AUTO_MAX_FACTIONS` of them, the most frequent first); its id is ``a-`` and
  a slug of its name, its name and only alias the actor's own text;
- every other unknown actor joins the faction ``other-<cc>`` named "other (Country)", by the
  country where most of its events are (Natural Earth; ``other-xx`` "other (unknown
  country)" at sea);
- colours come from the Okabe–Ito palette by a stable hash of the id (the same actor gets
  the same colour in every import); the maps add a dash pattern per faction, as for the
  factions of ``factions.csv``.

The new factions are returned as rows of the factions table whose ``aliases`` list the actors
they group. Written out as ``factions.csv`` (``python -m geo import`` does), that table is the
mapping: move an alias to another faction, rename a faction or give it a colour, and load it
again (``--data DIR`` on the next import, or the data folder itself).

>>> import pandas as pd
>>> f = pd.DataFrame(columns=["id", "name", "aliases", "colour", "description"], dtype="str")
>>> events = pd.DataFrame({"faction": ["Wagner Group"] * 3 + ["Local militia"],
...     "faction2": ["Civilians (Mali)"] * 4, "lat": 12.6, "lon": -8.0})
>>> ev, fx, issues = group_actors(events, factions=f, min_share=0.5)
>>> ev["faction"].tolist(), ev["faction2"].tolist()
(['a-wagner-group', 'a-wagner-group', 'a-wagner-group', 'other-ml'], ['a-civilians-mali', 'a-civilians-mali', 'a-civilians-mali', 'a-civilians-mali'])
>>> fx.loc[fx["id"] == "other-ml", ["name", "aliases"]].values.tolist()
[['other (Mali)', 'Local militia']]
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import pandas as pd
from anyascii import anyascii

from geo.io.tabular import Issue
from geo.schema import FACTION_COLUMNS

__all__ = [
    "AUTO_MAX_FACTIONS",
    "AUTO_MIN_EVENTS",
    "AUTO_MIN_SHARE",
    "AUTO_PALETTE",
    "group_actors",
]

AUTO_MIN_SHARE = 0.01
"""An actor gets its own faction when it is a side of at least this share of the events..."""
AUTO_MIN_EVENTS = 3
"""...and of at least this many events."""
AUTO_MAX_FACTIONS = 30
"""At most this many factions of their own (the most frequent actors); the rest are "other"."""
AUTO_PALETTE: tuple[str, ...] = (
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000",
)  # fmt: skip
"""Okabe–Ito, colour-blind safe; the maps add a dash pattern so hue is never the only cue."""


def _slug(text: str, *, limit: int = 40) -> str:
    slug = re.sub(r"[^0-9a-z]+", "-", anyascii(text).casefold()).strip("-")
    return slug[:limit].strip("-") or "x"


def _colour(fid: str) -> str:
    return AUTO_PALETTE[zlib.crc32(fid.encode()) % len(AUTO_PALETTE)]


def _countries(lat: pd.Series, lon: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO2 code and country name at each point (``""`` at sea), Natural Earth, vectorised."""
    import shapely

    from geo.borders import country_shapes

    shapes = country_shapes()
    ok = lat.notna() & lon.notna()
    codes = np.full(len(lat), "", dtype=object)
    names = np.full(len(lat), "", dtype=object)
    points = shapely.points(lon[ok].to_numpy(), lat[ok].to_numpy())  # x = lon, y = lat
    # Each country queries a tree of the points: the country is prepared once (fast).
    shape_idx, point_idx = shapely.STRtree(points).query(
        np.asarray(shapes.geometry.array), predicate="contains"
    )
    where = np.flatnonzero(ok.to_numpy())[point_idx]
    codes[where] = shapes["iso2"].to_numpy()[shape_idx]
    names[where] = shapes["name"].to_numpy()[shape_idx]
    return pd.Series(codes, index=lat.index), pd.Series(names, index=lat.index)


def _unique_ids(slugs: list[str], taken: set[str]) -> list[str]:
    out = []
    for slug in slugs:
        fid, n = f"a-{slug}", 2
        while fid in taken:
            fid, n = f"a-{slug}-{n}", n + 1
        taken.add(fid)
        out.append(fid)
    return out


def group_actors(
    events: pd.DataFrame,
    *,
    factions: pd.DataFrame,
    min_share: float = AUTO_MIN_SHARE,
    min_events: int = AUTO_MIN_EVENTS,
    max_factions: int = AUTO_MAX_FACTIONS,
) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """Give every actor that is not a faction id a faction; return ``(events, factions, issues)``.

    Parameters
    ----------
    events : DataFrame
        Validated events whose ``faction``/``faction2`` hold faction ids or raw actor names,
        with ``lat``/``lon`` floats (the country of an "other" group is found from them).
    factions : DataFrame
        The known factions; their ids are left alone.
    min_share, min_events, max_factions
        The rule for a faction of its own (see the module's docstring).

    Returns
    -------
    events : DataFrame
        A copy whose ``faction``/``faction2`` are all faction ids (or empty).
    factions : DataFrame
        ``factions`` followed by the new factions.
    issues : list of Issue
        One warning per new faction, naming the actors it groups and their event count.
    """
    known = set(factions["id"].astype(str))
    sides = pd.concat([events["faction"], events["faction2"]], ignore_index=True)
    unknown = sides[(sides != "") & ~sides.isin(known)]
    if unknown.empty:
        return events, factions, []
    counts = unknown.value_counts()
    threshold = max(min_events, int(np.ceil(min_share * len(events))))
    own = counts[counts >= threshold].head(max_factions)
    own_ids = dict(
        zip(own.index, _unique_ids([_slug(a) for a in own.index], set(known)), strict=True)
    )
    rest = counts.index[~counts.index.isin(own.index)]
    mapping = dict(own_ids)
    new_rows = [
        {
            "id": fid,
            "name": actor,
            "aliases": actor,
            "colour": _colour(fid),
            "description": f"Grouped automatically: {int(own[actor]):,} events name this actor.",
        }
        for actor, fid in own_ids.items()
    ]
    if len(rest):
        long = pd.DataFrame(
            {
                "actor": pd.concat([events["faction"], events["faction2"]], ignore_index=True),
                "lat": pd.concat([events["lat"], events["lat"]], ignore_index=True),
                "lon": pd.concat([events["lon"], events["lon"]], ignore_index=True),
            }
        )
        long = long[long["actor"].isin(set(rest))]
        long["cc"], long["cname"] = _countries(long["lat"], long["lon"])
        modal = (
            long.groupby(["actor", "cc", "cname"]).size().rename("n").reset_index()
            .sort_values(["actor", "n"], ascending=[True, False])
            .drop_duplicates("actor")
        )  # fmt: skip
        for (cc, cname), group in modal.groupby(["cc", "cname"]):
            fid = f"other-{cc.lower() or 'xx'}"
            actors = sorted(group["actor"])
            mapping.update(dict.fromkeys(actors, fid))
            if fid in known:  # an edited mapping already has this group: join it
                continue
            n = int(counts[actors].sum())
            new_rows.append(
                {
                    "id": fid,
                    "name": f"other ({cname or 'unknown country'})",
                    "aliases": ";".join(a.replace(";", ",") for a in actors),
                    "colour": "#999999",
                    "description": f"Grouped automatically: {len(actors):,} less frequent "
                    f"actors, {n:,} events.",
                }
            )
    issues = [
        Issue(
            "factions.csv",
            None,
            f"new faction {row['id']!r} ({row['name']}) groups "
            f"{len(row['aliases'].split(';')):,} actor(s) not in factions.csv",
            "warning",
        )
        for row in new_rows
    ]
    out = events.copy()
    for col in ("faction", "faction2"):
        out[col] = out[col].map(mapping).fillna(out[col]).astype("str")
    table = pd.concat(
        [factions, pd.DataFrame(new_rows, columns=list(FACTION_COLUMNS))], ignore_index=True
    ).astype("str")
    return out, table, issues
