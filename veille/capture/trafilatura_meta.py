"""trafilatura's metadata pass, used only for what the page's own metadata did not give.

It costs a copy of the tree and htmldate's search, so it runs only when a date, an author or a title
is missing. htmldate runs without its extensive search (see dates.py). A date found this way is a
guess (``published_from = "guessed"``): it may come from the URL or from markup we do not read.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml.html import HtmlElement
from trafilatura import extract_metadata

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Guess:
    title: str | None = None
    author: str | None = None
    date: datetime | None = None


def guessed_metadata(tree: HtmlElement, *, url: str) -> Guess:
    try:
        document = extract_metadata(tree, default_url=url, extensive=False)
    except Exception:  # a heuristic library on hostile markup: a bug there must not fail a capture
        logger.warning("trafilatura metadata failed on %s", url, exc_info=True)
        return Guess()
    return Guess(title=document.title, author=document.author, date=_date(document.date))


def _date(value: str | None) -> datetime | None:
    """htmldate answers ``YYYY-MM-DD``: midnight UTC of that day."""
    try:
        return datetime.strptime(value or "", "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None
