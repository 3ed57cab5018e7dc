"""Completing a scoop from its page: archive, details, our own image copies; gone sources."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from veille.capture import services
from veille.capture.models import Archive
from veille.topics import services as topic_services

PAGES = Path(__file__).parent / "pages"


def _png(width=1600, height=900) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def capturing(settings, tmp_path, local_site, django_capture_on_commit_callbacks):
    settings.CAPTURE_ON_SAVE = True
    settings.MEDIA_ROOT = tmp_path
    local_site.on_commit = lambda: django_capture_on_commit_callbacks(execute=True)
    return local_site


def test_saving_a_scoop_archives_its_article_and_copies_its_image(capturing, topic, curator):
    capturing.add("/article", (PAGES / "fr_article_full.html").read_text())
    capturing.add("/lead.png", _png(), content_type="image/png")
    with capturing.on_commit():
        scoop = topic_services.scoop_create(
            topic=topic,
            by=curator,
            title="Mine",
            url=capturing.url("/article"),
            image_url=capturing.url("/lead.png"),
        )
    scoop.refresh_from_db()
    archive = Archive.objects.get(scoop=scoop)
    assert archive.word_count > 100 and "Quai des Savoirs" in archive.text
    assert scoop.language == "fr" and scoop.site_name
    assert scoop.title == "Mine"  # the curator's title wins over the page's
    assert scoop.thumbnail.endswith("-720.webp") and scoop.lead_image.endswith("-1200.webp")
    assert default_storage.exists(scoop.thumbnail)
    assert scoop.image_src.startswith("/media/thumbs/")


def test_a_bad_image_leaves_no_thumbnail_and_no_error(capturing, topic, curator):
    capturing.add("/fake.png", b"<html>not an image</html>", content_type="image/png")
    with capturing.on_commit():
        scoop = topic_services.scoop_create(
            topic=topic, by=curator, title="T", image_url=capturing.url("/fake.png")
        )
    scoop.refresh_from_db()
    assert scoop.thumbnail == "" and scoop.image_src == ""


def test_a_page_that_cannot_be_fetched_keeps_the_scoop(capturing, topic, curator):
    with capturing.on_commit():
        scoop = topic_services.scoop_create(
            topic=topic, by=curator, title="Still here", url=capturing.url("/gone")
        )
    assert not Archive.objects.filter(scoop=scoop).exists()
    assert scoop.title == "Still here"


def test_source_check_marks_404_410_and_dead_domains_gone(local_site, make_scoop):
    local_site.add("/alive", "<p>ok</p>")
    local_site.add("/removed", status=410)
    alive = make_scoop(url=local_site.url("/alive"))
    missing = make_scoop(url=local_site.url("/missing"))
    removed = make_scoop(url=local_site.url("/removed"))
    dead = make_scoop(url="https://dead-domain.invalid/post")
    assert services.sources_check() == 3
    for scoop in (alive, missing, removed, dead):
        scoop.refresh_from_db()
    assert alive.source_gone_at is None and alive.source_checked_at is not None
    assert missing.source_gone_at and removed.source_gone_at and dead.source_gone_at
    assert services.sources_due_for_check(limit=10) == []  # not again before a week


def test_a_source_that_comes_back_is_no_longer_gone(local_site, make_scoop):
    scoop = make_scoop(url=local_site.url("/flaky"))
    services.sources_check()
    scoop.refresh_from_db()
    assert scoop.source_gone_at
    local_site.add("/flaky", "<p>back</p>")
    type(scoop).objects.filter(pk=scoop.pk).update(source_checked_at=None)
    services.sources_check()
    scoop.refresh_from_db()
    assert scoop.source_gone_at is None
