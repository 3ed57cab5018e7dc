"""The scoop-from-URL flow on the web and the command line."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from veille.topics.models import Scoop

PAGES = Path(__file__).parent / "pages"
NEW = "/scoop/new"


@pytest.fixture
def article(local_site):
    local_site.add("/article", (PAGES / "fr_article_full.html").read_text())
    return local_site.url("/article")


def test_pasting_a_url_shows_an_editable_preview(client, curator, topic, article):
    client.force_login(curator)
    page = client.get(NEW, {"url": article}).content.decode()
    assert 'value="Les Jeudis du Numérique reviennent au Quai des Savoirs"' in page
    assert 'name="image_url"' in page and "wp-content/uploads" in page
    assert f'value="{topic.slug}" selected' in page


def test_bookmarklet_selection_becomes_the_excerpt(client, curator, topic, article):
    client.force_login(curator)
    page = client.get(NEW, {"url": article, "title": "My title", "text": "Selected words"})
    html = page.content.decode()
    assert 'value="My title"' in html and "Selected words</textarea>" in html


def test_share_target_url_inside_text_is_found(client, curator, topic, article):
    client.force_login(curator)
    html = client.get(NEW, {"text": f"Look at this {article}"}).content.decode()
    assert "Quai des Savoirs" in html


def test_page_that_cannot_be_fetched_still_gives_a_form(client, curator, topic, local_site):
    client.force_login(curator)
    html = client.get(NEW, {"url": local_site.url("/missing")}).content.decode()
    assert "could not be read" in html and "HTTP 404" in html
    assert 'name="title"' in html


def test_publishing_from_the_preview(client, curator, topic, article):
    client.force_login(curator)
    response = client.post(
        NEW,
        {
            "url": article,
            "topic": topic.slug,
            "title": "Jeudis",
            "excerpt": "An excerpt",
            "insight": "Go **there**",
            "tags": "toulouse",
            "publish": "now",
            "image_url": "",
        },
    )
    scoop = Scoop.objects.get(title="Jeudis")
    assert response.status_code == 302 and response["Location"] == scoop.get_absolute_url()
    assert scoop.insight_html == "<p>Go <strong>there</strong></p>"


def test_a_url_already_in_the_topic_links_to_the_existing_scoop(
    client, curator, topic, article, make_scoop
):
    existing = make_scoop("Already", url=article)
    client.force_login(curator)
    response = client.post(
        NEW,
        {"url": article + "?utm_medium=x", "topic": topic.slug, "title": "Again", "publish": "now"},
    )
    assert response.status_code == 409
    assert existing.get_absolute_url() in response.content.decode()


def test_one_cannot_publish_in_a_topic_one_does_not_curate(client, make_user, topic):
    client.force_login(make_user())
    response = client.post(
        NEW, {"url": "https://example.org/", "topic": topic.slug, "title": "Spam", "publish": "now"}
    )
    assert response.status_code == 400 and not Scoop.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, db):
    assert "/accounts/login/" in client.get(NEW)["Location"]


def test_manifest_declares_the_share_target(client, db):
    data = json.loads(client.get("/manifest.webmanifest").content)
    assert data["share_target"]["action"] == NEW
    assert data["share_target"]["params"] == {"title": "title", "text": "text", "url": "url"}


def test_bookmarklet_page_carries_the_javascript_link(client, curator):
    client.force_login(curator)
    html = client.get(reverse("capture:bookmarklet")).content.decode()
    assert "javascript:(function()" in html and "/scoop/new?url=" in html


def test_capture_command_prints_json_lines_in_order_and_fails_with_2(local_site, article, capsys):
    with pytest.raises(SystemExit) as exit_status:
        call_command("capture", article, local_site.url("/missing"), "--json")
    assert exit_status.value.code == 2
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["url"] == article and first["language"] == "fr" and "error" not in first
    assert set(first) >= {
        "title",
        "canonical_url",
        "description",
        "site_name",
        "author",
        "published",
        "published_from",
        "image",
        "word_count",
        "text",
    }
    assert second["url"].endswith("/missing") and "404" in second["error"]


def test_capture_command_succeeds_when_every_url_does(article, capsys):
    call_command("capture", article)
    assert "Les Jeudis du Numérique" in capsys.readouterr().out


def test_scoop_command_captures_and_publishes(topic, article, capsys):
    call_command("scoop", topic.slug, article, "--insight", "À lire")
    scoop = Scoop.objects.get(topic=topic)
    assert scoop.title.startswith("Les Jeudis du Numérique") and scoop.is_published
    assert scoop.insight_html == "<p>À lire</p>"
    with pytest.raises(SystemExit):
        call_command("scoop", topic.slug, article + "#again", "--draft")  # same article
    assert Scoop.objects.filter(topic=topic).count() == 1
