"""End to end: two Veille instances on loopback (two ports, two SQLite databases) federate.

A curator of the second instance follows a topic of the first, receives its new scoop, likes it
and replies; the reply appears as a comment on the first's post page; after an unfollow, the next
scoop is not delivered. Each instance is a real `veille serve` (gunicorn and its task consumer);
the test drives them with `veille shell -c` and reads their databases (read-only) to wait for
each step, with a timeout, never a blind sleep.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]
STEP_TIMEOUT = 20

# Until veille/settings.py reads these (asked for in the report), a settings module adds what is
# missing, and only that: once settings.py has them, this changes nothing.
SETTINGS_SHIM = """
from veille.settings import *  # noqa: F403
from veille.settings import MIDDLEWARE, env, env_bool

if "FEDERATION_ALLOW_HTTP" not in globals():
    FEDERATION_ALLOW_HTTP = env_bool("FEDERATION_ALLOW_HTTP")
if "FEDERATION_INBOX_RATE_LIMIT" not in globals():
    FEDERATION_INBOX_RATE_LIMIT = env("FEDERATION_INBOX_RATE_LIMIT", "300/60")
NEGOTIATION = "veille.federation.negotiation.ActivityPubMiddleware"
if NEGOTIATION not in MIDDLEWARE:
    MIDDLEWARE = [*MIDDLEWARE, NEGOTIATION]

from veille.core import ratelimit  # noqa: E402

