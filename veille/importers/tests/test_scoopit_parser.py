import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veille.importers import scoopit
from veille.importers.scoopit import ParseError, ScoopItem, TopicHeader
from veille.importers.tests.pages import (
    FIRST,
    FIRST_LINE,
    HEADER,
    SECOND,
    SECOND_LINE,
    SEED,
    THIRD,
    THIRD_LINE,
)

PARIS = ZoneInfo("Europe/Paris")


def events(text: str, **kwargs) -> list:
    return list(scoopit.parse(io.StringIO(text), **kwargs))


def items(text: str, **kwargs) -> list[ScoopItem]:
    return [e for e in events(text, **kwargs) if isinstance(e, ScoopItem)]


def errors(text: str) -> list[ParseError]:
    return [e for e in events(text) if isinstance(e, ParseError)]


@pytest.fixture(scope="module")
def seed() -> list:
    with open(SEED, encoding="utf-8") as file:
        summary = scoopit.summarize(file)
    with open(SEED, encoding="utf-8") as file:
        return list(scoopit.parse(file, year=summary.year, tz=PARIS))


def test_seed_header_has_title_subtitle_and_views(seed):
    header = seed[0]
    assert header == TopicHeader(
        title="Toulouse networks",
        subtitle="Networking in Toulouse - Réseautage de la Ville Rose",
        views=44700,
        views_text="44.7K views | +0 today",
        line=1,
    )


def test_seed_gives_25_scoops_without_errors(seed):
    scoops = [e for e in seed if isinstance(e, ScoopItem)]
    assert len(scoops) == 25
    assert not [e for e in seed if isinstance(e, ParseError)]
    assert scoops[0].title == "Mastodon, le premier réseau social véritablement social ?"
    assert scoops[0].line == 8
    assert "Skiller vise 100 000 membres pour fin 2016" in [s.title for s in scoops]
    assert {s.curator for s in scoops} == {"Jacques Le Bris"}


def test_seed_has_four_insights_by_its_curator(seed):
    insights = [e.insight for e in seed if isinstance(e, ScoopItem) and e.insight]
    assert len(insights) == 4
    assert "Des pros comme vous ne les voyez jamais ailleurs" in insights


def test_seed_curator_insights_have_names_dates_and_texts(seed):
    others = {o.name: o for e in seed if isinstance(e, ScoopItem) for o in e.other_insights}
    assert set(others) == {"David Ahnine CM", "Patrick Bouillaud", "Marie Morgane Taupiac"}
    marie = others["Marie Morgane Taupiac"]
    assert marie.date_text == "March 30, 2015 4:10 PM"
    assert marie.published_at == dt.datetime(2015, 3, 30, 16, 10, tzinfo=PARIS)
    # no year on the page: the year of the newest date that has one (2015)
    assert others["David Ahnine CM"].published_at == dt.datetime(2015, 2, 7, 13, 2, tzinfo=PARIS)
    assert others["Patrick Bouillaud"].date_text == "January 12, 8:42 AM"
    assert others["Patrick Bouillaud"].text == "A prendre au sérieux , ce n'est pas un Joke ...."


def test_seed_excerpts_keep_lists(seed):
    by_title = {e.title: e for e in seed if isinstance(e, ScoopItem)}
    figures = by_title["Les 50 chiffres à connaître sur les médias sociaux en 2017"].excerpt_html
    assert "<ul><li>2,307 milliards de personnes utilisent les réseaux sociaux</li>" in figures
    rules = by_title["Entreprises : les bonnes pratiques pour réussir sur les médias sociaux"]
    assert "<ol><li>Interagir avec tout le monde." in rules.excerpt_html
    assert "<li>Varier se publications." in rules.excerpt_html


def test_seed_image_alt_line_is_not_part_of_the_excerpt(seed):
    first = seed[1]
    assert first.image_alt.endswith("| Toulouse networks | Scoop.it")
    assert "Scoop.it" not in first.excerpt_html
    assert first.excerpt_html.startswith("<p>Vous avez peut-être entendu parler de Mastodon")


