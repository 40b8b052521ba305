"""Working days in mainland China: weekends and public holidays off, adjusted working days (调休) on.

The data comes from the maintained ``holidays`` package (State Council notices, one per year). The
notice for a year is published in November of the year before, so a deadline may run into a year the
package has no arrangement for yet: we then count statutory holidays and weekends only and mark the
deadline *provisional*, so the screen can say it may still move.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from holidays import HolidayBase
from holidays.countries.china import China, ChinaStaticHolidays

BEIJING = timedelta(hours=8)  # China has one time zone and no daylight saving


def local_date(at: datetime) -> date:
    """The Beijing date of a stored (naive UTC) timestamp: deadlines and working days are Beijing dates."""
    return (at + BEIJING).date()


@cache
def published_years() -> frozenset[int]:
    """Years whose State Council arrangement (days off in lieu and adjusted working days) is in the data."""
    years = set(ChinaStaticHolidays.special_public_holidays)
    every = China(years=range(2001, date.today().year + 3))  # type: ignore[no-untyped-call]
    years |= {d.year for d in every.weekend_workdays}
    return frozenset(years)


@cache
def _calendar(year: int) -> HolidayBase:
    return China(years=year)  # type: ignore[no-untyped-call]


def is_working_day(day: date) -> bool:
    return bool(_calendar(day.year).is_working_day(day))


def is_provisional(day: date) -> bool:
    return day.year not in published_years()


def add_working_days(start: date, days: int) -> tuple[date, bool]:
    """The ``days``-th working day after ``start`` (start itself not counted) and whether it is provisional.

    Provisional when any day walked over lies in a year without a published arrangement.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day, provisional, left = start, is_provisional(start), days
    while left:
        day += timedelta(days=1)
        provisional = provisional or is_provisional(day)
        if is_working_day(day):
            left -= 1
    return day, provisional


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later): the inverse
    of ``add_working_days``, for measuring how long a step took."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def add_days(start: date, days: int, unit: str) -> tuple[date, bool]:
    """A deadline in ``working`` or ``calendar`` days; a calendar deadline falling on a day off moves to
    the next working day (as deadlines in Chinese administrative practice do)."""
    if unit == "working":
        return add_working_days(start, days)
    if unit != "calendar":
        raise ValueError(f"unknown deadline unit {unit!r}")
    day = start + timedelta(days=days)
    provisional = is_provisional(day)
    while not is_working_day(day):
        day += timedelta(days=1)
        provisional = provisional or is_provisional(day)
    return day, provisional
