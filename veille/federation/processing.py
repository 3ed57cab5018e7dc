"""Handling the activities stored by the inbox, one handler per activity type.

The inbox verified the signature and that the signer is the activity's actor; handlers check
the rest (an object is about our posts or actors, a note is by the actor who sent it). What we
do not handle is stored and marked ignored: never an error to the sender.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from veille.federation import followers, local, notes
from veille.federation.models import (
    Following,
    FollowingState,
    InboxMessage,
    MessageState,
    ReactionKind,
    RemoteActor,
    RemoteReaction,
)
from veille.federation.notes import Ignored
from veille.federation.payloads import embedded, id_of, type_of
from veille.topics.models import Scoop

log = logging.getLogger(__name__)


# --- follows ----------------------------------------------------------------------------------


def on_follow(activity: dict, actor: RemoteActor) -> None:
    target = local.actor_for(id_of(activity.get("object")))
    if target is None:
        raise Ignored("the Follow is not for one of our actors")
    followers.follow_received(actor=actor, target=target, follow_id=id_of(activity))


def _our_follow(activity: dict, actor: RemoteActor) -> Following | None:
    """The Following that an Accept or Reject from ``actor`` answers."""
    follow = activity.get("object")
    follows = Following.objects.filter(actor=actor)
    found = follows.filter(follow_activity_id=id_of(follow)).first()
    inner = embedded(follow)
    if found is None and inner is not None and id_of(inner.get("object")) == actor.uri:
        user = local.actor_for(id_of(inner.get("actor")))
        found = follows.filter(user=user).first() if user is not None else None
    return found


def on_accept(activity: dict, actor: RemoteActor) -> None:
    following = _our_follow(activity, actor)
    if following is None:
        raise Ignored("no follow of ours to accept")
    following.state = FollowingState.ACCEPTED
    following.save(update_fields=["state"])


def on_reject(activity: dict, actor: RemoteActor) -> None:
    following = _our_follow(activity, actor)
    if following is None:
        raise Ignored("no follow of ours to reject")
    following.delete()


# --- likes and shares -------------------------------------------------------------------------


def _react(activity: dict, actor: RemoteActor, kind: str) -> None:
    scoop = local.scoop_for(id_of(activity.get("object")))
    if scoop is None:
        raise Ignored("not about one of our posts")
    _reaction, created = RemoteReaction.objects.get_or_create(
        scoop=scoop, actor=actor, kind=kind, defaults={"activity_id": id_of(activity)[:2000]}
    )
    if created and kind == ReactionKind.LIKE:
        Scoop.objects.filter(pk=scoop.pk).update(thanks_count=F("thanks_count") + 1)


def on_like(activity: dict, actor: RemoteActor) -> None:
    _react(activity, actor, ReactionKind.LIKE)


def on_announce(activity: dict, actor: RemoteActor) -> None:
    _react(activity, actor, ReactionKind.ANNOUNCE)


def _unreact(actor: RemoteActor, undone: dict) -> None:
    reactions = RemoteReaction.objects.filter(actor=actor)
    kind = ReactionKind.LIKE if undone["type"] == "Like" else ReactionKind.ANNOUNCE
    matched = reactions.filter(activity_id=undone["id"]) if undone["id"] else reactions.none()
    if not matched.exists():
        scoop = local.scoop_for(id_of(undone.get("object")))
        matched = reactions.filter(scoop=scoop, kind=kind) if scoop else reactions.none()
    for reaction in matched:
        if reaction.kind == ReactionKind.LIKE:
            Scoop.objects.filter(pk=reaction.scoop_id).update(
                thanks_count=Greatest(F("thanks_count") - 1, 0)
            )
        reaction.delete()


# --- undo -------------------------------------------------------------------------------------


def _undone(activity: dict, actor: RemoteActor) -> dict:
    """The activity being undone, embedded or (sent by id) as we stored it."""
    inner = embedded(activity.get("object"))
    if inner is None:
        stored = InboxMessage.objects.filter(
            activity_id=id_of(activity.get("object")), actor_uri=actor.uri
        ).first()
        inner = stored.payload if stored is not None else {}
    if id_of(inner.get("actor")) not in ("", actor.uri):
        raise Ignored("an actor can only undo its own activities")
    return {**inner, "id": id_of(inner), "type": type_of(inner)}


def on_undo(activity: dict, actor: RemoteActor) -> None:
    undone = _undone(activity, actor)
    if undone["type"] == "Follow":
        target = local.actor_for(id_of(undone.get("object")))
        if not followers.follow_undone(actor=actor, target=target, follow_id=undone["id"]):
            raise Ignored("no such follow")
    elif undone["type"] in ("Like", "Announce"):
        _unreact(actor, undone)
    else:
        raise Ignored(f"undo of {undone['type'] or 'an unknown activity'} is not handled")


HANDLERS = {
    "Follow": on_follow,
    "Accept": on_accept,
    "Reject": on_reject,
    "Undo": on_undo,
    "Like": on_like,
    "Announce": on_announce,
    "Create": notes.on_create,
    "Update": notes.on_update,
    "Delete": notes.on_delete,
    "Move": notes.on_move,
}


def handle(activity: dict, actor: RemoteActor) -> tuple[str, str]:
    """Run the handler of the activity's type: (state, why when it was ignored or failed)."""
    handler = HANDLERS.get(type_of(activity))
    if handler is None:
        return MessageState.IGNORED, f"{type_of(activity) or 'untyped'} activities are not handled"
    try:
        with transaction.atomic():
            handler(activity, actor)
    except Ignored as reason:
        return MessageState.IGNORED, str(reason)
    except Exception as error:  # noqa: BLE001 - one bad message must not stop the queue
        log.exception("federation: handling %s failed", id_of(activity))
        return MessageState.FAILED, f"{type(error).__name__}: {error}"
    return MessageState.PROCESSED, ""


def process_message(*, message_id: int) -> str | None:
    """Handle a stored message once (a second call, or a second worker, does nothing)."""
    now = timezone.now()
    claimed = InboxMessage.objects.filter(
        pk=message_id, state=MessageState.RECEIVED, processed_at__isnull=True
    ).update(processed_at=now)
    if not claimed:
        return None
    message = InboxMessage.objects.get(pk=message_id)
    actor = RemoteActor.objects.filter(uri=message.actor_uri).first()
    if actor is None:
        state, error = MessageState.FAILED, "the actor is no longer known"
    else:
        state, error = handle(message.payload, actor)
    InboxMessage.objects.filter(pk=message_id).update(
        state=state, error=error, processed_at=timezone.now()
    )
    return state


def process_waiting(*, older_than_seconds: int = 120) -> int:
    """Safety net: handle messages whose task was lost (stored, never claimed)."""
    before = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    waiting = InboxMessage.objects.filter(
        state=MessageState.RECEIVED, processed_at__isnull=True, received_at__lt=before
    ).values_list("pk", flat=True)[:500]
    return sum(1 for pk in list(waiting) if process_message(message_id=pk))
