"""Optional online geocoding through any geopy geocoder, throttled, retried and cached.

Off by default: the embedded gazetteer answers first and this is the fallback a user turns on
(``--online``). Every answer -- including "nothing found" -- is stored in a SQLite cache (WAL
mode, safe when several processes share it), so a query never reaches the network twice.

Nominatim's usage policy (https://operations.osmfoundation.org/policies/nominatim/) asks for
at most one request per second and an identifying User-Agent; both are the defaults here.

Skipped as a doctest: the example asks the real Nominatim service (network access).

>>> geocoder = OnlineGeocoder(provider="nominatim", cache_path=Path("answers.sqlite"))  # doctest: +SKIP
>>> geocoder.geocode("Al-Qaim", countries=["IQ"]).country                               # doctest: +SKIP
'IQ'
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from geo import __version__
from geo.cache import default_cache_dir
from geo.errors import ConfigError, GeocoderServiceError, GeocoderTimedOut
from geo.places.result import GeocodeResult

__all__ = ["USER_AGENT", "OnlineGeocoder", "default_cache_path"]

logger = logging.getLogger(__name__)

#: The identifying User-Agent sent to every provider.
USER_AGENT = f"frontline-atlas/{__version__}"


def default_cache_path(cache_dir: Path | None = None) -> Path:
    """Where online answers are kept: ``online-geocode.sqlite`` in the cache folder.

    >>> default_cache_path(Path("/tmp/c")).as_posix()
    '/tmp/c/online-geocode.sqlite'
    """
    return Path(cache_dir or default_cache_dir()) / "online-geocode.sqlite"


_ONLINE_CONFIDENCE = 0.6  # an online answer is a plausible match, not a verified one
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    provider TEXT NOT NULL,
    query TEXT NOT NULL,
    countries TEXT NOT NULL,
    answer TEXT NOT NULL,          -- JSON of GeocodeResult.to_dict(); lat null = no result
    fetched_at REAL NOT NULL,
    PRIMARY KEY (provider, query, countries)
)
"""


