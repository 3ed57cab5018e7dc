"""Content negotiation: the topic page, a profile and a post page answer ActivityPub JSON."""

import pytest

from veille.federation.negotiation import wants_activity_json
from veille.topics import services
from veille.topics.models import Topic

MIDDLEWARE = "veille.federation.negotiation.ActivityPubMiddleware"
AP = "application/activity+json"
LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.fixture(autouse=True)
def _middleware(settings):
    """Installed as settings.py will have it: after WhiteNoise, before the session machinery."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, MIDDLEWARE
    )
    settings.MIDDLEWARE = middleware
    settings.BASE_URL = "https://veille.test"


def _varies_on_accept(response) -> bool:
    return "accept" in [name.strip().lower() for name in response.get("Vary", "").split(",")]


def _get(client, url, accept):
    return client.get(url, HTTP_ACCEPT=accept)


@pytest.mark.parametrize("accept", [AP, LD, "application/ld+json", f"{AP}, {LD}"])
def test_topic_page_answers_its_group_actor_to_activitypub_clients(client, topic, accept):
    response = _get(client, "/topic/toulouse-networks/", accept)
    assert response.status_code == 200
    assert response["Content-Type"] == AP
    assert _varies_on_accept(response)
    assert response.json()["type"] == "Group"
    assert response.json()["id"] == "https://veille.test/topic/toulouse-networks/"


@pytest.mark.parametrize(
    "accept", [BROWSER, "", "*/*", 'application/ld+json; profile="https://schema.org"']
)
def test_topic_page_stays_html_for_everyone_else_and_varies_on_accept(client, topic, accept):
    response = _get(client, "/topic/toulouse-networks/", accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert _varies_on_accept(response)


def test_head_is_negotiated_like_get(client, topic):
    response = client.head("/topic/toulouse-networks/", HTTP_ACCEPT=AP)
    assert response.status_code == 200 and response["Content-Type"] == AP


def test_post_to_a_negotiated_address_is_left_to_the_page(client, topic):
    response = client.post("/topic/toulouse-networks/", HTTP_ACCEPT=AP)
    assert response.status_code == 405
    assert not response["Content-Type"].startswith(AP)


def test_unknown_topic_is_a_json_404(client, db):
    response = _get(client, "/topic/nowhere/", AP)
    assert response.status_code == 404 and response["Content-Type"] == AP


def test_curator_profile_answers_a_person_and_other_profiles_404(client, topic, make_user):
    make_user("reader")
    person = _get(client, "/u/jacques/", AP)
    assert person.json()["type"] == "Person"
    assert person.json()["id"] == "https://veille.test/u/jacques/"
    assert _get(client, "/u/reader/", AP).status_code == 404
    assert _get(client, "/u/reader/", BROWSER).status_code == 200


def test_post_page_answers_the_note_at_any_slug_without_redirecting(client, make_scoop):
    scoop = make_scoop("A fine title")
    for slug in ("a-fine-title", "post", "an-old-title"):
        response = _get(client, f"/topic/toulouse-networks/{scoop.pk}-{slug}/", AP)
        assert response.status_code == 200
        assert (
            response.json()["id"] == f"https://veille.test/topic/toulouse-networks/{scoop.pk}-post/"
        )
        assert _varies_on_accept(response)
    html = _get(client, f"/topic/toulouse-networks/{scoop.pk}-post/", BROWSER)
    assert html.status_code == 301


def test_drafts_and_posts_of_followers_only_topics_are_not_served(client, topic, make_scoop):
    draft = make_scoop("Draft", draft=True)
    assert _get(client, f"/topic/toulouse-networks/{draft.pk}-post/", AP).status_code == 404
    post = make_scoop("Published")
    Topic.objects.filter(pk=topic.pk).update(visibility="followers")
    assert _get(client, f"/topic/toulouse-networks/{post.pk}-post/", AP).status_code == 404
    Topic.objects.filter(pk=topic.pk).update(visibility="unlisted")
    assert _get(client, f"/topic/toulouse-networks/{post.pk}-post/", AP).status_code == 200


def test_post_of_another_topic_is_not_found_under_this_one(client, make_scoop, make_user):
    marie = make_user("marie")
    other = services.topic_create(by=marie, title="Other", slug="other")
    post = make_scoop("Elsewhere", in_topic=other, by=marie)
    assert _get(client, f"/topic/toulouse-networks/{post.pk}-post/", AP).status_code == 404


def test_pages_that_are_not_actors_are_not_negotiated(client, topic):
    response = _get(client, "/topic/toulouse-networks/feed.json", AP)
    assert response.status_code == 200
    assert not _varies_on_accept(response)


@pytest.mark.parametrize(
    ("accept", "wanted"),
    [
        (AP, True),
        (LD, True),
        ("application/ld+json", True),
        ("text/html;q=0.9, application/activity+json", True),
        ("application/activity+json;q=0.1, text/html", False),
        ("application/activity+json;q=0", False),
        ('application/ld+json;profile="https://schema.org"', False),
        (BROWSER, False),
        ("application/json", False),
        ("", False),
        ("application/activity+json;q=oops", False),
    ],
)
def test_accept_header_preference(accept, wanted):
    assert wants_activity_json(accept) is wanted
