"""The inbox page and its actions, without JavaScript and with HTMX."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from veille.suggestions.models import State, Story
from veille.suggestions.services import ingest, story_dismiss
from veille.suggestions.tests.conftest import entry
from veille.suggestions.tests.stories import OTHER_STORIES, SAME_STORY

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def inbox_url(topic):
    return reverse("suggestions:inbox", args=[topic.slug])


@pytest.fixture
def filled(feed):
    entries = [
        entry(t, s, image=f"https://img.example.org/{n}.jpg")
        for n, (_o, t, s) in enumerate(OTHER_STORIES)
    ]
    ingest(source=feed, entries=entries)
    return list(Story.objects.order_by("pk"))


def test_the_inbox_asks_visitors_to_log_in(client, inbox_url):
    response = client.get(inbox_url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_inbox_is_for_the_topics_curators_only(client, make_user, inbox_url, filled):
    client.force_login(make_user())
    assert client.get(inbox_url).status_code == 403


def test_the_inbox_lists_ranked_cards_with_sources_reasons_and_a_scoop_link(
    client, curator, topic, inbox_url, make_source
):
    for outlet, title, summary in SAME_STORY["mastodon"]:
        ingest(
            source=make_source(outlet),
            entries=[entry(title, summary, image="https://img.example.org/m.jpg")],
        )
    client.force_login(curator)
    page = client.get(inbox_url).content.decode()
    assert page.count('class="suggestion"') == 1
    assert "Reuters" in page and "The Verge" in page and "Engadget" in page
    assert "(first)" in page
    assert 'referrerpolicy="no-referrer"' in page and 'loading="lazy"' in page
    story = Story.objects.get()
    link = 'href="/scoop/new?url=' in page
    assert link
    query = parse_qs(urlsplit(_scoop_href(page)).query)
    assert query == {"url": [story.first.url], "topic": [topic.slug], "suggestion": [str(story.pk)]}
    assert "1 new suggestion" in page


def _scoop_href(page: str) -> str:
    start = page.index('class="button primary scoop-link" href="') + len(
        'class="button primary scoop-link" href="'
    )
    return page[start : page.index('"', start)].replace("&amp;", "&")


def test_reasons_are_written_for_people(client, curator, topic, feed, inbox_url):
    ingest(source=feed, entries=[entry("Toulouse accueille un salon", "Networking et réseautage.")])
    client.force_login(curator)
    page = client.get(inbox_url).content.decode()
    assert "Why:" in page and "matches “Toulouse”" in page


def test_a_summary_is_shown_as_escaped_text_whatever_markup_it_holds(
    client, curator, feed, inbox_url
):
    hostile = '<p>Hello <script>alert(1)</script><b>world</b> <img src=x onerror="alert(2)"></p>'
    ingest(source=feed, entries=[entry("Un titre", url="https://news.example.org/h")])
    from veille.suggestions.models import Candidate

    Candidate.objects.update(summary_html=hostile)  # as if the feed's HTML had not been cleaned
    client.force_login(curator)
    page = client.get(inbox_url).content.decode()
    assert '<p class="excerpt">Hello world</p>' in page
    assert "alert" not in page and "<b>world" not in page


def test_the_inbox_speaks_french(client, curator, topic, feed, inbox_url):
    ingest(source=feed, entries=[entry("Toulouse accueille un salon", "Networking et réseautage.")])
    client.force_login(curator)
    page = client.get(inbox_url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    page = page.replace("\u00a0", " ").replace("\u202f", " ")  # French typography's spaces
    assert "Suggestions pour Toulouse networks" in page
    assert "Pourquoi" in page and "contient « Toulouse »" in page
    assert "1 nouvelle suggestion" in page


def test_dismiss_without_javascript_redirects_back_to_the_same_inbox_page(
    client, curator, filled, topic, inbox_url
):
    client.force_login(curator)
    story = filled[0]
    url = reverse("suggestions:dismiss", args=[topic.slug, story.pk])
    response = client.post(url, {"next": f"{inbox_url}?page=1&source={story.first.source_id}"})
    assert response.status_code == 302
    assert response["Location"] == f"{inbox_url}?page=1&source={story.first.source_id}"
    story.refresh_from_db()
    assert story.state == State.DISMISSED
    assert "Dismissed:" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/topic/other/"])
def test_dismiss_never_redirects_elsewhere(client, curator, filled, topic, inbox_url, target):
    client.force_login(curator)
    url = reverse("suggestions:dismiss", args=[topic.slug, filled[0].pk])
    assert client.post(url, {"next": target})["Location"] == inbox_url


def test_dismiss_with_htmx_swaps_the_card_for_an_undo_line(client, curator, filled, topic):
    client.force_login(curator)
    url = reverse("suggestions:dismiss", args=[topic.slug, filled[0].pk])
    response = client.post(url, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="suggestion is-dismissed"' in page and "data-announce" in page
    assert reverse("suggestions:undo", args=[topic.slug]) in page


def test_a_stranger_cannot_dismiss(client, make_user, filled, topic):
    client.force_login(make_user())
    url = reverse("suggestions:dismiss", args=[topic.slug, filled[0].pk])
    assert client.post(url).status_code == 403
    assert Story.objects.get(pk=filled[0].pk).state == State.NEW


def test_undo_brings_the_story_back(client, curator, filled, topic, inbox_url):
    story_dismiss(story=filled[0], by=curator)
    client.force_login(curator)
    response = client.post(reverse("suggestions:undo", args=[topic.slug]), {"next": inbox_url})
    assert response.status_code == 302
    assert Story.objects.get(pk=filled[0].pk).state == State.NEW


def test_undo_with_htmx_returns_the_list_with_the_restored_card_marked(
    client, curator, filled, topic, inbox_url
):
    story_dismiss(story=filled[0], by=curator)
    client.force_login(curator)
    response = client.post(
        reverse("suggestions:undo", args=[topic.slug]), {"next": inbox_url}, **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="story-{filled[0].pk}" data-story="{filled[0].pk}" tabindex="-1"' in page
    assert "data-restored" in page and 'data-announce="Back in the inbox:' in page


def test_bulk_dismiss_of_the_page(client, curator, filled, topic, inbox_url):
    client.force_login(curator)
    ids = ",".join(str(s.pk) for s in filled[:4])
    response = client.post(
        reverse("suggestions:bulk_dismiss", args=[topic.slug]),
        {"scope": "visible", "stories": ids, "next": inbox_url},
    )
    assert response.status_code == 302
    assert Story.objects.filter(state=State.DISMISSED).count() == 4


def test_bulk_dismiss_of_old_suggestions(client, curator, filled, topic):
    from veille.suggestions.models import Candidate

    Candidate.objects.filter(pk=filled[0].first_id).update(
        published_at=timezone.now() - dt.timedelta(days=30)
    )
    client.force_login(curator)
    client.post(
        reverse("suggestions:bulk_dismiss", args=[topic.slug]), {"scope": "older", "days": "7"}
    )
    assert list(Story.objects.filter(state=State.DISMISSED)) == [filled[0]]


def test_bulk_dismiss_of_a_source(client, curator, filled, topic, make_source, feed):
    other = make_source("Autre")
    ingest(source=other, entries=[entry("Autre chose")])
    client.force_login(curator)
    client.post(
        reverse("suggestions:bulk_dismiss", args=[topic.slug]),
        {"scope": "source", "source": str(feed.pk)},
    )
    assert [s.first.title for s in Story.objects.filter(state=State.NEW)] == ["Autre chose"]


def test_bulk_dismiss_of_a_source_must_name_one(client, curator, filled, topic, inbox_url):
    client.force_login(curator)
    response = client.post(
        reverse("suggestions:bulk_dismiss", args=[topic.slug]), {"scope": "source"}, follow=True
    )
    assert "Choose a source." in response.content.decode()
    assert not Story.objects.filter(state=State.DISMISSED).exists()


def test_the_inbox_filters_by_source_and_counts_by_source(
    client, curator, filled, topic, inbox_url, make_source
):
    other = make_source("Autre source")
    ingest(source=other, entries=[entry("Seulement ailleurs")])
    client.force_login(curator)
    page = client.get(inbox_url, {"source": other.pk}).content.decode()
    assert page.count('class="suggestion"') == 1 and "Seulement ailleurs" in page
    assert f"La Dépêche ({len(OTHER_STORIES)})" in page and "Autre source (1)" in page


def test_the_inbox_counts_what_was_dismissed_today(client, curator, filled, inbox_url):
    story_dismiss(story=filled[0], by=curator)
    client.force_login(curator)
    page = client.get(inbox_url).content.decode()
    assert f"{len(filled) - 1} new suggestions" in page and "1 dismissed today" in page


def test_the_inbox_warns_about_a_source_failing_for_a_day(
    client, curator, feed, make_source, inbox_url
):
    make_source(
        "Cassée", failing_since=timezone.now() - dt.timedelta(hours=30), last_error="HTTP 500"
    )
    make_source(
        "Hoquet", failing_since=timezone.now() - dt.timedelta(hours=2), last_error="timeout"
    )
    client.force_login(curator)
    page = client.get(inbox_url).content.decode()
    assert "The source “Cassée” has been failing for" in page and "HTTP 500" in page
    assert "Hoquet" not in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_inbox_queries_do_not_grow_with_stories(
    client, curator, topic, inbox_url, make_source, settings
):
    settings.SUGGESTIONS_PAGE_SIZE = 200  # every story on one page: the worst case
    client.force_login(curator)
    counts = []
    for total in (10, 100):
        sources = [make_source(f"S{total}-{n}") for n in range(3)]
        have = Story.objects.count()
        for n in range(have, total):
            url = f"https://news.example.org/q/{n}"
            ingest(source=sources[n % 3], entries=[entry(f"Article {n}", f"Texte {n}", url=url)])
            if n % 4 == 0:  # some carried by a second source too
                ingest(source=sources[(n + 1) % 3], entries=[entry(f"Article {n}", url=url)])
        counts.append(_queries(client, inbox_url))
    assert Story.objects.count() == 100
    assert counts[0] == counts[1], counts
