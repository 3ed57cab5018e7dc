"""`veille capture URL [URL...] [--json]`: the capture pipeline from the command line."""

import json
import sys

from django.core.management.base import BaseCommand

from veille.capture.pipeline import capture_many_sync


class Command(BaseCommand):
    help = "Capture web pages as scoops would: title, image, date, language, text."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+", metavar="URL")
        parser.add_argument(
            "--json",
            action="store_true",
            help="one JSON object per line per URL, in the order given",
        )

    def handle(self, *args, **options):
        captures = capture_many_sync(options["urls"])
        for capture in captures:
            if options["json"]:
                self.stdout.write(json.dumps(capture.as_json(), ensure_ascii=False))
            else:
                self._human(capture)
        if any(not c.ok for c in captures):
            sys.exit(2)

    def _human(self, capture):
        if not capture.ok:
            self.stderr.write(f"{capture.url}: error: {capture.error}")
            return
        self.stdout.write(f"{capture.url}\n  {capture.title}")
        for label, value in (
            ("site", capture.site_name),
            ("author", capture.author),
            (
                "published",
                capture.published and f"{capture.published:%Y-%m-%d} ({capture.published_from})",
            ),
            ("language", capture.language),
            ("image", capture.image),
            ("words", capture.word_count),
        ):
            if value:
                self.stdout.write(f"  {label}: {value}")
