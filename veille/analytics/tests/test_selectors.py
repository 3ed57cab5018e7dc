import datetime

import pytest

from veille.analytics.models import DailyViews
from veille.analytics.selectors import ViewStats, local_today, view_stats

from .conftest import PARIS

pytestmark = pytest.mark.django_db


def _views(topic, day, count, scoop=None):
    DailyViews.objects.create(
        topic=topic, scoop=scoop, day=datetime.date(2026, 3, day), count=count
    )


def test_topic_total_includes_imported_views(topic, clock):
    topic.imported_views = 44_700
    _views(topic, 1, 3)
    _views(topic, 2, 5)
    clock(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=PARIS))
    assert view_stats(topic=topic) == ViewStats(total=44_708, today=5)


def test_topic_stats_leave_out_post_pages(topic, make_scoop, clock):
    post = make_scoop()
    _views(topic, 1, 3)
    _views(topic, 1, 7, scoop=post)
    assert view_stats(topic=topic) == ViewStats(total=3, today=3)
    assert view_stats(scoop=post) == ViewStats(total=7, today=7)


def test_post_stats_ignore_imported_views_of_the_topic(topic, make_scoop, clock):
    topic.imported_views = 100
    post = make_scoop()
    _views(topic, 1, 2, scoop=post)
    assert view_stats(topic=topic, scoop=post) == ViewStats(total=2, today=2)


def test_a_page_never_viewed_has_no_views(topic, make_scoop, clock):
    assert view_stats(topic=topic) == ViewStats(total=0, today=0)
    assert view_stats(scoop=make_scoop()) == ViewStats(total=0, today=0)


def test_today_is_zero_when_only_earlier_days_were_viewed(topic, clock):
    _views(topic, 1, 4)
    clock(datetime.datetime(2026, 3, 5, 8, 0, tzinfo=PARIS))
    assert view_stats(topic=topic) == ViewStats(total=4, today=0)


def test_view_stats_is_one_query(topic, make_scoop, clock, django_assert_num_queries):
    post = make_scoop()
    for day in range(1, 20):
        _views(topic, day, day)
        _views(topic, day, day, scoop=post)
    with django_assert_num_queries(1):
        view_stats(topic=topic)
    with django_assert_num_queries(1):
        view_stats(scoop=post)


def test_view_stats_needs_a_page():
    with pytest.raises(TypeError):
        view_stats()


def test_local_today_uses_the_instance_time_zone_not_the_active_one(clock):
    from django.utils import timezone

    clock(datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC))
    with timezone.override("America/New_York"):
        assert local_today() == datetime.date(2026, 3, 2)
