"""Federation routes. Included at the root before the topics' URLs (the inboxes: urls_inbox.py).

The actors themselves (topic page, profile, post page) answer ActivityPub at their HTML addresses
through negotiation.ActivityPubMiddleware.
"""

from django.urls import include, path

from veille.federation import views_public, webfinger

app_name = "federation"

USER_COLLECTIONS = ("outbox", "followers", "following")

urlpatterns = [
    path(".well-known/webfinger", webfinger.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views_public.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/<str:version>", views_public.nodeinfo, name="nodeinfo"),
    path(".well-known/host-meta", views_public.host_meta, name="host_meta"),
    path(".well-known/host-meta.json", views_public.host_meta_json, name="host_meta_json"),
    path("actor", views_public.instance_actor, name="instance_actor"),
    path("actor/outbox", views_public.instance_outbox, name="instance_outbox"),
    path("topic/<slug:slug>/outbox", views_public.topic_outbox, name="topic_outbox"),
    path("topic/<slug:slug>/followers", views_public.topic_followers, name="topic_followers_ap"),
    path("topic/<slug:slug>/following", views_public.topic_following, name="topic_following"),
    path("topic/<slug:slug>/featured", views_public.topic_featured, name="topic_featured"),
    *(
        path(
            f"u/<str:username>/{name}",
            views_public.user_collection,
            {"name": name},
            name=f"user_{name}",
        )
        for name in USER_COLLECTIONS
    ),
    path("", include("veille.federation.urls_inbox")),
]
