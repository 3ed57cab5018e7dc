"""`veille import FORMAT ...`: bring a topic in from another service's export.

Each format is a subcommand with its own arguments (argparse subparsers), registered in
``FORMATS`` as (help, add its arguments, run it). See docs/import-export.md and
docs/import-scoopit.md.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from veille.accounts.models import User
from veille.importers import services
from veille.importers.bookmarks import import_bookmarks, topic_for_import
from veille.importers.jsonimport import import_json
from veille.importers.management.report import stderr_listener, write_report
from veille.importers.opml import import_opml
from veille.importers.report import ImportFailed, ImportReport

PROGRESS_EVERY = 50
BOOKMARK_PROGRESS_EVERY = 1000


def _topic_arguments(
    parser: argparse.ArgumentParser, *, path_help: str, topic_help: str, curator_help: str
) -> None:
    parser.add_argument("path", type=Path, help=path_help)
    parser.add_argument("--topic", required=True, metavar="SLUG", help=topic_help)
    parser.add_argument("--curator", metavar="USERNAME", help=curator_help)


def _progress_argument(parser: argparse.ArgumentParser, default: int, help_text: str) -> None:
    parser.add_argument("--progress-every", type=int, default=default, metavar="N", help=help_text)


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
    _topic_arguments(
        parser,
        path_help=_("the topic page saved as text"),
        topic_help=_("address of the topic to create or update"),
        curator_help=_(
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
    _progress_argument(parser, PROGRESS_EVERY, _("print a progress line every N scoops"))


def _existing_path(options: dict) -> Path:
    path = options["path"]
    if not path.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": path})
    return path


def _account(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("No account named %(name)s.") % {"name": username})
    return user


def _progress(command: BaseCommand, options: dict, noun: str) -> Callable[[int], None]:
    every, last = max(1, options["progress_every"]), [0]

    def progress(done: int) -> None:
        if done >= last[0] + every:
            last[0] = done - done % every
            command.stderr.write(noun % {"count": last[0]})

    return progress


def _new_report(command: BaseCommand) -> ImportReport:
    return ImportReport(listener=stderr_listener(command))


def _run_scoopit(command: BaseCommand, options: dict) -> ImportReport:
    path, curator = _existing_path(options), _account(options["curator"])
    try:
        return services.import_scoopit(
            path=path,
            slug=options["topic"],
            curator=curator,
            year=options["year"],
            tz=options["timezone"] or ZoneInfo(settings.TIME_ZONE),
            language=options["language"],
            on_progress=_progress(command, options, _("%(count)d scoops…")),
            report=_new_report(command),
        )
    except ImportFailed as exc:
        raise CommandError(str(exc)) from exc


def _bookmark_arguments(parser: argparse.ArgumentParser) -> None:
    _topic_arguments(
        parser,
        path_help=_("the exported file"),
        topic_help=_("address of the topic to import into"),
        curator_help=_(
            "curator who adds the links (needed to create a new topic; default: the topic's "
            "first owner)"
        ),
    )
    parser.add_argument(
        "--draft", action="store_true", help=_("import every link as a draft, not published")
    )
    _progress_argument(parser, BOOKMARK_PROGRESS_EVERY, _("print a progress line every N links"))


def _bookmarks_runner(kind: str) -> Runner:
    def run(command: BaseCommand, options: dict) -> ImportReport:
        path = _existing_path(options)
        try:
            topic, curator = topic_for_import(
                slug=options["topic"], curator=_account(options["curator"])
            )
            return import_bookmarks(
                path=path,
                kind=kind,
                topic=topic,
                by=curator,
                draft=options["draft"],
                report=_new_report(command),
                on_progress=_progress(command, options, _("%(count)d links…")),
            )
        except (ImportFailed, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc

    return run


def _json_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help=_("the Veille JSON export (JSON Lines)"))
    parser.add_argument(
        "--rename",
        action="store_true",
        help=_("import a topic whose address is taken here under a free one (default: refuse it)"),
    )
    _progress_argument(parser, BOOKMARK_PROGRESS_EVERY, _("print a progress line every N records"))


def _run_json(command: BaseCommand, options: dict) -> ImportReport:
    path = _existing_path(options)
    try:
        return import_json(
            path=path,
            rename=options["rename"],
            report=_new_report(command),
            on_progress=_progress(command, options, _("%(count)d records…")),
        )
    except ImportFailed as exc:
        raise CommandError(str(exc)) from exc


def _opml_arguments(parser: argparse.ArgumentParser) -> None:
    _topic_arguments(
        parser,
        path_help=_("the OPML file"),
        topic_help=_("address of the topic"),
        curator_help=_("curator who adds the sources (needed to create a new topic)"),
    )


def _run_opml(command: BaseCommand, options: dict) -> ImportReport:
    path = _existing_path(options)
    try:
        topic, curator = topic_for_import(
            slug=options["topic"], curator=_account(options["curator"])
        )
        return import_opml(path=path, topic=topic, by=curator, report=_new_report(command))
    except (ImportFailed, PermissionDenied) as exc:
        raise CommandError(str(exc)) from exc


Runner = Callable[[BaseCommand, dict], ImportReport]
FORMATS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Runner]] = {
    "scoopit": (
        gettext_noop("a Scoop.it topic page saved as text"),
        _scoopit_arguments,
        _run_scoopit,
    ),
    "html": (
        gettext_noop(
            "Netscape bookmark file (browsers, linkding, Shaarli, Pinboard, Raindrop exports)"
        ),
        _bookmark_arguments,
        _bookmarks_runner("html"),
    ),
    "pocket": (
        gettext_noop("Pocket's CSV export"),
        _bookmark_arguments,
        _bookmarks_runner("pocket"),
    ),
    "opml": (
        gettext_noop("an OPML list of feeds: the topic's sources"),
        _opml_arguments,
        _run_opml,
    ),
    "json": (
        gettext_noop("a Veille JSON export: topics, scoops, comments, sources"),
        _json_arguments,
        _run_json,
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
