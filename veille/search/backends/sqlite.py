"""SQLite adapter: an FTS5 table of folded, stemmed words, ranked with bm25.

``search_fts`` (migration 0002) has one column per indexed field; rowid = scoop id. Words are
stemmed here, in the row's language, before they are stored, and each word is stored behind a
digit naming that language ("1reseau" in a French row, "2network" in an English one). A query is
stemmed once per language and each reading is written with that language's digit, so it only
matches rows of that language, as PostgreSQL's per-row configuration does; and a common word's
statistics are those of its language. (A column naming the language, ANDed with each reading,
made every query walk half the table's rows for that column's two or three words.)
"""

# Only table and column names and placeholders are formatted into the SQL, never a value (every
# value is a query parameter): hence the S608 waiver.
# ruff: noqa: S608

from __future__ import annotations

from django.db import connection

from veille.search import text
from veille.search.backends.base import ENTRY, Backend, Sql
from veille.search.documents import FIELDS, Document
from veille.search.models import SearchEntry
from veille.search.query import Branch

FTS = "search_fts"
# bm25 weights in column order (title, insight, excerpt, body, tags, site): the same ratios as
# PostgreSQL's A/B/C/D weights (1.0, 0.4, 0.2, 0.1).
BM25 = f"bm25({FTS}, 10.0, 4.0, 2.0, 1.0, 4.0, 2.0)"
INSERT = (
    f"INSERT OR REPLACE INTO {FTS} (rowid, {', '.join(FIELDS)}) "
    f"VALUES (%s, {', '.join(['%s'] * len(FIELDS))})"
)
# Every stored word starts with its language's digit: words of two languages never meet.
PREFIXES = {config: str(number) for number, config in enumerate(text.ALL_CONFIGS, start=1)}


class SQLiteBackend(Backend):
    def write(self, documents: list[Document]) -> None:
        SearchEntry.objects.bulk_create(
            [SearchEntry(scoop_id=d.scoop_id, config=d.config, domain=d.domain) for d in documents],
            update_conflicts=True,
            unique_fields=["scoop"],
            update_fields=["config", "domain"],
        )
        rows = [(d.scoop_id, *(_stored(d.config, d.fields[f]) for f in FIELDS)) for d in documents]
        with connection.cursor() as cursor:
            cursor.executemany(INSERT, rows)

    def purge_orphans(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS} WHERE rowid NOT IN (SELECT scoop_id FROM {ENTRY})")

    def finish_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")

    def matched(self, branches: list[Branch], *, newest: int | None) -> Sql:
        # bm25 is lower for better matches.
        sql = f"SELECT rowid AS scoop_id, -{BM25} AS score FROM {FTS} WHERE {FTS} MATCH %s"
        if newest is None:
            return sql, [_expression(branches, _all)]
        return f"{sql} ORDER BY rowid DESC LIMIT %s", [_expression(branches, _all), newest]

    def excluding(self, branches: list[Branch]) -> Sql:
        sql = f"s.id NOT IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)"
        return sql, [_expression(branches, lambda b: _any(b.config, b.excluded))]


def _stored(config: str, value: str) -> str:
    """``value`` as stored: its words folded, stemmed, behind their language's digit."""
    prefix = PREFIXES[config]
    return " ".join(prefix + text.key(config, word) for word in text.words(value))


def _expression(branches: list[Branch], render) -> str:
    """One FTS5 expression: each language's reading, which only meets rows of that language."""
    return " OR ".join(f"({render(one)})" for one in branches)


def _all(branch: Branch) -> str:
    wanted = " AND ".join(_any(branch.config, clause) for clause in branch.clauses)
    if branch.excluded:
        return f"{wanted} NOT {_any(branch.config, branch.excluded)}"
    return wanted


def _any(config: str, terms: list[tuple[str, ...]]) -> str:
    prefix = PREFIXES[config]
    phrases = (" ".join(prefix + text.key(config, word) for word in words) for words in terms)
    return "(" + " OR ".join(_string(phrase) for phrase in phrases) + ")"


def _string(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'
