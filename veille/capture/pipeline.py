"""URL -> Capture: fetch through the guarded client, extract, follow the page's oEmbed.

One pipeline for the web form, the bookmarklet, ``veille capture`` and ``veille scoop``. It never
raises for a bad page: a refused or failed URL gives a Capture with ``error`` set, and whatever
was learnt, so that the curator can still complete the scoop by hand.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.conf import settings

from veille.core.asyncrun import run_sync
from veille.core.http import FetchError, FetchResult, GuardedSession
from veille.core.urlnorm import canonical_or, normalize_url

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
OEMBED_MAX_BYTES = 256 * 1024


@dataclass
class Capture:
    url: str
    final_url: str = ""
    canonical_url: str = ""
    title: str = ""
    description: str = ""
    site_name: str = ""
    author: str = ""
    published: datetime | None = None
    published_from: str | None = None
    image: str = ""
    images: list[str] = field(default_factory=list)
    language: str = ""
    word_count: int = 0
    reading_minutes: int = 0
    text: str = ""
    html: str = ""
    favicon: str = ""
    embed_src: str = ""
    paywalled: bool = False
    keywords: list[str] = field(default_factory=list)
    oembed_url: str = ""  # the page's oEmbed endpoint (JSON), followed for the player
    error: str = ""
    error_code: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error

    def as_json(self) -> dict:
        """The command line's JSON object: the documented fields, or the error."""
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        for internal in (
            "html",
            "images",
            "favicon",
            "paywalled",
            "keywords",
            "seconds",
            "oembed_url",
        ):
            data.pop(internal)
        if not self.error:
            data.pop("error")
            data.pop("error_code")
        return data


def _languages() -> tuple[str, ...]:
    return tuple(getattr(settings, "CAPTURE_LANGUAGES", ("fr", "en")))


def _fail(capture: Capture, code: str, message: str) -> Capture:
    capture.error, capture.error_code = message, code
    if not capture.title:
        from veille.capture.extract import title_from_url

        capture.title = title_from_url(capture.final_url or capture.url)
    return capture


async def capture_url(url: str, *, session: GuardedSession) -> Capture:
    """Capture one URL with an open session."""
    started = time.perf_counter()
    capture = Capture(url=url.strip())
    try:
        capture.url = normalize_url(capture.url)  # the session checks the address itself
        page = await session.fetch(capture.url, accept=HTML_ACCEPT)
    except (FetchError, ValueError) as error:
        return _finish(_fail(capture, getattr(error, "code", "invalid_url"), str(error)), started)
    capture.final_url = normalize_url(page.final_url)
    if page.status >= 400:
        return _finish(
            _fail(capture, "http_status", f"the page answered HTTP {page.status}"), started
        )
    await asyncio.to_thread(_extract_into, capture, page)
    if not capture.error:
        await _follow_oembed(capture, page, session)
    return _finish(capture, started)


def _finish(capture: Capture, started: float) -> Capture:
    capture.seconds = time.perf_counter() - started
    return capture


def _extract_into(capture: Capture, page: FetchResult) -> None:
    from veille.capture.extract import NotAnArticle, extract_article

    try:
        article = extract_article(
            page.body,
            url=capture.final_url,
            content_type=page.content_type,
            languages=_languages(),
        )
    except NotAnArticle as error:
        _fail(capture, "not_html", str(error))
        return
    capture.canonical_url = canonical_or(capture.final_url, article.canonical_url)
    for name in (
        "title",
        "description",
        "site_name",
        "published",
        "published_from",
        "text",
        "html",
        "word_count",
        "reading_minutes",
        "favicon",
        "paywalled",
        "keywords",
    ):
        setattr(capture, name, getattr(article, name))
    capture.author = article.author or ""
    capture.language = article.language or ""
    capture.image = article.image or ""
    capture.images = list(article.images)
    if article.oembed is not None and article.oembed.format == "json":
        capture.oembed_url = article.oembed.url


async def _follow_oembed(capture: Capture, page: FetchResult, session: GuardedSession) -> None:
    """A video page's oEmbed gives its player, thumbnail and title (if the page had none)."""
    from veille.capture.oembed import parse_oembed

    if not capture.oembed_url:
        return
    try:
        answer = await session.fetch(
            capture.oembed_url, accept="application/json", max_bytes=OEMBED_MAX_BYTES
        )
    except FetchError:
        return  # the page itself was captured: a missing player is not an error
    oembed = parse_oembed(answer.body, endpoint_url=capture.oembed_url) if answer.ok else None
    if oembed is None:
        return
    capture.embed_src = oembed.embed_src or ""
    capture.title = capture.title or oembed.title or ""
    capture.author = capture.author or oembed.author_name or ""
    if oembed.thumbnail_url and oembed.thumbnail_url not in capture.images:
        capture.images.insert(0 if not capture.image else 1, oembed.thumbnail_url)
    capture.image = capture.image or oembed.thumbnail_url or ""


async def capture_many(urls: list[str], **session_options) -> list[Capture]:
    """Capture several URLs concurrently over one session; results in the order given."""
    async with GuardedSession(**session_options) as session:
        return list(await asyncio.gather(*(capture_url(u, session=session) for u in urls)))


def capture_sync(url: str, **session_options) -> Capture:
    """One capture from synchronous code (a view, a task, a command)."""
    return run_sync(capture_many([url], **session_options))[0]


def capture_many_sync(urls: list[str], **session_options) -> list[Capture]:
    return run_sync(capture_many(urls, **session_options))
