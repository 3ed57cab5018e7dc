"""The addresses already met in the file being imported, kept on disk.

A bookmark file may list one address twice; the second is reported as a duplicate of the first
(with that first line) instead of overwriting it. Holding every address of a file in a Python set
would make memory grow with the file, so they go to a throw-away SQLite file in the temporary
directory: a lookup is an index search, memory stays flat.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path


class SeenKeys:
    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="veille-import-")
        self._db = sqlite3.connect(Path(self._dir.name) / "seen.sqlite3", isolation_level=None)
        # Nothing here must survive a crash: no journal, no sync.
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID")

    def first_line(self, key: str, line: int) -> int | None:
        """The line where ``key`` was first met, or None (and ``line`` is remembered)."""
        try:
            self._db.execute("INSERT INTO seen VALUES (?, ?)", (key, line))
        except sqlite3.IntegrityError:
            row = self._db.execute("SELECT line FROM seen WHERE key = ?", (key,)).fetchone()
            return row[0]
        return None

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()

    def __enter__(self) -> SeenKeys:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
