"""Scoops of a Veille JSON file, each with its comments: one unit, one transaction.

A scoop is found again in its topic by its id (``Scoop.import_key``, or the pk of this instance's
own scoop); the topic keeps one scoop per article, so a new id whose address the topic already
has is skipped. HTML is never trusted: the insight is rendered again from its Markdown and the
excerpt sanitized. A rescoop's origin and root are linked when this instance has them; otherwise
they wait as ``PendingCredit`` rows, completed when a scoop with that id is imported. Comments
are by local people (found by username) or replies from the fediverse (remote.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from veille.capture.oembed import allowed_embed_src
from veille.core.markdown import render_markdown
from veille.core.sanitize import clean_html
from veille.importers import jsonformat as fmt
from veille.importers.jsonimport.fields import Fields, RecordError
from veille.importers.jsonimport.remote import import_remote_comment
from veille.importers.jsonimport.users import Users
from veille.importers.lookups import source_address, with_import_key, with_source_key
from veille.importers.models import CreditRole, PendingCredit
from veille.importers.report import Outcome
from veille.importers.services import post_slug, save_changes
from veille.importers.tags import TagCache
from veille.topics.models import Comment, Scoop, ScoopStatus, Topic

URL_MAX = 2000
BODY_MAX = 100_000
TEXT_LIMITS = {
    "site_name": 200,
    "author": 200,
    "language": 10,
    "image_url": URL_MAX,
    "image_alt": 300,
    "embed_src": 500,
    "excerpt_html": 1_000_000,
    "insight_markdown": 1_000_000,
    "insight_html": 2_000_000,
    "date_text": 100,
    "content_warning": 200,
}


@dataclass
class Unit:
    """A scoop record and the comment records that follow it, with their lines."""

    record: dict
    line: int
    comments: list[tuple[int, dict]] = field(default_factory=list)


def _source(fields: Fields) -> tuple[str, str]:
    url = fields.text("url", URL_MAX).strip()
    if not url:
        return "", ""
    try:
        return source_address(url)
    except ValueError as exc:
        raise RecordError(f"bad address '{url[:80]}'") from exc


def _web_address(value: str) -> str:
    return value if value.lower().startswith(("http://", "https://")) else ""


def _embed_src(src: str) -> str:
    """The player address if capture would have allowed it (PeerTube: on its own host)."""
    if not src:
        return ""
    return allowed_embed_src(f'<iframe src="{escape(src)}">', endpoint_url=src) or ""


def scoop_fields(fields: Fields, users: Users) -> dict:
    """The model fields of a scoop record, checked and made safe."""
    values = {name: fields.text(name, limit) for name, limit in TEXT_LIMITS.items()}
    title = fields.text("title", 300, required=True)
    markdown, html = values["insight_markdown"], values["insight_html"]
    values.update(
        title=title,
        slug=post_slug(fields.text("slug", 80)) if fields.record.get("slug") else post_slug(title),
        curator_id=users.get(fields.record.get("curator")).pk,
        status=fields.choice("status", ScoopStatus.values),
        image_url=_web_address(values["image_url"]),
        excerpt_html=clean_html(values["excerpt_html"]),
        insight_html=render_markdown(markdown) if markdown.strip() else clean_html(html),
        embed_src=_embed_src(values["embed_src"]),
    )
    values.update({name: fields.flag(name) for name in fmt.SCOOP_FLAG_FIELDS})
    values.update({name: fields.count(name) for name in fmt.SCOOP_COUNT_FIELDS})
    values.update({name: fields.date(name) for name in fmt.SCOOP_DATE_FIELDS})
    return values


def find_scoop(key: str, *, topic: Topic | None = None) -> Scoop | None:
    """The scoop that ``key`` names: in ``topic``, or anywhere on this instance."""
    scoops = Scoop.objects.filter(topic=topic) if topic else Scoop.objects.all()
    found = with_import_key(scoops, key).order_by("pk").first()
    pk = fmt.local_pk(key, "s") if found is None else None
    local = scoops.filter(pk=pk, import_key="").first() if pk else None
    return found or (local if local and fmt.is_local(key, created_at=local.created_at) else None)


def _set_pending(scoop: Scoop, role: str, key: str | None) -> bool:
    """Remember (or forget) the id of a credited scoop this instance lacks. Returns if changed."""
    pending = PendingCredit.objects.filter(scoop=scoop, role=role).first()
    if pending is None:
        if key is not None:
            PendingCredit.objects.create(scoop=scoop, role=role, key=key)
        return key is not None
    if key is None:
        pending.delete()
        return True
    if pending.key == key:
        return False
    PendingCredit.objects.filter(pk=pending.pk).update(key=key)
    return True


def complete_credits(scoop: Scoop, key: str) -> None:
    """Rescoops imported before their origin or root: they credit ``scoop`` now."""
    for pending in PendingCredit.objects.filter(key=key).exclude(scoop=scoop):
        Scoop.objects.filter(pk=pending.scoop_id).update(**{f"{pending.role}_id": scoop.pk})
        pending.delete()


class UnitWriter:
    """Writes units into the topics of one import (the caller opens the transaction)."""

    def __init__(self, *, users: Users, tags: TagCache) -> None:
        self.users, self.tags = users, tags
        # Whether any credit waits: when none does, completing credits costs no query.
        self.pending = PendingCredit.objects.exists()

    def write(self, unit: Unit, topic: Topic) -> tuple[int, Outcome | None]:
        """The scoop's id and the outcome (None when the topic already has the article under
        another id)."""
        fields = Fields(unit.record)
        key = fields.key("id")
        url, source_key = _source(fields)
        values = {**scoop_fields(fields, self.users), "source_url": url, "source_key": source_key}
        tag_ids = self.tags.ids(fields.list_of("tags", str))
        scoop = find_scoop(key, topic=topic)
        if scoop is None:
            if source_key and with_source_key(topic.scoops.all(), source_key).exists():
                return 0, None
            scoop = Scoop.objects.create(topic=topic, import_key=key, **values)
            self.tags.attach(scoop, tag_ids)
            outcome: Outcome = "created"
        else:
            changed = save_changes(scoop, values) | self.tags.replace(scoop, tag_ids)
            outcome = "updated" if changed else "skipped"
        credited = self.credit(scoop, fields, new=outcome == "created")
        if (credited | self.comments(scoop, unit.comments)) and outcome == "skipped":
            outcome = "updated"
        if self.pending:
            complete_credits(scoop, key)
        return scoop.pk, outcome

    def credit(self, scoop: Scoop, fields: Fields, *, new: bool) -> bool:
        changed = False
        for role in CreditRole.values:
            key = fields.optional_key(role)
            target = find_scoop(key) if key else None
            wanted = target.pk if target and target.pk != scoop.pk else None
            if getattr(scoop, f"{role}_id") != wanted:
                setattr(scoop, f"{role}_id", wanted)
                changed = True
            pending = key if wanted is None else None
            self.pending = self.pending or pending is not None
            if not (new and pending is None):  # a new scoop has no waiting credit to forget
                changed = _set_pending(scoop, role, pending) or changed
        if changed:
            scoop.save(update_fields=["origin", "root", "updated_at"])
        return changed

    def comments(self, scoop: Scoop, comments: list[tuple[int, dict]]) -> bool:
        changed = False
        for line, record in comments:
            try:
                changed = self.comment(scoop, Fields(record)) or changed
            except RecordError as exc:
                raise RecordError(str(exc), line=line) from exc
        if changed:
            visible = Comment.objects.filter(scoop=scoop, hidden=False).count()
            Scoop.objects.filter(pk=scoop.pk).update(comment_count=visible)
        return changed

    def comment(self, scoop: Scoop, fields: Fields) -> bool:
        if fields.record.get("remote_author") is not None:  # a reply from the fediverse
            return import_remote_comment(scoop, fields)
        author = self.users.get(fields.record.get("author"))
        created_at = fields.date("created_at")
        if created_at is None:
            raise RecordError("'created_at' is missing")
        body = fields.text("body", BODY_MAX, required=True)
        values = {"body_markdown": body, "body_html": render_markdown(body)}
        values["hidden"] = fields.flag("hidden")
        comment = Comment.objects.filter(scoop=scoop, author=author, created_at=created_at).first()
        if comment is None:
            comment = Comment.objects.create(scoop=scoop, author=author, **values)
            Comment.objects.filter(pk=comment.pk).update(created_at=created_at)
            return True
        changed = {name: value for name, value in values.items() if getattr(comment, name) != value}
        if changed:
            Comment.objects.filter(pk=comment.pk).update(**changed)
        return bool(changed)
