"""Rescoring in the background: queued once per topic, it keeps the model in step with the topic."""

from veille.suggestions.models import Candidate, Story, TopicModel
from veille.suggestions.services import ingest, rescore_topic, schedule_rescore, story_dismiss
from veille.suggestions.tests.conftest import entry
from veille.topics.services import scoop_delete


def test_ingest_and_decisions_queue_a_rescoring_that_runs_after_commit(
    feed, topic, curator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ingest(
            source=feed, entries=[entry("Vélo 1", "Étape de montagne"), entry("Vélo 2", "Étape")]
        )
    assert len(callbacks) == 1
    model = TopicModel.objects.get(topic=topic)
    assert model.rescored_at is not None and model.stats["n"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        story_dismiss(story=Story.objects.get(candidates__title="Vélo 1"), by=curator)
    other = Candidate.objects.get(title="Vélo 2")
    assert any(r["kind"] == "dismissed" for r in other.reasons)


def test_a_rescoring_is_queued_once_while_one_is_pending(topic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        schedule_rescore(topic_id=topic.pk)
        schedule_rescore(topic_id=topic.pk)
    assert len(callbacks) == 1


def test_the_model_follows_the_topics_scoops(topic, make_scoop, curator):
    first = make_scoop("Mastodon à Toulouse", excerpt_html="<p>Le réseau social décentralisé.</p>")
    rescore_topic(topic_id=topic.pk)
    model = TopicModel.objects.get(topic=topic)
    assert list(model.scoops) == [str(first.pk)] and model.last_scoop_id == first.pk
    assert "mastodon" in model.scoops[str(first.pk)]
    second = make_scoop("LinkedIn recrute")
    scoop_delete(scoop=first, by=curator)
    rescore_topic(topic_id=topic.pk)
    model.refresh_from_db()
    assert list(model.scoops) == [str(second.pk)]


def test_rescoring_a_deleted_topic_does_nothing(topic):
    topic_id = topic.pk
    topic.delete()
    assert rescore_topic(topic_id=topic_id) == 0
