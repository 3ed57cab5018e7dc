"""The settings page links to the account export, which only its owner can download."""

from django.urls import reverse

from veille.importers.export import FORMATS
from veille.importers.selectors import account_scope

SETTINGS = reverse("accounts:settings")


def test_settings_link_to_the_account_export(client, curator, topic, make_user):
    url = reverse("importers:account_export", args=[curator.username])
    client.force_login(curator)
    html = client.get(SETTINGS).content.decode()
    assert f'href="{url}" download' in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert body == "".join(FORMATS["json"].lines(account_scope(user=curator)))
    assert '"slug":"toulouse-networks"' in body

    someone = make_user("claire")
    client.force_login(someone)
    own = reverse("importers:account_export", args=[someone.username])
    assert f'href="{own}" download' in client.get(SETTINGS).content.decode()
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
