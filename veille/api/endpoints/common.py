"""Parameters, error responses and lookups that several endpoint modules share."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Path, Query

from veille.api.schemas import SLUG_PATTERN, Problem
from veille.topics.models import Scoop, Topic
from veille.topics.permissions import is_curator
from veille.topics.selectors import post_for_page

MAX_PAGE = 100

# Annotated types (ninja's Path[type, {constraints}]); defaults go in the signatures.
TopicSlug = Path[str, {"max_length": 80, "pattern": SLUG_PATTERN}]
ScoopId = Path[int, {"ge": 1, "le": 2**63 - 1}]
Cursor = Query[str | None, {"max_length": 200, "description": "A `next` link's cursor."}]
Limit = Query[int, {"ge": 1, "le": MAX_PAGE, "description": f"At most {MAX_PAGE}."}]

# Documented error answers (all problem details); each operation lists those it can give.
READ_ERRORS = {404: Problem, 429: Problem}
WRITE_ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}


def topic_or_404(slug: str) -> Topic:
    return get_object_or_404(Topic, slug=slug)


def post_or_404(request, slug: str, scoop_id: int) -> Scoop:
    """A post of the topic; drafts and scheduled posts only for its curators, as on the site."""
    topic = topic_or_404(slug)
    post = post_for_page(topic=topic, post_id=scoop_id, viewer=request.auth)
    if not post.is_published and not is_curator(request.auth, topic):
        raise Http404
    return post
