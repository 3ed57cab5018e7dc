"""A feed page runs a fixed number of queries, whatever the number of posts on it."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from veille.publishing.selectors import Cursor
from veille.publishing.tests.helpers import FORMATS, feed_url, item_pks, parse
from veille.topics import services

RICH = {
    "tags": ["one", "two"],
    "image_url": "https://example.org/i.png",
    "insight": "Insight",
}


@pytest.fixture
def grow(topic, curator, other_topic, archive, make_scoop):
    """``grow(n)``: n more posts and n more rescoops (each crediting a first curator)."""
    marie = other_topic.curators.get().user
    batches = itertools.count()

    def add(count):
        batch = next(batches)
        archive(count, url=f"https://example.org/{batch}", **RICH)
        for i in range(count):
            url = f"https://example.org/origin/{batch}/{i}"
            origin = make_scoop(in_topic=other_topic, by=marie, url=url, **RICH)
            services.rescoop_create(origin=origin, topic=topic, by=curator, insight="Mine")

    return add


def _after_newest(url_name, topic):
    """The page that starts after the newest post: a cursor page, with all the others on it."""
    newest = topic.scoops.order_by("-published_at", "-pk").first()
    return feed_url(url_name, topic, before=Cursor.of(newest).encode())


def _count(client, url, items):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(item_pks(parse(response))) == items
    return len(queries)


@pytest.mark.parametrize("url_name", FORMATS)
def test_feed_query_count_does_not_grow_with_posts(client, settings, topic, grow, url_name):
    settings.FEED_PAGE_SIZE = 60
    grow(5)
    small = _count(client, feed_url(url_name, topic), 10)
    small_paged = _count(client, _after_newest(url_name, topic), 9)
    grow(20)
    large = _count(client, feed_url(url_name, topic), 50)
    large_paged = _count(client, _after_newest(url_name, topic), 49)
    assert small == large
    assert small_paged == large_paged
