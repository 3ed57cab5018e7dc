"""Article extraction on the saved benchmark pages: how often capture gets the title, the lead
image, a date and the language right, whether the body holds the article and not the boilerplate,
and how long ``extract_article`` takes (p50, p95; the HTML is already in memory).

    .venv/bin/python bench/capture.py [--rounds 5] [--verbose]

The pages and their expected values are in bench/pages/ (written by bench/pages/make_pages.py).
Prints one line per figure (copy them into bench/README.md).
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from veille.capture.extract import extract_article  # noqa: E402

PAGES = Path(__file__).resolve().parent / "pages"


def load_pages() -> list[tuple[str, bytes, dict]]:
    expected = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
    return [(name, (PAGES / name).read_bytes(), want) for name, want in expected.items()]


def extract(data: bytes, want: dict):
    return extract_article(data, url=want["url"], content_type=want["content_type"])


def checks(article, want: dict) -> dict[str, bool]:
    text = " ".join(article.text.split())
    return {
        "title": _same(article.title, want["title"]),
        "has image": (article.image is not None) == (want["image"] is not None),
        "lead image": article.image == want["image"],
        "has date": (article.published is not None) == (want["date"] is not None),
        "right day": _day(article.published) == want["date"],
        "language": article.language == want["language"],
        "body has article": want["body_contains"] in text,
        "body without boilerplate": not any(b in text for b in want["body_excludes"]),
    }


def _day(published) -> str | None:
    """The day as the page wrote it: a declared time keeps its own offset."""
    return published.date().isoformat() if published else None


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def quality(pages, verbose: bool) -> dict[str, int]:
    totals: dict[str, int] = {}
    for name, data, want in pages:
        article = extract(data, want)
        source = f"date from {article.published_from}"
        totals[source] = totals.get(source, 0) + 1
        for check, ok in checks(article, want).items():
            totals[check] = totals.get(check, 0) + ok
            if verbose and not ok:
                print(
                    f"  MISS {check:<24} {name}: title={article.title!r} "
                    f"image={article.image!r} date={article.published} lang={article.language}"
                )
    return totals


def timings(pages, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for _name, data, want in pages:
            start = time.perf_counter()
            extract(data, want)
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    pages = load_pages()
    start = time.perf_counter()
    extract(pages[0][1], pages[0][2])
    cold = (time.perf_counter() - start) * 1000
    print(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.machine()}"
    )
    size = sum(len(data) for _, data, _ in pages)
    print(f"data: {len(pages)} pages, {size:,} bytes ({size // len(pages):,} bytes on average)")
    print(f"first extraction in the process (loads the language model): {cold:.0f} ms")
    for check, count in sorted(quality(pages, args.verbose).items()):
        print(f"{check}: {count}/{len(pages)}")
    times = timings(pages, args.rounds)
    cuts = statistics.quantiles(times, n=100)
    print(
        f"extract_article: p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms, max {max(times):.1f} ms "
        f"({len(times)} extractions, {args.rounds} rounds)"
    )


if __name__ == "__main__":
    main()
