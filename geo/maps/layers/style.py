"""Faction colours, dash patterns and event-type glyphs shared by every map layer.

Factions keep the colour of ``data/factions.csv`` (chosen colour-blind safe) and also get a
dash pattern and a marker border style by their position in that table, so that two factions
are never told apart by hue alone.

>>> import pandas as pd
>>> table = pd.DataFrame({"id": ["hts", "saa"], "name": ["HTS", "Syrian Army"],
...                       "colour": ["#0072B2", "#D55E00"]})
>>> styles = faction_styles(table)
>>> styles["saa"].colour, styles["saa"].dash, styles["saa"].border
('#D55E00', '9 5', 'dashed')
>>> event_glyph("Explosions/Remote violence")
'fa-bomb'
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "BORDER_STYLES",
    "DASH_PATTERNS",
    "FALLBACK_COLOURS",
    "FactionStyle",
    "event_glyph",
    "faction_styles",
]

logger = logging.getLogger(__name__)

#: Okabe-Ito colour-blind safe palette, for factions without a usable colour.
FALLBACK_COLOURS: tuple[str, ...] = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
)  # fmt: skip
#: SVG stroke-dasharray per faction position ("" is a solid line).
DASH_PATTERNS: tuple[str, ...] = ("", "9 5", "2 5", "12 4 2 4", "5 3 1 3 1 3", "16 6")
#: CSS border style of event badges per faction position (cycles with the dash patterns).
BORDER_STYLES: tuple[str, ...] = ("solid", "dashed", "dotted", "double")

_HEX = re.compile(r"#[0-9a-fA-F]{6}")

# Lower-case keyword -> Font Awesome 6 solid glyph; first match wins (ACLED-like types first).
_GLYPHS: tuple[tuple[str, str], ...] = (
    ("remote", "fa-bomb"),
    ("explosion", "fa-bomb"),
    ("airstrike", "fa-plane"),
    ("air strike", "fa-plane"),
    ("shelling", "fa-bomb"),
    ("drone", "fa-plane"),
    ("battle", "fa-crosshairs"),
    ("clash", "fa-crosshairs"),
    ("armed", "fa-crosshairs"),
    ("civilian", "fa-person-harassing"),
    ("protest", "fa-bullhorn"),
    ("riot", "fa-fire"),
    ("territory", "fa-flag"),
    ("capture", "fa-flag"),
    ("control", "fa-flag"),
    ("takeover", "fa-flag"),
    ("withdraw", "fa-person-walking-arrow-right"),
    ("retreat", "fa-person-walking-arrow-right"),
    ("displace", "fa-person-walking-arrow-right"),
    ("crossing", "fa-road-barrier"),
    ("border", "fa-road-barrier"),
    ("agreement", "fa-handshake"),
    ("negotiation", "fa-handshake"),
    ("strategic", "fa-chess-knight"),
)
_DEFAULT_GLYPH = "fa-circle-exclamation"


@dataclass(frozen=True)
class FactionStyle:
    """How one faction is drawn: display name, colour and a non-colour cue (dash, border)."""

    id: str
    name: str
    colour: str
    dash: str
    border: str


def faction_styles(
    factions: pd.DataFrame | None, *, extra_ids: Iterable[str] = ()
) -> dict[str, FactionStyle]:
    """Map faction id -> :class:`FactionStyle`, from the ``factions`` table.

    Parameters
    ----------
    factions : DataFrame or None
        ``id, name, colour`` (other columns ignored). A colour that is not ``#rrggbb`` is
        replaced by a palette colour, with a warning naming it.
    extra_ids : iterable of str
        Faction ids used by the data but missing from the table; they get a palette colour
        and their id as name (logged).

    Examples
    --------
    >>> faction_styles(None, extra_ids=["x"])["x"].name
    'x'
    """
    rows: list[tuple[str, str, str]] = []
    if factions is not None and len(factions):
        ids = factions["id"].astype("str").tolist()
        names = (
            factions["name"].fillna(factions["id"]).astype("str").tolist()
            if "name" in factions
            else ids
        )
        colours = (
            factions["colour"].fillna("").astype("str").tolist()
            if "colour" in factions
            else [""] * len(ids)
        )
        rows = list(zip(ids, names, colours, strict=True))
    known = {row[0] for row in rows}
    missing = sorted({str(i) for i in extra_ids if i and str(i) not in known})
    if missing:
        logger.info("factions not in the factions table, drawn with palette colours: %s", missing)
    styles: dict[str, FactionStyle] = {}
    # Table factions are styled by their row; unknown ids by a stable hash of the id, so that
    # they look the same in every layer whatever else each layer happens to contain.
    positions = [*range(len(rows)), *(len(rows) + zlib.crc32(i.encode()) % 997 for i in missing)]
    rows += [(i, i, "") for i in missing]
    for position, (fid, name, colour) in zip(positions, rows, strict=True):
        if not _HEX.fullmatch(colour.strip()):
            if colour:
                logger.warning(
                    "faction %r: colour %r is not #rrggbb, using the palette", fid, colour
                )
            colour = FALLBACK_COLOURS[position % len(FALLBACK_COLOURS)]
        styles[fid] = FactionStyle(
            id=fid,
            name=name,
            colour=colour.strip(),
            dash=DASH_PATTERNS[position % len(DASH_PATTERNS)],
            border=BORDER_STYLES[position % len(BORDER_STYLES)],
        )
    return styles


def event_glyph(event_type: str) -> str:
    """The Font Awesome glyph for an event type (keyword match, case-insensitive).

    >>> event_glyph("Battles"), event_glyph("something new")
    ('fa-crosshairs', 'fa-circle-exclamation')
    """
    text = str(event_type).lower()
    for keyword, glyph in _GLYPHS:
        if keyword in text:
            return glyph
    return _DEFAULT_GLYPH
