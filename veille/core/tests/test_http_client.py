"""The guarded client against a real local server on 127.0.0.1 (and 127.0.0.2 for DNS rebinding).

Names are resolved by stub resolvers; a guard on ``socket.connect`` fails any test that tries to
reach an address outside 127.0.0.0/8 or ::1, so a policy bug shows up as a failure, not a packet.
"""

import asyncio
import gzip
import ipaddress
import json
import socket
import threading
import time
from collections import Counter

import pytest
from aiohttp import web

from veille.core.http import FetchError, GuardedSession, RefusedError, fetch, fetch_sync

SITE = "site.test"  # Stub-resolved to 127.0.0.1 and allowed by name in most tests.
PAGE = "<html><head><title>Réseaux</title></head><body>Toulouse</body></html>"
CHAIN_STATUSES = {1: 307, 2: 302, 3: 301, 4: 308, 5: 303, 6: 302}
BOMB_SIZE = 8 * 1024 * 1024


def _answer(make):
    async def handler(request):
        return make(request)

    return handler


class LocalServer:
    """An aiohttp app on 127.0.0.1 (and 127.0.0.2 when possible, same port) in its own thread."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.stop = threading.Event()
        self.has_second_address = False
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def url(self, path: str, host: str = SITE) -> str:
        return f"http://{host}:{self.port}{path}"

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(5)

    def close(self) -> None:
        self.stop.set()
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _start(self) -> None:
        self._runner = web.AppRunner(self._app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        try:
            await web.TCPSite(self._runner, "127.0.0.2", self.port).start()
            self.has_second_address = True
        except OSError:
            pass  # No 127.0.0.2 here (macOS): the rebinding test is skipped.

    def _app(self) -> web.Application:
        @web.middleware
        async def count(request, handler):
            self.hits[request.path_qs] += 1
            return await handler(request)

        app = web.Application(middlewares=[count])
        for path, handler in self._routes().items():
            app.router.add_route("*", path, handler)
        return app

    def _routes(self) -> dict:
        return {
            "/page": _answer(lambda r: web.Response(text=PAGE, content_type="text/html")),
            "/who": _answer(lambda r: web.Response(text=r.transport.get_extra_info("sockname")[0])),
            "/chain/{n}": self._chain,
            "/to": _answer(
                lambda r: web.Response(status=302, headers={"Location": r.query["url"]})
            ),
            "/see-other": _answer(
                lambda r: web.Response(status=303, headers={"Location": "/echo"})
            ),
            "/echo": self._echo,
            "/etag": self._etag,
            "/missing": _answer(lambda r: web.Response(status=404, text="no such page")),
            "/huge": self._huge,
            "/declared-huge": self._declared_huge,
            "/bomb": self._bomb,
            "/slow": self._slow,
            "/drip": self._drip,
            "/slow-redirect": self._slow_redirect,
        }

    async def _chain(self, request):
        n = int(request.match_info["n"])
        if n == 0:
            return web.Response(text="end of chain")
        return web.Response(status=CHAIN_STATUSES[n], headers={"Location": f"/chain/{n - 1}"})

    async def _echo(self, request):
        body = (await request.read()).decode()
        payload = {"method": request.method, "headers": dict(request.headers), "body": body}
        return web.json_response(payload)

    async def _etag(self, request):
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(text="fresh", headers={"ETag": '"v1"'})

    async def _huge(self, request):
        response = web.StreamResponse()
        await response.prepare(request)
        try:
            for _ in range(1600):  # 100 MiB, unless the client hangs up first.
                await response.write(b"x" * 65536)
        except (ConnectionError, RuntimeError):
            pass
        return response

    async def _declared_huge(self, request):
        response = web.StreamResponse(headers={"Content-Length": str(1024**3)})
        await response.prepare(request)
        await response.write(b"x" * 1000)
        await self._wait_for_stop(2)
        return response

    async def _bomb(self, request):
        body = gzip.compress(b"\0" * BOMB_SIZE)
        return web.Response(body=body, headers={"Content-Encoding": "gzip"})

    async def _slow(self, request):
        await self._wait_for_stop(3)
        return web.Response(text="late")

    async def _drip(self, request):
        """Headers at once, then a byte every 50 ms for 3 s: each read is quick, the body is not."""
        response = web.StreamResponse()
        await response.prepare(request)
        try:
            for _ in range(60):
                await response.write(b"x")
                await asyncio.sleep(0.05)
        except (ConnectionError, RuntimeError):
            pass
        return response

    async def _slow_redirect(self, request):
        """Each hop answers after 0.2 s: within a 0.5 s budget one at a time, not all four."""
        await asyncio.sleep(0.2)
        hops = int(request.query.get("hops", "3"))
        if hops == 0:
            return web.Response(text="arrived")
        return web.Response(status=302, headers={"Location": f"/slow-redirect?hops={hops - 1}"})

    async def _wait_for_stop(self, seconds: float) -> None:
        for _ in range(int(seconds / 0.05)):
            if self.stop.is_set():
                return
            await asyncio.sleep(0.05)


# Every test runs on both transports of the client (see veille/core/http/lean.py).
TRANSPORT = {"name": "aiohttp"}


@pytest.fixture(autouse=True, params=["aiohttp", "lean"])
def transport(request):
    TRANSPORT["name"] = request.param
    yield request.param
    TRANSPORT["name"] = "aiohttp"


@pytest.fixture(scope="module")
def server():
    local = LocalServer()
    local.start()
    yield local
    local.close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Fail the test (and send nothing) on any connection attempt outside the loopback."""
    attempts = []
    original = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else "127.0.0.1"
        if not ipaddress.ip_address(host.split("%")[0]).is_loopback:
            attempts.append(address)
            raise ConnectionRefusedError(f"test guard: {address} is not loopback")
        return original(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield
    assert attempts == [], f"connections were attempted to {attempts}"


class StubDNS:
    """A stub resolver that records the names it was asked for."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, f"stub: no {host}")
        return self.answers[host]


def stub_dns(**extra: list[str]) -> StubDNS:
    names = {SITE: ["127.0.0.1"], "other.test": ["127.0.0.1"], "evil.test": ["10.0.0.1"]}
    return StubDNS(names | {k.replace("_", "."): v for k, v in extra.items()})


def get(url: str, *, allow=(SITE, "other.test"), dns=None, **options):
    """One fetch, run in a fresh loop, through a stub resolver."""
    options.setdefault("transport", TRANSPORT["name"])
    return asyncio.run(fetch(url, allow_hosts=allow, resolver=dns or stub_dns(), **options))


def refused(url: str, **options) -> FetchError:
    with pytest.raises(FetchError) as caught:
        get(url, **options)
    return caught.value


def test_fetch_returns_page_with_headers_and_text(server):
    result = get(server.url("/page"))
    assert (result.status, result.ok, result.redirects) == (200, True, [])
    assert result.url == result.final_url == server.url("/page")
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.headers["content-type"] == "text/html; charset=utf-8"
    assert result.text() == PAGE
    assert 0 < result.elapsed < 2


def test_fetch_returns_error_statuses_instead_of_raising(server):
    result = get(server.url("/missing"))
    assert (result.status, result.ok, result.body) == (404, False, b"no such page")


def test_fetch_sends_user_agent_accept_and_conditional_headers(server):
    result = get(server.url("/echo"), accept="application/rss+xml")
    sent = json.loads(result.body)["headers"]
    assert sent["User-Agent"].startswith("Veille/0.1 (+")
    assert sent["Accept"] == "application/rss+xml"
    assert get(server.url("/etag"), headers={"If-None-Match": '"v1"'}).status == 304
    assert get(server.url("/etag")).headers["ETag"] == '"v1"'


def test_head_request_reads_no_body(server):
    result = get(server.url("/page"), method="HEAD")
    assert (result.status, result.body) == (200, b"")


def test_redirect_chain_of_three_is_followed_and_reported(server):
    result = get(server.url("/chain/3"))
    assert result.text() == "end of chain"
    assert result.final_url == server.url("/chain/0")
    assert result.redirects == [
        (301, server.url("/chain/2")),
        (302, server.url("/chain/1")),
        (307, server.url("/chain/0")),
    ]


def test_five_redirects_are_followed_and_a_sixth_is_refused(server):
    assert len(get(server.url("/chain/5")).redirects) == 5
    reached_end = server.hits["/chain/0"]
    error = refused(server.url("/chain/6"))
    assert error.code == "too_many_redirects"
    assert "more than 5 redirects" in str(error)
    assert server.hits["/chain/0"] == reached_end  # The sixth hop was not followed.


def test_redirect_from_allowed_name_to_loopback_address_is_refused(server):
    target = server.url("/page?from=name", host="127.0.0.1")
    error = refused(server.url(f"/to?url={target}"), allow=[SITE])
    assert (error.code, str(error)) == (
        "blocked_address",
        "refused: 127.0.0.1 is a loopback address",
    )
    assert server.hits["/page?from=name"] == 0


def test_redirect_from_allowed_address_to_localhost_name_is_refused(server):
    target = server.url("/page?from=address", host="localhost")
    error = refused(server.url(f"/to?url={target}", host="127.0.0.1"), allow=["127.0.0.1"])
    assert (error.code, str(error)) == ("blocked_address", "refused: localhost is a loopback name")
    assert server.hits["/page?from=address"] == 0


def test_redirect_to_a_name_resolving_to_a_private_address_is_refused_before_connecting(server):
    dns = stub_dns()
    error = refused(server.url("/to?url=http://evil.test/admin"), dns=dns)
    assert error.code == "blocked_address"
    assert str(error) == "refused: evil.test resolves to 10.0.0.1, a private address"
    assert dns.asked == [SITE, "evil.test"]  # Resolved, judged, never connected (see the guard).


@pytest.mark.parametrize("target", ["ftp://example.com/file", "file:///etc/passwd"])
def test_redirect_to_another_scheme_is_refused(server, target):
    error = refused(server.url(f"/to?url={target}"))
    assert error.code == "bad_scheme"


def test_post_becomes_get_after_303_and_credentials_stay_with_their_origin(server):
    result = get(server.url("/see-other"), method="POST", data=b"form=1")
    assert json.loads(result.body)["method"] == "GET"
    secret = {"Authorization": "Bearer secret"}
    same = get(server.url(f"/to?url={server.url('/echo')}"), headers=secret)
    assert json.loads(same.body)["headers"]["Authorization"] == "Bearer secret"
    cross = get(server.url(f"/to?url={server.url('/echo', host='other.test')}"), headers=secret)
    assert "Authorization" not in json.loads(cross.body)["headers"]


def test_streamed_body_past_the_cap_is_refused(server):
    error = refused(server.url("/huge"), max_bytes=256 * 1024)
    assert error.code == "too_large"
    assert "larger than 262144 bytes" in str(error)


def test_declared_content_length_past_the_cap_is_refused_without_reading(server):
    error = refused(server.url("/declared-huge"), max_bytes=1024 * 1024, timeout=1)
    assert error.code == "too_large"  # Waiting for the body would have timed out instead.


def test_gzip_bomb_is_refused_on_decompressed_size(server):
    compressed = len(gzip.compress(b"\0" * BOMB_SIZE))
    assert compressed < 64 * 1024
    error = refused(server.url("/bomb"), max_bytes=1024 * 1024)
    assert error.code == "too_large"
    assert len(get(server.url("/bomb"), max_bytes=BOMB_SIZE).body) == BOMB_SIZE


def test_slow_server_is_refused_after_the_timeout(server):
    error = refused(server.url("/slow"), timeout=0.3)
    assert error.code == "timeout"
    assert "timed out after 0.3 s" in str(error)


def test_a_body_dripping_in_is_cut_at_the_timeout(server):
    started = time.monotonic()
    error = refused(server.url("/drip"), timeout=0.4)
    assert error.code == "timeout"
    assert time.monotonic() - started < 2


def test_the_timeout_is_for_the_whole_fetch_redirects_included(server):
    assert get(server.url("/slow-redirect?hops=0"), timeout=0.5).body == b"arrived"
    error = refused(server.url("/slow-redirect?hops=3"), timeout=0.5)
    assert error.code == "timeout"


def test_connection_refused_and_unknown_names_have_their_codes(server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    error = refused(f"http://127.0.0.1:{closed_port}/", allow=["127.0.0.1"])
    assert error.code == "connection"
    assert refused(server.url("/page", host="nowhere.test")).code == "dns"


def test_dns_rebinding_connects_to_the_checked_answer_only(server):
    if not server.has_second_address:
        pytest.skip("127.0.0.2 cannot be bound on this machine")
    answers = iter([["127.0.0.1"], ["127.0.0.2"], ["127.0.0.2"]])
    asked = []

    def rebinding(host):
        asked.append(host)
        return next(answers)

    result = get(server.url("/who", host="rebind.test"), allow=["127.0.0.1"], dns=rebinding)
    assert result.text() == "127.0.0.1"
    assert asked == ["rebind.test"]  # One answer, checked, then connected to.
    error = refused(server.url("/who", host="rebind.test"), allow=["127.0.0.1"], dns=rebinding)
    assert str(error) == "refused: rebind.test resolves to 127.0.0.2, a loopback address"


def test_a_session_serves_many_fetches_on_one_pool(server):
    async def many():
        options = {"allow_hosts": [SITE], "resolver": stub_dns(), "transport": TRANSPORT["name"]}
        async with GuardedSession(**options) as session:
            jobs = [session.fetch(server.url(f"/page?n={n}")) for n in range(20)]
            results = await asyncio.gather(*jobs)
            with pytest.raises(TypeError):
                await fetch(server.url("/page"), session=session, allow_hosts=[SITE])
            return results

    assert [r.status for r in asyncio.run(many())] == [200] * 20


def test_settings_give_the_allow_list_cap_and_user_agent(server, settings):
    settings.BASE_URL = "https://veille.example"
    settings.FETCH_ALLOW_HOSTS = ""
    url = server.url("/echo", host="127.0.0.1")
    transport = TRANSPORT["name"]
    with pytest.raises(RefusedError):
        asyncio.run(fetch(url, transport=transport))
    settings.FETCH_ALLOW_HOSTS = "127.0.0.1, localhost"
    sent = json.loads(asyncio.run(fetch(url, transport=transport)).body)["headers"]
    assert sent["User-Agent"] == "Veille/0.1 (+https://veille.example)"
    settings.FETCH_MAX_BYTES = 10
    with pytest.raises(FetchError, match="larger than 10 bytes"):
        asyncio.run(fetch(url, transport=transport))


def test_fetch_sync_works_with_and_without_a_running_loop(server):
    options = {"allow_hosts": [SITE], "resolver": stub_dns(), "transport": TRANSPORT["name"]}
    assert fetch_sync(server.url("/page"), **options).text() == PAGE

    async def from_async_code():
        return fetch_sync(server.url("/page"), **options)

    assert asyncio.run(from_async_code()).status == 200
    with pytest.raises(RefusedError, match="loopback"):
        fetch_sync(server.url("/page", host="127.0.0.1"), allow_hosts=())
    with pytest.raises(TypeError):
        fetch_sync(server.url("/page"), session=object())
