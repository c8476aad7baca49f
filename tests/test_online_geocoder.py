"""The optional online geocoder against a real HTTP server on 127.0.0.1 answering like Nominatim:
slow, failing and empty answers, retries, the identifying User-Agent and the shared cache."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from _geocode_helpers import FakeNominatim, fake_nominatim, shared_geocoder

from geo.errors import ConfigError, GeocoderServiceError, GeocoderTimedOut
from geo.places.geocode import Geocoder
from geo.places.online import USER_AGENT, OnlineGeocoder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def server() -> Iterator[FakeNominatim]:
    with fake_nominatim(slow_seconds=1.5) as fake:
        yield fake


def online(server: FakeNominatim, cache: Path | None, **options: float) -> OnlineGeocoder:
    settings = {"min_delay_seconds": 0.0, "backoff_seconds": 0.01, "timeout": 5.0, **options}
    return OnlineGeocoder(
        domain=server.domain,
        scheme="http",
        cache_path=cache,
        **settings,  # type: ignore[arg-type]
    )


def test_answer_becomes_a_typed_result_with_country_and_source(
    server: FakeNominatim, tmp_path: Path
) -> None:
    result = online(server, tmp_path / "c.sqlite").geocode("Umm Testin", countries=["SY"])
    assert result.resolved and (result.lat, result.lon) == (34.5, 38.5)
    assert result.country == "SY" and result.source == "nominatim" and result.kind == "village"
    assert 0 < result.confidence < 0.8
    assert server.params[-1]["countrycodes"] == ["sy"]


def test_requests_carry_the_identifying_user_agent(server: FakeNominatim) -> None:
    online(server, None).geocode("Umm Testin")
    assert server.user_agents == [USER_AGENT] and USER_AGENT.startswith("frontline-atlas/")


def test_empty_answer_is_an_unresolved_result_not_an_error(
    server: FakeNominatim, tmp_path: Path
) -> None:
    result = online(server, tmp_path / "c.sqlite").geocode("nothing here")
    assert not result.resolved and "no online result" in (result.reason or "")


def test_429_then_500_are_retried_then_the_answer_is_used(server: FakeNominatim) -> None:
    geocoder = online(server, None)
    result = geocoder.geocode("flaky town")
    assert result.resolved
    assert server.hits["flaky town"] == 3 and geocoder.requests_sent == 3


def test_persistent_500_is_reported_as_a_service_error_after_retries(server: FakeNominatim) -> None:
    with pytest.raises(GeocoderServiceError, match="broken town"):
        online(server, None, max_retries=2).geocode("broken town")
    assert server.hits["broken town"] == 3


def test_slow_answer_times_out_and_is_reported_as_timeout(server: FakeNominatim) -> None:
    with pytest.raises(GeocoderTimedOut, match="slow town") as info:
        online(server, None, timeout=0.2, max_retries=1).geocode("slow town")
    assert isinstance(info.value, TimeoutError)
    assert server.hits["slow town"] == 2


def test_connection_refused_is_a_service_error_not_a_crash() -> None:
    with fake_nominatim() as fake:
        domain = fake.domain
    geocoder = OnlineGeocoder(domain=domain, scheme="http", min_delay_seconds=0.0,
                              backoff_seconds=0.01, max_retries=1, timeout=1.0)  # fmt: skip
    with pytest.raises(GeocoderServiceError):
        geocoder.geocode("Umm Testin")


def test_cached_answer_never_reaches_the_server_twice(
    server: FakeNominatim, tmp_path: Path
) -> None:
    cache = tmp_path / "c.sqlite"
    first = online(server, cache).geocode("Umm Testin")
    again = online(server, cache).geocode("  umm  testin ")  # another instance, same cache
    assert server.hits["Umm Testin"] == 1 and sum(server.hits.values()) == 1
    assert (again.lat, again.lon, again.name) == (first.lat, first.lon, first.name)
    online(server, cache).geocode("nothing here")
    online(server, cache).geocode("nothing here")
    assert server.hits["nothing here"] == 1, "an empty answer is cached too"


def test_errors_are_not_cached(server: FakeNominatim, tmp_path: Path) -> None:
    cache = tmp_path / "c.sqlite"
    for _ in range(2):
        with pytest.raises(GeocoderServiceError):
            online(server, cache, max_retries=0).geocode("broken town")
    assert server.hits["broken town"] == 2


def test_two_processes_share_the_cache(server: FakeNominatim, tmp_path: Path) -> None:
    cache = tmp_path / "shared.sqlite"
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from geo.places.online import OnlineGeocoder
        g = OnlineGeocoder(domain={server.domain!r}, scheme="http", min_delay_seconds=0.0,
                           cache_path=Path({str(cache)!r}))
        for name in sys.argv[1:]:
            print(g.geocode(name).lat, g.requests_sent)
        """
    )
    run = [sys.executable, "-c", script]
    procs = [
        subprocess.Popen(
            [*run, f"Town {i}", "Common town"], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for i in range(2)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert server.hits["Town 0"] == server.hits["Town 1"] == 1
    assert 1 <= server.hits["Common town"] <= 2  # both may race on the very first request
    later = subprocess.run([*run, "Town 0", "Town 1", "Common town"], cwd=ROOT,
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert later.stdout.split()[-1] == "0", "a third process answered everything from the cache"
    assert server.hits["Town 0"] == server.hits["Town 1"] == 1


def test_rate_limit_defaults_to_one_second_for_nominatim_only() -> None:
    assert OnlineGeocoder(provider="nominatim")._min_delay == 1.0
    assert OnlineGeocoder(provider="photon")._min_delay == 0.0


def test_unknown_provider_and_bad_options_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="no-such-geocoder"):
        OnlineGeocoder(provider="no-such-geocoder")
    with pytest.raises(ConfigError, match="-1"):
        OnlineGeocoder(max_retries=-1)


def test_geocoder_asks_online_only_for_names_the_gazetteer_misses(
    server: FakeNominatim, tmp_path: Path
) -> None:
    geocoder = Geocoder(shared_geocoder().gazetteer, online=online(server, tmp_path / "c.sqlite"))
    assert geocoder.geocode("Homs").source == "geonames"
    assert not geocoder.geocode("Hezbollah").resolved
    assert geocoder.geocode("Umm Testin").source == "nominatim"
    assert set(server.hits) == {"Umm Testin"}


def test_online_failure_becomes_an_unresolved_result_with_the_reason(server: FakeNominatim) -> None:
    geocoder = Geocoder(shared_geocoder().gazetteer, online=online(server, None, max_retries=0))
    result = geocoder.geocode("broken town")
    assert not result.resolved and "online geocoder failed" in (result.reason or "")
