"""Handling each activity type, with payloads shaped as each kind of server sends them."""

import pytest

from veille.federation import ids, processing
from veille.federation.models import (
    Follower,
    FollowState,
    MessageState,
    OutboxActivity,
    ReactionKind,
    RemoteReaction,
)
from veille.federation.tests import shapes
from veille.federation.tests.shapes import SOFTWARE, handled, remote, stored
from veille.topics.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(make_scoop):
    return make_scoop("Toulouse opens a new fibre network")


def refresh(obj):
    obj.refresh_from_db()
    return obj


# --- follows ----------------------------------------------------------------------------------


@pytest.mark.parametrize("software", SOFTWARE)
def test_follow_of_a_topic_is_accepted_and_answered(topic, software):
    follow = shapes.follow(software, ids.topic_actor_id(topic))
    assert handled(follow, software) == (MessageState.PROCESSED, "")
    follower = Follower.objects.get()
    assert (follower.topic, follower.state) == (topic, FollowState.ACCEPTED)
    assert refresh(topic).follower_count == 1
    accept = OutboxActivity.objects.get(activity_type="Accept")
    assert accept.activity["object"]["id"] == follow["id"]
    assert accept.activity["actor"] == ids.topic_actor_id(topic)
    assert list(accept.deliveries.values_list("inbox", flat=True)) == [remote(software).inbox]


def test_follow_waits_for_the_curators_when_the_topic_approves_by_hand(topic):
    topic.approve_followers = True
    topic.save()
    handled(shapes.follow("mastodon", ids.topic_actor_id(topic)))
    assert Follower.objects.get().state == FollowState.PENDING
    assert refresh(topic).follower_count == 0
    assert not OutboxActivity.objects.exists()


def test_follow_of_a_curator_is_accepted(topic, curator):
    handled(shapes.follow("gotosocial", ids.user_actor_id(curator)), "gotosocial")
    follower = Follower.objects.get()
    assert (follower.user, follower.state) == (curator, FollowState.ACCEPTED)


def test_repeated_follow_is_accepted_again_and_counted_once(topic):
    handled(shapes.follow("mastodon", ids.topic_actor_id(topic)))
    handled(shapes.follow("mastodon", ids.topic_actor_id(topic)))
    assert Follower.objects.count() == 1
    assert refresh(topic).follower_count == 1
    assert OutboxActivity.objects.filter(activity_type="Accept").count() == 2


def test_follow_of_something_else_is_ignored(topic):
    state, reason = handled(shapes.follow("mastodon", "https://elsewhere.example/users/x"))
    assert state == MessageState.IGNORED and "not for one of our actors" in reason


@pytest.mark.parametrize("embed", [True, False], ids=["embedded", "by-id"])
def test_undo_of_a_follow_removes_the_follower(topic, embed):
    follow = shapes.follow("mastodon", ids.topic_actor_id(topic))
    stored(follow)
    handled(follow)
    assert handled(shapes.undo("mastodon", follow, embed=embed))[0] == MessageState.PROCESSED
    assert not Follower.objects.exists()
    assert refresh(topic).follower_count == 0


def test_undo_of_another_actors_follow_is_ignored(topic):
    follow = shapes.follow("mastodon", ids.topic_actor_id(topic))
    handled(follow)
    assert handled(shapes.undo("pleroma", follow), "pleroma")[0] == MessageState.IGNORED
    assert Follower.objects.count() == 1


# --- likes and shares -------------------------------------------------------------------------


@pytest.mark.parametrize("software", SOFTWARE)
def test_like_of_a_post_counts_as_thanks_once(topic, post, software):
    like = shapes.like(software, ids.post_object_id(post), ids.topic_actor_id(topic))
    assert handled(like, software)[0] == MessageState.PROCESSED
    handled(shapes.like(software, ids.post_object_id(post), ids.topic_actor_id(topic)), software)
    assert refresh(post).thanks_count == 1
    assert RemoteReaction.objects.get().kind == ReactionKind.LIKE


