"""The feeds out of a topic: Atom, RSS 2.0 and JSON Feed 1.1, from one set of items."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from veille.publishing.feeds import atom, jsonfeed, rss
from veille.publishing.feeds.items import FeedItem, FeedMeta


@dataclass(frozen=True)
class FeedFormat:
    name: str
    url_name: str
    content_type: str
    render: Callable[[FeedMeta, list[FeedItem]], bytes]


ATOM = FeedFormat("atom", "feed_atom", atom.CONTENT_TYPE, atom.render)
RSS = FeedFormat("rss", "feed_rss", rss.CONTENT_TYPE, rss.render)
JSON_FEED = FeedFormat("json", "feed_json", jsonfeed.CONTENT_TYPE, jsonfeed.render)
