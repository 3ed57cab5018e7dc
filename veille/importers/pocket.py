"""Reader of Pocket's CSV export (``title,url,time_added,tags,status``; newer exports add
``cursor``): one bookmark per row, tags separated by ``|``, dates as Unix timestamps.

Columns are found by the header's names, so their order and any extra column do not matter.
Rows are read one at a time (memory does not grow with the file); a row that cannot be read is
reported with its line and the next one is read. Pure: no database.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from veille.importers.items import Bookmark, ParseError, epoch_date, split_tags

MAX_BAD_ROWS = 10_000  # a binary file is not read to its end one failure at a time


def _bookmark(row: dict[str, str], line: int) -> Bookmark | ParseError:
    url = row.get("url", "").strip()
    if not url:
        return ParseError(line, "a row without an address (url)")
    try:
        added = epoch_date(row.get("time_added", ""))
    except ValueError as exc:
        return ParseError(line, f"bad date '{str(exc)[:40]}'")
    return Bookmark(
        url=url,
        title=" ".join(row.get("title", "").split()),
        line=line,
        added=added,
        tags=split_tags(row.get("tags", "").replace("|", ",")),
    )


def _rows(reader) -> Iterator[list[str] | ParseError]:
    bad = 0
    while bad < MAX_BAD_ROWS:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            bad += 1
            yield ParseError(reader.line_num, f"unreadable row: {exc}")


def parse(file: TextIO) -> Iterator[Bookmark | ParseError]:
    """The bookmarks of a Pocket CSV file (opened with ``newline=""``), in file order."""
    reader = csv.reader(file)
    header: list[str] | None = None
    for row in _rows(reader):
        if isinstance(row, ParseError):
            yield row
        elif header is None:
            header = [name.strip().lower() for name in row]
            if "url" not in header:
                yield ParseError(reader.line_num, "not a Pocket export: no 'url' column")
                return
        elif any(cell.strip() for cell in row):
            yield _bookmark(dict(zip(header, row, strict=False)), reader.line_num)
