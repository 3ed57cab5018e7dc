"""`veille feed inspect URL|PATH [URL|PATH...] [--json]`: parse feeds and show what Veille reads.

URLs are fetched through the guarded client, local files read as they are. With --json, one JSON
object per line per feed, in the order given, each naming its feed (``"feed"``); a feed that
cannot be read gets an ``"error"`` naming why, and the exit status is 2. Never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from veille.core.asyncrun import run_sync
from veille.core.http import FetchError, GuardedSession
from veille.sources import conf
from veille.sources.fetching import ACCEPT
from veille.sources.parse import ParsedFeed, ParseError, parse_feed


class Command(BaseCommand):
    help = "Inspect feeds: parse them as the poller does and print what they hold."
    # Inspecting feeds serves no page: no need to load the URL configuration.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        inspect = actions.add_parser("inspect", help=_("parse feeds and print their entries"))
        inspect.add_argument("feeds", nargs="+", metavar="URL|PATH")
        inspect.add_argument("--json", action="store_true", help=_("one JSON object per line"))
        inspect.add_argument(
            "--base-url",
            default="",
            help=_("address that relative links of local files resolve against"),
        )

    def handle(self, *args, **options) -> None:
        names = options["feeds"]
        if len(names) > 1:
            self.stderr.write(_("Reading %(count)d feeds…") % {"count": len(names)})
        loaded = run_sync(_load_all(names))
        results = [
            _inspect(name, data, options["base_url"])
            for name, data in zip(names, loaded, strict=True)
        ]
        for result in results:
            if options["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
            else:
                self._human(result)
        if any("error" in result for result in results):
            sys.exit(2)

    def _human(self, result: dict) -> None:
        if "error" in result:
            self.stderr.write(f"{result['feed']}: error: {result['error']}")
            return
        self.stdout.write(f"{result['feed']}\n  {result['title'] or '-'} ({result['link'] or '-'})")
        for entry in result["entries"]:
            date = (entry["published"] or "")[:10] or "----------"
            self.stdout.write(f"  {date}  {entry['title']}\n              {entry['url']}")
        if result["skipped"]:
            self.stdout.write(
                _("  %(count)d items without a link skipped") % {"count": result["skipped"]}
            )


async def _load_all(names: list[str]) -> list[tuple[bytes, str, str | None] | str]:
    """Each feed's (body, URL, charset), or the error that kept it from being read."""
    # The poller's transport and cap: a feed reads here as it reads when polled.
    session = GuardedSession(
        limit=16, limit_per_host=2, max_bytes=conf.get("FEED_MAX_BYTES"), transport="lean"
    )
    async with session:
        return list(await asyncio.gather(*(_load(name, session) for name in names)))


async def _load(name: str, session) -> tuple[bytes, str, str | None] | str:
    if not name.startswith(("http://", "https://")):
        path = Path(name)
        if not path.is_file():
            return _("no such file, and not an http(s) URL")
        return path.read_bytes(), "", None
    try:
        answer = await session.fetch(name, accept=ACCEPT["feed"])
    except FetchError as error:
        return str(error)
    if not answer.ok:
        return f"the server answered HTTP {answer.status}"
    return answer.body, answer.final_url, answer.charset


def _inspect(name: str, loaded, base_url: str) -> dict:
    if isinstance(loaded, str):
        return {"feed": name, "error": loaded}
    body, url, charset = loaded
    try:
        return _as_json(name, parse_feed(body, url=url or base_url, charset=charset))
    except ParseError as error:
        return {"feed": name, "error": str(error)}
    except Exception as error:  # noqa: BLE001 - a report, never a traceback
        return {"feed": name, "error": f"unreadable feed: {error!r}"}


def _as_json(name: str, feed: ParsedFeed) -> dict:
    entries = []
    for entry in feed.entries:
        data = asdict(entry)
        data["published"] = entry.published.isoformat() if entry.published else None
        data["tags"] = list(entry.tags)
        entries.append(data)
    return {
        "feed": name,
        "title": feed.title,
        "link": feed.link,
        "language": feed.language,
        "ttl": feed.ttl,
        "parser": feed.parser,
        "skipped": feed.skipped,
        "truncated": feed.truncated,
        "entries": entries,
    }
