"""Remote servers for federation tests: actors with real keys, served from a LocalSite.

A Peer is one remote account: its key pair, its actor document (served by ``local_site`` on
127.0.0.1), and signed POSTs of its activities to our inboxes through the Django test client.
``accept_posts`` teaches a LocalSite to take POSTs (remote inboxes), recording them.
"""

from __future__ import annotations

import itertools
import json

from veille.federation import keys
from veille.federation.signatures import signed_headers

_numbers = itertools.count(1)
INBOX_PATH = "/inbox"


def accept_posts(site, status: int = 202) -> None:
    """Let ``site`` answer POSTs with ``status``, keeping each as (path, headers, body).

    The headers of GETs are kept too, in ``site.get_headers`` (were fetches signed?).
    """
    base = site.server.RequestHandlerClass
    site.posts, site.get_headers = [], []
    site.post_status = status

    class Handler(base):
        def do_GET(self):
            site.get_headers.append(dict(self.headers))
            super().do_GET()

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            site.posts.append((self.path, dict(self.headers), body))
            self.send_response(site.post_status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    site.server.RequestHandlerClass = Handler


def posted_activities(site) -> list[dict]:
    return [json.loads(body) for _path, _headers, body in site.posts]


class Peer:
    """A remote account: Mastodon-shaped by default (key id "<actor>#main-key", shared inbox)."""

    def __init__(self, site, name: str = "alice", *, key_style: str = "fragment", shared=True):
        self.site = site
        self.name = name
        self.uri = site.url(f"/users/{name}")
        self.key_id = f"{self.uri}#main-key" if key_style == "fragment" else f"{self.uri}/main-key"
        self.shared = shared
        self.private_pem, self.public_pem = keys.generate_key_pair()
        self.publish()

    @property
    def inbox(self) -> str:
        return f"{self.uri}/inbox"

    def document(self, **extra) -> dict:
        document = {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.uri,
            "type": "Person",
            "preferredUsername": self.name,
            "name": self.name.title(),
            "url": self.site.url(f"/@{self.name}"),
            "inbox": self.inbox,
            "outbox": f"{self.uri}/outbox",
            "followers": f"{self.uri}/followers",
            "publicKey": {"id": self.key_id, "owner": self.uri, "publicKeyPem": self.public_pem},
            **extra,
        }
        if self.shared:
            document["endpoints"] = {"sharedInbox": self.site.url(INBOX_PATH)}
        return document

    def publish(self, **extra) -> None:
        """Serve the actor document (and, GoToSocial-style, its key at its own address)."""
        body = json.dumps(self.document(**extra))
        self.site.add(f"/users/{self.name}", body, content_type="application/activity+json")
        if not self.key_id.startswith(self.uri + "#"):
            stub = {"id": self.uri, "type": "Person", "publicKey": self.document()["publicKey"]}
            path = self.key_id[len(self.site.url("")) :]
            self.site.add(path, json.dumps(stub), content_type="application/activity+json")

    def rotate_key(self) -> None:
        self.private_pem, self.public_pem = keys.generate_key_pair()
        self.publish()

    def activity_id(self, kind: str = "activity") -> str:
        return f"{self.uri}/{kind.lower()}/{next(_numbers)}"

    def note_id(self) -> str:
        return f"{self.uri}/statuses/{next(_numbers)}"

    def signed(self, path: str, body: bytes, **headers) -> dict:
        """Headers for a POST of ``body`` to ``path`` on the test server, signed by this peer."""
        return signed_headers(
            method="POST",
            url=f"http://testserver{path}",
            body=body,
            key_id=self.key_id,
            private_key_pem=self.private_pem,
            headers=headers or None,
        )

    def post(self, client, path: str, activity, *, headers: dict | None = None, body=None):
        """POST ``activity`` (or raw ``body``) to our inbox at ``path``, signed unless headers."""
        body = body if body is not None else json.dumps(activity).encode()
        headers = headers if headers is not None else self.signed(path, body)
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        return client.post(
            path, data=body, content_type="application/activity+json", headers=headers
        )
