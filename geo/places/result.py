"""The answer of a geocoder for one name: the record both geocoders return.

>>> GeocodeResult.unresolved("Atlantis", "no such place").resolved
False
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["GeocodeResult"]


@dataclass(frozen=True)
class GeocodeResult:
    """The answer for one query; unresolved when ``lat``/``lon`` are ``None``.

    Attributes
    ----------
    query : str
        The name as given.
    name, lat, lon, country, kind : optional
        The place found (WGS84 decimal degrees, ISO2 country), or ``None``.
    confidence : float
        0-1; below ~0.8 means ambiguous or fuzzy, 0 when unresolved.
    matched : str or None
        The gazetteer name or alias that matched.
    source : str or None
        ``"geonames"``, ``"places.csv"``, ``"nominatim"``...
    reason : str or None
        Why the query is unresolved or uncertain, in words.

    Examples
    --------
    >>> r = GeocodeResult(query="Atlantis", name=None, lat=None, lon=None, country=None,
    ...                   kind=None, confidence=0.0, matched=None, source=None)
    >>> r.resolved, r.to_dict()["lat"]
    (False, None)
    """

    query: str
    name: str | None
    lat: float | None
    lon: float | None
    country: str | None
    kind: str | None
    confidence: float
    matched: str | None
    source: str | None
    reason: str | None = None

    @property
    def resolved(self) -> bool:
        """Whether the query was placed (has coordinates)."""
        return self.lat is not None and self.lon is not None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (``query, name, lat, lon, country, kind, confidence,
        source, matched, reason``)."""
        return asdict(self)

    @classmethod
    def unresolved(cls, query: str, reason: str) -> GeocodeResult:
        """Return an unresolved result for ``query`` explaining ``reason``."""
        return cls(query, None, None, None, None, None, 0.0, None, None, reason)
