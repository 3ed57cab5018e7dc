"""Fixtures of the suggestions tests: sources made as rows, entries as the poller hands them."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from veille.sources.entries import FeedEntry
from veille.sources.models import Source, SourceKind
from veille.suggestions import profiles

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_profiles():
    """Profiles are cached per process by topic id, and ids come back between tests."""
    profiles.forget()
    yield
    profiles.forget()


@pytest.fixture
def make_source(topic):
    def make(title=None, *, kind=SourceKind.FEED, in_topic=None, query="", weight=1.0, **fields):
        number = next(_numbers)
        url = "" if kind == SourceKind.KEYWORD else f"https://feeds{number}.example.org/rss"
        return Source.objects.create(
            topic=in_topic or topic,
            kind=kind,
            url=fields.pop("url", url),
            title=title if title is not None else f"Feed {number}",
            query=query,
            weight=weight,
            **fields,
        )

    return make


@pytest.fixture
def feed(make_source):
    return make_source("La Dépêche")


def entry(title, summary="", *, url=None, hours_ago=1, **fields) -> FeedEntry:
    """A FeedEntry as the poller makes it (summary already sanitized)."""
    number = next(_numbers)
    return FeedEntry(
        url=url or f"https://news.example.org/articles/{number}",
        title=title,
        summary_html=f"<p>{summary}</p>" if summary else "",
        published=timezone.now() - dt.timedelta(hours=hours_ago),
        **fields,
    )
