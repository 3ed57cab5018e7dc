"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), paged with ``next_url``."""

from __future__ import annotations

import json

from veille.publishing.feeds.items import FeedItem, FeedMeta

VERSION = "https://jsonfeed.org/version/1.1"
CONTENT_TYPE = "application/feed+json; charset=utf-8"


def render(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    feed = {
        "version": VERSION,
        "title": meta.title,
        "description": meta.subtitle,
        "home_page_url": meta.home_url,
        # The spec makes feed_url the feed's identity: the feed's address, not this page's.
        "feed_url": meta.first_url,
        "next_url": meta.next_url,
        "language": meta.language,
    }
    # "items" is required, even when empty.
    feed = {**_present(feed), "items": [_item(item) for item in items]}
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


def _item(item: FeedItem) -> dict:
    return _present(
        {
            "id": item.id,
            "url": item.url,
            "external_url": item.external_url,
            "title": item.title,
            "content_html": item.content_html,
            "image": item.image,
            "date_published": item.published.isoformat(),
            "date_modified": item.updated.isoformat(),
            "authors": [{"name": item.author_name, "url": item.author_url}],
            "tags": [name for _slug, name in item.tags],
            "language": item.language,
        }
    )


def _present(fields: dict) -> dict:
    """Optional members are left out rather than sent empty, as the spec asks."""
    return {name: value for name, value in fields.items() if value not in ("", None, [])}
