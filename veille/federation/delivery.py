"""Sending Delivery rows: claimed in batches, signed, POSTed concurrently, retried on a schedule.

A worker claims due rows (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL; on SQLite, whose
writers queue, a conditional UPDATE that only one claimer can win), signs each (activity, inbox)
once, and sends the batch through one GuardedSession. Failures wait 1 min, 5 min, 30 min, 2 h,
6 h, 12 h, 24 h, then the row is failed (about two days). A host that keeps failing is marked and
its rows wait for a single probe, so that a dead server does not hold the workers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from veille.core.http import FetchError, GuardedSession, RefusedError
from veille.federation import health, local, signatures
from veille.federation.models import Delivery, DeliveryState, OutboxActivity
from veille.federation.payloads import ACTIVITY_JSON

DEFAULT_SCHEDULE = (60, 300, 1800, 7200, 21600, 43200, 86400)
# A claimed row comes back by itself after this, should its worker die mid-batch.
LEASE = dt.timedelta(minutes=10)
RETRYABLE_4XX = frozenset({401, 408, 425, 429})


def _setting(name: str, default):
    return getattr(settings, name, default)


def retry_schedule() -> tuple[int, ...]:
    """Seconds to wait after each failed attempt (VEILLE_DELIVERY_RETRY_SCHEDULE)."""
    value = _setting("DELIVERY_RETRY_SCHEDULE", DEFAULT_SCHEDULE)
    if isinstance(value, str):
        value = [int(part) for part in value.split(",") if part.strip()]
    return tuple(value)


@dataclass
class Job:
    delivery_id: int
    inbox: str
    host: str
    body: bytes
    headers: dict


@dataclass
class Outcome:
    job: Job
    status: int | None
    error: str
    retry_after: int | None = None
    refused: bool = False  # our own address policy refused it: not the host's fault

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def permanent(self) -> bool:
        """No point retrying: the host answered that it will not take it, or we may not send."""
        status = self.status or 0
        return self.refused or (400 <= status < 500 and status not in RETRYABLE_4XX)


# --- claiming -------------------------------------------------------------------------------


def claim_due(*, limit: int, now: dt.datetime | None = None) -> list[Delivery]:
    """Take up to ``limit`` due rows for this worker; no other worker gets them."""
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        due = Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        Delivery.objects.filter(
            pk__in=ids, state=DeliveryState.PENDING, next_attempt_at__lte=now
        ).update(claim=token, next_attempt_at=now + LEASE)
    return list(
        Delivery.objects.filter(claim=token).select_related("activity__topic", "activity__user")
    )


# --- signing and sending ----------------------------------------------------------------------


def _signer(activity: OutboxActivity) -> tuple[str, str]:
    return local.signer(topic=activity.topic, user=activity.user)


def build_jobs(deliveries: list[Delivery]) -> list[Job]:
    """Sign each row: the body is serialized once per activity, the key loaded once per actor."""
    bodies: dict[uuid.UUID, bytes] = {}
    signers: dict[tuple, tuple[str, str]] = {}
    jobs = []
    for delivery in deliveries:
        activity = delivery.activity
        if activity.pk not in bodies:
            bodies[activity.pk] = json.dumps(activity.activity).encode()
        who = (activity.topic_id, activity.user_id)
        if who not in signers:
            signers[who] = _signer(activity)
        key_id, private_key_pem = signers[who]
        headers = signatures.signed_headers(
            method="POST",
            url=delivery.inbox,
            body=bodies[activity.pk],
            key_id=key_id,
            private_key_pem=private_key_pem,
            headers={"Content-Type": ACTIVITY_JSON},
        )
        jobs.append(Job(delivery.pk, delivery.inbox, delivery.host, bodies[activity.pk], headers))
    return jobs


def _retry_after(result) -> int | None:
    try:
        return int(result.headers.get("Retry-After", ""))
    except ValueError:
        return None


async def _send(session: GuardedSession, gate: asyncio.Semaphore, job: Job) -> Outcome:
    async with gate:
        try:
            result = await session.fetch(
                job.inbox, method="POST", headers=job.headers, data=job.body
            )
        except RefusedError as error:
            return Outcome(job, None, f"{error.code}: {error}", refused=True)
        except FetchError as error:
            return Outcome(job, None, f"{error.code}: {error}")
    error = "" if result.ok else result.body[:300].decode("utf-8", "replace")
    return Outcome(job, result.status, error, _retry_after(result))


async def send_all(jobs: list[Job]) -> list[Outcome]:
    """POST every job through one guarded session (redirects refused: inboxes do not move)."""
    concurrency = int(_setting("DELIVERY_CONCURRENCY", 50))
    gate = asyncio.Semaphore(concurrency)
    async with GuardedSession(
        limit=concurrency,
        limit_per_host=4,
        timeout=float(_setting("DELIVERY_TIMEOUT", 15)),
        max_bytes=64 * 1024,
        max_redirects=0,
    ) as session:
        return await asyncio.gather(*(_send(session, gate, job) for job in jobs))


# --- recording --------------------------------------------------------------------------------


def _next_attempt(attempts: int, outcome: Outcome, now: dt.datetime) -> dt.datetime | None:
    """When to try again after ``attempts`` attempts; None once the schedule is used up."""
    schedule = retry_schedule()
    if outcome.permanent or attempts > len(schedule):
        return None
    wait = max(schedule[attempts - 1], outcome.retry_after or 0)
    return now + dt.timedelta(seconds=wait)


def _apply(delivery: Delivery, outcome: Outcome, now: dt.datetime) -> None:
    delivery.attempts += 1
    delivery.claim = None
    delivery.last_status = outcome.status
    delivery.last_error = outcome.error
    if outcome.ok:
        delivery.state, delivery.sent_at = DeliveryState.SENT, now
        return
    retry_at = _next_attempt(delivery.attempts, outcome, now)
    if retry_at is None:
        delivery.state = DeliveryState.FAILED
    else:
        delivery.next_attempt_at = retry_at


def record(deliveries: list[Delivery], outcomes: list[Outcome]) -> None:
    now = timezone.now()
    by_id = {d.pk: d for d in deliveries}
    for outcome in outcomes:
        _apply(by_id[outcome.job.delivery_id], outcome, now)
    fields = ["attempts", "claim", "last_status", "last_error", "state", "sent_at"]
    Delivery.objects.bulk_update(
        [by_id[o.job.delivery_id] for o in outcomes], [*fields, "next_attempt_at"], batch_size=500
    )
    health.record(outcomes, now=now)


def deliver_batch(*, limit: int | None = None) -> int:
    """Claim, send and record one batch; the number of rows attempted."""
    claimed = claim_due(limit=limit or int(_setting("DELIVERY_BATCH_SIZE", 500)))
    if not claimed:
        return 0
    sendable = health.hold_failing_hosts(claimed, now=timezone.now())
    if sendable:
        record(sendable, asyncio.run(send_all(build_jobs(sendable))))
    return len(claimed)


def deliver_due(*, max_batches: int = 100) -> int:
    """Send every due delivery, batch after batch (bounded, so that a task ends)."""
    total = 0
    for _batch in range(max_batches):
        done = deliver_batch()
        if not done:
            break
        total += done
    return total
