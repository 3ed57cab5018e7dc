"""`python -m veille.sources.tests.standin_poll POLL_OPTIONS...`: `veille poll` in a process of
its own, storing entries through a stand-in for ``veille.suggestions.services.ingest``.

The stand-in does what the kill test needs to observe: it writes one row per entry into the
``standin_candidate`` table (made by the test), idempotently on (topic, URL) as the real ingestion
is on the canonical URL, slowly enough (ENTRY_SECONDS per entry) that a kill lands in the middle of
a source's transaction.
"""

from __future__ import annotations

import os
import sys
import time
import types

ENTRY_SECONDS = 0.02
INSERT = (
    "INSERT INTO standin_candidate (topic_id, source_id, url) SELECT %s, %s, %s "
    "WHERE NOT EXISTS (SELECT 1 FROM standin_candidate WHERE topic_id = %s AND url = %s)"
)


def ingest_each(ingest, batch, also=None):
    """``ingest_many`` made of a one-source ``ingest``: what the poller calls, for stand-ins."""
    from django.db import transaction

    with transaction.atomic():
        results = [ingest(source=source, entries=entries) for source, entries in batch]
        if also is not None:
            also(results)
    return results


def ingest(*, source, entries):
    from django.db import connection

    from veille.sources.entries import IngestResult

    result = IngestResult()
    with connection.cursor() as cursor:
        for entry in entries:
            cursor.execute(
                INSERT, [source.topic_id, source.pk, entry.url, source.topic_id, entry.url]
            )
            result.new += cursor.rowcount
            result.duplicates += 1 - cursor.rowcount
            time.sleep(ENTRY_SECONDS)
    return result


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")
    import django

    django.setup()
    from django.core.management import call_command

    import veille.suggestions

    services = types.ModuleType("veille.suggestions.services")
    services.ingest = ingest
    services.ingest_many = lambda batch, also=None: ingest_each(ingest, batch, also)
    sys.modules["veille.suggestions.services"] = services
    veille.suggestions.services = services
    call_command("poll", *sys.argv[1:])


if __name__ == "__main__":
    main()
