"""Schedule strings, as written in settings: ``off``, ``every 5m`` (s, m, h, d) or a five-field crontab
(``minute hour day month day-of-week``), all in the jobs' time zone (``jobs_timezone``).

Intervals count from a fixed anchor (midnight of 2000-01-01, local time), not from the moment the server
started: ``every 6h`` fires at 00:00, 06:00, 12:00 and 18:00 in every process, so ``tenderwatch jobs list``
can say when the next run is without asking a running server, and two servers fire at the same instant
(one takes the lock, the other records a skip).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

OFF = "off"
_EVERY = re.compile(r"^every\s+(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_ANCHOR = datetime(2000, 1, 1)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as Asia/Shanghai)") from exc


def trigger(expr: str, timezone: str) -> Any | None:
    """The APScheduler trigger for ``expr``; None when the job is off. ValueError says what is wrong."""
    text = " ".join(expr.strip().lower().split())
    tz = zone(timezone)
    if text == OFF:
        return None
    every = _EVERY.match(text)
    if every is not None:
        amount = int(every.group(1))
        if amount < 1:
            raise ValueError(f"{expr!r}: the interval must be at least 1")
        return IntervalTrigger(
            **{_UNITS[every.group(2)]: amount}, start_date=_ANCHOR.replace(tzinfo=tz), timezone=tz
        )
    fields = text.split(" ")
    if len(fields) != 5:
        raise ValueError(
            f"{expr!r}: write 'off', 'every N' with s, m, h or d (every 5m), "
            "or a crontab of five fields (30 1 * * *)"
        )
    # APScheduler 3 counts weekday 0 as Monday, crontab as Sunday: a number there would silently run the
    # job on the wrong day, so only names (mon-fri) are accepted.
    if re.search(r"\d", fields[4]):
        raise ValueError(f"{expr!r}: write the day of week as names (mon-fri, sun), not numbers")
    try:
        return CronTrigger.from_crontab(text, timezone=tz)
    except ValueError as exc:
        raise ValueError(f"{expr!r}: {exc}") from exc


def next_run(expr: str, timezone: str, now: datetime) -> datetime | None:
    """When the schedule fires next after ``now`` (aware), in the jobs' time zone; None when off."""
    found = trigger(expr, timezone)
    if found is None:
        return None
    after: datetime | None = found.get_next_fire_time(None, now + timedelta(microseconds=1))
    return after
