"""The article body: trafilatura finds it, we render it as plain text and as sanitized HTML.

trafilatura runs once per page, on the tree we already parsed (it copies it), in its ``fast`` mode:
the readability/justext comparison it otherwise runs on every page doubles the time for little gain
on article pages, and the recall retry for pages that yield too little still runs.
"""

import logging
from dataclasses import dataclass

from lxml.html import HtmlElement, tostring
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html

from veille.core.sanitize import clean_html

logger = logging.getLogger(__name__)

BLOCK_SEPARATOR = "\n\n"
# trafilatura's block elements, as they can appear inside a table cell or a quote.
NESTED_BLOCKS = {"p", "head", "list", "item", "quote", "code", "table", "row", "cell", "div"}


@dataclass(frozen=True)
class Body:
    text: str = ""
    html: str = ""


def extract_body(tree: HtmlElement, *, url: str, title: str | None = None) -> Body:
    document = _trafilatura(tree, url)
    if document is None or document.body is None:
        return Body()
    body = document.body
    _drop_leading_title(body, title)
    text = plain_text(body)
    return Body(text=text, html=_sanitized_html(body) if text else "")


def _trafilatura(tree: HtmlElement, url: str):
    try:
        return bare_extraction(
            tree,
            url=url,
            fast=True,
            include_comments=False,
            include_images=True,
            include_links=True,
            include_tables=True,
            include_formatting=True,
            # Its default cache is process-wide: a page captured again would come back empty.
            deduplicate=False,
            with_metadata=False,
        )
    except Exception:  # a heuristic library on hostile markup: a bug there must not fail a capture
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        return None


def _drop_leading_title(body: HtmlElement, title: str | None) -> None:
    """The scoop shows the title itself: a first heading repeating it is noise."""
    first = body[0] if len(body) else None
    if first is not None and first.tag == "head" and title and _same(_text(first), title):
        body.remove(first)


def _same(a: str, b: str) -> bool:
    return a.casefold() == " ".join(b.split()).casefold()


def plain_text(body: HtmlElement) -> str:
    """One paragraph per block, list items and table rows on their own lines."""
    for line_break in body.iter("lb"):
        line_break.tail = "\n" + (line_break.tail or "")
    blocks = ("\n".join(filter(None, _lines(element))) for element in body)
    return BLOCK_SEPARATOR.join(block for block in blocks if block)


def _lines(element: HtmlElement) -> list[str]:
    if element.tag == "graphic":
        return []
    if element.tag == "list":
        return [_text(item) for item in element.findall("item")]
    if element.tag == "table":
        return [" ".join(_text(cell) for cell in row) for row in element.iter("row")]
    return [_text(element)]


def _text(element: HtmlElement) -> str:
    """The element's text, spaces collapsed; nested blocks and explicit line breaks on new lines."""
    pieces: list[str] = []
    _collect(element, pieces)
    lines = "".join(pieces).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _collect(element: HtmlElement, pieces: list[str]) -> None:
    pieces.append(element.text or "")
    for child in element:
        block = child.tag in NESTED_BLOCKS
        pieces.append("\n" if block else "")
        _collect(child, pieces)
        pieces.append("\n" if block else "")
        pieces.append(child.tail or "")


def _sanitized_html(body: HtmlElement) -> str:
    convert_to_html(body)
    for heading in body.iter("h1"):
        heading.tag = "h2"  # the page's <h1> is the scoop's title; stored HTML starts at <h2>
    fragment = (body.text or "") + "".join(tostring(child, encoding="unicode") for child in body)
    return clean_html(fragment)
