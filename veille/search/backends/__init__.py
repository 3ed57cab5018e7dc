"""The search interface and its two adapters (SQLite FTS5, PostgreSQL full-text search).

An adapter stores documents (``write``) and says how a query matches and scores rows; paging,
filters and order are the same SQL on both (``Backend.search``), so both answer alike.
"""

from __future__ import annotations

from django.db import connection

from veille.search.backends.base import Backend, Hit, Ranked

__all__ = ["Backend", "Hit", "Ranked", "backend"]

_backends: dict[str, Backend] = {}


def backend() -> Backend:
    """The adapter of the database in use."""
    vendor = connection.vendor
    if vendor not in _backends:
        if vendor == "postgresql":
            from veille.search.backends.postgres import PostgresBackend

            _backends[vendor] = PostgresBackend()
        else:
            from veille.search.backends.sqlite import SQLiteBackend

            _backends[vendor] = SQLiteBackend()
    return _backends[vendor]
