"""Topic page speed: server time (p50, p95) with 25 and 1,000 scoops on SQLite, and requests per
second of `veille serve` on loopback.

    .venv/bin/python bench/page.py [--requests 300] [--seconds 10]

Uses a throw-away data directory; prints one line per figure (copy them into bench/README.md).
"""

import argparse
import http.client
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DATA_DIR = Path(tempfile.mkdtemp(prefix="veille-bench-"))
os.environ["VEILLE_DATA_DIR"] = str(DATA_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from veille.accounts.models import User  # noqa: E402
from veille.topics import services  # noqa: E402

EXCERPT = (
    "<p>" + " ".join(["Un paragraphe d'article sur les réseaux sociaux à Toulouse."] * 6) + "</p>"
)


def make_topic(slug: str, count: int):
    curator, _ = User.objects.get_or_create(username=f"bench-{slug}", display_name="Bench")
    topic = services.topic_create(by=curator, title=f"Bench {count}", slug=slug)
    reader = User.objects.create(username=f"reader-{slug}")
    other = services.topic_create(by=reader, title=f"Other {slug}")
    for i in range(count):
        scoop = services.scoop_create(
            topic=topic,
            by=curator,
            title=f"Article {i} sur les réseaux",
            excerpt_html=EXCERPT,
            insight="Une *insight* du curateur.",
            tags=["toulouse", f"tag{i % 7}"],
            image_url="https://example.org/image.jpg",
            url=f"https://example.org/{i}",
        )
        if i % 4 == 0:
            services.rescoop_create(origin=scoop, topic=other, by=reader, insight="Intéressant")
    return topic


def server_times(url: str, requests: int) -> list[float]:
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 bench", HTTP_HOST="127.0.0.1")
    client.get(url)  # warm caches, templates and the day's counters
    times = []
    for i in range(requests):
        # A new address each time: every request is a new visitor, so counting runs in full.
        start = time.perf_counter()
        response = client.get(url, REMOTE_ADDR=f"10.0.{i // 250}.{i % 250}")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1]


def requests_per_second(port: int, path: str, seconds: float, threads: int = 8) -> float:
    done = [0] * threads
    stop = time.monotonic() + seconds

    def loop(slot: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            conn.request("GET", path, headers={"User-Agent": "Mozilla/5.0 bench"})
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                done[slot] += 1

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(done) / seconds


def wrk_requests_per_second(port: int, path: str, seconds: float) -> float:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c16",
            f"-d{int(seconds)}s",
            "-H",
            "User-Agent: Mozilla/5.0 bench",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("Requests/sec"))
    return float(line.split()[1])


def wait_for_server(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("veille serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite, data in {DATA_DIR}"
    )
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    for count in (25, 1000):
        topic = make_topic(f"bench-{count}", count)
        times = server_times(topic.get_absolute_url(), args.requests)
        print(
            f"topic page, {count} scoops, {args.requests} requests: "
            f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms"
        )
    server = subprocess.Popen(
        [sys.executable, "-m", "veille", "serve", "--port", str(args.port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_server(args.port)
        path = "/topic/bench-25/"
        if shutil.which("wrk"):  # a load generator in C leaves the CPU to the server
            rps = wrk_requests_per_second(args.port, path, args.seconds)
            tool = "wrk, 2 threads, 16 connections"
        else:
            rps = requests_per_second(args.port, path, args.seconds)
            tool = "8 Python clients"
        print(
            f"veille serve (2 processes x 4 threads), {path}, {tool} on loopback: "
            f"{rps:.0f} requests/s"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
