"""A user's fediverse page: follow an account, read its posts, like and reply."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from veille.federation.models import (
    Following,
    FollowingState,
    OutboxActivity,
    RemoteActor,
    RemotePost,
)

pytestmark = pytest.mark.django_db
PAGE = "/fediverse/"


@pytest.fixture
def reader(client, make_user):
    user = make_user("reader")
    client.force_login(user)
    return user


def followed_posts(user, count: int, *, actors: int = 3, start: int = 0) -> list[RemotePost]:
    posts = []
    for a in range(actors):
        actor, _created = RemoteActor.objects.get_or_create(
            uri=f"https://h{a}.example/users/x",
            defaults={
                "domain": f"h{a}.example",
                "username": "x",
                "inbox": f"https://h{a}.example/i",
            },
        )
        Following.objects.get_or_create(
            user=user,
            actor=actor,
            defaults={"state": FollowingState.ACCEPTED, "follow_activity_id": f"https://me/{a}"},
        )
    actors_list = list(RemoteActor.objects.order_by("pk"))
    now = timezone.now()
    for n in range(start, start + count):
        posts.append(
            RemotePost.objects.create(
                uri=f"https://h{n % actors}.example/notes/{n}",
                actor=actors_list[n % actors],
                content_html=f"<p>Post {n}</p>",
                published=now - dt.timedelta(minutes=n),
            )
        )
    return posts


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_posts_of_followed_accounts_are_listed_newest_first(client, reader):
    followed_posts(reader, 3)
    RemotePost.objects.create(
        uri="https://stranger.example/n",
        content_html="<p>Not followed</p>",
        actor=RemoteActor.objects.create(
            uri="https://stranger.example/u", domain="stranger.example"
        ),
        published=timezone.now(),
    )
    html = client.get(PAGE).content.decode()
    assert html.index("Post 0") < html.index("Post 1") < html.index("Post 2")
    assert "Not followed" not in html
    assert "@x@h0.example" in html


def test_the_page_runs_the_same_queries_for_3_or_30_posts(client, reader):
    followed_posts(reader, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    followed_posts(reader, 27, actors=6, start=3)
    with CaptureQueriesContext(connection) as many:
        assert client.get(PAGE).status_code == 200
    assert len(many) == len(few)


def test_following_a_handle_from_the_page(client, reader, peer, fediverse):
    response = client.post(reverse("federation:follow"), {"handle": peer.uri})
    assert response.status_code == 302
    assert Following.objects.get(user=reader).actor.uri == peer.uri
    assert peer.name in client.get(PAGE).content.decode()


def test_a_handle_that_cannot_be_found_is_shown_as_a_form_error(client, reader, fediverse):
    response = client.post(reverse("federation:follow"), {"handle": "not a handle"})
    assert response.status_code == 200
    assert "Enter an address like" in response.content.decode()


def test_like_and_reply_from_the_page(client, reader):
    (post,) = followed_posts(reader, 1, actors=1)
    assert client.post(reverse("federation:like", args=[post.pk])).status_code == 302
    assert "Liked" in client.get(PAGE).content.decode()
    response = client.post(reverse("federation:reply", args=[post.pk]), {"text": "Nice one"})
    assert response.status_code == 302
    assert list(
        OutboxActivity.objects.values_list("activity_type", flat=True).order_by("created_at")
    ) == ["Like", "Create"]


def test_an_empty_reply_shows_the_error_next_to_the_post(client, reader):
    (post,) = followed_posts(reader, 1, actors=1)
    response = client.post(reverse("federation:reply", args=[post.pk]), {"text": ""})
    assert response.status_code == 200
    assert 'class="reply" open' in response.content.decode()


def test_unfollowing_from_the_page(client, reader):
    followed_posts(reader, 1, actors=1)
    actor = RemoteActor.objects.get()
    assert client.post(reverse("federation:unfollow", args=[actor.pk])).status_code == 302
    assert not Following.objects.exists()
    assert OutboxActivity.objects.get().activity_type == "Undo"
