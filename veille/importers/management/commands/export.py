"""`veille export --topic SLUG|--user NAME --format json|html|opml|csv --output PATH`.

Writes the export to PATH ("-" for standard output) as it is read from the database, with a
progress line on stderr every ``--progress-every`` records. See docs/import-export.md.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from veille.accounts.models import User
from veille.importers.export import FORMATS
from veille.importers.selectors import ExportScope, account_scope, topic_scope
from veille.topics.models import Topic


def _scope(options: dict) -> ExportScope:
    if options["topic"]:
        topic = Topic.objects.filter(slug=options["topic"]).first()
        if topic is None:
            raise CommandError(_("No topic at the address %(slug)s.") % {"slug": options["topic"]})
        return topic_scope(topic=topic)
    user = User.objects.filter(username=options["user"]).first()
    if user is None:
        raise CommandError(_("No account named %(name)s.") % {"name": options["user"]})
    return account_scope(user=user)


class _Stdout:
    """The command's stdout as a plain file: the export's pieces end their own lines."""

    def __init__(self, command: BaseCommand) -> None:
        self.command = command

    def write(self, text: str) -> None:
        self.command.stdout.write(text, ending="")


@contextmanager
def _output(path: str, command: BaseCommand):
    if path == "-":
        yield _Stdout(command)
        return
    target = Path(path)
    partial = target.with_name(target.name + ".partial")  # a failed export leaves no half file
    try:
        with open(partial, "w", encoding="utf-8", newline="") as file:
            yield file
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)


class Command(BaseCommand):
    help = "Export a topic, or every topic an account curates, to a file."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--topic", metavar="SLUG", help=_("address of the topic to export"))
        which.add_argument("--user", metavar="USERNAME", help=_("export every topic they curate"))
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument(
            "--output", required=True, metavar="PATH", help=_("file to write, or - for stdout")
        )
        parser.add_argument("--progress-every", type=int, default=1000, metavar="N")

    def handle(self, *args, **options) -> None:
        scope = _scope(options)
        every = max(1, options["progress_every"])
        try:
            with _output(options["output"], self) as file:
                count = self.write(file, FORMATS[options["format"]].lines(scope), every)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(_("%(count)d records exported.") % {"count": count})

    def write(self, file: TextIO | _Stdout, pieces, every: int) -> int:
        count = 0
        for count, piece in enumerate(pieces, start=1):
            file.write(piece)
            if count % every == 0:
                self.stderr.write(_("%(count)d records…") % {"count": count})
        return count
