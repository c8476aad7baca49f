"""One function per benchmark figure, each calling the public functions of :mod:`geo`.

A case returns a :class:`CaseOutput` (figures by JSON key, plus notes) or raises
:class:`~bench.harness.BenchSkipped` when the capability it measures has not landed yet; the
run then reports ``null`` and the reason, never a made-up number.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness import ROOT, BenchSkipped, Timing, run_child, time_call, time_children
from bench.store_cases import STORE_FIGURES, store_100k

__all__ = [
    "CASES",
    "FIGURE_KEYS",
    "GOALS",
    "Case",
    "CaseOutput",
    "Context",
    "Goal",
    "Sizes",
    "mixed_spellings",
]


@dataclass(frozen=True, slots=True)
class Sizes:
    """How big and how often: the full run, or the quick one (optionally scaled down)."""

    geocode: int
    map_small: int
    map_large: int
    dashboard: int
    rss: int
    parquet: int
    control_points: int
    series_dates: int
    repeat: int
    repeat_slow: int
    cold_children: int

    @classmethod
    def for_run(cls, *, quick: bool, scale: float = 1.0) -> Sizes:
        """The sizes of a full or quick run; ``scale`` shrinks the event counts (tests)."""
        base = (
            cls(2_000, 2_000, 50_000, 10_000, 50_000, 50_000, 2_000, 10, 2, 1, 2)
            if quick
            else cls(10_000, 10_000, 1_000_000, 100_000, 1_000_000, 1_000_000, 2_000, 30, 5, 3, 5)
        )
        if scale == 1.0:
            return base

        def shrink(n: int) -> int:
            return max(20, int(n * scale))

        return cls(
            geocode=shrink(base.geocode),
            map_small=shrink(base.map_small),
            map_large=shrink(base.map_large),
            dashboard=shrink(base.dashboard),
            rss=shrink(base.rss),
            parquet=shrink(base.parquet),
            control_points=max(50, int(base.control_points * scale)),
            series_dates=max(2, min(base.series_dates, int(base.series_dates * scale) or 2)),
            repeat=base.repeat,
            repeat_slow=base.repeat_slow,
            cold_children=base.cold_children,
        )


@dataclass
class Context:
    """What cases share within one run: sizes, a scratch folder, generated inputs."""

    sizes: Sizes
    quick: bool
    workdir: Path
    seed: int = 0
    _events: dict[int, Any] = field(default_factory=dict)
    _parquet: dict[int, Path] = field(default_factory=dict)
    _factions: list[Any] = field(default_factory=list)

    def factions(self) -> Any:
        """The bundled factions table (colours for the map), or ``None`` if it cannot load."""
        if not self._factions:
            self._factions.append(_read_factions())
        return self._factions[0]

    def events(self, n: int) -> Any:
        """Synthetic events (cached per size for the run; callers must not mutate them)."""
        if n not in self._events:
            from geo.synth import synthetic_events

            self._events[n] = synthetic_events(n, seed=self.seed)
        return self._events[n]

    def events_parquet(self, n: int) -> Path:
        """A GeoParquet file of ``n`` synthetic events, written once per run."""
        if n not in self._parquet:
            path = self.workdir / f"events_{n}.parquet"
            _write_events(self.events(n), path)
            self._parquet[n] = path
            self._events.pop(n, None)  # the big frames are only needed on disk
        return self._parquet[n]


@dataclass(frozen=True, slots=True)
class CaseOutput:
    """Figures by JSON key, free-text notes and the timings behind each median."""

    values: dict[str, object]
    notes: str = ""
    timings: dict[str, Timing] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Case:
    """A benchmark case: its name, the JSON keys it fills and the function that measures."""

    name: str
    keys: tuple[str, ...]
    run: Callable[[Context], CaseOutput]


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal as the issue states it, and how to check it against the run's figures."""

    text: str
    check: Callable[[dict[str, object]], bool] | None


