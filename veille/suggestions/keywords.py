"""Keyword queries, matched in memory against the items sources bring in.

Syntax (docs/suggestions.md): words are all required (AND); ``"..."`` is a phrase (its words in that
order, side by side); ``OR`` (or ``|``) between two terms accepts either, and binds tighter than
the implicit AND, as in web search engines: ``mastodon OR bluesky toulouse`` is
``(mastodon OR bluesky) AND toulouse``; ``-word``, ``-"a phrase"`` or ``NOT word`` excludes;
parentheses group. Operators are upper-case so that the French "or" stays a word. Matching is
case- and accent-insensitive and stemmed for French and English (veille.suggestions.text), so
``"réseau social"`` also matches "Réseaux sociaux".

A query must require at least one term: ``-football`` alone would match nearly everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from veille.suggestions import text

MAX_DEPTH = 20
TOKEN = re.compile(
    r'(?P<phrase>-?"[^"]*"?)|(?P<open>-?\()|(?P<close>\))|(?P<word>[^\s()"]+)',
)
OR_WORDS = {"OR", "|"}
NOT_WORDS = {"NOT"}
BOUNDARY = "\x00"  # between title and text: a phrase never spans the two


class QueryError(ValueError):
    """The query cannot be used; the message says why, for the person who wrote it."""


@dataclass(frozen=True)
class Term:
    stems: tuple[str, ...]  # one stem for a word, several for a phrase
    text: str  # as written, for display


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class All:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Any:
    children: tuple[Node, ...]


Node = Term | Not | All | Any


class Doc:
    """The stems of an item in order, with the lookups matching needs (made when first used)."""

    def __init__(self, stems: list[str]):
        self.stems = stems
        self._terms: frozenset[str] | None = None
        self._positions: dict[str, list[int]] | None = None

    @classmethod
    def of(cls, *parts: str) -> Doc:
        return cls.from_words(*(text.analyze(text.raw_words(part)) for part in parts))

    @classmethod
    def from_words(cls, *parts: list[text.Word]) -> Doc:
        stems: list[str] = []
        for words in parts:
            if stems:
                stems.append(BOUNDARY)
            stems.extend([w[1] for w in words])  # Word.stem, by index: faster
        return cls(stems)

    @property
    def terms(self) -> frozenset[str]:
        if self._terms is None:
            self._terms = frozenset(self.stems)
        return self._terms

    def has(self, stems: tuple[str, ...]) -> bool:
        if not all(s in self.terms for s in stems):
            return False
        if len(stems) == 1:
            return True
        n = len(self.stems)
        return any(
            start + len(stems) <= n and tuple(self.stems[start : start + len(stems)]) == stems
            for start in self.positions()[stems[0]]
        )

    def positions(self) -> dict[str, list[int]]:
        if self._positions is None:
            self._positions = {}
            for index, stem in enumerate(self.stems):
                self._positions.setdefault(stem, []).append(index)
        return self._positions


def matches(node: Node, doc: Doc) -> bool:
    if isinstance(node, Term):
        return doc.has(node.stems)
    if isinstance(node, Not):
        return not matches(node.child, doc)
    if isinstance(node, All):
        return all(matches(child, doc) for child in node.children)
    return any(matches(child, doc) for child in node.children)


def parse(query: str) -> Node:
    """The query's tree; QueryError when it is empty or requires no term."""
    tokens = [(m.lastgroup, m.group()) for m in TOKEN.finditer(query)]
    node = _Parser(tokens).parse()
    if node is None:
        raise QueryError(_("The query has no word to look for."))
    if not _anchored(node):
        raise QueryError(_("The query must require at least one word, not only exclude some."))
    return node


def term(words: str) -> Term | None:
    """A phrase (or one word) as a Term; None when it has no word."""
    stems = [w.stem for w in text.analyze(text.raw_words(words))]
    while stems and stems[0] in text.PUNCTUATION:
        stems.pop(0)
    while stems and stems[-1] in text.PUNCTUATION:
        stems.pop()  # "toulouse." is toulouse; "node.js" keeps its dot, as the text does
    return Term(tuple(stems), words.strip()) if stems else None


def _anchored(node: Node) -> bool:
    """True when every text the node matches contains at least one of its terms."""
    if isinstance(node, Term):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, All):
        return any(_anchored(child) for child in node.children)
    return all(_anchored(child) for child in node.children)


class _Parser:
    """Recursive descent: sequence := group*; group := unary (OR unary)*; unary := NOT? atom."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def parse(self) -> Node | None:
        node = self._sequence()
        while self._peek() is not None:  # a stray ")": skip it and go on
            self.index += 1
            more = self._sequence()
            node = _combine(All, [n for n in (node, more) if n is not None])
        return node

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _sequence(self) -> Node | None:
        items = []
        while (token := self._peek()) is not None and token[0] != "close":
            if token == ("word", "AND") or token[1] in OR_WORDS:
                self.index += 1  # AND is implicit; a dangling OR means nothing
                continue
            node = self._group()
            if node is not None:
                items.append(node)
        return _combine(All, items)

    def _group(self) -> Node | None:
        alternatives = [self._unary()]
        while (token := self._peek()) is not None and token[1] in OR_WORDS:
            while (token := self._peek()) is not None and token[1] in OR_WORDS:
                self.index += 1  # "a OR OR b" is "a OR b"
            if token is None or token[0] == "close":
                break
            alternatives.append(self._unary())
        return _combine(Any, [a for a in alternatives if a is not None])

    def _unary(self) -> Node | None:
        kind, value = self.tokens[self.index]
        if kind == "word" and (value in OR_WORDS or value == "AND"):
            self.index += 1  # an operator where a term should be: "a OR OR b"
            return None
        if kind == "word" and value in NOT_WORDS:
            self.index += 1
            if (following := self._peek()) is None or following[0] == "close":
                return None
            child = self._unary()
            return Not(child) if child is not None else None
        negated = value.startswith("-")
        node = self._atom(kind, value.removeprefix("-") if negated else value)
        return Not(node) if negated and node is not None else node

    def _atom(self, kind: str, value: str) -> Node | None:
        self.index += 1
        if kind == "open":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(_("The query has too many nested parentheses."))
            node = self._sequence()
            if self._peek() is not None:
                self.index += 1  # the closing parenthesis; a missing one is forgiven
            self.depth -= 1
            return node
        if kind == "phrase":
            value = value.strip('"')
        return term(value)


def _combine(kind, items: list[Node]) -> Node | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else kind(tuple(items))
