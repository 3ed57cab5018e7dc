"""What a page says about itself: <meta> tags (OpenGraph, Twitter cards, plain HTML), <link> tags
and schema.org JSON-LD, read from the one lxml tree the extractor parsed.

Each function returns the first good value in an order of preference written next to it (and in
docs/capture-extraction.md). URLs come back absolute and http(s) only.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from .dates import parse_datetime
from .jsonld import JsonLd, read_jsonld
from .language import normalize_language

PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "itemprop:datepublished",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "pubdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
)
MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "itemprop:datemodified")
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|·|•|::|»|/)\s+")
SITE_NAME_MAX_WORDS = 5
MAIN_REGION_XPATHS = (
    '//*[@itemprop="articleBody"]',
    "//article",
    "//main",
    '//*[@role="main"]',
    "//body",
)
VISIBLE_TEXT_XPATH = (
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::nav)]"
)
BYLINE_PREFIX = re.compile(r"^(?:by|par)\s+", re.IGNORECASE)
WHITESPACE = re.compile(r"\s+")
PAYWALL_MARKER = re.compile(
    r"paywall|regwall|premium[-_]?(?:content|article|only|lock)|subscribers?[-_]only|"
    r"(?:content|article)[-_]locked|locked[-_](?:content|article)|metered[-_]?content|poool|"
    r"piano[-_](?:paywall|offer)|reserve[-_]aux[-_]abonnes|abonnes[-_]only|article[-_]abonne",
    re.IGNORECASE,
)


@dataclass
class Page:
    """The parsed page with its <meta>, <link> and JSON-LD gathered once."""

    tree: HtmlElement
    url: str
    base: str
    meta: dict[str, list[str]] = field(default_factory=dict)
    links: list[tuple[set[str], str, str]] = field(default_factory=list)  # (rels, href, type)
    jsonld: JsonLd = field(default_factory=JsonLd)

    def first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value:
                    return value
        return None

    def all(self, *keys: str) -> list[str]:
        return [value for key in keys for value in self.meta.get(key, ()) if value]

    def link_hrefs(self, rel: str) -> list[str]:
        return [href for rels, href, _type in self.links if rel in rels]


def read_page(tree: HtmlElement, url: str) -> Page:
    base_href = next(iter(tree.xpath("//base/@href")), None)
    base = absolute_url(url, base_href) if base_href else url
    page = Page(tree=tree, url=url, base=base or url, jsonld=read_jsonld(tree))
    for element in tree.iter("meta"):
        _add_meta(page.meta, element)
    for element in tree.iter("time"):
        if (element.get("itemprop") or "").lower() in ("datepublished", "datemodified"):
            key = "itemprop:" + element.get("itemprop", "").lower()
            page.meta.setdefault(key, []).append(clean(element.get("datetime")))
    for element in tree.iter("link"):
        rels = set((element.get("rel") or "").lower().split())
        if rels and element.get("href"):
            page.links.append((rels, element.get("href").strip(), element.get("type") or ""))
    return page


def _add_meta(meta: dict[str, list[str]], element: HtmlElement) -> None:
    content = clean(element.get("content"))
    for attribute in ("property", "name", "http-equiv"):
        key = (element.get(attribute) or "").strip().lower()
        if key:
            meta.setdefault(key, []).append(content)
    if element.get("itemprop"):
        meta.setdefault("itemprop:" + element.get("itemprop").lower(), []).append(content)


def clean(value: str | None) -> str:
    return WHITESPACE.sub(" ", value or "").strip()


def absolute_url(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``; None unless the result is an http(s) URL with a host."""
    if not href or not href.strip():
        return None
    try:
        resolved = urljoin(base, href.strip())
        parts = urlsplit(resolved)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return resolved


def host_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def canonical_url(page: Page) -> str | None:
    """<link rel=canonical>, og:url, JSON-LD url or mainEntityOfPage."""
    candidates = [
        *page.link_hrefs("canonical"),
        *page.all("og:url"),
        *page.jsonld.urls("url"),
        *page.jsonld.urls("mainEntityOfPage"),
    ]
    return next(filter(None, (absolute_url(page.base, c) for c in candidates)), None)


def site_name(page: Page) -> str:
    """og:site_name, JSON-LD publisher, JSON-LD WebSite name, else the host."""
    website = page.jsonld.website.get("name")
    return (
        page.first("og:site_name")
        or next(iter(page.jsonld.names("publisher")), None)
        or (clean(website) if isinstance(website, str) else None)
        or host_of(page.url)
    )


def title(page: Page, site: str) -> str | None:
    """og:title, twitter:title, JSON-LD headline, <title>, first <h1>; site name taken off."""
    headings = [clean(h.text_content()) for h in page.tree.xpath("//h1 | //h2")[:20]]
    candidates = (
        page.first("og:title"),
        page.first("twitter:title"),
        page.jsonld.text("headline"),
        _title_element(page, headings),
        headings[0] if page.tree.find(".//h1") is not None else None,
    )
    for candidate in candidates:
        stripped = strip_site_name(candidate or "", site, host_of(page.url))
        if stripped:
            return stripped
    return None


def _title_element(page: Page, headings: list[str]) -> str:
    """<title>, or the part of it that a heading of the page repeats (``Topic - Forum``: ``Topic``)
    when the site's name is not known well enough to strip it."""
    text = clean(page.tree.findtext(".//title"))
    for match in TITLE_SEPARATORS.finditer(text):
        if text[: match.start()] in headings:
            return text[: match.start()]
    return text


