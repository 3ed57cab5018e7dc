"""What the fast parser does not report, read from the document itself: the feed's language and
update hints (RSS ``ttl``, ``sy:updatePeriod``/``sy:updateFrequency``), ``xml:base`` of the feed
and of each entry, each item's ``itunes:image`` and language.

Feed-level hints come from the head of the document (before the first item). Items are read
again with lxml in recovering mode (no network, no entities, no DTD) only when the document has
something the fast parser misses: it would otherwise cost twice the parse itself. Anything
unreadable simply gives no hint.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from lxml import etree

XML_NS = "{http://www.w3.org/XML/1998/namespace}"
ATOM = "{http://www.w3.org/2005/Atom}"
ATOM03 = "{http://purl.org/atom/ns#}"
RSS1 = "{http://purl.org/rss/1.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
SY = "{http://purl.org/rss/1.0/modules/syndication/}"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
ITEM_TAGS = ("item", f"{RSS1}item", f"{ATOM}entry", f"{ATOM03}entry")
# http://web.resource.org/rss/1.0/modules/syndication/
HEAD_BYTES = 65536
FIRST_ITEM = re.compile(rb"<((?:[\w-]+:)?(?:item|entry))[\s>/]")
ITEM_START = re.compile(rb"<(?:[\w-]+:)?item[\s>/]")
ITEM_MARKERS = (b"xml:base", b"itunes:image", b"xml:lang", b"language>")
TTL = re.compile(rb"<ttl>\s*(\d{1,7})\s*</ttl>")
UPDATE_PERIOD = re.compile(rb"<(?:[\w-]+:)?updatePeriod>\s*(\w+)\s*<")
UPDATE_FREQUENCY = re.compile(rb"<(?:[\w-]+:)?updateFrequency>\s*(\d{1,5})\s*<")
LANGUAGE = re.compile(rb"<(?:dc:)?language>\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\s*<")
XML_LANG = re.compile(rb"""xml:lang=["']([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)["']""")
XML_BASE = re.compile(rb"""xml:base=["']([^"']+)["']""")
PERIOD_SECONDS = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 7 * 86400,
    "monthly": 30 * 86400,
    "yearly": 365 * 86400,
}


@dataclass
class ItemExtras:
    base: str = ""
    image: str = ""
    language: str = ""
    summary_html: str = ""  # an Atom entry's summary (or content), read by its declared type
    has_description: bool | None = None  # RSS: False when the item has only content:encoded


@dataclass
class Extras:
    base: str = ""  # xml:base of the feed, as written (may itself be relative)
    language: str = ""
    ttl: int | None = None  # seconds: the feed asks not to be polled more often than this
    items: dict[str, ItemExtras] = field(default_factory=dict)  # by id and by link

    def item(self, *keys: str) -> ItemExtras:
        for key in keys:
            if key and key in self.items:
                return self.items[key]
        return ItemExtras()


def xml_parser(*, recover: bool = False) -> etree.XMLParser:
    """The one way sources parse XML from outside: no network, no entities, no DTD (no billion
    laughs, no external entity reading local files), no huge trees."""
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


def from_xml(data: bytes) -> Extras:
    """Hints of the feed from its head (before the first item); per-item extras when the
    document has any of what the fast parser misses."""
    first = FIRST_ITEM.search(data)
    head = data[: first.start()] if first else data[:HEAD_BYTES]
    extras = _head_hints(head)
    if first is not None and _needs_item_pass(data, first):
        _read_items(data, extras)
    return extras


