"""Reads for the feeds out of a topic: the topic with its change stamp, and one page of posts.

Paging is keyset (``?before=<published_at>,<pk>`` / ``?after=...``), not ``?page=N``: a feed
reader walking an archive while curators publish would see page N slide by one item per new post
(duplicates) or per deletion (misses), and ``OFFSET`` reads and throws away every skipped row, so
deep pages of a big archive get slower and slower. A cursor names the last item seen: the next page
starts right after it whatever was published since, and the query is a range scan.
(RFC 5005 section 3 lets paged feeds use any URI for first/next/previous.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet

from veille.topics.models import Scoop, ScoopStatus, Topic

NEWEST_FIRST = ("-published_at", "-pk")
OLDEST_FIRST = ("published_at", "pk")


@dataclass(frozen=True)
class Cursor:
    """A position in a topic's feed: the publication date and pk of one post (the tie-breaker)."""

    published_at: dt.datetime
    pk: int

    @classmethod
    def of(cls, scoop: Scoop) -> Cursor:
        return cls(published_at=scoop.published_at, pk=scoop.pk)

    @classmethod
    def parse(cls, raw: str) -> Cursor:
        """Read ``2024-02-07T12:02:00.000000Z,42``; ValueError for anything else."""
        stamp, _sep, pk = raw.partition(",")
        published_at = dt.datetime.fromisoformat(stamp.strip())
        if published_at.tzinfo is None or not pk.isdigit():
            raise ValueError(f"not a feed cursor: {raw!r}")
        return cls(published_at=published_at, pk=int(pk))

    def encode(self) -> str:
        # Microseconds always: the cursor must compare equal to the stored value.
        utc = self.published_at.astimezone(dt.UTC)
        return f"{utc.isoformat(timespec='microseconds').replace('+00:00', 'Z')},{self.pk}"

    def older(self) -> Q:
        return Q(published_at__lt=self.published_at) | Q(
            published_at=self.published_at, pk__lt=self.pk
        )

    def newer(self) -> Q:
        return Q(published_at__gt=self.published_at) | Q(
            published_at=self.published_at, pk__gt=self.pk
        )


@dataclass
class FeedPage:
    posts: list[Scoop]
    newer: Cursor | None  # start of the "previous" page; None on the newest page
    older: Cursor | None  # start of the "next" page; None on the oldest page
    before: Cursor | None = None  # the cursor this page was read with, if any
    after: Cursor | None = None

    @property
    def is_first(self) -> bool:
        """The unpaged feed address: the newest posts."""
        return self.before is None and self.after is None


def feed_topic(*, slug: str) -> Topic | None:
    """The topic, annotated with ``scoops_changed_at`` (its latest scoop edit), in one query.

    Scoop edits do not touch the topic row, so the feed's validators need the scoops' own dates.
    """
    return (
        Topic.objects.annotate(scoops_changed_at=Max("scoops__updated_at"))
        .filter(slug=slug)
        .first()
    )


def feed_changed_at(topic: Topic) -> dt.datetime:
    """When anything a feed of ``topic`` shows last changed (a topic from ``feed_topic``)."""
    stamps = (topic.updated_at, topic.last_published_at, topic.scoops_changed_at)
    return max(stamp for stamp in stamps if stamp is not None)


def _feed_posts(topic: Topic) -> QuerySet[Scoop]:
    # A post without a date cannot be placed in the keyset order (services always set one).
    return (
        Scoop.objects.filter(topic=topic, status=ScoopStatus.PUBLISHED, published_at__isnull=False)
        .select_related("curator", "topic", "root__curator", "root__topic")
        .prefetch_related("tags")
    )


def feed_page(
    *, topic: Topic, size: int, before: Cursor | None = None, after: Cursor | None = None
) -> FeedPage:
    """One page of published posts, newest first: the newest ones, or those around a cursor."""
    if before is not None and after is not None:
        raise ValueError("a feed page is either before or after a cursor")
    if after is not None:
        return _page_after(topic, after, size)
    posts = _feed_posts(topic).order_by(*NEWEST_FIRST)
    if before is not None:
        posts = posts.filter(before.older())
    rows = list(posts[: size + 1])
    page = rows[:size]
    has_newer = bool(page) and before is not None and _exists(topic, Cursor.of(page[0]).newer())
    return FeedPage(
        posts=page,
        newer=Cursor.of(page[0]) if has_newer else None,
        older=Cursor.of(page[-1]) if len(rows) > size else None,
        before=before,
    )


def _page_after(topic: Topic, after: Cursor, size: int) -> FeedPage:
    rows = list(_feed_posts(topic).filter(after.newer()).order_by(*OLDEST_FIRST)[: size + 1])
    page = rows[:size][::-1]
    has_older = bool(page) and _exists(topic, Cursor.of(page[-1]).older())
    return FeedPage(
        posts=page,
        newer=Cursor.of(page[0]) if len(rows) > size else None,
        older=Cursor.of(page[-1]) if has_older else None,
        after=after,
    )


def _exists(topic: Topic, condition: Q) -> bool:
    return (
        Scoop.objects.filter(topic=topic, status=ScoopStatus.PUBLISHED, published_at__isnull=False)
        .filter(condition)
        .exists()
    )
