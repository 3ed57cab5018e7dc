"""Topics through the API: read anonymously, write with a token, as the services allow."""

from veille.topics import services
from veille.topics.models import Role, Topic


def test_topics_are_listed_and_read_anonymously(api, topic):
    listed = api.get("topics").json()
    assert [t["slug"] for t in listed["results"]] == ["toulouse-networks"]
    assert listed["next"] is None
    detail = api.get("topics/toulouse-networks").json()
    assert detail["title"] == "Toulouse networks"
    assert detail["url"] == "http://127.0.0.1:8000/topic/toulouse-networks/"
    assert detail["scoops_url"] == "http://127.0.0.1:8000/api/v1/topics/toulouse-networks/scoops"
    assert detail["curators"] == [
        {
            "user": {
                "username": "jacques",
                "name": "Jacques Le Bris",
                "url": "http://127.0.0.1:8000/u/jacques/",
                "api_url": "http://127.0.0.1:8000/api/v1/users/jacques",
            },
            "role": "owner",
        }
    ]


def test_topic_crud_with_a_token(curator_api, curator):
    created = curator_api.post(
        "topics",
        {"title": "Open data", "slug": "open-data", "language": "fr", "keywords": ["a", "b"]},
    )
    assert created.status_code == 201
    assert created.json()["keywords"] == ["a", "b"]
    topic = Topic.objects.get(slug="open-data")
    assert topic.curators.get().user == curator
    updated = curator_api.patch("topics/open-data", {"subtitle": "Données ouvertes"})
    assert updated.status_code == 200
    topic.refresh_from_db()
    assert (topic.subtitle, topic.title) == ("Données ouvertes", "Open data")
    moved = curator_api.patch("topics/open-data", {"slug": "donnees"})
    assert moved.json()["api_url"].endswith("/api/v1/topics/donnees")
    assert curator_api.delete("topics/donnees").status_code == 204
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_topic_address_taken_is_a_field_error(curator_api, topic):
    response = curator_api.post("topics", {"title": "Again", "slug": "toulouse-networks"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"detail": "A topic already uses this address.", "pointer": "#/slug"}
    ]


def test_only_curators_edit_and_only_owners_delete(api, topic, make_user, make_token):
    editor = make_user("editor")
    services.curator_add(topic=topic, by=topic.curators.get().user, user=editor, role=Role.EDITOR)
    as_editor = api.as_(make_token(editor)[1])
    as_outsider = api.as_(make_token(make_user("outsider"))[1])
    assert as_outsider.patch("topics/toulouse-networks", {"title": "Mine"}).status_code == 403
    assert as_editor.patch("topics/toulouse-networks", {"title": "Ours"}).status_code == 200
    assert as_editor.patch("topics/toulouse-networks", {"slug": "moved"}).status_code == 403
    refused = as_editor.delete("topics/toulouse-networks")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == "Only the owners of this topic can do that."
    assert Topic.objects.filter(slug="toulouse-networks", title="Ours").exists()


def test_anonymous_writes_are_refused(api, topic):
    assert api.post("topics", {"title": "X", "slug": "x"}).status_code == 401
    assert api.patch("topics/toulouse-networks", {"title": "X"}).status_code == 401
    assert api.delete("topics/toulouse-networks").status_code == 401
    assert api.post("topics/toulouse-networks/follow").status_code == 401


def test_follow_toggles(outsider_api, topic):
    first = outsider_api.post("topics/toulouse-networks/follow").json()
    assert first == {"following": True, "follower_count": 1}
    second = outsider_api.post("topics/toulouse-networks/follow").json()
    assert second == {"following": False, "follower_count": 0}


def test_topics_are_paged_by_address(api, curator):
    for slug in ("cc", "aa", "bb"):
        services.topic_create(by=curator, title=slug.upper(), slug=slug)
    first = api.get("topics", limit=2).json()
    assert [t["slug"] for t in first["results"]] == ["aa", "bb"]
    second = api.get(first["next"]).json()
    assert [t["slug"] for t in second["results"]] == ["cc"]
    assert second["next"] is None


def test_public_profile(api, curator, topic):
    profile = api.get("users/jacques").json()
    assert profile["name"] == "Jacques Le Bris"
    assert [t["slug"] for t in profile["topics"]] == ["toulouse-networks"]
    assert api.get("users/nobody").status_code == 404
