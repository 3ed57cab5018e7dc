from django.urls import path

from veille.publishing import views

app_name = "publishing"

urlpatterns = [
    path("topic/<slug:slug>/feed.atom", views.feed_atom, name="feed_atom"),
    path("topic/<slug:slug>/feed.rss", views.feed_rss, name="feed_rss"),
    path("topic/<slug:slug>/feed.json", views.feed_json, name="feed_json"),
]
