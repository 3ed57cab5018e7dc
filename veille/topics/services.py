"""Writes for topics, scoops, rescoops, comments, thanks and follows.

Every function takes keyword arguments, checks permissions itself (views are not trusted to), and
renders/sanitizes HTML once, here, so that pages only read stored HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from veille.core.markdown import render_markdown
from veille.core.ratelimit import RateLimited, RateLimitedInput, hit_rate_limit
from veille.core.sanitize import clean_html
from veille.core.urlnorm import normalize_url
from veille.search import services as search_index
from veille.topics.models import (
    Comment,
    Curator,
    Follow,
    Role,
    Scoop,
    ScoopStatus,
    Tag,
    Thanks,
    Topic,
)
from veille.topics.permissions import is_curator, require_curator, require_owner
from veille.topics.selectors import has_fediverse_followers

RESERVED_SLUGS = {"new", "admin", "api", "static", "media", "feed", "search", "accounts", "u"}


# --- topics ---------------------------------------------------------------------------------


def _check_topic_slug(slug: str, *, exclude_pk: int | None = None) -> str:
    slug = slugify(slug)[:80].strip("-")  # the column's length; titles can be longer
    if not slug or slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This address is not available.")})
    from veille.accounts.models import User

    # Topic slugs and usernames share one namespace: both become @name@host in the fediverse.
    taken = Topic.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()
    if taken or User.objects.filter(username__iexact=slug).exists():
        raise ValidationError({"slug": _("A topic already uses this address.")})
    return slug


# How the topic's actor behaves in the fediverse.
FEDERATION_FIELDS = {
    "visibility",
    "approve_followers",
    "discoverable",
    "indexable",
    "moderate_remote_comments",
}


@transaction.atomic
def topic_create(
    *,
    by,
    title: str,
    slug: str = "",
    subtitle: str = "",
    language: str = "en",
    keywords: str = "",
    cover_image=None,
    **federation,
) -> Topic:
    """Create a topic owned by ``by``; ``federation`` holds FEDERATION_FIELDS settings."""
    if not by.is_authenticated:
        raise PermissionDenied(_("Log in to create a topic."))
    if set(federation) - FEDERATION_FIELDS:
        raise ValueError(f"unknown topic settings: {sorted(set(federation) - FEDERATION_FIELDS)}")
    slug = _check_topic_slug(slug or title)
    topic = Topic.objects.create(
        slug=slug,
        title=title.strip(),
        subtitle=subtitle.strip(),
        language=language,
        keywords=keywords.strip(),
        cover_image=_stored_cover(cover_image) if cover_image else "",
        **federation,
    )
    Curator.objects.create(topic=topic, user=by, role=Role.OWNER)
    return topic


COVER_WIDTH = 1600


def _stored_cover(upload) -> str:
    """Our re-encoded copy of an uploaded cover (checked, resized, metadata stripped)."""
    from veille.core import images

    data = upload.read()
    try:
        cover = images.make_thumbnails(data, widths=(COVER_WIDTH,))[0]
    except images.ImageRejected as error:
        raise ValidationError({"cover_image": str(error)}) from error
    name = f"covers/{hashlib.sha256(data).hexdigest()[:32]}.{cover.format}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(cover.data))
    return name


TOPIC_EDITABLE = {"title", "subtitle", "language", "keywords", "cover_image", "slug"} | (
    FEDERATION_FIELDS
)


@transaction.atomic
def topic_update(*, topic: Topic, by, **fields) -> Topic:
    require_curator(by, topic)
    unknown = set(fields) - TOPIC_EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "slug" in fields and fields["slug"] != topic.slug:
        require_owner(by, topic)  # changing the address breaks links: owners only
        fields["slug"] = _check_topic_slug(fields["slug"], exclude_pk=topic.pk)
        if fields["slug"] != topic.slug:  # not when only its spelling was ("Toulouse-Networks")
            _refuse_slug_change_if_followed(topic)
    if fields.get("cover_image"):
        fields["cover_image"] = _stored_cover(fields["cover_image"])
    old_language = topic.language
    for name, value in fields.items():
        setattr(topic, name, value.strip() if isinstance(value, str) else value)
    topic.save()
    if topic.language != old_language:
        search_index.topic_language_changed(topic=topic)
    return topic


def _refuse_slug_change_if_followed(topic: Topic) -> None:
    """The topic's fediverse actor id is built from its slug: a new one would be a new account,
    and the followers' servers would keep following the old, gone one."""
    if has_fediverse_followers(topic=topic):
        raise ValidationError(
            {
                "slug": _(
                    "This topic has followers on the fediverse; its address can no longer change."
                )
            }
        )


