"""Reading one record of a Veille JSON file: every value is checked for its type and size, and a
wrong one becomes a ``RecordError`` that names the field (the import reports it with the line)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from veille.importers import jsonformat as fmt

COUNT_MAX = 2**31 - 1  # the largest a PositiveIntegerField holds everywhere


class RecordError(ValueError):
    """A record that cannot be imported; the message says why, ``line`` where (when it is not
    the line of the record being imported: a comment of a scoop)."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class Fields:
    def __init__(self, record: dict) -> None:
        self.record = record

    def text(self, name: str, max_length: int, *, required: bool = False) -> str:
        value = self.record.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise RecordError(f"'{name}' is not a text")
        if required and not value.strip():
            raise RecordError(f"'{name}' is missing")
        if len(value) > max_length:
            raise RecordError(f"'{name}' is longer than {max_length} characters")
        return value

    def key(self, name: str) -> str:
        return self.text(name, fmt.KEY_MAX, required=True).strip()

    def optional_key(self, name: str) -> str | None:
        return self.key(name) if self.record.get(name) is not None else None

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.record.get(name, default)
        if not isinstance(value, bool):
            raise RecordError(f"'{name}' is not true or false")
        return value

    def count(self, name: str) -> int:
        value = self.record.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= COUNT_MAX:
            raise RecordError(f"'{name}' is not a count")
        return value

    def date(self, name: str) -> dt.datetime | None:
        try:
            return fmt.parse_date(self.record.get(name))
        except ValueError as exc:
            raise RecordError(f"bad date {exc}") from None

    def choice(self, name: str, choices: Iterable[str], default: str | None = None) -> str:
        value = self.record.get(name, default)
        if value not in set(choices):
            raise RecordError(f"'{name}' is not one of {', '.join(sorted(choices))}")
        return value

    def list_of(self, name: str, kind: type) -> list:
        value = self.record.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, kind) for v in value):
            raise RecordError(f"'{name}' is not a list of {kind.__name__}")
        return value
