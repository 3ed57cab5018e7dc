import pytest
from django.test import Client
from django.urls import reverse

from veille.topics import services
from veille.topics.models import Comment, Scoop, Topic


@pytest.fixture
def logged(client, curator):
    client.force_login(curator)
    return client


def _post_url(scoop, name):
    return reverse(f"topics:{name}", args=[scoop.topic.slug, scoop.pk])


def test_topic_page_shows_posts_newest_first_with_pinned_on_top(client, make_scoop):
    old = make_scoop("Old one", pinned=True)
    make_scoop("Newest one")
    response = client.get(old.topic.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Old one") < html.index("Newest one")
    assert "Scooped by" in html and "Jacques Le Bris" in html


def test_load_more_is_a_plain_link_and_an_htmx_fragment(client, make_scoop, topic, settings):
    settings.TOPIC_PAGE_SIZE = 2
    for i in range(5):
        make_scoop(f"Post {i}")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'href="/topic/toulouse-networks/?page=2"' in page
    assert 'hx-get="/topic/toulouse-networks/?page=2"' in page
    fragment = client.get(topic.get_absolute_url() + "?page=2", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and "Post 2" in body and "?page=3" in body
    plain = client.get(topic.get_absolute_url() + "?page=3").content.decode()
    assert "<html" in plain and "Post 0" in plain


def test_drafts_are_hidden_from_readers_but_shown_to_curators(client, logged, make_scoop):
    draft = make_scoop("Secret draft", draft=True)
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert "Secret draft" not in Client().get(draft.topic.get_absolute_url()).content.decode()
    assert logged.get(draft.get_absolute_url()).status_code == 200


def test_post_page_redirects_to_its_canonical_slug(client, make_scoop):
    scoop = make_scoop("A fine title")
    response = client.get(f"/topic/{scoop.topic.slug}/{scoop.pk}-wrong/")
    assert response.status_code == 301 and response["Location"] == scoop.get_absolute_url()


def test_only_curators_can_open_the_edit_pages(client, make_user, make_scoop, topic):
    scoop = make_scoop()
    client.force_login(make_user())
    assert client.get(reverse("topics:edit", args=[topic.slug])).status_code == 403
    assert client.get(_post_url(scoop, "scoop_edit")).status_code == 403
    assert client.get(reverse("topics:scoop_add", args=[topic.slug])).status_code == 403
    assert client.post(_post_url(scoop, "scoop_delete")).status_code == 403
    assert Scoop.objects.filter(pk=scoop.pk).exists()


def test_curator_adds_a_scoop_from_the_form(logged, topic):
    response = logged.post(
        reverse("topics:scoop_add", args=[topic.slug]),
        {
            "title": "Toulouse startup week",
            "url": "https://example.org/a",
            "excerpt": "First paragraph.\n\nSecond one.",
            "insight": "Worth *reading*.",
            "tags": "toulouse, startups",
            "publish": "now",
        },
    )
    scoop = Scoop.objects.get(title="Toulouse startup week")
    assert response.status_code == 302
    assert scoop.excerpt_html == "<p>First paragraph.</p>\n\n<p>Second one.</p>"
    assert scoop.insight_html == "<p>Worth <em>reading</em>.</p>"
    page = logged.get(topic.get_absolute_url()).content.decode()
    assert "Toulouse startup week" in page and "Worth <em>reading</em>." in page


def test_curator_edits_and_pins_a_scoop(logged, make_scoop):
    scoop = make_scoop("Before")
    logged.post(_post_url(scoop, "scoop_edit"), {"title": "After", "publish": "now"})
    logged.post(_post_url(scoop, "scoop_pin"))
    scoop.refresh_from_db()
    assert (scoop.title, scoop.pinned) == ("After", True)


def test_anonymous_users_cannot_comment(client, make_scoop):
    scoop = make_scoop()
    response = client.post(_post_url(scoop, "comment_add"), {"body": "hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()
    assert "No comment yet." in client.get(scoop.get_absolute_url()).content.decode()


def test_csrf_is_enforced_on_comments(make_scoop, make_user):
    scoop = make_scoop()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    assert client.post(_post_url(scoop, "comment_add"), {"body": "hi"}).status_code == 403
    page = client.get(scoop.get_absolute_url())
    token = page.cookies["csrftoken"].value
    response = client.post(
        _post_url(scoop, "comment_add"), {"body": "hi", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Comment.objects.get().body_html == "<p>hi</p>"


def test_reader_comments_thanks_and_follows(client, make_user, make_scoop):
    scoop = make_scoop()
    client.force_login(make_user(display_name="Reader"))
    client.post(_post_url(scoop, "comment_add"), {"body": "Great **find**"})
    client.post(_post_url(scoop, "thanks"))
    client.post(reverse("topics:follow", args=[scoop.topic.slug]))
    page = client.get(scoop.get_absolute_url()).content.decode()
    assert "Great <strong>find</strong>" in page and "Reader" in page
    scoop.refresh_from_db()
    scoop.topic.refresh_from_db()
    assert (scoop.thanks_count, scoop.topic.follower_count) == (1, 1)
    home = client.get(reverse("topics:home")).content.decode()
    assert scoop.title in home


def test_thanks_and_follow_answer_htmx_with_fragments(client, make_user, make_scoop):
    scoop = make_scoop()
    client.force_login(make_user())
    thanks = client.post(_post_url(scoop, "thanks"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in thanks and 'aria-pressed="true"' in thanks
    follow = client.post(
        reverse("topics:follow", args=[scoop.topic.slug]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Following" in follow and "1 follower" in follow


def test_rescoop_shows_as_curator_insight_on_the_origin(client, make_user, make_scoop):
    origin = make_scoop("Original post")
    other = make_user(display_name="David Ahnine CM")
    mine = services.topic_create(by=other, title="David's topic")
    client.force_login(other)
    response = client.post(
        _post_url(origin, "rescoop"), {"topic": mine.pk, "insight": "Les politiciens aussi"}
    )
    rescoop = Scoop.objects.get(origin=origin)
    assert response["Location"] == rescoop.get_absolute_url()
    page = Client().get(origin.topic.get_absolute_url()).content.decode()
    assert "David Ahnine CM's curator insight" in page
    assert "Les politiciens aussi" in page and rescoop.get_absolute_url() in page
    credit = Client().get(rescoop.get_absolute_url()).content.decode()
    assert "Rescooped from" in credit and "Jacques Le Bris" in credit


def test_curator_hides_a_comment_readers_no_longer_see_it(logged, make_user, make_scoop):
    scoop = make_scoop()
    comment = services.comment_create(scoop=scoop, by=make_user(), body="spam spam")
    url = reverse("topics:comment_moderate", args=[scoop.topic.slug, scoop.pk, comment.pk])
    logged.post(url, {"action": "hide"})
    assert "spam spam" not in Client().get(scoop.get_absolute_url()).content.decode()
    assert "spam spam" in logged.get(scoop.get_absolute_url()).content.decode()


def test_topic_create_edit_and_delete_from_the_web(client, make_user):
    owner = make_user()
    client.force_login(owner)
    client.post(reverse("topics:create"), {"title": "Lyon tech", "language": "fr"})
    assert client.get("/topic/lyon-tech/").status_code == 200
    client.post(
        "/topic/lyon-tech/edit/",
        {"title": "Lyon tech", "slug": "lyon-tech", "subtitle": "Tech in Lyon", "language": "fr"},
    )
    assert "Tech in Lyon" in client.get("/topic/lyon-tech/").content.decode()
    client.post("/topic/lyon-tech/delete/")
    assert client.get("/topic/lyon-tech/").status_code == 404


def test_pages_carry_opengraph_and_feed_links(client, make_scoop):
    scoop = make_scoop("Shared title")
    topic_page = client.get(scoop.topic.get_absolute_url()).content.decode()
    post_page = client.get(scoop.get_absolute_url()).content.decode()
    assert 'property="og:title" content="Toulouse networks"' in topic_page
    assert 'type="application/atom+xml"' in topic_page
    assert 'property="og:title" content="Shared title"' in post_page


def test_french_interface_from_accept_language(client, topic):
    page = client.get(topic.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in page and "Suivre" in page


def test_healthz(client, db):
    assert client.get("/healthz").content == b"ok"


def test_thanks_never_redirects_off_site(client, make_user, make_scoop):
    scoop = make_scoop()
    client.force_login(make_user())
    response = client.post(_post_url(scoop, "thanks"), {"next": "https://evil.example/"})
    assert response["Location"] == scoop.get_absolute_url()


def test_editing_the_title_moves_the_post_address(logged, make_scoop):
    scoop = make_scoop("Before")
    old_url = scoop.get_absolute_url()
    response = logged.post(_post_url(scoop, "scoop_edit"), {"title": "After", "publish": "now"})
    assert response["Location"] != old_url and response["Location"].endswith("-after/")
    assert logged.get(old_url).status_code == 301


def test_an_estimated_date_is_not_shown_as_a_date(client, make_scoop):
    scoop = make_scoop("Imported")
    Scoop.objects.filter(pk=scoop.pk).update(date_is_estimated=True)
    page = client.get(scoop.topic.get_absolute_url()).content.decode()
    assert "<time" not in page.split("Imported")[0].rsplit("post-card", 1)[-1]


def test_topic_fediverse_settings_are_editable_from_the_web(client, make_user):
    owner = make_user()
    client.force_login(owner)
    client.post(
        reverse("topics:create"),
        {
            "title": "Private club",
            "language": "en",
            "visibility": "followers",
            "approve_followers": "on",
        },
    )
    topic = Topic.objects.get(slug="private-club")
    assert (topic.visibility, topic.approve_followers, topic.discoverable) == (
        "followers",
        True,
        False,
    )


def test_a_very_long_title_gives_a_short_address(client, make_user):
    client.force_login(make_user())
    client.post(
        reverse("topics:create"),
        {"title": "Réseaux " * 20, "language": "fr", "visibility": "public"},
    )
    assert len(Topic.objects.get().slug) <= 80


def test_curator_sets_a_content_warning_readers_open_the_post_from_it(client, logged, make_scoop):
    scoop = make_scoop("Riot at the station", excerpt_html="<p>What happened.</p>")
    edit = logged.get(_post_url(scoop, "scoop_edit")).content.decode()
    assert 'name="content_warning"' in edit
    logged.post(
        _post_url(scoop, "scoop_edit"),
        {
            "title": scoop.title,
            "excerpt": "What happened.",
            "content_warning": "Violence",
            "publish": "now",
        },
    )
    scoop.refresh_from_db()
    assert scoop.content_warning == "Violence"
    assert 'value="Violence"' in logged.get(_post_url(scoop, "scoop_edit")).content.decode()

    client.logout()
    warned = '<details class="content-warning"><summary>Violence</summary>'
    for page in (scoop.topic.get_absolute_url(), scoop.get_absolute_url()):
        html = client.get(page).content.decode()
        assert "Riot at the station" in html  # the title stays visible
        before, _warning, after = html.partition(warned)
        assert after, page
        assert "What happened." in after.split("</details>")[0]  # the excerpt is behind it


def test_a_post_without_content_warning_has_no_details(client, make_scoop):
    scoop = make_scoop(excerpt_html="<p>Plain.</p>")
    assert "content-warning" not in client.get(scoop.topic.get_absolute_url()).content.decode()
    assert "content-warning" not in client.get(scoop.get_absolute_url()).content.decode()


def test_topic_settings_say_why_a_followed_topic_keeps_its_address(logged, topic):
    from veille.federation.models import Follower, FollowState, RemoteActor

    actor = RemoteActor.objects.create(uri="https://masto.example/users/a", domain="masto.example")
    Follower.objects.create(topic=topic, actor=actor, state=FollowState.ACCEPTED)
    fields = {"title": topic.title, "language": "fr", "subtitle": "New subtitle"}

    response = logged.post(reverse("topics:edit", args=[topic.slug]), {**fields, "slug": "other"})
    assert "its address can no longer change" in response.content.decode()
    response = logged.post(
        reverse("topics:edit", args=[topic.slug]), {**fields, "slug": topic.slug}
    )
    assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).subtitle == "New subtitle"
