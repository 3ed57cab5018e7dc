"""Feed parsing over the corpus in feeds/: every format, its namespaces, and broken feeds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from veille.sources.parse import ParseError, parse_feed

from .conftest import feed_bytes

BASE = "https://feeds.example/feed"


def parse(name: str, url: str = BASE, **options):
    return parse_feed(feed_bytes(name), url=url, **options)


def test_rss_091_latin1_with_doctype_resolves_relative_links_against_the_channel_link():
    feed = parse("rss091.xml")

    assert feed.title == "Le Journal des Réseaux"
    assert feed.language == "fr"
    assert [e.title for e in feed.entries] == [
        "Rencontre des entrepreneurs à Blagnac",
        "Le club des DRH s'agrandit",
    ]
    assert feed.entries[1].url == "https://journal-reseaux.example/2025/06/club-drh.html"
    assert feed.entries[0].summary_html == "Plus de 200 personnes attendues <b>jeudi</b> au Meett."


def test_rss_092_item_without_title_is_titled_by_its_first_words():
    feed = parse("rss092.xml")

    untitled, titled = feed.entries
    assert untitled.title.startswith("Cette semaine : la French Tech Toulouse")
    assert untitled.title.endswith("…") and len(untitled.title) <= 121
    assert untitled.image == ""  # an audio enclosure is no image
    assert titled.image == "http://podcast.example/img/41.jpg"  # the first <img>, resolved


def test_rss_10_rdf_reads_dublin_core_and_the_syndication_period():
    feed = parse("rss10.rdf")

    assert feed.title == "Science à Toulouse"
    assert feed.language == "fr"
    assert feed.ttl == 1800  # hourly, twice
    first = feed.entries[0]
    assert first.author == "Claire Martin"
    assert first.published == datetime(2025, 6, 2, 6, 30, tzinfo=UTC)
    assert first.tags == ("Espace",)
    assert first.summary_html == "Un satellite d'observation construit à Toulouse."


def test_rss_20_with_namespaces_reads_every_field():
    feed = parse("rss20.xml")

    assert feed.title == "La Dépêche Éco & Réseaux"
    assert feed.link == "https://eco.example/reseaux/"
    assert feed.ttl == 120 * 60
    first = feed.entries[0]
    assert first.title == "Les réseaux d'affaires font le plein à la rentrée"
    assert first.author == "Sophie Durand"
    assert first.tags == ("Réseaux", "Toulouse")
    assert first.guid == "https://eco.example/reseaux/?p=1201"
    assert first.published == datetime(2025, 6, 3, 7, 39, 21, tzinfo=UTC)
    assert first.language == "fr"


def test_rss_20_summary_is_sanitized_and_its_links_absolute():
    first = parse("rss20.xml").entries[0]

    assert "<script" not in first.summary_html and "alert" not in first.summary_html
    assert 'href="https://eco.example/reseaux/agenda/"' in first.summary_html
    assert 'rel="nofollow noopener noreferrer ugc"' in first.summary_html


def test_images_come_from_enclosures_media_itunes_then_the_content():
    entries = {e.title: e.image for e in parse("rss20.xml").entries}

    enclosure = "https://eco.example/wp-content/uploads/2025/06/reseaux-1200.jpg"
    assert entries["Les réseaux d'affaires font le plein à la rentrée"] == enclosure
    assert entries["Podcast : trois femmes qui font réseau"] == (
        "https://cdn.eco.example/covers/femmes.png"  # itunes:image; the mp3 is no image
    )
    assert entries["En images : le salon des entrepreneurs"] == (
        "https://cdn.eco.example/photos/salon-1.jpg"  # media:content before the pixel
    )
    assert entries["Vidéo : la minute réseau"] == "https://cdn.eco.example/videos/minute.jpg"
    assert entries["Un lien sans guid ni date"] == "https://eco.example/img/first.png"


def test_item_without_any_link_is_skipped_and_counted():
    feed = parse("rss20.xml")

    assert feed.skipped == 1
    assert "Un élément sans lien" not in [e.title for e in feed.entries]


def test_atom_10_resolves_links_against_feed_and_entry_xml_base():
    feed = parse("atom10.xml")

    assert feed.title == "Pink City Tech Blog"
    assert feed.link == "https://blog.pinkcity.example/en/"
    first, second, third = feed.entries
    assert first.url == "https://blog.pinkcity.example/en/posts/meetups-june"
    assert first.image == "https://blog.pinkcity.example/media/june.webp"
    assert 'href="https://blog.pinkcity.example/agenda"' in first.summary_html  # xhtml summary
    assert second.url == "https://fr.pinkcity.example/articles/rencontres-juin"
    assert second.image == "https://fr.pinkcity.example/articles/thumbs/juin.jpg"
    assert third.url == "https://elsewhere.example/story"


def test_atom_10_language_dates_and_text_summaries():
    first, second, third = parse("atom10.xml").entries

    assert (first.language, second.language) == ("en", "fr")
    assert first.author == "Alice Dupont"
    assert first.published == datetime(2025, 6, 3, 7, 0, tzinfo=UTC)
    assert third.published == datetime(2025, 5, 31, 3, 59, 59, tzinfo=UTC)
    assert second.summary_html == "Quatre rencontres &lt;en juin&gt;."  # type="text" stays text
    assert first.tags == ("meetups", "toulouse")


def test_atom_03():
    feed = parse("atom03.xml")

    assert feed.title == "Old Blog of the Pink City"
    (entry,) = feed.entries
    assert entry.url == "http://oldblog.example/2004/03/atom"
    assert entry.published == datetime(2004, 3, 12, 9, 0, tzinfo=UTC)
    assert entry.summary_html == "Why we syndicate."


def test_json_feed_10():
    feed = parse("jsonfeed10.json")

    assert feed.title == "Startups de la Ville Rose"
    first, second = feed.entries
    assert first.image == "https://startups.example/img/levee.jpg"
    assert first.author == "Julie"
    assert first.tags == ("financement", "startups")
    assert first.published == datetime(2025, 6, 3, 6, 0, tzinfo=UTC)
    assert second.url == "https://startups.example/2025/06/02/incubateur"  # resolved
    assert second.image == "https://startups.example/img/incubateur-banner.jpg"
    assert second.published == datetime(2025, 6, 2, 10, 0, tzinfo=UTC)


def test_json_feed_11_languages_and_attachments():
    feed = parse("jsonfeed11.json")

    assert feed.language == "en"
    first, second = feed.entries
    assert (first.language, second.language) == ("en", "fr")
    assert first.author == "Léa"
    assert second.image == "https://notes.example/files/velo.png"


def test_every_date_is_timezone_aware():
    names = ["rss10.rdf", "rss20.xml", "atom03.xml", "atom10.xml", "jsonfeed10.json"]
    dates = [e.published for name in names for e in parse(name).entries if e.published]

    assert len(dates) >= 10
    assert all(d.tzinfo is not None for d in dates)


def test_wrong_declared_encoding_is_read_as_the_bytes_really_are():
    feed = parse("wrong-encoding.xml")

    assert feed.title == "Café des réseaux"
    assert feed.entries[0].title == "Soirée à thème"
    assert feed.entries[0].summary_html == "Entrée libre, 5€."


def test_latin1_bytes_without_declaration_are_read():
    feed = parse("latin1-undeclared.xml")

    assert feed.title == "École des réseaux"
    assert feed.entries[0].title == "Journée portes ouvertes"


def test_a_header_charset_that_the_bytes_contradict_loses():
    feed = parse_feed(feed_bytes("rss20.xml"), url=BASE, charset="iso-8859-1")

    assert feed.title == "La Dépêche Éco & Réseaux"


def test_partly_broken_xml_keeps_what_can_be_read():
    feed = parse("recoverable.xml")

    assert [e.url for e in feed.entries] == ["https://broken.example/1", "https://broken.example/2"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.xml", "malformed XML at line 7: Premature end of data in tag description"),
        ("html-page.html", "not a feed: the server sent an HTML page"),
        ("empty.xml", "empty feed: the server sent no content"),
        ("sitemap-not-feed.xml", "not a feed: an XML document whose root element is <urlset>"),
    ],
)
def test_broken_feeds_raise_a_parse_error_naming_why(name, message):
    with pytest.raises(ParseError) as error:
        parse(name)

    assert str(error.value).startswith(message)


def test_malformed_json_feed_names_the_line():
    with pytest.raises(ParseError, match=r"^malformed JSON at line 3: "):
        parse_feed(b'{\n "version": "https://jsonfeed.org/version/1.1",\n "title": }', url=BASE)


def test_json_that_is_not_a_json_feed_is_refused():
    with pytest.raises(ParseError, match="a JSON document that is not a JSON Feed"):
        parse_feed(b'{"status": "ok"}', url=BASE)


def test_a_feed_without_items_is_quiet_not_broken():
    feed = parse("no-items.xml")

    assert feed.title == "Brand new blog"
    assert feed.entries == []


def test_a_body_naming_a_file_or_url_is_never_opened(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text(
        '<rss version="2.0"><channel><title>secret</title>'
        "<item><title>s</title><link>https://secret.example/</link></item></channel></rss>"
    )

    for body in (str(secret).encode(), b"http://127.0.0.1:9/feed.xml"):
        with pytest.raises(ParseError):
            parse_feed(body, url=BASE)


def test_a_gigantic_feed_is_capped_at_the_entry_limit():
    items = "".join(
        f"<item><title>Item {i}</title><link>https://big.example/{i}</link></item>"
        for i in range(2000)
    )
    body = f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()

    feed = parse_feed(body, url=BASE, max_entries=500)

    assert len(feed.entries) == 500
    assert feed.truncated
    assert feed.entries[-1].url == "https://big.example/499"


def test_feedparser_reads_what_fastfeedparser_refuses(monkeypatch):
    import fastfeedparser

    def refuse(*args, **kwargs):
        raise ValueError("fastfeedparser gave up")

    monkeypatch.setattr(fastfeedparser, "parse", refuse)

    feed = parse("rss20.xml")

    assert feed.parser == "feedparser"
    assert feed.title == "La Dépêche Éco & Réseaux"
    assert len(feed.entries) == 5
    first = feed.entries[0]
    assert first.published == datetime(2025, 6, 3, 7, 39, 21, tzinfo=UTC)
    assert first.image == "https://eco.example/wp-content/uploads/2025/06/reseaux-1200.jpg"
    assert "<script" not in first.summary_html


def test_a_future_date_is_brought_back_to_now():
    body = (
        b'<rss version="2.0"><channel><title>T</title><item><title>Later</title>'
        b"<link>https://t.example/1</link><pubDate>Sat, 01 Jan 2095 00:00:00 GMT</pubDate>"
        b"</item></channel></rss>"
    )

    entry = parse_feed(body, url=BASE).entries[0]

    assert entry.published is not None
    assert entry.published.year < 2095


def test_an_item_with_only_content_encoded_keeps_its_html():
    body = (
        b'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        b"<title>T</title><item><title>Full</title><link>https://t.example/full</link>"
        b"<content:encoded><![CDATA[<p>A <em>full</em> article</p>]]></content:encoded>"
        b"</item></channel></rss>"
    )

    entry = parse_feed(body, url=BASE).entries[0]

    assert entry.summary_html == "<p>A <em>full</em> article</p>"


def test_feed_hints_are_read_from_the_head_only():
    body = (
        b'<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>'
        b"<title>T</title><language>de-AT</language><sy:updatePeriod>daily</sy:updatePeriod>"
        b"<item><title>One</title><link>https://t.example/1</link><description>d</description>"
        b"<ttl>5</ttl></item></channel></rss>"
    )

    feed = parse_feed(body, url=BASE)

    assert (feed.language, feed.ttl) == ("de", 86400)  # the <ttl> inside an item is no hint
