"""OPML (http://opml.org/spec2.opml): a topic's sources in and out, as feed readers exchange them.

Reading is tolerant: outlines nest to any depth (categories are flattened), attribute names are
matched without regard to case (``xmlUrl``, ``xmlurl``), ``title`` falls back to ``text``, and an
outline that cannot be used is reported with its line and text instead of failing the file.
Writing gives OPML 2.0: feeds as ``type="rss"`` outlines; sites, sitemaps and keyword queries
with a ``veilleKind`` attribute that other readers ignore and our import reads back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime

from lxml import etree

from veille.core.urlnorm import normalize_url
from veille.sources.feedextras import xml_parser

MAX_OUTLINES = 5000
KINDS = ("feed", "site", "sitemap", "keyword")


class OpmlError(ValueError):
    """The file is not OPML at all; ``str(error)`` says why."""


@dataclass(frozen=True)
class OpmlSource:
    kind: str
    url: str = ""
    title: str = ""
    site_url: str = ""
    query: str = ""


@dataclass
class OpmlReading:
    title: str = ""
    sources: list[OpmlSource] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "line 12, outline 'Foo': no xmlUrl"


def read_opml(data: bytes) -> OpmlReading:
    root = _root(data)
    reading = OpmlReading(title=(root.findtext("head/title") or "").strip())
    body = root.find("body")
    if body is None:
        raise OpmlError("not an OPML file: it has no <body> element")
    for outline in body.iter("outline"):
        if len(reading.sources) >= MAX_OUTLINES:
            reading.problems.append(f"more than {MAX_OUTLINES} outlines: the rest was ignored")
            break
        _read_outline(outline, reading)
    return reading


def _root(data: bytes):
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as error:
        message = error.msg.split(", line ")[0]
        raise OpmlError(f"malformed OPML at line {error.lineno}: {message}") from error
    if root.tag != "opml":
        raise OpmlError(f"not an OPML file: the root element is <{root.tag}>")
    return root


def _read_outline(outline, reading: OpmlReading) -> None:
    attributes = {str(name).lower(): (value or "").strip() for name, value in outline.items()}
    text = attributes.get("title") or attributes.get("text") or ""
    where = f"line {outline.sourceline}, outline {text or '(untitled)'!r}"
    kind = attributes.get("veillekind", "feed")
    if kind not in KINDS:
        reading.problems.append(f"{where}: unknown kind {kind!r}")
        return
    if kind == "keyword":
        query = attributes.get("veillequery") or text
        if query:
            title = attributes.get("title", "")
            reading.sources.append(OpmlSource(kind="keyword", query=query, title=title))
        return
    url = attributes.get("xmlurl") or (attributes.get("url") if kind != "feed" else "")
    if not url:
        if not len(outline):  # a category without children, or a link outline
            reading.problems.append(f"{where}: no xmlUrl")
        return
    try:
        url = normalize_url(url)
    except ValueError as error:
        reading.problems.append(f"{where}: {error}")
        return
    site = attributes.get("htmlurl", "")
    title = "" if text in (url, attributes.get("xmlurl"), attributes.get("url")) else text
    reading.sources.append(OpmlSource(kind=kind, url=url, title=title, site_url=site))


def write_opml(*, title: str, sources, now: datetime) -> bytes:
    """OPML 2.0 for ``sources`` (Source rows or anything with the same attributes)."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(now)
    body = etree.SubElement(root, "body")
    for source in sources:
        etree.SubElement(body, "outline", _attributes(source))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _attributes(source) -> dict[str, str]:
    text = source.title or source.query or source.url
    if source.kind == "keyword":
        attributes = {"text": text, "veilleKind": "keyword", "veilleQuery": source.query}
        return {**attributes, "title": source.title} if source.title else attributes
    if source.kind == "feed":
        attributes = {"type": "rss", "text": text, "title": text, "xmlUrl": source.url}
    else:
        attributes = {"type": "link", "text": text, "url": source.url, "veilleKind": source.kind}
    if source.site_url:
        attributes["htmlUrl"] = source.site_url
    return attributes
