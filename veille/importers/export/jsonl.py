"""Veille JSON export: JSON Lines, everything needed to rebuild topics on another instance.

The format is described in veille/importers/jsonformat.py and docs/import-export.md. Records come
in this order: the header, the users the file names, then each topic followed by its sources and
its scoops, each scoop followed by its comments (so that an import reads a scoop and its comments
as one unit).
"""

from __future__ import annotations

from collections.abc import Iterator

from veille.importers import jsonformat as fmt
from veille.importers import selectors
from veille.importers.models import CreditRole
from veille.sources.models import Source
from veille.topics.models import Scoop, Topic


def _user(user) -> dict:
    return {"type": "user", "username": user.username, "name": user.display_name, "bio": user.bio}


def topic_record(topic: Topic) -> dict:
    origin = getattr(topic, "import_origin", None)
    key = fmt.topic_key(pk=topic.pk, origin_key=origin and origin.key, created_at=topic.created_at)
    record = {"type": "topic", "id": key}
    record.update({name: getattr(topic, name) for name in fmt.TOPIC_TEXT_FIELDS})
    record.update({name: getattr(topic, name) for name in fmt.TOPIC_COUNT_FIELDS})
    record.update({name: getattr(topic, name) for name in fmt.TOPIC_FLAG_FIELDS})
    record["curators"] = sorted(
        ({"username": c.user.username, "role": c.role} for c in topic.curators.all()),
        key=lambda curator: curator["username"],
    )
    return record


def _credits(scoop: Scoop) -> dict:
    """The ids of the scoops a rescoop credits, even when this instance does not have them."""
    pending = {credit.role: credit.key for credit in scoop.pending_credits.all()}
    found = {
        CreditRole.ORIGIN: (scoop.origin_id, scoop.origin_import_key, scoop.origin_created_at),
        CreditRole.ROOT: (scoop.root_id, scoop.root_import_key, scoop.root_created_at),
    }
    return {
        role: fmt.scoop_key(pk=pk, import_key=key, created_at=created) if pk else pending.get(role)
        for role, (pk, key, created) in found.items()
    }


def tag_names(scoop: Scoop) -> list[str]:
    return sorted(tag.name for tag in scoop.tags.all())


def scoop_record(scoop: Scoop, topic_id: str) -> dict:
    record = {
        "type": "scoop",
        "id": fmt.scoop_key(pk=scoop.pk, import_key=scoop.import_key, created_at=scoop.created_at),
        "topic": topic_id,
        "curator": scoop.curator_username,
        "url": scoop.source_url,
        "tags": tag_names(scoop),
        **_credits(scoop),
    }
    for names in (fmt.SCOOP_TEXT_FIELDS, fmt.SCOOP_FLAG_FIELDS, fmt.SCOOP_COUNT_FIELDS):
        record.update({name: getattr(scoop, name) for name in names})
    record.update({name: fmt.format_date(getattr(scoop, name)) for name in fmt.SCOOP_DATE_FIELDS})
    return record


def _comment(comment, scoop_id: str) -> dict:
    record = {
        "type": "comment",
        "scoop": scoop_id,
        "hidden": comment.hidden,
        "created_at": fmt.format_date(comment.created_at),
    }
    if comment.author_id is None:  # a reply from the fediverse: its note's id and its HTML
        actor = comment.remote_author
        record["remote_author"] = {
            "uri": actor.uri,
            "username": actor.username,
            "name": actor.name,
            "url": actor.url,
        }
        record.update(ap_id=comment.ap_id, body_html=comment.body_html)
    else:
        record.update(author=comment.author.username, body=comment.body_markdown)
    return record


def _source(source: Source, topic_id: str) -> dict:
    record = {"type": "source", "topic": topic_id}
    record.update({name: getattr(source, name) for name in fmt.SOURCE_FIELDS})
    return record


def _topic_lines(topic: Topic) -> Iterator[str]:
    record = topic_record(topic)
    yield fmt.dump(record)
    for source in selectors.export_sources(topic=topic):
        yield fmt.dump(_source(source, record["id"]))
    for scoop in selectors.export_scoops(topic=topic, with_comments=True):
        scoop_line = scoop_record(scoop, record["id"])
        yield fmt.dump(scoop_line)
        for comment in scoop.comments.all():
            yield fmt.dump(_comment(comment, scoop_line["id"]))


def lines(scope: selectors.ExportScope) -> Iterator[str]:
    yield fmt.dump(fmt.header(scope=scope.kind, name=scope.name))
    for user in selectors.export_users(scope):
        yield fmt.dump(_user(user))
    for topic in selectors.export_topics(scope):
        yield from _topic_lines(topic)
