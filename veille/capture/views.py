"""Scoop from a URL: paste it (or use the bookmarklet or a share target), check the preview,
write an insight, publish. Works without JavaScript; HTMX only swaps the editor in place."""

import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from veille.capture.forms import CaptureScoopForm
from veille.capture.models import Archive
from veille.capture.pipeline import Capture, capture_sync
from veille.capture.services import remember_capture
from veille.topics import selectors, services
from veille.topics.models import Scoop
from veille.topics.permissions import is_curator

URL_IN_TEXT = re.compile(r"https?://\S+")


def _shared(request) -> dict[str, str]:
    """url, title and text as a bookmarklet or a share target sends them.

    Share targets on phones often put the link inside ``text``: take it out from there.
    """
    url = request.GET.get("url", "").strip()
    text = request.GET.get("text", "").strip()
    if not url and (found := URL_IN_TEXT.search(text)):
        url = found.group(0)
        text = (text[: found.start()] + text[found.end() :]).strip()
    return {"url": url, "title": request.GET.get("title", "").strip(), "text": text}


def _initial(shared: dict[str, str], capture: Capture | None, topic_slug: str) -> dict:
    initial = {
        "url": shared["url"],
        "title": shared["title"],
        "excerpt": shared["text"],
        "topic": topic_slug,
        "publish": "now",
    }
    if capture is not None:
        initial["url"] = capture.canonical_url or capture.final_url or capture.url
        initial["title"] = shared["title"] or capture.title
        initial["excerpt"] = shared["text"] or capture.description
        initial["image_url"] = capture.image
        initial["tags"] = ", ".join(capture.keywords[:5])
    return initial


@login_required
def scoop_new(request):
    topics = selectors.topics_curated_by(user=request.user)
    if request.method == "POST":
        return _save(request, topics)
    shared = _shared(request)
    capture = capture_sync(shared["url"]) if shared["url"] else None
    if capture is not None:
        remember_capture(capture)  # saving will not fetch the page again
    topic_slug = request.GET.get("topic") or (topics[0].slug if topics else "")
    form = CaptureScoopForm(initial=_initial(shared, capture, topic_slug), topics=topics)
    return _editor(request, form, capture)


def _editor(request, form, capture, duplicate=None, status=200):
    context = {
        "form": form,
        "capture": capture,
        "duplicate": duplicate,
        "images": capture.images if capture else [],
        "chosen_image": form["image_url"].value() or "",
    }
    context["suggestion"] = request.GET.get("suggestion") or request.POST.get("suggestion", "")
    return render(request, "capture/scoop_new.html", context, status=status)


def _save(request, topics):
    form = CaptureScoopForm(request.POST, topics=topics)
    if not form.is_valid():
        return _editor(request, form, None, status=400)
    topic = form.cleaned_data["topic"]
    try:
        scoop = services.scoop_create(
            topic=topic, by=request.user, **form.service_kwargs(), **form.publish_kwargs()
        )
    except services.DuplicateScoop as duplicate:
        return _editor(request, form, None, duplicate=duplicate.existing, status=409)
    except ValidationError as error:
        form.add_error(None, error)
        return _editor(request, form, None, status=400)
    _mark_suggestion_scooped(request, topic=topic, scoop=scoop)
    messages.success(request, _("Scoop saved."))
    return redirect(scoop if scoop.is_published else topic)


def _mark_suggestion_scooped(request, *, topic, scoop) -> None:
    """A scoop made from the suggestions inbox ("s") marks its story as scooped."""
    from veille.suggestions import selectors as suggestion_selectors
    from veille.suggestions import services as suggestion_services

    story = suggestion_selectors.story_for_capture(
        topic=topic, story_id=request.POST.get("suggestion")
    )
    if story is not None:
        suggestion_services.story_mark_scooped(story=story, scoop=scoop, by=request.user)


@login_required
@require_GET
def bookmarklet(request):
    new = request.build_absolute_uri(reverse("capture:new"))
    code = (
        "javascript:(function(){var s=window.getSelection?String(window.getSelection()):'';"
        f"window.open('{new}?url='+encodeURIComponent(location.href)+'&title='+"
        "encodeURIComponent(document.title)+'&text='+encodeURIComponent(s),'veille',"
        "'width=760,height=860');})();"
    )
    return render(request, "capture/bookmarklet.html", {"code": code})


@require_GET
def manifest(request):
    """A web app manifest whose share target opens the capture flow (phones' Share menu)."""
    data = {
        "name": "Veille",
        "short_name": "Veille",
        "start_url": reverse("topics:home"),
        "display": "standalone",
        "theme_color": "#b3124a",
        "background_color": "#ffffff",
        "icons": [{"src": "/static/veille/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
        "share_target": {
            "action": reverse("capture:new"),
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    return HttpResponse(json.dumps(data), content_type="application/manifest+json")


@require_GET
def archive(request, slug, post_id):
    post = get_object_or_404(
        Scoop.objects.select_related("topic", "curator"), topic__slug=slug, pk=post_id
    )
    if not post.is_published and not is_curator(request.user, post.topic):
        raise Http404
    copy = get_object_or_404(Archive, scoop=post)
    return render(
        request, "capture/archive.html", {"post": post, "topic": post.topic, "archive": copy}
    )
