"""Streaming reader of Netscape bookmark files: browsers (Firefox, Chrome, Safari), linkding,
Shaarli, Pinboard, Raindrop, Wallabag and most bookmarking services export this format.

The format is loose HTML (https://learn.microsoft.com/previous-versions/windows/internet-explorer/
ie-developer/platform-apis/aa753582(v=vs.85)): ``<DT><A HREF ADD_DATE LAST_MODIFIED TAGS PRIVATE>``
per link, an optional ``<DD>`` note after it, and folders as ``<DT><H3>name</H3>`` followed by a
nested ``<DL>``. Tags are never closed, files are often cut short, and nothing is guaranteed.

The file is fed in chunks to the standard library's incremental HTML tokenizer (``HTMLParser``
keeps only the unfinished tail of the text), and each link is yielded as soon as it is complete,
so memory does not grow with the file. Pocket's HTML export (``<a href time_added tags>``) reads
the same way. Pure: no database. Folder names become tags, except the
browsers' own roots ("Bookmarks Toolbar", "Other Bookmarks"), which say nothing about a link.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import TextIO

from veille.importers.items import Bookmark, ParseError, epoch_date, split_tags

CHUNK = 64 * 1024
ROOT_FOLDER_ATTRIBUTES = {"personal_toolbar_folder", "unfiled_bookmarks_folder"}
# Tags after which a link's <DD> note, if any, is over.
ENDS_ITEM = {"dt", "dl", "h3", "a"}


# Bounds that keep memory flat on a broken or hostile file: a tag that never closes, a note that
# never ends, folders nested without end.
MAX_TAG = 1024 * 1024
MAX_TITLE, MAX_NOTE, MAX_FOLDER_NAME, MAX_DEPTH = 2_000, 100_000, 500, 50


class _Text:
    """Text read in pieces, kept up to ``limit`` characters."""

    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.room = limit

    def add(self, data: str) -> None:
        if self.room > 0:
            self.parts.append(data[: self.room])
            self.room -= len(data)

    def __str__(self) -> str:
        return "".join(self.parts)


class _Link:
    def __init__(self, attrs: dict[str, str], line: int) -> None:
        self.attrs, self.line = attrs, line
        self.title = _Text(MAX_TITLE)
        self.note: _Text | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ready: list[Bookmark | ParseError] = []
        self.folders: list[str | None] = []  # one per open <DL>: its folder's name, if a tag
        self.next_folder: str | None = None  # the <H3> name waiting for its <DL>
        self.heading: _Text | None = None  # text of the <H3> being read
        self.link: _Link | None = None
        self.in_title = False
        self.too_deep = 0  # <DL> levels past MAX_DEPTH (their folders are not tags)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ENDS_ITEM:
            self.end_item()
        if tag == "a":
            self.link = _Link({k: v or "" for k, v in attrs}, self.getpos()[0])
            self.in_title = True
        elif tag == "h3":
            roots = ROOT_FOLDER_ATTRIBUTES & {name for name, _value in attrs}
            self.heading = None if roots else _Text(MAX_FOLDER_NAME)
        elif tag == "dl":
            if len(self.folders) < MAX_DEPTH:
                self.folders.append(self.next_folder)
            else:
                self.too_deep += 1
            self.next_folder = None
        elif tag == "dd" and self.link is not None:
            self.link.note = _Text(MAX_NOTE)
        elif tag in {"br", "p"} and self.link is not None and self.link.note is not None:
            self.link.note.add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.in_title = False
        elif tag == "h3" and self.heading is not None:
            self.next_folder = " ".join(str(self.heading).split()) or None
            self.heading = None
        elif tag == "dl":
            self.end_item()
            if self.too_deep:
                self.too_deep -= 1
            elif self.folders:
                self.folders.pop()

    def handle_data(self, data: str) -> None:
        if self.link is not None and self.in_title:
            self.link.title.add(data)
        elif self.link is not None and self.link.note is not None:
            self.link.note.add(data)
        elif self.heading is not None:
            self.heading.add(data)

    def end_item(self) -> None:
        link, self.link, self.in_title = self.link, None, False
        if link is not None:
            self.ready.append(_bookmark(link, [f for f in self.folders if f]))

    def drop_runaway_tag(self) -> None:
        """A tag still open after MAX_TAG characters is not a tag of a bookmark file."""
        if len(self.rawdata) > MAX_TAG:
            self.ready.append(ParseError(self.getpos()[0], "a tag longer than 1 MB: skipped"))
            self.lineno += self.rawdata.count("\n")
            self.rawdata = ""

    def finish(self) -> None:
        """The end of the file: an unfinished tag or link title means it was cut short."""
        line = self.getpos()[0]
        if self.rawdata.lstrip().startswith("<"):  # close() would take the tag for text
            self.rawdata = ""
            self.end_item()
            self.ready.append(ParseError(line, "the file ends in the middle of a tag"))
        elif self.link is not None and self.in_title:
            line, self.link = self.link.line, None
            self.ready.append(ParseError(line, "the file ends in the middle of a bookmark"))
        self.close()
        self.end_item()


def _bookmark(link: _Link, folders: list[str]) -> Bookmark | ParseError:
    attrs = link.attrs
    url = attrs.get("href", "").strip()
    if not url:
        return ParseError(link.line, "a bookmark without an address (HREF)")
    try:
        added = epoch_date(attrs.get("add_date") or attrs.get("time_added", ""))
    except ValueError as exc:
        return ParseError(link.line, f"bad date '{str(exc)[:40]}'")
    tags = split_tags(",".join([attrs.get("tags", ""), *folders]))
    note = str(link.note or "").strip()
    return Bookmark(
        url=url,
        title=" ".join(str(link.title).split()),
        line=link.line,
        added=added,
        tags=tags,
        description="\n".join(line.rstrip() for line in note.splitlines()),
        private=attrs.get("private", "").strip() == "1",
    )


def parse(file: TextIO) -> Iterator[Bookmark | ParseError]:
    """The bookmarks of a Netscape file, in file order, and one ``ParseError`` per bad one."""
    parser = _Parser()
    while chunk := file.read(CHUNK):
        parser.feed(chunk)
        parser.drop_runaway_tag()
        yield from parser.ready
        parser.ready.clear()
    parser.finish()
    yield from parser.ready
