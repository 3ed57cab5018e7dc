"""Keeping a story's summary columns (first candidate, count, best score and rank) true."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from veille.suggestions.models import Candidate, Story

CHUNK = 500


def refresh_stories(story_ids: Iterable[int], *, now=None) -> None:
    """Recompute the stories' columns from their candidates, in one UPDATE per 500 stories."""
    ids = sorted(set(story_ids))
    if not ids:
        return
    members = Candidate.objects.filter(story=OuterRef("pk"))
    count = members.order_by().values("story").annotate(n=Count("pk")).values("n")
    first = members.order_by(Coalesce("published_at", "found_at"), "pk").values("pk")[:1]
    for start in range(0, len(ids), CHUNK):
        Story.objects.filter(pk__in=ids[start : start + CHUNK]).update(
            candidate_count=Coalesce(Subquery(count), Value(0)),
            best_score=Coalesce(Subquery(members.order_by("-score").values("score")[:1]), 0.0),
            rank=Coalesce(Subquery(members.order_by("-rank").values("rank")[:1]), 0.0),
            first=Subquery(first),
            updated_at=now or timezone.now(),
        )
