"""Delivery: one row per inbox, signed POSTs, the retry schedule, and host health."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from veille.federation import delivery, health, ids, keys, outbox, services, signatures
from veille.federation.models import (
    Delivery,
    DeliveryState,
    DomainBlock,
    Follower,
    FollowState,
    HostHealth,
    OutboxActivity,
    RemoteActor,
)
from veille.federation.signatures import verify_request
from veille.federation.tests.peers import posted_activities

pytestmark = pytest.mark.django_db
SCHEDULE = (60, 300, 1800, 7200, 21600, 43200, 86400)


def follower(topic, uri, *, inbox, shared="") -> Follower:
    actor = RemoteActor.objects.create(
        uri=uri, domain=uri.split("/")[2], inbox=inbox, shared_inbox=shared
    )
    return Follower.objects.create(topic=topic, actor=actor, state=FollowState.ACCEPTED)


def make_due():
    Delivery.objects.filter(state=DeliveryState.PENDING).update(next_attempt_at=timezone.now())


# --- rows -------------------------------------------------------------------------------------


def test_followers_sharing_an_inbox_get_one_delivery(topic, make_scoop, settings):
    settings.FEDERATION_ALLOW_HTTP = False
    for name in ("a", "b", "c"):
        follower(
            topic,
            f"https://masto.example/users/{name}",
            inbox=f"https://masto.example/users/{name}/inbox",
            shared="https://masto.example/inbox",
        )
    follower(topic, "https://gts.example/users/d", inbox="https://gts.example/users/d/inbox")
    follower(topic, "http://plain.example/users/e", inbox="http://plain.example/users/e/inbox")
    pending = follower(
        topic, "https://masto.example/users/f", inbox="https://masto.example/users/f/inbox"
    )
    Follower.objects.filter(pk=pending.pk).update(state=FollowState.PENDING)
    services.scoop_published(scoop_id=make_scoop("Shared").pk)
    rows = Delivery.objects.order_by("inbox")
    assert [(d.inbox, d.host) for d in rows] == [
        ("https://gts.example/users/d/inbox", "gts.example"),
        ("https://masto.example/inbox", "masto.example"),
    ]


def test_blocked_domains_get_no_delivery(topic, make_scoop):
    follower(topic, "https://bad.example/users/a", inbox="https://bad.example/users/a/inbox")
    follower(topic, "https://good.example/users/a", inbox="https://good.example/users/a/inbox")
    DomainBlock.objects.create(domain="bad.example")
    services.scoop_published(scoop_id=make_scoop("Blocked").pk)
    assert list(Delivery.objects.values_list("host", flat=True)) == ["good.example"]


def test_deliveries_leave_when_the_transaction_commits(
    topic, make_scoop, fediverse, django_capture_on_commit_callbacks
):
    follower(topic, fediverse.url("/users/a"), inbox=fediverse.url("/users/a/inbox"))
    with django_capture_on_commit_callbacks(execute=True):
        make_scoop("Out")  # publishing a scoop federates it
    assert [a["type"] for a in posted_activities(fediverse)] == ["Create"]
    assert Delivery.objects.get().state == DeliveryState.SENT


# --- sending ----------------------------------------------------------------------------------


def test_each_inbox_gets_the_same_body_signed_by_the_topic(
    topic, make_scoop, fediverse, monkeypatch
):
    for n in range(4):
        follower(topic, fediverse.url(f"/users/{n}"), inbox=fediverse.url(f"/inbox/{n % 2}"))
    services.scoop_published(scoop_id=make_scoop("Signed").pk)
    calls = []
    real = signatures.signed_headers
    monkeypatch.setattr(signatures, "signed_headers", lambda **kw: calls.append(kw) or real(**kw))
    assert delivery.deliver_due() == 2
    assert len(calls) == 2  # one per inbox, not per follower
    bodies = {body for _path, _headers, body in fediverse.posts}
    assert len(bodies) == 1
    public_pem = keys.key_for_topic(topic).public_key_pem
    for path, headers, body in fediverse.posts:
        verified = verify_request(
            method="POST",
            path=path,
            headers=headers,
            body=body,
            get_public_key=lambda key_id, refresh: public_pem,
        )
        assert verified.key_id == ids.key_id(ids.topic_actor_id(topic))
        assert headers["Content-Type"] == "application/activity+json"
    assert json.loads(bodies.pop())["id"] == OutboxActivity.objects.get().activity["id"]
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_failures_back_off_over_two_days_then_fail(topic, make_scoop, fediverse):
    fediverse.post_status = 503
    follower(topic, fediverse.url("/users/a"), inbox=fediverse.url("/users/a/inbox"))
    services.scoop_published(scoop_id=make_scoop("Retried").pk)
    waits = []
    for _attempt in range(len(SCHEDULE) + 1):
        before = timezone.now()
        delivery.deliver_due()
        row = Delivery.objects.get()
        if row.state == DeliveryState.PENDING:
            waits.append(round((row.next_attempt_at - before).total_seconds() / 10) * 10)
        make_due()
        HostHealth.objects.update(consecutive_failures=0, failing_since=None)  # health apart
    assert waits == list(SCHEDULE)
    row = Delivery.objects.get()
    assert (row.state, row.attempts, row.last_status) == (DeliveryState.FAILED, 8, 503)
    assert sum(SCHEDULE) > 24 * 3600


def test_refusal_by_the_inbox_fails_at_once(topic, make_scoop, fediverse):
    fediverse.post_status = 403
    follower(topic, fediverse.url("/users/a"), inbox=fediverse.url("/users/a/inbox"))
    services.scoop_published(scoop_id=make_scoop("Refused").pk)
    delivery.deliver_due()
    assert Delivery.objects.get().state == DeliveryState.FAILED
    assert HostHealth.objects.get().consecutive_failures == 0  # it answered: it is alive


def test_a_closed_port_is_retried(topic, make_scoop, settings):
    settings.FEDERATION_ALLOW_HTTP, settings.FETCH_ALLOW_HOSTS = True, ["127.0.0.1"]
    follower(topic, "http://127.0.0.1:9/users/a", inbox="http://127.0.0.1:9/users/a/inbox")
    services.scoop_published(scoop_id=make_scoop("Closed").pk)
    delivery.deliver_due()
    row = Delivery.objects.get()
    assert (row.state, row.attempts, row.last_status) == (DeliveryState.PENDING, 1, None)
    assert "connection" in row.last_error


def test_too_many_requests_waits_as_long_as_asked(topic, make_scoop, fediverse):
    base = fediverse.server.RequestHandlerClass

    class Busy(base):
        def do_POST(self):
            self.send_response(429)
            self.send_header("Retry-After", "900")
            self.send_header("Content-Length", "0")
            self.end_headers()

    fediverse.server.RequestHandlerClass = Busy
    follower(topic, fediverse.url("/users/a"), inbox=fediverse.url("/users/a/inbox"))
    services.scoop_published(scoop_id=make_scoop("Busy").pk)
    delivery.deliver_due()
    row = Delivery.objects.get()
    assert row.next_attempt_at - timezone.now() > dt.timedelta(seconds=850)


# --- claiming ---------------------------------------------------------------------------------


def test_claimed_rows_are_not_claimed_again(topic, make_scoop):
    for n in range(5):
        follower(topic, f"https://h{n}.example/u", inbox=f"https://h{n}.example/inbox")
    services.scoop_published(scoop_id=make_scoop("Claimed").pk)
    first = delivery.claim_due(limit=3)
    second = delivery.claim_due(limit=3)
    assert (len(first), len(second)) == (3, 2)
    assert not {d.pk for d in first} & {d.pk for d in second}
    assert delivery.claim_due(limit=3) == []


# --- host health ------------------------------------------------------------------------------


def failing_host(host: str, *, since_hours: float = 2) -> HostHealth:
    return HostHealth.objects.create(
        host=host,
        consecutive_failures=5,
        failing_since=timezone.now() - dt.timedelta(hours=since_hours),
    )


def test_host_failing_for_an_hour_is_marked_after_five_failures(topic, make_scoop, fediverse):
    fediverse.post_status = 500
    follower(topic, fediverse.url("/users/a"), inbox=fediverse.url("/users/a/inbox"))
    services.scoop_published(scoop_id=make_scoop("Down").pk)
    host = HostHealth.objects.create(
        host=fediverse.url("").split("/")[2],
        consecutive_failures=4,
        failing_since=timezone.now() - dt.timedelta(minutes=90),
    )
    delivery.deliver_due()
    host.refresh_from_db()
    assert host.consecutive_failures == 5
    assert health.is_failing(host, timezone.now())
    assert host.next_try_at > timezone.now() + dt.timedelta(minutes=59)


def test_five_quick_failures_do_not_mark_a_host(fediverse):
    host = HostHealth.objects.create(
        host="quick.example", consecutive_failures=9, failing_since=timezone.now()
    )
    assert not health.is_failing(host, timezone.now())


def test_deliveries_to_a_failing_host_wait_for_its_next_try(topic, make_scoop, fediverse):
    follower(topic, fediverse.url("/users/a"), inbox=fediverse.url("/users/a/inbox"))
    row = failing_host(fediverse.url("").split("/")[2])
    row.next_try_at = timezone.now() + dt.timedelta(minutes=30)
    row.save()
    services.scoop_published(scoop_id=make_scoop("Held").pk)
    delivery.deliver_due()
    held = Delivery.objects.get()
    assert fediverse.posts == []
    assert (held.state, held.attempts, held.next_attempt_at) == (
        DeliveryState.PENDING,
        0,
        row.next_try_at,
    )


def test_one_probe_goes_and_its_success_lets_the_rest_through(topic, make_scoop, fediverse):
    for n in range(3):
        follower(topic, fediverse.url(f"/users/{n}"), inbox=fediverse.url(f"/users/{n}/inbox"))
    host = failing_host(fediverse.url("").split("/")[2])
    services.scoop_published(scoop_id=make_scoop("Probe").pk)
    delivery.deliver_due()
    assert len(fediverse.posts) == 1  # the probe
    host.refresh_from_db()
    assert (host.consecutive_failures, host.failing_since, host.next_try_at) == (0, None, None)
    make_due()
    delivery.deliver_due()
    assert len(fediverse.posts) == 3
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_failed_probe_puts_the_host_off_again(topic, make_scoop, fediverse):
    fediverse.post_status = 502
    for n in range(2):
        follower(topic, fediverse.url(f"/users/{n}"), inbox=fediverse.url(f"/users/{n}/inbox"))
    host = failing_host(fediverse.url("").split("/")[2])
    services.scoop_published(scoop_id=make_scoop("Still down").pk)
    delivery.deliver_due()
    host.refresh_from_db()
    assert len(fediverse.posts) == 1
    assert host.consecutive_failures == 6
    assert host.next_try_at > timezone.now() + dt.timedelta(minutes=59)


def test_deliveries_that_waited_too_long_for_a_failing_host_are_skipped(
    topic, make_scoop, fediverse
):
    follower(topic, fediverse.url("/users/a"), inbox=fediverse.url("/users/a/inbox"))
    row = failing_host(fediverse.url("").split("/")[2], since_hours=80)
    row.next_try_at = timezone.now() + dt.timedelta(hours=1)
    row.save()
    services.scoop_published(scoop_id=make_scoop("Old").pk)
    OutboxActivity.objects.update(created_at=timezone.now() - dt.timedelta(days=3))
    delivery.deliver_due()
    assert Delivery.objects.get().state == DeliveryState.SKIPPED


def test_activity_to_one_actor_goes_to_its_own_inbox(fediverse):
    actor = RemoteActor.objects.create(
        uri="https://x.example/u",
        domain="x.example",
        inbox="https://x.example/u/inbox",
        shared_inbox="https://x.example/inbox",
    )
    assert outbox.inbox_of(actor) == "https://x.example/u/inbox"
