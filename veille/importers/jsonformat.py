"""The Veille JSON export format (JSON Lines), shared by the exporter and the importer.

One JSON object per line, so that both sides stream: a header line, then ``user``, ``topic``,
``source``, ``scoop`` and ``comment`` records (docs/import-export.md describes each field). Lines
are written with sorted keys and no export time, so that exporting the same data twice gives the
same bytes.

Topics and scoops carry a stable ``id``: what they were imported under (``Scoop.import_key``,
``TopicOrigin.key``), else ``<instance>-s<pk>-<created>`` / ``<instance>-t<pk>-<created>``, where
``<instance>`` is a keyed hash of the instance's base URL (two instances left with the default
address still differ) and ``<created>`` the row's creation time in hexadecimal microseconds (a
primary key reused after a database was emptied does not name the old row). Re-importing a file
finds what it wrote by these ids, and a rescoop's ``origin`` and ``root`` name the ids of the
scoops they credit.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from django.conf import settings
from django.utils.crypto import salted_hmac

FORMAT = "veille"
VERSION = 1
KEY_MAX = 64
LOCAL_KEY = re.compile(
    r"^(?P<instance>[0-9a-f]{16})-(?P<kind>[st])(?P<pk>[1-9][0-9]{0,18})-(?P<stamp>[0-9a-f]{1,15})$"
)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Scoop fields written and read as they are (strings, numbers, booleans).
SCOOP_TEXT_FIELDS = (
    "title",
    "slug",
    "site_name",
    "author",
    "language",
    "image_url",
    "image_alt",
    "embed_src",
    "excerpt_html",
    "insight_markdown",
    "insight_html",
    "status",
    "date_text",
    "content_warning",
)
SCOOP_FLAG_FIELDS = ("date_is_estimated", "pinned")
SCOOP_COUNT_FIELDS = ("imported_comment_count", "thanks_count")
SCOOP_DATE_FIELDS = ("published_at", "source_published_at")
TOPIC_TEXT_FIELDS = ("slug", "title", "subtitle", "language", "keywords", "visibility")
# How the topic behaves in the fediverse.
TOPIC_FLAG_FIELDS = ("approve_followers", "discoverable", "indexable", "moderate_remote_comments")
TOPIC_COUNT_FIELDS = ("imported_views", "follower_count")
SOURCE_FIELDS = ("kind", "url", "query", "title", "site_url", "weight", "enabled")


def instance_tag() -> str:
    return salted_hmac("veille.importers.instance", settings.BASE_URL).hexdigest()[:16]


def _stamp(created_at: dt.datetime) -> str:
    return format((created_at - EPOCH) // dt.timedelta(microseconds=1), "x")


def local_key(kind: str, *, pk: int, created_at: dt.datetime) -> str:
    """The id of this instance's own topic ("t") or scoop ("s")."""
    return f"{instance_tag()}-{kind}{pk}-{_stamp(created_at)}"


def scoop_key(*, pk: int, import_key: str, created_at: dt.datetime) -> str:
    return import_key or local_key("s", pk=pk, created_at=created_at)


def topic_key(*, pk: int, origin_key: str | None, created_at: dt.datetime) -> str:
    return origin_key or local_key("t", pk=pk, created_at=created_at)


def local_pk(key: str, kind: str) -> int | None:
    """The primary key that ``key`` names if it is an id of this instance's own ``kind`` of row
    (the caller checks ``is_local`` on the row: the key also holds its creation time)."""
    match = LOCAL_KEY.match(key)
    if match and match["kind"] == kind and match["instance"] == instance_tag():
        return int(match["pk"])
    return None


def is_local(key: str, *, created_at: dt.datetime) -> bool:
    match = LOCAL_KEY.match(key)
    return bool(match) and match["stamp"] == _stamp(created_at)


def format_date(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def parse_date(value: object) -> dt.datetime | None:
    """A date of the file; ValueError when it is not an ISO 8601 date with a time zone."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(repr(value)[:40])
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(repr(value)[:40]) from None
    if parsed.tzinfo is None:
        raise ValueError(repr(value)[:40])
    return parsed


def dump(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def header(*, scope: str, name: str) -> dict:
    return {"format": FORMAT, "version": VERSION, "instance": settings.BASE_URL, scope: name}