def _head_hints(head: bytes) -> Extras:
    """Regular expressions over the channel's head: a tree is not worth it for three values."""
    hints = []
    if ttl := TTL.search(head):
        hints.append(int(ttl[1]) * 60)
    period = UPDATE_PERIOD.search(head)
    seconds = PERIOD_SECONDS.get(period[1].decode().lower()) if period else None
    if seconds:
        frequency = UPDATE_FREQUENCY.search(head)
        hints.append(seconds // (max(int(frequency[1]), 1) if frequency else 1))
    language = LANGUAGE.search(head) or XML_LANG.search(head)
    base = XML_BASE.search(head)
    return Extras(
        base=html.unescape(base[1].decode("utf-8", "replace")) if base else "",
        language=language[1].decode("ascii", "replace") if language else "",
        ttl=max(hints) if hints else None,
    )


def _needs_item_pass(data: bytes, first: re.Match) -> bool:
    """Atom entries (summary types), relative bases, iTunes images, item languages, or RSS items
    with content but no description: the fast parser's reading needs help."""
    rest = data[first.start() :]
    if first[1].endswith(b"entry") or any(marker in rest for marker in ITEM_MARKERS):
        return True
    items = len(ITEM_START.findall(rest))
    return rest.count(b"<description") < items


def _read_items(data: bytes, extras: Extras) -> None:
    try:
        root = etree.fromstring(data, xml_parser(recover=True))
    except (etree.XMLSyntaxError, ValueError):
        return
    if root is not None:
        for item in root.iter(*ITEM_TAGS):
            _add_item(extras, item)


def from_json(document: dict) -> Extras:
    """JSON Feed 1.1 names a language for the feed and for each item."""
    extras = Extras(language=str(document.get("language") or ""))
    for item in document.get("items") or []:
        if isinstance(item, dict) and item.get("language"):
            found = ItemExtras(language=str(item["language"]))
            for key in (item.get("id"), item.get("url")):
                if key:
                    extras.items[str(key)] = found
    return extras


def _text(element, *paths: str) -> str:
    for path in paths:
        found = element.find(path)
        if found is not None and found.text and found.text.strip():
            return found.text.strip()
    return ""


def _add_item(extras: Extras, item) -> None:
    image = item.find(f"{ITUNES}image")
    found = ItemExtras(
        base=item.get(f"{XML_NS}base") or "",
        image=(image.get("href") or "").strip() if image is not None else "",
        language=item.get(f"{XML_NS}lang") or _text(item, f"{DC}language"),
    )
    if item.tag in (f"{ATOM}entry", f"{ATOM03}entry"):
        found.summary_html = _atom_summary(item)
    else:
        found.has_description = item.find("description") is not None or (
            item.find(f"{RSS1}description") is not None
        )
    for key in _keys(item):
        extras.items.setdefault(key, found)


def _atom_summary(item) -> str:
    """An Atom entry's summary (else content) as HTML, by its declared type (RFC 4287, 3.1.1).

    fastfeedparser drops ``xhtml`` summaries and reads ``text`` ones as HTML; the type decides.
    """
    namespace = ATOM03 if item.tag.startswith(ATOM03) else ATOM
    for name in ("summary", "content"):
        element = item.find(f"{namespace}{name}")
        if element is None:
            continue
        kind = element.get("type", "text").lower()
        if kind in ("xhtml", "application/xhtml+xml") and len(element):
            wrapper = element[0]
            inner = [html.escape(wrapper.text or "", quote=False)]
            inner += [etree.tostring(child, encoding="unicode") for child in wrapper]
            return "".join(inner)
        if element.get("mode") == "base64":
            return ""  # Atom 0.3's rare encoded content: left to the parsers
        if kind in ("text", "text/plain"):
            return html.escape(element.text or "", quote=False)
        return element.text or ""
    return ""


def _keys(item) -> list[str]:
    keys = [
        _text(item, "guid", f"{ATOM}id", f"{ATOM03}id", "link", f"{RSS1}link"),
        item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or "",
    ]
    for link in item.iterfind(f"{ATOM}link") if item.tag.startswith(ATOM) else ():
        if link.get("rel") in (None, "alternate"):
            keys.append(link.get("href") or "")
    for link in item.iterfind(f"{ATOM03}link") if item.tag.startswith(ATOM03) else ():
        keys.append(link.get("href") or "")
    return [k for k in keys if k]
