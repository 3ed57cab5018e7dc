"""Writes of the search index: keep it in step with scoops, or rebuild it.

Called inline by the services that change what is indexed (topics, capture, importers), inside
their transaction: a save that rolls back leaves no index row behind, one that commits is found at
once. Deletes need no call: index rows go with their scoop (see ``veille.search.models``).
Indexing a scoop costs a few milliseconds (stemming its archived text); a rebuild works in batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from veille.search.backends import backend
from veille.search.documents import documents
from veille.topics.models import Scoop, Topic

BATCH = 500


def scoops_changed(*, scoop_ids: Iterable[int]) -> None:
    """Index these scoops again, whatever changed in them (text, tags, language, archive)."""
    ids = list(scoop_ids)
    for start in range(0, len(ids), BATCH):
        found = documents(ids[start : start + BATCH])
        if found:
            backend().write(found)


def scoop_changed(*, scoop: Scoop) -> None:
    scoops_changed(scoop_ids=[scoop.pk])


def scoop_family_changed(*, scoop: Scoop) -> None:
    """The scoop and its rescoops, which index its archived text too."""
    scoops_changed(
        scoop_ids=[scoop.pk, *Scoop.objects.filter(root_id=scoop.pk).values_list("pk", flat=True)]
    )


def topic_language_changed(*, topic: Topic) -> None:
    """Scoops without a language of their own are indexed in their topic's."""
    scoops_changed(scoop_ids=topic.scoops.filter(language="").values_list("pk", flat=True))


def rebuild(*, on_progress: Callable[[int, int], None] | None = None) -> int:
    """Index every scoop again, batch by batch; returns how many.

    The index keeps answering meanwhile: rows are replaced, never emptied first.
    """
    engine = backend()
    ids = list(Scoop.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            engine.write(documents(ids[start : start + BATCH]))
        if on_progress:
            on_progress(min(start + BATCH, len(ids)), len(ids))
    engine.purge_orphans()
    engine.finish_rebuild()
    return len(ids)
