"""Write the capture benchmark corpus: articles.txt wrapped in varied, realistic page templates.

    .venv/bin/python bench/pages/make_pages.py

Writes bench/pages/NN-template-article.html and bench/pages/expected.json (what a person reading
each page would call its title, lead image, day of publication and language, a sentence of the
article body and boilerplate sentences that must not be in it). Deterministic: the same files
on every run.
"""

import json
import random
import sys
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent))

from templates import TEMPLATES  # noqa: E402

HERE = Path(__file__).resolve().parent
ASSIGNMENTS = {
    "fr-jeudis-numerique": ["wordpress", "event"],
    "fr-troisieme-ligne": ["newspaper", "amp"],
    "fr-stade-toulousain": ["liveblog", "newspaper"],
    "fr-marche-victor-hugo": ["drupal", "twitter_only", "css_background"],
    "fr-drones-agricoles": ["ghost", "nextjs"],
    "fr-reseau-velo": ["drupal", "legacy_table"],
    "fr-abattoirs-expo": ["gallery", "wordpress"],
    "fr-ia-redactions": ["ghost", "substack"],
    "fr-garonne-etiage": ["newspaper", "static_blog"],
    "fr-semi-marathon": ["wordpress", "gallery"],
    "fr-budget-participatif": ["legacy_table", "static_blog"],
    "fr-club-lecture": ["static_blog", "wordpress_wrong_lang"],
    "fr-communique-lumiere": ["press", "static_blog"],
    "fr-forum-fibre": ["phpbb", "discourse"],
    "fr-festival-lanternes": ["peertube", "amp"],
    "en-meetup-return": ["ghost", "medium"],
    "en-leeds-bike-lanes": ["newspaper", "amp"],
    "en-pelican-release": ["twitter_only", "nextjs"],
    "en-stadium-promotion": ["liveblog", "newspaper"],
    "en-museum-reopens": ["wordpress", "gallery"],
    "en-keyboard-review": ["wordpress", "medium"],
    "en-datacentre-pool": ["substack", "static_blog"],
    "en-satellite-launch": ["nextjs", "youtube_blog"],
    "en-jazz-festival": ["youtube_blog", "drupal", "css_background"],
    "en-coworking-towns": ["medium", "substack", "spa_shell"],
    "en-forum-django-migrations": ["discourse", "phpbb"],
    "en-readme-tidyfeed": ["readme"],
    "en-press-partnership": ["press", "wordpress"],
}


def read_articles(path: Path) -> dict[str, dict]:
    articles = {}
    for chunk in path.read_text(encoding="utf-8").split("\n=== ")[1:]:
        head, _, body = chunk.partition("\n\n")
        lines = head.splitlines()
        article = {"id": lines[0].strip()}
        for line in lines[1:]:
            key, _, value = line.partition(":")
            article[key.strip()] = value.strip()
        article["tags"] = [tag.strip() for tag in article["tags"].split(",")]
        article["paragraphs"] = [p.replace("\n", " ").strip() for p in body.split("\n\n") if p]
        articles[article["id"]] = article
    return articles


def body_sentence(article: dict) -> str:
    """Eight words from the middle of the second text paragraph: must be in the extracted text."""
    texts = [p for p in article["paragraphs"] if not p.startswith("## ")]
    words = texts[1 if len(texts) > 1 else 0].split()
    middle = max(0, len(words) // 2 - 4)
    return " ".join(words[middle : middle + 8])


def main() -> None:
    articles = read_articles(HERE / "articles.txt")
    for old in HERE.glob("*.html"):
        old.unlink()
    expected = {}
    number = 0
    for article_id, templates in ASSIGNMENTS.items():
        article = articles[article_id]
        others = [o for o in articles.values() if o["lang"] == article["lang"] and o is not article]
        for template in templates:
            number += 1
            rng = random.Random(f"{article_id}/{template}")
            page = TEMPLATES[template](article, rng, rng.sample(others, 4))
            name = f"{number:02d}-{template}-{article_id}.html"
            encoding = page.get("encoding", "utf-8")
            (HERE / name).write_bytes(page["html"].encode(encoding, errors="xmlcharrefreplace"))
            image = page.get("image", "")
            expected[name] = {
                "url": page["url"],
                "content_type": page.get("content_type", "text/html; charset=utf-8"),
                "title": page.get("title", article["title"]),
                "image": urljoin(page["url"], image) if image else None,
                "date": article["date"][:10]
                if page.get("has_date", bool(article["date"]))
                else None,
                "language": article["lang"],
                "body_contains": page.get("body_contains", body_sentence(article)),
                "body_excludes": page.get("body_excludes", []),
            }
    (HERE / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{number} pages written to {HERE}")


if __name__ == "__main__":
    main()
