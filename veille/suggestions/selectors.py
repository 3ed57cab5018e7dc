"""Reads of the suggestions app: the inbox of a topic, its counts, the story a capture came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from veille.suggestions.models import Candidate, Decision, Sighting, State, Story

PAGE_SIZE = 25
SOURCE_FIELDS = ("source__title", "source__url", "source__query", "source__kind")


def page_size() -> int:
    return int(getattr(settings, "SUGGESTIONS_PAGE_SIZE", PAGE_SIZE))


@dataclass
class CardSource:
    name: str
    first: bool


def inbox_page(*, topic, source_id: int | None = None, page: int = 1) -> Page:
    """The topic's new stories, best first, with what each card shows: ``card`` (the candidate
    shown), ``card_sources`` (every source that carried it, first one marked), ``card_reasons``
    and ``scoop_url``."""
    stories = (
        Story.objects.filter(topic=topic, state=State.NEW)
        .order_by("-rank", "pk")  # the order of the story_inbox index: no sorting
        .only("pk", "topic", "rank", "best_score", "candidate_count", "first")
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=Candidate.objects.select_related("source")
                .only(*CARD_FIELDS, *SOURCE_FIELDS)
                .order_by("pk"),
            ),
            Prefetch(
                "candidates__sightings",
                queryset=Sighting.objects.select_related("source").only(
                    "candidate", "found_at", "source", *SOURCE_FIELDS
                ),
            ),
        )
    )
    if source_id is not None:
        stories = stories.filter(_carried_by(source_id))
    result = Paginator(stories, page_size()).get_page(page)
    scoop_base = reverse("capture:new")
    for story in result:
        _dress(story, topic, scoop_base)
    return result


CARD_FIELDS = (
    "pk",
    "story",
    "source",
    "url",
    "title",
    "summary_html",
    "image",
    "published_at",
    "found_at",
    "score",
    "reasons",
)


def _carried_by(source_id: int) -> Q:
    members = Candidate.objects.filter(story=OuterRef("pk"), source_id=source_id)
    seen = Sighting.objects.filter(candidate__story=OuterRef("pk"), source_id=source_id)
    return Q(Exists(members)) | Q(Exists(seen))


def _dress(story: Story, topic, scoop_base: str) -> None:
    members = list(story.candidates.all())
    shown = next((c for c in members if c.pk == story.first_id), members[0] if members else None)
    story.card = shown
    best = max(members, key=lambda c: c.score, default=None)
    story.card_reasons = best.reasons if best else []
    story.card_sources = _sources(members, story.first_id)
    if shown is not None:
        query = urlencode({"url": shown.url, "topic": topic.slug, "suggestion": story.pk})
        story.scoop_url = f"{scoop_base}?{query}"


def _sources(members: list[Candidate], first_id: int | None) -> list[CardSource]:
    """Each source once, the one that carried the first candidate first, then by date."""
    seen: list[tuple[dt.datetime, bool, str]] = []
    for candidate in members:
        first = candidate.pk == first_id
        seen.append((candidate.when, first, _name(candidate.source)))
        seen.extend((s.found_at, False, _name(s.source)) for s in candidate.sightings.all())
    seen.sort(key=lambda item: (not item[1], item[0]))
    result, names = [], set()
    for _when, first, name in seen:
        if name not in names:
            names.add(name)
            result.append(CardSource(name=name, first=first))
    return result


def _name(source) -> str:
    if source is None:
        return "—"
    return source.title or source.query or source.url


@dataclass
class InboxCounts:
    new: int = 0
    dismissed_today: int = 0
    by_source: list[dict] = field(default_factory=list)


def inbox_counts(*, topic, now: dt.datetime | None = None) -> InboxCounts:
    """New stories, stories dismissed since midnight (local time), new stories per source.

    Each count reads only the rows it counts (through the story indexes), never the topic's
    whole history."""
    now = timezone.localtime(now or timezone.now())
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    new = Story.objects.filter(topic=topic, state=State.NEW)
    dismissed = Story.objects.filter(
        topic=topic, state=State.DISMISSED, decided_at__gte=midnight
    ).count()
    by_source = list(
        Candidate.objects.filter(story__in=new.values("pk"), source__isnull=False)
        .values("source_id", *SOURCE_FIELDS)
        .annotate(stories=Count("story_id", distinct=True))
        .order_by("-stories", "source__title")
    )
    for row in by_source:
        row["name"] = row["source__title"] or row["source__query"] or row["source__url"]
    return InboxCounts(new.count(), dismissed, by_source)


def story_for_capture(*, topic, story_id) -> Story | None:
    """The story a capture was started from (``suggestion`` in the capture URL), if it is one of
    the topic's; None for anything else, so that a stale or forged id changes nothing."""
    try:
        return Story.objects.select_related("topic").get(pk=int(story_id), topic=topic)
    except (TypeError, ValueError, Story.DoesNotExist):
        return None


def can_undo(*, topic, user) -> bool:
    return Decision.objects.filter(topic=topic, by=user, undone_at__isnull=True).exists()
