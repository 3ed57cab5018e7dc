"""Fediverse followers of our topics and curators: follow requests, approval, removal.

A topic that approves followers by hand keeps requests pending for its curators; others are
accepted at once. Removing a follower sends Reject{Follow}, which Mastodon reads as "you no longer
follow" (https://docs.joinmastodon.org/spec/activitypub/#Reject).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from veille.federation import activities, local, outbox
from veille.federation.models import Follower, FollowState, RemoteActor
from veille.topics.models import Topic
from veille.topics.permissions import require_curator


def _count(follower: Follower, delta: int) -> None:
    if follower.topic_id:
        Topic.objects.filter(pk=follower.topic_id).update(
            follower_count=Greatest(F("follower_count") + delta, 0)
        )


def _follow_activity(follower: Follower, target_id: str) -> dict:
    return activities.follow_reference(
        follow_id=follower.follow_activity_id, follower=follower.actor.uri, target=target_id
    )


def _answer(follower: Follower, build) -> None:
    """Send Accept or Reject of the follower's Follow, from the topic or user it followed."""
    target_id = local.actor_id(topic=follower.topic, user=follower.user)
    activity = build(actor=target_id, follow_activity=_follow_activity(follower, target_id))
    row = outbox.record(
        activity=activity,
        topic=follower.topic,
        user=follower.user,
        object_uri=follower.follow_activity_id,
    )
    outbox.deliver(row, [outbox.inbox_of(follower.actor)])


@transaction.atomic
def follow_received(*, actor: RemoteActor, target, follow_id: str) -> Follower:
    """A remote actor asked to follow our topic or user (``target``)."""
    is_topic = isinstance(target, Topic)
    follower, _created = Follower.objects.select_for_update().get_or_create(
        actor=actor,
        **({"topic": target} if is_topic else {"user": target}),
        defaults={"state": FollowState.PENDING, "follow_activity_id": follow_id},
    )
    follower.follow_activity_id = follow_id
    if follower.state == FollowState.REJECTED:
        follower.state = FollowState.PENDING  # asking again after a removal
    follower.save(update_fields=["follow_activity_id", "state"])
    if follower.state == FollowState.PENDING and is_topic and target.approve_followers:
        return follower
    return _accept(follower)


def _accept(follower: Follower) -> Follower:
    if follower.state != FollowState.ACCEPTED:
        follower.state = FollowState.ACCEPTED
        follower.save(update_fields=["state"])
        _count(follower, +1)
    _answer(follower, activities.accept)  # again for a repeated Follow: it was maybe lost
    return follower


@transaction.atomic
def follower_approve(*, follower: Follower, by) -> Follower:
    require_curator(by, follower.topic)
    return _accept(follower)


@transaction.atomic
def follower_reject(*, follower: Follower, by) -> Follower:
    """Refuse a request, or remove an accepted follower: both send Reject{Follow}."""
    require_curator(by, follower.topic)
    if follower.state == FollowState.ACCEPTED:
        _count(follower, -1)
    follower.state = FollowState.REJECTED
    follower.save(update_fields=["state"])
    _answer(follower, activities.reject)
    return follower


@transaction.atomic
def follow_undone(*, actor: RemoteActor, target=None, follow_id: str = "") -> bool:
    """The actor stopped following (Undo{Follow}): by the Follow's id, or by its target."""
    follows = Follower.objects.select_for_update().filter(actor=actor)
    if target is not None:
        key = "topic" if isinstance(target, Topic) else "user"
        follows = follows.filter(**{key: target})
    elif follow_id:
        follows = follows.filter(follow_activity_id=follow_id)
    else:
        return False
    follower = follows.first()
    if follower is None:
        return False
    if follower.state == FollowState.ACCEPTED:
        _count(follower, -1)
    follower.delete()
    return True
