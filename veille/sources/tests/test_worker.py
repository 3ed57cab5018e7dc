"""`veille poll` through the real queue: Redis and a real `veille worker` process.

Runs only when VEILLE_TEST_REDIS_URL is set; elsewhere the queue runs in immediate mode and
test_commands.py covers the same command.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from huey.contrib.djhuey import HUEY

from veille.sources import services
from veille.sources.models import Source
from veille.testing import wait_for

from .conftest import make_rss

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("VEILLE_TEST_REDIS_URL"), reason="VEILLE_TEST_REDIS_URL is not set"
    ),
]


@pytest.fixture
def poll_worker(request, monkeypatch, local_site):
    """The worker may fetch from the local test server (its environment is read at start)."""
    monkeypatch.setenv("VEILLE_FETCH_ALLOW_HOSTS", "127.0.0.1")
    return request.getfixturevalue("redis_worker")


@pytest.mark.django_db(transaction=True)  # the worker process must see the rows
def test_a_queued_poll_is_done_by_a_real_worker_through_redis(poll_worker, topic, local_site):
    assert not HUEY.immediate  # the command only queues; the worker polls
    local_site.add("/w.xml", make_rss("Worker", ["https://w.example/1"]))
    source = services.source_create(
        topic=topic, by=None, kind="feed", url=local_site.url("/w.xml"), poll=False
    )

    call_command("poll", "--topic", topic.slug)

    ok = wait_for(lambda: Source.objects.get(pk=source.pk).last_polled_at is not None)
    assert ok, "the worker did not poll the source"
    source.refresh_from_db()
    assert (source.title, source.error_count, source.claim_token) == ("Worker", 0, "")
    assert "/w.xml" in local_site.hits
