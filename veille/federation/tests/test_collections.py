"""The collections remote servers read: outbox (paged), followers, following, featured."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from veille.federation.models import (
    Follower,
    Following,
    FollowingState,
    FollowState,
    RemoteActor,
)
from veille.federation.views_public import PAGE_SIZE
from veille.topics import services
from veille.topics.models import Scoop, Topic

BASE = "https://veille.test"
OUTBOX = "/topic/toulouse-networks/outbox"
_batches = itertools.count()


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = BASE


@pytest.fixture
def other_topic(make_user):
    marie = make_user("marie", display_name="Marie")
    return services.topic_create(by=marie, title="Paris networks", slug="paris-networks")


@pytest.fixture
def archive(make_scoop):
    """``archive(n)``: n published scoops, three at a time sharing a date (paging breaks ties)."""

    def make(count):
        batch = next(_batches)
        start = timezone.now() - dt.timedelta(days=30 + batch)
        for i in range(count):
            make_scoop(
                f"Post {batch}-{i}",
                publish_at=start + dt.timedelta(hours=i // 3),
                url=f"https://news.example/{batch}/{i}",
                tags=["fibre", "Smart city"],
                insight="Worth a read",
            )

    return make


@pytest.fixture
def rescoops(topic, curator, other_topic, make_scoop):
    """``rescoops(n)``: n posts of another topic rescooped here, half of them with an insight."""
    marie = other_topic.curators.get().user

    def make(count):
        batch = next(_batches)
        for i in range(count):
            origin = make_scoop(
                f"Origin {batch}-{i}",
                in_topic=other_topic,
                by=marie,
                url=f"https://news.example/o/{batch}/{i}",
            )
            insight = "Mine" if i % 2 else ""
            services.rescoop_create(origin=origin, topic=topic, by=curator, insight=insight)

    return make


def _json(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/activity+json"
    return response.json()


def _path(url: str) -> str:
    return url.removeprefix(BASE)


def test_outbox_is_an_ordered_collection_counting_published_posts(
    client, topic, archive, make_scoop
):
    archive(3)
    make_scoop("A draft", draft=True)
    outbox = _json(client, OUTBOX)
    assert outbox["id"] == f"{BASE}{OUTBOX}"
    assert outbox["type"] == "OrderedCollection"
    assert outbox["totalItems"] == 3
    assert outbox["first"] == f"{BASE}{OUTBOX}?page=true"
    assert "orderedItems" not in outbox


def test_outbox_pages_walk_every_post_newest_first_once(client, topic, archive):
    archive(PAGE_SIZE * 2 + 5)
    expected = list(
        Scoop.objects.filter(topic=topic)
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)
    )
    seen, url, pages = [], f"{BASE}{OUTBOX}?page=true", []
    while url:
        page = _json(client, _path(url))
        assert page["type"] == "OrderedCollectionPage" and page["partOf"] == f"{BASE}{OUTBOX}"
        pages.append(page)
        seen += [
            int(item["object"]["id"].rsplit("/", 2)[-2].split("-")[0])
            for item in page["orderedItems"]
        ]
        url = page.get("next")
    assert seen == expected
    assert [len(page["orderedItems"]) for page in pages] == [PAGE_SIZE, PAGE_SIZE, 5]
    assert "prev" not in pages[0]
    back = _json(client, _path(pages[2]["prev"]))
    assert back["orderedItems"] == pages[1]["orderedItems"]


def test_outbox_items_are_creates_of_notes_and_announces_of_bare_rescoops(
    client, topic, archive, rescoops
):
    archive(1)
    rescoops(2)
    items = _json(client, OUTBOX, page="true")["orderedItems"]
    kinds = sorted(item["type"] for item in items)
    assert kinds == ["Announce", "Create", "Create"]
    for item in items:
        assert "@context" not in item and item["actor"] == f"{BASE}/topic/toulouse-networks/"
    announce = next(item for item in items if item["type"] == "Announce")
    assert announce["object"].startswith(f"{BASE}/topic/paris-networks/")
    reply = next(i for i in items if i["type"] == "Create" and i["object"]["inReplyTo"])
    assert reply["object"]["inReplyTo"].startswith(f"{BASE}/topic/paris-networks/")


def test_followers_only_topic_has_an_empty_outbox_and_featured(client, topic, archive):
    archive(2)
    Scoop.objects.filter(topic=topic).update(pinned=True)
    Topic.objects.filter(pk=topic.pk).update(visibility="followers")
    assert _json(client, OUTBOX)["totalItems"] == 0
    assert _json(client, OUTBOX, page="true")["orderedItems"] == []
    featured = _json(client, "/topic/toulouse-networks/featured")
    assert featured["totalItems"] == 0 and featured["orderedItems"] == []


@pytest.mark.parametrize("query", [{"before": "yesterday"}, {"after": "1,2"}])
def test_outbox_page_with_a_bad_cursor_is_not_found(client, topic, query):
    assert client.get(OUTBOX, {"page": "true", **query}).status_code == 404


def test_outbox_page_between_two_cursors_is_not_found(client, topic, archive):
    archive(1)
    cursor = f"{timezone.now().isoformat()},1"
    assert client.get(OUTBOX, {"before": cursor, "after": cursor}).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = _json(client, _path(url))
    return len(queries), page


def test_outbox_page_query_count_does_not_grow_with_posts(client, topic, archive, rescoops):
    archive(6)
    rescoops(4)
    small, first = _queries(client, f"{OUTBOX}?page=true")
    assert len(first["orderedItems"]) == 10
    archive(30)
    rescoops(10)
    large, first = _queries(client, f"{OUTBOX}?page=true")
    assert len(first["orderedItems"]) == PAGE_SIZE
    assert small == large
    paged, second = _queries(client, first["next"])
    again, _page = _queries(client, second["next"])
    assert paged == again


def test_followers_give_their_count_and_no_members(client, topic):
    Topic.objects.filter(pk=topic.pk).update(follower_count=7)
    followers = _json(client, "/topic/toulouse-networks/followers")
    assert followers == {
        "@context": followers["@context"],
        "id": f"{BASE}/topic/toulouse-networks/followers",
        "type": "OrderedCollection",
        "totalItems": 7,
    }


def test_topic_follows_no_one(client, topic):
    following = _json(client, "/topic/toulouse-networks/following")
    assert following["totalItems"] == 0 and following["type"] == "OrderedCollection"


def test_featured_lists_pinned_posts_as_notes_newest_first(client, topic, make_scoop):
    old = make_scoop("Old pin", pinned=True, publish_at=timezone.now() - dt.timedelta(days=2))
    Scoop.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=2))
    new = make_scoop("New pin", pinned=True)
    make_scoop("Not pinned")
    make_scoop("Pinned draft", pinned=True, draft=True)
    featured = _json(client, "/topic/toulouse-networks/featured")
    assert featured["id"] == f"{BASE}/topic/toulouse-networks/featured"
    assert featured["totalItems"] == 2
    ids = [note["id"] for note in featured["orderedItems"]]
    assert ids == [f"{BASE}/topic/toulouse-networks/{s.pk}-post/" for s in (new, old)]
    assert all(note["type"] == "Note" for note in featured["orderedItems"])


def test_collections_of_unknown_topics_are_not_found(client, db):
    for name in ("outbox", "followers", "following", "featured"):
        assert client.get(f"/topic/nowhere/{name}").status_code == 404


def test_curator_collections_count_their_fediverse_follows_and_other_users_have_none(
    client, topic, curator, make_user
):
    make_user("reader")
    alice, bob = (
        RemoteActor.objects.create(uri=f"https://peer.example/{n}", domain="peer.example")
        for n in ("alice", "bob")
    )
    Follower.objects.create(user=curator, actor=alice, state=FollowState.ACCEPTED)
    Follower.objects.create(user=curator, actor=bob, state=FollowState.PENDING)
    Following.objects.create(
        user=curator, actor=bob, state=FollowingState.ACCEPTED, follow_activity_id="https://x/1"
    )
    totals = {"outbox": 0, "followers": 1, "following": 1}
    for name, total in totals.items():
        collection = _json(client, f"/u/jacques/{name}")
        assert collection["id"] == f"{BASE}/u/jacques/{name}"
        assert collection["totalItems"] == total
        assert collection.get("orderedItems", []) == []
        assert client.get(f"/u/reader/{name}").status_code == 404


def test_instance_actor_and_its_outbox(client, db):
    actor = _json(client, "/actor")
    assert actor["type"] == "Application" and actor["id"] == f"{BASE}/actor"
    assert actor["outbox"] == f"{BASE}/actor/outbox"
    outbox = _json(client, "/actor/outbox")
    assert outbox["totalItems"] == 0 and outbox["id"] == f"{BASE}/actor/outbox"
