"""Background jobs of sources. Thin: ids in, a poller call.

Every minute the scheduler (one worker: the others run with --no-periodic) starts
``poll_sources``, which queues POLL_RUNS - 1 more runs for other workers to take: polling is
CPU-bound (parsing, scoring), so as many runs as worker processes use every core. The claim
(poller.py) makes sure that two runs, here or on other machines, never poll the same source.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from veille.sources import conf, poller
from veille.topics.models import Topic

# A run stops starting batches after this many seconds: the next minute's run carries on.
RUN_BUDGET = 50


@db_periodic_task(crontab(minute="*"))
def poll_sources() -> int:
    for _ in range(conf.get("POLL_RUNS") - 1):
        poll_run()
    return poller.poll_all(budget=RUN_BUDGET).claimed


@db_task()
def poll_run() -> int:
    """One more run of the minute's polling, on whichever worker takes it."""
    return poller.poll_all(budget=RUN_BUDGET).claimed


@db_task()
def poll_sources_now(source_ids: list[int]) -> int:
    """Sources just added or asked for: polled at once, without waiting for the minute."""
    return poller.poll_due(source_ids=source_ids, force=True).claimed


@db_task()
def poll_topic(topic_id: int | None = None, force: bool = False) -> int:
    """``veille poll`` without --wait: the same work, done by a worker."""
    topic = Topic.objects.filter(pk=topic_id).first() if topic_id else None
    if topic_id and topic is None:
        return 0
    return poller.poll_all(topic=topic, force=force).claimed
