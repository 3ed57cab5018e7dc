"""`veille scoop SLUG URL [--insight TEXT] [--draft]`: capture a page and publish it in a topic."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.html import escape

from veille.accounts.models import User
from veille.capture.pipeline import capture_sync
from veille.capture.services import remember_capture
from veille.core.urls_util import absolute_url
from veille.topics import services
from veille.topics.models import Curator, Role, Topic


class Command(BaseCommand):
    help = "Capture a page and publish it as a scoop of a topic."

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("url", metavar="URL")
        parser.add_argument("--insight", default="", help="the curator's insight (Markdown)")
        parser.add_argument("--draft", action="store_true", help="save as a draft")
        parser.add_argument("--curator", help="username (default: the topic's first owner)")

    def handle(self, *args, **options):
        topic = Topic.objects.filter(slug=options["slug"]).first()
        if topic is None:
            raise CommandError(f"no topic with the address {options['slug']!r}")
        curator = self._curator(topic, options["curator"])
        capture = capture_sync(options["url"])
        if not capture.ok:
            self.stderr.write(f"warning: {capture.error}; the scoop keeps what could be read")
        remember_capture(capture)
        try:
            scoop = services.scoop_create(
                topic=topic,
                by=curator,
                title=capture.title or options["url"],
                url=capture.canonical_url or capture.final_url or capture.url,
                image_url=capture.image,
                excerpt_html=f"<p>{escape(capture.description)}</p>",
                insight=options["insight"],
                draft=options["draft"],
            )
        except ValidationError as error:
            self.stderr.write("; ".join(error.messages))
            sys.exit(2)
        address = absolute_url(scoop.get_absolute_url())
        self.stdout.write(f"{scoop.get_status_display()}: {scoop.title}\n  {address}")

    def _curator(self, topic, username):
        curators = Curator.objects.filter(topic=topic).select_related("user")
        if username:
            user = User.objects.filter(username=username).first()
            if user is None or not curators.filter(user=user).exists():
                raise CommandError(f"{username!r} does not curate {topic.slug!r}")
            return user
        first = curators.filter(role=Role.OWNER).order_by("created_at").first()
        if first is None:
            raise CommandError(f"{topic.slug!r} has no owner")
        return first.user
