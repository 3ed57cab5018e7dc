"""Our own actors and objects: from an id to the row, from a row to its id and signing key."""

from __future__ import annotations

from django.conf import settings
from django.urls import Resolver404, resolve

from veille.federation import ids, keys
from veille.topics.models import Scoop, ScoopStatus, Topic


def actor_id(*, topic: Topic | None = None, user=None) -> str:
    """The id of the topic's actor, the user's, or (neither given) the instance actor's."""
    if topic is not None:
        return ids.topic_actor_id(topic)
    if user is not None:
        return ids.user_actor_id(user)
    return ids.instance_actor_id()


def signer(*, topic: Topic | None = None, user=None) -> tuple[str, str]:
    """(key id, private key PEM) of the topic, the user, or the instance actor."""
    if topic is not None:
        key = keys.key_for_topic(topic)
    elif user is not None:
        key = keys.key_for_user(user)
    else:
        key = keys.instance_key()
    return ids.key_id(actor_id(topic=topic, user=user)), key.private_key_pem


def _match(uri: str):
    """The URL pattern a local id resolves to, or None for anything not under BASE_URL."""
    prefix = settings.BASE_URL + "/"
    if not isinstance(uri, str) or not uri.startswith(prefix):
        return None
    path = "/" + uri[len(prefix) :].split("#", 1)[0].split("?", 1)[0]
    try:
        return resolve(path)
    except Resolver404:
        return None


def actor_for(uri: str) -> Topic | object | None:
    """Our topic or user whose actor id is ``uri``, or None."""
    from veille.accounts.models import User

    match = _match(uri)
    if match is None:
        return None
    if match.view_name == "topics:topic":
        return Topic.objects.filter(slug=match.kwargs["slug"]).first()
    if match.view_name == "accounts:profile":
        return User.objects.filter(username__iexact=match.kwargs["username"]).first()
    return None


def scoop_for(uri: str) -> Scoop | None:
    """Our published scoop whose object id is ``uri``, or None."""
    match = _match(uri)
    if match is None or match.view_name != "topics:post":
        return None
    return (
        Scoop.objects.select_related("topic")
        .filter(
            pk=match.kwargs["post_id"],
            topic__slug=match.kwargs["slug"],
            status=ScoopStatus.PUBLISHED,
        )
        .first()
    )


def is_local(uri: str) -> bool:
    return isinstance(uri, str) and uri.startswith(settings.BASE_URL + "/")
