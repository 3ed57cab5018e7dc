"""Public profiles."""

from __future__ import annotations

from django.http import Http404
from ninja import Path, Router

from veille.accounts.selectors import profile_user
from veille.api.endpoints.common import READ_ERRORS
from veille.api.schemas import UserOut

router = Router(tags=["users"])
Username = Path[str, {"max_length": 150}]


@router.get("/{username}", response={200: UserOut, **READ_ERRORS})
def get_user(request, username: Username):
    """A person's public profile and the topics they curate."""
    user = profile_user(username=username) if username.isprintable() else None
    if user is None:
        raise Http404
    return user
