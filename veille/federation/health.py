"""Delivery health per host: a host that keeps failing is skipped until a probe gets through.

A host is *failing* after DELIVERY_HOST_FAILURES consecutive failed deliveries spread over more
than DELIVERY_HOST_FAILING_AFTER seconds (one bad minute is not a dead server). Its due rows then
wait for ``next_try_at``; when that comes, one row goes as a probe and the others wait a little:
a success clears the host and everything flows again, a failure puts it off for another interval.
Rows that have waited longer than the whole retry schedule are skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings

from veille.federation.models import Delivery, DeliveryState, HostHealth

PROBE_WAIT = dt.timedelta(minutes=1)


def _seconds(name: str, default: int) -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, name, default)))


def failure_threshold() -> int:
    return int(getattr(settings, "DELIVERY_HOST_FAILURES", 5))


def is_failing(row: HostHealth, now: dt.datetime) -> bool:
    window = _seconds("DELIVERY_HOST_FAILING_AFTER", 3600)
    return (
        row.consecutive_failures >= failure_threshold()
        and row.failing_since is not None
        and row.failing_since <= now - window
    )


def _max_age() -> dt.timedelta:
    from veille.federation.delivery import retry_schedule

    return dt.timedelta(seconds=sum(retry_schedule())) + dt.timedelta(hours=1)


def hold_failing_hosts(deliveries: list[Delivery], *, now: dt.datetime) -> list[Delivery]:
    """The rows to send now; rows of failing hosts are put off (one per host goes as a probe)."""
    hosts = {d.host for d in deliveries}
    failing = {
        row.host: row
        for row in HostHealth.objects.filter(
            host__in=hosts, consecutive_failures__gte=failure_threshold()
        )
        if is_failing(row, now)
    }
    send, later, probing = [], defaultdict(list), set()
    for delivery in deliveries:
        row = failing.get(delivery.host)
        if row is None:
            send.append(delivery)
        elif row.next_try_at and row.next_try_at > now:
            later[row.next_try_at].append(delivery)
        elif delivery.host not in probing:
            probing.add(delivery.host)
            send.append(delivery)
        else:
            later[now + PROBE_WAIT].append(delivery)
    _postpone(later, now)
    return send


def _postpone(later: dict[dt.datetime, list[Delivery]], now: dt.datetime) -> None:
    too_old = now - _max_age()
    for when, rows in later.items():
        ids = [d.pk for d in rows]
        Delivery.objects.filter(pk__in=ids, activity__created_at__lt=too_old).update(
            state=DeliveryState.SKIPPED, claim=None, last_error="the host kept failing"
        )
        Delivery.objects.filter(pk__in=ids, state=DeliveryState.PENDING).update(
            next_attempt_at=when, claim=None
        )


def record(outcomes, *, now: dt.datetime) -> None:
    """Count each host's results: any answer clears it, failures add up."""
    answered, failures = set(), defaultdict(list)
    for outcome in outcomes:
        if outcome.ok or (outcome.permanent and not outcome.refused):
            answered.add(outcome.job.host)
        elif not outcome.refused:
            failures[outcome.job.host].append(outcome.error)
    HostHealth.objects.bulk_create(
        [HostHealth(host=h) for h in answered | set(failures)], ignore_conflicts=True
    )
    HostHealth.objects.filter(host__in=answered).update(
        consecutive_failures=0, failing_since=None, next_try_at=None, last_success_at=now
    )
    _count_failures({h: e for h, e in failures.items() if h not in answered}, now)


def _count_failures(failures: dict[str, list[str]], now: dt.datetime) -> None:
    rows = list(HostHealth.objects.filter(host__in=failures))
    probe_interval = _seconds("DELIVERY_HOST_PROBE_INTERVAL", 3600)
    for row in rows:
        errors = failures[row.host]
        row.consecutive_failures += len(errors)
        row.failing_since = row.failing_since or now
        row.last_error = errors[-1][:1000]
        if is_failing(row, now):
            row.next_try_at = now + probe_interval
    HostHealth.objects.bulk_update(
        rows, ["consecutive_failures", "failing_since", "last_error", "next_try_at"]
    )
