"""``run_sync``: run a coroutine to completion from synchronous code (views, tasks, commands)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_sync(coroutine):
    """Return the coroutine's result, whether or not this thread already runs an event loop.

    From a thread with no running loop the coroutine runs right here in a fresh loop; from inside
    a running loop (an async view calling sync code) it runs in a worker thread, since a loop
    cannot be nested. Sessions and other loop-bound objects must be opened inside the coroutine.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="veille-run") as pool:
        return pool.submit(asyncio.run, coroutine).result()
