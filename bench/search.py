"""Search speed: index build time and query latency (p50, p95) on generated scoops, on SQLite and
on PostgreSQL.

    .venv/bin/python bench/search.py [--scoops 100000] [--queries 400] [--backend both]

Generates French and English scoops (titles, excerpts, insights, tags, sources; an archived text
for a third of them) from the word frequencies of the saved article pages in bench/pages/ (the
frequent words) and generated words (the long tail: a real vocabulary has tens of thousands of
words, each rare), inserts them with bulk_create, builds the index with the rebuild service
(timed), then times a mix of queries through the search service (ranked ids, cards, snippets:
what the search page and the command line run), once to warm the caches and once measured.
SQLite uses a throw-away data directory; PostgreSQL a database ``veille_bench_search`` on the
local server (VEILLE_BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres),
created here and dropped at the end.
Prints one line per figure (copy them into bench/README.md).
"""

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "bench" / "pages"
BENCH_DB = "veille_bench_search"
SERVER_URL = os.environ.get(
    "VEILLE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TAIL_WORDS = 40_000  # generated words per language, after the real ones
SYLLABLES = {
    "fr": "ba be ri sou lé mon tar vi quel dé gra pon teau tion ment eur elle ique ais ou"
    " ran che lon mi sé tra vau cla bri fon oi gne",
    "en": "ing er tion ly con pro ver stan ble ment ter al ex pre com dis ad ow ith"
    " strat bor lin mar cap ner sh ock ay",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scoops", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run(args.child, args.scoops, args.queries)
        return
    print(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.machine()}"
    )
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        # One process per backend: Django reads its database settings once.
        child = [sys.executable, __file__, "--child", backend, "--scoops", str(args.scoops)]
        subprocess.run([*child, "--queries", str(args.queries)], check=True)


# --- the corpus -------------------------------------------------------------------------------


def vocabulary(language: str) -> tuple[list[str], list[float]]:
    """Words and cumulative Zipf weights: real words by frequency, then generated ones (the
    same ones on every run: the queries pick from the corpus's own words)."""
    rng = random.Random(language)
    expected = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for name, want in expected.items():
        if want["language"] == language:
            for word in re.findall(r"[^\W\d_]{2,}", _page_text(PAGES / name)):
                counts[word.lower()] = counts.get(word.lower(), 0) + 1
    words = sorted(counts, key=counts.get, reverse=True)
    syllables, known = SYLLABLES[language].split(), set(words)
    while len(words) < len(counts) + TAIL_WORDS:
        word = "".join(rng.choices(syllables, k=rng.randint(2, 4)))
        if word not in known:
            known.add(word)
            words.append(word)
    total, cumulative = 0.0, []
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


def _page_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        page = data.decode("utf-8")
    except UnicodeDecodeError:  # a few pages are in windows-1252, as on the web
        page = data.decode("cp1252", errors="replace")
    return re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", page)


class Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.vocab = {lang: vocabulary(lang) for lang in ("fr", "en")}

    def words(self, language: str, count: int) -> list[str]:
        words, cumulative = self.vocab[language]
        return self.rng.choices(words, cum_weights=cumulative, k=count)

    def sentence(self, language: str, low: int, high: int) -> str:
        text = " ".join(self.words(language, self.rng.randint(low, high)))
        return text[:1].upper() + text[1:] + "."


def populate(count: int, rng: random.Random) -> None:
    from django.db import transaction

    writer = Writer(rng)
    world = _world(writer, rng)
    for start in range(0, count, 2000):
        with transaction.atomic():
            _batch(writer, rng, world, range(start, min(count, start + 2000)))


def _world(writer: Writer, rng: random.Random) -> dict:
    """Curators, topics (French or English), tags and source domains."""
    from veille.accounts.models import User
    from veille.topics.models import Curator, Role, Tag, Topic

    users = User.objects.bulk_create(
        [User(username=f"curator{i}", display_name=f"Curator {i}") for i in range(40)]
    )
    languages = [rng.choice(["fr", "en"]) for _ in range(60)]
    topics = Topic.objects.bulk_create(
        [
            Topic(slug=f"topic-{i}", title=f"Topic {i}", language=lang)
            for i, lang in enumerate(languages)
        ]
    )
    Curator.objects.bulk_create(
        [Curator(topic=t, user=users[i % 40], role=Role.OWNER) for i, t in enumerate(topics)]
    )
    names = writer.words("fr", 150) + writer.words("en", 150)
    tags = Tag.objects.bulk_create([Tag(name=w, slug=f"{w}-{i}") for i, w in enumerate(names)])
    domains = [f"{w}.{rng.choice(['fr', 'com', 'org', 'net'])}" for w in writer.words("en", 300)]
    return {"users": users, "topics": topics, "tags": tags, "domains": domains}


def _batch(writer: Writer, rng: random.Random, world: dict, numbers: range) -> None:
    from django.utils import timezone

    from veille.capture.models import Archive
    from veille.topics.models import Scoop

    now = timezone.now()
    scoops = Scoop.objects.bulk_create([_scoop(writer, rng, world, now, i) for i in numbers])
    Scoop.tags.through.objects.bulk_create(
        [
            Scoop.tags.through(scoop_id=scoop.pk, tag_id=tag.pk)
            for scoop in scoops
            for tag in {rng.choice(world["tags"]) for _ in range(rng.randint(0, 3))}
        ]
    )
    Archive.objects.bulk_create(
        [_archive(writer, rng, scoop, now) for scoop in scoops if rng.random() < 1 / 3]
    )


def _scoop(writer: Writer, rng: random.Random, world: dict, now, i: int):
    import datetime as dt

    from veille.topics.models import Scoop

    topic = rng.choice(world["topics"])
    language = rng.choice([topic.language] * 8 + ["fr", "en"])  # some articles in the other
    insight = writer.sentence(language, 0, 30) if rng.random() < 0.6 else ""
    return Scoop(
        topic=topic,
        curator=rng.choice(world["users"]),
        title=writer.sentence(language, 5, 11)[:-1],
        slug=f"scoop-{i}",
        source_url=f"https://{rng.choice(world['domains'])}/{i}",
        language=language if rng.random() < 0.7 else "",  # else the topic's
        excerpt_html=f"<p>{writer.sentence(language, 25, 50)}</p>",
        insight_markdown=insight,
        insight_html=f"<p>{insight}</p>" if insight else "",
        status="published" if rng.random() < 0.95 else "draft",
        published_at=now - dt.timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60)),
    )


