"""What a source hands to suggestions: one entry per item found, already cleaned.

The sources app fetches and parses (feeds, sites, sitemaps) and produces ``FeedEntry`` values;
``veille.suggestions.services.ingest_many([(source, entries), ...], also=callback)`` turns them
into candidates (canonical URL, de-duplication into stories, ranking), one ``IngestResult`` per
source, and calls ``callback(results)`` in the transaction that stores them; ``ingest(source=...,
entries=[...])`` does it for one source. This module is the contract between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FeedEntry:
    url: str  # absolute http(s) link of the item (relative links already resolved)
    title: str
    summary_html: str = ""  # sanitized with veille.core.sanitize.clean_html
    image: str = ""  # absolute URL of the item's image (enclosure, media:content, first <img>)
    published: datetime | None = None  # timezone-aware
    author: str = ""
    language: str = ""  # two-letter code when the feed or item says it
    guid: str = ""  # the feed's own id for the item, when it gives one
    tags: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class IngestResult:
    new: int = 0  # candidates created
    duplicates: int = 0  # items already known (same canonical URL in the topic)
    grouped: int = 0  # new candidates that joined an existing story (near duplicates)
    skipped: int = 0  # entries without a usable URL or title
