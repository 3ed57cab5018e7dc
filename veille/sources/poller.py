"""Polling driven by rows: claim due sources, fetch them together, store what is new.

1. **Claim** a bounded batch in one statement: due rows (``next_poll_at <= now``) without a live
   lease get ``lease_expires_at`` and a fresh ``claim_token``, and come back (``RETURNING``). On
   PostgreSQL the candidate rows are selected ``FOR UPDATE SKIP LOCKED``: a row another worker
   holds is skipped, one it took meanwhile fails the conditions when rechecked under the lock.
   SQLite takes its write lock at BEGIN (settings.py), so claims queue. No source is polled twice
   at once, on any number of workers or machines.
2. **Fetch** them concurrently (fetching.py), at most POLL_PER_HOST at a time per host, in one
   event loop and connection pool for all the batches of a run.
3. **Store**, on this thread, as answers arrive (in the small groups fetching.py hands over): a
   304 (or a body identical to the last one) costs no parsing; new content is read, and the
   group's entries go to ``veille.suggestions.services.ingest_many`` in one transaction with
   those sources' rows (statements per topic, not per source: the costly part of storing). When
   that transaction fails, the group is stored again source by source, so one source's failure
   is that source's error only. Everything else (unchanged, errors) is written in grouped
   UPDATEs at the end of the batch.

A worker killed mid-batch leaves only whole transactions behind. Its leases expire and the next
run polls those sources again; ingestion is idempotent on the canonical URL, so nothing is stored
twice and nothing is lost.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from veille.sources import conf, schedule
from veille.sources.entries import IngestResult
from veille.sources.fetching import Fetched, Fetcher, FetchJob
from veille.sources.models import Source, SourceKind
from veille.sources.reading import ReadError, Reading, read
from veille.sources.updates import PendingUpdates, moved_to

log = logging.getLogger(__name__)

LEASE_MARGIN = 60  # seconds of the lease kept for storing the last answers
SUMMED = (
    "claimed", "unchanged", "updated", "new_items", "duplicates", "errors", "disabled",
    "deferred", "failures", "seconds",
)  # fmt: skip
UNREAD_WHEN_POLLING = ("created_at", "last_polled_at", "last_error_at", "next_poll_at")


@dataclass
class PollReport:
    claimed: int = 0
    unchanged: int = 0  # 304, or the same body as last time
    updated: int = 0  # sources whose entries went to ingestion
    new_items: int = 0
    duplicates: int = 0
    errors: int = 0
    disabled: int = 0
    deferred: int = 0  # not fetched before the batch's deadline: tried again soon
    failures: list[tuple[int, str, str]] = field(default_factory=list)  # (id, url, error)
    seconds: float = 0.0
    last_id: int = 0  # the highest id claimed

    @property
    def done(self) -> int:
        return self.unchanged + self.updated + self.errors + self.disabled + self.deferred

    def add(self, other: PollReport) -> None:
        for name in SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.last_id = max(self.last_id, other.last_id)


def claimable(*, now: datetime, topic=None, force=False, after_id=None, source_ids=None):
    rows = Source.objects.filter(enabled=True).exclude(kind=SourceKind.KEYWORD)
    rows = rows.filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now))
    if not force:
        rows = rows.filter(next_poll_at__lte=now)
    if after_id is not None:
        rows = rows.filter(pk__gt=after_id)
    if topic is not None:
        rows = rows.filter(topic=topic)
    if source_ids is not None:
        rows = rows.filter(pk__in=source_ids)
    return rows


def claim(*, limit: int, now: datetime | None = None, **conditions) -> list[Source]:
    """Lease up to ``limit`` due sources to this run; see the module's docstring.

    One statement, ``UPDATE ... WHERE id IN (the due rows, LIMIT) RETURNING`` the columns polling
    reads: one round trip, where reading the ids, updating them and loading the rows took three
    (and two lists of hundreds of ids to send and parse)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    lease_until = now + timedelta(seconds=conf.get("POLL_LEASE"))
    # Forced runs walk the table by id (see poll_all); others take the most overdue first.
    order = ("pk",) if conditions.get("force") else ("next_poll_at", "pk")
    candidates = claimable(now=now, **conditions).order_by(*order)
    if connection.features.has_select_for_update_skip_locked:
        # Locked rows are skipped, and each row taken is checked again against the conditions
        # once locked: a row another run claimed meanwhile is not taken twice.
        candidates = candidates.select_for_update(skip_locked=True, of=("self",))
    with transaction.atomic():
        picked, params = candidates.values("pk")[:limit].query.sql_with_params()
        lease = connection.ops.adapt_datetimefield_value(lease_until)
        sql = _claim_sql().format(picked=picked)
        return list(Source.objects.raw(sql, [lease, token, *params]))


