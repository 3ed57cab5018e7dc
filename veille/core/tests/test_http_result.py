"""FetchResult.text(): the declared charset, the document's own, else UTF-8, else a guess."""

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from veille.core.http import FetchResult


def result(body: bytes, charset: str | None = None) -> FetchResult:
    return FetchResult(
        url="https://example.org/",
        final_url="https://example.org/",
        status=200,
        headers=CIMultiDictProxy(CIMultiDict()),
        body=body,
        content_type="text/html",
        charset=charset,
    )


def test_text_uses_the_charset_of_the_content_type_header():
    assert result("Bientôt l'été".encode("latin-1"), "iso-8859-1").text() == "Bientôt l'été"


def test_text_uses_the_charset_declared_in_the_document():
    html = '<html><head><META charset="windows-1252"></head><p>“Réseaux”</p>'
    assert "“Réseaux”" in result(html.encode("cp1252")).text()
    xml = '<?xml version="1.0" encoding="ISO-8859-15"?><rss><title>Coût €</title></rss>'
    assert "Coût €" in result(xml.encode("iso-8859-15")).text()


def test_text_defaults_to_utf8_and_guesses_otherwise():
    assert result("Réseautage de la Ville Rose".encode()).text() == "Réseautage de la Ville Rose"
    french = "Le réseautage à Toulouse : où se rencontrer, échanger et coopérer cet été. " * 5
    assert result(french.encode("cp1252")).text() == french
    russian = "Привет! Это обзор новостей о сетях и сообществах Тулузы за неделю. " * 3
    assert result(russian.encode("cp1251")).text() == russian


def test_text_survives_an_unknown_charset_name():
    assert result(b"plain words", "x-no-such-charset").text() == "plain words"


@pytest.mark.parametrize(("status", "ok"), [(200, True), (204, True), (304, False), (404, False)])
def test_ok_means_a_2xx_status(status, ok):
    page = result(b"")
    page.status = status
    assert page.ok is ok
