"""extract_article on the saved pages: each field a curator relies on."""

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veille.capture.extract import NotAnArticle, extract_article, summary, title_from_url

from .saved_pages import extract_page

PARIS_WINTER = timezone(timedelta(hours=1))


def assert_sanitized(html: str) -> None:
    assert "<script" not in html and "<style" not in html
    assert not re.search(r"\son\w+\s*=", html), "an event handler attribute survived"


def test_french_article_reads_every_field_from_its_metadata():
    article = extract_page("fr_article_full")

    assert article.title == "Les Jeudis du Numérique reviennent au Quai des Savoirs"
    assert article.canonical_url == "https://www.toulouse-reseaux.fr/agenda/jeudis-du-numerique/"
    assert article.site_name == "Toulouse Réseaux"
    assert article.author == "Claire Fabre"
    assert article.description.startswith("Chaque deuxième jeudi du mois")
    assert article.published == datetime(2024, 3, 14, 18, 30, tzinfo=PARIS_WINTER)
    assert article.published_from == "metadata"
    assert article.modified == datetime(2024, 3, 15, 9, 12, tzinfo=PARIS_WINTER)
    assert article.image == (
        "https://www.toulouse-reseaux.fr/wp-content/uploads/2024/03/jeudis-numerique-1200x630.jpg"
    )
    assert article.images[1].endswith("/soiree-quai-des-savoirs.jpg")
    assert article.language == "fr"
    assert article.favicon.endswith("/cropped-favicon-32x32.png")
    assert article.keywords[:3] == ["réseautage", "numérique", "Toulouse"]
    assert "soirées" in article.keywords
    assert article.paywalled is False
    assert article.oembed is None


def test_french_article_body_keeps_structure_and_drops_scripts():
    article = extract_page("fr_article_full")

    assert 240 <= article.word_count <= 300
    assert article.reading_minutes == 2
    assert "Un format court, puis la conversation" in article.text
    assert "publicité" not in article.text
    assert "Mentions légales" not in article.text
    assert "<h2>Un format court, puis la conversation</h2>" in article.html
    assert "<li>Entrée gratuite" in article.html
    assert 'href="https://www.toulouse-reseaux.fr/dossiers/jeunes-pousses/"' in article.html
    assert 'src="https://www.toulouse-reseaux.fr/wp-content/uploads/2024/03/soiree-' in article.html
    assert_sanitized(article.html)


def test_english_article_follows_jsonld_graph_references_and_strips_site_from_og_title():
    article = extract_page("en_article_full")

    assert article.title == "What makes people come back to a community meetup"
    assert article.author == "Rachel Okafor"
    assert article.site_name == "Community Notes"
    assert article.canonical_url == "https://communitynotes.blog/meetups-that-last/"
    assert article.published == datetime(2024, 3, 2, 8, 0, tzinfo=UTC)
    assert article.published_from == "metadata"
    assert article.language == "en"
    assert article.favicon == "https://communitynotes.blog/favicon.png"
    assert article.keywords == ["meetups", "community", "events"]
    assert 200 <= article.word_count <= 240


def test_english_article_prefers_secure_image_and_lists_each_candidate_once():
    article = extract_page("en_article_full")

    assert article.image == "https://communitynotes.blog/content/images/2024/03/meetup-crowd.jpg"
    assert article.images == [
        "https://communitynotes.blog/content/images/2024/03/meetup-crowd.jpg",
        "https://communitynotes.blog/content/images/2024/03/meetup-crowd-twitter.jpg",
        "https://communitynotes.blog/content/images/2024/03/meetup-talk.jpg",
    ]


def test_page_without_metadata_falls_back_on_title_heading_url_date_and_text():
    article = extract_page("no_metadata")

    assert article.title == "Le marché de plein vent déménage place Saint-Pierre"
    assert article.canonical_url is None
    assert article.site_name == "petitjournal-quartier.fr"
    assert article.author is None
    assert article.published == datetime(2023, 11, 5, tzinfo=UTC)
    assert article.published_from == "guessed"
    assert (
        article.image
        == "https://petitjournal-quartier.fr/2023/11/05/photos/marche-saint-pierre.jpg"
    )
    assert article.language == "fr"
    assert article.description.startswith("À partir du mois prochain, le marché")
    assert len(article.description) <= 300
    assert article.favicon == "https://petitjournal-quartier.fr/favicon.ico"
    assert 130 <= article.word_count <= 160


def test_paywalled_page_is_flagged_from_its_jsonld():
    article = extract_page("paywalled")

    assert article.paywalled is True
    assert article.author == "Hugo Massat"
    assert article.word_count < 80
    assert "réservé aux abonnés" not in article.text


def test_paywall_marker_only_counts_on_a_short_text():
    teaser = "<p>Le conseil se réunit jeudi pour examiner le budget de l'année prochaine.</p>"
    wall = '<div class="paywall">Abonnez-vous</div>'
    locked = f"<html><body><article>{teaser}{wall}</article></body></html>"
    long_text = "<p>" + "Une phrase complète sur le budget de la ville. " * 80 + "</p>"
    template = '<html><body><article>{}<div class="paywall"></div></article></body></html>'

    assert extract_article(locked, url="https://example.org/a").paywalled is True
    assert (
        extract_article(template.format(long_text), url="https://example.org/a").paywalled is False
    )


