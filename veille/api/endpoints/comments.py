"""Comments of a post: the visible ones, and writing one (rate-limited by the service)."""

from __future__ import annotations

from ninja import Router, Status

from veille.api.endpoints.common import READ_ERRORS, WRITE_ERRORS, ScoopId, TopicSlug, post_or_404
from veille.api.schemas import CommentIn, CommentList, CommentOut
from veille.topics import services
from veille.topics.selectors import comments_for_post

router = Router(tags=["comments"])


@router.get("/{slug}/scoops/{scoop_id}/comments", response={200: CommentList, **READ_ERRORS})
def list_comments(request, slug: TopicSlug, scoop_id: ScoopId):
    """The post's visible comments, oldest first."""
    post = post_or_404(request, slug, scoop_id)
    return {"results": comments_for_post(post=post, viewer_is_curator=False)}


@router.post("/{slug}/scoops/{scoop_id}/comments", response={201: CommentOut, **WRITE_ERRORS})
def create_comment(request, slug: TopicSlug, scoop_id: ScoopId, payload: CommentIn):
    post = post_or_404(request, slug, scoop_id)
    return Status(201, services.comment_create(scoop=post, by=request.auth, body=payload.body))
