"""A lean HTTP/1.1 transport for the guarded client: keep-alive connections, llhttp parsing.

aiohttp spends about 0.13 ms of CPU on a request answered ``304 Not Modified``; most of it goes to
generality a feed poller never uses (cookies, proxies, tracing, streaming, multipart). A poll run
makes thousands of such requests, so ``GuardedSession(transport="lean")`` sends them through this
module instead, at about 0.045 ms each (docs/decisions/0004-lean-http-transport.md).

Only the transport is here. What makes a fetch safe stays where it is, shared by both transports:
the URL policy before every hop and redirects followed by the session (client.py, urls.py), the
address policy before every connection (``GuardedResolver``: we connect to exactly the addresses it
checked), the whole-fetch deadline and the size cap counted on decompressed bytes. Responses are
framed by llhttp (through httptools), the parser aiohttp itself is built on.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
import zlib
from collections import defaultdict

import httptools
from multidict import CIMultiDict, CIMultiDictProxy

from .errors import CONNECTION, DNS, INVALID_URL, TLS, TOO_LARGE, FetchError
from .resolver import GuardedResolver
from .urls import Target

IDLE_SECONDS = 15.0  # an idle connection older than this is closed rather than reused
MAX_HEADER_BYTES = 64 * 1024  # status line and headers together
_UNSAFE_IN_HEADERS = str.maketrans("", "", "\r\n\0")


class Answer:
    """One response, read whole: status, headers and the decompressed body."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: CIMultiDictProxy[str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def content_type(self) -> str:
        return _content_type(self.headers.get("Content-Type", ""))[0]

    @property
    def charset(self) -> str | None:
        return _content_type(self.headers.get("Content-Type", ""))[1]


