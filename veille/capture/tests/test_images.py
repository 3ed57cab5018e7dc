"""Choosing the lead image and the candidates offered to the curator."""

from veille.capture.extract import parse_html
from veille.capture.images import choose_images
from veille.capture.metadata import read_page

URL = "https://blog.example.org/2024/post/"


def images_of(head: str = "", body: str = "") -> tuple[str | None, list[str]]:
    tree = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
    return choose_images(read_page(tree, URL))


def test_declared_images_come_first_in_their_order_of_preference():
    head = (
        '<meta name="twitter:image" content="/tw.jpg">'
        '<meta property="og:image" content="/og.jpg">'
        '<script type="application/ld+json">{"@type":"Article","image":{"@type":"ImageObject",'
        '"url":"https://cdn.example.org/ld.jpg"}}</script>'
    )
    lead, candidates = images_of(head, '<article><img src="/body.jpg"></article>')
    assert lead == "https://blog.example.org/og.jpg"
    assert candidates == [
        "https://blog.example.org/og.jpg",
        "https://blog.example.org/tw.jpg",
        "https://cdn.example.org/ld.jpg",
        "https://blog.example.org/body.jpg",
    ]


def test_body_images_skip_small_decorative_and_tracking_images():
    body = (
        '<header><img src="/logo.png" width="400" height="300"></header>'
        '<article><img src="/img/avatar-jeanne.jpg">'
        '<img src="/pixel.gif?u=1" width="1" height="1">'
        '<img src="/img/thumb.jpg" width="150" height="150">'
        '<img src="/img/banner.jpg" width="780" height="90">'
        '<img src="/img/sprite-icons.png"><img src="/img/diagram.svg">'
        '<img src="/img/pixel-8-review.jpg" width="1200" height="800">'
        '<img src="/img/photo.jpg" width="480" height="270"></article>'
    )
    lead, candidates = images_of("", body)
    assert lead == "https://blog.example.org/img/pixel-8-review.jpg"
    assert candidates == [
        "https://blog.example.org/img/pixel-8-review.jpg",
        "https://blog.example.org/img/photo.jpg",
    ]


def test_lazy_loaded_and_srcset_images_give_the_real_picture():
    body = (
        '<article><img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg">'
        '<img srcset="/small.jpg 300w, /large.jpg 1200w, /medium.jpg 800w"></article>'
    )
    assert images_of("", body)[1] == [
        "https://blog.example.org/real.jpg",
        "https://blog.example.org/large.jpg",
    ]


def test_images_in_navigation_and_asides_are_not_candidates():
    body = '<main><nav><img src="/nav.jpg"></nav><aside><img src="/ad.jpg"></aside></main>'
    assert images_of("", body) == (None, [])


def test_a_logo_as_og_image_is_offered_last_but_never_chosen():
    head = '<meta property="og:image" content="/uploads/site-logo.png">'
    assert images_of(head) == (None, ["https://blog.example.org/uploads/site-logo.png"])
    lead, candidates = images_of(head, '<article><img src="/photo.jpg"></article>')
    assert lead == "https://blog.example.org/photo.jpg"
    assert candidates[-1].endswith("site-logo.png")


def test_candidates_are_capped_at_eight():
    body = "<article>" + "".join(f'<img src="/p{i}.jpg">' for i in range(12)) + "</article>"
    assert len(images_of("", body)[1]) == 8


def test_non_http_image_urls_are_dropped():
    head = '<meta property="og:image" content="javascript:alert(1)">'
    assert images_of(head, '<article><img src="ftp://x.org/a.jpg"></article>') == (None, [])
