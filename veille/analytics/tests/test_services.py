import datetime

import pytest
from django.db import transaction
from django.db.models import QuerySet

from veille.analytics import services
from veille.analytics.models import DailySalt, DailyViews, VisitorMark
from veille.analytics.selectors import ViewStats, view_stats
from veille.analytics.services import count_view, purge_visitor_marks

from .conftest import PARIS

pytestmark = pytest.mark.django_db

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


def test_same_visitor_twice_the_same_day_counts_once(topic, make_request, clock):
    assert count_view(request=make_request(), topic=topic) is True
    assert count_view(request=make_request(), topic=topic) is False
    assert view_stats(topic=topic).today == 1


def test_another_user_agent_counts_again(topic, make_request, clock):
    count_view(request=make_request(), topic=topic)
    assert count_view(request=make_request(user_agent=CHROME), topic=topic) is True
    assert view_stats(topic=topic).today == 2


def test_another_address_counts_again(topic, make_request, clock):
    count_view(request=make_request(), topic=topic)
    assert count_view(request=make_request(address="2001:db8::1"), topic=topic) is True
    assert view_stats(topic=topic).today == 2


def test_same_visitor_counts_again_the_next_day(topic, make_request, clock):
    count_view(request=make_request(), topic=topic)
    clock(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=PARIS))
    assert count_view(request=make_request(), topic=topic) is True
    assert view_stats(topic=topic) == ViewStats(total=2, today=1)


def test_day_follows_the_instance_time_zone(topic, make_request, clock):
    # 23:30 UTC on March 1st is already March 2nd in Paris.
    clock(datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC))
    count_view(request=make_request(), topic=topic)
    assert DailyViews.objects.get().day == datetime.date(2026, 3, 2)


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
        "",
    ],
)
def test_bots_and_empty_user_agents_are_not_counted(topic, make_request, clock, user_agent):
    assert count_view(request=make_request(user_agent=user_agent), topic=topic) is False
    assert not DailyViews.objects.exists()
    assert not VisitorMark.objects.exists()


def test_head_requests_are_not_counted(topic, make_request, clock):
    assert count_view(request=make_request(method="head"), topic=topic) is False
    assert not DailyViews.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_X_MOZ": "prefetch"},
    ],
)
def test_prefetches_are_not_counted(topic, make_request, clock, header):
    assert count_view(request=make_request(**header), topic=topic) is False
    assert not DailyViews.objects.exists()


def test_headless_chromium_of_our_browser_tests_is_counted(topic, make_request, clock):
    headless = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36"
    )
    assert count_view(request=make_request(user_agent=headless), topic=topic) is True


def test_no_row_stores_the_address_or_user_agent(topic, make_scoop, make_request, clock):
    address, user_agent = "198.51.100.23", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
    count_view(request=make_request(address=address, user_agent=user_agent), topic=topic)
    count_view(
        request=make_request(address=address, user_agent=user_agent),
        topic=topic,
        scoop=make_scoop(),
    )
    rows = [row for model in (VisitorMark, DailyViews, DailySalt) for row in model.objects.values()]
    assert len(rows) == 5  # two marks, two counters, one salt
    stored = [str(value) for row in rows for value in row.values()]
    assert not [value for value in stored if address in value or "Firefox" in value]


def test_a_counter_created_concurrently_is_incremented_not_duplicated(
    topic, make_request, clock, monkeypatch
):
    real_update = QuerySet.update

    def update_after_a_concurrent_first_view(queryset, **changes):
        # Another request creates and counts the day's row between our update and our insert.
        monkeypatch.setattr(QuerySet, "update", real_update)
        DailyViews.objects.create(topic=topic, day=datetime.date(2026, 3, 1), count=1)
        return 0

    monkeypatch.setattr(QuerySet, "update", update_after_a_concurrent_first_view)
    assert count_view(request=make_request(), topic=topic) is True
    assert list(DailyViews.objects.values_list("count", flat=True)) == [2]


def test_behind_a_proxy_the_forwarded_address_identifies_the_visitor(
    topic, make_request, clock, settings
):
    settings.USE_X_FORWARDED_HOST = True
    for client in ("192.0.2.1", "192.0.2.2, 10.0.0.1", "192.0.2.1"):
        count_view(
            request=make_request(address="10.0.0.1", HTTP_X_FORWARDED_FOR=client), topic=topic
        )
    assert view_stats(topic=topic).today == 2


def test_forwarded_address_is_ignored_without_a_proxy(topic, make_request, clock, settings):
    settings.USE_X_FORWARDED_HOST = False
    for client in ("192.0.2.1", "192.0.2.2"):
        count_view(request=make_request(HTTP_X_FORWARDED_FOR=client), topic=topic)
    assert view_stats(topic=topic).today == 1


