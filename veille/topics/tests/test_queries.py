"""List pages run the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from veille.topics import services


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _fill(topic, curator, make_user, count):
    reader = make_user()
    other_topic = services.topic_create(by=reader, title=f"Reader topic {count}")
    for i in range(count):
        scoop = services.scoop_create(
            topic=topic,
            by=curator,
            title=f"Post {i}",
            insight="An *insight*",
            tags=["a", f"t{i % 5}"],
        )
        if i % 3 == 0:
            services.rescoop_create(origin=scoop, topic=other_topic, by=reader, insight="Mine")
    services.follow_toggle(topic=topic, by=reader)
    return reader


@pytest.mark.parametrize("url_name", ["topic", "directory", "home"])
def test_list_pages_query_count_does_not_grow(
    client, topic, curator, make_user, url_name, settings
):
    settings.TOPIC_PAGE_SIZE = 200  # every row on one page: the worst case
    counts = []
    for size in (10, 200):
        reader = _fill(topic, curator, make_user, size if not counts else size - 10)
        client.force_login(reader)
        url = {"topic": topic.get_absolute_url(), "directory": "/", "home": "/home/"}[url_name]
        _queries(client, url)  # warm: daily salt and view rows are created on first view
        counts.append(_queries(client, url))
    assert counts[0] == counts[1], f"{url_name}: {counts}"