def _archive(writer, rng, scoop, now):
    from veille.capture.models import Archive

    language = scoop.language or scoop.topic.language
    text = " ".join(writer.sentence(language, 8, 20) for _ in range(rng.randint(10, 25)))
    return Archive(scoop=scoop, final_url=scoop.source_url, text=text, html="", fetched_at=now)


# --- the queries ------------------------------------------------------------------------------


KINDS = ["word", "word", "two words", "phrase", "or", "exclusion", "filters", "filter only"]


def query_mix(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, query): content words of every frequency, the way people type them."""
    from veille.topics.models import Scoop

    picker = Picker(rng)
    titles = list(Scoop.objects.order_by("?").values_list("title", flat=True)[:count])
    return [
        (KINDS[i % 8], picker.query(KINDS[i % 8], titles[i % len(titles)])) for i in range(count)
    ]


class Picker:
    def __init__(self, rng: random.Random):
        self.rng, self.writer = rng, Writer(rng)

    def word(self, language: str) -> str:
        """A content word, its frequency rank log-uniform between 30 and 20,000."""
        from veille.search import text

        words, _ = self.writer.vocab[language]
        while True:
            candidate = words[int(30 * (20_000 / 30) ** self.rng.random())]
            if len(candidate) > 3 and not text.is_stopword(text.CONFIGS[language], candidate):
                return candidate

    def query(self, kind: str, title: str) -> str:
        lang, rng = self.rng.choice(["fr", "en"]), self.rng
        word = lambda: self.word(lang)  # noqa: E731
        topic = f"topic:topic-{rng.randint(0, 59)}"
        return {
            "word": lambda: word(),
            "two words": lambda: f"{word()} {word()}",
            "phrase": lambda: '"' + " ".join(title.split()[1:3]) + '"',
            "or": lambda: f"{word()} OR {word()}",
            "exclusion": lambda: f"{word()} -{word()}",
            "filters": lambda: f"{word()} lang:{lang} after:2023-01-01 {topic}",
            "filter only": lambda: f"{topic} after:2024-01-01",
        }[kind]()


def percentiles(times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=100)
    return f"p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms"


def time_queries(mix) -> dict[str, list[float]]:
    from veille.search import selectors

    for _kind, q in mix:
        selectors.search(q=q)  # a first pass warms the caches: the figures are steady state
    times: dict[str, list[float]] = {}
    for kind, q in mix:
        start = time.perf_counter()
        page = selectors.search(q=q)
        elapsed = (time.perf_counter() - start) * 1000
        times.setdefault(kind, []).append(elapsed)
        times.setdefault("all", []).append(elapsed)
        times.setdefault("results", []).append(page.total)
    return times


def time_related(count: int) -> list[float]:
    from veille.search.selectors import related_posts
    from veille.topics.models import Scoop

    posts = Scoop.objects.select_related("topic").prefetch_related("tags").order_by("?")[:count]
    times = []
    for post in posts:
        start = time.perf_counter()
        related_posts(scoop=post)
        times.append((time.perf_counter() - start) * 1000)
    return times


# --- one backend ------------------------------------------------------------------------------


def run(backend: str, count: int, queries: int) -> None:
    data_dir = tempfile.mkdtemp(prefix="veille-bench-search-")
    os.environ["VEILLE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")
    if backend == "postgres":
        os.environ["VEILLE_DATABASE_URL"] = _create_database()
    sys.path.insert(0, str(ROOT))
    try:
        measure(backend, count, queries)
    finally:
        from django.db import connections

        connections.close_all()
        if backend == "postgres":
            _drop_database()
        shutil.rmtree(data_dir, ignore_errors=True)  # the SQLite database is some 400 MB


def measure(backend: str, count: int, queries: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from veille.search import services

    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    start = time.perf_counter()
    populate(count, rng)
    seconds = time.perf_counter() - start
    print(f"[{backend}] {count:,} scoops generated and inserted: {seconds:.0f} s")
    settle(connection)
    start = time.perf_counter()
    services.rebuild()
    print(f"[{backend}] index build (veille search --rebuild): {time.perf_counter() - start:.0f} s")
    settle(connection)
    report(backend, time_queries(query_mix(queries, rng)))
    print(f"[{backend}] related posts, 100 posts: {percentiles(time_related(100))}")
    print(f"[{backend}] load average (1, 5, 15 min) at the end: {os.getloadavg()}")


def settle(connection) -> None:
    """What an operator does after a bulk load (and autovacuum would do later, in the middle of
    the measures): statistics for the planner, and on PostgreSQL the visibility map."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def report(backend: str, times: dict[str, list[float]]) -> None:
    results = times.pop("results")
    print(
        f"[{backend}] search, {len(results)} queries: {percentiles(times.pop('all'))} "
        f"(median {statistics.median(results):.0f} matches, max {max(results):,})"
    )
    for kind, values in times.items():
        print(f"[{backend}]   {kind}: {percentiles(values)}")


def _admin():
    import psycopg

    return psycopg.connect(SERVER_URL, autocommit=True)


def _create_database() -> str:
    with _admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return SERVER_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"


def _drop_database() -> None:
    with _admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
