"""Reads for accounts: profiles and their recent posts, each in a fixed number of queries."""

from __future__ import annotations

from veille.accounts.models import User
from veille.topics.models import Scoop, ScoopStatus


def profile_user(*, username: str) -> User | None:
    """The active account of that name: the exact spelling first, else any capitalization."""
    users = User.objects.filter(is_active=True)
    return (
        users.filter(username=username).first() or users.filter(username__iexact=username).first()
    )


def login_username(username: str) -> str:
    """The stored spelling of a name typed at login, so that "Alice" logs "alice" in."""
    stored = User.objects.filter(username__iexact=username).values_list("username", flat=True)
    names = list(stored[:2])
    # Two accounts differing only by case (made before names were lower-cased): ask for exactness.
    return names[0] if len(names) == 1 else username


def recent_scoops_by(*, user: User, limit: int = 10) -> list[Scoop]:
    return list(
        Scoop.objects.filter(curator=user, status=ScoopStatus.PUBLISHED)
        .select_related("topic")
        .order_by("-published_at", "-pk")[:limit]
    )
