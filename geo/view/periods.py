"""Periods for any span of dates: three days or thirty-five years.

The map date steps by a :data:`Period`, chosen to fit the data's range (:func:`fitting_period`)
or by the user; charts count events per period (:func:`period_floor`); the area chart samples
one day per period (:func:`period_days`) rather than every day of decades.

>>> import datetime as dt
>>> fitting_period(dt.date(2024, 11, 27), dt.date(2024, 12, 15))
'day'
>>> fitting_period(dt.date(1989, 1, 1), dt.date(2024, 12, 31))
'year'
>>> step_date(dt.date(2024, 1, 31), "month", 1)
datetime.date(2024, 2, 29)
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

import pandas as pd

from geo.errors import ConfigError

__all__ = ["PERIODS", "Period", "fitting_period", "period_days", "period_floor", "step_date"]

Period = Literal["day", "week", "month", "year"]
PERIODS: tuple[Period, ...] = get_args(Period)

_FITS: tuple[tuple[int, Period], ...] = ((92, "day"), (731, "week"), (3653, "month"))
"""Up to 92 days: by day; up to two years: by week; up to ten years: by month; else by year."""
_OFFSETS = {"day": "D", "week": "W-MON", "month": "MS", "year": "YS"}


def _period(period: str) -> Period:
    if period not in PERIODS:
        raise ConfigError(f"period {period!r} is not one of {', '.join(PERIODS)}")
    return period  # type: ignore[return-value]


def fitting_period(first: dt.date, last: dt.date) -> Period:
    """The step that fits a range: about 10 to 400 steps from its first to its last day."""
    days = (last - first).days
    return next((period for limit, period in _FITS if days <= limit), "year")


def step_date(day: dt.date, period: str, n: int) -> dt.date:
    """``day`` moved ``n`` periods (calendar months and years; the 31st becomes the month's last).

    >>> step_date(dt.date(2024, 2, 29), "year", -1), step_date(dt.date(2024, 1, 1), "week", 2)
    (datetime.date(2023, 2, 28), datetime.date(2024, 1, 15))
    """
    offset = {"day": pd.DateOffset(days=n), "week": pd.DateOffset(weeks=n),
              "month": pd.DateOffset(months=n), "year": pd.DateOffset(years=n)}[_period(period)]  # fmt: skip
    return (pd.Timestamp(day) + offset).date()


def period_floor(dates: pd.Series, period: str) -> pd.Series:
    """The first day of each date's period (weeks start on Monday), vectorised.

    >>> s = pd.Series(pd.to_datetime(["2024-12-08", "2024-12-31"]))
    >>> period_floor(s, "month").dt.strftime("%Y-%m-%d").tolist()
    ['2024-12-01', '2024-12-01']
    """
    dates = pd.to_datetime(dates)
    period = _period(period)
    if period == "day":
        return dates.dt.normalize()
    if period == "week":
        return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    return dates.dt.to_period("M" if period == "month" else "Y").dt.start_time


def period_days(first: dt.date, last: dt.date, period: str) -> list[dt.date]:
    """One day per period from ``first`` to ``last`` (both included): what a chart samples.

    >>> period_days(dt.date(2020, 3, 5), dt.date(2022, 1, 1), "year")
    [datetime.date(2020, 3, 5), datetime.date(2021, 1, 1), datetime.date(2022, 1, 1)]
    """
    starts = pd.date_range(first, last, freq=_OFFSETS[_period(period)])
    days = sorted({first, *(d.date() for d in starts), last})
    return [d for d in days if first <= d <= last]
