"""Bytes to text for a fetched page, and the content types we refuse to read as HTML.

Order follows the HTML standard's encoding sniffing (https://html.spec.whatwg.org/#encoding-sniffing-
algorithm): byte order mark, then the transport's charset, then a <meta> in the first bytes, then
detection. Strict UTF-8 is tried before detection: a page that decodes as UTF-8 almost always is.
"""

import codecs
import re

from charset_normalizer import from_bytes

# Types whose bytes are never a web page. Anything else (text/plain, octet-stream, a missing type,
# XML) is read as HTML: misconfigured servers send real pages under all of those.
BINARY_TYPE_PREFIXES = ("image/", "audio/", "video/", "font/", "model/")
BINARY_TYPES = {
    "application/pdf",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-7z-compressed",
    "application/vnd.rar",
    "application/x-rar-compressed",
    "application/msword",
    "application/epub+zip",
    "application/json",
    "application/javascript",
    "application/wasm",
    "application/x-shockwave-flash",
}
BINARY_TYPE_PREFIXES_APP = ("application/vnd.openxmlformats", "application/vnd.ms-")
MAGIC_NUMBERS = (b"%PDF-", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
PRESCAN_BYTES = 4096
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG maps these labels to windows-1252, which servers mean when they say latin-1.
WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"}


def media_type(content_type: str | None) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_clearly_not_html(content_type: str | None) -> bool:
    kind = media_type(content_type)
    return (
        kind in BINARY_TYPES
        or kind.startswith(BINARY_TYPE_PREFIXES)
        or kind.startswith(BINARY_TYPE_PREFIXES_APP)
    )


def looks_binary(data: bytes) -> bool:
    """A PDF, an image, an archive or random bytes: there is no markup worth parsing."""
    return data.startswith(MAGIC_NUMBERS) or b"\x00" in data[:PRESCAN_BYTES]


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode a page's bytes; never raises (undecodable bytes become U+FFFD)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    for label in (_charset_param(content_type), _meta_charset(data[:PRESCAN_BYTES])):
        encoding = _python_codec(label)
        if encoding:
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _detected(data)


def _charset_param(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def _meta_charset(head: bytes) -> str | None:
    match = META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _python_codec(label: str | None) -> str | None:
    """The codec for a declared label, or None when Python does not know it."""
    if not label:
        return None
    label = label.strip().lower()
    if label in WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 once it has been sniffed as ASCII-compatible text.
    return "utf-8" if name.startswith("utf-16") else name


def _detected(data: bytes) -> str:
    best = from_bytes(data[:65536]).best()
    encoding = best.encoding if best else "cp1252"
    return data.decode(encoding, errors="replace")