ratelimit.LIMITS.setdefault("federation_inbox", "FEDERATION_INBOX_RATE_LIMIT")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Instance:
    """One Veille: its own port, data directory (SQLite database, queue) and processes."""

    def __init__(self, tmp_path: Path, name: str, shim_dir: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.data_dir = tmp_path / name
        self.data_dir.mkdir()
        self.env = {
            **os.environ,
            "VEILLE_DATA_DIR": str(self.data_dir),
            "VEILLE_BASE_URL": self.base_url,
            "VEILLE_FEDERATION_ALLOW_HTTP": "1",
            "VEILLE_FETCH_ALLOW_HOSTS": "127.0.0.1",
            "VEILLE_WORKERS": "2",
            "DJANGO_SETTINGS_MODULE": "e2e_settings",
            "PYTHONPATH": os.pathsep.join(
                [str(shim_dir), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
        self.server: subprocess.Popen | None = None

    def run(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "veille", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def shell(self, code: str) -> str:
        process = self.run("shell", "-c", textwrap.dedent(code))
        output, _ = process.communicate(timeout=60)
        assert process.returncode == 0, output
        return output.strip().splitlines()[-1] if output.strip() else ""

    def serve(self) -> None:
        self.server = self.run("serve", "--port", str(self.port), "--processes", "1")

    def get(self, path: str, accept: str = "text/html") -> tuple[int, str]:
        request = urllib.request.Request(self.base_url + path, headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
                return response.status, response.read().decode()
        except OSError:
            return 0, ""

    def query(self, sql: str, *params):
        database = self.data_dir / "veille.sqlite3"
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            db.execute("PRAGMA busy_timeout = 5000")
            return db.execute(sql, params).fetchall()

    def stop(self) -> None:
        """Ask gunicorn for a quick shutdown (SIGINT); `veille serve` then stops its consumer."""
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGINT)

    def wait_stopped(self) -> None:
        if self.server is None:
            return
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)  # its own process group: serve and worker
            self.server.wait()


class Browser:
    """A person using an instance's web pages: a session cookie and the CSRF token."""

    def __init__(self, instance: Instance, username: str):
        self.instance = instance
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.get("/accounts/login/")
        status, _html = self.post(
            "/accounts/login/", username=username, password="correct horse battery"
        )
        assert status == 200 and any(c.name == "sessionid" for c in self.cookies)

    def get(self, path: str) -> str:
        with self.opener.open(self.instance.base_url + path, timeout=20) as response:
            return response.read().decode()

    def post(self, path: str, **fields) -> tuple[int, str]:
        """Submit a form (redirects followed, as a browser does)."""
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        with self.opener.open(self.instance.base_url + path, data=data, timeout=20) as response:
            return response.status, response.read().decode()


def wait_for(check, what: str, timeout: float = STEP_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


SETUP = """
from veille.accounts.models import User
from veille.topics import services
user = User.objects.create_user({user!r}, password="correct horse battery", display_name={name!r})
services.topic_create(by=user, title={title!r}, slug={slug!r})
print("ready")
"""


@pytest.fixture
def instances(tmp_path):
    shim_dir = tmp_path / "shim"
    shim_dir.mkdir()
    (shim_dir / "e2e_settings.py").write_text(SETTINGS_SHIM)
    first, second = Instance(tmp_path, "first", shim_dir), Instance(tmp_path, "second", shim_dir)
    setups = [
        (
            first,
            SETUP.format(
                user="jacques", name="Jacques", title="Toulouse networks", slug="toulouse-networks"
            ),
        ),
        (
            second,
            SETUP.format(
                user="marie", name="Marie Curie", title="Smart cities", slug="smart-cities"
            ),
        ),
    ]
    # Migrate once; the second database starts as a copy (migrating is the slow part here).
    migrate = first.run("migrate", "--no-input")
    output, _ = migrate.communicate(timeout=120)
    assert migrate.returncode == 0, output
    shutil.copy(first.data_dir / "veille.sqlite3", second.data_dir / "veille.sqlite3")
    for instance, _code in setups:
        instance.serve()
    try:
        shells = [instance.run("shell", "-c", code) for instance, code in setups]
        for process in shells:
            output, _ = process.communicate(timeout=60)
            assert process.returncode == 0 and output.strip().endswith("ready"), output
        for instance in (first, second):
            wait_for(lambda i=instance: i.get("/healthz")[0] == 200, f"{instance.base_url}")
        yield first, second
    finally:
        for instance in (first, second):
            instance.stop()
        for instance in (first, second):
            instance.wait_stopped()


def publish(instance: Instance, title: str) -> str:
    """Publish a scoop on the topic and hand it to federation; its object id."""
    return instance.shell(f"""
        from veille.accounts.models import User
        from veille.federation import ids, services as federation
        from veille.topics import services
        from veille.topics.models import Topic
        jacques = User.objects.get(username="jacques")
        topic = Topic.objects.get(slug="toulouse-networks")
        scoop = services.scoop_create(topic=topic, by=jacques, title={title!r},
                                      insight="Un réseau **ouvert**.")
        federation.scoop_published(scoop_id=scoop.pk)
        print(ids.post_object_id(scoop))
    """)


def test_two_instances_follow_deliver_like_reply_and_unfollow(instances):
    first, second = instances
    marie = Browser(second, "marie")
    handle = f"@toulouse-networks@127.0.0.1:{first.port}"
    status, page = marie.post("/fediverse/follow/", handle=handle)
    assert status == 200 and "Toulouse networks" in page
    wait_for(
        lambda: second.query("SELECT 1 FROM federation_following WHERE state = 'accepted'"),
        "the Accept of the follow",
    )
    assert first.query("SELECT state FROM federation_follower") == [("accepted",)]

    object_id = publish(first, "Fibre optique à Toulouse")
    rows = wait_for(
        lambda: second.query(
            "SELECT id, content_html FROM federation_remotepost WHERE uri = ?", object_id
        ),
        "the scoop on the second instance",
    )
    post_id, content = rows[0]
    assert "Fibre optique à Toulouse" in content
    assert "Fibre optique à Toulouse" in marie.get("/fediverse/")

    marie.post(f"/fediverse/posts/{post_id}/like/")
    marie.post(f"/fediverse/posts/{post_id}/reply/", text="Merci pour ce partage !")
    wait_for(lambda: first.query("SELECT 1 FROM topics_scoop WHERE thanks_count = 1"), "the like")
    post_page = object_id.removeprefix(first.base_url)  # redirects to the page's address
    wait_for(
        lambda: "Merci pour ce partage" in first.get(post_page)[1],
        "the reply as a comment on the post page",
    )
    assert first.query("SELECT comment_count FROM topics_scoop") == [(1,)]

    (actor_id,) = second.query("SELECT actor_id FROM federation_following")[0]
    marie.post(f"/fediverse/unfollow/{actor_id}/")
    wait_for(lambda: not first.query("SELECT 1 FROM federation_follower"), "the unfollow")
    later = publish(first, "Un second article")
    create = first.query(
        "SELECT id FROM federation_outboxactivity WHERE activity_type = ? AND object_uri = ?",
        "Create",
        later,
    )
    assert len(create) == 1
    assert (
        first.query("SELECT 1 FROM federation_delivery WHERE activity_id = ?", create[0][0]) == []
    )
    assert second.query("SELECT 1 FROM federation_remotepost WHERE uri = ?", later) == []
    followers = first.get("/topic/toulouse-networks/followers", "application/activity+json")[1]
    assert json.loads(followers)["totalItems"] == 0