@pytest.mark.parametrize("embed", [True, False], ids=["embedded", "by-id"])
def test_undo_of_a_like_takes_the_thanks_back(topic, post, embed):
    like = shapes.like("misskey", ids.post_object_id(post))
    handled(like, "misskey")
    stored(like)
    handled(shapes.undo("misskey", like, embed=embed), "misskey")
    assert refresh(post).thanks_count == 0
    assert not RemoteReaction.objects.exists()


def test_like_of_a_post_we_do_not_have_is_ignored(topic):
    state, _reason = handled(shapes.like("lemmy", "https://lemmy.example/post/1"), "lemmy")
    assert state == MessageState.IGNORED


@pytest.mark.parametrize("software", SOFTWARE)
def test_announce_of_a_post_counts_a_share_and_undo_takes_it_back(topic, post, software):
    announce = shapes.announce(software, ids.post_object_id(post), ids.topic_actor_id(topic))
    handled(announce, software)
    assert RemoteReaction.objects.get().kind == ReactionKind.ANNOUNCE
    assert refresh(post).thanks_count == 0
    handled(shapes.undo(software, announce), software)
    assert not RemoteReaction.objects.exists()


# --- replies ----------------------------------------------------------------------------------


def reply(software, post, topic, content="<p>Great find!</p>"):
    note = shapes.note(
        software,
        in_reply_to=ids.post_object_id(post),
        content=content,
        mention=ids.topic_actor_id(topic),
    )
    return shapes.create(software, note)


@pytest.mark.parametrize("software", SOFTWARE)
def test_public_reply_to_a_post_becomes_a_comment(topic, post, software):
    activity = reply(software, post, topic, "<p>Great <script>alert(1)</script>find!</p>")
    assert handled(activity, software) == (MessageState.PROCESSED, "")
    comment = Comment.objects.get()
    assert (comment.scoop, comment.remote_author.uri) == (post, shapes.ACTORS[software])
    assert comment.ap_id == activity["object"]["id"]
    assert "script" not in comment.body_html and "Great" in comment.body_html
    assert comment.body_markdown == "Great find!"
    assert not comment.hidden
    assert refresh(post).comment_count == 1


def test_the_same_reply_twice_is_one_comment(topic, post):
    activity = reply("mastodon", post, topic)
    handled(activity)
    handled(activity)
    assert Comment.objects.count() == 1
    assert refresh(post).comment_count == 1


def test_reply_to_a_reply_joins_the_thread_of_the_post(topic, post):
    first = reply("mastodon", post, topic)
    handled(first)
    answer = shapes.note("pleroma", in_reply_to=first["object"]["id"], content="<p>Agreed</p>")
    handled(shapes.create("pleroma", answer), "pleroma")
    assert list(Comment.objects.values_list("scoop", flat=True)) == [post.pk, post.pk]
    assert refresh(post).comment_count == 2


def test_reply_is_held_for_moderation_when_the_topic_asks(topic, post):
    topic.moderate_remote_comments = True
    topic.save()
    handled(reply("mastodon", post, topic))
    assert Comment.objects.get().hidden
    assert refresh(post).comment_count == 0


def test_private_reply_is_not_shown_as_a_comment(topic, post):
    activity = reply("mastodon", post, topic)
    for document in (activity, activity["object"]):
        document["to"], document["cc"] = [ids.topic_actor_id(topic)], []
    state, reason = handled(activity)
    assert state == MessageState.IGNORED and "private" in reason
    assert not Comment.objects.exists()


def test_note_attributed_to_someone_else_is_ignored(topic, post):
    activity = reply("mastodon", post, topic)
    activity["object"]["attributedTo"] = shapes.ACTORS["pleroma"]
    assert handled(activity)[0] == MessageState.IGNORED
    assert not Comment.objects.exists()


def test_update_of_a_reply_edits_the_comment(topic, post):
    activity = reply("gotosocial", post, topic)
    handled(activity, "gotosocial")
    edited = activity["object"] | {"content": "<p>Edited <b>answer</b></p>"}
    update = {"id": f"{edited['id']}/update", "type": "Update", "actor": activity["actor"]}
    handled(update | {"object": edited}, "gotosocial")
    assert Comment.objects.get().body_html == "<p>Edited <b>answer</b></p>"


