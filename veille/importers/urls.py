from django.urls import path

from veille.importers import views

app_name = "importers"

urlpatterns = [
    path("topic/<slug:slug>/import/", views.import_page, name="import"),
    path("topic/<slug:slug>/import/<int:job_id>/", views.job_page, name="job"),
    path("topic/<slug:slug>/export.<str:format_name>", views.topic_export, name="export"),
    path("u/<str:username>/export.json", views.account_export, name="account_export"),
]
