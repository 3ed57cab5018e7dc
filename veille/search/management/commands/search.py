"""`veille search QUERY [--topic SLUG] [--json]` and `veille search --rebuild`.

The same engine and ranking as the search page (``veille.search.selectors.search``). With
``--json``, one object per result and per line: id, url, title, topic, score, snippet (HTML with
``<mark>``). ``--rebuild`` indexes every scoop again, with a progress bar on stderr.
"""

import html
import json
import re
import time

from django.core.management.base import BaseCommand, CommandError

from veille.core.urls_util import absolute_url
from veille.search import selectors, services

BAR_WIDTH = 30
MARK = re.compile(r"</?mark>")


class Command(BaseCommand):
    help = "Search published scoops, or rebuild the search index (--rebuild)."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", metavar="QUERY", help="words, phrases, filters")
        parser.add_argument("--rebuild", action="store_true", help="index every scoop again")
        parser.add_argument("--topic", metavar="SLUG", help="search this topic only")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.add_argument("--limit", type=int, default=20, help="results per page (20)")
        parser.add_argument("--page", type=int, default=1, help="page of results (1)")

    def handle(self, *args, **options):
        if options["rebuild"]:
            if options["query"]:
                raise CommandError("--rebuild takes no QUERY.")
            self.rebuild()
            return
        if not options["query"]:
            raise CommandError("Give a QUERY, or --rebuild.")
        page = selectors.search(
            q=options["query"],
            topic=options["topic"],
            page=options["page"],
            per_page=max(1, options["limit"]),
        )
        for error in page.query.errors:
            self.stderr.write(error)
        for result in page.results:
            self.stdout.write(_json(result) if options["json"] else _human(result))
        if not options["json"]:
            self.stderr.write(f"{page.total} found (page {page.number} of {page.num_pages}).")

    def rebuild(self) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stderr.write(f"\r[{bar}] {done}/{total}", ending="")
            self.stderr.flush()

        count = services.rebuild(on_progress=progress)
        seconds = time.monotonic() - started
        self.stderr.write(("\n" if count else "") + f"Indexed {count} scoops in {seconds:.1f} s.")


def _json(result: selectors.Result) -> str:
    scoop = result.scoop
    return json.dumps(
        {
            "id": scoop.pk,
            "url": absolute_url(scoop.get_absolute_url()),
            "title": scoop.title,
            "topic": scoop.topic.slug,
            "score": round(result.score, 6),
            "snippet": str(result.snippet_html),
        },
        ensure_ascii=False,
    )


def _human(result: selectors.Result) -> str:
    scoop = result.scoop
    snippet = html.unescape(MARK.sub("", str(result.snippet_html)))
    lines = [scoop.title, f"  {absolute_url(scoop.get_absolute_url())}  ({scoop.topic.slug})"]
    return "\n".join([*lines, f"  {snippet}"] if snippet else lines)
