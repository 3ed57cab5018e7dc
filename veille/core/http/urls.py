"""URL checks made before anything is sent: scheme, credentials, host spelling, literal addresses.

URLs are parsed with yarl, the parser aiohttp itself uses, and the checked ``URL`` object is the one
handed to aiohttp: there is no second parser whose reading of a tricky URL could differ from ours.
Host names are judged on their resolved addresses by the resolver (see ``resolver.py``); here
only names that are loopback by definition (RFC 6761 ``localhost``) and metadata names are refused.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Address
from urllib.parse import unquote

from yarl import URL

from .errors import BAD_SCHEME, BLOCKED_ADDRESS, CREDENTIALS, INVALID_URL, RefusedError
from .policy import AllowList, IPAddress, check_address, check_resolved, normalize_host, parse_ip

SCHEMES = frozenset({"http", "https"})
_BLOCKED_NAMES = {
    "localhost": "a loopback name",
    "localhost.localdomain": "a loopback name",
    "ip6-localhost": "a loopback name",
    "ip6-loopback": "a loopback name",
    "metadata.google.internal": "a cloud metadata name",
    "metadata.goog": "a cloud metadata name",
    "instance-data": "a cloud metadata name",
}
_HOST_NAME = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)(\.(?!-)[a-z0-9_-]{1,63}(?<!-))*$")
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")


@dataclass(frozen=True)
class Target:
    """A checked URL: what will be connected to, and why it is allowed."""

    url: URL
    host: str
    port: int
    ip: IPAddress | None = None
    allowed: bool = False  # In the allow list: the address policy was bypassed.
    addresses: tuple[str, ...] = ()  # Only when check_url was given a resolver.


def _parse_number(part: str) -> int | None:
    if part.startswith("0x"):
        return int(part[2:] or "0", 16) if re.fullmatch(r"[0-9a-f]*", part[2:]) else None
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8) if re.fullmatch(r"[0-7]+", part) else None
    return int(part) if part.isdigit() else None


def parse_legacy_ipv4(host: str) -> IPv4Address | None:
    """The address that ``inet_aton`` (and the WHATWG URL parser) reads in a numeric host.

    ``2130706433``, ``0177.0.0.1``, ``0x7f.1`` and ``127.1`` are all 127.0.0.1 to the C library.
    """
    parts = host.lower().split(".")
    if parts[-1] == "":
        parts.pop()
    numbers = [_parse_number(part) for part in parts]
    if not 1 <= len(numbers) <= 4 or None in numbers:
        return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = last + sum(n << (8 * (3 - i)) for i, n in enumerate(head))
    return IPv4Address(value)


def _parse(url: "str | URL") -> URL:
    if isinstance(url, URL):
        return url
    if not isinstance(url, str) or not url.strip():
        raise RefusedError(INVALID_URL, "refused: the URL is empty")
    try:
        return URL(url.strip())
    except (ValueError, TypeError) as exc:
        raise RefusedError(INVALID_URL, f"refused: {url!r} is not a valid URL ({exc})") from exc


def _check_shape(url: URL) -> None:
    if url.scheme not in SCHEMES:
        which = f"not {url.scheme}" if url.scheme else "and the URL has no scheme"
        raise RefusedError(BAD_SCHEME, f"refused: only http and https can be fetched, {which}")
    if url.raw_user is not None or url.raw_password is not None:
        message = "refused: URLs with a user name or password are not fetched"
        raise RefusedError(CREDENTIALS, message)
    if not url.raw_host:
        raise RefusedError(INVALID_URL, "refused: the URL has no host")
    if not url.port or not 0 < url.port < 65536:
        raise RefusedError(INVALID_URL, f"refused: {url.port} is not a valid port")


def _literal_ip(host: str) -> IPAddress | None:
    """The address of an IP-literal host; refuses a numeric spelling that is not canonical."""
    if ":" in host:
        return parse_ip(unquote(host))
    name = host.rstrip(".")
    if not _NUMERIC_LABEL.match(name.rsplit(".", 1)[-1]):
        return None
    address = parse_legacy_ipv4(name)
    if address is None:
        raise RefusedError(INVALID_URL, f"refused: {host} is not a valid IPv4 address")
    if str(address) != host:
        check_address(address)  # Name the real reason (loopback...) when there is one.
        raise RefusedError(INVALID_URL, f"refused: {host} is a non-standard spelling of {address}")
    return address


def _check_name(host: str) -> None:
    name = normalize_host(host)
    if not _HOST_NAME.match(name) or len(name) > 253:
        raise RefusedError(INVALID_URL, f"refused: {host!r} is not a valid host name")
    reason = _BLOCKED_NAMES.get(name)
    if reason is None and name.endswith(".localhost"):
        reason = "a loopback name"
    if reason is not None:
        raise RefusedError(BLOCKED_ADDRESS, f"refused: {name} is {reason}")


def check_url(
    url: "str | URL",
    *,
    allow_hosts: "AllowList | str | Iterable[str] | None" = None,
    resolver: Callable[[str], Iterable[str]] | None = None,
) -> Target:
    """Check a URL against the policy and return its ``Target``, or raise ``RefusedError``.

    ``allow_hosts`` (default: none) bypasses the address policy for the hosts it lists. With a
    ``resolver`` (a callable host -> IP strings, e.g. a stub in tests), names are resolved and their
    addresses checked too; without one, the fetch's resolver checks them at connection time.
    """
    allow = AllowList.parse(allow_hosts)
    if resolver is None and isinstance(url, str) and len(url) <= CACHED_URL_LENGTH:
        return _checked(url, allow)
    return _check(url, allow, resolver)


CACHED_URL_LENGTH = 2048  # stored sources' addresses (2,000 at most), not servers' redirects


@lru_cache(maxsize=4096)
def _checked(url: str, allow: AllowList) -> Target:
    """``check_url`` without a resolver depends on the URL and the allow list only: a poller
    checks the same few thousand feed addresses every run, a fifth of the cost of a 304. Only
    short strings are kept (redirect targets come as ``URL`` and are not), so what the cache
    holds stays small whatever servers answer. Refusals raise, so they are never cached."""
    return _check(url, allow, None)


def _check(url: "str | URL", allow: AllowList, resolver) -> Target:
    parsed = _parse(url).with_fragment(None)
    _check_shape(parsed)
    host = parsed.raw_host or ""
    ip = _literal_ip(host)
    allowed = allow.allows_address(ip) if ip is not None else allow.allows_name(host)
    target = Target(url=parsed, host=host, port=parsed.port or 0, ip=ip, allowed=allowed)
    if allowed:
        return target
    if ip is not None:
        check_address(ip)
        return target
    _check_name(host)
    if resolver is None:
        return target
    addresses = check_resolved(host, resolver(host), allow)
    return Target(url=parsed, host=host, port=target.port, addresses=tuple(addresses))
