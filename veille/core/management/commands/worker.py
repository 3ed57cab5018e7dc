"""`veille worker`: run the Huey consumer (Redis in scaled deployments, SQLite otherwise)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from veille.core.process import settle_long_lived_process


class Command(BaseCommand):
    help = "Run background task consumers (against VEILLE_REDIS_URL when it is set)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=settings.HUEY["consumer"]["workers"])
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="Leave periodic tasks to another worker (run them on one only).",
        )
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, **options):
        if not options["quiet"]:
            where = "Redis" if settings.REDIS_URL else f"SQLite ({settings.HUEY['filename']})"
            self.stdout.write(f"Veille worker: {options['workers']} threads on {where}")
        argv = ["--workers", str(options["workers"]), "--worker-type", "thread", "--max-delay", "2"]
        if options["no_periodic"]:
            argv.append("--no-periodic")
        if options["quiet"]:
            argv.append("--quiet")
        settle_long_lived_process()
        call_command("run_huey", *argv)
