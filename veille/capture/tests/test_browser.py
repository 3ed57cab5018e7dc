"""Scoop from a URL in Chromium: paste, pick an image, write an insight, publish, see it."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from veille.testing import log_in
from veille.topics.models import Scoop

pytestmark = pytest.mark.browser

PAGES = Path(__file__).parent / "pages"


def _jpeg(color) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1280, 720), color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def article_site(local_site, settings, tmp_path):
    settings.CAPTURE_ON_SAVE = True
    settings.MEDIA_ROOT = tmp_path
    images = "".join(
        f'<figure><img src="/img/{n}.jpg" width="1280" height="720" alt="Photo {n}"></figure>'
        for n in (1, 2)
    )
    page = (PAGES / "en_article_full.html").read_text().replace("</article>", images + "</article>")
    local_site.add("/story", page)
    for n, color in ((1, (10, 120, 200)), (2, (200, 120, 10))):
        local_site.add(f"/img/{n}.jpg", _jpeg(color), content_type="image/jpeg")
    return local_site


def test_paste_pick_an_image_write_an_insight_publish(
    live_server, browser_page, curator, topic, article_site
):
    page, base = browser_page, live_server.url
    log_in(page, base, curator)
    page.goto(f"{base}/scoop/new?topic={topic.slug}")
    page.get_by_label("Paste the address of an article").fill(article_site.url("/story"))
    page.get_by_role("button", name="Fetch").click()
    title = page.get_by_label("Title", exact=True)
    title.wait_for()
    page.wait_for_function("document.querySelector('#id_title').value.length > 0")
    options = page.locator(".image-option input[type=radio]")
    assert options.count() >= 3  # candidates and "No image"
    chosen = page.locator(f'.image-option input[value="{article_site.url("/img/2.jpg")}"]')
    chosen.check()
    page.get_by_label("Your insight").fill("A *good* read")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/topic/toulouse-networks/\d+-.*"))

    scoop = Scoop.objects.get(topic=topic)
    assert scoop.image_url == article_site.url("/img/2.jpg") and scoop.thumbnail
    page.goto(f"{base}/topic/{topic.slug}/")
    card = page.locator("article.post-card").first
    assert card.locator("aside.insight em").inner_text() == "good"
    thumbnail = card.locator("img.lead")
    assert thumbnail.get_attribute("src").startswith("/media/thumbs/")
    width = thumbnail.evaluate("img => img.naturalWidth")
    assert width == 720  # our own copy was served, not the source image


def test_bookmarklet_endpoint_keeps_the_selected_text(
    live_server, browser_page, curator, topic, article_site
):
    page, base = browser_page, live_server.url
    log_in(page, base, curator)
    page.goto(
        f"{base}/scoop/new?url={article_site.url('/story')}&title=Shared"
        "&text=The%20selected%20passage"
    )
    assert page.get_by_label("Title", exact=True).input_value() == "Shared"
    assert page.get_by_label("Excerpt").input_value() == "The selected passage"
