"""Days: the one place where a date a user gives becomes the day the core works with.

Every date that enters the core (a map date, an event window, a ``valid_from``) is turned into
a midnight, timezone-naive :class:`pandas.Timestamp` here, once, at the boundary; the stages
after it take that day as it is.

>>> as_day("2024-12-08T17:45:00+03:00")
Timestamp('2024-12-08 00:00:00')
"""

from __future__ import annotations

import pandas as pd

from geo.errors import ConfigError

__all__ = ["as_day"]


def as_day(value: object, *, name: str = "date") -> pd.Timestamp:
    """``value`` as a midnight :class:`pandas.Timestamp`; :class:`ConfigError` if not a date.

    Anything :class:`pandas.Timestamp` reads is accepted (``"2024-12-08"``,
    :class:`datetime.date`, a timestamp); a timezone-aware value is converted to UTC first.
    ``name`` is how the value is called in the error message.

    >>> as_day("2024-12-08")
    Timestamp('2024-12-08 00:00:00')
    >>> as_day("8 Dec 2024 at noon", name="end")
    Traceback (most recent call last):
    ...
    geo.errors.ConfigError: end is not a date: '8 Dec 2024 at noon'
    """
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{name} is not a date: {value!r}") from err
    if pd.isna(stamp):
        raise ConfigError(f"{name} is not a date: {value!r}")
    if stamp.tz is not None:
        stamp = stamp.tz_convert(None)
    return stamp.normalize()
