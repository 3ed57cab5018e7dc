"""`veille poll [--topic SLUG] [--force] [--wait]`: poll sources now.

Without --wait the poll is queued for a worker and the command returns. With --wait it runs here
and returns when every source it claimed is done, printing progress on stderr and a summary on
stdout. --force polls every enabled source, due or not (never one another run is polling).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from veille.sources import poller, tasks
from veille.topics.models import Topic

PROGRESS_SECONDS = 1.0


class Command(BaseCommand):
    help = "Poll the sources that are due (all of them with --force)."
    # A poll serves no page: checking the URL configuration would only slow every run.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--topic", metavar="SLUG", help=_("only this topic's sources"))
        parser.add_argument("--force", action="store_true", help=_("poll even if not due"))
        parser.add_argument("--wait", action="store_true", help=_("poll here and wait"))

    def handle(self, *args, **options) -> None:
        topic = None
        if options["topic"]:
            topic = Topic.objects.filter(slug=options["topic"]).first()
            if topic is None:
                raise CommandError(
                    _("No topic with the address %(slug)s.") % {"slug": options["topic"]}
                )
        if not options["wait"]:
            tasks.poll_topic(topic.pk if topic else None, options["force"])
            self.stdout.write(_("Poll queued."))
            return
        report = poller.poll_all(topic=topic, force=options["force"], on_progress=self._progress())
        for _id, url, error in report.failures:
            self.stderr.write(f"{url}: {error}")
        self.stdout.write(
            _(
                "Polled %(claimed)d sources in %(seconds).1f s: %(updated)d read "
                "(%(new)d new items), %(unchanged)d unchanged, %(errors)d errors, "
                "%(disabled)d disabled."
            )
            % {
                "claimed": report.claimed,
                "seconds": report.seconds,
                "updated": report.updated,
                "new": report.new_items,
                "unchanged": report.unchanged,
                "errors": report.errors,
                "disabled": report.disabled,
            }
        )

    def _progress(self):
        last = [time.monotonic()]

        def show(done: int) -> None:
            if time.monotonic() - last[0] >= PROGRESS_SECONDS:
                last[0] = time.monotonic()
                self.stderr.write(_("%(done)d sources polled…") % {"done": done})

        return show
