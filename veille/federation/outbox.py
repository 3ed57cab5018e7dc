"""Recording what our actors send, and the Delivery rows that carry it to each inbox.

Followers on one host usually share an inbox (``endpoints.sharedInbox``): an activity goes once to
each distinct inbox URL, so a host with a thousand followers of a topic gets one POST, signed once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from veille.core.urls_util import absolute_url
from veille.federation import blocks
from veille.federation.models import (
    Delivery,
    Follower,
    FollowState,
    OutboxActivity,
    RemoteActor,
)
from veille.federation.payloads import host_of, hostname_of
from veille.federation.remote import allow_http


def activity_url(pk) -> str:
    return absolute_url(reverse("federation:activity", args=[pk]))


def _row_id(activity: dict) -> uuid.UUID:
    """The id documents.py gave the activity (/activities/<uuid>) when still free, else a new one.

    documents.py derives stable ids from the post, so that its outbox and our deliveries name the
    same activity; a post published again after a deletion needs a fresh one.
    """
    prefix = activity_url(uuid.UUID(int=0)).rsplit("/", 1)[0] + "/"
    given = activity.get("id")
    if isinstance(given, str) and given.startswith(prefix):
        try:
            pk = uuid.UUID(given[len(prefix) :])
        except ValueError:
            pk = None
        if pk is not None and not OutboxActivity.objects.filter(pk=pk).exists():
            return pk
    return uuid.uuid4()


def record(
    *, activity: dict, topic=None, user=None, object_uri: str = "", note: bool = False
) -> OutboxActivity:
    """Store an activity of the topic, the user or the instance, served at its id.

    With ``note``, the embedded object (a reply we wrote) gets its id under the activity's.
    """
    row = OutboxActivity(
        id=_row_id(activity), topic=topic, user=user, activity_type=activity["type"]
    )
    activity = {**activity, "id": activity_url(row.pk)}
    if note:
        note_id = f"{activity['id']}/object"
        activity["object"] = {**activity["object"], "id": note_id, "url": note_id}
    row.activity = activity
    row.object_uri = object_uri or (activity["object"]["id"] if note else "")
    row.save()
    return row


def _deliverable(inbox: str, blocked: set[str]) -> bool:
    if not inbox.startswith("https://") and not (inbox.startswith("http://") and allow_http()):
        return False
    return not blocks.domain_in(hostname_of(inbox), blocked)


def deliver(row: OutboxActivity, inboxes: Iterable[str]) -> int:
    """One Delivery per distinct inbox (https, not blocked), sent once the transaction commits."""
    blocked = blocks.blocked_domains()
    targets = sorted({i for i in inboxes if i and _deliverable(i, blocked)})
    now = timezone.now()
    Delivery.objects.bulk_create(
        [Delivery(activity=row, inbox=i, host=host_of(i), next_attempt_at=now) for i in targets],
        ignore_conflicts=True,
        batch_size=500,
    )
    if targets:
        from veille.federation.tasks import deliver_due

        transaction.on_commit(deliver_due)
    return len(targets)


def inbox_of(actor: RemoteActor) -> str:
    """Where to send an activity meant for this actor alone (its own inbox first)."""
    return actor.inbox or actor.shared_inbox


def follower_inboxes(*, topic=None, user=None) -> set[str]:
    """The distinct inboxes of the accepted followers: shared ones stand for their host."""
    followers = Follower.objects.filter(state=FollowState.ACCEPTED)
    followers = followers.filter(topic=topic) if topic is not None else followers.filter(user=user)
    rows = followers.values_list("actor__shared_inbox", "actor__inbox")
    return {shared or own for shared, own in rows if shared or own}
