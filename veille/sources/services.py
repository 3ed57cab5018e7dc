"""Writes of sources: add (with discovery), import OPML, edit, delete, ask for a poll now.

Services check permissions themselves: ``by`` must curate the topic. ``by=None`` stands for the
operator at the command line, who may do anything. A new source is due at once, and a poll of it
is queued when the transaction commits, so that its first suggestions arrive within seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veille.core.urlnorm import normalize_url
from veille.sources import conf
from veille.sources.discover import DiscoveryError, Found, discover_sync
from veille.sources.models import Source, SourceKind
from veille.sources.opml import OpmlSource, read_opml
from veille.topics.models import Topic
from veille.topics.permissions import require_curator

MAX_QUERY_CHARS = 500


def _check(by, topic: Topic) -> None:
    if by is not None:
        require_curator(by, topic)


def _enqueue_poll(source_ids: list[int]) -> None:
    from veille.sources import tasks

    transaction.on_commit(lambda: tasks.poll_sources_now(source_ids))


def source_create(
    *,
    topic: Topic,
    by,
    kind: str,
    url: str = "",
    query: str = "",
    title: str = "",
    site_url: str = "",
    weight: float = 1.0,
    poll: bool = True,
) -> Source:
    """One source; ValidationError when it is invalid or the topic already has it."""
    _check(by, topic)
    fields = _validated(kind=kind, url=url, query=query, weight=weight)
    source = Source(
        topic=topic,
        title=title.strip()[:300],
        site_url=site_url[:2000],
        created_by=by,
        poll_interval=conf.get("POLL_DEFAULT_INTERVAL"),
        next_poll_at=timezone.now() if kind != SourceKind.KEYWORD else None,
        **fields,
    )
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError as error:
        raise ValidationError(_("This topic already has that source."), code="duplicate") from error
    if poll and source.is_polled:
        _enqueue_poll([source.pk])
    return source


def _validated(*, kind: str, url: str, query: str, weight: float) -> dict:
    if kind not in SourceKind.values:
        raise ValidationError(_("Unknown kind of source: %(kind)s.") % {"kind": kind})
    if weight < 0:
        raise ValidationError({"weight": _("The weight cannot be negative.")})
    if kind == SourceKind.KEYWORD:
        query = " ".join(query.split())
        if not query:
            raise ValidationError({"query": _("Write the words to look for.")})
        if len(query) > MAX_QUERY_CHARS:
            raise ValidationError({"query": _("The query is too long.")})
        _check_query(query)
        return {"kind": kind, "query": query, "url": "", "weight": weight}
    try:
        url = normalize_url(url)
    except ValueError as error:
        raise ValidationError({"url": str(error)}) from error
    return {"kind": kind, "url": url, "query": "", "weight": weight}


def _check_query(query: str) -> None:
    """Refuse a query ingestion could not use (it would silently match nothing)."""
    from veille.suggestions import keywords  # suggestions builds on sources, not the reverse

    try:
        keywords.parse(query)
    except keywords.QueryError as error:
        raise ValidationError({"query": str(error)}) from error


@dataclass
class AddResult:
    url: str  # as given
    added: list[Source] = field(default_factory=list)
    error: str = ""


def sources_add(*, topic: Topic, by, urls: list[str]) -> list[AddResult]:
    """Discover what to follow at each URL and add it (the first feed a page advertises)."""
    _check(by, topic)
    results = []
    for url, found in zip(urls, discover_sync(urls), strict=True):
        result = AddResult(url=url)
        if isinstance(found, DiscoveryError):
            result.error = str(found)
        else:
            _add_found(topic, by, found[0], result)
        results.append(result)
    return results


def _add_found(topic: Topic, by, found: Found, result: AddResult) -> None:
    try:
        result.added.append(
            source_create(topic=topic, by=by, kind=found.kind, url=found.url, title=found.title)
        )
    except ValidationError as error:
        result.error = f"{found.url}: {' '.join(error.messages)}"


@dataclass
class ImportReport:
    added: list[Source] = field(default_factory=list)
    existing: int = 0
    problems: list[str] = field(default_factory=list)


def opml_import(*, topic: Topic, by, data: bytes) -> ImportReport:
    """Add every source of an OPML file; ``OpmlError`` when the file is not OPML."""
    _check(by, topic)
    reading = read_opml(data)
    report = ImportReport(problems=list(reading.problems))
    for item in reading.sources:
        try:
            report.added.append(_create_from_opml(topic, by, item))
        except ValidationError as error:
            if getattr(error, "code", None) == "duplicate":
                report.existing += 1
            else:
                report.problems.append(f"{item.url or item.query}: {' '.join(error.messages)}")
    if report.added:
        _enqueue_poll([s.pk for s in report.added if s.is_polled])
    return report


def _create_from_opml(topic: Topic, by, item: OpmlSource) -> Source:
    return source_create(
        topic=topic,
        by=by,
        kind=item.kind,
        url=item.url,
        query=item.query,
        title=item.title,
        site_url=item.site_url,
        poll=False,  # one poll for the whole file, queued by the caller
    )


def source_update(*, source: Source, by, enabled: bool | None = None, weight=None) -> Source:
    """Switch a source on or off, or change its weight in ranking."""
    _check(by, source.topic)
    fields: dict = {}
    if weight is not None:
        if weight < 0:
            raise ValidationError({"weight": _("The weight cannot be negative.")})
        fields["weight"] = weight
    if enabled is not None and enabled != source.enabled:
        fields["enabled"] = enabled
        if enabled:  # back on: try it now, with a clean slate
            fields.update(next_poll_at=timezone.now(), error_count=0, failing_since=None)
    for name, value in fields.items():
        setattr(source, name, value)
    if fields:
        Source.objects.filter(pk=source.pk).update(**fields)
    return source


def source_delete(*, source: Source, by) -> None:
    _check(by, source.topic)
    source.delete()


def poll_now(*, topic: Topic, by) -> int:
    """Make every enabled source of the topic due, and queue a poll. Returns how many."""
    _check(by, topic)
    due = Source.objects.filter(topic=topic, enabled=True).exclude(kind=SourceKind.KEYWORD)
    ids = list(due.values_list("pk", flat=True))
    if ids:
        Source.objects.filter(pk__in=ids).update(next_poll_at=timezone.now())
        _enqueue_poll(ids)
    return len(ids)
