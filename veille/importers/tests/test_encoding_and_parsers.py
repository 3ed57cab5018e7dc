import codecs
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.importers import netscape, pocket
from veille.importers.encoding import open_text, sniff_encoding
from veille.importers.items import Bookmark, ParseError

FRENCH = "Les réseaux sociaux à Toulouse : une année de débats, déjà très suivis. " * 20


def test_a_byte_order_mark_wins():
    assert sniff_encoding(codecs.BOM_UTF8 + b"<DL>") == "utf-8-sig"
    assert sniff_encoding(codecs.BOM_UTF16_LE + "<DL>".encode("utf-16-le")) == "utf-16"


def test_a_declared_charset_other_than_utf8_is_trusted():
    head = b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1252">'
    assert sniff_encoding(head + FRENCH.encode("cp1252")) == "cp1252"


def test_an_undeclared_latin1_file_is_read_as_windows_1252():
    assert sniff_encoding(FRENCH.encode("latin-1")) == "cp1252"
    assert sniff_encoding("Grüße aus München, schöne Straße".encode("latin-1")) == "cp1252"


def test_utf8_with_stray_latin1_bytes_reads_both(tmp_path):
    path = tmp_path / "mixed.html"
    path.write_bytes('<META charset="UTF-8">déjà '.encode() + "vu à l'école".encode("latin-1"))
    with open_text(path) as file:
        assert file.read() == '<META charset="UTF-8">déjà vu à l\'école'


def test_a_cyrillic_file_is_not_read_as_latin1(tmp_path):
    path = tmp_path / "ru.csv"
    text = "title,url\n" + "Новости социальных сетей в Тулузе,https://a.example/\n" * 30
    path.write_bytes(text.encode("cp1251"))
    with open_text(path, newline="") as file:
        assert "Новости" in file.read()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' \nDTAHREFdlh3&#;x1a")) | st.characters()))
def test_the_bookmark_reader_never_raises(text):
    for item in netscape.parse(io.StringIO(text)):
        assert isinstance(item, Bookmark | ParseError)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_the_pocket_reader_never_raises(text):
    for item in pocket.parse(io.StringIO("title,url,time_added,tags\n" + text)):
        assert isinstance(item, Bookmark | ParseError)
