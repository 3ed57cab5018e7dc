"""What the three feed formats say, computed once from a topic and a page of posts.

Ids are ``tag:`` URIs (RFC 4151) built from the instance's host, the row's creation date and its
primary key: a post's address changes with its title or its topic's address, its id must not,
or every reader would show an edited post again as new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse

from veille.core.urls_util import absolute_url
from veille.publishing.feeds.content import item_html, public_url
from veille.publishing.selectors import Cursor, FeedPage, feed_changed_at
from veille.topics.models import Scoop, Topic


@dataclass(frozen=True)
class FeedMeta:
    title: str
    subtitle: str
    language: str
    id: str
    home_url: str  # the topic page
    updated: dt.datetime
    self_url: str  # this page
    first_url: str  # the feed's own address: the newest posts
    previous_url: str | None  # newer posts
    next_url: str | None  # older posts

    def paging_links(self) -> list[tuple[str, str]]:
        """RFC 5005 section 3 links, and "self".

        No "last": with cursors the oldest page has no fixed address; walking "next" reaches it.
        """
        links = [
            ("self", self.self_url),
            ("first", self.first_url),
            ("previous", self.previous_url),
            ("next", self.next_url),
        ]
        return [(rel, href) for rel, href in links if href]


@dataclass(frozen=True)
class FeedItem:
    id: str
    url: str  # the post page
    external_url: str  # the source article, "" when none
    title: str
    content_html: str
    image: str  # "" when none
    published: dt.datetime
    updated: dt.datetime
    author_name: str
    author_url: str
    tags: tuple[tuple[str, str], ...]  # (slug, name)
    language: str


def tag_uri(created_at: dt.datetime, specific: str) -> str:
    host = urlsplit(settings.BASE_URL).hostname or "localhost"
    return f"tag:{host},{created_at.astimezone(dt.UTC).date().isoformat()}:{specific}"


def _page_url(first_url: str, **cursor: Cursor | None) -> str:
    query = {name: value.encode() for name, value in cursor.items() if value is not None}
    return f"{first_url}?{urlencode(query, safe=':,')}" if query else first_url


def feed_meta(*, topic: Topic, page: FeedPage, url_name: str) -> FeedMeta:
    first_url = absolute_url(reverse(f"publishing:{url_name}", args=[topic.slug]))
    return FeedMeta(
        title=topic.title,
        subtitle=topic.subtitle,
        language=topic.language,
        id=tag_uri(topic.created_at, f"topic:{topic.pk}"),
        home_url=absolute_url(topic.get_absolute_url()),
        updated=feed_changed_at(topic),
        self_url=_page_url(first_url, before=page.before, after=page.after),
        first_url=first_url,
        previous_url=_page_url(first_url, after=page.newer) if page.newer else None,
        next_url=_page_url(first_url, before=page.older) if page.older else None,
    )


def feed_item(scoop: Scoop) -> FeedItem:
    return FeedItem(
        id=tag_uri(scoop.created_at, f"scoop:{scoop.pk}"),
        url=absolute_url(scoop.get_absolute_url()),
        external_url=public_url(scoop.source_url),
        title=scoop.title,
        content_html=item_html(scoop),
        image="" if scoop.content_warning else public_url(scoop.lead_image_src),
        published=scoop.published_at,
        # A scheduled post was last saved before it went out.
        updated=max(scoop.published_at, scoop.updated_at),
        author_name=scoop.curator.name,
        author_url=absolute_url(scoop.curator.get_absolute_url()),
        tags=tuple((tag.slug, tag.name) for tag in scoop.tags.all()),
        language=scoop.topic.language,
    )
