"""The guarded HTTP client: every outbound fetch of Veille goes through ``GuardedSession``.

aiohttp does the HTTP; this module adds what makes fetching URLs chosen by users or remote servers
safe: the URL policy before every request, the resolver policy at connection time (resolver.py),
redirects followed here rather than by aiohttp so that each hop is checked and reported, one time
budget for the whole fetch, and a size cap counted on the decompressed bytes as they stream in (a
small gzip body that inflates to gigabytes stops at the cap).
"""

import asyncio
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from . import config
from .errors import (
    CONNECTION,
    DNS,
    INVALID_URL,
    TIMEOUT,
    TLS,
    TOO_LARGE,
    TOO_MANY_REDIRECTS,
    FetchError,
    RefusedError,
)
from .lean import LeanPool, parse_content_type
from .policy import AllowList
from .resolver import GuardedResolver, Lookup
from .result import FetchResult
from .urls import Target, check_url

# "aiohttp" for everything; "lean" (lean.py) for plain requests in bulk, such as feed polls.
TRANSPORTS = ("aiohttp", "lean")
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK_SIZE = 64 * 1024
# Credentials meant for one origin are not handed to the next one (RFC 9110, section 15.4).
_ORIGIN_BOUND_HEADERS = ("Authorization", "Cookie", "Proxy-Authorization")
_ERRORS = (
    (aiohttp.ClientConnectorDNSError, DNS, "could not resolve the host"),
    (aiohttp.ClientConnectorCertificateError, TLS, "the TLS certificate was refused"),
    (aiohttp.ClientSSLError, TLS, "the TLS handshake failed"),
    (aiohttp.InvalidURL, INVALID_URL, "the URL is not valid"),
    (aiohttp.ClientPayloadError, CONNECTION, "the response body was broken"),
    (aiohttp.ClientResponseError, CONNECTION, "the response was not valid HTTP"),
    (aiohttp.ClientError, CONNECTION, "the connection failed"),
)


@dataclass(frozen=True)
class _Request:
    method: str
    headers: CIMultiDict[str]
    data: bytes | None


class GuardedSession:
    """One aiohttp session and connection pool for many guarded fetches (``async with``)."""

    def __init__(
        self,
        *,
        limit: int = 100,
        limit_per_host: int = 6,
        resolver: Lookup | None = None,
        allow_hosts: "AllowList | str | Iterable[str] | None" = None,
        user_agent: str | None = None,
        timeout: float | None = None,
        max_bytes: int | None = None,
        max_redirects: int = config.DEFAULT_MAX_REDIRECTS,
        transport: str = "aiohttp",
    ) -> None:
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {TRANSPORTS}, not {transport!r}")
        self.transport = transport
        self.allow = config.allow_list() if allow_hosts is None else AllowList.parse(allow_hosts)
        self.timeout = timeout or config.timeout()
        self.max_bytes = max_bytes or config.max_bytes()
        self.max_redirects = max_redirects
        self._user_agent = user_agent or config.user_agent()
        self._pool = {"limit": limit, "limit_per_host": limit_per_host}
        self._lookup = resolver
        self._session: aiohttp.ClientSession | None = None
        self._lean: LeanPool | None = None

    async def __aenter__(self) -> "GuardedSession":
        resolver = GuardedResolver(allow=self.allow, lookup=self._lookup)
        if self.transport == "lean":
            self._lean = LeanPool(resolver=resolver, **self._pool)
            return self
        connector = aiohttp.TCPConnector(resolver=resolver, **self._pool)
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # No state carried from one site to the next.
            trust_env=False,  # A proxy from the environment would connect where we did not check.
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._lean is not None:
            await self._lean.close()
            self._lean = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        data: bytes | None = None,
        max_bytes: int | None = None,
        timeout: float | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """Fetch ``url`` within the policy; raise ``FetchError`` when no response is available."""
        if self._session is None and self._lean is None:
            raise RuntimeError("GuardedSession.fetch() needs 'async with GuardedSession()'.")
        budget = timeout or self.timeout
        request_headers = _request_headers(headers, accept, self._user_agent)
        request = _Request(method.upper(), request_headers, data)
        started = time.monotonic()
        try:
            result = await self._follow(
                str(url), request, max_bytes or self.max_bytes, deadline=started + budget
            )
        except TimeoutError as exc:
            message = f"timed out after {budget:g} s fetching {url}"
            raise FetchError(TIMEOUT, message, url=str(url)) from exc
        except aiohttp.ClientError as exc:
            raise _translate(exc, str(url)) from exc
        result.elapsed = time.monotonic() - started
        return result

    async def _follow(
        self, url: str, request: _Request, max_bytes: int, *, deadline: float
    ) -> FetchResult:
        target = check_url(url, allow_hosts=self.allow)
        redirects: list[tuple[int, str]] = []
        hop = self._lean_hop if self._lean is not None else self._aiohttp_hop
        while True:
            status, location, result = await hop(target, request, max_bytes, deadline)
            if location is None:
                result.url, result.redirects = url, redirects
                return result
            if len(redirects) >= self.max_redirects:
                message = f"refused: more than {self.max_redirects} redirects from {url}"
                raise FetchError(TOO_MANY_REDIRECTS, message, url=url)
            next_target = check_url(target.url.join(location), allow_hosts=self.allow)
            redirects.append((status, str(next_target.url)))
            request = _redirected(request, status, target, next_target)
            target = next_target

    async def _aiohttp_hop(self, target: Target, request: _Request, max_bytes: int, deadline):
        """(status, redirect location or None, the result when there is no redirect)."""
        async with self._session.request(
            request.method,
            target.url,
            headers=request.headers,
            data=request.data,
            allow_redirects=False,
            timeout=_client_timeout(deadline),
        ) as response:
            location = _redirect_location(response.status, response.headers.get("Location"))
            if location is not None:
                return response.status, location, None  # its body is not read
            body = await _read_body(response, max_bytes, request.method)
            return response.status, None, _result(response, body)

    async def _lean_hop(self, target: Target, request: _Request, max_bytes: int, deadline):
        async with asyncio.timeout(_time_left(deadline)):
            answer = await self._lean.request(
                target, request.method, request.headers, request.data, max_bytes
            )
        location = _redirect_location(answer.status, answer.headers.get("Location"))
        if location is not None:
            return answer.status, location, None
        content_type, charset = parse_content_type(answer.headers.get("Content-Type", ""))
        result = FetchResult(
            url="",  # set by _follow
            final_url=str(target.url),
            status=answer.status,
            headers=answer.headers,
            body=answer.body,
            content_type=content_type,
            charset=charset,
        )
        return answer.status, None, result


