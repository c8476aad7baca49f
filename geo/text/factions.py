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
from geo.schema import DATA_DIR

__all__ = ["FactionMatcher", "FactionMention", "load_faction_aliases"]

logger = logging.getLogger(__name__)

DEFAULT_FACTIONS_CSV = DATA_DIR / "factions.csv"

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

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_LINK = re.compile(r"[ \t]*-?[ \t]*")  # what may separate the words of one alias
_PREFIX_WORDS = frozenset({"backed", "led", "allied", "aligned", "sponsored"})
_SUFFIX_WORDS = frozenset(
    {
        "militant", "militants", "fighter", "fighters", "force", "forces", "troops", "soldiers",
        "unit", "units", "faction", "factions", "militia", "militias", "rebel", "rebels",
        "radicals", "jihadists", "cells", "commander", "commanders", "positions", "gunmen",
        "members",
    }
)  # fmt: skip


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


def _words(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, word)`` for each word; apostrophes stay inside a word."""
    return [(m.start(), m.end(), m[0]) for m in _TOKEN.finditer(text)]


class FactionMatcher:
    """Scan text for faction aliases with a token index (a dictionary probe per word).

    Parameters
    ----------
    aliases : mapping of str to iterable of str
        ``faction id -> names and aliases``, e.g. from :func:`load_faction_aliases`.
    extras : bool
        Also use built-in wire-report phrasings ("regime forces", "Peshmerga") for the
        faction ids that exist in ``aliases``.
    """

    def __init__(self, aliases: Mapping[str, Iterable[str]], *, extras: bool = True) -> None:
        table: dict[tuple[str, ...], tuple[str, str | None]] = {}
        for fid, names in aliases.items():
            more = _EXTRA_ALIASES.get(fid, ()) if extras else ()
            for alias in (*names, *more):
                words = tuple(w for _, _, w in _words(alias or ""))
                if not words:
                    continue
                exact = alias.strip() if len(alias.strip()) <= 5 and alias.isupper() else None
                table.setdefault(tuple(w.lower() for w in words), (fid, exact))
        if not table:
            raise ValueError(f"no faction aliases given: {dict(aliases)!r}")
        # first word -> [(words, faction id, exact text or None)], longest first
        self._index: dict[str, list[tuple[tuple[str, ...], str, str | None]]] = {}
        for words, (fid, exact) in sorted(table.items(), key=lambda kv: -len(kv[0])):
            self._index.setdefault(words[0], []).append((words, fid, exact))
        self.factions = frozenset(fid for fid, _ in table.values())

    def find(self, text: str) -> tuple[FactionMention, ...]:
        """Return the faction mentions in ``text``, in text order, without overlaps.

        Examples
        --------
        >>> m = FactionMatcher({"isis": ("Islamic State",), "iraq": ("Iraqi Border Forces",)})
        >>> [(f.text, f.faction) for f in m.find("Islamic State militants and the Iraqi Border Forces")]
        [('Islamic State militants', 'isis'), ('Iraqi Border Forces', 'iraq')]
        """
        words = _words(text)
        lower = [w.lower() for _, _, w in words]
        joined = [False] + [
            _LINK.fullmatch(text, words[k - 1][1], words[k][0]) is not None
            for k in range(1, len(words))
        ]
        out: list[FactionMention] = []
        i = 0
        while i < len(words):
            hit = self._alias_at(text, words, lower, joined, i)
            if hit is None:
                i += 1
                continue
            j, fid = hit
            first, last = i, j
            if (
                i >= 2
                and joined[i]
                and lower[i - 1] in _PREFIX_WORDS
                and joined[i - 1]
                and text[words[i - 2][1]] == "-"
                and words[i - 2][2][:1].isupper()
            ):
                first = i - 2  # "Turkish-backed SNA"
            if last < len(words) and joined[last] and lower[last] == "led":
                last += 1  # "HTS-led fighters"
            if last < len(words) and joined[last] and lower[last] in _SUFFIX_WORDS:
                last += 1  # "Islamic State militants"
            start, end = words[first][0], words[last - 1][1]
            out.append(FactionMention(text[start:end], start, end, fid))
            i = last
        return tuple(out)

    def _alias_at(
        self,
        text: str,
        words: list[tuple[int, int, str]],
        lower: list[str],
        joined: list[bool],
        i: int,
    ) -> tuple[int, str] | None:
        for alias, fid, exact in self._index.get(lower[i], ()):
            j = i + len(alias)
            if j > len(words) or tuple(lower[i:j]) != alias:
                continue
            if not all(joined[i + 1 : j]):
                continue
            if j < len(words) and joined[j] and text[words[j - 1][1]] == "-" and lower[j] != "led":
                continue  # "Turkey-backed SNA": the alias only modifies what follows
            if exact is not None and text[words[i][0] : words[j - 1][1]] != exact:
                continue  # acronyms match in their own case only
            return j, fid
        return None
