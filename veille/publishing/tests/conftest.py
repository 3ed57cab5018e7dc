"""Fixtures for the feed tests: an archive of posts, a rescoop from another topic."""

import datetime as dt

import pytest
from django.utils import timezone

from veille.topics import services


@pytest.fixture
def archive(make_scoop):
    """``archive(n)``: n published scoops an hour apart, three at a time sharing one date, so that
    paging has to break ties by pk. Returned newest first, the order the feeds use."""

    def make(count, url=None, **kwargs):
        start = timezone.now() - dt.timedelta(days=30)
        scoops = [
            make_scoop(
                publish_at=start + dt.timedelta(hours=i // 3),
                url=f"{url}/{i}" if url else "",  # one scoop per article in a topic
                **kwargs,
            )
            for i in range(count)
        ]
        return sorted(scoops, key=lambda s: (s.published_at, s.pk), reverse=True)

    return make


@pytest.fixture
def other_topic(make_user):
    marie = make_user("marie", display_name="Marie <Curie>")
    return services.topic_create(by=marie, title="Paris & networks", slug="paris-networks")


@pytest.fixture
def rescoop(topic, curator, other_topic):
    """A post of ``other_topic`` rescooped into ``topic`` with the curator's own insight."""
    marie = other_topic.curators.get().user
    origin = services.scoop_create(
        topic=other_topic,
        by=marie,
        title="Origin post",
        url="https://example.org/origin",
        excerpt_html="<p>Origin excerpt</p>",
        insight="Marie says",
    )
    return services.rescoop_create(
        origin=origin, topic=topic, by=curator, insight="Jacques *adds* this"
    )