def _claim_sql() -> str:
    quote = connection.ops.quote_name
    # Without the timestamps polling never reads: converting them is a good part of the cost of
    # loading a thousand rows.
    returned = ", ".join(
        quote(f.column) for f in Source._meta.concrete_fields if f.name not in UNREAD_WHEN_POLLING
    )
    # Only names from the model go into the text; values go as parameters.
    table, lease, token = map(quote, (Source._meta.db_table, "lease_expires_at", "claim_token"))
    update = f"UPDATE {table} SET {lease} = %s, {token} = %s"  # noqa: S608
    # PostgreSQL turns IN (subquery) into a join that reads the whole table; = ANY(ARRAY(...))
    # runs the subquery once and looks the rows up by key.
    picked = "= ANY(ARRAY({picked}))" if connection.vendor == "postgresql" else "IN ({picked})"
    return f"{update} WHERE {quote('id')} {picked} RETURNING {returned}"


def poll_due(
    *,
    topic=None,
    force: bool = False,
    limit: int | None = None,
    source_ids=None,
    after_id: int | None = None,
    on_progress: Callable[[int], None] | None = None,  # called with the count of sources done
    fetcher: Fetcher | None = None,  # the run's (poll_all); else one for this batch
) -> PollReport:
    """Poll one batch of due sources (every source with ``force``) and report what happened."""
    started = time.monotonic()
    sources = claim(
        limit=limit or conf.get("POLL_BATCH"),
        topic=topic,
        force=force,
        after_id=after_id,
        source_ids=source_ids,
    )
    report = PollReport(claimed=len(sources), last_id=max((s.pk for s in sources), default=0))
    if sources:
        with nullcontext(fetcher) if fetcher else Fetcher() as used:
            _poll(sources, report, on_progress, used)
    report.seconds = time.monotonic() - started
    return report


def poll_all(
    *,
    topic=None,
    force: bool = False,
    budget: float | None = None,
    on_progress: Callable[[int], None] | None = None,  # called with the count of sources done
) -> PollReport:
    """Batch after batch until nothing is due; with ``force``, through every enabled source once,
    in id order. ``budget`` (seconds) stops starting new batches.

    A batch smaller than POLL_BATCH took everything that was due: the run ends there rather than
    claim again for nothing (what fell due meanwhile waits for the next minute's run)."""
    total = PollReport()
    started = time.monotonic()
    full = conf.get("POLL_BATCH")
    with Fetcher() as fetcher:  # one loop and one connection pool for every batch of the run
        while True:
            report = poll_due(
                topic=topic,
                force=force,
                after_id=total.last_id if force else None,
                on_progress=(lambda done: on_progress(total.done + done)) if on_progress else None,
                fetcher=fetcher,
            )
            total.add(report)
            if report.claimed < full or (budget and time.monotonic() - started > budget):
                return total


@dataclass
class _Content:
    """An answer with entries to store."""

    source: Source
    fetched: Fetched
    reading: Reading
    now: datetime
    moved: dict  # {"url": ...} after permanent redirects (updates.moved_to)
    digest: str


def _poll(sources: list[Source], report: PollReport, on_progress, fetcher: Fetcher) -> None:
    by_id = {source.pk: source for source in sources}
    jobs = [FetchJob(s.pk, s.kind, s.url, s.etag, s.last_modified) for s in sources]
    deadline = time.monotonic() + max(conf.get("POLL_LEASE") - LEASE_MARGIN, 10)
    pending = PendingUpdates(token=sources[0].claim_token)
    try:
        for handed in fetcher.fetch_all(jobs, deadline=deadline):
            contents = []
            for fetched in handed:
                content = _handle(by_id[fetched.job.source_id], fetched, report, pending)
                if content is not None:
                    contents.append(content)
            if contents:
                _store(contents, report, pending)
            if on_progress is not None:
                on_progress(report.done)
    finally:
        pending.flush()


def _handle(source: Source, fetched: Fetched, report: PollReport, pending) -> _Content | None:
    """Settle the answer, or return it when it has entries to store."""
    # Whole seconds: answers of the same second share their UPDATE (updates.py).
    now = timezone.now().replace(microsecond=0)
    if fetched.deferred:
        report.deferred += 1
        pending.add(source, {})  # just the lease released: due again at once
        return
    values = moved_to(source, fetched)
    if fetched.error:
        return _error(source, fetched, fetched.error, report, pending, now, values)
    if fetched.status == 304:
        return _unchanged(source, fetched, report, pending, now, values)
    if fetched.status == 410:
        return _gone(source, report, pending, now, values)
    if not 200 <= fetched.status < 300:
        message = f"the server answered HTTP {fetched.status}"
        return _error(source, fetched, message, report, pending, now, values)
    digest = hashlib.sha256(fetched.body).hexdigest()
    if digest == source.content_hash:
        return _unchanged(source, fetched, report, pending, now, values)
    try:
        reading = read(
            source.kind,
            body=fetched.body,
            url=fetched.final_url or source.url,
            charset=fetched.charset,
            content_type=fetched.content_type,
            children=fetched.children,
        )
    except ReadError as error:
        return _error(source, fetched, str(error), report, pending, now, values)
    return _Content(source, fetched, reading, now, values, digest)


