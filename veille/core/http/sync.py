"""``fetch_sync``: one guarded fetch from synchronous code (views, management commands, tasks)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from .client import fetch
from .result import FetchResult


def fetch_sync(url: str, **options) -> FetchResult:
    """Run ``fetch(url, **options)`` to completion in a fresh event loop.

    From a thread with no running loop the loop runs right here; from inside a running loop (an
    async view calling sync code) it runs in a worker thread, since a loop cannot be nested. A
    ``GuardedSession`` belongs to the loop that opened it, so ``session=`` is not accepted.
    """
    if "session" in options:
        raise TypeError("fetch_sync() opens its own session; use fetch() to share one.")
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(fetch(url, **options))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="veille-fetch") as pool:
        return pool.submit(lambda: asyncio.run(fetch(url, **options))).result()
