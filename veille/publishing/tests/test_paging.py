import pytest

from veille.publishing.selectors import Cursor
from veille.publishing.tests.helpers import (
    FORMATS,
    feed_url,
    item_pks,
    local,
    next_url,
    parse,
    previous_url,
)
from veille.topics import services


def _walk(client, first):
    """Follow rel="next" from ``first`` until there is none; the pks seen and the pages read."""
    pks, pages, url = [], 0, first
    while url:
        response = client.get(url)
        assert response.status_code == 200
        document = parse(response)
        pks += item_pks(document)
        pages += 1
        url = next_url(document) and local(next_url(document))
    return pks, pages


@pytest.mark.parametrize("url_name", FORMATS)
def test_following_next_links_reads_the_whole_archive_once_in_order(
    client, topic, archive, url_name
):
    scoops = archive(45)
    pks, pages = _walk(client, feed_url(url_name, topic))
    assert pks == [scoop.pk for scoop in scoops]
    assert pages == 3  # 20 + 20 + 5


@pytest.mark.parametrize("url_name", FORMATS)
def test_walking_is_not_thrown_off_by_posts_published_meanwhile(
    client, topic, archive, make_scoop, url_name
):
    scoops = archive(45)
    first = parse(client.get(feed_url(url_name, topic)))
    make_scoop("Published while the reader walks")
    pks, _pages = _walk(client, local(next_url(first)))
    assert item_pks(first) + pks == [scoop.pk for scoop in scoops]


def test_previous_links_walk_back_to_the_newest_posts(client, topic, archive):
    scoops = archive(45)
    url, pages = feed_url("feed_atom", topic), []
    while url:
        pages.append(parse(client.get(url)))
        url = next_url(pages[-1]) and local(next_url(pages[-1]))
    assert previous_url(pages[0]) is None
    back = parse(client.get(local(previous_url(pages[-1]))))
    assert item_pks(back) == [scoop.pk for scoop in scoops[20:40]]
    newest = parse(client.get(local(previous_url(back))))
    assert item_pks(newest) == [scoop.pk for scoop in scoops[:20]]
    assert previous_url(newest) is None
    assert next_url(newest) is not None


def test_the_newest_page_links_first_and_self_but_not_previous(client, topic, archive):
    archive(25)
    links = {
        link.get("rel"): link.get("href")
        for link in parse(client.get(feed_url("feed_atom", topic)))
        if link.tag.endswith("link")
    }
    assert links["self"] == links["first"]
    assert links["first"].endswith("/topic/toulouse-networks/feed.atom")
    assert "previous" not in links
    assert "?before=" in links["next"]


@pytest.mark.parametrize("url_name", FORMATS)
def test_a_page_past_the_end_is_not_found(client, topic, archive, url_name):
    oldest = archive(3)[-1]
    past_the_end = Cursor.of(oldest).encode()
    assert client.get(feed_url(url_name, topic, before=past_the_end)).status_code == 404


def test_a_page_newer_than_the_newest_post_is_not_found(client, topic, archive):
    newest = archive(3)[0]
    response = client.get(feed_url("feed_json", topic, after=Cursor.of(newest).encode()))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "cursor",
    [
        "yesterday,4",
        "2024-02-07T12:00:00,4",
        "2024-02-07T12:00:00Z,x",
        "2024-02-07T12:00:00Z",
    ],
)
def test_a_malformed_cursor_is_not_found(client, topic, archive, cursor):
    archive(3)
    assert client.get(feed_url("feed_atom", topic, before=cursor)).status_code == 404


def test_a_page_cannot_be_both_before_and_after(client, topic, archive):
    cursor = Cursor.of(archive(3)[1]).encode()
    url = feed_url("feed_rss", topic, before=cursor, after=cursor)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url_name", FORMATS)
def test_an_unknown_topic_has_no_feed(client, db, url_name):
    response = client.get(f"/topic/nowhere/feed.{url_name.removeprefix('feed_')}")
    assert response.status_code == 404


@pytest.mark.parametrize("url_name", FORMATS)
def test_an_empty_topic_has_an_empty_first_page(client, topic, url_name):
    response = client.get(feed_url(url_name, topic))
    assert response.status_code == 200
    assert item_pks(parse(response)) == []


def test_a_cursor_survives_the_deletion_of_its_post(client, topic, curator, archive):
    scoops = archive(45)
    first = parse(client.get(feed_url("feed_atom", topic)))
    services.scoop_delete(scoop=scoops[19], by=curator)  # the cursor's own post
    second = parse(client.get(local(next_url(first))))
    assert item_pks(second) == [scoop.pk for scoop in scoops[20:40]]


def test_cursor_round_trips_through_its_text_form(topic, archive):
    scoop = archive(1)[0]
    assert Cursor.parse(Cursor.of(scoop).encode()) == Cursor.of(scoop)
