"""Fixed-window rate limits kept in the shared cache (file cache, or Redis when configured)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

# name -> setting holding "COUNT/SECONDS"
LIMITS = {
    "comment": "COMMENT_RATE_LIMIT",
    "signup": "SIGNUP_RATE_LIMIT",
    "api_read": "API_READ_RATE_LIMIT",
    "api_write": "API_WRITE_RATE_LIMIT",
    "federation_inbox": "FEDERATION_INBOX_RATE_LIMIT",
}


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after


class RateLimitedInput(RateLimited, ValidationError):
    """A rate limit met by a service acting for a person (a comment).

    It is a ValidationError, so a form shows ``message`` as it shows any other error, and a
    RateLimited, so the API answers it as it answers its own limits: 429 with Retry-After.
    """

    def __init__(self, message: str, *, retry_after: int):
        ValidationError.__init__(self, message)
        self.retry_after = retry_after


def _limit(name: str) -> tuple[int, int]:
    count, _slash, seconds = getattr(settings, LIMITS[name]).partition("/")
    return int(count), int(seconds)


def hit_rate_limit(name: str, who) -> None:
    """Count one action by ``who``; raise RateLimited when the window's allowance is used up."""
    count, seconds = _limit(name)
    window = int(time.time()) // seconds
    key = f"rl:{name}:{who}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        used = 1
    if used > count:
        raise RateLimited(retry_after=seconds - int(time.time()) % seconds)
