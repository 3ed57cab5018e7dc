"""Writes for API tokens: create (the only moment the secret exists in clear), revoke, touch."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from veille.api.models import ApiToken, Scope

PREFIX_LENGTH = 8
# last_used_at is for people reviewing their tokens, not an audit log: one write per token and
# interval instead of one per request.
TOUCH_INTERVAL = dt.timedelta(minutes=5)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user, name: str, scope: str = Scope.WRITE) -> tuple[ApiToken, str]:
    """A new token of ``user`` and its secret, which is not stored and cannot be shown again."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to create an API token."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose a scope.")})
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:PREFIX_LENGTH],
        token_hash=hash_secret(secret),
        scope=scope,
    )
    return token, secret


def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke a token: its owner, or an operator allowed to change tokens (the admin)."""
    if token.user_id != getattr(by, "pk", None) and not by.has_perm("api.change_apitoken"):
        raise PermissionDenied(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_touch(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Note that the token was used, at most once per TOUCH_INTERVAL."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
