"""Fetching a batch of sources concurrently: one guarded session, a few fetches per host at a time.

The fetches run in an event loop on a background thread and hand each result over as soon as it
arrives, so that the poller parses and stores one source while the others are still downloading
(the database and the parsers stay on the caller's thread). Each request is conditional when the
source has validators. A fetch waits for its host's turn before its time budget starts, so a
host with many sources is polled slowly rather than timed out; fetches that have not started
when the batch's deadline passes are handed back as ``deferred`` (their lease is released).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from veille.core.http import FetchError, GuardedSession
from veille.sources import conf, sitemaps

ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5",
    "site": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    "sitemap": "application/xml, text/xml;q=0.9, */*;q=0.5",
}
KEPT_HEADERS = ("etag", "last-modified", "retry-after")
HANDOVER_SIZE = 32  # results handed to the storing thread at once
HANDOVER_SECONDS = 0.05  # and at least this often


@dataclass(frozen=True)
class FetchJob:
    source_id: int
    kind: str
    url: str
    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass
class Fetched:
    job: FetchJob
    status: int = 0
    final_url: str = ""
    redirects: list[tuple[int, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # etag, last-modified, retry-after
    body: bytes = b""
    charset: str | None = None
    content_type: str = ""
    children: list[bytes] = field(default_factory=list)  # a sitemap index's newest sitemaps
    error: str = ""
    error_code: str = ""
    deferred: bool = False


class _Limits:
    """A global limit and one per host, taken before a fetch's clock starts."""

    def __init__(self) -> None:
        self.all = asyncio.Semaphore(conf.get("POLL_CONCURRENCY"))
        per_host = conf.get("POLL_PER_HOST")
        self.hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(per_host)
        )

    def host(self, url: str) -> asyncio.Semaphore:
        try:
            return self.hosts[(urlsplit(url).hostname or "").lower()]
        except ValueError:
            return self.hosts[""]


class Fetcher:
    """An event loop on a background thread with one guarded session, for every batch of a poll
    run (``with Fetcher() as fetcher``): the connections opened for one batch serve the next one
    (a host with many feeds is not reconnected to every 500 sources), and a run starts one thread
    and one loop, not one a batch."""

    def __enter__(self) -> Fetcher:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="veille-poll-fetch", daemon=True
        )
        self.thread.start()
        self.batch: concurrent.futures.Future | None = None
        try:
            self.session = self._wait(self._open())
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            if self.batch is not None and not self.batch.done():  # the caller gave up on it
                self.loop.call_soon_threadsafe(self.batch.cancel)
                concurrent.futures.wait([self.batch], timeout=10)
            self._wait(self.session.__aexit__(None, None, None))
        finally:
            self._stop()

    def fetch_all(self, jobs: list[FetchJob], *, deadline: float) -> Iterator[list[Fetched]]:
        """Yield the jobs' ``Fetched`` in small groups, in the order they finish (``deadline``:
        monotonic time); every job is in exactly one group."""
        results: queue.Queue[list[Fetched] | None] = queue.Queue()
        self.batch = asyncio.run_coroutine_threadsafe(
            _fetch_batch(self.session, jobs, results, deadline), self.loop
        )
        reported: set[int] = set()
        while (handed := results.get()) is not None:
            reported.update(fetched.job.source_id for fetched in handed)
            yield handed
        # Only if the batch itself failed: those are tried again next time.
        lost = [Fetched(job=job, deferred=True) for job in jobs if job.source_id not in reported]
        if lost:
            yield lost

    async def _open(self) -> GuardedSession:
        session = GuardedSession(
            limit=conf.get("POLL_CONCURRENCY"),
            limit_per_host=conf.get("POLL_PER_HOST"),
            timeout=conf.get("POLL_TIMEOUT"),
            max_bytes=conf.get("FEED_MAX_BYTES"),
            transport="lean",  # thousands of small conditional GETs: see core/http/lean.py
        )
        return await session.__aenter__()

    def _wait(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def _stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


class _Handover:
    """Results go to the storing thread in small batches: waking it for every 304 costs more
    CPU than the 304 itself."""

    def __init__(self, results: queue.Queue) -> None:
        self.results = results
        self.waiting: list[Fetched] = []

    def __call__(self, fetched: Fetched) -> None:
        self.waiting.append(fetched)
        if len(self.waiting) >= HANDOVER_SIZE:
            self.flush()

    def flush(self) -> None:
        if self.waiting:
            self.results.put(self.waiting)
            self.waiting = []


async def _fetch_batch(session, jobs: list[FetchJob], results: queue.Queue, deadline) -> None:
    handover = _Handover(results)
    limits = _Limits()

    async def one(job: FetchJob) -> None:
        handover(await _fetch_job(session, limits, job, deadline))

    ticker = asyncio.create_task(_hand_over_regularly(handover))
    try:
        await asyncio.gather(*(one(job) for job in jobs))
    finally:
        ticker.cancel()
        handover.flush()
        results.put(None)


async def _hand_over_regularly(handover: _Handover) -> None:
    """Answers that came in just before a long wait are not kept waiting with it."""
    while True:
        await asyncio.sleep(HANDOVER_SECONDS)
        handover.flush()


async def _fetch_job(session, limits: _Limits, job: FetchJob, deadline: float) -> Fetched:
    async with limits.host(job.url), limits.all:
        if time.monotonic() > deadline:
            return Fetched(job=job, deferred=True)
        try:
            fetched = await _get(session, job.url, job.kind, job.headers())
            fetched.job = job
            if job.kind == "sitemap" and fetched.status == 200:
                await _follow_index(session, fetched)
        except FetchError as error:
            return Fetched(job=job, error=str(error), error_code=error.code)
        except Exception as error:  # noqa: BLE001 - one odd response must not lose the batch
            return Fetched(job=job, error=f"fetch failed: {error!r}"[:500], error_code="internal")
    return fetched


async def _get(session, url: str, kind: str, headers: dict[str, str]) -> Fetched:
    result = await session.fetch(url, headers=headers, accept=ACCEPT.get(kind, ACCEPT["feed"]))
    return Fetched(
        job=None,  # set by the caller
        status=result.status,
        final_url=result.final_url,
        redirects=list(result.redirects),
        headers={name: result.headers[name] for name in KEPT_HEADERS if name in result.headers},
        body=result.body,
        charset=result.charset,
        content_type=result.content_type,
    )


async def _follow_index(session, fetched: Fetched) -> None:
    """A sitemap index: fetch its newest sitemaps (one level, a few), not the index's past."""
    try:
        index = sitemaps.parse_sitemap(fetched.body, url=fetched.final_url)
    except sitemaps.SitemapError:
        return  # reported when the poller reads the body
    if not index.is_index:
        return
    children = index.newest(sitemaps.MAX_CHILD_SITEMAPS)
    answers = await asyncio.gather(
        *(_get(session, child.loc, "sitemap", {}) for child in children), return_exceptions=True
    )
    fetched.children = [a.body for a in answers if isinstance(a, Fetched) and a.status == 200]
