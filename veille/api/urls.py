from django.urls import URLPattern, path, re_path

from veille.api import views
from veille.api.problems import problem_page
from veille.api.v1 import api

app_name = "api"


def _ninja_urls():
    patterns, ninja_app, namespace = api.urls
    wrapped = [
        URLPattern(p.pattern, views.with_problems(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]
    return wrapped, ninja_app, namespace


urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("problems/<slug:slug>", problem_page, name="problem"),
    path("", _ninja_urls()),
    # Any other address under /api/v1/ is a 404 problem, not the site's HTML page.
    re_path(r"^v1/(?P<rest>.*)$", views.unknown),
]
