"""What each feed says: well-formed documents carrying excerpt, insight and credit."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from veille.publishing.feeds.content import item_html
from veille.publishing.tests.helpers import ATOM, FORMATS, feed_url, item_pks, parse
from veille.topics import services

DC = "{http://purl.org/dc/elements/1.1/}"
LEAD = f"{settings.BASE_URL}/media/thumbs/fi/fibre-1200.webp"


@pytest.fixture
def post(make_scoop):
    scoop = make_scoop(
        "Fibre arrives in Toulouse",
        url="https://example.org/fibre",
        image_url="https://img.example.org/fibre.jpg",
        image_alt="A cable",
        excerpt_html="<p>The excerpt &amp; more</p>",
        insight="A **sharp** insight",
        tags=["Réseaux", "Fibre"],
    )
    # Feeds show our copy of the image (made by capture), never the source's.
    type(scoop).objects.filter(pk=scoop.pk).update(lead_image="thumbs/fi/fibre-1200.webp")
    return scoop


@pytest.mark.parametrize(
    ("url_name", "content_type"),
    [
        ("feed_atom", "application/atom+xml; charset=utf-8"),
        ("feed_rss", "application/rss+xml; charset=utf-8"),
        ("feed_json", "application/feed+json; charset=utf-8"),
    ],
)
def test_each_feed_is_served_with_its_media_type(client, topic, post, url_name, content_type):
    response = client.get(feed_url(url_name, topic))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


@pytest.mark.parametrize("url_name", FORMATS)
def test_feeds_list_only_published_posts(client, topic, make_scoop, url_name):
    published = make_scoop("Out")
    make_scoop("Draft", draft=True)
    make_scoop("Later", publish_at=timezone.now() + dt.timedelta(days=1))
    assert item_pks(parse(client.get(feed_url(url_name, topic)))) == [published.pk]


@pytest.mark.parametrize("url_name", ["feed_atom", "feed_rss"])
def test_xml_feeds_stay_well_formed_with_control_characters_in_a_title(
    client, topic, make_scoop, url_name
):
    make_scoop("Copied\x0c from a PDF\x01")
    response = client.get(feed_url(url_name, topic))
    document = parse(response)
    assert "Copied from a PDF" in response.content.decode()
    assert len(item_pks(document)) == 1


def test_atom_entry_carries_excerpt_insight_links_and_categories(client, topic, post):
    feed = parse(client.get(feed_url("feed_atom", topic)))
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    entry = feed.find(f"{ATOM}entry")
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "<p>The excerpt &amp; more</p>" in content.text
    assert insight_heading("Jacques Le Bris") in content.text
    assert "A <strong>sharp</strong> insight" in content.text
    assert f'<img src="{LEAD}" alt="A cable">' in content.text
    links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
    assert links == {
        "alternate": f"{settings.BASE_URL}{post.get_absolute_url()}",
        "related": "https://example.org/fibre",
    }
    assert {c.get("label") for c in entry.findall(f"{ATOM}category")} == {"Réseaux", "Fibre"}
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Jacques Le Bris"


def test_atom_ids_stay_the_same_when_a_title_changes(client, topic, curator, post):
    before = parse(client.get(feed_url("feed_atom", topic)))
    services.scoop_update(scoop=post, by=curator, title="A new title")
    after = parse(client.get(feed_url("feed_atom", topic)))
    assert after.find(f"{ATOM}id").text == before.find(f"{ATOM}id").text
    entry_id = f"{ATOM}entry/{ATOM}id"
    assert after.find(entry_id).text == before.find(entry_id).text
    host = urlsplit(settings.BASE_URL).hostname
    assert before.find(entry_id).text.startswith(f"tag:{host},")


def test_rss_item_carries_permalink_guid_creator_and_content(client, topic, post):
    channel = parse(client.get(feed_url("feed_rss", topic))).find("channel")
    item = channel.find("item")
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "true"
    assert guid.text == item.find("link").text == f"{settings.BASE_URL}{post.get_absolute_url()}"
    assert item.find(f"{DC}creator").text == "Jacques Le Bris"
    assert "<p>The excerpt &amp; more</p>" in item.find("description").text
    assert "A <strong>sharp</strong> insight" in item.find("description").text
    assert channel.find("language").text == "fr"
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"{settings.BASE_URL}{feed_url('feed_rss', topic)}"


def test_json_feed_item_has_the_json_feed_1_1_members(client, topic, post):
    feed = parse(client.get(feed_url("feed_json", topic)))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["home_page_url"] == f"{settings.BASE_URL}/topic/toulouse-networks/"
    assert feed["feed_url"] == f"{settings.BASE_URL}/topic/toulouse-networks/feed.json"
    assert "next_url" not in feed
    (item,) = feed["items"]
    assert item["url"] == f"{settings.BASE_URL}{post.get_absolute_url()}"
    assert item["external_url"] == "https://example.org/fibre"
    assert item["image"] == LEAD
    assert item["title"] == "Fibre arrives in Toulouse"
    assert "<p>The excerpt &amp; more</p>" in item["content_html"]
    assert f"<p><strong>{insight_heading('Jacques Le Bris')}</strong></p>" in item["content_html"]
    assert sorted(item["tags"]) == ["Fibre", "Réseaux"]
    assert item["authors"] == [
        {"name": "Jacques Le Bris", "url": f"{settings.BASE_URL}/u/jacques/"}
    ]
    assert item["language"] == "fr"
    assert dt.datetime.fromisoformat(item["date_published"]) == post.published_at
    assert dt.datetime.fromisoformat(item["date_modified"]) >= post.published_at


@pytest.mark.parametrize("url_name", FORMATS)
def test_a_rescoop_carries_its_curators_insight_and_credits_the_first_curator(
    client, topic, rescoop, url_name
):
    document = parse(client.get(feed_url(url_name, topic)))
    assert item_pks(document) == [rescoop.pk]
    html = _only_content(document)
    assert "Jacques <em>adds</em> this" in html
    assert "Marie says" not in html  # the origin's insight belongs to the origin's topic
    assert f'<a href="{settings.BASE_URL}/u/marie/">Marie &lt;Curie&gt;</a>' in html
    assert f'<a href="{settings.BASE_URL}/topic/paris-networks/">Paris &amp; networks</a>' in html
    assert "<p>Origin excerpt</p>" in html


def insight_heading(name):
    with translation.override("fr"):  # the topic fixture's language
        return escape(gettext("Curator's insight (%(name)s):") % {"name": name})


def _only_content(document):
    if isinstance(document, dict):
        return document["items"][0]["content_html"]
    if document.tag == "rss":
        return document.find("channel/item/description").text
    return document.find(f"{ATOM}entry/{ATOM}content").text


@pytest.mark.parametrize("url_name", FORMATS)
def test_every_link_of_the_instance_is_absolute_on_base_url(client, topic, archive, url_name):
    archive(25, url="https://example.org/a")
    response = client.get(feed_url(url_name, topic))
    urls = _instance_urls(parse(response))
    assert len(urls) > 25
    assert all(url.startswith(f"{settings.BASE_URL}/") for url in urls)


def _instance_urls(document):
    """Every address a feed gives for the instance's own pages (not the sources')."""
    if isinstance(document, dict):
        top = [document[key] for key in ("home_page_url", "feed_url", "next_url")]
        return (
            top
            + [item["url"] for item in document["items"]]
            + [author["url"] for item in document["items"] for author in item["authors"]]
        )
    links = [
        link.get("href") for link in document.iter(f"{ATOM}link") if link.get("rel") != "related"
    ]
    texts = [el.text for el in document.iter() if el.tag in ("link", "guid", f"{ATOM}uri")]
    return links + texts


@pytest.mark.parametrize("url_name", ["feed_atom", "feed_rss"])
def test_html_content_survives_the_xml_intact(client, topic, make_scoop, url_name):
    scoop = make_scoop(
        "]]> </title> & <b>",
        insight="Ends a CDATA ]]> and </content> & <em>",
        excerpt_html="<p>1 &lt; 2 &amp; ]]&gt;</p>",
    )
    document = parse(client.get(feed_url(url_name, topic)))
    with translation.override(topic.language):  # the feed speaks its topic's language
        assert _only_content(document) == item_html(scoop)
    title = document.find(f"{ATOM}entry/{ATOM}title")
    assert (title if title is not None else document.find("channel/item/title")).text == (
        "]]> </title> & <b>"
    )
