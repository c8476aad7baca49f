"""Shared material for the geocoding tests: gold positions, labelled spellings, non-places,
and a real HTTP server on 127.0.0.1 that answers like Nominatim.

Coordinates here are written independently of the gazetteer (rounded true positions), so a
test comparing the two can fail.
"""

from __future__ import annotations

import functools
import json
import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOLERANCE_KM = 10.0


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@functools.lru_cache(maxsize=1)
def shared_geocoder() -> Any:
    """One geocoder for the whole session (the gazetteer from the user cache, built if stale)."""
    from geo.places.geocode import load_geocoder

    return load_geocoder()


# Places named in the sample article (our own list; the article text is not copied):
# query -> (lat, lon, country). Rounded true positions of the town centre / facility.
ARTICLE_POINTS: dict[str, tuple[float, float, str]] = {
    "Al Qaim": (34.39, 40.99, "IQ"),  # Husaybah / Al-Qa'im town, Anbar
    "Al-Qaim border crossing": (34.43, 40.95, "IQ"),
    "Homs": (34.73, 36.72, "SY"),
    "Damascus": (33.51, 36.29, "SY"),
    "Baghdad": (33.32, 44.38, "IQ"),
    "Doha": (25.29, 51.53, "QA"),
    "northern Aleppo": (36.20, 37.16, "SY"),
    "Aleppo": (36.20, 37.16, "SY"),
    "Al-Sukhnah": (34.89, 38.87, "SY"),
    "Deir ez-Zor": (35.33, 40.14, "SY"),
    "Al-Qaryatayn": (34.23, 37.24, "SY"),
    "T-4 airbase": (34.52, 37.63, "SY"),
    "Palmyra": (34.56, 38.27, "SY"),
    "Manbij": (36.53, 37.95, "SY"),
    "Sheikh Maqsud": (36.23, 37.15, "SY"),
    "Ashrafiah": (36.22, 37.14, "SY"),
    "Semilka border crossing": (37.08, 42.36, "SY"),
    "Shehba camp": (36.45, 37.12, "SY"),
    "Tabqa": (35.84, 38.55, "SY"),
    "Raqqa": (35.95, 39.01, "SY"),
}

# Regions of the article: must resolve as regions with a point inside this rough box
# (min_lon, min_lat, max_lon, max_lat).
ARTICLE_REGIONS: dict[str, tuple[tuple[float, float, float, float], str]] = {
    "Anbar province": ((38.8, 30.9, 44.3, 35.0), "IQ"),
    "Anbar": ((38.8, 30.9, 44.3, 35.0), "IQ"),
    "Kurdistan Region": ((42.3, 34.4, 46.4, 37.4), "IQ"),
    "Kurdistan region": ((42.3, 34.4, 46.4, 37.4), "IQ"),
    "eastern Deir ez-Zor province": ((39.0, 33.9, 42.0, 36.1), "SY"),
}

