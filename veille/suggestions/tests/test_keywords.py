"""Keyword queries: parsing and matching, in French and English, accent- and case-insensitive."""

import pytest

from veille.suggestions.keywords import All, Any, Doc, Not, QueryError, Term, matches, parse

TITLE = "Toulouse : le réseau social Choozme séduit les étudiants"
TEXT = (
    "La start-up toulousaine lance une application de rencontres professionnelles. "
    "Pas de football ici, mais du networking."
)


def doc(title=TITLE, text=TEXT):
    return Doc.of(title, text)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # words: all required, case, accents and inflections ignored
        ("toulouse", True),
        ("TOULOUSE", True),
        ("Réseau", True),
        ("reseau", True),
        ("réseaux sociaux", True),  # plural in the query, singular in the text
        ("étudiant", True),
        ("etudiants", True),
        ("professionnel", True),
        ("application", True),
        ("applications", True),
        ("toulouse mastodon", False),
        # phrases: the words side by side, in order
        ('"réseau social"', True),
        ('"reseaux sociaux"', True),
        ('"social réseau"', False),
        ('"réseau choozme"', False),
        ('"start-up toulousaine"', True),
        ("start-up", True),  # a hyphenated word is a phrase of its parts
        # OR, binding tighter than AND
        ("mastodon OR choozme", True),
        ("mastodon OR bluesky", False),
        ("mastodon | choozme", True),
        ("mastodon OR bluesky toulouse", False),
        ("mastodon OR choozme toulouse", True),
        # exclusion
        ("toulouse -football", False),
        ("toulouse -rugby", True),
        ('toulouse -"coupe du monde"', True),
        ("toulouse NOT football", False),
        ('"réseau social" toulouse -football', False),
        ('"réseau social" toulouse -rugby', True),
        # parentheses
        ("(mastodon OR choozme) (football OR rugby)", True),
        ("(mastodon OR bluesky) toulouse", False),
        ("toulouse -(rugby OR football)", False),
        ("toulouse -(rugby OR cyclisme)", True),
        # a lower-case "or" is a word (French "or", gold)
        ("mastodon or choozme", False),
    ],
)
def test_query_matches_a_french_item(query, expected):
    assert matches(parse(query), doc()) is expected


ENGLISH = Doc.of(
    "Mastodon passes 10 million accounts as users leave X",
    "The decentralized social network has grown fast; communities of researchers moved first.",
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mastodon", True),
        ("accounts", True),
        ("account", True),
        ('"social networks"', True),
        ('"social network"', True),
        ("communities", True),
        ("researcher", True),
        ("decentralised", False),  # spelling variants are different words
        ("décentralized", True),  # accents never matter
        ('"10 million"', True),
        ("twitter OR x", True),
        ("bluesky -mastodon", False),
        ('mastodon -"social network"', False),
        ("mastodon -facebook", True),
        ('"network social"', False),
    ],
)
def test_query_matches_an_english_item(query, expected):
    assert matches(parse(query), ENGLISH) is expected


def test_a_phrase_does_not_run_from_the_title_into_the_text():
    item = Doc.of("Nouveau réseau", "Social et solidaire à Toulouse")
    assert not matches(parse('"réseau social"'), item)
    assert matches(parse("réseau social"), item)


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("toulouse", Term(("toulous",), "toulouse")),
        (
            '"réseau social" toulouse -football',
            All(
                (
                    Term(("reseau", "social"), "réseau social"),
                    Term(("toulous",), "toulouse"),
                    Not(Term(("footbal",), "football")),
                )
            ),
        ),
        (
            "a1 OR b2 c3",
            All((Any((Term(("a1",), "a1"), Term(("b2",), "b2"))), Term(("c3",), "c3"))),
        ),
    ],
)
def test_parse_builds_the_expected_tree(query, tree):
    assert parse(query) == tree


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '""',
        "-football",
        "NOT football",
        "-(football OR rugby)",
        "toulouse OR -football",  # matches anything without football
        "()",
        "!!!",
    ],
)
def test_parse_refuses_queries_that_require_no_word(query):
    with pytest.raises(QueryError):
        parse(query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"réseau social', True),  # an unclosed quote ends at the end
        ("(toulouse OR paris", True),  # an unclosed parenthesis closes at the end
        ("toulouse)", True),  # a stray parenthesis is skipped
        ("OR toulouse OR", True),  # dangling operators mean nothing
        ("toulouse AND choozme", True),  # AND is the default, also accepted written
        ("toulouse OR OR paris", True),
        ("toulouse NOT", True),
    ],
)
def test_parse_forgives_small_syntax_slips(query, expected):
    assert matches(parse(query), doc()) is expected


def test_punctuation_separates_phrases_but_belongs_to_words():
    item = Doc.of("Node.js à Toulouse", "Un réseau. Social, il ne l'est pas.")
    assert matches(parse("node.js"), item)
    assert matches(parse("toulouse."), item)
    assert not matches(parse('"réseau social"'), item)


def test_parse_refuses_absurd_nesting():
    with pytest.raises(QueryError):
        parse("(" * 50 + "toulouse" + ")" * 50)
