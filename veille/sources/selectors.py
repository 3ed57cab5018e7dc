"""Reads of sources: a topic's list, the ones failing, an export."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from veille.sources.models import Source
from veille.topics.models import Topic

LIST_FIELDS = (
    "id",
    "topic_id",
    "kind",
    "url",
    "title",
    "query",
    "weight",
    "enabled",
    "next_poll_at",
    "last_polled_at",
    "last_new_count",
    "error_count",
    "last_error",
    "last_error_at",
    "failing_since",
    "site_url",
)


def sources_for_topic(*, topic: Topic) -> QuerySet[Source]:
    """Every source of the topic, with the columns the sources page shows."""
    return Source.objects.filter(topic=topic).only(*LIST_FIELDS).order_by("kind", "title", "url")


def failing_sources(*, topic: Topic, since: timedelta = timedelta(days=1)) -> list[Source]:
    """Sources of the topic that have failed without a success for longer than ``since``
    (including those disabled because the server said the feed is gone)."""
    cutoff = timezone.now() - since
    rows = Source.objects.filter(topic=topic, failing_since__lte=cutoff)
    return list(rows.only(*LIST_FIELDS).order_by("failing_since"))


def source_for_topic(*, topic: Topic, source_id: int) -> Source:
    """One source of the topic (Source.DoesNotExist otherwise)."""
    return Source.objects.select_related("topic").get(topic=topic, pk=source_id)
