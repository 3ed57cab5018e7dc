"""Requests as browsers send them, and a frozen clock."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def make_request(rf):
    def make(address="203.0.113.7", user_agent=FIREFOX, method="get", **headers):
        return getattr(rf, method)(
            "/topic/toulouse-networks/", REMOTE_ADDR=address, HTTP_USER_AGENT=user_agent, **headers
        )

    return make


@pytest.fixture
def clock(monkeypatch, settings):
    """Set the wall clock: ``clock(datetime(2026, 3, 1, 10, 0, tzinfo=PARIS))``."""
    settings.TIME_ZONE = "Europe/Paris"

    def set_now(moment: datetime.datetime):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_now(datetime.datetime(2026, 3, 1, 10, 0, tzinfo=PARIS))
    return set_now
