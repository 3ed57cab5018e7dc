"""Polling feeds served by a local server: conditional GET, redirects, 410, Retry-After, back-off,
bad input, and what reaches ingestion."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
from django.utils import timezone

from veille.sources.models import Source
from veille.sources.poller import poll_all, poll_due

from .conftest import feed_bytes, make_rss

pytestmark = pytest.mark.django_db

MIN = 15 * 60


def urls(prefix: str, count: int = 3) -> list[str]:
    return [f"https://{prefix}.example/post/{i}" for i in range(count)]


def reload(source: Source) -> Source:
    source.refresh_from_db()
    return source


def test_a_due_feed_is_fetched_parsed_and_handed_to_ingestion(feed_site, make_source, ingestion):
    url = feed_site.feed("/news.xml", make_rss("News", urls("news")), etag='"v1"')
    source = make_source(url)

    report = poll_due()

    assert report.claimed == 1 and report.updated == 1 and report.new_items == 3
    assert ingestion.urls(source) == urls("news")
    source = reload(source)
    assert source.title == "News"
    assert source.site_url == "https://news.example/"
    assert source.etag == '"v1"'
    assert source.last_new_count == 3
    assert source.next_poll_at > timezone.now() + timedelta(minutes=14)
    assert source.lease_expires_at is None and source.claim_token == ""


def test_not_modified_answers_cost_no_parsing_and_no_ingestion(feed_site, make_source, ingestion):
    modified = "Tue, 03 Jun 2025 10:00:00 GMT"
    url = feed_site.feed("/f.xml", make_rss("F", urls("f")), etag='"abc"', last_modified=modified)
    source = make_source(url)
    poll_due()
    interval = reload(source).poll_interval

    report = poll_due(force=True)

    assert report.unchanged == 1 and report.updated == 0
    assert len(ingestion.calls) == 1
    _path, headers = feed_site.requests[-1]
    assert headers["If-None-Match"] == '"abc"'
    assert headers["If-Modified-Since"] == modified
    assert reload(source).poll_interval == int(interval * 1.5)  # quiet: polled less often


def test_an_identical_body_without_validators_counts_as_unchanged(
    feed_site, make_source, ingestion
):
    source = make_source(feed_site.feed("/plain.xml", make_rss("Plain", urls("plain"))))
    poll_due()

    report = poll_due(force=True)

    assert report.unchanged == 1
    assert len(ingestion.calls) == 1
    assert reload(source).content_hash


def test_a_changed_feed_goes_to_ingestion_again(feed_site, make_source, ingestion):
    source = make_source(feed_site.feed("/c.xml", make_rss("C", urls("c", 2))))
    poll_due()
    feed_site.feed("/c.xml", make_rss("C", urls("c", 3)))

    report = poll_due(force=True)

    assert report.new_items == 1 and report.duplicates == 2
    assert reload(source).last_new_count == 1


@pytest.mark.parametrize("status", [301, 308])
def test_a_permanent_redirect_updates_the_stored_url(feed_site, make_source, ingestion, status):
    new_url = feed_site.feed("/new.xml", make_rss("Moved", urls("moved")))
    feed_site.redirect("/old.xml", new_url, status=status)
    source = make_source(feed_site.url("/old.xml"))

    poll_due()

    assert reload(source).url == new_url
    assert ingestion.urls(source) == urls("moved")


def test_a_temporary_redirect_keeps_the_stored_url(feed_site, make_source, ingestion):
    new_url = feed_site.feed("/elsewhere.xml", make_rss("Tmp", urls("tmp")))
    feed_site.redirect("/stay.xml", new_url, status=302)
    source = make_source(feed_site.url("/stay.xml"))

    poll_due()

    assert reload(source).url == feed_site.url("/stay.xml")


def test_gone_disables_the_source_with_a_clear_error(feed_site, make_source, ingestion):
    feed_site.add("/gone.xml", "gone", status=410)
    source = make_source(feed_site.url("/gone.xml"))

    report = poll_due()

    assert report.disabled == 1
    source = reload(source)
    assert not source.enabled
    assert source.next_poll_at is None
    assert "gone (HTTP 410)" in source.last_error
    assert poll_due(force=True).claimed == 0  # a disabled source is not polled


def test_retry_after_in_seconds_delays_the_next_attempt(feed_site, make_source, ingestion):
    feed_site.add("/busy.xml", "busy", status=503, headers={"Retry-After": "7200"})
    source = make_source(feed_site.url("/busy.xml"))

    poll_due()

    source = reload(source)
    assert source.last_error == "the server answered HTTP 503"
    assert source.next_poll_at >= source.last_polled_at + timedelta(seconds=7200)


def test_retry_after_as_an_http_date_delays_the_next_attempt(feed_site, make_source, ingestion):
    when = timezone.now().replace(microsecond=0) + timedelta(hours=5)
    header = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    feed_site.add("/slowdown.xml", "later", status=429, headers={"Retry-After": header})
    source = make_source(feed_site.url("/slowdown.xml"))

    poll_due()

    assert reload(source).next_poll_at == when


def test_retry_after_on_a_success_is_a_lower_bound(feed_site, make_source, ingestion):
    body = make_rss("R", urls("r"))
    source = make_source(feed_site.feed("/r.xml", body, headers={"Retry-After": "36000"}))

    poll_due()

    source = reload(source)
    assert source.error_count == 0
    assert source.next_poll_at >= source.last_polled_at + timedelta(seconds=36000)


def test_errors_back_off_exponentially_and_a_success_resets(feed_site, make_source, ingestion):
    feed_site.add("/flaky.xml", "oops", status=500)
    source = make_source(feed_site.url("/flaky.xml"))
    waits, first_failure = [], None

    for _ in range(4):
        poll_due(force=True)
        source = reload(source)
        waits.append((source.next_poll_at - source.last_polled_at).total_seconds())
        first_failure = first_failure or source.failing_since

    assert waits == [MIN, 2 * MIN, 4 * MIN, 8 * MIN]
    assert source.error_count == 4
    assert source.failing_since == first_failure
    feed_site.feed("/flaky.xml", make_rss("Flaky", urls("flaky")))
    poll_due(force=True)
    source = reload(source)
    assert (source.error_count, source.last_error, source.failing_since) == (0, "", None)
    assert source.last_error_at is not None  # when it last failed stays known


def _gzip_bomb() -> bytes:
    return gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=9)


BAD_INPUTS = {
    "malformed": (feed_bytes("malformed.xml"), {}, "malformed XML at line 7"),
    "html": (feed_bytes("html-page.html"), {}, "not a feed: the server sent an HTML page"),
    "empty": (b"", {}, "empty feed"),
    "bomb": (_gzip_bomb(), {"headers": {"Content-Encoding": "gzip"}}, "larger than"),
    "huge": (b"<rss>" + b" " * (3 * 1024 * 1024), {}, "larger than"),
    "slow": (make_rss("Slow", urls("slow")), {"delay": 3}, "timed out"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_ends_as_an_error_on_its_source_and_the_batch_goes_on(
    feed_site, make_source, ingestion, settings, name
):
    settings.POLL_TIMEOUT = 1
    settings.FEED_MAX_BYTES = 1024 * 1024
    body, options, message = BAD_INPUTS[name]
    bad = make_source(feed_site.feed(f"/{name}.xml", body, **options))
    good = make_source(feed_site.feed("/good.xml", make_rss("Good", urls("good"))))

    report = poll_due()

    assert report.errors == 1 and report.updated == 1
    bad = reload(bad)
    assert message in bad.last_error
    assert bad.error_count == 1 and bad.enabled
    assert ingestion.urls(good) == urls("good")


def test_wrongly_encoded_feed_is_no_error(feed_site, make_source, ingestion):
    source = make_source(feed_site.feed("/enc.xml", feed_bytes("wrong-encoding.xml")))

    poll_due()

    assert reload(source).title == "Café des réseaux"


def test_an_ingestion_failure_rolls_back_and_is_an_error(feed_site, make_source, ingestion):
    source = make_source(feed_site.feed("/x.xml", make_rss("X", urls("x")), etag='"1"'))
    ingestion.fail_for.add(source.pk)

    report = poll_due()

    assert report.errors == 1
    source = reload(source)
    assert "could not be stored" in source.last_error
    assert source.etag == "" and source.content_hash == ""  # next time, the whole feed again
    ingestion.fail_for.clear()
    poll_due(force=True)
    assert ingestion.urls(source) == urls("x")


def test_feed_ttl_is_honoured_as_the_shortest_interval(feed_site, make_source, ingestion):
    body = make_rss("Ttl", urls("ttl"), channel_extra="<ttl>240</ttl>")
    source = make_source(feed_site.feed("/ttl.xml", body))

    poll_due()

    source = reload(source)
    assert source.ttl_hint == 240 * 60
    assert source.poll_interval == 240 * 60


def test_news_shortens_the_interval(feed_site, make_source, ingestion):
    source = make_source(feed_site.feed("/n.xml", make_rss("N", urls("n"))))

    poll_due()

    assert reload(source).poll_interval == 1800  # from the default hour


def test_fetches_per_host_are_capped(feed_site, make_source, ingestion, settings):
    settings.POLL_PER_HOST = 2
    for i in range(5):
        make_source(feed_site.feed(f"/p{i}.xml", make_rss("P", urls(f"p{i}")), delay=1.0))

    report = poll_due()

    assert report.updated == 5, report.failures
    assert feed_site.most_in_flight == 2  # never more, and the two slots were used together


def test_a_batch_polls_at_most_its_limit(feed_site, make_source, ingestion):
    for i in range(5):
        make_source(feed_site.feed(f"/b{i}.xml", make_rss("B", urls(f"b{i}"))))

    assert poll_due(limit=2).claimed == 2
    assert poll_due(limit=2).claimed == 2
    assert poll_due(limit=2).claimed == 1
    assert poll_due(limit=2).claimed == 0  # the others are not due again yet


def test_poll_all_with_force_polls_every_source_once(feed_site, make_source, ingestion, settings):
    settings.POLL_BATCH = 2
    sources = [
        make_source(feed_site.feed(f"/a{i}.xml", make_rss("A", urls(f"a{i}")))) for i in range(5)
    ]
    assert poll_all().updated == 5  # batch after batch
    assert poll_all().claimed == 0  # nothing due any more

    report = poll_all(force=True)

    assert report.claimed == 5 and report.unchanged == 5
    assert all(reload(s).last_polled_at for s in sources)


def test_force_and_topic_select_what_is_polled(feed_site, make_source, ingestion, make_user):
    from veille.sources import services
    from veille.topics.services import topic_create

    other_topic = topic_create(by=make_user(), title="Other", slug="other")
    mine = make_source(feed_site.feed("/mine.xml", make_rss("Mine", urls("mine"))))
    services.source_create(
        topic=other_topic, by=None, kind="feed", url=feed_site.feed("/o.xml", make_rss("O", []))
    )
    Source.objects.update(next_poll_at=timezone.now() + timedelta(hours=1))

    assert poll_due().claimed == 0
    report = poll_due(topic=mine.topic, force=True)

    assert report.claimed == 1
    assert ingestion.urls(mine) == urls("mine")


def test_keyword_sources_are_never_polled(topic, curator, ingestion):
    from veille.sources import services

    services.source_create(topic=topic, by=curator, kind="keyword", query="toulouse -football")

    assert poll_due(force=True).claimed == 0


def _in_one_group(monkeypatch) -> None:
    """Every answer of the batch handed over together, as under load."""
    from veille.sources import fetching

    monkeypatch.setattr(fetching, "HANDOVER_SIZE", 1000)
    monkeypatch.setattr(fetching, "HANDOVER_SECONDS", 3600)


def test_feeds_fetched_together_are_stored_together(feed_site, make_source, ingestion, monkeypatch):
    _in_one_group(monkeypatch)
    groups = []
    many = ingestion.ingest_many

    def recording(batch, also=None):
        groups.append([source.pk for source, _ in batch])
        return many(batch, also)

    from veille.suggestions import services

    monkeypatch.setattr(services, "ingest_many", recording)
    sources = [
        make_source(feed_site.feed(f"/g{n}.xml", make_rss("G", urls(f"g{n}")))) for n in range(3)
    ]

    report = poll_due()

    assert report.updated == 3 and report.new_items == 9
    assert [sorted(group) for group in groups] == [sorted(s.pk for s in sources)]
    assert all(reload(s).last_new_count == 3 for s in sources)


def test_one_failing_source_in_a_group_fails_alone(feed_site, make_source, ingestion, monkeypatch):
    _in_one_group(monkeypatch)
    good = make_source(feed_site.feed("/good.xml", make_rss("Good", urls("good")), etag='"1"'))
    bad = make_source(feed_site.feed("/bad.xml", make_rss("Bad", urls("bad")), etag='"1"'))
    ingestion.fail_for.add(bad.pk)

    report = poll_due()

    assert (report.updated, report.errors, report.new_items) == (1, 1, 3)
    # Handed over twice when it came first: in the group that failed, then on its own.
    assert set(ingestion.urls(good)) == set(urls("good"))
    assert reload(good).etag == '"1"' and reload(good).last_error == ""
    assert "could not be stored" in reload(bad).last_error and reload(bad).etag == ""


def test_a_run_goes_batch_after_batch_and_stops_after_a_short_one(
    feed_site, make_source, ingestion, settings, monkeypatch
):
    from veille.sources import poller

    settings.POLL_BATCH = 2
    for n in range(5):
        make_source(feed_site.feed(f"/b{n}.xml", make_rss("B", urls(f"b{n}"))))
    claims = []
    real_claim = poller.claim
    monkeypatch.setattr(poller, "claim", lambda **kw: claims.append(real_claim(**kw)) or claims[-1])

    report = poll_all()

    assert report.claimed == 5 and report.new_items == 15
    assert [len(batch) for batch in claims] == [2, 2, 1]  # no claim after the short batch
