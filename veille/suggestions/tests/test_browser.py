"""Keyboard triage of the inbox in Chromium: move, dismiss, undo, and scoop through the capture."""

import re

import pytest

from veille.suggestions.models import State, Story
from veille.suggestions.services import ingest
from veille.suggestions.tests.conftest import entry
from veille.testing import log_in
from veille.topics.models import Scoop

pytestmark = pytest.mark.browser

ARTICLE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>{title}</title><meta property="og:title" content="{title}">
<meta name="description" content="Un article écrit pour le test du tri des suggestions.">
</head><body><article><h1>{title}</h1>
<p>Le réseau social local réunit les associations toulousaines autour de rencontres régulières.
Les organisateurs expliquent comment le réseautage a changé depuis deux ans.</p>
<p>Une deuxième partie détaille les prochains rendez-vous, au centre-ville et en ligne.</p>
</article></body></html>"""

TITLES = [
    "Toulouse : un réseau social pour les associations",
    "Networking : les rendez-vous de la Ville Rose",
    "Les médias sociaux de la mairie de Toulouse",
]


@pytest.fixture
def inbox(local_site, make_source, topic):
    source = make_source("Actu Toulouse")
    entries = []
    for number, title in enumerate(TITLES):
        path = f"/article-{number}"
        local_site.add(path, ARTICLE.format(title=title))
        entries.append(
            entry(title, "Réseautage à Toulouse.", url=local_site.url(path), hours_ago=number + 1)
        )
    ingest(source=source, entries=entries)
    return source


def _focused(page) -> str:
    return page.evaluate("document.activeElement.closest('.suggestion')?.id || ''")


def test_triage_with_the_keyboard_then_scoop_through_the_capture(
    live_server, browser_page, curator, topic, inbox
):
    page, base = browser_page, live_server.url
    log_in(page, base, curator)
    page.goto(f"{base}/topic/{topic.slug}/suggestions/")
    ids = page.eval_on_selector_all(".suggestion", "cards => cards.map(c => c.id)")
    ranked = list(Story.objects.select_related("first").order_by("-rank", "pk"))
    assert ids == [f"story-{s.pk}" for s in ranked]  # best first

    page.keyboard.press("j")
    assert _focused(page) == ids[0]
    page.keyboard.press("j")
    assert _focused(page) == ids[1]
    page.keyboard.press("k")
    assert _focused(page) == ids[0]

    page.keyboard.press("d")  # dismiss the first: its card becomes an undo line
    page.locator(f"#{ids[0]}.is-dismissed").wait_for()
    page.wait_for_function(f"document.activeElement.id === '{ids[1]}'")
    page.wait_for_function(
        "document.getElementById('inbox-status').textContent.startsWith('Dismissed:')"
    )
    assert Story.objects.get(pk=ranked[0].pk).state == State.DISMISSED

    page.keyboard.press("u")  # undo: the list comes back with the card, focused
    page.wait_for_function(f"document.activeElement.id === '{ids[0]}'")
    assert page.locator(".suggestion.is-dismissed").count() == 0
    page.wait_for_function(
        "document.getElementById('inbox-status').textContent.startsWith('Back in the inbox')"
    )
    assert Story.objects.get(pk=ranked[0].pk).state == State.NEW

    page.keyboard.press("j")
    page.keyboard.press("j")
    assert _focused(page) == ids[2]
    page.keyboard.press("s")  # scoop: the capture flow opens on the suggestion's URL
    page.wait_for_url(re.compile(r".*/scoop/new\?.*suggestion=\d+"))
    url = ranked[2].first.url
    assert page.locator("#fetch-url").input_value() == url
    page.wait_for_function("document.querySelector('#id_title').value.length > 0")
    assert page.get_by_label("Title", exact=True).input_value() == ranked[2].first.title
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/topic/toulouse-networks/\d+-.*"))
    assert Scoop.objects.filter(topic=topic, source_url=url).exists()
    assert Story.objects.get(pk=ranked[2].pk).state == State.SCOOPED


def test_every_action_works_without_javascript(live_server, browser_page, curator, topic, inbox):
    page, base = browser_page, live_server.url
    log_in(page, base, curator)
    page.route("**/*.js", lambda route: route.abort())  # no HTMX, no inbox.js
    page.goto(f"{base}/topic/{topic.slug}/suggestions/")
    first = page.locator(".suggestion").first
    first.get_by_role("button", name=re.compile("^Dismiss")).click()
    page.wait_for_url(re.compile(r".*/suggestions/$"))
    assert page.locator(".messages").inner_text().startswith("Dismissed:")
    assert page.locator(".suggestion").count() == len(TITLES) - 1
    page.get_by_role("button", name="Undo last dismissal").click()
    page.wait_for_url(re.compile(r".*/suggestions/$"))
    assert page.locator(".suggestion").count() == len(TITLES)
