"""API rate limits: per token, per logged-in user (browser reads), or per client address.

The fixed windows of veille.core.ratelimit, under the API's own names (api_read, api_write).
"""

from __future__ import annotations

from veille.core.ratelimit import hit_rate_limit
from veille.core.request import client_address


def caller_key(request, *, token=None) -> str:
    if token is not None:
        return f"token:{token.pk}"
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"addr:{client_address(request)}"


def meter(request, *, token=None) -> None:
    name = "api_read" if request.method in ("GET", "HEAD", "OPTIONS") else "api_write"
    hit_rate_limit(name, caller_key(request, token=token))
