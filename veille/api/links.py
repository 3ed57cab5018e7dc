"""Absolute addresses of API resources and pages (from VEILLE_BASE_URL, as feeds and e-mails)."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

from veille.core.urls_util import absolute_url


def api_url(*parts) -> str:
    """``api_url("topics", slug)`` -> https://host/api/v1/topics/<slug>."""
    root = reverse("api:v1:api-root")  # /api/
    return absolute_url(root + "v1/" + "/".join(quote(str(part), safe="") for part in parts))


def page_url(obj) -> str:
    return absolute_url(obj.get_absolute_url())


def media_url(path: str) -> str | None:
    """The absolute address of one of our media copies (empty path: none)."""
    return absolute_url(path) if path else None
