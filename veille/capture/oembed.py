"""oEmbed (https://oembed.com/): finding a page's endpoint, and reading what the endpoint answers.

Veille never stores or renders a provider's ``html``: a scoop plays a video in an iframe whose
``src`` we build from an allow-list (``embed_src``), so a provider cannot inject markup.
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

from .metadata import Page, absolute_url

OEMBED_JSON_TYPES = {"application/json+oembed", "text/json+oembed"}
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
VIMEO_PATH = re.compile(r"^/(?:channels/[^/]+/|groups/[^/]+/videos/)?(\d+)/?$")
PEERTUBE_PATH = re.compile(r"^/(?:w|videos/watch)/([A-Za-z0-9-]{6,64})/?$")
EMBED_PREFIXES = {
    "www.youtube.com": "/embed/",
    "www.youtube-nocookie.com": "/embed/",
    "player.vimeo.com": "/video/",
}
PEERTUBE_EMBED_PREFIX = "/videos/embed/"


@dataclass(frozen=True)
class OEmbedLink:
    url: str
    format: str = "json"


@dataclass(frozen=True)
class OEmbed:
    title: str | None
    author_name: str | None
    provider_name: str | None
    thumbnail_url: str | None
    type: str | None
    html: str | None  # the provider's markup, for inspection only: never stored or rendered
    width: int | None
    height: int | None
    embed_src: str | None  # an allow-listed https iframe src, or None


def discover_oembed(page: Page, canonical: str | None = None) -> OEmbedLink | None:
    """The page's own <link rel=alternate type=application/json+oembed>, else a known provider's."""
    for rels, href, link_type in page.links:
        if "alternate" in rels and link_type.strip().lower() in OEMBED_JSON_TYPES:
            url = absolute_url(page.base, href)
            if url:
                return OEmbedLink(url=url)
    for candidate in filter(None, (page.url, canonical)):
        link = provider_oembed(candidate)
        if link:
            return link
    return None


def provider_oembed(url: str) -> OEmbedLink | None:
    """The oEmbed endpoint of a YouTube, Vimeo or PeerTube video URL, built without a fetch."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return None
    video = _youtube_id(host, parts.path, parts.query)
    if video:
        watch = f"https://www.youtube.com/watch?v={video}"
        return OEmbedLink(f"https://www.youtube.com/oembed?url={quote(watch, safe='')}&format=json")
    if host in ("vimeo.com", "www.vimeo.com") and VIMEO_PATH.match(parts.path):
        page = f"https://vimeo.com/{VIMEO_PATH.match(parts.path).group(1)}"
        return OEmbedLink(f"https://vimeo.com/api/oembed.json?url={quote(page, safe='')}")
    if PEERTUBE_PATH.match(parts.path):
        return OEmbedLink(f"https://{host}/services/oembed?url={quote(url, safe='')}&format=json")
    return None


def _youtube_id(host: str, path: str, query: str) -> str | None:
    if host == "youtu.be":
        candidate = path.strip("/").split("/", 1)[0]
    elif host in YOUTUBE_HOSTS and path == "/watch":
        candidate = (parse_qs(query).get("v") or [""])[0]
    elif host in YOUTUBE_HOSTS and path.startswith(("/shorts/", "/live/")):
        candidate = path.split("/")[2]
    else:
        return None
    return candidate if YOUTUBE_ID.match(candidate) else None


def parse_oembed(data: bytes | str, *, endpoint_url: str | None = None) -> OEmbed | None:
    """Read an oEmbed JSON answer; None when it is not a JSON object.

    ``endpoint_url`` is where the answer came from: a PeerTube embed is only trusted on that host.
    """
    try:
        payload = json.loads(data)
    except (ValueError, TypeError):
        return None
    if not isinstance(payload, dict):
        return None
    markup = payload.get("html") if isinstance(payload.get("html"), str) else None
    thumbnail = _text(payload.get("thumbnail_url"))
    return OEmbed(
        title=_text(payload.get("title")),
        author_name=_text(payload.get("author_name")),
        provider_name=_text(payload.get("provider_name")),
        thumbnail_url=thumbnail if thumbnail and absolute_url(thumbnail, thumbnail) else None,
        type=_text(payload.get("type")),
        html=markup,
        width=_integer(payload.get("width")),
        height=_integer(payload.get("height")),
        embed_src=allowed_embed_src(markup, endpoint_url=endpoint_url),
    )


def allowed_embed_src(markup: str | None, *, endpoint_url: str | None = None) -> str | None:
    """The iframe ``src`` of a provider's markup, if it is an https player URL we allow."""
    src = _iframe_src(markup)
    if not src:
        return None
    try:
        parts = urlsplit(src)
        if parts.scheme != "https" or parts.username or parts.password or parts.port:
            return None
        endpoint_host = urlsplit(endpoint_url or "").hostname
    except ValueError:  # an invalid port or IPv6 literal
        return None
    host = (parts.hostname or "").lower()
    prefix = EMBED_PREFIXES.get(host)
    if prefix is None and endpoint_host and host == endpoint_host.lower():
        prefix = PEERTUBE_EMBED_PREFIX
    if prefix is None or not parts.path.startswith(prefix) or len(parts.path) <= len(prefix):
        return None
    return parts._replace(fragment="").geturl()


def _iframe_src(markup: str | None) -> str | None:
    if not markup or "<iframe" not in markup.lower():
        return None
    try:
        root: HtmlElement = fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    iframe = next(root.iter("iframe"), None)
    src = (iframe.get("src") or "").strip() if iframe is not None else ""
    return src or None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _integer(value: object) -> int | None:
    try:
        number = int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number > 0 else None