def topic_delete(*, topic: Topic, by) -> None:
    require_owner(by, topic)
    topic.delete()


@transaction.atomic
def curator_add(*, topic: Topic, by, user, role: str = Role.EDITOR) -> Curator:
    require_owner(by, topic)
    curator, _created = Curator.objects.update_or_create(
        topic=topic, user=user, defaults={"role": role}
    )
    return curator


@transaction.atomic
def curator_remove(*, topic: Topic, by, user) -> None:
    require_owner(by, topic)
    owners = Curator.objects.filter(topic=topic, role=Role.OWNER)
    if owners.filter(user=user).exists() and owners.count() == 1:
        raise ValidationError(_("A topic needs at least one owner."))
    Curator.objects.filter(topic=topic, user=user).delete()


# --- scoops ---------------------------------------------------------------------------------


DETAIL_FIELDS = {"site_name", "author", "language", "source_published_at", "embed_src"}


class DuplicateScoop(ValidationError):
    """The topic already has a scoop of this article; ``existing`` is it."""

    def __init__(self, existing: Scoop):
        self.existing = existing
        super().__init__(
            {
                "url": _("This article is already in the topic: %(url)s")
                % {"url": existing.get_absolute_url()}
            }
        )


def _source(url: str) -> tuple[str, str]:
    """The normalized source URL and its key (empty for a scoop without a source)."""
    url = url.strip()
    if not url:
        return "", ""
    try:
        normalized = normalize_url(url)
    except ValueError as exc:
        raise ValidationError({"url": _("Enter a web address (http or https).")}) from exc
    if len(normalized) > Scoop._meta.get_field("source_url").max_length:
        raise ValidationError({"url": _("This address is too long.")})
    return normalized, hashlib.sha256(normalized.encode()).hexdigest()


def _refuse_duplicate(topic: Topic, key: str, *, exclude_pk: int | None = None) -> None:
    if not key:
        return
    # exclude(source_key="") lets SQLite use the partial unique index instead of a topic scan
    existing = (
        Scoop.objects.filter(topic=topic, source_key=key)
        .exclude(source_key="")
        .exclude(pk=exclude_pk)
        .first()
    )
    if existing is not None:
        raise DuplicateScoop(existing)


def _content_warning(text: str) -> str:
    text = " ".join(text.split())  # one line: it is a summary in the fediverse, a <summary> here
    if len(text) > Scoop._meta.get_field("content_warning").max_length:
        raise ValidationError({"content_warning": _("This content warning is too long.")})
    return text


def _scoop_slug(title: str) -> str:
    return slugify(title)[:80].strip("-") or "post"


def _set_tags(scoop: Scoop, names: Iterable[str]) -> None:
    tags = []
    for name in {n.strip().lstrip("#") for n in names if n and n.strip().lstrip("#")}:
        slug = slugify(name)[:100]
        if not slug:
            continue
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name[:100]})
        tags.append(tag)
    scoop.tags.set(tags)


def _status_for(*, draft: bool, publish_at: dt.datetime | None) -> tuple[str, dt.datetime | None]:
    now = timezone.now()
    if draft:
        return ScoopStatus.DRAFT, publish_at
    if publish_at and publish_at > now:
        return ScoopStatus.SCHEDULED, publish_at
    return ScoopStatus.PUBLISHED, publish_at or now


