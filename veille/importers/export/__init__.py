"""Exports of a topic or an account: Veille JSON (JSON Lines), Netscape bookmarks, CSV, OPML.

Every exporter yields text pieces in a stable order, so that the command writes them to a file
and the download views stream them (``StreamingHttpResponse``) without holding the export in
memory. ``FORMATS`` names them for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from veille.accounts.models import User
from veille.importers.export import bookmarks, jsonl, opml
from veille.importers.selectors import ExportScope, account_scope, topic_scope
from veille.topics.models import Topic
from veille.topics.permissions import require_curator


@dataclass(frozen=True)
class ExportFormat:
    content_type: str
    suffix: str  # of the downloaded file's name
    lines: Callable[[ExportScope], Iterator[str]]


FORMATS: dict[str, ExportFormat] = {
    "json": ExportFormat("application/x-ndjson; charset=utf-8", ".veille.jsonl", jsonl.lines),
    "html": ExportFormat("text/html; charset=utf-8", "-bookmarks.html", bookmarks.netscape_lines),
    "csv": ExportFormat("text/csv; charset=utf-8", ".csv", bookmarks.csv_lines),
    "opml": ExportFormat("text/x-opml; charset=utf-8", ".opml", opml.opml_lines),
}


def file_name(scope: ExportScope, name: str) -> str:
    return f"{scope.name}{FORMATS[name].suffix}"


def topic_export(*, topic: Topic, by: User) -> ExportScope:
    """What a curator of ``topic`` may download: the whole topic, drafts and comments included."""
    require_curator(by, topic)
    return topic_scope(topic=topic)


def account_export(*, user: User, by: User) -> ExportScope:
    """Everything a person curates: only for that person."""
    if not by.is_authenticated or by.pk != user.pk:
        raise PermissionDenied(_("Only you can export your account."))
    return account_scope(user=user)
