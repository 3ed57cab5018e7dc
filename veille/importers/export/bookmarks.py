"""Netscape bookmark file and CSV exports: one link per scoop, for browsers and other services.

A scoop without a source address links to its post page here. In the bookmark file, a draft or
scheduled scoop is marked ``PRIVATE``, the insight is the ``<DD>`` note, and an account's export
has one folder per topic.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from html import escape

from veille.core.sanitize import html_to_text
from veille.core.urls_util import absolute_url
from veille.importers import jsonformat as fmt
from veille.importers import selectors
from veille.importers.export.jsonl import tag_names
from veille.topics.models import Scoop, ScoopStatus, Topic

NETSCAPE_HEAD = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file. It will be read and overwritten. DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>{title}</TITLE>
<H1>{title}</H1>
<DL><p>
"""
CSV_COLUMNS = ("url", "title", "excerpt", "insight", "tags", "published_at", "curator", "status")
# A cell that starts with one of these is a formula to spreadsheets: titles come from the web, so
# such cells get a leading apostrophe (https://owasp.org/www-community/attacks/CSV_Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _link(scoop: Scoop, topic: Topic) -> str:
    scoop.topic = topic  # the post address needs the topic's slug: no query per scoop
    return scoop.source_url or absolute_url(scoop.get_absolute_url())


def _netscape_item(scoop: Scoop, topic: Topic) -> str:
    date = scoop.published_at or scoop.created_at
    attributes = f'HREF="{escape(_link(scoop, topic))}" ADD_DATE="{int(date.timestamp())}"'
    tags = ",".join(tag_names(scoop))
    if tags:
        attributes += f' TAGS="{escape(tags)}"'
    if scoop.status != ScoopStatus.PUBLISHED:
        attributes += ' PRIVATE="1"'
    item = f"<DT><A {attributes}>{escape(scoop.title, quote=False)}</A>\n"
    if scoop.insight_markdown.strip():
        item += f"<DD>{escape(scoop.insight_markdown.strip(), quote=False)}\n"
    return item


def netscape_lines(scope: selectors.ExportScope) -> Iterator[str]:
    topics = list(selectors.export_topics(scope))
    title = topics[0].title if scope.kind == "topic" and topics else scope.name
    yield NETSCAPE_HEAD.format(title=escape(title, quote=False))
    for topic in topics:
        folder = scope.kind == "user"
        if folder:
            yield f"<DT><H3>{escape(topic.title, quote=False)}</H3>\n<DL><p>\n"
        for scoop in selectors.export_scoops(topic=topic):
            yield _netscape_item(scoop, topic)
        if folder:
            yield "</DL><p>\n"
    yield "</DL><p>\n"


class _Line:
    """A file-like object whose write returns the text: csv.writer formats one row at a time."""

    def write(self, text: str) -> str:
        return text


def csv_lines(scope: selectors.ExportScope) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(CSV_COLUMNS)
    for topic in selectors.export_topics(scope):
        for scoop in selectors.export_scoops(topic=topic):
            yield writer.writerow(
                (
                    _link(scoop, topic),
                    _cell(scoop.title),
                    _cell(html_to_text(scoop.excerpt_html)),
                    _cell(scoop.insight_markdown),
                    _cell(", ".join(tag_names(scoop))),
                    fmt.format_date(scoop.published_at) or "",
                    scoop.curator_username,
                    scoop.status,
                )
            )
