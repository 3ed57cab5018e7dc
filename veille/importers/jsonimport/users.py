"""The accounts a Veille JSON file names, found by username on this instance.

A username this instance does not have becomes a placeholder account (no usable password, until
its person claims it) with the same username, name and bio. A username that cannot be used here
(reserved, taken by a topic's address, invalid) becomes a placeholder found by the person's name,
as the Scoop.it importer does (veille/importers/placeholders.py). Existing accounts are never
changed by an import.
"""

from __future__ import annotations

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from veille.accounts.models import User
from veille.accounts.services import RESERVED_USERNAMES
from veille.importers.jsonimport.fields import Fields, RecordError
from veille.importers.placeholders import USERNAME_MAX, placeholder_user
from veille.topics.models import Topic

MAX_CACHED = 10_000


def _usable(username: str) -> bool:
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return False
    return (
        len(username) <= USERNAME_MAX
        and username.lower() not in RESERVED_USERNAMES
        and not Topic.objects.filter(slug=username).exists()
    )


class Users:
    """Accounts by the file's usernames, for one import."""

    def __init__(self) -> None:
        self._known: dict[str, User] = {}

    def add(self, record: dict) -> None:
        fields = Fields(record)
        username = fields.text("username", 150, required=True).strip()
        self._remember(username, name=fields.text("name", 120), bio=fields.text("bio", 10_000))

    def get(self, username: object) -> User:
        if not isinstance(username, str) or not username.strip():
            raise RecordError("an account without a username")
        username = username.strip()
        return self._known.get(username) or self._remember(username, name="", bio="")

    def _remember(self, username: str, *, name: str, bio: str) -> User:
        user = User.objects.filter(username__iexact=username).first()
        if user is None and _usable(username):
            user = User.objects.create_user(
                username=username, display_name=name, bio=bio, is_placeholder=True
            )
        elif user is None:
            user = placeholder_user(name=name or username)
        if len(self._known) >= MAX_CACHED:
            self._known.clear()
        self._known[username] = user
        return user

    def forget(self) -> None:
        """After a rolled-back transaction: the accounts it created are gone."""
        self._known.clear()
