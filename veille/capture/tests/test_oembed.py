"""oEmbed: endpoints built for known providers, answers reduced to an allow-listed iframe src."""

import json

import pytest

from veille.capture.oembed import allowed_embed_src, parse_oembed, provider_oembed

YT = "https://www.youtube.com/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DdQw4w9WgXcQ&format=json"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL1",
        "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
    ],
)
def test_youtube_urls_give_the_youtube_endpoint(url):
    assert provider_oembed(url).url == YT


def test_vimeo_and_peertube_urls_give_their_endpoints():
    assert provider_oembed("https://vimeo.com/channels/staffpicks/76979871").url == (
        "https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F76979871"
    )
    watch = "https://tube.example.fr/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d"
    assert provider_oembed(watch).url == (
        "https://tube.example.fr/services/oembed?url=https%3A%2F%2Ftube.example.fr%2Fvideos%2F"
        "watch%2F9c9de5e8-0a1e-484a-b099-e80766180a6d&format=json"
    )
    assert provider_oembed("https://tube.example.fr/w/kLmN3pQrS7tUvWxYz9AbCd").url.startswith(
        "https://tube.example.fr/services/oembed?url="
    )


@pytest.mark.parametrize(
    "url",
    ["https://www.youtube.com/feed/trending", "https://vimeo.com/about", "ftp://youtu.be/x", "x"],
)
def test_other_urls_have_no_known_endpoint(url):
    assert provider_oembed(url) is None


def answer(html: str, **fields) -> bytes:
    return json.dumps({"type": "video", "version": "1.0", "html": html, **fields}).encode()


def test_parse_oembed_reads_the_fields_and_the_allowed_iframe():
    data = answer(
        '<iframe width="200" height="113" src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed"'
        ' frameborder="0" allowfullscreen></iframe>',
        title="Never Gonna Give You Up",
        author_name="Rick Astley",
        provider_name="YouTube",
        thumbnail_url="https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg",
        width=200,
        height="113",
    )
    result = parse_oembed(data)

    assert result.title == "Never Gonna Give You Up"
    assert result.author_name == "Rick Astley"
    assert result.provider_name == "YouTube"
    assert result.thumbnail_url == "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"
    assert result.type == "video"
    assert (result.width, result.height) == (200, 113)
    assert result.embed_src == "https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed"


@pytest.mark.parametrize(
    "src",
    [
        "http://www.youtube.com/embed/abc",
        "https://evil.example/embed/abc",
        "https://www.youtube.com.evil.example/embed/abc",
        "https://www.youtube.com/watch?v=abc",
        "https://www.youtube.com/embed/",
        "https://user@www.youtube.com/embed/abc",
        "https://www.youtube.com:8443/embed/abc",
        "javascript:alert(1)",
    ],
)
def test_iframe_sources_outside_the_allow_list_are_refused(src):
    assert allowed_embed_src(f'<iframe src="{src}"></iframe>') is None


def test_vimeo_and_nocookie_players_are_allowed():
    vimeo = '<iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e#t=1"></iframe>'
    assert allowed_embed_src(vimeo) == "https://player.vimeo.com/video/76979871?h=8272103f6e"
    nocookie = '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>'
    assert allowed_embed_src(nocookie) == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def test_peertube_player_is_allowed_only_on_the_endpoint_host():
    markup = '<iframe src="https://tube.example.fr/videos/embed/9c9de5e8" sandbox></iframe>'
    endpoint = "https://tube.example.fr/services/oembed?url=x"
    assert (
        allowed_embed_src(markup, endpoint_url=endpoint)
        == "https://tube.example.fr/videos/embed/9c9de5e8"
    )
    assert allowed_embed_src(markup, endpoint_url="https://other.example/services/oembed") is None
    assert allowed_embed_src(markup) is None


def test_provider_html_without_an_iframe_has_no_embed_src_but_is_kept_for_inspection():
    result = parse_oembed(answer("<blockquote>Hi</blockquote><script src=x></script>"))
    assert result.embed_src is None
    assert result.html == "<blockquote>Hi</blockquote><script src=x></script>"


@pytest.mark.parametrize("data", [b"", b"not json", b"[1, 2]", b"null", b"\xff\xfe"])
def test_answers_that_are_not_a_json_object_give_none(data):
    assert parse_oembed(data) is None


def test_odd_field_types_are_ignored():
    result = parse_oembed(
        b'{"title": 3, "width": "wide", "height": -5, "thumbnail_url": "ftp://x/y"}'
    )
    assert result.title is None
    assert result.width is None and result.height is None
    assert result.thumbnail_url is None
    assert result.embed_src is None
