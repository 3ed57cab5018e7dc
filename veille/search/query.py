"""The search syntax: words, "phrases", OR, -exclusions and filters (topic:, tag:, after: ...).

``parse`` turns what a person typed into a ``Query``; keyword arguments of the search service add
the same filters (``with_filters``). Words are ANDed; ``OR`` (upper case) joins the words or
phrases on either side of it; ``-word`` and ``-"a phrase"`` leave out the posts that have them.
A word written with punctuation inside ("l'école", "e-mail") is a phrase of its parts.
See docs/search.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from veille.core.urlnorm import normalize_url
from veille.search import text

MAX_LENGTH = 500  # characters of a query read; the rest is ignored
MAX_TERMS = 32  # words and phrases, to bound the work of one query
FILTERS = ("topic", "curator", "tag", "site", "lang", "after", "before")

TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))'
)


@dataclass(frozen=True)
class Term:
    """A word, or a phrase: words that must follow each other."""

    words: tuple[str, ...]


@dataclass
class Filters:
    topics: list[str] = field(default_factory=list)  # slugs; any of them
    curators: list[str] = field(default_factory=list)  # usernames, lower case; any of them
    tags: list[str] = field(default_factory=list)  # slugs; all of them
    sites: list[str] = field(default_factory=list)  # domains, subdomains included; any of them
    configs: list[str] = field(default_factory=list)  # text search configurations; any of them
    after: dt.datetime | None = None  # published at or after
    before: dt.datetime | None = None  # published before
    # Related posts leave out the post's own article: (id of its first scoop, its source key).
    unrelated_to: tuple[int, str] | None = None

    def __bool__(self) -> bool:
        return any(value for value in vars(self).values())


@dataclass
class Query:
    clauses: list[list[Term]] = field(default_factory=list)  # all clauses; any term of each
    excluded: list[Term] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    errors: list[str] = field(default_factory=list)

    @property
    def has_terms(self) -> bool:
        return bool(self.clauses)

    @property
    def is_empty(self) -> bool:
        return not (self.clauses or self.excluded or self.filters)

    def terms(self) -> list[Term]:
        return [term for clause in self.clauses for term in clause]


def parse(typed: str) -> Query:
    query, join_next = Query(), False
    for match in TOKEN.finditer((typed or "")[:MAX_LENGTH]):
        name, value = (match["field"] or "").lower(), match["phrase"] or match["word"] or ""
        if name in FILTERS:
            if match["neg"]:
                query.errors.append(_("Filters cannot be excluded: %(f)s") % {"f": match[0]})
            else:
                add_filter(query, name, value)
            continue
        if match["word"] == "OR" and not match["neg"]:
            join_next = bool(query.clauses)
            continue
        term = _term(match)
        if term is None or len(query.terms()) + len(query.excluded) >= MAX_TERMS:
            continue
        if match["neg"]:
            query.excluded.append(term)
        elif join_next:
            query.clauses[-1].append(term)
        else:
            query.clauses.append([term])
        join_next = False
    return query


def _term(match: re.Match) -> Term | None:
    if match["phrase"] is not None:
        written = match["phrase"]
    else:  # a "field:" that is no filter stays part of the word ("10:30", "http://...")
        written = match[0].removeprefix("-")
    found = text.words(written)
    return Term(tuple(found)) if found else None


@dataclass
class Branch:
    """The query as one text search configuration reads it: its stop words dropped (an
    all-stop-word phrase goes, a phrase loses those at its ends), as PostgreSQL does."""

    config: str
    clauses: list[list[tuple[str, ...]]]
    excluded: list[tuple[str, ...]]

    def keys(self) -> set[str]:
        """The indexed forms of its words, stop words left out (what highlighting marks)."""
        return {
            text.key(self.config, word)
            for clause in self.clauses
            for words in clause
            for word in words
            if not text.is_stopword(self.config, word)
        }


def branch(query: Query, config: str) -> Branch:
    clauses = [[w for term in clause if (w := _content(term, config))] for clause in query.clauses]
    excluded = [w for term in query.excluded if (w := _content(term, config))]
    return Branch(config, [c for c in clauses if c], excluded)


def _content(term: Term, config: str) -> tuple[str, ...]:
    words = list(term.words)
    while words and text.is_stopword(config, words[0]):
        words.pop(0)
    while words and text.is_stopword(config, words[-1]):
        words.pop()
    return tuple(words)


def with_filters(query: Query, **values) -> Query:
    """Add the filters given as keyword arguments (``topic=``, ``tag=``, ``after=``...)."""
    for name, value in values.items():
        if name not in FILTERS:
            raise TypeError(f"unknown search filter: {name}")
        for one in value if isinstance(value, list | tuple) else [value]:
            if one is not None and one != "":
                add_filter(query, name, one)
    return query


def add_filter(query: Query, name: str, value) -> None:
    """Add one filter; a value that cannot be read is reported in ``query.errors``."""
    filters = query.filters
    try:
        if name in ("after", "before"):
            setattr(filters, name, _moment(value))
        else:
            target, normal = _LISTS[name]
            getattr(filters, target).append(normal(value))
    except ValueError:
        query.errors.append(_("Cannot read %(name)s:%(value)s") % {"name": name, "value": value})


def _slug(value) -> str:
    slug = slugify(getattr(value, "slug", value))
    if not slug:
        raise ValueError(value)
    return slug


def _username(value) -> str:
    name = str(getattr(value, "username", value)).strip().lstrip("@").lower()
    if not name:
        raise ValueError(value)
    return name


def _tag(value) -> str:
    return _slug(str(value).strip().lstrip("#"))


def _site(value) -> str:
    value = str(value).strip().lower()
    host = urlsplit(normalize_url(value if "://" in value else f"http://{value}")).hostname
    return (host or "").removeprefix("www.")


def _config(value) -> str:
    value = str(value).strip().lower()
    config = text.CONFIGS.get(value, value)
    if config not in text.ALL_CONFIGS:
        raise ValueError(value)
    return config


_LISTS = {
    "topic": ("topics", _slug),
    "curator": ("curators", _username),
    "tag": ("tags", _tag),
    "site": ("sites", _site),
    "lang": ("configs", _config),
}


def _moment(value) -> dt.datetime:
    """A date as the start of that day (or month, or year) in the site's time zone."""
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        day = value
    else:
        day = _day(str(value).strip())
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


DATE_FORMATS = {10: "%Y-%m-%d", 7: "%Y-%m", 4: "%Y"}  # by length: a day, a month, a year


def _day(written: str) -> dt.date:
    pattern = DATE_FORMATS.get(len(written))
    if pattern is None:
        raise ValueError(written)
    return dt.datetime.strptime(written, pattern).date()
