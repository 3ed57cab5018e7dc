"""The client's settings, read from Django settings when they exist, with the documented defaults.

VEILLE_FETCH_ALLOW_HOSTS (none), VEILLE_FETCH_TIMEOUT (15 s), VEILLE_FETCH_MAX_BYTES (10 MiB),
VEILLE_FETCH_USER_AGENT ("Veille/0.1 (+BASE_URL)"). See docs/http-client.md.
"""

from django.conf import settings

from .policy import AllowList

DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5


def _setting(name: str, default):
    if not settings.configured:
        return default
    value = getattr(settings, name, None)
    return default if value in (None, "") else value


def allow_list() -> AllowList:
    return AllowList.parse(_setting("FETCH_ALLOW_HOSTS", ()))


def timeout() -> float:
    return float(_setting("FETCH_TIMEOUT", DEFAULT_TIMEOUT))


def max_bytes() -> int:
    return int(_setting("FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))


def user_agent() -> str:
    base_url = _setting("BASE_URL", "")
    default = f"Veille/0.1 (+{base_url})" if base_url else "Veille/0.1"
    return str(_setting("FETCH_USER_AGENT", "") or default)
