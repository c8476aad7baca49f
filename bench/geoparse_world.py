"""Geoparsing of news from anywhere: detection and resolution against our own gold passages.

The passages (``bench/data/geoparse_world.txt``, CC0, our own writing paraphrasing facts of
public reporting; the seed articles are not used) mark every place mention with its gold
point: ``[[mention|lat,lon|CC]]``, or ``[[mention|CC]]`` for a country or a demonym. A passage
is ``dev`` (the geoparser may be tuned on it) or ``heldout`` (scored, never tuned on).

Scoring, per gold mention (each mention of a place counts once):

* **detected**: a predicted mention overlaps its characters;
* **placed**: the overlapping prediction is resolved, and its point lies within 161 km
  (100 miles, the usual accuracy@161km of geoparsing papers) of the gold point; a gold country
  or demonym is placed when the predicted country code is the gold one;
* figures: detection recall = detected / gold; placed share = placed / detected;
  end to end = placed / gold; the same three for the mentions of places in Syria and Iraq.

Run: ``python -m bench.geoparse_world`` (prints JSON).
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "bench" / "data" / "geoparse_world.txt"
TOLERANCE_KM = 161.0
THEATRE = frozenset({"SY", "IQ"})

__all__ = ["GoldMention", "Passage", "evaluate", "read_passages", "score"]

_MARK = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")
_HEADER = re.compile(r"^## (\S+) (dev|heldout)\s*$")


@dataclass(frozen=True)
class GoldMention:
    """One gold place mention: its span, its gold point (None for a country) and country."""

    text: str
    start: int
    end: int
    lat: float | None
    lon: float | None
    country: str | None


@dataclass(frozen=True)
class Passage:
    """One passage: id, split, plain text and gold mentions."""

    id: str
    split: str
    text: str
    gold: tuple[GoldMention, ...]


def _parse_body(body: str) -> tuple[str, tuple[GoldMention, ...]]:
    out, gold, pos = [], [], 0
    length = 0
    for m in _MARK.finditer(body):
        out.append(body[pos : m.start()])
        length += m.start() - pos
        surface, spec = m[1], m[2].split("|")
        lat = lon = None
        if len(spec) == 2:
            lat, lon = (float(v) for v in spec[0].split(","))
        code = spec[-1].strip()
        gold.append(
            GoldMention(
                surface, length, length + len(surface), lat, lon, None if code == "-" else code
            )
        )
        out.append(surface)
        length += len(surface)
        pos = m.end()
    out.append(body[pos:])
    return "".join(out), tuple(gold)


def read_passages(path: Path = GOLD) -> list[Passage]:
    """Read the gold passages (``#`` lines are comments; ``## id split`` opens a passage)."""
    passages: list[Passage] = []
    head: tuple[str, str] | None = None
    lines: list[str] = []

    def close() -> None:
        if head is not None:
            text, gold = _parse_body("\n".join(lines).strip())
            passages.append(Passage(head[0], head[1], text, gold))

    for line in path.read_text(encoding="utf-8").splitlines():
        header = _HEADER.match(line)
        if header:
            close()
            head, lines = (header[1], header[2]), []
        elif not line.startswith("#") and head is not None:
            lines.append(line)
    close()
    return passages


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _placed(gold: GoldMention, pred: Any) -> bool:
    if gold.lat is None or gold.lon is None:
        return pred.country == gold.country
    if pred.lat is None or pred.lon is None:
        return False
    return _km(gold.lat, gold.lon, pred.lat, pred.lon) <= TOLERANCE_KM


def score(passages: list[Passage], parser: Any) -> dict[str, Any]:
    """Detection, placement and end-to-end figures over ``passages``, overall and in the theatre."""
    counts = {k: [0, 0, 0] for k in ("all", "theatre")}  # gold, detected, placed
    misses: list[str] = []
    for passage in passages:
        places = parser.parse(passage.text).places
        for gold in passage.gold:
            hit = next((p for p in places if p.start < gold.end and gold.start < p.end), None)
            placed = hit is not None and _placed(gold, hit)
            groups = ["all"] + (["theatre"] if gold.country in THEATRE else [])
            for g in groups:
                counts[g][0] += 1
                counts[g][1] += hit is not None
                counts[g][2] += placed
            if not placed:
                got = "not found" if hit is None else f"{hit.name} ({hit.country}, {hit.kind})"
                misses.append(f"{passage.id}: {gold.text!r} -> {got}")
    out: dict[str, Any] = {}
    for group, (n, found, placed) in counts.items():
        out[group] = {
            "mentions": n,
            "detection": round(found / n, 3) if n else None,
            "placed_161km": round(placed / found, 3) if found else None,
            "end_to_end": round(placed / n, 3) if n else None,
        }
    out["misses"] = misses
    return out


def evaluate(
    which: Literal["dev", "heldout", "all"] = "all", *, parser: Any = None
) -> dict[str, Any]:
    """Score the geoparser on one split of the gold passages (or on both)."""
    if parser is None:
        from geo.text import ArticleParser

        parser = ArticleParser()
    passages = [p for p in read_passages() if which == "all" or p.split == which]
    return score(passages, parser)


if __name__ == "__main__":
    from geo.text import ArticleParser

    shared = ArticleParser()
    which = sys.argv[1] if len(sys.argv) > 1 else "dev"
    result = evaluate(which, parser=shared)  # type: ignore[arg-type]
    json.dump(result, sys.stdout, indent=1)
    print()