def _success(source: Source, fetched: Fetched, now: datetime, *, has_news: bool, ttl=None):
    ttl = ttl if ttl is not None else source.ttl_hint
    interval = schedule.next_interval(source.poll_interval, has_news=has_news, ttl_hint=ttl)
    not_before = schedule.retry_after(fetched.headers.get("retry-after"), now=now)
    values = {
        "last_polled_at": now,
        "poll_interval": interval,
        "next_poll_at": schedule.next_poll(now, interval, not_before=not_before),
        "error_count": 0,
        "last_error": "",
        "failing_since": None,
    }
    # Only validators that changed: unchanged rows then share one UPDATE (updates.py).
    etag = fetched.headers.get("etag", source.etag)[:500]
    modified = fetched.headers.get("last-modified", source.last_modified)[:100]
    if etag != source.etag:
        values["etag"] = etag
    if modified != source.last_modified:
        values["last_modified"] = modified
    return values


def _unchanged(source, fetched, report, pending, now, values) -> None:
    report.unchanged += 1
    values.update(_success(source, fetched, now, has_news=False), last_new_count=0)
    pending.add(source, values)


def _store(contents: list[_Content], report: PollReport, pending) -> None:
    """Hand the entries to suggestions and save the sources: the group in one transaction, or
    when that fails, each source in its own, its failure recorded as its error."""
    if len(contents) > 1:
        try:
            results = _ingest(contents, pending)
        except Exception:  # noqa: BLE001 - told apart source by source below
            log.warning("storing %d sources together failed: one by one", len(contents))
        else:
            for result in results:
                _count(report, result)
            return
    for content in contents:
        try:
            [result] = _ingest([content], pending)
        except Exception as error:  # noqa: BLE001 - one source's failure must not lose the batch
            log.exception("storing the entries of source %s failed", content.source.pk)
            message = f"the entries could not be stored: {error!r}"
            _error(
                content.source, content.fetched, message[:500], report, pending, content.now,
                dict(content.moved),
            )  # fmt: skip
        else:
            _count(report, result)


def _ingest(contents: list[_Content], pending) -> list[IngestResult]:
    """The entries to suggestions, the sources' rows saved in the same transaction."""
    # Looked up at each call, so that tests (and the suggestions app) can provide it.
    from veille.suggestions import services

    def save_sources(results: list[IngestResult]) -> None:
        for content, result in zip(contents, results, strict=True):
            pending.write_now(content.source, _stored_values(content, result))

    batch = [(content.source, content.reading.entries) for content in contents]
    return services.ingest_many(batch, also=save_sources)


def _stored_values(content: _Content, result: IngestResult) -> dict:
    source, reading = content.source, content.reading
    values = {**content.moved, "content_hash": content.digest}
    values.update(
        _success(source, content.fetched, content.now, has_news=result.new > 0, ttl=reading.ttl)
    )
    values.update(last_new_count=result.new, ttl_hint=reading.ttl)
    if reading.title and not source.title:
        values["title"] = reading.title[:300]
    if reading.site_url and not source.site_url:
        values["site_url"] = reading.site_url[:2000]
    return values


def _count(report: PollReport, result: IngestResult) -> None:
    report.updated += 1
    report.new_items += result.new
    report.duplicates += result.duplicates


def _gone(source, report, pending, now, values) -> None:
    report.disabled += 1
    values.update(
        enabled=False,
        next_poll_at=None,
        last_polled_at=now,
        last_error="the feed is gone (HTTP 410): the source was disabled",
        last_error_at=now,
        error_count=source.error_count + 1,
        failing_since=source.failing_since or now,
    )
    report.failures.append((source.pk, source.url, values["last_error"]))
    pending.add(source, values)


def _error(source, fetched, message: str, report, pending, now, values) -> None:
    """Count the error and back off; a broken source keeps being tried, less and less often."""
    report.errors += 1
    count = source.error_count + 1
    not_before = schedule.retry_after(fetched.headers.get("retry-after"), now=now)
    values.update(
        last_polled_at=now,
        next_poll_at=schedule.next_poll(now, schedule.backoff(count), not_before=not_before),
        error_count=count,
        last_error=message[:1000],
        last_error_at=now,
        failing_since=source.failing_since or now,
    )
    report.failures.append((source.pk, source.url, message))
    pending.add(source, values)
