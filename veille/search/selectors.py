"""Reads of search: the search service (pages of ranked, highlighted results) and related posts.

A page of results is two queries whatever its length: the ranked ids with the total count (one
statement, a window count), then the scoops with what their cards and snippets need; plus one
to look up the topics, and one the curators, that a search filters on.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models.functions import Substr
from django.utils.safestring import SafeString

from veille.core.sanitize import html_to_text
from veille.search import highlight, text
from veille.search.backends import Hit, backend
from veille.search.documents import domain_of
from veille.search.query import Filters, Query, Term, branch, parse, with_filters
from veille.topics.models import Scoop

PER_PAGE = 20
SNIPPET_CHARS = 5_000  # of the archived text, read for snippets
CARD_FIELDS = (
    "title",
    "slug",
    "topic_id",
    "curator_id",
    "root_id",
    "excerpt_html",
    "insight_html",
    "published_at",
    "date_text",
    "date_is_estimated",
    "site_name",
    "source_url",
    "thumbnail",
    "status",
    "content_warning",  # a warned post shows the warning, not its text
    "topic__slug",
    "topic__title",
    "curator__username",
    "curator__display_name",
)


@dataclass
class Result:
    scoop: Scoop
    score: float
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchPage:
    query: Query
    results: list[Result]
    total: int
    number: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def search(
    *,
    q: str = "",
    topic=None,
    curator=None,
    tag=None,
    site=None,
    lang=None,
    after: dt.date | str | None = None,
    before: dt.date | str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchPage:
    """Published scoops matching ``q`` (the search syntax) and the filters given here.

    Filters given as keywords add to those written in ``q``: ``topic`` (a Topic or a slug),
    ``curator`` (a user or a username), ``tag``, ``site`` (a domain), ``lang`` ("fr", "en"),
    ``after`` and ``before`` (dates). A query without words lists matching posts newest first.
    """
    filters = {"topic": topic, "curator": curator, "tag": tag, "site": site, "lang": lang}
    query = with_filters(parse(q), **filters, after=after, before=before)
    number = max(1, page)
    if query.is_empty:
        return SearchPage(query, [], 0, number, per_page)
    ranked = backend().search(query, offset=(number - 1) * per_page, limit=per_page)
    return SearchPage(query, _results(query, ranked.hits), ranked.total, number, per_page)


def _cards(ids: list[int]) -> dict[int, Scoop]:
    scoops = (
        Scoop.objects.filter(pk__in=ids)
        .select_related("topic", "curator")
        .only(*CARD_FIELDS, "language", "topic__language")
        .annotate(body=Substr("archive__text", 1, SNIPPET_CHARS))
    )
    return {scoop.pk: scoop for scoop in scoops}


def _config(scoop: Scoop) -> str:
    """The configuration the scoop is indexed with (the rule of veille.search.documents)."""
    return text.config_for(scoop_language=scoop.language, topic_language=scoop.topic.language)


def _results(query: Query, hits: list[Hit]) -> list[Result]:
    cards = _cards([hit.scoop_id for hit in hits])
    keys = {config: branch(query, config).keys() for config in map(_config, cards.values())}
    results = []
    for hit in hits:
        scoop = cards.get(hit.scoop_id)
        if scoop is None:  # deleted since the ranked query
            continue
        found = {"config": _config(scoop), "keys": keys[_config(scoop)]}
        results.append(
            Result(
                scoop=scoop,
                score=hit.score,
                title_html=highlight.marked(scoop.title, **found),
                snippet_html=highlight.snippet(_texts(scoop), **found),
            )
        )
    return results


TAG = re.compile(r"<[^>]*>")


def _texts(scoop: Scoop) -> Iterator[str]:
    """The texts a snippet is taken from, in order, each read only if the one before has none
    of the words searched. The stored HTML is sanitized, so dropping its tags is enough here
    (the snippet escapes what it shows), and much cheaper than a parser for twenty results.
    (A rescoop indexes its first scoop's archived text but shows snippets of its own texts:
    one join fewer on every page, and rescoops carry their origin's excerpt.)"""
    for fragment in (scoop.excerpt_html, scoop.insight_html):
        if fragment:
            yield " ".join(html.unescape(TAG.sub(" ", fragment)).split())
    if scoop.body:
        yield scoop.body


# --- related posts ----------------------------------------------------------------------------

RELATED_TERMS = 8  # words of the OR query
RELATED_CANDIDATES = 1_000  # the newest matches are ranked: quick on any instance
EXCERPT_TERMS = 3  # the excerpt's most frequent long words, after tags, title and site
LONG_WORD = 5


def related_posts(*, scoop: Scoop, limit: int = 5) -> list[Scoop]:
    """Published posts in the post's language about the same things: one OR query of its tags,
    title words (the longest first: the rarest, mostly), site and most frequent long excerpt
    words, ranked by the search engine among the newest matches (tags and the site are indexed
    fields of their own, with their weights). Never the same article again."""
    config = _config(scoop)
    terms = _related_terms(scoop, config)
    if not terms:
        return []
    query = Query(
        clauses=[[Term((word,)) for word in terms]],
        filters=Filters(
            configs=[config], unrelated_to=(scoop.root_id or scoop.pk, scoop.source_key)
        ),
    )
    hits = backend().search(query, offset=0, limit=limit, newest=RELATED_CANDIDATES).hits
    cards = Scoop.objects.filter(pk__in=[h.scoop_id for h in hits]).select_related(
        "topic", "curator"
    )
    by_id = {card.pk: card for card in cards.only(*CARD_FIELDS)}
    return [by_id[hit.scoop_id] for hit in hits if hit.scoop_id in by_id]


def _related_terms(scoop: Scoop, config: str) -> list[str]:
    excerpt = Counter(
        word.lower()
        for word in text.words(html_to_text(scoop.excerpt_html))
        if len(word) >= LONG_WORD
    )
    candidates = [
        *(word for tag in scoop.tags.all() for word in text.words(tag.name)),
        *sorted(text.words(scoop.title), key=len, reverse=True),
        *text.words(domain_of(scoop.source_url).rsplit(".", 1)[0]),
        *(word for word, _count in excerpt.most_common(EXCERPT_TERMS)),
    ]
    chosen: dict[str, str] = {}
    for word in candidates:
        if len(word) > 3 and not text.is_stopword(config, word):
            chosen.setdefault(text.key(config, word), word)
    return list(chosen.values())[:RELATED_TERMS]