def test_summary_knows_keys_dates_curators_and_year():
    with open(SEED, encoding="utf-8") as file:
        summary = scoopit.summarize(file)
    assert len(summary.keys) == len(set(summary.keys)) == 25
    assert summary.curators == ["Jacques Le Bris"]
    assert summary.year == 2015
    assert len(summary.dates) == 3


def test_small_page_gives_insight_comment_count_and_curator_insight():
    first, second, third = items(HEADER + FIRST + SECOND + THIRD, year=2020)
    assert (first.title, first.insight, first.comment_count) == ("First title", "My insight", 3)
    assert first.excerpt_html == "<p>First paragraph.</p>\n<ul><li>one</li><li>two</li></ul>"
    (bob,) = second.other_insights
    assert (bob.name, bob.text, bob.line) == ("Bob Other", "Bob's words.", SECOND_LINE + 7)
    assert bob.published_at == dt.datetime(2016, 3, 2, 9, 5, tzinfo=dt.UTC)
    assert third.comment_count == 0
    assert [s.line for s in (first, second, third)] == [FIRST_LINE, SECOND_LINE, THIRD_LINE]


def test_one_comment_is_a_comment_count():
    (item,) = items(HEADER + FIRST.replace("3 comments", "1 comment"))
    assert item.comment_count == 1


def test_missing_scoop_it_line_is_reported_with_its_line_and_the_rest_is_kept():
    broken = SECOND.replace("Scoop.it!\n", "Something else\n")
    text = HEADER + FIRST + broken + THIRD
    assert [str(e) for e in errors(text)] == [
        f"line {SECOND_LINE + 1}: 'Scoop.it!' expected after 'Scooped by'"
    ]
    assert [i.title for i in items(text)] == ["First title", "Third title"]


def test_scoop_without_more_is_reported_at_the_next_scooped_by():
    text = HEADER + FIRST + SECOND.replace("more...\n", "") + THIRD
    (error,) = errors(text)
    assert error.line == THIRD_LINE - 1  # one line less: the removed 'more...'
    assert f"the scoop of line {SECOND_LINE} is skipped" in error.message
    assert [i.title for i in items(text)] == ["First title", "Third title"]


def test_page_cut_short_reports_the_last_scoop():
    text = HEADER + FIRST + "Scooped by Ann Curator\nScoop.it!\n\nLast title\n\nText\n"
    (error,) = errors(text)
    assert error.message == f"the scoop of line {SECOND_LINE} ends without 'more...'"
    assert [i.title for i in items(text)] == ["First title"]


def test_unexpected_text_after_the_comments_is_reported():
    text = HEADER + FIRST + "Stray line\n" + THIRD
    (error,) = errors(text)
    assert error.line == SECOND_LINE
    assert [i.title for i in items(text)] == ["First title", "Third title"]


def test_page_without_title_reports_line_1_and_still_reads_scoops():
    text = FIRST + THIRD
    assert [e.line for e in errors(text)] == [1]
    assert [i.title for i in items(text)] == ["First title", "Third title"]


def test_empty_file_is_an_error_on_line_1():
    assert [str(e) for e in errors("")] == ["line 1: topic title expected at the top of the page"]


@pytest.mark.parametrize(
    ("text", "views"),
    [
        ("44.7K views | +0 today", 44700),
        ("1,234 views", 1234),
        ("2M views", 2_000_000),
        ("12 view", 12),
        ("Follow", None),
        ("1.2.3K views", None),
    ],
)
def test_view_counts_are_read(text, views):
    assert scoopit.parse_views(text) == views


def test_import_key_ignores_case_accents_punctuation_and_spacing():
    key = scoopit.import_key("Présidentielle 2017: les candidats")
    assert key == scoopit.import_key("  presidentielle 2017 - LES candidats !")
    assert len(key) == 64
    assert key != scoopit.import_key("Présidentielle 2017: les candidats", 1)


