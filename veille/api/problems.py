"""Errors as RFC 9457 problem details (https://www.rfc-editor.org/rfc/rfc9457).

Every problem has a ``type`` URL under /api/problems/ whose page explains it, a ``title`` that is
the same for every occurrence of the type, and a ``detail`` about this occurrence. Field errors go
in an ``errors`` extension: ``[{"detail": ..., "pointer": "#/title"}]`` for the request body
(a JSON Pointer, as in the RFC's example), ``"parameter": "limit"`` for query and path parameters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from veille.core.urls_util import absolute_url

MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    status: int
    title: str
    description: str


PROBLEMS = {
    "bad-request": ProblemType(
        400, _("Bad request"), _("The request could not be read: malformed JSON, or a bad cursor.")
    ),
    "not-authenticated": ProblemType(
        401,
        _("Not authenticated"),
        _("Send a valid, unrevoked token: Authorization: Bearer <token>. Writes always need one."),
    ),
    "permission-denied": ProblemType(
        403,
        _("Permission denied"),
        _(
            "You may not do this: only curators edit a topic, only owners delete it, and read-only "
            "tokens cannot write."
        ),
    ),
    "not-found": ProblemType(404, _("Not found"), _("Nothing exists at this address.")),
    "method-not-allowed": ProblemType(
        405, _("Method not allowed"), _("This address does not answer this HTTP method.")
    ),
    "duplicate-scoop": ProblemType(
        409,
        _("Already scooped"),
        _("The topic already has a scoop of this article; `existing` is its address."),
    ),
    "validation-error": ProblemType(
        422, _("Invalid input"), _("Some fields are not valid; `errors` says which and why.")
    ),
    "rate-limited": ProblemType(
        429,
        _("Too many requests"),
        _("Slow down: wait the number of seconds in the Retry-After header."),
    ),
    "server-error": ProblemType(
        500, _("Server error"), _("Something went wrong on our side. It has been logged.")
    ),
}
BY_STATUS = {problem.status: slug for slug, problem in PROBLEMS.items()}


def type_url(slug: str) -> str:
    return absolute_url(reverse("api:problem", args=[slug]))


def problem_response(
    request, status: int, detail: str = "", *, slug: str = "", headers=None, **extensions
) -> HttpResponse:
    slug = slug or BY_STATUS.get(status, "bad-request" if status < 500 else "server-error")
    body = {
        "type": type_url(slug),
        "title": str(PROBLEMS[slug].title),
        "status": status,
        "detail": str(detail or PROBLEMS[slug].description),
        "instance": request.path,
        **extensions,
    }
    response = HttpResponse(json.dumps(body), status=status, content_type=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def problem_page(request, slug: str):
    """The human-readable page a problem's ``type`` URL points at."""
    if slug not in PROBLEMS:
        raise Http404
    return render(request, "api/problem.html", {"slug": slug, "problem": PROBLEMS[slug]})
