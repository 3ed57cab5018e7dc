"""A URL a curator pastes to the source to follow: a feed, a sitemap, or the page itself.

In order, and stopping at the first that gives something:

1. the URL is a feed (or a sitemap) itself;
2. the page advertises feeds with ``<link rel="alternate" type="application/rss+xml|atom+xml|
   feed+json">`` (resolved against the page; comment feeds left out). The first one is the
   site's main feed;
3. two well-known paths, and no more: ``/feed`` (WordPress, the most used publishing system,
   serves it even when a theme drops the <link>) and ``/rss.xml`` (Drupal and many static site
   generators). A longer list of guesses costs requests to a site that did not invite them, and
   an answer only counts when it parses as a feed (sites often answer any path with a page);
4. the page's own article links, when it lists at least three (a blog index, a news front
   page): the page itself becomes a ``site`` source, and it is the freshest list of the site;
5. the site's sitemap: ``Sitemap:`` lines of robots.txt, then ``/sitemap.xml``;
6. a page with one or two article links is still followed as a ``site``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urljoin

from veille.core.asyncrun import run_sync
from veille.core.http import FetchError, FetchResult, GuardedSession
from veille.core.urlnorm import normalize_url
from veille.sources import conf, pages, sitemaps
from veille.sources.feedtext import looks_like_html
from veille.sources.fetching import ACCEPT
from veille.sources.parse import ParseError, parse_feed

COMMON_PATHS = ("/feed", "/rss.xml")
MIN_ARTICLE_LINKS = 3
MAX_ROBOTS_SITEMAPS = 3
DISCOVERY_ACCEPT = ACCEPT["feed"].replace("*/*;q=0.5", "text/html;q=0.7, */*;q=0.5")


class DiscoveryError(ValueError):
    """Nothing to follow at this URL; ``str(error)`` says why."""


@dataclass(frozen=True)
class Found:
    kind: str  # feed, site or sitemap
    url: str
    title: str = ""


async def discover(url: str, *, session: GuardedSession) -> list[Found]:
    """What to follow for ``url``: one or more feeds, else a sitemap or the page; see above."""
    try:
        url = normalize_url(url)
    except ValueError as error:
        raise DiscoveryError(str(error)) from error
    answer = await _get(session, url, DISCOVERY_ACCEPT)
    if not answer.ok:
        raise DiscoveryError(f"{url} answered HTTP {answer.status}")
    final = normalize_url(answer.final_url)
    if not looks_like_html(answer.body):
        try:
            return [_document(answer, final)]
        except DiscoveryError:
            if "html" not in answer.content_type:
                raise  # else a page without the usual <html> start: read it as one
    page = pages.read(answer.body, final, answer.content_type)
    if page is None:
        raise DiscoveryError(f"{url} sent an empty page")
    title = pages.page_title(page)
    advertised = [Found("feed", normalize_url(f.url), f.title) for f in pages.feed_links(page)]
    if advertised:
        # The main feed's own title names it best ("Blog » Flux" is the page's label for it).
        checked = await _first_feed(session, [advertised[0].url])
        main_title = (checked[1] if checked else "") or advertised[0].title or title
        return [Found("feed", advertised[0].url, main_title), *advertised[1:]]
    return [await _without_feed_links(session, page, final, title)]


async def _without_feed_links(session, page, final: str, title: str) -> Found:
    guessed = await _first_feed(session, [urljoin(final, path) for path in COMMON_PATHS])
    if guessed is not None:
        return Found("feed", guessed[0], guessed[1] or title)
    articles = pages.article_links(page)
    if len(articles) >= MIN_ARTICLE_LINKS:
        return Found("site", final, title)
    sitemap = await _find_sitemap(session, final)
    if sitemap is not None:
        return Found("sitemap", sitemap, title)
    if articles:
        return Found("site", final, title)
    raise DiscoveryError(f"no feed, sitemap or article links found at {final}")


def _document(answer: FetchResult, final: str) -> Found:
    """The URL is not a web page: a feed, else a sitemap, else an error saying why."""
    try:
        parsed = parse_feed(answer.body, url=final, charset=answer.charset)
        return Found("feed", final, parsed.title)
    except ParseError as error:
        try:
            sitemaps.parse_sitemap(answer.body, url=final)
        except sitemaps.SitemapError:
            raise DiscoveryError(f"{final}: {error}") from error
        return Found("sitemap", final)


async def _get(session, url: str, accept: str) -> FetchResult:
    try:
        return await session.fetch(url, accept=accept, max_bytes=conf.get("FEED_MAX_BYTES"))
    except FetchError as error:
        raise DiscoveryError(str(error)) from error


async def _quiet_get(session, url: str, accept: str) -> FetchResult | None:
    """A guess: its failure is no error of the discovery."""
    try:
        answer = await _get(session, url, accept)
    except DiscoveryError:
        return None
    return answer if answer.ok else None


async def _first_feed(session, urls: list[str]) -> tuple[str, str] | None:
    answers = await asyncio.gather(*(_quiet_get(session, u, ACCEPT["feed"]) for u in urls))
    for answer in answers:
        if answer is None or looks_like_html(answer.body):
            continue
        try:
            parsed = parse_feed(answer.body, url=answer.final_url, charset=answer.charset)
        except ParseError:
            continue
        return normalize_url(answer.final_url), parsed.title
    return None


async def _find_sitemap(session, final: str) -> str | None:
    robots = await _quiet_get(session, urljoin(final, "/robots.txt"), "text/plain")
    listed = _robots_sitemaps(robots.text()) if robots is not None else []
    for candidate in [*listed[:MAX_ROBOTS_SITEMAPS], urljoin(final, "/sitemap.xml")]:
        answer = await _quiet_get(session, candidate, ACCEPT["sitemap"])
        if answer is None:
            continue
        try:
            sitemaps.parse_sitemap(answer.body, url=answer.final_url)
        except sitemaps.SitemapError:
            continue
        return normalize_url(answer.final_url)
    return None


def _robots_sitemaps(text: str) -> list[str]:
    """``Sitemap:`` lines of robots.txt (https://www.sitemaps.org/protocol.html#submit_robots)."""
    found = []
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            found.append(value.strip())
    return found


async def discover_many(urls: list[str]) -> list[list[Found] | DiscoveryError]:
    """Discover several URLs over one session; results (or errors) in the order given."""
    async with GuardedSession(limit=16, limit_per_host=2) as session:
        return list(await asyncio.gather(*(_discover_or_error(u, session) for u in urls)))


async def _discover_or_error(url: str, session) -> list[Found] | DiscoveryError:
    try:
        return await discover(url, session=session)
    except DiscoveryError as error:
        return error


def discover_sync(urls: list[str]) -> list[list[Found] | DiscoveryError]:
    """``discover_many`` from synchronous code (a view, a command)."""
    return run_sync(discover_many(urls))
