"""Replies from the fediverse in a Veille JSON file: comments whose author is a remote actor.

Such a comment is found again by its ActivityPub id (``ap_id``, unique on an instance), so that
importing a file twice, or importing an export into the instance that made it, never duplicates
it. Its author becomes a ``RemoteActor`` known only by what the file says (never fetched: its
key, inbox and avatar come the first time the actor is fetched, ``fetched_at`` being empty); an
actor this instance already knows is not changed. The HTML is sanitized again, as every HTML of
a file is. A reply is left out when its actor or domain is blocked here, or the actor deleted its
account; a reply this instance already shows under another scoop stays there.
"""

from __future__ import annotations

from veille.core.sanitize import clean_html, html_to_text
from veille.federation import blocks
from veille.federation.models import RemoteActor
from veille.federation.payloads import host_of, same_host
from veille.importers.jsonimport.fields import Fields, RecordError
from veille.topics.models import Comment, Scoop

URI_MAX = 2000
NAME_MAX = 255
BODY_MAX = 100_000


def _web_address(fields: Fields, name: str, *, required: bool = False) -> str:
    value = fields.text(name, URI_MAX, required=required).strip()
    if value and not value.lower().startswith(("https://", "http://")):
        raise RecordError(f"'{name}' is not a web address")
    if value and not host_of(value):
        raise RecordError(f"'{name}' has no host")
    return value


def _author(record: dict) -> dict:
    value = record.get("remote_author")
    if not isinstance(value, dict):
        raise RecordError("'remote_author' is not an object")
    fields = Fields(value)
    return {
        "uri": _web_address(fields, "uri", required=True),
        "username": fields.text("username", NAME_MAX),
        "name": fields.text("name", NAME_MAX),
        "url": _web_address(fields, "url"),
    }


def _actor(author: dict) -> RemoteActor:
    """The actor the file names; created from the file when this instance does not know it."""
    uri = author["uri"]
    details = {name: author[name] for name in ("username", "name", "url")}
    actor = RemoteActor.objects.filter(uri=uri).first()
    if actor is None:
        return RemoteActor.objects.create(uri=uri, domain=host_of(uri), **details)
    if actor.fetched_at is None:  # known only from a file: the latest file says better
        changed = {name: value for name, value in details.items() if getattr(actor, name) != value}
        if changed:
            RemoteActor.objects.filter(pk=actor.pk).update(**changed)
    return actor


def import_remote_comment(scoop: Scoop, fields: Fields) -> bool:
    """Create or update the reply; returns whether anything changed."""
    record = fields.record
    ap_id = _web_address(fields, "ap_id", required=True)
    author = _author(record)
    if not same_host(ap_id, author["uri"]):
        raise RecordError("'ap_id' is not on the server of its author")
    created_at = fields.date("created_at")
    if created_at is None:
        raise RecordError("'created_at' is missing")
    body_html = clean_html(fields.text("body_html", BODY_MAX, required=True))
    if not body_html.strip():
        raise RecordError("'body_html' is empty once sanitized")
    if blocks.is_blocked(author["uri"]):
        return False
    values = {
        "body_html": body_html,
        "body_markdown": html_to_text(body_html),
        "hidden": fields.flag("hidden"),
        "created_at": created_at,
    }
    comment = Comment.objects.filter(ap_id=ap_id).select_related("remote_author").first()
    if comment is None:
        actor = _actor(author)
        if actor.deleted_at is not None:
            return False
        comment = Comment.objects.create(scoop=scoop, remote_author=actor, ap_id=ap_id, **values)
        Comment.objects.filter(pk=comment.pk).update(created_at=created_at)
        return True
    if (
        comment.scoop_id != scoop.pk
        or comment.remote_author is None
        or comment.remote_author.uri != author["uri"]
    ):
        return False  # this instance has the reply elsewhere, or by someone else: left as it is
    _actor(author)
    changed = {name: value for name, value in values.items() if getattr(comment, name) != value}
    if changed:
        Comment.objects.filter(pk=comment.pk).update(**changed)
    return bool(changed)
