import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from veille.accounts.models import User
from veille.importers import jsonformat as fmt
from veille.importers import jsonimport
from veille.importers.export import FORMATS
from veille.importers.jsonimport import import_json
from veille.importers.models import TopicOrigin
from veille.importers.report import ImportFailed
from veille.importers.selectors import topic_scope
from veille.importers.tests.veille_data import build
from veille.search.selectors import search
from veille.sources.models import Source
from veille.topics.models import Comment, Scoop, Topic

HEADER = {"format": "veille", "version": 1, "instance": "https://other.example", "topic": "t"}
TOPIC = {
    "type": "topic",
    "id": "topic-1",
    "slug": "imported",
    "title": "Imported",
    "curators": [{"username": "zoe", "role": "owner"}],
}


def scoop(n: int, **fields) -> dict:
    return {
        "type": "scoop",
        "id": f"scoop-{n}",
        "topic": "topic-1",
        "curator": "zoe",
        "title": f"Scoop {n}",
        "url": f"https://example.org/{n}",
        "status": "published",
        "published_at": f"2024-01-0{n}T10:00:00Z",
        **fields,
    }


def comment(n: int, **fields) -> dict:
    return {
        "type": "comment",
        "scoop": f"scoop-{n}",
        "author": "yann",
        "body": "Bien vu",
        "hidden": False,
        "created_at": "2024-01-05T10:00:00Z",
        **fields,
    }


def write(tmp_path, *lines, name="export.jsonl"):
    path = tmp_path / name
    text = [line if isinstance(line, str) else json.dumps(line) for line in (HEADER, *lines)]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def outcome(report) -> tuple[int, int, int, int]:
    return report.created, report.updated, report.skipped, report.failed


def test_a_file_makes_the_topic_its_curators_scoops_and_comments(db, tmp_path):
    path = write(tmp_path, TOPIC, scoop(1, tags=["b", "a"]), comment(1), scoop(2))
    report = import_json(path=path)
    assert outcome(report) == (3, 0, 0, 0)
    topic = Topic.objects.get(slug="imported")
    assert TopicOrigin.objects.get(topic=topic).key == "topic-1"
    assert topic.curators.get().user.username == "zoe"
    assert User.objects.get(username="zoe").is_placeholder
    assert Scoop.objects.get(import_key="scoop-1").comments.get().author.username == "yann"
    assert topic.scoop_count == 2


def test_importing_the_same_file_again_changes_nothing(db, tmp_path):
    path = write(tmp_path, TOPIC, scoop(1), comment(1), scoop(2))
    import_json(path=path)
    rows = Scoop.objects.count(), Comment.objects.count(), User.objects.count()
    assert outcome(import_json(path=path)) == (0, 0, 3, 0)
    assert (Scoop.objects.count(), Comment.objects.count(), User.objects.count()) == rows


def test_a_changed_scoop_or_comment_is_updated(db, tmp_path):
    import_json(path=write(tmp_path, TOPIC, scoop(1), comment(1), scoop(2)))
    changed = write(tmp_path, TOPIC, scoop(1), comment(1, hidden=True), scoop(2, title="New"))
    assert outcome(import_json(path=changed)) == (0, 2, 1, 0)
    assert Scoop.objects.get(import_key="scoop-2").title == "New"
    assert Scoop.objects.get(import_key="scoop-1").comment_count == 0


def test_existing_accounts_are_used_and_never_changed(db, tmp_path, make_user):
    zoe = make_user("zoe", display_name="Zoé")
    import_json(path=write(tmp_path, {"type": "user", "username": "zoe", "name": "Z"}, TOPIC))
    zoe.refresh_from_db()
    assert (zoe.display_name, zoe.is_placeholder) == ("Zoé", False)
    assert Topic.objects.get(slug="imported").curators.get().user == zoe


def test_an_address_taken_here_refuses_the_topic_and_skips_its_scoops(db, tmp_path, make_user):
    make_user("imported")  # topic addresses and usernames share one namespace
    report = import_json(path=write(tmp_path, TOPIC, scoop(1), scoop(2)))
    assert outcome(report) == (0, 0, 2, 1)
    assert str(report.failures[0]) == (
        "line 2: the address 'imported' is taken here (import with --rename to use another one)"
    )
    assert not Scoop.objects.exists()


def test_rename_imports_under_a_free_address_and_finds_it_again(db, tmp_path, make_user):
    make_user("imported")
    path = write(tmp_path, TOPIC, scoop(1))
    assert outcome(import_json(path=path, rename=True)) == (2, 0, 0, 0)
    assert Topic.objects.get(import_origin__key="topic-1").slug == "imported-2"
    assert outcome(import_json(path=path, rename=True)) == (0, 0, 2, 0)
    assert Topic.objects.count() == 1


def test_a_line_that_is_not_json_fails_alone(db, tmp_path):
    report = import_json(path=write(tmp_path, TOPIC, scoop(1), '{"type": "scoop", "id":', scoop(2)))
    assert outcome(report) == (3, 0, 0, 1)
    assert str(report.failures[0]).startswith("line 4: not JSON: ")


def test_a_bad_date_fails_its_scoop_with_the_line(db, tmp_path):
    report = import_json(path=write(tmp_path, TOPIC, scoop(1, published_at="yesterday"), scoop(2)))
    assert [str(f) for f in report.failures] == ["line 3: bad date 'yesterday'"]
    assert list(Scoop.objects.values_list("import_key", flat=True)) == ["scoop-2"]


