"""Suggestions: ranking quality (precision at 10 after 0, 10 and 50 triage decisions) and ingest
throughput (new and unchanged items per second through ``ingest``).

    .venv/bin/python bench/ranking.py [--entries 20000] [--per-source 20] [--skip-ranking]
                                      [--database-url URL]

Ranking: the seed topic (veille/importers/fixtures/toulouse-networks.txt: its title, subtitle and
25 scoops, read with veille.importers.scoopit) is what the curator keeps. Its inbox receives the
labelled set of bench/ranking_data/ (held-out relevant items and unrelated or loosely related
ones, see its README) from seven feeds, published over the last two days. The simulated curator
triages from the top of the ranked inbox: keeps (scoops) the relevant, dismisses the rest; the
model is rescored after each decision, as the background task does. Precision at 10 is measured
on what is left in the inbox.

Throughput: generated entries, 20 per source (one poll each), through ``ingest`` on a throw-away
SQLite database (or an empty PostgreSQL database with --database-url); then the same entries again
(nothing new). Wall time, and CPU time of this process per item: the second holds better when
other processes share the machine, which the last line reports (Linux pressure stall information).
Prints one line per figure (copy them into bench/README.md).
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "ranking_data"
FEEDS = {
    "sport": "Sports",
    "cooking": "Cuisine",
    "politics": "Politique",
    "economy": "Politique",
    "tech": "Tech news",
    "toulouse-other": "Actu Toulouse",
    "toulouse": "Actu Toulouse",
    "other-networking": "Réseaux & entreprises",
    "other-networks-word": "Actu Toulouse",
    "science": "Magazine",
    "culture": "Magazine",
    "travel": "Magazine",
    "home": "Magazine",
}


def setup(database_url: str | None) -> None:
    os.environ["VEILLE_DATA_DIR"] = tempfile.mkdtemp(prefix="veille-bench-")
    if database_url:
        os.environ["VEILLE_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from veille.topics.models import Topic

    if Topic.objects.exists():
        sys.exit("The database is not empty: give a throw-away database to --database-url.")


def labelled() -> list[dict]:
    items = []
    for name, relevant in (("relevant.jsonl", True), ("negatives.jsonl", False)):
        for line in (DATA / name).read_text().splitlines():
            item = json.loads(line)
            item["relevant"] = relevant
            items.append(item)
    return items


def seed_topic(curator, slug: str, *, with_scoops: bool = True):
    from veille.importers import scoopit
    from veille.topics import services

    lines = (ROOT / "veille/importers/fixtures/toulouse-networks.txt").read_text().splitlines()
    events = list(scoopit.parse(lines))
    header = next(e for e in events if isinstance(e, scoopit.TopicHeader))
    topic = services.topic_create(
        by=curator, title=header.title, slug=slug, subtitle=header.subtitle, language="fr"
    )
    for item in (e for e in events if isinstance(e, scoopit.ScoopItem)) if with_scoops else ():
        services.scoop_create(
            topic=topic,
            by=curator,
            title=item.title,
            excerpt_html=item.excerpt_html,
            insight=item.insight,
        )
    return topic


def fill_inbox(topic, items: list[dict], rng: random.Random) -> dict[str, dict]:
    """Ingest the labelled items from their feeds; url -> item."""
    from django.utils import timezone

    from veille.sources.entries import FeedEntry
    from veille.sources.models import Source
    from veille.suggestions.services import ingest

    by_feed: dict[str, list] = {}
    urls = {}
    now = timezone.now()
    for number, item in enumerate(items):
        if item["category"] == "social-media":  # social media news comes from two feeds
            feed = "Tech news" if number % 2 else "Réseaux & entreprises"
        else:
            feed = FEEDS[item["category"]]
        url = f"https://{_slug(feed)}.example.org/{topic.slug}/{number}"
        urls[url] = item
        published = now - dt.timedelta(minutes=rng.randrange(48 * 60))
        entry = FeedEntry(
            url=url,
            title=item["title"],
            summary_html=f"<p>{item['summary']}</p>",
            published=published,
        )
        by_feed.setdefault(feed, []).append(entry)
    for feed, entries in by_feed.items():
        source = Source.objects.create(
            topic=topic,
            kind="feed",
            title=feed,
            url=f"https://{_slug(feed)}.example.org/{topic.slug}",
        )
        ingest(source=source, entries=entries)
    return urls


def _slug(name: str) -> str:
    return "".join(c for c in name.lower() if c.isascii() and c.isalnum())


def precision_at_10(topic, urls) -> float:
    from veille.suggestions import selectors

    top = list(selectors.inbox_page(topic=topic))[:10]
    return sum(urls[s.card.url]["relevant"] for s in top) / 10


def _relevant_left(topic, urls) -> int:
    from veille.suggestions.models import Story

    new = Story.objects.filter(topic=topic, state="new").select_related("first")
    return sum(urls[s.first.url]["relevant"] for s in new)


def _kept(topic) -> int:
    from veille.suggestions.models import Story

    return Story.objects.filter(topic=topic, state="scooped").count()


def triage(topic, curator, urls, decisions: int) -> None:
    """Decide on the top story ``decisions`` times, rescoring after each as the task would."""
    from veille.suggestions import selectors, services
    from veille.topics import services as topics

    for _ in range(decisions):
        story = next(iter(selectors.inbox_page(topic=topic)))
        item = urls[story.card.url]
        if item["relevant"]:
            scoop = topics.scoop_create(
                topic=topic,
                by=curator,
                title=item["title"],
                url=story.card.url,
                excerpt_html=f"<p>{item['summary']}</p>",
            )
            services.story_mark_scooped(story=story, scoop=scoop, by=curator)
        else:
            services.story_dismiss(story=story, by=curator)
        services.rescore_topic(topic_id=topic.pk)


def ranking_bench(curator) -> None:
    from veille.suggestions.services import rescore_topic

    items = labelled()
    relevant = sum(i["relevant"] for i in items)
    print(f"labelled set: {relevant} relevant, {len(items) - relevant} not; 25 scoops kept")
    for label, with_scoops in (("seed topic (25 scoops)", True), ("no scoop (title only)", False)):
        topic = seed_topic(curator, f"bench-{with_scoops}", with_scoops=with_scoops)
        urls = fill_inbox(topic, items, random.Random(7))
        rescore_topic(topic_id=topic.pk)
        done = 0
        for target in (0, 10, 50):
            triage(topic, curator, urls, target - done)
            done = target
            left = _relevant_left(topic, urls)
            print(
                f"ranking, {label}, after {target} decisions: P@10 "
                f"{precision_at_10(topic, urls):.1f} (best possible {min(left, 10) / 10:.1f},"
                f" {left} relevant left, {_kept(topic)} kept so far)"
            )


WORDS: list[str] = []


def generated(count: int, rng: random.Random):
    from django.utils import timezone

    from veille.sources.entries import FeedEntry

    if not WORDS:
        text = " ".join(f"{i['title']} {i['summary']}" for i in labelled())
        WORDS.extend(sorted({w.strip(".,:;!?«»()\"'") for w in text.split() if len(w) > 3}))
    now = timezone.now()
    for number in range(count):
        words = [rng.choice(WORDS) for _ in range(38)]
        yield FeedEntry(
            url=f"https://site{number % 211}.example.org/{number}/{words[0].lower()}",
            title=" ".join(words[:8]).capitalize(),
            summary_html="<p>" + " ".join(words[8:]) + f" ({number}).</p>",
            published=now - dt.timedelta(minutes=rng.randrange(3 * 24 * 60)),
        )


def throughput_bench(curator, total: int, per_source: int) -> None:
    from django.db import connection

    from veille.sources.models import Source
    from veille.suggestions.services import ingest, rescore_topic

    topic = seed_topic(curator, "bench-throughput")
    Source.objects.create(topic=topic, kind="keyword", query='"réseau social" toulouse -football')
    rescore_topic(topic_id=topic.pk)
    sources = [
        Source.objects.create(
            topic=topic, kind="feed", title=f"Feed {n}", url=f"https://feed{n}.example.org/rss"
        )
        for n in range(total // per_source)
    ]
    entries = list(generated(total, random.Random(11)))
    batches = [entries[i : i + per_source] for i in range(0, total, per_source)]
    for label in ("new", "unchanged"):
        started, cpu = time.perf_counter(), time.process_time()
        new = 0
        for source, batch in zip(sources, batches, strict=True):
            new += ingest(source=source, entries=batch).new
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"ingest on {connection.vendor}, {total} {label} entries, {per_source} per call: "
            f"{total / wall:,.0f} items/s ({wall:.1f} s; {cpu / total * 1e6:.0f} µs CPU an item;"
            f" {new} new)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--per-source", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--skip-ranking", action="store_true")
    args = parser.parse_args()
    setup(args.database_url)
    from veille.accounts.models import User

    curator = User.objects.create_user(username="bench-curator", password="x" * 12)
    if not args.skip_ranking:
        ranking_bench(curator)
    throughput_bench(curator, args.entries, args.per_source)
    print(f"machine: {os.cpu_count()} CPUs; CPU pressure {_cpu_pressure()}")


def _cpu_pressure() -> str:
    """How much of the last minute runnable work waited for a CPU (other processes' load)."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return "unknown"
    avg60 = dict(part.split("=") for part in line.split()[1:])["avg60"]
    return f"{avg60} % of the last minute (0 on an idle machine)"


if __name__ == "__main__":
    main()
