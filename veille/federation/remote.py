"""Remote actors and objects: fetched with the guarded client, signed by the instance actor.

Fetches are signed (Mastodon's "secure mode" and GoToSocial refuse unsigned ones), go over https
only (plain http when FEDERATION_ALLOW_HTTP, for trials on one machine), never reach a blocked
domain, and accept a document only from the host of its own id. Actors are cached as
RemoteActor rows and refetched when stale, or once when a signature fails (key rotation).
"""

from __future__ import annotations

import datetime as dt
import json
import re

from django.conf import settings
from django.utils import timezone

from veille.core.http import FetchError, fetch_sync
from veille.core.sanitize import clean_html
from veille.federation import blocks, local, signatures
from veille.federation.models import RemoteActor
from veille.federation.payloads import (
    ACTIVITY_JSON,
    ACTOR_TYPES,
    as_list,
    embedded,
    host_of,
    id_of,
    link_url,
    text,
    type_of,
)

ACCEPT = f'{ACTIVITY_JSON}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
MAX_DOCUMENT_BYTES = 1024 * 1024
FETCH_TIMEOUT = 10
ACTOR_TTL = dt.timedelta(days=1)
# A failed signature refetches the key, but not more often than this for one actor.
KEY_REFRESH_INTERVAL = dt.timedelta(minutes=1)
HANDLE = re.compile(r"^@?(?P<user>[^@\s/]+)@(?P<host>[^@\s/]+)$")


class RemoteError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def allow_http() -> bool:
    return bool(getattr(settings, "FEDERATION_ALLOW_HTTP", False))


def check_peer_url(url: str) -> str:
    """``url`` if we may reach it: https (or http when allowed), not blocked."""
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise RemoteError("bad_scheme", f"not a web address: {url!r}")
    if url.startswith("http://") and not allow_http():
        raise RemoteError("bad_scheme", f"refused: {url} is not https")
    if blocks.is_blocked(url):
        raise RemoteError("blocked", f"refused: {host_of(url)} is blocked")
    return url


def _get(url: str, *, accept: str):
    """A GET signed by the instance actor, through the guarded client."""
    key_id, private_key_pem = local.signer()
    headers = signatures.signed_headers(
        method="GET",
        url=url,
        body=None,
        key_id=key_id,
        private_key_pem=private_key_pem,
        headers={"Accept": accept},
    )
    try:
        return fetch_sync(url, headers=headers, max_bytes=MAX_DOCUMENT_BYTES, timeout=FETCH_TIMEOUT)
    except FetchError as error:
        raise RemoteError(error.code, str(error)) from error


def fetch_document(url: str) -> dict:
    """The ActivityStreams document at ``url``; its id must be on the host that served it."""
    result = _get(check_peer_url(url), accept=ACCEPT)
    if result.status in (404, 410):
        raise RemoteError("gone", f"{url} answered {result.status}")
    if not result.ok:
        raise RemoteError("status", f"{url} answered {result.status}")
    try:
        document = json.loads(result.body)
    except ValueError as error:
        raise RemoteError("not_json", f"{url} did not answer JSON") from error
    if not isinstance(document, dict) or not isinstance(document.get("id"), str):
        raise RemoteError("not_json", f"{url} did not answer an object with an id")
    # Another server cannot speak for this one: a document counts only from its own host.
    if host_of(document["id"]) != host_of(result.final_url):
        raise RemoteError("foreign_id", f"{url} served a document of {host_of(document['id'])}")
    return document


# --- actors -----------------------------------------------------------------------------------


def _key_of(document: dict, key_id: str | None) -> dict:
    """The actor's key: the one with ``key_id`` when given, else the first one it owns."""
    for key in as_list(document.get("publicKey")):
        if not isinstance(key, dict) or key.get("owner", document["id"]) != document["id"]:
            continue
        if key_id is None or key.get("id") == key_id:
            return key
    return {}


def _actor_fields(document: dict, key_id: str | None) -> dict:
    key = _key_of(document, key_id)
    endpoints = embedded(document.get("endpoints")) or {}
    return {
        "domain": host_of(document["id"]),
        "actor_type": type_of(document) or "Person",
        "username": text(document.get("preferredUsername"), 255),
        "name": text(document.get("name"), 255),
        "summary_html": clean_html(document.get("summary") or ""),
        "url": link_url(document.get("url"))[:2000],
        "icon_url": link_url(document.get("icon"))[:2000],
        "inbox": id_of(document.get("inbox"))[:2000],
        "shared_inbox": id_of(endpoints.get("sharedInbox"))[:2000],
        "outbox": id_of(document.get("outbox"))[:2000],
        "key_id": key.get("id", "") if isinstance(key.get("id"), str) else "",
        "public_key_pem": key.get("publicKeyPem", "") or "",
        "moved_to": id_of(document.get("movedTo"))[:2000],
        "fetched_at": timezone.now(),
        "deleted_at": None,
    }