def topic_refresh_counters(*, topic: Topic) -> None:
    """Refresh the topic's denormalized counters after a scoop appears or disappears."""
    published = topic.scoops.filter(status=ScoopStatus.PUBLISHED)
    latest = published.order_by("-published_at").values_list("published_at", flat=True).first()
    Topic.objects.filter(pk=topic.pk).update(
        scoop_count=published.count(), last_published_at=latest
    )


def _complete_later(scoop: Scoop) -> None:
    """Archive the article and copy the lead image in the background (pages never hot-link)."""
    if not settings.CAPTURE_ON_SAVE:
        return
    if scoop.source_url or (scoop.image_url and not scoop.thumbnail):
        from veille.capture.tasks import complete_scoop

        transaction.on_commit(lambda: complete_scoop(scoop.pk))


def _federation():
    """The fediverse side of a scoop's life (Create, Update, Delete); imported late: it imports
    this module's models."""
    from veille.federation import services as federation

    return federation


def _schedule(scoop: Scoop) -> None:
    if scoop.status == ScoopStatus.SCHEDULED:
        from veille.topics.tasks import publish_scheduled_scoop

        transaction.on_commit(
            lambda: publish_scheduled_scoop.schedule(args=(scoop.pk,), eta=scoop.published_at)
        )


@transaction.atomic
def scoop_create(
    *,
    topic: Topic,
    by,
    title: str,
    url: str = "",
    image_url: str = "",
    image_alt: str = "",
    excerpt_html: str = "",
    insight: str = "",
    tags: Iterable[str] = (),
    draft: bool = False,
    publish_at: dt.datetime | None = None,
    pinned: bool = False,
    content_warning: str = "",
    details: dict | None = None,
) -> Scoop:
    """Create a scoop. ``details`` carries what a capture learnt of the page (DETAIL_FIELDS)."""
    require_curator(by, topic)
    if set(details or {}) - DETAIL_FIELDS:
        raise ValueError(f"unknown details: {sorted(set(details) - DETAIL_FIELDS)}")
    if not title.strip():
        raise ValidationError({"title": _("A scoop needs a title.")})
    source_url, source_key = _source(url)
    _refuse_duplicate(topic, source_key)
    status, published_at = _status_for(draft=draft, publish_at=publish_at)
    scoop = Scoop.objects.create(
        topic=topic,
        curator=by,
        title=title.strip(),
        slug=_scoop_slug(title),
        source_url=source_url,
        source_key=source_key,
        **(details or {}),
        image_url=image_url.strip(),
        image_alt=image_alt.strip(),
        excerpt_html=clean_html(excerpt_html),
        insight_markdown=insight,
        insight_html=render_markdown(insight),
        status=status,
        published_at=published_at,
        pinned=pinned,
        content_warning=_content_warning(content_warning),
    )
    _set_tags(scoop, tags)
    search_index.scoop_changed(scoop=scoop)
    _federation().scoop_published(scoop_id=scoop.pk)
    topic_refresh_counters(topic=topic)
    _schedule(scoop)
    _complete_later(scoop)
    return scoop


SCOOP_EDITABLE = {
    "title",
    "url",
    "image_url",
    "image_alt",
    "excerpt_html",
    "insight",
    "tags",
    "pinned",
    "content_warning",
}


@transaction.atomic
def scoop_update(
    *, scoop: Scoop, by, draft: bool | None = None, publish_at: dt.datetime | None = None, **fields
) -> Scoop:
    require_curator(by, scoop.topic)
    unknown = set(fields) - SCOOP_EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "title" in fields:
        if not fields["title"].strip():
            raise ValidationError({"title": _("A scoop needs a title.")})
        scoop.title = fields["title"].strip()
        scoop.slug = _scoop_slug(scoop.title)
        scoop.__dict__.pop("_url", None)  # the cached address has the old slug
    if "url" in fields:
        scoop.source_url, scoop.source_key = _source(fields["url"])
        _refuse_duplicate(scoop.topic, scoop.source_key, exclude_pk=scoop.pk)
    if "image_url" in fields and fields["image_url"].strip() != scoop.image_url:
        scoop.image_url, scoop.thumbnail, scoop.lead_image = fields["image_url"].strip(), "", ""
    if "image_alt" in fields:
        scoop.image_alt = fields["image_alt"].strip()
    if "excerpt_html" in fields:
        scoop.excerpt_html = clean_html(fields["excerpt_html"])
    if "insight" in fields:
        scoop.insight_markdown = fields["insight"]
        scoop.insight_html = render_markdown(fields["insight"])
    if "pinned" in fields:
        scoop.pinned = bool(fields["pinned"])
    if "content_warning" in fields:
        scoop.content_warning = _content_warning(fields["content_warning"])
    if draft is not None:
        was_published = scoop.status == ScoopStatus.PUBLISHED
        if was_published and not draft and publish_at is None:
            pass  # already out: editing keeps the original publication date
        else:
            scoop.status, scoop.published_at = _status_for(draft=draft, publish_at=publish_at)
    scoop.save()
    if "tags" in fields:
        _set_tags(scoop, fields["tags"])
    scoop_changed(scoop=scoop)
    topic_refresh_counters(topic=scoop.topic)
    _schedule(scoop)
    _complete_later(scoop)
    return scoop