async def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    data: bytes | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    accept: str | None = None,
    session: GuardedSession | None = None,
    resolver: Lookup | None = None,
    allow_hosts: "AllowList | str | Iterable[str] | None" = None,
    transport: str = "aiohttp",
) -> FetchResult:
    """Fetch one URL, in ``session`` when given (reuses its pool), else in a short-lived one."""
    options = {"method": method, "headers": headers, "data": data, "accept": accept}
    options.update(max_bytes=max_bytes, timeout=timeout)
    if session is not None:
        if resolver is not None or allow_hosts is not None or transport != "aiohttp":
            raise TypeError("resolver, allow_hosts and transport are set on the GuardedSession.")
        return await session.fetch(url, **options)
    own_session = GuardedSession(
        limit=8, resolver=resolver, allow_hosts=allow_hosts, transport=transport
    )
    async with own_session as own:
        return await own.fetch(url, **options)


def _request_headers(
    headers: Mapping[str, str] | None, accept: str | None, user_agent: str
) -> CIMultiDict[str]:
    merged = CIMultiDict(headers or {})
    merged.setdefault("User-Agent", user_agent)  # the caller's, else the session's
    if accept:
        merged["Accept"] = accept
    return merged


def _time_left(deadline: float) -> float:
    """Seconds left of the fetch's budget, for the next hop; none left is a timeout."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _client_timeout(deadline: float) -> aiohttp.ClientTimeout:
    """What is left of the fetch's budget, for one hop: aiohttp's ``total`` covers connecting,
    sending and reading the whole body. One timer a request (not one per read, as ``sock_read``
    would add): a feed poll makes thousands of requests, and timers were a tenth of their cost."""
    left = _time_left(deadline)
    return aiohttp.ClientTimeout(total=left, sock_connect=min(left, 10))


def _redirect_location(status: int, location: str | None) -> URL | None:
    if status not in _REDIRECT_STATUSES or not location:
        return None
    try:
        return URL(location)
    except ValueError as exc:
        raise RefusedError(INVALID_URL, f"refused: invalid redirect to {location!r}") from exc


def _redirected(request: _Request, status: int, old: Target, new: Target) -> _Request:
    """The request for the next hop, as browsers make it (RFC 9110, section 15.4)."""
    method, data, headers = request.method, request.data, request.headers.copy()
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        method, data = "GET", None
        headers.popall("Content-Type", None)
    if old.url.origin() != new.url.origin():
        for name in _ORIGIN_BOUND_HEADERS:
            headers.popall(name, None)
    return _Request(method, headers, data)


async def _read_body(response: aiohttp.ClientResponse, max_bytes: int, method: str) -> bytes:
    """The decompressed body, read in chunks and abandoned as soon as it passes ``max_bytes``."""
    if method == "HEAD":
        return b""
    declared = response.content_length
    # A 304 may state the size of the body it does not send (RFC 9110, section 8.6).
    if declared is not None and declared > max_bytes and response.status not in (204, 304):
        raise _too_large(response, max_bytes)
    chunks, size = [], 0
    async for chunk in response.content.iter_chunked(_CHUNK_SIZE):
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(response, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(response: aiohttp.ClientResponse, max_bytes: int) -> FetchError:
    message = f"refused: the response from {response.url.host} is larger than {max_bytes} bytes"
    return FetchError(TOO_LARGE, message, url=str(response.url))


def _result(response: aiohttp.ClientResponse, body: bytes) -> FetchResult:
    return FetchResult(
        url="",  # set by _follow, with the redirects
        final_url=str(response.url),
        status=response.status,
        headers=response.headers,
        body=body,
        content_type=response.content_type,
        charset=response.charset,
    )


def _translate(exc: aiohttp.ClientError, url: str) -> FetchError:
    for kind, code, what in _ERRORS:
        if isinstance(exc, kind):
            return FetchError(code, f"{what} fetching {url}: {exc}", url=url)
    return FetchError(CONNECTION, f"the connection failed fetching {url}: {exc}", url=url)
