"""Ranking profiles of topics, built from their TopicModel rows and cached in the process.

Ingest runs once per polled source: it reads one small row of dates (is the cached profile still
current? has the topic a scoop the profile has not seen?) and only loads the model's JSON when it
changed. Refreshing the profile from scoops and recent candidates is the rescoring task's work
(services/rescore.py), so ingest never writes the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone

from veille.suggestions.models import TopicModel
from veille.suggestions.ranking import Profile
from veille.topics.models import Topic

MAX_CACHED = 512
_cache: dict[int, tuple[tuple, Profile]] = {}


@dataclass
class Freshness:
    model_updated_at: object
    rescored_at: object
    last_scoop_id: int
    latest_scoop_id: int

    @property
    def missing_scoops(self) -> bool:
        return self.latest_scoop_id != self.last_scoop_id


def freshness(topic: Topic) -> Freshness:
    """One query: the model row's dates and whether the topic has scoops it has not seen."""
    from veille.suggestions.services.store import model_state

    updated, rescored, last, latest = model_state(topic.pk)
    return Freshness(_date(updated), _date(rescored), last or 0, latest or 0)


def _date(value):
    """A date column read by raw SQL: a string on SQLite, a datetime on PostgreSQL."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = TopicModel._meta.get_field("updated_at").to_python(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def build(topic: Topic, model: TopicModel | None, *, scoops: bool = True) -> Profile:
    """The profile of a model row; without ``scoops``, one that can learn but not tell
    similarity (what a decision needs, without indexing hundreds of scoops)."""
    if model is None:
        return Profile(topic=topic)
    return Profile(
        topic=topic,
        scoops=model.scoops if scoops else None,
        stats=model.stats,
        weights=dict(model.weights),
        bias=model.bias,
    )


def cached(topic: Topic, state: Freshness) -> Profile:
    """The topic's profile, rebuilt only when its model row or its keywords changed."""
    key = (state.model_updated_at, topic.keywords, topic.title, topic.subtitle)
    hit = _cache.get(topic.pk)
    if hit is not None and hit[0] == key:
        return hit[1]
    model = TopicModel.objects.filter(topic=topic).first() if state.model_updated_at else None
    profile = build(topic, model)
    if len(_cache) >= MAX_CACHED:
        _cache.clear()
    _cache[topic.pk] = (key, profile)
    return profile


def forget() -> None:
    """Drop every cached profile (tests, benchmarks)."""
    _cache.clear()
