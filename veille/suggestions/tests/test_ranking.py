"""Ranking: keywords, similarity to scoops, decisions, freshness and source weight, with reasons."""

import datetime as dt

import pytest
from django.utils import timezone

from veille.suggestions import ranking
from veille.suggestions.models import Candidate, Story
from veille.suggestions.services import (
    ingest,
    rescore_topic,
    stories_dismiss,
    story_dismiss,
    story_mark_scooped,
)
from veille.suggestions.tests.conftest import entry
from veille.topics.services import topic_update

CYCLING = [
    (
        "Tour de France : victoire d'étape au sprint",
        "Le peloton a roulé vite, le sprint final a souri au maillot vert.",
    ),
    (
        "Cyclisme : le maillot jaune conserve son avance",
        "Étape de montagne sans surprise, le peloton arrive groupé.",
    ),
    (
        "Paris-Roubaix : les pavés ont parlé",
        "Une course de vélo cassante, le sprint s'est joué sur le vélodrome.",
    ),
    (
        "Vuelta : l'étape reine pour un grimpeur",
        "Le peloton s'est disloqué dans la dernière montée de l'étape.",
    ),
]
NETWORKS = [
    (
        "Mastodon gagne des utilisateurs à Toulouse",
        "Le réseau social décentralisé attire associations et médias.",
    ),
    (
        "Un réseau social pour les entrepreneurs toulousains",
        "Réseautage et rencontres professionnelles.",
    ),
    (
        "LinkedIn et Viadeo se disputent les cadres",
        "Les réseaux sociaux professionnels et le recrutement.",
    ),
    (
        "Les médias sociaux dans les collectivités",
        "Comment les villes animent leur réseau social local.",
    ),
]


def _score(title):
    return Candidate.objects.get(title=title).score


def _rescore(topic):
    rescore_topic(topic_id=topic.pk)


def test_topic_keywords_raise_the_score_and_say_so(feed, topic, curator):
    topic_update(topic=topic, by=curator, keywords="réseaux sociaux, Mastodon")
    ingest(source=feed, entries=[entry(*NETWORKS[0]), entry(*CYCLING[0])])
    mastodon = Candidate.objects.get(title=NETWORKS[0][0])
    assert {"kind": "keyword", "term": "réseaux sociaux"} in mastodon.reasons
    assert {"kind": "keyword", "term": "Mastodon"} in mastodon.reasons
    assert {"kind": "keyword", "term": "Toulouse"} in mastodon.reasons  # from the topic's title
    assert mastodon.score > _score(CYCLING[0][0])
    assert not Candidate.objects.get(title=CYCLING[0][0]).reasons


def test_items_close_to_the_curators_scoops_rank_higher_and_say_how_many(feed, topic, make_scoop):
    for title, summary in NETWORKS[:3]:
        make_scoop(title, excerpt_html=f"<p>{summary}</p>")
    _rescore(topic)  # the profile reads the topic's scoops
    ingest(
        source=feed,
        entries=[
            entry(
                "Le réseau social Mastodon séduit les associations toulousaines",
                "Réseau social décentralisé, médias et associations.",
            ),
            entry(*CYCLING[1]),
        ],
    )
    close = Candidate.objects.get(title__startswith="Le réseau social Mastodon")
    similar = [r for r in close.reasons if r["kind"] == "similar"]
    assert similar and similar[0]["count"] >= 1
    assert close.score > _score(CYCLING[1][0])


def test_dismissing_pushes_similar_items_down_and_keeping_pulls_them_up(
    feed, topic, curator, make_scoop
):
    ingest(source=feed, entries=[entry(*item) for item in CYCLING + NETWORKS])
    before = {title: _score(title) for title, _s in CYCLING + NETWORKS}
    for title, _summary in CYCLING[:3]:
        story_dismiss(story=Candidate.objects.get(title=title).story, by=curator)
    for title, summary in NETWORKS[:2]:
        story = Candidate.objects.get(title=title).story
        scoop = make_scoop(title, url=story.first.url, excerpt_html=f"<p>{summary}</p>")
        story_mark_scooped(story=story, scoop=scoop, by=curator)
    _rescore(topic)
    assert _score(CYCLING[3][0]) < before[CYCLING[3][0]]
    assert _score(NETWORKS[3][0]) > before[NETWORKS[3][0]]
    assert _score(NETWORKS[2][0]) > _score(CYCLING[3][0])
    kinds = {r["kind"] for r in Candidate.objects.get(title=CYCLING[3][0]).reasons}
    assert "dismissed" in kinds
    kinds = {r["kind"] for r in Candidate.objects.get(title=NETWORKS[3][0]).reasons}
    assert kinds & {"kept", "similar"}


