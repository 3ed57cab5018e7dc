"""Writing polled sources back: grouped UPDATEs, the lease released, moved feeds followed.

Most answers of a batch are alike (not modified, at the same second, with the same next
interval), so rows with identical new values share one ``UPDATE ... WHERE id IN (...)``: a batch
of a thousand unchanged feeds costs a handful of statements, not a thousand. Every write is
guarded by the batch's claim token, so a run that outlived its lease cannot overwrite the run
that took the source over.
"""

from __future__ import annotations

from collections import defaultdict

from veille.core.urlnorm import normalize_url
from veille.sources.models import Source

RELEASE = {"lease_expires_at": None, "claim_token": ""}
PERMANENT = (301, 308)
FLUSH_EVERY = 500


class PendingUpdates:
    def __init__(self, *, token: str) -> None:
        self.token = token
        self.groups: defaultdict[tuple, list[int]] = defaultdict(list)
        self.count = 0

    def add(self, source: Source, values: dict) -> None:
        key = tuple(sorted({**RELEASE, **values}.items()))
        self.groups[key].append(source.pk)
        self.count += 1
        if self.count >= FLUSH_EVERY:
            self.flush()

    def write_now(self, source: Source, values: dict) -> None:
        """For the caller's open transaction (the source's ingestion)."""
        Source.objects.filter(pk=source.pk, claim_token=self.token).update(**RELEASE, **values)

    def flush(self) -> None:
        for key, ids in self.groups.items():
            Source.objects.filter(pk__in=ids, claim_token=self.token).update(**dict(key))
        self.groups.clear()
        self.count = 0


def moved_to(source: Source, fetched) -> dict:
    """``{"url": new}`` when the feed answered through permanent redirects only (RFC 9110 15.4.2,
    15.4.9), unless the topic already has a source at the new address."""
    target = ""
    for status, location in fetched.redirects:
        if status not in PERMANENT:
            break
        target = location
    if not target:
        return {}
    try:
        target = normalize_url(target)
    except ValueError:
        return {}
    taken = Source.objects.filter(topic_id=source.topic_id, url=target).exclude(pk=source.pk)
    if target == source.url or taken.exists():
        return {}
    return {"url": target}
