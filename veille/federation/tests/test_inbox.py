"""The inbox: what it accepts, and that everything it refuses leaves nothing stored."""

import datetime as dt
import json
from email.utils import format_datetime

import pytest
from django.conf import settings
from django.utils import timezone

from veille.federation import ids
from veille.federation.models import (
    DomainBlock,
    Follower,
    InboxMessage,
    MessageState,
    RemoteActor,
)
from veille.federation.tests.peers import Peer

pytestmark = pytest.mark.django_db

TOPIC_INBOX = "/topic/toulouse-networks/inbox"


def follow_of(peer):
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.activity_id("follow"),
        "type": "Follow",
        "actor": peer.uri,
        "object": f"{settings.BASE_URL}/topic/toulouse-networks/",
    }


def nothing_stored():
    return not InboxMessage.objects.exists() and not Follower.objects.exists()


def test_signed_follow_is_stored_answered_202_and_handled(
    client, topic, peer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = peer.post(client, TOPIC_INBOX, follow_of(peer))
    assert response.status_code == 202
    message = InboxMessage.objects.get()
    assert (message.activity_type, message.actor_uri, message.key_id) == (
        "Follow",
        peer.uri,
        peer.key_id,
    )
    assert message.state == MessageState.PROCESSED
    assert Follower.objects.get().actor.uri == peer.uri


def test_shared_inbox_accepts_the_same_activity(client, topic, peer):
    assert peer.post(client, "/inbox", follow_of(peer)).status_code == 202
    assert InboxMessage.objects.count() == 1


def test_unsigned_post_is_refused(client, topic, peer):
    response = peer.post(client, TOPIC_INBOX, follow_of(peer), headers={})
    assert response.status_code == 401
    assert nothing_stored()


def test_forged_signature_is_refused(client, topic, peer, fediverse):
    forger = Peer(fediverse, "mallory")
    body = json.dumps(follow_of(peer)).encode()
    headers = forger.signed(TOPIC_INBOX, body)
    headers["Signature"] = headers["Signature"].replace(forger.key_id, peer.key_id)
    response = peer.post(client, TOPIC_INBOX, None, body=body, headers=headers)
    assert response.status_code == 401
    assert nothing_stored()


def test_stale_date_is_refused(client, topic, peer):
    body = json.dumps(follow_of(peer)).encode()
    an_hour_ago = format_datetime(timezone.now() - dt.timedelta(hours=1), usegmt=True)
    headers = peer.signed(TOPIC_INBOX, body, Date=an_hour_ago)
    response = peer.post(client, TOPIC_INBOX, None, body=body, headers=headers)
    assert response.status_code == 401
    assert "stale_date" in response.json()["error"]
    assert nothing_stored()


def test_wrong_digest_is_refused(client, topic, peer):
    signed_body = json.dumps(follow_of(peer)).encode()
    other_body = json.dumps(follow_of(peer)).encode()
    headers = peer.signed(TOPIC_INBOX, signed_body)
    response = peer.post(client, TOPIC_INBOX, None, body=other_body, headers=headers)
    assert response.status_code == 401
    assert "bad_digest" in response.json()["error"]
    assert nothing_stored()


def test_replayed_request_is_not_stored_or_handled_twice(
    client, topic, make_scoop, peer, django_capture_on_commit_callbacks
):
    scoop = make_scoop("Liked once")
    like = {
        "id": peer.activity_id("like"),
        "type": "Like",
        "actor": peer.uri,
        "object": ids.post_object_id(scoop),
    }
    body = json.dumps(like).encode()
    headers = peer.signed(TOPIC_INBOX, body)
    with django_capture_on_commit_callbacks(execute=True):
        first = peer.post(client, TOPIC_INBOX, None, body=body, headers=headers)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = peer.post(client, TOPIC_INBOX, None, body=body, headers=headers)
    assert (first.status_code, again.status_code) == (202, 202)
    assert InboxMessage.objects.count() == 1
    assert callbacks == []  # nothing queued for the copy
    scoop.refresh_from_db()
    assert scoop.thanks_count == 1


def test_oversized_body_is_refused_before_anything_else(client, topic, peer, settings):
    settings.FEDERATION_INBOX_MAX_BYTES = 1000
    activity = follow_of(peer) | {"padding": "x" * 2000}
    response = peer.post(client, TOPIC_INBOX, activity)
    assert response.status_code == 413
    assert nothing_stored()
    assert not RemoteActor.objects.exists()  # no key was even fetched


def test_blocked_domain_is_refused_without_a_fetch(client, topic, peer, fediverse):
    DomainBlock.objects.create(domain="127.0.0.1")
    response = peer.post(client, TOPIC_INBOX, follow_of(peer))
    assert response.status_code == 403
    assert nothing_stored()
    assert fediverse.hits == []


def test_body_that_is_not_json_is_refused(client, topic, peer):
    response = peer.post(client, TOPIC_INBOX, None, body=b"{not json")
    assert response.status_code == 400
    assert nothing_stored()


def test_activity_signed_by_another_actor_is_refused(client, topic, peer, fediverse):
    other = Peer(fediverse, "bob")
    body = json.dumps(follow_of(peer)).encode()
    headers = other.signed(TOPIC_INBOX, body)
    response = peer.post(client, TOPIC_INBOX, None, body=body, headers=headers)
    assert response.status_code == 401
    assert nothing_stored()


def test_activity_id_on_another_host_is_refused(client, topic, peer):
    activity = follow_of(peer) | {"id": "https://elsewhere.example/follows/1"}
    assert peer.post(client, TOPIC_INBOX, activity).status_code == 401
    assert nothing_stored()


def test_rotated_key_is_fetched_again_once(client, topic, peer, fediverse):
    assert peer.post(client, TOPIC_INBOX, follow_of(peer)).status_code == 202
    RemoteActor.objects.update(fetched_at=timezone.now() - dt.timedelta(hours=1))
    peer.rotate_key()
    fetches = len(fediverse.hits)
    assert peer.post(client, TOPIC_INBOX, follow_of(peer)).status_code == 202
    assert len(fediverse.hits) == fetches + 1
    assert RemoteActor.objects.get().public_key_pem == peer.public_pem


def test_gotosocial_key_at_its_own_address_is_resolved_to_the_actor(client, topic, fediverse):
    gts = Peer(fediverse, "gts", key_style="path", shared=False)
    assert gts.post(client, TOPIC_INBOX, follow_of(gts)).status_code == 202
    actor = RemoteActor.objects.get()
    assert (actor.uri, actor.key_id, actor.inbox) == (gts.uri, gts.key_id, gts.inbox)


def test_delete_of_an_unknown_actor_is_answered_without_fetching(client, topic, peer, fediverse):
    delete = {"id": f"{peer.uri}#delete", "type": "Delete", "actor": peer.uri, "object": peer.uri}
    assert peer.post(client, "/inbox", delete).status_code == 202
    assert nothing_stored()
    assert fediverse.hits == []


def test_too_many_activities_from_one_host_are_refused(client, topic, peer, settings):
    settings.FEDERATION_INBOX_RATE_LIMIT = "2/60"
    codes = [peer.post(client, TOPIC_INBOX, follow_of(peer)).status_code for _ in range(3)]
    assert codes == [202, 202, 429]
    assert InboxMessage.objects.count() == 2


def test_inbox_of_an_unknown_topic_is_not_found(client, topic, peer):
    assert peer.post(client, "/topic/nowhere/inbox", follow_of(peer)).status_code == 404


def test_inbox_only_takes_posts(client, topic):
    assert client.get(TOPIC_INBOX).status_code == 405