# Labelled spelling variants: canonical place -> (lat, lon, country, [variants]).
VARIANTS: dict[str, tuple[float, float, str, list[str]]] = {
    "Deir ez-Zor": (
        35.33,
        40.14,
        "SY",
        [
            "Deir ez-Zor",
            "Deir al-Zor",
            "Deir el-Zor",
            "Deir ez Zor",
            "Dayr az-Zawr",
            "Deir Ezzor",
            "Deir al-Zour",
            "Dair ez-Zor",
            "Deirezzor",
            "Dayr al-Zur",
        ],
    ),
    "Al-Qaim": (
        34.39,
        40.99,
        "IQ",
        ["Al-Qaim", "El Qaim", "Al Qa'im", "al-Qāʾim", "Qaim", "Alqaim"],
    ),
    "Manbij": (36.53, 37.95, "SY", ["Manbij", "Manbidj", "Menbij", "Minbic", "Manbej"]),
    "Al-Bukamal": (
        34.45,
        40.92,
        "SY",
        ["Abu Kamal", "Al-Bukamal", "Albu Kamal", "Abukamal", "Al Boukamal"],
    ),
    "Raqqa": (35.95, 39.01, "SY", ["Raqqa", "Raqqah", "Ar-Raqqah", "Rakka", "Al-Raqqa", "Reqa"]),
    "Al-Hasakah": (
        36.50,
        40.75,
        "SY",
        ["Hasakah", "Al-Hasakah", "Hassakeh", "Hasaka", "Al Hasakeh", "Hesekê"],
    ),
    "Qamishli": (
        37.05,
        41.23,
        "SY",
        ["Qamishli", "Kamishli", "Al-Qamishli", "Qamishlo", "Kamışlı", "Qamişlo"],
    ),
    "Kobani": (
        36.89,
        38.35,
        "SY",
        ["Kobani", "Kobanî", "Ayn al-Arab", "Ain al-Arab", "Ain al Arab"],
    ),
    "Homs": (34.73, 36.72, "SY", ["Homs", "Hims", "Hums"]),
    "Palmyra": (34.56, 38.27, "SY", ["Palmyra", "Tadmur", "Tadmor"]),
    "Sukhnah": (34.89, 38.87, "SY", ["Sukhnah", "Al-Sukhnah", "As-Sukhnah", "Sukhna", "Assukhnah"]),
    "Qaryatayn": (
        34.23,
        37.24,
        "SY",
        ["Qaryatayn", "Al-Qaryatain", "Al-Qaryatayn", "Karyatein", "Qaryatain"],
    ),
    "Jarabulus": (36.82, 38.01, "SY", ["Jarabulus", "Jarablus", "Cerablus", "Djerablous"]),
    "Tal Abyad": (36.70, 38.95, "SY", ["Tal Abyad", "Tell Abyad", "Tel Abyad", "Girê Spî"]),
    "Ras al-Ayn": (
        36.85,
        40.07,
        "SY",
        ["Ras al-Ayn", "Ras al-Ain", "Ras el-Ain", "Serêkaniyê", "Serekaniye"],
    ),
    "Sheikh Maqsoud": (
        36.23,
        37.15,
        "SY",
        ["Sheikh Maqsoud", "Sheikh Maqsud", "Shaykh Maqsud", "Sheikh Maksoud"],
    ),
    "Ashrafiyah": (
        36.22,
        37.14,
        "SY",
        ["Ashrafiyah", "Ashrafiah", "Ashrafieh", "Achrafieh", "Al-Ashrafiyah"],
    ),
    "Semalka": (37.08, 42.36, "SY", ["Semalka", "Semilka", "Semalka crossing", "Simalka"]),
    "Faysh Khabur": (
        37.07,
        42.38,
        "IQ",
        ["Faysh Khabur", "Fishkhabur", "Peshkhabour", "Pesh Khabur"],
    ),
    "T-4": (34.52, 37.63, "SY", ["T-4", "T4", "T-4 airbase", "Tiyas airbase", "Tiyas"]),
    "Kuweires": (36.19, 37.58, "SY", ["Kuweires", "Kweires", "Kuwayris", "Kuweires airbase"]),
    "Hmeimim": (35.40, 35.95, "SY", ["Hmeimim", "Khmeimim", "Hmeimim airbase", "Humaymim"]),
    "Shahba camp": (36.45, 37.12, "SY", ["Shahba camp", "Shehba camp"]),
    "Al-Hol camp": (36.38, 41.15, "SY", ["Al-Hol camp", "al-Hawl camp", "Al-Hol"]),
    "Tabqa": (35.84, 38.55, "SY", ["Tabqa", "Al-Tabqa", "At-Tabqah", "Tabaqa"]),
    "Maarat al-Numan": (
        35.65,
        36.68,
        "SY",
        ["Maarat al-Numan", "Maaret al-Numan", "Ma'arrat al-Nu'man", "Maarat an-Numan"],
    ),
    "Khan Shaykhun": (35.44, 36.65, "SY", ["Khan Shaykhun", "Khan Sheikhoun", "Khan Sheikhun"]),
    "Saraqib": (35.86, 36.81, "SY", ["Saraqib", "Saraqeb", "Sarakeb"]),
    "Tal Rifaat": (36.47, 37.10, "SY", ["Tal Rifaat", "Tell Rifaat", "Tel Rifat", "Tall Rifat"]),
    "Azaz": (36.59, 37.05, "SY", ["Azaz", "A'zaz", "I'zaz"]),
    "Al-Mayadin": (35.02, 40.45, "SY", ["Mayadin", "Al-Mayadin", "Al-Mayadeen", "Mayadeen"]),
    "Sinjar": (36.32, 41.88, "IQ", ["Sinjar", "Shingal"]),
    "Jisr al-Shughur": (
        35.81,
        36.32,
        "SY",
        ["Jisr al-Shughur", "Jisr ash-Shughur", "Jisr al-Shugur"],
    ),
}

