from django.urls import include, path

from veille.accounts import views

app_name_routes = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/settings/", views.profile_edit, name="settings"),
    path("u/<str:username>/", views.profile, name="profile"),
]
urlpatterns = [
    # Before Django's own: the same address and name, with case-insensitive usernames.
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include((app_name_routes, "accounts"))),
]
