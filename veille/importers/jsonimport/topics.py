"""Topics of a Veille JSON file: found again by their id, else created under their address.

A topic is the same topic when this instance imported it before under that id (``TopicOrigin``)
or when the id names one of this instance's own topics (a file exported here). Otherwise it is
created at the file's address; when that address is taken, the import refuses the topic (and
skips its scoops), or with ``rename`` picks a free address such as ``<slug>-2``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from veille.accounts.models import User
from veille.accounts.services import RESERVED_USERNAMES
from veille.importers import jsonformat as fmt
from veille.importers.jsonimport.fields import Fields, RecordError
from veille.importers.jsonimport.users import Users
from veille.importers.models import TopicOrigin
from veille.importers.report import Outcome
from veille.importers.services import save_changes
from veille.search import services as search_index
from veille.topics import services as topic_services
from veille.topics.models import Curator, Role, Topic

SLUG_MAX = 80


def find_topic(key: str) -> Topic | None:
    origin = TopicOrigin.objects.filter(key=key).select_related("topic").first()
    if origin is not None:
        return origin.topic
    pk = fmt.local_pk(key, "t")
    topic = Topic.objects.filter(pk=pk, import_origin__isnull=True).first() if pk else None
    return topic if topic and fmt.is_local(key, created_at=topic.created_at) else None


def _taken(slug: str) -> bool:
    return (
        slug in topic_services.RESERVED_SLUGS
        or slug in RESERVED_USERNAMES
        or Topic.objects.filter(slug=slug).exists()
        or User.objects.filter(username__iexact=slug).exists()
    )


def _free_slug(slug: str) -> str:
    number, candidate = 1, slug
    while _taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = slug[: SLUG_MAX - len(suffix)].strip("-") + suffix
    return candidate


def _curators(fields: Fields, users: Users) -> list[tuple[User, str]]:
    curators = []
    for entry in fields.list_of("curators", dict):
        role = Fields(entry).choice("role", Role.values)
        curators.append((users.get(entry.get("username")), role))
    if not curators:
        raise RecordError("a topic without curators")
    return sorted(curators, key=lambda pair: pair[1] != Role.OWNER)  # an owner first


def _create(fields: Fields, *, key: str, owner: User, rename: bool) -> Topic:
    slug = slugify(fields.text("slug", SLUG_MAX, required=True))
    if _taken(slug):
        if not rename:
            raise RecordError(
                f"the address '{slug}' is taken here (import with --rename to use another one)"
            )
        slug = _free_slug(slug)
    try:
        topic = topic_services.topic_create(
            by=owner, title=fields.text("title", 200, required=True), slug=slug
        )
    except ValidationError as exc:
        raise RecordError(" ".join(exc.messages)) from exc
    TopicOrigin.objects.create(topic=topic, key=key)
    topic.follower_count = fields.count("follower_count")  # counts only: followers stay there
    topic.save(update_fields=["follower_count"])
    return topic


def _update(topic: Topic, fields: Fields) -> bool:
    values = {
        name: fields.text(name, Topic._meta.get_field(name).max_length)
        for name in ("subtitle", "language", "keywords")
    }
    values["title"] = fields.text("title", 200, required=True)
    values["imported_views"] = fields.count("imported_views")
    values["language"] = values["language"] or "en"
    choices = dict(Topic._meta.get_field("visibility").choices)
    values["visibility"] = fields.choice("visibility", choices, default=topic.visibility)
    for name in fmt.TOPIC_FLAG_FIELDS:  # a file from before federation keeps the topic's own
        values[name] = fields.flag(name, default=getattr(topic, name))
    old_language = topic.language
    changed = save_changes(topic, values)
    if topic.language != old_language:
        search_index.topic_language_changed(topic=topic)  # scoops without their own language
    return changed


def _set_curators(topic: Topic, curators: list[tuple[User, str]]) -> bool:
    changed = False
    for user, role in curators:
        curator, created = Curator.objects.get_or_create(
            topic=topic, user=user, defaults={"role": role}
        )
        if not created and curator.role != role:
            Curator.objects.filter(pk=curator.pk).update(role=role)
        changed = changed or created or curator.role != role
    return changed


@transaction.atomic
def upsert_topic(record: dict, *, users: Users, rename: bool) -> tuple[Topic, Outcome]:
    """The topic of a ``topic`` record, created or updated; RecordError when it cannot be."""
    fields = Fields(record)
    key, curators = fields.key("id"), _curators(fields, users)
    topic, outcome = find_topic(key), "updated"
    if topic is None:
        topic, outcome = _create(fields, key=key, owner=curators[0][0], rename=rename), "created"
    changed = _update(topic, fields)
    changed = _set_curators(topic, curators) or changed
    return topic, outcome if outcome == "created" or changed else "skipped"
