"""One Fetcher serves every batch of a poll run: the same loop, the same connections."""

import asyncio
import threading
import time

import pytest
from aiohttp import web

from veille.sources.fetching import Fetcher, FetchJob


@pytest.fixture
def counting_server(settings):
    """A keep-alive feed server on 127.0.0.1 that notes the client port of every request."""
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    peers: list[int] = []
    ready = threading.Event()
    state = {}

    async def feed(request):
        peers.append(request.transport.get_extra_info("peername")[1])
        if request.match_info["name"].startswith("slow"):
            await asyncio.sleep(3)
        return web.Response(text="<rss version='2.0'><channel></channel></rss>")

    async def serve():
        app = web.Application()
        app.router.add_get("/{name}.xml", feed)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        state["port"] = site._server.sockets[0].getsockname()[1]
        state["stop"] = asyncio.Event()
        ready.set()
        await state["stop"].wait()
        await runner.cleanup()

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    ready.wait(5)
    yield f"http://127.0.0.1:{state['port']}", peers
    loop.call_soon_threadsafe(state["stop"].set)
    thread.join(5)


def _batch(base: str, first: int) -> list[FetchJob]:
    return [FetchJob(n, "feed", f"{base}/{n}.xml") for n in range(first, first + 3)]


def test_batches_of_one_run_reuse_its_connections(counting_server, settings):
    settings.POLL_PER_HOST = 1  # one connection to the host: reused, or a new one per batch
    base, peers = counting_server
    with Fetcher() as fetcher:
        deadline = time.monotonic() + 30
        first = [
            f for group in fetcher.fetch_all(_batch(base, 0), deadline=deadline) for f in group
        ]
        second = [
            f for group in fetcher.fetch_all(_batch(base, 3), deadline=deadline) for f in group
        ]
    assert [f.status for f in first + second] == [200] * 6
    assert len(peers) == 6 and len(set(peers)) == 1


def test_a_batch_given_up_halfway_is_cancelled_when_the_run_ends(counting_server):
    base, _peers = counting_server
    jobs = [FetchJob(1, "feed", f"{base}/fast.xml"), FetchJob(2, "feed", f"{base}/slow.xml")]
    with Fetcher() as fetcher:
        groups = fetcher.fetch_all(jobs, deadline=time.monotonic() + 30)
        assert [f.job.source_id for f in next(groups)] == [1]  # the slow one still running
        leaving = time.monotonic()  # the caller stops reading (say, storing failed)
    assert time.monotonic() - leaving < 2  # not waiting for the slow answer
    assert fetcher.batch.cancelled() and not fetcher.thread.is_alive()