class _AnswerCache:
    """A tiny persistent key-value store on SQLite; one short connection per operation."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # Readers and one writer at a time, across processes. Switching a new file to WAL needs
        # a lock that SQLite does not wait for: a second process starting at the same moment
        # gets "database is locked" at once, so it retries (the file keeps WAL once set).
        deadline = time.monotonic() + 30.0
        while True:
            con = self._connect()
            try:
                with con:
                    if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                        con.execute("PRAGMA journal_mode=WAL")
                    con.execute(_SCHEMA)
                break
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
            finally:
                con.close()

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self._path, timeout=30.0)
        con.execute("PRAGMA busy_timeout=30000")
        return con

    def get(self, provider: str, query: str, countries: str) -> dict[str, Any] | None:
        con = self._connect()
        try:
            row = con.execute(
                "SELECT answer FROM answers WHERE provider=? AND query=? AND countries=?",
                (provider, query, countries),
            ).fetchone()
        finally:
            con.close()
        return json.loads(row[0]) if row else None

    def put(self, provider: str, query: str, countries: str, answer: dict[str, Any]) -> None:
        con = self._connect()
        try:
            with con:
                con.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                    (provider, query, countries, json.dumps(answer), time.time()),
                )
        finally:
            con.close()


class OnlineGeocoder:
    """Wrap a geopy geocoder: rate limit, timeout, retries with backoff, persistent cache.

    Parameters
    ----------
    provider : str
        A geopy service name (``"nominatim"``, ``"photon"``, ``"arcgis"``...).
    geocoder : geopy geocoder, optional
        An instance to use instead of building one from ``provider`` (tests, API keys).
    domain, scheme : optional
        Passed to the geopy class (a private Nominatim: ``domain="127.0.0.1:8080",
        scheme="http"``).
    timeout : float
        Seconds to wait for one answer.
    min_delay_seconds : float, optional
        Minimum time between two requests; default 1.0 for Nominatim (its policy), else 0.
    max_retries : int
        Retries after a 429, a 5xx, a timeout or a connection failure, with exponential backoff.
    backoff_seconds : float
        First backoff delay (doubled each retry; a 429's ``Retry-After`` is honoured up to 60 s).
    cache_path : Path, optional
        SQLite file for the answers; ``None`` disables the cache.
    user_agent : str
        The identifying User-Agent (default ``frontline-atlas/<version>``).

    Raises
    ------
    ConfigError
        If the provider is unknown or an option is out of range.

    Examples
    --------
    >>> online = OnlineGeocoder(domain="127.0.0.1:8080", scheme="http",
    ...                         min_delay_seconds=0.0, cache_path=None)
    >>> online.provider, online.requests_sent
    ('nominatim', 0)
    """

    def __init__(
        self,
        *,
        provider: str = "nominatim",
        geocoder: Any = None,
        domain: str | None = None,
        scheme: Literal["http", "https"] | None = None,
        timeout: float = 10.0,
        min_delay_seconds: float | None = None,
        max_retries: int = 2,
        backoff_seconds: float = 1.0,
        cache_path: Path | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        if timeout <= 0 or max_retries < 0 or backoff_seconds < 0:
            raise ConfigError(
                f"timeout must be > 0, max_retries and backoff_seconds >= 0; got "
                f"timeout={timeout!r}, max_retries={max_retries!r}, backoff_seconds={backoff_seconds!r}"
            )
        self.provider = provider.lower()
        self._geocoder = (
            geocoder
            if geocoder is not None
            else _build_geocoder(
                self.provider, domain=domain, scheme=scheme, timeout=timeout, user_agent=user_agent
            )
        )
        delay = (
            min_delay_seconds
            if min_delay_seconds is not None
            else (1.0 if self.provider == "nominatim" else 0.0)
        )
        if delay < 0:
            raise ConfigError(f"min_delay_seconds must be >= 0, got {delay!r}")
        self._min_delay = float(delay)
        self._max_retries = int(max_retries)
        self._backoff = float(backoff_seconds)
        self._cache_scope = f"{self.provider}:{domain or ''}"
        self._cache = _AnswerCache(cache_path) if cache_path is not None else None
        self._rate_limited: Callable[..., Any] | None = None
        self._lock = threading.Lock()
        self.requests_sent = 0  # network requests made by this instance (cache hits excluded)
        self.sleep: Callable[[float], None] = time.sleep  # replaceable, like geopy's

    def geocode(self, name: str, *, countries: Sequence[str] | None = None) -> GeocodeResult:
        """Geocode one name online (or from the cache).

        Returns
        -------
        GeocodeResult
            ``source`` is the provider name; unresolved (reason ``"no online result"``) when
            the provider found nothing.

        Raises
        ------
        GeocoderTimedOut
            The provider did not answer in time, after all retries.
        GeocoderServiceError
            The provider kept failing (HTTP 429/5xx, connection refused) or refused the query.
        """
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"a non-empty place name is required, got {name!r}")
        query = " ".join(name.split())
        scope = ",".join(sorted(c.upper() for c in countries)) if countries else ""
        if self._cache is not None:
            cached = self._cache.get(self._cache_scope, query.casefold(), scope)
            if cached is not None:
                return GeocodeResult(**{**cached, "query": name})
        location = self._fetch(query, countries)
        result = self._to_result(name, location)
        if self._cache is not None:
            self._cache.put(self._cache_scope, query.casefold(), scope, result.to_dict())
        return result

    # ------------------------------------------------------------ internals

    def _call(self) -> Callable[..., Any]:
        if self._rate_limited is None:
            from geopy.extra.rate_limiter import RateLimiter

            # Retries are ours (below, with backoff); RateLimiter only spaces the requests.
            self._rate_limited = RateLimiter(
                self._geocoder.geocode,
                min_delay_seconds=self._min_delay,
                max_retries=0,
                swallow_exceptions=False,
            )
        return self._rate_limited

    def _fetch(self, query: str, countries: Sequence[str] | None) -> Any:
        from geopy import exc

        options: dict[str, Any] = {"exactly_one": True}
        if self.provider == "nominatim":
            options["addressdetails"] = True
            if countries:
                options["country_codes"] = [c.lower() for c in countries]
        last: Exception | None = None
        for attempt in range(self._max_retries + 1):
            if attempt:
                wait = self._backoff * 2 ** (attempt - 1)
                retry_after = getattr(last, "retry_after", None)
                if retry_after:
                    wait = max(wait, min(float(retry_after), 60.0))
                logger.info(
                    "online geocoder: retry %d for %r in %.2f s (%s)", attempt, query, wait, last
                )
                self.sleep(wait)
            try:
                with self._lock:
                    self.requests_sent += 1
                    return self._call()(query, **options)
            except (exc.GeocoderRateLimited, exc.GeocoderUnavailable, exc.GeocoderTimedOut) as err:
                last = err
            except exc.GeocoderServiceError as err:
                if not _is_server_error(err):
                    raise GeocoderServiceError(f"{self.provider} refused {query!r}: {err}") from err
                last = err
        if isinstance(last, exc.GeocoderTimedOut):
            raise GeocoderTimedOut(
                f"{self.provider} did not answer {query!r} in time after {self._max_retries + 1} attempts"
            ) from last
        raise GeocoderServiceError(
            f"{self.provider} failed for {query!r} after {self._max_retries + 1} attempts: {last}"
        ) from last

    def _to_result(self, name: str, location: Any) -> GeocodeResult:
        if location is None:
            return GeocodeResult.unresolved(name, f"no online result ({self.provider})")
        raw = location.raw if isinstance(getattr(location, "raw", None), dict) else {}
        address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
        code = address.get("country_code")
        return GeocodeResult(
            query=name,
            name=str(location.address),
            lat=float(location.latitude),  # geopy Location: (latitude, longitude) order
            lon=float(location.longitude),
            country=str(code).upper() if code else None,
            kind=raw.get("addresstype") or raw.get("type"),
            confidence=_ONLINE_CONFIDENCE,
            matched=str(location.address),
            source=self.provider,
            reason="online geocoder answer (not verified against the gazetteer)",
        )


def _is_server_error(err: Exception) -> bool:
    status = getattr(err.__cause__, "status_code", None)
    return status is None or int(status) >= 500


def _build_geocoder(
    provider: str, *, domain: str | None, scheme: str | None, timeout: float, user_agent: str
) -> Any:
    from geopy.exc import GeocoderNotFound
    from geopy.geocoders import get_geocoder_for_service

    try:
        cls = get_geocoder_for_service(provider)
    except GeocoderNotFound as err:
        raise ConfigError(f"unknown online geocoder {provider!r}: {err}") from err
    from geopy.adapters import URLLibAdapter

    # The stdlib adapter: no hidden urllib3 retries, so our retry count and timeouts hold.
    options: dict[str, Any] = {
        "user_agent": user_agent,
        "timeout": timeout,
        "adapter_factory": URLLibAdapter,
    }
    if domain:
        options["domain"] = domain
    if scheme:
        options["scheme"] = scheme
    try:
        return cls(**options)
    except (TypeError, ValueError) as err:
        raise ConfigError(
            f"cannot configure the {provider!r} geocoder with {options}: {err}"
        ) from err
