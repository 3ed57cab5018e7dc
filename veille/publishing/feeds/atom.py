"""Atom 1.0 (RFC 4287), paged as RFC 5005 section 3 describes."""

from __future__ import annotations

from veille.publishing.feeds.items import FeedItem, FeedMeta
from veille.publishing.feeds.xmlwriter import XMLWriter, rfc3339

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
_LINK_TYPE = "application/atom+xml"


def render(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    out = XMLWriter()
    out.start("feed", {"xmlns": ATOM_NS, "xml:lang": meta.language})
    out.element("title", meta.title)
    if meta.subtitle:
        out.element("subtitle", meta.subtitle)
    out.element("id", meta.id)
    out.element("updated", rfc3339(meta.updated))
    out.element("generator", "Veille")
    out.element("link", attrs={"rel": "alternate", "type": "text/html", "href": meta.home_url})
    for rel, href in meta.paging_links():
        out.element("link", attrs={"rel": rel, "type": _LINK_TYPE, "href": href})
    for item in items:
        _entry(out, item)
    out.end("feed")
    return out.to_bytes()


def _entry(out: XMLWriter, item: FeedItem) -> None:
    out.start("entry")
    out.element("id", item.id)
    out.element("title", item.title)
    out.element("link", attrs={"rel": "alternate", "type": "text/html", "href": item.url})
    if item.external_url:
        out.element("link", attrs={"rel": "related", "href": item.external_url})
    out.element("published", rfc3339(item.published))
    out.element("updated", rfc3339(item.updated))
    out.start("author")
    out.element("name", item.author_name)
    out.element("uri", item.author_url)
    out.end("author")
    for slug, name in item.tags:
        out.element("category", attrs={"term": slug, "label": name})
    # type="html": the HTML travels as escaped text, which any XML parser reads back intact.
    out.element("content", item.content_html, attrs={"type": "html"})
    out.end("entry")
