"""`veille import opml`: a topic's sources from an OPML file, through the sources app.

The sources app reads OPML and adds sources (veille/sources/opml.py, ``opml_import``); this
module only turns its answer into an import report like the other formats': sources added are
created, sources the topic already has are skipped, outlines it could not use are failures.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.utils.translation import gettext as _

from veille.accounts.models import User
from veille.importers.items import ParseError
from veille.importers.report import ImportFailed, ImportReport
from veille.sources import services as source_services
from veille.sources.opml import OpmlError
from veille.topics.models import Topic

MAX_BYTES = 10 * 1024 * 1024  # OPML is read whole (a few thousand outlines at most)
PROBLEM_LINE = re.compile(r"^line (?P<line>\d+), (?P<message>.*)$", re.DOTALL)


def _failure(problem: str) -> ParseError:
    match = PROBLEM_LINE.match(problem)
    return ParseError(int(match["line"]), match["message"]) if match else ParseError(0, problem)


def import_opml(
    *, path: Path | str, topic: Topic, by: User, report: ImportReport | None = None
) -> ImportReport:
    """Add the sources of an OPML file to ``topic`` as ``by`` (who must curate it)."""
    report = report or ImportReport()
    report.topic = topic
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:
        raise ImportFailed(_("This OPML file is too large (10 MB at most)."))
    try:
        result = source_services.opml_import(topic=topic, by=by, data=path.read_bytes())
    except OpmlError as exc:
        raise ImportFailed(str(exc)) from exc
    report.created += len(result.added)
    report.skipped += result.existing
    for problem in result.problems:
        report.fail(_failure(problem))
    return report
