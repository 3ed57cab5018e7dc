from django.urls import path

from veille.sources import views

app_name = "sources"

urlpatterns = [
    path("topic/<slug:slug>/sources/", views.sources_page, name="list"),
    path("topic/<slug:slug>/sources/add/", views.add_url, name="add_url"),
    path("topic/<slug:slug>/sources/keyword/", views.add_keyword, name="add_keyword"),
    path("topic/<slug:slug>/sources/import/", views.opml_upload, name="import"),
    path("topic/<slug:slug>/sources/export.opml", views.opml_download, name="export"),
    path("topic/<slug:slug>/sources/poll/", views.poll, name="poll"),
    path("topic/<slug:slug>/sources/<int:source_id>/toggle/", views.toggle, name="toggle"),
    path("topic/<slug:slug>/sources/<int:source_id>/weight/", views.weight, name="weight"),
    path("topic/<slug:slug>/sources/<int:source_id>/delete/", views.delete, name="delete"),
]
