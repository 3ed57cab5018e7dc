"""What an import did: counts of created, updated, skipped and failed items, and why.

Every failure and notice (an item skipped for a reason: a duplicate address, a link that is not a
web page) names its line. The report keeps only the first ``KEEP`` of each, so that a file full of
errors does not fill memory; a listener sees every one as it happens (the command prints them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from veille.importers.items import ParseError

if TYPE_CHECKING:
    from veille.topics.models import Topic

KEEP = 100
Outcome = Literal["created", "updated", "skipped"]
Listener = Callable[[str, ParseError], None]  # ("failure" or "notice", the line and message)


class ImportFailed(Exception):
    """The import cannot start: the topic address is not available, or nobody can curate it."""


@dataclass
class ImportReport:
    topic: Topic | None = None  # the topic imported into (the first one, when there are more)
    topic_count: int = 0  # when an import writes into more than one topic
    created: int = 0
    updated: int = 0
    skipped: int = 0  # already imported, nothing changed (or deliberately left out: notices)
    failed: int = 0
    failures: list[ParseError] = field(default_factory=list)  # the first KEEP
    notices: list[ParseError] = field(default_factory=list)  # the first KEEP
    listener: Listener | None = field(default=None, repr=False, compare=False)

    @property
    def done(self) -> int:
        return self.created + self.updated + self.skipped + self.failed

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def fail(self, error: ParseError) -> None:
        self.failed += 1
        self._keep(self.failures, "failure", error)

    def skip(self, notice: ParseError) -> None:
        """An item left out for a reason worth telling."""
        self.skipped += 1
        self._keep(self.notices, "notice", notice)

    def _keep(self, kept: list[ParseError], kind: str, error: ParseError) -> None:
        if len(kept) < KEEP:
            kept.append(error)
        if self.listener is not None:
            self.listener(kind, error)
