"""The search index's row for each scoop: what filters read (language, domain).

The text itself is indexed per backend, beside this table (see ``veille.search.backends``):
SQLite keeps it in the FTS5 table ``search_fts`` (rowid = scoop id; a trigger deletes its row with
this one); PostgreSQL in this table's tsvector columns ``document`` (GIN-indexed) and ``ranking``,
which only exist there (migration 0002). Rows go with their scoop (CASCADE): deletes keep the
index in step.
"""

from django.db import models


class SearchEntry(models.Model):
    scoop = models.OneToOneField(
        "topics.Scoop", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    # The text search configuration the row is indexed with: "french", "english" or "simple".
    # A regconfig column on PostgreSQL (migration 0002), plain text on SQLite.
    config = models.CharField(max_length=20)
    # The source's host without "www.", for site: filters (subdomains match too).
    domain = models.CharField(max_length=255, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"search entry of scoop {self.scoop_id} ({self.config})"
