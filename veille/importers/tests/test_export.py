import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from veille.importers import netscape
from veille.importers.export import FORMATS
from veille.importers.selectors import account_scope, topic_scope
from veille.importers.tests.veille_data import build
from veille.sources.opml import read_opml
from veille.topics.models import Topic


def export(name: str, scope) -> str:
    return "".join(FORMATS[name].lines(scope))


@pytest.fixture
def data(make_user):
    return build(make_user)


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_json_export_starts_with_a_header_without_the_export_time(data):
    topic, _other = data
    lines = records(export("json", topic_scope(topic=topic)))
    assert lines[0] == {
        "format": "veille",
        "version": 1,
        "instance": "http://127.0.0.1:8000",
        "topic": "toulouse-networks",
    }
    assert [line.get("type") for line in lines[1:]] == [
        "user", "user", "user", "user", "topic", "source", "source", "source",
        "scoop", "scoop", "comment", "comment", "comment", "scoop", "scoop",
    ]  # fmt: skip


def test_json_export_holds_insights_credits_and_comments(data):
    topic, _other = data
    lines = records(export("json", topic_scope(topic=topic)))
    scoops = {line["title"]: line for line in lines if line.get("type") == "scoop"}
    first = scoops["Mastodon, le réseau social décentralisé"]
    assert first["insight_markdown"] == "À **suivre** : la communauté toulousaine."
    assert first["insight_html"].startswith("<p>À <strong>suivre</strong>")
    assert (first["tags"], first["pinned"], first["thanks_count"]) == (
        ["Réseaux", "mastodon"],
        True,
        1,
    )
    rescoop = scoops["ActivityPub"]
    assert rescoop["origin"] == rescoop["root"] and rescoop["origin"] != rescoop["id"]
    comments = [line for line in lines if line.get("type") == "comment"]
    assert {(c.get("author"), c["hidden"], c["scoop"]) for c in comments} == {
        ("rita", False, first["id"]),
        ("ben", True, first["id"]),
        (None, False, first["id"]),
    }
    (reply,) = [c for c in comments if "remote_author" in c]
    assert reply == {
        "type": "comment",
        "scoop": first["id"],
        "remote_author": {
            "uri": "https://mastodon.example/users/lea",
            "username": "lea",
            "name": "Léa Martin",
            "url": "https://mastodon.example/@lea",
        },
        "ap_id": "https://mastodon.example/users/lea/statuses/110",
        "body_html": reply["body_html"],
        "hidden": False,
        "created_at": reply["created_at"],
    }
    assert reply["body_html"].startswith('<p>Super <a href="https://example.org/"')
    assert 'rel="nofollow' in reply["body_html"]  # sanitized as stored
    assert scoops["Un brouillon"]["status"] == "draft"


def test_exports_are_the_same_bytes_every_time(data):
    topic, _other = data
    for name in FORMATS:
        assert export(name, topic_scope(topic=topic)) == export(name, topic_scope(topic=topic))


def test_bookmark_export_reads_back_with_our_bookmark_reader(data):
    topic, _other = data
    links = list(netscape.parse(io.StringIO(export("html", topic_scope(topic=topic)))))
    by_title = {link.title: link for link in links}
    assert len(links) == 4
    assert by_title["Mastodon, le réseau social décentralisé"].tags == ("Réseaux", "mastodon")
    assert by_title["Mastodon, le réseau social décentralisé"].description.startswith(
        "À **suivre**"
    )
    assert by_title["Un brouillon"].private  # drafts stay private
    assert by_title["Un brouillon"].url.startswith("http://127.0.0.1:8000/topic/toulouse-networks/")


def test_an_account_bookmark_export_has_a_folder_per_topic(data):
    topic, _other = data
    jacques = topic.curators.get(role="owner").user
    links = list(netscape.parse(io.StringIO(export("html", account_scope(user=jacques)))))
    assert {link.tags[-1] for link in links} == {"Toulouse networks"}


def test_csv_export_has_one_row_per_scoop(data):
    topic, _other = data
    rows = list(csv.DictReader(io.StringIO(export("csv", topic_scope(topic=topic)))))
    assert [row["title"] for row in rows][0] == "Un brouillon"  # no date: first
    first = next(row for row in rows if row["title"].startswith("Mastodon"))
    assert first == {
        "url": "https://joinmastodon.org/fr",
        "title": "Mastodon, le réseau social décentralisé",
        "excerpt": "Un réseau libre.",
        "insight": "À **suivre** : la communauté toulousaine.",
        "tags": "Réseaux, mastodon",
        "published_at": "2024-03-01T09:30:00Z",
        "curator": "jacques",
        "status": "published",
    }


def test_opml_export_lists_the_sources_for_feed_readers(data):
    topic, _other = data
    reading = read_opml(export("opml", topic_scope(topic=topic)).encode())
    assert reading.title == "Toulouse networks"
    assert {(s.kind, s.url or s.query) for s in reading.sources} == {
        ("feed", "https://www.ladepeche.fr/rss.xml"),
        ("site", "https://www.toulouse.fr/"),
        ("keyword", "mastodon toulouse"),
    }


def test_veille_export_writes_the_file_with_progress_on_stderr(data, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    path = tmp_path / "topic.jsonl"
    call_command(
        "export", "--topic", "toulouse-networks", "--output", str(path),
        "--progress-every", "5", stdout=out, stderr=err,
    )  # fmt: skip
    assert path.read_text(encoding="utf-8") == export(
        "json", topic_scope(topic=Topic.objects.get(slug="toulouse-networks"))
    )
    assert err.getvalue().splitlines() == [
        "5 records…",
        "10 records…",
        "15 records…",
        "16 records exported.",
    ]
    assert not list(tmp_path.glob("*.partial"))


def test_veille_export_of_an_account_in_csv(data, tmp_path):
    path = tmp_path / "ben.csv"
    call_command(
        "export", "--user", "ben", "--format", "csv", "--output", str(path), stderr=io.StringIO()
    )
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [row["title"] for row in rows] == [
        "ActivityPub",
        "Mastodon, le réseau social décentralisé",
    ]


def test_veille_export_names_what_it_cannot_find(db, tmp_path):
    with pytest.raises(CommandError, match="No topic at the address nope"):
        call_command("export", "--topic", "nope", "--output", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="No account named nobody"):
        call_command("export", "--user", "nobody", "--output", str(tmp_path / "x"))


def test_csv_cells_that_spreadsheets_would_run_are_quoted(topic, make_scoop):
    make_scoop('=HYPERLINK("https://evil.example")', url="https://example.org/x", insight="+1")
    rows = list(csv.DictReader(io.StringIO(export("csv", topic_scope(topic=topic)))))
    assert (rows[0]["title"], rows[0]["insight"]) == ('\'=HYPERLINK("https://evil.example")', "'+1")
    assert rows[0]["url"] == "https://example.org/x"


def test_veille_export_to_stdout(data):
    out = io.StringIO()
    call_command(
        "export",
        "--topic",
        "fediverse",
        "--format",
        "csv",
        "--output",
        "-",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert out.getvalue().startswith(
        "url,title,excerpt,insight,tags,published_at,curator,status\r\n"
    )
    assert out.getvalue().count("\r\n") == 3
