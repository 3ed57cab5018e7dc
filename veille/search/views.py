"""The search page: /search/?q=&topic=&page= (a GET form, works without JavaScript)."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_GET

from veille.search import selectors
from veille.topics.models import Topic


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_GET
def search(request):
    q = request.GET.get("q", "").strip()
    slug = request.GET.get("topic", "").strip()
    topic = Topic.objects.filter(slug=slug).only("slug", "title").first() if slug else None
    page = selectors.search(q=q, topic=slug or None, page=_page_number(request))
    base = {"q": q, **({"topic": slug} if slug else {})}

    def page_url(number: int) -> str:
        return "?" + urlencode({**base, "page": number})

    context = {
        "q": q,
        "topic": topic,
        "topic_slug": slug,
        "page": page,
        "next_url": page_url(page.number + 1) if page.has_next else "",
        "previous_url": page_url(page.number - 1) if page.has_previous else "",
    }
    return render(request, "search/search.html", context)
