"""`veille import json PATH`: load a Veille JSON export (JSON Lines, see jsonformat.py).

The file is read one line at a time. Users, topics and sources are written as their lines come;
a scoop is held until the lines after it (its comments) are read, then the scoop and its comments
are written in one transaction. A line that cannot be read or written is reported with its
number and the rest goes on; re-running the import updates what it wrote and never duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from veille.importers import jsonformat as fmt
from veille.importers.encoding import open_text
from veille.importers.indexing import IndexQueue
from veille.importers.items import ParseError
from veille.importers.jsonimport.fields import RecordError
from veille.importers.jsonimport.scoops import Unit, UnitWriter
from veille.importers.jsonimport.sources import upsert_source
from veille.importers.jsonimport.topics import find_topic, upsert_topic
from veille.importers.jsonimport.users import Users
from veille.importers.report import ImportFailed, ImportReport
from veille.importers.tags import TagCache
from veille.topics import services as topic_services
from veille.topics.models import Topic

MAX_COMMENTS = 10_000  # per scoop: a unit is held in memory until it is written
MAX_LINE = 16 * 1024 * 1024  # characters: a file without line ends is not read whole
TOO_LONG = object()
FAILURES = (RecordError, DatabaseError, ValidationError, ValueError)


def _header(first: tuple[int, str | object] | None) -> None:
    if first is None:
        raise ImportFailed(_("The file is empty."))
    try:
        header = json.loads(first[1]) if isinstance(first[1], str) else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != fmt.FORMAT:
        raise ImportFailed(_("line 1: this is not a Veille JSON export."))
    if header.get("version") != fmt.VERSION:
        raise ImportFailed(
            _("line 1: version %(version)s of the Veille JSON format is not supported.")
            % {"version": header.get("version")}
        )


class _JsonImport:
    def __init__(self, *, rename: bool, report: ImportReport) -> None:
        self.rename, self.report = rename, report
        self.users, self.tags = Users(), TagCache()
        self.writer = UnitWriter(users=self.users, tags=self.tags)
        self.index = IndexQueue()
        self.topics: dict[str, Topic | None] = {}  # by the file's id; None: not imported
        self.unit: Unit | None = None

    def fail(self, line: int, error: Exception | str) -> None:
        self.users.forget()  # what a rolled-back transaction created is gone
        self.tags.forget()
        self.report.fail(ParseError(getattr(error, "line", None) or line, str(error)))

    def handle(self, line: int, text: str) -> None:
        try:
            record = json.loads(text)
        except ValueError as exc:
            self.report.fail(ParseError(line, _("not JSON: %(error)s") % {"error": exc}))
            return
        kind = record.get("type") if isinstance(record, dict) else None
        if kind == "comment":
            self.add_comment(line, record)
            return
        self.flush()
        handler = {"user": self.user, "topic": self.topic, "source": self.source}.get(kind)
        if kind == "scoop":
            self.unit = Unit(record=record, line=line)
        elif handler is None:
            self.report.fail(ParseError(line, _("unknown record type %(type)r") % {"type": kind}))
        else:
            handler(line, record)

    def add_comment(self, line: int, record: dict) -> None:
        if self.unit is None or record.get("scoop") != self.unit.record.get("id"):
            self.report.fail(ParseError(line, _("a comment must follow its scoop")))
        elif len(self.unit.comments) >= MAX_COMMENTS:
            self.report.fail(ParseError(line, _("too many comments on one scoop")))
        else:
            self.unit.comments.append((line, record))

    def user(self, line: int, record: dict) -> None:
        try:
            with transaction.atomic():
                self.users.add(record)
        except FAILURES as exc:
            self.fail(line, exc)

    def topic(self, line: int, record: dict) -> None:
        key = record.get("id") if isinstance(record.get("id"), str) else None
        try:
            topic, outcome = upsert_topic(record, users=self.users, rename=self.rename)
        except FAILURES as exc:
            self.topics[key or ""] = None
            self.fail(line, exc)
            return
        self.topics[key or ""] = topic
        self.report.topic = self.report.topic or topic
        self.report.count(outcome)

    def topic_of(self, line: int, record: dict) -> Topic | None:
        """The topic a record names: imported from the file, or already here."""
        key = record.get("topic")
        if not isinstance(key, str):
            self.report.fail(ParseError(line, _("a record without its topic")))
            return None
        if key not in self.topics:
            self.topics[key] = find_topic(key)
            if self.topics[key] is None:
                note = _("its topic is neither in the file nor on this instance")
                self.report.skip(ParseError(line, note))
                return None
        topic = self.topics[key]
        if topic is None:
            self.report.skipped += 1  # its topic was refused, and that failure was reported
        return topic

    def source(self, line: int, record: dict) -> None:
        topic = self.topic_of(line, record)
        if topic is None:
            return
        try:
            with transaction.atomic():
                self.report.count(upsert_source(record, topic=topic))
        except FAILURES as exc:
            self.fail(line, exc)

    def flush(self) -> None:
        unit, self.unit = self.unit, None
        topic = self.topic_of(unit.line, unit.record) if unit else None
        if unit is None or topic is None:
            return
        try:
            with transaction.atomic():
                scoop_id, outcome = self.writer.write(unit, topic)
        except FAILURES as exc:
            self.fail(unit.line, exc)
            return
        if outcome is None:
            message = _("the topic already has this article under another id")
            self.report.skip(ParseError(unit.line, message))
            return
        self.report.count(outcome)
        if outcome != "skipped":
            self.index.add(scoop_id)

    def finish(self) -> ImportReport:
        self.flush()
        self.index.flush()
        topics = {t.pk: t for t in self.topics.values() if t is not None}
        for topic in topics.values():
            topic_services.topic_refresh_counters(topic=topic)
        self.report.topic_count = len(topics)
        if self.report.topic is not None:
            self.report.topic.refresh_from_db()
        return self.report


def _lines(file: TextIO) -> Iterator[str | object]:
    """The file's lines; ``TOO_LONG`` for one longer than MAX_LINE (it is skipped, not read)."""
    while text := file.readline(MAX_LINE):
        if len(text) < MAX_LINE or text.endswith("\n"):
            yield text
            continue
        while (rest := file.readline(MAX_LINE)) and not rest.endswith("\n"):
            pass
        yield TOO_LONG


def run(
    lines: Iterable[str | object],
    *,
    rename: bool,
    report: ImportReport,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    numbered = enumerate(lines, start=1)
    _header(next(numbered, None))
    job = _JsonImport(rename=rename, report=report)
    for line, text in numbered:
        if text is TOO_LONG:
            report.fail(ParseError(line, _("a line longer than 16 MB: skipped")))
        elif text.strip():
            job.handle(line, text)
            if on_progress:
                on_progress(report.done)
    return job.finish()


def import_json(
    *,
    path: Path | str,
    rename: bool = False,
    report: ImportReport | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a Veille JSON export. ``rename``: a topic whose address is taken here is imported
    under a free one instead of being refused. Raises ``ImportFailed`` when the file is not a
    Veille export; reports everything else."""
    with open_text(path) as file:
        report = report or ImportReport()
        return run(_lines(file), rename=rename, report=report, on_progress=on_progress)
