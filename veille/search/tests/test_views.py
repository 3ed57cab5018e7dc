"""The search page, the search boxes, and related posts on the post page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from veille.topics import services

SCHOOL = "L'école numérique de Toulouse"


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_search_page_shows_highlighted_results(client, corpus):
    html = _get(client, "/search/?q=reseau")
    assert "2 posts found" in html
    assert "Un <mark>réseau</mark> de bibliothèques" in html
    assert corpus["Un réseau de bibliothèques"].get_absolute_url() in html


def test_the_search_page_escapes_the_query_and_results(client, corpus, marie):
    services.scoop_create(
        topic=corpus["Mastodon for newsrooms"].topic, by=marie, title="<b>Bold</b> kites"
    )
    html = _get(client, "/search/?q=kites")
    assert "&lt;b&gt;Bold&lt;/b&gt; <mark>kites</mark>" in html
    html = _get(client, "/search/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<script>alert" not in html


def test_a_topic_search_finds_only_that_topic(client, corpus):
    html = _get(client, "/search/?q=ecole&topic=villes")
    assert "1 post found" in html and "Search in Villes" in html
    assert 'name="topic" value="villes" checked' in html  # untick to search everywhere


def test_every_topic_page_has_a_search_box_for_the_topic(client, corpus):
    html = _get(client, "/topic/villes/")
    box = html.split('class="topic-search"')[1].split("</form>")[0]
    assert 'action="/search/"' in box and 'method="get"' in box
    assert '<input type="hidden" name="topic" value="villes">' in box
    assert 'name="q"' in box


def test_every_page_has_a_search_box_in_its_header(client, db):
    html = _get(client, "/")
    header = html.split('class="site-header"')[1].split("</header>")[0]
    assert 'action="/search/"' in header and 'name="topic"' not in header


def test_an_empty_search_shows_how_to_search(client, db):
    html = _get(client, "/search/")
    assert "How to search" in html and "found" not in html


def test_unreadable_filters_are_shown(client, corpus):
    html = _get(client, "/search/?q=ecole+after%3Asomeday")
    assert "Cannot read after:someday" in html and "3 posts found" in html


def test_results_pages_link_to_each_other(client, corpus, marie):
    topic = corpus["Mastodon for newsrooms"].topic
    for i in range(23):
        services.scoop_create(topic=topic, by=marie, title=f"Kite {i}")
    first = _get(client, "/search/?q=kite&topic=cities")
    assert "23 posts found · page 1 of 2" in first
    assert 'href="?q=kite&amp;topic=cities&amp;page=2"' in first and 'rel="prev"' not in first
    second = _get(client, "/search/?q=kite&topic=cities&page=2")
    assert second.count('class="search-result"') == 3
    assert 'href="?q=kite&amp;topic=cities&amp;page=1"' in second and 'rel="next"' not in second


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_results_page_query_count_does_not_grow(client, corpus, marie, curator):
    """With 10 and with 50 results: a page of 20 runs as many queries as a page of 10."""
    topic = corpus["Mastodon for newsrooms"].topic
    client.force_login(curator)
    counts, made = [], 0
    for size in (10, 50):
        for i in range(made, size):
            scoop = services.scoop_create(topic=topic, by=marie, title=f"Kite {i}", tags=[f"t{i}"])
            if i % 3 == 0:
                services.rescoop_create(origin=scoop, topic=corpus[SCHOOL].topic, by=curator)
        made = size
        assert f"{size} posts found" in _get(client, "/search/?q=kite&topic=cities")
        counts.append(_queries(client, "/search/?q=kite&topic=cities"))
    assert counts[0] == counts[1]


def test_a_post_page_shows_related_posts(client, corpus, marie):
    html = _get(client, corpus["Schools and social networks"].get_absolute_url())
    related = html.split('class="related"')[1].split("</section>")[0]
    assert "Election night in Toulouse" in related  # shares "school"
    assert "Bluesky opens its doors" in related  # shares "network"
    assert "Mastodon for newsrooms" not in related


def test_related_posts_leave_out_the_same_article(client, corpus):
    school = corpus[SCHOOL]
    html = _get(client, school.get_absolute_url())
    related = html.split('class="related"')[1].split("</section>")[0]
    assert SCHOOL not in related  # its rescoop is the same article
    assert "Un réseau de bibliothèques" in related


def test_related_posts_run_a_fixed_number_of_queries(client, corpus, marie):
    topic = corpus["Mastodon for newsrooms"].topic
    post = services.scoop_create(topic=topic, by=marie, title="Zeppelin zero", tags=["sky"])
    _queries(client, post.get_absolute_url())  # warm: view counting creates its rows
    counts = []
    for size in (1, 5):
        for i in range(size - len(counts)):
            services.scoop_create(topic=topic, by=marie, title=f"Zeppelin {size} {i}")
        html = _get(client, post.get_absolute_url())
        assert html.split('class="related"')[1].count("<li>") == size
        counts.append(_queries(client, post.get_absolute_url()))
    assert counts[0] == counts[1]


def test_a_warned_post_shows_its_warning_not_its_text_in_results(client, corpus, marie):
    services.scoop_create(
        topic=corpus["Mastodon for newsrooms"].topic,
        by=marie,
        title="Cerfs-volants au procès",
        excerpt_html="<p>Le détail des blessures des cerfs-volants</p>",
        content_warning="Blessures",
    )
    html = _get(client, "/search/?q=cerfs-volants")
    assert "Content warning: Blessures" in html
    assert "détail des blessures" not in html
