"""RSS 2.0 (https://www.rssboard.org/rss-specification), with Atom links for self and paging.

RSS has no paging of its own; readers that page RSS (and the W3C validator) understand
``atom:link rel="next"`` and friends, the same links as the Atom feed.
"""

from __future__ import annotations

from veille.publishing.feeds.items import FeedItem, FeedMeta
from veille.publishing.feeds.xmlwriter import XMLWriter, rfc822

CONTENT_TYPE = "application/rss+xml; charset=utf-8"
_NAMESPACES = {
    "xmlns:atom": "http://www.w3.org/2005/Atom",
    # <author> must be an e-mail address in RSS; dc:creator carries a name.
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
}
_LINK_TYPE = "application/rss+xml"


def render(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    out = XMLWriter()
    out.start("rss", {"version": "2.0", **_NAMESPACES})
    out.start("channel")
    out.element("title", meta.title)
    out.element("link", meta.home_url)
    out.element("description", meta.subtitle or meta.title)
    out.element("language", meta.language)
    out.element("lastBuildDate", rfc822(meta.updated))
    out.element("generator", "Veille")
    for rel, href in meta.paging_links():
        out.element("atom:link", attrs={"rel": rel, "type": _LINK_TYPE, "href": href})
    for item in items:
        _item(out, item)
    out.end("channel")
    out.end("rss")
    return out.to_bytes()


def _item(out: XMLWriter, item: FeedItem) -> None:
    out.start("item")
    out.element("title", item.title)
    out.element("link", item.url)
    out.element("guid", item.url, attrs={"isPermaLink": "true"})
    out.element("pubDate", rfc822(item.published))
    out.element("dc:creator", item.author_name)
    for _slug, name in item.tags:
        out.element("category", name)
    out.element("description", item.content_html)
    out.end("item")