@pytest.mark.parametrize("tombstone", [True, False], ids=["tombstone", "id"])
def test_delete_of_a_reply_removes_the_comment_and_keeps_the_thread(topic, post, tombstone):
    first, second = reply("mastodon", post, topic), reply("lemmy", post, topic)
    handled(first)
    handled(second, "lemmy")
    note_id = first["object"]["id"]
    obj = {"id": note_id, "type": "Tombstone"} if tombstone else note_id
    handled({"id": f"{note_id}#delete", "type": "Delete", "actor": first["actor"], "object": obj})
    assert list(Comment.objects.values_list("ap_id", flat=True)) == [second["object"]["id"]]
    assert refresh(post).comment_count == 1


def test_delete_of_a_note_by_another_actor_is_ignored(topic, post):
    first = reply("mastodon", post, topic)
    handled(first)
    delete = {"id": "x", "type": "Delete", "actor": shapes.ACTORS["misskey"]}
    assert handled(delete | {"object": first["object"]["id"]}, "misskey")[0] == "ignored"
    assert Comment.objects.count() == 1


# --- actors -----------------------------------------------------------------------------------


def test_delete_of_an_actor_removes_what_it_sent(topic, post):
    handled(shapes.follow("mastodon", ids.topic_actor_id(topic)))
    handled(shapes.like("mastodon", ids.post_object_id(post)))
    handled(reply("mastodon", post, topic))
    alice = shapes.ACTORS["mastodon"]
    handled({"id": f"{alice}#delete", "type": "Delete", "actor": alice, "object": alice})
    assert not Comment.objects.exists() and not Follower.objects.exists()
    assert not RemoteReaction.objects.exists()
    post, topic = refresh(post), refresh(topic)
    assert (post.comment_count, post.thanks_count, topic.follower_count) == (0, 0, 0)
    assert remote("mastodon").deleted_at is not None


def test_update_of_a_person_refreshes_the_actor(topic):
    document = shapes.actor_document("misskey", name="Nouveau nom", summary="<p>Bio</p>")
    update = {"id": "https://misskey.example/u", "type": "Update", "actor": document["id"]}
    handled(update | {"object": document}, "misskey")
    actor = remote("misskey")
    assert (actor.name, actor.summary_html, actor.public_key_pem) == (
        "Nouveau nom",
        "<p>Bio</p>",
        "PEM",
    )


def test_update_of_another_actor_is_ignored(topic):
    document = shapes.actor_document("misskey", name="Hijacked")
    update = {
        "id": "https://mastodon.example/u",
        "type": "Update",
        "actor": shapes.ACTORS["mastodon"],
    }
    assert handled(update | {"object": document})[0] == MessageState.IGNORED


# --- anything else ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["Flag", "EmojiReact", "Add", "Block", "Question"])
def test_other_activities_are_stored_and_ignored(topic, kind):
    state, reason = handled({"id": "x", "type": kind, "actor": shapes.ACTORS["mastodon"]})
    assert state == MessageState.IGNORED and kind in reason


def test_message_is_handled_once(topic, post):
    like = shapes.like("mastodon", ids.post_object_id(post))
    remote("mastodon")
    message = stored(like)
    assert processing.process_message(message_id=message.pk) == MessageState.PROCESSED
    assert processing.process_message(message_id=message.pk) is None
    assert refresh(post).thanks_count == 1
    assert refresh(message).state == MessageState.PROCESSED


def test_a_handler_that_fails_marks_the_message_failed(topic, settings):
    settings.FEDERATION_ALLOW_HTTP = False
    activity = {
        "id": "c",
        "type": "Create",
        "actor": shapes.ACTORS["mastodon"],
        "object": "http://mastodon.example/notes/1",
    }
    state, reason = handled(activity)
    assert state == MessageState.FAILED and "not https" in reason
