"""Every error the API can meet, answered as problem details (problems.py)."""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from veille.api import links
from veille.api.pagination import CursorError
from veille.api.problems import problem_response
from veille.core.ratelimit import RateLimited
from veille.topics.services import DuplicateScoop

logger = logging.getLogger(__name__)


def _pointer(parts) -> str:
    """A JSON Pointer (RFC 6901) to a field of the request body."""
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _input_error(error: dict) -> dict:
    """One of ninja's errors: loc is (source, name...) or, for a body, (body, param, field...)."""
    source, *where = error["loc"]
    detail = error["msg"]
    if error.get("type") == "string_pattern_mismatch":  # pydantic would quote the regex
        detail = _("This value does not have the expected form (see the OpenAPI document).")
    if source == "body":
        return {"detail": detail, "pointer": _pointer(where[1:])}
    return {"detail": detail, "parameter": ".".join(str(p) for p in where)}


def _summary(error: dict) -> str:
    where = error.get("pointer", "#/")[2:] or error.get("parameter", "")
    return f"{where}: {error['detail']}" if where else error["detail"]


def invalid_input(request, exc: NinjaValidationError):
    errors = [_input_error(e) for e in exc.errors]
    detail = " ".join(_summary(e) for e in errors)
    return problem_response(request, 422, detail, errors=errors)


def invalid(request, exc: DjangoValidationError):
    errors = []
    for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        where = {} if field == "__all__" else {"pointer": _pointer([field])}
        errors += [{"detail": message, **where} for message in messages]
    return problem_response(request, 422, " ".join(exc.messages), errors=errors)


def duplicate(request, exc: DuplicateScoop):
    scoop = exc.existing
    return problem_response(
        request,
        409,
        exc.messages[0],
        existing=links.page_url(scoop),
        existing_api_url=links.api_url("topics", scoop.topic.slug, "scoops", scoop.pk),
    )


def http_error(request, exc: HttpError):
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationError) else {}
    return problem_response(request, exc.status_code, str(exc), headers=headers)


def not_found(request, exc):
    return problem_response(request, 404)


def forbidden(request, exc: PermissionDenied):
    return problem_response(request, 403, str(exc))


def rate_limited(request, exc: RateLimited):
    if isinstance(exc, DjangoValidationError):  # a service's own limit says what was too fast
        detail = " ".join(exc.messages)
    else:
        detail = _("Too many requests. Try again in %(s)d seconds.") % {"s": exc.retry_after}
    return problem_response(request, 429, detail, headers={"Retry-After": str(exc.retry_after)})


def bad_cursor(request, exc: CursorError):
    return problem_response(request, 400, _("This cursor is not valid: follow a `next` link."))


def server_error(request, exc: Exception):
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return problem_response(request, 500)


# A handler is looked up along the exception's MRO: RateLimitedInput, a RateLimited before it is a
# ValidationError, is answered 429 by rate_limited, not 422 by invalid.
HANDLERS = {
    NinjaValidationError: invalid_input,
    DjangoValidationError: invalid,
    DuplicateScoop: duplicate,
    HttpError: http_error,
    Http404: not_found,
    ObjectDoesNotExist: not_found,
    PermissionDenied: forbidden,
    RateLimited: rate_limited,
    CursorError: bad_cursor,
    Exception: server_error,
}


def install(api) -> None:
    for exc_class, handler in HANDLERS.items():
        api.add_exception_handler(exc_class, handler)
