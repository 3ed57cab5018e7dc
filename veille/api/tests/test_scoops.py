"""Scoops, comments and thanks through the API, always through the topic services."""

import datetime as dt

from django.utils import timezone

from veille.topics.models import Scoop, ScoopStatus

SCOOPS = "topics/toulouse-networks/scoops"


def test_scoop_crud_with_a_token(curator_api, topic):
    created = curator_api.post(
        SCOOPS,
        {
            "title": "Réseaux à Toulouse",
            "url": "https://example.org/reseaux?utm_source=x",
            "excerpt": '<p onclick="x()">Quoted <script>bad()</script>part</p>',
            "insight": "**Worth** reading.",
            "tags": ["réseaux", "#toulouse"],
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["url"] == "https://example.org/reseaux"
    assert body["excerpt_html"] == "<p>Quoted part</p>"
    assert body["insight_html"] == "<p><strong>Worth</strong> reading.</p>"
    assert body["tags"] == ["réseaux", "toulouse"]
    assert body["status"] == "published"
    scoop = Scoop.objects.get(pk=body["id"])
    path = f"{SCOOPS}/{scoop.pk}"
    assert body["api_url"] == f"http://127.0.0.1:8000/api/v1/{path}"
    updated = curator_api.patch(path, {"title": "Réseaux toulousains", "tags": []})
    assert updated.status_code == 200
    assert (updated.json()["title"], updated.json()["tags"]) == ("Réseaux toulousains", [])
    assert updated.json()["insight"] == "**Worth** reading."  # untouched
    assert curator_api.delete(path).status_code == 204
    assert not Scoop.objects.filter(pk=scoop.pk).exists()


def test_scoop_takes_plain_text_excerpt(curator_api, topic):
    body = curator_api.post(SCOOPS, {"title": "T", "excerpt": "a < b & c"}).json()
    assert body["excerpt_html"] == "a &lt; b &amp; c"


def test_non_curator_cannot_create_a_scoop(outsider_api, topic):
    response = outsider_api.post(SCOOPS, {"title": "Not mine"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Permission denied"
    assert not topic.scoops.exists()


def test_anonymous_cannot_write_scoops(api, make_scoop):
    scoop = make_scoop("Kept")
    assert api.post(SCOOPS, {"title": "x"}).status_code == 401
    assert api.patch(f"{SCOOPS}/{scoop.pk}", {"title": "x"}).status_code == 401
    assert api.delete(f"{SCOOPS}/{scoop.pk}").status_code == 401
    assert Scoop.objects.get(pk=scoop.pk).title == "Kept"


def test_duplicate_article_answers_409_with_the_existing_post(curator_api, make_scoop):
    existing = make_scoop("First", url="https://example.org/same")
    response = curator_api.post(SCOOPS, {"title": "Again", "url": "https://EXAMPLE.org/same#top"})
    assert response.status_code == 409
    problem = response.json()
    assert problem["existing"] == f"http://127.0.0.1:8000{existing.get_absolute_url()}"
    assert problem["existing_api_url"].endswith(f"/api/v1/{SCOOPS}/{existing.pk}")


def test_drafts_and_scheduled_posts_only_for_curators(api, curator_api, make_scoop):
    draft = make_scoop("Draft", draft=True)
    later = timezone.now() + dt.timedelta(days=1)
    scheduled = curator_api.post(SCOOPS, {"title": "Later", "publish_at": later.isoformat()})
    assert scheduled.json()["status"] == ScoopStatus.SCHEDULED
    for scoop_id in (draft.pk, scheduled.json()["id"]):
        assert api.get(f"{SCOOPS}/{scoop_id}").status_code == 404
        assert curator_api.get(f"{SCOOPS}/{scoop_id}").status_code == 200
    assert api.get(SCOOPS).json()["results"] == []


def test_naive_publication_date_is_a_field_error(curator_api, topic):
    response = curator_api.post(SCOOPS, {"title": "T", "publish_at": "2030-01-01T10:00:00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/publish_at"


def test_post_of_another_topic_is_not_found(api, curator, make_scoop):
    from veille.topics import services

    other = services.topic_create(by=curator, title="Other", slug="other")
    scoop = make_scoop("Elsewhere", in_topic=other)
    assert api.get(f"{SCOOPS}/{scoop.pk}").status_code == 404
    assert api.get(f"topics/other/scoops/{scoop.pk}").status_code == 200


def test_comments_are_listed_and_written(api, outsider_api, make_scoop, curator):
    from veille.topics import services

    scoop = make_scoop("Commented")
    hidden = services.comment_create(scoop=scoop, by=curator, body="Hidden one")
    services.comment_set_hidden(comment=hidden, by=curator, hidden=True)
    path = f"{SCOOPS}/{scoop.pk}/comments"
    created = outsider_api.post(path, {"body": "Merci *beaucoup*"})
    assert created.status_code == 201
    assert created.json()["body_html"] == "<p>Merci <em>beaucoup</em></p>"
    listed = api.get(path).json()["results"]
    assert [c["body"] for c in listed] == ["Merci *beaucoup*"]
    assert listed[0]["author"]["username"] == "outsider"
    assert api.post(path, {"body": "anonymous"}).status_code == 401


def test_empty_comment_is_a_field_error(outsider_api, make_scoop):
    scoop = make_scoop("Commented")
    response = outsider_api.post(f"{SCOOPS}/{scoop.pk}/comments", {"body": "   "})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"detail": "Write something first.", "pointer": "#/body"}]


def test_thanks_toggle(outsider_api, make_scoop):
    scoop = make_scoop("Useful")
    path = f"{SCOOPS}/{scoop.pk}/thanks"
    assert outsider_api.post(path).json() == {"thanked": True, "thanks_count": 1}
    assert outsider_api.post(path).json() == {"thanked": False, "thanks_count": 0}
