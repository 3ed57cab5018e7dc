"""A topic's fediverse followers, for its curators: approve, reject, remove."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veille.federation.models import Follower, FollowState, OutboxActivity, RemoteActor

pytestmark = pytest.mark.django_db


def add_followers(topic, count: int, *, state=FollowState.ACCEPTED, start: int = 0):
    rows = []
    for n in range(start, start + count):
        actor = RemoteActor.objects.create(
            uri=f"https://h{n}.example/users/f{n}",
            domain=f"h{n}.example",
            username=f"f{n}",
            inbox=f"https://h{n}.example/users/f{n}/inbox",
        )
        rows.append(
            Follower.objects.create(
                topic=topic,
                actor=actor,
                state=state,
                follow_activity_id=f"https://h{n}.example/follows/1",
            )
        )
    return rows


def page(topic):
    return reverse("federation:topic_followers", args=[topic.slug])


def act(client, follower, action):
    url = reverse("federation:follower_action", args=[follower.topic.slug, follower.pk])
    return client.post(url, {"action": action})


def test_only_curators_see_the_followers(client, topic, make_user):
    assert client.get(page(topic)).status_code == 302
    client.force_login(make_user())
    assert client.get(page(topic)).status_code == 403


def test_requests_come_first(client, topic, curator):
    add_followers(topic, 2)
    add_followers(topic, 1, state=FollowState.PENDING, start=5)
    add_followers(topic, 1, state=FollowState.REJECTED, start=9)
    client.force_login(curator)
    html = client.get(page(topic)).content.decode()
    assert html.index("@f5@h5.example") < html.index("@f0@h0.example")
    assert "@f9@h9.example" not in html
    assert html.count('value="approve"') == 1


def test_the_page_runs_the_same_queries_for_3_or_30_followers(client, topic, curator):
    client.force_login(curator)
    add_followers(topic, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(page(topic))
    add_followers(topic, 27, start=3)
    with CaptureQueriesContext(connection) as many:
        client.get(page(topic))
    assert len(many) == len(few)


def test_approving_a_request_accepts_it(client, topic, curator):
    (follower,) = add_followers(topic, 1, state=FollowState.PENDING)
    client.force_login(curator)
    assert act(client, follower, "approve").status_code == 302
    follower.refresh_from_db()
    topic.refresh_from_db()
    assert (follower.state, topic.follower_count) == (FollowState.ACCEPTED, 1)
    accept = OutboxActivity.objects.get()
    assert accept.activity["type"] == "Accept"
    assert accept.activity["object"]["id"] == follower.follow_activity_id


def test_removing_a_follower_sends_reject(client, topic, curator):
    (follower,) = add_followers(topic, 1)
    topic.follower_count = 1
    topic.save()
    client.force_login(curator)
    act(client, follower, "reject")
    follower.refresh_from_db()
    topic.refresh_from_db()
    assert (follower.state, topic.follower_count) == (FollowState.REJECTED, 0)
    reject = OutboxActivity.objects.get()
    assert (reject.activity["type"], reject.activity["object"]["actor"]) == (
        "Reject",
        follower.actor.uri,
    )
    assert reject.deliveries.get().inbox == follower.actor.inbox


def test_other_people_cannot_act_on_followers(client, topic, make_user):
    (follower,) = add_followers(topic, 1, state=FollowState.PENDING)
    client.force_login(make_user())
    assert act(client, follower, "approve").status_code == 403
    follower.refresh_from_db()
    assert follower.state == FollowState.PENDING


def test_an_unknown_action_is_not_found(client, topic, curator):
    (follower,) = add_followers(topic, 1)
    client.force_login(curator)
    assert act(client, follower, "promote").status_code == 404
