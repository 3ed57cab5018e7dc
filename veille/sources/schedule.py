"""When to poll a source next: adaptive intervals, back-off on errors, and the server's wishes.

- A feed with new items is polled more often (the interval halves), a quiet one less often (it
  grows by half), always between POLL_MIN_INTERVAL (15 min) and POLL_MAX_INTERVAL (24 h).
- The feed's own ``ttl`` and ``sy:updatePeriod`` are lower bounds: it asked not to be polled more
  often (RSS 2.0 spec, "ttl"; RSS 1.0 syndication module).
- Errors back off exponentially from the minimum, doubling per consecutive error, up to the maximum;
  a broken feed keeps being tried, less and less often, and the first success resets everything.
- ``Retry-After`` (seconds or an HTTP date, RFC 9110 section 10.2.3) is a lower bound on the next
  attempt, within the maximum: a server cannot switch us off for weeks, an operator can.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from veille.sources import conf

GROWTH = 1.5  # a quiet feed waits half as long again each time
SHRINK = 0.5  # a feed with news is polled twice as often


def bounds() -> tuple[int, int]:
    return conf.get("POLL_MIN_INTERVAL"), conf.get("POLL_MAX_INTERVAL")


def next_interval(current: int, *, has_news: bool, ttl_hint: int | None = None) -> int:
    low, high = bounds()
    interval = current * (SHRINK if has_news else GROWTH)
    if ttl_hint:
        interval = max(interval, ttl_hint)
    return int(min(high, max(low, interval)))


def backoff(error_count: int) -> int:
    """Seconds before the next attempt after ``error_count`` consecutive errors (1 or more)."""
    low, high = bounds()
    return int(min(high, low * 2 ** min(max(error_count - 1, 0), 20)))


def retry_after(value: str | None, *, now: datetime) -> datetime | None:
    """The time a ``Retry-After`` header names, or None when there is none or it is unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else None


def next_poll(now: datetime, seconds: int, *, not_before: datetime | None = None) -> datetime:
    """``now + seconds``, pushed back to ``not_before`` within the maximum interval."""
    when = now + timedelta(seconds=seconds)
    if not_before is not None and not_before > when:
        when = min(not_before, now + timedelta(seconds=bounds()[1]))
    return when
