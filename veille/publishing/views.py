"""The feeds of a topic: /topic/<slug>/feed.atom, feed.rss and feed.json.

Each answers conditional requests (ETag and Last-Modified, so that feed readers polling every few
minutes get a 304) and is paged with cursors (see ``selectors``).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import condition, require_safe

from veille.publishing import selectors
from veille.publishing.feeds import ATOM, JSON_FEED, RSS, FeedFormat
from veille.publishing.feeds.items import feed_item, feed_meta
from veille.topics.models import Topic

# Part of every ETag: bump it when the feeds' markup changes, so readers fetch the new one.
FEED_VERSION = "1"


def _topic(request: HttpRequest, slug: str) -> Topic:
    """The topic, read once per request: the two validators and the view all need it."""
    topic = getattr(request, "_feed_topic", None)
    if topic is None or topic.slug != slug:
        topic = selectors.feed_topic(slug=slug)
        if topic is None:
            raise Http404
        request._feed_topic = topic
    return topic


def _cursor(request: HttpRequest, name: str) -> selectors.Cursor | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    try:
        return selectors.Cursor.parse(raw)
    except ValueError as exc:
        raise Http404 from exc  # like a page number that cannot exist


def _page(request: HttpRequest, topic: Topic) -> selectors.FeedPage:
    before, after = _cursor(request, "before"), _cursor(request, "after")
    if before is not None and after is not None:
        raise Http404
    page = selectors.feed_page(
        topic=topic, size=settings.FEED_PAGE_SIZE, before=before, after=after
    )
    if not page.posts and not page.is_first:
        raise Http404  # past the end of the archive (an empty topic still has a first page)
    return page


def _etag(request: HttpRequest, fmt: FeedFormat, slug: str) -> str:
    topic = _topic(request, slug)
    parts = (
        FEED_VERSION,
        fmt.name,
        settings.BASE_URL,
        settings.FEED_PAGE_SIZE,
        topic.pk,
        topic.scoop_count,
        selectors.feed_changed_at(topic).isoformat(),
        request.GET.get("before", ""),
        request.GET.get("after", ""),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _feed_view(fmt: FeedFormat):
    @require_safe
    @condition(
        etag_func=lambda request, slug: _etag(request, fmt, slug),
        last_modified_func=lambda request, slug: selectors.feed_changed_at(_topic(request, slug)),
    )
    def view(request: HttpRequest, slug: str) -> HttpResponse:
        topic = _topic(request, slug)
        page = _page(request, topic)
        # The feed speaks its topic's language, whoever asks: one cacheable document per page.
        with translation.override(topic.language):
            meta = feed_meta(topic=topic, page=page, url_name=fmt.url_name)
            body = fmt.render(meta, [feed_item(post) for post in page.posts])
        return HttpResponse(body, content_type=fmt.content_type)

    view.__name__ = fmt.url_name
    return view


feed_atom = _feed_view(ATOM)
feed_rss = _feed_view(RSS)
feed_json = _feed_view(JSON_FEED)
