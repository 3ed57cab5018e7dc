"""The capture pipeline end to end, on pages served by a local test server."""

import gzip
import json
from pathlib import Path

import pytest

from veille.capture.pipeline import capture_many_sync, capture_sync

PAGES = Path(__file__).parent / "pages"


def _page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def test_french_article_gets_title_image_date_language(local_site):
    local_site.add("/agenda/jeudis/", _page("fr_article_full.html"))
    capture = capture_sync(local_site.url("/agenda/jeudis/?utm_source=newsletter"))
    assert capture.ok, capture.error
    assert capture.title == "Les Jeudis du Numérique reviennent au Quai des Savoirs"
    assert capture.language == "fr"
    assert capture.image.startswith(local_site.url("/wp-content/uploads/"))
    assert capture.published is not None and capture.published_from == "metadata"
    assert capture.url == local_site.url("/agenda/jeudis/")  # tracking removed
    assert capture.word_count > 100 and "<script" not in capture.html


def test_english_article_and_a_page_without_metadata(local_site):
    local_site.add("/en", _page("en_article_full.html"))
    local_site.add("/bare", _page("no_metadata.html"))
    english, bare = capture_many_sync([local_site.url("/en"), local_site.url("/bare")])
    assert english.ok and english.language == "en" and english.title
    assert bare.ok and bare.title and bare.published_from in (None, "guessed")


def test_paywalled_page_is_captured_and_flagged(local_site):
    local_site.add("/paywall", _page("paywalled.html"))
    capture = capture_sync(local_site.url("/paywall"))
    assert capture.ok and capture.paywalled and capture.title


def test_video_page_follows_its_oembed_for_the_player(local_site):
    page = _page("video_oembed.html")
    local_site.add("/w/video", page)
    local_site.add(
        "/services/oembed",
        json.dumps(
            {
                "type": "video",
                "version": "1.0",
                "title": "Le festival des Lanternes",
                "thumbnail_url": "https://video.example/thumb.jpg",
                "html": '<iframe src="https://www.youtube-nocookie.com/embed/abc123"></iframe>',
            }
        ),
        content_type="application/json",
    )
    capture = capture_sync(local_site.url("/w/video"))
    assert capture.ok, capture.error
    assert any(hit.startswith("/services/oembed") for hit in local_site.hits)
    assert capture.embed_src == "https://www.youtube-nocookie.com/embed/abc123"
    assert "https://video.example/thumb.jpg" in capture.images


def test_non_html_url_is_an_error_that_keeps_a_title(local_site):
    local_site.add("/report.pdf", b"%PDF-1.7 ...", content_type="application/pdf")
    capture = capture_sync(local_site.url("/report.pdf"))
    assert capture.error_code == "not_html" and "application/pdf" in capture.error
    assert capture.title  # the curator still has something to start from


def test_huge_page_is_refused_by_the_size_cap(local_site, settings):
    settings.FETCH_MAX_BYTES = 100_000
    local_site.add("/huge", b"<p>" + b"x" * 300_000)
    capture = capture_sync(local_site.url("/huge"))
    assert capture.error_code == "too_large"


def test_compressed_bomb_is_refused(local_site, settings):
    settings.FETCH_MAX_BYTES = 100_000
    bomb = gzip.compress(b" " * 5_000_000)
    local_site.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    assert capture_sync(local_site.url("/bomb")).error_code == "too_large"


def test_slow_server_times_out(local_site, settings):
    settings.FETCH_TIMEOUT = 0.5
    local_site.add("/slow", "<title>late</title>", delay=2)
    assert capture_sync(local_site.url("/slow")).error_code == "timeout"


def test_redirect_chain_is_followed_to_the_article(local_site):
    local_site.redirect("/a", "/b", status=301)
    local_site.redirect("/b", "/c")
    local_site.add("/c", _page("en_article_full.html"))
    capture = capture_sync(local_site.url("/a"))
    assert capture.ok and capture.final_url == local_site.url("/c")


def test_refused_address_is_reported_without_a_connection(local_site, settings):
    settings.FETCH_ALLOW_HOSTS = []
    capture = capture_sync(local_site.url("/anything"))
    assert capture.error_code == "blocked_address"
    assert local_site.hits == []


def test_http_error_status_is_an_error(local_site):
    capture = capture_sync(local_site.url("/missing"))
    assert capture.error_code == "http_status" and "404" in capture.error


@pytest.mark.parametrize("url", ["ftp://example.org/x", "not a url", "javascript:alert(1)"])
def test_bad_urls_are_refused_clearly(url):
    capture = capture_sync(url)
    assert capture.error and capture.error_code in ("bad_scheme", "invalid_url")
