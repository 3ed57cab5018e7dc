"""Blocklists: blocked peers are refused, and what they sent is removed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from veille.federation import blocks, ids, processing, services
from veille.federation.models import (
    ActorBlock,
    Delivery,
    DomainBlock,
    Follower,
    Following,
    HostHealth,
    InboxMessage,
    OutboxActivity,
    RemoteActor,
    RemotePost,
)
from veille.federation.tests import shapes
from veille.topics.models import Comment

pytestmark = pytest.mark.django_db


def actor_at(uri: str) -> RemoteActor:
    host = uri.split("/")[2]
    return RemoteActor.objects.create(uri=uri, domain=host, inbox=f"{uri}/inbox")


def sends_everything(actor, topic, post, user):
    """Follow, like and reply to ``post``; ``user`` follows the actor and has one of its posts."""
    uri = actor.uri
    for activity in (
        {"id": f"{uri}/f", "type": "Follow", "actor": uri, "object": ids.topic_actor_id(topic)},
        {"id": f"{uri}/l", "type": "Like", "actor": uri, "object": ids.post_object_id(post)},
        shapes.create(
            "mastodon",
            {
                "id": f"{uri}/n",
                "type": "Note",
                "attributedTo": uri,
                "inReplyTo": ids.post_object_id(post),
                "content": "<p>Hi</p>",
                "to": [shapes.PUBLIC],
            },
        )
        | {"actor": uri},
    ):
        assert processing.handle(activity, actor)[0] == "processed"
    Following.objects.create(user=user, actor=actor, state="accepted", follow_activity_id="x")
    RemotePost.objects.create(uri=f"{uri}/p", actor=actor, published=timezone.now())


@pytest.fixture
def post(make_scoop):
    return make_scoop("Blocked or not")


def test_blocking_a_domain_removes_what_its_actors_sent(topic, post, make_user):
    user = make_user()
    bad = [actor_at("https://bad.example/u/a"), actor_at("https://social.bad.example:8443/u/b")]
    good = actor_at("https://good.example/u/c")
    for actor in (*bad, good):
        sends_everything(actor, topic, post, user)
    blocks.block_domain(domain="Bad.Example.", reason="spam")
    post.refresh_from_db()
    topic.refresh_from_db()
    assert (post.comment_count, post.thanks_count, topic.follower_count) == (1, 1, 1)
    for model, field in ((Comment, "remote_author"), (Follower, "actor"), (Following, "actor")):
        assert list(model.objects.values_list(field, flat=True)) == [good.pk]
    assert list(RemotePost.objects.values_list("actor", flat=True)) == [good.pk]
    assert DomainBlock.objects.get().domain == "bad.example"


def test_blocking_an_actor_removes_only_its_own(topic, post, make_user):
    user = make_user()
    bad, neighbour = actor_at("https://x.example/u/bad"), actor_at("https://x.example/u/ok")
    sends_everything(bad, topic, post, user)
    sends_everything(neighbour, topic, post, user)
    blocks.block_actor(uri=bad.uri)
    assert list(Comment.objects.values_list("remote_author", flat=True)) == [neighbour.pk]
    assert blocks.is_blocked(bad.uri) and blocks.is_blocked(f"{bad.uri}#main-key")
    assert not blocks.is_blocked(neighbour.uri)


def test_subdomains_are_blocked_with_their_domain():
    DomainBlock.objects.create(domain="bad.example")
    assert blocks.is_blocked("https://a.b.bad.example/u")
    assert not blocks.is_blocked("https://notbad.example/u")


def test_a_blocked_actor_is_refused_at_the_inbox(client, topic, peer):
    ActorBlock.objects.create(uri=peer.uri)
    follow = {"id": peer.activity_id(), "type": "Follow", "actor": peer.uri}
    response = peer.post(client, "/inbox", follow | {"object": ids.topic_actor_id(topic)})
    assert response.status_code == 403
    assert not InboxMessage.objects.exists()


def test_a_blocked_account_cannot_be_followed(make_user):
    actor = actor_at("https://bad.example/u/a")
    DomainBlock.objects.create(domain="bad.example")
    with pytest.raises(ValidationError):
        services.follow_actor(user=make_user(), actor=actor)
    assert not OutboxActivity.objects.exists()


def test_the_admin_block_form_removes_what_the_domain_sent(client, topic, post, make_user):
    admin = make_user("operator", is_staff=True, is_superuser=True)
    sends_everything(actor_at("https://bad.example/u/a"), topic, post, make_user())
    client.force_login(admin)
    response = client.post(
        reverse("admin:federation_domainblock_add"), {"domain": "bad.example", "reason": "spam"}
    )
    assert response.status_code == 302
    assert DomainBlock.objects.get().reason == "spam"
    assert not Comment.objects.exists() and not Follower.objects.exists()


def test_the_admin_lists_delivery_health_per_host(client, topic, make_scoop, make_user):
    actor = actor_at("https://slow.example/u/a")
    Follower.objects.create(topic=topic, actor=actor, state="accepted")
    services.scoop_published(scoop_id=make_scoop("Pending").pk)
    HostHealth.objects.create(
        host="slow.example", consecutive_failures=7, failing_since=timezone.now()
    )
    client.force_login(make_user("operator", is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:federation_hosthealth_changelist")).content.decode()
    assert "slow.example" in html
    assert Delivery.objects.filter(host="slow.example").count() == 1
    assert '<td class="field-pending_deliveries">1</td>' in html


def test_blocking_a_domain_skips_what_was_waiting_for_it(topic, make_scoop):
    for uri in ("https://bad.example/u/a", "https://good.example/u/b"):
        Follower.objects.create(topic=topic, actor=actor_at(uri), state="accepted")
    services.scoop_published(scoop_id=make_scoop("Waiting").pk)
    blocks.block_domain(domain="bad.example")
    states = dict(Delivery.objects.values_list("host", "state"))
    assert states == {"bad.example": "skipped", "good.example": "pending"}


@pytest.mark.parametrize(
    "model", [HostHealth, Delivery, InboxMessage, RemoteActor, Follower, DomainBlock, ActorBlock]
)
def test_federation_admin_pages_load(client, topic, make_scoop, make_user, model):
    actor = actor_at("https://x.example/u/a")
    Follower.objects.create(topic=topic, actor=actor, state="accepted")
    services.scoop_published(scoop_id=make_scoop("Admin").pk)
    HostHealth.objects.create(host="x.example")
    shapes.stored({"id": "https://x.example/1", "type": "Like", "actor": actor.uri})
    blocks.block_actor(uri="https://y.example/u/b")
    DomainBlock.objects.create(domain="z.example")
    client.force_login(make_user("operator", is_staff=True, is_superuser=True))
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    obj = model.objects.first()
    assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200
