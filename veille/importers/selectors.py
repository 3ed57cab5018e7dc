"""Reads of the importers: what an export holds, in a stable order, and the import jobs.

Exports stream: every list is read with ``iterator()`` in chunks, and what a scoop needs (tags,
comments, pending credits) is prefetched per chunk, so memory does not grow with the topic.
The order never depends on this instance's primary keys alone (an instance that imported the
file must write it back identically): topics by address, scoops by date then creation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet

from veille.accounts.models import User
from veille.importers.models import ImportJob
from veille.sources.models import Source
from veille.topics.models import Comment, Curator, Scoop, Tag, Topic

CHUNK = 500


@dataclass(frozen=True)
class ExportScope:
    """What an export holds: one topic, or every topic an account curates."""

    kind: str  # "topic" or "user"
    name: str  # the topic's address or the username
    topic_ids: tuple[int, ...]
    user_id: int | None = None


def topic_scope(*, topic: Topic) -> ExportScope:
    return ExportScope(kind="topic", name=topic.slug, topic_ids=(topic.pk,))


def account_scope(*, user: User) -> ExportScope:
    ids = Curator.objects.filter(user=user).values_list("topic_id", flat=True)
    return ExportScope(kind="user", name=user.username, topic_ids=tuple(ids), user_id=user.pk)


def export_topics(scope: ExportScope) -> list[Topic]:
    """The topics, by address (sorted here, as users are: the same order on every database)."""
    curators = Curator.objects.select_related("user").only("topic_id", "role", "user__username")
    topics = (
        Topic.objects.filter(pk__in=scope.topic_ids)
        .select_related("import_origin")
        .prefetch_related(Prefetch("curators", queryset=curators))
    )
    return sorted(topics, key=lambda topic: topic.slug)


def export_users(scope: ExportScope) -> list[User]:
    """Everyone the export names: curators, the scoops' curators, commenters (and the account).

    Sorted here, not by the database: collations differ between SQLite and PostgreSQL, and the
    same data must give the same file on both.
    """
    ids = scope.topic_ids
    named = (
        Q(pk__in=Curator.objects.filter(topic__in=ids).values("user_id"))
        | Q(pk__in=Scoop.objects.filter(topic__in=ids).values("curator_id"))
        | Q(pk__in=Comment.objects.filter(scoop__topic__in=ids).values("author_id"))
        | Q(pk=scope.user_id)
    )
    users = User.objects.filter(named).only("username", "display_name", "bio")
    return sorted(users.iterator(chunk_size=CHUNK), key=lambda user: user.username)


def export_scoops(*, topic: Topic, with_comments: bool = False) -> Iterator[Scoop]:
    """The topic's scoops, oldest first, with what their records need."""
    prefetched: list[str | Prefetch] = [
        Prefetch("tags", queryset=Tag.objects.only("name")),
        "pending_credits",
    ]
    comments = (
        Comment.objects.select_related("author", "remote_author")
        .only(
            "scoop_id",
            "author__username",
            "body_markdown",
            "hidden",
            "created_at",
            "ap_id",
            "body_html",
            "remote_author__uri",
            "remote_author__username",
            "remote_author__name",
            "remote_author__url",
        )
        .order_by("created_at", "pk")
    )
    if with_comments:
        prefetched.append(Prefetch("comments", queryset=comments))
    scoops = (
        Scoop.objects.filter(topic=topic)
        .annotate(
            curator_username=F("curator__username"),
            origin_import_key=F("origin__import_key"),
            origin_created_at=F("origin__created_at"),
            root_import_key=F("root__import_key"),
            root_created_at=F("root__created_at"),
        )
        .prefetch_related(*prefetched)
        .order_by(F("published_at").asc(nulls_first=True), "created_at", "pk")
    )
    return scoops.iterator(chunk_size=CHUNK)


def topic_import_jobs(*, topic: Topic, limit: int = 20) -> QuerySet[ImportJob]:
    """The topic's latest import jobs, for its import page."""
    return (
        ImportJob.objects.filter(topic=topic)
        .select_related("user")
        .only(
            "pk",
            "topic_id",
            "format",
            "file_name",
            "status",
            "progress",
            "created",
            "updated",
            "skipped",
            "failed",
            "created_at",
            "user__username",
            "user__display_name",
        )[:limit]
    )


def export_sources(*, topic: Topic) -> list[Source]:
    """The topic's sources, in a stable order (sorted here, as users are)."""
    sources = Source.objects.filter(topic=topic)
    return sorted(sources, key=lambda source: (source.kind, source.url, source.query))
