"""Scheduled publishing through the real queue: Redis and a real `veille worker` process.

Runs only when VEILLE_TEST_REDIS_URL is set (CI sets it). The rest of the suite runs tasks in
immediate mode; here immediate mode is switched off so that tasks travel through Redis.
"""

import datetime as dt
import os

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from veille.testing import wait_for
from veille.topics import services
from veille.topics.models import Scoop, ScoopStatus

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("VEILLE_TEST_REDIS_URL"), reason="VEILLE_TEST_REDIS_URL is not set"
    ),
]


@pytest.mark.usefixtures("redis_worker")
def test_scheduled_scoop_is_published_by_a_real_worker_through_redis(topic, curator):
    publish_at = timezone.now() + dt.timedelta(seconds=3)
    scoop = services.scoop_create(
        topic=topic, by=curator, title="Published later", publish_at=publish_at
    )
    assert scoop.status == ScoopStatus.SCHEDULED
    assert HUEY.scheduled_count() + HUEY.pending_count() >= 1  # it went to Redis, not memory

    published = wait_for(lambda: Scoop.objects.get(pk=scoop.pk).status == ScoopStatus.PUBLISHED)

    assert published, "the worker did not publish the scheduled scoop"
    assert timezone.now() >= publish_at
    topic.refresh_from_db()
    assert topic.scoop_count == 1
