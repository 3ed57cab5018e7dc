from django.urls import path

from veille.topics import views

app_name = "topics"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("home/", views.home, name="home"),
    path("topic/new/", views.topic_create, name="create"),
    path("topic/<slug:slug>/", views.topic_page, name="topic"),
    path("topic/<slug:slug>/edit/", views.topic_edit, name="edit"),
    path("topic/<slug:slug>/delete/", views.topic_delete, name="delete"),
    path("topic/<slug:slug>/follow/", views.follow, name="follow"),
    path("topic/<slug:slug>/curators/", views.curator_add, name="curator_add"),
    path(
        "topic/<slug:slug>/curators/<str:username>/remove/",
        views.curator_remove,
        name="curator_remove",
    ),
    path("topic/<slug:slug>/add/", views.scoop_add, name="scoop_add"),
    path("topic/<slug:slug>/<int:post_id>-<str:post_slug>/", views.post_page, name="post"),
    path("topic/<slug:slug>/<int:post_id>/edit/", views.scoop_edit, name="scoop_edit"),
    path("topic/<slug:slug>/<int:post_id>/delete/", views.scoop_delete, name="scoop_delete"),
    path("topic/<slug:slug>/<int:post_id>/pin/", views.scoop_pin, name="scoop_pin"),
    path("topic/<slug:slug>/<int:post_id>/rescoop/", views.rescoop, name="rescoop"),
    path("topic/<slug:slug>/<int:post_id>/comment/", views.comment_add, name="comment_add"),
    path(
        "topic/<slug:slug>/<int:post_id>/comments/<int:comment_id>/",
        views.comment_moderate,
        name="comment_moderate",
    ),
    path("topic/<slug:slug>/<int:post_id>/thanks/", views.thanks, name="thanks"),
    path("healthz", views.healthz, name="healthz"),
]
