"""The ActivityPub documents of our actors, posts and activities (JSON-ready dicts).

A topic is a ``Group``, a curator a ``Person``, the instance an ``Application`` (it signs fetches).
A published scoop goes out as a ``Note`` rather than an ``Article``: Mastodon shows only the
summary of an Article, and a Note shows the title, the insight and the links. The Note is
attributed to the topic's actor, the one that sends it (Mastodon wants the sender as author); the
curator is credited in the content. Everything is from stored, sanitized HTML or escaped text.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from veille.core.urls_util import absolute_url
from veille.federation import ids, keys
from veille.publishing.feeds.content import credit_html, link_html, public_url, source_html

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
CONTEXT = [
    AS_CONTEXT,
    "https://w3id.org/security/v1",
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "sensitive": "as:sensitive",
        "Hashtag": "as:Hashtag",
        "toot": "http://joinmastodon.org/ns#",
        "featured": {"@id": "toot:featured", "@type": "@id"},
        "discoverable": "toot:discoverable",
        "indexable": "toot:indexable",
    },
]
WORDS = re.compile(r"\w+")


def with_context(document: dict) -> dict:
    return {"@context": CONTEXT, **document}


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_name() -> str:
    return getattr(settings, "NODE_NAME", "") or ids.host()


def _image(url: str) -> dict:
    media_type = mimetypes.guess_type(url.partition("?")[0])[0] or "image/jpeg"
    return {"type": "Image", "mediaType": media_type, "url": url}


def _actor(actor_id: str, kind: str, *, username: str, name: str, key, **extra) -> dict:
    document = {
        "id": actor_id,
        "type": kind,
        "preferredUsername": username,
        "name": name,
        "inbox": ids.inbox_url(actor_id),
        "outbox": ids.outbox_url(actor_id),
        "followers": ids.followers_url(actor_id),
        "following": ids.following_url(actor_id),
        "endpoints": {"sharedInbox": ids.shared_inbox_url()},
        "publicKey": {
            "id": ids.key_id(actor_id),
            "owner": actor_id,
            "publicKeyPem": key.public_key_pem,
        },
        **extra,
    }
    return with_context({name: value for name, value in document.items() if value is not None})


def topic_actor(topic) -> dict:
    actor_id = ids.topic_actor_id(topic)
    cover = _image(absolute_url(topic.cover_image.url)) if topic.cover_image else None
    return _actor(
        actor_id,
        "Group",
        username=topic.slug,
        name=topic.title,
        key=keys.key_for_topic(topic),
        summary=format_html("<p>{}</p>", topic.subtitle) if topic.subtitle else "",
        url=actor_id,
        icon=cover,
        image=cover,
        featured=ids.featured_url(actor_id),
        manuallyApprovesFollowers=topic.approve_followers,
        discoverable=topic.discoverable,
        indexable=topic.indexable,
        published=iso(topic.created_at),
    )


def user_actor(user) -> dict:
    actor_id = ids.user_actor_id(user)
    avatar = _image(absolute_url(user.avatar.url)) if user.avatar else None
    return _actor(
        actor_id,
        "Person",
        username=user.username,
        name=user.name,
        key=keys.key_for_user(user),
        summary=linebreaks(user.bio, autoescape=True) if user.bio else "",
        url=actor_id,
        icon=avatar,
        manuallyApprovesFollowers=False,
        published=iso(user.date_joined),
    )


def instance_actor() -> dict:
    actor_id = ids.instance_actor_id()
    document = _actor(
        actor_id,
        "Application",
        username=ids.hostname(),
        name=node_name(),
        key=keys.instance_key(),
        url=f"{settings.BASE_URL}/",
        manuallyApprovesFollowers=True,
    )
    # It follows no one and no one follows it: it only signs fetches.
    document["inbox"] = ids.shared_inbox_url()
    for name in ("followers", "following"):
        document.pop(name)
    return document


# --- notes ------------------------------------------------------------------------------------


def addressing(topic) -> tuple[list[str], list[str]]:
    """``to`` and ``cc`` from the topic's visibility (public, unlisted, followers only)."""
    followers = ids.followers_url(ids.topic_actor_id(topic))
    if topic.visibility == "public":
        return [ids.PUBLIC], [followers]
    if topic.visibility == "unlisted":
        return [followers], [ids.PUBLIC]
    return [followers], []


def hashtag(name: str) -> str:
    """A tag name as one word: "Smart city" becomes "SmartCity" (a hashtag has no spaces)."""
    words = WORDS.findall(name)
    if len(words) == 1:
        return words[0]
    return "".join(word[:1].upper() + word[1:] for word in words)


def _tags(scoop) -> list[dict]:
    href = ids.topic_actor_id(scoop.topic)  # the topic page: tags have no page of their own
    names = sorted({hashtag(tag.name) for tag in scoop.tags.all()} - {""}, key=str.lower)
    return [{"type": "Hashtag", "href": href, "name": f"#{name}"} for name in names]


