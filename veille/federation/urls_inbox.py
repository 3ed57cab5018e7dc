"""Person B's routes: the inboxes (POST), our activities, the fediverse pages.

Included by veille/federation/urls.py (namespace "federation"), before the topics' URLs.
"""

from django.urls import path

from veille.federation import inbox, views_social

urlpatterns = [
    path("inbox", inbox.shared_inbox, name="shared_inbox"),
    path("topic/<slug:slug>/inbox", inbox.topic_inbox, name="topic_inbox"),
    path("u/<str:username>/inbox", inbox.user_inbox, name="user_inbox"),
    path("activities/<uuid:pk>", views_social.activity, name="activity"),
    path("activities/<uuid:pk>/object", views_social.activity_object, name="activity_object"),
    path("fediverse/", views_social.fediverse, name="fediverse"),
    path("fediverse/follow/", views_social.follow, name="follow"),
    path("fediverse/unfollow/<int:actor_id>/", views_social.unfollow, name="unfollow"),
    path("fediverse/posts/<int:post_id>/like/", views_social.like, name="like"),
    path("fediverse/posts/<int:post_id>/reply/", views_social.reply, name="reply"),
    path("topic/<slug:slug>/followers/", views_social.topic_followers, name="topic_followers"),
    path(
        "topic/<slug:slug>/followers/<int:follower_id>/",
        views_social.follower_action,
        name="follower_action",
    ),
]
