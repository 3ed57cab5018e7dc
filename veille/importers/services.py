"""Writes of the importers: a saved Scoop.it page into a topic, and the demo topic.

The page is read twice: a first pass learns what must be known before writing (the import keys in
page order, the dates, the curators), the second writes. Each scoop, with the rescoops of the other
curators who wrote on it, is written in its own transaction: a scoop that cannot be read or saved
is reported with its line, and the others are kept. Re-running an import finds what it wrote
before by ``Scoop.import_key`` and updates it; it never duplicates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from veille.accounts.models import User
from veille.core.markdown import render_markdown
from veille.core.sanitize import clean_html
from veille.importers import scoopit
from veille.importers.dates import newest, plan_published_at
from veille.importers.items import ParseError
from veille.importers.lookups import with_import_key
from veille.importers.placeholders import curator_for_name, placeholder_user, scoops_topic
from veille.importers.report import ImportFailed, ImportReport
from veille.search import services as search_index
from veille.topics import services as topic_services
from veille.topics.models import Curator, Role, Scoop, ScoopStatus, Topic

DEMO_PATH = Path(__file__).resolve().parent / "fixtures" / "toulouse-networks.txt"
DEMO_SLUG = "toulouse-networks"
DEMO_CURATOR = "Jacques Le Bris"
DEMO_TIME_ZONE = "Europe/Paris"  # where the demo page was saved: its times are French times


def _upsert_topic(
    *, slug: str, header: scoopit.TopicHeader, owner: User | None, language: str
) -> Topic:
    """The topic named ``slug``, created if missing, with the page's title, subtitle and views."""
    topic = Topic.objects.filter(slug=slugify(slug)).first()
    if topic is None:
        if owner is None:
            raise ImportFailed(_("Nobody to curate the new topic: name a curator."))
        try:
            topic = topic_services.topic_create(
                by=owner, title=(header.title or slug)[:200], slug=slug, language=language or "en"
            )
        except ValidationError as exc:
            raise ImportFailed(" ".join(exc.messages)) from exc
    changed = {"language": language} if language else {}
    if header.title:  # a page without a title leaves the topic's own
        changed.update(title=header.title[:200], subtitle=header.subtitle[:300])
    if header.views is not None:
        changed["imported_views"] = header.views
    old_language = topic.language
    for name, value in changed.items():
        setattr(topic, name, value)
    topic.save(update_fields=[*changed, "updated_at"])
    if topic.language != old_language:
        search_index.topic_language_changed(topic=topic)
    return topic


# --- scoops -----------------------------------------------------------------------------------


def save_changes(obj: Scoop | Topic, fields: dict) -> bool:
    """Set ``fields`` on ``obj`` and save the ones that differ. Returns whether any did."""
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        obj.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def _rescoop_key(origin: Scoop, name: str, occurrence: int) -> str:
    text = f"rescoop:{origin.pk}:{scoopit.normalize_title(name)}:{occurrence}"
    return hashlib.sha256(text.encode()).hexdigest()[:64]


@dataclass
class _Home:
    """Where another curator's rescoops go: their placeholder account and its topic."""

    user: User
    topic: Topic


