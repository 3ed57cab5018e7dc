"""How import commands tell what they did: a summary on stdout, each failure with its line on
stderr, and exit status 1 when anything failed (so that scripts and CI notice)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veille.importers.services import ImportReport


def write_report(command: BaseCommand, report: ImportReport) -> None:
    for failure in report.failures:
        command.stderr.write(str(failure))
    topic = report.topic
    where = (
        _("topic “%(title)s” (%(slug)s)") % {"title": topic.title, "slug": topic.slug}
        if topic
        else _("no topic")
    )
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
