"""Search across every published post, with veille.search (same engine and ranking as the site)."""

from __future__ import annotations

from ninja import Query, Router

from veille.api.endpoints.common import READ_ERRORS, Cursor, Limit
from veille.api.pagination import MAX_PAGE_NUMBER, next_url, page_cursor, page_number
from veille.api.schemas import Problem, SearchResults
from veille.search.selectors import search

router = Router(tags=["search"])

Words = Query[str, {"max_length": 500, "description": 'Words, "phrases", OR, -word, tag:x.'}]
Filter = Query[str | None, {"max_length": 200}]
Day = Query[str | None, {"max_length": 10, "description": "YYYY, YYYY-MM or YYYY-MM-DD."}]


@router.get("", response={200: SearchResults, 400: Problem, 422: Problem, **READ_ERRORS})
def search_posts(
    request,
    q: Words = "",
    topic: Filter = None,
    curator: Filter = None,
    tag: Filter = None,
    site: Filter = None,
    lang: Filter = None,
    after: Day = None,
    before: Day = None,
    cursor: Cursor = None,
    limit: Limit = 20,
):
    """Published posts matching the query, best first. The syntax is the site's search box's."""
    number = page_number(cursor)
    filters = {"topic": topic, "curator": curator, "tag": tag, "site": site, "lang": lang}
    found = search(q=q, **filters, after=after, before=before, page=number, per_page=limit)
    more = found.has_next and number < MAX_PAGE_NUMBER
    return {
        "results": found.results,
        "total": found.total,
        "next": next_url(request, page_cursor(number + 1) if more else None),
        "notes": found.query.errors,
    }
