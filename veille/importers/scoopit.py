"""Parser for a Scoop.it topic page saved as text (the format is described in
docs/import-scoopit.md).

Pure: no database. It reads line by line and yields, in page order, one ``TopicHeader``, then a
``ScoopItem`` per well-formed scoop and a ``ParseError`` (with its line number) for each part it
cannot read; after an error it skips to the next "Scooped by" line, so one broken scoop costs only
itself. It never raises on any text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from veille.importers.dates import PageDate, page_year, read_date
from veille.importers.items import ParseError
from veille.importers.text import text_to_html, tidy_text

SCOOPED_BY = re.compile(r"^Scooped by\s+(?P<name>\S.*)$")
INSIGHT = re.compile(r"^(?P<name>\S.*?)['’]s insight:$")
CURATOR_INSIGHT = re.compile(r"^(?P<name>\S.*?)['’]s curator insight,\s*(?P<date>\S.*)$")
COMMENTS = re.compile(r"^(?:No comments? yet\.?|(?P<count>\d[\d,]*) comments?)$", re.IGNORECASE)
VIEWS = re.compile(r"^(?P<number>\d[\d.,]*)\s*(?P<unit>[KkMm]?)\s+views?\b")
IMAGE_ALT = re.compile(r"\|\s*Scoop\.it$")
SCOOP_IT = "Scoop.it!"
MORE = {"more...", "more…"}
SKIPPED_HEADER_LINES = {"Follow", "Your new post is loading..."}
MAX_HEADER_LINES = 50  # a page without any scoop must not be held in memory as its "header"
MAX_COUNT = 2**31 - 1  # the largest count a PositiveIntegerField holds everywhere


@dataclass(frozen=True)
class TopicHeader:
    title: str
    subtitle: str = ""
    views: int | None = None
    views_text: str = ""
    line: int = 1


@dataclass(frozen=True)
class OtherInsight:
    """Another curator's insight on a scoop they rescooped ("<Name>'s curator insight, <date>")."""

    name: str
    date_text: str
    date: PageDate | None
    published_at: dt.datetime | None  # None when the date has no year and none was given
    text: str
    line: int


@dataclass
class ScoopItem:
    title: str
    curator: str
    line: int
    image_alt: str = ""
    excerpt_html: str = ""
    insight: str = ""  # the curator's insight, as written (stored as Markdown)
    other_insights: list[OtherInsight] = field(default_factory=list)
    comment_count: int = 0


Event = TopicHeader | ScoopItem | ParseError


def parse_views(text: str) -> int | None:
    """44700 for "44.7K views | +0 today", 1234 for "1,234 views"; None if it is no view count."""
    match = VIEWS.match(text)
    if not match:
        return None
    number, unit = match["number"], match["unit"].upper()
    if unit:  # "44.7K" or "44,7K": the separator is a decimal one
        number = number.replace(",", ".") if "." not in number else number.replace(",", "")
    else:  # "1,234" or "1.234": thousands
        number = number.replace(",", "").replace(".", "")
    try:
        value = Decimal(number) * {"": 1, "K": 1000, "M": 1_000_000}[unit]
    except InvalidOperation:
        return None
    return min(int(value), MAX_COUNT)


def normalize_title(title: str) -> str:
    """Case, accents, punctuation and spacing removed: light edits keep the same import key."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def import_key(title: str, occurrence: int = 0) -> str:
    """The stable key of the ``occurrence``-th scoop (from 0) with this title on a page."""
    text = normalize_title(title) + (f"#{occurrence}" if occurrence else "")
    return hashlib.sha256(text.encode()).hexdigest()[:64]


class KeyMaker:
    """Import keys in page order: a title seen again gets its occurrence index."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def __call__(self, title: str) -> str:
        normalized = normalize_title(title)
        key = import_key(title, self.seen[normalized])
        self.seen[normalized] += 1
        return key