class LeanPool:
    """Keep-alive connections per (scheme, host, port), at most ``limit`` requests at once and
    ``limit_per_host`` per host, for one ``GuardedSession``."""

    def __init__(self, *, resolver: GuardedResolver, limit: int, limit_per_host: int) -> None:
        self._resolver = resolver
        self._all = asyncio.Semaphore(limit)
        self._per_host: defaultdict[tuple, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(limit_per_host)
        )
        self._idle: defaultdict[tuple, list[_Connection]] = defaultdict(list)
        self._limit_per_host = limit_per_host
        self._tls: ssl.SSLContext | None = None

    async def close(self) -> None:
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()

    async def request(
        self, target: Target, method: str, headers: CIMultiDict[str], data: bytes | None,
        max_bytes: int,
    ) -> Answer:  # fmt: skip
        """Send one request and read its answer; the caller bounds it in time."""
        raw = _request_bytes(target, method, headers, data)
        key = (target.url.scheme, target.host, target.port)
        async with self._all, self._per_host[key]:
            try:
                return await self._send(target, key, raw, method, max_bytes)
            except _TooLarge as error:
                raise too_large(target, max_bytes) from error
            except (httptools.HttpParserError, ValueError) as error:
                raise _broken(target, "the response was not valid HTTP", error) from error
            except ConnectionError as error:
                raise _broken(target, "the response body was broken", error) from error

    async def _send(self, target: Target, key, raw: bytes, method: str, max_bytes: int):
        connection = self._idle_connection(key)
        if connection is not None:
            try:
                return await self._exchange(connection, key, raw, method, max_bytes)
            except _Stale:
                pass  # the server closed it while it was idle: once more, on a new connection
        connection = await self._connect(target)
        return await self._exchange(connection, key, raw, method, max_bytes)

    async def _exchange(self, connection, key, raw: bytes, method: str, max_bytes: int) -> Answer:
        try:
            status, headers, body = await connection.send(raw, method, max_bytes)
        except BaseException:
            connection.close()  # half-read or timed out: never reused
            raise
        if connection.reusable:
            idle = self._idle[key]
            if len(idle) < self._limit_per_host:
                idle.append(connection)
            else:
                connection.close()
        else:
            connection.close()
        return Answer(status, headers, body)

    def _idle_connection(self, key) -> _Connection | None:
        idle = self._idle[key]
        while idle:
            connection = idle.pop()
            if connection.reusable and time.monotonic() - connection.last_used < IDLE_SECONDS:
                return connection
            connection.close()
        return None

    async def _connect(self, target: Target) -> _Connection:
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
                _, connection = await loop.create_connection(
                    _Connection, address, target.port, ssl=tls,
                    server_hostname=target.host if tls else None,
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


class _Stale(Exception):
    """A reused connection that closed before any byte of the answer came."""


class _TooLarge(Exception):
    pass


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: a request at a time, its answer parsed as it arrives."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.reusable = False
        self.used = False
        self.last_used = time.monotonic()
        self._waiter: asyncio.Future | None = None

    # --- asyncio.Protocol

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.reusable = True

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            self.reusable = False  # bytes nobody asked for: this connection is out of step
            self.close()
            return
        self._received = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:  # a callback's own error rides along
            cause = error.__context__
            self._fail(cause if isinstance(cause, _TooLarge | ValueError) else error)

    def connection_lost(self, exc: Exception | None) -> None:
        self.reusable = False
        if self._waiter is None or self._waiter.done():
            return
        if self._headers_done and self._until_close:  # HTTP/1.0 style: the body ends here
            try:
                self.on_message_complete()
            except Exception as error:  # noqa: BLE001 - a broken compressed ending, too large
                self._fail(error)
        elif not self._received:
            self._fail(_Stale())
        else:
            self._fail(ConnectionError(f"the connection closed mid-answer ({exc or 'EOF'})"))

    # --- one exchange

    async def send(self, raw: bytes, method: str, max_bytes: int):
        if not self.reusable or self.transport is None:
            raise _Stale()
        self._waiter = asyncio.get_running_loop().create_future()
        self._parser = httptools.HttpResponseParser(self)
        self._head = method == "HEAD"
        self._max_bytes = max_bytes
        self._received = self._headers_done = self._until_close = self._informational = False
        self._header_bytes = 0
        self._fields: list[tuple[str, str]] = []
        self._chunks: list[bytes] = []
        self._size = 0
        self._inflate = None
        was_used, self.used = self.used, True
        self.transport.write(raw)
        try:
            return await self._waiter
        except _Stale:
            if not was_used:  # a new connection: no reason to think another would do better
                raise ConnectionError("the server closed the connection") from None
            raise
        finally:
            self.last_used = time.monotonic()

    def close(self) -> None:
        self.reusable = False
        if self.transport is not None:
            self.transport.close()

    # --- httptools callbacks

    def on_status(self, status: bytes) -> None:
        self._count_header_bytes(status)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_header_bytes(name + value)
        self._fields.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        self._informational = 100 <= status < 200 and status != 101
        if self._informational:  # 100 Continue and the like: the answer comes after it
            return
        self._headers_done = True
        headers = CIMultiDict(self._fields)
        declared = headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise _TooLarge()
        chunked = "chunked" in headers.get("Transfer-Encoding", "").lower()
        self._until_close = not chunked and not declared and status not in (204, 304)
        self._inflate = _decompressor(headers.get("Content-Encoding", ""))
        if self._head:  # llhttp would wait for a body HEAD answers never have
            self.reusable = False
            self._finish()

    def on_body(self, body: bytes) -> None:
        if self._inflate is not None:
            body = self._inflate.decompress(body, self._max_bytes - self._size + 1)
        self._keep(body)

    def on_message_complete(self) -> None:
        if self._informational:
            self._informational, self._fields, self._header_bytes = False, [], 0
            return
        if self._inflate is not None:
            self._keep(self._inflate.flush())
        if not self._parser.should_keep_alive():
            self.reusable = False
        self._finish()

    # --- helpers

    def _keep(self, body: bytes) -> None:
        self._size += len(body)
        if self._size > self._max_bytes:
            raise _TooLarge()
        self._chunks.append(body)

    def _count_header_bytes(self, part: bytes) -> None:
        self._header_bytes += len(part)
        if self._header_bytes > MAX_HEADER_BYTES:
            raise ValueError("the response headers are too large")

    def _finish(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            headers = CIMultiDictProxy(CIMultiDict(self._fields))
            status = self._parser.get_status_code()
            self._waiter.set_result((status, headers, b"".join(self._chunks)))

    def _fail(self, error: BaseException) -> None:
        self.reusable = False
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(error)
        self.close()


class _Inflate:
    """gzip or deflate (zlib-wrapped or, as some servers send it, raw)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.engine = zlib.decompressobj(16 + zlib.MAX_WBITS if encoding != "deflate" else 0)
        self.started = False

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if not self.started and self.encoding == "deflate" and data and data[0] & 0x0F != 8:
            self.engine = zlib.decompressobj(-zlib.MAX_WBITS)
        self.started = True
        try:
            return self.engine.decompress(data, max(max_length, 1))
        except zlib.error as error:
            raise ValueError(f"the {self.encoding} body is broken: {error}") from error

    def flush(self) -> bytes:
        return self.engine.flush()


def _decompressor(encoding: str) -> _Inflate | None:
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return _Inflate("gzip")
    if encoding == "deflate":
        return _Inflate("deflate")
    return None  # identity, or something we did not ask for: kept as sent


def _request_bytes(target: Target, method: str, headers, data: bytes | None) -> bytes:
    url = target.url
    host = url.raw_host or ""
    if ":" in host:
        host = f"[{host}]"
    if not url.is_default_port():
        host = f"{host}:{url.port}"
    lines = [f"{method} {url.raw_path_qs or '/'} HTTP/1.1", f"Host: {host}"]
    sent = {"host"}
    for name, value in headers.items():
        if _unsafe(name) or _unsafe(value):
            raise FetchError(INVALID_URL, f"refused: the request header {name!r} is not valid")
        lines.append(f"{name}: {value}")
        sent.add(name.lower())
    if "accept-encoding" not in sent:
        lines.append("Accept-Encoding: gzip, deflate")
    if "accept" not in sent:
        lines.append("Accept: */*")
    if data is not None or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(data or b'')}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="strict")
    return head + (data or b"")


def _unsafe(text: str) -> bool:
    """CR, LF or NUL: a header that would end early and start another (request smuggling)."""
    return text.translate(_UNSAFE_IN_HEADERS) != text


def _content_type(value: str) -> tuple[str, str | None]:
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
