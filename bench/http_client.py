"""The guarded client alone: CPU per conditional GET answered 304, on each transport.

    .venv/bin/python bench/http_client.py [--requests 1000] [--rounds 8] [--hosts 25]

The feed server of bench/ingest.py (its own process) serves 1,000 feeds on HOSTS loopback
addresses; one ``GuardedSession`` per transport sends REQUESTS conditional GETs at a time (4 per
host, as the poller does), ROUNDS times on the same keep-alive connections, plus a first round
that opens them. Figures: the client thread's CPU per request (fastest and median round, the
connections already open) and the first round's, which includes connecting.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")
    os.environ.setdefault("VEILLE_DATA_DIR", tempfile.mkdtemp(prefix="veille-bench-http-"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


async def _rounds(transport: str, urls: list[str], hosts: int, rounds: int) -> list[float]:
    """CPU ms per request of each round; the first one opens the connections."""
    from veille.core.http import GuardedSession

    session = GuardedSession(
        transport=transport,
        limit=4 * hosts,
        limit_per_host=4,
        allow_hosts=[f"127.0.0.{h}" for h in range(1, hosts + 1)],
        timeout=30,
    )
    async with session:
        gate = asyncio.Semaphore(4 * hosts)

        async def one(url: str, etag: str) -> int:
            async with gate:
                return (await session.fetch(url, headers={"If-None-Match": etag})).status

        figures = []
        for _ in range(rounds + 1):
            cpu = time.thread_time()
            statuses = await asyncio.gather(*(one(url, etag) for url, etag in urls))
            figures.append((time.thread_time() - cpu) * 1000 / len(urls))
            assert set(statuses) == {304}, set(statuses)
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--hosts", type=int, default=25)
    args = parser.parse_args()
    _setup()
    port = 19000 + os.getpid() % 1000
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "ingest.py"), "--serve", f"--feeds={args.requests}",
         "--items=20", f"--hosts={args.hosts}", f"--port={port}"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout.readline().strip() == "ready"
        print(
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"load average {os.getloadavg()[0]:.1f}; {args.requests} conditional GETs a round "
            f"on {args.hosts} hosts, 4 connections each"
        )
        urls = [
            (f"http://127.0.0.{n % args.hosts + 1}:{port}/feed/{n}.xml", f'"v1-{n}"')
            for n in range(args.requests)
        ]
        for transport in ("aiohttp", "lean"):
            first, *warm = asyncio.run(_rounds(transport, urls, args.hosts, args.rounds))
            print(
                f"[{transport}] CPU per 304: fastest {min(warm):.3f} ms, median "
                f"{statistics.median(warm):.3f} ms over {len(warm)} rounds; "
                f"first round (connecting) {first:.3f} ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