def strip_site_name(text: str, site: str, host: str) -> str:
    """``Article | Site`` or ``Site - Article`` -> ``Article`` when that part names the site."""
    separators = list(TITLE_SEPARATORS.finditer(text))
    if not separators:
        return text
    names = {_squash(site), _squash(host), _squash(host.rsplit(".", 1)[0])} - {""}
    last, first = separators[-1], separators[0]
    if _names_site(text[last.end() :], names):
        return text[: last.start()].strip()
    if _names_site(text[: first.start()], names):
        return text[first.end() :].strip()
    return text


def _names_site(part: str, names: set[str]) -> bool:
    """``Le Carnet de Manon`` names carnetdemanon.blog; ``Mairie de Saint-Aubin`` names
    saintaubin.fr: containment either way, for a short part (a headline that mentions the site is
    no site name) and names long enough not to match by chance."""
    squashed = _squash(part)
    if not squashed or squashed in names:
        return bool(squashed)
    return len(part.split()) <= SITE_NAME_MAX_WORDS and any(
        min(len(name), len(squashed)) >= 6 and (name in squashed or squashed in name)
        for name in names
    )


def _squash(text: str) -> str:
    """Lower case letters and digits only, accents removed: ``Lumea Énergies`` -> lumeaenergies."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def description(page: Page) -> str | None:
    """og:description, twitter:description, <meta name=description>, JSON-LD description."""
    return (
        page.first("og:description", "twitter:description", "description")
        or page.jsonld.text("description")
        or None
    )


def author(page: Page) -> str | None:
    """<meta name=author>, article:author unless it is a profile URL, JSON-LD author names."""
    profile = page.first("article:author")
    if profile and re.match(r"https?://", profile):
        profile = None
    names = page.jsonld.names("author")
    found = page.first("author") or profile or ", ".join(dict.fromkeys(names))
    return BYLINE_PREFIX.sub("", found).strip() or None


def published(page: Page) -> datetime | None:
    """article:published_time, JSON-LD datePublished, itemprop=datePublished, other date metas."""
    candidates = [page.first(PUBLISHED_KEYS[0]), page.jsonld.text("datePublished")]
    candidates += [page.first(key) for key in PUBLISHED_KEYS[1:]]
    return next(filter(None, map(parse_datetime, candidates)), None)


def modified(page: Page) -> datetime | None:
    candidates = [page.first(MODIFIED_KEYS[0]), page.jsonld.text("dateModified")]
    candidates += [page.first(key) for key in MODIFIED_KEYS[1:]]
    return next(filter(None, map(parse_datetime, candidates)), None)


def main_region(tree: HtmlElement) -> HtmlElement:
    """The element holding the article when the page marks it up, else <body>."""
    for xpath in MAIN_REGION_XPATHS:
        found = tree.xpath(xpath)
        if found:
            return found[0]
    return tree


def top_text(page: Page, limit: int = 1500) -> str:
    """The first ``limit`` characters of the main region's visible text (no scripts, no menus)."""
    pieces = main_region(page.tree).xpath(VISIBLE_TEXT_XPATH)
    chunks, size = [], 0
    for piece in pieces:
        if size >= limit:
            break
        if piece.strip():
            chunks.append(piece.strip())
            size += len(piece)
    return " ".join(chunks)[:limit]


def declared_language(page: Page) -> str | None:
    """<html lang>, og:locale, <meta http-equiv=content-language>, JSON-LD inLanguage."""
    candidates = (
        page.tree.get("lang") or page.tree.get("xml:lang"),
        page.first("og:locale"),
        page.first("content-language", "language"),
        page.jsonld.text("inLanguage"),
    )
    return next(filter(None, map(normalize_language, candidates)), None)


def keywords(page: Page) -> list[str]:
    """<meta name=keywords>, news_keywords, article:tag, JSON-LD keywords; in order, once each."""
    values = [*page.all("keywords", "news_keywords"), *page.all("article:tag")]
    found = page.jsonld.get("keywords")
    values += found if isinstance(found, list) else [found]
    words = [clean(word) for value in values if isinstance(value, str) for word in value.split(",")]
    unique: dict[str, str] = {}
    for word in words:
        if word:
            unique.setdefault(word.lower(), word)
    return list(unique.values())[:30]


def meta_images(page: Page) -> list[str]:
    """og:image:secure_url, og:image, twitter:image, JSON-LD image and thumbnailUrl, image_src."""
    candidates = [
        *page.all("og:image:secure_url", "og:image", "og:image:url"),
        *page.all("twitter:image", "twitter:image:src"),
        *page.jsonld.urls("image"),
        *page.jsonld.urls("thumbnailUrl"),
        *page.link_hrefs("image_src"),
    ]
    return [url for url in (absolute_url(page.base, c) for c in candidates) if url]


def favicon(page: Page) -> str:
    """<link rel=icon> (or ``shortcut icon``), apple-touch-icon, else /favicon.ico of the host."""
    for rel in ("icon", "apple-touch-icon", "apple-touch-icon-precomposed"):
        for href in page.link_hrefs(rel):
            url = absolute_url(page.base, href)
            if url:
                return url
    return absolute_url(page.url, "/favicon.ico") or ""


def paywall_declared(page: Page) -> bool:
    """JSON-LD ``isAccessibleForFree: false`` on the article or one of its parts (Google's way)."""
    parts = page.jsonld.get("hasPart")
    objects = [page.jsonld.main, *(parts if isinstance(parts, list) else [parts])]
    return any(
        isinstance(obj, dict) and str(obj.get("isAccessibleForFree", "")).strip().lower() == "false"
        for obj in objects
    )


def paywall_marked(page: Page) -> bool:
    """A class or id that paywall vendors and newspaper templates use for the locked part."""
    return any(PAYWALL_MARKER.search(name) for name in page.tree.xpath("//@class | //@id"))
