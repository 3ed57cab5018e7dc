"""The lean transport on the wire: keep-alive, framing, compression, and servers that misbehave.

Policy, redirects, caps and timeouts are tested on both transports in test_http_client.py; these
tests need exact bytes on the wire, so the server here is a raw asyncio one that answers each path
with a scripted response.
"""

import asyncio
import datetime
import gzip
import ssl
import threading
import zlib

import pytest

from veille.core.http import FetchError, GuardedSession, lean

HOST = "127.0.0.1"


def _response(status: str, body: bytes = b"", *headers: str, length: bool = True) -> bytes:
    lines = [f"HTTP/1.1 {status}", *headers]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _chunked(body: bytes, size: int = 7) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


FEED = b"<rss><channel><title>Toulouse</title></channel></rss>" * 20
GZIP = "Content-Encoding: gzip"
SCRIPTS = {
    # path: (bytes to send, then close the connection?)
    "/ok": (_response("200 OK", b"hello", "Content-Type: text/plain; charset=iso-8859-1"), False),
    "/ok-then-close": (_response("200 OK", b"bye"), True),
    "/304": (_response("304 Not Modified", b"", 'ETag: "v1"', length=False), False),
    "/304-with-junk": (_response("304 Not Modified", b"", length=False) + b"junk", False),
    "/http10": (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", True),
    "/chunked-gzip": (
        _response("200 OK", b"", "Transfer-Encoding: chunked", "Content-Encoding: gzip", length=0)
        + _chunked(gzip.compress(FEED)),
        False,
    ),
    "/raw-deflate": (
        _response(
            "200 OK", zlib.compress(FEED)[2:-4], "Content-Encoding: deflate"
        ),  # no zlib header: as some servers send "deflate"
        False,
    ),
    "/continue": (_response("100 Continue", length=False) + _response("200 OK", b"after"), False),
    "/garbage": (b"this is not HTTP at all\r\n\r\n", True),
    "/truncated": (_response("200 OK", b"x" * 100)[:-90], True),
    "/silent": (b"", True),
    "/endless-header": (b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000, False),
    "/two-answers": (
        _response("200 OK", b"one") + _response("200 OK", b"stray"),
        False,
    ),
    "/304-declaring-a-body": (
        _response("304 Not Modified", b"", "Content-Length: 61", length=False),
        False,
    ),
    "/switch": (_response("101 Switching Protocols", b"", "Upgrade: websocket", length=0), False),
    "/gzip-cut-short": (_response("200 OK", gzip.compress(FEED)[:-12], GZIP), False),
    "/gzip-two-members": (
        _response("200 OK", gzip.compress(b"one,") + gzip.compress(b"two"), GZIP),
        False,
    ),
    "/trailers": (
        _response("200 OK", b"", "Transfer-Encoding: chunked", "Trailer: ETag", length=False)
        + b'5\r\nhello\r\n0\r\nETag: "from-trailer"\r\n\r\n',
        False,
    ),
    "/sloppy": (b"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length : 2\n\nok", False),
    "/long-header": (_response("200 OK", b"", f"X-Long: {'z' * 9000}"), False),
    "/gzip-many-members": (_response("200 OK", gzip.compress(b"") * 100, GZIP), False),
    "/huge-headers": (
        _response("200 OK", b"", *(f"X-Filler-{n}: {'y' * 1000}" for n in range(80))),
        False,
    ),
}


class RawServer:
    """Answers each request with its path's script; counts connections and requests."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        self.connections = 0
        self.requests: list[bytes] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()
        self.server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, HOST, 0, ssl=self.tls), self.loop
        ).result(5)
        self.port = self.server.sockets[0].getsockname()[1]

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    def url(self, path: str, host: str = HOST) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    async def _serve(self, reader, writer) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                self.requests.append(head)
                path = head.split(b" ")[1].decode()
                if path == "/drop-post":  # acts on the POST, then the connection drops unanswered
                    break
                answer, close = SCRIPTS[path]
                writer.write(answer)
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


@pytest.fixture(scope="module")
def raw():
    server = RawServer()
    server.start()
    yield server
    server.close()


def fetch_all(*paths: str, server: RawServer, method: str = "GET", **options):
    """Fetch the paths one after the other in one lean session; errors are returned, not raised.
    ``method`` is for the last path; the others are GETs."""

    async def run():
        session = GuardedSession(allow_hosts=[HOST], transport="lean", timeout=5, **options)
        async with session:
            results = []
            for n, path in enumerate(paths, start=1):
                how = (
                    {"method": method, "data": b"{}"} if method != "GET" and n == len(paths) else {}
                )
                try:
                    results.append(await session.fetch(server.url(path), **how))
                except FetchError as error:
                    results.append(error)
            return results

    return asyncio.run(run())


def test_one_connection_serves_many_requests(raw):
    before = raw.connections
    results = fetch_all(*["/ok"] * 10, "/304", "/ok", server=raw)
    assert [r.status for r in results] == [200] * 10 + [304, 200]
    assert raw.connections - before == 1
    first = results[0]
    assert (first.body, first.content_type, first.charset) == (b"hello", "text/plain", "iso-8859-1")
    assert results[10].headers["ETag"] == '"v1"'


def test_the_request_carries_host_agent_accept_and_validators(raw):
    async def run():
        async with GuardedSession(allow_hosts=[HOST], transport="lean") as session:
            await session.fetch(raw.url("/304"), headers={"If-None-Match": '"v1"'})

    asyncio.run(run())
    head = raw.requests[-1].decode()
    assert head.startswith("GET /304 HTTP/1.1\r\n")
    assert f"Host: {HOST}:{raw.port}\r\n" in head
    assert "User-Agent: Veille/0.1" in head
    assert 'If-None-Match: "v1"\r\n' in head
    assert "Accept-Encoding: gzip, deflate\r\n" in head


def test_a_connection_the_server_closed_while_idle_is_replaced(raw):
    before = raw.connections
    results = fetch_all("/ok-then-close", "/ok", "/ok", server=raw)
    assert [r.status for r in results] == [200, 200, 200]
    assert raw.connections - before == 2


def test_bytes_after_an_answer_retire_the_connection(raw):
    before = raw.connections
    results = fetch_all("/304-with-junk", "/ok", server=raw)
    assert [r.status for r in results] == [304, 200]
    assert raw.connections - before == 2


def test_a_body_that_ends_when_the_connection_closes(raw):
    [result] = fetch_all("/http10", server=raw)
    assert (result.status, result.body) == (200, b"until the end")


def test_chunked_gzip_and_raw_deflate_bodies_are_decoded(raw):
    chunked, deflated = fetch_all("/chunked-gzip", "/raw-deflate", server=raw)
    assert chunked.body == FEED
    assert deflated.body == FEED


def test_compressed_bodies_count_against_the_cap_once_inflated(raw):
    [error] = fetch_all("/chunked-gzip", server=raw, max_bytes=len(FEED) - 1)
    assert error.code == "too_large"


def test_an_informational_answer_is_skipped(raw):
    [result] = fetch_all("/continue", server=raw)
    assert (result.status, result.body) == (200, b"after")


def test_an_answer_after_the_answer_retires_the_connection(raw):
    before = raw.connections
    results = fetch_all("/two-answers", "/ok", server=raw)
    assert [(r.status, r.body) for r in results] == [(200, b"one"), (200, b"hello")]
    assert raw.connections - before == 2


def test_a_304_declaring_a_body_is_no_error_but_retires_the_connection(raw):
    before = raw.connections
    results = fetch_all("/304-declaring-a-body", "/ok", server=raw, max_bytes=10)
    assert [r.status for r in results] == [304, 200]
    assert raw.connections - before == 2


def test_a_post_the_server_may_have_acted_on_is_not_sent_again(raw):
    sent = sum(head.startswith(b"POST /drop-post") for head in raw.requests)
    _, error = fetch_all("/ok", "/drop-post", server=raw, method="POST")
    assert isinstance(error, FetchError) and error.code == "connection"
    assert sum(head.startswith(b"POST /drop-post") for head in raw.requests) == sent + 1


def test_gzip_bodies_cut_short_are_refused_and_all_members_are_read(raw):
    cut, members = fetch_all("/gzip-cut-short", "/gzip-two-members", server=raw)
    assert isinstance(cut, FetchError) and "gzip body is cut short" in str(cut)
    assert members.body == b"one,two"


def test_trailers_do_not_become_headers(raw):
    [result] = fetch_all("/trailers", server=raw)
    assert result.body == b"hello"
    assert "ETag" not in result.headers


def test_what_aiohttp_tolerates_from_sloppy_servers_is_read(raw):
    [result] = fetch_all("/sloppy", server=raw)
    assert (result.status, result.body, result.content_type) == (200, b"ok", "text/plain")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/long-header", "the response was not valid HTTP"),
        ("/gzip-many-members", "the response was not valid HTTP"),
        ("/endless-header", "the response was not valid HTTP"),
        ("/switch", "the response was not valid HTTP"),
        ("/garbage", "the response was not valid HTTP"),
        ("/truncated", "the response body was broken"),
        ("/silent", "the response body was broken"),
        ("/huge-headers", "the response was not valid HTTP"),
    ],
)
def test_broken_answers_are_connection_errors_that_say_why(raw, path, reason):
    [error] = fetch_all(path, server=raw)
    assert isinstance(error, FetchError)
    assert error.code == "connection"
    assert str(error).startswith(f"{reason} fetching {raw.url(path)}")


def test_header_values_cannot_smuggle_headers(raw):
    async def run():
        async with GuardedSession(allow_hosts=[HOST], transport="lean") as session:
            await session.fetch(raw.url("/ok"), headers={"If-None-Match": '"v1"\r\nX-Evil: 1'})

    sent = len(raw.requests)
    with pytest.raises(FetchError, match="request header 'If-None-Match' is not valid"):
        asyncio.run(run())
    assert len(raw.requests) == sent


@pytest.mark.parametrize(
    ("method", "headers", "refusal"),
    [
        ("GET /admin HTTP/1.1\r\nHost: internal\r\n\r\nGET", {}, "is not an HTTP method"),
        ("GET", {"X-Bad Name": "1"}, "request header 'X-Bad Name' is not valid"),
        ("GET", {"X-Name": "Zoë ☃"}, "is not Latin-1"),
    ],
)
def test_requests_that_would_not_be_what_they_seem_are_refused(raw, method, headers, refusal):
    async def run():
        async with GuardedSession(allow_hosts=[HOST], transport="lean") as session:
            await session.fetch(raw.url("/ok"), method=method, headers=headers)

    with pytest.raises(FetchError, match=refusal):
        asyncio.run(run())


def test_the_callers_host_header_replaces_ours(raw):
    async def run():
        async with GuardedSession(allow_hosts=[HOST], transport="lean") as session:
            await session.fetch(raw.url("/ok"), headers={"Host": "feeds.example"})

    asyncio.run(run())
    assert raw.requests[-1].count(b"Host: ") == 1
    assert b"Host: feeds.example\r\n" in raw.requests[-1]


def test_an_unknown_transport_is_refused():
    with pytest.raises(ValueError, match="transport must be one of"):
        GuardedSession(transport="curl")


def _certificate(name: str) -> tuple[bytes, bytes]:
    """A self-signed certificate for ``name`` and its key, both PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    certificate, key = _certificate("secure.test")
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(certificate)
    (folder / "key.pem").write_bytes(key)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    server = RawServer(tls=context)
    server.start()
    server.certificate = certificate.decode()
    yield server
    server.close()


def fetch_tls(server: RawServer, host: str):
    async def run():
        options = {"resolver": lambda name: ["127.0.0.1"], "allow_hosts": ["127.0.0.1"]}
        async with GuardedSession(transport="lean", timeout=5, **options) as session:
            return await session.fetch(server.url("/ok", host=host))

    return asyncio.run(run())


def test_https_is_verified_against_the_system_authorities(tls_server):
    with pytest.raises(FetchError) as caught:
        fetch_tls(tls_server, "secure.test")
    assert caught.value.code == "tls"
    assert str(caught.value).startswith("the TLS certificate was refused fetching https://")


def test_https_checks_the_certificate_names_the_host(tls_server, monkeypatch):
    trusting = ssl.create_default_context(cadata=tls_server.certificate)
    monkeypatch.setattr(lean.ssl, "create_default_context", lambda: trusting)
    assert fetch_tls(tls_server, "secure.test").body == b"hello"
    assert fetch_tls(tls_server, "secure.test.").body == b"hello"  # the root's dot
    with pytest.raises(FetchError) as caught:  # same server and certificate, another name
        fetch_tls(tls_server, "other.test")
    assert caught.value.code == "tls"


@pytest.mark.parametrize("transport", ["aiohttp", "lean"])
def test_a_304_may_state_a_size_larger_than_the_cap(raw, transport):
    async def run():
        async with GuardedSession(allow_hosts=[HOST], transport=transport) as session:
            return await session.fetch(raw.url("/304-declaring-a-body"), max_bytes=10)

    assert asyncio.run(run()).status == 304  # RFC 9110, section 8.6: the size it would have
