"""A post behind a content warning shows no more in feeds and link previews than its page does
before the reader opens it: the warning, the title and the links."""

import pytest
from django.conf import settings

from veille.publishing.feeds.content import item_html
from veille.publishing.feeds.items import feed_item


@pytest.fixture
def warned(make_scoop):
    scoop = make_scoop(
        "Le procès",
        url="https://example.org/proces",
        excerpt_html="<p>Récit détaillé des faits</p>",
        insight="Une analyse dure",
        content_warning="Violences",
    )
    type(scoop).objects.filter(pk=scoop.pk).update(lead_image="thumbs/pr/proces-1200.webp")
    scoop.refresh_from_db()
    return scoop


def test_a_feed_item_behind_a_warning_has_only_the_warning_and_the_links(warned):
    html = item_html(warned)
    assert "Content warning: Violences." in html
    assert "Récit détaillé" not in html and "analyse dure" not in html and "<img" not in html
    assert f'href="{settings.BASE_URL}{warned.get_absolute_url()}"' in html
    assert "https://example.org/proces" in html
    assert feed_item(warned).image == ""


def test_a_post_without_warning_keeps_its_excerpt_and_image(make_scoop):
    scoop = make_scoop("Fibre", excerpt_html="<p>Tout le texte</p>")
    assert "Tout le texte" in item_html(scoop)


def test_link_previews_of_a_warned_post_show_the_warning_not_the_text(client, warned):
    page = client.get(warned.get_absolute_url()).content.decode()
    assert '<meta property="og:description" content="Content warning: Violences">' in page
    assert 'property="og:image"' not in page
