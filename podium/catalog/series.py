"""Dates for a series of performances, e.g. every Friday in March at 20:00."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_SERIES = 200


def series_dates(*, first: date, last: date, weekdays: set[int]) -> list[date]:
    """Every date from `first` to `last` (inclusive) whose weekday (Mon=0) is in `weekdays`."""
    days = []
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def local_datetime(day: date, at: time, tz_name: str) -> datetime:
    """An aware datetime for a wall-clock time in the house's zone (DST-safe)."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(tz_name))
