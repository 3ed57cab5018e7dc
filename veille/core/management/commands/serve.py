"""`veille serve`: migrate, optionally load the demo topic, and serve with the task consumer.

The web server is gunicorn (threads, a few processes); the Huey consumer runs beside it as a child
of this command, started when gunicorn is ready and stopped with it, so one command is a whole
instance (see docs/decisions/0001-serve-runs-the-consumer.md).
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, then serve Veille with gunicorn and the in-process task consumer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Load the 'Toulouse networks' demo topic when there is no topic.",
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--processes",
            type=int,
            default=int(os.environ.get("VEILLE_WEB_PROCESSES", "2")),
            help="gunicorn worker processes (default 2)",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per process")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the task consumer (another `veille worker` runs).",
        )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["demo"]:
            from veille.importers.services import load_demo_topic

            topic = load_demo_topic()
            if topic is not None:
                self.stdout.write(f"Loaded the demo topic: {settings.BASE_URL}/topic/{topic.slug}/")
        consumer = None if options["no_worker"] else self._start_consumer()
        self.stdout.write(
            f"Serving on http://{options['host']}:{options['port']}/ "
            f"(public address {settings.BASE_URL})"
        )
        try:
            _GunicornApp(options).run()
        finally:
            if consumer is not None:
                consumer.send_signal(signal.SIGTERM)
                consumer.wait(timeout=15)

    def _start_consumer(self) -> subprocess.Popen:
        # A child process: gunicorn forks its workers, and a consumer thread in the arbiter would
        # be copied, half-locked, into every fork.
        return subprocess.Popen([sys.executable, "-m", "veille", "worker", "--quiet"])


class _GunicornApp:
    """gunicorn's BaseApplication, configured from our options instead of its command line."""

    def __new__(cls, options):
        from gunicorn.app.base import BaseApplication

        class App(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{options['host']}:{options['port']}")
                self.cfg.set("workers", options["processes"])
                self.cfg.set("threads", options["threads"])
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("accesslog", "-" if settings.DEBUG else None)
                self.cfg.set("graceful_timeout", 10)

            def load(self):
                from veille.wsgi import application

                return application

        return App()
