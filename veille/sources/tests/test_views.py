"""The sources page of a topic: curators only; add, import, export, edit, poll now."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from veille.sources import services
from veille.sources.models import Source

from .conftest import make_rss

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def page_url(topic, name="list", *args):
    return reverse(f"sources:{name}", args=[topic.slug, *args])


def test_the_sources_page_is_for_curators_only(client, topic, make_user):
    url = page_url(topic)
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    assert client.post(page_url(topic, "poll")).status_code == 403


def test_the_page_lists_sources_with_their_state(curator_client, topic):
    ok = services.source_create(topic=topic, by=None, kind="feed", url="https://ok.example/feed")
    broken = services.source_create(topic=topic, by=None, kind="feed", url="https://ko.example/f")
    services.source_create(topic=topic, by=None, kind="keyword", query='"réseau social" toulouse')
    Source.objects.filter(pk=ok.pk).update(title="Working feed", last_polled_at=timezone.now())
    Source.objects.filter(pk=broken.pk).update(
        error_count=3, last_error="malformed XML at line 12: boom", last_error_at=timezone.now()
    )

    html = curator_client.get(page_url(topic)).content.decode()

    assert "Working feed" in html and "https://ok.example/feed" in html
    assert "Failed 3 times in a row:" in html and "malformed XML at line 12: boom" in html
    assert "&quot;réseau social&quot; toulouse" in html
    assert reverse("sources:export", args=[topic.slug]) in html


def test_sources_failing_for_more_than_a_day_are_listed_with_a_warning(curator_client, topic):
    source = services.source_create(topic=topic, by=None, kind="feed", url="https://x.example/f")
    recent = services.source_create(topic=topic, by=None, kind="feed", url="https://y.example/f")
    Source.objects.filter(pk=source.pk).update(
        failing_since=timezone.now() - timedelta(days=2), last_error="the server answered HTTP 500"
    )
    Source.objects.filter(pk=recent.pk).update(failing_since=timezone.now() - timedelta(hours=2))

    html = curator_client.get(page_url(topic)).content.decode()

    assert "One source has been failing for more than a day" in html


def test_adding_a_site_discovers_its_feed(curator_client, topic, local_site):
    feed = local_site.url("/feed.xml")
    local_site.add("/feed.xml", make_rss("Site", []), content_type="application/rss+xml")
    local_site.add(
        "/", f'<html><head><link rel="alternate" type="application/rss+xml" href="{feed}"></head>'
    )

    response = curator_client.post(page_url(topic, "add_url"), {"url": local_site.url("/")})

    assert response.status_code == 302
    (source,) = Source.objects.filter(topic=topic)
    assert (source.kind, source.url) == ("feed", feed)
    assert source.created_by.username == "jacques"


def test_a_url_without_anything_to_follow_shows_why(curator_client, topic, local_site):
    local_site.add("/empty", "<html><body><p>Nothing here</p></body></html>")

    response = curator_client.post(page_url(topic, "add_url"), {"url": local_site.url("/empty")})

    assert response.status_code == 400
    assert "no feed, sitemap or article links found" in response.content.decode()
    assert not Source.objects.exists()


def test_adding_a_keyword_query_and_refusing_an_empty_one(curator_client, topic):
    assert curator_client.post(page_url(topic, "add_keyword"), {"query": " toulouse  réseau "})
    assert Source.objects.get(topic=topic).query == "toulouse réseau"

    response = curator_client.post(page_url(topic, "add_keyword"), {"query": "   "})

    assert response.status_code == 400
    assert Source.objects.count() == 1


def test_a_query_that_only_excludes_words_is_refused_with_the_reason(curator_client, topic):
    response = curator_client.post(page_url(topic, "add_keyword"), {"query": "-football -rugby"})

    assert response.status_code == 400
    assert "at least one word" in response.content.decode()
    assert not Source.objects.exists()


def test_disable_weight_and_delete(curator_client, topic):
    source = services.source_create(topic=topic, by=None, kind="feed", url="https://a.example/f")

    curator_client.post(page_url(topic, "toggle", source.pk))
    source.refresh_from_db()
    assert not source.enabled
    curator_client.post(page_url(topic, "toggle", source.pk))
    source.refresh_from_db()
    assert source.enabled

    curator_client.post(page_url(topic, "weight", source.pk), {"weight": "2.5"})
    source.refresh_from_db()
    assert source.weight == 2.5
    curator_client.post(page_url(topic, "weight", source.pk), {"weight": "-1"})
    source.refresh_from_db()
    assert source.weight == 2.5

    curator_client.post(page_url(topic, "delete", source.pk))
    assert not Source.objects.exists()


def test_a_source_of_another_topic_cannot_be_touched(curator_client, topic, make_user):
    from veille.topics.services import topic_create

    other = topic_create(by=make_user(), title="Other", slug="other")
    theirs = services.source_create(topic=other, by=None, kind="feed", url="https://o.example/f")

    assert curator_client.post(page_url(topic, "delete", theirs.pk)).status_code == 404
    assert Source.objects.filter(pk=theirs.pk).exists()


def test_opml_upload_and_download(curator_client, topic):
    opml = (
        b'<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
        b'<outline text="News"><outline text="A" type="rss" xmlUrl="https://a.example/feed"/>'
        b'<outline text="B" type="rss" xmlUrl="https://b.example/rss"/></outline></body></opml>'
    )
    upload = SimpleUploadedFile("feeds.opml", opml, content_type="text/x-opml")

    response = curator_client.post(page_url(topic, "import"), {"file": upload})

    assert response.status_code == 302
    assert Source.objects.filter(topic=topic).count() == 2
    download = curator_client.get(page_url(topic, "export"))
    assert download["Content-Type"].startswith("text/x-opml")
    assert b'xmlUrl="https://a.example/feed"' in download.content


def test_a_file_that_is_not_opml_is_refused_with_the_reason(curator_client, topic):
    upload = SimpleUploadedFile("feeds.opml", b"<html><body>no</body></html>")

    response = curator_client.post(page_url(topic, "import"), {"file": upload})

    assert response.status_code == 400
    assert "not an OPML file" in response.content.decode()


def test_poll_now_makes_every_source_due_and_queues_a_poll(
    curator_client, topic, feed_site, ingestion, django_capture_on_commit_callbacks
):
    source = services.source_create(
        topic=topic,
        by=None,
        kind="feed",
        url=feed_site.feed("/p.xml", make_rss("P", [])),
        poll=False,
    )
    Source.objects.update(next_poll_at=timezone.now() + timedelta(hours=5))

    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(page_url(topic, "poll"))

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.last_polled_at is not None  # the queued poll ran (immediate mode)
    assert source.title == "P"


def test_the_page_query_count_does_not_grow_with_sources(curator_client, topic):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert curator_client.get(page_url(topic)).status_code == 200
        return len(captured)

    services.source_create(topic=topic, by=None, kind="feed", url="https://q0.example/f")
    few = queries()
    for i in range(1, 15):
        services.source_create(topic=topic, by=None, kind="feed", url=f"https://q{i}.example/f")
    services.source_create(topic=topic, by=None, kind="keyword", query="toulouse")
    Source.objects.update(
        failing_since=timezone.now() - timedelta(days=3), last_error="the server answered HTTP 500"
    )

    assert queries() == few
