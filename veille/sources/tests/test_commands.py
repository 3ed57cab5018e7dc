"""`veille sources`, `veille poll` and `veille feed inspect`: output, JSON lines, exit statuses."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from veille.sources import services
from veille.sources.models import Source

from .conftest import FEEDS, make_rss


def run(*args) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return out.getvalue(), err.getvalue(), exit_.code
    return out.getvalue(), err.getvalue(), 0


def test_feed_inspect_json_prints_one_line_per_feed_in_order_and_exits_2_on_errors(local_site):
    local_site.add(
        "/atom", (FEEDS / "atom10.xml").read_bytes(), content_type="application/atom+xml"
    )
    names = [str(FEEDS / "rss20.xml"), str(FEEDS / "malformed.xml"), local_site.url("/atom")]
    names += [local_site.url("/missing"), "no-such-file.xml"]

    out, _err, status = run("feed", "inspect", *names, "--json")

    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["feed"] for line in lines] == names
    assert lines[0]["title"] == "La Dépêche Éco & Réseaux"
    assert len(lines[0]["entries"]) == 5
    assert lines[0]["entries"][0]["published"] == "2025-06-03T07:39:21+00:00"
    assert lines[1]["error"].startswith("malformed XML at line 7")
    assert lines[2]["entries"][0]["url"] == "https://blog.pinkcity.example/en/posts/meetups-june"
    assert lines[3]["error"] == "the server answered HTTP 404"
    assert lines[4]["error"] == "no such file, and not an http(s) URL"
    assert status == 2


def test_feed_inspect_exits_0_when_every_feed_reads(tmp_path):
    out, _err, status = run("feed", "inspect", str(FEEDS / "jsonfeed11.json"))

    assert status == 0
    assert "Toulouse Open Data Notes" in out and "https://notes.example/n/1" in out


def test_feed_inspect_never_shows_a_traceback(tmp_path):
    weird = tmp_path / "weird.xml"
    weird.write_bytes(b"\x00\x01\x02<rss")

    _out, err, status = run("feed", "inspect", str(weird))

    assert status == 2
    assert "error:" in err and "Traceback" not in err


@pytest.mark.django_db
def test_sources_add_discovers_and_prints_what_it_added(topic, local_site):
    local_site.add("/feed.xml", make_rss("Found", []), content_type="application/rss+xml")
    local_site.add("/", '<link rel="alternate" type="application/rss+xml" href="/feed.xml">')

    out, err, status = run(
        "sources", "add", topic.slug, local_site.url("/"), local_site.url("/404")
    )

    assert f"added feed: Found <{local_site.url('/feed.xml')}>" in out
    assert "answered HTTP 404" in err
    assert status == 2
    assert Source.objects.get(topic=topic).url == local_site.url("/feed.xml")


@pytest.mark.django_db
def test_sources_commands_refuse_an_unknown_topic():
    with pytest.raises(CommandError, match="No topic with the address nope"):
        call_command("sources", "list", "nope")


@pytest.mark.django_db
def test_sources_import_then_export_and_list(topic, tmp_path):
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/feed"/>'
        '<outline text="Broken" xmlUrl="notaurl"/></body></opml>'
    )

    out, err, status = run("sources", "import", topic.slug, str(opml))

    assert "1 added, 0 already there, 1 skipped." in out
    assert "outline 'Broken'" in err and status == 2
    exported = tmp_path / "out.opml"
    run("sources", "export", topic.slug, "--output", str(exported))
    assert b'xmlUrl="https://a.example/feed"' in exported.read_bytes()
    out, _err, _status = run("sources", "list", topic.slug)
    header, row = out.splitlines()
    assert header.split() == ["kind", "title", "url", "next", "poll", "last", "error"]
    assert row.startswith("feed") and "https://a.example/feed" in row


@pytest.mark.django_db
def test_sources_import_of_a_file_that_is_not_opml_fails(topic, tmp_path):
    bad = tmp_path / "bad.opml"
    bad.write_text("<html></html>")

    with pytest.raises(CommandError, match="not an OPML file"):
        call_command("sources", "import", topic.slug, str(bad))


@pytest.mark.django_db
def test_poll_wait_polls_here_and_summarizes(topic, feed_site, ingestion):
    good = feed_site.feed("/good.xml", make_rss("Good", ["https://g.example/1"]))
    feed_site.add("/bad.xml", "x", status=500)
    for url in (good, feed_site.url("/bad.xml")):
        services.source_create(topic=topic, by=None, kind="feed", url=url, poll=False)

    out, err, status = run("poll", "--topic", topic.slug, "--wait")

    assert status == 0
    assert "Polled 2 sources" in out and "1 read (1 new items)" in out and "1 errors" in out
    assert "the server answered HTTP 500" in err
    out, _err, _status = run("poll", "--wait")
    assert "Polled 0 sources" in out  # nothing due any more
    out, _err, _status = run("poll", "--wait", "--force")
    assert "Polled 2 sources" in out


@pytest.mark.django_db
def test_poll_without_wait_queues_the_poll(topic, feed_site, ingestion):
    url = feed_site.feed("/q.xml", make_rss("Queued", ["https://q.example/1"]))
    source = services.source_create(topic=topic, by=None, kind="feed", url=url, poll=False)

    out, _err, _status = run("poll")

    assert "Poll queued." in out
    source.refresh_from_db()
    assert source.last_polled_at is not None  # tests run the queue in immediate mode
