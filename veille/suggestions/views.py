"""The suggestions inbox of a topic, for its curators. Works without JavaScript: every action is a
form POST that redirects back; with HTMX, dismiss swaps the card and undo or bulk dismiss swap the
list; static/suggestions/inbox.js adds the keyboard (j/k, s, d, u)."""

import datetime as dt
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from veille.sources.selectors import failing_sources
from veille.suggestions import selectors, services
from veille.suggestions.forms import BulkDismissForm
from veille.suggestions.models import Story
from veille.topics.models import Topic
from veille.topics.permissions import is_curator

FAILING_FOR = dt.timedelta(days=1)


def _topic_for_curator(request, slug) -> Topic:
    topic = get_object_or_404(Topic, slug=slug)
    if not is_curator(request.user, topic):
        raise PermissionDenied
    return topic


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def inbox(request, slug):
    topic = _topic_for_curator(request, slug)
    return _inbox(request, topic, request.GET)


def _inbox(request, topic, params: QueryDict, *, announce: str = "", restored=(), status=200):
    source_id = _int(params.get("source"))
    page = selectors.inbox_page(
        topic=topic, source_id=source_id, page=_int(params.get("page")) or 1
    )
    counts = selectors.inbox_counts(topic=topic)
    context = {
        "topic": topic,
        "page": page,
        "counts": counts,
        "source_id": source_id,
        "failing": failing_sources(topic=topic, since=FAILING_FOR),
        "can_undo": selectors.can_undo(topic=topic, user=request.user),
        "bulk_form": BulkDismissForm(
            sources=counts.by_source,
            initial={"scope": "visible", "stories": ",".join(str(s.pk) for s in page)},
        ),
        "here": _inbox_url(topic, params),
        "announce": announce,
        "restored": set(restored),
    }
    return render(request, "suggestions/inbox.html", context, status=status)


def _inbox_url(topic, params: QueryDict) -> str:
    keep = QueryDict(mutable=True)
    for name in ("source", "page"):
        if params.get(name):
            keep[name] = params[name]
    url = reverse("suggestions:inbox", args=[topic.slug])
    return f"{url}?{keep.urlencode()}" if keep else url


def _back(request, topic) -> str:
    """Where to go after an action: the inbox page it came from (``next``), never elsewhere."""
    target = request.POST.get("next", "")
    inbox_path = reverse("suggestions:inbox", args=[topic.slug])
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    if safe and urlsplit(target).path == inbox_path and not urlsplit(target).netloc:
        return target
    return inbox_path


def _back_params(request, topic) -> QueryDict:
    return QueryDict(urlsplit(_back(request, topic)).query)


@login_required
@require_POST
def dismiss(request, slug, story_id):
    topic = _topic_for_curator(request, slug)
    story = get_object_or_404(Story.objects.select_related("first"), pk=story_id, topic=topic)
    services.story_dismiss(story=story, by=request.user)
    title = story.first.title if story.first else ""
    announce = _("Dismissed: %(title)s") % {"title": title}
    if request.htmx:
        context = {
            "topic": topic,
            "story": story,
            "title": title,
            "announce": announce,
            "here": _back(request, topic),
        }
        return render(request, "suggestions/_dismissed.html", context)
    messages.success(request, announce)
    return redirect(_back(request, topic))


@login_required
@require_POST
def undo(request, slug):
    topic = _topic_for_curator(request, slug)
    try:
        restored = services.decision_undo(topic=topic, by=request.user)
    except ValidationError as error:
        restored, announce, level = [], " ".join(error.messages), messages.ERROR
    else:
        announce = _restored_message(restored)
        level = messages.SUCCESS if restored else messages.INFO
    if request.htmx:
        return _inbox(
            request, topic, _back_params(request, topic), announce=announce, restored=restored
        )
    messages.add_message(request, level, announce)
    return redirect(_back(request, topic))


def _restored_message(restored: list[int]) -> str:
    if not restored:
        return _("Nothing to undo.")
    if len(restored) == 1:
        story = Story.objects.select_related("first").filter(pk=restored[0]).first()
        title = story.first.title if story and story.first else ""
        return _("Back in the inbox: %(title)s") % {"title": title}
    return ngettext(
        "%(count)d suggestion is back in the inbox.",
        "%(count)d suggestions are back in the inbox.",
        len(restored),
    ) % {"count": len(restored)}


@login_required
@require_POST
def bulk_dismiss(request, slug):
    topic = _topic_for_curator(request, slug)
    counts = selectors.inbox_counts(topic=topic)
    form = BulkDismissForm(request.POST, sources=counts.by_source)
    if not form.is_valid():
        announce = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, announce)
        return redirect(_back(request, topic))
    count = services.stories_dismiss(topic=topic, by=request.user, **_bulk_scope(form, topic))
    announce = ngettext(
        "%(count)d suggestion dismissed.", "%(count)d suggestions dismissed.", count
    ) % {"count": count}
    if request.htmx:
        return _inbox(request, topic, _back_params(request, topic), announce=announce)
    messages.success(request, announce)
    return redirect(_back(request, topic))


def _bulk_scope(form: BulkDismissForm, topic) -> dict:
    data = form.cleaned_data
    if data["scope"] == "visible":
        return {"story_ids": data["stories"]}
    if data["scope"] == "older":
        return {"older_than": timezone.now() - dt.timedelta(days=data["days"])}
    from veille.sources.models import Source

    return {"source": get_object_or_404(Source, pk=data["source"], topic=topic)}
