"""Topics: list, read, create, edit (curators), delete (owners), follow."""

from __future__ import annotations

from ninja import Router, Status

from veille.api import selectors
from veille.api.endpoints.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Cursor,
    Limit,
    TopicSlug,
    topic_or_404,
)
from veille.api.pagination import Keyset, next_url
from veille.api.schemas import FollowState, TopicDetail, TopicIn, TopicPage, TopicPatch
from veille.topics import services

router = Router(tags=["topics"])
TOPICS = Keyset(order=("slug",))


@router.get("", response={200: TopicPage, **READ_ERRORS})
def list_topics(request, cursor: Cursor = None, limit: Limit = 20):
    """Every topic, by address."""
    topics, after = TOPICS.page(selectors.api_topics(), cursor=cursor, limit=limit)
    return {"results": topics, "next": next_url(request, after)}


@router.post("", response={201: TopicDetail, **WRITE_ERRORS})
def create_topic(request, payload: TopicIn):
    """A new topic; you become its owner."""
    return Status(201, services.topic_create(by=request.auth, **payload.service_kwargs()))


@router.get("/{slug}", response={200: TopicDetail, **READ_ERRORS})
def get_topic(request, slug: TopicSlug):
    return topic_or_404(slug)


@router.patch("/{slug}", response={200: TopicDetail, **WRITE_ERRORS})
def update_topic(request, slug: TopicSlug, payload: TopicPatch):
    """Edit a topic (curators); changing its address is for owners."""
    topic = topic_or_404(slug)
    return services.topic_update(topic=topic, by=request.auth, **payload.service_kwargs())


@router.delete("/{slug}", response={204: None, **WRITE_ERRORS})
def delete_topic(request, slug: TopicSlug):
    """Delete a topic and all its posts (owners)."""
    services.topic_delete(topic=topic_or_404(slug), by=request.auth)
    return Status(204, None)


@router.post("/{slug}/follow", response={200: FollowState, **WRITE_ERRORS})
def follow_topic(request, slug: TopicSlug):
    """Follow the topic, or stop following it (a toggle)."""
    topic = topic_or_404(slug)
    following = services.follow_toggle(topic=topic, by=request.auth)
    topic.refresh_from_db(fields=["follower_count"])
    return {"following": following, "follower_count": topic.follower_count}
