"""Fixtures of the federation tests: remote servers on 127.0.0.1 (see peers.py)."""

import pytest

from veille.federation.tests.peers import Peer, accept_posts


@pytest.fixture
def fediverse(settings, local_site, monkeypatch):
    """A LocalSite standing for remote servers: plain http allowed, POSTs recorded."""
    from veille.core import ratelimit

    settings.FEDERATION_ALLOW_HTTP = True
    settings.FEDERATION_INBOX_RATE_LIMIT = "1000/60"
    # Stand-in until veille.core.ratelimit lists the inbox's limit (asked for in the report).
    monkeypatch.setitem(ratelimit.LIMITS, "federation_inbox", "FEDERATION_INBOX_RATE_LIMIT")
    accept_posts(local_site)
    return local_site


@pytest.fixture
def peer(fediverse):
    return Peer(fediverse)
