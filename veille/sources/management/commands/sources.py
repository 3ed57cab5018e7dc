"""`veille sources add|import|export|list SLUG ...`: a topic's sources from the command line.

    veille sources add SLUG URL [URL...]      feeds, or the feed a site advertises, or the site
    veille sources import SLUG OPML_PATH      every feed of an OPML file
    veille sources export SLUG [--output P]   the topic's sources as OPML
    veille sources list SLUG                  kind, title, URL, next poll, last error

Commands act as the operator: no curator account is needed. Failures go to stderr and make the
exit status 2, so that scripts notice.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from veille.sources import selectors, services
from veille.sources.opml import OpmlError, write_opml
from veille.topics.models import Topic

LIST_COLUMNS = ((8, "kind"), (30, "title"), (50, "url"), (17, "next poll"), (0, "last error"))


class Command(BaseCommand):
    help = "Add, import, export and list the sources of a topic."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help=_("follow feeds or sites (discovers their feeds)"))
        add.add_argument("slug", metavar="SLUG")
        add.add_argument("urls", nargs="+", metavar="URL")
        opml = actions.add_parser("import", help=_("add the feeds of an OPML file"))
        opml.add_argument("slug", metavar="SLUG")
        opml.add_argument("path", type=Path, metavar="OPML_PATH")
        export = actions.add_parser("export", help=_("write the topic's sources as OPML"))
        export.add_argument("slug", metavar="SLUG")
        export.add_argument("--output", type=Path, metavar="PATH", help=_("default: stdout"))
        listing = actions.add_parser("list", help=_("show the topic's sources"))
        listing.add_argument("slug", metavar="SLUG")

    def handle(self, *args, **options) -> None:
        topic = Topic.objects.filter(slug=options["slug"]).first()
        if topic is None:
            raise CommandError(_("No topic with the address %(slug)s.") % {"slug": options["slug"]})
        getattr(self, f"_{options['action']}")(topic, options)

    def _add(self, topic: Topic, options: dict) -> None:
        urls = options["urls"]
        self.stderr.write(_("Looking for feeds at %(count)d address(es)…") % {"count": len(urls)})
        failed = False
        for result in services.sources_add(topic=topic, by=None, urls=urls):
            for source in result.added:
                title = source.title or "-"
                self.stdout.write(f"added {source.kind}: {title} <{source.url}>")
            if result.error:
                failed = True
                self.stderr.write(f"{result.url}: error: {result.error}")
        if failed:
            sys.exit(2)

    def _import(self, topic: Topic, options: dict) -> None:
        path = options["path"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            report = services.opml_import(topic=topic, by=None, data=path.read_bytes())
        except OpmlError as error:
            raise CommandError(str(error), returncode=2) from error
        for problem in report.problems:
            self.stderr.write(problem)
        for source in report.added:
            self.stdout.write(f"added {source.kind}: {source.display_title} <{source.url}>")
        self.stdout.write(
            _("%(added)d added, %(existing)d already there, %(problems)d skipped.")
            % {
                "added": len(report.added),
                "existing": report.existing,
                "problems": len(report.problems),
            }
        )
        if report.problems:
            sys.exit(2)

    def _export(self, topic: Topic, options: dict) -> None:
        sources = selectors.sources_for_topic(topic=topic)
        data = write_opml(title=topic.title, sources=sources, now=timezone.now())
        if options["output"]:
            options["output"].write_bytes(data)
            self.stderr.write(_("Wrote %(path)s.") % {"path": options["output"]})
        else:
            self.stdout.write(data.decode("utf-8"), ending="")

    def _list(self, topic: Topic, options: dict) -> None:
        self.stdout.write(_row(name for _width, name in LIST_COLUMNS))
        for source in selectors.sources_for_topic(topic=topic):
            next_poll = timezone.localtime(source.next_poll_at) if source.next_poll_at else None
            state = "" if source.enabled else "(disabled) "
            self.stdout.write(
                _row(
                    [
                        source.kind,
                        source.title or "-",
                        source.url or source.query,
                        f"{next_poll:%Y-%m-%d %H:%M}" if next_poll else "-",
                        state + (source.last_error or ""),
                    ]
                )
            )


def _row(values) -> str:
    cells = []
    for (width, _name), value in zip(LIST_COLUMNS, values, strict=True):
        text = " ".join(str(value).split())
        if width:
            text = text if len(text) <= width else text[: width - 1] + "…"
            text = text.ljust(width)
        cells.append(text)
    return "  ".join(cells).rstrip()
