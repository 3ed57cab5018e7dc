"""The topic and post pages count their views and show them."""

import pytest

from veille.analytics.models import DailyViews

from .conftest import FIREFOX

pytestmark = pytest.mark.django_db


def test_topic_page_counts_a_reader_once_a_day_and_shows_the_views(client, topic, clock):
    topic.imported_views = 44_700
    topic.save(update_fields=["imported_views"])
    for _ in range(2):
        response = client.get(topic.get_absolute_url(), headers={"user-agent": FIREFOX})
    assert response.status_code == 200
    assert DailyViews.objects.get(scoop=None).count == 1
    assert "44.7K views" in response.text
    assert "+1 today" in response.text


def test_post_page_counts_its_own_views(client, topic, make_scoop, clock):
    post = make_scoop()
    response = client.get(post.get_absolute_url(), headers={"user-agent": FIREFOX})
    assert response.status_code == 200
    assert DailyViews.objects.get().scoop == post