def _header(lines: list[tuple[int, str]]) -> list[Event]:
    """The header event (and an error when the page has no title: its scoops are still read)."""
    texts = [(n, t) for n, t in lines if t and t not in SKIPPED_HEADER_LINES]
    if not texts:
        line = lines[0][0] if lines else 1
        return [
            ParseError(line, "topic title expected at the top of the page"),
            TopicHeader(title="", line=line),
        ]
    (line, title), views, views_text, subtitle = texts[0], None, "", ""
    for _n, text in texts[1:]:
        if views is None and (count := parse_views(text)) is not None:
            views, views_text = count, text
        elif text != title and not subtitle:
            subtitle = text
    return [
        TopicHeader(title=title, subtitle=subtitle, views=views, views_text=views_text, line=line)
    ]


@dataclass
class _Draft:
    curator: str
    line: int
    title: str = ""
    image_alt: str = ""
    excerpt: list[str] = field(default_factory=list)
    insight: list[str] = field(default_factory=list)
    others: list[tuple[int, str, str, list[str]]] = field(default_factory=list)
    comment_count: int = 0


class _Parser:
    """A line-by-line state machine; each state is a method taking (line, stripped line)."""

    def __init__(self, *, year: int | None, tz: dt.tzinfo) -> None:
        self.year, self.tz = year, tz
        self.state = self._in_header
        self.header_lines: list[tuple[int, str]] = []
        self.draft: _Draft | None = None
        self.events: list[Event] = []
        self.lineno = 0

    def feed(self, lineno: int, line: str) -> list[Event]:
        self.lineno = lineno
        line = line.rstrip("\r\n")
        self.state(line, line.strip())
        events, self.events = self.events, []
        return events

    def finish(self) -> list[Event]:
        if self.state == self._in_header:
            self.events.extend(_header(self.header_lines))
        elif self.state in (self._in_comments, self._in_other_insight):
            self._emit()
        elif self.draft is not None:
            self._error(f"the scoop of line {self.draft.line} ends without 'more...'")
        return self.events

    # --- helpers ---

    def _error(self, message: str) -> None:
        self.events.append(ParseError(self.lineno, message))
        self.draft, self.state = None, self._skipping

    def _start(self, name: str) -> None:
        self.draft, self.state = _Draft(curator=name, line=self.lineno), self._expect_scoop_it

    def _emit(self) -> None:
        if self.draft is not None:
            self.events.append(self._item(self.draft))
        self.draft = None

    def _item(self, draft: _Draft) -> ScoopItem:
        others = []
        for line, name, date_text, text in draft.others:
            date = read_date(date_text)
            when = date.resolve(default_year=self.year, tz=self.tz) if date else None
            others.append(
                OtherInsight(
                    name=name,
                    date_text=date_text,
                    date=date,
                    published_at=when,
                    text=tidy_text(text),
                    line=line,
                )
            )
        return ScoopItem(
            title=draft.title,
            curator=draft.curator,
            line=draft.line,
            image_alt=draft.image_alt,
            excerpt_html=text_to_html(draft.excerpt),
            insight=tidy_text(draft.insight),
            other_insights=others,
            comment_count=draft.comment_count,
        )

    def _cut_short(self, scooped_by: re.Match[str]) -> None:
        """A "Scooped by" line came before the current scoop was complete."""
        assert self.draft is not None  # every state after 'Scooped by' has one
        self._error(
            f"'more...' expected before 'Scooped by' (the scoop of line "
            f"{self.draft.line} is skipped)"
        )
        self._start(scooped_by["name"])

    # --- states ---

    def _in_header(self, line: str, text: str) -> None:
        if scooped_by := SCOOPED_BY.match(text):
            self.events.extend(_header(self.header_lines or [(self.lineno, "")]))
            self._start(scooped_by["name"])
        elif len(self.header_lines) < MAX_HEADER_LINES:
            self.header_lines.append((self.lineno, text))

    def _expect_scoop_it(self, line: str, text: str) -> None:
        if text == SCOOP_IT:
            self.state = self._expect_title
        elif text:
            self._error("'Scoop.it!' expected after 'Scooped by'")
            self._skipping(line, text)

    def _expect_title(self, line: str, text: str) -> None:
        if not text:
            return
        if _is_marker(text):
            self._error("scoop title expected after 'Scoop.it!'")
            self._skipping(line, text)
            return
        assert self.draft is not None
        self.draft.title, self.state = text, self._after_title

    def _after_title(self, line: str, text: str) -> None:
        if not text:
            return
        self.state = self._in_excerpt
        if IMAGE_ALT.search(text):
            assert self.draft is not None
            self.draft.image_alt = text
        else:
            self._in_excerpt(line, text)

    def _in_excerpt(self, line: str, text: str) -> None:
        assert self.draft is not None
        if scooped_by := SCOOPED_BY.match(text):
            self._cut_short(scooped_by)
        elif text in MORE:
            self.state = self._in_comments
        elif INSIGHT.match(text):
            self.state = self._in_insight
        else:
            self.draft.excerpt.append(line)

    def _in_insight(self, line: str, text: str) -> None:
        assert self.draft is not None
        if scooped_by := SCOOPED_BY.match(text):
            self._cut_short(scooped_by)
        elif text in MORE:
            self.state = self._in_comments
        else:
            self.draft.insight.append(line)

    def _in_comments(self, line: str, text: str) -> None:
        assert self.draft is not None
        if not text:
            return
        if comments := COMMENTS.match(text):
            count = int((comments["count"] or "0").replace(",", ""))
            self.draft.comment_count = min(count, MAX_COUNT)
        elif other := CURATOR_INSIGHT.match(text):
            self.draft.others.append((self.lineno, other["name"], other["date"], []))
            self.state = self._in_other_insight
        elif scooped_by := SCOOPED_BY.match(text):
            self._emit()
            self._start(scooped_by["name"])
        else:
            self._emit()
            self._error("'Scooped by', a comment count or a curator insight expected")

    def _in_other_insight(self, line: str, text: str) -> None:
        assert self.draft is not None
        if COMMENTS.match(text) or CURATOR_INSIGHT.match(text) or SCOOPED_BY.match(text):
            self.state = self._in_comments
            self._in_comments(line, text)
        else:
            self.draft.others[-1][3].append(line)

    def _skipping(self, line: str, text: str) -> None:
        if scooped_by := SCOOPED_BY.match(text):
            self._start(scooped_by["name"])


