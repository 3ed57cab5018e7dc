"""The minute's polling: as many runs as POLL_RUNS, the claims sharing the sources out."""

import pytest

from veille.sources import poller, tasks
from veille.sources.poller import PollReport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("runs", [1, 3])
def test_the_periodic_poll_starts_as_many_runs_as_configured(settings, monkeypatch, runs):
    settings.POLL_RUNS = runs
    calls = []
    monkeypatch.setattr(poller, "poll_all", lambda **options: calls.append(options) or PollReport())

    tasks.poll_sources.call_local()  # the scheduler's call; the queued runs run at once in tests

    assert len(calls) == runs
    assert all(call == {"budget": tasks.RUN_BUDGET} for call in calls)
