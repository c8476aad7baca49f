"""The factions table: validation of ``factions.csv`` and matching actor names to faction ids.

Actor names are matched on a key that ignores case, spaces, punctuation and diacritics, so
"Syrian-Democratic forces" finds the faction named "Syrian Democratic Forces".

>>> import pandas as pd
>>> factions = pd.DataFrame({"id": ["hts"], "name": ["Hayat Tahrir al-Sham"],
...     "aliases": ["HTS;Tahrir al-Sham"], "colour": ["#0072b2"], "description": [""]})
>>> faction_for_actor("tahrir  al sham", factions)
'hts'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
from anyascii import anyascii

from geo.io.tabular import Issue, issues_where, neutralise_formulas, read_csv_file
from geo.schema import FACTION_COLUMNS

__all__ = ["faction_for_actor", "map_factions", "read_factions_file"]

_COLOUR = r"#[0-9a-fA-F]{6}"
_FALLBACK_COLOUR = "#808080"


@functools.lru_cache(maxsize=65_536)
def _actor_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", anyascii(text).casefold())


def _faction_index(factions: pd.DataFrame) -> Mapping[str, str]:
    """Map normalised id, name and aliases to faction ids (first faction wins)."""
    labels = tuple(
        zip(
            factions["id"].astype(str),
            factions["name"].astype(str),
            factions["aliases"].astype(str),
            strict=True,
        )
    )
    return _index_of(labels)


@functools.lru_cache(maxsize=64)
def _index_of(labels: tuple[tuple[str, str, str], ...]) -> Mapping[str, str]:
    """The index of one factions table (each validation of a row or a file reuses it)."""
    index: dict[str, str] = {}
    for fid, name, aliases in labels:
        for label in [fid, name, *aliases.split(";")]:
            key = _actor_key(label)
            if key:
                index.setdefault(key, fid)
    return MappingProxyType(index)


def _lookup(actor: str, index: Mapping[str, str]) -> str | None:
    key = _actor_key(actor)
    if not key:
        return None
    found = index.get(key)
    if found is None and "(" in actor:  # ACLED actors carry "(2000-2024)", "(Syria)" suffixes
        found = index.get(_actor_key(re.sub(r"\([^)]*\)", " ", actor)))
    if found is None and ":" in actor:  # ACLED's "SDF: Syrian Democratic Forces"
        parts = re.sub(r"\([^)]*\)", " ", actor).split(":")
        found = next((index[k] for k in map(_actor_key, parts) if k in index), None)
    return found


def faction_for_actor(actor: str, factions: pd.DataFrame) -> str | None:
    """Return the id of the faction whose id, name or alias matches ``actor``, else ``None``.

    Matching ignores case, spaces, hyphens, punctuation and diacritics; ACLED's
    parenthesised suffixes ("Military Forces of Syria (2000-2024)") are tried without them,
    and each side of "SDF: Syrian Democratic Forces" on its own.

    >>> f = pd.DataFrame({"id": ["sdf"], "name": ["Syrian Democratic Forces"],
    ...     "aliases": ["SDF;QSD"], "colour": ["#009e73"], "description": [""]})
    >>> faction_for_actor("Syrian-Democratic forces (Syria)", f), faction_for_actor("ISIS", f)
    ('sdf', None)
    """
    return _lookup(actor, _faction_index(factions))


def map_factions(values: pd.Series, factions: pd.DataFrame) -> pd.Series:
    """Vectorised :func:`faction_for_actor` over the unique values of ``values``."""
    index = _faction_index(factions)
    codes, uniques = pd.factorize(values)
    mapped = np.array([_lookup(v, index) for v in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype="str")


def _validate_factions(frame: pd.DataFrame, *, name: str) -> tuple[pd.DataFrame, list[Issue]]:
    frame, issues = neutralise_formulas(frame, ["name", "description", "aliases"], name=name)
    rows = frame["row"]
    bad = pd.Series(False, index=frame.index)
    for col in ("id", "name"):
        empty = frame[col] == ""
        issues += issues_where(empty, f"{col} is empty", rows=rows, file=name)
        bad |= empty
    bad_id = (frame["id"] != "") & ~frame["id"].str.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
    reason = "bad faction id {v!r} (letters, digits, _ . -)"
    issues += issues_where(bad_id, reason, rows=rows, file=name, values=frame["id"])
    bad |= bad_id
    dup = frame["id"].duplicated() & (frame["id"] != "")
    reason = "duplicate faction id {v!r}"
    issues += issues_where(dup, reason, rows=rows, file=name, values=frame["id"])
    bad |= dup
    bad_colour = ~frame["colour"].str.fullmatch(_COLOUR)
    issues += issues_where(
        bad_colour,
        f"colour {{v!r}} is not #rrggbb; grey {_FALLBACK_COLOUR} used",
        rows=rows,
        file=name,
        severity="warning",
        values=frame["colour"],
    )
    frame.loc[bad_colour, "colour"] = _FALLBACK_COLOUR
    frame["colour"] = frame["colour"].str.lower()
    frame["aliases"] = (
        frame["aliases"].str.replace(r"\s*;[\s;]*", ";", regex=True).str.strip("; \t")
    )
    good = frame[~bad]
    issues += _alias_clashes(good, name=name)
    return good[list(FACTION_COLUMNS)].reset_index(drop=True), issues


def _alias_clashes(factions: pd.DataFrame, *, name: str) -> list[Issue]:
    labels = factions.assign(
        label=(factions["id"] + ";" + factions["name"] + ";" + factions["aliases"]).str.split(";")
    )
    labels = labels.explode("label")
    labels["key"] = labels["label"].map(_actor_key)
    labels = labels[labels["key"] != ""].drop_duplicates(["key", "id"])
    clash = labels[labels["key"].duplicated(keep="first")]
    first = labels.drop_duplicates("key").set_index("key")["id"]
    return [
        Issue(
            name,
            int(r),
            f"alias {lab!r} also names faction {first[k]!r}; it resolves to {first[k]!r}",
            "warning",
        )
        for r, lab, k in zip(clash["row"], clash["label"], clash["key"], strict=True)
    ]


def read_factions_file(path: Path | str) -> tuple[pd.DataFrame, list[Issue]]:
    """Read and validate ``factions.csv``; return ``(factions, issues)``.

    >>> f, issues = read_factions_file("/nonexistent/factions.csv")
    >>> list(f.columns), str(issues[0]).startswith("factions.csv: cannot read")
    (['id', 'name', 'aliases', 'colour', 'description'], True)
    """
    path = Path(path)
    frame, issues = read_csv_file(path, columns=FACTION_COLUMNS, required=("id", "name"))
    frame, more = _validate_factions(frame, name=path.name)
    return frame, issues + more
