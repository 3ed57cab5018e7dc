"""Scoops of a topic: the published list (as the topic page orders it), read, write, thank."""

from __future__ import annotations

from ninja import Router, Status

from veille.api import selectors
from veille.api.endpoints.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Cursor,
    Limit,
    ScoopId,
    TopicSlug,
    post_or_404,
    topic_or_404,
)
from veille.api.pagination import Keyset, next_url
from veille.api.schemas import Problem, ScoopIn, ScoopOut, ScoopPage, ScoopPatch, ThanksState
from veille.topics import services
from veille.topics.selectors import PAGE_ORDER, post_for_page

router = Router(tags=["scoops"])
POSTS = Keyset(order=PAGE_ORDER)


@router.get("/{slug}/scoops", response={200: ScoopPage, 400: Problem, **READ_ERRORS})
def list_scoops(request, slug: TopicSlug, cursor: Cursor = None, limit: Limit = 20):
    """The topic's published posts: pinned first, then newest first, as on its page."""
    posts = selectors.api_topic_posts(topic=topic_or_404(slug))
    page, after = POSTS.page(posts, cursor=cursor, limit=limit)
    return {"results": page, "next": next_url(request, after)}


@router.post("/{slug}/scoops", response={201: ScoopOut, 409: Problem, **WRITE_ERRORS})
def create_scoop(request, slug: TopicSlug, payload: ScoopIn):
    """A new post (curators). An article already in the topic answers 409 with its address."""
    topic = topic_or_404(slug)
    scoop = services.scoop_create(topic=topic, by=request.auth, **payload.service_kwargs())
    return Status(201, post_for_page(topic=topic, post_id=scoop.pk, viewer=request.auth))


@router.get("/{slug}/scoops/{scoop_id}", response={200: ScoopOut, **READ_ERRORS})
def get_scoop(request, slug: TopicSlug, scoop_id: ScoopId):
    return post_or_404(request, slug, scoop_id)


@router.patch("/{slug}/scoops/{scoop_id}", response={200: ScoopOut, 409: Problem, **WRITE_ERRORS})
def update_scoop(request, slug: TopicSlug, scoop_id: ScoopId, payload: ScoopPatch):
    """Edit a post (curators): only the fields sent change."""
    post = post_or_404(request, slug, scoop_id)
    services.scoop_update(scoop=post, by=request.auth, **payload.service_kwargs())
    return post_for_page(topic=post.topic, post_id=post.pk, viewer=request.auth)


@router.delete("/{slug}/scoops/{scoop_id}", response={204: None, **WRITE_ERRORS})
def delete_scoop(request, slug: TopicSlug, scoop_id: ScoopId):
    services.scoop_delete(scoop=post_or_404(request, slug, scoop_id), by=request.auth)
    return Status(204, None)


@router.post("/{slug}/scoops/{scoop_id}/thanks", response={200: ThanksState, **WRITE_ERRORS})
def thank_scoop(request, slug: TopicSlug, scoop_id: ScoopId):
    """Thank the curator for a post, or take the thanks back (a toggle)."""
    post = post_or_404(request, slug, scoop_id)
    thanked = services.thanks_toggle(scoop=post, by=request.auth)
    post.refresh_from_db(fields=["thanks_count"])
    return {"thanked": thanked, "thanks_count": post.thanks_count}
