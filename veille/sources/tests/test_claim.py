"""Claims: one source is never polled by two runs at once, on any number of workers."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from veille.sources.models import Source
from veille.sources.poller import claim


def _due_sources(topic, count: int) -> list[int]:
    now = timezone.now() - timedelta(minutes=1)
    rows = [
        Source(topic=topic, kind="feed", url=f"https://feeds.example/{i}.xml", next_poll_at=now)
        for i in range(count)
    ]
    return [s.pk for s in Source.objects.bulk_create(rows)]


@pytest.mark.django_db
def test_two_claims_share_out_the_due_sources(topic):
    ids = _due_sources(topic, 10)

    first = {s.pk for s in claim(limit=6)}
    second = {s.pk for s in claim(limit=6)}

    assert len(first) == 6 and len(second) == 4
    assert first.isdisjoint(second)
    assert first | second == set(ids)
    assert claim(limit=6) == []


@pytest.mark.django_db
def test_a_live_lease_keeps_other_runs_off_until_it_expires(topic):
    _due_sources(topic, 1)
    (taken,) = claim(limit=5)

    assert claim(limit=5) == []
    assert claim(limit=5, force=True) == []  # even a forced run waits for the lease
    Source.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    (again,) = claim(limit=5)
    assert again.pk == taken.pk
    assert again.claim_token != taken.claim_token


@pytest.mark.django_db(transaction=True)
def test_concurrent_pollers_never_get_the_same_source(topic):
    ids = _due_sources(topic, 60)
    claimed: list[list[int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker() -> None:
        mine: list[int] = []
        try:
            start.wait()
            while batch := claim(limit=4):
                mine += [s.pk for s in batch]
                time.sleep(0.01)  # a poller fetches its batch before it claims again
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            claimed.append(mine)
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    every = [pk for mine in claimed for pk in mine]
    assert sorted(every) == sorted(ids)  # each source claimed exactly once
    assert sum(1 for mine in claimed if mine) >= 2  # the work really was shared
