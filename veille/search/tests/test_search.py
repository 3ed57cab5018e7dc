"""What a search finds, in French and English. The expectations are written once and the suite
runs on SQLite and on PostgreSQL (VEILLE_TEST_BACKEND=postgres): both must find the same posts."""

import datetime as dt

import pytest

from veille.search import selectors
from veille.search.tests.conftest import day

SCHOOL = "L'école numérique de Toulouse"
LIBRARIES = "Un réseau de bibliothèques"
ELECTIONS_FR = "Élections municipales : les candidats"
ELECTION_EN = "Election night in Toulouse"
SCHOOLS = "Schools and social networks"
ECOLE_NORMALE = "The Ecole Normale campus"
MASTODON = "Mastodon for newsrooms"
BLUESKY = "Bluesky opens its doors"


def found(q: str = "", **filters) -> list[str]:
    page = selectors.search(q=q, per_page=100, **filters)
    return sorted(f"{r.scoop.topic.slug}/{r.scoop.title}" for r in page.results)


V, C = "villes/", "cities/"

CASES = [
    # accents, both ways, in both languages (the rescoop in "cities" is indexed in English)
    ("ecole", [C + SCHOOL, C + ECOLE_NORMALE, V + SCHOOL]),
    ("école", [C + SCHOOL, C + ECOLE_NORMALE, V + SCHOOL]),
    ("ÉCOLE", [C + SCHOOL, C + ECOLE_NORMALE, V + SCHOOL]),
    # stems: French plural and singular meet in French posts only
    ("réseaux", [C + SCHOOL, V + LIBRARIES, V + SCHOOL]),
    ("réseau", [V + LIBRARIES, V + SCHOOL]),
    ("reseau", [V + LIBRARIES, V + SCHOOL]),
    ("elections", [C + ELECTION_EN, V + ELECTIONS_FR]),
    ("election", [C + ELECTION_EN, V + ELECTIONS_FR]),
    ("schools", [C + ELECTION_EN, C + SCHOOLS]),
    ("networks", [C + BLUESKY, C + SCHOOLS]),
    ("engineer", [C + ECOLE_NORMALE]),  # from the insight
    # phrases, OR, exclusion
    ('"ville rose"', [V + LIBRARIES]),
    ('"rose ville"', []),
    ('"school by school"', [C + ELECTION_EN]),
    ("mastodon OR bluesky", [C + BLUESKY, C + MASTODON]),
    ("toulouse mastodon OR election", [C + ELECTION_EN, V + ELECTIONS_FR]),
    ("ecole -toulouse", [C + ECOLE_NORMALE]),
    ('réseau -"ville rose"', [V + SCHOOL]),
    ("the of", []),  # stop words only
    # filters
    ("toulouse topic:cities", [C + ELECTION_EN, C + SCHOOL]),
    ("ecole curator:marie", [C + SCHOOL, C + ECOLE_NORMALE]),
    ("ecole curator:Marie", [C + SCHOOL, C + ECOLE_NORMALE]),
    ("tag:education", [C + SCHOOL, C + SCHOOLS, V + SCHOOL]),
    ("tag:éducation tag:culture", []),
    ("site:lemonde.fr", [V + LIBRARIES, V + ELECTIONS_FR]),
    ("site:https://www.ladepeche.fr/", [C + SCHOOL, V + SCHOOL]),
    ("lang:fr ecole", [V + SCHOOL]),
    ("lang:en ecole", [C + SCHOOL, C + ECOLE_NORMALE]),
    ("elections after:2024-01-01", [C + ELECTION_EN, V + ELECTIONS_FR]),
    ("elections after:2024-01-20", [C + ELECTION_EN]),
    ("elections before:2024-02", [V + ELECTIONS_FR]),
    ("topic:cities -school", [C + BLUESKY, C + SCHOOL, C + MASTODON, C + ECOLE_NORMALE]),
    ("toulouse OR bluesky after:2024 -election", [C + SCHOOL, V + SCHOOL]),
]


@pytest.mark.parametrize(("q", "expected"), CASES, ids=[q for q, _ in CASES])
def test_search_finds(corpus, q, expected):
    assert found(q) == sorted(expected)


def test_drafts_are_never_found(corpus):
    assert "villes/École en brouillon" not in found("ecole")
    assert found("brouillon") == []


