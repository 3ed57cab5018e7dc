"""Import page, import progress and export downloads. Views parse input and call services;
services check who may do what."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from veille.accounts.models import User
from veille.importers import export, jobs, selectors
from veille.importers.export import FORMATS
from veille.importers.forms import ImportForm
from veille.importers.models import ImportJob
from veille.topics.models import Topic
from veille.topics.permissions import is_curator


def _curated_topic(request, slug: str) -> Topic:
    topic = get_object_or_404(Topic, slug=slug)
    if not is_curator(request.user, topic):
        raise PermissionDenied
    return topic


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request, slug):
    topic = _curated_topic(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_job_create(topic=topic, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("importers:job", topic.slug, job.pk)
    context = {
        "topic": topic,
        "form": form,
        "jobs": selectors.topic_import_jobs(topic=topic),
        "export_formats": list(FORMATS),
    }
    return render(request, "importers/import.html", context)


@login_required
@require_GET
def job_page(request, slug, job_id):
    topic = _curated_topic(request, slug)
    job = get_object_or_404(ImportJob.objects.select_related("user"), pk=job_id, topic=topic)
    template = "importers/_job_status.html" if request.htmx else "importers/job.html"
    return render(request, template, {"topic": topic, "job": job})


def _download(scope: selectors.ExportScope, format_name: str) -> StreamingHttpResponse:
    chosen = FORMATS[format_name]
    pieces = (piece.encode("utf-8") for piece in chosen.lines(scope))
    response = StreamingHttpResponse(pieces, content_type=chosen.content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, export.file_name(scope, format_name)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def topic_export(request, slug, format_name):
    if format_name not in FORMATS:
        raise Http404
    topic = get_object_or_404(Topic, slug=slug)
    return _download(export.topic_export(topic=topic, by=request.user), format_name)


@login_required
@require_GET
def account_export(request, username):
    user = get_object_or_404(User, username=username)
    return _download(export.account_export(user=user, by=request.user), "json")
