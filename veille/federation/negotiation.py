"""Content negotiation: a topic page, a profile and a post page are also ActivityPub documents.

The same address answers HTML to browsers and JSON to fediverse servers, chosen on ``Accept``
(https://www.w3.org/TR/activitypub/#retrieving-objects): ``application/activity+json`` or
``application/ld+json; profile="https://www.w3.org/ns/activitystreams"`` (plain
``application/ld+json`` too). Both representations carry ``Vary: Accept`` so that caches keep
them apart.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from veille.federation import views_public

AS_PROFILE = "https://www.w3.org/ns/activitystreams"
HANDLERS: dict[str, Callable[..., HttpResponse]] = {
    "topics:topic": views_public.topic_actor,
    "accounts:profile": views_public.user_actor,
    "topics:post": views_public.note,
}
PREFIXES = ("/topic/", "/u/")


def _media_ranges(accept: str):
    """(type, parameters, q) of each media range of an Accept header (RFC 9110 section 12.5.1)."""
    for part in accept.split(","):
        media, *raw_params = (piece.strip() for piece in part.split(";"))
        params = {}
        for raw in raw_params:
            name, _sep, value = raw.partition("=")
            params[name.strip().lower()] = value.strip().strip('"')
        try:
            q = float(params.pop("q", "1"))
        except ValueError:
            q = 0.0
        yield media.lower(), params, q


def _is_activity_json(media: str, params: dict[str, str]) -> bool:
    if media == "application/activity+json":
        return True
    return media == "application/ld+json" and params.get("profile", AS_PROFILE) == AS_PROFILE


def wants_activity_json(accept: str) -> bool:
    """Whether ``accept`` prefers an ActivityStreams document to an HTML page."""
    best_json = best_html = 0.0
    for media, params, q in _media_ranges(accept or ""):
        if _is_activity_json(media, params):
            best_json = max(best_json, q)
        elif media in ("text/html", "application/xhtml+xml"):
            best_html = max(best_html, q)
    return best_json > 0 and best_json >= best_html


def _handler(request: HttpRequest):
    if not request.path_info.startswith(PREFIXES):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    handler = HANDLERS.get(match.view_name)
    return (handler, match.kwargs) if handler else None


class ActivityPubMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = _handler(request)
        if found is None:
            return self.get_response(request)
        handler, kwargs = found
        safe = request.method in ("GET", "HEAD")
        if safe and wants_activity_json(request.headers.get("Accept", "")):
            response = handler(request, **kwargs)
        else:
            response = self.get_response(request)
        patch_vary_headers(response, ["Accept"])
        return response
