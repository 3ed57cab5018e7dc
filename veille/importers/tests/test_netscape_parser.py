import datetime as dt
import io
import tracemalloc
from pathlib import Path

from veille.importers import netscape
from veille.importers.items import Bookmark, ParseError

FILES = Path(__file__).parent / "files"


def parse_file(name: str) -> list:
    with open(FILES / name, encoding="utf-8") as file:
        return list(netscape.parse(file))


def parse_text(text: str) -> list:
    return list(netscape.parse(io.StringIO(text)))


def by_url(items) -> dict[str, Bookmark]:
    return {item.url: item for item in items if isinstance(item, Bookmark)}


def test_firefox_folders_become_tags_but_the_browsers_roots_do_not():
    links = by_url(parse_file("firefox.html"))
    assert links["https://joinmastodon.org/fr"].tags == ("Veille Toulouse", "Mastodon")
    assert links["https://www.toulouse.fr/web/la-mairie"].tags == ()
    assert links["https://www.numerique.gouv.fr/"].tags == ()


def test_firefox_link_keeps_its_tags_date_and_title():
    url = (
        "https://www.ladepeche.fr/2023/11/02/toulouse-les-reseaux-sociaux-de-la-ville-rose.html"
        "?utm_source=rss"
    )
    link = by_url(parse_file("firefox.html"))[url]
    assert link.title == "Toulouse : les réseaux sociaux de la Ville rose"
    assert link.tags == ("toulouse", "réseaux sociaux", "Veille Toulouse")
    assert link.added == dt.datetime(2023, 11, 2, 8, 0, tzinfo=dt.UTC)
    assert link.line == 14


def test_firefox_place_and_javascript_links_are_read_for_the_importer_to_skip():
    urls = list(by_url(parse_file("firefox.html")))
    assert "place:parent=toolbar_____&sort=8&maxResults=10" in urls
    assert urls[-2].startswith("javascript:")
    assert not [e for e in parse_file("firefox.html") if isinstance(e, ParseError)]


def test_chrome_nested_folders_give_one_tag_each():
    links = by_url(parse_file("chrome.html"))
    assert links["https://www.touleco.fr/"].tags == ("Presse locale", "Économie")
    assert links["https://actu.fr/occitanie/toulouse_31555/"].tags == ("Presse locale",)
    assert links["https://www.laregion.fr/numerique"].tags == ()


def test_pinboard_private_links_notes_and_entities():
    items = parse_file("pinboard.html")
    links = by_url(items)
    activitypub = links["https://www.w3.org/TR/activitypub/"]
    assert activitypub.description == "The W3C recommendation behind Mastodon, PeerTube & friends."
    assert activitypub.tags == ("fediverse", "activitypub", "standards")
    assert links["https://pinboard.in/howto/"].private
    assert not activitypub.private
    page = links["https://example.org/a%20page?b=1&c=2"]
    assert page.title == 'A page with "quotes" & an ampersand'
    assert page.description == "Line one of the note,\nline two with not a tag but text."
    assert page.tags == ("#veille", "outils")


def test_shaarli_notes_keep_their_paragraphs():
    links = by_url(parse_file("shaarli.html"))
    cantine = links["https://www.lacantine-toulouse.org/"]
    assert cantine.description == (
        "Espace de coworking & d'événements numériques.\n\n"
        "Deuxième paragraphe : **programme** de novembre."
    )
    assert links["https://shaarli.example/shaare/AbCdEf"].private


def test_a_bad_date_fails_only_its_link():
    items = parse_text(
        '<DL><DT><A HREF="https://a.example/" ADD_DATE="yesterday">A</A>\n'
        '<DT><A HREF="https://b.example/" ADD_DATE="1700000000">B</A></DL>'
    )
    assert items[0] == ParseError(1, "bad date 'yesterday'")
    assert items[1].url == "https://b.example/"


def test_dates_in_milliseconds_and_microseconds_are_read():
    items = parse_text(
        '<DT><A HREF="https://a.example/" ADD_DATE="1700000000000">A</A>'
        '<DT><A HREF="https://b.example/" ADD_DATE="1700000000000000">B</A>'
    )
    assert {item.added for item in items} == {dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)}


def test_a_link_without_an_address_is_a_failure_with_its_line():
    assert parse_text("<DL>\n<DT><A>no address</A>\n</DL>") == [
        ParseError(2, "a bookmark without an address (HREF)")
    ]


def test_a_file_cut_in_a_tag_keeps_the_links_before_and_says_where():
    with open(FILES / "shaarli.html", encoding="utf-8") as file:
        text = file.read()
    cut = text[: text.index("https://framasoft.org") + 10]
    items = parse_text(cut)
    assert [type(i) for i in items] == [Bookmark, ParseError]
    assert items[0].description.startswith("Espace de coworking")
    assert items[1] == ParseError(12, "the file ends in the middle of a tag")


def test_a_file_cut_in_a_title_drops_that_link_and_says_where():
    items = parse_text(
        '<DL>\n<DT><A HREF="https://a.example/">A</A>\n<DT><A HREF="https://b.ex/">Hal'
    )
    assert [type(i) for i in items] == [Bookmark, ParseError]
    assert items[1] == ParseError(3, "the file ends in the middle of a bookmark")


def test_a_title_without_its_closing_tag_ends_at_the_next_link():
    items = parse_text(
        '<DT><A HREF="https://a.example/">A title\n<DT><A HREF="https://b.example/">B</A>'
    )
    assert [i.title for i in items] == ["A title", "B"]


def test_pocket_html_export_is_read_too():
    items = parse_text(
        '<ul><li><a href="https://a.example/" time_added="1700000000" tags="x,y">A</a></li></ul>'
    )
    assert items[0].tags == ("x", "y") and items[0].added.year == 2023


class _LazyFile:
    """A large bookmark file made as it is read: nothing of it is held in memory."""

    def __init__(self, count: int) -> None:
        self.lines = (
            f'<DT><A HREF="https://example.org/{n}" ADD_DATE="1700000000" TAGS="a,b">Link {n}</A>\n'
            f"<DD>A note about link {n}, long enough to weigh something in memory.\n"
            for n in range(count)
        )

    def read(self, size: int) -> str:
        return "".join(
            line for _n, line in zip(range(max(1, size // 120)), self.lines, strict=False)
        )


def test_memory_does_not_grow_with_the_file():
    def peak(count: int) -> int:
        tracemalloc.start()
        total = sum(1 for _item in netscape.parse(_LazyFile(count)))
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert total == count
        return top

    small, large = peak(500), peak(10_000)
    assert large < small * 1.5  # twenty times the links, about the same memory


def test_a_tag_that_never_closes_is_dropped_and_the_file_goes_on():
    runaway = '<DT><A HREF="https://a.example/" TAGS="' + "x\n" * netscape.MAX_TAG
    text = runaway + '">A</A>\n<DT><A HREF="https://b.example/">B</A>\n'
    items = list(netscape.parse(io.StringIO(text)))
    assert items[0] == ParseError(1, "a tag longer than 1 MB: skipped")
    assert items[-1].url == "https://b.example/"
    assert items[-1].line == netscape.MAX_TAG + 2  # lines are still counted


def test_an_endless_note_and_endless_folders_are_cut():
    deep = "<DT><H3>F</H3><DL>" * (netscape.MAX_DEPTH + 20)
    text = f'{deep}<DT><A HREF="https://a.example/">A</A><DD>{"blah " * 50_000}'
    link = list(netscape.parse(io.StringIO(text)))[0]
    assert len(link.description) <= netscape.MAX_NOTE
    assert link.tags == ("F",)  # one name, however deep
