"""Ingest: entries become candidates once, duplicates are known, near duplicates are grouped."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from veille.sources.entries import FeedEntry
from veille.sources.models import SourceKind
from veille.suggestions import selectors
from veille.suggestions.models import Candidate, Sighting, State, Story
from veille.suggestions.services import ingest, ingestion
from veille.suggestions.tests.conftest import entry
from veille.suggestions.tests.stories import OTHER_STORIES, REWRITTEN, SAME_STORY
from veille.topics import services as topic_services


def test_ingesting_the_same_entries_twice_creates_nothing(feed):
    entries = [entry(title, summary) for _outlet, title, summary in OTHER_STORIES]
    first = ingest(source=feed, entries=entries)
    counts = (Candidate.objects.count(), Story.objects.count(), Sighting.objects.count())
    again = ingest(source=feed, entries=entries)
    assert (first.new, first.duplicates) == (len(entries), 0)
    assert (again.new, again.duplicates, again.grouped) == (0, len(entries), 0)
    assert (Candidate.objects.count(), Story.objects.count(), Sighting.objects.count()) == counts


def test_a_candidate_keeps_what_the_entry_said(feed, topic):
    published = timezone.now() - dt.timedelta(hours=5)
    item = FeedEntry(
        url="https://NEWS.example.org/a/1?utm_source=rss#top",
        title="  Toulouse  networks  ",
        summary_html="<p>Hello <b>world</b></p>",
        image="https://news.example.org/a.jpg",
        published=published,
        author="Ada",
        language="fr",
    )
    ingest(source=feed, entries=[item])
    candidate = Candidate.objects.get()
    assert candidate.url == "https://news.example.org/a/1"
    assert (candidate.title, candidate.author, candidate.language) == (
        "Toulouse networks",
        "Ada",
        "fr",
    )
    assert candidate.summary_html == "<p>Hello <b>world</b></p>"
    assert candidate.image == "https://news.example.org/a.jpg"
    assert candidate.published_at == published
    assert (candidate.topic, candidate.source, candidate.state) == (topic, feed, State.NEW)
    assert candidate.story.first == candidate and candidate.story.candidate_count == 1


def test_the_same_article_under_another_spelling_is_a_duplicate(feed):
    ingest(source=feed, entries=[entry("Un article", url="https://news.example.org/a?id=3")])
    result = ingest(
        source=feed,
        entries=[entry("Un article", url="HTTPS://news.example.org:443/a?id=3&utm_medium=rss")],
    )
    assert (result.new, result.duplicates) == (0, 1)


def test_an_article_from_a_second_source_is_one_candidate_listing_both(feed, make_source, topic):
    other = make_source("Actu Toulouse")
    url = "https://news.example.org/metro"
    ingest(source=feed, entries=[entry("Le métro", url=url, hours_ago=3)])
    result = ingest(source=other, entries=[entry("Le métro", url=url, hours_ago=1)])
    assert (result.new, result.duplicates) == (0, 1)
    assert Candidate.objects.get().source == feed
    [story] = selectors.inbox_page(topic=topic)
    assert [(s.name, s.first) for s in story.card_sources] == [
        ("La Dépêche", True),
        ("Actu Toulouse", False),
    ]


def test_an_article_already_scooped_is_not_suggested(feed, make_scoop):
    make_scoop("Déjà là", url="https://news.example.org/scooped")
    result = ingest(
        source=feed, entries=[entry("Déjà là", url="https://news.example.org/scooped?xtor=RSS-1")]
    )
    assert (result.new, result.duplicates) == (0, 1)
    assert not Candidate.objects.exists()


def test_the_same_story_from_several_feeds_becomes_one_card_with_all_its_sources(
    make_source, topic
):
    outlets = {}
    for name, versions in SAME_STORY.items():
        for number, (outlet, title, summary) in enumerate(versions):
            source = outlets.get(outlet) or outlets.setdefault(outlet, make_source(outlet))
            # Each outlet polled on its own; the first version was published first.
            hours = 10 - number
            ingest(
                source=source,
                entries=[
                    entry(
                        title, summary, url=f"https://{name}.example.org/{number}", hours_ago=hours
                    )
                ],
            )
    others = make_source("Autres")
    ingest(source=others, entries=[entry(t, s) for _o, t, s in OTHER_STORIES + REWRITTEN])

    cards = list(selectors.inbox_page(topic=topic))
    assert len(cards) == len(SAME_STORY) + len(OTHER_STORIES) + len(REWRITTEN)
    by_title = {card.card.title: card for card in cards}
    for versions in SAME_STORY.values():
        card = by_title[versions[0][1]]  # shows the version published first
        assert card.candidate_count == len(versions)
        assert [s.name for s in card.card_sources] == [outlet for outlet, _t, _s in versions]
        assert [s.first for s in card.card_sources] == [True] + [False] * (len(versions) - 1)


def test_grouping_reports_the_items_that_joined_a_story(make_source):
    versions = SAME_STORY["mastodon"]
    first, second = make_source("Reuters"), make_source("The Verge")
    ingest(source=first, entries=[entry(versions[0][1], versions[0][2])])
    result = ingest(source=second, entries=[entry(versions[1][1], versions[1][2])])
    assert (result.new, result.grouped) == (1, 1)
    assert Story.objects.count() == 1


def test_a_feed_repeating_one_summary_does_not_merge_its_items(feed):
    boilerplate = SAME_STORY["mastodon"][0][2]  # a long summary, the same on every item
    result = ingest(
        source=feed,
        entries=[entry(f"Item {n} about something", boilerplate) for n in range(3)],
    )
    assert (result.new, result.grouped) == (3, 0)
    assert Story.objects.count() == 3


def test_an_old_story_is_not_joined(make_source):
    versions = SAME_STORY["airbus"]
    first, second = make_source("La Dépêche"), make_source("Actu Toulouse")
    ingest(source=first, entries=[entry(versions[0][1], versions[0][2])])
    long_ago = timezone.now() - dt.timedelta(days=ingestion.NEAR_DUPLICATE_DAYS + 1)
    Candidate.objects.update(found_at=long_ago)
    result = ingest(source=second, entries=[entry(versions[1][1], versions[1][2])])
    assert result.grouped == 0 and Story.objects.count() == 2


def test_a_dismissed_story_keeps_its_late_versions_out_of_the_inbox(make_source, curator, topic):
    from veille.suggestions.services import story_dismiss

    versions = SAME_STORY["linkedin"]
    first, second = make_source("BFM Tech"), make_source("Le Figaro")
    ingest(source=first, entries=[entry(versions[0][1], versions[0][2])])
    story_dismiss(story=Story.objects.get(), by=curator)
    ingest(source=second, entries=[entry(versions[1][1], versions[1][2])])
    assert Story.objects.get().candidate_count == 2
    assert list(selectors.inbox_page(topic=topic)) == []


@pytest.mark.parametrize(
    "bad",
    [
        FeedEntry(url="", title="No link"),
        FeedEntry(url="javascript:alert(1)", title="Script"),
        FeedEntry(url="https://news.example.org/x", title="   "),
        FeedEntry(url="ftp://news.example.org/x", title="FTP"),
        FeedEntry(url="https://news.example.org/" + "x" * 2100, title="Too long"),
    ],
)
def test_entries_without_a_usable_url_or_title_are_skipped(feed, bad):
    result = ingest(source=feed, entries=[bad, entry("Fine")])
    assert (result.new, result.skipped) == (1, 1)


def test_a_date_in_the_future_is_taken_as_now(feed):
    ingest(source=feed, entries=[entry("Du futur", hours_ago=-48)])
    assert Candidate.objects.get().published_at <= timezone.now()


def test_keyword_sources_of_every_topic_receive_the_items_they_match(
    feed, make_source, make_user, topic
):
    owner = make_user()
    other = topic_services.topic_create(by=owner, title="Réseaux", slug="reseaux")
    query = make_source(
        kind=SourceKind.KEYWORD, in_topic=other, query='"réseau social" toulouse -football'
    )
    make_source(kind=SourceKind.KEYWORD, in_topic=other, query="toulouse", enabled=False)
    result = ingest(
        source=feed,
        entries=[
            entry("Un réseau social toulousain", "Le réseau social lancé à Toulouse cartonne."),
            entry("Réseaux sociaux et football", "Le TFC et son réseau social à Toulouse."),
            entry("Rien à voir", "La météo de demain."),
        ],
    )
    assert result.new == 3  # counts are the polled source's topic only
    [matched] = Candidate.objects.filter(topic=other)
    assert matched.title == "Un réseau social toulousain"
    assert matched.source == query
    assert matched.reasons[0] == {"kind": "query", "query": '"réseau social" toulouse -football'}
    assert Candidate.objects.filter(topic=topic).count() == 3


def test_a_keyword_source_of_the_same_topic_is_listed_among_the_sources(feed, make_source, topic):
    make_source(kind=SourceKind.KEYWORD, query="choozme", title="")
    ingest(source=feed, entries=[entry("Choozme séduit Toulouse", "Le réseau social Choozme.")])
    candidate = Candidate.objects.get()
    assert candidate.source == feed
    [story] = selectors.inbox_page(topic=topic)
    assert [s.name for s in story.card_sources] == ["La Dépêche", "choozme"]


def test_a_url_stored_meanwhile_by_another_worker_leaves_no_empty_story(feed, monkeypatch):
    entries = [entry(title, summary) for _o, title, summary in OTHER_STORIES[:3]]
    ingest(source=feed, entries=entries)
    monkeypatch.setattr(ingestion.store, "known_keys", lambda topic_id, keys: {})
    ingest(source=feed, entries=entries)  # as if another worker had inserted them meanwhile
    assert Candidate.objects.count() == Story.objects.count() == 3
    assert set(Story.objects.values_list("candidate_count", flat=True)) == {1}


def _queries(feed, entries) -> int:
    with CaptureQueriesContext(connection) as context:
        ingest(source=feed, entries=entries)
    return len(context.captured_queries)


def test_ingest_queries_do_not_grow_with_the_number_of_entries(feed, make_source):
    small = [entry(f"Petit {n}", f"Texte numéro {n} sur un sujet {n * 7}") for n in range(5)]
    large = [entry(f"Grand {n}", f"Texte numéro {n} sur un thème {n * 11}") for n in range(90)]
    _queries(make_source(), [entry("warm up")])  # the first ingest of a topic queues a rescoring
    assert _queries(feed, small) == _queries(feed, large)
    assert _queries(feed, small) == _queries(feed, large)  # known ones: fewer, still the same


def test_several_sources_at_once_count_for_each(feed, make_source):
    from veille.suggestions.services import ingest_many

    other = make_source("Le Monde")
    shared = "https://news.example.org/shared"
    batch = [
        (feed, [entry("Propre à la Dépêche", "Un sujet"), entry("Partagé", "Le même", url=shared)]),
        (other, [entry("Partagé", "Le même", url=shared), entry("Propre au Monde", "Autre")]),
    ]
    first, second = ingest_many(batch)
    assert (first.new, first.duplicates, second.new, second.duplicates) == (2, 0, 1, 1)
    candidate = Candidate.objects.get(url=shared)
    assert candidate.source == feed
    assert list(Sighting.objects.filter(candidate=candidate).values_list("source", flat=True)) == [
        other.pk
    ]


def test_ingest_many_statements_do_not_grow_with_the_number_of_sources(feed, make_source):
    from veille.suggestions.services import ingest_many

    def queries(batch) -> int:
        with CaptureQueriesContext(connection) as context:
            ingest_many(batch)
        return len(context.captured_queries)

    queries([(make_source(), [entry("warm up")])])
    stories = iter(OTHER_STORIES)  # ten different stories: no near duplicate to regroup
    one = [(feed, [entry(*next(stories)[1:]) for _ in range(4)])]
    three = [(make_source(), [entry(*next(stories)[1:]) for _ in range(2)]) for _ in range(3)]
    assert queries(one) == queries(three)


def test_the_callback_runs_in_the_storing_transaction(feed):
    from veille.suggestions.services import ingest_many

    seen = []

    def also(results):
        seen.append((connection.in_atomic_block, [r.new for r in results]))
        raise RuntimeError("the caller's own write failed")

    with pytest.raises(RuntimeError):
        ingest_many([(feed, [entry("Annulé", "Tout est annulé")])], also=also)
    assert seen == [(True, [1])]
    assert not Candidate.objects.exists() and not Story.objects.exists()


def test_entries_without_dates_or_images_are_stored_without(feed):
    # All of a column empty: on PostgreSQL the insert sends it as an array of NULLs.
    entries = [
        FeedEntry(url=f"https://news.example.org/undated/{n}", title=f"Sans date {n}")
        for n in range(3)
    ]
    result = ingest(source=feed, entries=entries)
    assert result.new == 3
    assert set(Candidate.objects.values_list("published_at", "image")) == {(None, "")}