def scoop_set_pinned(*, scoop: Scoop, by, pinned: bool) -> Scoop:
    return scoop_update(scoop=scoop, by=by, pinned=pinned)


def scoop_changed(*, scoop: Scoop) -> None:
    """After a saved edit (here, or in the admin): the search index and the fediverse Update."""
    search_index.scoop_changed(scoop=scoop)
    _federation().scoop_updated(scoop_id=scoop.pk)


def scoop_deletion(scoop: Scoop) -> Callable[[], None]:
    """What the fediverse Delete needs, taken while the row exists; call the result once it is
    gone (here, or in the admin). Search needs nothing: index rows go with their scoop."""
    gone = {
        "scoop_id": scoop.pk,
        "topic_id": scoop.topic_id,
        "object_id": _federation().ids.post_object_id(scoop),
    }
    return lambda: _federation().scoop_deleted(**gone)


@transaction.atomic
def scoop_delete(*, scoop: Scoop, by) -> None:
    require_curator(by, scoop.topic)
    topic, announce = scoop.topic, scoop_deletion(scoop)
    scoop.delete()
    announce()
    topic_refresh_counters(topic=topic)


@transaction.atomic
def scoop_publish_if_due(*, scoop_id: int, now: dt.datetime | None = None) -> bool:
    """Publish a scheduled scoop whose time has come. Safe to call twice, or early."""
    now = now or timezone.now()
    updated = Scoop.objects.filter(
        pk=scoop_id, status=ScoopStatus.SCHEDULED, published_at__lte=now
    ).update(status=ScoopStatus.PUBLISHED)
    if updated:
        topic_refresh_counters(topic=Scoop.objects.get(pk=scoop_id).topic)
        _federation().scoop_published(scoop_id=scoop_id)
    return bool(updated)