def _require(module: str, *names: str) -> Any:
    """Import ``module`` and check it defines ``names``; else skip with the reason."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and module.startswith(err.name):
            raise BenchSkipped(f"{module} has not landed yet") from err
        raise
    missing = [name for name in names if not hasattr(mod, name)]
    if missing:
        raise BenchSkipped(f"{module} does not define {', '.join(missing)} yet")
    return mod


def _read_factions() -> Any:
    annotations = _optional("geo.annotations")
    if annotations is None or not hasattr(annotations, "read_factions_file"):
        return None
    factions, _issues = annotations.read_factions_file(ROOT / "data" / "factions.csv")
    return factions if len(factions) else None


def _write_events(events: Any, path: Path) -> None:
    try:
        formats = importlib.import_module("geo.io.formats")
    except ModuleNotFoundError:
        formats = None
    if formats is not None and hasattr(formats, "write_events"):
        formats.write_events(events, path)
    else:
        events.to_parquet(path)


def _html_bytes(fmap: Any) -> int:
    # Both our map and the naive one are rendered the same way: folium's own HTML document,
    # assets linked (not inlined), which is what st_folium and `geo map` start from.
    return len(fmap.get_root().render().encode("utf-8"))


# --- gazetteer and geocoding ----------------------------------------------------------------

_GAZETTEER_CHILD = """
import json, time
t0 = time.perf_counter()
from geo.places.gazetteer import load_gazetteer
t1 = time.perf_counter()
c1 = time.process_time()
load_gazetteer()
c2 = time.process_time()
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "load_cpu_s": c2 - c1}))
"""


def gazetteer_load(ctx: Context) -> CaseOutput:
    """Cold ``load_gazetteer()`` from the Parquet cache, in fresh processes (median)."""
    _require("geo.places.gazetteer", "load_gazetteer")
    run_child(_GAZETTEER_CHILD)  # builds the cache if it is missing; not timed
    loads = time_children(
        _GAZETTEER_CHILD, key="load_s", cpu_key="load_cpu_s", repeat=ctx.sizes.cold_children
    )
    imports = time_children(_GAZETTEER_CHILD, key="import_s", repeat=1)
    return CaseOutput(
        {"gazetteer_load_s": loads.median_s},
        notes=f"{len(loads.runs_s)} fresh processes; import of geo.places.gazetteer "
        f"(not counted) {imports.median_s:.2f} s",
        timings={"gazetteer_load_s": loads},
    )


# Real names in the spellings reports use, and names that are not places at all.
_SPELLINGS = (
    "Deir ez-Zor", "Deir al-Zor", "Dayr az Zawr", "Deir Ezzor", "Der Zor", "Al-Qaim", "El Qaim",
    "Al Qa'im", "Qaim", "Husaybah", "Al-Bukamal", "Abu Kamal", "Albu Kamal", "Boukamal", "Manbij",
    "Manbidj", "Menbic", "Aleppo", "Halab", "Alep", "Homs", "Hims", "Hama", "Hamah", "Idlib",
    "Idleb", "Damascus", "Dimashq", "Raqqa", "Ar-Raqqah", "Rakka", "Latakia", "Lattakia",
    "Al-Ladhiqiyah", "Tartus", "Tartous", "Daraa", "Deraa", "Dar'a", "As-Suwayda", "Sweida",
    "Suwayda", "Palmyra", "Tadmur", "Tadmor", "Qamishli", "Al-Qamishli", "Kamishli", "Qamişlo",
    "Hasakah", "Al-Hasakah", "Hassakeh", "Kobani", "Ayn al-Arab", "Kobanê", "Tell Rifaat",
    "Tal Rifat", "Tell Rif'at", "Al-Bab", "Al Bab", "Azaz", "A'zaz", "Saraqib", "Saraqeb",
    "Maarat al-Numan", "Ma'arrat an-Nu'man", "Khan Shaykhun", "Khan Sheikhoun", "Sinjar", "Shingal",
    "Mosul", "Al-Mawsil", "Erbil", "Arbil", "Hewler", "Ramadi", "Ar-Ramadi", "Rabia", "Rabiaa",
    "Al-Yarubiyah", "Yaroubieh", "Zakho", "Zakhu", "Jisr al-Shughur", "Jisr ash-Shughur",
    "Salamiyah", "Salamieh", "Rastan", "Ar-Rastan", "Douma", "Duma", "Quneitra", "Al-Qunaytirah",
    "Bosra", "Busra al-Sham", "Mayadin", "Al-Mayadeen", "Tabqa", "Al-Thawrah", "Sukhnah",
    "Al-Sukhnah", "Anbar", "Baghdad", "Doha",
)  # fmt: skip
_NON_PLACES = (
    "Assad", "Bashar al-Assad", "Jolani", "Ahmed al-Sharaa", "Hezbollah", "Popular Mobilization Forces",
    "Hayat Tahrir al-Sham", "Syrian Democratic Forces", "Reuters", "Iraqi News Agency", "Sunday",
    "Tuesday", "December", "Border Forces", "Military Operations Command",
)  # fmt: skip
_NON_PLACE_SHARE = 0.1


def _place_names() -> list[str]:
    """Names and aliases of the curated places (more variety for the geocoding benchmark)."""
    import csv

    path = ROOT / "data" / "places.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = [row.get("name") or "" for row in rows]
    names += [alias for row in rows for alias in (row.get("aliases") or "").split(";")]
    return [name.strip() for name in names if name.strip()]


def mixed_spellings(n: int, *, seed: int = 0) -> list[str]:
    """``n`` place queries: real spelling variants with the case, hyphens, articles and letters
    varied the way reports vary them (plus typos), and 10% non-places (people, groups, days).

    Examples
    --------
    >>> names = mixed_spellings(500, seed=1)
    >>> len(names), len(set(names)) > 150
    (500, True)
    """
    rng = random.Random(seed)
    pool = list(_SPELLINGS) + _place_names()

    def vary(name: str) -> str:
        roll = rng.random()
        if roll < 0.15:
            name = name.lower()
        elif roll < 0.25:
            name = name.upper()
        if rng.random() < 0.3:
            name = name.replace("-", " ") if "-" in name else name.replace(" ", "-")
        if rng.random() < 0.2:
            name = name.replace("Al-", "El-").replace("al-", "el-").replace("Al ", "El ")
        if rng.random() < 0.15:
            name = name.replace("ou", "u").replace("ee", "i").replace("ei", "ay")
        if rng.random() < 0.1:
            name = name.replace("a", "aa", 1)
        if rng.random() < 0.1 and name.endswith("a"):
            name += "h"
        if rng.random() < 0.15 and len(name) > 5:  # a typo: two neighbouring letters swapped
            i = rng.randrange(1, len(name) - 2)
            name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if rng.random() < 0.1:
            name = "  " + name + " "
        return name

    return [
        vary(rng.choice(_NON_PLACES if rng.random() < _NON_PLACE_SHARE else pool)) for _ in range(n)
    ]


def geocode_10k(ctx: Context) -> CaseOutput:
    """``Geocoder.geocode_many`` over 10,000 mixed spellings, warm gazetteer (median).

    The geocoder keeps a result cache, so each timed run gets a fresh ``Geocoder`` over the
    same loaded gazetteer: the figure measures matching, not dictionary hits. The time to
    repeat the same names on a warm cache is reported in the notes.
    """
    geocode = _require("geo.places.geocode", "Geocoder")
    gazetteer_module = _require("geo.places.gazetteer", "load_gazetteer")
    gazetteer = gazetteer_module.load_gazetteer()
    names = mixed_spellings(ctx.sizes.geocode, seed=ctx.seed)
    geocoders = iter([geocode.Geocoder(gazetteer) for _ in range(ctx.sizes.repeat + 1)])
    results = next(geocoders).geocode_many(names)  # warm-up: imports, lazy indexes
    timing = time_call(
        lambda: next(geocoders).geocode_many(names), repeat=ctx.sizes.repeat, warmup=0
    )
    warm = geocode.Geocoder(gazetteer)
    warm.geocode_many(names)
    cached = time_call(lambda: warm.geocode_many(names), repeat=ctx.sizes.repeat, warmup=0)
    resolved = sum(1 for r in results if getattr(r, "lat", None) is not None)
    return CaseOutput(
        {"geocode_10k_s": timing.median_s},
        notes=f"{len(names)} queries, {len(set(names))} distinct, {resolved} resolved; "
        f"fresh geocoder per run; same names again on a warm result cache "
        f"{cached.median_s * 1000:.0f} ms",
        timings={"geocode_10k_s": timing},
    )


# --- geoparsing -----------------------------------------------------------------------------

ARTICLE = ROOT / "tests" / "fixtures" / "articles" / "sample_paraphrase.txt"
ARTICLE_GOLD = ROOT / "tests" / "fixtures" / "articles" / "sample_paraphrase.gold.json"


def geoparse_article(ctx: Context) -> CaseOutput:
    """Warm ``geo.text.geoparse`` of the sample-article paraphrase (median)."""
    geoparse = _require("geo.text", "geoparse", "ArticleParser")
    if not ARTICLE.exists():
        raise BenchSkipped(f"{ARTICLE.relative_to(ROOT)} is missing")
    text = ARTICLE.read_text(encoding="utf-8")
    published = None
    if ARTICLE_GOLD.exists():
        stated = json.loads(ARTICLE_GOLD.read_text(encoding="utf-8")).get("published")
        published = datetime.date.fromisoformat(stated) if stated else None
    parser = geoparse.ArticleParser()  # loads the gazetteer and geocoder once
    parsed = geoparse.geoparse(text, published=published, parser=parser)
    timing = time_call(
        lambda: geoparse.geoparse(text, published=published, parser=parser),
        repeat=max(5, ctx.sizes.repeat * 4),
        warmup=1,
    )
    found = len(getattr(parsed, "places", ()))
    return CaseOutput(
        {"geoparse_article_s": timing.median_s},
        notes=f"{len(text)} characters, {found} place mentions; reused ArticleParser",
        timings={"geoparse_article_s": timing},
    )


def geoparse_quality(ctx: Context) -> CaseOutput:
    """Recall and precision of our geoparser and of geotext on the labelled paragraphs."""
    try:
        module = importlib.import_module("bench.geoparse_quality")
    except ModuleNotFoundError as err:
        raise BenchSkipped("bench/geoparse_quality.py has not landed yet") from err
    if not hasattr(module, "compare_with_geotext"):
        raise BenchSkipped("bench.geoparse_quality does not define compare_with_geotext yet")
    quality = module.compare_with_geotext()
    return CaseOutput({"geoparse_quality": _jsonable(quality)})


#: The held-out figures of ``bench.geoparse_world``: JSON key -> (group, figure).
WORLD_FIGURES: dict[str, tuple[str, str]] = {
    "geoparse_world_detection": ("all", "detection"),
    "geoparse_world_placed_161km": ("all", "placed_161km"),
    "geoparse_world_end_to_end": ("all", "end_to_end"),
    "geoparse_world_syria_iraq_end_to_end": ("theatre", "end_to_end"),
}


def geoparse_world(ctx: Context) -> CaseOutput:
    """Detection and resolution anywhere in the world, on our own gold passages (held-out)."""
    world = _require("bench.geoparse_world", "evaluate")
    text = _require("geo.text", "ArticleParser")
    parser = text.ArticleParser()
    dev, held = (world.evaluate(split, parser=parser) for split in ("dev", "heldout"))

    def line(result: dict[str, Any]) -> str:
        a, t = result["all"], result["theatre"]
        return (
            f"{a['mentions']} mentions: detection {a['detection']:.1%}, placed within 161 km "
            f"{a['placed_161km']:.1%}, end to end {a['end_to_end']:.1%}; Syria/Iraq "
            f"{t['mentions']}: detection {t['detection']:.1%}, end to end {t['end_to_end']:.1%}"
        )

    figures = {key: held[group][name] for key, (group, name) in WORLD_FIGURES.items()}
    return CaseOutput(figures, notes=f"held-out {line(held)}; dev {line(dev)}")


def _articles_of(words: int) -> list[str]:
    """Texts of about ``words`` words each, from our own passages and paragraphs."""
    world = _require("bench.geoparse_world", "read_passages")
    pieces = [p.text for p in world.read_passages()]
    for name in ("wire_paragraphs.json", "heldout_paragraphs.json"):
        path = ARTICLE.parent / name
        if path.exists():
            pieces += [p["text"] for p in json.loads(path.read_text(encoding="utf-8"))]
    articles, current = [], []
    for piece in pieces:
        current.append(piece)
        if sum(len(c.split()) for c in current) >= words:
            articles.append("\n\n".join(current))
            current = []
    return articles


def geoparse_1000_words(ctx: Context) -> CaseOutput:
    """Seconds per 1,000 words of a new article, the parser loaded and used once before."""
    text = _require("geo.text", "ArticleParser")
    runs, cpu, mentions = [], [], 0
    articles = _articles_of(1000)
    for _ in range(max(1, ctx.sizes.repeat)):  # a fresh parser per round: no answer cached
        parser = text.ArticleParser()
        # The first article, not timed, and a misspelt name (which builds the fuzzy pools).
        parser.parse(ARTICLE.read_text(encoding="utf-8"))
        parser.geocoder.geocode("Qamishlix")
        for article in articles:
            words = len(article.split())
            wall0, cpu0 = time.perf_counter(), time.process_time()
            mentions = len(parser.parse(article).places)
            runs.append((time.perf_counter() - wall0) * 1000 / words)
            cpu.append((time.process_time() - cpu0) * 1000 / words)
    timing = Timing(statistics.median(runs), tuple(runs), 1, tuple(cpu))
    return CaseOutput(
        {"geoparse_1000_words_s": timing.median_s},
        notes=f"{len(articles)} articles of ~1,000 words never parsed before, {len(runs)} runs "
        f"(a fresh parser per round), {mentions} place mentions in the last; CPU "
        f"{timing.cpu_median_s * 1000:.1f} ms per 1,000 words",
        timings={"geoparse_1000_words_s": timing},
    )


_PARSER_CHILD = """
import json, time
t0 = time.perf_counter()
from geo.text import ArticleParser
t1 = time.perf_counter()
c1 = time.process_time()
ArticleParser().parse("Officials in Washington and Ankara said Syrian troops left Manbij.")
c2 = time.process_time()
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "start_s": t2 - t1, "start_cpu_s": c2 - c1}))
"""


def geoparse_cold_start(ctx: Context) -> CaseOutput:
    """A fresh process's ``ArticleParser()`` and first parse, disk caches warm (median)."""
    _require("geo.text", "ArticleParser")
    run_child(_PARSER_CHILD)  # builds the caches if they are missing; not timed
    starts = time_children(
        _PARSER_CHILD, key="start_s", cpu_key="start_cpu_s", repeat=ctx.sizes.cold_children
    )
    imports = time_children(_PARSER_CHILD, key="import_s", repeat=1)
    return CaseOutput(
        {"geoparse_cold_start_s": starts.median_s},
        notes=f"{len(starts.runs_s)} fresh processes; import of geo.text (not counted) "
        f"{imports.median_s:.2f} s",
        timings={"geoparse_cold_start_s": starts},
    )