def test_filters_as_keyword_arguments_match_the_syntax(corpus, marie):
    cities = corpus[ELECTION_EN].topic
    assert found("toulouse", topic="cities") == found("toulouse topic:cities")
    assert found("toulouse", topic=cities) == found("toulouse topic:cities")
    assert found("ecole", curator=marie) == found("ecole curator:marie")
    assert found("", tag="education") == found("tag:education")
    assert found("", site="lemonde.fr") == found("site:lemonde.fr")
    assert found("ecole", lang="fr") == [V + SCHOOL]
    assert found("elections", after=dt.date(2024, 1, 20)) == [C + ELECTION_EN]
    assert found("elections", before="2024-02") == [V + ELECTIONS_FR]


def test_keyword_filters_add_to_the_written_ones(corpus):
    assert found("toulouse topic:cities", lang="fr") == []


def test_unreadable_filters_are_reported_not_guessed(corpus):
    page = selectors.search(q="ecole after:someday lang:klingon")
    assert len(page.query.errors) == 2
    assert page.total == 3  # the words still search


def test_an_empty_query_finds_nothing(corpus):
    page = selectors.search(q="   ")
    assert page.query.is_empty and page.results == [] and page.total == 0


def test_a_title_match_ranks_above_an_excerpt_match(corpus, marie):
    from veille.topics import services

    cities = corpus[ELECTION_EN].topic
    services.scoop_create(
        topic=cities, by=marie, title="Weekly links", excerpt_html="<p>Rugby.</p>"
    )
    services.scoop_create(topic=cities, by=marie, title="Rugby in the city")
    results = selectors.search(q="rugby").results
    assert [r.scoop.title for r in results] == ["Rugby in the city", "Weekly links"]
    assert results[0].score > results[1].score > 0


def test_words_only_newest_first_when_no_word_is_given(corpus):
    page = selectors.search(q="topic:villes")
    assert [r.scoop.title for r in page.results] == [SCHOOL, ELECTIONS_FR, LIBRARIES]


def test_results_are_paginated_with_the_total(corpus):
    first = selectors.search(q="ecole", per_page=2)
    second = selectors.search(q="ecole", per_page=2, page=2)
    assert (first.total, second.total) == (3, 3)
    assert (len(first.results), len(second.results)) == (2, 1)
    assert first.has_next and not second.has_next and second.has_previous
    ids = {r.scoop.pk for r in first.results + second.results}
    assert len(ids) == 3


def test_highlights_mark_the_original_words(corpus):
    result = selectors.search(q="reseau", lang="fr", topic="villes").results
    titles = {r.scoop.title: r for r in result}
    assert str(titles[LIBRARIES].title_html) == "Un <mark>réseau</mark> de bibliothèques"
    assert "<mark>réseaux</mark> sociaux" in titles[SCHOOL].snippet_html


def test_highlights_escape_html(corpus, marie):
    from veille.topics import services

    services.scoop_create(
        topic=corpus[ELECTION_EN].topic,
        by=marie,
        title="<script>alert(1)</script> Fish & chips",
        excerpt_html="<p>Chips &lt;b&gt;with&lt;/b&gt; vinegar &amp; salt.</p>",
    )
    (result,) = selectors.search(q="chips").results
    assert str(result.title_html) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; Fish &amp; <mark>chips</mark>"
    )
    assert str(result.snippet_html) == (
        "<mark>Chips</mark> &lt;b&gt;with&lt;/b&gt; vinegar &amp; salt."
    )


def test_a_snippet_is_a_window_around_the_matches(corpus, marie):
    from veille.topics import services

    words = " ".join(f"word{i}" for i in range(100))
    services.scoop_create(
        topic=corpus[ELECTION_EN].topic,
        by=marie,
        title="Long read",
        excerpt_html=f"<p>{words} zeppelin {words}</p>",
    )
    (result,) = selectors.search(q="zeppelin").results
    snippet = str(result.snippet_html)
    assert snippet.startswith("… word94 ") and snippet.endswith(" …")
    assert "<mark>zeppelin</mark>" in snippet and len(snippet.split()) < 40


def test_published_dates_bound_by_day_in_the_site_time_zone(corpus):
    assert day("2024-01-15T10:00") == corpus[ELECTIONS_FR].published_at
    assert found("elections after:2024-01-15") == [C + ELECTION_EN, V + ELECTIONS_FR]
    assert found("elections after:2024-01-16") == [C + ELECTION_EN]


def test_newest_ranks_only_the_most_recent_matches(corpus):
    from veille.search.backends import backend
    from veille.search.query import parse

    every = {hit.scoop_id for hit in backend().search(parse("ecole"), offset=0, limit=10).hits}
    newest = backend().search(parse("ecole"), offset=0, limit=10, newest=2).hits
    assert {hit.scoop_id for hit in newest} == set(sorted(every)[-2:])
