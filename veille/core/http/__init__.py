"""The guarded HTTP client: the only way Veille fetches a URL (see docs/http-client.md).

from veille.core.http import fetch, fetch_sync, GuardedSession, FetchError

result = fetch_sync("https://example.org/article")           # sync code
async with GuardedSession() as session:                        # many fetches
    result = await session.fetch(url, headers={"If-None-Match": etag})
"""

from .client import GuardedSession, fetch
from .errors import FetchError, RefusedError
from .policy import AllowList, blocked_reason, check_address, check_resolved
from .resolver import GuardedResolver, Lookup
from .result import FetchResult
from .sync import fetch_sync
from .urls import Target, check_url

__all__ = [
    "AllowList",
    "FetchError",
    "FetchResult",
    "GuardedResolver",
    "GuardedSession",
    "Lookup",
    "RefusedError",
    "Target",
    "blocked_reason",
    "check_address",
    "check_resolved",
    "check_url",
    "fetch",
    "fetch_sync",
]
