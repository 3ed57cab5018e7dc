"""Bytes of a feed to UTF-8 bytes the parsers can trust, and what kind of document they are.

Feeds in the wild declare the wrong encoding, declare none over latin-1 bytes, or are HTML pages
served at a feed's address. Both parsers get UTF-8 bytes whose XML declaration says so; they never
get a ``str``, because both libraries take a string that looks like a URL or a file path as
something to open (a feed must never make us fetch or read anything).
"""

from __future__ import annotations

import codecs
import re

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\?>", re.IGNORECASE)
DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S
)
FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|rdf)[\s>]", re.IGNORECASE)
SNIFF_BYTES = 4096


def decode(body: bytes, charset: str | None = None) -> str:
    """The text of a feed: a byte order mark, else valid UTF-8, else what the server or the
    document declares (when the bytes really are in it), else a guess.

    Strict UTF-8 comes before the declarations: latin-1 text is practically never valid UTF-8,
    while servers and templates very often declare latin-1 (or UTF-8) over the other one.
    """
    for bom, codec in BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    declared = [_codec(charset), _codec(_declared(body))]
    wide = next((c for c in declared if c and c.startswith("utf-16")), None)
    for codec in [wide, "utf-8", *declared]:
        if codec:
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                continue
    return _guess(body)


def to_utf8_xml(text: str) -> bytes:
    """UTF-8 bytes whose XML declaration (if any) says UTF-8."""
    data = text.encode("utf-8")
    match = XML_DECLARATION.match(data)
    if match is None:
        return data
    declaration = re.sub(rb"""encoding\s*=\s*["'][^"']*["']""", b'encoding="utf-8"', match[0])
    return declaration + data[match.end() :]


def looks_like_html(data: bytes) -> bool:
    head = data[:SNIFF_BYTES]
    return bool(HTML_START.match(head)) and not FEED_ROOT.search(head)


def looks_like_json(data: bytes) -> bool:
    return data.lstrip()[:1] in (b"{", b"[")


def _declared(body: bytes) -> str | None:
    match = DECLARED_ENCODING.search(body[:512])
    return match.group(1).decode("ascii") if match else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    # What servers call latin-1 is windows-1252 (WHATWG Encoding): curly quotes, the euro sign.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _guess(body: bytes) -> str:
    """Undeclared legacy bytes: windows-1252 wins ties, as in browsers."""
    from charset_normalizer import from_bytes

    matches = from_bytes(body[:65536])
    best = matches.best()
    if best is None:
        return body.decode("cp1252", errors="replace")
    western = any(m.encoding == "cp1252" and m.chaos <= best.chaos for m in matches)
    return body.decode("cp1252" if western else best.encoding, errors="replace")
