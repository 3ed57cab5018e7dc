"""Personal API tokens: stored hashed, shown once, revocable, scoped."""

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from veille.api.models import ApiToken, Scope

TOKENS = "/api/tokens/"


def test_token_secret_is_not_stored_only_its_hash(curator, make_token):
    token, secret = make_token(curator)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:8]
    values = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert secret not in values


def test_token_authenticates_its_user(curator_api, curator):
    response = curator_api.post("topics", {"title": "By token", "slug": "by-token"})
    assert response.status_code == 201
    assert response.json()["curators"][0]["user"]["username"] == curator.username


def test_revoked_token_fails(api, curator, make_token):
    token, secret = make_token(curator)
    token.revoked_at = token.created_at
    token.save()
    response = api.as_(secret).get("topics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_unknown_or_malformed_token_fails(api, curator, make_token):
    _token, secret = make_token(curator)
    assert api.as_(secret + "x").get("topics").status_code == 401
    assert api.client.get("/api/v1/topics", headers={"Authorization": secret}).status_code == 401


def test_token_of_a_deactivated_user_fails(api, curator, make_token):
    _token, secret = make_token(curator)
    curator.is_active = False
    curator.save()
    assert api.as_(secret).get("topics").status_code == 401


def test_read_token_cannot_write(api, curator, topic, make_token):
    _token, secret = make_token(curator, scope=Scope.READ)
    reader = api.as_(secret)
    assert reader.get("topics/toulouse-networks").status_code == 200
    response = reader.post("topics/toulouse-networks/scoops", {"title": "Nope"})
    assert response.status_code == 403
    assert response.json()["detail"] == "This token can only read."


def test_using_a_token_records_when(curator_api, curator):
    curator_api.get("topics")
    assert curator.api_tokens.get().last_used_at is not None


# --- the token page ---------------------------------------------------------------------------


@pytest.fixture
def logged_in(client, curator):
    client.force_login(curator)
    return client


def create(client, name="Feed reader", scope="write"):
    return client.post(TOKENS, {"name": name, "scope": scope})


def test_token_page_needs_login(client):
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_creating_a_token_shows_its_secret_once(logged_in, curator, api):
    response = create(logged_in)
    html = response.content.decode()
    secret = re.search(r'<code id="new-token">([^<]+)</code>', html)[1]
    assert response["Cache-Control"] == "no-store"
    token = curator.api_tokens.get()
    assert (token.name, token.scope, token.prefix) == ("Feed reader", "write", secret[:8])
    assert api.as_(secret).get("topics").status_code == 200
    later = logged_in.get(TOKENS).content.decode()
    assert secret not in later
    assert f"{secret[:8]}…" in later


def test_token_needs_a_name(logged_in, curator):
    response = create(logged_in, name="")
    assert response.status_code == 200
    assert 'id="new-token"' not in response.content.decode()
    assert not curator.api_tokens.exists()


def test_revoking_a_token_makes_it_fail(logged_in, curator, api, make_token):
    token, secret = make_token(curator)
    response = logged_in.post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.as_(secret).get("topics").status_code == 401
    assert "revoked" in logged_in.get(TOKENS).content.decode()


def test_nobody_revokes_another_persons_token(logged_in, make_user, make_token):
    token, _secret = make_token(make_user("claire"))
    response = logged_in.post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_page_enforces_csrf(curator, make_token):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(curator)
    token, _secret = make_token(curator)
    assert browser.post(TOKENS, {"name": "x", "scope": "read"}).status_code == 403
    assert browser.post(reverse("api:token_revoke", args=[token.pk])).status_code == 403
    assert curator.api_tokens.count() == 1
    page = browser.get(TOKENS).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = browser.post(TOKENS, {"name": "x", "scope": "read", "csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    assert curator.api_tokens.count() == 2


def test_session_reads_but_never_writes(logged_in, topic):
    assert logged_in.get("/api/v1/topics/toulouse-networks").status_code == 200
    response = logged_in.post(
        "/api/v1/topics/toulouse-networks/scoops", {"title": "Forged"}, "application/json"
    )
    assert response.status_code == 401
    assert not topic.scoops.exists()


def test_settings_page_links_to_the_token_page(logged_in):
    html = logged_in.get(reverse("accounts:settings")).content.decode()
    assert f'href="{TOKENS}"' in html


def test_operators_revoke_tokens_in_the_admin(client, make_user, curator, make_token):
    token, secret = make_token(curator)
    client.force_login(make_user("operator", is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
