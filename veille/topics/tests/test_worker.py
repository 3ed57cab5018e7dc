"""Scheduled publishing through the real queue: Redis and a real `veille worker` process.

Runs only when VEILLE_TEST_REDIS_URL is set (CI sets it). The rest of the suite runs tasks in
immediate mode; here immediate mode is switched off so that tasks travel through Redis.
"""

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from veille.topics import services
from veille.topics.models import Scoop, ScoopStatus

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("VEILLE_TEST_REDIS_URL"), reason="VEILLE_TEST_REDIS_URL is not set"
    ),
]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db["USER"] or "postgres"
    return f"postgresql://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_worker(transactional_db):
    """A `veille worker` on the test database and this run's Redis queue."""
    HUEY.storage.flush_all()
    HUEY.immediate = False
    env = {
        **os.environ,
        "VEILLE_DATABASE_URL": _database_url(),
        "VEILLE_REDIS_URL": os.environ["VEILLE_TEST_REDIS_URL"],
        "VEILLE_QUEUE_NAME": HUEY.name,
        "VEILLE_DATA_DIR": str(settings.DATA_DIR / "worker"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "veille", "worker", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode(errors="replace")
        HUEY.immediate = True
        if process.returncode not in (0, -15):
            print(output)


def _wait_for(predicate, seconds=30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_scheduled_scoop_is_published_by_a_real_worker_through_redis(redis_worker, topic, curator):
    publish_at = timezone.now() + dt.timedelta(seconds=3)
    scoop = services.scoop_create(
        topic=topic, by=curator, title="Published later", publish_at=publish_at
    )
    assert scoop.status == ScoopStatus.SCHEDULED
    assert HUEY.scheduled_count() + HUEY.pending_count() >= 1  # it went to Redis, not memory

    published = _wait_for(lambda: Scoop.objects.get(pk=scoop.pk).status == ScoopStatus.PUBLISHED)

    assert published, "the worker did not publish the scheduled scoop"
    assert timezone.now() >= publish_at
    topic.refresh_from_db()
    assert topic.scoop_count == 1
