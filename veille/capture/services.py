"""Writes of capture: complete a scoop from its page (archive, details, our own image copies),
and check that sources are still there.

Runs in tasks (``veille.capture.tasks``): a curator's save never waits for a download.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from veille.capture.models import Archive
from veille.capture.pipeline import Capture, capture_sync
from veille.core import images
from veille.core.asyncrun import run_sync
from veille.core.http import FetchError, GuardedSession, fetch_sync
from veille.search import services as search_index
from veille.topics.models import Scoop, ScoopStatus

log = logging.getLogger(__name__)

CAPTURE_CACHE_SECONDS = 15 * 60
SOURCE_RECHECK = dt.timedelta(days=7)
GONE_STATUSES = {404, 410}


def remember_capture(capture: Capture) -> None:
    """Keep a fresh capture a while, so that saving the scoop does not fetch the page again."""
    if capture.ok:
        cache.set(_cache_key(capture.url), capture, CAPTURE_CACHE_SECONDS)


def _cache_key(url: str) -> str:
    import hashlib

    return "capture:" + hashlib.sha256(url.encode()).hexdigest()


def _capture_for(scoop: Scoop) -> Capture:
    return cache.get(_cache_key(scoop.source_url)) or capture_sync(scoop.source_url)


def scoop_complete(*, scoop_id: int) -> None:
    """Archive the scoop's article, fill in the page's details, and copy its lead image."""
    scoop = Scoop.objects.filter(pk=scoop_id).first()
    if scoop is None:
        return
    if scoop.source_url and not Archive.objects.filter(scoop=scoop).exists():
        _archive(scoop, _capture_for(scoop))
    if scoop.image_url and not scoop.thumbnail:
        scoop_store_image(scoop=scoop)


@transaction.atomic
def _archive(scoop: Scoop, capture: Capture) -> None:
    if not capture.ok or not capture.text:
        log.info("no archive for scoop %s: %s", scoop.pk, capture.error or "no text")
        return
    Archive.objects.update_or_create(
        scoop=scoop,
        defaults={
            "final_url": capture.final_url or capture.url,
            "text": capture.text,
            "html": capture.html,  # sanitized by extraction
            "word_count": capture.word_count,
            "reading_minutes": capture.reading_minutes,
            "favicon_url": capture.favicon[:2000],
            "fetched_at": timezone.now(),
        },
    )
    details = {
        "site_name": capture.site_name[:200],
        "author": capture.author[:200],
        "language": capture.language[:10],
        "source_published_at": capture.published,
        "embed_src": capture.embed_src[:500],
    }
    # Only fill what the curator left empty: their edits win over the page's metadata.
    empty = {name: value for name, value in details.items() if value and not getattr(scoop, name)}
    if empty:
        Scoop.objects.filter(pk=scoop.pk).update(**empty)
    search_index.scoop_family_changed(scoop=scoop)  # the text, and maybe the language, arrived


def scoop_store_image(*, scoop: Scoop) -> bool:
    """Fetch the lead image through the guarded client, check it, keep our own thumbnails."""
    try:
        answer = fetch_sync(scoop.image_url, accept="image/*", max_bytes=images.MAX_BYTES)
        if not answer.ok:
            raise FetchError("http_status", f"the image answered HTTP {answer.status}")
        thumbnails = images.make_thumbnails(answer.body)
    except (FetchError, images.ImageRejected) as error:
        log.info("no image for scoop %s: %s", scoop.pk, error)
        return False
    names = [_save_thumbnail(answer.body, thumb) for thumb in thumbnails]
    large, small = names[0], names[-1]
    Scoop.objects.filter(pk=scoop.pk).update(lead_image=large, thumbnail=small)
    # Rescoops show the same picture: give them the copies too.
    Scoop.objects.filter(root_id=scoop.pk, thumbnail="").update(lead_image=large, thumbnail=small)
    return True


def _save_thumbnail(source: bytes, thumb: images.Thumbnail) -> str:
    name = images.thumbnail_name(source, thumb.width, thumb.format)
    if not default_storage.exists(name):  # content-addressed: same bytes, same file
        default_storage.save(name, ContentFile(thumb.data))
    return name


# --- sources that disappear ---------------------------------------------------------------


def sources_due_for_check(*, limit: int, now: dt.datetime | None = None) -> list[Scoop]:
    now = now or timezone.now()
    stale = Q(source_checked_at__isnull=True) | Q(source_checked_at__lt=now - SOURCE_RECHECK)
    return list(
        Scoop.objects.filter(stale, status=ScoopStatus.PUBLISHED, origin__isnull=True)
        .exclude(source_url="")
        .order_by("source_checked_at", "pk")[:limit]
    )


def sources_check(*, limit: int = 200) -> int:
    """Check a batch of sources; mark the gone ones. Returns how many were found gone."""
    scoops = sources_due_for_check(limit=limit)
    if not scoops:
        return 0
    verdicts = run_sync(_check_all([s.source_url for s in scoops]))
    now, gone = timezone.now(), 0
    for scoop, is_gone in zip(scoops, verdicts, strict=True):
        if is_gone is None:  # no verdict (timeout, refused): ask again next time
            Scoop.objects.filter(pk=scoop.pk).update(source_checked_at=now)
            continue
        gone_at = (scoop.source_gone_at or now) if is_gone else None
        gone += is_gone
        Scoop.objects.filter(pk=scoop.pk).update(source_checked_at=now, source_gone_at=gone_at)
    return gone


async def _check_all(urls: list[str]) -> list[bool | None]:
    async with GuardedSession(limit=20, limit_per_host=2) as session:
        return list(await asyncio.gather(*(_is_gone(session, url) for url in urls)))


async def _is_gone(session: GuardedSession, url: str) -> bool | None:
    """True: 404, 410 or a domain that no longer resolves. False: it answers. None: unknown."""
    try:
        answer = await session.fetch(url, method="HEAD")
        if answer.status in (405, 501):  # some servers refuse HEAD
            answer = await session.fetch(url, max_bytes=2 * 1024 * 1024)
    except FetchError as error:
        return True if error.code == "dns" else None
    if answer.status in GONE_STATUSES:
        return True
    return False if answer.status < 400 else None
