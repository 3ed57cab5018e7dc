"""Sources of a Veille JSON file (feeds, sites, sitemaps, keyword queries), added through the
sources app's service and found again by their address (or query) in the topic.

An imported source is not polled at once: the scheduler picks it up (it is due), so that a large
import does not start hundreds of fetches in one go.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from veille.core.urlnorm import normalize_url
from veille.importers.jsonimport.fields import Fields, RecordError
from veille.importers.report import Outcome
from veille.sources import services as source_services
from veille.sources.models import Source, SourceKind
from veille.topics.models import Topic


def _weight(fields: Fields) -> float:
    value = fields.record.get("weight", 1.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1e6:
        raise RecordError("'weight' is not a number of 0 or more")
    return float(value)


def _existing(topic: Topic, kind: str, url: str, query: str) -> Source | None:
    sources = Source.objects.filter(topic=topic)
    if kind == SourceKind.KEYWORD:
        return sources.filter(kind=kind, query=" ".join(query.split())).first()
    try:
        return sources.exclude(kind=SourceKind.KEYWORD).filter(url=normalize_url(url)).first()
    except ValueError as exc:
        raise RecordError(f"bad address '{url[:80]}'") from exc


def upsert_source(record: dict, *, topic: Topic) -> Outcome:
    fields = Fields(record)
    kind = fields.choice("kind", SourceKind.values)
    url, query = fields.text("url", 2000), fields.text("query", 500)
    values = {"title": fields.text("title", 300), "site_url": fields.text("site_url", 2000)}
    weight, enabled = _weight(fields), fields.flag("enabled")
    source = _existing(topic, kind, url, query)
    if source is None:
        try:
            source = source_services.source_create(
                topic=topic,
                by=None,
                kind=kind,
                url=url,
                query=query,
                weight=weight,
                poll=False,
                **values,
            )
        except ValidationError as exc:
            raise RecordError(" ".join(exc.messages)) from exc
        source_services.source_update(source=source, by=None, enabled=enabled)
        return "created"
    changed = {name: value for name, value in values.items() if getattr(source, name) != value}
    if changed:
        Source.objects.filter(pk=source.pk).update(**changed)
    if source.weight != weight or source.enabled != enabled:
        source_services.source_update(source=source, by=None, enabled=enabled, weight=weight)
        return "updated"
    return "updated" if changed else "skipped"
