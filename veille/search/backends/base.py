"""What both adapters share: the ranked query around their match, filters, paging, order."""

# Only table and column names and placeholders are formatted into the SQL, never a value (every
# value is a query parameter): hence the S608 waiver.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.functions import Lower

from veille.search.documents import Document
from veille.search.models import SearchEntry
from veille.search.query import Branch, Filters, Query, branch
from veille.search.text import ALL_CONFIGS
from veille.topics.models import Scoop, ScoopStatus, Tag, Topic

Sql = tuple[str, list]

ENTRY = SearchEntry._meta.db_table
SCOOP = Scoop._meta.db_table
TAG = Tag._meta.db_table
SCOOP_TAGS = Scoop.tags.through._meta.db_table


@dataclass
class Hit:
    scoop_id: int
    score: float


@dataclass
class Ranked:
    hits: list[Hit]
    total: int  # matches on every page


class Backend:
    """An adapter. Subclasses store the text and say how the query matches and scores rows.

    The SQL they return uses ``s`` for the scoop and ``e`` for its ``SearchEntry`` row (joined
    only for the filters that read it).
    """

    def write(self, documents: list[Document]) -> None:
        raise NotImplementedError

    def purge_orphans(self) -> None:
        """Drop indexed text whose entry is gone (after a rebuild)."""

    def finish_rebuild(self) -> None:
        """Compact or analyse the index after a rebuild."""

    def matched(self, branches: list[Branch], *, newest: int | None) -> Sql:
        """A SELECT of ``scoop_id, score`` (higher is better) of the rows that match; with
        ``newest``, only that many of them, the most recently made, are ranked."""
        raise NotImplementedError

    def excluding(self, branches: list[Branch]) -> Sql:
        """A condition on ``s``: the scoop has none of the excluded words."""
        raise NotImplementedError

    def search(self, query: Query, *, offset: int, limit: int, newest: int | None = None) -> Ranked:
        """Published scoops matching ``query``: best first, or newest first without words."""
        branches = [branch(query, config) for config in query.filters.configs or ALL_CONFIGS]
        if query.has_terms:
            branches = [b for b in branches if b.clauses]
            if not branches:  # only stop words
                return Ranked([], 0)
            parts = self._ranked(branches, newest)
        else:
            parts = self._listed([b for b in branches if b.excluded])
        (source, score, condition, order), params = parts
        filters = query.filters
        where, where_params = filter_sql(filters)
        entry = f"JOIN {ENTRY} e ON e.scoop_id = s.id" if filters.sites or filters.configs else ""
        sql = (
            f"SELECT s.id, {score}, COUNT(*) OVER () FROM {source} {entry} "
            f"WHERE {condition} AND {where} ORDER BY {order}, s.id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *where_params, limit, offset])
            rows = cursor.fetchall()
        hits = [Hit(scoop_id, float(score)) for scoop_id, score, _total in rows]
        return Ranked(hits, rows[0][2] if rows else 0)

    def _ranked(self, branches: list[Branch], newest: int | None) -> tuple[tuple, list]:
        matched, params = self.matched(branches, newest=newest)
        # The match runs as a subquery: FTS5's bm25() refuses a query with a window function.
        source = f"({matched}) m JOIN {SCOOP} s ON s.id = m.scoop_id"
        return (source, "m.score", "1 = 1", "m.score DESC, s.published_at DESC"), params

    def _listed(self, branches: list[Branch]) -> tuple[tuple, list]:
        condition, params = self.excluding(branches) if branches else ("1 = 1", [])
        return (f"{SCOOP} s", "0", condition, "s.published_at DESC"), params


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def filter_sql(filters: Filters) -> Sql:
    """The filters as SQL on ``s`` and ``e`` (the same on both backends). Published only.

    Topics and curators are looked up first (a query each, when filtered on): their ids then
    stand in the SQL as values, which PostgreSQL's planner can estimate (one topic of sixty),
    where a subquery would leave it guessing and walking every scoop by date.
    """
    parts: list[Sql] = [("s.status = %s", [ScoopStatus.PUBLISHED.value])]
    for build in (_topics, _curators, _tags, _sites, _configs, _dates, _unrelated):
        parts += build(filters)
    return " AND ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def _one_of(column: str, ids: list[int]) -> list[Sql]:
    ids = ids or [0]  # no such topic or curator: nothing matches
    return [(f"{column} IN ({_marks(ids)})", ids)]


def _topics(filters: Filters) -> list[Sql]:
    if not filters.topics:
        return []
    return _one_of(
        "s.topic_id",
        list(Topic.objects.filter(slug__in=filters.topics).values_list("pk", flat=True)),
    )


def _curators(filters: Filters) -> list[Sql]:
    if not filters.curators:
        return []
    users = (
        get_user_model().objects.annotate(name=Lower("username")).filter(name__in=filters.curators)
    )
    return _one_of("s.curator_id", list(users.values_list("pk", flat=True)))


def _tags(filters: Filters) -> list[Sql]:
    sql = (
        f"EXISTS (SELECT 1 FROM {SCOOP_TAGS} st JOIN {TAG} t ON t.id = st.tag_id "
        "WHERE st.scoop_id = s.id AND t.slug = %s)"
    )
    return [(sql, [slug]) for slug in filters.tags]  # every tag


def _sites(filters: Filters) -> list[Sql]:
    if not filters.sites:
        return []
    sql = " OR ".join(["e.domain = %s OR e.domain LIKE %s"] * len(filters.sites))
    return [(f"({sql})", [value for site in filters.sites for value in (site, f"%.{site}")])]


def _configs(filters: Filters) -> list[Sql]:
    if not filters.configs:
        return []
    # A regconfig on PostgreSQL, which would read the strings as type OIDs.
    return [(f"CAST(e.config AS TEXT) IN ({_marks(filters.configs)})", filters.configs)]


def _dates(filters: Filters) -> list[Sql]:
    adapt = connection.ops.adapt_datetimefield_value
    bounds = ((filters.after, ">="), (filters.before, "<"))
    return [(f"s.published_at {op} %s", [adapt(when)]) for when, op in bounds if when is not None]


def _unrelated(filters: Filters) -> list[Sql]:
    """Leave out the post's own article: its first scoop, that scoop's rescoops, same source."""
    if not filters.unrelated_to:
        return []
    root, source_key = filters.unrelated_to
    sql = "s.id <> %s AND (s.root_id IS NULL OR s.root_id <> %s) AND s.source_key <> %s"
    return [(sql, [root, root, source_key or "-"])]
