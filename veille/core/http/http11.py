"""One HTTP/1.1 client connection for the lean transport (lean.py): a request at a time, its
answer framed by llhttp (httptools) as the bytes arrive, decompressed within the size cap.

The server is not trusted: everything it sends counts against a budget (headers, body, bytes on
the wire), anything it sends outside the answer to our request retires the connection, and an
answer whose framing leaves doubt (a body declared where none may be) is not followed by another
request on the same connection.
"""

from __future__ import annotations

import asyncio
import time
import zlib

import httptools
from multidict import CIMultiDict, CIMultiDictProxy

MAX_HEADER_BYTES = 64 * 1024  # the status line and headers (or trailers) of one answer
# aiohttp's limits for one line and for the number of headers: both transports refuse alike.
MAX_FIELD_BYTES = 8190
MAX_FIELDS = 128
MAX_GZIP_MEMBERS = 64  # each one a new inflater: thousands of empty ones would only burn CPU
NO_BODY = (204, 304)  # and the answers to HEAD, and 1xx


class Stale(Exception):
    """A connection taken from the pool that closed before any byte of the answer came."""

    def __str__(self) -> str:
        return "the server closed the connection without answering"


class TooLarge(Exception):
    """The answer is larger than the cap."""


class Connection(asyncio.Protocol):
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
            self.close()  # bytes nobody asked for: this connection is out of step
            return
        self._received += len(data)
        if self._received > self._wire_cap:  # e.g. endless empty compressed blocks, or chunks
            self._fail(TooLarge())
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(ValueError("the server switched protocols"))
            return
        except httptools.HttpParserError as error:  # a callback's own error rides along
            cause = error.__context__
            self._fail(cause if isinstance(cause, TooLarge | ValueError) else error)
            return
        # llhttp keeps an unfinished header line itself and tells us only once it ends.
        if not self._headers_done and self._received > MAX_HEADER_BYTES:
            self._fail(ValueError("the response headers are too large"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.reusable = False
        if self._waiter is None or self._waiter.done():
            return
        if self._headers_done and self._until_close:  # HTTP/1.0 style: the body ends here
            try:
                self.on_message_complete()
            except (TooLarge, ValueError) as error:
                self._fail(error)
        elif not self._received:
            self._fail(Stale())
        else:
            self._fail(ConnectionError(f"the connection closed mid-answer ({exc or 'EOF'})"))

    # --- one exchange

    async def send(self, raw: bytes, method: str, max_bytes: int):
        """(status, headers, body) of the answer to ``raw``; raises ``Stale`` only when the
        connection came from the pool (``used``) and said nothing."""
        was_used, self.used = self.used, True
        if not self.reusable or self.transport is None:
            raise Stale() if was_used else ConnectionError("the server closed the connection")
        self._waiter = asyncio.get_running_loop().create_future()
        self._parser = httptools.HttpResponseParser(self)
        # What aiohttp tolerates from servers, no more: bare LF line ends, odd bytes in header
        # values, spaces after a chunk size. Feeds that aiohttp read must read here too.
        self._parser.set_dangerous_leniencies(
            lenient_headers=True,
            lenient_optional_cr_before_lf=True,
            lenient_spaces_after_chunk_size=True,
        )
        self._head = method == "HEAD"
        self._max_bytes = max_bytes
        self._wire_cap = 2 * max_bytes + 2 * MAX_HEADER_BYTES  # chunk framing, trailers
        self._received = 0
        self._headers_done = self._until_close = self._informational = self._finished = False
        self._header_bytes = 0
        self._fields: list[tuple[str, str]] = []
        self._body = bytearray()
        self._inflate: _Inflate | None = None
        self.transport.write(raw)
        try:
            return await self._waiter
        except Stale:
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

    def on_message_begin(self) -> None:
        if self._finished:  # a second answer to one request: out of step, never reused
            self.reusable = False
            raise ValueError("the server sent an answer nobody asked for")

    def on_status(self, status: bytes) -> None:
        self._count_header_bytes(status)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_header_bytes(name + value)
        if len(name) > MAX_FIELD_BYTES or len(value) > MAX_FIELD_BYTES:
            raise ValueError("a response header is too long")
        if not self._headers_done:  # trailers are not headers (RFC 9110, section 6.5)
            if len(self._fields) >= MAX_FIELDS:
                raise ValueError("the response has too many headers")
            self._fields.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        self._informational = 100 <= status < 200
        if self._informational:  # 100 Continue and the like: the answer comes after it
            return
        self._headers_done = True
        self._header_bytes = 0  # trailers get their own allowance
        headers = CIMultiDict(self._fields)
        declared = headers.get("Content-Length", "")
        chunked = "chunked" in headers.get("Transfer-Encoding", "").lower()
        if self._head or status in NO_BODY:
            if declared not in ("", "0") or chunked:
                self.reusable = False  # llhttp reads no body here; a server that sends one
                # anyway would have it taken for the next answer
        elif declared.isdigit() and int(declared) > self._max_bytes:
            raise TooLarge()
        self._until_close = not chunked and not declared and status not in NO_BODY
        self._inflate = _decompressor(headers.get("Content-Encoding", ""))
        if self._head:  # llhttp would wait for a body HEAD answers never have
            self.reusable = False
            self._finish()

    def on_body(self, body: bytes) -> None:
        if self._finished:
            return
        if self._inflate is not None:
            body = self._inflate.decompress(body, self._max_bytes - len(self._body) + 1)
        self._keep(body)

    def on_message_complete(self) -> None:
        if self._informational:
            self._informational, self._fields, self._header_bytes = False, [], 0
            return
        if self._finished:
            return
        if self._inflate is not None:
            self._keep(self._inflate.finish())
        if not self._parser.should_keep_alive():
            self.reusable = False
        self._finish()

    # --- helpers

    def _keep(self, body: bytes) -> None:
        if len(self._body) + len(body) > self._max_bytes:
            raise TooLarge()
        self._body += body

    def _count_header_bytes(self, part: bytes) -> None:
        self._header_bytes += len(part)
        if self._header_bytes > MAX_HEADER_BYTES:
            raise ValueError("the response headers are too large")

    def _finish(self) -> None:
        self._finished = True
        if self._waiter is not None and not self._waiter.done():
            headers = CIMultiDictProxy(CIMultiDict(self._fields))
            status = self._parser.get_status_code()
            self._waiter.set_result((status, headers, bytes(self._body)))

    def _fail(self, error: BaseException) -> None:
        self.reusable = False
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(error)
        self.close()


class _Inflate:
    """gzip (one member or several, one after the other) or deflate (zlib-wrapped or, as some
    servers send it, raw), inflated at most ``max_length`` bytes at a time."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.engine = self._engine()
        self.started = False
        self.members = 1

    def _engine(self, raw: bool = False):
        if self.encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if not self.started and self.encoding == "deflate" and data and data[0] & 0x0F != 8:
            self.engine = self._engine(raw=True)
        self.started = self.started or bool(data)
        out = b""
        try:
            while data and len(out) < max_length:
                if self.engine.eof:
                    if self.encoding != "gzip":
                        break  # bytes after the end of a deflate stream: ignored
                    self.members += 1
                    if self.members > MAX_GZIP_MEMBERS:
                        raise ValueError("the gzip body has too many members")
                    self.engine = self._engine()  # the next gzip member
                out += self.engine.decompress(data, max_length - len(out))
                data = self.engine.unused_data if self.engine.eof else b""
        except zlib.error as error:
            raise ValueError(f"the {self.encoding} body is broken: {error}") from error
        return out

    def finish(self) -> bytes:
        """What is left; refuses a body cut short (stored with its ETag, a truncated feed would
        be kept by every 304 after it)."""
        if not self.started:
            return b""  # no body at all (a 304 that names its encoding, say)
        rest = self.engine.flush()
        if not self.engine.eof:
            raise ValueError(f"the {self.encoding} body is cut short")
        return rest


def _decompressor(encoding: str) -> _Inflate | None:
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return _Inflate("gzip")
    if encoding == "deflate":
        return _Inflate("deflate")
    return None  # identity, or something we did not ask for: kept as sent
