"""OPML in and out: tolerant reading, problems named by element, and a lossless round trip."""

from __future__ import annotations

import pytest
from django.utils import timezone

from veille.sources import selectors, services
from veille.sources.models import Source
from veille.sources.opml import OpmlError, read_opml, write_opml

READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="Toulouse" title="Toulouse">
      <outline text="Eco" title="La D\xc3\xa9p\xc3\xaache Eco" type="rss"
               xmlUrl="https://eco.example/feed/" htmlUrl="https://eco.example/"/>
      <outline text="Deep">
        <outline text="Science" type="rss" XMLURL="HTTPS://Science.Example/rss#top"/>
      </outline>
    </outline>
    <outline text="Only a site" type="link" htmlUrl="https://site.example/"/>
    <outline text="Bad address" type="rss" xmlUrl="ftp://files.example/feed"/>
    <outline type="rss" xmlUrl="https://untitled.example/atom"/>
  </body>
</opml>
"""


def test_reading_flattens_nested_outlines_and_matches_attributes_without_case():
    reading = read_opml(READER_EXPORT)

    assert reading.title == "Subscriptions"
    assert [(s.url, s.title) for s in reading.sources] == [
        ("https://eco.example/feed/", "La Dépêche Eco"),
        ("https://science.example/rss", "Science"),
        ("https://untitled.example/atom", ""),
    ]
    assert reading.sources[0].site_url == "https://eco.example/"


def test_unusable_outlines_are_reported_with_their_line_and_text():
    problems = read_opml(READER_EXPORT).problems

    assert problems[0] == "line 12, outline 'Only a site': no xmlUrl"
    assert problems[1].startswith("line 13, outline 'Bad address': Only http and https URLs")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<opml><body><outline", "malformed OPML at line 1"),
        (b"<rss version='2.0'><channel/></rss>", "not an OPML file: the root element is <rss>"),
        (b"<opml version='2.0'><head/></opml>", "not an OPML file: it has no <body> element"),
    ],
)
def test_a_file_that_is_not_opml_says_why(data, message):
    with pytest.raises(OpmlError) as error:
        read_opml(data)

    assert str(error.value).startswith(message)


@pytest.mark.django_db
def test_import_adds_each_feed_once(topic, curator):
    first = services.opml_import(topic=topic, by=curator, data=READER_EXPORT)
    again = services.opml_import(topic=topic, by=curator, data=READER_EXPORT)

    assert len(first.added) == 3 and len(first.problems) == 2
    assert (len(again.added), again.existing) == (0, 3)
    assert Source.objects.filter(topic=topic, kind="feed").count() == 3


@pytest.mark.django_db
def test_export_then_import_gives_back_the_same_sources(topic, curator, make_user):
    from veille.topics.services import topic_create

    for kind, url, title in [
        ("feed", "https://a.example/feed", "A & B"),
        ("site", "https://b.example/news/", "B site"),
        ("sitemap", "https://c.example/sitemap.xml", ""),
    ]:
        services.source_create(topic=topic, by=curator, kind=kind, url=url, title=title)
    services.source_create(topic=topic, by=curator, kind="keyword", query='"réseau" -foot')
    exported = write_opml(
        title=topic.title, sources=selectors.sources_for_topic(topic=topic), now=timezone.now()
    )
    copy = topic_create(by=make_user(), title="Copy", slug="copy")

    report = services.opml_import(topic=copy, by=None, data=exported)

    assert report.problems == []

    def described(t):
        rows = Source.objects.filter(topic=t).order_by("kind", "url")
        return [(s.kind, s.url, s.title, s.query) for s in rows]

    assert described(copy) == described(topic)