def _is_marker(text: str) -> bool:
    return bool(
        text in MORE
        or text == SCOOP_IT
        or SCOOPED_BY.match(text)
        or INSIGHT.match(text)
        or CURATOR_INSIGHT.match(text)
        or COMMENTS.match(text)
    )


def parse(
    lines: Iterable[str], *, year: int | None = None, tz: dt.tzinfo = dt.UTC
) -> Iterator[Event]:
    """Events of a saved page, in page order (see the module docstring).

    ``year`` is the year of dates written without one (see ``summarize``); ``tz`` is the time zone
    the page was saved in.
    """
    parser = _Parser(year=year, tz=tz)
    for lineno, line in enumerate(lines, start=1):
        yield from parser.feed(lineno, line)
    yield from parser.finish()


@dataclass
class PageSummary:
    """What an import needs to know before it writes: keys in page order, dates, curators."""

    header: TopicHeader | None = None
    keys: list[str] = field(default_factory=list)
    dates: list[PageDate] = field(default_factory=list)
    curators: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return page_year(self.dates)


def summarize(lines: Iterable[str]) -> PageSummary:
    """A first pass over the page, keeping only what the second pass needs to know in advance."""
    summary, make_key = PageSummary(), KeyMaker()
    for event in parse(lines):
        if isinstance(event, TopicHeader):
            summary.header = event
        elif isinstance(event, ScoopItem):
            summary.keys.append(make_key(event.title))
            summary.dates.extend(o.date for o in event.other_insights if o.date)
            if event.curator not in summary.curators:
                summary.curators.append(event.curator)
    return summary
