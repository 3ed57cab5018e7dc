"""Posts of the accounts local users follow, and the answers to their follows."""

import pytest

from veille.federation import ids
from veille.federation.models import Following, FollowingState, MessageState, RemotePost
from veille.federation.tests import shapes
from veille.federation.tests.shapes import SOFTWARE, handled, remote

pytestmark = pytest.mark.django_db


def refresh(obj):
    obj.refresh_from_db()
    return obj


@pytest.fixture
def following(make_user):
    def follow(software, *, state=FollowingState.ACCEPTED):
        return Following.objects.create(
            user=make_user(),
            actor=remote(software),
            state=state,
            follow_activity_id=f"http://127.0.0.1:8000/activities/{software}",
        )

    return follow


@pytest.mark.parametrize("software", SOFTWARE)
def test_post_of_a_followed_account_is_kept_for_its_followers(topic, following, software):
    following(software)
    note = shapes.note(software, in_reply_to=None, content="<p>Hello <em>world</em></p>")
    assert handled(shapes.create(software, note), software)[0] == MessageState.PROCESSED
    post = RemotePost.objects.get()
    assert (post.uri, post.content_html) == (note["id"], "<p>Hello <em>world</em></p>")
    assert post.published.isoformat() == "2026-11-20T10:15:30+00:00"


def test_article_of_a_followed_account_keeps_its_title(topic, following):
    following("lemmy")
    page = shapes.note("lemmy", in_reply_to=None, content="<p>Body</p>") | {
        "type": "Page",
        "name": "A <title>",
        "attachment": [{"type": "Link", "href": "https://lemmy.example/a.png"}],
    }
    handled(shapes.create("lemmy", page), "lemmy")
    post = RemotePost.objects.get()
    assert post.content_html.startswith("<p><strong>A &lt;title&gt;</strong></p>")
    assert post.attachment == [{"url": "https://lemmy.example/a.png", "media_type": "", "name": ""}]


def test_direct_message_of_a_followed_account_is_not_kept(topic, following, curator):
    following("mastodon")
    note = shapes.note("mastodon", in_reply_to=None, content="<p>psst</p>")
    note["to"], note["cc"] = [ids.user_actor_id(curator)], []
    activity = shapes.create("mastodon", note)
    activity["to"], activity["cc"] = note["to"], []
    assert handled(activity)[0] == MessageState.IGNORED
    assert not RemotePost.objects.exists()


def test_post_of_an_account_nobody_follows_is_ignored(topic):
    note = shapes.note("mastodon", in_reply_to=None, content="<p>Hi</p>")
    assert handled(shapes.create("mastodon", note))[0] == MessageState.IGNORED


def test_update_and_delete_of_a_followed_post(topic, following):
    following("pleroma")
    note = shapes.note("pleroma", in_reply_to=None, content="<p>v1</p>")
    handled(shapes.create("pleroma", note), "pleroma")
    update = {"id": "u", "type": "Update", "actor": note["attributedTo"]}
    handled(update | {"object": note | {"content": "<p>v2</p>"}}, "pleroma")
    assert RemotePost.objects.get().content_html == "<p>v2</p>"
    handled(
        {"id": "d", "type": "Delete", "actor": note["attributedTo"], "object": note["id"]},
        "pleroma",
    )
    assert not RemotePost.objects.exists()


@pytest.mark.parametrize("embed", [True, False], ids=["embedded", "by-id"])
def test_accept_of_our_follow_marks_it_accepted(topic, following, embed):
    ours = following("gotosocial", state="pending")
    follow = {
        "id": ours.follow_activity_id,
        "type": "Follow",
        "actor": ids.user_actor_id(ours.user),
        "object": ours.actor.uri,
    }
    accept = {
        "id": "https://gts.example/accepts/1",
        "type": "Accept",
        "actor": ours.actor.uri,
        "object": follow if embed else follow["id"],
    }
    assert handled(accept, "gotosocial")[0] == MessageState.PROCESSED
    assert refresh(ours).state == "accepted"


def test_reject_of_our_follow_removes_it(topic, following):
    ours = following("mastodon", state="pending")
    reject = {
        "id": "r",
        "type": "Reject",
        "actor": ours.actor.uri,
        "object": ours.follow_activity_id,
    }
    handled(reject)
    assert not type(ours).objects.exists()
