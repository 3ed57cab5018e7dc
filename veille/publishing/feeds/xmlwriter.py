"""A small XML writer for the Atom and RSS documents: every text and attribute is escaped by the
SAX generator, never by string concatenation."""

from __future__ import annotations

import datetime as dt
import io
import re
from email.utils import format_datetime

from django.utils.xmlutils import SimplerXMLGenerator

# XML 1.0 forbids these characters even escaped (https://www.w3.org/TR/xml/#charsets); a title
# pasted from a PDF can hold one, and Django's generator refuses the whole document for it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: str) -> str:
    return _NOT_XML.sub("", value)


def rfc3339(value: dt.datetime) -> str:
    """Atom dates (RFC 4287 section 3.3), in UTC."""
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def rfc822(value: dt.datetime) -> str:
    """RSS 2.0 dates (RFC 822 with four-digit years), in GMT."""
    return format_datetime(value.astimezone(dt.UTC), usegmt=True)


class XMLWriter:
    def __init__(self) -> None:
        self._out = io.StringIO()
        self._xml = SimplerXMLGenerator(self._out, "utf-8", short_empty_elements=True)
        self._xml.startDocument()

    def start(self, name: str, attrs: dict[str, str] | None = None) -> None:
        self._xml.startElement(name, _clean_attrs(attrs))

    def end(self, name: str) -> None:
        self._xml.endElement(name)

    def element(
        self, name: str, text: str | None = None, attrs: dict[str, str] | None = None
    ) -> None:
        self._xml.addQuickElement(
            name, None if text is None else xml_safe(text), _clean_attrs(attrs)
        )

    def to_bytes(self) -> bytes:
        self._xml.endDocument()
        return self._out.getvalue().encode("utf-8")


def _clean_attrs(attrs: dict[str, str] | None) -> dict[str, str]:
    return {name: xml_safe(value) for name, value in (attrs or {}).items()}
