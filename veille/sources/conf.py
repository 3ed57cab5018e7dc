"""The sources app's settings, read from Django settings with the documented defaults.

Each one is an environment variable ``VEILLE_<NAME>`` in settings.py and .env.example; see
docs/sources.md for what they change.
"""

from django.conf import settings

DEFAULTS = {
    "POLL_BATCH": 500,  # sources claimed by one poll run
    "POLL_RUNS": 1,  # poll runs started every minute, for as many worker processes
    "POLL_PER_HOST": 2,  # concurrent fetches per host
    "POLL_CONCURRENCY": 64,  # concurrent fetches in all
    "POLL_MIN_INTERVAL": 15 * 60,  # seconds
    "POLL_MAX_INTERVAL": 24 * 60 * 60,
    "POLL_DEFAULT_INTERVAL": 60 * 60,
    "POLL_LEASE": 10 * 60,  # how long a claim keeps other workers off a source
    "POLL_TIMEOUT": 20.0,  # seconds for one feed's fetch, redirects included
    "FEED_MAX_BYTES": 5 * 1024 * 1024,  # decompressed
    "FEED_MAX_ENTRIES": 500,
}


def get(name: str):
    value = getattr(settings, name, None)
    default = DEFAULTS[name]
    if value in (None, ""):
        return default
    return type(default)(value)