def test_a_source_the_curator_keeps_dismissing_is_named(feed, make_source, topic, curator):
    noisy = make_source("Sports")
    ingest(source=noisy, entries=[entry(f"Résultat {n}", f"Match numéro {n}") for n in range(12)])
    ingest(source=feed, entries=[entry(*NETWORKS[1])])
    stories = Story.objects.filter(candidates__source=noisy).order_by("pk")
    for story in stories[:10]:
        story_dismiss(story=story, by=curator)
    _rescore(topic)
    left = Candidate.objects.filter(source=noisy, story__state="new").first()
    assert {"kind": "source_dismissed"} in left.reasons


def test_a_source_the_curator_keeps_scooping_from_is_named(
    feed, make_source, topic, curator, make_scoop
):
    ingest(
        source=feed,
        entries=[entry(f"Réseau {n}", f"Texte {n} sur le réseautage") for n in range(6)],
    )
    for candidate in Candidate.objects.order_by("pk")[:4]:
        scoop = make_scoop(candidate.title, url=candidate.url)
        story_mark_scooped(story=candidate.story, scoop=scoop, by=curator)
    _rescore(topic)
    left = Candidate.objects.filter(story__state="new").first()
    assert {"kind": "source_kept"} in left.reasons


def test_a_bulk_dismissal_teaches_less_than_single_ones(feed, make_source, topic, curator):
    one, other = make_source("Un"), make_source("Autre")
    ingest(source=one, entries=[entry(f"Un {n}", f"Texte {n}") for n in range(5)])
    ingest(source=other, entries=[entry(f"Autre {n}", f"Texte {n}") for n in range(5)])
    for story in Story.objects.filter(candidates__source=one):
        story_dismiss(story=story, by=curator)
    stories_dismiss(topic=topic, by=curator, source=other)
    from veille.suggestions.models import TopicModel

    weights = TopicModel.objects.get().weights
    assert weights[f"src:{one.pk}"] < weights[f"src:{other.pk}"] < 0


def test_a_boosted_source_counts_double(make_source):
    plain, boosted = make_source("Plain"), make_source("Boosted", weight=2.0)
    ingest(source=plain, entries=[entry("Même sujet", "Même texte", url="https://a.example.org/1")])
    ingest(
        source=boosted, entries=[entry("Même sujet", "Même texte", url="https://b.example.org/1")]
    )
    low, high = Candidate.objects.order_by("pk")
    assert high.score == pytest.approx(2 * low.score)
    assert {"kind": "source_boosted"} in high.reasons


def test_freshness_halves_the_score_every_two_days_and_ranks_never_age():
    now = timezone.now()
    fresh = ranking.rank(0.4, now)
    older = ranking.rank(0.4, now - dt.timedelta(hours=ranking.HALF_LIFE_HOURS))
    assert ranking.score_at(fresh, now) == pytest.approx(0.4)
    assert ranking.score_at(older, now) == pytest.approx(0.2)
    later = now + dt.timedelta(days=5)
    assert ranking.score_at(fresh, later) / ranking.score_at(older, later) == pytest.approx(2)
    # A relevant item from two days ago still beats an irrelevant one from now.
    assert ranking.rank(0.8, now - dt.timedelta(days=1)) > ranking.rank(0.2, now)


def test_older_items_rank_lower_in_the_inbox(feed, topic):
    from veille.suggestions import selectors

    ingest(
        source=feed,
        entries=[
            entry("Même sujet", "Même texte", hours_ago=60),
            entry("Même sujet !", "Même texte", hours_ago=1),
        ],
    )
    cards = list(selectors.inbox_page(topic=topic))
    assert [c.card.title for c in cards] == ["Même sujet !", "Même sujet"]


def test_learning_steps_shrink_once_the_model_agrees():
    class Topic:
        keyword_list, title, subtitle = [], "T", ""

    profile = ranking.Profile(topic=Topic())
    vector = {"velo": 1.0}
    steps = []
    for _ in range(5):
        deltas, bias = ranking.learn(profile, vector, kept=False, rate=1.0)
        ranking.apply_deltas(profile.weights, deltas)
        profile.bias += bias
        steps.append(-deltas["velo"])
    assert profile.weights["velo"] < 0
    assert steps == sorted(steps, reverse=True)
