"""Source keys, and finding a scoop by its import key or source key through the unique indexes
that hold them.

Both indexes are partial (``WHERE key <> ''``). SQLite only uses a partial index when the query
repeats its condition (a ``key = ?`` term is not enough for it to prove ``key <> ''``); without
it, each lookup scans the whole topic, and an import of 100,000 links takes hours. So every
lookup of the importers goes through these functions.
"""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

from veille.core.urlnorm import normalize_url
from veille.topics.models import Scoop


def source_address(url: str) -> tuple[str, str]:
    """The normalized address and its ``source_key``, as topics.services computes them for a
    scoop (one scoop per article in a topic); ValueError when it is not a web address."""
    normalized = normalize_url(url)
    return normalized, hashlib.sha256(normalized.encode()).hexdigest()


def with_import_key(scoops: QuerySet[Scoop], key: str) -> QuerySet[Scoop]:
    return scoops.filter(import_key=key).exclude(import_key="")


def with_source_key(scoops: QuerySet[Scoop], key: str) -> QuerySet[Scoop]:
    return scoops.filter(source_key=key).exclude(source_key="")


def with_source_keys(scoops: QuerySet[Scoop], keys: list[str]) -> QuerySet[Scoop]:
    return scoops.filter(source_key__in=keys).exclude(source_key="")
