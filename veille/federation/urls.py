from django.urls import include, path

app_name = "federation"

urlpatterns = [
    path("", include("veille.federation.urls_inbox")),
]
