"""Activities shaped as Mastodon, GoToSocial, Pleroma/Akkoma, Misskey and Lemmy send them.

Written by us from their documentation and published examples (Mastodon's ActivityPub spec
page, GoToSocial's federation docs, Lemmy's apub test assets): what differs is what matters here,
``to``/``cc`` as a string or a list, ``tag`` as an object or a list, ``object`` embedded or by
id, extra JSON-LD contexts, vendor properties, missing optional fields.
"""

from __future__ import annotations

import itertools

from veille.federation import processing
from veille.federation.models import InboxMessage, RemoteActor
from veille.federation.payloads import host_of

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
AS = "https://www.w3.org/ns/activitystreams"
SOFTWARE = ("mastodon", "gotosocial", "pleroma", "misskey", "lemmy")
_n = itertools.count(1)

ACTORS = {
    "mastodon": "https://mastodon.example/users/alice",
    "gotosocial": "https://gts.example/users/bea",
    "pleroma": "https://pleroma.example/users/chloe",
    "misskey": "https://misskey.example/users/9f2kq1x0b",
    "lemmy": "https://lemmy.example/u/dora",
}

CONTEXTS = {
    "mastodon": [
        AS,
        "https://w3id.org/security/v1",
        {
            "ostatus": "http://ostatus.org#",
            "atomUri": "ostatus:atomUri",
            "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
            "conversation": "ostatus:conversation",
            "sensitive": "as:sensitive",
            "toot": "http://joinmastodon.org/ns#",
            "votersCount": "toot:votersCount",
        },
    ],
    "gotosocial": AS,
    "pleroma": [AS, "https://pleroma.example/schemas/litepub-0.1.jsonld", {"@language": "und"}],
    "misskey": [
        AS,
        "https://w3id.org/security/v1",
        {"misskey": "https://misskey-hub.net/ns#", "_misskey_content": "misskey:_misskey_content"},
    ],
    "lemmy": [AS, "https://lemmy.example/context.json"],
}


def _id(software: str, kind: str) -> str:
    actor = ACTORS[software]
    host = actor.split("/users/")[0].split("/u/")[0]
    return {
        "mastodon": f"{actor}/statuses/{next(_n)}",
        "gotosocial": f"{actor}/statuses/01HX{next(_n)}",
        "pleroma": f"{host}/objects/{next(_n)}",
        "misskey": f"{host}/notes/9f{next(_n)}",
        "lemmy": f"{host}/comment/{next(_n)}",
    }[software] + ("" if kind == "note" else f"/{kind}")


def followers(software: str) -> str:
    return f"{ACTORS[software]}/followers"


def _addressing(software: str, *others: str) -> dict:
    """GoToSocial writes a one-element list as a bare value; the others write lists."""
    cc = [followers(software), *others]
    if software == "gotosocial":
        return {"to": PUBLIC, "cc": cc[0] if len(cc) == 1 else cc}
    if software == "lemmy":
        return {"to": [PUBLIC], "cc": list(others)}  # Lemmy: no followers collection in cc
    return {"to": [PUBLIC], "cc": cc}


def _mention(software: str, target: str) -> dict | list:
    mention = {"type": "Mention", "href": target, "name": "@toulouse-networks@example.org"}
    if software == "gotosocial":
        return mention  # one tag: a bare object
    if software == "lemmy":
        return []
    return [mention]


def note(software: str, *, in_reply_to: str | None, content: str, mention: str = "") -> dict:
    actor = ACTORS[software]
    obj = {
        "id": _id(software, "note"),
        "type": "Note",
        "attributedTo": actor,
        "content": content,
        "published": "2026-11-20T10:15:30Z",
        **_addressing(software, *([mention] if mention else [])),
    }
    if in_reply_to:
        obj["inReplyTo"] = in_reply_to
    extras = {
        "mastodon": {
            "url": obj["id"].replace("/users/alice/statuses/", "/@alice/"),
            "sensitive": False,
            "summary": None,
            "atomUri": obj["id"],
            "conversation": "tag:mastodon.example,2026-11-20:objectId=1:objectType=Conversation",
            "contentMap": {"fr": content},
            "attachment": [],
            "tag": _mention(software, mention) if mention else [],
        },
        "gotosocial": {"url": obj["id"], "sensitive": False, "summary": ""},
        "pleroma": {
            "context": "https://pleroma.example/contexts/1",
            "conversation": "https://pleroma.example/contexts/1",
            "source": {"content": "source text", "mediaType": "text/plain"},
            "tag": _mention(software, mention) if mention else [],
        },
        "misskey": {
            "_misskey_content": "plain text",
            "source": {"content": "plain text", "mediaType": "text/x.misskeymarkdown"},
            "sensitive": False,
            "attachment": [],
            "tag": [],
        },
        "lemmy": {
            "mediaType": "text/html",
            "source": {"content": "markdown", "mediaType": "text/markdown"},
            "distinguished": False,
        },
    }[software]
    if software == "gotosocial" and mention:
        extras["tag"] = _mention(software, mention)
    return obj | extras


