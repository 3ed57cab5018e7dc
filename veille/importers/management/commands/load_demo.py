"""`veille load_demo [--force]`: the Toulouse networks demo topic, for a new installation."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from veille.importers import services
from veille.importers.management.report import write_report


class Command(BaseCommand):
    help = "Load the demo topic (Toulouse networks) when the database has no topic."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("load it even when topics exist (an existing demo topic is updated)"),
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        report = services.load_demo(force=force)
        if report is None:
            self.stdout.write(
                _(
                    "The database already has topics: the demo topic was not loaded "
                    "(--force loads it anyway)."
                )
            )
            return
        write_report(self, report)
