"""The saved test pages and the URLs they pretend to come from."""

from pathlib import Path

from veille.capture.extract import Article, extract_article

PAGES = Path(__file__).resolve().parent / "pages"
URLS = {
    "fr_article_full": "https://www.toulouse-reseaux.fr/agenda/jeudis-du-numerique/?utm_source=lettre",
    "en_article_full": "https://communitynotes.blog/meetups-that-last/",
    "no_metadata": "https://petitjournal-quartier.fr/2023/11/05/marche-saint-pierre.html",
    "paywalled": "https://www.courrierdumidi.fr/metropole/budget-energie_8812.html",
    "video_oembed": "https://video.tube-occitanie.example/w/kLmN3pQrS7tUvWxYz9AbCd",
    "boilerplate": "https://www.yorkshirechronicle.co.uk/news/leeds-bike-lanes-4521",
    "latin1": "http://www.ville-saint-aubin.fr/actualites/article.php?id=312",
}


def page_bytes(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


def extract_page(name: str, content_type: str | None = "text/html") -> Article:
    return extract_article(page_bytes(name), url=URLS[name], content_type=content_type)
