from django.urls import path

from veille.suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("topic/<slug:slug>/suggestions/", views.inbox, name="inbox"),
    path("topic/<slug:slug>/suggestions/undo/", views.undo, name="undo"),
    path("topic/<slug:slug>/suggestions/dismiss/", views.bulk_dismiss, name="bulk_dismiss"),
    path("topic/<slug:slug>/suggestions/<int:story_id>/dismiss/", views.dismiss, name="dismiss"),
]
