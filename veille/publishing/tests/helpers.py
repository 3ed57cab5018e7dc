"""Reading the feeds back in tests: fetch a page, parse it, follow its links, list its items."""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.urls import reverse

ATOM = "{http://www.w3.org/2005/Atom}"
FORMATS = ("feed_atom", "feed_rss", "feed_json")


def feed_url(url_name, topic, **query):
    path = reverse(f"publishing:{url_name}", args=[topic.slug])
    return f"{path}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else path


def local(url):
    """The path and query of one of the feed's absolute links, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def parse(response):
    if response["Content-Type"].startswith("application/feed+json"):
        return json.loads(response.content)
    return ET.fromstring(response.content)  # noqa: S314 - our own output, in a test


def next_url(document):
    """The rel="next" link of an Atom, RSS or JSON feed page, or None."""
    if isinstance(document, dict):
        return document.get("next_url")
    links = document.iter(f"{ATOM}link")
    return next((link.get("href") for link in links if link.get("rel") == "next"), None)


def previous_url(document):
    links = document.iter(f"{ATOM}link")
    return next((link.get("href") for link in links if link.get("rel") == "previous"), None)


def item_pks(document):
    """The scoop pks of a feed page's items, in document order."""
    if isinstance(document, dict):
        return [_pk_of_tag(item["id"]) for item in document["items"]]
    if document.tag == "rss":
        return [_pk_of_post_url(guid.text) for guid in document.iter("guid")]
    return [_pk_of_tag(entry.find(f"{ATOM}id").text) for entry in document.iter(f"{ATOM}entry")]


def _pk_of_tag(tag_uri):
    return int(re.fullmatch(r"tag:[^,]+,\d{4}-\d\d-\d\d:scoop:(\d+)", tag_uri).group(1))


def _pk_of_post_url(url):
    return int(re.search(r"/(\d+)-[^/]+/$", url).group(1))
