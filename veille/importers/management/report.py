"""How import commands tell what they did: each failure and notice with its line on stderr as it
happens, a summary on stdout, and exit status 1 when anything failed (so that scripts and CI
notice)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veille.importers.items import ParseError
from veille.importers.report import ImportReport, Listener


def stderr_listener(command: BaseCommand) -> Listener:
    def write(kind: str, error: ParseError) -> None:
        if kind == "failure":
            command.stderr.write(str(error))
        else:
            command.stderr.write(_("%(notice)s (skipped)") % {"notice": error})

    return write


def write_report(command: BaseCommand, report: ImportReport) -> None:
    topic = report.topic
    if report.topic_count > 1:
        where = _("%(count)d topics") % {"count": report.topic_count}
    elif topic:
        where = _("topic “%(title)s” (%(slug)s)") % {"title": topic.title, "slug": topic.slug}
    else:
        where = _("no topic")
    command.stdout.write(
        _(
            "Imported into %(where)s: %(created)d created, %(updated)d updated, "
            "%(skipped)d skipped, %(failed)d failed."
        )
        % {
            "where": where,
            "created": report.created,
            "updated": report.updated,
            "skipped": report.skipped,
            "failed": report.failed,
        }
    )
    if report.failed:
        raise CommandError(
            ngettext("%(count)d item failed.", "%(count)d items failed.", report.failed)
            % {"count": report.failed},
            returncode=1,
        )
