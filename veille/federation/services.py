"""What our actors send: scoops to a topic's followers; a local user's follows, likes, replies.

Each function stores an OutboxActivity and its Delivery rows in the caller's transaction; the
deliveries leave when it commits. The scoop functions are safe to call more than once: a scoop
goes out once (Create, or Announce for a rescoop), later calls send what changed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from veille.core.markdown import render_markdown
from veille.core.ratelimit import RateLimited, hit_rate_limit
from veille.federation import activities, blocks, documents, ids, local, outbox, remote
from veille.federation.models import (
    Following,
    FollowingState,
    OutboxActivity,
    RemoteActor,
    RemotePost,
)
from veille.topics.models import Scoop, Topic

REPLY_MAX_LENGTH = 5000


# --- scoops -----------------------------------------------------------------------------------


def _latest(object_uri: str, kinds: tuple[str, str]) -> OutboxActivity | None:
    return (
        OutboxActivity.objects.filter(object_uri=object_uri, activity_type__in=kinds)
        .order_by("-created_at")
        .first()
    )


def _is_out(object_uri: str, sent: str, retracted: str) -> OutboxActivity | None:
    """The activity that put the object out (Create, Announce) unless retracted since."""
    latest = _latest(object_uri, (sent, retracted))
    return latest if latest is not None and latest.activity_type == sent else None


def _to_followers(activity: dict, *, topic: Topic, object_uri: str) -> OutboxActivity:
    row = outbox.record(activity=activity, topic=topic, object_uri=object_uri)
    outbox.deliver(row, outbox.follower_inboxes(topic=topic))
    return row


def _publish(scoop: Scoop) -> list[OutboxActivity]:
    """Send what is not out yet: the Announce of a rescoop's origin, the scoop's note."""
    object_id, sent = ids.post_object_id(scoop), []
    if scoop.origin_id and not _is_out(object_id, "Announce", "Undo"):
        sent.append(_to_followers(documents.announce_activity(scoop), **_about(scoop)))
    wants_note = not scoop.origin_id or bool(scoop.insight_markdown.strip())
    if wants_note and not _is_out(object_id, "Create", "Delete"):
        # A rescoop's note answers its origin (inReplyTo): the insight joins that thread.
        sent.append(_to_followers(documents.create_activity(scoop), **_about(scoop)))
    return sent


def _about(scoop: Scoop) -> dict:
    return {"topic": scoop.topic, "object_uri": ids.post_object_id(scoop)}


def _retract(topic: Topic, object_id: str) -> list[OutboxActivity]:
    """Take a post back: Delete its note, Undo the Announce of a rescoop."""
    actor, sent = local.actor_id(topic=topic), []
    if _is_out(object_id, "Create", "Delete"):
        activity = activities.delete(actor=actor, object_id=object_id)
        sent.append(_to_followers(activity, topic=topic, object_uri=object_id))
    announce = _is_out(object_id, "Announce", "Undo")
    if announce is not None:
        activity = activities.undo(actor=actor, activity=announce.activity)
        sent.append(_to_followers(activity, topic=topic, object_uri=object_id))
    return sent


def _scoop(scoop_id: int) -> Scoop | None:
    return Scoop.objects.select_related("topic", "origin__topic").filter(pk=scoop_id).first()


@transaction.atomic
def scoop_published(*, scoop_id: int) -> list[OutboxActivity]:
    """A scoop (or rescoop) was published: Create{Note} (Announce for a rescoop) to followers."""
    scoop = _scoop(scoop_id)
    if scoop is None or not scoop.is_published:
        return []
    return _publish(scoop)


# A rescoop is a scoop whose publication also announces its origin: the same function serves.
rescoop_published = scoop_published


@transaction.atomic
def scoop_updated(*, scoop_id: int) -> list[OutboxActivity]:
    """A scoop changed: Update its note, send it if newly published, retract it if unpublished."""
    scoop = _scoop(scoop_id)
    if scoop is None:
        return []
    object_id = ids.post_object_id(scoop)
    if not scoop.is_published:
        return _retract(scoop.topic, object_id)
    sent = []
    if _is_out(object_id, "Create", "Delete"):
        sent.append(_to_followers(documents.update_activity(scoop), **_about(scoop)))
    return sent + _publish(scoop)


@transaction.atomic
def scoop_deleted(*, scoop_id: int, object_id: str, topic_id: int) -> list[OutboxActivity]:
    """A scoop is gone (``object_id`` was its id): Delete{Tombstone}, Undo of its Announce."""
    topic = Topic.objects.filter(pk=topic_id).first()
    return [] if topic is None else _retract(topic, object_id)


# --- a local user and remote accounts ---------------------------------------------------------


def _refuse(error: remote.RemoteError) -> ValidationError:
    messages = {
        "bad_handle": _("Enter an address like @name@example.social."),
        "local": _("This account is on this server: follow it here."),
        "blocked": _("This server is blocked here."),
    }
    default = _("This account could not be found (%(reason)s).") % {"reason": error}
    return ValidationError({"handle": messages.get(error.code, default)})


def follow_remote(*, user, handle: str) -> Following:
    """Follow "@name@host" (WebFinger, then the actor), or an actor's address."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to follow accounts of the fediverse."))
    try:
        actor = remote.lookup(handle)
    except remote.RemoteError as error:
        raise _refuse(error) from error
    return follow_actor(user=user, actor=actor)