#: Typos that no exact key covers: the fuzzy stage must place them.
TYPOS: dict[str, tuple[float, float]] = {
    "Plamyra": (34.56, 38.27),
    "Damsacus": (33.51, 36.29),
    "Mnabij": (36.53, 37.95),
    "Qaryatyn": (34.23, 37.24),
    "Dier ez-Zor": (35.33, 40.14),
    "Jarabuls": (36.82, 38.01),
    "Khan Shaykhn": (35.44, 36.65),
    "Saraqb": (35.86, 36.81),
    "Sheik Maqsoud": (36.23, 37.15),
    "Hasakha": (36.50, 40.75),
    "Qamishili": (37.05, 41.23),
    "Tal Abayd": (36.70, 38.95),
    "Abu Kmal": (34.45, 40.92),
    "Ras al-Ayen": (36.85, 40.07),
    "Idilb": (35.93, 36.63),
    "Baghadad": (33.32, 44.38),
    "Kuweries": (36.19, 37.58),
    "Qaryatayen": (34.23, 37.24),
}

#: Names that must stay unresolved: people, factions, organisations, media, demonyms, words.
NON_PLACES: list[str] = [
    "Assad", "Bashar al-Assad", "al-Assad", "Jolani", "al-Jolani", "Ahmed al-Sharaa", "Sharaa",
    "Hezbollah", "Hizbollah", "Popular Mobilization Forces", "Popular Mobilisation Forces",
    "Kurdish", "Kurds", "Islamic State", "ISIS", "Daesh", "HTS", "Hayat Tahrir al-Sham", "SDF",
    "Syrian Democratic Forces", "SNA", "Syrian National Army", "Turkish", "Turkey-backed",
    "Iraqi Border Forces", "Reuters", "INA", "Iraqi News Agency", "The New Arab", "KRG",
    "AANES", "Al-Qaeda", "Opposition", "Rebels", "Sunday", "Major General", "Commander-in-Chief",
    "Operation Dawn of Freedom", "Kurdistan Regional Government", "Al Jazeera", "Syria", "Iraq",
    "Huda Center", "Americans", "Shias", "Sunnis", "Prime Minister", "Hayat Tahrir al Sham",
    "Kalamazoo", "Springfield", "Hamas", "Aleppan", "Manbijis", "Homsis", "Raqqawi", "Shabiha",
    "Damascene", "Ceasefire", "Checkpoint", "Operation", "Coalition", "Freedom",
]  # fmt: skip


# ------------------------------------------------------------ fake Nominatim


@dataclass
class FakeNominatim:
    """A ThreadingHTTPServer on 127.0.0.1 answering ``/search`` like Nominatim.

    The query text selects the behaviour: containing ``slow`` -> sleeps ``slow_seconds``;
    ``flaky`` -> HTTP 429 then 500 then a normal answer (per distinct query); ``broken`` ->
    always 500; ``nothing`` -> ``[]``; anything else -> one result at (34.5, 38.5) in Syria.
    """

    slow_seconds: float = 1.0
    hits: Counter[str] = field(default_factory=Counter)
    user_agents: list[str] = field(default_factory=list)
    params: list[dict[str, list[str]]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def domain(self) -> str:
        assert self.server is not None
        return f"127.0.0.1:{self.server.server_address[1]}"

    def answer(self, query: str) -> tuple[int, Any]:
        n = self.hits[query]
        if "slow" in query:
            time.sleep(self.slow_seconds)
        if "broken" in query:
            return 500, {"error": "internal"}
        if "flaky" in query and n == 1:
            return 429, {"error": "rate limited"}
        if "flaky" in query and n == 2:
            return 500, {"error": "internal"}
        if "nothing" in query:
            return 200, []
        return 200, [
            {
                "place_id": 1,
                "lat": "34.5",
                "lon": "38.5",
                "display_name": f"{query}, Homs Governorate, Syria",
                "type": "village",
                "addresstype": "village",
                "importance": 0.3,
                "address": {"village": query, "country": "Syria", "country_code": "sy"},
            }
        ]


@contextmanager
def fake_nominatim(*, slow_seconds: float = 1.0) -> Iterator[FakeNominatim]:
    """Run a :class:`FakeNominatim` for the duration of a ``with`` block."""
    fake = FakeNominatim(slow_seconds=slow_seconds)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = parse_qs(parts.query)
            query = params.get("q", [""])[0]
            fake.hits[query] += 1
            fake.user_agents.append(self.headers.get("User-Agent", ""))
            fake.params.append(params)
            status, body = fake.answer(query)
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
