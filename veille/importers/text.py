"""Plain text as a saved page shows it, back to HTML: paragraphs, line breaks, lists, links.

Blank lines separate paragraphs; lines inside a paragraph keep their break. Lines that start with a
bullet ("- ", "• ") or a number ("1. ", "2) ") are list items, and items of one list stay in
one ``<ul>``/``<ol>`` even when blank lines separate them (saved pages put one between items). An
``<ol>`` that starts elsewhere than 1 keeps its number (``start``), so "2. Title" reads "2.".
The output is escaped here and sanitized again by ``clean_html`` when it is stored.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

# Not "*": on saved pages it starts footnotes ("* Monthly users, except ...").
_BULLET = re.compile(r"^[-•◦▪·–]\s+(?P<text>\S.*)$")
_NUMBERED = re.compile(r"^(?P<number>\d{1,3})[.)]\s+(?P<text>\S.*)$")
_URL = re.compile(r"https?://[^\s<>\"']+")
_URL_TRAILER = ".,;:!?)»]"


def _inline(text: str) -> str:
    """Escape ``text`` and turn its web addresses into links."""
    out, pos = [], 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_URL_TRAILER)
        out.append(html.escape(text[pos : match.start()]))
        out.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
        pos = match.start() + len(url)
    out.append(html.escape(text[pos:]))
    return "".join(out)


class _Blocks:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.paragraph: list[str] = []
        self.list_tag = ""
        self.items: list[str] = []
        self.start = 1
        self.next_number = 0

    def add(self, line: str) -> None:
        text = line.strip()
        if not text:
            self.end_paragraph()
        elif bullet := _BULLET.match(text):
            self.item("ul", bullet["text"], None)
        elif numbered := _NUMBERED.match(text):
            self.item("ol", numbered["text"], int(numbered["number"]))
        else:
            self.end_list()
            self.paragraph.append(_inline(text))

    def item(self, tag: str, text: str, number: int | None) -> None:
        self.end_paragraph()
        continues = tag == self.list_tag and (number is None or number == self.next_number)
        if not continues:
            self.end_list()
            self.list_tag, self.start = tag, number or 1
        self.items.append(_inline(text))
        self.next_number = (number or 0) + 1

    def end_paragraph(self) -> None:
        if self.paragraph:
            self.parts.append("<p>" + "<br>".join(self.paragraph) + "</p>")
            self.paragraph = []

    def end_list(self) -> None:
        if self.items:
            start = f' start="{self.start}"' if self.list_tag == "ol" and self.start != 1 else ""
            items = "".join(f"<li>{item}</li>" for item in self.items)
            self.parts.append(f"<{self.list_tag}{start}>{items}</{self.list_tag}>")
        self.items, self.list_tag = [], ""

    def html(self) -> str:
        self.end_paragraph()
        self.end_list()
        return "\n".join(self.parts)


def text_to_html(lines: Iterable[str]) -> str:
    """HTML for the plain-text ``lines`` of an excerpt (see the module docstring)."""
    blocks = _Blocks()
    for line in lines:
        blocks.add(line)
    return blocks.html()


def tidy_text(lines: Iterable[str]) -> str:
    """The lines as one Markdown text: outer spaces and runs of blank lines dropped."""
    out: list[str] = []
    for line in lines:
        line = line.strip()  # leading spaces would turn a line into Markdown code
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")
