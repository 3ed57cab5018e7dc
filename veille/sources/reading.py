"""A fetched body to the entries of a source, by its kind: a feed, a site's page, a sitemap."""

from __future__ import annotations

from dataclasses import dataclass, field

from veille.sources import pages, sitemaps
from veille.sources.entries import FeedEntry
from veille.sources.parse import ParseError, parse_feed


class ReadError(ValueError):
    """The body cannot give entries; ``str(error)`` says why."""


@dataclass
class Reading:
    entries: list[FeedEntry] = field(default_factory=list)
    title: str = ""
    site_url: str = ""
    ttl: int | None = None


def read(kind: str, *, body: bytes, url: str, charset=None, content_type="", children=()):
    """The entries in ``body`` fetched from ``url``; ReadError when there are none to be had."""
    try:
        if kind == "site":
            return _site(body, url, content_type)
        if kind == "sitemap":
            return _sitemap(body, url, children)
        parsed = parse_feed(body, url=url, charset=charset)
    except (ParseError, sitemaps.SitemapError) as error:
        raise ReadError(str(error)) from error
    return Reading(entries=parsed.entries, title=parsed.title, site_url=parsed.link, ttl=parsed.ttl)


def _site(body: bytes, url: str, content_type: str) -> Reading:
    page = pages.read(body, url, content_type)
    if page is None:
        raise ReadError("empty page: the server sent no content")
    links = pages.article_links(page)
    if not links:
        raise ReadError("no article links found on the page")
    return Reading(entries=links, title=pages.page_title(page), site_url=url)


def _sitemap(body: bytes, url: str, children) -> Reading:
    sitemap = sitemaps.parse_sitemap(body, url=url)
    if sitemap.is_index:
        if not children:
            raise ReadError("none of the sitemaps listed in the index could be fetched")
        merged = sitemaps.Sitemap(is_index=False)
        for child in children:
            try:
                merged.urls += sitemaps.parse_sitemap(child, url=url).urls
            except sitemaps.SitemapError:
                continue  # one broken child does not hide the others
        sitemap = merged
    if not sitemap.urls:
        raise ReadError("empty sitemap: it lists no pages")
    return Reading(entries=sitemaps.entries(sitemap), site_url=url)
