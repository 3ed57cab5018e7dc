"""Feed autodiscovery: the <link rel="alternate"> tags a topic page puts in its head."""

from html.parser import HTMLParser

from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "link":
            self.links.append(dict(attrs))


def _links(html):
    parser = _Links()
    parser.feed(html)
    return parser.links


def test_feed_links_announce_the_three_feeds_with_absolute_addresses(topic):
    html = render_to_string(
        "publishing/_feed_links.html", {"topic": topic}, request=RequestFactory().get("/")
    )
    links = _links(html)
    base = f"{settings.BASE_URL}/topic/toulouse-networks"
    assert [(link["rel"], link["type"], link["href"]) for link in links] == [
        ("alternate", "application/atom+xml", f"{base}/feed.atom"),
        ("alternate", "application/rss+xml", f"{base}/feed.rss"),
        ("alternate", "application/feed+json", f"{base}/feed.json"),
    ]
    assert all("Toulouse networks" in link["title"] for link in links)


def test_feed_links_escape_the_topic_title(topic):
    topic.title = 'Réseaux "<Toulouse>"'
    html = render_to_string("publishing/_feed_links.html", {"topic": topic})
    assert "<Toulouse>" not in html
    assert all('Réseaux "<Toulouse>"' in link["title"] for link in _links(html))


def test_feed_links_lead_to_the_feeds(client, topic):
    html = render_to_string("publishing/_feed_links.html", {"topic": topic})
    for link in _links(html):
        response = client.get(link["href"])
        assert response.status_code == 200
        assert response["Content-Type"].startswith(link["type"])
