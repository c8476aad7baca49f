"""Find faction mentions in news text through the aliases of the factions table.

One compiled regular expression covers every alias of every faction (longest first). Short
all-capital aliases ("SDF", "HTS", "SAA") match case-sensitively, everything else
case-insensitively. A mention grows over the modifiers wire reports put around a name:
"Turkish-backed SNA", "Kurdish-led SDF", "Islamic State militants", "the Iraqi Border Forces" (the article stays outside the mention).

>>> m = FactionMatcher({"sdf": ("Syrian Democratic Forces", "SDF")})
>>> [(f.text, f.faction) for f in m.find("Clashes with the Kurdish-led SDF fighters.")]
[('Kurdish-led SDF fighters', 'sdf')]
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.errors import DataFileError

__all__ = ["FactionMatcher", "FactionMention", "load_faction_aliases"]

logger = logging.getLogger(__name__)

DEFAULT_FACTIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "factions.csv"

# Common wire-report phrasings added to a faction's own aliases when that faction id exists.
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "gov": (
        "regime forces", "regime troops", "regime soldiers", "government forces",
        "government troops", "Syrian army", "Syrian Arab Army", "pro-government forces",
    ),
    "hts": ("Hayat Tahrir al-Sham", "HTS", "Hay'at Tahrir al-Sham"),
    "sna": ("Syrian National Army", "SNA"),
    "sdf": ("Syrian Democratic Forces", "SDF"),
    "sfa": ("Syrian Free Army",),
    "isis": ("Islamic State", "ISIS", "ISIL", "Daesh"),
    "iraq": ("Iraqi Border Forces", "Iraqi army", "Iraqi forces", "Iraqi security forces"),
    "pmf": ("Popular Mobilization Forces", "Popular Mobilisation Forces", "Hashd al-Shaabi", "PMF"),
    "krg": ("Kurdistan Regional Government", "KRG", "Peshmerga"),
    "turkey": ("Turkish army", "Turkish forces", "Turkish drones", "Turkish warplanes"),
    "russia": ("Russian forces", "Russian warplanes", "Russian aircraft", "Russian jets"),
    "coalition": ("US-led coalition", "international coalition"),
    "iran_militias": ("Iranian-backed militias", "Iran-backed militias", "Hezbollah"),
}  # fmt: skip

_PREFIX = r"(?:(?:[A-Z][\w.]*-(?:backed|led|allied|aligned|sponsored))\s+)?"
_SUFFIX = (
    r"(?:\s+(?:militants?|fighters?|forces?|troops|soldiers|units?|factions?|militias?|rebels?"
    r"|radicals|jihadists|cells|commanders?|positions|gunmen|members))?"
)


@dataclass(frozen=True)
class FactionMention:
    """A faction named in text: ``text[start:end]`` and the faction id it refers to."""

    text: str
    start: int
    end: int
    faction: str


def load_faction_aliases(path: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """Read ``id -> (name, alias, ...)`` from a factions CSV (``id,name,aliases,...``).

    Parameters
    ----------
    path : str or Path, optional
        The CSV; defaults to ``data/factions.csv`` of the repository.

    Raises
    ------
    DataFileError
        If the file is missing or lacks the ``id``, ``name`` and ``aliases`` columns.
    """
    path = Path(path) if path is not None else DEFAULT_FACTIONS_CSV
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as err:
        raise DataFileError(f"cannot read factions table {str(path)!r}: {err}") from err
    if rows and not {"id", "name", "aliases"} <= set(rows[0]):
        raise DataFileError(
            f"factions table {str(path)!r} needs columns id,name,aliases; has {sorted(rows[0])}"
        )
    return {
        row["id"].strip(): (
            row["name"].strip(),
            *(a.strip() for a in (row["aliases"] or "").split(";") if a.strip()),
        )
        for row in rows
        if (row.get("id") or "").strip()
    }


def _alias_pattern(alias: str) -> str:
    body = r"[\s-]+".join(re.escape(part) for part in re.split(r"[\s-]+", alias.strip()))
    if len(alias) <= 5 and alias.isupper():
        return body  # acronyms: exact case
    return f"(?i:{body})"


class FactionMatcher:
    """Scan text for faction aliases with one compiled regular expression.

    Parameters
    ----------
    aliases : mapping of str to iterable of str
        ``faction id -> names and aliases``, e.g. from :func:`load_faction_aliases`.
    extras : bool
        Also use built-in wire-report phrasings ("regime forces", "Peshmerga") for the
        faction ids that exist in ``aliases``.
    """

    def __init__(self, aliases: Mapping[str, Iterable[str]], *, extras: bool = True) -> None:
        table: dict[str, str] = {}
        for fid, names in aliases.items():
            more = _EXTRA_ALIASES.get(fid, ()) if extras else ()
            for alias in (*names, *more):
                if alias and alias.strip():
                    table.setdefault(alias.strip(), fid)
        if not table:
            raise ValueError(f"no faction aliases given: {dict(aliases)!r}")
        ordered = sorted(table, key=len, reverse=True)
        self._ids = [table[a] for a in ordered]
        groups = "|".join(f"(?P<a{i}>{_alias_pattern(a)})" for i, a in enumerate(ordered))
        self._regex = re.compile(
            rf"{_PREFIX}(?<![\w-])(?:{groups})(?:-led(?=\s))?(?![\w-]){_SUFFIX}"
        )
        self.factions = frozenset(self._ids)

    def find(self, text: str) -> tuple[FactionMention, ...]:
        """Return the faction mentions in ``text``, in text order, without overlaps.

        Examples
        --------
        >>> m = FactionMatcher({"isis": ("Islamic State",), "iraq": ("Iraqi Border Forces",)})
        >>> [(f.text, f.faction) for f in m.find("Islamic State militants and the Iraqi Border Forces")]
        [('Islamic State militants', 'isis'), ('Iraqi Border Forces', 'iraq')]
        """
        out = []
        for m in self._regex.finditer(text):
            index = int(m.lastgroup[1:]) if m.lastgroup else -1
            if index < 0:  # pragma: no cover - every alternative is a named group
                continue
            out.append(FactionMention(m[0], m.start(), m.end(), self._ids[index]))
        return tuple(out)
