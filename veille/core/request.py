"""Facts about the incoming request that several apps need."""

from django.conf import settings


def client_address(request) -> str:
    """The visitor's address: REMOTE_ADDR, or behind our reverse proxy the hop it appended.

    Only the last X-Forwarded-For entry is trusted: it was written by our own proxy, while
    entries before it come from the client and can be anything.
    """
    if settings.USE_X_FORWARDED_HOST:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
