"""Page language and text decoding."""

import codecs

from veille.capture.dates import written_date
from veille.capture.decoding import decode_html, is_clearly_not_html
from veille.capture.language import detect_language, normalize_language, page_language

FRENCH = (
    "Le conseil municipal a voté mardi soir la prolongation de la ligne de tramway jusqu'à "
    "l'aéroport. Les travaux commenceront au printemps et dureront deux ans. "
) * 5
ENGLISH = (
    "The city council voted on Tuesday evening to extend the tram line to the airport. Work will "
    "begin in the spring and last two years. "
) * 5


def test_language_tags_are_normalized():
    assert normalize_language("fr-FR") == "fr"
    assert normalize_language("en_GB") == "en"
    assert normalize_language(" DE ") == "de"
    assert normalize_language("fil") is None
    assert normalize_language("") is None


def test_detection_is_restricted_to_the_given_languages():
    assert detect_language(FRENCH) == "fr"
    assert detect_language(ENGLISH) == "en"
    assert detect_language(ENGLISH, languages=("fr", "de")) in {"fr", "de"}
    assert detect_language("trop court") is None
    assert detect_language(FRENCH, languages=("xx",)) is None


def test_declared_language_wins_unless_a_long_text_is_clearly_another():
    assert page_language("en", FRENCH[:200]) == "en"
    assert page_language("en", FRENCH) == "fr"
    assert page_language("fr", FRENCH) == "fr"
    assert page_language(None, ENGLISH) == "en"


def test_content_type_charset_then_meta_then_utf8_then_detection():
    text = "<p>Café à la crème, déjà prêt</p>"
    assert decode_html(text.encode("cp1252"), "text/html; charset=windows-1252") == text
    assert decode_html(text.encode("latin-1"), "text/html; charset=ISO-8859-1") == text
    meta = '<meta charset="iso-8859-15">' + text
    assert decode_html(meta.encode("iso-8859-15")) == meta
    assert decode_html(text.encode("utf-8"), "text/html") == text
    assert decode_html(codecs.BOM_UTF8 + text.encode("utf-8"), "text/html; charset=latin1") == text


def test_latin1_labels_decode_as_windows_1252_like_browsers():
    assert decode_html(b"\x93Bonjour\x94 \x80", "text/html; charset=iso-8859-1") == "“Bonjour” €"


def test_unknown_charset_label_falls_back_to_sniffing():
    assert decode_html("élève".encode(), "text/html; charset=x-made-up") == "élève"


def test_clearly_binary_types_are_recognised():
    assert is_clearly_not_html("application/pdf")
    assert is_clearly_not_html("IMAGE/JPEG; q=1")
    assert is_clearly_not_html(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert not is_clearly_not_html("text/html; charset=utf-8")
    assert not is_clearly_not_html("application/xhtml+xml")
    assert not is_clearly_not_html("application/octet-stream")
    assert not is_clearly_not_html(None)


def test_written_dates_in_bylines():
    assert written_date("Publié le 20 août 2024 par X").isoformat() == "2024-08-20T00:00:00+00:00"
    assert written_date("Posted on March 3rd, 2024").isoformat() == "2024-03-03T00:00:00+00:00"
    assert written_date("Updated 1er janv. 2023").isoformat() == "2023-01-01T00:00:00+00:00"
    assert written_date("Un mois d'août sans pluie, jusqu'au 26 janvier") is None
    assert written_date("Omar 5, 2024") is None
    assert written_date("le 31 février 2024") is None
