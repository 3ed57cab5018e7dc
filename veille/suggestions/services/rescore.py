"""Rescoring a topic's inbox when what ranking knows changes.

Decisions change the learned weights, new scoops change the similarity profile, and the term
statistics drift with what sources bring. A background task (debounced: at most one queued per
topic) brings the model up to date and recomputes the score of every story still in the inbox
from the words stored on its candidates, without reading any HTML again.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from veille.core.sanitize import html_to_text
from veille.suggestions import profiles, ranking
from veille.suggestions.keywords import Doc
from veille.suggestions.models import Candidate, State, TopicModel
from veille.suggestions.services import store
from veille.suggestions.services.stories import refresh_stories
from veille.topics.models import Scoop, Topic

RESCORE_EVERY = timedelta(minutes=10)  # ingest asks for a rescoring when the last is older
WINDOW = timedelta(days=14)  # candidates whose terms make the statistics
MAX_WINDOW = 5000
MAX_SCOOPS = 500
MAX_DF_TERMS = 30_000
DEBOUNCE_SECONDS = 60


def schedule_rescore(*, topic_id: int) -> None:
    """Queue a rescoring after the current transaction commits, unless one is already queued."""
    if not cache.add(_pending_key(topic_id), 1, timeout=DEBOUNCE_SECONDS):
        return
    from veille.suggestions import tasks

    transaction.on_commit(lambda: tasks.rescore_topic(topic_id))


def _pending_key(topic_id: int) -> str:
    return f"suggestions:rescore:{topic_id}"


def rescore_topic(*, topic_id: int) -> int:
    """Refresh the topic's model (scoops, statistics) and rescore its inbox; rows rescored."""
    cache.delete(_pending_key(topic_id))
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        return 0
    now = timezone.now()
    window = list(
        Candidate.objects.filter(topic=topic, found_at__gte=now - WINDOW)
        .select_related("source", "story")
        .defer("summary_html")
        .order_by("-found_at")[:MAX_WINDOW]
    )
    with transaction.atomic():
        model, _created = TopicModel.objects.select_for_update().get_or_create(topic=topic)
        _refresh_scoops(model, topic)
        model.stats = _statistics(window)
        model.rescored_at = model.updated_at = now
        model.save()
    profile = profiles.build(topic, model)
    inbox = [c for c in window if c.story.state == State.NEW]
    return _rescore(profile, inbox, now)


def _refresh_scoops(model: TopicModel, topic: Topic) -> None:
    """Keep the profile's scoops to the topic's latest MAX_SCOOPS, reading only new ones."""
    latest = list(
        Scoop.objects.filter(topic=topic).order_by("-pk").values_list("pk", flat=True)[:MAX_SCOOPS]
    )
    kept = {str(pk) for pk in latest}
    scoops = {k: v for k, v in model.scoops.items() if k in kept}
    missing = [pk for pk in latest if str(pk) not in scoops]
    rows = Scoop.objects.filter(pk__in=missing).values_list(
        "pk", "title", "excerpt_html", "insight_markdown"
    )
    for pk, title, excerpt, insight in rows:
        scoops[str(pk)] = ranking.scoop_counts(title, f"{insight} {html_to_text(excerpt)}")
    model.scoops = scoops
    model.last_scoop_id = latest[0] if latest else 0


def _statistics(window: list[Candidate]) -> dict:
    """Document frequencies of terms over recent candidates (terms seen twice or more)."""
    df: Counter[str] = Counter()
    for candidate in window:
        df.update(ranking.features(candidate.words).counts.keys())
    common = [(k, n) for k, n in df.most_common(MAX_DF_TERMS) if n >= 2]
    return {"n": len(window), "df": dict(common)}


def _rescore(profile: ranking.Profile, inbox: list[Candidate], now) -> int:
    changed = []
    for candidate in inbox:
        words = ranking.split_words(candidate.words)
        doc = Doc.from_words(*words)
        scored = profile.score(ranking.features_of(*words), doc, _source(candidate))
        if candidate.source and candidate.source.kind == "keyword":
            scored.reasons.insert(0, {"kind": "query", "query": candidate.source.query})
        rank = ranking.rank(scored.score, candidate.when)
        if not math.isclose(rank, candidate.rank) or scored.reasons != candidate.reasons:
            candidate.score, candidate.rank, candidate.reasons = scored.score, rank, scored.reasons
            changed.append(candidate)
    with transaction.atomic():
        store.update_scores([(c.score, c.rank, c.reasons, c.pk) for c in changed])
        refresh_stories({c.story_id for c in changed}, now=now)
    return len(changed)


class _NoSource:
    pk = None
    weight = 1.0
    kind = ""


def _source(candidate: Candidate):
    return candidate.source or _NoSource()
