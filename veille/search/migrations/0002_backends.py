"""What each backend needs beside ``search_searchentry``; nothing for the other backend.

SQLite: the FTS5 table of indexed words, and the trigger that deletes a row with its entry. Words
arrive folded and stemmed (veille.search.text); the tokenizer still folds accents.
PostgreSQL: unaccent, the regconfig type of ``config``, the tsvectors (``document`` for matching,
GIN-indexed; ``ranking`` for ranking, see veille.search.backends.postgres). Creating
the extension needs a role allowed to (a superuser, or the database owner; see docs/search.md).
``search_unaccent`` is unaccent declared immutable (it names its dictionary, so it does not depend
on the search path): the planner then folds a query's tsquery into a constant, estimates how many
rows match, and picks the GIN index; with the stable unaccent() it would do neither.
"""

from django.db import migrations

UNACCENT = """
DO $$
DECLARE home text := (
    SELECT quote_ident(nspname) FROM pg_extension JOIN pg_namespace n ON n.oid = extnamespace
    WHERE extname = 'unaccent'
);
BEGIN
    EXECUTE format(
        'CREATE OR REPLACE FUNCTION search_unaccent(text) RETURNS text '
        'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE '
        'AS $f$ SELECT %1$s.unaccent(''%1$s.unaccent''::regdictionary, $1) $f$',
        home
    );
END $$
"""

CREATE = {
    "sqlite": [
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "title, insight, excerpt, body, tags, site, "
        "tokenize = 'unicode61 remove_diacritics 2')",
        "CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_searchentry "
        "BEGIN DELETE FROM search_fts WHERE rowid = old.scoop_id; END",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        UNACCENT,
        "ALTER TABLE search_searchentry ALTER COLUMN config TYPE regconfig "
        "USING config::regconfig",
        "ALTER TABLE search_searchentry ADD COLUMN document tsvector NOT NULL DEFAULT '', "
        "ADD COLUMN ranking tsvector NOT NULL DEFAULT ''",
        "CREATE INDEX search_entry_document ON search_searchentry USING gin (document)",
    ],
}
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS search_entry_deleted", "DROP TABLE IF EXISTS search_fts"],
    "postgresql": [  # the extension stays: other things may use it
        "DROP INDEX IF EXISTS search_entry_document",
        "DROP FUNCTION IF EXISTS search_unaccent(text)",
        "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document, "
        "DROP COLUMN IF EXISTS ranking",
        "ALTER TABLE search_searchentry ALTER COLUMN config TYPE varchar(20) USING config::text",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)  # no placeholders: "%" is literal

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
