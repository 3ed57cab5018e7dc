"""Highlighting in Python, from the original text: the index holds stems, readers want words.

A word is marked when its indexed form (``text.key`` in the row's language) is one the query
looks for, so "réseaux" is marked for a search of "reseau". The same code serves both backends,
so their snippets are identical. Everything is escaped; only our ``<mark>`` is HTML.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from veille.search import text

SNIPPET_WORDS = 30
LEAD_WORDS = 6  # words shown before the first match of a snippet
ELLIPSIS = "…"


def _matching_words(value: str, config: str, keys: set[str]) -> set[str]:
    """The distinct words of ``value`` whose indexed form is one of ``keys``."""
    if not keys:
        return set()
    return {word for word in set(text.WORD.findall(value)) if text.key(config, word) in keys}


def marked(value: str, *, config: str, keys: set[str]) -> SafeString:
    """All of ``value``, escaped, its matching words in ``<mark>``."""
    value = unicodedata.normalize("NFC", value or "")
    spans = list(text.WORD.finditer(value))
    if not spans:
        return mark_safe(escape(value))
    return mark_safe(_render(value, spans, _matching_words(value, config, keys), 0, len(spans)))


def snippet(values: Iterable[str], *, config: str, keys: set[str]) -> SafeString:
    """About SNIPPET_WORDS words of the first text with a word searched (the excerpt, else the
    insight, else the archived text), around the most of them; or the first text's start."""
    value, found = "", set()
    for candidate in values:
        candidate = unicodedata.normalize("NFC", candidate or "")
        found = _matching_words(candidate, config, keys)
        value = value or candidate
        if found:
            value = candidate
            break
    spans = list(text.WORD.finditer(value))
    if not spans:
        return mark_safe("")
    start = _window_start(spans, found)
    end = min(len(spans), start + SNIPPET_WORDS)
    before = ELLIPSIS + " " if start > 0 else ""
    after = " " + ELLIPSIS if end < len(spans) else ""
    return mark_safe(before + _render(value, spans, found, start, end) + after)


def _window_start(spans: list[re.Match], found: set[str]) -> int:
    """Where the window holds the most different matching words (the earliest such place)."""
    hits = [(i, span.group()) for i, span in enumerate(spans) if span.group() in found]
    best_start, best_count = 0, 0
    for index, _word in hits:
        start = max(0, index - LEAD_WORDS)
        count = len({w for i, w in hits if start <= i < start + SNIPPET_WORDS})
        if count > best_count:
            best_start, best_count = start, count
    return best_start


def _render(value: str, spans: list[re.Match], found: set[str], start: int, end: int) -> str:
    """Words ``start`` to ``end`` escaped, matching ones in ``<mark>``; with what comes before
    and after the text's first and last words when the window reaches them."""
    pieces, position = [], 0 if start == 0 else spans[start].start()
    for span in spans[start:end]:
        if span.group() in found:
            pieces += [
                escape(value[position : span.start()]),
                f"<mark>{escape(span.group())}</mark>",
            ]
            position = span.end()
    stop = len(value) if end == len(spans) else spans[end - 1].end()
    pieces.append(escape(value[position:stop]))
    return "".join(pieces)
