"""The site's URLs with the importers' mounted (veille/urls.py does not include them yet)."""

from django.urls import include, path

from veille.urls import urlpatterns as site

urlpatterns = [path("", include("veille.importers.urls")), *site]
