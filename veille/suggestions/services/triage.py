"""The curator's decisions on suggestions: dismiss, scoop, undo. Each one teaches the topic's model.

Every decision runs in one transaction with the model update (a logistic-regression step per
decided item, ranking.learn) and is logged as a ``Decision`` with the exact weight changes it made,
so that undo restores both the stories and the model. Rescoring the rest of the inbox with the new
weights happens in the background (services/rescore.py).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from veille.suggestions import profiles, ranking
from veille.suggestions.models import (
    Action,
    Candidate,
    Decision,
    Sighting,
    State,
    Story,
    TopicModel,
)
from veille.suggestions.services.rescore import schedule_rescore
from veille.topics.permissions import require_curator

BULK_LEARNED_MAX = 200  # a bulk dismissal teaches from its first 200 stories at most


def story_dismiss(*, story: Story, by) -> Decision | None:
    """Dismiss a story (all its candidates); None when it was already decided."""
    require_curator(by, story.topic)
    with transaction.atomic():
        story = (
            Story.objects.select_for_update(of=("self",)).select_related("first").get(pk=story.pk)
        )
        if story.state != State.NEW:
            return None
        return _decide(story.topic, by, [story], kept=False, rate=ranking.LEARNING_RATE)


def candidate_dismiss(*, candidate: Candidate, by) -> Decision | None:
    """Dismiss one candidate of a story; the story goes when none of its candidates is left."""
    require_curator(by, candidate.topic)
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.state != State.NEW:
            return None
        others = Candidate.objects.filter(story_id=candidate.story_id, state=State.NEW)
        story_goes = not others.exclude(pk=candidate.pk).exists()
        stories = list(Story.objects.filter(pk=candidate.story_id, state=State.NEW))
        decided = stories if story_goes else []
        return _decide(
            candidate.topic,
            by,
            decided,
            kept=False,
            rate=ranking.LEARNING_RATE,
            learn_from=[candidate],
            candidates=[candidate],
        )


def stories_dismiss(
    *,
    topic,
    by,
    story_ids: list[int] | None = None,
    older_than: datetime | None = None,
    source=None,
) -> int:
    """Dismiss the topic's new stories among ``story_ids``, or published before ``older_than``,
    or carried by ``source``; the number dismissed."""
    require_curator(by, topic)
    stories = Story.objects.filter(topic=topic, state=State.NEW).select_related("first")
    if story_ids is not None:
        stories = stories.filter(pk__in=story_ids)
    if older_than is not None:
        when = Coalesce("first__published_at", "first__found_at")
        stories = stories.alias(when=when).filter(when__lt=older_than)
    if source is not None:
        stories = stories.filter(_carried_by(source))
    with transaction.atomic():
        chosen = list(stories.select_for_update(of=("self",)))
        if not chosen:
            return 0
        learn_from = [s.first for s in chosen[:BULK_LEARNED_MAX] if s.first is not None]
        _decide(
            topic, by, chosen, kept=False, rate=ranking.BULK_LEARNING_RATE, learn_from=learn_from
        )
    return len(chosen)


def _carried_by(source) -> Q:
    members = Candidate.objects.filter(story=OuterRef("pk"))
    seen = Sighting.objects.filter(candidate__story=OuterRef("pk"), source=source)
    return Q(Exists(members.filter(source=source))) | Q(Exists(seen))


def story_mark_scooped(*, story: Story, scoop, by) -> Story:
    """The curator scooped the story (through the capture flow): it leaves the inbox, the
    candidate it came from links to the scoop, and the model learns that it was kept."""
    require_curator(by, story.topic)
    with transaction.atomic():
        story = (
            Story.objects.select_for_update(of=("self",)).select_related("first").get(pk=story.pk)
        )
        if story.state == State.SCOOPED and story.scoop_id == scoop.pk:
            return story
        used = Candidate.objects.filter(story=story, url_key=scoop.source_key).first()
        used = used or story.first
        _decide(
            story.topic,
            by,
            [story],
            kept=True,
            rate=ranking.LEARNING_RATE,
            learn_from=[used] if used else [],
            scoop=scoop,
        )
        if used is not None:
            Candidate.objects.filter(pk=used.pk).update(scoop=scoop)
    story.refresh_from_db()
    return story


def decision_undo(*, topic, by) -> list[int]:
    """Take back ``by``'s last decision in the topic: the ids of the stories back in the inbox."""
    require_curator(by, topic)
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update()
            .filter(topic=topic, by=by, undone_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if decision is None:
            return []
        if decision.action == Action.SCOOP:
            raise ValidationError(
                _("A scoop cannot be undone here: delete the post from its page if you wish.")
            )
        restored = _restore(decision)
        model = _model(topic)
        ranking.apply_deltas(model.weights, decision.deltas, sign=-1.0)
        model.bias -= decision.bias_delta
        model.decisions = max(0, model.decisions - max(1, len(decision.stories)))
        model.updated_at = timezone.now()
        model.save()
        decision.undone_at = timezone.now()
        decision.save(update_fields=["undone_at"])
        schedule_rescore(topic_id=topic.pk)
    return restored


def _restore(decision: Decision) -> list[int]:
    stories = Story.objects.filter(pk__in=decision.stories, state=State.DISMISSED)
    restored = list(stories.values_list("pk", flat=True))
    stories.update(state=State.NEW, decided_at=None, decided_by=None)
    candidates = Candidate.objects.filter(state=State.DISMISSED)
    if decision.candidates:
        candidates = candidates.filter(pk__in=decision.candidates)
    else:
        candidates = candidates.filter(story_id__in=restored)
    candidates.update(state=State.NEW, decided_at=None)
    return restored


def _model(topic) -> TopicModel:
    model, _created = TopicModel.objects.select_for_update().get_or_create(topic=topic)
    return model


def _decide(
    topic,
    by,
    stories: list[Story],
    *,
    kept: bool,
    rate: float,
    learn_from: list[Candidate] | None = None,
    candidates: list[Candidate] | None = None,
    scoop=None,
) -> Decision:
    """Apply one decision: states, the model's learning steps, the log row; rescoring queued."""
    now = timezone.now()
    model = _model(topic)
    learn_from = learn_from if learn_from is not None else [s.first for s in stories if s.first]
    deltas, bias_delta = _learn(topic, model, learn_from, kept=kept, rate=rate)
    model.decisions += max(1, len(stories))
    model.updated_at = now
    model.save()
    state = State.SCOOPED if kept else State.DISMISSED
    ids = [s.pk for s in stories]
    Story.objects.filter(pk__in=ids).update(
        state=state, decided_at=now, decided_by=by, scoop=scoop, updated_at=now
    )
    if candidates:
        members = Candidate.objects.filter(pk__in=[c.pk for c in candidates])
    else:
        members = Candidate.objects.filter(story_id__in=ids)
    members.filter(state=State.NEW).update(state=state, decided_at=now)
    decision = Decision.objects.create(
        topic=topic,
        by=by,
        action=Action.SCOOP if kept else Action.DISMISS,
        stories=ids,
        candidates=[c.pk for c in candidates] if candidates else [],
        deltas=deltas,
        bias_delta=bias_delta,
        created_at=now,
    )
    schedule_rescore(topic_id=topic.pk)
    return decision


def _learn(topic, model: TopicModel, learn_from, *, kept: bool, rate: float):
    """Logistic steps for each decided candidate, applied to the model; their sum returned."""
    profile = profiles.build(topic, model, scoops=False)
    total: dict[str, float] = {}
    bias_total = 0.0
    for candidate in learn_from:
        vector = profile.learning_vector(ranking.features(candidate.words), candidate.source_id)
        deltas, bias_delta = ranking.learn(profile, vector, kept=kept, rate=rate)
        ranking.apply_deltas(profile.weights, deltas)
        profile.bias += bias_delta
        ranking.merge_deltas(total, deltas)
        bias_total += bias_delta
    model.weights = profile.weights
    model.bias = profile.bias
    return total, bias_total