def test_video_page_announces_its_oembed_endpoint():
    article = extract_page("video_oembed")

    assert article.oembed is not None
    assert article.oembed.url == (
        "https://video.tube-occitanie.example/services/oembed?url="
        "https%3A%2F%2Fvideo.tube-occitanie.example%2Fw%2FkLmN3pQrS7tUvWxYz9AbCd"
    )
    assert article.oembed.format == "json"
    assert article.title == "Le festival des Lanternes illumine le parc du Ritouret"
    assert article.image == "https://video.tube-occitanie.example/lazy-static/previews/0f3a1b2c.jpg"
    assert article.published == datetime(2024, 12, 6, tzinfo=UTC)
    assert article.published_from == "guessed"


def test_youtube_url_gets_an_oembed_endpoint_without_a_link_tag():
    html = "<html><head><title>Video</title></head><body><p>A video.</p></body></html>"
    article = extract_article(html, url="https://youtu.be/dQw4w9WgXcQ?t=42")

    assert article.oembed is not None
    assert article.oembed.url == (
        "https://www.youtube.com/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3D"
        "dQw4w9WgXcQ&format=json"
    )


BOILERPLATE = [
    "We use cookies",
    "Get the day's essential local news",
    "About time. We have been asking",
    "Dave from Hull",
    "Most read",
    "Late header seals promotion",
    "Bus lane cameras to be switched on",
    "Ring road closed",
    "Share on Facebook",
    "Privacy policy",
    "Rugby league",
]


def test_boilerplate_page_body_holds_the_story_and_nothing_around_it():
    article = extract_page("boilerplate")

    assert article.text.startswith("Leeds City Council has approved plans")
    assert article.text.endswith("will be published for consultation over the summer.")
    for phrase in BOILERPLATE:
        assert phrase not in article.text, phrase
        assert phrase not in article.html, phrase
    assert 180 <= article.word_count <= 200
    assert article.author == "Daniel Hughes"
    assert article.site_name == "Yorkshire Evening Chronicle"
    assert article.title == "Councillors approve eleven miles of protected bike lanes across Leeds"
    assert_sanitized(article.html)


def test_latin1_page_is_decoded_from_the_content_type_charset():
    article = extract_page("latin1", content_type="text/html; charset=ISO-8859-1")

    assert article.title == "La médiathèque ouvre le dimanche à partir de septembre"
    assert "médiathèque Françoise-Sagan" in article.text
    assert "« Le dimanche, les familles ont enfin le temps de flâner" in article.text
    assert "\ufffd" not in article.text
    assert article.language == "fr"
    assert article.published == datetime(2024, 6, 28, tzinfo=UTC)
    assert article.published_from == "guessed"


def test_latin1_page_without_any_charset_is_detected():
    declared = extract_page("latin1", content_type="text/html; charset=ISO-8859-1")
    detected = extract_page("latin1", content_type=None)

    assert detected.text == declared.text
    assert detected.title == declared.title


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "video/mp4"])
def test_content_types_that_are_not_html_raise_not_an_article(content_type):
    with pytest.raises(NotAnArticle, match=re.escape(f"not an HTML page ({content_type})")):
        extract_article(b"%PDF-1.7", url="https://example.org/x", content_type=content_type)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "",
        "   ",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        bytes(range(256)) * 40,
        b"\xff\xfe\x00",
    ],
)
def test_bad_input_gives_an_article_titled_from_the_url(data):
    article = extract_article(data, url="https://example.org/rapports/rapport-annuel_2023.pdf")

    assert article.title == "Rapport annuel 2023"
    assert article.text == "" and article.html == ""
    assert article.word_count == 0 and article.reading_minutes == 0
    assert article.site_name == "example.org"


def test_plain_text_content_type_is_still_read():
    article = extract_article(
        "Un simple texte sans balises, servi comme du texte brut par un serveur mal réglé.",
        url="https://example.org/notes/lisez-moi.txt",
        content_type="text/plain; charset=utf-8",
    )

    assert "servi comme du texte brut" in article.text
    assert article.title == "Lisez moi"


def test_title_from_url_uses_the_host_when_the_path_is_empty():
    assert title_from_url("https://www.example.org/") == "example.org"
    assert (
        title_from_url("https://example.org/blog/2024/mon%20billet_du-jour/")
        == "Mon billet du jour"
    )


def test_summary_stops_at_a_sentence_within_300_characters():
    text = ("Une phrase qui raconte quelque chose de précis sur la ville. " * 10).strip()
    result = summary(text)

    assert len(result) <= 300
    assert result.endswith("ville.")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=2000),
        st.lists(
            st.sampled_from(
                [
                    "<p>",
                    "</p>",
                    "<meta property='og:image' content='",
                    "<title>",
                    "<html lang='",
                    "<script type='application/ld+json'>{",
                    "<a href='javascript:x'>",
                    "<img src=",
                    "é",
                    "\x00",
                    "<!--",
                    "<![CDATA[",
                    "&#0;",
                    "<?xml encoding='latin-1'?>",
                    "Texte. ",
                ]
            ),
            max_size=60,
        ).map("".join),
    ),
    content_type=st.sampled_from([None, "text/html", "text/html; charset=bogus", "text/plain"]),
)
def test_extraction_never_raises_on_arbitrary_input(data, content_type):
    article = extract_article(data, url="https://example.org/page", content_type=content_type)

    assert article.title
    assert article.reading_minutes >= (1 if article.text else 0)
