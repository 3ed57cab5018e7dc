"""The SQL of ingestion's hot path, written out.

Ingest must take thousands of items a second. Through the ORM, building the statements (a
fingerprint lookup with over a thousand parameters, 30-column bulk inserts, per-value preparation)
cost more than running them; these few statements are therefore plain SQL, valid on SQLite (3.35
and later: RETURNING, ON CONFLICT) and PostgreSQL, with table and column names taken from the
models and values prepared by the model fields where the backends differ (dates, JSON). Only
names and placeholders are formatted into the SQL, never a value: hence the S608 waiver below.

On PostgreSQL, lists of values travel as arrays (``= ANY(%s)``, ``unnest``): psycopg reads every
placeholder of a statement in Python, and a 200-row insert with 4,400 of them took longer to
prepare than to run (a third of the poller's time on PostgreSQL).
"""

# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from veille.suggestions.models import Candidate, Story, TopicModel
from veille.topics.models import Scoop

CANDIDATE_COLUMNS = (
    "topic_id",
    "source_id",
    "story_id",
    "url",
    "url_key",
    "title",
    "summary_html",
    "image",
    "published_at",
    "author",
    "language",
    "found_at",
    "words",
    "fingerprint",
    "band0",
    "band1",
    "band2",
    "band3",
    "score",
    "rank",
    "reasons",
    "state",
)
STORY_COLUMNS = (
    "topic_id",
    "candidate_count",
    "best_score",
    "rank",
    "state",
    "created_at",
    "updated_at",
)
ROWS_PER_INSERT = 200  # 22 values a row: under SQLite's 32,766 variables


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(names: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _date(value):
    # What a DateTimeField stores: UTC, as text on SQLite.
    return connection.ops.adapt_datetimefield_value(value)


def _arrays() -> bool:
    return connection.vendor == "postgresql"


def _in(column: str, values: Iterable) -> tuple[str, list]:
    """``column IN (values)`` and its parameters."""
    values = list(values)
    if _arrays():
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def keyword_sources() -> list[tuple[int, int, str, float]]:
    """(id, topic id, query, weight) of every enabled keyword source."""
    from veille.sources.models import Source, SourceKind

    sql = (
        f"SELECT id, topic_id, query, weight FROM {_table(Source)} WHERE kind = %s AND enabled = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [SourceKind.KEYWORD.value, True])
        return cursor.fetchall()


def model_state(topic_id: int) -> tuple | None:
    """(updated_at, rescored_at, last_scoop_id) of the topic's model row, with the id of its
    latest scoop; one query, values as the database returns them."""
    sql = (
        f"SELECT m.updated_at, m.rescored_at, m.last_scoop_id,"
        f" (SELECT MAX(s.id) FROM {_table(Scoop)} s WHERE s.topic_id = %s)"
        f" FROM (SELECT %s AS topic_id) t"
        f" LEFT JOIN {_table(TopicModel)} m ON m.topic_id = t.topic_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [topic_id, topic_id])
        return cursor.fetchone()


def known_keys(topic_id: int, keys: Iterable[str]) -> dict[str, tuple[int | None, int | None]]:
    """url_key -> (candidate id, source id) for the topic's candidates; (None, None) for the
    keys of its scoops."""
    keys = list(keys)
    in_candidates, candidate_params = _in("url_key", keys)
    in_scoops, scoop_params = _in("source_key", keys)
    sql = (
        f"SELECT url_key, id, source_id FROM {_table(Candidate)}"
        f" WHERE topic_id = %s AND {in_candidates}"
        f" UNION ALL SELECT source_key, NULL, NULL FROM {_table(Scoop)}"
        # Written as the partial unique index's condition, so that SQLite uses that index.
        f" WHERE topic_id = %s AND NOT (source_key = '') AND {in_scoops}"
    )
    known: dict[str, tuple[int | None, int | None]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [topic_id, *candidate_params, topic_id, *scoop_params])
        for key, candidate_id, source_id in cursor.fetchall():
            if candidate_id is not None or key not in known:
                known[key] = (candidate_id, source_id)
    return known


def neighbours(topic_id: int, bands: list[set[int]], since: datetime) -> list[tuple]:
    """(fingerprint, story id, source id) of the topic's candidates found since ``since`` whose
    band n is in ``bands[n]`` for some n."""
    # One SELECT per band joined by UNION: each uses its (topic, band, found_at) index, where an
    # OR of the four lets SQLite fall back to scanning the topic's recent rows.
    selects, params = [], []
    since = _date(since)
    for number, values in enumerate(bands):
        if values:
            in_band, band_params = _in(f"band{number}", values)
            selects.append(
                f"SELECT fingerprint, story_id, source_id FROM {_table(Candidate)}"
                f" WHERE topic_id = %s AND {in_band} AND found_at >= %s"
            )
            params.extend([topic_id, *band_params, since])
    if not selects:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(selects), params)
        return cursor.fetchall()


@dataclass
class NewStory:
    topic_id: int
    candidate_count: int
    best_score: float
    rank: float
    now: datetime
    pk: int | None = None


def insert_stories(stories: list[NewStory]) -> None:
    """Insert the stories and set their ``pk``."""
    for start in range(0, len(stories), ROWS_PER_INSERT):
        chunk = stories[start : start + ROWS_PER_INSERT]
        now = _date(chunk[0].now)
        rows = [
            (s.topic_id, s.candidate_count, s.best_score, s.rank, "new", now, now) for s in chunk
        ]
        # Ids grow in the order of the rows; RETURNING itself promises no order (SQLite says so).
        ids = sorted(pk for (pk,) in _insert(Story, STORY_COLUMNS, rows, returning="id"))
        for story, pk in zip(chunk, ids, strict=True):
            story.pk = pk


def insert_candidates(rows: list[dict]) -> dict[str, int]:
    """Insert candidates whose URL the topic does not have yet; url_key -> id of those inserted."""
    inserted: dict[str, int] = {}
    adapt_json = connection.ops.adapt_json_value
    published, found, reasons = (CANDIDATE_COLUMNS.index(n) for n in _ADAPTED)
    for start in range(0, len(rows), ROWS_PER_INSERT):
        values = []
        for row in rows[start : start + ROWS_PER_INSERT]:
            # Adapted as the model fields would (dates in UTC, JSON), without their overhead.
            value = [row[name] for name in CANDIDATE_COLUMNS]
            value[published] = _date(value[published])
            value[found] = _date(value[found])
            value[reasons] = adapt_json(value[reasons], None)
            values.append(value)
        returned = _insert(
            Candidate,
            CANDIDATE_COLUMNS,
            values,
            returning="url_key, id",
            conflict="(topic_id, url_key)",
        )
        inserted.update(returned)
    return inserted


_ADAPTED = ("published_at", "found_at", "reasons")


def _insert(model, columns, rows, *, returning: str, conflict: str = "") -> list[tuple]:
    if _arrays():  # one array a column, unnested into rows
        casts = ", ".join(f"%s::{_db_type(model, name)}[]" for name in columns)
        values_sql = f"SELECT * FROM unnest({casts})"
        params = [list(column) for column in zip(*rows, strict=True)]
    else:
        marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        values_sql = "VALUES " + ", ".join([marks] * len(rows))
        params = [value for row in rows for value in row]
    sql = (
        f"INSERT INTO {_table(model)} ({_columns(columns)}) {values_sql}"
        + (f" ON CONFLICT {conflict} DO NOTHING" if conflict else "")
        + f" RETURNING {returning}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _db_type(model, column: str) -> str:
    return model._meta.get_field(column).db_type(connection)


def set_first(firsts: dict[int, int]) -> None:
    """story id -> its first candidate's id, in one UPDATE."""
    if not firsts:
        return
    if _arrays():
        sql = (
            f"UPDATE {_table(Story)} AS story SET first_id = new.first_id"
            " FROM unnest(%s::bigint[], %s::bigint[]) AS new (id, first_id)"
            " WHERE story.id = new.id"
        )
        params = [list(firsts), list(firsts.values())]
    else:
        cases = " ".join(["WHEN %s THEN %s"] * len(firsts))
        in_stories, story_params = _in("id", firsts)
        sql = f"UPDATE {_table(Story)} SET first_id = CASE id {cases} END WHERE {in_stories}"
        params = [value for pair in firsts.items() for value in pair] + story_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def update_scores(rows: list[tuple[float, float, list, int]]) -> None:
    """(score, rank, reasons, candidate id) for each rescored candidate: one statement run for
    every row (Django's bulk_update builds a CASE per column and row, slower than the work)."""
    adapt_json = connection.ops.adapt_json_value
    sql = f"UPDATE {_table(Candidate)} SET score = %s, rank = %s, reasons = %s WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(s, r, adapt_json(why, None), pk) for s, r, why, pk in rows])
