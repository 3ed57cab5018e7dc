"""Who is calling: a personal token (Authorization: Bearer), else, for reads only, the session.

Writes need a token: the API does not check CSRF tokens, so a write carried by a session cookie
could be forged by another site. Every identified caller is then metered (ratelimit.py).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer

from veille.api import ratelimit, selectors, services

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    """Bearer token; reads also accept the browser session, or nobody (public data)."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _space, secret = header.partition(" ")
            if scheme.lower() != "bearer":
                raise AuthenticationError(message=_("Use: Authorization: Bearer <token>."))
            return self.authenticate(request, secret.strip())
        if request.method not in SAFE_METHODS:
            raise AuthenticationError(message=_("Writes need an API token."))
        ratelimit.meter(request)
        return request.user  # logged in through the session, or AnonymousUser

    def authenticate(self, request, token):
        found = selectors.active_token(secret=token) if token else None
        if found is None:
            raise AuthenticationError(message=_("This token is not valid, or was revoked."))
        if request.method not in SAFE_METHODS and not found.can_write:
            raise AuthorizationError(message=_("This token can only read."))
        ratelimit.meter(request, token=found)
        services.token_touch(token=found)
        return found.user
