"""The page's own metadata: OpenGraph, Twitter cards, JSON-LD, <link> tags."""

from datetime import UTC, datetime

from veille.capture import metadata as meta
from veille.capture.extract import parse_html

URL = "https://news.example.org/section/story.html"


def page_of(head: str = "", body: str = "<p>Texte.</p>", url: str = URL) -> meta.Page:
    tree = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
    return meta.read_page(tree, url)


def ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


def test_site_name_suffix_is_stripped_from_title_only_when_it_names_the_site():
    assert meta.strip_site_name("Budget voté | Le Courrier", "Le Courrier", "x.fr") == "Budget voté"
    assert meta.strip_site_name("Le Courrier - Budget voté", "Le Courrier", "x.fr") == "Budget voté"
    assert meta.strip_site_name("Budget — A - B", "Autre", "x.fr") == "Budget — A - B"
    assert meta.strip_site_name("Article · Lumea Énergies", "", "lumea-energies.fr") == "Article"
    assert meta.strip_site_name("Covid-19 - la suite", "Site", "site.fr") == "Covid-19 - la suite"


def test_site_name_is_not_taken_for_a_headline_that_mentions_it():
    title = "Lumea - Lumea Énergies et la métropole signent un contrat"
    assert meta.strip_site_name(title, "Lumea", "lumea.fr") == (
        "Lumea Énergies et la métropole signent un contrat"
    )


def test_title_prefers_og_then_twitter_then_jsonld_then_title_element():
    head = '<meta name="twitter:title" content="Twitter"><title>Élément</title>'
    assert meta.title(page_of(head), "Site") == "Twitter"
    assert (
        meta.title(page_of(ld('{"@type":"Article","headline":"LD"}') + "<title>T</title>"), "")
        == "LD"
    )
    assert meta.title(page_of("<title>Élément | Site</title>"), "Site") == "Élément"
    assert meta.title(page_of("", "<h1> Le titre\n du h1 </h1>"), "Site") == "Le titre du h1"


def test_title_element_is_cut_at_a_heading_it_repeats():
    head = "<title>Débit fibre divisé par trois - Forum Box &amp; Réseaux</title>"
    page = page_of(head, "<h1>Forum Box</h1><h2>Débit fibre divisé par trois</h2>")
    assert meta.title(page, "forum.example") == "Débit fibre divisé par trois"


def test_canonical_is_resolved_and_must_be_http():
    assert meta.canonical_url(page_of('<link rel="canonical" href="/a/b?x=1">')) == (
        "https://news.example.org/a/b?x=1"
    )
    head = (
        '<link rel="canonical" href="javascript:alert(1)">'
        '<meta property="og:url" content="//cdn.example.org/c">'
    )
    assert meta.canonical_url(page_of(head)) == "https://cdn.example.org/c"
    main_entity = ld(
        '{"@type":"NewsArticle","mainEntityOfPage":{"@type":"WebPage","@id":"https://x.org/p"}}'
    )
    assert meta.canonical_url(page_of(main_entity)) == "https://x.org/p"
    assert meta.canonical_url(page_of('<link rel="canonical" href="ftp://x.org/f">')) is None


def test_base_href_resolves_relative_urls():
    page = page_of('<base href="https://static.example.net/site/"><link rel="icon" href="i.png">')
    assert meta.favicon(page) == "https://static.example.net/site/i.png"


def test_author_skips_profile_urls_and_joins_jsonld_names():
    head = '<meta property="article:author" content="https://facebook.com/someone">'
    names = ld('{"@type":"BlogPosting","author":[{"name":"Ana"},{"name":"Bob"},"Ana"]}')
    assert meta.author(page_of(head + names)) == "Ana, Bob"
    assert meta.author(page_of('<meta name="author" content="Par Jeanne Roux">')) == "Jeanne Roux"
    assert meta.author(page_of(head)) is None


def test_jsonld_blocks_that_do_not_parse_are_skipped():
    head = ld('{"@type": "NewsArticle", "headline": "Cassé",}') + ld(
        '[{"@type":"WebSite","name":"Le Site"},{"@type":"Article","headline":"Bon"}]'
    )
    page = page_of(head)
    assert meta.title(page, "") == "Bon"
    assert meta.site_name(page) == "Le Site"


def test_jsonld_types_are_recognised_with_prefixes_and_lists():
    head = ld('{"@type":["schema:ReportageNewsArticle"],"headline":"Préfixé"}')
    assert meta.title(page_of(head), "") == "Préfixé"


def test_published_date_order_and_timezone_handling():
    head = '<meta property="article:published_time" content="2024-05-01T10:00:00Z">' + ld(
        '{"@type":"NewsArticle","datePublished":"2023-01-01"}'
    )
    assert meta.published(page_of(head)) == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert meta.published(page_of(ld('{"@type":"NewsArticle","datePublished":"2023-02-03"}'))) == (
        datetime(2023, 2, 3, tzinfo=UTC)
    )
    itemprop = (
        '<time itemprop="datePublished" datetime="2022-07-14T08:00:00+02:00">14 juillet</time>'
    )
    assert meta.published(page_of("", itemprop)).isoformat() == "2022-07-14T08:00:00+02:00"
    assert meta.published(page_of('<meta name="date" content="not a date">')) is None


def test_declared_language_is_normalized_to_two_letters():
    assert meta.declared_language(page_of('<meta property="og:locale" content="fr_FR">')) == "fr"
    equiv = '<meta http-equiv="content-language" content="en-GB, fr">'
    assert meta.declared_language(page_of(equiv)) == "en"


def test_keywords_merge_sources_once_each():
    head = (
        '<meta name="keywords" content="vélo, Mobilité , vélo">'
        '<meta property="article:tag" content="mobilité">'
        + ld('{"@type":"Article","keywords":"transports,vélo"}')
    )
    assert meta.keywords(page_of(head)) == ["vélo", "Mobilité", "transports"]


def test_favicon_prefers_icon_then_apple_touch_then_favicon_ico():
    apple = '<link rel="apple-touch-icon" href="/apple.png">'
    assert meta.favicon(page_of(apple + '<link rel="shortcut icon" href="/f.ico">')).endswith(
        "/f.ico"
    )
    assert meta.favicon(page_of(apple)) == "https://news.example.org/apple.png"
    assert meta.favicon(page_of()) == "https://news.example.org/favicon.ico"


def test_paywall_is_declared_by_is_accessible_for_free_false():
    assert meta.paywall_declared(page_of(ld('{"@type":"NewsArticle","isAccessibleForFree":false}')))
    part = '{"@type":"NewsArticle","hasPart":[{"@type":"Thing","isAccessibleForFree":"False"}]}'
    assert meta.paywall_declared(page_of(ld(part)))
    assert not meta.paywall_declared(
        page_of(ld('{"@type":"NewsArticle","isAccessibleForFree":true}'))
    )
