"""The sources page of a topic (curators only): list, add, import and export, poll now.

Views parse input and call services (which check permissions); every action is a plain form
POST that redirects back to the page, so the page works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from veille.sources import selectors, services
from veille.sources.forms import AddKeywordForm, AddUrlForm, OpmlUploadForm, WeightForm
from veille.sources.models import Source
from veille.sources.opml import OpmlError, write_opml
from veille.topics.models import Topic
from veille.topics.permissions import is_curator


def _topic(request, slug) -> Topic:
    topic = get_object_or_404(Topic, slug=slug)
    if not is_curator(request.user, topic):
        raise PermissionDenied
    return topic


def _source(request, slug, source_id: int) -> Source:
    """One source of a topic the user curates (its ``topic`` loaded)."""
    topic = _topic(request, slug)
    try:
        return selectors.source_for_topic(topic=topic, source_id=source_id)
    except Source.DoesNotExist as exc:
        raise Http404 from exc


def _back(slug: str):
    return redirect("sources:list", slug=slug)


@login_required
@require_GET
def sources_page(request, slug):
    return _page(request, _topic(request, slug))


def _page(request, topic: Topic, forms: dict | None = None):
    """The page; with ``forms``, shown again with a form's errors (status 400)."""
    context = {
        "topic": topic,
        "sources": selectors.sources_for_topic(topic=topic),
        "failing": selectors.failing_sources(topic=topic),
        "url_form": AddUrlForm(),
        "keyword_form": AddKeywordForm(),
        "opml_form": OpmlUploadForm(),
        "now": timezone.now(),
        **(forms or {}),
    }
    return render(request, "sources/sources.html", context, status=400 if forms else 200)


@login_required
@require_POST
def add_url(request, slug):
    topic = _topic(request, slug)
    form = AddUrlForm(request.POST)
    if not form.is_valid():
        return _page(request, topic, {"url_form": form})
    (result,) = services.sources_add(topic=topic, by=request.user, urls=[form.cleaned_data["url"]])
    if result.error:
        form.add_error("url", result.error)
        return _page(request, topic, {"url_form": form})
    for source in result.added:
        messages.success(request, _("Added: %(name)s.") % {"name": source.display_title})
    return _back(slug)


@login_required
@require_POST
def add_keyword(request, slug):
    topic = _topic(request, slug)
    form = AddKeywordForm(request.POST)
    if form.is_valid():
        try:
            services.source_create(
                topic=topic, by=request.user, kind="keyword", query=form.cleaned_data["query"]
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _page(request, topic, {"keyword_form": form})
    messages.success(request, _("Keyword query added."))
    return _back(slug)


@login_required
@require_POST
def opml_upload(request, slug):
    topic = _topic(request, slug)
    form = OpmlUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, topic, {"opml_form": form})
    try:
        report = services.opml_import(
            topic=topic, by=request.user, data=form.cleaned_data["file"].read()
        )
    except OpmlError as error:
        form.add_error("file", str(error))
        return _page(request, topic, {"opml_form": form})
    count = len(report.added)
    messages.success(
        request,
        ngettext("%(count)d source added.", "%(count)d sources added.", count) % {"count": count},
    )
    for problem in report.problems[:20]:
        messages.warning(request, problem)
    return _back(slug)


@login_required
@require_GET
def opml_download(request, slug):
    topic = _topic(request, slug)
    sources = selectors.sources_for_topic(topic=topic)
    data = write_opml(title=topic.title, sources=sources, now=timezone.now())
    response = HttpResponse(data, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(topic.slug)}-sources.opml"'
    return response


@login_required
@require_POST
def poll(request, slug):
    topic = _topic(request, slug)
    count = services.poll_now(topic=topic, by=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d source will be polled in a moment.",
            "%(count)d sources will be polled in a moment.",
            count,
        )
        % {"count": count},
    )
    return _back(slug)


@login_required
@require_POST
def toggle(request, slug, source_id):
    source = _source(request, slug, source_id)
    services.source_update(source=source, by=request.user, enabled=not source.enabled)
    return _back(slug)


@login_required
@require_POST
def weight(request, slug, source_id):
    source = _source(request, slug, source_id)
    form = WeightForm(request.POST)
    if form.is_valid():
        services.source_update(source=source, by=request.user, weight=form.cleaned_data["weight"])
    else:
        messages.error(request, _("The weight is a number from 0 to 10."))
    return _back(slug)


@login_required
@require_POST
def delete(request, slug, source_id):
    source = _source(request, slug, source_id)
    services.source_delete(source=source, by=request.user)
    messages.success(request, _("Source deleted: %(name)s.") % {"name": source.display_title})
    return _back(slug)
