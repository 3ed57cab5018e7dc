from django.urls import path

from veille.capture import views

app_name = "capture"

urlpatterns = [
    path("scoop/new", views.scoop_new, name="new"),
    path("scoop/bookmarklet/", views.bookmarklet, name="bookmarklet"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("topic/<slug:slug>/<int:post_id>/archive/", views.archive, name="archive"),
]
