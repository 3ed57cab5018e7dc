"""Writes of the bookmark imports (Netscape HTML, Pocket CSV): one scoop per link in a topic.

A link becomes a published scoop (a draft when the file marks it private, or with ``draft``):
its title, its note as the insight, its tags and folders as tags, its date as the publication
date. Each link is written in its own transaction; one that cannot be read or saved is reported
with its line and the others are kept.

Re-running an import is idempotent. The topic has one scoop per article (``Scoop.source_key``):
a link whose address the topic already has updates that scoop when an import made it, and is
skipped when a curator made it by hand (their work is not overwritten). An address met twice in
the file is imported once; the second is reported as a duplicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from veille.accounts.models import User
from veille.core.markdown import render_markdown
from veille.importers import netscape, pocket
from veille.importers.encoding import open_text
from veille.importers.indexing import IndexQueue
from veille.importers.items import Bookmark, ParseError
from veille.importers.lookups import source_address, with_source_keys
from veille.importers.report import ImportFailed, ImportReport, Outcome
from veille.importers.seen import SeenKeys
from veille.importers.services import post_slug, save_changes
from veille.importers.tags import TagCache
from veille.topics import services as topic_services
from veille.topics.models import Curator, Role, Scoop, ScoopStatus, Topic
from veille.topics.permissions import require_curator

Parser = Callable[[TextIO], Iterator[Bookmark | ParseError]]
WEB_SCHEMES = ("http:", "https:")
TITLE_MAX = 300
URL_MAX = 2000
BATCH = 200  # links looked up together: one query finds the scoops of 200 links
# What an import sets on a scoop, compared to know whether re-importing changed it.
EDITED_FIELDS = (
    "title",
    "slug",
    "insight_markdown",
    "insight_html",
    "status",
    "published_at",
    "date_is_estimated",
)


def topic_for_import(*, slug: str, curator: User | None) -> tuple[Topic, User]:
    """The topic ``slug`` and who imports into it: created for ``curator`` when missing.

    Without a curator, an existing topic's first owner imports.
    """
    topic = Topic.objects.filter(slug=slugify(slug)).first()
    if topic is None:
        if curator is None:
            raise ImportFailed(_("Nobody to curate the new topic: name a curator."))
        title = slugify(slug).replace("-", " ").capitalize() or slug
        try:
            topic = topic_services.topic_create(by=curator, title=title, slug=slug)
        except ValidationError as exc:
            raise ImportFailed(" ".join(exc.messages)) from exc
    if curator is None:
        owners = Curator.objects.filter(topic=topic, role=Role.OWNER).order_by("created_at", "pk")
        owner = owners.select_related("user").first()
        if owner is None:
            raise ImportFailed(_("The topic has no owner: name a curator."))
        curator = owner.user
    return topic, curator


class _BookmarkImport:
    def __init__(self, *, topic: Topic, by: User, draft: bool, report: ImportReport) -> None:
        self.topic, self.by, self.draft, self.report = topic, by, draft, report
        self.started = timezone.now()
        self.tags = TagCache()
        self.index = IndexQueue()

    def check(self, item: Bookmark | ParseError, seen: SeenKeys) -> tuple[str, str] | None:
        """The link's normalized address and key; None when it is reported instead."""
        if isinstance(item, ParseError):
            self.report.fail(item)
            return None
        if not item.url.lower().startswith(WEB_SCHEMES):
            note = _("not a web page address: %(url)s") % {"url": item.url[:80]}
            self.report.skip(ParseError(item.line, note))
            return None
        try:
            url, key = source_address(item.url)
            if len(url) > URL_MAX:
                raise ValueError(
                    _("the address is longer than %(max)d characters") % {"max": URL_MAX}
                )
        except ValueError as exc:
            self.report.fail(ParseError(item.line, _("bad address: %(error)s") % {"error": exc}))
            return None
        first = seen.first_line(key, item.line)
        if first is not None:
            note = _("the same address as line %(line)d") % {"line": first}
            self.report.skip(ParseError(item.line, note))
            return None
        return url, key

    def handle_batch(self, batch: list[Bookmark | ParseError], seen: SeenKeys, progress) -> None:
        """Check a batch of links, find the scoops they already are in one query, write each."""
        ready = []
        for item in batch:
            checked = self.check(item, seen)
            if checked:
                ready.append((item, *checked))
            else:
                progress(self.report.done)
        existing = self.existing([key for _item, _url, key in ready])
        for item, url, key in ready:
            self.write(item, url=url, key=key, scoop=existing.get(key))
            progress(self.report.done)

    def existing(self, keys: list[str]) -> dict[str, Scoop]:
        found = {
            scoop.source_key: scoop
            for scoop in with_source_keys(Scoop.objects.filter(topic=self.topic), keys).only(
                "source_key", "import_key", *EDITED_FIELDS
            )
        }
        through = Scoop.tags.through.objects.filter(scoop__in=[s.pk for s in found.values()])
        tags: dict[int, set[int]] = {}
        for scoop_id, tag_id in through.values_list("scoop_id", "tag_id"):
            tags.setdefault(scoop_id, set()).add(tag_id)
        for scoop in found.values():
            scoop.tag_ids = tags.get(scoop.pk, set())
        return found

    def write(self, item: Bookmark, *, url: str, key: str, scoop: Scoop | None) -> None:
        try:
            with transaction.atomic():
                scoop, outcome = self.upsert(item, url=url, key=key, scoop=scoop)
        except (DatabaseError, ValidationError, ValueError) as exc:
            self.tags.forget()
            message = _("the bookmark could not be saved: %(error)s") % {"error": exc}
            self.report.fail(ParseError(item.line, message))
            return
        if outcome is None:
            note = _("the topic already has this article, added by hand")
            self.report.skip(ParseError(item.line, note))
            return
        self.report.count(outcome)
        if outcome != "skipped":
            self.index.add(scoop.pk)

    def fields(self, item: Bookmark) -> dict:
        title = (item.title or item.url)[:TITLE_MAX]
        fields = {
            "title": title,
            "slug": post_slug(title),
            "insight_markdown": item.description,
            "insight_html": render_markdown(item.description),
            "status": ScoopStatus.DRAFT if self.draft or item.private else ScoopStatus.PUBLISHED,
        }
        if item.added is not None:
            fields.update(published_at=item.added, date_is_estimated=False)
        return fields

    def upsert(
        self, item: Bookmark, *, url: str, key: str, scoop: Scoop | None
    ) -> tuple[Scoop, Outcome | None]:
        fields, tag_ids = self.fields(item), self.tags.ids(item.tags)
        if scoop is None:
            scoop = Scoop.objects.create(
                topic=self.topic,
                curator=self.by,
                source_url=url,
                source_key=key,
                import_key=hashlib.sha256(f"bookmark:{self.topic.pk}:{key}".encode()).hexdigest(),
                **{"published_at": self.started, "date_is_estimated": True, **fields},
            )
            self.tags.attach(scoop, tag_ids)
            return scoop, "created"
        if not scoop.import_key:
            return scoop, None
        changed = save_changes(scoop, fields)
        if set(tag_ids) != scoop.tag_ids:
            scoop.tags.set(tag_ids)
            changed = True
        return scoop, "updated" if changed else "skipped"


def _batches(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


PARSERS: dict[str, tuple[Parser, str | None]] = {
    "html": (netscape.parse, None),
    # the csv module reads line ends itself (quoted fields may hold them)
    "pocket": (pocket.parse, ""),
}


def import_bookmarks(
    *,
    path: Path | str,
    kind: str,
    topic: Topic,
    by: User,
    draft: bool = False,
    report: ImportReport | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a bookmark file (``kind``: "html" for Netscape, "pocket" for Pocket's CSV) into
    ``topic`` as ``by``, who must curate it. ``draft`` imports every link as a draft.

    ``report``, when given, is filled (its listener sees each failure as it happens);
    ``on_progress`` is called with the count of links handled.
    """
    require_curator(by, topic)
    parse, newline = PARSERS[kind]
    job = _BookmarkImport(topic=topic, by=by, draft=draft, report=report or ImportReport())
    job.report.topic = topic
    progress = on_progress or (lambda done: None)
    with open_text(path, newline=newline) as file, SeenKeys() as seen:
        for batch in _batches(parse(file), BATCH):
            job.handle_batch(batch, seen, progress)
    job.index.flush()
    topic_services.topic_refresh_counters(topic=topic)
    topic.refresh_from_db()
    return job.report
