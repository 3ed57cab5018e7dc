"""Opening an uploaded file as text whatever its encoding, without ever failing on a byte.

Bookmark files declare UTF-8 (``<META ... charset=UTF-8>``) even when an old tool wrote them in
Latin-1, and some files mix both. So: a byte-order mark wins; a declared charset other than UTF-8
is trusted; a file that declares UTF-8 or whose head is valid UTF-8 is read as UTF-8 whose stray
bytes are read as Windows-1252 (the superset of Latin-1 that such files use); anything else is
detected by charset_normalizer from the head of the file, Windows-1252 winning over the other
Latin code pages. Only the head is examined: files are
read as streams.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import TextIO

from charset_normalizer import from_bytes

HEAD_BYTES = 64 * 1024
UTF8_FALLBACK = "veille-utf8-cp1252"
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Single-byte code pages of the Latin script. Detection hesitates between them on a short French
# or German text (it took Baltic cp1257 for French); Windows-1252 is what such files use.
LATIN_CODE_PAGES = re.compile(
    r"^(cp125[0247]|latin_1|iso8859_(1|2|3|4|9|10|13|14|15|16)|mac_(latin2|roman|iceland|turkish)"
    r"|cp775|cp85[02])$"
)
META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _cp1252_for_stray_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    stray = error.object[error.start : error.end]
    return stray.decode("cp1252", errors="replace"), error.end


codecs.register_error(UTF8_FALLBACK, _cp1252_for_stray_bytes)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decodes(head: bytes, codec: str) -> bool:
    try:
        codecs.getincrementaldecoder(codec)().decode(head)  # a cut last character is fine
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8(head: bytes) -> bool:
    return _decodes(head, "utf-8")


def sniff_encoding(head: bytes) -> str:
    """The codec name to read a file that starts with ``head``."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    declared = META_CHARSET.search(head)
    codec = _codec(declared.group(1).decode("ascii")) if declared else None
    if codec and codec != "utf-8":
        return codec
    if codec == "utf-8" or _is_utf8(head):
        return "utf-8"  # read with the Windows-1252 fallback for stray bytes
    guess = from_bytes(head).best()
    if guess is None or _codec(guess.encoding) is None:
        return "utf-8"
    if LATIN_CODE_PAGES.match(guess.encoding) and _decodes(head, "cp1252"):
        return "cp1252"
    return _codec(guess.encoding)


def open_text(path: Path | str, *, newline: str | None = None) -> TextIO:
    """``path`` opened for reading as text in its sniffed encoding; no byte ever raises."""
    with open(path, "rb") as file:
        encoding = sniff_encoding(file.read(HEAD_BYTES))
    errors = UTF8_FALLBACK if encoding == "utf-8" else "replace"
    return open(path, encoding=encoding, errors=errors, newline=newline)
