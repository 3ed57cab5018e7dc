"""Create, Update, Delete and Move: replies to our posts, posts of followed accounts, actors.

A public reply to one of our scoops (or to a reply of it: the thread is kept) becomes a Comment,
held for moderation when the topic asks; a post of an account that local users follow becomes a
RemotePost. Remote HTML is sanitized before it is stored.
"""

from __future__ import annotations

import html

from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from veille.core.sanitize import clean_html, html_to_text
from veille.federation import blocks, local, remote
from veille.federation.models import Following, RemoteActor, RemotePost
from veille.federation.payloads import (
    ACTOR_TYPES,
    POST_TYPES,
    as_list,
    audience,
    content_html,
    embedded,
    id_of,
    ids_of,
    is_public,
    link_url,
    published,
    same_host,
    text,
    type_of,
)
from veille.topics.models import Comment, Scoop, ScoopStatus

MAX_ATTACHMENTS = 4


class Ignored(Exception):
    """The activity is understood but not for us: stored as ignored, with this reason."""


def _note(activity: dict, actor: RemoteActor) -> dict:
    """The activity's note, embedded or fetched, written by the actor who sent it."""
    obj = embedded(activity.get("object"))
    if obj is None:
        obj = remote.fetch_document(id_of(activity.get("object")))
    if type_of(obj) not in POST_TYPES:
        raise Ignored(f"{type_of(obj) or 'untyped'} objects are not handled")
    if actor.uri not in ids_of(obj.get("attributedTo")) or not same_host(obj["id"], actor.uri):
        raise Ignored("the note is not by the actor who sent it")
    return obj


def _html(obj: dict) -> str:
    """The note's sanitized HTML; an article's title leads (Mastodon drops it otherwise)."""
    body = clean_html(content_html(obj))
    title = text(obj.get("name"), 300)
    if title and type_of(obj) != "Note":
        body = f"<p><strong>{html.escape(title)}</strong></p>{body}"
    return body


def _thread_scoop(reply_to: str) -> Scoop | None:
    """The scoop a reply belongs to: the scoop itself, or the scoop of the reply it answers."""
    scoop = local.scoop_for(reply_to)
    if scoop is None:
        parent = Comment.objects.filter(ap_id=reply_to).select_related("scoop__topic").first()
        if parent is not None and parent.scoop.status == ScoopStatus.PUBLISHED:
            scoop = parent.scoop
    return scoop


def _comment(scoop: Scoop, obj: dict, activity: dict, actor: RemoteActor) -> None:
    if not is_public(obj, activity):
        raise Ignored("a private reply is not shown as a comment")
    body_html = _html(obj)
    if not body_html:
        raise Ignored("an empty reply")
    hidden = scoop.topic.moderate_remote_comments
    _comment_row, created = Comment.objects.get_or_create(
        ap_id=obj["id"],
        defaults={
            "scoop": scoop,
            "remote_author": actor,
            "body_html": body_html,
            "body_markdown": html_to_text(body_html),
            "hidden": hidden,
        },
    )
    if created and not hidden:
        Scoop.objects.filter(pk=scoop.pk).update(comment_count=F("comment_count") + 1)


def _for_followers(obj: dict, activity: dict, actor: RemoteActor) -> bool:
    """Public, or addressed to the actor's followers: not a direct message."""
    addresses = audience(obj, activity)
    return is_public(obj, activity) or any(
        a.startswith(actor.uri) and a.endswith("followers") for a in addresses
    )


def _attachments(obj: dict) -> list[dict]:
    found = []
    for item in as_list(obj.get("attachment"))[:MAX_ATTACHMENTS]:
        url = link_url(item)
        if isinstance(item, dict) and url.startswith(("https://", "http://")):
            media_type = text(item.get("mediaType"), 100)
            found.append(
                {"url": url, "media_type": media_type, "name": text(item.get("name"), 500)}
            )
    return found


def _post_fields(obj: dict) -> dict:
    return {
        "content_html": _html(obj),
        "summary": text(obj.get("summary"), 500),
        "sensitive": bool(obj.get("sensitive")),
        "url": (link_url(obj.get("url")) or obj["id"])[:2000],
        "in_reply_to": id_of(obj.get("inReplyTo"))[:2000],
        "attachment": _attachments(obj),
    }


def on_create(activity: dict, actor: RemoteActor) -> None:
    obj = _note(activity, actor)
    reply_to = id_of(obj.get("inReplyTo"))
    scoop = _thread_scoop(reply_to) if reply_to else None
    if scoop is not None:
        return _comment(scoop, obj, activity, actor)
    if not Following.objects.filter(actor=actor).exists():
        raise Ignored("neither a reply to our posts nor by an account we follow")
    if not _for_followers(obj, activity, actor):
        raise Ignored("a direct message is not shown")
    RemotePost.objects.update_or_create(
        uri=obj["id"],
        defaults={
            "actor": actor,
            "published": published(obj) or timezone.now(),
            **_post_fields(obj),
        },
    )
    return None


def on_update(activity: dict, actor: RemoteActor) -> None:
    obj = embedded(activity.get("object"))
    if obj is not None and type_of(obj) in ACTOR_TYPES:
        if id_of(obj) != actor.uri:
            raise Ignored("an actor can only update itself")
        remote.save_actor(obj)
        return
    obj = _note(activity, actor)
    body_html = _html(obj)
    comments = Comment.objects.filter(ap_id=obj["id"], remote_author=actor)
    updated = comments.update(body_html=body_html, body_markdown=html_to_text(body_html))
    updated += RemotePost.objects.filter(uri=obj["id"], actor=actor).update(**_post_fields(obj))
    if not updated:
        raise Ignored("an update of a note we do not have")


def on_delete(activity: dict, actor: RemoteActor) -> None:
    object_id = id_of(activity.get("object"))
    if object_id == actor.uri:
        blocks.purge_actor(actor=actor, gone=True)
        return
    comment = Comment.objects.filter(ap_id=object_id, remote_author=actor).first()
    if comment is not None:
        if not comment.hidden:
            Scoop.objects.filter(pk=comment.scoop_id).update(
                comment_count=Greatest(F("comment_count") - 1, 0)
            )
        comment.delete()
    deleted, _rows = RemotePost.objects.filter(uri=object_id, actor=actor).delete()
    if comment is None and not deleted:
        raise Ignored("a deletion of something we do not have")


def on_move(activity: dict, actor: RemoteActor) -> None:
    """The actor moved: local users following it follow the new account instead.

    Only when the new account names the old one in ``alsoKnownAs``: anyone can claim a move.
    """
    from veille.federation import services

    new_uri = id_of(activity.get("target"))
    if id_of(activity.get("object")) != actor.uri or not new_uri:
        raise Ignored("a Move must move its own actor")
    document = remote.fetch_document(new_uri)
    if document["id"] != new_uri or actor.uri not in ids_of(document.get("alsoKnownAs")):
        raise Ignored("the new account does not name the old one")
    new_actor = remote.save_actor(document)
    RemoteActor.objects.filter(pk=actor.pk).update(moved_to=new_uri)
    for following in actor.local_followers.select_related("user"):
        services.follow_actor(user=following.user, actor=new_actor)
        services.unfollow_remote(user=following.user, actor=actor)
