"""The token page (a person's API tokens) and the API's answers outside ninja's operations."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from veille.api import selectors, services
from veille.api.forms import TokenForm
from veille.api.problems import MEDIA_TYPE, problem_response


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """List, create. A new token's secret is shown in this one answer and never again."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    context = {"form": form, "tokens": selectors.tokens_of(user=request.user), "secret": secret}
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the page may hold a secret
    return response


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(selectors.tokens_of(user=request.user), pk=token_id)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")


@csrf_exempt  # an API address: nothing here reads the session
def unknown(request, rest: str = ""):
    return problem_response(request, 404)


def with_problems(view):
    """Ninja answers a wrong method with a bare 405; make it a problem like every other error."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != MEDIA_TYPE:
            return problem_response(request, 405, headers={"Allow": response["Allow"]})
        return response

    return wrapped
