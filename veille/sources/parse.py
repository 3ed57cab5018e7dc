"""Feed bytes to a ``ParsedFeed``: RSS 0.9x/1.0 (RDF)/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1.

fastfeedparser reads the feed; when it raises, feedparser (slower, more forgiving) gets a second
try. Whatever cannot be read ends as a ``ParseError`` whose message names why, in words a curator
can act on: "empty feed: ...", "not a feed: the server sent an HTML page", "malformed XML at line
12: ...". Entries come out as ``FeedEntry`` values (veille/sources/entries.py): absolute http(s)
links, sanitized HTML, timezone-aware dates.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass, field

from veille.core.sanitize import html_to_text
from veille.sources import conf, feedextras, feedtext
from veille.sources.entries import FeedEntry
from veille.sources.feedentries import absolute, build_entry, language_code

log = logging.getLogger(__name__)

FEED_ROOTS = {"rss", "feed", "RDF"}


class ParseError(ValueError):
    """A feed that cannot be read; ``str(error)`` says why."""


@dataclass
class ParsedFeed:
    title: str
    link: str  # the site the feed belongs to, absolute
    language: str
    entries: list[FeedEntry] = field(default_factory=list)
    ttl: int | None = None  # seconds the feed asks between polls (ttl, sy:updatePeriod)
    parser: str = "fastfeedparser"
    skipped: int = 0  # items without a usable link
    truncated: bool = False  # more items than FEED_MAX_ENTRIES


def parse_feed(
    body: bytes, *, url: str, charset: str | None = None, max_entries: int | None = None
) -> ParsedFeed:
    """Parse a feed fetched from ``url`` (the base of its relative links)."""
    data, document = _prepare(body, charset)
    raw, parser = _parse(data)
    if document is not None:
        extras = feedextras.from_json(document)
    else:
        extras = feedextras.from_xml(data)
    limit = max_entries or conf.get("FEED_MAX_ENTRIES")
    parsed = _build(raw, extras, url=url, parser=parser, limit=limit)
    if not parsed.entries and document is None:
        # Both parsers recover what they can from broken XML; when nothing came out of it, the
        # curator needs to hear that the feed is broken, not that it is quiet.
        _require_well_formed(data)
    return parsed


def _prepare(body: bytes, charset: str | None) -> tuple[bytes, dict | None]:
    """UTF-8 bytes for the parsers, and the JSON document when it is a JSON Feed."""
    if not body or not body.strip():
        raise ParseError("empty feed: the server sent no content")
    if feedtext.looks_like_html(body):
        raise ParseError("not a feed: the server sent an HTML page")
    text = feedtext.decode(body, charset)
    if feedtext.looks_like_json(body):
        return text.encode("utf-8"), _json_feed(text)
    return feedtext.to_utf8_xml(text), None


def _json_feed(text: str) -> dict:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(f"malformed JSON at line {error.lineno}: {error.msg}") from error
    except RecursionError as error:
        raise ParseError("malformed JSON: nested too deeply") from error
    version = document.get("version") if isinstance(document, dict) else None
    if not str(version or "").startswith("https://jsonfeed.org/version/"):
        raise ParseError("not a feed: a JSON document that is not a JSON Feed")
    return document


def _parse(data: bytes) -> tuple[dict, str]:
    import fastfeedparser

    try:
        return fastfeedparser.parse(data), "fastfeedparser"
    except Exception as error:  # noqa: BLE001 - any failure of the fast parser gets a second try
        fallback = _feedparser(data)
        if fallback is None:
            raise ParseError(_describe(data, error)) from error
        log.info("feedparser read a feed that fastfeedparser refused: %s", error)
        return fallback, "feedparser"


def _feedparser(data: bytes) -> dict | None:
    import feedparser

    # A file object, never bytes or str: feedparser opens a string that names a URL or a file.
    result = feedparser.parse(io.BytesIO(data))
    if not result.get("version") and not result.get("entries"):
        return None
    return result


def _strict_root(data: bytes):
    """The root element of a strict parse; ParseError naming the first syntax error."""
    from lxml import etree

    try:
        return etree.fromstring(data, feedextras.xml_parser())
    except etree.XMLSyntaxError as syntax:
        message = syntax.msg.split(", line ")[0]
        raise ParseError(f"malformed XML at line {syntax.lineno}: {message}") from syntax


def _require_well_formed(data: bytes) -> None:
    _strict_root(data)


def _describe(data: bytes, error: Exception) -> str:
    """Why neither parser could read ``data``, from a strict XML parse."""
    from lxml import etree

    try:
        root = _strict_root(data)
    except ParseError as malformed:
        return str(malformed)
    name = etree.QName(root).localname
    if name not in FEED_ROOTS:
        return f"not a feed: an XML document whose root element is <{name}>"
    return f"unreadable feed: {str(error)[:300]}"


def _build(raw: dict, extras: feedextras.Extras, *, url: str, parser: str, limit: int):
    feed = raw.get("feed") or {}
    document_base = absolute(url, extras.base) or url
    link = absolute(document_base, feed.get("link"))
    # Relative links resolve against xml:base, else the feed's own link, else its address.
    base = absolute(url, extras.base) if extras.base else (link or url)
    language = language_code(extras.language or str(feed.get("language") or ""))
    items = list(raw.get("entries") or ())
    parsed = ParsedFeed(
        title=html_to_text(str(feed.get("title") or ""))[:300],
        link=link,
        language=language,
        ttl=extras.ttl,
        parser=parser,
        truncated=len(items) > limit,
    )
    for item in items[:limit]:
        item_extras = extras.item(str(item.get("id") or ""), str(item.get("link") or ""))
        entry = build_entry(item, base=base, language=language, extras=item_extras)
        if entry is None:
            parsed.skipped += 1
        else:
            parsed.entries.append(entry)
    return parsed
