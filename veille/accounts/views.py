"""Sign-up, profile and profile settings. Log-in, log-out and password resets are Django's views."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from veille.accounts import selectors, services
from veille.accounts.forms import LoginForm, ProfileForm, SignupForm
from veille.core.ratelimit import RateLimited
from veille.core.request import client_address
from veille.topics.selectors import topics_curated_by


def _safe_next(request) -> str:
    """The "next" parameter when it stays on this site, else an empty string."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


def _next_url(request) -> str:
    return _safe_next(request) or resolve_url("topics:home")


def _rate_limited(form: SignupForm, error: RateLimited) -> None:
    minutes = max(1, -(-error.retry_after // 60))  # rounded up
    form.add_error(
        None,
        ngettext(
            "Too many accounts were created from your network lately. "
            "Please try again in %(minutes)d minute.",
            "Too many accounts were created from your network lately. "
            "Please try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
    )


@require_http_methods(["GET", "POST"])
def signup(request):
    if not settings.SIGNUP_OPEN:
        return render(request, "accounts/signup_closed.html", status=403)
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(address=client_address(request), **form.service_kwargs())
        except RateLimited as error:
            _rate_limited(form, error)
            status = 429
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            login(request, user)
            return redirect(_next_url(request))
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "accounts/signup.html", context, status=status)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_GET
def profile(request, username):
    user = selectors.profile_user(username=username)
    if user is None:
        raise Http404
    if user.username != username:
        return redirect(user, permanent=True)
    context = {
        "profile_user": user,
        "topics": topics_curated_by(user=user),
        "scoops": selectors.recent_scoops_by(user=user),
    }
    return render(request, "accounts/profile.html", context)


def _profile_initial(user) -> dict:
    return {"display_name": user.display_name, "bio": user.bio, "email": user.email}


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(
        request.POST or None, request.FILES or None, initial=_profile_initial(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})
