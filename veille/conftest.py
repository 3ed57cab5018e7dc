"""Fixtures shared by every app's tests."""

import itertools

import pytest

from veille.accounts.models import User
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
    """Rate limits live in the cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_user(db):
    def make(username=None, **fields):
        username = username or f"user{next(_counter)}"
        return User.objects.create_user(
            username=username,
            password="correct horse battery",
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
