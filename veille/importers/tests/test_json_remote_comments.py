"""Replies from the fediverse in a Veille JSON file: found again by their ActivityPub id."""

import pytest
from django.utils import timezone

from veille.federation import blocks
from veille.federation.models import RemoteActor
from veille.importers.jsonimport import import_json
from veille.importers.tests.test_json_import import TOPIC, outcome, scoop, write
from veille.topics.models import Comment, Scoop

pytestmark = pytest.mark.django_db

LEA = "https://mastodon.example/users/lea"


def reply(n: int = 1, **fields) -> dict:
    return {
        "type": "comment",
        "scoop": f"scoop-{n}",
        "remote_author": {
            "uri": LEA,
            "username": "lea",
            "name": "Léa",
            "url": "https://mastodon.example/@lea",
        },
        "ap_id": f"{LEA}/statuses/1",
        "body_html": '<p>Bravo <script>alert(1)</script><a href="https://example.org/">ici</a></p>',
        "hidden": False,
        "created_at": "2024-01-05T10:00:00Z",
        **fields,
    }


def test_a_reply_becomes_a_comment_by_a_remote_actor(tmp_path):
    report = import_json(path=write(tmp_path, TOPIC, scoop(1), reply(1), scoop(2)))
    assert outcome(report) == (3, 0, 0, 0)
    comment = Comment.objects.get()
    assert comment.scoop == Scoop.objects.get(import_key="scoop-1")
    assert (comment.author, comment.remote_author.uri) == (None, LEA)
    assert comment.ap_id == f"{LEA}/statuses/1"
    assert "script" not in comment.body_html and 'rel="nofollow' in comment.body_html
    assert comment.body_markdown == "Bravo ici"
    assert comment.created_at.isoformat() == "2024-01-05T10:00:00+00:00"
    assert comment.scoop.comment_count == 1
    actor = RemoteActor.objects.get()
    assert (actor.handle, actor.name, actor.domain, actor.fetched_at) == (
        "@lea@mastodon.example",
        "Léa",
        "mastodon.example",
        None,  # fetched, with its key and inbox, the first time it is needed
    )


def test_importing_a_reply_again_is_idempotent_and_updates_what_changed(tmp_path):
    path = write(tmp_path, TOPIC, scoop(1), reply(1), scoop(2))
    import_json(path=path)
    assert outcome(import_json(path=path)) == (0, 0, 3, 0)
    assert Comment.objects.count() == 1 and RemoteActor.objects.count() == 1
    hidden = reply(1, hidden=True, remote_author={**reply()["remote_author"], "name": "Léa M."})
    report = import_json(path=write(tmp_path, TOPIC, scoop(1), hidden, scoop(2)))
    assert outcome(report) == (0, 1, 2, 0)
    comment = Comment.objects.get()
    assert comment.hidden and comment.scoop.comment_count == 0
    assert comment.remote_author.name == "Léa M."  # known only from files: the latest wins


def test_an_actor_this_instance_fetched_is_not_changed_by_a_file(tmp_path):
    RemoteActor.objects.create(
        uri=LEA, domain="mastodon.example", username="lea", name="Léa", fetched_at=timezone.now()
    )
    renamed = reply(1, remote_author={**reply()["remote_author"], "name": "Someone else"})
    import_json(path=write(tmp_path, TOPIC, scoop(1), renamed))
    assert RemoteActor.objects.get().name == "Léa"
    assert Comment.objects.get().remote_author.name == "Léa"


def test_a_reply_already_under_another_scoop_stays_there(tmp_path):
    import_json(path=write(tmp_path, TOPIC, scoop(1), reply(1), scoop(2)))
    moved = reply(2, body_html="<p>Changed</p>")
    report = import_json(path=write(tmp_path, TOPIC, scoop(1), reply(1), scoop(2), moved))
    assert outcome(report) == (0, 0, 3, 0)
    comment = Comment.objects.get()
    assert comment.scoop.import_key == "scoop-1" and "Bravo" in comment.body_html


def test_replies_of_blocked_or_deleted_actors_are_left_out(tmp_path):
    blocks.block_domain(domain="mastodon.example")
    import_json(path=write(tmp_path, TOPIC, scoop(1), reply(1)))
    assert not Comment.objects.exists() and not RemoteActor.objects.exists()
    RemoteActor.objects.create(
        uri="https://social.example/users/gone",
        domain="social.example",
        deleted_at=timezone.now(),
    )
    gone = reply(
        1,
        remote_author={"uri": "https://social.example/users/gone"},
        ap_id="https://social.example/users/gone/statuses/9",
    )
    report = import_json(path=write(tmp_path, TOPIC, scoop(1), gone))
    assert report.failed == 0 and not Comment.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"ap_id": "https://elsewhere.example/notes/1"},
            "'ap_id' is not on the server of its author",
        ),
        ({"ap_id": "javascript:alert(1)"}, "'ap_id' is not a web address"),
        ({"ap_id": None}, "'ap_id' is missing"),
        ({"remote_author": "lea"}, "'remote_author' is not an object"),
        ({"remote_author": {"uri": LEA, "url": "ftp://x"}}, "'url' is not a web address"),
        ({"body_html": "<script>x</script>"}, "'body_html' is empty once sanitized"),
        ({"created_at": None}, "'created_at' is missing"),
    ],
)
def test_a_bad_reply_fails_its_unit_with_its_line(tmp_path, fields, error):
    report = import_json(path=write(tmp_path, TOPIC, scoop(1), reply(1, **fields), scoop(2)))
    assert [str(f) for f in report.failures] == [f"line 4: {error}"]
    assert not Comment.objects.exists() and not RemoteActor.objects.exists()
    assert list(Scoop.objects.values_list("import_key", flat=True)) == ["scoop-2"]
