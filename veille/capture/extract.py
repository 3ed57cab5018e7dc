"""A fetched page (HTML and the URL it came from) turned into an ``Article`` for a scoop.

Pure: no network, no database. The page is parsed once with lxml; our metadata readers
(``metadata``, ``jsonld``, ``images``, ``oembed``) and trafilatura's body extraction share the tree.
trafilatura's own metadata pass (which runs htmldate's date search) only runs when the page's
metadata lack a date or an author. Bad input never raises: what cannot be found stays empty.
"""

import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from . import metadata as meta
from .body import extract_body
from .dates import written_date
from .decoding import decode_html, is_clearly_not_html, looks_binary, media_type
from .images import choose_images
from .language import DEFAULT_LANGUAGES, page_language
from .oembed import OEmbedLink, discover_oembed
from .trafilatura_meta import guessed_metadata

WORDS_PER_MINUTE = 230
DESCRIPTION_MAX_CHARS = 300
# A paywall marker on a page with a full-length text is a leftover of the template, not a wall.
PAYWALL_MAX_WORDS = 350
# Six words or more ending like a sentence: "Publié le 28 juin 2024" and subheadings are not prose.
PROSE_LINE = re.compile(r"^\s*(?:\S+\s+){5,}.*[.!?…»”\"]\s*$")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")

_parsers = threading.local()


class NotAnArticle(ValueError):
    """The content type says this is no web page (a PDF, an image...)."""

    def __init__(self, content_type: str | None):
        self.content_type = media_type(content_type)
        super().__init__(f"not an HTML page ({self.content_type})")


@dataclass
class Article:
    url: str
    canonical_url: str | None = None
    title: str = ""
    description: str = ""
    site_name: str = ""
    author: str | None = None
    published: datetime | None = None
    published_from: str | None = None  # "metadata", "guessed" or None
    modified: datetime | None = None
    image: str | None = None
    images: list[str] = field(default_factory=list)
    language: str | None = None
    text: str = ""
    html: str = ""  # sanitized with veille.core.sanitize.clean_html
    word_count: int = 0
    reading_minutes: int = 0
    favicon: str = ""
    oembed: OEmbedLink | None = None
    paywalled: bool = False
    keywords: list[str] = field(default_factory=list)


def extract_article(
    html: str | bytes,
    *,
    url: str,
    content_type: str | None = None,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
) -> Article:
    """Everything capture can tell about the page at ``url`` from its ``html``.

    Raises ``NotAnArticle`` only when ``content_type`` is clearly not HTML.
    """
    if is_clearly_not_html(content_type):
        raise NotAnArticle(content_type)
    tree = parse_html(html, content_type)
    if tree is None:
        return _bare_article(url)
    page = meta.read_page(tree, url)
    article = _from_metadata(page)
    body = extract_body(tree, url=url, title=article.title)
    article.text, article.html = body.text, body.html
    _complete(article, page, languages)
    return article


def parse_html(html: str | bytes, content_type: str | None = None) -> HtmlElement | None:
    if isinstance(html, bytes):
        if looks_binary(html):
            return None
        html = decode_html(html, content_type)
    if not isinstance(html, str) or not html.strip():
        return None
    try:
        # Re-encoded so that lxml ignores the page's own (now wrong) charset declaration.
        return document_fromstring(html.encode("utf-8", errors="replace"), parser=_parser())
    except (etree.ParserError, ValueError):
        return None


def _parser() -> HTMLParser:
    """One parser per thread: lxml parsers keep state while they run."""
    if not hasattr(_parsers, "parser"):
        _parsers.parser = HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False
        )
    return _parsers.parser


def _bare_article(url: str) -> Article:
    return Article(
        url=url,
        title=title_from_url(url),
        site_name=meta.host_of(url),
        favicon=meta.absolute_url(url, "/favicon.ico") or "",
    )


def _from_metadata(page: meta.Page) -> Article:
    site = meta.site_name(page)
    canonical = meta.canonical_url(page)
    published = meta.published(page)
    image, images = choose_images(page)
    return Article(
        url=page.url,
        canonical_url=canonical,
        title=meta.title(page, site) or "",
        description=meta.description(page) or "",
        site_name=site,
        author=meta.author(page),
        published=published,
        published_from="metadata" if published else None,
        modified=meta.modified(page),
        image=image,
        images=images,
        language=meta.declared_language(page),
        favicon=meta.favicon(page),
        oembed=discover_oembed(page, canonical),
        keywords=meta.keywords(page),
    )


def _complete(article: Article, page: meta.Page, languages: Sequence[str]) -> None:
    """Fill what the page's metadata lacked from the text and trafilatura's guesses."""
    if not article.published or not article.author or not article.title:
        guessed = guessed_metadata(page.tree, url=page.url)
        article.author = article.author or guessed.author
        article.title = article.title or guessed.title or ""
        guessed_date = guessed.date or written_date(meta.top_text(page))
        if not article.published and guessed_date:
            article.published, article.published_from = guessed_date, "guessed"
    article.title = article.title or title_from_url(article.url)
    article.word_count = len(article.text.split())
    article.reading_minutes = math.ceil(article.word_count / WORDS_PER_MINUTE)
    article.description = article.description or summary(article.text)
    article.language = page_language(
        article.language, article.text or f"{article.title}. {article.description}", languages
    )
    article.paywalled = meta.paywall_declared(page) or (
        article.word_count < PAYWALL_MAX_WORDS and meta.paywall_marked(page)
    )


def summary(text: str, limit: int = DESCRIPTION_MAX_CHARS) -> str:
    """The first sentences of ``text`` that fit in ``limit`` characters (a word cut if none fits).

    Lines that are not prose (a menu, a dateline, a subheading) are skipped when there is prose.
    """
    lines = [line for line in text.splitlines() if PROSE_LINE.search(line)]
    flat = " ".join(" ".join(lines or [text]).split())
    if len(flat) <= limit:
        return flat
    kept = ""
    for sentence in SENTENCE_END.split(flat):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def title_from_url(url: str) -> str:
    """``https://x.org/news/la-ville-rose.html`` -> ``La ville rose``; the host at worst."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    segment = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    segment = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", segment)
    words = " ".join(re.split(r"[-_+\s]+", segment)).strip()
    if not words:
        return (parts.hostname or url).removeprefix("www.")
    return words[0].upper() + words[1:]