class _ScoopitImport:
    """The second pass: one instance per import, fed the parser's events in page order."""

    def __init__(
        self,
        *,
        slug: str,
        curator: User | None,
        language: str,
        summary: scoopit.PageSummary,
        year: int | None,
        tz: dt.tzinfo,
        report: ImportReport,
    ) -> None:
        self.slug, self.curator, self.language = slug, curator, language
        self.summary, self.year, self.tz = summary, year, tz
        self.report = report
        self.make_key = scoopit.KeyMaker()
        self.users: dict[str, User] = {}
        self.homes: dict[str, _Home] = {}
        self.plan: dict[str, dt.datetime] = {}
        self.anchor = timezone.now().replace(second=0, microsecond=0)

    @property
    def topic(self) -> Topic:
        assert self.report.topic is not None  # the parser yields the header before any scoop
        return self.report.topic

    def handle(self, event: scoopit.Event) -> None:
        if isinstance(event, ParseError):
            self.report.fail(event)
        elif isinstance(event, scoopit.TopicHeader):
            self.start(event)
        elif self.report.topic is None:  # the page changed between the two passes
            message = _("no topic to import into: the page has no title")
            self.report.fail(ParseError(event.line, message))
        else:
            self.import_item(event)

    def start(self, header: scoopit.TopicHeader) -> None:
        if not header.title and not self.summary.keys:
            return  # nothing on the page: no topic to create
        names = self.summary.curators
        owner = self.curator or (curator_for_name(name=names[0]) if names else None)
        self.report.topic = _upsert_topic(
            slug=self.slug, header=header, owner=owner, language=self.language
        )
        self.anchor = newest(self.summary.dates, default_year=self.year, tz=self.tz) or self.anchor
        existing = Scoop.objects.filter(topic=self.topic).exclude(import_key="")
        self.plan = plan_published_at(
            self.summary.keys,
            anchor=self.anchor,
            existing={k: d for k, d in existing.values_list("import_key", "published_at") if d},
        )

    def import_item(self, item: scoopit.ScoopItem) -> None:
        key = self.make_key(item.title)
        try:  # accounts and topics first, outside the scoop's transaction, so they stay cached
            curator = self.user(item.curator)
            homes = [self.home(other.name) for other in item.other_insights]
            with transaction.atomic():
                outcome = self.write(item, key=key, curator=curator, homes=homes)
        except (DatabaseError, ValidationError, ImportFailed, ValueError) as exc:
            message = _("the scoop could not be saved: %(error)s") % {"error": exc}
            self.report.fail(ParseError(item.line, message))
            return
        self.report.count(outcome)

    def user(self, name: str) -> User:
        """The account of a "Scooped by" name, made a curator of the topic."""
        if name not in self.users:
            main = self.summary.curators[:1] == [name]
            user = self.curator if self.curator and main else curator_for_name(name=name)
            Curator.objects.get_or_create(
                topic=self.topic, user=user, defaults={"role": Role.EDITOR}
            )
            self.users[name] = user
        return self.users[name]

    def home(self, name: str) -> _Home:
        if name not in self.homes:
            user = placeholder_user(name=name)
            self.homes[name] = _Home(user, scoops_topic(user=user, language=self.topic.language))
        return self.homes[name]

    def write(self, item: scoopit.ScoopItem, *, key: str, curator: User, homes: list[_Home]) -> str:
        """Save one scoop and its rescoops; returns "created", "updated" or "skipped"."""
        scoop, outcome = self.upsert_scoop(item, key=key, curator=curator)
        seen = Counter[str]()
        for other, home in zip(item.other_insights, homes, strict=True):
            if _upsert_rescoop(scoop, other, home=home, occurrence=seen[other.name]):
                outcome = "updated" if outcome == "skipped" else outcome
            seen[other.name] += 1
        search_index.scoop_family_changed(scoop=scoop)  # in the scoop's transaction
        return outcome

    def upsert_scoop(
        self, item: scoopit.ScoopItem, *, key: str, curator: User
    ) -> tuple[Scoop, str]:
        title = item.title[:300]
        fields = {
            "curator_id": curator.pk,
            "title": title,
            "slug": post_slug(title),
            "excerpt_html": clean_html(item.excerpt_html),
            "insight_markdown": item.insight,
            "insight_html": render_markdown(item.insight),
            "imported_comment_count": item.comment_count,
        }
        scoop = with_import_key(Scoop.objects.filter(topic=self.topic), key).first()
        if scoop is None:
            scoop = Scoop.objects.create(
                topic=self.topic,
                import_key=key,
                published_at=self.plan.get(key, self.anchor),
                date_is_estimated=True,  # Scoop.it pages give no date for a scoop
                status=ScoopStatus.PUBLISHED,
                **fields,
            )
            return scoop, "created"
        # published_at is kept: the topic's order stays as it was
        return scoop, "updated" if save_changes(scoop, fields) else "skipped"

    def finish(self) -> ImportReport:
        topics = [home.topic for home in self.homes.values()]
        if self.report.topic is not None:
            topics.append(self.topic)
        for topic in topics:
            topic_services.topic_refresh_counters(topic=topic)
        if self.report.topic is not None:
            self.topic.refresh_from_db()
        return self.report


