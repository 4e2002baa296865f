"""Calendar months as 'YYYY-MM' strings, and the date arithmetic the figures need."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator


def month_of(day: dt.date) -> str:
    """The month a date falls in, as 'YYYY-MM'."""
    return f"{day.year:04d}-{day.month:02d}"


def _parse(month: str) -> tuple[int, int]:
    year, _, mon = month.partition("-")
    parsed = int(year), int(mon)
    if not 1 <= parsed[1] <= 12 or len(month) != 7:
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    return parsed


def first_day(month: str) -> dt.date:
    year, mon = _parse(month)
    return dt.date(year, mon, 1)


def last_day(month: str) -> dt.date:
    year, mon = _parse(month)
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def months_between(first: str, last: str) -> list[str]:
    """Every month from first to last, both included; empty when last is before first."""
    return list(_iter_months(first, last))


def _iter_months(first: str, last: str) -> Iterator[str]:
    year, mon = _parse(first)
    end = _parse(last)
    while (year, mon) <= end:
        yield f"{year:04d}-{mon:02d}"
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, mon = divmod(index, 12)
    return dt.date(year, mon + 1, min(day.day, calendar.monthrange(year, mon + 1)[1]))


def parse_date(value: dt.date | str | None) -> dt.date | None:
    """An ISO date (or the date part of an ISO timestamp) from a payload; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def parse_instant(value: dt.datetime | str) -> dt.datetime:
    """An aware UTC datetime from an envelope's occurred_at; a naive value is taken as UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