@transaction.atomic
def follow_actor(*, user, actor: RemoteActor) -> Following:
    following = Following.objects.filter(user=user, actor=actor).first()
    if following is not None:
        return following
    if blocks.is_blocked(actor.uri):
        raise _refuse(remote.RemoteError("blocked", actor.uri))
    activity = activities.follow(actor=local.actor_id(user=user), target=actor.uri)
    row = outbox.record(activity=activity, user=user, object_uri=actor.uri)
    outbox.deliver(row, [outbox.inbox_of(actor)])
    return Following.objects.create(
        user=user, actor=actor, state=FollowingState.PENDING, follow_activity_id=row.activity["id"]
    )


@transaction.atomic
def unfollow_remote(*, user, actor: RemoteActor) -> bool:
    following = Following.objects.filter(user=user, actor=actor).first()
    if following is None:
        return False
    me = local.actor_id(user=user)
    follow = activities.follow_reference(
        follow_id=following.follow_activity_id, follower=me, target=actor.uri
    )
    row = outbox.record(
        activity=activities.undo(actor=me, activity={**follow, "to": [actor.uri]}),
        user=user,
        object_uri=actor.uri,
    )
    outbox.deliver(row, [outbox.inbox_of(actor)])
    following.delete()
    return True


def _require_visible(user, post: RemotePost) -> None:
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in first."))
    if not Following.objects.filter(user=user, actor_id=post.actor_id).exists():
        raise PermissionDenied(_("You do not follow this account."))


@transaction.atomic
def like_remote(*, user, post: RemotePost) -> OutboxActivity:
    """Like a remote post (once: liking it again changes nothing)."""
    _require_visible(user, post)
    done = OutboxActivity.objects.filter(user=user, activity_type="Like", object_uri=post.uri)
    if done.exists():
        return done.first()
    activity = activities.like(
        actor=local.actor_id(user=user), object_id=post.uri, author=post.actor.uri
    )
    row = outbox.record(activity=activity, user=user, object_uri=post.uri)
    outbox.deliver(row, [outbox.inbox_of(post.actor)])
    return row


def _reply_html(user, text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write something first.")})
    if len(text) > REPLY_MAX_LENGTH:
        raise ValidationError({"text": _("A reply is at most 5,000 characters long.")})
    try:
        hit_rate_limit("comment", user.pk)
    except RateLimited as exc:
        message = _("You are replying too fast. Try again in %(s)d seconds.")
        raise ValidationError({"text": message % {"s": exc.retry_after}}) from exc
    return render_markdown(text)


@transaction.atomic
def reply_remote(*, user, post: RemotePost, text: str) -> OutboxActivity:
    """A public reply to a remote post, to its author and to the user's followers."""
    _require_visible(user, post)
    activity = activities.reply(
        actor=local.actor_id(user=user),
        note_id="",  # given by outbox.record
        in_reply_to=post.uri,
        author=post.actor.uri,
        author_handle=post.actor.handle,
        html=_reply_html(user, text),
    )
    row = outbox.record(activity=activity, user=user, note=True)
    inboxes = {outbox.inbox_of(post.actor)} | outbox.follower_inboxes(user=user)
    outbox.deliver(row, inboxes)
    return row
