"""What our actors send: scoops, rescoops, retractions; a user's likes and replies."""

from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from veille.federation import ids, services
from veille.federation.models import (
    Follower,
    FollowingState,
    FollowState,
    OutboxActivity,
    RemoteActor,
    RemotePost,
)
from veille.topics import services as topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(topic):
    actor = RemoteActor.objects.create(
        uri="https://masto.example/users/a",
        domain="masto.example",
        username="a",
        inbox="https://masto.example/users/a/inbox",
        shared_inbox="https://masto.example/inbox",
    )
    Follower.objects.create(topic=topic, actor=actor, state=FollowState.ACCEPTED)
    return actor


def sent(kind=None):
    rows = OutboxActivity.objects.order_by("created_at")
    return [r.activity for r in (rows.filter(activity_type=kind) if kind else rows)]


def types():
    return [a["type"] for a in sent()]


def test_published_scoop_goes_out_once_as_create_note(followed, make_scoop):
    scoop = make_scoop("Fibre in Toulouse")
    services.scoop_published(scoop_id=scoop.pk)
    services.scoop_published(scoop_id=scoop.pk)
    (create,) = sent()
    assert create["type"] == "Create"
    assert create["object"]["id"] == ids.post_object_id(scoop)
    assert create["actor"] == ids.topic_actor_id(scoop.topic)
    row = OutboxActivity.objects.get()
    assert create["id"].endswith(f"/activities/{row.pk}")
    assert list(row.deliveries.values_list("inbox", flat=True)) == ["https://masto.example/inbox"]


def test_draft_goes_out_when_it_is_published(followed, make_scoop, curator):
    draft = make_scoop("Later", draft=True)
    services.scoop_published(scoop_id=draft.pk)
    assert types() == []
    topics.scoop_update(scoop=draft, by=curator, draft=False)  # the topics service federates
    assert types() == ["Create"]


def test_edit_of_a_published_scoop_sends_update(followed, make_scoop, curator):
    scoop = make_scoop("Before")
    services.scoop_published(scoop_id=scoop.pk)
    topics.scoop_update(scoop=scoop, by=curator, title="After")
    assert types() == ["Create", "Update"]
    assert "After" in sent("Update")[0]["object"]["content"]


def test_unpublished_then_republished_scoop_is_deleted_then_created_afresh(
    followed, make_scoop, curator
):
    scoop = make_scoop("Back and forth")
    services.scoop_published(scoop_id=scoop.pk)
    topics.scoop_update(scoop=scoop, by=curator, draft=True)
    topics.scoop_update(scoop=scoop, by=curator, draft=False)
    assert types() == ["Create", "Delete", "Create"]
    first, _delete, second = sent()
    assert first["id"] != second["id"]
    assert sent("Delete")[0]["object"] == {
        "id": ids.post_object_id(scoop),
        "type": "Tombstone",
        "formerType": "Note",
    }


def test_deleted_scoop_sends_delete_only_if_it_was_out(followed, make_scoop, curator):
    shown, never = make_scoop("Shown"), make_scoop("Never sent", draft=True)
    for scoop in (shown, never):
        topics.scoop_delete(scoop=scoop, by=curator)  # the topics service federates
    assert types() == ["Create", "Delete"]


@pytest.fixture
def rescoop_into(make_user, followed):
    def rescoop(origin, insight):
        other = make_user("marie")
        mine = topics.topic_create(by=other, title="Smart cities", slug="smart-cities")
        Follower.objects.create(topic=mine, actor=followed, state=FollowState.ACCEPTED)
        return topics.rescoop_create(origin=origin, topic=mine, by=other, insight=insight)

    return rescoop


def test_rescoop_announces_the_origin_and_replies_with_the_insight(make_scoop, rescoop_into):
    origin = make_scoop("Origin")
    rescoop = rescoop_into(origin, "Worth a read **for cities**")
    services.rescoop_published(scoop_id=rescoop.pk)  # a second call sends nothing more
    (announce,) = sent("Announce")
    (create,) = [a for a in sent("Create") if a["object"].get("inReplyTo")]
    assert (announce["type"], announce["object"]) == ("Announce", ids.post_object_id(origin))
    assert announce["actor"] == ids.topic_actor_id(rescoop.topic)
    assert create["object"]["inReplyTo"] == ids.post_object_id(origin)
    assert "for cities" in create["object"]["content"]


def test_rescoop_without_insight_is_only_announced_and_undone_on_delete(make_scoop, rescoop_into):
    rescoop = rescoop_into(make_scoop("Origin"), "")
    topics.scoop_delete(scoop=rescoop, by=rescoop.curator)
    assert [kind for kind in types() if kind != "Create"] == ["Announce", "Undo"]
    assert sent("Undo")[0]["object"]["type"] == "Announce"


# --- a local user's likes and replies ---------------------------------------------------------


@pytest.fixture
def remote_post(followed, make_user):
    user = make_user("reader")
    user.fediverse_following.create(
        actor=followed, state=FollowingState.ACCEPTED, follow_activity_id="https://x/1"
    )
    post = RemotePost.objects.create(
        uri="https://masto.example/users/a/statuses/1",
        actor=followed,
        content_html="<p>Hello</p>",
        published="2026-11-20T10:00:00Z",
    )
    return user, post


def test_like_of_a_remote_post_is_sent_once_to_its_author(remote_post):
    user, post = remote_post
    first = services.like_remote(user=user, post=post)
    assert services.like_remote(user=user, post=post) == first
    assert first.activity["object"] == post.uri
    assert list(first.deliveries.values_list("inbox", flat=True)) == [post.actor.inbox]


def test_reply_to_a_remote_post_is_a_public_note_served_at_its_id(remote_post, client):
    user, post = remote_post
    row = services.reply_remote(user=user, post=post, text="Thanks for *this*")
    note = row.activity["object"]
    assert note["id"] == f"{row.activity['id']}/object"
    assert (note["inReplyTo"], note["attributedTo"]) == (post.uri, ids.user_actor_id(user))
    assert note["content"] == "<p>Thanks for <em>this</em></p>"
    assert note["tag"][0]["href"] == post.actor.uri
    served = client.get(urlsplit(note["id"]).path)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/activity+json"
    assert served.json()["content"] == note["content"]
    assert row.deliveries.get().inbox == post.actor.inbox


def test_empty_reply_is_refused(remote_post):
    user, post = remote_post
    with pytest.raises(ValidationError):
        services.reply_remote(user=user, post=post, text="   ")


def test_only_followers_of_the_author_like_or_reply(remote_post, make_user):
    _user, post = remote_post
    with pytest.raises(PermissionDenied):
        services.like_remote(user=make_user(), post=post)


def test_activities_addressed_to_some_people_are_not_served(remote_post, client):
    user, post = remote_post
    like = services.like_remote(user=user, post=post)
    assert client.get(f"/activities/{like.pk}").status_code == 404
    assert client.get("/activities/00000000-0000-0000-0000-000000000000").status_code == 404
