"""Who may do what to a topic. Services call these; templates only mirror them."""

from django.core.exceptions import PermissionDenied

from veille.topics.models import Curator, Role, Topic


def curator_role(user, topic: Topic) -> str | None:
    """The user's role on the topic, or None. Cached on the topic object for one request."""
    if not user or not user.is_authenticated:
        return None
    cache = topic.__dict__.setdefault("_roles", {})
    if user.pk not in cache:
        cache[user.pk] = (
            Curator.objects.filter(topic=topic, user=user).values_list("role", flat=True).first()
        )
    return cache[user.pk]


def is_curator(user, topic: Topic) -> bool:
    return curator_role(user, topic) is not None


def is_owner(user, topic: Topic) -> bool:
    return curator_role(user, topic) == Role.OWNER


def require_curator(user, topic: Topic) -> None:
    if not is_curator(user, topic):
        raise PermissionDenied("Only the curators of this topic can do that.")


def require_owner(user, topic: Topic) -> None:
    if not is_owner(user, topic):
        raise PermissionDenied("Only the owners of this topic can do that.")
