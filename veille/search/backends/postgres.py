"""PostgreSQL adapter: a GIN-indexed tsvector per row, built with the row's configuration.

Migration 0002 adds to ``search_searchentry`` (with the unaccent extension and the immutable
``search_unaccent``): ``config`` as a ``regconfig``; ``document``, the tsvector of every field,
GIN-indexed, for matching; ``ranking``, the tsvector of every field but the archived text, for
ranking. A tsvector is ``to_tsvector`` of the unaccented words of each field in the row's
configuration (french, english or simple), weighted A (title), B (insight, tags), C (excerpt,
site), D (archived text).

A query is built per configuration from ``phraseto_tsquery`` of each word or phrase (plain text
in: nothing typed is read as tsquery syntax). The documents also hold a lexeme naming their
configuration ("lang:french", which no text can produce: the parser splits on ":"), so that one
tsquery, ``(lang:french & french query) | (lang:english & english query) | ...``, matches each
row with its own language's query in a single GIN index scan.

Matches are ranked with ts_rank (weighted word frequency over the length, as bm25 does on
SQLite), not ts_rank_cd: cover density costs 11 µs a match here against 1 µs (a word found in
11,000 of 100,000 posts: 156 ms with ts_rank_cd, 41 ms with ts_rank, 30 ms to find them without
ranking). Both read ``ranking``, a few
hundred bytes, where the whole document is often TOASTed and would cost some 50 µs a match more
to read; a match only in the archived text ranks 0, below every other, which is what its weight
D says anyway.
"""

# Only table and column names and placeholders are formatted into the SQL, never a value (every
# value is a query parameter): hence the S608 waiver.
# ruff: noqa: S608

from __future__ import annotations

from django.db import connection

from veille.search import text
from veille.search.backends.base import ENTRY, Backend, Sql
from veille.search.documents import FIELDS, WEIGHTS, Document
from veille.search.query import Branch

# ts_rank weights of D, C, B, A; normalization 1 divides by 1 + log(document length).
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
RANK_NORMALIZATION = 1
RANKED = [name for name in FIELDS if name != "body"]
_VECTOR = "setweight(to_tsvector(w.config, search_unaccent(%s)), %s)"
UPSERT = (
    f"INSERT INTO {ENTRY} (scoop_id, config, domain, ranking, document) "
    "SELECT v.scoop_id, v.config, v.domain, v.ranking, v.ranking || v.lang "
    "|| setweight(to_tsvector(v.config, search_unaccent(v.body)), 'D') FROM ("
    f"SELECT w.*, {' || '.join([_VECTOR] * len(RANKED))} AS ranking FROM ("
    "SELECT %s::bigint AS scoop_id, %s::regconfig AS config, %s AS domain, %s AS body, "
    "%s::tsvector AS lang) w) v "
    "ON CONFLICT (scoop_id) DO UPDATE SET config = EXCLUDED.config, domain = EXCLUDED.domain, "
    "ranking = EXCLUDED.ranking, document = EXCLUDED.document"
)


def _language_lexeme(config: str) -> str:
    return f"'lang:{config}'"  # a tsvector or tsquery literal


class PostgresBackend(Backend):
    def write(self, documents: list[Document]) -> None:
        rows = [_row(document) for document in documents]
        with connection.cursor() as cursor:
            cursor.executemany(UPSERT, rows)

    def finish_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ENTRY}")

    def matched(self, branches: list[Branch], *, newest: int | None) -> Sql:
        query, query_params = _combined(branches, _all)
        rank, rank_params = _rank(branches)
        if newest is None:
            sql = f"SELECT e.scoop_id, {rank} AS score FROM {ENTRY} e WHERE e.document @@ {query}"
            return sql, [*rank_params, *query_params]
        # Rank only the newest matches: ts_rank runs on those rows alone.
        newest_sql = (
            f"SELECT scoop_id, config, ranking FROM {ENTRY} WHERE document @@ {query} "
            "ORDER BY scoop_id DESC LIMIT %s"
        )
        sql = f"SELECT e.scoop_id, {rank} AS score FROM ({newest_sql}) e"
        return sql, [*rank_params, *query_params, newest]

    def excluding(self, branches: list[Branch]) -> Sql:
        query, params = _combined(branches, lambda b: _any(b.config, b.excluded))
        sql = f"s.id NOT IN (SELECT scoop_id FROM {ENTRY} WHERE document @@ {query})"
        return sql, params


def _combined(branches: list[Branch], render) -> Sql:
    """One tsquery: each configuration's query, for the rows of that configuration."""
    parts, params = [], []
    for one in branches:
        tsquery, tsquery_params = render(one)
        parts.append(f"(%s::tsquery && {tsquery})")
        params += [_language_lexeme(one.config), *tsquery_params]
    return "(" + " || ".join(parts) + ")", params


def _rank(branches: list[Branch]) -> Sql:
    """ts_rank of ``ranking`` against the query of the row's own configuration."""
    cases, params = [], [RANK_WEIGHTS]
    for one in branches:
        tsquery, tsquery_params = _all(one)
        cases.append(f"WHEN %s::regconfig THEN {tsquery}")
        params += [one.config, *tsquery_params]
    sql = f"ts_rank(%s::float4[], e.ranking, CASE e.config {' '.join(cases)} END, %s)"
    return sql, [*params, RANK_NORMALIZATION]


def _row(document: Document) -> list:
    # The words as the SQLite adapter cuts them (see veille.search.text), spaces between.
    def words(name: str) -> str:
        return " ".join(text.words(document.fields[name]))

    row: list = [p for name in RANKED for p in (words(name), WEIGHTS[name])]
    lexeme = _language_lexeme(document.config)
    return [*row, document.scoop_id, document.config, document.domain, words("body"), lexeme]


def _all(branch: Branch) -> Sql:
    parts = [_any(branch.config, clause) for clause in branch.clauses]
    if branch.excluded:
        sql, params = _any(branch.config, branch.excluded)
        parts.append((f"(!! {sql})", params))
    return "(" + " && ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def _any(config: str, terms: list[tuple[str, ...]]) -> Sql:
    # Immutable functions of constants: the planner folds the tsquery into a constant, estimates
    # the matches from the column's statistics and picks the GIN index (see migration 0002).
    sql = " || ".join(["phraseto_tsquery(%s::regconfig, search_unaccent(%s))"] * len(terms))
    return f"({sql})", [value for words in terms for value in (config, " ".join(words))]
