"""Background jobs of capture. Thin: ids in, a service call."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from veille.capture import services


@db_task(retries=2, retry_delay=60)
def complete_scoop(scoop_id: int) -> None:
    services.scoop_complete(scoop_id=scoop_id)


@db_periodic_task(crontab(minute="17"))
def check_sources() -> int:
    """Every hour, a batch of sources not checked for a week."""
    return services.sources_check()
