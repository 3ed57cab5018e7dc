from datetime import UTC, datetime, timedelta

from veille.sources import schedule

NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
MIN, MAX = 15 * 60, 24 * 3600


def test_interval_halves_with_news_and_grows_by_half_without():
    assert schedule.next_interval(3600, has_news=True) == 1800
    assert schedule.next_interval(3600, has_news=False) == 5400


def test_interval_stays_between_fifteen_minutes_and_a_day():
    assert schedule.next_interval(MIN, has_news=True) == MIN
    assert schedule.next_interval(MAX, has_news=False) == MAX


def test_feed_ttl_is_a_lower_bound_within_the_maximum():
    assert schedule.next_interval(1800, has_news=True, ttl_hint=7200) == 7200
    assert schedule.next_interval(1800, has_news=True, ttl_hint=7 * 86400) == MAX


def test_backoff_doubles_from_the_minimum_up_to_a_day():
    waits = [schedule.backoff(n) for n in range(1, 10)]

    assert waits[:5] == [MIN, 2 * MIN, 4 * MIN, 8 * MIN, 16 * MIN]
    assert waits[-1] == MAX
    assert schedule.backoff(500) == MAX


def test_retry_after_reads_seconds_and_http_dates():
    assert schedule.retry_after("120", now=NOW) == NOW + timedelta(seconds=120)
    assert schedule.retry_after("Tue, 03 Jun 2025 15:00:00 GMT", now=NOW) == datetime(
        2025, 6, 3, 15, 0, tzinfo=UTC
    )
    assert schedule.retry_after("soon", now=NOW) is None
    assert schedule.retry_after(None, now=NOW) is None


def test_next_poll_honours_retry_after_within_the_maximum():
    assert schedule.next_poll(NOW, MIN) == NOW + timedelta(seconds=MIN)
    later = NOW + timedelta(hours=3)
    assert schedule.next_poll(NOW, MIN, not_before=later) == later
    far = NOW + timedelta(days=30)
    assert schedule.next_poll(NOW, MIN, not_before=far) == NOW + timedelta(seconds=MAX)
