"""Cursor pagination of a topic's posts: stable, complete, and of constant cost."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from veille.topics import services
from veille.topics.models import Scoop
from veille.topics.selectors import PAGE_ORDER

SCOOPS = "topics/toulouse-networks/scoops"


def fill(make_scoop, count, **kwargs):
    return [make_scoop(f"Post {n}", tags=[f"tag{n % 3}"], **kwargs) for n in range(count)]


def test_walking_45_posts_returns_each_once_in_page_order(api, topic, make_scoop):
    posts = fill(make_scoop, 45)
    # Ties on the date (an import's posts) are broken by id; two pinned posts come first.
    same = timezone.now() - dt.timedelta(days=1)
    Scoop.objects.filter(pk__in=[p.pk for p in posts[10:20]]).update(published_at=same)
    Scoop.objects.filter(pk__in=[posts[3].pk, posts[30].pk]).update(pinned=True)
    seen, url, pages = [], SCOOPS, 0
    while url:
        page = api.get(url, **({} if pages else {"limit": 10})).json()
        seen += [post["id"] for post in page["results"]]
        url, pages = page["next"], pages + 1
    expected = list(
        Scoop.objects.filter(topic=topic).order_by(*PAGE_ORDER).values_list("pk", flat=True)
    )
    assert seen == expected
    assert len(set(seen)) == 45
    assert pages == 5
    assert seen[:2] == [posts[30].pk, posts[3].pk]


def test_next_link_is_absolute_and_keeps_the_limit(api, topic, make_scoop):
    fill(make_scoop, 3)
    page = api.get(SCOOPS, limit=2).json()
    assert page["next"].startswith("http://127.0.0.1:8000/api/v1/topics/toulouse-networks/scoops?")
    assert "limit=2" in page["next"]
    assert len(api.get(page["next"]).json()["results"]) == 1


def test_a_post_added_while_walking_is_not_repeated(api, topic, make_scoop):
    fill(make_scoop, 4)
    first = api.get(SCOOPS, limit=2).json()
    make_scoop("Newest")
    second = api.get(first["next"]).json()
    ids = [p["id"] for p in first["results"] + second["results"]]
    assert len(set(ids)) == 4


def test_limit_is_capped(api, topic):
    response = api.get(SCOOPS, limit=101)
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "limit"


@pytest.mark.parametrize("cursor", ["not base64!", "bm90IGpzb24", "WzEsMl0", "WyJ4IiwieSIsInoiXQ"])
def test_foreign_cursor_is_a_bad_request(api, topic, cursor):
    response = api.get(SCOOPS, cursor=cursor)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_scoop_list_query_count_does_not_grow_with_posts(api, curator, topic, make_scoop):
    other = services.topic_create(by=curator, title="Other", slug="other")
    origin = make_scoop("Origin", in_topic=other)

    def queries(count):
        Scoop.objects.filter(topic=topic).delete()
        fill(make_scoop, count, insight="Mine.")
        services.rescoop_create(origin=origin, topic=topic, by=curator, insight="Again")
        with CaptureQueriesContext(connection) as captured:
            page = api.get(SCOOPS, limit=100).json()
        assert len(page["results"]) == count + 1
        return len(captured)

    assert queries(10) == queries(50)