def _hashtag_links(tags: list[dict]) -> str:
    """Hashtags as Mastodon writes them, so that servers link them to their own tag pages."""
    links = format_html_join(
        " ",
        '<a href="{}" class="mention hashtag" rel="tag">#<span>{}</span></a>',
        ((tag["href"], tag["name"][1:]) for tag in tags),
    )
    return format_html("<p>{}</p>", links) if tags else ""


def _content(scoop, tags: list[dict]) -> str:
    """Title (linking the article), insight, source, who scooped it, hashtags."""
    title_link = public_url(scoop.source_url) or ids.post_url(scoop)
    curator = link_html(absolute_url(scoop.curator.get_absolute_url()), scoop.curator.name)
    parts = (
        format_html('<p><a href="{}">{}</a></p>', title_link, scoop.title),
        mark_safe(scoop.insight_html),  # noqa: S308 - rendered and sanitized when saved
        source_html(scoop),
        format_html("<p>{} {}</p>", _("Scooped by"), curator),
        credit_html(scoop),
        _hashtag_links(tags),
    )
    return "\n".join(part for part in parts if part)


def _attachments(scoop) -> list[dict]:
    url = public_url(scoop.lead_image_src)  # our copy: never the source's address
    if not url:
        return []
    return [{**_image(url), "name": scoop.image_alt or scoop.title}]


def _in_reply_to(scoop) -> str | None:
    """A rescoop's note answers the post it rescooped: the insight joins that post's thread."""
    origin = scoop.origin if scoop.origin_id else None
    return ids.post_object_id(origin) if origin is not None else None


def note_object(scoop) -> dict:
    """The Note of a scoop, without ``@context``: to embed in an activity or a collection."""
    topic = scoop.topic
    tags = _tags(scoop)
    with translation.override(topic.language):
        content = _content(scoop, tags)
    to, cc = addressing(topic)
    note = {
        "id": ids.post_object_id(scoop),
        "type": "Note",
        "attributedTo": ids.topic_actor_id(topic),
        "inReplyTo": _in_reply_to(scoop),
        "content": content,
        "contentMap": {topic.language: content},
        "url": ids.post_url(scoop),
        "published": iso(scoop.published_at),
        "to": to,
        "cc": cc,
        "sensitive": bool(scoop.content_warning),
        "attachment": _attachments(scoop),
        "tag": tags,
    }
    if scoop.content_warning:
        note["summary"] = scoop.content_warning
    return note


def note_for_scoop(scoop) -> dict:
    return with_context(note_object(scoop))


# --- activities -------------------------------------------------------------------------------


def _activity(kind: str, activity_id: str, scoop, obj, **extra) -> dict:
    to, cc = addressing(scoop.topic)
    return {
        "id": activity_id,
        "type": kind,
        "actor": ids.topic_actor_id(scoop.topic),
        "object": obj,
        "to": to,
        "cc": cc,
        **extra,
    }


def _create(scoop) -> dict:
    note = note_object(scoop)
    activity_id = ids.stable_activity_id(f"{note['id']}#create")
    return _activity("Create", activity_id, scoop, note, published=note["published"])


def _announce(rescoop) -> dict:
    if rescoop.origin is None:
        raise ValueError("an Announce needs a rescoop with its origin")
    activity = _activity(
        "Announce",
        ids.stable_activity_id(f"{ids.post_object_id(rescoop)}#announce"),
        rescoop,
        ids.post_object_id(rescoop.origin),
        published=iso(rescoop.published_at),
    )
    activity["cc"] = [*activity["cc"], ids.topic_actor_id(rescoop.origin.topic)]
    return activity


def create_activity(scoop) -> dict:
    return with_context(_create(scoop))


def update_activity(scoop) -> dict:
    note = note_object(scoop)
    note["updated"] = iso(scoop.updated_at)
    activity_id = ids.stable_activity_id(f"{note['id']}#update-{note['updated']}")
    return with_context(_activity("Update", activity_id, scoop, note, published=note["updated"]))


def delete_activity(scoop) -> dict:
    note_id = ids.post_object_id(scoop)
    tombstone = {"id": note_id, "type": "Tombstone", "formerType": "Note"}
    activity_id = ids.stable_activity_id(f"{note_id}#delete")
    return with_context(_activity("Delete", activity_id, scoop, tombstone))


def announce_activity(rescoop) -> dict:
    """The rescooping topic boosts the post it rescooped (its insight goes out as its own Note)."""
    return with_context(_announce(rescoop))


def outbox_item(scoop) -> dict:
    """A scoop as its outbox lists it: the Create of its Note; a rescoop without an insight (which
    sends no Note) as the Announce of its origin. Without ``@context``."""
    if scoop.origin_id and not scoop.insight_markdown.strip() and scoop.origin is not None:
        return _announce(scoop)
    return _create(scoop)
