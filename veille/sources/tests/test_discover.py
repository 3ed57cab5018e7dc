"""Discovery of what to follow at a URL, and polling of sites and sitemaps, on a local server."""

from __future__ import annotations

import gzip

import pytest

from veille.sources.discover import DiscoveryError, discover_sync
from veille.sources.pages import article_links, read
from veille.sources.poller import poll_due

from .conftest import feed_bytes, make_rss

ARTICLES = """<html><head><title>Le Blog Rose</title></head><body>
<nav><a href="/2025/06/menu-link-that-looks-like-an-article/">Menu link looking like one</a></nav>
<header><a href="/a-propos">À propos de nous</a></header>
<main>
  <article><a href="/2025/06/03/la-rentree-des-reseaux/"><img src="x.jpg" alt=""></a>
    <h2><a href="/2025/06/03/la-rentree-des-reseaux/">La rentrée des réseaux toulousains</a>
    </h2></article>
  <article><h2><a href="/articles/un-club-de-dirigeants-a-blagnac">
    Un club de dirigeants à Blagnac</a></h2></article>
  <article><h2><a href="/news/84213-le-salon-des-entrepreneurs">
    Le salon des entrepreneurs ouvre</a></h2></article>
  <a href="/tag/reseaux/">Tous les articles sur les réseaux</a>
  <a href="/category/agenda-des-rencontres-pro/">La catégorie agenda des rencontres</a>
  <a href="https://elsewhere.example/2025/06/03/other-site-article">An article on another site</a>
  <a href="/2025/06/short/">Court</a>
  <a href="/files/rapport-annuel-2025.pdf">Le rapport annuel 2025 en PDF</a>
</main>
<footer><a href="/2025/05/footer-article-link-here/">A footer link to an old article</a></footer>
</body></html>"""


def test_article_links_are_same_site_headlines_outside_navigation():
    page = read(ARTICLES.encode(), "https://blog.example/")

    links = article_links(page)

    assert [(e.url, e.title) for e in links] == [
        (
            "https://blog.example/2025/06/03/la-rentree-des-reseaux/",
            "La rentrée des réseaux toulousains",
        ),
        (
            "https://blog.example/articles/un-club-de-dirigeants-a-blagnac",
            "Un club de dirigeants à Blagnac",
        ),
        (
            "https://blog.example/news/84213-le-salon-des-entrepreneurs",
            "Le salon des entrepreneurs ouvre",
        ),
    ]


def discover(url):
    (found,) = discover_sync([url])
    if isinstance(found, DiscoveryError):
        raise found
    return found


def test_a_feed_url_is_followed_as_it_is(local_site):
    local_site.add("/rss", feed_bytes("rss20.xml"), content_type="application/rss+xml")

    (found,) = discover(local_site.url("/rss"))

    assert (found.kind, found.url, found.title) == (
        "feed",
        local_site.url("/rss"),
        "La Dépêche Éco & Réseaux",
    )


def test_a_page_gives_the_feeds_it_advertises_without_comment_feeds(local_site):
    local_site.add(
        "/blog/",
        "<html><head><title>Blog</title>"
        '<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">'
        '<link rel="alternate" type="application/rss+xml" title="Blog » Flux" href="feed.xml">'
        '<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
        '<link rel="alternate" type="application/feed+json" href="/feed.json">'
        '<link rel="alternate" hreflang="fr" href="/fr/"></head><body></body></html>',
    )

    found = discover(local_site.url("/blog/"))

    assert [(f.kind, f.url) for f in found] == [
        ("feed", local_site.url("/blog/feed.xml")),
        ("feed", local_site.url("/atom.xml")),
        ("feed", local_site.url("/feed.json")),
    ]
    assert found[0].title == "Blog » Flux"


def test_without_feed_links_the_well_known_feed_path_is_tried(local_site):
    local_site.add("/", "<html><head><title>Quiet</title></head><body>Hello</body></html>")
    local_site.add("/feed", make_rss("Hidden", []), content_type="application/rss+xml")

    (found,) = discover(local_site.url("/"))

    assert (found.kind, found.url) == ("feed", local_site.url("/feed"))
    assert sorted(p for p in local_site.hits if p != "/") == ["/feed", "/rss.xml"]