def test_topic_page_and_post_page_are_counted_apart(topic, make_scoop, make_request, clock):
    post = make_scoop()
    assert count_view(request=make_request(), topic=topic) is True
    assert count_view(request=make_request(), topic=topic, scoop=post) is True
    assert count_view(request=make_request(address="192.0.2.9"), topic=topic, scoop=post)
    assert view_stats(topic=topic).total == 1
    assert view_stats(scoop=post).total == 2


def test_two_posts_are_counted_apart(topic, make_scoop, make_request, clock):
    first, second = make_scoop(), make_scoop()
    count_view(request=make_request(), topic=topic, scoop=first)
    assert count_view(request=make_request(), topic=topic, scoop=second) is True
    assert view_stats(scoop=first).total == view_stats(scoop=second).total == 1


def test_purge_forgets_older_salts_with_their_marks(topic, make_request, clock):
    count_view(request=make_request(), topic=topic)
    clock(datetime.datetime(2026, 3, 2, 0, 10, tzinfo=PARIS))
    count_view(request=make_request(address="192.0.2.9"), topic=topic)

    assert purge_visitor_marks() == 1

    assert list(DailySalt.objects.values_list("day", flat=True)) == [datetime.date(2026, 3, 2)]
    assert list(VisitorMark.objects.values_list("day", flat=True)) == [datetime.date(2026, 3, 2)]
    assert view_stats(topic=topic).total == 2  # counts are kept


def test_purge_takes_an_explicit_day(topic, make_request, clock):
    count_view(request=make_request(), topic=topic)
    assert purge_visitor_marks(today=datetime.date(2026, 3, 1)) == 0
    assert purge_visitor_marks(today=datetime.date(2026, 3, 2)) == 1
    assert not DailySalt.objects.exists()


def test_counting_a_view_costs_three_queries(topic, make_request, clock, django_assert_num_queries):
    count_view(request=make_request(address="192.0.2.9"), topic=topic)  # salt and row exist
    # Salt of the day (not yet known to this process: its creation was not committed), visitor
    # mark, counter update.
    with django_assert_num_queries(3):
        assert count_view(request=make_request(), topic=topic) is True
    # Salt of the day, visitor mark (already there).
    with django_assert_num_queries(2):
        assert count_view(request=make_request(), topic=topic) is False


def test_once_the_process_knows_the_salt_a_view_costs_one_query_fewer(
    topic, make_request, clock, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count_view(request=make_request(address="192.0.2.9"), topic=topic)
    # Visitor mark, counter update: the salt is not read again.
    with django_assert_num_queries(2):
        assert count_view(request=make_request(), topic=topic) is True
    with django_assert_num_queries(1):
        assert count_view(request=make_request(), topic=topic) is False


def test_first_view_of_a_page_in_the_day_costs_five_queries(
    topic, make_scoop, make_request, clock, django_assert_num_queries
):
    post = make_scoop()
    count_view(request=make_request(), topic=topic)  # the salt of the day exists
    # Salt, mark, update of no row, insert of the day's row, update.
    with django_assert_num_queries(5):
        assert count_view(request=make_request(), topic=topic, scoop=post) is True
    assert view_stats(scoop=post).today == 1


def test_the_known_salt_is_the_database_row_and_rotates_at_the_day_change(
    topic, make_request, clock, django_capture_on_commit_callbacks
):
    # Another process drew the day's salt first: this one uses that row's, not its own.
    DailySalt.objects.create(day=datetime.date(2026, 3, 1), salt="a" * 64)
    with django_capture_on_commit_callbacks(execute=True):
        count_view(request=make_request(), topic=topic)
    assert services._salt_cache == {datetime.date(2026, 3, 1): "a" * 64}

    clock(datetime.datetime(2026, 3, 2, 0, 1, tzinfo=PARIS))
    with django_capture_on_commit_callbacks(execute=True):
        assert count_view(request=make_request(), topic=topic) is True  # a new day, a new salt
    second = DailySalt.objects.get(day=datetime.date(2026, 3, 2)).salt
    assert second != "a" * 64
    assert services._salt_cache == {datetime.date(2026, 3, 2): second}  # yesterday's is gone
    assert count_view(request=make_request(), topic=topic) is False  # same salt, same visitor


def test_a_salt_whose_creation_is_rolled_back_is_not_kept(
    topic, make_request, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            count_view(request=make_request(), topic=topic)
            raise RuntimeError  # the request fails after counting
    assert services._salt_cache == {}
    assert not DailySalt.objects.exists()
