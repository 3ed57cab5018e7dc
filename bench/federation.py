"""Federation delivery: one scoop to 10,000 fediverse followers on 500 hosts, then an outage.

    .venv/bin/python bench/federation.py [--followers 10000] [--hosts 500]

The "hosts" are one aiohttp inbox server on 127.0.0.1 listening on 500 ports (a host is
host:port, so each port is a server of its own for grouping, signing and host health); it answers
any path with 202. Followers on one host share its inbox (``endpoints.sharedInbox``), as on
Mastodon. Deliveries are sent by the code the workers run (``delivery.deliver_due``), in this
process. Then: a second scoop while the inbox server is down (every delivery fails and backs
off), the server comes back, the rows are made due, and everything is delivered.

Uses a throw-away data directory (SQLite); prints one line per figure.
"""

import argparse
import asyncio
import os
import platform
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

from aiohttp import web  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from veille.accounts.models import User  # noqa: E402
from veille.federation import delivery, services, signatures  # noqa: E402
from veille.federation.models import (  # noqa: E402
    Delivery,
    DeliveryState,
    Follower,
    FollowState,
    RemoteActor,
)
from veille.topics import services as topics  # noqa: E402


class InboxServer:
    """One event loop in a thread, one site per port: every POST is answered 202."""

    def __init__(self, ports: list[int]):
        self.ports, self.received = ports, 0
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.runner = None

    async def _inbox(self, request: web.Request) -> web.Response:
        await request.read()
        self.received += 1
        return web.Response(status=202)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("POST", "/{tail:.*}", self._inbox)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        for port in self.ports:
            await web.TCPSite(self.runner, "127.0.0.1", port, reuse_address=True).start()

    def start(self) -> None:
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result()


def free_ports(count: int) -> list[int]:
    import socket

    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def make_followers(topic, ports: list[int], total: int) -> None:
    per_host = total // len(ports)
    actors = [
        RemoteActor(
            uri=f"http://127.0.0.1:{port}/users/{n}",
            domain=f"127.0.0.1:{port}",
            username=f"user{n}",
            inbox=f"http://127.0.0.1:{port}/users/{n}/inbox",
            shared_inbox=f"http://127.0.0.1:{port}/inbox",
        )
        for port in ports
        for n in range(per_host)
    ]
    RemoteActor.objects.bulk_create(actors, batch_size=1000)
    Follower.objects.bulk_create(
        [
            Follower(topic=topic, actor=actor, state=FollowState.ACCEPTED)
            for actor in RemoteActor.objects.all()
        ],
        batch_size=1000,
    )


def publish(topic, curator, title: str) -> float:
    started = time.perf_counter()
    scoop = topics.scoop_create(topic=topic, by=curator, title=title, insight="Une *insight*.")
    services.scoop_published(scoop_id=scoop.pk)
    return time.perf_counter() - started


def count_signatures() -> list[int]:
    calls = [0]
    real = signatures.signed_headers

    def counting(**kwargs):
        calls[0] += 1
        return real(**kwargs)

    signatures.signed_headers = counting
    return calls


def states() -> dict[str, int]:
    rows = Delivery.objects.values_list("state", flat=True)
    return {state: list(rows).count(state) for state in DeliveryState.values}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=500)
    options = parser.parse_args()
    settings.FEDERATION_ALLOW_HTTP = True
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    call_command("migrate", verbosity=0)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )

    ports = free_ports(options.hosts)
    server = InboxServer(ports)
    server.start()
    curator = User.objects.create_user("bench")  # no password: it never logs in
    topic = topics.topic_create(by=curator, title="Bench federation", slug="bench-federation")
    make_followers(topic, ports, options.followers)
    print(f"followers: {Follower.objects.count()} on {options.hosts} hosts")

    signed = count_signatures()
    recorded = publish(topic, curator, "Un article pour dix mille abonnés")
    started = time.perf_counter()
    delivery.deliver_due()
    elapsed = time.perf_counter() - started
    print(
        f"publish (Create and its delivery rows): {recorded:.2f} s, {Delivery.objects.count()} rows"
    )
    print(f"delivered: {states()} in {elapsed:.2f} s, {server.received} POSTs received")
    print(f"signatures computed: {signed[0]} (one per host)")

    server.stop()
    signed[0], server.received = 0, 0
    publish(topic, curator, "Un article pendant la panne")
    started = time.perf_counter()
    delivery.deliver_due()
    failed_round = time.perf_counter() - started
    waiting = Delivery.objects.filter(state=DeliveryState.PENDING, attempts=1)
    retry = min(waiting.values_list("next_attempt_at", flat=True)) - timezone.now()
    print(
        f"outage: {waiting.count()} deliveries failed in {failed_round:.2f} s, "
        f"retry in {retry.total_seconds():.0f} s"
    )
    server.start()
    waiting.update(next_attempt_at=timezone.now())
    started = time.perf_counter()
    delivery.deliver_due()
    print(
        f"after the outage: {states()} in {time.perf_counter() - started:.2f} s, "
        f"{server.received} POSTs received, {signed[0]} signatures over both rounds"
    )


if __name__ == "__main__":
    main()
