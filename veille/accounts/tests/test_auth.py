import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from veille.accounts.models import User

PASSWORD = "correct horse battery"  # the make_user fixture's


def test_login_page_renders_and_logs_in(client, make_user):
    user = make_user("marie")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert '<label for="id_username">' in page.content.decode()
    response = client.post(reverse("login"), {"username": "marie", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("topics:home")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_accepts_the_username_in_another_case(client, make_user):
    user = make_user("marie")
    client.post(reverse("login"), {"username": "Marie", "password": PASSWORD})
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_with_a_wrong_password_shows_an_error(client, make_user):
    make_user("marie")
    response = client.post(reverse("login"), {"username": "marie", "password": "wrong"})
    assert response.status_code == 200
    assert 'class="errors" role="alert"' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_placeholder_account_cannot_log_in(client, db):
    User.objects.create_user(username="ghost", password=None, is_placeholder=True)
    client.post(reverse("login"), {"username": "ghost", "password": ""})
    client.post(reverse("login"), {"username": "ghost", "password": "!"})
    assert SESSION_KEY not in client.session


def test_logout_is_post_only(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("logout")).status_code == 405
    assert SESSION_KEY in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("topics:directory")
    assert SESSION_KEY not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(client, make_user):
    user = make_user("marie")
    response = client.post(
        reverse("password_reset"), {"email": "marie@example.org"}, HTTP_HOST="localhost:8000"
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["marie@example.org"]
    link = re.search(r"http://localhost:8000(/accounts/reset/\S+/)", message.body)
    assert link, message.body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"]
    new = "another rare passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_sends_nothing_for_an_unknown_address(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_pages_use_the_site_layout(client, db):
    """Ours, not the admin's registration templates (which extend admin/base_site.html)."""
    pages = [reverse("password_reset"), reverse("password_reset_done")]
    for url in pages:
        response = client.get(url)
        assert "admin/base_site.html" not in [t.name for t in response.templates], url
        assert "base.html" in [t.name for t in response.templates], url
