"""Reading ActivityStreams documents as servers really send them.

The same property comes as a string, a list or an embedded object depending on the sender
(GoToSocial writes a one-element list as a bare value, Mastodon embeds the object of an Undo,
Lemmy sends ``to`` as a list and ``object`` as an id), so handlers never read a property
directly: they go through these helpers. https://www.w3.org/TR/activitystreams-core/#jsonld
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.utils.dateparse import parse_datetime

from veille.federation import ids

# The public collection, and the compact forms some servers write (all three mean it).
PUBLIC = frozenset({ids.PUBLIC, "as:Public", "Public"})
ACTOR_TYPES = frozenset({"Person", "Group", "Service", "Application", "Organization"})
POST_TYPES = frozenset({"Note", "Article", "Page", "Question", "Video", "Event"})
ACTIVITY_JSON = "application/activity+json"


def as_list(value) -> list:
    """``value`` as a list: nothing is [], a bare value is [value]."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def id_of(value) -> str:
    """The id of a reference: an id string, an embedded object's ``id``, a list's first."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        found = value.get("id") or value.get("href") or ""
        return found if isinstance(found, str) else ""
    if isinstance(value, list) and value:
        return id_of(value[0])
    return ""


def ids_of(value) -> list[str]:
    return [found for found in map(id_of, as_list(value)) if found]


def type_of(value) -> str:
    """The type of an embedded object ("" for a bare id); the first one when it has several."""
    if not isinstance(value, dict):
        return ""
    kinds = [k for k in as_list(value.get("type")) if isinstance(k, str)]
    return kinds[0] if kinds else ""


def embedded(value) -> dict | None:
    """The embedded object, or None when only its id was sent."""
    if isinstance(value, list) and value:
        value = value[0]
    return value if isinstance(value, dict) else None


def host_of(uri: str) -> str:
    """host[:port], lower-cased: what identifies a server (ports matter on one machine)."""
    try:
        return urlsplit(uri).netloc.rpartition("@")[2].lower()
    except ValueError:
        return ""


def hostname_of(uri: str) -> str:
    """The host name alone, without port: what domain blocks match."""
    try:
        return (urlsplit(uri).hostname or "").lower()
    except ValueError:
        return ""


def same_host(*uris: str) -> bool:
    hosts = {host_of(uri) for uri in uris}
    return len(hosts) == 1 and "" not in hosts


def audience(*documents) -> set[str]:
    """Every address in ``to``, ``cc`` and ``audience`` of the given documents."""
    found: set[str] = set()
    for document in documents:
        if isinstance(document, dict):
            for field in ("to", "cc", "audience"):
                found.update(ids_of(document.get(field)))
    return found


def is_public(*documents) -> bool:
    return bool(audience(*documents) & PUBLIC)


def content_html(obj: dict) -> str:
    """The HTML content: ``content``, else the first language of ``contentMap`` (not sanitized)."""
    content = obj.get("content")
    if isinstance(content, str) and content:
        return content
    content_map = obj.get("contentMap")
    if isinstance(content_map, dict):
        return next((v for v in content_map.values() if isinstance(v, str)), "")
    return ""


def link_url(value) -> str:
    """A URL from a ``url``/``icon`` property: a string, a Link or Image, or a list of them.

    From a list, the text/html link wins (Mastodon and PeerTube list several representations).
    """
    candidates = as_list(value)
    for candidate in candidates:
        if isinstance(candidate, dict) and candidate.get("mediaType") == "text/html":
            return _url_of(candidate)
    return next((url for url in map(_url_of, candidates) if url), "")


def _url_of(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        inner = value.get("url") or value.get("href") or ""
        return inner if isinstance(inner, str) else link_url(inner)
    return ""


def published(obj: dict) -> dt.datetime | None:
    value = obj.get("published")
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def text(value, limit: int) -> str:
    """A plain string property, cut to ``limit`` characters ("" for anything else)."""
    return value.strip()[:limit] if isinstance(value, str) else ""
