"""Search: one interface, two adapters (SQLite FTS5, PostgreSQL full-text)."""