def create(software: str, obj: dict) -> dict:
    activity = {
        "id": f"{obj['id']}/activity" if software != "lemmy" else _id("lemmy", "create"),
        "type": "Create",
        "actor": ACTORS[software],
        "object": obj,
        "@context": CONTEXTS[software],
        **{k: obj[k] for k in ("to", "cc") if k in obj},
    }
    if software == "mastodon":
        activity["published"] = obj.get("published")
    return activity


def like(software: str, object_id: str, author: str = "") -> dict:
    activity = {
        "@context": CONTEXTS[software],
        "id": _id(software, "like"),
        "type": "Like",
        "actor": ACTORS[software],
        "object": object_id,
    }
    if software == "gotosocial":
        activity["to"] = author  # a bare value
    if software == "pleroma":
        activity |= {"to": [author, followers(software)], "cc": [PUBLIC], "context": "ctx"}
    if software == "misskey":
        activity |= {"content": "⭐", "_misskey_reaction": "⭐", "tag": []}
    if software == "lemmy":
        activity |= {"to": [PUBLIC], "cc": [author], "audience": author}
    return activity


def announce(software: str, object_id: str, author: str) -> dict:
    return {
        "@context": CONTEXTS[software],
        "id": _id(software, "announce"),
        "type": "Announce",
        "actor": ACTORS[software],
        "published": "2026-11-20T11:00:00Z",
        "object": object_id,
        **_addressing(software, author),
    }


def follow(software: str, target: str) -> dict:
    activity = {
        "@context": CONTEXTS[software],
        "id": _id(software, "follow"),
        "type": "Follow",
        "actor": ACTORS[software],
        "object": target,
    }
    if software in ("lemmy", "pleroma"):
        activity["to"] = [target]
    return activity


def undo(software: str, activity: dict, *, embed: bool = True) -> dict:
    inner = {k: v for k, v in activity.items() if k != "@context"}
    return {
        "@context": CONTEXTS[software],
        "id": f"{activity['id']}/undo",
        "type": "Undo",
        "actor": ACTORS[software],
        "object": inner if embed else activity["id"],
    }


def actor_document(software: str, **extra) -> dict:
    uri = ACTORS[software]
    return {
        "@context": CONTEXTS[software],
        "id": uri,
        "type": "Person",
        "preferredUsername": uri.rsplit("/", 1)[1],
        "inbox": f"{uri}/inbox",
        "publicKey": {"id": f"{uri}#main-key", "owner": uri, "publicKeyPem": "PEM"},
        **extra,
    }


# --- in the database ------------------------------------------------------------------------


def remote(software="mastodon") -> RemoteActor:
    uri = ACTORS[software]
    actor, _created = RemoteActor.objects.get_or_create(
        uri=uri,
        defaults={
            "domain": host_of(uri),
            "username": uri.rsplit("/", 1)[1],
            "name": software.title(),
            "inbox": f"{uri}/inbox",
            "shared_inbox": "" if software == "gotosocial" else f"https://{host_of(uri)}/inbox",
        },
    )
    return actor


def handled(activity, software="mastodon") -> tuple[str, str]:
    """Handle ``activity`` as sent by the ``software`` actor: (state, reason)."""
    return processing.handle(activity, remote(software))


def stored(activity: dict) -> InboxMessage:
    """The activity as the inbox stores it (verified, waiting to be handled)."""
    return InboxMessage.objects.create(
        activity_id=activity["id"],
        activity_type=activity["type"],
        actor_uri=activity["actor"],
        payload=activity,
        key_id=f"{activity['actor']}#main-key",
    )
