"""Fixtures of the sources tests: the feed corpus, and a recording stand-in for ingestion."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from veille.sources.entries import IngestResult
from veille.sources.models import Source
from veille.sources.tests.standin_poll import ingest_each

FEEDS = Path(__file__).parent / "feeds"


def feed_bytes(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


@dataclass
class Ingestion:
    """What the poller handed to ``veille.suggestions.services.ingest``: a stand-in that is
    idempotent on the entry URL within a topic, as the real one is on the canonical URL."""

    calls: list[tuple[int, list[str]]] = field(default_factory=list)
    seen: dict[int, set[str]] = field(default_factory=dict)
    fail_for: set[int] = field(default_factory=set)  # source ids whose ingestion raises

    def __call__(self, *, source: Source, entries) -> IngestResult:
        if source.pk in self.fail_for:
            raise RuntimeError("ingestion exploded")
        urls = [entry.url for entry in entries]
        self.calls.append((source.pk, urls))
        seen = self.seen.setdefault(source.topic_id, set())
        new = [url for url in urls if url not in seen]
        seen.update(new)
        return IngestResult(new=len(new), duplicates=len(urls) - len(new))

    def ingest_many(self, batch, also=None) -> list[IngestResult]:
        saved = {topic_id: set(urls) for topic_id, urls in self.seen.items()}
        try:
            return ingest_each(self, batch, also)
        except Exception:
            self.seen = saved  # forgotten, as the real rows are rolled back
            raise

    def urls(self, source: Source) -> list[str]:
        return [url for pk, urls in self.calls if pk == source.pk for url in urls]


def install_ingest(monkeypatch, function) -> None:
    """Put ``function`` (and ``ingest_many`` made of it) where the poller looks for them."""
    try:
        from veille.suggestions import services
    except ImportError:
        import veille.suggestions

        services = types.ModuleType("veille.suggestions.services")
        monkeypatch.setitem(sys.modules, "veille.suggestions.services", services)
        monkeypatch.setattr(veille.suggestions, "services", services, raising=False)
    monkeypatch.setattr(services, "ingest", function, raising=False)
    many = getattr(function, "ingest_many", None) or (
        lambda batch, also=None: ingest_each(function, batch, also)
    )
    monkeypatch.setattr(services, "ingest_many", many, raising=False)


@pytest.fixture
def ingestion(monkeypatch) -> Ingestion:
    recorder = Ingestion()
    install_ingest(monkeypatch, recorder)
    return recorder


@pytest.fixture
def make_source(topic, curator):
    from veille.sources import services

    def make(url, *, kind="feed", **fields) -> Source:
        return services.source_create(topic=topic, by=curator, kind=kind, url=url, **fields)

    return make


class FeedSite:
    """The shared ``local_site`` server, answering 304 to matching validators and counting the
    requests it is serving at once."""

    def __init__(self, site) -> None:
        import threading

        self.site = site
        self.validators: dict[str, tuple[str, str]] = {}  # path -> (etag, last-modified)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._answer = site._answer
        site._answer = self._conditional_answer

    def __getattr__(self, name):
        return getattr(self.site, name)

    def feed(self, path, body, *, etag="", last_modified="", **options) -> str:
        headers = dict(options.pop("headers", {}))
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        self.validators[path] = (etag, last_modified)
        content_type = options.pop("content_type", "application/rss+xml; charset=utf-8")
        self.site.add(path, body, content_type=content_type, headers=headers, **options)
        return self.site.url(path)

    def _conditional_answer(self, handler, *, body: bool):
        with self._lock:
            self.requests.append((handler.path, dict(handler.headers)))
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self._not_modified(handler):
                self.site.hits.append(handler.path)
                handler.send_response(304)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            self._answer(handler, body=body)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _not_modified(self, handler) -> bool:
        etag, modified = self.validators.get(handler.path, ("", ""))
        sent_etag = handler.headers.get("If-None-Match")
        sent_modified = handler.headers.get("If-Modified-Since")
        return bool((etag and sent_etag == etag) or (modified and sent_modified == modified))


@pytest.fixture
def feed_site(local_site) -> FeedSite:
    return FeedSite(local_site)


def make_rss(title: str, urls: list[str], *, channel_extra: str = "") -> bytes:
    items = "".join(
        f"<item><title>{title} item {i}</title><link>{url}</link>"
        f"<pubDate>Tue, 03 Jun 2025 09:{i % 60:02d}:00 GMT</pubDate></item>"
        for i, url in enumerate(urls)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://{title.lower()}.example/</link>{channel_extra}"
        f"{items}</channel></rss>"
    ).encode()
