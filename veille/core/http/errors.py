"""The one exception hierarchy of the guarded HTTP client.

Every failure of a fetch is a ``FetchError`` with a short machine ``code`` (for logs, counters and
the retry policy of the feed poller) and a human message that names the reason. An HTTP error
status is not an exception: the result carries the status.
"""

BLOCKED_ADDRESS = "blocked_address"
BAD_SCHEME = "bad_scheme"
CREDENTIALS = "credentials"
INVALID_URL = "invalid_url"
TOO_MANY_REDIRECTS = "too_many_redirects"
TOO_LARGE = "too_large"
TIMEOUT = "timeout"
DNS = "dns"
TLS = "tls"
CONNECTION = "connection"


class FetchError(Exception):
    """A fetch that did not produce a response; ``code`` says why, ``str()`` says it to a person."""

    def __init__(self, code: str, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.url = url

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"


class RefusedError(FetchError):
    """Refused by the policy before anything was sent to the refused address.

    Codes: blocked_address, bad_scheme, credentials, invalid_url.
    """
