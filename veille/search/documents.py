"""What is indexed of a scoop, read in bulk: three queries for any number of scoops."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models.functions import Substr

from veille.capture.models import Archive
from veille.core.sanitize import html_to_text
from veille.search import text
from veille.topics.models import Scoop

# Characters of the archived text indexed: PostgreSQL refuses tsvectors over 1 MB, and the start of
# an article says what it is about. Both backends index the same cut.
BODY_CHARS = 100_000
# Indexed fields in the order of the FTS5 columns, with PostgreSQL weights (A ranks highest).
FIELDS = ("title", "insight", "excerpt", "body", "tags", "site")
WEIGHTS = {"title": "A", "insight": "B", "tags": "B", "excerpt": "C", "site": "C", "body": "D"}


@dataclass
class Document:
    scoop_id: int
    config: str
    domain: str
    fields: dict[str, str]  # plain text by field name


def domain_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


COLUMNS = (
    "pk",
    "title",
    "excerpt_html",
    "insight_html",
    "language",
    "topic__language",
    "site_name",
    "source_url",
    "root_id",
)


def documents(scoop_ids: Iterable[int]) -> list[Document]:
    """The documents of these scoops (those that still exist)."""
    rows = list(Scoop.objects.filter(pk__in=list(scoop_ids)).values(*COLUMNS))
    ids = [row["pk"] for row in rows]
    tags = _tags(ids)
    # A rescoop is the same article: it has no archive of its own, its first scoop has.
    bodies = _bodies({*ids, *(row["root_id"] for row in rows if row["root_id"])})
    return [_document(row, tags[row["pk"]], bodies) for row in rows]


def _tags(ids: list[int]) -> dict[int, list[str]]:
    through = Scoop.tags.through.objects.filter(scoop_id__in=ids)
    tags = defaultdict(list)
    for scoop_id, name in through.values_list("scoop_id", "tag__name"):
        tags[scoop_id].append(name)
    return tags


def _bodies(ids: set[int]) -> dict[int, str]:
    archives = Archive.objects.filter(scoop_id__in=ids).annotate(cut=Substr("text", 1, BODY_CHARS))
    return dict(archives.values_list("scoop_id", "cut"))


def _document(row: dict, tags: list[str], bodies: dict[int, str]) -> Document:
    domain = domain_of(row["source_url"])
    return Document(
        scoop_id=row["pk"],
        config=text.config_for(
            scoop_language=row["language"], topic_language=row["topic__language"]
        ),
        domain=domain,
        fields={
            "title": row["title"],
            "insight": html_to_text(row["insight_html"]),
            "excerpt": html_to_text(row["excerpt_html"]),
            "body": bodies.get(row["pk"]) or bodies.get(row["root_id"]) or "",
            "tags": " ".join(sorted(tags)),
            "site": f"{row['site_name']} {domain}".strip(),
        },
    )
