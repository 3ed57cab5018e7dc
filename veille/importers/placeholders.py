"""Accounts and topics for the people an imported page names.

A Scoop.it page names its curator ("Scooped by") and the other curators who rescooped a post with
their own insight. Each becomes an account (a placeholder, without a usable password, until its
person claims it), and each other curator gets a topic of their own to hold their rescoops.
"""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext as _

from veille.accounts.models import User
from veille.accounts.services import RESERVED_USERNAMES
from veille.topics import services as topic_services
from veille.topics.models import Topic

# Usernames share a namespace with topic addresses (/u/<name>/, @name@host): slug-like ASCII of
# at most 30 characters, like the ones people choose at sign-up.
USERNAME_MAX = 30


def _username_base(name: str) -> str:
    base = slugify(name)[:USERNAME_MAX].strip("-_")
    return base if len(base) >= 2 else ""  # a name in another script has no ASCII slug


def _username_free(username: str) -> bool:
    return not (
        username in RESERVED_USERNAMES
        or User.objects.filter(username__iexact=username).exists()
        or Topic.objects.filter(slug=username).exists()
    )


def _free_username(name: str) -> str:
    base = candidate = _username_base(name) or "curator"
    number = 1
    while not _username_free(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = base[: USERNAME_MAX - len(suffix)].strip("-_") + suffix
    return candidate


def placeholder_user(*, name: str) -> User:
    """The account standing for a person named on an imported page, created the first time.

    It has no usable password and stays a placeholder until its person claims it; it is found
    again by its display name, never by matching a real account that merely has the same name.
    """
    name = " ".join(name.split())[:120]
    user = User.objects.filter(is_placeholder=True, display_name=name).order_by("pk").first()
    if user is None:
        user = User.objects.create_user(
            username=_free_username(name), display_name=name, is_placeholder=True
        )
    return user


def curator_for_name(*, name: str) -> User:
    """The curator a page names in "Scooped by": the account with that name's username, if any."""
    username = _username_base(name)
    existing = User.objects.filter(username__iexact=username).first() if username else None
    return existing or placeholder_user(name=name)


def _free_topic_slug(base: str) -> str:
    base = base[:74].strip("-") or "scoops"
    candidate, number = base, 1
    taken = RESERVED_USERNAMES
    while candidate in taken or Topic.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def scoops_topic(*, user: User, language: str) -> Topic:
    """The topic holding a placeholder curator's rescoops ("<Name>'s scoops")."""
    base = slugify(f"{user.username[:64]}-scoops")
    mine = Topic.objects.filter(curators__user=user, slug__startswith=base)
    topic = mine.order_by("pk").first()
    if topic is None:
        topic = topic_services.topic_create(
            by=user,
            title=_("%(name)s's scoops") % {"name": user.name},
            slug=_free_topic_slug(base),
            language=language,
        )
    return topic