def test_a_guessed_path_answering_with_a_page_is_no_feed(local_site):
    page = "<html><head><title>Soft 404</title></head><body>Not here</body></html>"
    local_site.add("/", ARTICLES)
    local_site.add("/feed", page)
    local_site.add("/rss.xml", page)

    (found,) = discover(local_site.url("/"))

    assert (found.kind, found.url, found.title) == ("site", local_site.url("/"), "Le Blog Rose")


def test_a_page_without_feeds_or_articles_falls_back_on_the_robots_sitemap(local_site):
    local_site.add("/", "<html><body><p>Just a page</p></body></html>")
    sitemap = local_site.url("/maps/site.xml")
    local_site.add(
        "/robots.txt", f"User-agent: *\nDisallow:\nSitemap: {sitemap}\n", content_type="text/plain"
    )
    local_site.add("/maps/site.xml", _urlset(["/a-first-page"]), content_type="application/xml")

    (found,) = discover(local_site.url("/"))

    assert (found.kind, found.url) == ("sitemap", sitemap)


def test_then_on_sitemap_xml(local_site):
    local_site.add("/", "<html><body><p>Just a page</p></body></html>")
    local_site.add("/sitemap.xml", _urlset(["/page"]), content_type="application/xml")

    (found,) = discover(local_site.url("/"))

    assert (found.kind, found.url) == ("sitemap", local_site.url("/sitemap.xml"))


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        (
            "/nothing",
            "<html><body><p>Nothing</p></body></html>",
            200,
            "no feed, sitemap or article",
        ),
        ("/missing", "", 404, "answered HTTP 404"),
        ("/broken.xml", feed_bytes("malformed.xml"), 200, "malformed XML at line 7"),
    ],
)
def test_discovery_errors_say_why(local_site, path, body, status, message):
    local_site.add(
        path, body, status=status, content_type="text/html" if "html" in str(body) else "text/xml"
    )

    with pytest.raises(DiscoveryError, match=message):
        discover(local_site.url(path))


def test_discovery_goes_through_the_guarded_client(settings):
    settings.FETCH_ALLOW_HOSTS = []

    with pytest.raises(DiscoveryError, match="refused: 127.0.0.1 is a loopback address"):
        discover("http://127.0.0.1:9/")


def _urlset(paths, *, lastmods=None, base="https://site.example") -> bytes:
    urls = "".join(
        f"<url><loc>{base}{p}</loc>{f'<lastmod>{m}</lastmod>' if m else ''}</url>"
        for p, m in zip(paths, lastmods or [None] * len(paths), strict=True)
    )
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


@pytest.mark.django_db
def test_a_site_source_is_polled_for_its_article_links(local_site, make_source, ingestion):
    local_site.add("/", ARTICLES)
    source = make_source(local_site.url("/"), kind="site")

    report = poll_due()

    assert report.updated == 1
    assert ingestion.urls(source)[0] == local_site.url("/2025/06/03/la-rentree-des-reseaux/")
    source.refresh_from_db()
    assert source.title == "Le Blog Rose"


@pytest.mark.django_db
def test_a_sitemap_index_is_followed_to_its_newest_sitemaps(local_site, make_source, ingestion):
    children = [
        ("2025-03", "2025-03-31"),
        ("2025-06", "2025-06-03"),
        ("2025-05", "2025-05-31"),
        ("2025-04", "2025-04-30"),
    ]
    index = "".join(
        f"<sitemap><loc>{local_site.url(f'/sm-{name}.xml.gz')}</loc><lastmod>{day}</lastmod></sitemap>"
        for name, day in children
    )
    local_site.add(
        "/sitemap_index.xml",
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>',
        content_type="application/xml",
    )
    for name, day in children:
        body = _urlset([f"/{name}/une-page-de-{name}"], lastmods=[day])
        local_site.add(f"/sm-{name}.xml.gz", gzip.compress(body), content_type="application/x-gzip")
    source = make_source(local_site.url("/sitemap_index.xml"), kind="sitemap")

    poll_due()

    got = ingestion.urls(source)
    assert got == [
        "https://site.example/2025-06/une-page-de-2025-06",
        "https://site.example/2025-05/une-page-de-2025-05",
        "https://site.example/2025-04/une-page-de-2025-04",
    ]
    assert "/sm-2025-03.xml.gz" not in local_site.hits  # only the three newest
