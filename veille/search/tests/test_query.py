"""The search syntax and the words as search reads them (no database)."""

import datetime as dt

import pytest
from django.utils import timezone

from veille.search import text
from veille.search.query import Term, branch, parse, with_filters


def test_words_are_anded_phrases_kept_together():
    query = parse('réseau "ville rose" toulouse')
    assert query.clauses == [
        [Term(("réseau",))],
        [Term(("ville", "rose"))],
        [Term(("toulouse",))],
    ]


def test_or_joins_the_terms_around_it():
    query = parse('a OR "b c" d OR e or f')
    assert query.clauses == [
        [Term(("a",)), Term(("b", "c"))],
        [Term(("d",)), Term(("e",))],
        [Term(("or",))],
        [Term(("f",))],
    ]


def test_a_dangling_or_is_ignored():
    assert parse("OR a OR").clauses == [[Term(("a",))]]


def test_minus_excludes_words_and_phrases():
    query = parse('ecole -toulouse -"ville rose" - a-b')
    assert query.clauses == [[Term(("ecole",))], [Term(("a", "b"))]]
    assert query.excluded == [Term(("toulouse",)), Term(("ville", "rose"))]


def test_punctuated_words_become_phrases_and_unknown_fields_stay_words():
    query = parse("l'école 10:30 note:bien")
    assert [c[0].words for c in query.clauses] == [("l", "école"), ("10", "30"), ("note", "bien")]


def test_filters_are_read_and_normalized():
    query = parse(
        'topic:Toulouse-Networks curator:@Jacques tag:"#Open Data" site:WWW.LeMonde.fr/x '
        "lang:FR after:2024-01 before:2025"
    )
    filters = query.filters
    assert (filters.topics, filters.curators, filters.tags) == (
        ["toulouse-networks"],
        ["jacques"],
        ["open-data"],
    )
    assert (filters.sites, filters.configs) == (["lemonde.fr"], ["french"])
    assert filters.after == timezone.make_aware(dt.datetime(2024, 1, 1))
    assert filters.before == timezone.make_aware(dt.datetime(2025, 1, 1))
    assert not query.clauses and not query.errors


@pytest.mark.parametrize("typed", ["after:2024-13-01", "before:yesterday", "lang:xx", "tag:!!!"])
def test_unreadable_filters_are_reported(typed):
    query = parse(typed)
    assert len(query.errors) == 1 and not query.filters


def test_filters_cannot_be_excluded():
    query = parse("-tag:x ecole")
    assert query.errors and not query.filters and query.clauses == [[Term(("ecole",))]]


def test_keyword_filters_accept_objects_and_lists():
    class Topic:
        slug = "villes"

    query = with_filters(parse(""), topic=Topic(), tag=["a", "b"], after=dt.date(2024, 5, 1))
    assert query.filters.topics == ["villes"] and query.filters.tags == ["a", "b"]
    assert query.filters.after == timezone.make_aware(dt.datetime(2024, 5, 1))
    with pytest.raises(TypeError):
        with_filters(parse(""), colour="red")


def test_long_queries_are_cut():
    query = parse(" ".join(f"w{i}" for i in range(100)))
    assert len(query.clauses) == 32


def test_each_language_drops_its_own_stop_words():
    query = parse('the "de la ville" -le network')
    french, english = branch(query, "french"), branch(query, "english")
    assert french.clauses == [[("the",)], [("ville",)], [("network",)]] and french.excluded == []
    assert english.clauses == [[("de", "la", "ville")], [("network",)]]
    assert english.excluded == [("le",)]


def test_folding_and_stems():
    assert text.fold("École Œuvre Straße") == "ecole oeuvre strasse"
    assert text.key("french", "réseaux") == text.key("french", "Réseau") == "reseau"
    assert text.key("french", "école") == text.key("french", "ECOLE")
    assert text.key("english", "elections") == text.key("english", "election")
    assert text.key("english", "covid19s") == "covid19s"  # words with digits are not stemmed
    assert text.key("simple", "Réseaux") == "reseaux"
    assert text.words("l'école—e-mail_x") == ["l", "école", "e", "mail", "x"]


@pytest.mark.parametrize(
    ("scoop", "topic", "config"),
    [
        ("fr", "en", "french"),
        ("", "fr", "french"),
        ("en-GB", "fr", "english"),
        ("de", "fr", "simple"),
    ],
)
def test_a_scoop_is_indexed_in_its_language_else_its_topics(scoop, topic, config):
    assert text.config_for(scoop_language=scoop, topic_language=topic) == config