def post_slug(title: str) -> str:
    return slugify(title)[:80].strip("-") or "post"


def _upsert_rescoop(
    origin: Scoop, other: scoopit.OtherInsight, *, home: _Home, occurrence: int
) -> bool:
    """Another curator's insight, as their rescoop of ``origin``. Returns whether it changed."""
    key = _rescoop_key(origin, other.name, occurrence)
    fields = {
        "curator_id": home.user.pk,
        "title": origin.title,
        "slug": origin.slug,
        "source_url": origin.source_url,
        "image_url": origin.image_url,
        "image_alt": origin.image_alt,
        "excerpt_html": origin.excerpt_html,
        "insight_markdown": other.text,
        "insight_html": render_markdown(other.text),
        "date_text": other.date_text[:100],
        "origin_id": origin.pk,
        "root_id": origin.root_id or origin.pk,
    }
    if other.published_at is not None:
        fields["published_at"] = other.published_at
    rescoop = with_import_key(Scoop.objects.filter(topic=home.topic), key).first()
    if rescoop is None:
        fields.setdefault("published_at", origin.published_at)  # an unreadable date
        Scoop.objects.create(
            topic=home.topic, import_key=key, status=ScoopStatus.PUBLISHED, **fields
        )
        return True
    return save_changes(rescoop, fields)


# --- entry points -----------------------------------------------------------------------------


@contextmanager
def _lines(path: Path | str) -> Iterator[Iterator[str]]:
    # utf-8-sig drops a byte-order mark; undecodable bytes must not stop a long import halfway
    with open(path, encoding="utf-8-sig", errors="replace") as file:
        yield iter(file)


def import_scoopit(
    *,
    path: Path | str,
    slug: str,
    curator: User | None = None,
    year: int | None = None,
    tz: dt.tzinfo | None = None,
    language: str = "",
    on_progress: Callable[[int], None] | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import a saved Scoop.it page into the topic ``slug`` (created if missing, else updated).

    ``curator`` curates a new topic and stands for the page's curator (default: an account for
    the first "Scooped by" name); ``year`` is the year of dates written without one (default:
    the year of the page's newest date that has one); ``tz`` is the time zone of the page's
    times (default: ``settings.TIME_ZONE``). ``on_progress`` gets the count of scoops handled;
    ``report``, when given, is filled (its listener sees each failure as it happens).
    Raises ``ImportFailed`` when the topic cannot be created; reports everything else.
    """
    with _lines(path) as lines:
        summary = scoopit.summarize(lines)
    tz = tz or timezone.get_default_timezone()
    job = _ScoopitImport(
        slug=slug,
        curator=curator,
        language=language,
        summary=summary,
        year=year or summary.year,
        tz=tz,
        report=report or ImportReport(),
    )
    with _lines(path) as lines:
        for event in scoopit.parse(lines, year=job.year, tz=tz):
            job.handle(event)
            if on_progress and isinstance(event, scoopit.ScoopItem):
                on_progress(job.report.done)
    return job.finish()


def load_demo(*, force: bool = False) -> ImportReport | None:
    """Import the demo topic (Toulouse networks) when the database has no topic yet, or ``force``.

    Forcing on a database that has it updates it: imports are idempotent.
    """
    if not force and Topic.objects.exists():
        return None
    return import_scoopit(
        path=DEMO_PATH,
        slug=DEMO_SLUG,
        curator=curator_for_name(name=DEMO_CURATOR),
        tz=ZoneInfo(DEMO_TIME_ZONE),
        language="fr",
    )


def load_demo_topic(*, force: bool = False) -> Topic | None:
    """The demo topic just loaded, or None when the database already had topics."""
    report = load_demo(force=force)
    return report.topic if report else None
