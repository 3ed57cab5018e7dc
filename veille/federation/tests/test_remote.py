"""Fetching remote actors (signed, https only, never blocked hosts) and following them."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from veille.federation import ids, keys, remote, services
from veille.federation.models import DomainBlock, Following, OutboxActivity, RemoteActor
from veille.federation.signatures import verify_request
from veille.federation.tests.peers import Peer

pytestmark = pytest.mark.django_db


def serve_webfinger(site, peer):
    host = site.url("").split("/")[2]
    document = {
        "subject": f"acct:{peer.name}@{host}",
        "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": peer.uri},
            {"rel": "self", "type": "application/activity+json", "href": peer.uri},
        ],
    }
    site.add(
        f"/.well-known/webfinger?resource=acct:{peer.name}@{host}",
        json.dumps(document),
        content_type="application/jrd+json",
    )
    return f"@{peer.name}@{host}"


def test_handle_is_found_with_webfinger_and_the_actor_stored(peer, fediverse):
    peer.publish(
        icon={"type": "Image", "mediaType": "image/png", "url": fediverse.url("/a.png")},
        url=[{"type": "Link", "mediaType": "text/html", "href": fediverse.url("/@alice")}],
        summary="<p>Hi<script>x()</script></p>",
    )
    actor = remote.lookup(serve_webfinger(fediverse, peer))
    assert actor.uri == peer.uri
    assert (actor.inbox, actor.shared_inbox) == (peer.inbox, fediverse.url("/inbox"))
    assert (actor.key_id, actor.public_key_pem) == (peer.key_id, peer.public_pem)
    assert (actor.icon_url, actor.url) == (fediverse.url("/a.png"), fediverse.url("/@alice"))
    assert actor.summary_html == "<p>Hi</p>"
    assert actor.handle == f"@alice@{fediverse.url('').split('/')[2]}"


def test_fetches_are_signed_by_the_instance_actor(peer, fediverse):
    remote.get_actor(peer.uri)
    headers = fediverse.get_headers[-1]
    public_pem = keys.instance_key().public_key_pem
    verified = verify_request(
        method="GET",
        path=f"/users/{peer.name}",
        headers={k: v for k, v in headers.items()},
        body=b"",
        get_public_key=lambda key_id, refresh: public_pem,
    )
    assert verified.key_id == ids.key_id(ids.instance_actor_id())
    assert "application/activity+json" in headers["Accept"]


def test_cached_actor_is_not_fetched_again_while_fresh(peer, fediverse):
    remote.get_actor(peer.uri)
    remote.get_actor(peer.uri)
    assert fediverse.hits.count(f"/users/{peer.name}") == 1
    RemoteActor.objects.update(fetched_at=timezone.now() - dt.timedelta(days=2))
    remote.get_actor(peer.uri)
    assert fediverse.hits.count(f"/users/{peer.name}") == 2


def test_plain_http_peers_are_refused_unless_allowed(peer, fediverse, settings):
    settings.FEDERATION_ALLOW_HTTP = False
    with pytest.raises(remote.RemoteError) as refused:
        remote.get_actor(peer.uri)
    assert refused.value.code == "bad_scheme"
    assert fediverse.hits == []


def test_blocked_domains_are_never_fetched(peer, fediverse):
    DomainBlock.objects.create(domain="127.0.0.1")
    with pytest.raises(remote.RemoteError) as refused:
        remote.get_actor(peer.uri)
    assert refused.value.code == "blocked"
    assert fediverse.hits == []


def test_a_document_claiming_another_hosts_id_is_refused(peer, fediverse):
    fediverse.add("/users/alice", json.dumps(peer.document() | {"id": "https://x.example/u"}))
    with pytest.raises(remote.RemoteError) as refused:
        remote.get_actor(peer.uri)
    assert refused.value.code == "foreign_id"
    assert not RemoteActor.objects.exists()


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [(410, "", "gone"), (500, "", "status"), (200, "<html>", "not_json")],
)
def test_unusable_answers_are_errors(peer, fediverse, status, body, code):
    fediverse.add("/users/alice", body, status=status)
    with pytest.raises(remote.RemoteError) as refused:
        remote.get_actor(peer.uri)
    assert refused.value.code == code


def test_a_note_is_not_an_actor(peer, fediverse):
    fediverse.add("/users/alice", json.dumps({"id": peer.uri, "type": "Note"}))
    with pytest.raises(remote.RemoteError) as refused:
        remote.get_actor(peer.uri)
    assert refused.value.code == "not_actor"


@pytest.mark.parametrize("handle", ["alice", "@alice", "alice@", "a@b@c", "@al ice@host"])
def test_malformed_handles_are_refused(handle):
    with pytest.raises(remote.RemoteError) as refused:
        remote.parse_handle(handle)
    assert refused.value.code == "bad_handle"


# --- following remote accounts ----------------------------------------------------------------


def test_following_a_handle_sends_follow_to_the_actor(peer, fediverse, make_user):
    user = make_user()
    following = services.follow_remote(user=user, handle=serve_webfinger(fediverse, peer))
    assert (following.actor.uri, following.state) == (peer.uri, "pending")
    follow = OutboxActivity.objects.get(activity_type="Follow")
    assert follow.activity["actor"] == ids.user_actor_id(user)
    assert follow.activity["object"] == peer.uri
    assert following.follow_activity_id == follow.activity["id"]
    assert list(follow.deliveries.values_list("inbox", flat=True)) == [peer.inbox]
    assert services.follow_remote(user=user, handle=peer.uri) == following  # once


def test_following_an_unknown_handle_is_a_form_error(fediverse, make_user):
    host = fediverse.url("").split("/")[2]
    with pytest.raises(ValidationError) as error:
        services.follow_remote(user=make_user(), handle=f"@nobody@{host}")
    assert "handle" in error.value.error_dict
    assert not Following.objects.exists()


def test_a_local_account_is_not_followed_through_the_fediverse(curator, topic, make_user):
    with pytest.raises(ValidationError):
        services.follow_remote(user=make_user(), handle=ids.user_actor_id(curator))


def test_unfollowing_sends_undo_of_the_follow(peer, fediverse, make_user):
    user = make_user()
    following = services.follow_remote(user=user, handle=peer.uri)
    assert services.unfollow_remote(user=user, actor=following.actor)
    undo = OutboxActivity.objects.get(activity_type="Undo")
    assert undo.activity["object"]["id"] == following.follow_activity_id
    assert undo.activity["object"]["type"] == "Follow"
    assert not Following.objects.exists()
    assert not services.unfollow_remote(user=user, actor=following.actor)


def test_a_moved_account_is_followed_at_its_new_address(peer, fediverse, make_user):
    from veille.federation import processing

    user = make_user()
    old = services.follow_remote(user=user, handle=peer.uri).actor
    new = Peer(fediverse, "alice2")
    new.publish(alsoKnownAs=[peer.uri])
    move = {"id": f"{peer.uri}#move", "type": "Move", "actor": peer.uri, "object": peer.uri}
    assert processing.handle(move | {"target": new.uri}, old) == ("processed", "")
    assert list(Following.objects.values_list("actor__uri", flat=True)) == [new.uri]
    old.refresh_from_db()
    assert old.moved_to == new.uri


def test_a_move_the_new_account_does_not_confirm_is_ignored(peer, fediverse, make_user):
    from veille.federation import processing

    old = services.follow_remote(user=make_user(), handle=peer.uri).actor
    stranger = Peer(fediverse, "stranger")
    move = {"id": f"{peer.uri}#move", "type": "Move", "actor": peer.uri, "object": peer.uri}
    state, _reason = processing.handle(move | {"target": stranger.uri}, old)
    assert state == "ignored"
    assert list(Following.objects.values_list("actor__uri", flat=True)) == [peer.uri]
