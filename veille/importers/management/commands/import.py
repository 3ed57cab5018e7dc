"""`veille import FORMAT ...`: bring a topic in from another service's export.

Each format is a subcommand with its own arguments (argparse subparsers), registered in
``FORMATS`` as a pair (add its arguments, run it): ``scoopit`` now, then ``json``, ``html`` and
``opml`` the same way. See docs/import-scoopit.md.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from veille.accounts.models import User
from veille.importers import services
from veille.importers.management.report import write_report

PROGRESS_EVERY = 50


def _year(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 9999:
        raise argparse.ArgumentTypeError(_("a year such as 2017 expected"))
    return int(text)


def _time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise argparse.ArgumentTypeError(_("unknown time zone: %(name)s") % {"name": name}) from exc


def _scoopit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help=_("the topic page saved as text"))
    parser.add_argument(
        "--topic", required=True, metavar="SLUG", help=_("address of the topic to create or update")
    )
    parser.add_argument(
        "--curator",
        metavar="USERNAME",
        help=_(
            "account that curates a new topic and stands for the page's curator "
            "(default: an account for the 'Scooped by' name)"
        ),
    )
    parser.add_argument(
        "--year",
        type=_year,
        help=_(
            "year of the dates written without one (default: the year of the "
            "page's newest date that has one)"
        ),
    )
    parser.add_argument(
        "--timezone",
        type=_time_zone,
        metavar="ZONE",
        help=_("time zone of the page's times (default: TIME_ZONE)"),
    )
    parser.add_argument("--language", default="", help=_("language code of the topic, such as fr"))
    parser.add_argument(
        "--progress-every",
        type=int,
        default=PROGRESS_EVERY,
        metavar="N",
        help=_("print a progress line every N scoops"),
    )


def _run_scoopit(command: BaseCommand, options: dict) -> services.ImportReport:
    path, curator = options["path"], None
    if not path.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": path})
    if options["curator"]:
        curator = User.objects.filter(username=options["curator"]).first()
        if curator is None:
            raise CommandError(_("No account named %(name)s.") % {"name": options["curator"]})
    every = max(1, options["progress_every"])

    def progress(done: int) -> None:
        if done % every == 0:
            command.stderr.write(_("%(count)d scoops…") % {"count": done})

    try:
        return services.import_scoopit(
            path=path,
            slug=options["topic"],
            curator=curator,
            year=options["year"],
            tz=options["timezone"] or ZoneInfo(settings.TIME_ZONE),
            language=options["language"],
            on_progress=progress,
        )
    except services.ImportFailed as exc:
        raise CommandError(str(exc)) from exc


Runner = Callable[[BaseCommand, dict], services.ImportReport]
FORMATS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Runner]] = {
    "scoopit": (
        gettext_noop("a Scoop.it topic page saved as text"),
        _scoopit_arguments,
        _run_scoopit,
    ),
}


class Command(BaseCommand):
    help = "Import a topic from another service's export."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        for name, (help_text, add_arguments, _run) in FORMATS.items():
            add_arguments(formats.add_parser(name, help=_(help_text), description=_(help_text)))

    def handle(self, *args, **options) -> None:
        _help, _add_arguments, run = FORMATS[options["format"]]
        write_report(self, run(self, options))
