"""The Frontline Atlas error hierarchy: one root, builtin mix-ins.

Catch :class:`GeoError` to handle anything this package raises on purpose;
each subclass also derives from the builtin a caller would naturally expect.

>>> from geo.errors import GeoError, PlaceNotFound
>>> issubclass(PlaceNotFound, LookupError) and issubclass(PlaceNotFound, GeoError)
True
"""

from __future__ import annotations

__all__ = [
    "AnnotationError",
    "AssetError",
    "ConfigError",
    "DataFileError",
    "GeoError",
    "GeocoderServiceError",
    "GeocoderTimedOut",
    "PlaceNotFound",
    "RowNotFound",
    "StoreVersionError",
    "VersionConflict",
]


class GeoError(Exception):
    """Root of every error Frontline Atlas raises on purpose."""


class ConfigError(GeoError, ValueError):
    """An option or environment variable has a value we cannot use."""


class PlaceNotFound(GeoError, LookupError):
    """A place name could not be resolved to coordinates."""


class DataFileError(GeoError, ValueError):
    """A data file cannot be read at all (missing, empty, binary, unknown encoding)."""


class AnnotationError(GeoError, ValueError):
    """Annotations are invalid; ``issues`` lists every ``file:row: reason``."""

    def __init__(self, message: str, issues: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.issues = issues


class AssetError(GeoError, FileNotFoundError):
    """A bundled map asset (Leaflet, plugins, fonts) is missing from the installed packages."""


class GeocoderServiceError(GeoError, RuntimeError):
    """An online geocoder failed (HTTP error, rate limit, bad answer) after retries."""


class GeocoderTimedOut(GeocoderServiceError, TimeoutError):
    """An online geocoder did not answer in time, after retries."""


class VersionConflict(GeoError, RuntimeError):
    """An edit was made against a version of a row that someone else has since changed.

    The message shows both versions; ``expected`` and ``current`` hold their values.
    """

    def __init__(
        self, message: str, *, expected: dict[str, object], current: dict[str, object]
    ) -> None:
        super().__init__(message)
        self.expected = expected
        self.current = current


class StoreVersionError(GeoError, RuntimeError):
    """A store's schema version is unknown to this program (newer, or not ours): not opened."""


class RowNotFound(GeoError, LookupError):
    """No row of the store has this id."""
