"""Feed ingestion: new items per second through the whole pipeline (fetch, parse, dedupe, rank,
store), unchanged re-polls (304) per second, and the peak memory of the polling process.

    .venv/bin/python bench/ingest.py [--feeds 1000] [--items 20] [--postgres URL] [--ingest real]
                                     [--pollers 1] [--profile PREFIX] [--no-freeze]

A local server (its own process, minimal: see ``serve``) serves FEEDS feeds of ITEMS items
each, spread over HOSTS loopback addresses (127.0.0.1, 127.0.0.2, ...) as feeds are spread over
sites, with an ETag that it honours (304). The poller runs in another process, on a throw-away
SQLite database, then (with --postgres, a server URL whose user may create databases) on a
throw-away PostgreSQL one:

1. every source due: `poll_all()` fetches, parses and hands each feed to
   ``veille.suggestions.services.ingest`` (``--ingest real``, the default) or to a stand-in that
   only inserts rows (``--ingest standin``);
2. every source due again: the same feeds answer 304.

With ``--pollers N``, N processes poll at once, as N ``veille worker`` processes do (the claims
share the sources out); the figures are then for all of them together. ``--profile`` writes a
cProfile of each poll (one poller only). Each poll's time in garbage collection is printed;
``--no-freeze`` leaves out the ``gc.freeze()`` that ``veille worker`` makes at start, to compare.

Prints one line per figure (copy them into bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Real feeds talk about different things: items are drawn from a vocabulary of some thousands of
# made-up words (seeded, so every run serves the same feeds), not from a dozen repeated ones that
# would make every item a near-duplicate of every other.
SYLLABLES = "ra ne to lu mi sa ko pe di va lo ri tu be ga fo ni cha zu me".split()
REAL_WORDS = (
    "réseau entrepreneurs Toulouse rencontre club dirigeants numérique startup innovation "
    "aéronautique emploi formation territoire métropole association événement conférence"
).split()
VOCABULARY = REAL_WORDS + [a + b + c for a in SYLLABLES for b in SYLLABLES for c in "nsl"]


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(count))


# --- the feed server (its own process) ------------------------------------------------------


def feed_body(n: int, items: int) -> bytes:
    entries = []
    for i in range(items):
        rng = random.Random(n * 100_003 + i)
        words = _words(rng, 40)
        entries.append(
            f"<item><title>{_words(rng, 8).capitalize()}</title>"
            f"<link>https://site{n}.example/{n}/article-{i}</link>"
            f"<guid>https://site{n}.example/{n}/article-{i}</guid>"
            f"<pubDate>Tue, 03 Jun 2025 {i % 24:02d}:{n % 60:02d}:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{words}&lt;/p&gt;</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Flux {n}</title><link>https://site{n}.example/</link>"
        f"{''.join(entries)}</channel></rss>"
    ).encode()


def serve(feeds: int, items: int, hosts: int, port: int) -> None:
    """A minimal HTTP/1.1 feed server: keep-alive, answers computed in advance, ETag honoured.

    On a real deployment the feeds' servers are other people's machines; here the server shares
    the two cores with the poller, so it is kept cheap (0.05 ms of CPU a request where an
    aiohttp.web handler takes 0.11 ms) to leave the cores to what is measured."""
    import asyncio

    full, not_modified = {}, {}
    for n in range(feeds):
        etag = f'"v1-{n}"'.encode()
        body = feed_body(n, items)
        full[n] = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
            b"ETag: " + etag + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        ) + body
        not_modified[n] = (etag, b"HTTP/1.1 304 Not Modified\r\nETag: " + etag + b"\r\n\r\n")
    missing = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"

    def answer(head: bytes) -> bytes:
        request_line, _, headers = head.partition(b"\r\n")
        path = request_line.split(b" ")[1] if request_line.count(b" ") >= 2 else b""
        if not (path.startswith(b"/feed/") and path.endswith(b".xml")):
            return missing
        try:
            n = int(path[6:-4])
        except ValueError:
            return missing
        if n not in full:
            return missing
        etag, answer_304 = not_modified[n]
        for line in headers.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"if-none-match" and value.strip() == etag:
                return answer_304
        return full[n]

    class Feeds(asyncio.Protocol):
        def connection_made(self, transport) -> None:
            self.transport, self.waiting = transport, b""

        def data_received(self, data: bytes) -> None:
            self.waiting += data
            while b"\r\n\r\n" in self.waiting:  # requests without bodies: GET only
                head, self.waiting = self.waiting.split(b"\r\n\r\n", 1)
                self.transport.write(answer(head))

    async def start() -> None:
        loop = asyncio.get_running_loop()
        for host in range(1, hosts + 1):
            await loop.create_server(Feeds, f"127.0.0.{host}", port, backlog=1024)
        print("ready", flush=True)
        await asyncio.Event().wait()

    asyncio.run(start())


# --- the poller (its own process, per database) -----------------------------------------------


def run_poller(args) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.POLL_PER_HOST = args.per_host
    settings.POLL_CONCURRENCY = args.per_host * args.hosts
    settings.POLL_BATCH = args.batch
    call_command("migrate", verbosity=0)
    from veille.core.process import settle_long_lived_process

    if not args.no_freeze:
        settle_long_lived_process()  # as `veille worker` does before it takes tasks
    import gc

    frozen = gc.get_freeze_count()

    if args.ingest == "standin":
        _install_standin()
    topic = _sources(args)
    first = _timed_poll(args.profile and f"{args.profile}.first", args.pollers)
    from veille.sources.models import Source

    Source.objects.update(next_poll_at=django.utils.timezone.now())
    again = _timed_poll(args.profile and f"{args.profile}.again", args.pollers)
    return {
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "ingest": args.ingest,
        "topic": topic.slug,
        "first": first,
        "again": again,
        "pollers": args.pollers,
        "frozen": frozen,
        "peak_rss_mb": max(
            resource.getrusage(who).ru_maxrss / 1024
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        ),
    }


def _sources(args):
    from django.utils import timezone

    from veille.accounts.models import User
    from veille.sources.models import Source
    from veille.topics import services

    curator = User.objects.create(username="bench", display_name="Bench")
    topic = services.topic_create(by=curator, title="Réseaux de Toulouse", slug="reseaux-bench")
    topic.keywords = "réseau, Toulouse, entrepreneurs"
    topic.save(update_fields=["keywords"])
    now = timezone.now()
    Source.objects.bulk_create(
        Source(
            topic=topic,
            kind="feed",
            url=f"http://127.0.0.{n % args.hosts + 1}:{args.port}/feed/{n}.xml",
            next_poll_at=now,
        )
        for n in range(args.feeds)
    )
    return topic


def _timed_poll(profile: str = "", pollers: int = 1) -> dict:
    if pollers > 1:
        return _timed_parallel_poll(pollers)
    from veille.sources.poller import poll_all

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    with _GarbageCollections() as collections:
        report = poll_all()
    seconds = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,  # of the poller process, both threads
        "gc": collections.seconds,
        **_figures(report),
    }


def _figures(report) -> dict:
    return {
        "claimed": report.claimed,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": report.errors,
        "new_items": report.new_items,
        "failures": report.failures[:3],
    }


def _timed_parallel_poll(pollers: int) -> dict:
    """``pollers`` processes polling at once, as that many ``veille worker`` processes do: the
    claims share the sources out. A worker is a long-lived process with its database connection
    open, so each one is forked and connected first; the clock starts when all are ready and
    stops when the last one is done. CPU is the pollers' own from the start signal."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    ready = context.Barrier(pollers + 1)
    processes = [
        context.Process(target=_poll_in_child, args=(results, ready)) for _ in range(pollers)
    ]
    for process in processes:
        process.start()
    ready.wait()
    started = time.perf_counter()
    reports = [results.get() for _ in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    summed = {key: sum(r[key] for r in reports) for key in reports[0] if key != "failures"}
    return {
        "seconds": seconds,
        **summed,
        "failures": [f for r in reports for f in r["failures"]][:3],
    }


def _poll_in_child(results, ready) -> None:
    from django.db import connection

    from veille.sources.poller import poll_all

    connection.ensure_connection()
    ready.wait()
    cpu = time.process_time()
    with _GarbageCollections() as collections:
        report = poll_all()
    results.put({**_figures(report), "cpu": time.process_time() - cpu, "gc": collections.seconds})


class _GarbageCollections:
    """Time spent in the garbage collector while the block runs (``gc.callbacks``)."""

    def __enter__(self) -> _GarbageCollections:
        import gc

        self.seconds, self._started = 0.0, 0.0
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc_info) -> None:
        import gc

        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started


