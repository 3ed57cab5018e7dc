"""Triage services: dismiss, bulk dismiss, undo, scoop; curators only."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from veille.suggestions import selectors
from veille.suggestions.models import Candidate, Decision, State, Story, TopicModel
from veille.suggestions.services import (
    candidate_dismiss,
    decision_undo,
    ingest,
    stories_dismiss,
    story_dismiss,
    story_mark_scooped,
)
from veille.suggestions.tests.conftest import entry
from veille.suggestions.tests.stories import OTHER_STORIES, SAME_STORY


@pytest.fixture
def stories(feed):
    ingest(source=feed, entries=[entry(t, s) for _o, t, s in OTHER_STORIES[:4]])
    return list(Story.objects.order_by("pk"))


def test_dismissing_a_story_dismisses_its_candidates_and_logs_the_decision(stories, curator):
    story = stories[0]
    decision = story_dismiss(story=story, by=curator)
    story.refresh_from_db()
    assert (story.state, story.decided_by) == (State.DISMISSED, curator)
    assert set(story.candidates.values_list("state", flat=True)) == {State.DISMISSED}
    assert (decision.action, decision.stories, decision.by) == ("dismiss", [story.pk], curator)
    assert TopicModel.objects.get(topic=story.topic).decisions == 1


def test_dismissing_twice_changes_nothing(stories, curator):
    story_dismiss(story=stories[0], by=curator)
    assert story_dismiss(story=stories[0], by=curator) is None
    assert Decision.objects.count() == 1


def test_a_story_goes_when_its_last_candidate_is_dismissed(make_source, curator):
    versions = SAME_STORY["threads"]
    for outlet, title, summary in versions:
        ingest(source=make_source(outlet), entries=[entry(title, summary)])
    story = Story.objects.get()
    first, second = story.candidates.order_by("pk")
    candidate_dismiss(candidate=first, by=curator)
    story.refresh_from_db()
    assert story.state == State.NEW
    candidate_dismiss(candidate=second, by=curator)
    story.refresh_from_db()
    assert story.state == State.DISMISSED


def test_undo_restores_the_last_dismissal_and_the_model(stories, curator):
    story_dismiss(story=stories[0], by=curator)
    before = TopicModel.objects.get().weights
    story_dismiss(story=stories[1], by=curator)
    assert decision_undo(topic=stories[1].topic, by=curator) == [stories[1].pk]
    model = TopicModel.objects.get()
    assert model.weights.keys() == before.keys()
    assert all(abs(model.weights[k] - v) < 1e-9 for k, v in before.items())
    assert model.decisions == 1
    stories[1].refresh_from_db()
    assert (stories[1].state, stories[1].decided_at) == (State.NEW, None)
    assert set(stories[1].candidates.values_list("state", flat=True)) == {State.NEW}
    assert decision_undo(topic=stories[0].topic, by=curator) == [stories[0].pk]
    assert decision_undo(topic=stories[0].topic, by=curator) == []


def test_undo_takes_back_only_ones_own_decisions(stories, curator, make_user, topic):
    from veille.topics.services import curator_add

    colleague = make_user()
    curator_add(topic=topic, by=curator, user=colleague)
    story_dismiss(story=stories[0], by=curator)
    assert decision_undo(topic=topic, by=colleague) == []


def test_a_scoop_cannot_be_undone_from_the_inbox(stories, curator, make_scoop):
    scoop = make_scoop("Kept", url=stories[0].first.url)
    story_mark_scooped(story=stories[0], scoop=scoop, by=curator)
    with pytest.raises(ValidationError):
        decision_undo(topic=stories[0].topic, by=curator)


def test_marking_a_story_scooped_links_the_scoop_and_teaches_the_model(
    stories, curator, make_scoop
):
    story = stories[2]
    scoop = make_scoop(story.first.title, url=story.first.url)
    story_mark_scooped(story=story, scoop=scoop, by=curator)
    story.refresh_from_db()
    assert (story.state, story.scoop, story.decided_by) == (State.SCOOPED, scoop, curator)
    candidate = story.candidates.get()
    assert (candidate.state, candidate.scoop) == (State.SCOOPED, scoop)
    weights = TopicModel.objects.get().weights
    assert weights[f"src:{candidate.source_id}"] > 0
    assert story_mark_scooped(story=story, scoop=scoop, by=curator).state == State.SCOOPED
    assert Decision.objects.filter(action="scoop").count() == 1  # the second call changed nothing


def test_bulk_dismiss_of_the_visible_stories(stories, curator, topic):
    ids = [s.pk for s in stories[:3]]
    assert stories_dismiss(topic=topic, by=curator, story_ids=ids) == 3
    assert list(Story.objects.filter(state=State.NEW)) == [stories[3]]
    assert decision_undo(topic=topic, by=curator) == ids


def test_bulk_dismiss_of_old_stories(stories, curator, topic):
    old = stories[0].first
    Candidate.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=9))
    assert (
        stories_dismiss(topic=topic, by=curator, older_than=timezone.now() - dt.timedelta(days=7))
        == 1
    )
    assert Story.objects.get(pk=stories[0].pk).state == State.DISMISSED


def test_bulk_dismiss_of_a_source_includes_what_it_also_carried(feed, make_source, curator, topic):
    noisy = make_source("Bruit")
    ingest(source=noisy, entries=[entry("Bruit 1"), entry("Bruit 2")])
    ingest(source=feed, entries=[entry("Utile")])
    shared = entry("Partagé", url="https://news.example.org/shared")
    ingest(source=feed, entries=[shared])
    ingest(source=noisy, entries=[shared])  # a sighting: noisy carried it too
    assert stories_dismiss(topic=topic, by=curator, source=noisy) == 3
    assert [s.card.title for s in selectors.inbox_page(topic=topic)] == ["Utile"]


def test_bulk_dismiss_with_nothing_to_dismiss_logs_nothing(curator, topic):
    assert stories_dismiss(topic=topic, by=curator, story_ids=[]) == 0
    assert not Decision.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "anonymous"])
def test_only_curators_of_the_topic_can_triage(stories, make_user, make_scoop, topic, who):
    from django.contrib.auth.models import AnonymousUser

    user = make_user() if who == "stranger" else AnonymousUser()
    story = stories[0]
    calls = [
        lambda: story_dismiss(story=story, by=user),
        lambda: candidate_dismiss(candidate=story.first, by=user),
        lambda: stories_dismiss(topic=topic, by=user, story_ids=[story.pk]),
        lambda: decision_undo(topic=topic, by=user),
        lambda: story_mark_scooped(story=story, scoop=make_scoop("x"), by=user),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Story.objects.filter(state=State.NEW).count() == len(stories)


def test_the_story_a_capture_came_from_is_found_only_in_its_topic(stories, topic, make_user):
    from veille.topics.services import topic_create

    other = topic_create(by=make_user(), title="Ailleurs")
    assert selectors.story_for_capture(topic=topic, story_id=str(stories[0].pk)) == stories[0]
    assert selectors.story_for_capture(topic=other, story_id=stories[0].pk) is None
    assert selectors.story_for_capture(topic=topic, story_id="nope") is None
    assert selectors.story_for_capture(topic=topic, story_id=None) is None
