"""A lean HTTP/1.1 transport for the guarded client: keep-alive connections, llhttp parsing.

A guarded request answered ``304 Not Modified`` costs 0.08 to 0.12 ms of CPU through aiohttp,
most of it generality a feed poller never uses (cookies, proxies, tracing, streaming, multipart).
A poll run makes thousands of such requests, so ``GuardedSession(transport="lean")`` sends them
through this module instead: 0.055 ms (bench/http_client.py, docs/decisions/0004).

Only the transport is here. What makes a fetch safe stays where it is, shared by both transports:
the URL policy before every hop and redirects followed by the session (client.py, urls.py), the
address policy before every connection (``GuardedResolver``: we connect to exactly the addresses it
checked), the whole-fetch deadline and the size cap counted on decompressed bytes. Responses are
framed by llhttp (through httptools), the parser aiohttp itself is built on, in http11.py: one
connection and what it refuses from a server. Here: the pool, and the bytes of a request.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
import time
from collections import Counter

import httptools
from multidict import CIMultiDict, CIMultiDictProxy

from .errors import CONNECTION, DNS, INVALID_URL, TLS, TOO_LARGE, FetchError
from .http11 import Connection, Stale, TooLarge
from .resolver import GuardedResolver
from .urls import Target

IDLE_SECONDS = 15.0  # an idle connection older than this is closed rather than reused
CONNECT_SECONDS = 10.0  # for one address (TCP and TLS), within the fetch's own budget
UNLIMITED = 2**31  # a limit of 0, as aiohttp reads it
RETRIED = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})  # idempotent (RFC 9110 9.2.2)
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # methods and header names (RFC 9110 5.6.2)
_UNSAFE_IN_HEADERS = str.maketrans("", "", "\r\n\0")


class Answer:
    """One response, read whole: status, headers and the decompressed body."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: CIMultiDictProxy[str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body


class LeanPool:
    """Keep-alive connections per (scheme, host, port), at most ``limit`` requests at once and
    ``limit_per_host`` per host (0: no limit), for one ``GuardedSession``. At most ``limit``
    connections wait idle, each for IDLE_SECONDS at most."""

    def __init__(self, *, resolver: GuardedResolver, limit: int, limit_per_host: int) -> None:
        self._resolver = resolver
        self._limit = limit or UNLIMITED
        self._limit_per_host = limit_per_host or UNLIMITED
        self._all = asyncio.Semaphore(self._limit)
        self._hosts: dict[tuple, asyncio.Semaphore] = {}
        self._waiting: Counter[tuple] = Counter()  # requests holding or awaiting a host's slot
        self._idle: dict[tuple, list[Connection]] = {}
        self._idle_count = 0
        self._swept = time.monotonic()
        self._tls: ssl.SSLContext | None = None

    async def close(self) -> None:
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()
        self._idle_count = 0

    async def request(
        self, target: Target, method: str, headers: CIMultiDict[str], data: bytes | None,
        max_bytes: int,
    ) -> Answer:  # fmt: skip
        """Send one request and read its answer; the caller bounds it in time."""
        raw = _request_bytes(target, method, headers, data)
        key = (target.url.scheme, target.host, target.port)
        self._sweep()
        host = self._hosts.get(key) or self._hosts.setdefault(
            key, asyncio.Semaphore(self._limit_per_host)
        )
        self._waiting[key] += 1
        try:
            # The host's slot first: requests queued for one busy host hold no global slot.
            async with host, self._all:
                return await self._send(target, key, raw, method, max_bytes)
        except TooLarge as error:
            raise too_large(target, max_bytes) from error
        except (httptools.HttpParserError, ValueError) as error:
            raise _broken(target, "the response was not valid HTTP", error) from error
        except (ConnectionError, Stale) as error:
            raise _broken(target, "the response body was broken", error) from error
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._hosts[key]

    async def _send(self, target: Target, key, raw: bytes, method: str, max_bytes: int):
        connection = self._idle_connection(key)
        if connection is not None:
            try:
                return await self._exchange(connection, key, raw, method, max_bytes)
            except Stale:
                if method not in RETRIED:
                    raise  # the server may have acted on it before closing: not sent twice
            # The server closed it while it was idle: once more, on a new connection.
        connection = await self._connect(target)
        return await self._exchange(connection, key, raw, method, max_bytes)

    async def _exchange(self, connection, key, raw: bytes, method: str, max_bytes: int) -> Answer:
        try:
            status, headers, body = await connection.send(raw, method, max_bytes)
        except BaseException:
            connection.close()  # half-read or timed out: never reused
            raise
        if connection.reusable and self._idle_count < self._limit:
            self._idle.setdefault(key, []).append(connection)
            self._idle_count += 1
        else:
            connection.close()
        return Answer(status, headers, body)

    def _idle_connection(self, key) -> Connection | None:
        idle = self._idle.get(key)
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if connection.reusable and time.monotonic() - connection.last_used < IDLE_SECONDS:
                return connection
            connection.close()
        return None

    def _sweep(self) -> None:
        """Close the connections idle for too long, whichever host they are for (a poll run
        visits thousands of hosts once: their connections must not stay open till the end)."""
        now = time.monotonic()
        if now - self._swept < IDLE_SECONDS / 3:
            return
        self._swept = now
        for key, connections in list(self._idle.items()):
            kept = [c for c in connections if c.reusable and now - c.last_used < IDLE_SECONDS]
            for connection in connections:
                if connection not in kept:
                    connection.close()
            self._idle_count -= len(connections) - len(kept)
            if kept:
                self._idle[key] = kept
            else:
                del self._idle[key]

    async def _connect(self, target: Target) -> Connection:
        """A new connection to the first address that answers, among the checked ones."""
        if target.ip is not None:
            addresses = [str(target.ip)]
        else:
            try:
                answers = await self._resolver.resolve(target.host, target.port, socket.AF_UNSPEC)
            except OSError as error:
                raise FetchError(
                    DNS, f"could not resolve the host fetching {target.url}: {error}",
                    url=str(target.url),
                ) from error  # fmt: skip
            addresses = [answer["host"] for answer in answers]
        tls = self._tls_context() if target.url.scheme == "https" else None
        loop = asyncio.get_running_loop()
        failure: BaseException | None = None
        for address in addresses:
            try:
                # Each address gets at most CONNECT_SECONDS (aiohttp's sock_connect): one that
                # drops connection attempts must not use up the budget the next one needs.
                async with asyncio.timeout(CONNECT_SECONDS):
                    _, connection = await loop.create_connection(
                        Connection, address, target.port, ssl=tls,
                        server_hostname=target.host.rstrip(".") if tls else None,
                    )  # fmt: skip
                return connection
            except ssl.SSLCertVerificationError as error:
                raise _tls(target, "the TLS certificate was refused", error) from error
            except ssl.SSLError as error:
                raise _tls(target, "the TLS handshake failed", error) from error
            except OSError as error:
                failure = error
        raise FetchError(
            CONNECTION, f"the connection failed fetching {target.url}: {failure}",
            url=str(target.url),
        ) from failure  # fmt: skip

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = ssl.create_default_context()
            self._tls.set_alpn_protocols(["http/1.1"])
        return self._tls


