"""Cursor (keyset) pagination: each page starts after the last row of the previous one.

Unlike page numbers, a cursor does not skip or repeat rows when posts are added while a client
walks the list, and every page costs the same (no OFFSET). The cursor is opaque to clients: the
URL-safe base64 of the JSON list of the last row's ordering values.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from veille.core.urls_util import absolute_url

BIGINT = 2**63


class CursorError(ValueError):
    """A cursor this API did not make."""


@dataclass(frozen=True)
class Keyset:
    order: tuple[str, ...]  # order_by() terms; the last one is unique (the primary key)

    def page(self, queryset: QuerySet, *, cursor: str | None, limit: int):
        """Up to ``limit`` rows after ``cursor``, and the cursor of the next page (or None)."""
        queryset = queryset.order_by(*self.order)
        if cursor:
            queryset = queryset.filter(self._after(self._decode(cursor, queryset.model)))
        rows = list(queryset[: limit + 1])
        if len(rows) <= limit:
            return rows, None
        return rows[:limit], self._encode(rows[limit - 1])

    def _after(self, values: list) -> Q:
        """Rows after ``values`` in this order: (a < x) or (a = x and b < y) or ..."""
        condition, equal = Q(), {}
        for term, value in zip(self.order, values, strict=True):
            name = term.lstrip("-")
            lookup = "lt" if term.startswith("-") else "gt"
            condition |= Q(**equal, **{f"{name}__{lookup}": value})
            equal[name] = value
        return condition

    def _encode(self, row) -> str:
        values = [getattr(row, term.lstrip("-")) for term in self.order]
        text = json.dumps([v.isoformat() if isinstance(v, dt.datetime) else v for v in values])
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def _decode(self, cursor: str, model) -> list:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = json.loads(raw)
        except (binascii.Error, ValueError) as exc:
            raise CursorError from exc
        if not isinstance(values, list) or len(values) != len(self.order):
            raise CursorError
        names = [term.lstrip("-") for term in self.order]
        return [_checked(model, name, v) for name, v in zip(names, values, strict=True)]


def _checked(model, name: str, value):
    """The cursor value as the field's type, or CursorError (it came from the client)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(value, bool | int | str):
        raise CursorError
    try:
        value = field.to_python(value)
    except (ValidationError, TypeError) as exc:
        raise CursorError from exc
    if isinstance(value, int) and not -BIGINT <= value < BIGINT:
        raise CursorError
    if isinstance(value, str) and ("\x00" in value or not value.isprintable()):
        raise CursorError
    # Naive or extreme dates would fail in the database (time zone conversion), not here.
    if isinstance(value, dt.datetime) and (value.tzinfo is None or not 1 < value.year < 9999):
        raise CursorError
    return value


MAX_PAGE_NUMBER = 1000


def page_cursor(number: int) -> str:
    """The cursor of a numbered page (ranked lists, such as search results, have no keyset)."""
    return base64.urlsafe_b64encode(json.dumps({"page": number}).encode()).decode().rstrip("=")


def page_number(cursor: str | None) -> int:
    if not cursor:
        return 1
    try:
        number = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["page"]
    except (binascii.Error, ValueError, TypeError, KeyError) as exc:
        raise CursorError from exc
    if type(number) is not int or not 1 <= number <= MAX_PAGE_NUMBER:  # bool is an int too
        raise CursorError
    return number


def next_url(request, cursor: str | None) -> str | None:
    """This request's address with the next page's cursor, absolute."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return absolute_url(f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}")
