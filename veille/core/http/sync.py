"""``fetch_sync``: one guarded fetch from synchronous code (views, management commands, tasks)."""

from veille.core.asyncrun import run_sync

from .client import fetch
from .result import FetchResult


def fetch_sync(url: str, **options) -> FetchResult:
    """Run ``fetch(url, **options)`` to completion in a fresh event loop (``run_sync``: here, or
    in a worker thread when this thread already runs a loop). A ``GuardedSession`` belongs to the
    loop that opened it, so ``session=`` is not accepted."""
    if "session" in options:
        raise TypeError("fetch_sync() opens its own session; use fetch() to share one.")
    return run_sync(fetch(url, **options))