def scoops_publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish every scheduled scoop that is due (the periodic safety net for lost tasks)."""
    now = now or timezone.now()
    due = Scoop.objects.filter(status=ScoopStatus.SCHEDULED, published_at__lte=now)
    return sum(
        scoop_publish_if_due(scoop_id=pk, now=now) for pk in due.values_list("pk", flat=True)
    )


# --- rescoops -------------------------------------------------------------------------------


@transaction.atomic
def rescoop_create(
    *, origin: Scoop, topic: Topic, by, insight: str = "", draft: bool = False
) -> Scoop:
    """Rescoop ``origin`` into ``topic`` with the curator's own insight.

    ``root`` keeps the credit to the first curator along a chain of rescoops.
    """
    require_curator(by, topic)
    if not origin.is_published:
        raise PermissionDenied(_("Only published posts can be rescooped."))
    if origin.topic_id == topic.pk:
        raise ValidationError(_("This post is already in that topic."))
    if Scoop.objects.filter(topic=topic, origin=origin).exists():
        raise ValidationError(_("You have already rescooped this post into that topic."))
    _refuse_duplicate(topic, origin.source_key)
    status, published_at = _status_for(draft=draft, publish_at=None)
    scoop = Scoop.objects.create(
        topic=topic,
        curator=by,
        title=origin.title,
        slug=origin.slug,
        source_url=origin.source_url,
        source_key=origin.source_key,
        image_url=origin.image_url,
        image_alt=origin.image_alt,
        thumbnail=origin.thumbnail,
        lead_image=origin.lead_image,
        site_name=origin.site_name,
        author=origin.author,
        language=origin.language,
        source_published_at=origin.source_published_at,
        embed_src=origin.embed_src,
        excerpt_html=origin.excerpt_html,
        insight_markdown=insight,
        insight_html=render_markdown(insight),
        status=status,
        published_at=published_at,
        origin=origin,
        root=origin.root or origin,
    )
    scoop.tags.set(origin.tags.all())
    search_index.scoop_changed(scoop=scoop)
    _federation().scoop_published(scoop_id=scoop.pk)
    topic_refresh_counters(topic=topic)
    return scoop


# --- comments, thanks, follows ---------------------------------------------------------------


@transaction.atomic
def comment_create(*, scoop: Scoop, by, body: str) -> Comment:
    if not by.is_authenticated:
        raise PermissionDenied(_("Log in to comment."))
    if not scoop.is_published:
        raise PermissionDenied(_("This post is not published."))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("A comment is at most 5,000 characters long.")})
    try:
        hit_rate_limit("comment", by.pk)
    except RateLimited as exc:
        raise RateLimitedInput(
            _("You are commenting too fast. Try again in %(s)d seconds.") % {"s": exc.retry_after},
            retry_after=exc.retry_after,
        ) from exc
    comment = Comment.objects.create(
        scoop=scoop, author=by, body_markdown=body, body_html=render_markdown(body)
    )
    Scoop.objects.filter(pk=scoop.pk).update(comment_count=F("comment_count") + 1)
    return comment


def _require_moderator(by, comment: Comment) -> None:
    if not is_curator(by, comment.scoop.topic):
        raise PermissionDenied(_("Only the curators of this topic can moderate comments."))


@transaction.atomic
def comment_set_hidden(*, comment: Comment, by, hidden: bool) -> Comment:
    _require_moderator(by, comment)
    if comment.hidden != hidden:
        comment.hidden = hidden
        comment.save(update_fields=["hidden"])
        delta = -1 if hidden else 1
        Scoop.objects.filter(pk=comment.scoop_id).update(comment_count=F("comment_count") + delta)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by) -> None:
    if comment.author_id != getattr(by, "pk", None):
        _require_moderator(by, comment)
    if not comment.hidden:
        Scoop.objects.filter(pk=comment.scoop_id).update(comment_count=F("comment_count") - 1)
    comment.delete()


@transaction.atomic
def thanks_toggle(*, scoop: Scoop, by) -> bool:
    """Thank a post, or take the thanks back. Returns whether the user now thanks it."""
    if not by.is_authenticated:
        raise PermissionDenied(_("Log in to thank a curator."))
    deleted, _rows = Thanks.objects.filter(scoop=scoop, user=by).delete()
    if deleted:
        Scoop.objects.filter(pk=scoop.pk).update(thanks_count=F("thanks_count") - 1)
        return False
    try:
        with transaction.atomic():
            Thanks.objects.create(scoop=scoop, user=by)
    except IntegrityError:
        return True  # a concurrent click already thanked
    Scoop.objects.filter(pk=scoop.pk).update(thanks_count=F("thanks_count") + 1)
    return True


@transaction.atomic
def follow_toggle(*, topic: Topic, by) -> bool:
    """Follow a topic, or stop following it. Returns whether the user now follows it."""
    if not by.is_authenticated:
        raise PermissionDenied(_("Log in to follow a topic."))
    deleted, _rows = Follow.objects.filter(topic=topic, user=by).delete()
    if deleted:
        Topic.objects.filter(pk=topic.pk).update(follower_count=F("follower_count") - 1)
        return False
    try:
        with transaction.atomic():
            Follow.objects.create(topic=topic, user=by)
    except IntegrityError:
        return True
    Topic.objects.filter(pk=topic.pk).update(follower_count=F("follower_count") + 1)
    return True
