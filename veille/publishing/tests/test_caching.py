"""Conditional requests: feed readers that poll get a 304 until something changes."""

import pytest

from veille.publishing.tests.helpers import FORMATS, feed_url, local, next_url, parse
from veille.topics import services


@pytest.mark.parametrize("url_name", FORMATS)
def test_a_reader_with_the_current_etag_gets_not_modified(client, topic, archive, url_name):
    archive(3)
    first = client.get(feed_url(url_name, topic))
    again = client.get(feed_url(url_name, topic), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("url_name", FORMATS)
def test_a_reader_with_the_last_modified_date_gets_not_modified(client, topic, archive, url_name):
    archive(3)
    first = client.get(feed_url(url_name, topic))
    again = client.get(feed_url(url_name, topic), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_new_post_changes_the_etag(client, topic, archive, make_scoop):
    archive(3)
    first = client.get(feed_url("feed_atom", topic))
    make_scoop("Fresh")
    again = client.get(feed_url("feed_atom", topic), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200


def test_an_edited_insight_changes_the_etag(client, topic, curator, archive):
    scoop = archive(3)[2]
    first = client.get(feed_url("feed_json", topic))
    services.scoop_update(scoop=scoop, by=curator, insight="Second thoughts")
    again = client.get(feed_url("feed_json", topic), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Second thoughts" in again.content.decode()


def test_a_deleted_older_post_changes_the_etag(client, topic, curator, archive):
    scoops = archive(3)
    first = client.get(feed_url("feed_rss", topic))
    services.scoop_delete(scoop=scoops[-1], by=curator)
    again = client.get(feed_url("feed_rss", topic), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200


def test_each_page_and_format_has_its_own_etag(client, topic, archive):
    archive(25)
    atom = client.get(feed_url("feed_atom", topic))
    second = client.get(local(next_url(parse(atom))))
    rss = client.get(feed_url("feed_rss", topic))
    assert len({atom["ETag"], second["ETag"], rss["ETag"]}) == 3
    stale = client.get(local(next_url(parse(atom))), HTTP_IF_NONE_MATCH=atom["ETag"])
    assert stale.status_code == 200


def test_the_feed_does_not_depend_on_the_readers_language(client, topic, archive):
    archive(2, insight="Insight")
    english = client.get(feed_url("feed_atom", topic), HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(feed_url("feed_atom", topic), HTTP_ACCEPT_LANGUAGE="fr")
    assert english.content == french.content
    assert english["ETag"] == french["ETag"]
