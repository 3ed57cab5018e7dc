"""The addresses of our actors, objects and activities, all from settings.BASE_URL (port included).

A topic's actor is its topic page, a curator's their profile page, the instance's ``/actor``;
per-actor collections hang below the actor id (``/topic/<slug>/outbox``). A post's object id is
a post page address with the fixed slug ``post`` (``/topic/<slug>/42-post/``): the page redirects
it to the current title's address, and an edited title does not change the id that remote servers
stored (an Update or Delete must name the same object as the Create).
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from veille.core.urls_util import absolute_url

OBJECT_SLUG = "post"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def host() -> str:
    """The instance's host as WebFinger and handles write it: ``example.org`` or ``host:8000``."""
    return urlsplit(settings.BASE_URL).netloc.lower()


def hostname() -> str:
    """The host without its port: the instance actor's preferredUsername."""
    return urlsplit(settings.BASE_URL).hostname or "localhost"


def topic_actor_id(topic) -> str:
    return absolute_url(reverse("topics:topic", args=[topic.slug]))


def user_actor_id(user) -> str:
    return absolute_url(reverse("accounts:profile", args=[user.username]))


def instance_actor_id() -> str:
    return f"{settings.BASE_URL}/actor"


def key_id(actor_id: str) -> str:
    return f"{actor_id}#main-key"


def _below(actor_id: str, name: str) -> str:
    return f"{actor_id}{name}" if actor_id.endswith("/") else f"{actor_id}/{name}"


def inbox_url(actor_id: str) -> str:
    return _below(actor_id, "inbox")


def outbox_url(actor_id: str) -> str:
    return _below(actor_id, "outbox")


def followers_url(actor_id: str) -> str:
    return _below(actor_id, "followers")


def following_url(actor_id: str) -> str:
    return _below(actor_id, "following")


def featured_url(actor_id: str) -> str:
    return _below(actor_id, "featured")


def shared_inbox_url() -> str:
    return f"{settings.BASE_URL}/inbox"


def post_object_id(scoop) -> str:
    return absolute_url(reverse("topics:post", args=[scoop.topic.slug, scoop.pk, OBJECT_SLUG]))


def post_url(scoop) -> str:
    """The post page at its current address (the Note's ``url``)."""
    return absolute_url(scoop.get_absolute_url())


def new_activity_id() -> str:
    return f"{settings.BASE_URL}/activities/{uuid.uuid4()}"


def stable_activity_id(name: str) -> str:
    """The same id every time for the same ``name``: an activity served twice stays one activity."""
    return f"{settings.BASE_URL}/activities/{uuid.uuid5(uuid.NAMESPACE_URL, name)}"
