import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from veille.accounts import services
from veille.accounts.models import User

SIGNUP = reverse("accounts:signup")
PASSWORD = "a long and rare passphrase"


def form(**overrides):
    data = {
        "username": "alice",
        "email": "alice@example.org",
        "display_name": "Alice Martin",
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_signup_page_renders_an_accessible_form(client, db):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">' in html
    assert 'aria-describedby="id_username_helptext"' in html


def test_signup_creates_user_and_logs_in(client, db):
    response = client.post(SIGNUP, form())
    assert response.status_code == 302
    assert response["Location"] == reverse("topics:home")
    user = User.objects.get(username="alice")
    assert user.email == "alice@example.org"
    assert user.display_name == "Alice Martin"
    assert user.check_password(PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)


def test_signup_lowercases_the_username(client, db):
    client.post(SIGNUP, form(username="Alice_M"))
    assert User.objects.filter(username="alice_m").exists()


def test_signup_goes_to_a_safe_next_url(client, db):
    response = client.post(f"{SIGNUP}?next=/topic/toulouse-networks/", form())
    assert response["Location"] == "/topic/toulouse-networks/"


def test_signup_ignores_a_next_url_on_another_site(client, db):
    response = client.post(SIGNUP, form(next="https://evil.example/steal"))
    assert response["Location"] == reverse("topics:home")


def test_signup_refuses_a_username_taken_in_another_case(client, make_user):
    make_user("Alice")
    response = client.post(SIGNUP, form(username="alice"))
    assert response.status_code == 200
    assert "This username is already taken." in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "username", ["jean pierre", "a/b", "josé", "a", "-alice", "x" * 31, "alice@home"]
)
def test_signup_refuses_an_invalid_username(client, db, username):
    response = client.post(SIGNUP, form(username=username))
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_refuses_a_reserved_name_or_a_topic_slug(client, topic):
    for name in ("admin", "settings", topic.slug):
        response = client.post(SIGNUP, form(username=name))
        assert "This username is not available." in response.content.decode()
    assert User.objects.count() == 1  # the curator of the topic


def test_signup_refuses_differing_passwords(client, db):
    response = client.post(SIGNUP, form(password2="something else entirely"))
    assert "The two passwords differ." in response.content.decode()
    assert not User.objects.exists()


def test_signup_applies_django_password_validators(client, db):
    response = client.post(SIGNUP, form(password="12345678", password2="12345678"))
    assert "This password is entirely numeric." in response.content.decode()
    assert not User.objects.exists()


def test_signup_is_rate_limited_per_address(client, db, settings):
    settings.SIGNUP_RATE_LIMIT = "2/3600"
    for n in range(2):
        Client().post(SIGNUP, form(username=f"user-{n}", email=f"{n}@example.org"))
    response = client.post(SIGNUP, form())
    assert response.status_code == 429
    assert "Too many accounts were created from your network" in response.content.decode()
    assert not User.objects.filter(username="alice").exists()
    elsewhere = Client(REMOTE_ADDR="192.0.2.7").post(SIGNUP, form())
    assert elsewhere.status_code == 302


def test_signup_attempts_with_errors_do_not_use_the_allowance(client, db, settings):
    settings.SIGNUP_RATE_LIMIT = "1/3600"
    client.post(SIGNUP, form(username="admin"))
    assert client.post(SIGNUP, form()).status_code == 302


def test_signup_is_refused_when_closed(client, db, settings):
    settings.SIGNUP_OPEN = False
    assert client.get(SIGNUP).status_code == 403
    response = client.post(SIGNUP, form())
    assert response.status_code == 403
    assert "Sign-ups are closed" in response.content.decode()
    assert not User.objects.exists()


def test_user_signup_service_refuses_when_closed(db, settings):
    settings.SIGNUP_OPEN = False
    with pytest.raises(PermissionDenied):
        services.user_signup(
            username="alice", email="a@example.org", password=PASSWORD, address="127.0.0.1"
        )


@pytest.mark.parametrize("email", ["not an address", " "])
def test_user_signup_service_requires_a_valid_email(db, email):
    with pytest.raises(ValidationError) as caught:
        services.user_signup(username="alice", email=email, password=PASSWORD, address="127.0.0.1")
    assert "email" in caught.value.error_dict


def test_signup_requires_a_csrf_token(db):
    response = Client(enforce_csrf_checks=True).post(SIGNUP, form())
    assert response.status_code == 403
    assert not User.objects.exists()


def test_signup_sends_a_logged_in_user_on(client, make_user):
    client.force_login(make_user())
    assert client.get(SIGNUP)["Location"] == reverse("topics:home")
