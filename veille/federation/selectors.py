"""Reads for federation pages. Each list runs a fixed number of queries, whatever its length."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Value, When

from veille.federation.models import (
    Follower,
    Following,
    FollowState,
    OutboxActivity,
    ReactionKind,
    RemotePost,
    RemoteReaction,
)


def _page(queryset, *, page: int, per_page: int) -> Page:
    return Paginator(queryset, per_page).get_page(page)


def topic_followers_page(*, topic, page: int = 1, per_page: int = 50) -> Page:
    """Fediverse followers of a topic for its curators: requests first, then newest."""
    pending_first = Case(
        When(state=FollowState.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    followers = (
        Follower.objects.filter(topic=topic)
        .exclude(state=FollowState.REJECTED)
        .select_related("actor")
        .order_by(pending_first, "-created_at", "-pk")
    )
    return _page(followers, page=page, per_page=per_page)


def following_of(*, user) -> list[Following]:
    return list(Following.objects.filter(user=user).select_related("actor").order_by("-created_at"))


def remote_posts_page(*, user, page: int = 1, per_page: int = 20) -> Page:
    """Posts of the accounts the user follows, newest first, each marked when the user liked it."""
    liked = OutboxActivity.objects.filter(
        user=user, activity_type="Like", object_uri=OuterRef("uri")
    )
    posts = (
        RemotePost.objects.filter(actor__local_followers__user=user)
        .select_related("actor")
        .annotate(liked=Exists(liked))
        .order_by("-published", "-pk")
    )
    return _page(posts, page=page, per_page=per_page)


def share_counts(*, scoop_ids) -> dict[int, int]:
    """How many times remote actors shared (boosted) each scoop, in one query."""
    rows = (
        RemoteReaction.objects.filter(scoop_id__in=list(scoop_ids), kind=ReactionKind.ANNOUNCE)
        .values("scoop_id")
        .annotate(n=Count("pk"))
        .values_list("scoop_id", "n")
    )
    return dict(rows)
