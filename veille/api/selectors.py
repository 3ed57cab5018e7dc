"""Reads for the API: tokens, and the lists the API pages through."""

from __future__ import annotations

import hmac

from django.db.models import QuerySet

from veille.api.models import ApiToken
from veille.api.services import hash_secret
from veille.topics.models import Scoop, Topic
from veille.topics.selectors import published_posts, topics_directory


def tokens_of(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def active_token(*, secret: str) -> ApiToken | None:
    """The unrevoked token of an active user whose secret this is, else None."""
    digest = hash_secret(secret)
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    # The lookup is by hash, whose value an attacker cannot steer byte by byte; the constant-time
    # comparison makes that independent of how the database compares strings.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    return token


def api_topics() -> QuerySet[Topic]:
    # Keyset pagination needs a unique, stable order: the address.
    return topics_directory().order_by("slug")


def api_topic_posts(*, topic: Topic) -> QuerySet[Scoop]:
    """The topic page's posts, in its order, with every field and tag the API shows.

    Published posts always have a date (services set it); a null would break the keyset.
    """
    return (
        published_posts(topic=topic)
        .defer(None)
        .prefetch_related("tags")
        .filter(published_at__isnull=False)
    )