def _jsonable(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


# --- control areas and frontlines -----------------------------------------------------------

_CONTROL_DATE = "2024-11-26"


def control_2000(ctx: Context) -> CaseOutput:
    """Areas and frontlines for one date from 2,000 control points (median)."""
    control = _require("geo.territory", "control_snapshot")
    from geo.synth import synthetic_control

    points = synthetic_control(ctx.sizes.control_points, seed=ctx.seed, date=_CONTROL_DATE)
    timing = time_call(
        lambda: control.control_snapshot(points, date=_CONTROL_DATE),
        repeat=ctx.sizes.repeat,
        warmup=1,
    )
    return CaseOutput(
        {"control_2000_s": timing.median_s},
        notes=f"{len(points)} control points, {points['faction'].nunique()} factions",
        timings={"control_2000_s": timing},
    )


def control_series_30(ctx: Context) -> CaseOutput:
    """``geo.territory.area_series`` over 30 dates on the 2,000-point layout (median)."""
    control = _require("geo.territory", "area_series")
    import pandas as pd

    from geo.synth import synthetic_control

    n_dates = ctx.sizes.series_dates
    baseline = pd.Timestamp(_CONTROL_DATE)
    start = baseline + pd.Timedelta(days=1)
    end = baseline + pd.Timedelta(days=n_dates)
    # 20% of the places change hands during the window, so the territory moves.
    points = synthetic_control(
        ctx.sizes.control_points, seed=ctx.seed, date=baseline, changes=0.2, change_days=n_dates
    )
    timing = time_call(
        lambda: control.area_series(points, start=start, end=end),
        repeat=ctx.sizes.repeat_slow,
        warmup=0,
    )
    return CaseOutput(
        {"control_series_30_s": timing.median_s},
        notes=f"{n_dates} dates, {ctx.sizes.control_points} places, "
        f"{len(points) - ctx.sizes.control_points} changes of hands in the window",
        timings={"control_series_30_s": timing},
    )


# --- maps -----------------------------------------------------------------------------------


def map_10k(ctx: Context) -> CaseOutput:
    """Our ``build_map(events=...)`` + render vs the naive CircleMarker map, same run."""
    from bench.naive import naive_event_map

    events = ctx.events(ctx.sizes.map_small)
    sizes: list[int] = []  # HTML size of every timed build (all equal: the maps are seeded)
    naive = time_call(
        lambda: sizes.append(_html_bytes(naive_event_map(events))),
        repeat=ctx.sizes.repeat_slow,
        warmup=0,
    )
    naive_bytes = sizes[-1]
    values: dict[str, object] = {
        "naive_map_10k_s": naive.median_s,
        "naive_map_10k_html_bytes": naive_bytes,
    }
    timings = {"naive_map_10k_s": naive}
    try:
        mapping = _require("geo.maps.build", "build_map")
        factions = ctx.factions()
        ours = time_call(
            lambda: sizes.append(_html_bytes(mapping.build_map(events=events, factions=factions))),
            repeat=ctx.sizes.repeat,
            warmup=1,
        )
        ours_bytes = sizes[-1]
    except Exception as err:  # noqa: BLE001 - the baseline's figures still stand
        reason = (
            str(err) if isinstance(err, BenchSkipped) else f"failed: {type(err).__name__}: {err}"
        )
        return CaseOutput(
            values,
            notes=f"{len(events)} events",
            timings=timings,
            skipped={"map_10k_s": reason, "map_10k_html_bytes": reason},
        )
    values |= {"map_10k_s": ours.median_s, "map_10k_html_bytes": ours_bytes}
    timings["map_10k_s"] = ours
    return CaseOutput(
        values,
        notes=f"{len(events)} events; {naive.median_s / ours.median_s:.1f}x faster, "
        f"{naive_bytes / ours_bytes:.1f}x smaller",
        timings=timings,
    )


_FILTER_WINDOW = ("2024-12-01", "2024-12-10")


def _filtered(filters: Any, events: Any) -> Any:
    return filters.filter_events(events, start=_FILTER_WINDOW[0], end=_FILTER_WINDOW[1])


def map_1m(ctx: Context) -> CaseOutput:
    """``filter_events`` + ``build_map`` + render over 1,000,000 loaded events (median)."""
    mapping = _require("geo.maps.build", "build_map")
    filters = _require("geo.view.filters", "filter_events")
    events = ctx.events(ctx.sizes.map_large)

    def run() -> int:
        shown = _filtered(filters, events)
        return _html_bytes(mapping.build_map(events=shown, factions=ctx.factions()))

    size = run()
    timing = time_call(run, repeat=ctx.sizes.repeat_slow, warmup=0)
    shown = len(_filtered(filters, events))
    return CaseOutput(
        {"map_1m_s": timing.median_s, "map_1m_html_bytes": size},
        notes=f"{len(events)} events, {shown} in the window {_FILTER_WINDOW[0]}..{_FILTER_WINDOW[1]}",
        timings={"map_1m_s": timing},
    )


_RSS_CHILD = """
import json
from geo.view.filters import filter_events
from geo.maps.build import build_map
from bench.cases import _load_events
events = _load_events({path!r})
shown = filter_events(events, start={start!r}, end={end!r})
html = build_map(events=shown).get_root().render()
print(json.dumps({{"rows": len(events), "shown": len(shown), "html_bytes": len(html.encode())}}))
"""


def _load_events(path: str | Path) -> Any:
    """Read events from GeoParquet through the project's reader when it exists."""
    try:
        formats = importlib.import_module("geo.io.formats")
    except ModuleNotFoundError:
        formats = None
    if formats is not None and hasattr(formats, "read_events"):
        return formats.read_events(path)
    import geopandas as gpd

    return gpd.read_parquet(path)


def peak_rss_1m(ctx: Context) -> CaseOutput:
    """Peak RSS of a fresh process that loads, filters and maps 1,000,000 events."""
    _require("geo.maps.build", "build_map")
    _require("geo.view.filters", "filter_events")
    path = ctx.events_parquet(ctx.sizes.rss)
    code = _RSS_CHILD.format(path=str(path), start=_FILTER_WINDOW[0], end=_FILTER_WINDOW[1])
    result = run_child(code, timeout_s=600)
    return CaseOutput(
        {"peak_rss_1m_mb": round(result.peak_rss_mb, 1)},
        notes=f"{result.payload['rows']} events read from GeoParquet, {result.payload['shown']} "
        f"shown; child wall {result.wall_s:.1f} s",
    )


def parquet_load_1m(ctx: Context) -> CaseOutput:
    """Reading 1,000,000 events from GeoParquet (median, file in the OS cache)."""
    path = ctx.events_parquet(ctx.sizes.parquet)
    timing = time_call(lambda: _load_events(path), repeat=ctx.sizes.repeat_slow, warmup=1)
    reader = (
        "geo.io.formats.read_events"
        if hasattr(_optional("geo.io.formats"), "read_events")
        else "geopandas.read_parquet"
    )
    return CaseOutput(
        {"parquet_load_1m_s": timing.median_s},
        notes=f"{ctx.sizes.parquet} events, {path.stat().st_size / 1e6:.0f} MB file, via {reader}",
        timings={"parquet_load_1m_s": timing},
    )


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        return None


# --- dashboard ------------------------------------------------------------------------------

DASHBOARD = ROOT / "streamlit_app.py"
DASHBOARD_EVENTS_ENV = "FRONTLINE_EVENTS_PARQUET"


def dashboard_rerun_100k(ctx: Context) -> CaseOutput:
    """A faction-filter change with 100,000 events loaded, through ``AppTest`` (median)."""
    if not DASHBOARD.exists():
        raise BenchSkipped("streamlit_app.py has not landed yet")
    sources = [DASHBOARD, *sorted((ROOT / "ui").glob("*.py"))]
    if not any(DASHBOARD_EVENTS_ENV in p.read_text(encoding="utf-8") for p in sources):
        raise BenchSkipped(
            f"the dashboard has no {DASHBOARD_EVENTS_ENV} hook to load a large events file yet"
        )
    from streamlit.testing.v1 import AppTest

    path = ctx.events_parquet(ctx.sizes.dashboard)
    # Offline, as in the tests and CI: no tile server, the Natural Earth basemap instead.
    overrides = {DASHBOARD_EVENTS_ENV: str(path), "FRONTLINE_OFFLINE": "1"}
    previous = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        app = AppTest.from_file(str(DASHBOARD), default_timeout=300)
        app.run()
        if app.exception:
            raise BenchSkipped(f"the dashboard raised: {app.exception[0].message}")
        keyed = [w for w in app.multiselect if w.key == "factions"]
        widget = keyed[0] if keyed else (app.sidebar.multiselect or [None])[0]
        if widget is None:
            raise BenchSkipped("the dashboard has no faction multiselect in the sidebar yet")
        key = widget.key
        options = list(widget.options)
        selections = [options[: max(1, len(options) // 2)], options]

        def rerun(index: list[int] = [0]) -> None:  # noqa: B006 - a counter across calls
            app.multiselect(key=key).set_value(selections[index[0] % 2])
            index[0] += 1
            app.run()

        timing = time_call(rerun, repeat=ctx.sizes.repeat, warmup=1)
        if app.exception:
            raise BenchSkipped(f"the dashboard raised on rerun: {app.exception[0].message}")
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return CaseOutput(
        {"dashboard_rerun_100k_s": timing.median_s},
        notes=f"{ctx.sizes.dashboard} events, FRONTLINE_OFFLINE=1; faction filter toggled between "
        f"{len(selections[0])} and {len(selections[1])} factions",
        timings={"dashboard_rerun_100k_s": timing},
    )


def dashboard_cold_start(ctx: Context) -> CaseOutput:
    """``streamlit run`` to the first map in headless Chromium, bundled data (median)."""
    from bench.coldstart import measure_cold_start

    runs = measure_cold_start(repeat=ctx.sizes.cold_children)
    timing = Timing(runs.median_launch_s, runs.launch_to_map_s, 1, ())
    return CaseOutput(
        {"dashboard_cold_start_s": runs.median_launch_s},
        notes=f"fresh server and page each run, FRONTLINE_OFFLINE=1, disk caches warm; "
        f"map painted, by the browser's clock; page open to map {runs.median_page_s:.2f} s "
        f"(median of {len(runs.page_to_map_s)}); Playwright saw the map "
        f"{runs.median_detected_s:.2f} s after launch; first visit once the warm-up has "
        f"ended: page open to map {runs.median_warm_page_s:.2f} s",
        timings={"dashboard_cold_start_s": timing},
    )


# --- the full UCDP GED at its real size --------------------------------------------------------

UCDP_EVENTS = 385_000
"""Events in UCDP GED 24.1 (1989-2023, every continent); the synthetic file has as many."""

_UCDP_IMPORT_CHILD = """
import json, time
t = time.perf_counter()
from geo.cli import main
code = main(["import", "ucdp", {source!r}, "--out", {out!r}])
print(json.dumps({{"seconds": time.perf_counter() - t, "code": code}}))
"""


def _ucdp_folder(ctx: Context) -> tuple[Path, Path]:
    """The synthetic GED CSV (49 columns, 1989-2024) and the folder ``geo import`` fills."""
    n = max(1_000, int(UCDP_EVENTS * (ctx.sizes.rss / 1_000_000)))
    source = ctx.workdir / f"ged_{n}.csv"
    folder = ctx.workdir / f"ucdp_{n}"
    if not source.exists():
        from geo.synth.layouts import synthetic_ucdp_ged

        synthetic_ucdp_ged(n, seed=ctx.seed).to_csv(source, index=False)
    folder.mkdir(exist_ok=True)
    return source, folder


def ucdp_import(ctx: Context) -> CaseOutput:
    """``python -m geo import ucdp`` of the full-size GED layout in a fresh process."""
    source, folder = _ucdp_folder(ctx)
    code = _UCDP_IMPORT_CHILD.format(source=str(source), out=str(folder / "events.csv"))
    result = run_child(code, timeout_s=900)
    if result.payload["code"] != 0:
        raise BenchSkipped(f"the import exited {result.payload['code']}")
    rows = sum(1 for _ in (folder / "events.csv").open(encoding="utf-8")) - 1
    return CaseOutput(
        {
            "ucdp_import_385k_s": round(float(result.payload["seconds"]), 2),
            "ucdp_import_peak_rss_mb": round(result.peak_rss_mb, 1),
        },
        notes=f"{rows} events from a {source.stat().st_size / 1e6:.0f} MB, 49-column GED CSV "
        f"(geo.synth.layouts.synthetic_ucdp_ged), factions grouped; child wall "
        f"{result.wall_s:.1f} s",
    )


def ucdp_dashboard(ctx: Context) -> CaseOutput:
    """The dashboard on the imported GED folder: cold start (browser) and a filter rerun."""
    from streamlit.testing.v1 import AppTest

    _, folder = _ucdp_folder(ctx)
    if not (folder / "events.csv").exists():
        ucdp_import(ctx)
    overrides = {"FRONTLINE_DATA_DIR": str(folder), "FRONTLINE_OFFLINE": "1"}
    previous = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        app = AppTest.from_file(str(DASHBOARD), default_timeout=900)
        started = time.perf_counter()
        app.run()  # fills the disk caches (atlas, snapshot, base map) as a first launch would
        first_s = time.perf_counter() - started
        if app.exception:
            raise BenchSkipped(f"the dashboard raised: {app.exception[0].message}")
        options = list(app.sidebar.multiselect(key="factions").options)
        selections = [options[: max(1, len(options) // 2)], options]

        def rerun(index: list[int] = [0]) -> None:  # noqa: B006 - a counter across calls
            app.sidebar.multiselect(key="factions").set_value(selections[index[0] % 2])
            index[0] += 1
            app.run()

        timing = time_call(rerun, repeat=ctx.sizes.repeat, warmup=1)
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    values: dict[str, object] = {"ucdp_dashboard_rerun_385k_s": timing.median_s}
    skipped: dict[str, str] = {}
    notes = f"{len(options)} factions; first AppTest run (empty disk caches) {first_s:.1f} s"
    if ctx.quick:
        for key in ("ucdp_dashboard_cold_start_s", "ucdp_dashboard_peak_rss_mb"):
            skipped[key] = "not in a quick run (eleven server launches)"
    else:
        try:
            from bench.coldstart import measure_cold_start

            runs = measure_cold_start(repeat=ctx.sizes.cold_children, env=overrides)
            values["ucdp_dashboard_cold_start_s"] = runs.median_launch_s
            notes += f"; cold start page open to map {runs.median_page_s:.2f} s"
            if runs.median_server_cpu_s is not None:
                notes += f", server CPU to the map {runs.median_server_cpu_s:.2f} s"
            if runs.max_peak_rss_mb is None:
                skipped["ucdp_dashboard_peak_rss_mb"] = "no /proc to read the server's RSS from"
            else:
                values["ucdp_dashboard_peak_rss_mb"] = round(runs.max_peak_rss_mb, 1)
                notes += (
                    f"; peak RSS = the largest of {len(runs.peak_rss_mb)} servers' (streamlit and "
                    "its children), whole page drawn and warm-up ended"
                )
        except (BenchSkipped, RuntimeError) as err:
            for key in ("ucdp_dashboard_cold_start_s", "ucdp_dashboard_peak_rss_mb"):
                skipped[key] = f"{type(err).__name__}: {err}"[:500]
    return CaseOutput(
        values,
        notes=notes,
        timings={"ucdp_dashboard_rerun_385k_s": timing},
        skipped=skipped,
    )


# --- registry -------------------------------------------------------------------------------

CASES: tuple[Case, ...] = (
    Case("gazetteer_load", ("gazetteer_load_s",), gazetteer_load),
    Case("geocode_10k", ("geocode_10k_s",), geocode_10k),
    Case("geoparse_article", ("geoparse_article_s",), geoparse_article),
    Case("geoparse_quality", ("geoparse_quality",), geoparse_quality),
    Case("geoparse_world", tuple(WORLD_FIGURES), geoparse_world),
    Case("geoparse_1000_words", ("geoparse_1000_words_s",), geoparse_1000_words),
    Case("geoparse_cold_start", ("geoparse_cold_start_s",), geoparse_cold_start),
    Case("control_2000", ("control_2000_s",), control_2000),
    Case("control_series_30", ("control_series_30_s",), control_series_30),
    Case(
        "map_10k",
        ("map_10k_s", "naive_map_10k_s", "map_10k_html_bytes", "naive_map_10k_html_bytes"),
        map_10k,
    ),
    Case("map_1m", ("map_1m_s", "map_1m_html_bytes"), map_1m),
    Case("dashboard_rerun_100k", ("dashboard_rerun_100k_s",), dashboard_rerun_100k),
    Case("dashboard_cold_start", ("dashboard_cold_start_s",), dashboard_cold_start),
    Case("peak_rss_1m", ("peak_rss_1m_mb",), peak_rss_1m),
    Case("parquet_load_1m", ("parquet_load_1m_s",), parquet_load_1m),
    Case("ucdp_import", ("ucdp_import_385k_s", "ucdp_import_peak_rss_mb"), ucdp_import),
    Case(
        "ucdp_dashboard",
        (
            "ucdp_dashboard_cold_start_s",
            "ucdp_dashboard_rerun_385k_s",
            "ucdp_dashboard_peak_rss_mb",
        ),
        ucdp_dashboard,
    ),
    Case("store_100k", STORE_FIGURES, store_100k),
)
FIGURE_KEYS: tuple[str, ...] = tuple(key for case in CASES for key in case.keys)


def _le(key: str, limit: float) -> Callable[[dict[str, object]], bool]:
    return lambda r: r.get(key) is not None and float(r[key]) <= limit  # type: ignore[arg-type]


def _ge(key: str, limit: float) -> Callable[[dict[str, object]], bool]:
    return lambda r: r.get(key) is not None and float(r[key]) >= limit  # type: ignore[arg-type]


def _ratio(slow: str, fast: str, factor: float) -> Callable[[dict[str, object]], bool]:
    def check(r: dict[str, object]) -> bool:
        if r.get(slow) is None or r.get(fast) is None:
            return False
        return float(r[slow]) >= factor * float(r[fast])  # type: ignore[arg-type]

    return check


GOALS: dict[str, Goal] = {
    "gazetteer_load_s": Goal("≤ 0.5 s (cold)", _le("gazetteer_load_s", 0.5)),
    "geocode_10k_s": Goal("≤ 1 s", _le("geocode_10k_s", 1.0)),
    "geoparse_article_s": Goal("≤ 0.05 s", _le("geoparse_article_s", 0.05)),
    "geoparse_quality": Goal("recall and precision vs geotext", None),
    "geoparse_world_detection": Goal("≥ 80% (held-out)", _ge("geoparse_world_detection", 0.80)),
    "geoparse_world_placed_161km": Goal(
        "≥ 85% of detected (held-out)", _ge("geoparse_world_placed_161km", 0.85)
    ),
    "geoparse_world_end_to_end": Goal("≥ 70% (held-out)", _ge("geoparse_world_end_to_end", 0.70)),
    "geoparse_world_syria_iraq_end_to_end": Goal(
        "≥ 90% (held-out)", _ge("geoparse_world_syria_iraq_end_to_end", 0.90)
    ),
    "geoparse_1000_words_s": Goal("≤ 0.05 s", _le("geoparse_1000_words_s", 0.05)),
    "geoparse_cold_start_s": Goal("≤ 1 s (cold)", _le("geoparse_cold_start_s", 1.0)),
    "control_2000_s": Goal("≤ 0.3 s", _le("control_2000_s", 0.3)),
    "control_series_30_s": Goal("≤ 5 s", _le("control_series_30_s", 5.0)),
    "map_10k_s": Goal("≥ 20× faster than naive", _ratio("naive_map_10k_s", "map_10k_s", 20)),
    "naive_map_10k_s": Goal("(baseline)", None),
    "map_10k_html_bytes": Goal(
        "≥ 5× smaller than naive", _ratio("naive_map_10k_html_bytes", "map_10k_html_bytes", 5)
    ),
    "naive_map_10k_html_bytes": Goal("(baseline)", None),
    "map_1m_s": Goal("≤ 3 s", _le("map_1m_s", 3.0)),
    "map_1m_html_bytes": Goal("≤ 5 MB", _le("map_1m_html_bytes", 5_000_000)),
    "dashboard_rerun_100k_s": Goal("≤ 1 s", _le("dashboard_rerun_100k_s", 1.0)),
    "dashboard_cold_start_s": Goal("≤ 5 s", _le("dashboard_cold_start_s", 5.0)),
    "peak_rss_1m_mb": Goal("≤ 2 GB (2048 MB)", _le("peak_rss_1m_mb", 2048)),
    "parquet_load_1m_s": Goal("≤ 2 s", _le("parquet_load_1m_s", 2.0)),
    "ucdp_import_385k_s": Goal("≤ 30 s", _le("ucdp_import_385k_s", 30.0)),
    "ucdp_import_peak_rss_mb": Goal("≤ 2 GB (2048 MB)", _le("ucdp_import_peak_rss_mb", 2048)),
    "ucdp_dashboard_cold_start_s": Goal("≤ 5 s", _le("ucdp_dashboard_cold_start_s", 5.0)),
    "ucdp_dashboard_rerun_385k_s": Goal("≤ 1 s", _le("ucdp_dashboard_rerun_385k_s", 1.0)),
    "ucdp_dashboard_peak_rss_mb": Goal("≤ 2 GB (2048 MB)", _le("ucdp_dashboard_peak_rss_mb", 2048)),
    "store_import_100k_s": Goal("≤ 10 s", _le("store_import_100k_s", 10.0)),
    "file_load_100k_s": Goal("the reference of the cold load", None),
    "store_cold_load_100k_s": Goal(
        "≤ 1 s more than file_load_100k_s",
        lambda r: (
            r.get("store_cold_load_100k_s") is not None
            and float(r["store_cold_load_100k_s"]) <= float(r["file_load_100k_s"]) + 1.0
        ),  # type: ignore[arg-type]
    ),
    "store_warm_load_100k_s": Goal("(materialised atlas on disk)", None),
    "store_edit_ms": Goal("≤ 50 ms", _le("store_edit_ms", 50.0)),
    "store_review_ms": Goal("≤ 50 ms", _le("store_review_ms", 50.0)),
    "postgis_import_100k_s": Goal("≤ 10 s", _le("postgis_import_100k_s", 10.0)),
    "postgis_cold_load_100k_s": Goal(
        "≤ 1 s more than file_load_100k_s",
        lambda r: (
            r.get("postgis_cold_load_100k_s") is not None
            and float(r["postgis_cold_load_100k_s"]) <= float(r["file_load_100k_s"]) + 1.0
        ),  # type: ignore[arg-type]
    ),
    "postgis_edit_ms": Goal("≤ 50 ms", _le("postgis_edit_ms", 50.0)),
    "postgis_review_ms": Goal("≤ 50 ms", _le("postgis_review_ms", 50.0)),
}
