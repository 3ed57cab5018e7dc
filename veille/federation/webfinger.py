"""WebFinger (RFC 7033): from ``acct:name@host`` to the actor, as Mastodon looks accounts up.

Topic slugs and usernames share one namespace (topics.services refuses a new one that collides):
``acct:toulouse-networks@host`` is a topic's Group, ``acct:jacques@host`` a curator's Person, and
``acct:<host>@<host>`` the instance actor. A user is an actor only while they curate a topic and
are a real account (not an import's placeholder): the Person actor exists to credit curators, and
a reader who signed up to follow topics should not become findable from every fediverse server.
The resource may also be an actor's own address.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from veille.accounts.selectors import profile_user
from veille.federation import ids, local
from veille.topics.models import Curator, Topic

JRD = "application/jrd+json"
PROFILE_PAGE = "http://webfinger.net/rel/profile-page"


@dataclass(frozen=True)
class Account:
    name: str  # the part before "@" in the acct: subject
    actor_id: str
    page_url: str


def federated_user(username: str):
    """The user whose Person actor we serve, or None (unknown, placeholder, curates nothing)."""
    user = profile_user(username=username)
    if user is None or user.is_placeholder:
        return None
    return user if Curator.objects.filter(user=user).exists() else None


def _topic_account(topic: Topic) -> Account:
    actor_id = ids.topic_actor_id(topic)
    return Account(topic.slug, actor_id, actor_id)


def _user_account(user) -> Account:
    actor_id = ids.user_actor_id(user)
    return Account(user.username, actor_id, actor_id)


def _instance_account() -> Account:
    return Account(ids.hostname(), ids.instance_actor_id(), f"{settings.BASE_URL}/")


def _by_name(name: str) -> Account | None:
    topic = Topic.objects.filter(slug=name.lower()).first()
    if topic is not None:
        return _topic_account(topic)
    if name.lower() in (ids.hostname(), ids.host()):
        return _instance_account()
    user = federated_user(name)
    return _user_account(user) if user is not None else None


def _by_url(url: str) -> Account | None:
    if url == ids.instance_actor_id():
        return _instance_account()
    found = local.actor_for(url)
    if isinstance(found, Topic):
        return _topic_account(found) if ids.topic_actor_id(found) == url else None
    user = federated_user(found.username) if found is not None else None
    return _user_account(user) if user is not None else None


def _acct(resource: str) -> tuple[str, str]:
    """(name, host) of ``acct:name@host`` (also ``name@host`` and ``@name@host``)."""
    account = resource.removeprefix("acct:").removeprefix("@")
    name, sep, host = account.rpartition("@")
    if not sep or not name or not host or any(c in account for c in " /?#"):
        raise ValueError(f"not an account: {resource!r}")
    return name, host


def find_account(resource: str) -> Account | None:
    """The local account ``resource`` names; None when it is not ours; ValueError if malformed."""
    resource = resource.strip()
    if resource.startswith(("https://", "http://")):
        return _by_url(resource)
    name, host = _acct(resource)
    return _by_name(name) if host.lower() == ids.host() else None


def descriptor(account: Account) -> dict:
    """The JSON Resource Descriptor of an account."""
    aliases = list(dict.fromkeys([account.actor_id, account.page_url]))
    return {
        "subject": f"acct:{account.name}@{ids.host()}",
        "aliases": aliases,
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": account.actor_id},
            {"rel": PROFILE_PAGE, "type": "text/html", "href": account.page_url},
        ],
    }


def _answer(document: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(document, status=status, content_type=JRD)
    response["Access-Control-Allow-Origin"] = "*"  # RFC 7033 section 5: clients in browsers
    return response


@require_safe
def webfinger(request: HttpRequest) -> JsonResponse:
    try:
        account = find_account(request.GET.get("resource", ""))
    except ValueError as error:
        return _answer({"error": str(error)}, status=400)
    if account is None:
        return _answer({"error": "no such account here"}, status=404)
    return _answer(descriptor(account))
