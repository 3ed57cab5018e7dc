"""A poller killed in the middle of a batch: the next run finishes it, no duplicate, nothing lost.

A real `veille poll --force --wait` process polls seven feeds of twenty items; six answer at
once, one slowly. While the fast ones are being stored and the slow one is being served, the
process gets SIGKILL. What it left must be whole transactions only: a source's twenty items
together with its updated row, or nothing. A second run, once the leases expired, polls exactly
the unfinished sources; in the end each item is stored once.

Twice: with the real ingestion of suggestions (candidates), and with the stand-in of
standin_poll.py, which stores slowly enough for the kill to land inside a source's transaction.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from veille.sources import services
from veille.sources.models import Source
from veille.testing import database_url, wait_for

from .conftest import make_rss

FAST, ITEMS = 6, 20


@dataclass
class Pipeline:
    command: list[str]  # the poll command, without its options
    rows: Callable[[], list[tuple[int, str]]]  # (source id, URL) of every stored item


def _standin_rows() -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT source_id, url FROM standin_candidate")
        return list(cursor.fetchall())


def _candidate_rows() -> list[tuple[int, str]]:
    from veille.suggestions.models import Candidate

    return list(Candidate.objects.values_list("source_id", "url"))


def _real_ingest_exists() -> bool:
    try:
        from veille.suggestions.services import ingest  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(params=["real", "standin"])
def pipeline(request, transactional_db):
    """The real `veille poll` and ingestion when suggestions has it; the stand-in in any case."""
    if request.param == "real":
        if not _real_ingest_exists():
            pytest.skip("veille.suggestions.services.ingest does not exist yet")
        yield Pipeline([sys.executable, "-m", "veille", "poll"], _candidate_rows)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE standin_candidate "
            "(topic_id bigint NOT NULL, source_id bigint NOT NULL, url varchar(500) NOT NULL)"
        )
    yield Pipeline([sys.executable, "-m", "veille.sources.tests.standin_poll"], _standin_rows)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE standin_candidate")


def _start(pipeline: Pipeline, *options: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "VEILLE_DATABASE_URL": database_url(),
        "VEILLE_DATA_DIR": str(settings.DATA_DIR / "poller"),
        "VEILLE_FETCH_ALLOW_HOSTS": "127.0.0.1",
        "VEILLE_LOG_LEVEL": "WARNING",
    }
    command = [*pipeline.command, *options]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _feeds(site, topic) -> dict[int, list[str]]:
    """Source id -> the item URLs its feed holds; the last feed answers after 10 s."""
    expected = {}
    for n in range(FAST + 1):
        items = [f"https://feed{n}.example/item/{i}" for i in range(ITEMS)]
        path = f"/feed{n}.xml"
        site.add(path, make_rss(f"Feed{n}", items), delay=10 if n == FAST else 0)
        source = services.source_create(
            topic=topic, by=None, kind="feed", url=site.url(path), poll=False
        )
        expected[source.pk] = items
    return expected


def _kill_mid_batch(pipeline: Pipeline, site) -> None:
    first = _start(pipeline, "--force", "--wait")

    def mid_batch() -> bool:
        stored = {source_id for source_id, _url in pipeline.rows()}
        return len(stored) >= 2 and f"/feed{FAST}.xml" in site.hits

    try:
        assert wait_for(mid_batch), first.stdout.read1().decode(errors="replace")
        os.kill(first.pid, signal.SIGKILL)
    finally:
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL


def test_a_killed_poller_leaves_whole_sources_and_the_next_run_finishes(
    pipeline, topic, local_site
):
    expected = _feeds(local_site, topic)

    _kill_mid_batch(pipeline, local_site)

    rows, sources = pipeline.rows(), {s.pk: s for s in Source.objects.all()}
    by_source = {pk: sorted(url for sid, url in rows if sid == pk) for pk in expected}
    for pk, urls in by_source.items():
        # All of a source's items with its updated row, or none of them and no update.
        assert urls in ([], sorted(expected[pk])), f"source {pk} is half-written"
        assert (sources[pk].last_polled_at is not None) == bool(urls)
    unfinished = [pk for pk, urls in by_source.items() if not urls]
    assert 1 <= len(unfinished) < len(expected)  # killed in the middle of the batch
    local_site.add(f"/feed{FAST}.xml", make_rss(f"Feed{FAST}", expected[max(expected)]))
    # Time passes: the dead run's leases expire.
    Source.objects.filter(lease_expires_at__isnull=False).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )

    second = _start(pipeline, "--wait")
    output = second.communicate(timeout=60)[0].decode(errors="replace")

    assert second.returncode == 0, output
    assert f"Polled {len(unfinished)} sources" in output  # just what was left
    rows = pipeline.rows()
    assert len(rows) == len(set(rows)) == (FAST + 1) * ITEMS  # no duplicate
    assert sorted(url for _pk, url in rows) == sorted(u for urls in expected.values() for u in urls)
    assert all(s.last_polled_at and not s.claim_token for s in Source.objects.all())
    assert not Source.objects.filter(next_poll_at__lte=timezone.now()).exists()
