"""Edits in the administration pages keep what the services keep: the search index, and a
followed topic's address."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from veille.accounts.models import User
from veille.search import selectors as search
from veille.topics.models import Scoop, Topic


@pytest.fixture
def operator(client, db):
    admin = User.objects.create_superuser("operator", "operator@example.org", "an admin pass")
    client.force_login(admin)
    return admin


class _FormFields(HTMLParser):
    """What a browser would post back from the page's main form, untouched."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea = self._select = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self._add(name, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value") or "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _change(client, obj, **changes):
    """Post the admin change form of ``obj`` with ``changes``; the response."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    fields = _FormFields()
    fields.feed(client.get(url).content.decode())
    data = {**fields.data, **{name: [value] for name, value in changes.items()}}
    return client.post(url, {k: v[0] if len(v) == 1 else v for k, v in data.items()})


def _found(q: str) -> set[str]:
    return {r.scoop.title for r in search.search(q=q, per_page=100).results}


def test_editing_a_scoop_in_the_admin_reindexes_it(client, operator, make_scoop):
    scoop = make_scoop("Cantine numérique", tags=["Éducation"])
    assert _found("cantine") == {"Cantine numérique"}

    response = _change(client, scoop, title="Bibliothèque numérique")

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _found("cantine") == set()
    assert _found("bibliothèque") == {"Bibliothèque numérique"}
    assert _found("éducation") == {"Bibliothèque numérique"}  # its tags were indexed again too


def test_deleting_a_scoop_in_the_admin_removes_it_from_search(client, operator, make_scoop):
    scoop = make_scoop("Cantine numérique")
    other = make_scoop("Cantine scolaire")
    client.post(reverse("admin:topics_scoop_delete", args=[scoop.pk]), {"post": "yes"})
    assert _found("cantine") == {"Cantine scolaire"}
    client.post(
        reverse("admin:topics_scoop_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert _found("cantine") == set()
    assert not Scoop.objects.exists()


def test_changing_a_topic_language_in_the_admin_reindexes_its_scoops(
    client, operator, topic, make_scoop
):
    from veille.search.models import SearchEntry

    scoop = make_scoop("Les écoles")  # no language of its own: indexed in the topic's, French
    assert SearchEntry.objects.get(scoop=scoop).config == "french"
    response = _change(client, topic, language="en")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SearchEntry.objects.get(scoop=scoop).config == "english"


def test_a_topic_followed_from_the_fediverse_keeps_its_address_in_the_admin(
    client, operator, topic
):
    from veille.federation.models import Follower, FollowState, RemoteActor

    actor = RemoteActor.objects.create(uri="https://masto.example/users/a", domain="masto.example")
    Follower.objects.create(topic=topic, actor=actor, state=FollowState.ACCEPTED)

    response = _change(client, topic, slug="elsewhere", subtitle="Still editable")

    assert response.status_code == 302, response.content.decode()[:2000]
    topic.refresh_from_db()
    assert (topic.slug, topic.subtitle) == ("toulouse-networks", "Still editable")


def test_a_topic_without_followers_may_change_its_address_in_the_admin(client, operator, topic):
    assert _change(client, topic, slug="elsewhere").status_code == 302
    assert Topic.objects.get(pk=topic.pk).slug == "elsewhere"


def _followed(topic):
    from veille.federation.models import Follower, FollowState, RemoteActor

    actor = RemoteActor.objects.create(uri="https://masto.example/users/b", domain="masto.example")
    Follower.objects.create(topic=topic, actor=actor, state=FollowState.ACCEPTED)


def test_admin_edits_and_deletions_reach_the_fediverse(client, operator, topic, make_scoop):
    from veille.federation.models import OutboxActivity

    _followed(topic)
    scoop = make_scoop("Cantine numérique")
    other = make_scoop("Cantine scolaire")
    assert _change(client, scoop, title="Bibliothèque numérique").status_code == 302
    update = OutboxActivity.objects.get(activity_type="Update").activity
    assert "Bibliothèque numérique" in update["object"]["content"]

    client.post(reverse("admin:topics_scoop_delete", args=[scoop.pk]), {"post": "yes"})
    client.post(
        reverse("admin:topics_scoop_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert OutboxActivity.objects.filter(activity_type="Delete").count() == 2


def test_the_source_address_is_not_edited_in_the_admin(client, operator, make_scoop):
    scoop = make_scoop("Cantine", url="https://news.example.org/cantine")
    make_scoop("Autre", url="https://news.example.org/autre")

    response = _change(client, scoop, source_url="https://news.example.org/autre")

    assert response.status_code == 302
    scoop.refresh_from_db()
    assert scoop.source_url == "https://news.example.org/cantine"  # no duplicate made here
