"""OPML export of a topic's sources (an account's: of all its topics), written by the sources
app's OPML writer so that ``veille import opml`` and feed readers read it back.

The file's date is the newest source's creation (not the time of the export), so that the same
sources give the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from veille.importers import selectors
from veille.sources.opml import write_opml

EPOCH = dt.datetime.fromtimestamp(0, tz=dt.UTC)  # the date of a file without any source


def opml_lines(scope: selectors.ExportScope) -> Iterator[str]:
    topics = list(selectors.export_topics(scope))
    title = topics[0].title if scope.kind == "topic" and topics else scope.name
    sources = [source for topic in topics for source in selectors.export_sources(topic=topic)]
    dates = [source.created_at for source in sources] or [t.created_at for t in topics] or [EPOCH]
    yield write_opml(title=title, sources=sources, now=max(dates)).decode("utf-8")