def _request_bytes(target: Target, method: str, headers, data: bytes | None) -> bytes:
    if not _TOKEN.match(method):
        raise FetchError(INVALID_URL, f"refused: {method!r} is not an HTTP method")
    url = target.url
    host = url.raw_host or ""
    if ":" in host:
        host = f"[{host}]"
    if not url.is_default_port():
        host = f"{host}:{url.port}"
    fields = {"host": ("Host", host)}
    for name, value in headers.items():
        if not _TOKEN.match(name) or _unsafe(value):
            raise FetchError(INVALID_URL, f"refused: the request header {name!r} is not valid")
        fields[name.lower()] = (name, value)  # the caller's Host replaces ours
    fields.setdefault("accept-encoding", ("Accept-Encoding", "gzip, deflate"))
    fields.setdefault("accept", ("Accept", "*/*"))
    if data is not None or method in ("POST", "PUT", "PATCH"):
        fields["content-length"] = ("Content-Length", str(len(data or b"")))
    lines = [f"{method} {url.raw_path_qs or '/'} HTTP/1.1"]
    lines += [f"{name}: {value}" for name, value in fields.values()]
    try:
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    except UnicodeEncodeError as error:
        message = f"refused: a request header is not Latin-1: {error}"
        raise FetchError(INVALID_URL, message) from error
    return head + (data or b"")


def _unsafe(text: str) -> bool:
    """CR, LF or NUL: a header that would end early and start another (request smuggling)."""
    return text.translate(_UNSAFE_IN_HEADERS) != text


def parse_content_type(value: str) -> tuple[str, str | None]:
    """("text/html", "utf-8") from "text/html; charset=utf-8"; aiohttp's defaults."""
    kind, *parameters = value.split(";")
    charset = None
    for parameter in parameters:
        name, _, setting = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = setting.strip().strip('"') or None
    return kind.strip().lower() or "application/octet-stream", charset


def _tls(target: Target, what: str, error: BaseException) -> FetchError:
    return FetchError(TLS, f"{what} fetching {target.url}: {error}", url=str(target.url))


def _broken(target: Target, what: str, error: BaseException) -> FetchError:
    return FetchError(CONNECTION, f"{what} fetching {target.url}: {error}", url=str(target.url))


def too_large(target: Target, max_bytes: int) -> FetchError:
    message = f"refused: the response from {target.url.host} is larger than {max_bytes} bytes"
    return FetchError(TOO_LARGE, message, url=str(target.url))
