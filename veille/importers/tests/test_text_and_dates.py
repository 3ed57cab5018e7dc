import datetime as dt

import pytest

from veille.importers.dates import PageDate, newest, page_year, plan_published_at, read_date
from veille.importers.text import text_to_html, tidy_text

UTC = dt.UTC


def test_blank_lines_separate_paragraphs_and_single_breaks_are_kept():
    html = text_to_html(["One", "still one", "", "\u00a0", "Two"])
    assert html == "<p>One<br>still one</p>\n<p>Two</p>"


def test_bullets_make_one_list_even_across_blank_lines():
    html = text_to_html(["Intro", "  • a", "", "- b", "Outro"])
    assert html == "<p>Intro</p>\n<ul><li>a</li><li>b</li></ul>\n<p>Outro</p>"


def test_numbered_items_make_an_ordered_list_that_keeps_its_numbers():
    html = text_to_html(["1. first", "", "2. second", "Text", "3. third"])
    assert html == (
        '<ol><li>first</li><li>second</li></ol>\n<p>Text</p>\n<ol start="3"><li>third</li></ol>'
    )


def test_a_star_footnote_is_not_a_list_item():
    assert text_to_html(["* Monthly users"]) == "<p>* Monthly users</p>"


def test_text_is_escaped_and_addresses_become_links():
    html = text_to_html(["<b>x</b> see http://example.org/a?b=1&c=2."])
    assert html == (
        '<p>&lt;b&gt;x&lt;/b&gt; see <a href="http://example.org/a?b=1&amp;c=2">'
        "http://example.org/a?b=1&amp;c=2</a>.</p>"
    )


def test_tidy_text_drops_outer_spaces_and_blank_runs():
    assert tidy_text(["", "  a  ", "", "\u00a0", "", "b", ""]) == "a\n\nb"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("March 30, 2015 4:10 PM", PageDate(2015, 3, 30, 16, 10)),
        ("February 7, 1:02 PM", PageDate(None, 2, 7, 13, 2)),
        ("January 12, 8:42 AM", PageDate(None, 1, 12, 8, 42)),
        ("Dec 1, 2019 12:05 AM", PageDate(2019, 12, 1, 0, 5)),
        ("Sept. 3, 2014", PageDate(2014, 9, 3, 0, 0)),
        ("Smarch 3, 2014", None),
        ("March 3, 13:00 PM", None),
        ("yesterday", None),
    ],
)
def test_dates_are_read_as_written(text, date):
    assert read_date(text) == date


def test_a_yearless_date_takes_the_given_year_and_an_impossible_one_is_none():
    assert PageDate(None, 2, 7, 13, 2).resolve(default_year=2017, tz=UTC) == dt.datetime(
        2017, 2, 7, 13, 2, tzinfo=UTC
    )
    assert PageDate(None, 2, 7).resolve(default_year=None, tz=UTC) is None
    assert PageDate(2015, 2, 30).resolve(default_year=None, tz=UTC) is None


def test_page_year_and_newest_date():
    dates = [PageDate(None, 12, 1), PageDate(2014, 1, 1), PageDate(2015, 3, 30)]
    assert page_year(dates) == 2015
    assert newest(dates, default_year=2015, tz=UTC) == dt.datetime(2015, 12, 1, tzinfo=UTC)
    assert page_year([PageDate(None, 1, 1)]) is None


def at(minute: int) -> dt.datetime:
    return dt.datetime(2020, 1, 1, 12, minute, tzinfo=UTC)


def test_plan_spaces_new_scoops_down_from_the_anchor():
    assert plan_published_at(["a", "b", "c"], existing={}, anchor=at(30)) == {
        "a": at(30),
        "b": at(29),
        "c": at(28),
    }


def test_plan_keeps_existing_dates_and_fits_new_scoops_between_them():
    plan = plan_published_at(
        ["new-top", "a", "new-mid", "b", "new-bottom"],
        existing={"a": at(40), "b": at(20)},
        anchor=at(10),
    )
    assert plan["a"] == at(40) and plan["b"] == at(20)
    assert plan["new-top"] > at(40)  # above the kept ones even when the anchor is older
    assert plan["new-mid"] == at(30)
    assert plan["new-bottom"] == at(19)
    ordered = sorted(plan, key=plan.__getitem__, reverse=True)
    assert ordered == ["new-top", "a", "new-mid", "b", "new-bottom"]