def test_key_maker_numbers_repeated_titles():
    make_key = scoopit.KeyMaker()
    keys = [make_key("Same"), make_key("Other"), make_key("same!")]
    assert keys == [
        scoopit.import_key("Same"),
        scoopit.import_key("Other"),
        scoopit.import_key("Same", 1),
    ]


# --- properties -------------------------------------------------------------------------------

MARKERS = [
    "Scooped by Ann",
    "Scoop.it!",
    "more...",
    "No comment yet.",
    "2 comments",
    "Ann's insight:",
    "Bob's curator insight, May 1, 3:04 PM",
    "",
    "Title | Topic | Scoop.it",
    "- item",
    "1. item",
    "44.7K views | +0 today",
    "Your new post is loading...",
]
LINES = st.lists(st.one_of(st.sampled_from(MARKERS), st.text(max_size=40)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(lines=LINES)
def test_parser_never_raises_and_reports_errors_with_line_numbers(lines):
    text = "\n".join(lines)
    count = max(1, len(list(io.StringIO(text))))
    result = events(text, year=2017)
    assert all(isinstance(e, TopicHeader | ScoopItem | ParseError) for e in result)
    assert [type(e) for e in result].count(TopicHeader) == 1
    first_item = next((i for i, e in enumerate(result) if isinstance(e, ScoopItem)), len(result))
    assert any(isinstance(e, TopicHeader) for e in result[:first_item])
    for event in result:
        if isinstance(event, ParseError | ScoopItem):
            assert 1 <= event.line <= count
        if isinstance(event, ScoopItem):
            assert event.title.strip()
    scoopit.summarize(io.StringIO(text))


WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzéàçABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    min_size=1,
    max_size=10,
)
PLAIN_LINE = (
    st.lists(WORD, min_size=1, max_size=6)
    .map(" ".join)
    .filter(lambda line: not scoopit._is_marker(line))
)
SCOOP = st.fixed_dictionaries(
    {
        "title": PLAIN_LINE,
        "paragraphs": st.lists(PLAIN_LINE, max_size=4),
        "insight": st.one_of(st.just(""), PLAIN_LINE),
        "others": st.lists(st.tuples(PLAIN_LINE, st.integers(1, 28), PLAIN_LINE), max_size=2),
        "comments": st.integers(0, 3),
    }
)


def render(scoop: dict) -> str:
    lines = [
        "Scooped by Ann Curator",
        "Scoop.it!",
        "",
        scoop["title"],
        "",
        f"{scoop['title']} | Topic | Scoop.it",
        "",
    ]
    for paragraph in scoop["paragraphs"]:
        lines += [paragraph, ""]
    if scoop["insight"]:
        lines += ["Ann Curator's insight:", scoop["insight"]]
    lines.append("more...")
    lines.append(
        {0: "No comment yet.", 1: "1 comment"}.get(
            scoop["comments"], f"{scoop['comments']} comments"
        )
    )
    for name, day, text in scoop["others"]:
        lines += [f"{name}'s curator insight, May {day}, 3:04 PM", "", text, ""]
    return "\n".join(lines) + "\n"


@settings(max_examples=100, deadline=None)
@given(scoops=st.lists(SCOOP, max_size=5))
def test_parser_reads_back_what_a_page_says(scoops):
    text = "Topic\n12 views | +0 today\n" + "".join(render(s) for s in scoops)
    result = items(text, year=2017)
    assert not errors(text)
    assert [i.title for i in result] == [s["title"] for s in scoops]
    for item, scoop in zip(result, scoops, strict=True):
        assert item.insight == scoop["insight"]
        assert item.comment_count == scoop["comments"]
        assert item.excerpt_html == "\n".join(f"<p>{p}</p>" for p in scoop["paragraphs"])
        assert [(o.name, o.published_at.day, o.text) for o in item.other_insights] == [
            (name, day, text) for name, day, text in scoop["others"]
        ]
