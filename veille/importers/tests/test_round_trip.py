"""Round trip: export, import into an empty instance, export again: identical files."""

import pytest
from django.core.management import call_command

from veille.accounts.models import User
from veille.federation.models import RemoteActor
from veille.importers.export import FORMATS
from veille.importers.jsonimport import import_json
from veille.importers.models import PendingCredit
from veille.importers.selectors import account_scope, topic_scope
from veille.importers.tests.veille_data import LEA, LEA_REPLY, build
from veille.topics.models import Comment, Scoop, Topic

pytestmark = pytest.mark.django_db(transaction=True)


def export_topic(slug: str) -> str:
    return "".join(FORMATS["json"].lines(topic_scope(topic=Topic.objects.get(slug=slug))))


def export_account(username: str) -> str:
    user = User.objects.get(username=username)
    return "".join(FORMATS["json"].lines(account_scope(user=user)))


def empty_instance() -> None:
    call_command("flush", interactive=False, verbosity=0)
    assert not Topic.objects.exists() and not User.objects.exists()


def test_a_topic_exported_imported_and_exported_again_gives_the_same_bytes(make_user, tmp_path):
    build(make_user)
    first = export_topic("toulouse-networks")
    path = tmp_path / "topic.jsonl"
    path.write_text(first, encoding="utf-8")
    empty_instance()
    report = import_json(path=path)
    assert (report.created, report.failed) == (1 + 3 + 4, 0)  # topic, sources, scoops
    assert Comment.objects.filter(ap_id=LEA_REPLY, remote_author__uri=LEA).exists()
    assert export_topic("toulouse-networks") == first
    again = import_json(path=path)  # the reply is found by its ActivityPub id
    assert (again.created, again.updated, again.failed) == (0, 0, 0)
    assert Comment.objects.count() == 3
    assert export_topic("toulouse-networks") == first


def test_the_round_trip_keeps_what_pages_show(make_user, tmp_path):
    build(make_user)
    path = tmp_path / "topic.jsonl"
    path.write_text(export_topic("toulouse-networks"), encoding="utf-8")
    empty_instance()
    import_json(path=path)
    topic = Topic.objects.get(slug="toulouse-networks")
    assert (topic.scoop_count, topic.follower_count) == (3, 1)  # the draft is not counted
    assert (topic.visibility, topic.discoverable, topic.language) == ("unlisted", False, "fr")
    first = Scoop.objects.get(title__startswith="Mastodon")
    assert first.pinned and first.thanks_count == 1 and first.comment_count == 2
    assert first.content_warning == "Politique locale"
    assert first.excerpt_html == "<p>Un réseau <em>libre</em>.</p>"
    assert first.insight_html.startswith("<p>À <strong>suivre</strong>")
    hidden = Comment.objects.get(hidden=True)
    assert (hidden.author.username, hidden.body_html) == ("ben", "<p>Hors sujet</p>")
    reply = Comment.objects.get(remote_author__isnull=False)
    assert (reply.scoop, reply.ap_id, reply.hidden) == (first, LEA_REPLY, False)
    assert (reply.author_name, reply.author_url) == ("Léa Martin", "https://mastodon.example/@lea")
    assert reply.body_markdown == "Super lien !"
    lea = RemoteActor.objects.get()
    assert (lea.uri, lea.handle, lea.fetched_at) == (LEA, "@lea@mastodon.example", None)
    assert User.objects.get(username="jacques").is_placeholder
    assert set(topic.curators.values_list("user__username", "role")) == {
        ("jacques", "owner"),
        ("ann", "editor"),
    }
    # the rescoop's origin is in a topic this file does not hold: its credit waits for it
    assert PendingCredit.objects.filter(role="origin").count() == 1


def test_an_account_round_trip_links_rescoops_between_its_topics(make_user, tmp_path):
    build(make_user)
    Topic.objects.get(slug="fediverse").curators.create(
        user=User.objects.get(username="jacques"), role="editor"
    )
    first = export_account("jacques")
    path = tmp_path / "account.jsonl"
    path.write_text(first, encoding="utf-8")
    empty_instance()
    report = import_json(path=path)
    assert report.failed == 0 and report.topic_count == 2
    assert not PendingCredit.objects.exists()
    rescoop = Scoop.objects.get(topic__slug="fediverse", origin__isnull=False)
    assert rescoop.origin.title.startswith("Mastodon") and rescoop.root == rescoop.origin
    assert export_account("jacques") == first


def test_a_credit_waits_for_its_origin_and_links_when_it_arrives(make_user, tmp_path):
    build(make_user)
    toulouse, fediverse = tmp_path / "t.jsonl", tmp_path / "f.jsonl"
    toulouse.write_text(export_topic("toulouse-networks"), encoding="utf-8")
    fediverse.write_text(export_topic("fediverse"), encoding="utf-8")
    empty_instance()
    import_json(path=toulouse)
    assert PendingCredit.objects.count() == 2  # origin and root of the rescoop of ActivityPub
    import_json(path=fediverse)
    assert not PendingCredit.objects.exists()
    linked = Scoop.objects.filter(origin__isnull=False).values_list("title", "origin__title")
    assert sorted(linked) == [
        ("ActivityPub", "ActivityPub"),
        ("Mastodon, le réseau social décentralisé", "Mastodon, le réseau social décentralisé"),
    ]
