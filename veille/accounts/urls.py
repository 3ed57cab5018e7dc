from django.contrib.auth import views as auth_views
from django.urls import include, path

from veille.accounts import views

app_name_routes = [
    path("accounts/signup/", views.signup, name="signup"),
    path("u/<str:username>/", views.profile, name="profile"),
]
urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include((app_name_routes, "accounts"))),
]
