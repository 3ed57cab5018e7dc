"""What a web page offers a source: the feeds it advertises, and the article links it lists.

A site without a feed is followed through its page's links: same-site links that look like
articles (a slug of several words, a date or a numeric id in the path, a text long enough to be a
headline), outside navigation, header, footer and asides. Each becomes a ``FeedEntry`` titled with
the link's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement, HTMLParser, document_fromstring

from veille.capture.decoding import decode_html
from veille.capture.metadata import Page, absolute_url, clean, host_of, read_page
from veille.sources.entries import FeedEntry

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",  # JSON Feed 1.0 advertised itself so
    "application/rdf+xml": "rdf",
}
MAX_LINKS = 100
MIN_TITLE_CHARS = 15
OUTSIDE_ARTICLES = "ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"
NOT_ARTICLE_PATH = re.compile(
    r"/(?:tags?|categor(?:y|ies)|rubriques?|auteurs?|authors?|page|search|recherche|login|"
    r"wp-login\.php|wp-admin|feed|rss|contact|about|a-propos|privacy|confidentialite|"
    r"mentions-legales|legal|cgu|cgv|cookies|account|compte|cart|panier|newsletter|share|"
    r"abonnement|subscribe)(?:/|$|\.)",
    re.IGNORECASE,
)
NOT_PAGE_EXTENSION = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|pdf|zip|gz|mp3|mp4|css|js|xml|rss|atom|json|ico)$", re.I
)
DATE_IN_PATH = re.compile(r"/(?:19|20)\d\d(?:/|-)(?:0?[1-9]|1[0-2])(?:/|-|$)")
NUMERIC_ID = re.compile(r"(?:^|[/_-])\d{4,}(?:[/_.-]|$)")
SLUG_WORDS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){2,}", re.IGNORECASE)


@dataclass(frozen=True)
class FeedLink:
    url: str
    title: str
    format: str  # rss, atom, json, rdf


def parse_html(body: bytes, content_type: str | None = None) -> HtmlElement | None:
    text = decode_html(body, content_type)
    if not text.strip():
        return None
    try:
        return document_fromstring(text, parser=HTMLParser(no_network=True, remove_comments=True))
    except ValueError:  # lxml: "Document is empty" and the like
        return None


def read(body: bytes, url: str, content_type: str | None = None) -> Page | None:
    tree = parse_html(body, content_type)
    return read_page(tree, url) if tree is not None else None


def feed_links(page: Page) -> list[FeedLink]:
    """<link rel="alternate"> feeds, in the page's order, without comment feeds."""
    found: list[FeedLink] = []
    for element in page.tree.iter("link"):
        rels = (element.get("rel") or "").lower().split()
        kind = FEED_TYPES.get((element.get("type") or "").split(";")[0].strip().lower())
        url = absolute_url(page.base, element.get("href"))
        if "alternate" not in rels or kind is None or url is None:
            continue
        title = clean(element.get("title"))
        # WordPress and others advertise each post's comments as a feed: not news.
        if "comment" in url.lower() or "comment" in title.lower():
            continue
        if all(link.url != url for link in found):
            found.append(FeedLink(url=url, title=title, format=kind))
    return found


def page_title(page: Page) -> str:
    site = page.first("og:site_name", "application-name")
    titles = page.tree.xpath("//title/text()")
    return clean(site or (titles[0] if titles else ""))[:300]


def article_links(page: Page, *, limit: int = MAX_LINKS) -> list[FeedEntry]:
    """Same-site links that look like articles, each once with its longest text."""
    site = host_of(page.url)
    best: dict[str, str] = {}
    for anchor in page.tree.xpath(f"//a[@href][not({OUTSIDE_ARTICLES})]"):
        url = absolute_url(page.base, anchor.get("href"))
        if url is None or host_of(url) != site:
            continue
        url = url.split("#", 1)[0]
        text = clean(anchor.text_content()) or clean(anchor.get("title"))
        if _looks_like_article(url, page.url) and len(text) > len(best.get(url, "")):
            best[url] = text
    entries = [FeedEntry(url=url, title=text[:300]) for url, text in best.items()]
    return [entry for entry in entries if len(entry.title) >= MIN_TITLE_CHARS][:limit]


def _looks_like_article(url: str, page_url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path
    if url.rstrip("/") == page_url.rstrip("/") or path in ("", "/"):
        return False
    if NOT_ARTICLE_PATH.search(path) or NOT_PAGE_EXTENSION.search(path):
        return False
    if "replytocom" in parts.query:
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(DATE_IN_PATH.search(path) or NUMERIC_ID.search(path) or SLUG_WORDS.search(last))