def save_actor(document: dict, *, key_id: str | None = None) -> RemoteActor:
    """Store (or refresh) the actor that ``document`` describes; the caller checked its origin."""
    if type_of(document) not in ACTOR_TYPES:
        raise RemoteError("not_actor", f"{document.get('id')} is not an actor")
    actor, _created = RemoteActor.objects.update_or_create(
        uri=document["id"], defaults=_actor_fields(document, key_id)
    )
    return actor


def get_actor(uri: str, *, refresh: bool = False) -> RemoteActor:
    """The actor at ``uri``, from the cache while it is fresh."""
    actor = RemoteActor.objects.filter(uri=uri).first()
    fresh = actor is not None and actor.fetched_at and actor.fetched_at > timezone.now() - ACTOR_TTL
    if fresh and not refresh:
        return actor
    document = fetch_document(uri)
    if document["id"] != uri:
        raise RemoteError("foreign_id", f"{uri} describes {document['id']}")
    return save_actor(document)


def _actor_for_key(key_id: str) -> RemoteActor:
    """Fetch the actor owning ``key_id``.

    Mastodon's key id is "<actor>#main-key": the actor document. Others serve the key at its own
    address, as a key document naming its ``owner`` or as a stub of the actor (GoToSocial's
    ".../main-key"): then the whole actor is fetched from its own id.
    """
    key_url = key_id.split("#", 1)[0]
    document = fetch_document(key_url)
    if "publicKeyPem" in document and isinstance(document.get("owner"), str):
        document = fetch_document(document["owner"])
    elif document["id"] != key_url:
        document = fetch_document(document["id"])
    return save_actor(document, key_id=key_id)


def public_key_pem(key_id: str, refresh: bool) -> str | None:
    """The PEM of ``key_id`` for verify_request: cached, fetched, or refetched once (rotation)."""
    cached = RemoteActor.objects.filter(key_id=key_id).exclude(public_key_pem="").first()
    if cached is not None and not refresh:
        return cached.public_key_pem
    recent = timezone.now() - KEY_REFRESH_INTERVAL
    if cached is not None and cached.fetched_at and cached.fetched_at > recent:
        return None  # just fetched: a refetch would bring the same key
    if blocks.is_blocked(key_id):
        return None
    try:
        actor = _actor_for_key(key_id)
    except RemoteError:
        return None
    return actor.public_key_pem if actor.key_id == key_id and actor.public_key_pem else None


# --- handles (WebFinger) --------------------------------------------------------------------


def parse_handle(handle: str) -> tuple[str, str]:
    match = HANDLE.match(handle.strip())
    if match is None:
        raise RemoteError("bad_handle", f"not a fediverse address: {handle!r}")
    return match["user"], match["host"].lower()


def _webfinger(user: str, host: str) -> dict:
    schemes = ("https", "http") if allow_http() else ("https",)
    last_error = RemoteError("unreachable", f"{host} did not answer")
    for scheme in schemes:
        url = f"{scheme}://{host}/.well-known/webfinger?resource=acct:{user}@{host}"
        try:
            result = fetch_sync(
                check_peer_url(url),
                accept="application/jrd+json, application/json",
                max_bytes=MAX_DOCUMENT_BYTES,
                timeout=FETCH_TIMEOUT,
            )
        except FetchError as error:
            last_error = RemoteError(error.code, str(error))
            continue
        if result.ok:
            try:
                return json.loads(result.body)
            except ValueError as error:
                raise RemoteError("not_json", f"{url} did not answer JSON") from error
        last_error = RemoteError("not_found", f"{host} does not know {user}")
    raise last_error


def actor_uri_for_handle(handle: str) -> str:
    """The actor id that WebFinger gives for @user@host (RFC 7033)."""
    user, host = parse_handle(handle)
    document = _webfinger(user, host)
    for link in as_list(document.get("links") if isinstance(document, dict) else None):
        if not isinstance(link, dict) or link.get("rel") != "self":
            continue
        if str(link.get("type", "")).startswith((ACTIVITY_JSON, "application/ld+json")):
            return check_peer_url(link.get("href", ""))
    raise RemoteError("not_found", f"{host} lists no ActivityPub actor for {user}")


def lookup(handle_or_uri: str) -> RemoteActor:
    """The remote actor for "@user@host", "user@host" or an actor's address."""
    value = handle_or_uri.strip()
    uri = value if value.startswith(("https://", "http://")) else actor_uri_for_handle(value)
    if local.is_local(uri):
        raise RemoteError("local", "this account is on this server")
    return get_actor(check_peer_url(uri))
