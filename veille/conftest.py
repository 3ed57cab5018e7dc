"""Fixtures shared by every app's tests."""

import itertools

import pytest

from veille.accounts.models import User
from veille.testing import PASSWORD, database_url
from veille.topics import services

_counter = itertools.count(1)


LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "testserver"}


@pytest.fixture(autouse=True, scope="session")
def _no_outside_dns():
    """Tests never reach outside this machine: a lookup of any other name fails at once."""
    import socket

    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in LOCAL_NAMES and not name.startswith("127."):
            raise socket.gaierror(socket.EAI_NONAME, f"tests do not resolve {name}")
        return real(host, *args, **kwargs)

    socket.getaddrinfo = local_only
    yield
    socket.getaddrinfo = real


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache: each test starts with none used.

    Nor does it inherit the day's view-counting salt from an earlier test: that test's salt row
    was rolled back or flushed with its database.
    """
    from django.core.cache import cache

    from veille.analytics import services as analytics

    cache.clear()
    analytics._salt_cache.clear()


@pytest.fixture(autouse=True)
def _in_english():
    """Each test starts in the default language: a request in French (Accept-Language, a
    profile's language) leaves French active in this thread after it, and code called directly
    (feeds, services) would then speak French in the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def make_user(db):
    def make(username=None, **fields):
        username = username or f"user{next(_counter)}"
        return User.objects.create_user(
            username=username,
            password=PASSWORD,
            email=f"{username}@example.org",
            **fields,
        )

    return make


@pytest.fixture
def curator(make_user):
    return make_user("jacques", display_name="Jacques Le Bris")


@pytest.fixture
def topic(curator):
    return services.topic_create(
        by=curator,
        title="Toulouse networks",
        slug="toulouse-networks",
        subtitle="Networking in Toulouse",
        language="fr",
    )


@pytest.fixture
def make_scoop(topic, curator):
    def make(title=None, *, in_topic=None, by=None, **kwargs):
        title = title or f"Scoop number {next(_counter)}"
        return services.scoop_create(
            topic=in_topic or topic, by=by or curator, title=title, **kwargs
        )

    return make


@pytest.fixture
def redis_worker(transactional_db):
    """A `veille worker` on the test database and this run's Redis queue (VEILLE_TEST_REDIS_URL).

    Immediate mode is switched off meanwhile, so that tasks travel through Redis.
    """
    import os
    import subprocess
    import sys

    from django.conf import settings
    from huey.contrib.djhuey import HUEY

    HUEY.storage.flush_all()
    HUEY.immediate = False
    env = {
        **os.environ,
        "VEILLE_DATABASE_URL": database_url(),
        "VEILLE_REDIS_URL": os.environ["VEILLE_TEST_REDIS_URL"],
        "VEILLE_QUEUE_NAME": HUEY.name,
        "VEILLE_DATA_DIR": str(settings.DATA_DIR / "worker"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "veille", "worker", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode(errors="replace")
        HUEY.immediate = True
        if process.returncode not in (0, -15):
            print(output)


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page():
    """A page of Debian's Chromium driven by Playwright (never a downloaded browser)."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="en-US")
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class LocalSite:
    """A web server on 127.0.0.1 serving what a test adds: pages, redirects, slow answers."""

    def __init__(self):
        import http.server
        import threading

        site = self
        self.routes: dict[str, tuple] = {}
        self.hits: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                site._answer(self, body=True)

            def do_HEAD(self):
                site._answer(self, body=False)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(
        self,
        path,
        body=b"",
        *,
        status=200,
        content_type="text/html; charset=utf-8",
        headers=None,
        delay=0.0,
    ):
        if isinstance(body, str):
            body = body.encode()
        self.routes[path] = (status, content_type, dict(headers or {}), body, delay)

    def redirect(self, path, to, status=302):
        self.add(path, status=status, headers={"Location": to})

    def _answer(self, handler, *, body: bool):
        import time

        self.hits.append(handler.path)
        route = self.routes.get(handler.path) or self.routes.get(handler.path.split("?")[0])
        if route is None:
            route = (404, "text/plain", {}, b"not found", 0.0)
        status, content_type, headers, payload, delay = route
        if delay:
            time.sleep(delay)
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            if body:
                handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def local_site(settings):
    """A LocalSite, with 127.0.0.1 allowed through the guarded client for this test only."""
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    site = LocalSite()
    yield site
    site.close()
