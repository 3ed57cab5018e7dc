"""What other servers read: actors, notes, collections, NodeInfo and host-meta (all GET).

The collections of followers and following give their count only, never the members: who follows
a topic says what that person reads, remote servers need no list to show a count, and deliveries
go from our own rows. A followers-only topic's posts are not served to anyone who asks: its outbox
and featured collections are empty and its Notes answer 404; its followers get them delivered.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from veille.accounts.models import User
from veille.core.urls_util import absolute_url
from veille.federation import documents, ids
from veille.federation.models import Follower, Following, FollowingState, FollowState
from veille.federation.webfinger import federated_user
from veille.publishing.selectors import Cursor, FeedPage, feed_page
from veille.topics.models import Scoop, ScoopStatus, Topic

ACTIVITY_JSON = "application/activity+json"
PAGE_SIZE = 20
FEATURED_LIMIT = 20
NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/{version}"
NODEINFO_VERSIONS = ("2.0", "2.1")


def activity_response(document: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(
        document,
        status=status,
        content_type=ACTIVITY_JSON,
        json_dumps_params={"ensure_ascii": False},
    )


def not_found() -> JsonResponse:
    return activity_response({"error": "not found"}, status=404)


def _listed(topic: Topic) -> bool:
    return topic.visibility != "followers"


# --- actors and notes (also answered at the HTML addresses by negotiation.py) -----------------


def topic_actor(request: HttpRequest, slug: str) -> JsonResponse:
    topic = Topic.objects.filter(slug=slug).first()
    return activity_response(documents.topic_actor(topic)) if topic else not_found()


def user_actor(request: HttpRequest, username: str) -> JsonResponse:
    user = federated_user(username)
    return activity_response(documents.user_actor(user)) if user else not_found()


def note(request: HttpRequest, slug: str, post_id: int, post_slug: str) -> JsonResponse:
    """Any slug: the Note's id uses a fixed one, and ids are answered where they point."""
    scoop = (
        Scoop.objects.select_related(
            "topic", "curator", "origin__topic", "root__curator", "root__topic"
        )
        .prefetch_related("tags")
        .filter(topic__slug=slug, pk=post_id, status=ScoopStatus.PUBLISHED)
        .first()
    )
    if scoop is None or not _listed(scoop.topic):
        return not_found()
    return activity_response(documents.note_for_scoop(scoop))


@require_safe
def instance_actor(request: HttpRequest) -> JsonResponse:
    return activity_response(documents.instance_actor())


# --- collections -------------------------------------------------------------------------------


def _collection(url: str, total: int, **extra) -> dict:
    return documents.with_context(
        {"id": url, "type": "OrderedCollection", "totalItems": total, **extra}
    )


def _cursor(request: HttpRequest, name: str) -> Cursor | None:
    raw = request.GET.get(name)
    try:
        return Cursor.parse(raw) if raw is not None else None
    except ValueError as exc:
        raise Http404 from exc


def _page_url(url: str, **cursor: Cursor | None) -> str:
    query = {"page": "true"} | {name: c.encode() for name, c in cursor.items() if c is not None}
    return f"{url}?{urlencode(query, safe=':,')}"


def _outbox_page(topic: Topic, request: HttpRequest) -> FeedPage:
    before, after = _cursor(request, "before"), _cursor(request, "after")
    if before is not None and after is not None:
        raise Http404
    if not _listed(topic):
        return FeedPage(posts=[], newer=None, older=None, before=before, after=after)
    page = feed_page(topic=topic, size=PAGE_SIZE, before=before, after=after)
    prefetch_related_objects(page.posts, "origin__topic")  # a rescoop answers (or boosts) it
    return page


def _outbox_page_document(url: str, page: FeedPage) -> dict:
    document = {
        "id": _page_url(url, before=page.before, after=page.after),
        "type": "OrderedCollectionPage",
        "partOf": url,
        "orderedItems": [documents.outbox_item(scoop) for scoop in page.posts],
    }
    if page.older:
        document["next"] = _page_url(url, before=page.older)
    if page.newer:
        document["prev"] = _page_url(url, after=page.newer)
    return documents.with_context(document)


@require_safe
def topic_outbox(request: HttpRequest, slug: str) -> JsonResponse:
    """Newest first, in pages walked with cursors (like the feeds: no OFFSET, no sliding)."""
    topic = get_object_or_404(Topic, slug=slug)
    url = ids.outbox_url(ids.topic_actor_id(topic))
    if not request.GET:
        total = topic.scoop_count if _listed(topic) else 0
        return activity_response(_collection(url, total, first=_page_url(url)))
    return activity_response(_outbox_page_document(url, _outbox_page(topic, request)))


