"""The curator's and reader's journey in Chromium, against a live server with the demo topic."""

import re

import pytest

from veille.topics.models import Comment, Scoop

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    from veille.importers.services import load_demo_topic

    return load_demo_topic()


def test_demo_journey_sign_up_create_scoop_rescoop_comment(
    live_server, browser_page, demo, settings
):
    settings.TOPIC_PAGE_SIZE = 10
    page, base = browser_page, live_server.url

    # A reader opens the demo topic and loads more posts (HTMX, no full reload).
    page.goto(f"{base}/topic/toulouse-networks/")
    assert page.locator("h1").first.inner_text() == "Toulouse networks"
    assert page.locator("article.post-card").count() == 10
    page.get_by_role("link", name="Load more").click()
    page.wait_for_function("document.querySelectorAll('article.post-card').length == 20")

    # They sign up.
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Username").fill("marie")
    page.get_by_label("E-mail").fill("marie@example.org")
    page.get_by_label("Password", exact=True).fill("a long passphrase 42")
    page.get_by_label("Password confirmation").fill("a long passphrase 42")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(r".*/home/$"))

    # They create a topic and add a scoop by hand.
    page.goto(f"{base}/topic/new/")
    page.get_by_label("Title", exact=True).fill("Réseaux lyonnais")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/topic/reseaux-lyonnais/$"))
    page.get_by_role("link", name="Add a scoop").click()
    page.get_by_label("Title", exact=True).fill("Lyon lance son réseau d'entrepreneurs")
    page.get_by_label("Source URL").fill("https://example.org/lyon")
    page.get_by_label("Your insight").fill("A **must** read.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/topic/reseaux-lyonnais/\d+-.*"))
    assert page.locator("aside.insight strong").inner_text() == "must"

    # They rescoop a demo post with an insight.
    origin = Scoop.objects.get(topic=demo, title__startswith="Mastodon, le premier")
    page.goto(f"{base}{origin.get_absolute_url()}")
    page.get_by_label("Into my topic").select_option(label="Réseaux lyonnais")
    page.get_by_label("Your curator insight").fill("Toujours d'actualité")
    page.get_by_role("button", name="Rescoop").click()
    page.wait_for_url(re.compile(r".*/topic/reseaux-lyonnais/\d+-mastodon.*"))

    # They comment on the demo post.
    page.goto(f"{base}{origin.get_absolute_url()}")
    page.get_by_label("Your comment").fill("Merci pour ce partage")
    page.get_by_role("button", name="Comment").click()
    page.wait_for_url(re.compile(r".*#comments$"))

    # All of it shows on the pages.
    assert page.locator(".comment-body").inner_text() == "Merci pour ce partage"
    insight = page.locator("aside.curator-insight", has_text="Toujours d'actualité")
    assert insight.count() == 1
    page.goto(f"{base}/topic/reseaux-lyonnais/")
    cards = page.locator("article.post-card")
    assert cards.count() == 2
    assert "Originally scooped by Jacques Le Bris" in page.content()
    page.goto(f"{base}/topic/toulouse-networks/")
    assert (
        "marie&#x27;s curator insight" in page.content()
        or "marie's curator insight" in page.locator("main").inner_text()
    )
    assert Comment.objects.filter(scoop=origin).count() == 1
