"""Dates as Scoop.it prints them, and the publication dates given to imported scoops.

A saved page writes "March 30, 2015 4:10 PM", and for the current year only "February 7, 1:02 PM";
the year of such a date has to come from elsewhere (the page's newest date that has one, or the
operator). Pure functions: no database, no clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

_MONTH_NAMES = [
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
]
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}

_DATE = re.compile(
    r"^(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2}),?"
    r"(?:\s+(?P<year>\d{4}))?,?"
    r"(?:\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?$",
    re.IGNORECASE,
)

# Imported scoops carry no date of their own: they are spaced by this step, newest first.
STEP = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class PageDate:
    """A date as read on a page; ``year`` is None when the page left it out."""

    year: int | None
    month: int
    day: int
    hour: int = 0
    minute: int = 0

    def resolve(self, *, default_year: int | None, tz: dt.tzinfo) -> dt.datetime | None:
        """The aware datetime, taking ``default_year`` when the page gave none."""
        year = self.year or default_year
        if year is None:
            return None
        try:
            return dt.datetime(year, self.month, self.day, self.hour, self.minute, tzinfo=tz)
        except ValueError:  # February 30, year 0: the text looked like a date but is not one
            return None


def _hour_24(hour: int, ampm: str) -> int | None:
    if not ampm:
        return hour if hour <= 23 else None
    if not 1 <= hour <= 12:
        return None
    return hour % 12 + (12 if ampm.startswith("p") else 0)


def read_date(text: str) -> PageDate | None:
    """Read "February 7, 1:02 PM" or "March 30, 2015 4:10 PM" (English month names)."""
    match = _DATE.match(" ".join(text.split()))
    if not match:
        return None
    month = MONTHS.get(match["month"].lower())
    ampm = (match["ampm"] or "").replace(".", "").lower()
    hour = _hour_24(int(match["hour"] or 0), ampm)
    minute, day = int(match["minute"] or 0), int(match["day"])
    if month is None or hour is None or minute > 59 or not 1 <= day <= 31:
        return None
    year = int(match["year"]) if match["year"] else None
    return PageDate(year=year, month=month, day=day, hour=hour, minute=minute)


def page_year(dates: Iterable[PageDate]) -> int | None:
    """The year of the page's newest date that has one: the year-less dates are read in it."""
    return max((d.year for d in dates if d.year), default=None)


def newest(
    dates: Iterable[PageDate], *, default_year: int | None, tz: dt.tzinfo
) -> dt.datetime | None:
    resolved = (d.resolve(default_year=default_year, tz=tz) for d in dates)
    return max((when for when in resolved if when is not None), default=None)


def plan_published_at(
    keys: list[str],
    *,
    existing: dict[str, dt.datetime],
    anchor: dt.datetime,
    step: dt.timedelta = STEP,
) -> dict[str, dt.datetime]:
    """Publication dates that make a topic page (newest first) list ``keys`` in page order.

    Scoops already imported keep their date (``existing``); the new ones fill the gaps between
    them: above the first kept one from ``anchor`` (the newest date on the page) down by ``step``,
    between two kept ones evenly spaced, below the last kept one down by ``step``.
    """
    plan: dict[str, dt.datetime] = {}
    gap: list[str] = []
    newer: dt.datetime | None = None
    for key in keys:
        if key not in existing:
            gap.append(key)
            continue
        plan.update(_fill(gap, newer=newer, older=existing[key], anchor=anchor, step=step))
        plan[key] = newer = existing[key]
        gap = []
    plan.update(_fill(gap, newer=newer, older=None, anchor=anchor, step=step))
    return plan


def _fill(
    gap: list[str],
    *,
    newer: dt.datetime | None,
    older: dt.datetime | None,
    anchor: dt.datetime,
    step: dt.timedelta,
) -> dict[str, dt.datetime]:
    if newer is None:
        top = anchor if older is None else max(anchor, older + len(gap) * step)
        return {key: top - i * step for i, key in enumerate(gap)}
    if older is not None:
        step = (newer - older) / (len(gap) + 1)
    return {key: newer - (i + 1) * step for i, key in enumerate(gap)}
