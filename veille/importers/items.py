"""What the parsers of bookmark files hand to the import services: plain values, no database.

``ParseError`` is shared by every parser (the Scoop.it one too): a failure always names its line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ParseError:
    line: int  # 0 when the failure is about no line in particular
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class Bookmark:
    """One saved link, as browsers, bookmarking services and read-it-later apps export it."""

    url: str
    title: str
    line: int
    added: dt.datetime | None = None  # timezone-aware
    tags: tuple[str, ...] = ()  # the file's tags, then the names of the folders it is in
    description: str = ""  # the person's note on the link (becomes the insight)
    private: bool = False  # imported as a draft: never published by an import


def split_tags(text: str) -> tuple[str, ...]:
    """Tags as bookmark files write them: comma-separated, blanks and repeats dropped."""
    seen: dict[str, None] = {}
    for tag in text.split(","):
        tag = " ".join(tag.split())
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


# Timestamps beyond these are in milliseconds or microseconds (some tools write those).
_MS_FROM = 10**11
_US_FROM = 10**14


def epoch_date(text: str) -> dt.datetime | None:
    """A Unix timestamp as written in an export (seconds, or ms, or µs); None when empty.

    ValueError when it is not one: the caller reports the item's line.
    """
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(text)
    value = int(text)
    if value >= _US_FROM:
        value //= 1_000_000
    elif value >= _MS_FROM:
        value //= 1000
    try:
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(text) from exc
