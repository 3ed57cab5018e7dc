"""The inboxes (POST). Included by veille/federation/urls.py."""

urlpatterns: list = []
