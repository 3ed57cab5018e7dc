"""The activities we build ourselves: follows and their answers, likes, replies, retractions.

Scoops and actors are described by documents.py; these are the small social activities around
them. Ids are given by outbox.record() (https://www.w3.org/TR/activitypub/#obj-id).
"""

from __future__ import annotations

from django.utils import timezone

from veille.federation import ids
from veille.federation.documents import CONTEXT


def _activity(kind: str, actor: str, obj, **extra) -> dict:
    return {"@context": CONTEXT, "type": kind, "actor": actor, "object": obj, **extra}


def follow(*, actor: str, target: str) -> dict:
    return _activity("Follow", actor, target, to=[target])


def follow_reference(*, follow_id: str, follower: str, target: str) -> dict:
    """The Follow an Accept, Reject or Undo is about, as Mastodon expects it embedded."""
    return {"id": follow_id, "type": "Follow", "actor": follower, "object": target}


def accept(*, actor: str, follow_activity: dict) -> dict:
    return _activity("Accept", actor, follow_activity, to=[follow_activity["actor"]])


def reject(*, actor: str, follow_activity: dict) -> dict:
    return _activity("Reject", actor, follow_activity, to=[follow_activity["actor"]])


def undo(*, actor: str, activity: dict) -> dict:
    undone = {k: v for k, v in activity.items() if k != "@context"}
    return _activity("Undo", actor, undone, to=activity.get("to", []), cc=activity.get("cc", []))


def like(*, actor: str, object_id: str, author: str) -> dict:
    return _activity("Like", actor, object_id, to=[author])


def delete(*, actor: str, object_id: str) -> dict:
    """Delete{Tombstone} of a post, also when its row is gone (documents.py needs the scoop)."""
    tombstone = {"id": object_id, "type": "Tombstone", "formerType": "Note"}
    return _activity("Delete", actor, tombstone, to=[ids.PUBLIC], cc=[ids.followers_url(actor)])


def reply(
    *, actor: str, note_id: str, in_reply_to: str, author: str, author_handle: str, html: str
) -> dict:
    """A public reply to a remote post, mentioning its author (so that they are notified)."""
    now = timezone.now().isoformat()
    addressing = {"to": [ids.PUBLIC], "cc": [author, ids.followers_url(actor)]}
    note = {
        "id": note_id,
        "type": "Note",
        "attributedTo": actor,
        "inReplyTo": in_reply_to,
        "content": html,
        "published": now,
        "url": note_id,
        "tag": [{"type": "Mention", "href": author, "name": author_handle}],
        **addressing,
    }
    return _activity("Create", actor, note, published=now, **addressing)
