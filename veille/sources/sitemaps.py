"""Sitemaps (https://www.sitemaps.org/protocol.html) as a source: the newest pages of a site.

A ``urlset`` lists pages (``loc``, ``lastmod``; Google News sitemaps add ``news:title`` and a
publication date); a ``sitemapindex`` lists sitemaps, of which the poller follows the newest few,
one level deep. Gzipped sitemaps are inflated within the feed size cap.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from veille.sources import conf
from veille.sources.entries import FeedEntry
from veille.sources.feedentries import absolute, iso_date
from veille.sources.feedextras import xml_parser

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
MAX_CHILD_SITEMAPS = 3
GZIP_MAGIC = b"\x1f\x8b"


class SitemapError(ValueError):
    pass


@dataclass
class SitemapUrl:
    loc: str
    lastmod: datetime | None = None
    title: str = ""


@dataclass
class Sitemap:
    is_index: bool
    urls: list[SitemapUrl] = field(default_factory=list)

    def newest(self, count: int) -> list[SitemapUrl]:
        """The ``count`` newest by lastmod; without dates, the last ones listed."""
        dated = [u for u in self.urls if u.lastmod]
        if not dated:
            return self.urls[-count:][::-1]
        oldest = datetime.min.replace(tzinfo=UTC)
        return sorted(self.urls, key=lambda u: u.lastmod or oldest, reverse=True)[:count]


def inflate(body: bytes, max_bytes: int | None = None) -> bytes:
    """A gzipped sitemap (served as a file, not Content-Encoding) inflated within the cap."""
    if not body.startswith(GZIP_MAGIC):
        return body
    limit = max_bytes or conf.get("FEED_MAX_BYTES")
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as error:
        raise SitemapError(f"broken gzip sitemap: {error}") from error
    if len(data) > limit:
        raise SitemapError(f"refused: the sitemap inflates to more than {limit} bytes")
    return data


def parse_sitemap(body: bytes, *, url: str) -> Sitemap:
    try:
        root = etree.fromstring(inflate(body), xml_parser(recover=True))
    except (etree.XMLSyntaxError, ValueError) as error:
        raise SitemapError(f"not a sitemap: {error}") from error
    if root is None or root.tag not in (f"{SM}urlset", f"{SM}sitemapindex"):
        raise SitemapError("not a sitemap: no <urlset> or <sitemapindex>")
    is_index = root.tag == f"{SM}sitemapindex"
    sitemap = Sitemap(is_index=is_index)
    for element in root.iterchildren(f"{SM}sitemap" if is_index else f"{SM}url"):
        found = _url(element, url)
        if found is not None:
            sitemap.urls.append(found)
    return sitemap


def entries(sitemap: Sitemap, *, limit: int | None = None) -> list[FeedEntry]:
    from veille.capture.extract import title_from_url  # loads trafilatura: only when needed

    chosen = sitemap.newest(limit or conf.get("FEED_MAX_ENTRIES"))
    return [
        FeedEntry(url=u.loc, title=u.title or title_from_url(u.loc), published=u.lastmod)
        for u in chosen
    ]


def _url(element, base: str) -> SitemapUrl | None:
    loc = absolute(base, element.findtext(f"{SM}loc") or "")
    if not loc:
        return None
    news = element.find(f"{NEWS}news")
    title = (news.findtext(f"{NEWS}title") or "").strip() if news is not None else ""
    when = news.findtext(f"{NEWS}publication_date") if news is not None else None
    return SitemapUrl(
        loc=loc, lastmod=iso_date(when or element.findtext(f"{SM}lastmod")), title=title
    )
