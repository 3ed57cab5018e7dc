"""The HTML body of an item, shared by the three formats."""

import pytest
from django.conf import settings

from veille.publishing.feeds.content import item_html, public_url
from veille.topics import services


def test_item_html_puts_image_excerpt_insight_and_source_in_that_order(make_scoop):
    scoop = make_scoop(
        "T",
        url="https://example.org/a?b=1&c=2",
        excerpt_html="<p>Excerpt</p>",
        image_url="https://img.example.org/i.png",
        image_alt='Say "hi"',
        insight="Worth *reading*",
    )
    scoop.lead_image = "thumbs/ab/ab12-1200.webp"  # our copy, made by capture
    assert item_html(scoop) == (
        '<p><img src="http://127.0.0.1:8000/media/thumbs/ab/ab12-1200.webp" '
        'alt="Say &quot;hi&quot;"></p>\n'
        "<p>Excerpt</p>\n"
        "<p><strong>Curator&#x27;s insight (Jacques Le Bris):</strong></p>\n"
        f"{scoop.insight_html}\n"
        '<p>Source: <a href="https://example.org/a?b=1&amp;c=2">example.org</a></p>'
    )


def test_item_html_leaves_out_what_a_post_does_not_have(make_scoop):
    assert item_html(make_scoop("Bare", excerpt_html="<p>Only this</p>")) == "<p>Only this</p>"


def test_curator_names_are_escaped_in_the_insight_heading(make_scoop, topic, make_user):
    editor = make_user(display_name="<b>Eve</b>")
    services.curator_add(topic=topic, by=topic.curators.get().user, user=editor)
    html = item_html(make_scoop("T", by=editor, insight="Hello"))
    assert "Curator&#x27;s insight (&lt;b&gt;Eve&lt;/b&gt;):" in html


def test_a_rescoop_credits_the_first_curator_and_topic(rescoop):
    html = item_html(rescoop)
    assert (
        f'<p>Originally scooped by <a href="{settings.BASE_URL}/u/marie/">Marie &lt;Curie&gt;</a>'
        f' in <a href="{settings.BASE_URL}/topic/paris-networks/">Paris &amp; networks</a>.</p>'
    ) in html
    assert "Jacques <em>adds</em> this" in html


def test_a_rescoop_of_a_rescoop_still_credits_the_first_curator(rescoop, make_user):
    third = services.topic_create(by=make_user(), title="Third", slug="third")
    again = services.rescoop_create(origin=rescoop, topic=third, by=third.curators.get().user)
    assert f'Originally scooped by <a href="{settings.BASE_URL}/u/marie/">' in item_html(again)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/i.png", "https://example.org/i.png"),
        ("/media/thumbs/i.png", f"{settings.BASE_URL}/media/thumbs/i.png"),
        ("javascript:alert(1)", ""),
        ("//evil.example/i.png", ""),
        ("", ""),
    ],
)
def test_public_url_keeps_web_addresses_and_local_paths_only(url, expected):
    assert public_url(url) == expected