def _install_standin() -> None:
    """Rows written idempotently, nothing else: what fetching and parsing cost without ranking."""
    import types

    from django.db import connection

    import veille.suggestions
    from veille.sources.entries import IngestResult
    from veille.sources.tests.standin_poll import ingest_each

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE standin_candidate (topic_id bigint, source_id bigint, url varchar(500),"
            " title varchar(300), summary text, UNIQUE (topic_id, url))"
        )

    def ingest(*, source, entries):
        rows = [(source.topic_id, source.pk, e.url, e.title, e.summary_html) for e in entries]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO standin_candidate VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                rows,
            )
        return IngestResult(new=len(rows))

    module = types.ModuleType("veille.suggestions.services")
    module.ingest = ingest
    module.ingest_many = lambda batch, also=None: ingest_each(ingest, batch, also)
    sys.modules["veille.suggestions.services"] = module
    veille.suggestions.services = module


# --- orchestration ----------------------------------------------------------------------------


def _postgres_database(server_url: str):
    import psycopg

    name = f"veille_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return name, f"{server_url.rsplit('/', 1)[0]}/{name}"


def _drop_postgres(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _one_backend(args, database_url: str | None) -> dict:
    data_dir = tempfile.mkdtemp(prefix="veille-bench-ingest-")
    env = {
        **os.environ,
        "VEILLE_DATA_DIR": data_dir,
        "VEILLE_FETCH_ALLOW_HOSTS": ",".join(f"127.0.0.{h}" for h in range(1, args.hosts + 1)),
        "VEILLE_LOG_LEVEL": "WARNING",
    }
    env.pop("VEILLE_DATABASE_URL", None)
    if database_url:
        env["VEILLE_DATABASE_URL"] = database_url
    command = [sys.executable, __file__, "--poller", *_forwarded(args)]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _forwarded(args) -> list[str]:
    options = (
        "feeds",
        "items",
        "hosts",
        "per_host",
        "batch",
        "port",
        "ingest",
        "profile",
        "pollers",
    )
    forwarded = [f"--{name.replace('_', '-')}={getattr(args, name)}" for name in options]
    return forwarded + (["--no-freeze"] if args.no_freeze else [])


def _print(result: dict, args) -> None:
    first, again = result["first"], result["again"]
    label = f"{result['database']}, ingest={result['ingest']}, {result['pollers']} poller(s)"
    print(
        f"[{label}] first poll: {first['claimed']} feeds in {first['seconds']:.2f} s, "
        f"{first['new_items']} new items, {first['errors']} errors {first['failures'] or ''}"
    )
    print(
        f"[{label}] new items per second: {first['new_items'] / first['seconds']:,.0f} "
        f"({first['claimed'] / first['seconds']:,.0f} feeds/s); "
        f"poller CPU {first['cpu'] * 1000 / first['claimed']:.2f} ms a feed, "
        f"{first['gc'] * 1000:.0f} ms in garbage collection"
    )
    print(
        f"[{label}] unchanged (304) feeds per second: "
        f"{again['unchanged'] / again['seconds']:,.0f} ({again['unchanged']} in "
        f"{again['seconds']:.2f} s); "
        f"poller CPU {again['cpu'] * 1000 / again['claimed']:.2f} ms a feed, "
        f"{again['gc'] * 1000:.0f} ms in garbage collection"
    )
    print(f"[{label}] peak memory of the poller: {result['peak_rss_mb']:.0f} MB")
    print(f"[{label}] objects frozen out of garbage collection at start: {result['frozen']:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=25, help="loopback addresses serving feeds")
    parser.add_argument("--per-host", type=int, default=4, help="POLL_PER_HOST")
    parser.add_argument("--batch", type=int, default=500, help="POLL_BATCH")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ingest", choices=("real", "standin"), default="real")
    parser.add_argument(
        "--postgres", metavar="URL", help="e.g. postgresql://postgres@127.0.0.1/postgres"
    )
    parser.add_argument(
        "--pollers", type=int, default=1, help="poller processes at once (as worker processes)"
    )
    parser.add_argument(
        "--profile", default="", metavar="PREFIX", help="cProfile each poll to PREFIX.first/.again"
    )
    parser.add_argument(
        "--no-freeze", action="store_true", help="skip veille worker's gc.freeze() (to compare)"
    )
    parser.add_argument("--poller", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.feeds, args.items, args.hosts, args.port)
    if args.poller:
        return print(json.dumps(run_poller(args), default=str))
    args.port = args.port or 18000 + os.getpid() % 1000
    print(f"load average at the start {os.getloadavg()[0]:.1f}")
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{args.feeds} feeds x {args.items} items on {args.hosts} hosts, "
        f"{args.per_host} fetches per host, batches of {args.batch}"
    )
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", *_forwarded(args)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout.readline().strip() == "ready"
        _print(_one_backend(args, None), args)
        if args.postgres:
            name, url = _postgres_database(args.postgres)
            try:
                _print(_one_backend(args, url), args)
            finally:
                _drop_postgres(args.postgres, name)
    finally:
        server.terminate()
        server.wait(timeout=10)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