def test_a_bad_comment_fails_its_whole_unit_and_names_its_own_line(db, tmp_path):
    lines = (TOPIC, scoop(1), comment(1), comment(1, created_at=12), scoop(2))
    report = import_json(path=write(tmp_path, *lines))
    assert [str(f) for f in report.failures] == ["line 5: bad date 12"]
    assert not Scoop.objects.filter(import_key="scoop-1").exists()
    assert not Comment.objects.exists()


def test_records_out_of_place_or_unknown_are_failures(db, tmp_path):
    lines = (TOPIC, comment(1), {"type": "badge"}, ["a", "list"], scoop(1, topic="nowhere"))
    report = import_json(path=write(tmp_path, *lines))
    assert [str(f) for f in report.failures] == [
        "line 3: a comment must follow its scoop",
        "line 4: unknown record type 'badge'",
        "line 5: unknown record type None",
    ]
    assert [str(n) for n in report.notices] == [
        "line 6: its topic is neither in the file nor on this instance"
    ]


def test_an_article_the_topic_has_under_another_id_is_skipped(db, tmp_path):
    path = write(tmp_path, TOPIC, scoop(1), scoop(2, id="other", url="https://example.org/1"))
    report = import_json(path=path)
    assert outcome(report) == (2, 0, 1, 0)
    assert "already has this article" in str(report.notices[0])


def test_unsafe_html_and_players_are_not_imported(db, tmp_path):
    unsafe = scoop(
        1,
        excerpt_html='<p onclick="x()">Hi</p><script>bad()</script>',
        insight_markdown="",
        insight_html="<img src=x onerror=alert(1)>",
        embed_src="https://evil.example/embed/1",
        image_url="javascript:alert(1)",
    )
    import_json(path=write(tmp_path, TOPIC, unsafe))
    saved = Scoop.objects.get()
    assert saved.excerpt_html == "<p>Hi</p>"
    assert "onerror" not in saved.insight_html
    assert (saved.embed_src, saved.image_url) == ("", "")


def test_a_file_that_is_not_a_veille_export_is_refused(db, tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text('{"hello": "world"}\n')
    with pytest.raises(ImportFailed, match="not a Veille JSON export"):
        import_json(path=path)
    path.write_text('{"format": "veille", "version": 99}\n')
    with pytest.raises(ImportFailed, match="version 99"):
        import_json(path=path)


def test_a_truncated_file_keeps_every_complete_line(db, tmp_path):
    path = write(tmp_path, TOPIC, scoop(1), scoop(2))
    text = path.read_text()
    path.write_text(text[: len(text) - 40])
    report = import_json(path=path)
    assert outcome(report) == (2, 0, 0, 1)
    assert str(report.failures[0]).startswith("line 4: not JSON")


def test_sources_are_added_once(db, tmp_path):
    feed = {"type": "source", "topic": "topic-1", "kind": "feed", "url": "https://a.example/rss"}
    path = write(tmp_path, TOPIC, {**feed, "title": "A", "weight": 2, "enabled": False})
    assert outcome(import_json(path=path)) == (2, 0, 0, 0)
    assert outcome(import_json(path=path)) == (0, 0, 2, 0)
    source = Source.objects.get()
    assert (source.title, source.weight, source.enabled) == ("A", 2.0, False)


def test_the_export_of_this_instance_imports_back_into_it_as_is(make_user, tmp_path):
    topic, _other = build(make_user)
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(FORMATS["json"].lines(topic_scope(topic=topic))), encoding="utf-8")
    report = import_json(path=path)
    assert (report.created, report.updated, report.failed) == (0, 0, 0)
    assert Topic.objects.count() == 2


def test_ids_of_this_instance_hold_the_creation_time(make_user):
    topic, _other = build(make_user)
    key = fmt.local_key("t", pk=topic.pk, created_at=topic.created_at)
    assert fmt.local_pk(key, "t") == topic.pk
    assert fmt.is_local(key, created_at=topic.created_at)
    assert not fmt.is_local(key, created_at=topic.updated_at.replace(year=2001))
    assert fmt.local_pk(key, "s") is None


def test_veille_import_json_prints_the_report_and_exits_1_on_failures(db, tmp_path):
    path = write(tmp_path, TOPIC, scoop(1, published_at="soon"), scoop(2))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import", "json", str(path), stdout=out, stderr=err)
    assert raised.value.returncode == 1
    assert err.getvalue() == "line 3: bad date 'soon'\n"
    assert out.getvalue() == (
        "Imported into topic “Imported” (imported): 2 created, 0 updated, 0 skipped, 1 failed.\n"
    )


def test_a_line_too_long_to_be_a_record_is_skipped_unread(db, tmp_path, monkeypatch):
    monkeypatch.setattr(jsonimport, "MAX_LINE", 1000)
    path = write(tmp_path, TOPIC, scoop(1, insight_markdown="x" * 5000), scoop(2))
    report = import_json(path=path)
    assert [str(f) for f in report.failures] == ["line 3: a line longer than 16 MB: skipped"]
    assert list(Scoop.objects.values_list("import_key", flat=True)) == ["scoop-2"]


def test_imported_scoops_are_found_by_search(db, tmp_path):
    import_json(path=write(tmp_path, TOPIC, scoop(1, title="Les réseaux de Toulouse"), scoop(2)))
    found = search(q="toulouse", topic="imported")
    assert [r.scoop.title for r in found.results] == ["Les réseaux de Toulouse"]