@require_safe
def topic_followers(request: HttpRequest, slug: str) -> JsonResponse:
    topic = get_object_or_404(Topic, slug=slug)
    url = ids.followers_url(ids.topic_actor_id(topic))
    return activity_response(_collection(url, topic.follower_count))


@require_safe
def topic_following(request: HttpRequest, slug: str) -> JsonResponse:
    topic = get_object_or_404(Topic, slug=slug)
    return activity_response(_collection(ids.following_url(ids.topic_actor_id(topic)), 0))


@require_safe
def topic_featured(request: HttpRequest, slug: str) -> JsonResponse:
    """The pinned posts, as Mastodon shows them at the top of a profile."""
    topic = get_object_or_404(Topic, slug=slug)
    pinned = (
        Scoop.objects.filter(topic=topic, status=ScoopStatus.PUBLISHED, pinned=True)
        .select_related("topic", "curator", "origin__topic", "root__curator", "root__topic")
        .prefetch_related("tags")
        .order_by("-published_at", "-pk")
    )
    notes = [documents.note_object(s) for s in pinned[:FEATURED_LIMIT]] if _listed(topic) else []
    url = ids.featured_url(ids.topic_actor_id(topic))
    return activity_response(_collection(url, len(notes), orderedItems=notes))


def _user(username: str) -> User:
    user = federated_user(username)
    if user is None:
        raise Http404
    return user


def _user_counts(user: User) -> dict[str, int]:
    followers = Follower.objects.filter(user=user, state=FollowState.ACCEPTED).count()
    following = Following.objects.filter(user=user, state=FollowingState.ACCEPTED).count()
    return {"outbox": 0, "followers": followers, "following": following}


@require_safe
def user_collection(request: HttpRequest, username: str, name: str) -> JsonResponse:
    """A curator's followers and following (counts), and outbox (empty: their topics post)."""
    user = _user(username)
    url = getattr(ids, f"{name}_url")(ids.user_actor_id(user))
    total = _user_counts(user)[name]
    extra = {"orderedItems": []} if name == "outbox" else {}
    return activity_response(_collection(url, total, **extra))


@require_safe
def instance_outbox(request: HttpRequest) -> JsonResponse:
    url = ids.outbox_url(ids.instance_actor_id())
    return activity_response(_collection(url, 0, orderedItems=[]))


# --- NodeInfo and host-meta ---------------------------------------------------------------------


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    """/.well-known/nodeinfo: where the NodeInfo documents are (https://nodeinfo.diaspora.software)."""
    links = [
        {
            "rel": NODEINFO_SCHEMA.format(version=version),
            "href": absolute_url(reverse("federation:nodeinfo", args=[version])),
        }
        for version in NODEINFO_VERSIONS
    ]
    return _cors(JsonResponse({"links": links}))


def _usage() -> dict:
    now = timezone.now()
    curators = User.objects.filter(is_active=True, is_placeholder=False, curatorships__isnull=False)
    published = Scoop.objects.filter(status=ScoopStatus.PUBLISHED, published_at__lte=now)

    def active_since(days: int) -> int:
        recent = published.filter(published_at__gte=now - dt.timedelta(days=days))
        return curators.filter(scoops__in=recent).distinct().count()

    return {
        "users": {
            "total": curators.distinct().count(),
            "activeMonth": active_since(30),
            "activeHalfyear": active_since(180),
        },
        "localPosts": published.count(),
    }


def _software(version: str) -> dict:
    software = {"name": "veille", "version": importlib.metadata.version("veille")}
    if version == "2.1":
        software["homepage"] = settings.BASE_URL
    return software


@require_safe
def nodeinfo(request: HttpRequest, version: str) -> HttpResponse:
    if version not in NODEINFO_VERSIONS:
        raise Http404
    document = {
        "version": version,
        "software": _software(version),
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
        "openRegistrations": bool(settings.SIGNUP_OPEN),
        "usage": _usage(),
        "metadata": {"nodeName": documents.node_name()},
    }
    content_type = f'application/json; profile="{NODEINFO_SCHEMA.format(version=version)}#"'
    return _cors(JsonResponse(document, content_type=content_type))


def _lrdd_template() -> str:
    return absolute_url(reverse("federation:webfinger")) + "?resource={uri}"


@require_safe
def host_meta(request: HttpRequest) -> HttpResponse:
    """RFC 6415 host-meta: where WebFinger is, for the servers that still look here first."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" type="application/jrd+json" template="{_lrdd_template()}"/>\n'
        "</XRD>\n"
    )
    return _cors(HttpResponse(xml, content_type="application/xrd+xml"))


@require_safe
def host_meta_json(request: HttpRequest) -> HttpResponse:
    link = {"rel": "lrdd", "type": "application/jrd+json", "template": _lrdd_template()}
    return _cors(JsonResponse({"links": [link]}))
